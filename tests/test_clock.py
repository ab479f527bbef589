"""One clock: nothing under src/ asks the system for the date or time except arrs_desk/clock.py,
and the clock reckons "today" in England whatever the PC's zone."""

from __future__ import annotations

import ast
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest

from arrs_desk import clock as app_clock
from arrs_desk.clock import UK, FixedClock, ShiftedClock, parse_instant

SRC = Path(__file__).resolve().parent.parent / "src" / "arrs_desk"
CLOCK_MODULE = SRC / "clock.py"

FORBIDDEN = {
    ("date", "today"), ("datetime", "today"), ("datetime", "now"), ("datetime", "utcnow"),
    ("time", "time"), ("time", "time_ns"), ("time", "localtime"), ("time", "gmtime"),
    ("QDate", "currentDate"), ("QDateTime", "currentDateTime"), ("QDateTime", "currentDateTimeUtc"),
    ("QDateTime", "currentSecsSinceEpoch"), ("QDateTime", "currentMSecsSinceEpoch"),
}
"""Ways of reading the wall clock. time.monotonic and perf_counter measure durations and stay allowed."""


def wall_clock_reads(source: str) -> list[tuple[int, str]]:
    """(line, call) for each reference to a wall-clock reader, called or passed as a default."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if (node.value.id, node.attr) in FORBIDDEN:
                found.append((node.lineno, f"{node.value.id}.{node.attr}"))
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute):
            if (node.value.attr, node.attr) in FORBIDDEN:  # datetime.datetime.now, time.time via module
                found.append((node.lineno, f"{node.value.attr}.{node.attr}"))
    return found


def test_nothing_under_src_reads_the_wall_clock_but_the_clock_module():
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        if path == CLOCK_MODULE or "generated" in path.parts:
            continue
        for line, call in wall_clock_reads(path.read_text(encoding="utf-8")):
            offenders.append(f"{path.relative_to(SRC.parent)}:{line}: {call}")
    assert offenders == [], "read the time through arrs_desk.clock instead:\n" + "\n".join(offenders)


PC_ZONE_ALLOWED = {"services/retention/service.py"}
"""Where the PC's own zone is meant: backup files are named by this PC's local time (clock.local_now)."""


def pc_zone_conversions(source: str) -> list[int]:
    """Lines calling `.astimezone()` with no zone: the PC's own, which may not be England's."""
    return [node.lineno for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "astimezone" and not node.args and not node.keywords]


def test_times_are_shown_in_englands_time_not_the_pcs_zone():
    """A sign-in, a file added, an erasure or an export's time followed the PC's zone: on a PC set to
    another zone (a laptop back from abroad) they read hours apart from the same times elsewhere in
    the app. `clock.in_uk` gives England's time."""
    assert pc_zone_conversions("from datetime import datetime\nx = datetime(2027, 1, 1).astimezone()") == [2]
    assert pc_zone_conversions("x = y.astimezone(UK)") == []
    offenders = [f"{path.relative_to(SRC)}:{line}" for path in sorted(SRC.rglob("*.py"))
                 if path != CLOCK_MODULE and "generated" not in path.parts
                 and path.relative_to(SRC).as_posix() not in PC_ZONE_ALLOWED
                 for line in pc_zone_conversions(path.read_text(encoding="utf-8"))]
    assert offenders == [], "show times with arrs_desk.clock.in_uk:\n" + "\n".join(offenders)


@pytest.mark.parametrize("source", [
    "from datetime import date\nx = date.today()",
    "import datetime\nx = datetime.datetime.now()",
    "from datetime import datetime\ndef f(now=datetime.now): pass",
    "import time\nstamp = time.time()",
    "from PySide6.QtCore import QDate\nd = QDate.currentDate()",
])
def test_the_scan_catches_each_way_of_reading_the_clock(source):
    assert wall_clock_reads(source), source


def test_durations_stay_allowed():
    assert wall_clock_reads("import time\nt = time.monotonic()\nu = time.perf_counter()") == []


def test_today_is_the_date_in_england_whatever_the_utc_date():
    # 23:30 on 30 June in London is 22:30 UTC: still 30 June. 00:30 on 1 July BST is 23:30 UTC on 30 June.
    assert FixedClock(datetime(2027, 6, 30, 22, 30, tzinfo=timezone.utc)).today() == date(2027, 6, 30)
    assert FixedClock(datetime(2027, 6, 30, 23, 30, tzinfo=timezone.utc)).today() == date(2027, 7, 1)
    # New Year's Eve is GMT: 23:59 UTC is still 31 December.
    assert FixedClock(datetime(2027, 12, 31, 23, 59, tzinfo=timezone.utc)).today() == date(2027, 12, 31)


def test_a_day_when_the_clocks_change_is_one_day():
    # 28 March 2027: at 01:00 GMT the clocks go forward to 02:00 BST.
    before = FixedClock.on(date(2027, 3, 28), time(0, 30))
    after = FixedClock.on(date(2027, 3, 28), time(23, 30))
    assert before.today() == after.today() == date(2027, 3, 28)
    assert after.now() - before.now() == timedelta(hours=22)  # 23 hours of wall clock, 22 real ones
    autumn = FixedClock.on(date(2027, 10, 31), time(0, 30))
    autumn.advance(timedelta(hours=24))
    assert autumn.today() == date(2027, 10, 31)  # a 25-hour day: 24 hours later is 23:30 the same day


def test_now_is_aware_utc_and_moves_only_when_told():
    frozen = FixedClock.on(date(2028, 2, 29))
    assert frozen.now().tzinfo == timezone.utc and frozen.now() == frozen.now()
    frozen.advance(timedelta(days=1))
    assert frozen.today() == date(2028, 3, 1)


def test_a_shifted_clock_starts_on_the_day_asked_and_keeps_ticking():
    shifted = ShiftedClock(parse_instant("2027-12-31T23:30"))
    first = shifted.now()
    assert shifted.today() == date(2027, 12, 31)
    assert shifted.now() >= first


@pytest.mark.parametrize("text,expected", [
    ("2028-02-29", datetime(2028, 2, 29, 12, 0, tzinfo=UK)),
    ("2027-12-31T23:30", datetime(2027, 12, 31, 23, 30, tzinfo=UK)),
    ("2027-03-28T00:30+00:00", datetime(2027, 3, 28, 0, 30, tzinfo=timezone.utc)),
])
def test_instants_are_read_as_uk_time_unless_they_say_otherwise(text, expected):
    assert parse_instant(text) == expected


def test_a_wrong_instant_says_what_is_expected():
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_instant("31/12/2027")


def test_the_suite_runs_on_one_frozen_clock(clock, workspace):
    from tests.conftest import NOW, TODAY

    assert app_clock.current() is clock and clock.now() == NOW
    assert workspace.clock is clock and workspace.today() == TODAY
    clock.advance(timedelta(days=3))
    assert workspace.today() == TODAY + timedelta(days=3)


def test_a_job_pinned_to_today_never_reckons_from_tomorrow():
    from arrs_desk.clock import DayPinnedClock, pinned_to_today

    late = FixedClock.on(date(2027, 12, 31), time(23, 59))
    pinned = DayPinnedClock(late)
    late.advance(timedelta(minutes=5))  # the job runs past midnight
    assert late.today() == date(2028, 1, 1)
    assert pinned.today() == date(2027, 12, 31) and pinned.now().astimezone(UK).time() >= time(23, 59, 59)
    previous = app_clock.install(late)
    try:
        with pinned_to_today():
            assert app_clock.today() == date(2028, 1, 1)  # pinned to the day it was when the job began
        assert app_clock.current() is late
    finally:
        app_clock.install(previous)
