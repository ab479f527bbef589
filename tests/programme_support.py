"""A small PCN for programme tests: a paramedic and a pharmacist in Helen's team, a GP who
assesses, a second GP who does not, and accounts for each (inserted directly: argon2 is slow)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from arrs_desk.services.actor import Actor
from arrs_desk.services.programmes import EnrolmentInput
from arrs_desk.services.staff import StaffInput
from tests.supervision_support import account

from tests.conftest import TODAY  # noqa: E402
START = TODAY - timedelta(days=78)
"""Eleven whole weeks and a day before TODAY: a 12-week programme with its last week to run."""


@dataclass
class Pcn:
    practice: int
    helen_id: int  # PCN manager: line manager of the learners
    gp_id: int  # the named assessor and preceptor
    other_gp_id: int  # a GP supervisor who is not named on the programme
    zoe_id: int  # paramedic, Helen's team
    anya_id: int  # clinical pharmacist, Helen's team
    helen: Actor
    gp: Actor
    other_gp: Actor
    zoe: Actor
    admin: Actor


def person(practice: int, *, given: str, family: str, role: str, start: date, manager_id: int | None = None,
           number: str = "") -> StaffInput:
    register = {"SGP": "GMC-DOCTOR", "PARA": "HCPC-PA", "CPH": "GPHC-PHARMACIST"}.get(role, "")
    return StaffInput(given_name=given, family_name=family, role_code=role, employer_id=practice,
                      employment_model="practice", start_date=start, practice_ids=[practice],
                      line_manager_id=manager_id, register_code=register, registration_number=number)


def make_pcn(workspace, system_actor) -> Pcn:
    orgs = workspace.organisations
    orgs.create(system_actor, kind="pcn", name="Riverside Test PCN", ods_code="U22222")
    practice = orgs.create(system_actor, kind="practice", name="Alpha Surgery", ods_code="A22222").id
    create = workspace.staff.create
    helen = create(system_actor, person(practice, given="Helen", family="Whitfield", role="PCNM",
                                        start=date(2019, 4, 1))).id
    gp = create(system_actor, person(practice, given="Yusuf", family="Raghunathan", role="SGP",
                                     start=date(2015, 9, 1), number="7123456")).id
    other = create(system_actor, person(practice, given="Mei", family="Chen", role="SGP", start=date(2016, 9, 1),
                                        number="7123457")).id
    zoe = create(system_actor, person(practice, given="Zoë", family="Ōkubo", role="PARA", start=START - timedelta(days=6),
                                      manager_id=helen, number="PA123456")).id
    anya = create(system_actor, person(practice, given="Аня", family="Петрова", role="CPH", start=TODAY - timedelta(days=323),
                                       manager_id=helen, number="2123456")).id
    return Pcn(
        practice=practice, helen_id=helen, gp_id=gp, other_gp_id=other, zoe_id=zoe, anya_id=anya,
        helen=account(workspace, "helen", "Helen Whitfield", {"line_manager"}, helen),
        gp=account(workspace, "yusuf", "Yusuf Raghunathan", {"supervisor"}, gp),
        other_gp=account(workspace, "mei", "Mei Chen", {"supervisor"}, other),
        zoe=account(workspace, "zoe", "Zoë Ōkubo", {"staff"}, zoe),
        admin=account(workspace, "admin", "PCN Administrator", {"administrator"}, None),
    )


def enrol(workspace, pcn: Pcn, *, staff_id: int | None = None, code: str = "PARA-PC12", start: date = START,
          end: date | None = None, assessor_external_id: int | None = None, actor: Actor | None = None, **extra):
    data = EnrolmentInput(staff_id=staff_id or pcn.zoe_id, programme_code=code, start_date=start, planned_end=end,
                          preceptor_staff_id=pcn.gp_id,
                          assessor_staff_id=None if assessor_external_id else pcn.gp_id,
                          assessor_external_id=assessor_external_id, **extra)
    return workspace.programmes.enrol(actor or pcn.helen, data=data)


def count(workspace, model, *where) -> int:
    with workspace.db.read() as session:
        return session.execute(select(func.count()).select_from(model).where(*where)).scalar()
