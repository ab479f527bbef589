"""The progress rule for one enrolment (`domain.programme_progress.evaluate`), from plain facts.

Every date is given explicitly: a 12-week programme starting Monday 05/01/2026 with a first
meeting at week 0, a review at week 4 and the sign-off at the end (week 12, 30/03/2026), ten
competencies and 7.5 protected hours a week.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from arrs_desk.domain.programme_progress import (
    COMPLETED, PROTECTED_TIME_TOLERANCE_HOURS, WITHDRAWN, EnrolmentFacts, MilestoneFacts, evaluate,
)
from arrs_desk.domain.programmes import EnrolmentStatus, Extension, MilestoneStatus

START = date(2026, 1, 5)  # a Monday
SIX_WEEKS_IN = date(2026, 2, 16)
MEETING, REVIEW, SIGN_OFF = 1, 2, 3


def facts(*, held: dict[int, date] | None = None, signed: int = 0, logged: float = 0.0, **changes) -> EnrolmentFacts:
    held = held or {}
    values = dict(start=START, planned_end=START + timedelta(weeks=12), length_weeks=12, hours_per_week=7.5,
                  status="active", completed_on=None, withdrawn_on=None)
    values.update(changes)
    milestones = [MilestoneFacts(MEETING, "first-meeting", "First meeting", 0, "meeting", held.get(MEETING)),
                  MilestoneFacts(REVIEW, "week-4", "Week 4 review", 4, "review", held.get(REVIEW)),
                  MilestoneFacts(SIGN_OFF, "sign-off", "Final sign-off", 12, "sign-off", held.get(SIGN_OFF))]
    return EnrolmentFacts(**values, milestones=milestones, competencies_signed=signed, competencies_total=10,
                          logged_hours=logged)


def test_nothing_recorded_six_weeks_in_is_behind_for_every_reason():
    result = evaluate(facts(), SIX_WEEKS_IN)
    assert result.as_of == SIX_WEEKS_IN
    assert result.end == date(2026, 3, 30)
    assert result.due == {MEETING: date(2026, 1, 5), REVIEW: date(2026, 2, 2), SIGN_OFF: date(2026, 3, 30)}
    assert result.statuses == {MEETING: MilestoneStatus.OVERDUE, REVIEW: MilestoneStatus.OVERDUE,
                               SIGN_OFF: MilestoneStatus.UPCOMING}
    assert (result.held, result.overdue, result.progress) == (0, 2, 0.0)
    assert result.elapsed == pytest.approx(50.0)  # 42 of 84 days
    assert result.expected_hours == pytest.approx(45.0)  # six whole weeks at 7.5 h
    assert result.reasons == ("2 milestones overdue", "competency sign-off 0% against 50% of time elapsed",
                              "protected time 45.0 h short of the 45.0 h expected by now")
    assert result.status is EnrolmentStatus.BEHIND


def test_meetings_held_competencies_in_step_and_time_logged_is_on_track():
    result = evaluate(facts(held={MEETING: date(2026, 1, 5), REVIEW: date(2026, 2, 3)}, signed=5, logged=45.0),
                      SIX_WEEKS_IN)
    assert result.statuses[REVIEW] is MilestoneStatus.HELD and result.held == 2 and result.overdue == 0
    assert result.progress == pytest.approx(0.7 * 50 + 0.3 * 100 * 2 / 3)  # competencies weigh 70%
    assert result.reasons == ()
    assert result.status is EnrolmentStatus.ON_TRACK


def test_protected_time_up_to_one_study_day_short_is_the_normal_rhythm():
    held = {MEETING: date(2026, 1, 5), REVIEW: date(2026, 2, 3)}
    assert PROTECTED_TIME_TOLERANCE_HOURS == 7.5
    one_day_short = evaluate(facts(held=held, signed=5, logged=45.0 - 7.5), SIX_WEEKS_IN)
    assert one_day_short.reasons == () and one_day_short.status is EnrolmentStatus.ON_TRACK
    more_than_a_day = evaluate(facts(held=held, signed=5, logged=45.0 - 7.75), SIX_WEEKS_IN)
    assert more_than_a_day.reasons == ("protected time 7.8 h short of the 45.0 h expected by now",)
    assert more_than_a_day.status is EnrolmentStatus.BEHIND


def test_a_pause_still_going_on_stops_the_clock_up_to_today_and_nobody_is_behind_while_paused():
    paused = facts(pauses=[(date(2026, 2, 9), None, "Sickness absence")])
    result = evaluate(paused, SIX_WEEKS_IN)
    assert result.pauses[0].end == SIX_WEEKS_IN  # eight days so far, 09/02 to 16/02 inclusive
    assert result.end == date(2026, 4, 7) and result.due[SIGN_OFF] == date(2026, 4, 7)
    assert result.due[REVIEW] == date(2026, 2, 2)  # before the pause: unmoved
    assert result.overdue == 2  # still counted, but not given as a reason while the clock is stopped
    assert result.expected_hours == pytest.approx(7.5 * 5)  # 35 unpaused days: five whole weeks
    assert result.status is EnrolmentStatus.PAUSED and result.reasons == ()


def test_a_pause_that_ended_moves_what_comes_after_by_its_length():
    ended = facts(pauses=[(date(2026, 1, 12), date(2026, 1, 25), "Parental leave")])  # 14 days
    result = evaluate(ended, SIX_WEEKS_IN)
    assert result.due == {MEETING: date(2026, 1, 5), REVIEW: date(2026, 2, 16), SIGN_OFF: date(2026, 4, 13)}
    assert result.statuses[REVIEW] is MilestoneStatus.DUE
    assert result.status is not EnrolmentStatus.PAUSED


def test_an_extension_moves_the_end_and_the_final_sign_off_only():
    result = evaluate(facts(extensions=[Extension(weeks=2, reason="Extra assessment time")]), SIX_WEEKS_IN)
    assert result.end == date(2026, 4, 13) and result.due[SIGN_OFF] == date(2026, 4, 13)
    assert result.due[REVIEW] == date(2026, 2, 2)
    assert result.elapsed == pytest.approx(100 * 42 / 98)


def test_an_agreed_shorter_planned_end_is_where_the_sign_off_falls():
    result = evaluate(facts(planned_end=date(2026, 3, 2)), SIX_WEEKS_IN)
    assert result.end == date(2026, 3, 2) and result.due[SIGN_OFF] == date(2026, 3, 2)
    assert result.elapsed == pytest.approx(100 * 42 / 56)


def test_before_the_start_nothing_is_due_or_owed():
    result = evaluate(facts(), START - timedelta(days=3))
    assert result.status is EnrolmentStatus.NOT_STARTED
    assert (result.elapsed, result.expected_hours, result.overdue, result.reasons) == (0.0, 0.0, 0, ())
    assert set(result.statuses.values()) == {MilestoneStatus.UPCOMING}


def test_a_completed_enrolment_is_judged_on_the_day_it_finished_and_never_drifts():
    done = facts(held={MEETING: date(2026, 1, 5), REVIEW: date(2026, 2, 2), SIGN_OFF: date(2026, 3, 31)}, signed=10,
                 logged=60.0, status=COMPLETED, completed_on=date(2026, 3, 31))
    soon, years_later = evaluate(done, date(2026, 4, 1)), evaluate(done, date(2029, 1, 1))
    assert soon == years_later
    assert soon.as_of == date(2026, 3, 31)
    assert soon.status is EnrolmentStatus.COMPLETED and soon.reasons == ()
    assert soon.progress == pytest.approx(100.0) and soon.elapsed == pytest.approx(100.0)


def test_a_withdrawn_enrolment_keeps_its_figures_from_the_day_it_ended_without_reasons():
    left = facts(status=WITHDRAWN, withdrawn_on=date(2026, 1, 26))
    result = evaluate(left, date(2027, 6, 1))
    assert result.as_of == date(2026, 1, 26)
    assert result.elapsed == pytest.approx(100 * 21 / 84)
    assert result.statuses[MEETING] is MilestoneStatus.OVERDUE and result.statuses[REVIEW] is MilestoneStatus.UPCOMING
    assert result.status is EnrolmentStatus.WITHDRAWN and result.reasons == ()
