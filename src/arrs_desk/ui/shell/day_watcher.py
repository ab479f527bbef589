"""Noticing that the day has changed while the window is open.

ARRS Desk is often left open on a practice PC overnight or over a weekend. What it shows depends
on the day: a supervision session due yesterday is overdue today, a probation review falls due, a
registration lapses, a refresher expires. A page reads its figures when it is shown, so without
this the page left on screen would go on showing yesterday's verdicts until someone clicked
elsewhere, and the first page opened in the morning would wait for figures worked out afresh.

The day is the one clock's (`arrs_desk.clock.today`: England's date, so midnight is midnight in
the UK whatever the clocks do in March and October). It is looked at every half minute and
whenever the application becomes active again (a PC woken from sleep, where timers wake late).
A clock put back to an earlier day counts as a new day too: what is kept was reckoned from another.

Made once someone has signed in (`MainWindow.day_watcher`), never on the way to the first window.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication

from arrs_desk import clock

CHECK_EVERY_MS = 30_000
"""How often the day is looked at: a new day is noticed within half a minute of midnight."""


class DayWatcher(QObject):
    """Emits `new_day` with the new date, once, when the clock's day is not the one last seen."""

    new_day = Signal(object)

    def __init__(self, parent: QObject | None = None, today: Callable[[], date] = clock.today):
        super().__init__(parent)
        self._today = today
        self._day = today()
        self._timer = QTimer(self, interval=CHECK_EVERY_MS)
        self._timer.timeout.connect(self.check)
        self._timer.start()
        app = QGuiApplication.instance()
        if app is not None:
            app.applicationStateChanged.connect(self._state_changed)

    @property
    def day(self) -> date:
        """The day the window's figures are reckoned from."""
        return self._day

    def check(self) -> None:
        if self.catch_up():
            self.new_day.emit(self._day)

    def catch_up(self) -> bool:
        """Take the clock's day as the one seen without emitting `new_day`, for a caller about to
        read everything afresh anyway; True when it had changed."""
        day = self._today()
        changed, self._day = day != self._day, day
        return changed

    def _state_changed(self, state) -> None:
        if state == Qt.ApplicationState.ApplicationActive:
            self.check()
