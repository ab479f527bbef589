"""When reviews fall due, and the arithmetic the appraisal pack does over a year of supervision."""

from datetime import date, timedelta

import pytest

from arrs_desk.domain.reviews import (
    DueStatus, Gap, ReviewFact, ReviewKind, expected_sessions, next_due, review_state, ReviewState, due_reviews,
    suggested_period, supervision_gaps, topic_themes,
)
from arrs_desk.domain.dates import add_months, months_window_start
from arrs_desk.domain.supervision import Frequency

from tests.conftest import TODAY  # noqa: E402
from tests.date_support import days_ago, days_ahead

NEW_START = days_ago(176)
"""A new starter nearly six months in post: the 3-month review overdue, the 6-month one within days."""
MONTHLY = Frequency("monthly", "Monthly", months=1)
WEEKLY = Frequency("weekly", "Weekly", days=7)


def probation(month, day):
    return ReviewFact(ReviewKind.PROBATION, month, day)


def annual(day):
    return ReviewFact(ReviewKind.ANNUAL, None, day)


def interim(day):
    return ReviewFact(ReviewKind.INTERIM, None, day)


def by_kind(items):
    return {(d.kind, d.probation_month): d for d in items}


def test_a_new_starter_owes_probation_reviews_at_three_and_six_months():
    due = by_kind(due_reviews(NEW_START, [], TODAY))
    three, six = due[("probation", 3)], due[("probation", 6)]
    three_months = add_months(NEW_START, 3)
    assert (three.due_on, three.status, three.days_overdue) == (
        three_months, DueStatus.OVERDUE, (TODAY - three_months).days)
    assert 80 <= three.days_overdue <= 88  # about 84 days, as months run
    assert (six.due_on, six.status) == (add_months(NEW_START, 6), DueStatus.DUE_SOON)
    assert due[("annual", None)].due_on == add_months(NEW_START, 12)
    assert due[("annual", None)].status is DueStatus.UP_TO_DATE
    assert ("interim", None) not in due  # interim reviews follow an annual appraisal


def test_a_held_probation_review_is_no_longer_due_and_a_booked_one_shows_as_booked():
    booked_on = add_months(NEW_START, 6) + timedelta(days=1)
    facts = [probation(3, add_months(NEW_START, 3) + timedelta(days=2)), probation(6, booked_on)]
    due = by_kind(due_reviews(NEW_START, facts, TODAY))
    assert ("probation", 3) not in due
    assert due[("probation", 6)].status is DueStatus.BOOKED
    assert due[("probation", 6)].booked_on == booked_on


def test_missing_probation_reviews_drop_out_after_a_year_in_post():
    start = days_ago(541)  # nearly eighteen months in post
    due = by_kind(due_reviews(start, [], TODAY))
    assert not any(kind == "probation" for kind, _ in due)
    assert due[("annual", None)].due_on == add_months(start, 12)
    assert due[("annual", None)].status is DueStatus.OVERDUE


def test_annual_counts_from_the_last_appraisal_and_interim_six_months_after_it():
    last = days_ago(300)
    due = by_kind(due_reviews(date(2020, 1, 6), [annual(last)], TODAY))
    assert due[("annual", None)].due_on == add_months(last, 12)
    assert due[("annual", None)].status is DueStatus.UP_TO_DATE  # about two months away
    assert due[("interim", None)].due_on == add_months(last, 6)
    assert due[("interim", None)].status is DueStatus.OVERDUE
    interim_held = add_months(last, 6) + timedelta(days=2)
    held = by_kind(due_reviews(date(2020, 1, 6), [annual(last), interim(interim_held)], TODAY))
    assert ("interim", None) not in held


@pytest.mark.parametrize("held_ago", [349, 400, 600])  # the appraisal due in about 16 days, or overdue
def test_an_interim_not_held_gives_way_to_the_appraisal_once_that_is_near_or_late(held_ago):
    last = days_ago(held_ago)
    due = due_reviews(date(2020, 1, 6), [annual(last)], TODAY)
    assert [d.kind for d in due] == ["annual"]
    assert next_due(due).kind == "annual"  # the next review shown is the appraisal, not a stale interim
    booked = due_reviews(date(2020, 1, 6), [annual(last), ReviewFact(ReviewKind.ANNUAL, None, days_ahead(30))],
                         TODAY)
    assert [(d.kind, d.status) for d in booked] == [("annual", DueStatus.BOOKED)]


def test_an_interim_before_the_last_annual_does_not_count():
    last = days_ago(54)
    due = by_kind(due_reviews(date(2020, 1, 6), [interim(add_months(last, -16)), annual(last)], TODAY))
    assert due[("interim", None)].due_on == add_months(last, 6)


def test_next_due_is_the_most_urgent_then_the_soonest():
    items = due_reviews(NEW_START, [], TODAY)
    assert next_due(items).probation_month == 3
    assert next_due(()) is None


def test_review_state():
    assert review_state(None, TODAY, appraiser_signed=False, appraisee_signed=False) is ReviewState.BOOKED
    assert review_state(days_ahead(7), TODAY, appraiser_signed=False, appraisee_signed=False) is ReviewState.BOOKED
    assert review_state(TODAY, TODAY, appraiser_signed=True, appraisee_signed=False) is ReviewState.HELD
    assert review_state(TODAY, TODAY, appraiser_signed=True, appraisee_signed=True) is ReviewState.SIGNED


def test_a_held_reviews_state_names_the_signature_it_waits_for():
    from arrs_desk.domain.reviews import state_label

    held = ReviewState.HELD
    assert state_label(held, appraiser_signed=False, appraisee_signed=False) == "Held, awaiting signatures"
    assert state_label(held, appraiser_signed=True, appraisee_signed=False) == "Held, awaiting the appraisee's signature"
    assert state_label(held, appraiser_signed=False, appraisee_signed=True) == "Held, awaiting the appraiser's signature"
    assert state_label(ReviewState.SIGNED, appraiser_signed=True, appraisee_signed=True) == "Signed by both"
    assert state_label(ReviewState.BOOKED, appraiser_signed=False, appraisee_signed=False) == "Booked"


def test_suggested_period_runs_from_the_last_review_or_a_year_back():
    last_end = days_ago(177)
    assert suggested_period("annual", date(2020, 1, 6), last_end, TODAY) == (last_end + timedelta(days=1), TODAY)
    year = suggested_period("annual", date(2020, 1, 6), None, TODAY)
    assert year == (months_window_start(TODAY, 12), TODAY)
    assert 365 <= (TODAY - year[0]).days + 1 <= 366
    assert suggested_period("interim", date(2020, 1, 6), None, TODAY) == (months_window_start(TODAY, 6), TODAY)
    assert suggested_period("probation", days_ago(115), None, TODAY) == (days_ago(115), TODAY)


@pytest.mark.parametrize(("frequency", "expected"), [(MONTHLY, 12), (WEEKLY, 52)])
def test_expected_sessions_over_a_year(frequency, expected):
    assert expected_sessions(months_window_start(TODAY, 12), TODAY, lambda day: frequency) == expected


def test_expected_sessions_follow_the_frequency_as_it_changes():
    def rule(day):
        return WEEKLY if day < date(2026, 3, 1) else MONTHLY

    assert expected_sessions(date(2026, 1, 1), date(2026, 12, 31), rule) == 9 + 10
    assert expected_sessions(date(2026, 1, 1), date(2026, 12, 31), lambda day: None) == 0


def test_gaps_are_measured_from_the_due_date_to_the_next_session():
    sessions = [date(2026, 1, 10), date(2026, 2, 9), date(2026, 5, 20)]
    gaps = supervision_gaps(sessions, date(2026, 1, 1), date(2026, 6, 30), lambda day: MONTHLY,
                            before=date(2025, 12, 1))
    assert gaps == [Gap(date(2026, 1, 1), date(2026, 1, 10)), Gap(date(2026, 3, 9), date(2026, 5, 20)),
                    Gap(date(2026, 6, 20), date(2026, 6, 30))]
    assert gaps[1].days == 72


def test_no_sessions_at_all_is_one_gap_from_the_first_due_date():
    assert supervision_gaps([], date(2026, 1, 1), date(2026, 6, 30), lambda day: MONTHLY) == [
        Gap(date(2026, 2, 1), date(2026, 6, 30))]
    assert supervision_gaps([], date(2026, 1, 1), date(2026, 6, 30), lambda day: None) == []


def test_with_no_session_before_the_period_the_clock_starts_with_the_arrangement():
    """Arranged since 2023 and never held until 30/04/2026: overdue from the period's first day,
    not from a month into it; an arrangement begun in the period has its first interval's grace."""
    begin, end = date(2025, 12, 7), date(2026, 12, 6)
    assert supervision_gaps([date(2026, 4, 30)], begin, end, lambda day: MONTHLY, since=date(2023, 5, 2))[0] == \
        Gap(begin, date(2026, 4, 30))
    assert supervision_gaps([], begin, end, lambda day: MONTHLY, since=date(2026, 3, 15)) == [
        Gap(date(2026, 4, 15), end)]
    # not required when the arrangement began (months in post), but required by the period
    assert supervision_gaps([], begin, end, lambda day: MONTHLY if day >= date(2024, 1, 1) else None,
                            since=date(2023, 5, 2)) == [Gap(begin, end)]
    # a session before the period still decides, whenever the arrangement began
    assert supervision_gaps([], begin, end, lambda day: MONTHLY, before=date(2025, 11, 20),
                            since=date(2023, 5, 2)) == [Gap(date(2025, 12, 20), end)]


def test_topic_themes_count_sessions_not_repeats_and_skip_common_words():
    topics = [
        "Case review: two frail patients with falls; medication review.",
        "Falls prevention and referrals to the falls clinic.",
        "Referral thresholds for safeguarding; falls.",
        "Wellbeing and workload.",
    ]
    themes = dict(topic_themes(topics))
    assert themes["falls"] == 3
    assert themes["referrals"] == 2  # 'referral' and 'referrals' are one theme
    assert "review" not in themes and "the" not in themes
    assert "wellbeing" not in themes  # one session only
    assert topic_themes([]) == []


def test_topic_themes_read_any_script():
    themes = dict(topic_themes(["Опека и падения", "падения дома", "إحالة المريض", "إحالة عاجلة"]))
    assert themes == {"падения": 2, "إحالة": 2}
