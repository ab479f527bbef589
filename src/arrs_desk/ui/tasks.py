"""Running slow work off the GUI thread. Workers compute; only the GUI thread touches widgets."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal


class BackgroundCall(QThread):
    """Runs `call()` in a thread and reports back through queued signals."""

    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, call: Callable[[], Any], parent: QObject | None = None):
        super().__init__(parent)
        self._call = call

    def run(self) -> None:
        try:
            result = self._call()
        except Exception as exc:  # noqa: BLE001  (reported to the GUI thread, which decides)
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)
