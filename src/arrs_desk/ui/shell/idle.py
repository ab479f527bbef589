"""Noticing when a shared PC has been left alone, so the app can lock itself."""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

_ACTIVITY = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
})


class IdleWatcher(QObject):
    """Emits `idle` once after `minutes` with no keyboard or mouse input anywhere in the app."""

    idle = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._since_input = QElapsedTimer()
        self._limit_ms = 0
        self._timer = QTimer(self, interval=5000)
        self._timer.timeout.connect(self._check)

    def start(self, minutes: int) -> None:
        self._limit_ms = minutes * 60_000
        self._since_input.start()
        if minutes > 0:
            QApplication.instance().installEventFilter(self)
            self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if event.type() in _ACTIVITY:
            self._since_input.restart()
        return False

    def _check(self) -> None:
        if self._limit_ms and self._since_input.elapsed() >= self._limit_ms:
            self.stop()
            self.idle.emit()
