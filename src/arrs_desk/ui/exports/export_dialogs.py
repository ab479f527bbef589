"""File > Export all data… (everything to one encrypted ZIP file, written in a worker with a progress dialog),
Staff > Export record bundle… and File > Import record bundle… (one person, to and from another PCN).

The full export can be cancelled: the worker stops at its next progress report and the half-written
file is removed, so only complete exports are ever left on disk. Loading a full export into an
empty database is done from the command line (`arrs-desk import`), see docs/export-format.md.
"""

from __future__ import annotations

import re
from datetime import datetime
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QLabel, QLineEdit, QMessageBox,
    QVBoxLayout,
)

from arrs_desk.ui.common.changes import STAFF
from arrs_desk.ui.common.date_edit import DateEdit
from arrs_desk import clock
from arrs_desk.ui.common.bidi import isolate
from arrs_desk.ui.common.operation import Operation
from arrs_desk.ui.common.dates import qdate
from arrs_desk.ui.common.enabled import set_enabled_with_reason
from arrs_desk.ui.common.secret_field import passphrase_field
from arrs_desk.ui.common.form_errors import ERROR_PREFIX, FieldErrors, reserve_message_room, show_message

EXPORT_FILES = "ARRS Desk exports (*.zip);;All files (*)"


def export_all_data(window) -> Operation | None:
    """Ask where to save (and, for a database that is not encrypted, the passphrase to seal the file
    with), then export in a worker; returns the running operation (tests wait on it)."""
    workspace, actor = window.workspace, window.actor
    if workspace is None:
        return None
    suggested = Path.home() / f"arrs-desk-export-{workspace.today().isoformat()}.zip"
    path, _ = QFileDialog.getSaveFileName(window, "Export all data to…", str(suggested), EXPORT_FILES)
    if not path:
        return None
    if not path.lower().endswith(".zip"):
        path += ".zip"
    passphrase = None
    if workspace.data_export.needs_passphrase():
        asked = ExportPassphraseDialog(window)
        if not asked.exec():
            return None
        passphrase = asked.passphrase.text()

    def done(result) -> None:
        window.statusBar().showMessage(f"Exported all data to {result.path}", 10000)
        opens_with = "the passphrase you chose for it" if passphrase else "this database's passphrase"
        QMessageBox.information(
            window, "Export made",
            f"Everything was exported to:\n{result.path}\n\n{result.rows:,} rows, {result.evidence_files} evidence "
            f"file(s), {result.size / (1024 * 1024):.1f} MB.\nSHA-256: {result.sha256}\n\n"
            f"The file is encrypted and loads with {opens_with}. It holds everyone's records and sign-in "
            "details: keep it as securely as the database itself.")

    return Operation(window, lambda ws, progress: ws.data_export.export_all(
                     actor, path=path, passphrase=passphrase, progress=progress.report), with_progress=True) \
        .progress_dialog("Exporting all data and evidence files…", title="Export all data", cancellable=True,
                         show_after_ms=300) \
        .success(done).run_in_background()


class ExportPassphraseDialog(QDialog):
    """The passphrase a full export of a database that is not encrypted is sealed with: the file
    holds every account's password hash and two-step secret (so that people sign in as before
    where it is loaded) and is made to leave this PC. Typed twice; checked before the export runs."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Encrypt the export")
        about = QLabel("The export holds everyone's records and every account's sign-in details, so it is "
                       "encrypted. Choose a passphrase for it: loading the file asks for it. Keep it apart "
                       "from the file.")
        about.setWordWrap(True)
        self.passphrase, self.confirm = passphrase_field("Passphrase for the export"), passphrase_field("Passphrase again")
        form = QFormLayout()
        form.addRow("&Passphrase", self.passphrase)
        form.addRow("&Again", self.confirm)
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        reserve_message_room(self.message)  # a refusal does not squeeze the words above it
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Export")
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)

    def try_accept(self) -> None:
        from arrs_desk.errors import ValidationError
        from arrs_desk.services.encryption_keys import check_new_passphrase

        try:
            check_new_passphrase(self.passphrase.text(), self.confirm.text())
        except ValidationError as problem:
            show_message(self.message, ERROR_PREFIX + problem.message)
            (self.confirm if "confirm" in problem.errors else self.passphrase).setFocus()
            return
        self.accept()


# ==================================================================================== record bundles
BUNDLE_FILES = "ARRS Desk record bundles (*.zip);;All files (*)"


def export_record_bundle(window, staff_id: int | None) -> None:
    """Staff page > Export record bundle…: one person's record and evidence, for their new PCN."""
    workspace, actor = window.workspace, window.actor
    if workspace is None or staff_id is None:
        return
    found = Operation(window, lambda ws: ws.staff.get(actor, staff_id=staff_id))
    if not found.run():
        return
    record = found.result
    slug = re.sub(r"[^\w]+", "-", record.display_name.lower()).strip("-") or str(staff_id)
    suggested = Path.home() / f"record-bundle-{slug}-{workspace.today().isoformat()}.zip"
    path, _ = QFileDialog.getSaveFileName(window, "Export record bundle to…", str(suggested), BUNDLE_FILES)
    if not path:
        return
    if not path.lower().endswith(".zip"):
        path += ".zip"

    def saved(result) -> None:
        window.statusBar().showMessage(f"Saved the record bundle to {result.path}", 10000)
        QMessageBox.information(
            window, "Record bundle saved",
            f"The record bundle was saved to:\n{result.path}\n\n{result.rows} records, {result.evidence_files} "
            "evidence file(s). It holds personal data: send it to the new PCN securely (for example by NHSmail), "
            "then delete your copy.")

    return Operation(window, lambda ws: ws.record_bundles.export_bundle(actor, staff_id=staff_id, path=path)) \
        .progress_dialog("Saving the record bundle…", show_after_ms=300).success(saved).run_in_background()


def _when(stamp: str) -> str:
    """The manifest's ISO time in England's time (as every time in the app), or as written if it is not one."""
    try:
        return clock.in_uk(datetime.fromisoformat(stamp)).strftime("%d/%m/%Y at %H:%M")
    except ValueError:
        return stamp


class BundleImportDialog(QDialog):
    """Who the bundle is for, where it came from (its signature), and where they will work here:
    employer, base practice, start, manager. Import runs from here, so a problem shows under its
    field and nothing closes until the person is in."""

    def __init__(self, preview, choices, path: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Import record bundle")
        self.path = path
        self.preview = preview
        self.imported = None
        # dir="ltr": Qt's rich text takes a paragraph's direction from its first letter, so an
        # Arabic name first would otherwise right-align and reorder the whole English sentence.
        about = QLabel(
            f"<p dir='ltr'><b>{escape(isolate(preview.display_name))}</b>, {escape(preview.role_title)}, from "
            f"{escape(isolate(preview.pcn or 'another PCN'))}<br>Exported {escape(_when(preview.exported_at))} by "
            f"{escape(isolate(preview.exported_by))}.<br>They are added as a new starter (pre-start); completed "
            "induction items, supervision sessions, programme progress and reviews come with them as the record of "
            "their previous post.</p>")
        about.setWordWrap(True)
        about.setTextFormat(Qt.TextFormat.RichText)
        self.signature = QLabel(("✓ " if preview.signature.trusted else "⚠ ") + preview.signature.message)
        self.signature.setWordWrap(True)
        self.signature.setAccessibleName("Where the file came from")
        self.signature.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.employer = QComboBox()
        for choice in choices.employers:
            self.employer.addItem(f"{choice.label} ({choice.hint})", choice.value)
        self.practice = QComboBox()
        for choice in choices.practices:
            self.practice.addItem(choice.label, choice.value)
        self.model = QComboBox()
        for choice in choices.employment_models:
            self.model.addItem(choice.label, choice.value)
        self.model.setCurrentIndex(max(0, self.model.findData(preview.employment_model)))
        day = clock.today()
        self.start = DateEdit(qdate(day))
        self.start.setCalendarPopup(True)
        self.start.setDisplayFormat("dd/MM/yyyy")
        self.manager = QComboBox()
        self.manager.addItem("(none yet)", None)
        for choice in choices.managers:
            self.manager.addItem(f"{choice.label} – {choice.hint}", choice.value)
        self.reason = QLineEdit(self)
        self.reason.setAccessibleName("Reason for importing it anyway")
        self.reason.setPlaceholderText("e.g. Sent by their previous manager on 2 December")
        self.trust = QCheckBox(f"Trust files from ARRS Desk at {preview.signature.pcn or 'this PCN'} from now on", self)
        self.trust.setToolTip("The next bundle signed by the same installation reads as unchanged, and anyone who "
                              "may add staff can import it")
        form = QFormLayout()
        form.addRow("&Employer", self.employer)
        form.addRow("&Base practice", self.practice)
        form.addRow("Employment &model", self.model)
        form.addRow("&Start date here", self.start)
        form.addRow("&Line manager", self.manager)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.import_button.setText("&Import")
        buttons.accepted.connect(self.run_import)
        buttons.rejected.connect(self.reject)
        needs_reason = not preview.signature.trusted
        if needs_reason and preview.may_override:
            form.addRow("&Reason to import it anyway", self.reason)
            if preview.signature.from_unknown_installation:
                form.addRow("", self.trust)
        set_enabled_with_reason(self.import_button, not needs_reason or preview.may_override,
                                "Only an administrator may import a file that is not known to be unchanged: ask one "
                                "to import it, giving the reason.")
        self.reason.setVisible(needs_reason and preview.may_override)
        self.trust.setVisible(needs_reason and preview.may_override
                              and preview.signature.from_unknown_installation)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addWidget(self.signature)
        if needs_reason and preview.may_override:
            hint = QLabel("If you were expecting this file, you may import it anyway: give the reason below." + (
                " Tick “Trust…” if it is from the PCN it names, so its next files go straight in."
                if preview.signature.from_unknown_installation else ""))
            hint.setWordWrap(True)
            layout.addWidget(hint)
        if needs_reason and not preview.may_override:
            refused = QLabel("Only an administrator may import a file that is not known to be unchanged. Ask one to "
                             "import it; they give the reason, which is kept in the audit trail.")
            refused.setWordWrap(True)
            layout.addWidget(refused)
        layout.addWidget(self.summary)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.errors = FieldErrors(self, {"employer_id": self.employer, "practice_ids": self.practice,
                                         "employment_model": self.model, "start_date": self.start,
                                         "line_manager_id": self.manager, "signature": self.reason}, self.summary)

    def values(self) -> dict:
        practice = self.practice.currentData()
        values = dict(employer_id=self.employer.currentData(), practice_ids=[practice] if practice is not None else [],
                      start_date=self.start.date().toPython(), line_manager_id=self.manager.currentData(),
                      employment_model=self.model.currentData())
        if not self.preview.signature.trusted:
            values.update(override_reason=self.reason.text(), trust_sender=self.trust.isChecked())
        return values

    def run_import(self) -> None:
        actor, path, values = self.parent().actor, self.path, self.values()
        if self.reason.isVisibleTo(self) and not self.reason.text().strip():
            self.errors.show({"signature": "Say why you are importing it anyway, for example who sent it to you; "
                                           "the reason is kept in the audit trail."})
            self.reason.setFocus()
            return

        def done(result) -> None:
            self.imported = result
            self.accept()

        Operation(self, lambda ws: ws.record_bundles.import_bundle(actor, path=path, **values)) \
            .changes(STAFF).fields(self.errors).success(done).run()


def import_record_bundle(window) -> int | None:
    """File > Import record bundle…: add a person from another PCN; returns their new staff id."""
    workspace, actor = window.workspace, window.actor
    if workspace is None:
        return None
    path, _ = QFileDialog.getOpenFileName(window, "Import a record bundle", str(Path.home()), BUNDLE_FILES)
    if not path:
        return None
    preview = Operation(window, lambda ws: ws.record_bundles.preview(actor, path=path))
    choices = Operation(window, lambda ws: ws.staff.form_choices(actor))
    if not (preview.run() and choices.run()):
        return None
    dialog = BundleImportDialog(preview.result, choices.result, path, window)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.imported is None:
        return None
    window.statusBar().showMessage(f"Imported the record of {dialog.imported.display_name}", 10000)
    return dialog.imported.staff_id
