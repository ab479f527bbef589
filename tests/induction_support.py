"""A small team for induction tests: a PCN, a practice, a line manager, a new paramedic and a
new link worker who is not in the manager's team, with sign-in accounts (built by
`tests.support.pcn`)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from arrs_desk.services.actor import Actor
from arrs_desk.services.staff import StaffInput
from tests.support.pcn import HELEN, Member, account, build_small_pcn, staff_input  # noqa: F401  (account: for tests)

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
    return staff_input([practice_id], given=given, family=family, role=role, start=start, status=status,
                       manager_id=manager_id, number=number, email=email)


def make_team(workspace, system_actor, *, start: date = STARTED) -> Team:
    pcn = build_small_pcn(workspace, system_actor, admin="Practice Administrator", members=(
        replace(HELEN, roles={"line_manager", "staff"}),
        Member("zoe", "Zoë", "Ōkubo", start, role="PARA", manager="helen", status="induction", roles={"staff"}),
        Member("anya", "Аня", "Петрова", start, role="SPLW", status="induction", roles={"staff"}),
    ))
    ids, actors = pcn.staff_ids, pcn.actors
    return Team(
        practice_id=pcn.practice_ids[0], manager_id=ids["helen"], starter_id=ids["zoe"], bystander_id=ids["anya"],
        manager=actors["helen"], starter=actors["zoe"], bystander=actors["anya"], admin=actors["admin"],
    )


def item(view, key: str):
    return next(i for i in view.items if i.key == key)
