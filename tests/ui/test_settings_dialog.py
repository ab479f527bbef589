"""File > Settings…: appearance saved per PC; PCN settings saved through their services, for administrators only."""

from PySide6.QtCore import QSettings
from sqlalchemy import select

from arrs_desk.services.actor import Actor
from arrs_desk.store.models import UserAccount
from arrs_desk.ui.shell.settings_dialog import SettingsDialog


def demo_actor(workspace, username):
    with workspace.db.read() as session:
        u = session.execute(select(UserAccount).where(UserAccount.username == username)).scalar_one()
    return Actor(u.id, u.username, u.display_name, frozenset(u.roles), u.staff_id)


def test_administrator_changes_pcn_settings_and_appearance(qtbot, demo_workspace, tmp_path, no_dialogs):
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    helen = demo_actor(demo_workspace, "helen.whitfield")
    dialog = SettingsDialog(demo_workspace, helen, settings)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.pcn_group.isVisible()
    assert dialog.pcn_name.text() == demo_workspace.organisations.pcn_name()
    dialog.pcn_name.setText("Riverside, Moorland and Canal PCN")
    dialog.due_soon.setValue(21)
    dialog.idle_lock.setValue(5)
    dialog.theme.setCurrentIndex(dialog.theme.findData("high-contrast"))
    dialog.text_size.setCurrentIndex(dialog.text_size.findData(150))
    dialog.accept()
    assert dialog.result() == SettingsDialog.DialogCode.Accepted and no_dialogs == []
    assert demo_workspace.organisations.pcn_name() == "Riverside, Moorland and Canal PCN"
    assert demo_workspace.supervision.due_soon_setting(helen).days == 21
    assert demo_workspace.accounts.idle_lock_minutes() == 5
    assert settings.value("appearance/theme") == "high-contrast" and int(settings.value("appearance/text_scale")) == 150


def test_others_see_only_appearance(qtbot, demo_workspace, tmp_path):
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    zoe = demo_actor(demo_workspace, "zoe.okubo")
    dialog = SettingsDialog(demo_workspace, zoe, settings)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.pcn_group.isVisible()
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    dialog.accept()
    assert settings.value("appearance/theme") == "dark"


def test_a_refused_change_keeps_the_dialog_open(qtbot, demo_workspace, tmp_path, no_dialogs):
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    helen = demo_actor(demo_workspace, "helen.whitfield")
    dialog = SettingsDialog(demo_workspace, helen, settings)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.pcn_name.setText("")
    dialog.accept()
    assert dialog.isVisible() and no_dialogs  # the service's message was shown, nothing saved
    assert settings.value("appearance/theme") is None
