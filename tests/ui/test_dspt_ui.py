"""The Data security (DSPT) page through the real window: what needs attention, a restore test run
in the background, an access review recorded, and the report saved; administrators only."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtWidgets import QFileDialog, QInputDialog

from arrs_desk.ui.common.operation import wait_for_operations
from tests.conftest import TODAY
from tests.support.pcn import HELEN, Member, build_small_pcn

TITLE = "Data security (DSPT)"
STARTER = Member("sam", "Sam", "Okonkwo", TODAY - timedelta(days=20), manager="helen", roles={"supervisor"})


def _window(qtbot, workspace, ui_settings, actor):
    from arrs_desk.ui.shell.main_window import MainWindow

    window = MainWindow(settings=ui_settings, workspace=workspace, actor=actor)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    return window


def test_the_page_is_for_administrators_and_shows_what_needs_attention(qtbot, workspace, system_actor, ui_settings):
    pcn = build_small_pcn(workspace, system_actor, members=(HELEN, STARTER), admin="Ada Admin", multi_user=True)
    manager = _window(qtbot, workspace, ui_settings, pcn.actors["helen"])
    row = 1 + [spec.title for spec in manager.specs].index(TITLE)
    assert manager.nav.item(row).isHidden()  # a line manager is not offered the page
    window = _window(qtbot, workspace, ui_settings, pcn.actors["admin"])
    window.show_page(TITLE)
    page = window.page(TITLE)
    qtbot.waitUntil(lambda: page.report is not None, timeout=5000)
    assert "access review is due" in page.attention.text()
    assert page.accounts.rowCount() == 3
    joined = [page.movements.index(r, 1).data() for r in range(page.movements.rowCount())]
    assert "Sam Okonkwo" in joined


def test_restore_test_review_and_save_from_the_page(qtbot, workspace, system_actor, ui_settings, tmp_path,
                                                    monkeypatch):
    pcn = build_small_pcn(workspace, system_actor, members=(HELEN,), admin="Ada Admin", multi_user=True)
    admin = pcn.actors["admin"]
    workspace.backups.back_up(admin)
    window = _window(qtbot, workspace, ui_settings, admin)
    window.show_page(TITLE)
    page = window.page(TITLE)
    qtbot.waitUntil(lambda: page.report is not None, timeout=5000)

    qtbot.mouseClick(page.restore_button, qtbot_left())
    wait_for_operations()
    qtbot.waitUntil(lambda: page.restores.rowCount() == 1, timeout=10000)
    assert "passed" in page.restores.index(0, 3).data()

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("With the practice manager", True)))
    page.review_button.click()
    qtbot.waitUntil(lambda: page.reviews.rowCount() == 1, timeout=5000)
    assert "access review is due" not in page.attention.text()

    target = tmp_path / "evidence.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    assert page.save("pdf") == str(target)
    wait_for_operations()
    qtbot.waitUntil(target.exists, timeout=10000)
    assert target.read_bytes().startswith(b"%PDF")


def qtbot_left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton
