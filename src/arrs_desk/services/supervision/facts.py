"""What the supervision rules need to know, gathered in a handful of queries whatever the PCN's size.

Every read of the matrix, a person's page, the deployment report and the calendar starts here:
the people, their arrangements (as plain rows, with the recorded line manager standing in where
no line-management arrangement names anyone), the latest session per person and type, and the
catalogue with the PCN's own expected frequencies laid over it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import NamedTuple

from sqlalchemy import func, select
from sqlmodel import Session

from arrs_desk.domain import staff as staff_rules
from arrs_desk.domain.staff import StaffStatus
from arrs_desk.domain.supervision import (
    Frequency,
    RoleRequirement,
    SupervisionCatalogue,
    builtin_supervision_catalogue,
    due_soon_days,
    rule_changes,
    with_overrides,
)
from arrs_desk.services import reference
from arrs_desk.services.raw_rows import Days, as_stored, plain_rows
from arrs_desk.store.models import (
    ExternalPerson, Staff, SupervisionArrangement, SupervisionAttendance, SupervisionRequirement,
)

DUE_SOON_KEY = "supervision.due_soon_days"
"""The setting that holds the PCN's "due soon" window, in days."""

LINE_MANAGEMENT = "line-management"
"""The supervision type whose supervisor is the line manager on the staff record."""


class LineManagerArrangement(NamedTuple):
    """The line manager on the staff record, standing as the person's line-management arrangement.

    Who manages whom has one source of truth, the staff record (issue 15): when no line-management
    arrangement names anyone, the recorded line manager holds the reviews, so the supervision page
    no longer says "No supervisor named" for someone whose manager is recorded. It has no id: it
    is changed by changing the line manager on the staff record.
    """

    staff_id: int
    supervisor_staff_id: int
    start_date: date
    end_date: date | None
    id: None = None
    version: int = 0
    type_code: str = LINE_MANAGEMENT
    supervisor_external_id: None = None
    frequency_code: str = ""
    notes: str = "The line manager on the staff record."
    agreement_sha256: str = ""
    agreement_filename: str = ""
    agreement_size: None = None


class ArrangementFacts(NamedTuple):
    """A supervision arrangement as the rules read it: a plain tuple (the matrix reads tens of
    thousands), its dates parsed from text like `services.reference` does. Its notes and agreement
    are left empty when a read gathers no details (`gather_facts`)."""

    id: int
    version: int
    staff_id: int
    type_code: str
    supervisor_staff_id: int | None
    supervisor_external_id: int | None
    frequency_code: str
    start_date: date
    end_date: date | None
    notes: str = ""
    agreement_sha256: str = ""
    agreement_filename: str = ""
    agreement_size: int | None = None


DETAILS = (SupervisionArrangement.notes, SupervisionArrangement.agreement_sha256,
           SupervisionArrangement.agreement_filename, SupervisionArrangement.agreement_size)
"""The columns of an arrangement only its own row shows (`compliance.arrangement_rows`), not the matrix."""


def add_line_manager_arrangements(arrangements: dict[int, list], people: Iterable[Person], today: date) -> None:
    """The recorded line manager as the arrangement of those of `people` whose own line-management
    arrangements have all ended: who has a live one found in one pass over the arrangements."""
    covered = {a.staff_id for rows in arrangements.values() for a in rows
               if a.type_code == LINE_MANAGEMENT and (a.end_date is None or a.end_date >= today)}
    for person in people:
        if person.line_manager_id is not None and person.id not in covered:
            arrangements.setdefault(person.id, []).append(
                LineManagerArrangement(person.id, person.line_manager_id, person.start_date, person.end_date))


@dataclass(slots=True)
class Person:
    """A member of staff as the rules see them: supervisee, supervisor or line manager."""

    id: int
    name: str
    role_code: str
    start_date: date
    end_date: date | None
    status: str
    line_manager_id: int | None

    def active_on(self, day: date) -> bool:
        """Not left by `day` (`domain.staff.effective_status`): a starter counts before they start."""
        return staff_rules.effective_status(self.status, self.start_date, self.end_date, day) is not StaffStatus.LEFT


NO_SESSIONS: Mapping[str, date] = MappingProxyType({})
"""`Facts.latest` for someone who has had no session (read only: it is shared)."""

NO_RULE: tuple[bool, Frequency | None] = (False, None)
"""`Facts.rule`'s answer for a type the catalogue has no rule for: optional, nothing expected."""


@dataclass(slots=True)
class Facts:
    """What one read gathers for the compliance rules: people, arrangements, latest sessions."""

    catalogue: SupervisionCatalogue
    due_soon: int
    people: dict[int, Person]
    externals: dict[int, ExternalPerson]
    arrangements: dict[int, list]
    """staff id -> arrangement rows (id, version, staff_id, type_code, supervisor ids, dates, ...)."""
    latest: dict[int, dict[str, date]]
    """staff id -> type -> the day of their latest session of it (none held: not in the dict): by
    person, so a matrix row finds in one look-up whether there is anything to work out."""
    rules: dict[tuple[str, str], RoleRequirement | None] = field(default_factory=dict)
    """(type, role) -> the catalogue's rule, looked up once per read: a thousand people share a
    few dozen roles."""
    answers: dict[tuple[str, str, int], tuple[bool, Frequency | None]] = field(default_factory=dict)
    """(type, role, months in post) -> `rule`'s answer: the people of one read share a few thousand."""
    details: bool = True
    """Whether the arrangements carry their notes and agreements (`gather_facts`)."""
    role_rules: dict[tuple[str, int], dict[str, tuple[bool, Frequency | None]]] = field(default_factory=dict)
    """(role, `stage`) -> `rules_for`'s answer for every type."""
    changes: dict[str, tuple[int, ...]] = field(default_factory=dict)
    """role -> the months in post at which its rules change (`domain.supervision.rule_changes`)."""
    statuses: Mapping[int, StaffStatus] = field(default_factory=dict)
    """staff id -> their status on the read's day (`domain.staff.effective_status`), for everyone in
    `people`: the matrix asks it of every person and of every arrangement's supervisor."""

    def rule(self, type_code: str, role_code: str, months: int) -> tuple[bool, Frequency | None]:
        """(required, expected frequency) now; the same answers as `is_required` and
        `expected_frequency`, worked out once per type, role and months in post in a read."""
        answer = self.answers.get((type_code, role_code, months))
        if answer is None:
            answer = self.answers[(type_code, role_code, months)] = self._rule(type_code, role_code, months)
        return answer

    def stage(self, role_code: str, months: int) -> int:
        """Which stretch of time in post, between the months at which the role's rules change
        (`rule_changes`), `months` falls in: in one stage every rule gives the role the same answer."""
        changes = self.changes.get(role_code)
        if changes is None:
            changes = self.changes[role_code] = rule_changes(self.catalogue, role_code)
        return bisect_right(changes, months)

    def rules_for(self, role_code: str, months: int) -> dict[str, tuple[bool, Frequency | None]]:
        """type code -> `rule`'s answer, for every type of the catalogue at once (`NO_RULE` for a type
        it lacks, as `rule` has it): worked out once per role and `stage` in a read, so a person's
        row looks up one dict rather than a rule per type (4,500 people at 5,000 staff share 1,200
        months in post and roles, but only about 50 stages), and everyone in a stage has the same dict."""
        key = (role_code, self.stage(role_code, months))
        found = self.role_rules.get(key)
        if found is None:
            found = self.role_rules[key] = {
                code: self.rule(code, role_code, months) for code in self.catalogue.type_codes}
        return found

    def active(self, staff_id: int | None) -> bool:
        """Whether this member of staff has not left by the read's day (`Person.active_on`); False
        for someone not in `people`."""
        status = self.statuses.get(staff_id)
        return status is not None and status is not StaffStatus.LEFT

    def _rule(self, type_code: str, role_code: str, months: int) -> tuple[bool, Frequency | None]:
        key = (type_code, role_code)
        if key in self.rules:
            found = self.rules[key]
        else:
            found = self.rules[key] = self.catalogue.requirement(type_code, role_code)
        if found is None:
            return False, None
        frequency = found.frequency_at(months)
        return found.required and frequency is not None, frequency


def latest_sessions_query(today: date):
    """The date of each person's latest session of each type, aggregated in the database.

    Grouped on the leading columns of `ix_supervision_attendance_latest`, so SQLite and
    PostgreSQL answer it from the index without reading a single session row.
    """
    return (
        select(SupervisionAttendance.staff_id, SupervisionAttendance.type_code, func.max(SupervisionAttendance.held_on))
        .where(SupervisionAttendance.held_on <= today)
        .group_by(SupervisionAttendance.staff_id, SupervisionAttendance.type_code)
    )


def load_catalogue(session: Session) -> SupervisionCatalogue:
    """The built-in catalogue with the PCN's edited expected frequencies laid over it."""
    builtin = builtin_supervision_catalogue()
    overrides = {}
    for row in session.execute(select(SupervisionRequirement)).scalars():
        steps = tuple((int(m), builtin.frequency(c)) for m, c in row.schedule if builtin.frequency(c) is not None)
        if steps:
            overrides[(row.type_code, row.role_code)] = RoleRequirement(row.required, steps, row.until_month, row.note)
    return with_overrides(builtin, overrides)


def load_due_soon(session: Session) -> int:
    row = reference.setting(session, DUE_SOON_KEY)
    return due_soon_days(row.value if row is not None else None)


def gather_facts(session: Session, today: date, staff_ids: set[int] | None, *, details: bool = True,
                 types: frozenset[str] | None = None) -> Facts:
    """A handful of queries whatever the size of the PCN. The latest session per (person,
    type) is aggregated in the database from the covering index, never loaded row by row,
    and arrangements are read as plain rows rather than ORM objects. Without `details` the
    arrangements' notes and agreements are not read (the matrix shows neither: a third of the
    time the database spends on 13,000 arrangements), and `arrangement_rows` refuses the facts.
    With `types`, only arrangements and sessions of those types are read (the Assurance page's
    check reads clinical supervision alone: a quarter of the arrangements at 5,000 staff)."""
    few = staff_ids is not None and len(staff_ids) <= 500
    wanted = (staff_ids or {-1}) if few else None
    columns = (SupervisionArrangement.id, SupervisionArrangement.version, SupervisionArrangement.staff_id,
               SupervisionArrangement.type_code, SupervisionArrangement.supervisor_staff_id,
               SupervisionArrangement.supervisor_external_id, SupervisionArrangement.frequency_code,
               as_stored(SupervisionArrangement.start_date),
               as_stored(SupervisionArrangement.end_date), *(DETAILS if details else ()))
    arrangement_stmt = select(*columns).order_by(SupervisionArrangement.start_date, SupervisionArrangement.id)
    latest_stmt = latest_sessions_query(today)
    if wanted is not None:
        arrangement_stmt = arrangement_stmt.where(SupervisionArrangement.staff_id.in_(wanted))
        latest_stmt = latest_stmt.where(SupervisionAttendance.staff_id.in_(wanted))
    if types is not None:
        arrangement_stmt = arrangement_stmt.where(SupervisionArrangement.type_code.in_(types))
        latest_stmt = latest_stmt.where(SupervisionAttendance.type_code.in_(types))
    arrangements: dict[int, list] = {}
    days = Days()  # 13,000 arrangements at 5,000 staff start and end on a few hundred days
    # Plain rows, without the ORM's result handling, fetched at once (`raw_rows.plain_rows`).
    for row in plain_rows(session, arrangement_stmt):
        arrangements.setdefault(row[2], []).append(ArrangementFacts(
            *row[:7], days[row[7]], days[row[8]],
            *((row[9] or "", row[10] or "", row[11] or "", row[12]) if details else ())))
    latest: dict[int, dict[str, date]] = {}
    for sid, code, day in plain_rows(session, latest_stmt):
        latest.setdefault(sid, {})[code] = day

    people = _people(session, wanted)
    if wanted is not None:
        others = {a.supervisor_staff_id for rows in arrangements.values() for a in rows if a.supervisor_staff_id}
        others |= {p.line_manager_id for p in people.values() if p.line_manager_id}
        others -= people.keys()
        if others:
            people.update(_people(session, others))
    if types is None or LINE_MANAGEMENT in types:
        add_line_manager_arrangements(
            arrangements, people.values() if wanted is None else [p for p in people.values() if p.id in wanted], today)
    external_ids = {a.supervisor_external_id for rows in arrangements.values() for a in rows if a.supervisor_external_id}
    externals = {e.id: e for e in session.execute(
        select(ExternalPerson).where(ExternalPerson.id.in_(external_ids or {-1}))).scalars()}
    if reference.keeps_reads(session):  # worked out once for the page's reads
        every = reference.statuses(session, today)
        statuses = every if wanted is None else {i: every[i] for i in people}
    else:
        statuses = {p.id: staff_rules.effective_status(p.status, p.start_date, p.end_date, today)
                    for p in people.values()}
    return Facts(load_catalogue(session), load_due_soon(session), people, externals, arrangements, latest,
                 statuses=statuses, details=details)


def _people(session: Session, ids: set[int] | None) -> dict[int, Person]:
    """These people (everyone for None): from the page read's one read of the staff list when there
    is one (`reference.staff`), otherwise only these rows."""
    if ids is None or reference.keeps_reads(session):
        everyone = reference.staff(session)
        chosen = everyone.values() if ids is None else [everyone[i] for i in ids if i in everyone]
        return {p.id: Person(p.id, staff_rules.display_name(p.given_name, p.family_name, p.preferred_name),
                             p.role_code, p.start_date, p.end_date, p.status, p.line_manager_id) for p in chosen}
    stmt = select(Staff.id, Staff.given_name, Staff.family_name, Staff.preferred_name, Staff.role_code,
                  Staff.start_date, Staff.end_date, Staff.status, Staff.line_manager_id).where(Staff.id.in_(ids))
    return {sid: Person(sid, staff_rules.display_name(g, f, p), rc, start, end, status, manager)
            for sid, g, f, p, rc, start, end, status, manager in session.execute(stmt)}


def load_staff(session: Session, staff_ids: set[int]) -> list[Staff]:
    """Read these people into the session's identity map at once, so a batch's later lookups of
    them (names, start dates, the line-management chain) cost no further queries. The identity
    map holds rows weakly: keep the returned list for as long as the batch runs."""
    ids = sorted(staff_ids)
    loaded: list[Staff] = []
    for i in range(0, len(ids), 500):
        loaded += session.execute(select(Staff).where(Staff.id.in_(ids[i:i + 500]))).scalars().all()
    return loaded


def staff_name(session: Session, staff_id: int | None) -> str:
    """A person's name for an audit entry or a message; "?" if they are not on the staff list."""
    person = session.get(Staff, staff_id) if staff_id is not None else None
    return staff_rules.display_name(person.given_name, person.family_name, person.preferred_name) if person else "?"


def supervisor_name(session: Session, staff_id: int | None, external_id: int | None) -> str:
    """A colleague's or an external supervisor's name for an audit entry; "?" if not recorded."""
    if staff_id is not None:
        return staff_name(session, staff_id)
    external = session.get(ExternalPerson, external_id) if external_id is not None else None
    return external.name if external else "?"
