"""The queries behind the DSPT evidence report: where the data lives, the accounts, the joiners,
movers and leavers, administrator activity, restore tests and access reviews in a period.

Everything here reads; the service (`service.py`) checks who may ask. Times are shown in UK time,
the way the audit trail shows them.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from arrs_desk import clock
from arrs_desk.domain.dspt import AccountFacts, leaver_still_active
from arrs_desk.domain.permissions import AccessRole
from arrs_desk.domain.staff import OrganisationKind, display_name
from arrs_desk.services import reference
from arrs_desk.services.audit_log import ACTION_LABELS
from arrs_desk.services.backups import list_backups
from arrs_desk.services.dspt.views import AccountRow, AdminActionRow, MovementRow, RestoreTestRow, ReviewRow, StorageFacts
from arrs_desk.store import backup as store_backup
from arrs_desk.store.database import Database
from arrs_desk.store.models import AuditEntry, Organisation, Role, Staff, UserAccount

RESTORE_TEST_PASSED, RESTORE_TEST_FAILED = "restore_test", "restore_test_failed"
ACCESS_REVIEW = "access_review"
SIGN_INS = frozenset({"login", "logout", "login_failed"})
MOVES = {"role_code": "role", "employer_id": "employer", "practice_ids": "practices", "line_manager_id": "line manager"}
"""Staff fields whose change makes the person a mover for DSPT 4.2 (their access may need to change)."""


def uk_time(instant: datetime | None, missing: str = "Never") -> str:
    return clock.in_uk(instant).strftime("%d/%m/%Y %H:%M") if instant is not None else missing


def uk_day(instant: datetime | None) -> date | None:
    return clock.in_uk(instant).date() if instant is not None else None


def _who_can_read(path: Path | None) -> str:
    if path is None:
        return "Not known"
    if os.name == "nt":
        return "Inherits the Windows user profile's permissions (the signed-in Windows user and administrators)"
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError as exc:
        return f"Cannot be checked ({exc.strerror or exc})"
    if mode & 0o077 == 0:
        return f"Owner only ({stat.filemode(mode)[1:]})"
    others = "every user of this computer" if mode & 0o004 else "the owner's group"
    return f"Readable by {others} ({stat.filemode(mode)[1:]}): make it owner-only"


def storage_facts(db: Database) -> StorageFacts:
    encryption = ("Not encrypted at rest: the computer's own access controls are the only protection, so a copied "
                  "file (a lost laptop, a shared drive, a memory stick) can be read.")
    if db.path is None:
        url = make_url(db.url)
        mode = (url.query.get("sslmode") or "")
        mode = mode if isinstance(mode, str) else mode[0]
        transport = ("Encrypted (TLS, sslmode=" + mode + ")" if mode in {"require", "verify-ca", "verify-full"}
                     else "Not required to be encrypted (sslmode=" + (mode or "default") + "): use TLS across sites")
        return StorageFacts(
            kind="PostgreSQL server", location=url.render_as_string(hide_password=True),
            encryption="Depends on the server: ask whoever runs it to confirm disk encryption.",
            permissions="Controlled by the server's roles and passwords", backup_folder="The server's own backups",
            backup_permissions="Controlled by whoever runs the server", backups_held=0,
            newest_backup="Made by the server's tools (pg_dump), not by ARRS Desk", transport=transport)
    if db.is_encrypted:
        encryption = ("Encrypted at rest with SQLCipher (AES-256; key from a passphrase by argon2id): a copied file "
                      "cannot be read without the passphrase. Backups made by ARRS Desk are encrypted the same way.")
    folder = store_backup.backup_folder(db.path)
    backups = list_backups(db.path)
    newest = f"{backups[0].when_text} ({backups[0].kind_label.lower()})" if backups else "None yet"
    return StorageFacts(
        kind="SQLite file on this computer", location=str(db.path), encryption=encryption,
        permissions=_who_can_read(db.path), backup_folder=str(folder),
        backup_permissions=_who_can_read(folder) if folder.exists() else "Not made yet",
        backups_held=len(backups), newest_backup=newest, transport="")


def pcn_name(session) -> str:
    return session.execute(select(Organisation.name).where(Organisation.kind == OrganisationKind.PCN.value)
                           ).scalars().first() or ""


def _people(session) -> Mapping[int, reference.StaffFacts]:
    """Everyone's plain facts from the one staff read a page makes (`services.reference`), not
    every column of every record as ORM objects: a federation's 10,000 took half a second."""
    return reference.staff(session)


def _role_titles(session) -> dict[str, str]:
    return dict(session.execute(select(Role.code, Role.title)).all())


def _name(person: reference.StaffFacts | None) -> str:
    return display_name(person.given_name, person.family_name, person.preferred_name) if person else ""


def accounts(session, today: date) -> list[AccountRow]:
    people = _people(session)
    rows = []
    for user in session.execute(select(UserAccount).order_by(UserAccount.display_name)).scalars():
        person = people.get(user.staff_id) if user.staff_id else None
        left = person.end_date if person and person.end_date and person.end_date < today else None
        flag = ""
        if leaver_still_active(AccountFacts(user.active, person.end_date if person else None), today):
            flag = f"Still active although {_name(person)} left on {left:%d/%m/%Y}: disable it"
        roles = ", ".join(AccessRole(r).label for r in user.roles if r in AccessRole._value2member_map_)
        rows.append(AccountRow(user.username, user.display_name, roles, user.active, uk_time(user.last_login_at),
                               _name(person), f"{left:%d/%m/%Y}" if left else "", flag))
    return rows


def _account_text(user: UserAccount | None) -> str:
    if user is None:
        return "No account"
    return f"{user.username} ({'active' if user.active else 'disabled'})"


def movements(session, start: date, end: date, today: date) -> list[MovementRow]:
    """Joiners (start date in the period), leavers (last day in the period) and movers (a change of
    role, employer, practices or line manager recorded in the period)."""
    people = _people(session)
    titles = _role_titles(session)
    users = {u.staff_id: u for u in session.execute(select(UserAccount)).scalars() if u.staff_id}
    reasons = dict(session.execute(select(Staff.id, Staff.leaving_reason)
                                   .where(Staff.end_date >= start, Staff.end_date <= end)).all())
    rows: list[MovementRow] = []
    for person in people.values():
        user = users.get(person.id)
        role = titles.get(person.role_code, person.role_code)
        if start <= person.start_date <= end:
            rows.append(MovementRow("Joined", _name(person), role, person.start_date, "", _account_text(user), ""))
        if person.end_date and start <= person.end_date <= end:
            flag = ("Account still active: disable it" if user is not None and
                    leaver_still_active(AccountFacts(user.active, person.end_date), today) else "")
            rows.append(MovementRow("Left", _name(person), role, person.end_date, reasons.get(person.id) or "",
                                    _account_text(user), flag))
    first, after = clock.uk_days(start, end)
    updates = session.execute(
        select(AuditEntry.at, AuditEntry.subject_staff_id, AuditEntry.changes)
        .where(AuditEntry.entity_type == "staff", AuditEntry.action == "update",
               AuditEntry.at >= first, AuditEntry.at < after)
        .order_by(AuditEntry.at)).all()
    for at, staff_id, changes in updates:
        moved = [label for field, label in MOVES.items() if field in (changes or {})]
        person = people.get(staff_id)
        if not moved or person is None:
            continue
        user = users.get(person.id)
        on = uk_day(at)
        flag = "Check the account's roles still fit" if user is not None and user.active else ""
        rows.append(MovementRow("Moved", _name(person), titles.get(person.role_code, person.role_code), on,
                                "Changed " + ", ".join(moved), _account_text(user), flag))
    return sorted(rows, key=lambda r: (r.on, r.kind, r.person.casefold()))


def administrator_actions(session, start: date, end: date) -> tuple[list[AdminActionRow], int]:
    """What accounts did in the period while they held the administrator role (sign-ins counted,
    not listed), and the number of sign-ins by anyone. The role is taken as it was when each thing
    was done, from the account's audited changes: read from today's roles, an administrator whose
    role was later taken away (or who has left) dropped out of the evidence, and someone made an
    administrator yesterday had a year of their ordinary work listed as administrator actions."""
    first, after = clock.uk_days(start, end)
    in_period = (AuditEntry.at >= first, AuditEntry.at < after)
    sign_ins = session.execute(select(func.count()).select_from(AuditEntry)
                               .where(AuditEntry.action == "login", *in_period)).scalar_one()
    held = _administrator_while(session)
    if not held:
        return [], sign_ins
    entries = session.execute(
        select(AuditEntry).where(AuditEntry.user_id.in_(list(held)), AuditEntry.action.not_in(SIGN_INS), *in_period)
        .order_by(AuditEntry.at, AuditEntry.id)).scalars()
    return [AdminActionRow(uk_time(e.at), e.actor_name, ACTION_LABELS.get(e.action, e.action), e.summary)
            for e in entries if held[e.user_id](e.id)], sign_ins


def _administrator_while(session):
    """For each account that holds or ever held the administrator role, whether it held it when a
    given audit entry was written: the roles its audited changes gave it last before that entry (or,
    before its first recorded change, the roles that change replaced; with no change recorded, its
    roles now). Entries are placed by their number, which follows the order they were written in
    (two can share a time to the microsecond)."""
    admin = AccessRole.ADMINISTRATOR.value
    now = {u.id: admin in (u.roles or []) for u in session.execute(select(UserAccount)).scalars()}
    changes: dict[int, list[tuple[int, bool, bool]]] = {}  # user -> (entry number, admin before, admin after)
    for number, entity_id, change in session.execute(
            select(AuditEntry.id, AuditEntry.entity_id, AuditEntry.changes)
            .where(AuditEntry.entity_type == "user").order_by(AuditEntry.id)):
        pair = (change or {}).get("roles")
        if isinstance(pair, list) and len(pair) == 2 and str(entity_id).isdigit():
            before, after = (admin in (roles or []) for roles in pair)
            changes.setdefault(int(entity_id), []).append((number, before, after))

    def holding(user_id: int):
        history = changes.get(user_id, [])

        def at(entry: int) -> bool:
            last = [after for number, _before, after in history if number < entry]
            if last:
                return last[-1]
            return history[0][1] if history else now.get(user_id, False)
        return at

    return {user_id: holding(user_id) for user_id in now.keys() | changes.keys()
            if now.get(user_id) or any(after or before for _number, before, after in changes.get(user_id, ()))}


def _value(changes: dict, key: str, default=None):
    pair = (changes or {}).get(key)
    return pair[1] if isinstance(pair, list) and len(pair) == 2 else default


def restore_tests(session) -> list[RestoreTestRow]:
    """Every restore test ever recorded, newest first: evidence that backups can be put back."""
    entries = session.execute(
        select(AuditEntry).where(AuditEntry.action.in_((RESTORE_TEST_PASSED, RESTORE_TEST_FAILED)))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())).scalars()
    return [RestoreTestRow(uk_time(e.at), e.actor_name, str(_value(e.changes, "backup", "")),
                           e.action == RESTORE_TEST_PASSED, e.summary) for e in entries]


def last_restore_test(session) -> datetime | None:
    """When a restore test last passed (a failed one does not count as tested)."""
    return session.execute(select(AuditEntry.at).where(AuditEntry.action == RESTORE_TEST_PASSED)
                           .order_by(AuditEntry.at.desc()).limit(1)).scalar()


def reviews(session) -> list[ReviewRow]:
    entries = session.execute(select(AuditEntry).where(AuditEntry.action == ACCESS_REVIEW)
                              .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())).scalars()
    return [ReviewRow(uk_time(e.at), e.actor_name, int(_value(e.changes, "accounts", 0) or 0),
                      str(_value(e.changes, "note", "") or "")) for e in entries]


def last_review(session) -> datetime | None:
    return session.execute(select(AuditEntry.at).where(AuditEntry.action == ACCESS_REVIEW)
                           .order_by(AuditEntry.at.desc()).limit(1)).scalar()
