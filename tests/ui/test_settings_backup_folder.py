"""File > Settings…, "Backups on this PC": choosing where this PC keeps the database's backups."""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from sqlalchemy import select

from arrs_desk.services.actor import Actor
from arrs_desk.services.backups import BackupService
from arrs_desk.store import backup_settings
from arrs_desk.store.models import AuditEntry, UserAccount
from arrs_desk.ui.shell.settings_dialog import SettingsDialog
from tests.ui.test_accessibility import unnamed_controls


def open_dialog(qtbot, workspace, actor, settings) -> SettingsDialog:
    dialog = SettingsDialog(workspace, actor, settings)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_a_chosen_folder_is_where_back_up_now_goes(qtbot, main_window, demo_workspace, system_actor, ui_settings,
                                                   monkeypatch, tmp_path, no_dialogs):
    share = tmp_path / "practice share" / "ARRS backups"
    share.mkdir(parents=True)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *args, **kwargs: str(share)))
    dialog = open_dialog(qtbot, demo_workspace, system_actor, ui_settings)
    assert dialog.backup_group.isVisible() and dialog.backup_folder.text() == ""
    assert "Default:" in dialog.backup_default_note.text() and dialog.backup_last_note.text() == "Last backup: none yet"
    qtbot.mouseClick(dialog.choose_backup_folder, Qt.MouseButton.LeftButton)
    assert Path(dialog.backup_folder.text()) == share
    dialog.accept()
    assert dialog.result() == SettingsDialog.DialogCode.Accepted and no_dialogs == []
    assert demo_workspace.backups.folder() == share

    offered = []

    def save_as(parent, caption, start, filters, **kwargs):
        offered.append(Path(start))
        return start, filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_as))
    main_window.backup_action.trigger()
    qtbot.waitUntil(lambda: any(kind == "information" for kind, _, _ in no_dialogs), timeout=10000)
    assert offered[0].parent == share
    made = list(share.glob("*.sqlite3"))
    assert made == offered and str(made[0]) in no_dialogs[-1][2]
    with demo_workspace.db.read() as session:
        entry = session.execute(select(AuditEntry).where(AuditEntry.action == "backup_folder")).scalar_one()
    assert entry.changes == {"backup_folder": [None, str(share)]}

    again = open_dialog(qtbot, demo_workspace, system_actor, ui_settings)
    assert Path(again.backup_folder.text()) == share
    assert again.backup_last_note.text().startswith("Last backup: ") and "made on request" in again.backup_last_note.text()


def test_a_bad_folder_shows_the_message_and_keeps_the_dialog_open(qtbot, demo_workspace, system_actor, ui_settings,
                                                                  tmp_path, no_dialogs):
    dialog = open_dialog(qtbot, demo_workspace, system_actor, ui_settings)
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    dialog.backup_folder.setText("backups here")
    dialog.accept()
    assert dialog.isVisible() and dialog.result() != SettingsDialog.DialogCode.Accepted
    [(kind, title, text)] = no_dialogs
    assert kind == "warning" and text.startswith("Backup folder: give the full path")
    assert dialog.backup_folder.selectedText() == "backups here"  # ready to be typed over
    assert backup_settings.chosen_folder(demo_workspace.db.path) is None
    assert ui_settings.value("appearance/theme") is None  # nothing saved until the folder is put right
    dialog.backup_folder.setText(str(tmp_path / "fine"))
    dialog.accept()
    assert dialog.result() == SettingsDialog.DialogCode.Accepted and len(no_dialogs) == 1
    assert demo_workspace.backups.folder() == tmp_path / "fine"


def test_use_default_forgets_the_chosen_folder(qtbot, demo_workspace, system_actor, ui_settings, tmp_path, no_dialogs):
    demo_workspace.backups.set_folder(system_actor, folder=str(tmp_path / "share"))
    dialog = open_dialog(qtbot, demo_workspace, system_actor, ui_settings)
    assert Path(dialog.backup_folder.text()) == tmp_path / "share"
    qtbot.mouseClick(dialog.default_backup_folder, Qt.MouseButton.LeftButton)
    assert dialog.backup_folder.text() == ""
    dialog.accept()
    assert dialog.result() == SettingsDialog.DialogCode.Accepted and no_dialogs == []
    assert demo_workspace.backups.chosen_folder() is None
    assert demo_workspace.backups.folder() == demo_workspace.db.path.parent / "backups"


def test_only_those_who_may_back_up_see_the_setting(qtbot, demo_workspace, ui_settings):
    with demo_workspace.db.read() as session:
        u = session.execute(select(UserAccount).where(UserAccount.username == "zoe.okubo")).scalar_one()
    zoe = Actor(u.id, u.username, u.display_name, frozenset(u.roles), u.staff_id)
    dialog = open_dialog(qtbot, demo_workspace, zoe, ui_settings)
    assert not dialog.backup_group.isVisible()
    dialog.accept()
    assert dialog.result() == SettingsDialog.DialogCode.Accepted


def test_a_server_database_shows_the_servers_advice_instead(qtbot, demo_workspace, system_actor, ui_settings,
                                                            monkeypatch, no_dialogs):
    monkeypatch.setattr(BackupService, "available", property(lambda self: False))
    monkeypatch.setattr(BackupService, "advice", lambda self: "Ask whoever runs the server to use pg_dump.")
    dialog = open_dialog(qtbot, demo_workspace, system_actor, ui_settings)
    assert dialog.backup_group.isVisible() and not dialog.backup_folder.isEnabled()
    assert not dialog.choose_backup_folder.isEnabled() and not dialog.default_backup_folder.isEnabled()
    assert dialog.backup_advice.isVisible() and "pg_dump" in dialog.backup_advice.text()
    dialog.accept()
    assert dialog.result() == SettingsDialog.DialogCode.Accepted and no_dialogs == []


def test_every_backup_control_has_a_name_and_a_long_path_is_elided(qtbot, demo_workspace, system_actor, ui_settings,
                                                                  tmp_path):
    deep = tmp_path.joinpath(*[f"a-rather-long-folder-name-{n}" for n in range(8)])
    demo_workspace.backups.set_folder(system_actor, folder=str(deep))
    dialog = open_dialog(qtbot, demo_workspace, system_actor, ui_settings)
    assert unnamed_controls(dialog) == []
    width = dialog.width()
    demo_workspace.backups.back_up(system_actor)
    dialog._load_backups()
    note = dialog.backup_last_note
    assert "…" in note.text() and str(deep) in note.toolTip()
    assert dialog.width() == width and note.fontMetrics().horizontalAdvance(note.text()) <= dialog.width()
