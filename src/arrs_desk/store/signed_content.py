"""What was signed: a hash of a signed record, kept in its sign-off's audit entry.

Why: a sign-off vouches for a record as it stood. The audit entry that records the sign-off is
part of the hash chain (`audit_chain`), so a hash of the record stored in it cannot be changed
unnoticed; comparing it with the record as it is now shows a change made behind the app's back
as "changed after it was signed". A change the app itself makes after a sign-off (reopening an
item, say) writes a later audit entry for the record, and then that entry, not the sign-off,
says what happened; only records whose latest entry is the sign-off are compared.

Covered so far: induction items and programme competencies (`SIGNED`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

from arrs_desk.store.audit_chain import _canonical_time
from arrs_desk.store.models import AuditEntry, InductionItem, ProgrammeCompetency

_SIGNATURE = ("signed_by_user_id", "signed_by_external_id", "signed_by_name", "recorded_by_user_id", "signed_on",
              "signed_at", "signed_by_role", "signed_by_organisation", "signed_by_registration", "received_via")
SIGNED: dict[str, tuple[type, tuple[str, ...]]] = {
    "induction_item": (InductionItem, ("id", "staff_id", "key", "title", "state", "completed_on", "signoff_comment",
                                       *_SIGNATURE)),
    "programme_competency": (ProgrammeCompetency, ("id", "enrolment_id", "key", "title", "description", "comment",
                                                   *_SIGNATURE)),
}
"""What a sign-off vouches for, per kind of record: not the due dates and the like the app
moves by itself (a changed start date re-plans an induction) without an entry for the record."""
HASH_KEY = "signed_hash"
"""The key of the hash in the sign-off's audit `changes`."""


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return _canonical_time(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def row_hash(row: Any) -> str:
    """SHA-256 over the signed fields of a record (canonical JSON)."""
    _model, fields = SIGNED[row.__tablename__]
    content = {name: _plain(getattr(row, name)) for name in fields}
    text = json.dumps(json.loads(json.dumps(content, default=str)), sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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


def changed_after_signing(session) -> list[ChangedSignOff]:  # noqa: ANN001
    """Signed records whose content no longer matches the hash their sign-off recorded."""
    found: list[ChangedSignOff] = []
    for entity_type, (model, _fields) in SIGNED.items():
        latest = (select(AuditEntry.entity_id, func.max(AuditEntry.id).label("last"))
                  .where(AuditEntry.entity_type == entity_type).group_by(AuditEntry.entity_id).subquery())
        entries = session.execute(select(AuditEntry).join(latest, AuditEntry.id == latest.c.last)
                                  .where(AuditEntry.action == "sign_off")).scalars().all()
        for entry in entries:
            signed = (entry.changes or {}).get(HASH_KEY)
            if not signed:
                continue  # signed before sign-offs carried a hash
            row = session.get(model, int(entry.entity_id))
            if row is None or row_hash(row) != signed:
                found.append(ChangedSignOff(entity_type, int(entry.entity_id), entry.id,
                                            getattr(row, "title", "") if row is not None else "(removed)"))
    return sorted(found, key=lambda c: c.audit_entry_id)
