"""File > Export all data… (everything to one ZIP file, written in a worker with a progress dialog),
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
    QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QLabel, QMessageBox, QVBoxLayout,
)

from arrs_desk.ui.common.changes import STAFF
from arrs_desk.ui.common.date_edit import DateEdit
from arrs_desk import clock
from arrs_desk.ui.common.bidi import isolate
from arrs_desk.ui.common.operation import Operation
from arrs_desk.ui.common.dates import qdate

EXPORT_FILES = "ARRS Desk exports (*.zip);;All files (*)"


def export_all_data(window) -> Operation | None:
    """Ask where to save, then export in a worker; returns the running operation (tests wait on it)."""
    workspace, actor = window.workspace, window.actor
    if workspace is None:
        return None
    suggested = Path.home() / f"arrs-desk-export-{workspace.today().isoformat()}.zip"
    path, _ = QFileDialog.getSaveFileName(window, "Export all data to…", str(suggested), EXPORT_FILES)
    if not path:
        return None
    if not path.lower().endswith(".zip"):
        path += ".zip"

    def done(result) -> None:
        window.statusBar().showMessage(f"Exported all data to {result.path}", 10000)
        QMessageBox.information(
            window, "Export made",
            f"Everything was exported to:\n{result.path}\n\n{result.rows:,} rows, {result.evidence_files} evidence "
            f"file(s), {result.size / (1024 * 1024):.1f} MB.\nSHA-256: {result.sha256}\n\n"
            "The file holds personal data and password hashes: keep it as securely as the database itself.")

    return Operation(window, lambda ws, progress: ws.data_export.export_all(actor, path=path, progress=progress.report),
                     with_progress=True) \
        .progress_dialog("Exporting all data and evidence files…", title="Export all data", cancellable=True,
                         show_after_ms=300) \
        .success(done).run_in_background()


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
    """The manifest's ISO time as people read it here (local time), or as written if it is not one."""
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%d/%m/%Y at %H:%M")
    except ValueError:
        return stamp


class BundleImportDialog(QDialog):
    """Who the bundle is for, and where they will work here: employer, base practice, start, manager."""

    def __init__(self, preview, choices, path: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Import record bundle")
        self.path = path
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
        form = QFormLayout()
        form.addRow("&Employer", self.employer)
        form.addRow("&Base practice", self.practice)
        form.addRow("Employment &model", self.model)
        form.addRow("&Start date here", self.start)
        form.addRow("&Line manager", self.manager)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Import")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def values(self) -> dict:
        practice = self.practice.currentData()
        return dict(employer_id=self.employer.currentData(), practice_ids=[practice] if practice is not None else [],
                    start_date=self.start.date().toPython(), line_manager_id=self.manager.currentData(),
                    employment_model=self.model.currentData())


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
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    values = dialog.values()
    imported = Operation(window, lambda ws: ws.record_bundles.import_bundle(actor, path=path, **values)).changes(STAFF)
    if not imported.run():
        return None
    window.statusBar().showMessage(f"Imported the record of {imported.result.display_name}", 10000)
    return imported.result.staff_id
