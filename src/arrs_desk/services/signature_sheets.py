"""Signature sheets: what is waiting for a signature, printed for signers without an account.

A sheet printed again after some signatures were recorded shows those lines filled in, with who
recorded them, so the paper copy on file matches ARRS Desk.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from arrs_desk.clock import UK
from arrs_desk.domain.dates import format_uk
from arrs_desk.domain.induction import ItemStatus
from arrs_desk.domain.signatures import SignedOnBehalf
from arrs_desk.services.actor import Actor
from arrs_desk.services.exports import save_audited
from arrs_desk.store.database import Database


class SignatureSheetService:
    def __init__(self, db: Database, workspace, today: Callable[[], date]):
        self._db = db
        self._workspace = workspace
        self._today = today

    def induction_sheet(self, actor: Actor, *, staff_id: int, target: Path | str) -> Path:
        """Induction items that need a sign-off and have not had one, for this person."""
        from arrs_desk.reports.signature_sheet import SheetLine, SignatureSheet, build_signature_sheet

        view = self._workspace.induction.checklist(actor, staff_id=staff_id)  # checks the actor may see it
        named = f"{self._title(staff_id)} {view.display_name}".strip()  # "Dr Priya Patel" on paper
        lines = tuple(
            SheetLine(item.section_title, item.title, item.due_on, _signed(item.signed_on_behalf))
            for item in view.items
            if item.needs_signoff and (item.status not in (ItemStatus.COMPLETE, ItemStatus.NOT_APPLICABLE)
                                       or item.signed_on_behalf is not None)
        )
        waiting = sum(line.signed is None for line in lines)
        sheet = SignatureSheet(
            organisation=self._workspace.organisations.pcn_name() or "ARRS Desk",
            subject=named, role=view.role_title,
            purpose="Induction items that need sign-off", lines=lines,
            prepared_by=actor.display_name, prepared_on=self._today(),
        )
        saved = save_audited(self._db, actor, target, record="induction_checklist", action="print",
                             what=f"an induction signature sheet for {view.display_name} ({waiting} items waiting, "
                                  f"{len(lines) - waiting} signed on paper or by e-mail)", file_format="PDF",
                             people=1, rows=len(lines), subject_staff_id=staff_id,
                             write=lambda partial: build_signature_sheet(partial, sheet))
        return saved.path


    def _title(self, staff_id: int) -> str:
        from sqlalchemy import select

        from arrs_desk.store.models import Staff

        with self._db.read() as session:
            return session.execute(select(Staff.title).where(Staff.id == staff_id)).scalar() or ""


def _signed(behalf: SignedOnBehalf | None):
    from arrs_desk.reports.signature_sheet import SheetSignature

    if behalf is None:
        return None
    return SheetSignature(name=behalf.name, role=", ".join(p for p in (behalf.role, behalf.organisation) if p),
                          registration=behalf.registration, signed_on=behalf.signed_on,
                          recorded=f"Recorded by {behalf.recorded_by or 'a former user'} from {behalf.source}"
                                   + (f" on {format_uk(behalf.recorded_at.astimezone(UK))}" if behalf.recorded_at else ""))
