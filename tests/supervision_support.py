"""A small PCN for supervision tests: two practices, two teams with their line managers, a GP
who supervises, and sign-in accounts for each (built by `tests.support.pcn`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from arrs_desk.services.actor import Actor
from arrs_desk.services.staff import StaffInput
from arrs_desk.services.supervision import ArrangementInput, SessionInput
from tests.support.pcn import (  # noqa: F401  (account: for tests)
    ALPHA, BETA, BOGDAN, HELEN, YUSUF, Member, account, build_small_pcn, staff_input,
)

from tests.conftest import TODAY  # noqa: E402, F401  (for the supervision tests)
from tests.date_support import days_ago

STARTED = days_ago(687)
"""When Zoë and the other link workers started: about 22 months before TODAY, so in post over a
year (retained, their first appraisal overdue) but not yet two (a rule changing at month 24)."""


@dataclass
class Team:
    alpha: int
    beta: int
    helen_id: int  # PCN manager: line manager of the link workers
    gp_id: int  # salaried GP: clinical supervisor
    zoe_id: int  # link worker, Helen's team, works at both practices
    peer_ids: list[int]  # four more link workers in Helen's team
    bogdan_id: int  # practice manager at Beta: another team's line manager
    anya_id: int  # health and wellbeing coach in Bogdan's team
    helen: Actor
    gp: Actor
    zoe: Actor
    bogdan: Actor
    admin: Actor


def staff(practice_ids: list[int], *, given: str, family: str, role: str = "SPLW", start: date = STARTED,
          manager_id: int | None = None, status: str = "active") -> StaffInput:
    return staff_input(practice_ids, given=given, family=family, role=role, start=start, manager_id=manager_id,
                       status=status)


TEAM = (
    HELEN, YUSUF,
    Member("zoe", "Zoë", "Ōkubo", STARTED, sites=(0, 1), manager="helen", roles={"staff"}),
    *(Member(key, given, family, STARTED, manager="helen") for key, given, family in (
        ("siobhan", "Siobhán", "Ní Bhriain"), ("jose", "José", "Álvarez"), ("ngozi", "Ngozi", "Okafor"),
        ("mateusz", "Mateusz", "Kowalski"))),
    BOGDAN,
    Member("anya", "Аня", "Петрова", STARTED, role="HWBC", sites=(1,), manager="bogdan"),
)
"""Helen's team of link workers (Zoë at both practices), the GP, and Bogdan's team at Beta."""


def make_team(workspace, system_actor) -> Team:
    pcn = build_small_pcn(workspace, system_actor, practices=(ALPHA, BETA), members=TEAM, admin="PCN Administrator")
    ids, actors = pcn.staff_ids, pcn.actors
    return Team(
        alpha=pcn.practice_ids[0], beta=pcn.practice_ids[1], helen_id=ids["helen"], gp_id=ids["yusuf"],
        zoe_id=ids["zoe"], peer_ids=[ids[k] for k in ("siobhan", "jose", "ngozi", "mateusz")],
        bogdan_id=ids["bogdan"], anya_id=ids["anya"],
        helen=actors["helen"], gp=actors["yusuf"], zoe=actors["zoe"], bogdan=actors["bogdan"], admin=actors["admin"],
    )


def arrange(workspace, actor, staff_id: int, *, type_code: str = "clinical", supervisor_id: int | None = None,
            start: date = STARTED, end: date | None = None, frequency: str = ""):
    return workspace.supervision.create_arrangement(actor, data=ArrangementInput(
        staff_id=staff_id, type_code=type_code, supervisor_staff_id=supervisor_id, start_date=start, end_date=end,
        frequency_code=frequency,
    ))


def log(workspace, actor, attendees: list[int], held_on: date, *, type_code: str = "clinical",
        supervisor_id: int | None = None, minutes: int | None = 60, fmt: str | None = None, notes: str | None = None):
    return workspace.supervision.record_session(actor, data=SessionInput(
        type_code=type_code, held_on=held_on, attendee_ids=attendees, supervisor_staff_id=supervisor_id,
        duration_minutes=minutes, format=fmt or ("group" if len(attendees) > 1 else "one-to-one"),
        topics="Case review", actions_agreed="Read the guidance", reflective_notes=notes,
    ))


def cell(workspace, actor, staff_id: int, type_code: str = "clinical"):
    matrix = workspace.supervision.matrix(actor)
    row = next(r for r in matrix.rows if r.staff_id == staff_id)
    return row.cells[[t.code for t in matrix.types].index(type_code)]
