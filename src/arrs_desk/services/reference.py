"""The tables nearly every page's reads need, read once per session: practice names, who works at
which practice, the roles, and the staff list's plain facts.

A page reads through one session (`Workspace.read_at_once`), and the supervision matrix, the
programme overview, the reviews and the contract checks it asks for each want these: on a
PostgreSQL server across sites every repeat is a round trip. Kept in the session's `info`, so gone
with it, and only for sessions opened for reading (`Database.read`), where nothing changes them.
What they return is shared by every caller in the session: read it, do not change it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from datetime import date
from types import MappingProxyType
from typing import NamedTuple, TypeVar

from sqlalchemy import ColumnElement, or_, select
from sqlmodel import Session

from arrs_desk.domain.staff import NOT_IN_POST, StaffStatus, effective_status
from arrs_desk.services.raw_rows import Days, as_stored, plain_rows
from arrs_desk.store.models import Organisation, Role, Setting, Staff, StaffPractice

T = TypeVar("T")


class RoleFacts(NamedTuple):
    title: str
    arrs: bool
    clinical: bool
    registration_required: bool


class StaffFacts(NamedTuple):
    """One member of staff as the overview pages read them: no notes, contact details or HR numbers."""

    id: int
    given_name: str
    family_name: str
    preferred_name: str
    role_code: str
    employment_model: str
    start_date: date
    end_date: date | None
    status: str
    registration_number: str
    register_code: str
    registration_renewal: date | None
    line_manager_id: int | None


class SettingFacts(NamedTuple):
    value: object
    version: int


def keeps_reads(session: Session) -> bool:
    """Whether this session keeps what these functions read (a session opened for reading, where
    nothing changes them): then one read of everyone serves every later question in it."""
    return bool(session.info.get("reading"))


def _once(session: Session, key: str, read: Callable[[], T]) -> T:
    if not keeps_reads(session):
        return read()
    found = session.info.get(key)
    if found is None:
        found = session.info[key] = read()
    return found


def practice_names(session: Session) -> dict[int, str]:
    """Every organisation's name by id."""
    return _once(session, "practice_names",
                 lambda: dict(session.execute(select(Organisation.id, Organisation.name)).all()))


def practices_by_staff(session: Session) -> dict[int, tuple[int, ...]]:
    """The organisations each member of staff works at, in the order they were recorded."""

    def read() -> dict[int, tuple[int, ...]]:
        found: dict[int, list[int]] = {}
        for staff_id, org_id in session.execute(select(StaffPractice.staff_id, StaffPractice.organisation_id)):
            found.setdefault(staff_id, []).append(org_id)
        return {staff_id: tuple(orgs) for staff_id, orgs in found.items()}

    return _once(session, "practices_by_staff", read)


FEW_PEOPLE = 50
"""Up to this many people, `practices_of` asks for theirs alone rather than the whole PCN's."""


def practices_of(session: Session, staff_ids: Collection[int]) -> dict[int, tuple[int, ...]]:
    """The organisations each of these people works at: from the whole PCN's links when this
    session holds them already (a page read), else, for a few people, only theirs. A save or one
    record's window asks about a person or two, and the whole PCN's links are 15,000 rows at
    10,000 staff: a round trip either way across sites, but not the same wait."""
    if "practices_by_staff" not in session.info and len(staff_ids) <= FEW_PEOPLE:
        found: dict[int, list[int]] = {}
        for staff_id, org_id in session.execute(select(StaffPractice.staff_id, StaffPractice.organisation_id)
                                                .where(StaffPractice.staff_id.in_(staff_ids))):
            found.setdefault(staff_id, []).append(org_id)
        return {staff_id: tuple(orgs) for staff_id, orgs in found.items()}
    everyone = practices_by_staff(session)
    return {staff_id: everyone[staff_id] for staff_id in staff_ids if staff_id in everyone}


def roles(session: Session) -> dict[str, RoleFacts]:
    """Every role's title, whether it is an ARRS role, whether it is clinical and whether it needs
    a professional registration, by code."""
    return _once(session, "roles", lambda: {
        code: RoleFacts(title, arrs, clinical, registration_required)
        for code, title, arrs, clinical, registration_required in session.execute(
            select(Role.code, Role.title, Role.arrs, Role.clinical, Role.registration_required))})


def staff(session: Session) -> Mapping[int, StaffFacts]:
    """Everyone on the staff list, by id in id order, whatever their status: each page's reads
    (supervision, training, revalidation, reviews, check-ins, the contract checks) pick whom they
    count from this one read instead of asking the database again with their own columns."""

    def read() -> Mapping[int, StaffFacts]:
        # Dates read as text on SQLite and parsed by date.fromisoformat, far faster than SQLAlchemy's
        # Date type for thousands of rows; PostgreSQL's driver hands over dates already.
        as_text = [as_stored(c) for c in (Staff.start_date, Staff.end_date, Staff.registration_renewal)]
        stmt = select(Staff.id, Staff.given_name, Staff.family_name, Staff.preferred_name, Staff.role_code,
                      Staff.employment_model, as_text[0], as_text[1], Staff.status, Staff.registration_number,
                      Staff.register_code, as_text[2], Staff.line_manager_id).order_by(Staff.id)
        day = Days()  # 5,000 people's three dates fall on a few thousand days: each made a date once
        return MappingProxyType({
            i: StaffFacts(i, given, family, preferred or "", role, model, day[start], day[end], status,
                          number or "", register or "", day[renewal], manager)
            for i, given, family, preferred, role, model, start, end, status, number, register, renewal, manager
            in plain_rows(session, stmt)})

    return _once(session, "staff", read)


def statuses(session: Session, today: date) -> Mapping[int, StaffStatus]:
    """Everyone's status on `today` (`domain.staff.effective_status`), from `staff`: the page's
    reads each ask who is in post, and asking the rule once per person per read cost Home's read
    tens of thousands of calls at 5,000 staff."""
    return _once(session, f"statuses {today.isoformat()}", lambda: MappingProxyType({
        p.id: effective_status(p.status, p.start_date, p.end_date, today) for p in staff(session).values()}))


def in_post_ids(session: Session, today: date) -> frozenset[int]:
    """Who is in post on `today` (`domain.staff.in_post`), from `statuses`."""
    return _once(session, f"in post {today.isoformat()}", lambda: frozenset(
        staff_id for staff_id, status in statuses(session, today).items() if status not in NOT_IN_POST))


def not_left_where(today: date) -> tuple[ColumnElement[bool], ...]:
    """Where clauses for the staff not left by `today` (pre-start included), as
    `domain.staff.effective_status` decides it: not saved as Left, and no end date passed."""
    return (Staff.status != StaffStatus.LEFT.value, or_(Staff.end_date.is_(None), Staff.end_date >= today))


def in_post_where(today: date) -> tuple[ColumnElement[bool], ...]:
    """Where clauses for the staff in post on `today`, as `domain.staff.in_post` decides it:
    not left, and started (a Pre-start whose start date has come is in post)."""
    return (*not_left_where(today), Staff.start_date <= today)


def setting(session: Session, key: str) -> SettingFacts | None:
    """One setting's value and version, or None where it was never set. Every setting is read at
    once the first time a reading session asks for any (a few small rows): a page's reads ask for
    several (how soon supervision is due, the check-in schedule, single- or multi-user)."""
    every = _once(session, "settings", lambda: {
        key_: SettingFacts(value, version)
        for key_, value, version in session.execute(select(Setting.key, Setting.value, Setting.version))})
    return every.get(key)


def line_managers(session: Session) -> Mapping[int, int | None]:
    """Each member of staff's line manager (None for none): who is in whose team. Taken from the
    session's one staff read when reading; otherwise (a save checking its permissions) its own
    two-column read."""
    if keeps_reads(session):
        return _once(session, "line_managers", lambda: MappingProxyType(
            {p.id: p.line_manager_id for p in staff(session).values()}))
    return dict(session.execute(select(Staff.id, Staff.line_manager_id)).all())
