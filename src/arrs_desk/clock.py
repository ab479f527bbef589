"""The one source of "now" and "today" for the whole application.

ARRS Desk is a record of dates, so nothing else asks the system for the time: services, audit
stamps, sign-off stamps, demo data, PDFs, the command line and the window all read the clock
installed here (a test in tests/test_clock.py fails if code under src/ calls `date.today()`,
`datetime.now()` or `time.time()` anywhere else). One process has one clock: the application
installs the system clock; tests install a frozen one through a single fixture.

"Now" is a timezone-aware UTC instant (what the audit trail keeps). "Today" is the calendar
date in England (Europe/London), whatever zone the PC is set to, so a session recorded at
23:30 on 31 December counts on 31 December and a day when the clocks change is one day.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

UK = ZoneInfo("Europe/London")
"""Where "today" is reckoned: the Network Contract's dates are dates in England."""


class Clock:
    """Tells the time. Subclasses give `now()`; everything else follows from it."""

    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        raise NotImplementedError

    def today(self) -> date:
        """Today's calendar date in England."""
        return self.now().astimezone(UK).date()

    def local_now(self) -> datetime:
        """Naive local time of this PC, for file names people read (backup copies)."""
        return self.now().astimezone().replace(tzinfo=None)


class SystemClock(Clock):
    """The real time, read from the operating system."""

    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class FixedClock(Clock):
    """A clock that stands still until moved: tests, demos built "as of" a day, benchmarks."""

    def __init__(self, instant: datetime):
        self._instant = _aware(instant)

    @classmethod
    def on(cls, day: date, at: time = time(12, 0)) -> "FixedClock":
        """The clock at `at` UK time on `day` (noon by default: the middle of a working day)."""
        return cls(datetime.combine(day, at, tzinfo=UK))

    def now(self) -> datetime:
        return self._instant

    def set(self, instant: datetime) -> None:
        self._instant = _aware(instant)

    def advance(self, delta: timedelta) -> None:
        self._instant += delta


class ShiftedClock(Clock):
    """The system clock moved to start at another instant, still ticking: running the app or a
    benchmark "as of" another day (ARRS_DESK_TODAY) with audit times that still follow each other."""

    def __init__(self, start: datetime):
        self._offset = _aware(start) - datetime.now(timezone.utc)

    def now(self) -> datetime:
        return datetime.now(timezone.utc) + self._offset


class DayPinnedClock(Clock):
    """Another clock that never passes the end of the day it was made on (in England).

    A long job that builds records "as of today" (the demonstration PCN at 10,000 staff takes
    minutes) must not have its later steps reckon from tomorrow when it runs past midnight: time
    still moves on through the day, then stands at 23:59:59.999999 until the job ends.
    """

    def __init__(self, base: Clock):
        self._base = base
        day = base.today()
        self._last = datetime.combine(day, time.max, tzinfo=UK).astimezone(timezone.utc)

    def now(self) -> datetime:
        return min(self._base.now(), self._last)


@contextmanager
def pinned_to_today() -> Iterator[Clock]:
    """Run a block on the installed clock pinned to its current day; the clock goes back after."""
    previous = install(DayPinnedClock(_current))
    try:
        yield _current
    finally:
        install(previous)


def _aware(instant: datetime) -> datetime:
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UK)
    return instant.astimezone(timezone.utc)


_current: Clock = SystemClock()


def current() -> Clock:
    """The clock the process runs on."""
    return _current


def install(clock: Clock) -> Clock:
    """Make `clock` the process's clock; returns the one it replaces so a caller can put it back."""
    global _current
    previous, _current = _current, clock
    return previous


def now() -> datetime:
    """The current UTC instant by the installed clock (timestamps in the store use this)."""
    return _current.now()


def today() -> date:
    """Today in England by the installed clock."""
    return _current.today()


def uk_days(first: date, last: date) -> tuple[datetime, datetime]:
    """The UTC instants (as stored) from the start of `first` to the start of the day after `last`,
    both days in England: a filter "from 15/07 to 15/07" holds what was done on 15/07 in UK time,
    not what was done between midnight and 1am on the 16th in summer time."""
    start = datetime.combine(first, time.min, UK).astimezone(timezone.utc)
    after = datetime.combine(last + timedelta(days=1), time.min, UK).astimezone(timezone.utc)
    return start, after


def in_uk(instant: datetime) -> datetime:
    """A stored instant (UTC; SQLite hands it back without a zone) as the time in England, for
    people to read: its date is the day it happened there, whatever zone this PC is set to."""
    return (instant if instant.tzinfo else instant.replace(tzinfo=timezone.utc)).astimezone(UK)


def local_now() -> datetime:
    """This PC's naive local time by the installed clock (backup file names)."""
    return _current.local_now()


def parse_instant(text: str) -> datetime:
    """A day (`2028-02-29`, taken at noon UK time) or an instant (`2027-12-31T23:30`, UK time
    unless it carries an offset), as used by ARRS_DESK_TODAY and the test suite's --today."""
    text = text.strip()
    try:
        if "T" in text or " " in text:
            return _aware(datetime.fromisoformat(text))
        return _aware(datetime.combine(date.fromisoformat(text), time(12, 0), tzinfo=UK))
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a date (YYYY-MM-DD) or a time (YYYY-MM-DDTHH:MM)") from exc
