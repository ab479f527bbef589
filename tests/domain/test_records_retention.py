"""Records retention rules: periods from the end of the year of the last entry, legal hold,
and the schedule read from resources/retention/rules.json with its source."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arrs_desk.domain import records_retention as rr

DAYS = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))


def test_the_schedule_is_read_with_its_source_and_the_codes_periods():
    schedule = rr.default_schedule()
    assert schedule.source_url.startswith("https://transform.england.nhs.uk/")
    assert schedule.checked_on == date(2026, 12, 4)
    years = {r.code: r.years for r in schedule.rules}
    assert years == {"staff-record": 6, "staff-summary": None, "training-statutory": 10, "training-other": 6,
                     "applicants": 1}
    assert schedule.rule("staff-summary").until_age == 75
    assert schedule.rule("staff-summary").period_text == "until the 75th birthday"
    assert all(r.source for r in schedule.rules) and not any(r.changed for r in schedule.rules)


def test_an_administrators_period_replaces_the_codes_and_says_so():
    schedule = rr.default_schedule().with_years({"staff-record": 8, "nonsense": 3, "staff-summary": 2})
    assert schedule.rule("staff-record").years == 8 and schedule.rule("staff-record").changed
    assert schedule.rule("staff-summary").years is None  # a birthday rule has no years to change


@pytest.mark.parametrize(("last", "due"), [
    (date(2019, 1, 1), date(2026, 1, 1)),
    (date(2019, 12, 31), date(2026, 1, 1)),  # the last day of the year: the same day as the first
    (date(2020, 2, 29), date(2027, 1, 1)),  # a leap day moves nothing
    (date(2020, 3, 1), date(2027, 1, 1)),
])
def test_a_period_runs_from_the_end_of_the_year_of_the_last_entry(last, due):
    assert rr.period_starts(last) == date(last.year + 1, 1, 1)
    assert rr.falls_due(last, 6) == due
    assert not rr.is_due(last, 6, due - timedelta(days=1)) and rr.is_due(last, 6, due)


def test_legal_hold_and_people_in_post_are_never_due():
    assert not rr.is_due(date(2000, 5, 1), 6, date(2026, 12, 4), on_hold=True)
    assert not rr.is_due(None, 6, date(2026, 12, 4))
    assert rr.is_due(date(2000, 5, 1), 6, date(2026, 12, 4))


@pytest.mark.parametrize("bad", [-1, 101, 2.5, "6", True, None])
def test_a_period_is_a_whole_number_of_years(bad):
    with pytest.raises(ValueError):
        rr.check_years(bad)
    assert rr.check_years(0) == 0 and rr.check_years(100) == 100


@given(last=DAYS, years=st.integers(min_value=0, max_value=60))
def test_every_day_of_a_year_falls_due_together_on_a_new_years_day(last, years):
    due = rr.falls_due(last, years)
    assert (due.month, due.day) == (1, 1)
    assert due == rr.falls_due(date(last.year, 12, 31), years) == rr.falls_due(date(last.year, 1, 1), years)
    assert due.year - last.year == years + 1
    assert due > last  # never due on or before the last entry, even with 0 years


@given(last=DAYS, years=st.integers(min_value=0, max_value=60), today=DAYS)
def test_due_means_the_period_is_over(last, years, today):
    assert rr.is_due(last, years, today) == (today >= rr.falls_due(last, years))
    assert not rr.is_due(last, years, today, on_hold=True)
