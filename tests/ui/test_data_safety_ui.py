"""Data safety in the window: a stale edit is refused with a message, a database that will not open
offers its newest good backup, Back up now… and Restore from backup…, and the import wizard."""

import csv
import os
import shutil
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog, QWizard

from arrs_desk.services.staff import StaffInput
from arrs_desk.services.workspace import Workspace
from arrs_desk.ui.admin.backup_dialogs import BackupListDialog, DatabaseProblemDialog
from arrs_desk.ui.imports.import_wizard import ImportWizard
from tests.support.pcn import account
from tests.support.qt import answer_confirmations
from tests.ui.test_accessibility import unnamed_controls

SHOTS = os.environ.get("ARRS_SCREENSHOTS")  # a folder: save what these tests show, to look at


def shot(widget, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(SHOTS) / f"{name}.png"))


def corrupt(path: Path) -> None:
    size = path.stat().st_size
    with open(path, "r+b") as handle:
        handle.seek(4096)
        handle.write(os.urandom(size - 4096))


def test_the_editor_refuses_a_stale_edit_with_a_message(qtbot, demo_workspace, system_actor, no_dialogs):
    from arrs_desk.ui.staff.staff_editor import StaffEditor

    row = next(r for r in demo_workspace.staff.list_rows(system_actor) if r.status == "active")
    editor = StaffEditor(demo_workspace, system_actor, demo_workspace.staff.get(system_actor, staff_id=row.id))
    qtbot.addWidget(editor)
    editor.show()
    other = Workspace.open(demo_workspace.db.path)  # another PC saves the same person meanwhile
    try:
        theirs = other.staff.get(system_actor, staff_id=row.id)
        theirs.data.preferred_name = "Changed elsewhere"
        other.staff.update(system_actor, staff_id=row.id, data=theirs.data, expected_version=theirs.version)
    finally:
        other.close()
    editor.ui.preferred_name.setText("Changed here")
    editor.save()
    assert [(kind, title) for kind, title, _ in no_dialogs] == [("warning", "Changed by someone else")]
    assert "your changes were not saved" in no_dialogs[0][2] and "reopen it" in no_dialogs[0][2]
    assert editor.saved_record is None and editor.result() != QDialog.DialogCode.Accepted
    assert demo_workspace.staff.get(system_actor, staff_id=row.id).data.preferred_name == "Changed elsewhere"


def _one_person_database(path, migrated_template, system_actor) -> Workspace:
    """A new database at `path` with a PCN, a practice and one person in it, left open."""
    shutil.copyfile(migrated_template, path)
    ws = Workspace.open(path)
    ws.organisations.create(system_actor, kind="pcn", name="Test PCN", ods_code="U11111")
    practice = ws.organisations.create(system_actor, kind="practice", name="Alpha Surgery", ods_code="A11111").id
    ws.staff.create(system_actor, data=StaffInput(
        given_name="Ada", family_name="Lovelace", role_code="SPLW", employer_id=practice, employment_model="practice",
        start_date=date(2025, 1, 6), practice_ids=[practice]))
    return ws


def _opened_in_a_window(qtbot, monkeypatch, ui_settings, system_actor, path):
    """The main window opening `path` as the app does, signed in as `system_actor` once it opens."""
    from arrs_desk.ui.shell.main_window import MainWindow

    window = MainWindow(settings=ui_settings, actor=system_actor)
    qtbot.addWidget(window)
    window.show()
    monkeypatch.setattr(window, "authenticate", lambda workspace, **_: system_actor)
    window.open_in_background(str(path))
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=20000)
    return window


@pytest.fixture
def damaged(tmp_path, migrated_template, system_actor):
    """A database with one person and a good backup, then damaged; and a newer, damaged backup."""
    path = tmp_path / "practice.sqlite3"
    ws = _one_person_database(path, migrated_template, system_actor)
    good = ws.backups.back_up(system_actor)
    ws.close()
    bad = path.parent / "backups" / "practice-auto-29990101-000000.sqlite3"
    shutil.copyfile(good.path, bad)
    corrupt(bad)
    corrupt(path)
    return path, good


def test_a_damaged_database_shows_why_and_restores_the_newest_good_backup(
        qtbot, ui_settings, system_actor, damaged, no_dialogs, monkeypatch):

    path, good = damaged
    seen = {}

    def choose_restore(dialog):
        seen["dialog"] = dialog
        seen["unnamed"] = unnamed_controls(dialog)
        shot(dialog, "cannot-open-dialog")
        dialog.choice = DatabaseProblemDialog.RESTORE_NEWEST
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(DatabaseProblemDialog, "exec", choose_restore)
    window = _opened_in_a_window(qtbot, monkeypatch, ui_settings, system_actor, path)
    dialog = seen["dialog"]
    assert dialog.windowTitle() == "Cannot open the database"
    assert "practice.sqlite3" in dialog.message.text() and "damaged" in dialog.message.text()
    assert good.when_text in dialog.offer.text()  # the newest backup that passes its checks, not the damaged one
    assert dialog.restore_button.isVisibleTo(dialog) and seen["unnamed"] == []
    assert [(kind, title) for kind, title, _ in no_dialogs] == [("information", "Restored")]
    assert "kept as" in no_dialogs[0][2]
    assert [r.display_name for r in window.workspace.staff.list_rows(system_actor)] == ["Ada Lovelace"]
    assert window.staff_page.model.rowCount() == 1
    window.close()


@pytest.mark.parametrize("how", ["further on", "first page", "cut short"])
def test_a_damaged_encrypted_database_is_offered_its_encrypted_backups(
        qtbot, ui_settings, system_actor, tmp_path, migrated_template, no_dialogs, monkeypatch, how):
    """Damage to an encrypted file kept it at the passphrase prompt ("database disk image is malformed",
    or "That passphrase does not open…"), or, when it no longer read as encrypted, offered backups that
    could not be restored without its key. The passphrase is asked once, as opening asks it."""
    from arrs_desk.services import encryption_keys
    from arrs_desk.store import cipher
    from arrs_desk.ui.shell.encryption_dialogs import PassphrasePrompt

    monkeypatch.setattr(cipher, "KDF_MEMORY_KIB", 1024)
    monkeypatch.setattr(cipher, "KDF_TIME_COST", 1)
    monkeypatch.setattr(encryption_keys, "_keyring", lambda: None)  # nothing remembered: the passphrase is asked
    passphrase = "staple horse battery correct"
    path = tmp_path / "practice.sqlite3"
    ws = _one_person_database(path, migrated_template, system_actor)
    ws.encryption.turn_on(system_actor, passphrase=passphrase, confirm=passphrase, remember_here=False)
    ws.close()
    data = bytearray(path.read_bytes())
    if how == "further on":
        corrupt(path)
    elif how == "first page":
        data[100:4000] = bytes(3900)
        path.write_bytes(bytes(data))
    else:  # no longer a whole number of pages: it reads as a damaged plain file
        path.write_bytes(bytes(data[:len(data) // 2 + 100]))
    asked, seen = [], {}

    def type_passphrase(prompt):
        asked.append(prompt.windowTitle())
        prompt.passphrase.setText(passphrase)
        prompt.try_open()
        seen.setdefault("prompt_said", prompt.message.text())
        return prompt.result()

    def restore_newest(dialog):
        seen["offer"] = dialog.offer.text()
        dialog.choice = DatabaseProblemDialog.RESTORE_NEWEST
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(PassphrasePrompt, "exec", type_passphrase)
    monkeypatch.setattr(DatabaseProblemDialog, "exec", restore_newest)
    window = _opened_in_a_window(qtbot, monkeypatch, ui_settings, system_actor, path)
    assert len(asked) == 1 and seen["prompt_said"] == ""
    assert "The newest backup that passes every check" in seen["offer"]
    assert [(kind, title) for kind, title, _ in no_dialogs] == [("information", "Restored")]
    assert window.workspace.encryption.key is not None and cipher.is_encrypted(path)
    assert [r.display_name for r in window.workspace.staff.list_rows(system_actor)] == ["Ada Lovelace"]
    window.close()


def test_a_database_from_a_newer_version_is_not_offered_a_restore(qtbot, ui_settings, system_actor, tmp_path,
                                                                    migrated_template, no_dialogs):
    import sqlite3

    from arrs_desk.ui.shell.main_window import MainWindow

    path = tmp_path / "newer.sqlite3"
    shutil.copyfile(migrated_template, path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    window = MainWindow(settings=ui_settings, actor=system_actor)
    qtbot.addWidget(window)
    window.open_in_background(str(path))
    qtbot.waitUntil(lambda: bool(no_dialogs), timeout=20000)
    assert no_dialogs[0][:2] == ("critical", "Cannot open the database") and "newer version" in no_dialogs[0][2]
    window.close()


def test_back_up_now_then_restore_from_the_menu(qtbot, main_window, system_actor, no_dialogs, monkeypatch):
    ws = main_window.workspace
    backups = ws.db.path.parent / "backups"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(backups / "before-changes.sqlite3"), "")))
    assert main_window.backup_action.isVisible() and main_window.restore_action.isVisible()
    main_window.backup_action.trigger()
    qtbot.waitUntil(lambda: any(kind == "information" for kind, *_ in no_dialogs), timeout=20000)
    assert (backups / "before-changes.sqlite3").exists()
    assert "before-changes.sqlite3" in no_dialogs[-1][2]
    total = main_window.staff_page.model.rowCount()
    row = main_window.staff_page.model.rows()[0]
    record = ws.staff.get(system_actor, staff_id=row.id)
    original = (record.data.preferred_name, record.version)
    record.data.preferred_name = "Not in the backup"
    ws.staff.update(system_actor, staff_id=row.id, data=record.data, expected_version=record.version)

    chosen = {}

    def pick_first(dialog):
        chosen["files"] = [r.path.name for r in dialog.model.rows()]
        chosen["unnamed"] = unnamed_controls(dialog)
        shot(dialog, "restore-dialog")
        dialog.chosen = dialog.model.rows()[0].path
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(BackupListDialog, "exec", pick_first)
    questions = answer_confirmations(monkeypatch)
    monkeypatch.setattr(main_window, "authenticate", lambda workspace, **_: system_actor)
    main_window.restore_action.trigger()
    qtbot.waitUntil(lambda: main_window.workspace is not None and main_window.workspace is not ws, timeout=20000)
    assert chosen["files"] == ["before-changes.sqlite3"] and chosen["unnamed"] == []
    assert [title for title, _text in questions] == ["Restore from backup"]
    restored = main_window.workspace.staff.get(system_actor, staff_id=row.id)
    assert (restored.data.preferred_name, restored.version) == original
    assert main_window.staff_page.model.rowCount() == total
    assert ("information", "Restored") in [(kind, title) for kind, title, _ in no_dialogs]


def test_back_up_now_to_a_file_that_is_there_says_so_and_writes_nothing(qtbot, main_window, no_dialogs, monkeypatch):
    wal = main_window.workspace.db.path.with_name(main_window.workspace.db.path.name + "-wal")
    asked = {}

    def save_as(*args, **kwargs):
        asked.update(kwargs)
        return str(wal), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_as))
    before = wal.read_bytes() if wal.exists() else None
    main_window.backup_action.trigger()
    qtbot.waitUntil(lambda: bool(no_dialogs), timeout=20000)
    kind, title, text = no_dialogs[-1]
    assert kind != "information" and "Backup file:" in text and "beside the database" in text
    assert (wal.read_bytes() if wal.exists() else None) == before
    assert asked["options"] & QFileDialog.Option.DontConfirmOverwrite  # not asked "replace it?" only to be refused


def test_backup_and_import_are_only_offered_to_those_allowed(qtbot, main_window):
    # Real accounts: a page's read checks the account of the person signed in (`head_for_reader`).
    starter = account(main_window.workspace, "new.starter", "New Starter", {"staff"}, None)
    main_window.set_workspace(main_window.workspace, starter)
    assert not main_window.backup_action.isVisible() and not main_window.restore_action.isVisible()
    assert not main_window.import_action.isVisible()
    manager = account(main_window.workspace, "line.manager", "Line Manager", {"line_manager"}, None)
    main_window.set_workspace(main_window.workspace, manager)
    assert main_window.import_action.isVisible() and not main_window.backup_action.isVisible()


def write_rows(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["Surname", "Forename", "Email", "Job title", "Employer", "Base practice", "Start date"])
        out.writerows(rows)
    return path


def practice_names(workspace, actor):
    practices = workspace.staff.form_choices(actor).practices
    return practices[0].label, practices[1].hint


def run_wizard_to_preview(qtbot, wizard, path: Path):
    wizard.show()
    wizard.file_page.path.setText(str(path))
    wizard.next()
    assert wizard.currentPage() is wizard.mapping_page
    shot(wizard, "import-1-mapping")
    wizard.next()
    assert wizard.currentPage() is wizard.preview_page
    qtbot.waitUntil(lambda: wizard.preview_page.preview is not None, timeout=30000)


def test_the_import_wizard_maps_previews_and_imports(qtbot, demo_workspace, system_actor, tmp_path, no_dialogs):
    first, second_code = practice_names(demo_workspace, system_actor)
    path = write_rows(tmp_path / "hr.csv", [
        [f"Import{i}", "Test", f"import{i}@nhs.net", "Care coordinator", second_code, f"{first}; {second_code}",
         f"0{i}/03/2025"] for i in range(1, 8)])
    before = len(demo_workspace.staff.list_rows(system_actor))
    wizard = ImportWizard(demo_workspace, system_actor)
    qtbot.addWidget(wizard)
    run_wizard_to_preview(qtbot, wizard, path)
    page = wizard.preview_page
    assert page.isComplete() and "All 7 rows are ready" in page.summary.text()
    assert wizard.button(QWizard.WizardButton.CommitButton).text().replace("&", "") == "Import 7 people"
    assert page.model.rowCount() == 7 and page.model.index(0, 1).data() == "OK"
    for p in (wizard.file_page, wizard.mapping_page, wizard.preview_page):
        assert unnamed_controls(p) == []
    shot(wizard, "import-2-preview-ok")
    wizard.next()
    qtbot.waitUntil(lambda: wizard.import_page.done, timeout=30000)
    shot(wizard, "import-3-done")
    assert "Imported 7 staff records" in wizard.import_page.message.text()
    assert len(wizard.result_ids) == 7
    assert len(demo_workspace.staff.list_rows(system_actor)) == before + 7
    assert no_dialogs == []


def test_the_import_wizard_lists_problems_and_offers_no_import(qtbot, demo_workspace, system_actor, tmp_path,
                                                               monkeypatch, no_dialogs):
    first, second_code = practice_names(demo_workspace, system_actor)
    good = [[f"Good{i}", "Row", f"good{i}@nhs.net", "Care coordinator", second_code, first, "01/03/2025"]
            for i in range(1, 40)]
    good[9] = ["Bad", "Date", "bad@nhs.net", "Care coordinator", second_code, first, "31/02/2027"]
    good[20] = ["Bad", "Role", "role@nhs.net", "Astronaut", second_code, first, "01/03/2025"]
    path = write_rows(tmp_path / "hr.csv", good)
    before = len(demo_workspace.staff.list_rows(system_actor))
    wizard = ImportWizard(demo_workspace, system_actor)
    qtbot.addWidget(wizard)
    run_wizard_to_preview(qtbot, wizard, path)
    page = wizard.preview_page
    assert not page.isComplete()
    assert "2 problems in 2 of 39 rows" in page.summary.text() and "Nothing can be imported" in page.summary.text()
    assert page.only_problems.isChecked() and page.model.rowCount() == 2
    shown = {page.model.index(r, 0).data(): page.model.index(r, page.model.DETAILS).data() for r in range(2)}
    assert list(shown) == ["11", "22"]  # in file order
    assert "Row 11 (Date Bad)" in page.detail.text() and "is not a real date" in page.detail.text()
    assert "Start date: '31/02/2027' is not a real date" in shown["11"]
    assert "Role: 'Astronaut' is not a role" in shown["22"]
    assert page.model.index(0, 1).data().startswith("⚠ 1 problem")  # words, not only colour
    assert wizard.button(QWizard.WizardButton.CommitButton).text().replace("&", "") == "Import"
    shot(wizard, "import-2-preview-problems")
    saved = tmp_path / "problems.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(saved), "")))
    page.save_problems.click()
    from arrs_desk.ui.common.operation import wait_for_operations

    wait_for_operations()  # the file is written in the background
    text = saved.read_text(encoding="utf-8-sig")
    assert "11,Start date," in text and "22,Role," in text
    assert len(demo_workspace.staff.list_rows(system_actor)) == before
