"""Python's garbage collector, run only on the GUI thread.

Automatic collection runs in whichever thread happens to allocate, so a worker thread (opening
the database, building PDFs) could destroy Qt widgets left in reference cycles by a closed
dialog, which crashes Qt. Collection is switched off and done here instead, from a timer on
the GUI thread, with the same generation thresholds Python would use.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer


class GuiThreadGarbageCollector(QObject):
    INTERVAL_MS = 500

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self, interval=self.INTERVAL_MS)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def check(self) -> None:
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self._thresholds[generation]:
                gc.collect(generation)
                return


_installed: GuiThreadGarbageCollector | None = None


def install(app: QObject) -> GuiThreadGarbageCollector:
    global _installed
    if _installed is None:
        _installed = GuiThreadGarbageCollector(app)
    return _installed
