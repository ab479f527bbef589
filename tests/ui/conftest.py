import time

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

UNANSWERED_SECONDS = 30
"""How long a modal dialog may wait for an answer before the test is failed."""


@pytest.fixture(autouse=True)
def _collect_garbage_on_the_gui_thread(qapp):
    """As the app does: Qt objects must never be destroyed by a collection in a worker thread."""
    from arrs_desk.ui.common import garbage

    garbage.install(qapp)
    yield
    garbage.collect_everything()  # frozen ones too (`garbage`): a window a test left must go now


@pytest.fixture(autouse=True)
def _no_dialog_waits_forever(qapp):
    """A modal dialog that nothing in the test answers would hold the whole run for ever (a window
    whose made-up account fails a page's read check locks and asks for a sign-in; a double-click
    opens a person's window): after `UNANSWERED_SECONDS` it is closed and the test fails, saying
    what it showed."""
    from arrs_desk.ui.shell.account_dialogs import LoginDialog

    waiting, stuck = [None, 0.0], []

    def look():
        modal = QApplication.activeModalWidget()
        if not isinstance(modal, QDialog):
            waiting[:] = [None, 0.0]
        elif modal is not waiting[0]:
            waiting[:] = [modal, time.monotonic()]
        elif time.monotonic() - waiting[1] > UNANSWERED_SECONDS:
            text = modal.text() if isinstance(modal, QMessageBox) else \
                modal.ui.context.text() if isinstance(modal, LoginDialog) else "(a window)"
            stuck.append(f"{type(modal).__name__} {modal.windowTitle()!r}: {text}")
            waiting[:] = [None, 0.0]
            modal.reject()

    watch = QTimer()
    watch.timeout.connect(look)
    watch.start(1000)
    yield
    watch.stop()
    if stuck:
        pytest.fail(f"a modal dialog waited {UNANSWERED_SECONDS} s for an answer nobody gave: " + "; ".join(stuck))


@pytest.fixture
def ui_settings(tmp_path):
    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def main_window(qtbot, demo_workspace, system_actor, ui_settings):
    from arrs_desk.ui.shell.main_window import MainWindow

    window = MainWindow(settings=ui_settings, workspace=demo_workspace, actor=system_actor)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def no_dialogs(monkeypatch):
    """Record message boxes instead of blocking on them."""
    from PySide6.QtWidgets import QMessageBox

    shown = []
    for name in ("information", "warning", "critical", "question"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(lambda parent, title, text, *a, _n=name, **k: shown.append((_n, title, text)) or QMessageBox.StandardButton.Ok))

    def unanswered(box):  # a box built and exec'd (as `ui.common.confirm` asks): recorded by its icon, closed
        # with no button pressed, so a question is not answered Yes
        shown.append((box.icon().name.lower(), box.windowTitle(), box.text()))
        return 0

    monkeypatch.setattr(QMessageBox, "exec", unanswered)
    return shown
