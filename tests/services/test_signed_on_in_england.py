"""A signature made in the app is dated on the day in England it was made. At 00:30 on a summer
night the instant is 23:30 the day before in UTC; the review, the supervision confirmation and
the induction sign-off each took the UTC date and said the day before."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from arrs_desk.clock import UK
from arrs_desk.store.models import InductionItem, ReviewSignOff, SupervisionAttendance
from tests import induction_support, review_support, supervision_support
from tests.conftest import TODAY

SUMMER_NIGHT = datetime.combine(date(TODAY.year + 1, 6, 15), time(0, 30), tzinfo=UK)
"""00:30 British Summer Time: 23:30 UTC on the 14th."""


@pytest.fixture
def night(clock):
    def move() -> date:
        clock.set(SUMMER_NIGHT)
        return SUMMER_NIGHT.date()
    return move


def test_a_review_signed_just_after_midnight_is_signed_that_day(workspace, system_actor, night):
    team = review_support.make_review_team(workspace, system_actor)
    day = night()
    held = workspace.reviews.create_review(team.helen, data=review_support.review_input(
        team, outcome="agreed", meeting=day - timedelta(days=1), start=day - timedelta(days=300),
        end=day - timedelta(days=1)))
    signed = workspace.reviews.sign(team.zoe, review_id=held.id, party="appraisee", expected_version=held.version)
    with workspace.db.read() as session:
        row = session.execute(select(ReviewSignOff).where(ReviewSignOff.review_id == held.id)).scalar_one()
    assert row.signed_on == day and row.signed_at.astimezone(UK) == SUMMER_NIGHT
    assert [(s.party, s.signed_on) for s in signed.signatures] == [("appraisee", day)]  # as the window shows it


def test_a_supervision_session_confirmed_just_after_midnight_is_confirmed_that_day(workspace, system_actor, night):
    team = supervision_support.make_team(workspace, system_actor)
    day = night()
    row = supervision_support.log(workspace, team.helen, [team.zoe_id], day - timedelta(days=2),
                                  supervisor_id=team.gp_id)
    workspace.supervision.confirm_session(team.zoe, session_id=row.id)
    with workspace.db.read() as session:
        attendance = session.execute(select(SupervisionAttendance)
                                     .where(SupervisionAttendance.session_id == row.id)).scalar_one()
    assert attendance.signed_on == day


def test_an_induction_item_signed_off_just_after_midnight_is_signed_off_that_day(workspace, system_actor, night):
    team = induction_support.make_team(workspace, system_actor, start=TODAY - timedelta(days=30))
    view = workspace.induction.checklist(team.starter, staff_id=team.starter_id)
    entry = next(i for i in view.items if i.can_tick and i.needs_signoff)
    workspace.induction.tick(team.starter, item_id=entry.id, expected_version=entry.version,
                             completed_on=TODAY - timedelta(days=3))
    day = night()
    waiting = induction_support.item(workspace.induction.checklist(team.manager, staff_id=team.starter_id), entry.key)
    workspace.induction.sign_off(team.manager, item_id=waiting.id, expected_version=waiting.version)
    with workspace.db.read() as session:
        assert session.get(InductionItem, waiting.id).signed_on == day
