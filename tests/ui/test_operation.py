"""The one GUI operation runner (`ui.common.operation`): results, the one way errors are shown, the
worker thread's lifetime, and the one "workspace changed" signal screens refresh from."""

from __future__ import annotations

import sys
import threading

import pytest
import shiboken6
from PySide6.QtCore import QThread, Qt
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from arrs_desk.errors import Cancelled, DatabaseProblem, PermissionDenied, StaleEdit, ValidationError
from arrs_desk.ui.common.changes import INDUCTION, STAFF, SUPERVISION, announce, changes_of
from arrs_desk.ui.common.operation import Operation, running_operations, wait_for_operations
from arrs_desk.ui.common.workers import pool
from arrs_desk.ui.common.form_errors import FieldErrors
from arrs_desk.ui.common.page import Page
from tests.support.pcn import account


class FakeWorkspace:
    """What an operation needs of a workspace for these tests: something to hand to `fn`."""


class Host(QWidget):
    """A screen holding a workspace, as pages and dialogs do."""

    def __init__(self, workspace):
        super().__init__()
        self.workspace = workspace


class CountingPage(Page):
    shows = frozenset({STAFF})

    def __init__(self):
        super().__init__()
        self.refreshes = 0

    def refresh(self) -> None:
        self.refreshes += 1


@pytest.fixture(autouse=True)
def no_thread_left_running():
    yield
    assert running_operations() == []
    assert not [t for t in pool().findChildren(QThread) if t.isRunning()]


@pytest.fixture
def host(qtbot):
    widget = Host(FakeWorkspace())
    qtbot.addWidget(widget)
    widget.show()
    return widget


@pytest.fixture
def announced(host):
    seen = []
    changes_of(host.workspace).changed.connect(seen.append)
    return seen


@pytest.fixture
def crashes(monkeypatch):
    """What reaches the crash handler (the app's excepthook) instead of a message box."""
    seen = []
    monkeypatch.setattr(sys, "excepthook", lambda kind, value, tb: seen.append(value))
    return seen


def test_a_quick_write_runs_now_then_announces_once_then_calls_success(host, announced, no_dialogs):
    order = []
    host.workspace.value = 41
    operation = Operation(host, lambda ws: ws.value + 1).changes(STAFF, INDUCTION).success(order.append)
    changes_of(host.workspace).changed.connect(lambda areas: order.append(sorted(areas)))
    assert operation.run() is True
    assert operation.result == 42 and operation.error is None
    assert order == [["induction", "staff"], 42]  # screens have refreshed before `success` runs
    assert announced == [frozenset({STAFF, INDUCTION})] and no_dialogs == []


def test_a_read_announces_nothing(host, announced):
    assert Operation(host, lambda ws: "rows").run()
    assert announced == []


def test_the_workspace_is_the_nearest_one_up_the_parent_chain(host):
    child = QLabel(host)
    seen = []
    Operation(child, seen.append).run()
    assert seen == [host.workspace]
    with pytest.raises(ValueError, match="needs a workspace"):
        Operation(QLabel(), seen.append)


def test_validation_errors_go_under_their_fields_and_nothing_else_is_shown(qtbot, workspace, system_actor,
                                                                          no_dialogs):
    dialog = QDialog()
    qtbot.addWidget(dialog)
    name, ods_code, summary = QLineEdit(), QLineEdit(), QLabel()
    form = QFormLayout()
    form.addRow("Name", name)
    form.addRow("ODS code", ods_code)
    layout = QVBoxLayout(dialog)
    layout.addWidget(summary)
    layout.addLayout(form)
    errors = FieldErrors(dialog, {"name": name, "ods_code": ods_code}, summary)
    dialog.show()
    announced = []
    changes_of(workspace).changed.connect(announced.append)
    saved = Operation(dialog, lambda ws: ws.organisations.create(system_actor, kind="practice", name="", ods_code=""),
                      workspace=workspace).changes(STAFF).fields(errors)
    assert saved.run() is False
    assert isinstance(saved.error, ValidationError)
    assert errors.text("name") and errors.labels["name"].isVisible()
    assert no_dialogs == [] and announced == []


def test_validation_errors_without_a_form_are_a_message(host, no_dialogs):
    def refuse(_ws):
        raise ValidationError.single("months", "Give whole numbers of months.")

    assert not Operation(host, refuse).run()
    assert no_dialogs == [("warning", "Please check the details", "Give whole numbers of months.")]


def test_a_refusal_by_the_permission_policy_is_a_message_titled_by_the_error(qtbot, workspace, no_dialogs):
    host = Host(workspace)
    qtbot.addWidget(host)
    clerk = account(workspace, "clerk", "A Clerk", {"staff"}, None)  # a real account: refused by the policy alone
    made = Operation(host, lambda ws: ws.organisations.create(clerk, kind="practice", name="Canal Street",
                                                              ods_code="B86001")).changes(STAFF)
    assert not made.run()
    assert isinstance(made.error, PermissionDenied)
    [(kind, title, text)] = no_dialogs
    assert (kind, title) == ("warning", "Not allowed") and text == made.error.message


@pytest.mark.parametrize("error, kind", [(StaleEdit("Someone else changed it: reopen it."), "warning"),
                                         (DatabaseProblem("The database is from a newer version."), "critical")])
def test_stale_edits_and_database_problems_are_messages(host, no_dialogs, error, kind):
    def fail(_ws):
        raise error

    assert not Operation(host, fail).run()
    assert no_dialogs == [(kind, error.title, error.message)]


def test_a_file_the_system_refused_is_explained(host, no_dialogs, tmp_path):
    missing = tmp_path / "no such folder" / "report.csv"
    assert not Operation(host, lambda ws: missing.write_text("x")).run()
    [(kind, title, text)] = no_dialogs
    assert (kind, title) == ("warning", "Could not use the file") and str(missing) in text


def test_an_unexpected_error_goes_to_the_crash_handler_not_a_message_box(host, no_dialogs, crashes):
    assert not Operation(host, lambda ws: 1 / 0).run()
    assert [type(e) for e in crashes] == [ZeroDivisionError] and no_dialogs == []


def test_failure_replaces_the_standard_display(host, no_dialogs):
    handled = []

    def fail(_ws):
        raise StaleEdit("Changed by someone else.")

    assert not Operation(host, fail).failure(handled.append).run()
    assert [type(e) for e in handled] == [StaleEdit] and no_dialogs == []


def test_in_the_background_with_a_busy_cursor_then_success_on_the_gui_thread(qtbot, host, announced):
    release = threading.Event()
    threads = []

    def slow(ws):
        threads.append(threading.current_thread())
        release.wait(10)
        return "done"

    results = []
    operation = Operation(host, slow).changes(SUPERVISION).success(
        lambda result: results.append((result, threading.current_thread()))).run_in_background()
    assert operation.running and host.cursor().shape() == Qt.CursorShape.BusyCursor
    assert results == [] and announced == []
    release.set()
    qtbot.waitUntil(lambda: bool(results), timeout=10000)
    assert results == [("done", threading.main_thread())] and threads[0] is not threading.main_thread()
    assert announced == [frozenset({SUPERVISION})]
    assert not operation.running and host.cursor().shape() != Qt.CursorShape.BusyCursor


def test_a_background_failure_is_shown_the_standard_way(qtbot, host, no_dialogs):
    def fail(_ws):
        raise PermissionDenied("Only administrators can do this.")

    Operation(host, fail).run_in_background()
    qtbot.waitUntil(lambda: bool(no_dialogs), timeout=10000)
    assert no_dialogs == [("warning", "Not allowed", "Only administrators can do this.")]


def test_progress_reaches_the_gui_and_its_dialog(qtbot, host):
    step = threading.Event()
    seen = []

    def counted(ws, progress):
        for done in range(1, 4):
            progress.report(done, 3, f"row {done}")
            step.wait(10)
            step.clear()
        return "counted"

    results = []
    operation = Operation(host, counted, with_progress=True).progress_dialog("Counting…", total=3) \
        .on_progress(lambda done, total, text: seen.append((done, total, text))).success(results.append)
    operation.run_in_background()
    dialog = operation.progress
    assert dialog is not None and dialog.maximum() == 3 and dialog.labelText() == "Counting…"
    for done in range(1, 4):
        qtbot.waitUntil(lambda: len(seen) == done, timeout=10000)
        assert dialog.value() == done
        step.set()
    qtbot.waitUntil(lambda: bool(results), timeout=10000)
    assert seen == [(1, 3, "row 1"), (2, 3, "row 2"), (3, 3, "row 3")] and results == ["counted"]
    assert operation.progress is None


def test_cancelling_stops_the_work_at_its_next_report(qtbot, host, no_dialogs):
    started, go_on = threading.Event(), threading.Event()
    reached = []

    def long_job(ws, progress):
        progress.report(0, 10)
        started.set()
        go_on.wait(10)
        for done in range(1, 11):
            progress.report(done, 10)  # raises Cancelled once cancel() was asked for
            reached.append(done)
        return "finished"

    failures, results = [], []
    operation = Operation(host, long_job, with_progress=True).success(results.append).failure(failures.append)
    operation.run_in_background()
    assert started.wait(10)
    operation.cancel()
    go_on.set()
    operation.wait()
    assert reached == [] and results == []
    assert [type(e) for e in failures] == [Cancelled] and no_dialogs == []


def test_a_cancelled_job_says_so_in_the_status_bar_not_a_dialog(qtbot, workspace, no_dialogs):
    from PySide6.QtWidgets import QMainWindow

    window = QMainWindow()
    qtbot.addWidget(window)
    host = Host(workspace)
    window.setCentralWidget(host)
    window.show()

    def cancelled(_ws):
        raise Cancelled("Cancelled: nothing was saved.")

    assert not Operation(host, cancelled).run()
    assert no_dialogs == [] and window.statusBar().currentMessage() == "Cancelled: nothing was saved."


def test_a_result_arriving_after_the_window_closed_is_dropped_but_the_change_is_announced(qtbot, host, announced,
                                                                                         no_dialogs):
    release = threading.Event()
    called = []
    operation = Operation(host, lambda ws: release.wait(10)).changes(STAFF).success(called.append) \
        .failure(called.append).run_in_background()
    host.close()
    release.set()
    operation.wait()
    assert called == [] and no_dialogs == []
    assert announced == [frozenset({STAFF})]  # other screens still show what was written


def test_a_result_arriving_after_the_parent_was_deleted_is_dropped_safely(qtbot, no_dialogs):
    workspace = FakeWorkspace()
    host = Host(workspace)
    host.show()
    release = threading.Event()
    called = []
    operation = Operation(host, lambda ws: release.wait(10)).success(called.append).run_in_background()
    shiboken6.delete(host)
    release.set()
    operation.wait()
    assert called == [] and no_dialogs == []


def test_a_bug_in_work_whose_window_closed_still_reaches_the_crash_handler(qtbot, host, crashes):
    release = threading.Event()

    def broken(ws):
        release.wait(10)
        raise KeyError("no such column")

    operation = Operation(host, broken).run_in_background()
    host.close()
    release.set()
    operation.wait()
    assert [type(e) for e in crashes] == [KeyError]


def test_waiting_without_delivering_drops_the_result(qtbot, host):
    called = []
    operation = Operation(host, lambda ws: "made").success(called.append).run_in_background()
    operation.wait(deliver=False)
    assert called == [] and not operation.running


def test_workers_are_reused_and_outlive_the_windows_that_used_them(qtbot):
    before = len(pool().findChildren(QThread))
    for _ in range(5):
        host = Host(FakeWorkspace())
        Operation(host, lambda ws: None).run_in_background().wait()
        shiboken6.delete(host)
    after = pool().findChildren(QThread)
    assert len(after) <= max(before, 1) and all(not t.isRunning() for t in after)
    wait_for_operations()


def test_a_showing_page_refreshes_once_per_change_it_shows(qtbot, host):
    page = CountingPage()
    qtbot.addWidget(page)
    page.set_context(host.workspace, None)
    page.show()
    Operation(host, lambda ws: None).changes(STAFF).run()
    Operation(host, lambda ws: None).changes(INDUCTION).run()  # not something it shows
    Operation(host, lambda ws: None).run()  # a read
    assert page.refreshes == 1
    page.hide()
    Operation(host, lambda ws: None).changes(STAFF).run()  # the main window refreshes it when shown again
    assert page.refreshes == 1


def test_a_page_behind_a_dialog_refreshes_once_when_the_dialog_closes(qtbot, host):
    from PySide6.QtCore import QTimer

    page = CountingPage()
    qtbot.addWidget(page)
    page.set_context(host.workspace, None)
    page.show()
    dialog = QDialog(page)
    counts = []

    def save_twice_then_close():
        announce(host.workspace, {STAFF})
        announce(host.workspace, {STAFF})
        counts.append(page.refreshes)
        dialog.accept()

    QTimer.singleShot(0, save_twice_then_close)
    dialog.exec()
    assert counts == [0] and page.refreshes == 1


def test_the_end_of_the_work_never_arrives_inside_a_progress_report(qtbot, host):
    """A modal QProgressDialog's setValue runs a nested event loop: the end of the work arrived
    inside it, and the dialog was deleted under its own method (the suite's intermittent
    segmentation fault). Reports and the end now arrive one after the other."""
    shown = threading.Event()
    order = []

    def quick(ws, progress):
        shown.wait(10)
        progress.update(1, 2)
        return "made"  # the end is queued right behind the report

    operation = Operation(host, quick, with_progress=True).progress_dialog("Making…", show_after_ms=0) \
        .on_progress(lambda done, total, text: order.append("progress")) \
        .success(lambda result: order.append("success")).run_in_background()
    qtbot.waitUntil(lambda: operation.progress is not None and operation.progress.isVisible(), timeout=10000)
    shown.set()
    qtbot.waitUntil(lambda: "success" in order, timeout=10000)
    assert order == ["progress", "success"]
