"""Calendar arithmetic shared by every rule that counts in months."""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def add_months(day: date, months: int) -> date:
    """Calendar months, clamping to the month's end: 31 Jan + 1 month is 28 or 29 Feb."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_window_start(end: date, months: int) -> date:
    """The first day of the `months` calendar months that end on `end` (both days counted).

    A day belongs to the window when its `months`-month anniversary, reckoned by `add_months`
    like every other rule, is still to come on `end`. That is usually the day after `end`
    minus the months, but not when clamping makes two days share an anniversary: the 12 months
    to 28/02/2029 start on 01/03/2028, since 29/02/2028 reaches its anniversary on 28/02/2029
    and already counted in the 12 months to 29/02/2028. Windows a whole number of months apart
    therefore never share a day, and nobody is counted in two years.
    """
    if months < 1:
        raise ValueError("a window needs at least one month")
    first = add_months(end, -months) + timedelta(days=1)
    while add_months(first, months) <= end:  # at most three days, at a month end
        first += timedelta(days=1)
    return first
