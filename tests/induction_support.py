"""A small team for induction tests: a PCN, a practice, a line manager and a new paramedic,
with sign-in accounts (inserted directly: argon2 on every test would be slow)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from arrs_desk.services.actor import Actor
from arrs_desk.services.staff import StaffInput
from arrs_desk.store.models import UserAccount

from tests.conftest import TODAY  # noqa: E402

STARTED = TODAY - timedelta(days=22)
"""The new paramedic's first day, three weeks ago: early items are done or overdue, later ones to come."""


@dataclass
class Team:
    practice_id: int
    manager_id: int
    starter_id: int
    bystander_id: int
    manager: Actor
    starter: Actor
    bystander: Actor
    admin: Actor


def person(practice_id: int, *, given: str, family: str, role: str = "PARA", start: date = STARTED,
           status: str = "induction", manager_id: int | None = None, number: str = "PA123456",
           email: str = "") -> StaffInput:
    registered = role == "PARA"
    return StaffInput(
        given_name=given, family_name=family, role_code=role, employer_id=practice_id, employment_model="practice",
        start_date=start, practice_ids=[practice_id], register_code="HCPC-PA" if registered else "",
        registration_number=number if registered else "", status=status, line_manager_id=manager_id, email=email,
    )


def account(workspace, username: str, display_name: str, roles: set[str], staff_id: int | None) -> Actor:
    with workspace.db.write() as session:
        user = UserAccount(username=username, display_name=display_name, roles=sorted(roles), staff_id=staff_id,
                           password_hash="not-a-real-hash")
        session.add(user)
        session.flush()
        return Actor(user.id, username, display_name, frozenset(roles), staff_id)


def make_team(workspace, system_actor, *, start: date = STARTED) -> Team:
    orgs = workspace.organisations
    orgs.create(system_actor, kind="pcn", name="Test PCN", ods_code="U11111")
    practice = orgs.create(system_actor, kind="practice", name="Alpha Surgery", ods_code="A11111").id
    manager = workspace.staff.create(system_actor, person(practice, given="Helen", family="Whitfield", role="PCNM",
                                                          status="active", start=date(2019, 4, 1))).id
    starter = workspace.staff.create(system_actor, person(practice, given="Zoë", family="Ōkubo", start=start,
                                                          manager_id=manager)).id
    bystander = workspace.staff.create(system_actor, person(practice, given="Аня", family="Петрова", role="SPLW",
                                                            start=start)).id
    return Team(
        practice_id=practice, manager_id=manager, starter_id=starter, bystander_id=bystander,
        manager=account(workspace, "helen", "Helen Whitfield", {"line_manager", "staff"}, manager),
        starter=account(workspace, "zoe", "Zoë Ōkubo", {"staff"}, starter),
        bystander=account(workspace, "anya", "Аня Петрова", {"staff"}, bystander),
        admin=account(workspace, "admin", "Practice Administrator", {"administrator"}, None),
    )


def item(view, key: str):
    return next(i for i in view.items if i.key == key)
