"""File > Export all data…: administrators only, runs in a worker, says where the file went."""

from __future__ import annotations

import json
import zipfile

from PySide6.QtWidgets import QFileDialog

from tests.support.exports import PASSPHRASE, export_plain, members
from tests.ui.test_accounts_ui import actor_for


def test_export_all_data_saves_a_zip_off_the_gui_thread(main_window, no_dialogs, qtbot, tmp_path, monkeypatch):
    """A database that is not encrypted has its export sealed with a passphrase typed twice (the
    file holds every account's sign-in details); one too short, or typed differently, is refused
    in the dialog before anything is written."""
    from arrs_desk.ui.exports.export_dialogs import ExportPassphraseDialog

    target = tmp_path / "everything"  # ".zip" is added
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    said = []

    def type_passphrase(dialog):
        for first, second in (("short", "short"), (PASSPHRASE, "something else entirely"), (PASSPHRASE, PASSPHRASE)):
            dialog.passphrase.setText(first)
            dialog.confirm.setText(second)
            dialog.try_accept()
            said.append(dialog.message.text() if dialog.message.isVisibleTo(dialog) else "")
        return dialog.result()

    monkeypatch.setattr(ExportPassphraseDialog, "exec", type_passphrase)
    assert main_window.export_action.isVisible()
    task = main_window.export_all_data()
    qtbot.waitUntil(lambda: bool(no_dialogs), timeout=30000)
    assert task is not None
    assert "at least 10 characters" in said[0] and "not the same" in said[1]
    kind, title, text = no_dialogs[-1]
    assert (kind, title) == ("information", "Export made") and "everything.zip" in text
    assert "loads with the passphrase you chose for it" in text
    assert not zipfile.is_zipfile(tmp_path / "everything.zip")
    assert json.loads(members(tmp_path / "everything.zip")["manifest.json"])["format"] == "arrs-desk-export"


def test_cancelling_the_passphrase_exports_nothing(main_window, no_dialogs, tmp_path, monkeypatch):
    from arrs_desk.ui.exports.export_dialogs import ExportPassphraseDialog

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(tmp_path / "x.zip"), "")))
    monkeypatch.setattr(ExportPassphraseDialog, "exec", lambda dialog: 0)
    assert main_window.export_all_data() is None
    assert no_dialogs == [] and list(tmp_path.glob("*x.zip*")) == []


def test_export_is_hidden_from_people_who_are_not_administrators(main_window):
    main_window.actor = actor_for(main_window.workspace, "practice.manager")  # a line manager
    main_window._apply_permissions()
    assert not main_window.export_action.isVisible()


def test_cancelling_the_file_dialog_does_nothing(main_window, no_dialogs, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    assert main_window.export_all_data() is None
    assert no_dialogs == []


def test_a_record_bundle_is_exported_from_the_staff_list_and_imported_from_the_file_menu(
        main_window, no_dialogs, qtbot, tmp_path, monkeypatch):

    from arrs_desk.ui.exports import export_dialogs

    page = main_window.staff_page
    page.table.selectRow(0)
    staff_id = page.selected_staff_id()
    assert staff_id is not None and page.export_bundle_action in page.table.actions()
    target = tmp_path / "bundle"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    page.export_bundle_action.trigger()
    from arrs_desk.ui.common.operation import wait_for_operations

    wait_for_operations()  # the bundle is written in the background
    assert no_dialogs[-1][:2] == ("information", "Record bundle saved")
    assert (tmp_path / "bundle.zip").is_file()

    # Into the same PCN again: refused at first, as that person is already here (same email, registration) ...
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(tmp_path / "bundle.zip"), "")))
    shown = []

    def press_import(dialog):
        shown.append(dialog.signature.text())
        dialog.run_import()  # what the Import button does; the dialog stays open on a problem
        shown.append(dialog.summary.text() if dialog.summary.isVisibleTo(dialog) else "")
        return dialog.result()

    monkeypatch.setattr(export_dialogs.BundleImportDialog, "exec", press_import)
    assert main_window.import_record_bundle() is None
    assert shown[0].startswith("✓ From ARRS Desk at") and shown[0].endswith(", unchanged.")
    problems = [*shown[1:], *(d[2] for d in no_dialogs if d[0] == "warning")]
    assert any("already" in text for text in problems), (shown, no_dialogs)
    # ... and added as a second person once the original no longer claims those details.
    from sqlalchemy import update

    from arrs_desk.store.models import Staff

    with main_window.workspace.db.write() as session:
        session.execute(update(Staff).where(Staff.id == staff_id).values(email="", registration_number=""))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(tmp_path / "bundle.zip"), "")))
    seen = []

    def accept(dialog):
        seen.append(dialog.values())
        dialog.run_import()
        return dialog.result()

    monkeypatch.setattr(export_dialogs.BundleImportDialog, "exec", accept)
    new_id = main_window.import_record_bundle()
    assert new_id is not None and new_id != staff_id, no_dialogs
    assert seen[0]["employer_id"] is not None and seen[0]["practice_ids"]
    record = main_window.workspace.staff.get(main_window.actor, staff_id=new_id)
    # Saved as starting afresh (Pre-start) on the day chosen, today: on their first day they are in induction.
    assert record.data.start_date == main_window.workspace.today() and record.data.status == "induction"


def test_the_first_run_screen_loads_a_full_export_then_asks_for_a_sign_in(
        qtbot, demo_workspace, system_actor, tmp_path, ui_settings):
    from arrs_desk.demo.pcn import DEMO_PASSWORD
    from arrs_desk.services.workspace import Workspace
    from arrs_desk.ui.shell.account_dialogs import FirstRunDialog, LoginDialog
    from arrs_desk.ui.shell.main_window import MainWindow
    from tests.ui.test_accounts_ui import sign_in_with, when_dialog_opens

    export = tmp_path / "everything.zip"
    demo_workspace.data_export.export_all(system_actor, path=export, passphrase=PASSPHRASE)
    fresh = Workspace.open(tmp_path / "new.sqlite3")
    window = MainWindow(settings=ui_settings)
    qtbot.addWidget(window)
    seen = {}

    def fill(dialog):
        dialog.choice.button(FirstRunDialog.IMPORT).setChecked(True)
        dialog.go()
        seen["empty"] = dialog.message.text()
        dialog.import_path.setText(str(export))
        dialog.import_passphrase.setText(PASSPHRASE)  # shown for an encrypted file, as every export is
        dialog.go()

    def sign_in(dialog):
        sign_in_with(dialog, "zoe.okubo", DEMO_PASSWORD)

    when_dialog_opens(FirstRunDialog, fill)
    when_dialog_opens(LoginDialog, sign_in)
    window._opened(fresh)
    assert "Choose the export file" in seen["empty"]
    assert window.actor is not None and window.actor.display_name == "Zoë Ōkubo"
    assert fresh.data_export.emptiness_problem() is not None


def test_a_bundle_from_another_pcns_installation_asks_an_administrator_for_a_reason(
        main_window, no_dialogs, qtbot, tmp_path):
    """The import dialog says where the file came from; an administrator gives a reason (checked
    under its field, nothing imported without it) and may trust that PCN from now on; anyone
    else finds Import greyed out, saying why."""
    from arrs_desk.services.actor import SYSTEM
    from arrs_desk.services.workspace import Workspace
    from arrs_desk.ui.exports.export_dialogs import BundleImportDialog
    from tests.support.pcn import HELEN, build_small_pcn
    from tests.support.signing import new_installation_key, resign

    other = Workspace.open(tmp_path / "riverside.sqlite3")
    try:
        pcn = build_small_pcn(other, SYSTEM, members=[HELEN], name="Lakeside PCN", ods_code="U33333")
        other.record_bundles.export_bundle(SYSTEM, staff_id=pcn.staff_ids["helen"], path=tmp_path / "b.zip")
    finally:
        other.close()
    bundle = resign(tmp_path / "b.zip", tmp_path / "from-lakeside.zip", new_installation_key())
    ws, actor = main_window.workspace, main_window.actor
    preview = ws.record_bundles.preview(actor, path=bundle)
    choices = ws.staff.form_choices(actor)
    dialog = BundleImportDialog(preview, choices, str(bundle), main_window)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.signature.text().startswith("⚠ This record bundle says it is from ARRS Desk at Lakeside PCN")
    assert dialog.reason.isVisible() and dialog.trust.isVisible() and dialog.import_button.isEnabled()
    staff_before = len(ws.staff.list_rows(actor))
    dialog.run_import()
    assert dialog.imported is None and dialog.isVisible()
    assert dialog.errors.labels["signature"].isVisible()
    assert "Say why you are importing it anyway" in dialog.errors.labels["signature"].text()
    assert len(ws.staff.list_rows(actor)) == staff_before
    dialog.reason.setText("Sent by Lakeside's practice manager")
    dialog.trust.setChecked(True)
    dialog.run_import()
    assert dialog.imported is not None and dialog.imported.display_name.startswith("Helen")
    assert ws.record_bundles.preview(actor, path=bundle).signature.trusted  # Lakeside is trusted from now on

    manager = actor_for(ws, "practice.manager")  # a line manager
    refused = BundleImportDialog(ws.record_bundles.preview(manager, path=resign(
        tmp_path / "b.zip", tmp_path / "another.zip", new_installation_key())), choices, str(bundle), main_window)
    qtbot.addWidget(refused)
    refused.show()
    assert not refused.import_button.isEnabled() and not refused.reason.isVisible()
    assert "Only an administrator may import" in refused.import_button.toolTip()


def first_run_loading(qtbot, fresh):
    """The first-run screen of `fresh`, shown, with "Load a full export" chosen."""
    from arrs_desk.ui.shell.account_dialogs import FirstRunDialog

    dialog = FirstRunDialog(fresh)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.choice.button(FirstRunDialog.IMPORT).setChecked(True)
    return dialog


def test_the_first_run_screen_loads_an_export_made_on_the_old_pc_once_given_a_reason(
        qtbot, demo_workspace, system_actor, tmp_path):
    """Moving to a new PC: the export is signed by the old PC's key, which the new database has
    never seen. The first-run screen says so, asks why, and loads it with the reason audited."""
    from sqlalchemy import select

    from arrs_desk.services.workspace import Workspace
    from arrs_desk.store.models import AuditEntry
    from arrs_desk.ui.common.operation import wait_for_operations
    from tests.support.signing import new_installation_key, resign

    export_plain(demo_workspace.data_export, system_actor, tmp_path / "everything.zip")  # an older, plain file
    export = resign(tmp_path / "everything.zip", tmp_path / "from-old-pc.zip", new_installation_key())
    fresh = Workspace.open(tmp_path / "new.sqlite3")
    try:
        dialog = first_run_loading(qtbot, fresh)
        assert not dialog.import_reason.isVisible()
        dialog.import_path.setText(str(export))
        dialog.go()
        wait_for_operations()
        assert dialog.result() != dialog.DialogCode.Accepted and dialog.import_reason.isVisible()
        assert "signed by an installation this database does not know" in dialog.message.text()
        assert "give the reason above" in dialog.message.text()
        assert fresh.data_export.emptiness_problem() is None  # nothing was loaded
        dialog.go()  # no reason yet
        assert "Say why you are loading it anyway" in dialog.message.text()
        dialog.import_reason.setText("Exported from our old server on 3 December")
        dialog.go()
        wait_for_operations()
        assert dialog.result() == dialog.DialogCode.Accepted and dialog.imported is not None
        with fresh.db.read() as session:
            entry = session.execute(select(AuditEntry).where(AuditEntry.action == "import")).scalar_one()
        assert entry.changes["override_reason"] == "Exported from our old server on 3 December"
    finally:
        fresh.close()


def test_the_first_run_screen_asks_for_the_passphrase_of_an_encrypted_export(
        qtbot, demo_workspace, system_actor, tmp_path):
    """A full export of an encrypted database loads on another PC with that database's passphrase:
    the field appears only for such a file, and a wrong passphrase loads nothing and says so."""
    from arrs_desk.services.workspace import Workspace
    from arrs_desk.store.cipher import DatabaseKey
    from arrs_desk.ui.common.operation import wait_for_operations

    demo_workspace.db.change_key(DatabaseKey.from_passphrase("correct horse battery staple", bytes(16)))
    export = tmp_path / "everything.zip"
    demo_workspace.data_export.export_all(system_actor, path=export)
    fresh = Workspace.open(tmp_path / "new.sqlite3")
    try:
        dialog = first_run_loading(qtbot, fresh)
        assert not dialog.import_passphrase.isVisible()
        dialog.import_path.setText(str(export))
        assert dialog.import_passphrase.isVisible() and dialog.import_passphrase_label.isVisible()
        dialog.go()
        wait_for_operations()
        assert "Enter the passphrase it was exported with" in dialog.message.text()
        dialog.import_passphrase.setText("not the passphrase at all")
        dialog.go()
        wait_for_operations()
        assert dialog.result() != dialog.DialogCode.Accepted and "does not open" in dialog.message.text()
        assert fresh.data_export.emptiness_problem() is None  # nothing was loaded
        dialog.import_passphrase.setText("correct horse battery staple")
        dialog.go()
        wait_for_operations()
        assert dialog.result() == dialog.DialogCode.Accepted and dialog.imported is not None
    finally:
        fresh.close()


def test_a_refused_passphrase_does_not_squeeze_the_words_above_it(qtbot):
    """The refusal appeared in a dialog sized before it, cutting the explanation's last line off
    ("Keep it apart from the file." was not shown)."""
    from PySide6.QtWidgets import QLabel

    from arrs_desk.ui.exports.export_dialogs import ExportPassphraseDialog

    dialog = ExportPassphraseDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.try_accept()  # nothing typed: refused
    qtbot.wait(50)
    assert "at least" in dialog.message.text()
    for label in dialog.findChildren(QLabel):
        if label.isVisible() and label.wordWrap() and label.text():
            assert label.height() >= label.heightForWidth(label.width()), label.text()
