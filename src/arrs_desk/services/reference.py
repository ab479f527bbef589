"""The small tables nearly every page's reads need, read once per session: practice names, who
works at which practice, and the roles.

A page reads through one session (`Workspace.read_at_once`), and the supervision matrix, the
programme overview, the reviews and the contract checks it asks for each want these: on a
PostgreSQL server across sites every repeat is a round trip. Kept in the session's `info`, so gone
with it, and only for sessions opened for reading (`Database.read`), where nothing changes them.
What they return is shared by every caller in the session: read it, do not change it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple, TypeVar

from sqlalchemy import select
from sqlmodel import Session

from arrs_desk.store.models import Organisation, Role, StaffPractice

T = TypeVar("T")


class RoleFacts(NamedTuple):
    title: str
    arrs: bool
    clinical: bool
    registration_required: bool


def _once(session: Session, key: str, read: Callable[[], T]) -> T:
    if not session.info.get("reading"):
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


def roles(session: Session) -> dict[str, RoleFacts]:
    """Every role's title, whether it is an ARRS role, whether it is clinical and whether it needs
    a professional registration, by code."""
    return _once(session, "roles", lambda: {
        code: RoleFacts(title, arrs, clinical, registration_required)
        for code, title, arrs, clinical, registration_required in session.execute(
            select(Role.code, Role.title, Role.arrs, Role.clinical, Role.registration_required))})
