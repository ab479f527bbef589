"""The 12 months up to a day, at the month ends where clamping makes two days share an anniversary.

Before months_window_start, "the 12 months to 28/02/2029" began on 29/02/2028 (28/02/2028 plus a
day), so it ran 366 days and a person who started or left on 29/02/2028 counted in the year to
29/02/2028 and again in the year to 28/02/2029; a review period suggested on 28/02/2029 was a year
and a day.
"""

from datetime import date

import pytest

from arrs_desk.domain import assurance as a
from arrs_desk.domain.dates import months_window_start
from arrs_desk.domain.reviews import suggested_period


@pytest.mark.parametrize(("end", "months", "first"), [
    (date(2026, 11, 24), 12, date(2025, 11, 25)),  # an ordinary day: the day after a year ago
    (date(2028, 2, 29), 12, date(2027, 3, 1)),  # 366 days, 29/02 included
    (date(2029, 2, 28), 12, date(2028, 3, 1)),  # not 29/02/2028: its 12 months ended today
    (date(2028, 2, 28), 12, date(2027, 3, 1)),
    (date(2027, 12, 31), 12, date(2027, 1, 1)),
    (date(2027, 2, 28), 1, date(2027, 2, 1)),  # one month to 28/02 is February, not from 29/01
    (date(2027, 3, 30), 1, date(2027, 3, 1)),
    (date(2027, 8, 31), 6, date(2027, 3, 1)),
    (date(2027, 9, 30), 6, date(2027, 4, 1)),  # 31/03 + 6 months is 30/09
])
def test_the_window_starts_on_the_first_day_whose_months_are_not_yet_up(end, months, first):
    assert months_window_start(end, months) == first


def test_a_window_needs_a_month():
    with pytest.raises(ValueError):
        months_window_start(date(2027, 1, 1), 0)


def test_a_leap_day_starter_counts_as_a_starter_in_one_year_only():
    leap_day = a.Tenure(date(2028, 2, 29), None)
    assert a.retention("G", [leap_day], date(2028, 2, 29)).starters == 1
    later = a.retention("G", [leap_day], date(2029, 2, 28))
    assert (later.starters, later.retained, later.too_recent) == (0, 1, 0)  # a year in post today, and retained
    march = a.retention("G", [a.Tenure(date(2028, 3, 1), None)], date(2029, 2, 28))
    assert (march.starters, march.too_recent) == (1, 1)


def test_a_leap_day_leaver_counts_as_a_leaver_in_one_year_only():
    left = a.Tenure(date(2020, 1, 6), date(2028, 2, 29), "Relocation")
    assert a.retention("G", [left], date(2028, 2, 29)).leavers == 1
    assert a.retention("G", [left], date(2029, 2, 28)).leavers == 0


def test_a_year_long_review_period_is_never_a_year_and_a_day():
    assert suggested_period("annual", date(2020, 1, 6), None, date(2029, 2, 28)) == (date(2028, 3, 1), date(2029, 2, 28))
    assert suggested_period("annual", date(2020, 1, 6), None, date(2028, 2, 29)) == (date(2027, 3, 1), date(2028, 2, 29))
    assert suggested_period("interim", date(2020, 1, 6), None, date(2027, 8, 31)) == (date(2027, 3, 1), date(2027, 8, 31))
