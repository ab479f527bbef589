"""Python's garbage collector, run only on the GUI thread, and never over what the pages keep.

Automatic collection runs in whichever thread happens to allocate, so a worker thread (opening
the database, building PDFs) could destroy Qt widgets left in reference cycles by a closed
dialog, which crashes Qt. Collection is switched off and done here instead, from a timer on
the GUI thread, with the same generation thresholds Python would use.

A collection walks every object made since the last one, and holds the window still while it
does. After a page's figures are worked out those are hundreds of thousands of objects, nearly
all kept until the next change: at 5,000 staff a collection in the middle of Home's read walked
172,000 and held the window still for 88 ms, and at 10,000 staff collections were the longest
stand-stills of all. Walking them frees nothing, so:

* while a worker is working something out, nothing is collected (its objects are not garbage
  yet), for up to `PATIENCE` checks in a row (a long batch's cycles are still freed as it goes);
* once it has finished, more than `FREEZE_AFTER` new objects are frozen, not walked
  (`gc.freeze`: collections leave them alone; those let go later are still freed at once by
  reference counting, as nearly all are);
* what a freeze keeps alive is garbage in reference cycles made in the same moments (about 1,100
  objects over a walk through every page; a dialog open at the time, once closed), so in a quiet
  moment (no worker at work) after more than `FULL_AFTER` objects have been frozen (or as many
  as were left frozen by the last full collection, if more), or `FULL_EVERY` checks after the
  last, everything is unfrozen and collected in full, and what is left frozen again.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer


def collect_everything() -> int:
    """Unfreeze and collect every generation: how many unreachable objects were found."""
    gc.unfreeze()
    return gc.collect()


class GuiThreadGarbageCollector(QObject):
    INTERVAL_MS = 500
    FREEZE_AFTER = 20_000
    """New objects beyond which they are frozen rather than walked (walking 20,000 takes about 5 ms)."""
    PATIENCE = 10
    """Checks in a row (5 s) a worker's run may go uncollected: Home at 10,000 staff takes 2 s."""
    FULL_AFTER = 1_000_000
    """Objects frozen since the last full collection beyond which the next quiet moment has one."""
    FULL_EVERY = 1_200
    """Checks (10 minutes) after which anything frozen since is collected in full at the next quiet moment."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        gc.disable()
        self._frozen_since_full = 0
        self._checks_since_full = 0
        self._waited = 0
        self._left_by_full = gc.get_freeze_count()
        self._timer = QTimer(self, interval=self.INTERVAL_MS)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def check(self) -> None:
        counts = gc.get_count()
        self._checks_since_full += 1
        if _workers_at_work():
            self._waited += 1
            if self._waited <= self.PATIENCE:
                return  # what the worker is making is not garbage yet
        else:
            self._waited = 0
            if counts[0] > self.FREEZE_AFTER:
                self._frozen_since_full += counts[0]
                gc.freeze()
                return
            if self._frozen_since_full > max(self.FULL_AFTER, self._left_by_full) or \
                    (self._frozen_since_full and self._checks_since_full > self.FULL_EVERY):
                collect_everything()
                gc.freeze()
                self._frozen_since_full, self._checks_since_full = 0, 0
                self._left_by_full = gc.get_freeze_count()
                return
        for generation in (2, 1, 0):
            if counts[generation] > self._thresholds[generation]:
                gc.collect(generation)
                return


def _workers_at_work() -> bool:
    from arrs_desk.ui.common.workers import pool

    return bool(pool().jobs())


_installed: GuiThreadGarbageCollector | None = None


def install(app: QObject) -> GuiThreadGarbageCollector:
    global _installed
    if _installed is None:
        _installed = GuiThreadGarbageCollector(app)
    return _installed
