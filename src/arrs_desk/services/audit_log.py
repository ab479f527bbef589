"""Reading the audit trail: filters for the viewer and CSV export. There is no way to change it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import or_, select, union_all

from arrs_desk import clock
from arrs_desk.domain.permissions import Action
from arrs_desk.services._common import require
from arrs_desk.services.actor import Actor
from arrs_desk.services.exports import save_audited, write_csv
from arrs_desk.store.database import Database
from arrs_desk.store.models import AuditEntry

ACTION_LABELS = {
    "create": "Created", "update": "Changed", "delete": "Deleted", "retire": "Retired", "seed": "Built-in data",
    "sign_off": "Signed off", "return": "Returned", "tick": "Ticked", "untick": "Unticked", "confirm": "Confirmed",
    "record": "Recorded", "attach": "Attached a file", "remove": "Removed", "renew": "Renewed", "reopen": "Reopened",
    "not_applicable": "Marked not applicable", "validity": "Changed validity", "save_version": "Saved a new version",
    "demo": "Demonstration data",
    "login": "Signed in", "login_failed": "Failed sign-in", "logout": "Signed out", "password": "Password changed",
    "password_reset": "Password reset", "account_warning": "Account warning", "two_step_on": "Two-step sign-in on",
    "two_step_off": "Two-step sign-in off", "settings": "Settings", "print": "Printed", "export": "Exported",
    "import": "Imported", "backup": "Backup", "restore": "Restore", "discard": "Discarded unsaved changes",
    "enrol": "Enrolled", "pause": "Paused", "end_pause": "Ended a pause", "extend": "Extended", "withdraw": "Withdrew",
    "hold_milestone": "Recorded as held", "unhold_milestone": "Cleared a milestone", "complete": "Signed off completion",
    "log_time": "Logged protected time", "remove_time": "Removed protected time",
    "backup_folder": "Changed the backup folder",
    "export_all": "Exported all data", "export_bundle": "Exported a record bundle",
    "import_bundle": "Imported a record bundle",
    "checkin": "Check-in answered", "release": "Added to a summary",
    "restore_test": "Restore test passed", "restore_test_failed": "Restore test failed",
    "access_review": "Reviewed access", "subject_access": "Made a subject access copy",
    "erase": "Erased under the retention rules", "verify": "Verified",
    "chain_start": "Started the hash chain", "repair": "Put back a protection",
    "encrypt": "Turned on encryption", "rekey": "Changed the encryption passphrase",
    "decrypt": "Turned off encryption", "regulator_pack": "Printed a regulator pack",
}


@dataclass(frozen=True)
class AuditFilter:
    text: str = ""
    action: str | None = None
    entity_type: str | None = None
    user_name: str | None = None
    since: date | None = None
    until: date | None = None
    subject_staff_id: int | None = None
    limit: int = 5000
    older_than: tuple[datetime, int] | None = None
    """(at, id) of the last entry already shown: only entries after it in the trail's order (newest
    first) are read, so a viewer fetches the next page where the last one ended, however long the
    trail, without reading again what it holds (keyset paging on the `at` index)."""


@dataclass(frozen=True, slots=True)
class AuditRow:
    id: int
    at: datetime
    actor_name: str
    action: str
    entity_type: str
    entity_id: str
    summary: str
    changes: dict
    subject_staff_id: int | None = None
    """The member of staff the entry is about, if any."""

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action.replace("_", " ").capitalize())

    @property
    def changes_text(self) -> str:
        """[old, new] pairs as 'old → new'; facts recorded as a single value (a new checklist's
        item count, say) as they are."""
        return "; ".join(
            f"{field}: {_show(value[0])} → {_show(value[1])}" if isinstance(value, list) and len(value) == 2
            else f"{field}: {_show(value)}"
            for field, value in self.changes.items()
        )


def _show(value) -> str:
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _after(stmt, at: datetime, entry_id: int, limit: int):
    """`stmt`'s entries after (at, id) in the trail's order, newest first: those of the same moment
    with a smaller id, then those of earlier moments. Two seeks on the (at, id) index, each stopping
    at `limit`. Written as one condition (an OR, or a row value), SQLite walks every entry of the
    moment from its newest, so paging through a batch of thousands saved at one moment (an import,
    the demo) slowed as it went: 10 ms a page halfway through the demo's 175,000 entries, against
    1.4 ms."""
    same_moment = stmt.where(AuditEntry.at == at, AuditEntry.id < entry_id) \
        .order_by(AuditEntry.id.desc()).limit(limit).subquery()
    earlier = stmt.where(AuditEntry.at < at).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit).subquery()
    both = union_all(select(same_moment), select(earlier)).subquery()
    return select(both).order_by(both.c.at.desc(), both.c.id.desc()).limit(limit)


class AuditLogService:
    def __init__(self, db: Database):
        self._db = db

    def entries(self, actor: Actor, *, flt: AuditFilter = AuditFilter()) -> list[AuditRow]:
        require(actor, Action.VIEW_AUDIT)
        # Plain columns, not ORM objects: thousands of rows without building an entity for each.
        stmt = select(AuditEntry.id, AuditEntry.at, AuditEntry.actor_name, AuditEntry.action, AuditEntry.entity_type,
                      AuditEntry.entity_id, AuditEntry.summary, AuditEntry.changes, AuditEntry.subject_staff_id)
        if flt.action:
            stmt = stmt.where(AuditEntry.action == flt.action)
        if flt.entity_type:
            stmt = stmt.where(AuditEntry.entity_type == flt.entity_type)
        if flt.user_name:
            stmt = stmt.where(AuditEntry.actor_name == flt.user_name)
        if flt.subject_staff_id is not None:
            stmt = stmt.where(AuditEntry.subject_staff_id == flt.subject_staff_id)
        if flt.since:  # days in England, as "today" is (`clock`), not UTC days
            stmt = stmt.where(AuditEntry.at >= clock.uk_days(flt.since, flt.since)[0])
        if flt.until:
            stmt = stmt.where(AuditEntry.at < clock.uk_days(flt.until, flt.until)[1])
        if flt.text.strip():
            # As typed: a % or _ in the search is that character, not LIKE's wildcard.
            typed = flt.text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            like = f"%{typed}%"
            stmt = stmt.where(or_(AuditEntry.summary.ilike(like, escape="\\"),
                                  AuditEntry.actor_name.ilike(like, escape="\\")))
        newest_first = (AuditEntry.at.desc(), AuditEntry.id.desc())
        if flt.older_than is None:
            stmt = stmt.order_by(*newest_first).limit(flt.limit)
        else:
            stmt = _after(stmt, *flt.older_than, flt.limit)
        with self._db.read() as session:
            return [AuditRow(i, at, who, action, kind, entity_id, summary, changes or {}, subject)
                    for i, at, who, action, kind, entity_id, summary, changes, subject in session.execute(stmt)]

    def choices(self, actor: Actor) -> tuple[list[str], list[str], list[str]]:
        """Distinct actions, entity types and people, for the viewer's filter lists."""
        require(actor, Action.VIEW_AUDIT)
        with self._db.read() as session:
            actions = sorted(session.execute(select(AuditEntry.action).distinct()).scalars())
            entities = sorted(session.execute(select(AuditEntry.entity_type).distinct()).scalars())
            people = sorted(session.execute(select(AuditEntry.actor_name).distinct()).scalars(), key=str.casefold)
        return actions, entities, people

    def export_csv(self, actor: Actor, *, path: Path | str, flt: AuditFilter = AuditFilter(limit=1_000_000)) -> int:
        """The entries the filter selects as CSV, itself recorded in the trail; returns the count."""
        rows = self.entries(actor, flt=flt)
        subjects = {r.subject_staff_id for r in rows if r.subject_staff_id is not None}
        # UK time, as every screen shows it (the file said UTC, an hour behind them all summer), still sortable.
        lines = [(clock.in_uk(r.at).strftime("%Y-%m-%d %H:%M:%S"), r.actor_name, r.action_label, r.entity_type,
                  r.entity_id, r.summary, r.changes_text) for r in rows]
        header = ("When (UK time)", "Who", "Action", "Record", "Record id", "Summary", "Changes")
        return save_audited(self._db, actor, path, record="audit", what=f"{len(lines)} audit entries",
                            file_format="CSV", people=len(subjects),
                            write=lambda partial: write_csv(partial, header, lines)).rows
