"""Dates for tests that must pass on any day the suite's clock is set to (ARRS_TEST_TODAY):
offsets from TODAY, UK formatting, and the session dates a calendar-month frequency can reach."""

from __future__ import annotations

from datetime import date, timedelta

from arrs_desk.domain.dates import add_months

from tests.conftest import TODAY  # noqa: E402


def days_ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def days_ahead(days: int) -> date:
    return TODAY + timedelta(days=days)


def uk(day: date) -> str:
    """dd/mm/yyyy, as screens, exports and PDFs show a date."""
    return day.strftime("%d/%m/%Y")


def months_before(due: date, months: int = 1) -> date | None:
    """The day a session must be held for a `months`-month frequency to fall due on `due`, or None
    when no day does: calendar months skip some month ends (nothing held in November falls due on
    31 December, nothing held in February on 29-31 March)."""
    last = add_months(due, -months)
    return last if add_months(last, months) == due else None


def monthly_due_between(earliest: date, latest: date, months: int = 1) -> tuple[date, date]:
    """(session day, due day): the first due day from `earliest` to `latest` that a session `months`
    months earlier reaches. Any four days in a row hold one."""
    due = earliest
    while due <= latest:
        last = months_before(due, months)
        if last is not None:
            return last, due
        due += timedelta(days=1)
    raise ValueError(f"no {months}-month interval falls due between {earliest} and {latest}")
