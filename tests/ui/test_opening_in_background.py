"""The window is usable before the daily backup and the whole-file check finish (issue 18, item 5):
both run in a worker after opening; the backup still happens, and damage found later is shown
with the way back to a good copy."""

import shutil
import threading

import pytest
from PySide6.QtWidgets import QDialog

from arrs_desk.services.backups import BackupService
from arrs_desk.store.engine import Database
from arrs_desk.ui.admin.backup_dialogs import DatabaseProblemDialog


@pytest.fixture
def opening(qtbot, tmp_path, migrated_template, ui_settings, system_actor, monkeypatch):
    """A window about to open a database (signed in as the system actor); returns (window, path)."""
    from arrs_desk.ui.shell.main_window import MainWindow

    path = tmp_path / "pcn.sqlite3"
    shutil.copyfile(migrated_template, path)
    window = MainWindow(settings=ui_settings, actor=None)
    qtbot.addWidget(window)
    window.show()
    monkeypatch.setattr(window, "authenticate", lambda workspace, **_: system_actor)
    return window, path


def test_the_window_is_usable_before_a_slow_daily_backup_finishes(qtbot, opening, monkeypatch):
    window, path = opening
    release, made = threading.Event(), []
    real = BackupService.back_up_if_due

    def slow_backup(self):
        assert release.wait(30), "the test never let the backup finish"
        made.append(real(self))
        return made[-1]

    monkeypatch.setattr(BackupService, "back_up_if_due", slow_backup)
    window.open_in_background(str(path))
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=20000)
    assert window.new_action.isEnabled() and window.nav.isEnabled() and window.pages.isEnabled()
    assert made == []  # usable while the backup is still waiting
    release.set()
    qtbot.waitUntil(lambda: made != [], timeout=20000)
    assert made[0] is not None and made[0].path.exists() and made[0].kind == "auto"
    window.close()


def test_damage_found_after_opening_offers_the_newest_good_backup(qtbot, opening, monkeypatch):
    window, path = opening
    shown = []

    def decline(dialog):
        shown.append(dialog.message.text())
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(DatabaseProblemDialog, "exec", decline)
    monkeypatch.setattr(Database, "integrity_problem", lambda self: "row 7 missing from index")
    backups = []
    monkeypatch.setattr(BackupService, "back_up_if_due", lambda self: backups.append(self))
    window.open_in_background(str(path))
    qtbot.waitUntil(lambda: shown != [], timeout=20000)
    assert "pcn.sqlite3 is damaged (row 7 missing from index)" in shown[0]
    assert backups == []  # a damaged file is not copied over the good backups
    window.close()


def test_homes_figures_are_worked_out_ahead_once_someone_is_signed_in(qtbot, opening, system_actor):
    """While the person looks at the staff list (`ui.shell.figures_ahead`): Home, and the pages whose
    figures it counts, then open from kept figures, with nothing worked out again."""
    from arrs_desk.services.shared_reads import shared_reads
    from arrs_desk.ui.common.operation import running_operations

    window, path = opening
    window.open_in_background(str(path))
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=20000)
    kept = shared_reads(window.workspace.db)
    qtbot.waitUntil(lambda: kept.holds(system_actor), timeout=20000)
    qtbot.waitUntil(lambda: not running_operations(), timeout=20000)  # done, as are the backup and the check
    computed = kept.computed
    window.show_page("Home")
    page = window.page("Home")
    qtbot.waitUntil(lambda: not page.loader.loading, timeout=20000)
    assert page.dashboard is not None and page.dashboard.complete
    assert kept.computed == computed  # Home opened from what was worked out ahead
    for title in ("Reviews", "Training"):  # and so did the pages whose rows Home does not count from
        window.show_page(title)
        shown = window.page(title)
        qtbot.waitUntil(lambda shown=shown: not shown.loader.loading, timeout=20000)
        assert kept.computed == computed, title
    window.close()


def test_a_page_asked_for_while_the_database_opens_is_shown_once_it_has(qtbot, opening):
    """The staff list's "set up practices" button works before the database layer has loaded (the
    list comes from a light read); the page it asked for used to stay blank once the database had
    opened. The View menu's pages wait for the database, as the list of pages does."""
    from arrs_desk.ui.common.page import Page
    from arrs_desk.ui.shell.main_window import ORGANISATIONS

    window, path = opening
    assert not any(action.isEnabled() for action in window.page_actions[1:])
    window.show_page(ORGANISATIONS)  # what the staff list's button does
    window.open_in_background(str(path))
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=20000)
    assert all(action.isEnabled() for action in window.page_actions[1:])
    shown = window.pages.currentWidget()
    assert isinstance(shown, Page) and shown is window.page(ORGANISATIONS)
    window.close()
