"""Worker threads: the one place in the GUI that starts a thread and decides when it may go.

`Operation.run_in_background` hands its work here; nothing else in the GUI makes a QThread. The
rules below were learned the hard way and used to be repeated at every thread:

* Never `deleteLater` a worker. Deleting a QThread frees the Python callbacks connected to its
  signals; when one held the last reference to a parentless window, Python deleted the window,
  and a thread parented to that window a second time, inside the thread's own destructor: the
  test suite's old "malloc_consolidate(): unaligned fastbin chunk detected" abort. So workers
  are children of one long-lived pool parented to the QApplication, are reused rather than
  deleted, and only the pool's own methods are connected to their signals.
* Nothing is let go on a worker thread. The pool keeps each job (and so the closures that may
  hold the last reference to a window) until the thread has returned (`QThread.wait`), then
  drops it on the GUI thread, so Python frees widgets only where Qt allows it.
* Only the GUI thread touches widgets: results and progress cross as queued signals to the pool,
  which lives on the GUI thread and calls the job's callbacks there.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import QApplication

from arrs_desk.errors import Cancelled

Outcome = tuple[bool, Any]
"""(True, result) or (False, the exception the work raised)."""


class Progress:
    """Handed to work that says how far it has got; also how a Cancel button reaches it.

    `report` is for all-or-nothing work: after `cancel()` the next report raises Cancelled inside
    the worker, so the service rolls back whatever it had not committed. Work that keeps what it
    has finished (a batch of files) calls `update` and asks `cancelled()` between steps instead.
    """

    def __init__(self, emit: Callable[[int, int, str], None] | None = None):
        self._emit = emit
        self._stop = threading.Event()

    def update(self, done: int, total: int, text: str = "") -> None:
        if self._emit is not None:
            self._emit(done, total, text)

    def report(self, done: int, total: int, text: str = "") -> None:
        if self._stop.is_set():
            raise Cancelled("Cancelled: nothing was saved.")
        self.update(done, total, text)

    def cancel(self) -> None:
        self._stop.set()

    def cancelled(self) -> bool:
        return self._stop.is_set()


class Job:
    """What the pool runs: the work, and where its progress and outcome go (on the GUI thread)."""

    def __init__(self, work: Callable[[Progress], Any], *, progressed: Callable[[int, int, str], None],
                 finished: Callable[[Outcome, bool], None], owner: Any = None):
        self.work = work
        self.owner = owner  # what asked for it (an Operation)
        self.progressed = progressed
        self.finished = finished  # (outcome, delivered): delivered is False when the app is closing
        self.progress: Progress | None = None


class _Worker(QThread):
    done = Signal(object, int)  # (this worker, which run)
    progressed = Signal(object, int, int, int, str)  # (this worker, which run, done, total, text)

    def __init__(self, pool: QObject):
        super().__init__(pool)
        self.runs = 0
        self.job: Job | None = None
        self.outcome: Outcome | None = None

    def run(self) -> None:
        # Everything stays on `self`, never only in a local: the GUI thread lets go of it after `wait`.
        try:
            self.outcome = (True, self.job.work(self.job.progress))
        except BaseException as exc:  # noqa: BLE001  (the GUI thread decides what to show)
            self.outcome = (False, exc)
        self.done.emit(self, self.runs)


class WorkerPool(QObject):
    """Owns every worker thread for the life of the application (see the module's rules)."""

    def __init__(self, parent: QObject):
        super().__init__(parent)
        self._idle: list[_Worker] = []
        self._busy: dict[_Worker, Job] = {}

    def start(self, job: Job) -> None:
        worker = self._idle.pop() if self._idle else self._new_worker()
        worker.runs += 1
        run = worker.runs
        job.progress = Progress(lambda done, total, text: worker.progressed.emit(worker, run, done, total, text))
        worker.job = job
        self._busy[worker] = job
        worker.start()

    def _new_worker(self) -> _Worker:
        worker = _Worker(self)
        worker.done.connect(self._done)
        worker.progressed.connect(self._progressed)
        return worker

    def jobs(self) -> list[Job]:
        return list(self._busy.values())

    def wait(self, job: Job, *, deliver: bool = True) -> None:
        """Block until the job's work has returned, then deliver (or drop) its outcome now."""
        worker = next((w for w, j in self._busy.items() if j is job), None)
        if worker is not None:
            worker.wait()
            self._finish(worker, delivered=deliver)

    def wait_all(self, *, deliver: bool) -> None:
        """Let every job finish (a thread must never be destroyed while it runs); when the app is
        closing (`deliver=False`) their results are dropped, as their windows are going."""
        for worker in list(self._busy):
            worker.wait()
            self._finish(worker, delivered=deliver)

    def _done(self, worker: _Worker, run: int) -> None:
        if worker.runs == run and worker in self._busy:  # else already delivered by `wait`
            worker.wait()  # it has sent its result and is returning; let it return first
            self._finish(worker, delivered=True)

    def _progressed(self, worker: _Worker, run: int, done: int, total: int, text: str) -> None:
        job = self._busy.get(worker)
        if job is not None and worker.runs == run:
            job.progressed(done, total, text)

    def _finish(self, worker: _Worker, *, delivered: bool) -> None:
        job = self._busy.pop(worker)
        outcome = worker.outcome
        worker.job = worker.outcome = None  # let go here, on the GUI thread
        self._idle.append(worker)
        job.finished(outcome, delivered)


_pool: WorkerPool | None = None


def pool() -> WorkerPool:
    """The application's worker pool, made on first use as a child of the QApplication."""
    global _pool
    if _pool is None or not shiboken6.isValid(_pool):
        app = QApplication.instance()
        _pool = WorkerPool(app)
        app.aboutToQuit.connect(lambda: _pool.wait_all(deliver=False))
    return _pool
