"""A window left open past midnight reckons from the new day (`ui.shell.day_watcher`): the page
showing reads its figures again, Home's are worked out ahead, and yesterday's are let go.

The day is England's, from the one clock: tested on the nights where that is easy to get wrong
(a year's end, a leap day, and the nights the clocks go forward and back).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from arrs_desk.clock import UK
from arrs_desk.services.dashboard import DashboardService
from arrs_desk.services.shared_reads import shared_reads
from arrs_desk.ui.common.operation import running_operations
from arrs_desk.ui.shell.day_watcher import DayWatcher


def _uk(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UK)


@pytest.mark.parametrize(("start", "steps", "new_days"), [
    pytest.param(_uk(2026, 12, 31, 23, 59, 30), 2, [date(2027, 1, 1)], id="a year's end"),
    pytest.param(_uk(2028, 2, 28, 23, 59, 30), 2, [date(2028, 2, 29)], id="into a leap day"),
    pytest.param(_uk(2028, 2, 29, 23, 59, 30), 2, [date(2028, 3, 1)], id="out of a leap day"),
    pytest.param(_uk(2027, 3, 27, 23, 59, 30), 2, [date(2027, 3, 28)], id="the night the clocks go forward"),
    # 00:59:30 GMT, then 02:00:30 BST a minute later: the hour skipped is not a new day.
    pytest.param(_uk(2027, 3, 28, 0, 59, 30), 2, [], id="across the hour the clocks skip"),
    pytest.param(_uk(2027, 10, 30, 23, 59, 30), 2, [date(2027, 10, 31)], id="the night the clocks go back"),
    # 01:00 to 02:00 happens twice on 31 October 2027: still the same day, and only one new day.
    pytest.param(_uk(2027, 10, 31, 0, 30), 240, [], id="through the hour the clocks repeat"),
])
def test_a_new_day_is_noticed_once_on_the_nights_that_are_easy_to_get_wrong(qapp, clock, start, steps, new_days):
    clock.set(start)
    watcher = DayWatcher()
    seen = []
    watcher.new_day.connect(seen.append)
    for _ in range(steps):
        clock.advance(timedelta(minutes=1))
        watcher.check()
    assert seen == new_days
    assert watcher.day == clock.today()


def test_a_clock_put_back_to_an_earlier_day_is_a_new_day_too(qapp, clock):
    """What is kept was reckoned from another day, whichever way the clock moved."""
    watcher = DayWatcher()
    seen = []
    watcher.new_day.connect(seen.append)
    clock.advance(timedelta(days=-3))
    watcher.check()
    watcher.check()
    assert seen == [clock.today()]


def test_the_page_left_showing_overnight_reads_todays_figures(main_window, qtbot, clock, demo_workspace, system_actor):
    main_window.show_page("Home")
    page = main_window.page("Home")
    qtbot.waitUntil(lambda: page.dashboard is not None and page.dashboard.complete)
    first_day = page.dashboard.today
    clock.advance(timedelta(days=1))
    assert page.dashboard.today == first_day  # nothing has noticed yet
    main_window.day_watcher.check()
    qtbot.waitUntil(lambda: page.dashboard.today == first_day + timedelta(days=1) and page.dashboard.complete and not running_operations())
    assert page.dashboard == DashboardService(demo_workspace).attention(system_actor)
    assert "A new day" in main_window.statusBar().currentMessage()


def test_homes_figures_for_the_new_day_are_worked_out_before_home_is_opened(main_window, qtbot, clock):
    """The staff list was showing at midnight: opening Home in the morning finds its figures ready."""
    kept = shared_reads(main_window.workspace.db)
    clock.advance(timedelta(days=1))
    main_window.day_watcher.check()
    qtbot.waitUntil(lambda: not running_operations(), timeout=30_000)
    computed = kept.computed
    main_window.show_page("Home")
    page = main_window.page("Home")
    qtbot.waitUntil(lambda: page.dashboard is not None and page.dashboard.complete and page.dashboard.today == clock.today())
    assert kept.computed == computed  # nothing worked out again: the figures were ready


def test_a_window_with_no_one_signed_in_lets_yesterdays_figures_go_and_reads_nothing(main_window, qtbot, clock,
                                                                                   monkeypatch):
    """Behind the lock screen (no one signed in) a new day only lets figures go: whoever signs
    in next gets their own read then."""
    main_window.show_page("Home")
    page = main_window.page("Home")
    qtbot.waitUntil(lambda: page.dashboard is not None and page.dashboard.complete and not running_operations())
    kept = shared_reads(main_window.workspace.db)
    actor = main_window.actor
    assert kept.holds(actor)
    monkeypatch.setattr(main_window, "actor", None)
    clock.advance(timedelta(days=1))
    computed = kept.computed
    main_window.day_watcher.check()
    qtbot.wait(50)
    assert not running_operations() and kept.computed == computed
    assert not kept.holds(actor)  # yesterday's went


def test_signing_in_on_a_new_day_reads_once_and_lets_yesterdays_figures_go(main_window, qtbot, clock):
    """The day changed while the window was locked and the watcher had not yet looked: signing in
    reads everything for today once (not again for a new day noticed just after), and lets go of
    what was kept for the day before."""
    workspace, actor = main_window.workspace, main_window.actor
    main_window.show_page("Home")
    page = main_window.page("Home")
    qtbot.waitUntil(lambda: page.dashboard is not None and page.dashboard.complete and not running_operations())
    kept = shared_reads(workspace.db)
    clock.advance(timedelta(days=1))
    announced = []
    main_window.day_watcher.new_day.connect(announced.append)
    main_window.set_workspace(workspace, actor)
    qtbot.waitUntil(lambda: page.dashboard.today == clock.today() and page.dashboard.complete and not running_operations())
    main_window.day_watcher.check()
    assert announced == []  # the day was taken as seen when signing in
    computed = kept.computed
    clock.advance(timedelta(days=-1))
    DashboardService(workspace).attention(actor)
    assert kept.computed > computed  # the day before's figures had been let go
