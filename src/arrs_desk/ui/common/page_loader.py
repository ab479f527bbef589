"""`PageLoader`: a page's data read in a worker, so the window never freezes while it loads.

A page calls `Page.load_data(fn, shown)` from its `refresh`. The read runs through the operation runner
in the background; the page keeps showing what it had (or its empty state the first time), and a
thin busy bar appears at its top only if the read takes longer than `BUSY_AFTER_MS`, so quick
loads do not flicker. A new load supersedes the one in flight, and hiding the page (switching to
another) cancels it: the worker's read cannot be stopped half-way through a query, but its result
is dropped when it arrives (a generation counter), so a late answer never overwrites newer data
or reaches a page the person has left. Errors of the current load are shown the standard way.
The read checks first that the page's person may still work (`Workspace.read_at_once`): if they
have left, or their account was turned off or changed, nothing is shown and the window locks.

When someone else signs in (`Page.set_context` with another person), what the page showed was
read for the person before: `conceal` covers it with a plain panel until a read for the new
person has been shown, so nobody glimpses data they may not read while their own loads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QLabel, QProgressBar, QWidget

from arrs_desk.errors import ArrsDeskError
from arrs_desk.ui.common.error_display import report_unexpected, show_error, show_status
from arrs_desk.ui.common.operation import Operation

BUSY_AFTER_MS = 150
"""A load quicker than this shows no busy cue at all."""
BAR_HEIGHT = 6
"""Thin enough to sit in the page's top margin, over nothing the person reads."""


class PageLoader(QObject):
    """Loads one page's data in the background; at most one load in flight per page."""

    def __init__(self, page: QWidget):
        super().__init__(page)
        self.page = page
        self.generation = 0
        self.operation: Operation | None = None
        self.bar = QProgressBar(page)
        self.bar.setRange(0, 0)  # indeterminate: it moves without saying how far
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(BAR_HEIGHT)
        self.bar.setAccessibleName("Loading")
        self.bar.setObjectName("pageLoading")
        self.bar.hide()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(BUSY_AFTER_MS)
        self._timer.timeout.connect(self.show_busy)
        self.cover: QLabel | None = None  # made by `conceal`, when first needed
        page.installEventFilter(self)  # the bar floats over the top of the page, so nothing moves

    @property
    def loading(self) -> bool:
        return self.operation is not None

    def load(self, fn: Callable[[Any], Any], shown: Callable[[Any], object]) -> Operation:
        """Read `fn(workspace)` in a worker, then hand the result to `shown` on the GUI thread,
        unless a newer load or `cancel` has come since."""
        self.cancel()
        generation = self.generation
        # The page and which of its reads (a tab may read something else): much the same each time.
        name = f"{type(self.page).__qualname__}/{getattr(fn, '__qualname__', '')}"
        # Read for the person signed in, whose account the read checks first (a leaver's window locks).
        reader = getattr(self.page, "actor", None)
        operation = Operation(self.page, lambda workspace: workspace.read_at_once(fn, name, reader=reader))
        operation.success(lambda result: self._arrived(generation, shown, result))
        operation.failure(lambda error: self._failed(generation, error))
        self.operation = operation
        self._timer.start()
        operation.run_in_background(busy_cursor=False)
        return operation

    def cancel(self) -> None:
        """Forget the load in flight: its result will be dropped when it comes."""
        self.generation += 1
        if self.operation is not None:
            self.operation.cancel()
        self._done()

    def wait(self) -> None:
        """Block until the load in flight has been delivered (tests; a closing window)."""
        if self.operation is not None:
            self.operation.wait()

    # --- what happens -------------------------------------------------------------------------
    def conceal(self) -> None:
        """Cover the page until the next load has been shown (another person has signed in)."""
        if self.cover is None:
            self.cover = QLabel("Loading…", self.page)
            self.cover.setAutoFillBackground(True)  # opaque: nothing under it shows through
            self.cover.setAccessibleName("Loading")
            self.cover.setObjectName("pageCover")
            from PySide6.QtCore import Qt  # here: see arrs_desk.ui.shell.app.show_main_window

            self.cover.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.cover.setGeometry(self.page.rect())
        self.cover.show()
        self.cover.raise_()

    @property
    def concealed(self) -> bool:
        return self.cover is not None and not self.cover.isHidden()

    def _arrived(self, generation: int, shown: Callable[[Any], object], result: Any) -> None:
        if generation != self.generation:
            return  # superseded or cancelled: the person has moved on
        self._done()
        shown(result)
        if self.cover is not None:
            self.cover.hide()  # only now: what is under it was read for the person signed in

    def _failed(self, generation: int, error: Exception) -> None:
        if generation != self.generation:
            if not isinstance(error, ArrsDeskError | OSError):
                report_unexpected(error)  # a bug is never dropped silently
            return
        self._done()
        show_error(self.page, error)

    def _done(self) -> None:
        self.operation = None
        self._timer.stop()
        if shiboken6.isValid(self.bar) and self.bar.isVisible():
            self.bar.hide()
            status = self._status_bar()
            if status is not None and status.currentMessage() == self._busy_text():
                status.clearMessage()

    def show_busy(self) -> None:
        """Show the busy cue now (it comes by itself once a load has taken BUSY_AFTER_MS)."""
        if self.operation is not None:
            self._place_bar()
            self.bar.show()
            self.bar.raise_()
            show_status(self.page, self._busy_text(), 0)  # in words too, until it has loaded

    def _busy_text(self) -> str:
        title = getattr(self.page, "title", "")
        return f"Loading {title}…" if title else "Loading…"

    def _status_bar(self):
        window = self.page.window()
        return window.statusBar() if hasattr(window, "statusBar") else None

    def _place_bar(self) -> None:
        self.bar.setGeometry(0, 0, self.page.width(), BAR_HEIGHT)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        if watched is self.page and event.type() == QEvent.Type.Resize:
            if self.bar.isVisible():
                self._place_bar()
            if self.concealed:
                self.cover.setGeometry(self.page.rect())
        return False
