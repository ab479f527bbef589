"""A small PCN for programme tests: a paramedic and a pharmacist in Helen's team, a GP who
assesses, a second GP who does not, and accounts for each (built by `tests.support.pcn`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from arrs_desk.services.actor import Actor
from arrs_desk.services.programmes import EnrolmentInput
from tests.support.pcn import HELEN, YUSUF, Member, Practice, build_small_pcn

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


TEAM = (
    HELEN, YUSUF,
    Member("mei", "Mei", "Chen", date(2016, 9, 1), role="SGP", number="7123457", roles={"supervisor"}),
    Member("zoe", "Zoë", "Ōkubo", START - timedelta(days=6), role="PARA", manager="helen", roles={"staff"}),
    Member("anya", "Аня", "Петрова", TODAY - timedelta(days=323), role="CPH", manager="helen"),
)
"""Helen's learners (a paramedic and a pharmacist), the GP who is preceptor and assessor, and a
second GP who is neither."""


def make_pcn(workspace, system_actor) -> Pcn:
    pcn = build_small_pcn(workspace, system_actor, name="Riverside Test PCN", ods_code="U22222",
                          practices=(Practice("Alpha Surgery", "A22222"),), members=TEAM, admin="PCN Administrator")
    ids, actors = pcn.staff_ids, pcn.actors
    return Pcn(
        practice=pcn.practice_ids[0], helen_id=ids["helen"], gp_id=ids["yusuf"], other_gp_id=ids["mei"],
        zoe_id=ids["zoe"], anya_id=ids["anya"],
        helen=actors["helen"], gp=actors["yusuf"], other_gp=actors["mei"], zoe=actors["zoe"], admin=actors["admin"],
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
