"""`Operation`: the one way the GUI calls the services, now or in a worker thread.

Modelled on Anki's `CollectionOp`/`QueryOp`. A screen describes the call once:

    Operation(self, lambda ws: ws.staff.update(self.actor, ...)) \\
        .changes(STAFF).fields(self.errors).success(self.saved).run()

* `fn` gets the workspace (the nearest one up the parent chain) and returns a result.
* `run()` calls it at once on the GUI thread (quick reads and writes); `run_in_background()`
  in a worker (`workers.py` owns the thread), with a busy cursor on the parent, an optional
  progress dialog, progress reports and cancellation.
* On success the areas named in `changes` are announced once (`changes.py`), so every screen
  showing them refreshes itself, and then `success` gets the result.
* On failure a `ValidationError` goes back to the form (`fields`) when the caller gave one; any
  other error goes to `failure` if given, else is shown the standard way (`error_display.py`).
  After a `SessionEnded` (the account's holder has left, or the account was changed, since signing
  in) the window locks.
* A result that arrives after the parent window was closed (or deleted) is dropped; a change it
  made is still announced, and an unexpected error still reaches the crash log.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import shiboken6
from PySide6.QtWidgets import QProgressBar, QProgressDialog, QWidget

from arrs_desk.errors import ArrsDeskError, SessionEnded, ValidationError
from arrs_desk.ui.common.changes import announce
from arrs_desk.ui.common.error_display import end_session, report_unexpected, show_error
from arrs_desk.ui.common.workers import Job, Outcome, Progress, pool

if TYPE_CHECKING:
    # For editors and type checkers only, so a reader can follow `lambda ws: ws.staff.update(...)`
    # from a button to the service. Views may import services (the layers contract allows it),
    # and at run time the workspace arrives as an argument, so nothing is imported here.
    from arrs_desk.services.workspace import Workspace

T = TypeVar("T")
FROM_PARENT: Any = object()
"""The default workspace: the nearest one up the parent chain (`workspace_of`)."""
BUSY = "operationsRunning"
"""Property counting the background operations a widget is waiting for (its busy cursor)."""


def workspace_of(widget) -> Workspace | None:
    """The workspace a widget works on: its own, or that of the nearest parent holding one."""
    while widget is not None:
        for name in ("workspace", "_workspace"):
            workspace = getattr(widget, name, None)
            if workspace is not None:
                return workspace
        widget = widget.parent()
    return None


class Operation(Generic[T]):
    """One call to the services from a screen, described once and run now or in a worker."""

    def __init__(self, parent: QWidget | None,
                 fn: Callable[[Workspace], T] | Callable[[Workspace, Progress], T], *,
                 workspace: Workspace | None = FROM_PARENT,
                 with_progress: bool = False):
        """`fn(workspace)`, or `fn(workspace, progress)` with `with_progress` (see `workers.Progress`).
        Pass `workspace=None` only for what makes one (opening a database)."""
        self._parent = parent
        self._fn = fn
        self._workspace = workspace_of(parent) if workspace is FROM_PARENT else workspace
        if self._workspace is None and workspace is FROM_PARENT:
            raise ValueError("Operation needs a workspace: none was given and the parent has none")
        self._with_progress = with_progress
        self._on_success: Callable[[T], object] | None = None
        self._on_failure: Callable[[Exception], object] | None = None
        self._fields: Any = None
        self._areas: frozenset[str] = frozenset()
        self._on_progress: Callable[[int, int, str], object] | None = None
        self._dialog: tuple[str, str, int, bool, int] | None = None
        self._job: Job | None = None
        self._watching_window = False
        self._busy_cursor = False
        self.progress: QProgressDialog | None = None
        """The progress dialog while a background run shows one."""
        self.result: T | None = None
        self.error: Exception | None = None

    # --- describing it ---------------------------------------------------------------------
    def success(self, callback: Callable[[T], object]) -> Operation[T]:
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[Exception], object]) -> Operation[T]:
        """Handle every error yourself (`show_error` still shows one the standard way)."""
        self._on_failure = callback
        return self

    def fields(self, target) -> Operation[T]:
        """Validation errors go to the form: a `FieldErrors` (messages under the fields) or a
        callable given the ValidationError; other errors are still shown as messages."""
        self._fields = target
        return self

    def changes(self, *areas: str) -> Operation[T]:
        """The areas a successful run changes (`changes.STAFF`, ...): announced once."""
        if areas and self._workspace is None:
            raise ValueError("only an operation on a workspace can change it")
        self._areas = frozenset(areas)
        return self

    def on_progress(self, callback: Callable[[int, int, str], object]) -> Operation[T]:
        self._on_progress = callback
        return self

    def progress_dialog(self, label: str, *, title: str = "", total: int = 0, cancellable: bool = False,
                        show_after_ms: int = 400) -> Operation[T]:
        """Show a window-modal progress dialog while running in the background (only if it takes
        longer than `show_after_ms`); with `cancellable`, its Cancel button cancels the work."""
        self._dialog = (label, title, total, cancellable, show_after_ms)
        return self

    # --- running it ---------------------------------------------------------------------------
    def run(self) -> bool:
        """Run now on the GUI thread; True when it succeeded (after `success` was called)."""
        try:
            result = self._call(Progress() if self._with_progress else None)
        except Exception as exc:  # noqa: BLE001  (every error is shown or handled in `_failed`)
            self._failed(exc)
            return False
        self._succeeded(result)
        return True

    def run_in_background(self, *, busy_cursor: bool = True) -> Operation[T]:
        """Start in a worker thread and return at once; the callbacks run on the GUI thread.
        `busy_cursor=False` for work that shows its own cue (a page's load, `page_loader`)."""
        parent = self._parent
        self._watching_window = parent is not None and parent.window().isVisible()
        self._busy_cursor = busy_cursor and parent is not None
        if self._busy_cursor:
            busy = (parent.property(BUSY) or 0) + 1
            parent.setProperty(BUSY, busy)
            if busy == 1:
                from PySide6.QtCore import Qt  # here: see arrs_desk.ui.shell.app.show_main_window

                parent.setCursor(Qt.CursorShape.BusyCursor)
        if self._dialog is not None:
            self.progress = self._make_dialog(*self._dialog)
        self._job = Job(self._call, progressed=self._progressed, finished=self._finished, owner=self)
        pool().start(self._job)
        return self

    @property
    def running(self) -> bool:
        return self._job is not None

    @property
    def workspace(self) -> Workspace | None:
        return self._workspace

    @property
    def window(self) -> QWidget | None:
        """The window of the widget that asked (None once it is gone)."""
        parent = self._parent
        return parent.window() if parent is not None and shiboken6.isValid(parent) else None

    def cancel(self) -> None:
        """Ask background work that reports progress to stop at its next report."""
        if self._job is not None and self._job.progress is not None:
            self._job.progress.cancel()

    def wait(self, *, deliver: bool = True) -> None:
        """Block until background work is done and its result delivered (a thread must never
        be destroyed while it runs: windows call this before they close); `deliver=False`
        drops the result, for a window that is closing."""
        if self._job is not None:
            pool().wait(self._job, deliver=deliver)

    # --- what happens -------------------------------------------------------------------------
    def _call(self, progress: Progress | None) -> T:
        if self._with_progress:
            return self._fn(self._workspace, progress)
        return self._fn(self._workspace)

    def _succeeded(self, result: T) -> None:
        self.result = result
        announce(self._workspace, self._areas)
        if self._on_success is not None:
            self._on_success(result)

    def _failed(self, error: Exception) -> None:
        self.error = error
        if isinstance(error, ValidationError) and self._fields is not None:
            if callable(self._fields):
                self._fields(error)
            else:
                self._fields.show(error.errors)
        elif self._on_failure is not None:
            self._on_failure(error)
        else:
            show_error(self._parent, error)
        if isinstance(error, SessionEnded):
            end_session(self._parent)

    def _progressed(self, done: int, total: int, text: str) -> None:
        if self.progress is not None and shiboken6.isValid(self.progress):
            bar = self.progress.findChild(QProgressBar)
            bar.setRange(0, total)
            bar.setValue(done)
        if self._on_progress is not None and self._parent_still_there():
            self._on_progress(done, total, text)

    def _finished(self, outcome: Outcome, delivered: bool) -> None:
        self._job = None
        self._close_dialog()
        parent = self._parent
        if self._busy_cursor and shiboken6.isValid(parent):
            busy = max((parent.property(BUSY) or 1) - 1, 0)
            parent.setProperty(BUSY, busy)
            if not busy:
                parent.unsetCursor()
        ok, value = outcome
        if not isinstance(value, Exception) and not ok:
            raise value  # KeyboardInterrupt, SystemExit: not ours to swallow
        if delivered and self._parent_still_there():
            if ok:
                self._succeeded(value)
            else:
                self._failed(value)
        elif ok and delivered:
            self.result = value
            announce(self._workspace, self._areas)  # the change happened, whoever asked for it
        elif not ok and not isinstance(value, ArrsDeskError | OSError):
            report_unexpected(value)  # a bug is never dropped silently

    def _parent_still_there(self) -> bool:
        parent = self._parent
        if parent is None:
            return True
        if not shiboken6.isValid(parent):
            return False
        return not (self._watching_window and not parent.window().isVisible())

    def _make_dialog(self, label: str, title: str, total: int, cancellable: bool,
                     show_after_ms: int) -> QProgressDialog:
        dialog = QProgressDialog(label, "Cancel" if cancellable else "", 0, total, self._parent)
        # Progress goes straight to a bar of our own, never through QProgressDialog.setValue: on a
        # modal dialog that runs a nested event loop, which can deliver the end of the work and
        # delete the dialog inside its own method (a use after free that crashed the suite).
        bar = QProgressBar()
        bar.setRange(0, total)
        bar.setValue(0)  # at its minimum, so the dialog still shows itself after `show_after_ms`
        dialog.setBar(bar)
        if not cancellable:
            dialog.setCancelButton(None)
        else:
            dialog.canceled.connect(self.cancel)
        dialog.setWindowTitle(title or label)
        dialog.setAccessibleName(label)
        from PySide6.QtCore import Qt  # here: see arrs_desk.ui.shell.app.show_main_window

        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(show_after_ms)
        return dialog

    def _close_dialog(self) -> None:
        dialog, self.progress = self.progress, None
        if dialog is not None and shiboken6.isValid(dialog):
            dialog.reset()  # stops its timer, so it never pops up after the work is done
            dialog.close()
            dialog.deleteLater()  # a dialog, not a thread: deleting it lets go only of its Cancel link


def running_operations() -> list[Operation]:
    """Background operations not yet delivered (tests wait for them; windows before closing)."""
    return [job.owner for job in pool().jobs()]


def wait_for_operations(*, deliver: bool = True) -> None:
    """Let all background work finish; `deliver=False` drops the results (the app is closing)."""
    pool().wait_all(deliver=deliver)
