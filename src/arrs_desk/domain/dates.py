"""Calendar arithmetic shared by every rule that counts in months, and dates as UK users write them."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta


def stored_date(value: date | str | None) -> date | None:
    """A date column as the database driver hands it over: PostgreSQL's as a date already, SQLite's
    as ISO text when read untyped (parsing it here is far faster than SQLAlchemy's Date type for
    the thousands of rows a page reads, and needs nothing heavier than the standard library)."""
    if value is None or type(value) is date:
        return value
    return date.fromisoformat(value[:10])


def add_months(day: date, months: int) -> date:
    """Calendar months, clamping to the month's end: 31 Jan + 1 month is 28 or 29 Feb."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    if day.day <= 28:  # every month has the day: no clamping to look up
        return date(year, month, day.day)
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


UK_FORMAT = "%d/%m/%Y"
"""How every screen, file and PDF writes a date: 15/12/2026."""

_SEPARATED = re.compile(r"(\d{1,2})\s*[/.\-\s]\s*(\d{1,2})\s*[/.\-\s]\s*(\d{4}|\d{2})")
_RUN_TOGETHER = re.compile(r"(\d{2})(\d{2})(\d{4}|\d{2})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def format_uk(day: date | None, missing: str = "") -> str:
    """dd/mm/yyyy (UK_FORMAT), or `missing` for no date. Not `strftime`: it is several times
    slower, and a matrix of thousands of people writes a date into many of its reasons."""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}" if day is not None else missing


def parse_uk_date(text: str, *, today: date) -> date | None:
    """A date as people in the UK type it, or None when `text` is not one.

    Day first always: `15/12/2026`, `15.12.26`, `15-12-2026`, `15 12 2026`, `15122026`, `151226`,
    and ISO `2026-12-15`. A two-digit year is the one in the century that puts the date no more
    than 30 years after `today` (so `75` is 1975 and `26` is 2026).
    """
    text = text.strip()
    if match := _ISO.fullmatch(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := _SEPARATED.fullmatch(text) or _RUN_TOGETHER.fullmatch(text):
        day, month, year = (int(g) for g in match.groups())
        if len(match.group(3)) == 2:
            year += 2000 if 2000 + year <= today.year + 30 else 1900
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None
