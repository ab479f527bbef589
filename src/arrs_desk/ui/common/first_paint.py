"""Run something once a widget has first been painted (or after a short wait at most).

Start-up fills the staff list from a light read and then opens the database properly in a
background thread. That thread spends most of a second importing and setting up the database
layer, holding Python's interpreter lock for much of it: started while the list is first laid out
and painted, it held the first paint up by about 130 ms (a third of the start at 1,000 staff).
Started just after that paint, the list is usable sooner and the database opens no later.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class _FirstPaint(QObject):
    def __init__(self, widget: QWidget, callback: Callable[[], None], at_most_ms: int):
        super().__init__(widget)
        self._widget, self._callback, self._done = widget, callback, False
        widget.installEventFilter(self)
        QTimer.singleShot(at_most_ms, self, self._run)  # a hidden or minimised window is never painted

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Paint and not self._done:
            QTimer.singleShot(0, self, self._run)  # once this paint has finished
        return False

    def _run(self) -> None:
        if self._done:
            return
        self._done = True
        self._widget.removeEventFilter(self)
        self._callback()


def after_first_paint(widget: QWidget, callback: Callable[[], None], at_most_ms: int = 500) -> None:
    """Call `callback` once, just after `widget` is next painted, or after `at_most_ms` if it is not."""
    _FirstPaint(widget, callback, at_most_ms)
