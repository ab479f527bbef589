"""Taking a person's records out of the database: the summary the Code keeps, or nothing that
names them (issue 20 item 2). Called by `RecordsRetentionService` inside its one transaction.

What goes is found from the schema, not listed by hand, so a table added later is covered:
every table with a `staff_id` that belongs to the person is theirs (their checklist, sessions
attended, reviews, programmes, impact notes...), and whatever hangs off those rows by a foreign
key goes with them (a nullable reference from someone else's row is cleared instead). What is
kept, and why:

- the staff row itself, reduced (a summary keeps name, dates of employment, role, employer,
  practices and reason for leaving; anonymising replaces the name too), so other people's
  records that mention them as supervisor or manager still hold together and the retention
  statistics (who stayed how long in which role) still add up;
- the anonymous check-in tables: who answered which check-in (months in post) and the waiting
  batches hold no answers by name and no content; removing a waiting person would let a batch be
  released with fewer than five different people, so the counts would no longer add up;
- the audit trail's entries about them, reduced to what happened, when and by whom, with no
  content ("erasure" of audit content: see `reduce_audit`).

Anonymising also replaces every written form of their name, e-mail, user name and registration
number in every text and JSON column of every table (notes others wrote, audit summaries), since
"no table holds their name" is the test. Replacing a bare family or given name is not attempted:
it would rewrite other people who share it. A form is replaced only where it stands as a whole
(`form_pattern`): an employee number "2019" turned every "2019" in other people's notes and dates
into the erased name, and a user name "admin" every "administrator".
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from contextlib import nullcontext
from typing import Any

from sqlalchemy import JSON, String, Table, and_, cast, delete, func, or_, select, update
from sqlalchemy import Text as SaText
from sqlalchemy.types import TypeDecorator
from sqlmodel import Session, SQLModel

from arrs_desk.store.audit_guard import SQLITE_TRIGGERS
from arrs_desk.store.models import AuditEntry, Staff, UserAccount

KEPT_TABLES = frozenset({"staff", "staff_practice", "checkin_completion", "checkin_pending_person", "retention_hold",
                         "user_account", "audit_entry", "destruction_log"})
"""Tables with a person's `staff_id` whose rows are kept (reduced where they hold content)."""

SKIPPED_IN_SCRUB = frozenset({"alembic_version"})
KEPT_IN_SCRUB = frozenset({("user_account", "username"), ("user_account", "roles")})
"""Columns that are how other people sign in and what they may do, not text quoting the person:
the person's own accounts are renamed by `reduce_staff`. Scrubbed, a username "admin" turned every
"administrator" role and "new.admin" username into "Erased person N"."""

AUDIT_REDUCED = "Details removed under the records retention schedule"
"""What an audit entry about an erased record says instead of its summary."""


def erased_name(staff_id: int) -> str:
    return f"Erased person {staff_id}"


def _tables() -> list[Table]:
    return list(SQLModel.metadata.sorted_tables)


def _label(table: Table) -> str:
    return table.name.replace("_", " ")


def owned_tables() -> list[Table]:
    """Tables whose rows with the person's `staff_id` are their records and go."""
    found = []
    for table in _tables():
        column = table.columns.get("staff_id")
        if column is None or table.name in KEPT_TABLES:
            continue
        if any(fk.column.table.name == "staff" for fk in column.foreign_keys):
            found.append(table)
    return found


def count_records(session: Session, staff_id: int) -> dict[str, int]:
    """{class of record: rows} that erasing this person would remove (their own rows only;
    rows hanging off them go too and are counted when it happens)."""
    counts: dict[str, int] = {}
    for table in owned_tables():
        n = session.execute(select(func.count()).select_from(table).where(table.c.staff_id == staff_id)).scalar()
        if n:
            counts[_label(table)] = n
    return counts


def delete_owned(session: Session, staff_id: int) -> tuple[Counter, set[str]]:
    """Delete the person's rows and everything hanging off them. Returns ({class: rows removed},
    the SHA-256 digests of evidence files those rows pointed at)."""
    removed: Counter = Counter()
    digests: set[str] = set()
    for table in owned_tables():
        _delete(session, table, table.c.staff_id == staff_id, removed, digests)
    return removed, digests


def delete_record(session: Session, table_name: str, record_id: int) -> tuple[Counter, set[str]]:
    """Delete one row (a training record) and everything hanging off it."""
    removed: Counter = Counter()
    digests: set[str] = set()
    table = SQLModel.metadata.tables[table_name]
    _delete(session, table, table.c.id == record_id, removed, digests)
    return removed, digests


def _delete(session: Session, table: Table, where, removed: Counter, digests: set[str]) -> None:
    pk = list(table.primary_key.columns)
    rows = session.execute(select(table).where(where)).mappings().all()
    if not rows:
        return
    for row in rows:
        for name, value in row.items():
            if name.endswith("sha256") and isinstance(value, str) and value:
                digests.add(value)
    for child in _tables():
        for fk in child.foreign_keys:
            if fk.column.table is not table:
                continue
            referenced = {row[fk.column.name] for row in rows if row[fk.column.name] is not None}
            if not referenced:
                continue
            match = fk.parent.in_(referenced)
            if fk.parent.nullable and not fk.parent.primary_key and child.name not in {t.name for t in owned_tables()}:
                session.execute(update(child).where(match).values({fk.parent.name: None}))
            else:
                _delete(session, child, match, removed, digests)
    keys = [tuple(row[c.name] for c in pk) for row in rows]
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        condition = or_(*(and_(*(c == v for c, v in zip(pk, key))) for key in chunk))
        session.execute(delete(table).where(condition))
    removed[_label(table)] += len(rows)


def digests_in_use(session: Session, digests: Iterable[str]) -> set[str]:
    """Which of these evidence digests some remaining row still points at (files are shared by content)."""
    wanted = set(digests)
    used: set[str] = set()
    if not wanted:
        return used
    for table in _tables():
        for column in table.columns:
            if column.name.endswith("sha256"):
                used.update(v for (v,) in session.execute(select(column).where(column.in_(wanted))).all())
    return used


# ------------------------------------------------------------------------ the audit trail
def reduce_audit(session: Session, staff_id: int | None, dialect: str, *, entity: tuple[str, str] | None = None) -> int:
    """Entries about the person keep when, who, what kind of action and on what, and lose their
    summary and recorded changes. The trail is append-only (triggers refuse UPDATE); erasure is
    the one change the law requires of it, so the trigger is lifted for this statement inside
    the same transaction and restored before it commits. Returns the entries reduced."""
    which = (AuditEntry.subject_staff_id == staff_id if entity is None else
             and_(AuditEntry.entity_type == entity[0], AuditEntry.entity_id == entity[1]))
    with _audit_writable(session, dialect):
        result = session.execute(update(AuditEntry).where(which)
                                 .values(summary=AUDIT_REDUCED, changes={"reduced": True}))
    return result.rowcount or 0


class _audit_writable:
    _SQLITE = SQLITE_TRIGGERS["audit_entry_no_update"]  # put back exactly as the guard on opening expects it

    def __init__(self, session: Session, dialect: str):
        self.session, self.dialect = session, dialect

    def __enter__(self):
        conn = self.session.connection()
        if self.dialect == "sqlite":
            conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_entry_no_update")
        else:
            conn.exec_driver_sql("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only")
        return self

    def __exit__(self, *exc):
        conn = self.session.connection()
        if self.dialect == "sqlite":
            conn.exec_driver_sql(self._SQLITE)
        else:
            conn.exec_driver_sql("ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_append_only")
        return False


# ------------------------------------------------------------------------ the staff row
def reduce_staff(session: Session, person: Staff, *, anonymise: bool) -> None:
    """The summary the Code keeps: name, dates, role, employer, practices, reason for leaving.
    Anonymising drops the name and pay band too."""
    person.email = ""
    person.registration_number = ""
    person.register_code = ""
    person.registration_renewal = None
    person.employee_number = None
    person.line_manager_id = None
    person.hours_per_week = None
    if anonymise:
        person.title = ""
        person.given_name = "Erased"
        person.family_name = f"person {person.id}"
        person.preferred_name = ""
        person.afc_band = ""
    person.version += 1
    session.add(person)
    for account in session.execute(select(UserAccount).where(UserAccount.staff_id == person.id)).scalars():
        account.active = False
        account.password_hash = ""
        account.roles = []
        if anonymise:
            account.username = f"erased-{account.id}"
            account.display_name = erased_name(person.id)
        account.version += 1
        session.add(account)


def name_forms(person: Staff, accounts: Iterable[UserAccount]) -> list[str]:
    """Every written form of who the person is that another row could quote, longest first. A number
    of fewer than six digits (an employee number "2019") is left out: in text it cannot be told from a
    year, a count or part of a date, and their own row holds it no longer (`reduce_staff`)."""
    given, family, preferred, title = (person.given_name.strip(), person.family_name.strip(),
                                       person.preferred_name.strip(), person.title.strip())
    forms = {f"{given} {family}", f"{family}, {given}", f"{family} {given}"}
    if preferred:
        forms |= {f"{preferred} {family}"}
    if title:
        forms |= {f"{title} {given} {family}", f"{title} {family}"}
    forms |= {person.email.strip(), person.registration_number.strip(), (person.employee_number or "").strip()}
    for account in accounts:
        forms |= {account.username.strip(), account.display_name.strip()}
    return sorted((f for f in forms if len(f) >= 4 and not (f.isdigit() and len(f) < 6)), key=len, reverse=True)


def form_pattern(forms: list[str]) -> re.Pattern:
    """Any of the forms standing as a whole: not run on from a letter or digit either side, so
    "Sam Okonkwo's note" loses the name and "Sam Okonkwoson" or "administrator" keep theirs. The
    forms are tried longest first, so an e-mail address goes whole rather than the user name it
    begins with."""
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(f) for f in forms) + r")(?!\w)")


def scrub_names(session: Session, forms: list[str], replacement: str, dialect: str) -> int:
    """Replace each form in every text and JSON column of every table. Returns cells changed."""
    if not forms:
        return 0
    pattern = form_pattern(forms)
    changed = 0
    for table in _tables():
        if table.name in SKIPPED_IN_SCRUB:
            continue
        with _audit_writable(session, dialect) if table.name == "audit_entry" else nullcontext():
            changed += _scrub_table(session, table, forms, pattern, replacement)
    return changed


def _scrub_table(session: Session, table: Table, forms: list[str], pattern: re.Pattern, replacement: str) -> int:
    changed = 0
    pk = list(table.primary_key.columns)
    for column in table.columns:
        if column.primary_key or column.foreign_keys or (table.name, column.name) in KEPT_IN_SCRUB:
            continue
        kind = column.type.impl if isinstance(column.type, TypeDecorator) else column.type  # AutoString
        if isinstance(kind, JSON):
            patterns = set()
            for form in forms:
                patterns |= {form, json.dumps(form)[1:-1]}  # as written, and as JSON escapes non-ASCII letters
            changed += _scrub_rows(session, table, pk, column, cast(column, SaText), patterns, pattern, replacement)
        elif isinstance(kind, (String, SaText)):
            changed += _scrub_rows(session, table, pk, column, column, forms, pattern, replacement)
    return changed


def _scrub_rows(session: Session, table: Table, pk, column, as_text, candidates, pattern: re.Pattern,
                replacement: str) -> int:
    """The rows whose column holds any candidate text somewhere (the database finds them), each with
    the forms standing as a whole replaced (decided here, as SQL's LIKE cannot see word edges)."""
    rows = session.execute(select(*pk, column).where(or_(*(as_text.contains(p, autoescape=True)
                                                          for p in candidates)))).all()
    changed = 0
    for row in rows:
        value = _replace_in(row[-1], pattern, replacement)
        if value != row[-1]:
            where = and_(*(c == v for c, v in zip(pk, row[:-1])))
            session.execute(update(table).where(where).values({column.name: value}))
            changed += 1
    return changed


def _replace_in(value: Any, pattern: re.Pattern, replacement: str) -> Any:
    if isinstance(value, str):
        return pattern.sub(lambda _match: replacement, value)
    if isinstance(value, list):
        return [_replace_in(v, pattern, replacement) for v in value]
    if isinstance(value, dict):
        return {_replace_in(k, pattern, replacement): _replace_in(v, pattern, replacement) for k, v in value.items()}
    return value
