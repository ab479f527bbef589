"""Recording changes in the audit trail, in the same transaction as the change."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session

from arrs_desk.services.actor import Actor
from arrs_desk.store import audit_chain
from arrs_desk.store.models import AuditEntry, utcnow

REDACTED = "(not recorded)"
"""What the audit trail shows for secret fields such as password hashes."""

SECRET_FIELDS = frozenset({"password", "password_hash"})


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (set, frozenset, tuple)):
        return sorted(_plain(v) for v in value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def diff(old: Mapping[str, Any], new: Mapping[str, Any], fields: Iterable[str] | None = None) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields that changed, JSON-safe, secrets redacted."""
    changed: dict[str, list[Any]] = {}
    for name in fields if fields is not None else sorted(set(old) | set(new)):
        before, after = _plain(old.get(name)), _plain(new.get(name))
        if before != after:
            if name in SECRET_FIELDS:
                before, after = REDACTED, REDACTED
            changed[name] = [before, after]
    return changed


def entry_values(
    actor: Actor,
    action: str,
    entity_type: str,
    entity_id: object = "",
    summary: str = "",
    changes: Mapping[str, Any] | None = None,
    subject_staff_id: int | None = None,
) -> dict[str, Any]:
    """The columns of one audit entry; `record_many` writes thousands of these in one statement."""
    return dict(
        at=utcnow(),
        user_id=actor.user_id,
        actor_name=actor.display_name,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        subject_staff_id=subject_staff_id,
        summary=summary[:500],
        changes={k: v for k, v in (changes or {}).items() if k not in SECRET_FIELDS},
    )


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity_type: str,
    entity_id: object = "",
    summary: str = "",
    changes: Mapping[str, Any] | None = None,
    subject_staff_id: int | None = None,
) -> AuditEntry:
    if action != "logout":  # signing out grants nothing: a changed account may always leave
        note_writer(session, actor)
    entry = AuditEntry(**entry_values(actor, action, entity_type, entity_id, summary, changes, subject_staff_id))
    session.add(entry)
    return entry


def note_writer(session: Session, actor: Actor) -> None:
    """Name the account whose entries these are, so that linking them into the chain refuses an
    account turned off or stripped of a role since it signed in (`audit_chain._take_head`). Not in
    single-user mode, which has no accounts to change, nor for the app's own work."""
    account = account_to_check(actor)
    if account is not None:
        session.info[audit_chain.WRITER] = account


def account_to_check(actor: Actor | None) -> tuple[int, frozenset[str], int | None] | None:
    """(account id, roles, staff id) as the actor signed in: what the store checks against the
    account as it stands now (`audit_chain._check_writer`). None for no account to check."""
    if actor is None or actor.user_id is None or actor.sole_user:
        return None
    return actor.user_id, frozenset(actor.roles), actor.staff_id


def check_writer(session: Session, actor: Actor) -> None:
    """Check the actor's account now (`audit_chain.check_writer_now`), before this write changes
    what that check reads: accounts, and who is an administrator in post."""
    note_writer(session, actor)
    audit_chain.check_writer_now(session)


def record_many(session: Session, entries: list[dict[str, Any]], *, by: Actor) -> None:
    """Entries made with `entry_values`, in one batched INSERT (an import of thousands of records).

    Entries added one by one earlier in the transaction are written first, so the hash chain
    (`store.audit_chain`) links everything in the order it was recorded."""
    if entries:
        session.flush()
        note_writer(session, by)
        audit_chain.link_values(session, entries)
        session.execute(insert(AuditEntry), entries)
