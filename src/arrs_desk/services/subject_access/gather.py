"""What ARRS Desk holds about one person, gathered for a subject access copy: the record bundle's
document (their staff row and every row keyed to them), plus what a bundle leaves out because it
belongs to this PCN: sign-in accounts (never a password hash), which check-ins
they have done, the audit trail about them and by them, a legal hold on their record, and what
was removed from it under the retention rules; and what a bundle does not carry at all: an
induction attested as done before records began, and the contract checks' facts about them
(`KEYED_TO_PERSON`).

Private notes (reflective notes, self-assessment, reflections) are included only when the person
making the copy may read them, as everywhere else; otherwise the copy says which are held and when
(`private_notes_held`), and an empty one is not said to be held.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlmodel import Session

from arrs_desk.domain import export_format as fmt
from arrs_desk.services.record_bundle import PRIVATE_COLUMNS
from arrs_desk.store.models import (
    AssuranceFlag, AuditEntry, CheckinCompletion, DestructionEntry, InductionPriorRecord, RetentionHold, Review, Staff,
    SupervisionAttendance, UserAccount,
)

ACCOUNT_COLUMNS = ("id", "username", "display_name", "roles", "active", "must_change_password", "last_login_at",
                   "created_at")
"""What a copy says about an account: never the password hash, the failure count or the lock."""
KEYED_TO_PERSON = (InductionPriorRecord, AssuranceFlag)
"""Tables of rows about the person that neither a record bundle nor the tables above hold."""


def _rows(session: Session, stmt) -> list[dict[str, Any]]:
    return [{k: fmt.encode(v) for k, v in row.items()} for row in session.execute(stmt).mappings()]


def extra_tables(session: Session, person: Staff) -> dict[str, list[dict[str, Any]]]:
    sid = person.id
    accounts = _rows(session, select(*(getattr(UserAccount, c) for c in ACCOUNT_COLUMNS))
                     .where(UserAccount.staff_id == sid).order_by(UserAccount.id))
    account_ids = [a["id"] for a in accounts]
    about = AuditEntry.subject_staff_id == sid
    audit_filter = or_(about, AuditEntry.user_id.in_(account_ids)) if account_ids else about
    return {
        "user_account": accounts,
        "checkin_completion": _rows(session, select(CheckinCompletion.__table__)
                                    .where(CheckinCompletion.staff_id == sid).order_by(CheckinCompletion.months)),
        "audit_entry": _rows(session, select(AuditEntry.__table__).where(audit_filter)
                             .order_by(AuditEntry.at, AuditEntry.id)),
        "retention_hold": _rows(session, select(RetentionHold.__table__).where(RetentionHold.staff_id == sid)),
        "destruction_log": _rows(session, select(DestructionEntry.__table__).where(DestructionEntry.staff_id == sid)
                                 .order_by(DestructionEntry.at)),
        **{model.__tablename__: _rows(session, select(model.__table__).where(model.staff_id == sid)
                                      .order_by(*model.__table__.primary_key.columns))
           for model in KEYED_TO_PERSON},
    }


def private_notes_held(session: Session, person: Staff) -> dict[str, dict[str, list[str]]]:
    """Which private notes hold something: table -> row id -> columns. A copy that may not print
    them gets blank columns from the bundle, so without this it could not tell a note left out from
    no note at all (and said "not printed" beside every empty one)."""
    held: dict[str, dict[str, list[str]]] = {}
    for model in (SupervisionAttendance, Review):
        table = model.__table__
        columns = PRIVATE_COLUMNS[table.name]
        for row in session.execute(select(table.c.id, *(table.c[c] for c in columns))
                                   .where(table.c.staff_id == person.id)).mappings():
            written = [c for c in columns if (row[c] or "").strip()]
            if written:
                held.setdefault(table.name, {})[str(row["id"])] = written
    return held
