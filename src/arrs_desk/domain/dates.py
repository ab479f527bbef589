"""Calendar arithmetic shared by every rule that counts in months, and dates as UK users write them."""

from __future__ import annotations

import calendar
import re
from datetime import date


def add_months(day: date, months: int) -> date:
    """Calendar months, clamping to the month's end: 31 Jan + 1 month is 28 or 29 Feb."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


UK_FORMAT = "%d/%m/%Y"
"""How every screen, file and PDF writes a date: 15/12/2026."""

_SEPARATED = re.compile(r"(\d{1,2})\s*[/.\-\s]\s*(\d{1,2})\s*[/.\-\s]\s*(\d{4}|\d{2})")
_RUN_TOGETHER = re.compile(r"(\d{2})(\d{2})(\d{4}|\d{2})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def format_uk(day: date | None, missing: str = "") -> str:
    """dd/mm/yyyy, or `missing` for no date."""
    return day.strftime(UK_FORMAT) if day is not None else missing


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
