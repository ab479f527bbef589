"""Checking the audit trail has not been changed behind the app's back (administrators only).

`verify` walks the whole hash chain (`store.audit_chain`); `quick_check` walks only its latest
links and the counts, cheap enough to run in the background each time the app opens, and also
reports guard triggers that were missing on open and could not be put back.
"""

from __future__ import annotations

from dataclasses import dataclass

from arrs_desk.domain.permissions import Action
from arrs_desk.services._common import require
from arrs_desk.services.actor import Actor
from arrs_desk.store import audit_chain, signed_content
from arrs_desk.store.database import Database

QUICK_LINKS = 500
"""How many of the latest links the check on opening recomputes."""


@dataclass(frozen=True)
class ChainCheck:
    ok: bool
    message: str
    checked: int
    total: int
    broken_entry_id: int | None
    broken_position: int | None
    changed_signoffs: tuple[str, ...] = ()  # "... was changed after it was signed", oldest sign-off first


class AuditVerifyService:
    def __init__(self, db: Database):
        self._db = db

    def verify(self, actor: Actor) -> ChainCheck:
        """Every link of the chain, the entries from before it began, and every signed record
        against the hash its sign-off recorded."""
        require(actor, Action.VIEW_AUDIT)
        check = self._check(None)
        with self._db.read() as session:
            changed = tuple(c.describe() for c in signed_content.changed_after_signing(session))
        if not changed:
            return check
        # The finding first: "The audit trail is intact" as the opening line read as all clear.
        lead = (f"{len(changed)} signed record{'s were' if len(changed) != 1 else ' was'} changed after signing "
                "(listed below).")
        return ChainCheck(False, "\n".join((lead, check.message, *changed)), check.checked, check.total,
                          check.broken_entry_id, check.broken_position, changed)

    def quick_check(self, actor: Actor) -> ChainCheck:
        """The latest links, the counts, and the guard triggers: for the check on opening."""
        require(actor, Action.VIEW_AUDIT)
        check = self._check(QUICK_LINKS)
        if check.ok and self._db.unguarded:
            return ChainCheck(False, "The database's protection of the audit trail is missing "
                                     f"({', '.join(self._db.unguarded)}) and ARRS Desk may not put it back: "
                                     "ask whoever looks after the database server (see the README).",
                              check.checked, check.total, None, None)
        return check

    def _check(self, recent: int | None) -> ChainCheck:
        with self._db.snapshot() as session:  # the head and the walk as of one moment
            report = audit_chain.verify(session, recent=recent)
        broken = report.first_break
        return ChainCheck(report.ok, report.describe(), report.checked, report.total,
                          broken.entry_id if broken else None, broken.position if broken else None)
