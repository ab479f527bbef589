"""Running slow work off the GUI thread. Workers compute; only the GUI thread touches widgets."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal

from arrs_desk.errors import Cancelled


class BackgroundCall(QThread):
    """Runs `call()` in a thread and reports back through queued signals.

    With `with_progress=True` the call is given a `report(done, total)` function: each report
    reaches the GUI as the `progress` signal, and after `cancel()` the next report raises
    Cancelled inside the worker, so the service rolls back whatever it had not committed.

    Give it a parent and let it go with the parent; never `deleteLater` it. Deleting it frees the
    Python callbacks connected to its signals, and if one held the last reference to a parentless
    window, Python deletes the window and this thread again inside the thread's destructor: the
    test suite's old "malloc_consolidate(): unaligned fastbin chunk detected" abort.
    """

    succeeded = Signal(object)
    failed = Signal(object)
    progress = Signal(int, int)

    def __init__(self, call: Callable[..., Any], parent: QObject | None = None, *, with_progress: bool = False):
        super().__init__(parent)
        self._call = call
        self._with_progress = with_progress
        self._cancelled = False

    def cancel(self) -> None:
        self._cancelled = True

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def report(self, done: int, total: int) -> None:
        if self._cancelled:
            raise Cancelled("Cancelled: nothing was saved.")
        self.progress.emit(done, total)

    def run(self) -> None:
        try:
            result = self._call(self.report) if self._with_progress else self._call()
        except Exception as exc:  # noqa: BLE001  (reported to the GUI thread, which decides)
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)
