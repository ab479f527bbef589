"""`InductionService`: the one door the screens, the dashboard and the exports use for induction
checklists.

Each public method opens one transaction (or read) and hands the work to the module for its area:
`reading` and `overview` for what the screens show, `creation` for making checklists, `ticking`
and `signoff` for following one, `attachments` for evidence files, `export` for the CSV file.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlmodel import Session

from arrs_desk.services.actor import Actor
from arrs_desk.services.external_people import ExternalSignatureInput
from arrs_desk.services.induction import attachments, creation, export, overview, reading, signoff, ticking
from arrs_desk.services.induction.views import ChecklistView, EvidenceRow, OverviewRow, SignOffRow
from arrs_desk.services.induction_templates import TemplateService
from arrs_desk.services._common import get_or_404
from arrs_desk.services.evidence import evidence_folder
from arrs_desk.services.shared_reads import shared, shared_reads
from arrs_desk.store.database import Database
from arrs_desk.store.models import InductionEvidence, InductionItem


class InductionService:
    def __init__(self, db: Database, today: Callable[[], date],
                 evidence_root: Callable[[], Path] | None = None):
        self._db = db
        self._today = today
        self._evidence_root = evidence_folder(evidence_root)
        self.templates = TemplateService(db)

    # --- reading ------------------------------------------------------------------------
    def checklist(self, actor: Actor, *, staff_id: int) -> ChecklistView:
        today = self._today()
        with self._db.read() as session:
            return reading.read_checklist(session, actor, today, staff_id)

    @shared
    def overview(self, actor: Actor, *, include_without_checklist: bool = True) -> list[OverviewRow]:
        """Every current person the actor may see, with their induction progress."""
        today = self._today()

        _, rows = shared_reads(self._db).by_person_in_a_session(
            ("induction.overview", actor, today, include_without_checklist), overview.overview_rows, actor, today,
            include_without_checklist=include_without_checklist)
        return sorted(rows.values(), key=lambda r: (r.name_key, r.staff_id))

    def awaiting_signoff(self, actor: Actor) -> list[SignOffRow]:
        """Items waiting for sign-off from the people the actor line-manages, oldest first.

        Administrators see every waiting item (they cannot sign, but can chase, and record a
        signature given on paper or by e-mail).
        """
        with self._db.read() as session:
            return overview.read_awaiting_signoff(session, actor, self._today())

    # --- making checklists --------------------------------------------------------------
    def create_checklist(self, actor: Actor, *, staff_id: int) -> ChecklistView:
        with self._db.write() as session:
            creation.create_for(session, actor, staff_id)
        return self.checklist(actor, staff_id=staff_id)

    def add_reinduction(self, actor: Actor, *, staff_id: int, change_date: date | None = None) -> int:
        """Give a person who changed role the new role's items they do not already have; returns
        how many were added (the screens say so, then re-read the checklist).

        What they completed stays as it is; the new items count from `change_date` (default today).
        """
        today = self._today()
        with self._db.write() as session:
            return creation.add_reinduction(session, actor, staff_id, change_date or today, today)

    # --- following a checklist ----------------------------------------------------------
    # Every write below returns the refreshed checklist it changed, so a screen can show the
    # result without asking again (and a script can check it).
    def _change_item(self, actor: Actor, item_id: int, change: Callable[[Session], object]) -> ChecklistView:
        """Run `change(session)` in one transaction, then read the checklist the item is on. The
        item is read first and held, so the change finds it in the session (a row nobody holds is
        forgotten, and read again: a round trip across sites)."""
        with self._db.write() as session:
            item = get_or_404(session, InductionItem, item_id, "induction item")
            change(session)
            staff_id = item.staff_id
        return self.checklist(actor, staff_id=staff_id)

    def tick(self, actor: Actor, *, item_id: int, expected_version: int, note: str = "",
             completed_on: date | None = None) -> ChecklistView:
        """Mark an item done. Items needing sign-off then wait for the line manager; a manager who
        ticks such an item is the signer, so it is signed off at once."""
        return self._change_item(actor, item_id, lambda session: ticking.tick(
            session, actor, self._today(), item_id, expected_version, note=note, completed_on=completed_on))

    def untick(self, actor: Actor, *, item_id: int, expected_version: int) -> ChecklistView:
        return self._change_item(actor, item_id, lambda session: ticking.untick(
            session, actor, item_id, expected_version))

    def mark_not_applicable(self, actor: Actor, *, item_id: int, expected_version: int,
                            reason: str) -> ChecklistView:
        return self._change_item(actor, item_id, lambda session: ticking.mark_not_applicable(
            session, actor, item_id, expected_version, reason))

    def reopen(self, actor: Actor, *, item_id: int, expected_version: int) -> ChecklistView:
        """Undo 'not applicable': the item is on the list again."""
        return self._change_item(actor, item_id, lambda session: ticking.reopen(
            session, actor, item_id, expected_version))

    def set_validity(self, actor: Actor, *, item_id: int, expected_version: int,
                     months: int | str | None) -> ChecklistView:
        """How long this person's training stays valid (blank: it does not expire)."""
        return self._change_item(actor, item_id, lambda session: ticking.set_validity(
            session, actor, item_id, expected_version, months))

    def record_renewal(self, actor: Actor, *, item_id: int, expected_version: int,
                       completed_on: date) -> ChecklistView:
        """Training done again: a new completion date, so a new expiry date."""
        return self._change_item(actor, item_id, lambda session: ticking.record_renewal(
            session, actor, self._today(), item_id, expected_version, completed_on))

    # --- signing off --------------------------------------------------------------------
    def sign_off(self, actor: Actor, *, item_id: int, expected_version: int, comment: str = "") -> ChecklistView:
        return self._change_item(actor, item_id, lambda session: signoff.sign_off(
            session, actor, self._today(), item_id, expected_version, comment))

    def return_item(self, actor: Actor, *, item_id: int, expected_version: int, comment: str) -> ChecklistView:
        """Send a ticked item back to the starter, saying what is missing."""
        return self._change_item(actor, item_id, lambda session: signoff.return_item(
            session, actor, item_id, expected_version, comment))

    def record_external_sign_off(self, actor: Actor, *, item_id: int, expected_version: int,
                                 signature: ExternalSignatureInput) -> ChecklistView:
        """Someone without an account signed the item off on paper (a printed signature sheet) or
        by e-mail; the person's line manager or an administrator records it on their behalf. The
        item is then signed off as if in the app, marked as recorded by the actor."""
        today = self._today()
        return self._change_item(actor, item_id, lambda session: signoff.record_external(
            session, actor, today, item_id=item_id, expected_version=expected_version, signature=signature))

    # --- evidence -----------------------------------------------------------------------
    def attach_evidence(self, actor: Actor, *, item_id: int, source: Path) -> EvidenceRow:
        return attachments.attach(self._db, self._evidence_root, actor, item_id, source)

    def evidence_file(self, actor: Actor, *, evidence_id: int) -> Path:
        """The stored copy, for opening in the system viewer."""
        return attachments.evidence_file(self._db, self._evidence_root, actor, evidence_id)

    def remove_evidence(self, actor: Actor, *, evidence_id: int) -> ChecklistView:
        """Take a wrongly attached file off an item. The record stays in the audit trail."""
        with self._db.read() as session:
            item_id = get_or_404(session, InductionEvidence, evidence_id, "evidence file").item_id
        return self._change_item(actor, item_id, lambda session: attachments.remove(session, actor, evidence_id))

    # --- export -------------------------------------------------------------------------
    CSV_HEADER = export.CSV_HEADER

    def checklist_rows(self, actor: Actor, *, staff_id: int) -> list[tuple]:
        """The checklist as CSV rows (text cells), in the order of `CSV_HEADER`."""
        return export.csv_rows(self.checklist(actor, staff_id=staff_id))

    def export_csv(self, actor: Actor, *, staff_id: int, target: Path) -> int:
        """Write one person's checklist as CSV, formula-like cells neutralised, and record it in
        the audit trail; returns the row count."""
        return export.save_csv(self._db, actor, self.checklist(actor, staff_id=staff_id), target)
