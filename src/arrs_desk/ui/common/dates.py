"""The date helpers every view uses: the one QDate <-> date converter pair and the UK date text.

Views hold Python dates (the services' read shapes do) and Qt widgets hold QDates; converting in
one place keeps the two from drifting (a month off by one, a time zone slipped in through
QDateTime). Dates are shown as dd/mm/yyyy everywhere (`domain.dates.format_uk` for the rules).
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDate


def qdate(value: date) -> QDate:
    """A Python date as a QDate (a datetime gives its date)."""
    return QDate(value.year, value.month, value.day)


def pydate(value: QDate) -> date:
    """A QDate as a Python date."""
    return date(value.year(), value.month(), value.day())


def uk_date(value: date | datetime | None) -> str:
    """dd/mm/yyyy, or "" for no date. Put together by hand: a third of the time of `strftime`,
    which lists of thousands of rows call for every date they show."""
    return f"{value.day:02d}/{value.month:02d}/{value.year}" if value else ""
