"""File > Copy of everything held about me, and an administrator's copy for the selected person:
offered to the right people, saved in the background, and said where."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtWidgets import QFileDialog, QMessageBox

from arrs_desk.ui.common.operation import wait_for_operations
from tests.conftest import TODAY
from tests.support.pcn import HELEN, Member, build_small_pcn

SAM = Member("sam", "Sam", "Okonkwo", TODAY - timedelta(days=90), manager="helen", roles={"staff"})


def _window(qtbot, workspace, ui_settings, actor):
    from arrs_desk.ui.shell.main_window import MainWindow

    window = MainWindow(settings=ui_settings, workspace=workspace, actor=actor)
    qtbot.addWidget(window)
    window.show()
    return window


def test_a_person_saves_their_own_copy_from_the_file_menu(qtbot, workspace, system_actor, ui_settings, tmp_path,
                                                          monkeypatch):
    pcn = build_small_pcn(workspace, system_actor, members=(HELEN, SAM), admin="Ada Admin", multi_user=True)
    told = []
    folder = tmp_path / "copies"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(folder)))
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda parent, title, text: told.append(text)))
    window = _window(qtbot, workspace, ui_settings, pcn.actors["sam"])
    assert window.my_copy_action.isVisible() and not window.subject_copy_action.isVisible()
    window.my_copy_action.trigger()
    wait_for_operations()
    qtbot.waitUntil(lambda: bool(told), timeout=10000)
    assert sorted(p.suffix for p in folder.iterdir()) == [".pdf", ".zip"]
    assert "Private notes are included" in told[0]


def test_an_administrator_is_offered_a_copy_for_the_selected_person(qtbot, workspace, system_actor, ui_settings):
    pcn = build_small_pcn(workspace, system_actor, members=(HELEN, SAM), admin="Ada Admin", multi_user=True)
    window = _window(qtbot, workspace, ui_settings, pcn.actors["admin"])
    assert window.subject_copy_action.isVisible() and not window.my_copy_action.isVisible()
    manager = _window(qtbot, workspace, ui_settings, pcn.actors["helen"])
    assert not manager.subject_copy_action.isVisible() and manager.my_copy_action.isVisible()
