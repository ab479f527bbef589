"""Property tests for the date rules in domain/, over any day from 2000 to 2040.

The example-based tests pin the figures a user sees on chosen days; these check the rules hold on
every day, and month ends, 29 February and year ends are drawn far more often than chance would.
Hypothesis runs derandomised with no example database, so CI sees the same cases every run and
the file takes a few seconds.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from hypothesis import example, given, settings
from hypothesis import strategies as st

from arrs_desk.domain import assurance, induction, programmes, reviews, supervision
from arrs_desk.domain.dates import UK_FORMAT, add_months, format_uk, months_window_start

FIRST, LAST = date(2000, 1, 1), date(2040, 12, 31)
RULES = settings(max_examples=60, derandomize=True, database=None, deadline=None)
MONTHLY = supervision.Frequency("monthly", "Monthly", months=1)
WEEKLY = supervision.Frequency("weekly", "Weekly", days=7)
FREQUENCIES = tuple(supervision.builtin_supervision_catalogue().frequency(d.code)
                    for d in supervision.builtin_supervision_catalogue().frequencies)


def _edge(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


edge_days = st.builds(_edge, st.integers(2000, 2040), st.integers(1, 12), st.sampled_from([1, 2, 27, 28, 29, 30, 31]))
days = st.one_of(st.dates(FIRST, LAST), edge_days)
"""Any day, with month starts and ends (29 February among them) drawn often."""
months = st.integers(-480, 480)


def is_month_end(day: date) -> bool:
    return day.day == calendar.monthrange(day.year, day.month)[1]


# ============================================================================ dates.add_months


@RULES
@given(days, months)
@example(date(2024, 1, 31), 1)  # 29/02
@example(date(2028, 2, 29), 12)  # 28/02/2029
@example(date(2027, 12, 31), -1)  # 30/11
@example(date(2027, 3, 31), -1)  # 28/02
def test_add_months_lands_in_the_right_month_and_never_past_its_end(day, n):
    moved = add_months(day, n)
    assert moved.year * 12 + moved.month == day.year * 12 + day.month + n
    assert moved.day == min(day.day, calendar.monthrange(moved.year, moved.month)[1])
    if moved.day < day.day:
        assert is_month_end(moved)  # clamped, never rolled into the next month


@RULES
@given(days, days, st.integers(-240, 240))
def test_add_months_keeps_the_order_of_days(a, b, n):
    first, second = min(a, b), max(a, b)
    assert add_months(first, n) <= add_months(second, n)


@RULES
@given(days, st.integers(-240, 240), st.integers(0, 240))
def test_more_months_is_never_earlier(day, n, more):
    assert add_months(day, n) <= add_months(day, n + more)
    if more:
        assert add_months(day, n) < add_months(day, n + more)


@RULES
@given(days, st.integers(0, 240), st.integers(0, 240))
def test_months_added_in_steps_never_overshoot_and_undoing_never_goes_past_the_start(day, a, b):
    assert add_months(add_months(day, a), b) <= add_months(day, a + b)
    back = add_months(add_months(day, a), -a)
    assert back <= day and (back == day or add_months(day, a).day < day.day)


# ============================================================================ dates.months_window_start


@RULES
@given(days, st.integers(1, 36))
@example(date(2029, 2, 28), 12)
@example(date(2027, 3, 31), 1)
def test_a_window_holds_exactly_the_days_whose_anniversary_is_still_to_come(end, n):
    start = months_window_start(end, n)
    assert start <= end
    assert add_months(start, n) > end  # the first day still inside
    assert add_months(start - timedelta(days=1), n) <= end  # the day before has had its n months
    assert (start - add_months(end, -n)).days in (1, 2, 3, 4)


@RULES
@given(days)
def test_twelve_months_are_365_days_or_366_with_a_29_february(end):
    start = months_window_start(end, 12)
    length = (end - start).days + 1
    leap_days = [date(y, 2, 29) for y in range(start.year, end.year + 1) if calendar.isleap(y)]
    assert length == 365 + sum(start <= d <= end for d in leap_days)


@RULES
@given(days, st.integers(1, 24), st.integers(1, 5))
@example(date(2028, 2, 29), 12, 1)
def test_windows_a_whole_number_of_periods_apart_never_share_a_day(end, n, periods):
    later_end = add_months(end, n * periods)
    assert months_window_start(later_end, n) > end


# ============================================================================ supervision


@RULES
@given(days, days)
def test_months_in_post_counts_whole_months_the_way_add_months_does(start, today):
    m = supervision.months_in_post(start, today)
    if today <= start:
        assert m == 0
    else:
        assert add_months(start, m) <= today < add_months(start, m + 1)


@RULES
@given(days, st.integers(0, 400), st.integers(0, 400))
def test_months_in_post_never_goes_down(start, a, b):
    first, second = sorted((a, b))
    assert supervision.months_in_post(start, start + timedelta(days=first)) <= supervision.months_in_post(
        start, start + timedelta(days=second))


@RULES
@given(st.sampled_from(FREQUENCIES), days, days)
def test_the_next_session_falls_due_after_the_last_in_order(frequency, a, b):
    first, second = min(a, b), max(a, b)
    due = frequency.next_due(first)
    assert due > first
    assert due == (add_months(first, frequency.months) if frequency.months else first + timedelta(days=frequency.days))
    assert due <= frequency.next_due(second)


@RULES
@given(st.sampled_from(FREQUENCIES), days, st.integers(-40, 400), st.integers(0, 60), st.booleans())
def test_an_arrangement_is_in_date_then_due_soon_then_overdue_a_day_at_a_time(frequency, last, offset, soon, held):
    """Due today counts as due soon; overdue (or never held) starts the next day and grows by a day a day.
    Before the arrangement's first day it is not started yet, owing nothing."""
    start = last - timedelta(days=30)
    last_session = last if held else None
    due = frequency.next_due(last if held else start)
    today = due + timedelta(days=offset - 200)
    found = supervision.arrangement_status(today=today, arrangement_start=start, arrangement_end=None,
                                           frequency=frequency, last_session=last_session, supervisor_active=True,
                                           due_soon_days=soon)
    late = supervision.ComplianceStatus.OVERDUE if held else supervision.ComplianceStatus.NEVER_HELD
    assert found.next_due == due
    if today < start:
        assert (found.status, found.days_overdue) == (supervision.ComplianceStatus.NOT_STARTED, 0)
    elif today > due:
        assert (found.status, found.days_overdue) == (late, (today - due).days)
    elif (due - today).days <= soon:
        assert (found.status, found.days_overdue) == (supervision.ComplianceStatus.DUE_SOON, 0)
    else:
        assert (found.status, found.days_overdue) == (supervision.ComplianceStatus.IN_DATE, 0)
    tomorrow = supervision.arrangement_status(today=today + timedelta(days=1), arrangement_start=start,
                                              arrangement_end=None, frequency=frequency, last_session=last_session,
                                              supervisor_active=True, due_soon_days=soon)
    assert supervision.STATUS_SEVERITY[tomorrow.status] >= supervision.STATUS_SEVERITY[found.status]


@RULES
@given(days, st.integers(-3, 3))
def test_an_arrangement_ending_today_still_counts(end, offset):
    today = end + timedelta(days=offset)
    found = supervision.arrangement_status(today=today, arrangement_start=end - timedelta(days=400),
                                           arrangement_end=end, frequency=MONTHLY, last_session=today,
                                           supervisor_active=True)
    assert (found.status is supervision.ComplianceStatus.ENDED) == (today > end)


# ============================================================================ programmes


@st.composite
def pause_plans(draw):
    """A programme start, its pauses (after the start, never overlapping) and a planned date."""
    start = draw(days)
    pauses, cursor = [], start
    for _ in range(draw(st.integers(0, 4))):
        begin = cursor + timedelta(days=draw(st.integers(0, 60)))
        end = begin + timedelta(days=draw(st.integers(0, 45)))
        pauses.append(programmes.Pause(begin, end, "Sickness"))
        cursor = end + timedelta(days=1)
    planned = start + timedelta(days=draw(st.integers(0, 400)))
    draw(st.randoms()).shuffle(pauses)  # the rule must not depend on the order they were recorded in
    return start, pauses, planned


@RULES
@given(pause_plans())
def test_a_pause_moves_a_date_by_exactly_the_working_days_it_stopped(plan):
    start, pauses, planned = plan
    shifted = programmes.shift_for_pauses(planned, pauses)
    assert planned <= shifted <= planned + timedelta(days=sum(p.days for p in pauses))
    assert programmes.pause_on(shifted, pauses) is None  # nothing falls due while the clock is stopped
    assert programmes._active_days(start, shifted, pauses) == (planned - start).days


@RULES
@given(pause_plans(), st.integers(0, 60))
def test_pauses_keep_planned_dates_in_order(plan, gap):
    start, pauses, planned = plan
    assert programmes.shift_for_pauses(planned, pauses) <= programmes.shift_for_pauses(
        planned + timedelta(days=gap), pauses)


@RULES
@given(pause_plans(), st.sampled_from(programmes.builtin_programmes()), st.integers(0, 6), st.integers(0, 30))
def test_a_programme_schedule_stays_in_week_order_and_ends_last(plan, programme, weeks, extra_days):
    start, pauses, _ = plan
    extensions = [programmes.Extension(weeks=weeks, days=extra_days, reason="Agreed")]
    scheduled = programmes.schedule(programme, start, pauses, extensions)
    dues = [s.due for s in scheduled]
    assert dues == sorted(dues)
    end = programmes.expected_end(start, programme.length_weeks, pauses, extensions)
    assert all(d <= end for d in dues)
    assert end >= start + timedelta(weeks=programme.length_weeks, days=7 * weeks + extra_days)


@RULES
@given(pause_plans(), st.integers(0, 500), st.integers(0, 30), st.sampled_from([3.75, 7.5]))
def test_protected_time_owed_grows_a_whole_week_at_a_time_and_never_during_a_pause(plan, elapsed, step, hours):
    start, pauses, _ = plan
    today = start + timedelta(days=elapsed)
    owed = programmes.expected_protected_hours(start, today, hours, pauses)
    later_owed = programmes.expected_protected_hours(start, today + timedelta(days=step), hours, pauses)
    assert 0 <= owed <= later_owed
    assert owed == programmes.expected_protected_hours(start, today, hours, pauses)
    assert (owed / hours).is_integer()
    assert owed <= programmes.expected_protected_hours(start, today, hours)  # a pause never adds time
    assert programmes.expected_protected_hours(start, start - timedelta(days=step), hours, pauses) == 0
    if programmes.pause_on(today, pauses) is not None:
        assert programmes.expected_protected_hours(start, today + timedelta(days=1), hours, pauses) == owed


@RULES
@given(days, st.integers(-30, 30))
def test_a_milestone_is_due_for_a_week_then_overdue(due, offset):
    today = due + timedelta(days=offset)
    status = programmes.milestone_status(due, today)
    expected = (programmes.MilestoneStatus.UPCOMING if offset < 0 else
                programmes.MilestoneStatus.DUE if offset < programmes.DUE_WINDOW_DAYS else
                programmes.MilestoneStatus.OVERDUE)
    assert status is expected


@RULES
@given(pause_plans(), st.integers(1, 400), st.integers(-30, 500))
def test_time_elapsed_runs_from_0_to_100_and_never_back(plan, length, offset):
    start, pauses, _ = plan
    end = start + timedelta(days=length)
    today = start + timedelta(days=offset)
    elapsed = programmes.expected_progress_by_now(start, end, today, pauses)
    assert 0.0 <= elapsed <= 100.0
    assert elapsed <= programmes.expected_progress_by_now(start, end, today + timedelta(days=1), pauses)
    if today >= end:
        assert elapsed == 100.0


# ============================================================================ induction


@RULES
@given(days, st.integers(1, 120), st.integers(-200, 4000), st.integers(0, 120))
def test_training_is_valid_through_its_renewal_day_and_expired_the_day_after(completed, validity, offset, window):
    renewal = induction.expires_on(completed, validity)
    assert renewal == add_months(completed, validity) > completed
    today = completed + timedelta(days=offset)
    status = induction.expiry_status(completed, validity, today, window)
    if today > renewal:
        assert status is induction.ExpiryStatus.EXPIRED
    elif (renewal - today).days <= window:
        assert status is induction.ExpiryStatus.EXPIRING
    else:
        assert status is induction.ExpiryStatus.VALID
    order = [induction.ExpiryStatus.VALID, induction.ExpiryStatus.EXPIRING, induction.ExpiryStatus.EXPIRED]
    tomorrow = induction.expiry_status(completed, validity, today + timedelta(days=1), window)
    assert order.index(tomorrow) >= order.index(status)


@RULES
@given(days, days, st.integers(1, 120))
def test_training_done_later_never_expires_sooner(a, b, validity):
    first, second = min(a, b), max(a, b)
    assert induction.expires_on(first, validity) <= induction.expires_on(second, validity)


@RULES
@given(days, st.integers(-365, 365))
def test_an_item_falls_due_its_offset_in_calendar_days_weekends_included(start, offset):
    assert induction.due_date(start, offset) == start + timedelta(days=offset)


# ============================================================================ reviews


def _status_of(due_on: date, today: date) -> reviews.DueStatus:
    if today > due_on:
        return reviews.DueStatus.OVERDUE
    if (due_on - today).days <= reviews.DUE_SOON_DAYS:
        return reviews.DueStatus.DUE_SOON
    return reviews.DueStatus.UP_TO_DATE


@RULES
@given(days, st.integers(0, 900))
def test_a_new_starter_owes_probation_reviews_in_the_first_year_then_an_annual_appraisal(start, in_post):
    today = start + timedelta(days=in_post)
    due = reviews.due_reviews(start, [], today)
    by_kind = {(d.kind, d.probation_month): d for d in due}
    # Probation reviews are chased until the probation period's end plus the grace in the data,
    # then the annual appraisal takes over (the rule the assurance check shares).
    chased_until = add_months(start, reviews.PROBATION_MONTHS[-1] + reviews.probation_grace_months()) - timedelta(days=1)
    in_probation_window = today <= chased_until
    assert {k for k in by_kind if k[0] == "probation"} == (
        {("probation", m) for m in reviews.PROBATION_MONTHS} if in_probation_window else set())
    for (kind, month), item in by_kind.items():
        expected_on = add_months(start, month if kind == "probation" else reviews.ANNUAL_MONTHS)
        assert item.due_on == expected_on
        assert item.status is _status_of(expected_on, today)
        assert item.days_overdue == max(0, (today - expected_on).days)
    assert [d.due_on for d in due] == sorted(d.due_on for d in due)
    if due:
        assert reviews.DUE_SEVERITY[reviews.next_due(due).status] == max(reviews.DUE_SEVERITY[d.status] for d in due)


@RULES
@given(days, st.integers(400, 2000), st.integers(0, 500))
def test_the_annual_appraisal_is_a_year_after_the_last_and_the_interim_half_way(start, held_after, since):
    held = start + timedelta(days=held_after)
    today = held + timedelta(days=since)
    due = {d.kind: d for d in reviews.due_reviews(start, [reviews.ReviewFact("annual", None, held)], today)}
    assert due["annual"].due_on == add_months(held, 12)
    assert due["annual"].status is _status_of(add_months(held, 12), today)
    if due["annual"].status is reviews.DueStatus.UP_TO_DATE:  # the interim until the appraisal is near
        assert due["interim"].due_on == add_months(held, 6)
        assert held < due["interim"].due_on < due["annual"].due_on
    else:
        assert "interim" not in due


@RULES
@given(days, days, st.sampled_from(["annual", "interim"]))
def test_a_review_looks_back_a_year_or_six_months_and_never_before_the_start(start, meeting, kind):
    begin, end = reviews.suggested_period(kind, start, None, meeting)
    months_back = reviews.ANNUAL_MONTHS if kind == "annual" else reviews.INTERIM_MONTHS
    assert end == meeting and begin <= meeting
    if start <= meeting:
        assert begin == max(start, months_window_start(meeting, months_back))
        assert (meeting - begin).days < 366 if kind == "annual" else (meeting - begin).days < 184


@RULES
@given(days, st.integers(1, 24))
def test_a_monthly_frequency_expects_one_session_a_month(end, n):
    assert reviews.expected_sessions(months_window_start(end, n), end, lambda day: MONTHLY) == n


@RULES
@given(days, st.integers(1, 104))
def test_a_weekly_frequency_expects_one_session_a_week(start, weeks):
    end = start + timedelta(days=7 * weeks - 1)
    assert reviews.expected_sessions(start, end, lambda day: WEEKLY) == weeks


@RULES
@given(days, st.lists(st.integers(0, 365), max_size=12), st.integers(30, 365), st.sampled_from(FREQUENCIES))
def test_gaps_lie_inside_the_period_in_order_and_between_sessions(begin, offsets, length, frequency):
    end = begin + timedelta(days=length)
    sessions = [begin + timedelta(days=o) for o in offsets]
    gaps = reviews.supervision_gaps(sessions, begin, end, lambda day: frequency)
    for gap in gaps:
        assert begin <= gap.start < gap.end <= end
        assert not any(gap.start < s < gap.end for s in sessions)  # no session inside a gap
    assert all(a.end <= b.start for a, b in zip(gaps, gaps[1:]))


# ============================================================================ assurance


def _check(kind: str, months_: int, **more):
    return assurance.CheckDefinition(code="x", kind=kind, title="X", short="X", description="X",
                                     evidence="Reviews", months=months_, source="a test", **more)


@RULES
@given(days, st.integers(0, 800), st.sampled_from([6, 12, 24]))
def test_the_review_check_is_met_while_the_last_review_is_inside_its_window(today, ago, months_):
    held = today - timedelta(days=ago)
    facts = assurance.PersonFacts(staff_id=1, start_date=date(1995, 1, 1),
                                  reviews=(reviews.ReviewFact("annual", None, held),))
    status, _ = assurance._review(_check("review", months_), facts, today)
    inside = months_window_start(today, months_) <= held
    assert status is (assurance.CheckStatus.MET if inside else assurance.CheckStatus.NOT_MET)


@RULES
@given(days, st.integers(0, 400))
def test_probation_is_chased_from_its_first_review_until_the_grace_runs_out(today, ago):
    start = today - timedelta(days=ago)
    facts = assurance.PersonFacts(staff_id=1, start_date=start)
    status, reason = assurance._probation(_check("probation", 6, grace_months=6), facts, today)
    first_due = add_months(start, reviews.PROBATION_MONTHS[0])
    chased_until = add_months(start, reviews.PROBATION_MONTHS[-1] + 6) - timedelta(days=1)
    if today <= first_due:
        assert status is assurance.CheckStatus.NOT_APPLICABLE and first_due.strftime("%d/%m/%Y") in reason
    elif today <= chased_until:
        assert status is assurance.CheckStatus.NOT_MET
    else:
        assert status is assurance.CheckStatus.NOT_APPLICABLE and "no longer applies" in reason


@RULES
@given(days, st.integers(0, 400))
def test_an_engagement_of_six_months_runs_to_the_day_before_six_months_on(start, length):
    end = start + timedelta(days=length)
    facts = assurance.PersonFacts(staff_id=1, start_date=start, end_date=end)
    status, _ = assurance._engagement(_check("engagement", 6), facts, end)
    assert (status is assurance.CheckStatus.MET) == (end >= add_months(start, 6) - timedelta(days=1))


@RULES
@given(days, st.integers(0, 2000), st.sampled_from([[1, 3, 6, 12], [2, 6], [1], [3, 9, 24]]),
       st.sampled_from([0, 6, 12]), st.integers(1, 120), st.sets(st.integers(1, 60), max_size=4))
def test_check_ins_open_on_their_day_and_close_before_the_next(start, in_post, plan, repeat, window, answered):
    today = start + timedelta(days=in_post)
    points = assurance.checkin_points(start, today, plan, repeat, window, answered)
    assert [p.due_on for p in points] == sorted({p.due_on for p in points})
    for point, following in zip(points, points[1:] + [None]):
        assert point.due_on == add_months(start, point.months)
        assert point.due_on < point.closes_on <= point.due_on + timedelta(days=window)
        if following is not None:
            assert point.closes_on <= following.due_on
        expected = (assurance.PointStatus.DONE if point.months in answered else
                    assurance.PointStatus.UPCOMING if point.due_on > today else
                    assurance.PointStatus.DUE if today < point.closes_on else assurance.PointStatus.MISSED)
        assert point.status is expected
    upcoming = [p for p in points if p.status is assurance.PointStatus.UPCOMING]
    assert upcoming in ([], [points[-1]])
    if repeat:
        assert points and points[-1].due_on > today  # the next one is always shown


february_ends = st.builds(lambda year, day: _edge(year, 2, day), st.integers(2000, 2040), st.sampled_from([28, 29]))
report_days = st.one_of(days, february_ends)
"""Retention is reported on any day, and on the days where a 29 February start meets a 28 February report."""


@st.composite
def tenures_around(draw, today: date):
    """People who started and left near an anniversary of `today` (a year or two back, or this year)."""
    people = []
    for _ in range(draw(st.integers(1, 8))):
        start = add_months(today, -draw(st.sampled_from([0, 12, 24, 36]))) + timedelta(days=draw(st.integers(-3, 3)))
        end = None
        if draw(st.booleans()):
            end = add_months(start, draw(st.sampled_from([0, 6, 12, 24]))) + timedelta(days=draw(st.integers(-2, 2)))
            end = max(end, start)
        people.append(assurance.Tenure(start, end, "Pay"))
    return people


LEAP_STARTERS = [assurance.Tenure(date(2028, 2, 29), None), assurance.Tenure(date(2028, 2, 29), date(2029, 2, 27)),
                 assurance.Tenure(date(2028, 3, 1), date(2028, 3, 1)), assurance.Tenure(date(2028, 2, 28), None)]


@RULES
@given(report_days.flatmap(lambda today: st.tuples(st.just(today), tenures_around(today))))
@example((date(2029, 2, 28), LEAP_STARTERS))  # 29/02/2028 has had its year on 28/02/2029
@example((date(2028, 2, 29), LEAP_STARTERS))
def test_retention_counts_only_people_past_their_first_anniversary(case):
    today, people = case
    row = assurance.retention("Group", people, today)
    anniversaries = [add_months(p.start_date, 12) for p in people]
    assert row.retained + row.lost == sum(a <= today for a in anniversaries)
    assert row.too_recent == sum(p.start_date <= today < a for p, a in zip(people, anniversaries))
    assert row.not_started == sum(p.start_date > today for p in people)
    assert row.lost == sum(a <= today and p.end_date is not None and p.end_date < a
                           for p, a in zip(people, anniversaries))
    year_start = months_window_start(today, 12)
    assert row.starters == sum(year_start <= p.start_date <= today for p in people)
    assert row.starters == sum(p.start_date <= today < a for p, a in zip(people, anniversaries))


@RULES
@given(report_days.flatmap(lambda today: st.tuples(st.just(today), tenures_around(add_months(today, 12)))),
       st.integers(1, 3))
@example((date(2028, 2, 29), LEAP_STARTERS), 1)  # the reports of 29/02/2028 and 28/02/2029
def test_nobody_starts_or_leaves_in_two_years_reports(case, years):
    """Reports taken a whole number of years apart (29/02/2028 and 28/02/2029, say) count each
    start and each leaving date in one year at most."""
    today, people = case
    later_day = add_months(today, 12 * years)
    for person in people:
        both = [assurance.retention("G", [person], day) for day in (today, later_day)]
        assert sum(r.starters for r in both) <= 1
        assert sum(r.leavers for r in both) <= 1


@given(st.dates(min_value=date(1000, 1, 1)))
def test_format_uk_writes_every_day_as_strftime_would(day):
    assert format_uk(day) == day.strftime(UK_FORMAT)
    assert format_uk(None, "not recorded") == "not recorded"


@given(st.dates(date(1900, 1, 1), date(2199, 12, 31)))
def test_a_stored_date_reads_the_same_from_either_driver(day):
    """SQLite hands a date column over as ISO text (sometimes with a time after it), PostgreSQL as a
    date: `stored_date` gives the same day for each, and None for an empty column."""
    from arrs_desk.domain.dates import stored_date

    assert stored_date(day) is day
    assert stored_date(day.isoformat()) == day == stored_date(f"{day.isoformat()} 00:00:00.000000")
    assert stored_date(None) is None
