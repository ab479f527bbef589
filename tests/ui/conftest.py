import pytest
from PySide6.QtCore import QSettings


@pytest.fixture(autouse=True)
def _collect_garbage_on_the_gui_thread(qapp):
    """As the app does: Qt objects must never be destroyed by a collection in a worker thread."""
    from arrs_desk.ui.common import garbage

    garbage.install(qapp)
    yield
    garbage.collect_everything()  # frozen ones too (`garbage`): a window a test left must go now


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
