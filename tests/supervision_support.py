"""A small PCN for supervision tests: two practices, two teams with their line managers, a GP
who supervises, and sign-in accounts for each (inserted directly: argon2 would be slow)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from arrs_desk.services.actor import Actor
from arrs_desk.services.staff import StaffInput
from arrs_desk.services.supervision import ArrangementInput, SessionInput
from arrs_desk.store.models import UserAccount

from tests.conftest import TODAY  # noqa: E402
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
    gp = role == "SGP"
    return StaffInput(
        given_name=given, family_name=family, role_code=role, employer_id=practice_ids[0],
        employment_model="practice", start_date=start, practice_ids=practice_ids, line_manager_id=manager_id,
        register_code="GMC-DOCTOR" if gp else "", registration_number="7123456" if gp else "",
        status=status,
    )


def account(workspace, username: str, display_name: str, roles: set[str], staff_id: int | None) -> Actor:
    with workspace.db.write() as session:
        user = UserAccount(username=username, display_name=display_name, roles=sorted(roles), staff_id=staff_id,
                           password_hash="x")
        session.add(user)
        session.flush()
        return Actor(user.id, username, display_name, frozenset(roles), staff_id)


def make_team(workspace, system_actor) -> Team:
    orgs = workspace.organisations
    orgs.create(system_actor, kind="pcn", name="Test PCN", ods_code="U11111")
    alpha = orgs.create(system_actor, kind="practice", name="Alpha Surgery", ods_code="A11111").id
    beta = orgs.create(system_actor, kind="practice", name="Beta Health Centre", ods_code="B22222").id
    create = workspace.staff.create
    helen = create(system_actor, staff([alpha], given="Helen", family="Whitfield", role="PCNM", start=date(2019, 4, 1))).id
    gp = create(system_actor, staff([alpha], given="Yusuf", family="Raghunathan", role="SGP", start=date(2015, 9, 1))).id
    zoe = create(system_actor, staff([alpha, beta], given="Zoë", family="Ōkubo", manager_id=helen)).id
    peers = [create(system_actor, staff([alpha], given=g, family=f, manager_id=helen)).id
             for g, f in (("Siobhán", "Ní Bhriain"), ("José", "Álvarez"), ("Ngozi", "Okafor"), ("Mateusz", "Kowalski"))]
    bogdan = create(system_actor, staff([beta], given="Bogdan", family="Popescu", role="PM", start=date(2018, 1, 8))).id
    anya = create(system_actor, staff([beta], given="Аня", family="Петрова", role="HWBC", manager_id=bogdan)).id
    return Team(
        alpha=alpha, beta=beta, helen_id=helen, gp_id=gp, zoe_id=zoe, peer_ids=peers, bogdan_id=bogdan, anya_id=anya,
        helen=account(workspace, "helen", "Helen Whitfield", {"line_manager"}, helen),
        gp=account(workspace, "yusuf", "Yusuf Raghunathan", {"supervisor"}, gp),
        zoe=account(workspace, "zoe", "Zoë Ōkubo", {"staff"}, zoe),
        bogdan=account(workspace, "bogdan", "Bogdan Popescu", {"line_manager"}, bogdan),
        admin=account(workspace, "admin", "PCN Administrator", {"administrator"}, None),
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
