"""What was signed: a hash of a signed record, kept in its sign-off's audit entry.

Why: a sign-off vouches for a record as it stood. The audit entry that records the sign-off is
part of the hash chain (`audit_chain`), so a hash of the record stored in it cannot be changed
unnoticed; comparing it with the record as it is now shows a change made behind the app's back
as "changed after it was signed". A change the app itself makes after a sign-off (reopening an
item, say) writes a later audit entry for the record, and then that entry, not the sign-off,
says what happened; only records whose latest entry is the sign-off are compared.

Covered: induction items and programme competencies (their sign-off), reviews (each party's
signature: the review with its objectives, plan and signatures), and supervision sessions (each
confirmation: the session with its attendees' confirmations, never their private reflections).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select, update

from arrs_desk.domain.dates import format_uk
from arrs_desk.domain.reviews import kind_label
from arrs_desk.store.audit_chain import _canonical_time
from arrs_desk.store.models import (
    AuditEntry, InductionItem, ProgrammeCompetency, Review, ReviewObjective, ReviewPdpItem, ReviewSignOff,
    SupervisionAttendance, SupervisionSession,
)

_SIGNATURE = ("signed_by_user_id", "signed_by_external_id", "signed_by_name", "recorded_by_user_id", "signed_on",
              "signed_at", "signed_by_role", "signed_by_organisation", "signed_by_registration", "received_via")


@dataclass(frozen=True)
class Signed:
    """What one kind of sign-off vouches for. Not the due dates and the like the app moves by
    itself (a changed start date re-plans an induction) without an entry for the record."""

    model: type
    fields: tuple[str, ...]
    actions: tuple[str, ...] = ("sign_off",)
    """The audit actions that sign the record."""
    children: tuple[tuple[type, str, tuple[str, ...]], ...] = ()
    """Rows that belong to the record and were signed with it: (model, its link to the record, fields)."""
    changed_by: tuple[str, ...] = ()
    """Other entity types whose entries for the same id are the app changing the record."""


SIGNED: dict[str, Signed] = {
    "induction_item": Signed(InductionItem, ("id", "staff_id", "key", "title", "state", "completed_on",
                                             "signoff_comment", *_SIGNATURE)),
    "programme_competency": Signed(ProgrammeCompetency, ("id", "enrolment_id", "key", "title", "description",
                                                         "comment", *_SIGNATURE)),
    "review": Signed(
        Review, ("id", "staff_id", "kind", "probation_month", "period_start", "period_end", "meeting_date",
                 "appraiser_staff_id", "appraiser_external_id", "appraiser_name", "self_assessment", "reflections",
                 "appraiser_summary", "outcome", "outcome_note"),
        children=((ReviewObjective, "review_id", ("id", "position", "description", "measure", "due_date", "status",
                                                  "progress", "carried_from_id")),
                  (ReviewPdpItem, "review_id", ("id", "position", "need", "action", "support", "target_date",
                                                "status")),
                  (ReviewSignOff, "review_id", ("id", "party", "comment", *_SIGNATURE))),
        changed_by=("review_self_assessment",)),
    "supervision_session": Signed(
        SupervisionSession, ("id", "type_code", "held_on", "supervisor_staff_id", "supervisor_external_id",
                             "supervisor_name", "duration_minutes", "format", "topics", "actions_agreed",
                             *_SIGNATURE),
        actions=("confirm",),
        children=((SupervisionAttendance, "session_id", ("id", "staff_id", "type_code", "held_on", *_SIGNATURE)),)),
}
HASH_KEY = "signed_hash"
"""The key of the hash in the sign-off's audit `changes`."""


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return _canonical_time(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _digest(content: Any) -> str:
    text = json.dumps(json.loads(json.dumps(content, default=str)), sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def row_hash(session, row: Any, children: dict[type, list] | None = None) -> str:  # noqa: ANN001
    """SHA-256 over the signed fields of a record and of the rows signed with it (canonical JSON).
    `children`: rows signed with it that the caller has already read, as they are now, by model
    (a batch of confirmations reads every session's attendances at once); the rest are read here."""
    kind = SIGNED[row.__tablename__]
    signed_with: dict[type, list[dict[str, Any]]] = {}
    for model, link, fields in kind.children:
        if children is not None and model in children:
            rows = children[model]
        else:
            rows = session.execute(select(model).where(getattr(model, link) == row.id)).scalars()
        signed_with[model] = [{name: getattr(child, name) for name in fields} for child in rows]
    return values_hash(row.__tablename__, {name: getattr(row, name) for name in kind.fields}, signed_with)


def values_hash(entity_type: str, values: dict[str, Any], children: dict[type, list[dict[str, Any]]]) -> str:
    """`row_hash` of a record given as plain values, with the rows signed with it by model (the
    demonstration PCN's review histories are written in bulk, as rows never held as objects)."""
    kind = SIGNED[entity_type]
    content: dict[str, Any] = {name: _plain(values[name]) for name in kind.fields}
    for model, _link, fields in kind.children:
        rows = sorted(children.get(model, []), key=lambda child: child["id"])
        content[model.__tablename__] = [{name: _plain(child[name]) for name in fields} for child in rows]
    return _digest(content)


@dataclass(frozen=True)
class ChangedSignOff:
    entity_type: str
    entity_id: int
    audit_entry_id: int
    title: str

    def describe(self) -> str:
        what = self.entity_type.replace("_", " ")
        return (f"The {what} '{self.title}' (id {self.entity_id}) was changed after it was signed "
                f"(sign-off recorded in audit entry {self.audit_entry_id}).")


def latest_signatures(session) -> list[tuple[str, AuditEntry]]:  # noqa: ANN001
    """Each signed record's latest audit entry, where that entry is its signing: (kind, entry)."""
    found = []
    for entity_type, kind in SIGNED.items():
        types = (entity_type, *kind.changed_by)
        latest = (select(AuditEntry.entity_id, func.max(AuditEntry.id).label("last"))
                  .where(AuditEntry.entity_type.in_(types)).group_by(AuditEntry.entity_id).subquery())
        entries = session.execute(select(AuditEntry).join(latest, AuditEntry.id == latest.c.last)
                                  .where(AuditEntry.entity_type == entity_type, AuditEntry.action.in_(kind.actions))
                                  ).scalars().all()
        found += [(entity_type, entry) for entry in entries if (entry.changes or {}).get(HASH_KEY)]
    return found  # entries without a hash were signed before sign-offs carried one


def current_hash(session, entity_type: str, entity_id: str) -> str | None:  # noqa: ANN001
    """The hash of the record as it is now, or None if it is gone."""
    row = session.get(SIGNED[entity_type].model, int(entity_id))
    return None if row is None else row_hash(session, row)


def changed_after_signing(session) -> list[ChangedSignOff]:  # noqa: ANN001
    """Signed records whose content no longer matches the hash their sign-off recorded."""
    found: list[ChangedSignOff] = []
    for entity_type, entry in latest_signatures(session):
        if current_hash(session, entity_type, entry.entity_id) != entry.changes[HASH_KEY]:
            row = session.get(SIGNED[entity_type].model, int(entry.entity_id))
            found.append(ChangedSignOff(entity_type, int(entry.entity_id), entry.id, _title(row)))
    return sorted(found, key=lambda c: c.audit_entry_id)


def still_matching(session) -> list[tuple[str, int]]:  # noqa: ANN001
    """The signing entries whose record still matches its hash: (kind, audit entry id). Taken
    before an erasure, so that afterwards only these are brought up to date (`refresh`)."""
    return [(entity_type, entry.id) for entity_type, entry in latest_signatures(session)
            if current_hash(session, entity_type, entry.entity_id) == entry.changes[HASH_KEY]]


def refresh(session, matching: list[tuple[str, int]]) -> int:  # noqa: ANN001
    """After an erasure changed signed records (an attendee gone from a group session, a name
    replaced), store the records' new hashes in their signing entries, so the law's one change
    to the record does not read as tampering. Entries that did not match before the erasure are
    not in `matching` and stay as they were: an erasure never blesses an earlier change. The
    caller lifts the audit trail's guard and re-seals the chain. Returns the entries changed."""
    changed = 0
    for entity_type, entry_id in matching:
        entry = session.get(AuditEntry, entry_id)
        signed = (entry.changes or {}).get(HASH_KEY) if entry is not None else None
        now = current_hash(session, entity_type, entry.entity_id) if signed else None
        if signed and now is not None and now != signed:
            session.execute(update(AuditEntry).where(AuditEntry.id == entry_id)
                            .values(changes={**entry.changes, HASH_KEY: now}))
            changed += 1
    return changed


def _title(row: Any) -> str:
    if row is None:
        return "(removed)"
    if isinstance(row, Review):
        return f"{kind_label(row.kind, row.probation_month).lower()} of {format_uk(row.meeting_date or row.period_end)}"
    if isinstance(row, SupervisionSession):
        return f"{row.type_code.replace('_', ' ')} supervision held {format_uk(row.held_on)}"
    return getattr(row, "title", "")
