"""Assurance rules at their boundaries: each contract check, the check-in schedule, small-group
suppression and 12-month retention."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arrs_desk.domain import assurance as a
from arrs_desk.domain.assurance import CheckStatus as S
from arrs_desk.domain.dates import add_months, months_window_start
from arrs_desk.domain.reviews import ReviewFact

from tests.conftest import TODAY  # noqa: E402
from tests.date_support import days_ago, days_ahead, uk

YEAR_AGO = add_months(TODAY, -12)
"""Today's date twelve months ago (28/02 for 29/02)."""
YEAR_START = months_window_start(TODAY, 12)
"""The first day of the 12 months up to today: the day after YEAR_AGO, or 01/03 on 28/02 after a
leap year (29/02 reaches its 12 months on 28/02 too)."""


def held(day, kind="annual", month=None):
    return (ReviewFact(kind, month, day),)


def result(code: str, **facts):
    base = dict(staff_id=1, start_date=date(2024, 1, 1), has_checklist=True, registration_number="2123456")
    base.update(facts)
    return next(r for r in a.evaluate(a.PersonFacts(**base), TODAY) if r.code == code)


def test_builtin_files_load():
    assert [c.code for c in a.builtin_checks()] == [
        "supervisor", "review", "probation", "registration", "pathway", "engagement", "it-access", "job-plan",
        "training"]
    assert 6 <= len(a.builtin_checkins().statements) <= 10


@pytest.mark.parametrize(("status", "expected"), [
    ("in-date", S.MET), ("due-soon", S.MET), ("overdue", S.NOT_MET), ("never-held", S.NOT_MET),
    ("not-arranged", S.NOT_MET), ("supervisor-left", S.NOT_MET), ("ended", S.NOT_MET),
    ("not-applicable", S.NOT_APPLICABLE), (None, S.NOT_APPLICABLE),
])
def test_supervision_check(status, expected):
    r = result("supervisor", supervision_status=status, supervision_last=date(2026, 9, 1), supervision_overdue_days=3)
    assert r.status is expected
    assert r.evidence == "Supervision"
    if status == "overdue":
        assert "overdue by 3 days" in r.reason


def test_review_within_twelve_months_boundary():
    assert YEAR_START - YEAR_AGO <= timedelta(days=2)  # the day after, or 01/03 for 29/02 when today is 28/02
    assert result("review", reviews=held(YEAR_START)).status is S.MET
    late = result("review", reviews=held(YEAR_START - timedelta(days=1)))  # its 12 months ran out today
    assert late.status is S.NOT_MET and "more than 12 months" in late.reason
    assert result("review", reviews=held(YEAR_AGO)).status is S.NOT_MET
    assert result("review").reason == "No review or appraisal recorded"


def test_a_returners_review_from_the_job_they_left_is_not_their_last_review():
    """Back 14 months ago after leaving: the check said "Last review held" with the date of an
    appraisal in the earlier employment, which the Reviews page does not count."""
    start = add_months(TODAY, -14)
    r = result("review", start_date=start, reviews=held(add_months(TODAY, -30)))
    assert r.status is S.NOT_MET and "Last review held" not in r.reason
    assert "since starting again on" in r.reason


def test_review_not_due_in_first_year():
    assert result("review", start_date=YEAR_START).status is S.NOT_APPLICABLE
    assert result("review", start_date=YEAR_START - timedelta(days=1)).status is S.NOT_MET


def test_probation_boundary():
    assert result("probation", start_date=TODAY - timedelta(days=60)).status is S.NOT_APPLICABLE
    assert result("probation", start_date=add_months(TODAY, -4)).status is S.NOT_MET
    start = add_months(TODAY, -7)
    assert result("probation", start_date=start,
                  reviews=held(add_months(start, 6), "probation", 6)).status is S.MET


def test_registration_boundary():
    assert result("registration").status is S.NOT_APPLICABLE
    assert result("registration", registration_required=True, registration_renewal=TODAY).status is S.MET
    lapsed = result("registration", registration_required=True, registration_renewal=days_ago(1))
    assert lapsed.status is S.NOT_MET and uk(days_ago(1)) in lapsed.reason
    assert result("registration", registration_required=True).status is S.NOT_MET


def test_pathway():
    assert result("pathway").status is S.NOT_APPLICABLE
    assert result("pathway", role_code="CPH", role_has_pathway=True).status is S.NOT_MET
    assert result("pathway", role_code="CPH", enrolments=(("PCPEP", "on-track"),)).status is S.MET
    assert result("pathway", role_code="CPH", enrolments=(("A", "withdrawn"), ("B", "completed"))).status is S.MET
    assert result("pathway", role_code="CPH", enrolments=(("PCPEP", "withdrawn"),)).status is S.NOT_MET


def test_engagement_six_months_boundary_and_temporary_cover():
    start = date(2026, 6, 1)
    assert result("engagement", start_date=start).status is S.MET
    assert result("engagement", start_date=start, end_date=date(2026, 11, 30)).status is S.MET
    short = result("engagement", start_date=start, end_date=date(2026, 11, 29))
    assert short.status is S.NOT_MET
    cover = result("engagement", start_date=start, end_date=date(2026, 7, 1), temporary_cover=True)
    assert cover.status is S.NOT_APPLICABLE and "temporary cover" in cover.reason


def test_induction_tag_checks():
    assert result("it-access", has_checklist=False).status is S.NOT_MET
    assert result("it-access", induction_tags={}).status is S.NOT_APPLICABLE
    late = a.TagProgress(3, 2, late=1)
    assert result("it-access", induction_tags={"it-access": late}).reason == "1 induction item past due and not complete"
    assert result("it-access", induction_tags={"it-access": a.TagProgress(3, 3)}).status is S.MET
    tags = {"it-access": a.TagProgress(3, 3), "job-plan": a.TagProgress(1, 0, late=1)}
    assert result("job-plan", induction_tags=tags).status is S.NOT_MET


def test_bad_check_file_is_rejected():
    from arrs_desk.errors import ResourceFileError
    from arrs_desk.domain.datafiles import parse_data

    with pytest.raises(ResourceFileError, match="tag"):
        parse_data(a.CheckFile, {"schema": "arrs-desk/assurance-checks", "version": 1, "checks": [
            {"code": "x", "kind": "induction-tag", "title": "X", "short": "X", "description": "X", "source": "X",
             "evidence": "Induction"}]}, source="checks.json")


# --------------------------------------------------------------------------- check-in schedule
def test_schedule_months_then_every_six():
    assert a.schedule_months([1, 3, 6, 12], 6, 40) == [1, 3, 6, 12, 18, 24, 30, 36]
    assert a.schedule_months([1, 3], 0, 40) == [1, 3]


def test_checkin_points_statuses():
    start = add_months(TODAY, -6)  # six months in post today
    points = a.checkin_points(start, TODAY, [1, 3, 6, 12], 6, 42, answered=[1])
    assert [(p.months, p.status) for p in points] == [
        (1, a.PointStatus.DONE), (3, a.PointStatus.MISSED), (6, a.PointStatus.DUE), (12, a.PointStatus.UPCOMING)]
    # Six months on is today, or a day or two before when today's day is missing from that month
    # (31/12 six months after 30/06 falls on 30/12).
    assert points[2].due_on == add_months(start, 6) and 0 <= (TODAY - points[2].due_on).days <= 3
    three_months = add_months(start, 3)
    assert points[1].due_on == three_months
    assert points[1].closes_on == three_months + timedelta(days=42)  # 42 days after it opened
    # With a long window, a check-in closes when the next one opens.
    long = a.checkin_points(start, TODAY, [1, 3, 6, 12], 6, 90)
    assert long[0].closes_on == three_months == long[1].due_on


@settings(max_examples=400, deadline=None)
@given(start=st.dates(date(2015, 1, 1), date(2027, 12, 31)), today=st.dates(date(2016, 1, 1), date(2028, 12, 31)),
       months=st.lists(st.integers(1, 36), min_size=0, max_size=6),
       repeat=st.integers(0, 12), window=st.integers(1, 120), answered=st.sets(st.integers(0, 60), max_size=8))
def test_the_open_checkin_is_the_first_point_due(start, today, months, repeat, window, answered):
    """`open_checkin` (the reminders' fast path) answers as `checkin_points` does, for schedules in
    any order, windows longer than the gap to the next check-in, month ends and leap days."""
    expected = next((p for p in a.checkin_points(start, today, months, repeat, window, answered)
                     if p.status is a.PointStatus.DUE), None)
    assert a.open_checkin(start, today, months, repeat, window, answered) == expected


def test_checkin_window_closes_after_window_days():
    start = date(2025, 11, 24)
    points = a.checkin_points(start, date(2027, 1, 5), [1, 3, 6, 12], 6, 42)
    twelve = next(p for p in points if p.months == 12)
    assert twelve.status is a.PointStatus.MISSED
    assert a.checkin_points(start, date(2027, 1, 4), [1, 3, 6, 12], 6, 42)[3].status is a.PointStatus.DUE


@settings(max_examples=300, deadline=None)
@given(start=st.dates(date(2015, 1, 1), date(2027, 12, 31)), today=st.dates(date(2016, 1, 1), date(2028, 12, 31)),
       window=st.integers(1, 120))
def test_open_until_names_a_day_it_is_open(start, today, window):
    """The page said "open until 07/12/2026" and on 07/12 the check-in was missed and answers refused:
    `closes_on` is the first day it is shut, so "open until" names the day before."""
    due = a.open_checkin(start, today, [1, 3, 6, 12], 6, window)
    if due is not None:
        last = due.last_open_day
        on_last = a.checkin_points(start, last, [1, 3, 6, 12], 6, window)
        after = a.checkin_points(start, last + timedelta(days=1), [1, 3, 6, 12], 6, window)
        assert next(p for p in on_last if p.months == due.months).status is a.PointStatus.DUE
        assert next(p for p in after if p.months == due.months).status is a.PointStatus.MISSED


def test_schedule_problems():
    assert a.schedule_problem([1, 3, 6, 12], 6) is None
    assert a.schedule_problem([], 6)
    assert a.schedule_problem([3, 1], 6)
    assert a.schedule_problem([0, 3], 6)
    assert a.schedule_problem([1], -1)


def test_answer_problems():
    statements = a.builtin_checkins().statements
    good = {s.key: 3 for s in statements}
    assert a.answer_problems(good, statements) == {}
    assert set(a.answer_problems({**good, "welcome": 6}, statements)) == {"welcome"}
    missing = dict(good)
    missing.pop("peers")
    assert set(a.answer_problems(missing, statements)) == {"peers"}


# --------------------------------------------------------------------------- suppression
def test_a_group_without_released_answers_shows_only_the_note():
    statements = a.builtin_checkins().statements
    counts = a.add_to_counts(a.empty_counts(statements), [{s.key: 4 for s in statements}] * 5)
    groups = {g.group: g for g in a.summarise_tallies(["Paramedic"], [("Care coordinator", 5, counts)], statements)}
    assert not groups["Paramedic"].shown
    assert groups["Paramedic"].responses == 0 and groups["Paramedic"].averages == {}
    assert groups["Paramedic"].note == "not shown until at least 5 people have answered"
    assert groups["Care coordinator"].shown and groups["Care coordinator"].responses == 5
    assert groups["Care coordinator"].averages["welcome"] == 4.0
    assert groups["Care coordinator"].agree_share["welcome"] == 1.0


def test_a_batch_is_released_only_from_five_different_people():
    assert not a.may_release(4) and a.may_release(5)


# --------------------------------------------------------------------------- retention
def test_retention_arithmetic():
    long_ago = add_months(TODAY, -35)
    anniversary = add_months(long_ago, 12)
    people = [
        a.Tenure(long_ago, None),  # retained
        a.Tenure(long_ago, anniversary, "Career progression"),  # stayed a full year: retained
        a.Tenure(long_ago, anniversary - timedelta(days=1), "Workload"),  # one day short: lost
        a.Tenure(YEAR_AGO, None),  # exactly 12 months ago: counted, retained
        a.Tenure(YEAR_START, YEAR_START + timedelta(days=96), "Pay"),  # under 12 months: too recent, but a leaver
        a.Tenure(days_ago(54), None),  # too recent, a starter
        a.Tenure(days_ahead(38), None),  # not started: in none of the figures
    ]
    row = a.retention("Paramedic", people, TODAY)
    assert (row.retained, row.lost, row.too_recent, row.not_started) == (3, 1, 2, 1)
    assert row.starters == 2  # YEAR_START and 54 days ago; YEAR_AGO is outside the 12 months
    assert row.leavers == 1 and row.leaving_reasons == (("Pay", 1),)
    assert row.rate == 0.75 and row.rate_text == "75%"


def test_someone_not_started_yet_is_neither_a_starter_nor_too_recent():
    """A start date still to come was counted as "too recent to count", as if the person were in post."""
    row = a.retention("New", [a.Tenure(days_ahead(1), None), a.Tenure(TODAY, None)], TODAY)
    assert (row.starters, row.too_recent, row.not_started) == (1, 1, 1)
    assert row.rate is None


def test_retention_notes_say_what_each_grouping_counts():
    from arrs_desk.domain.workforce_retention import notes

    returner = "someone who left and came back counts from their new start date"
    assert returner in notes("practice")[0] and len(notes("practice")) == 1  # nobody at two practices: no overlap
    assert notes("practice", at_several_practices=3)[0].startswith(
        "3 people are recorded at more than one practice and counted in each of their practices' rows")
    assert "counts under their current role" in notes("role")[0]
    assert notes("model")[0] == "Grouped by each person's employment model now."
    assert notes("role", not_started=2)[-1] == "2 people have a start date still to come and are not counted."


def test_retention_with_only_recent_starters_has_no_rate():
    row = a.retention("New", [a.Tenure(days_ago(176), None)], TODAY)
    assert row.rate is None and row.rate_text == "no one yet"
    assert (row.retained, row.lost, row.too_recent) == (0, 0, 1)


@pytest.mark.parametrize(("training", "start", "expected", "words"), [
    ((("Fire safety", "in-date"), ("Resuscitation", "due-soon")), date(2024, 1, 1), S.MET, "refresher due soon: Resuscitation"),
    ((("Fire safety", "expired"), ("Resuscitation", "never")), date(2024, 1, 1), S.NOT_MET,
     "Expired: Fire safety; never done: Resuscitation"),
    ((("Fire safety", "never"),), TODAY - timedelta(days=30), S.NOT_APPLICABLE, "Starter's first 3 months"),
    ((("Fire safety", "expired"),), TODAY - timedelta(days=30), S.NOT_MET, "Expired: Fire safety"),
    (None, date(2024, 1, 1), S.NOT_APPLICABLE, "not read"),
])
def test_mandatory_training_is_met_when_every_subject_is_in_date(training, start, expected, words):
    found = result("training", training=training, start_date=start)
    assert found.status is expected and words in found.reason
