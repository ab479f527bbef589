""""Induction completed before records began": the panel shown where a person has no checklist,
and the small dialog that records or corrects it (per-field errors, nothing saved on a refusal).

The panel reads `workspace.induction_prior.form`, so what it offers follows the service's rules:
the person's line manager or an administrator records it, never the person themself.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QFrame, QHBoxLayout, QLabel,
    QLineEdit, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget,
)

from arrs_desk.domain.dates import format_uk
from arrs_desk.ui.common.changes import INDUCTION
from arrs_desk.ui.common.date_edit import DateEdit
from arrs_desk.ui.common.error_display import show_error
from arrs_desk.ui.common.confirm import confirmed
from arrs_desk.ui.common.operation import Operation
from arrs_desk.ui.common.form_errors import FieldErrors
from arrs_desk.ui.common.dates import pydate, qdate

RECORD_TEXT = "Record induction completed before records began…"
TYPICAL_DAYS = 28
SOMEONE_ELSE = None
"""The attester choice for someone without an account: name and role are typed."""


class PriorInductionDialog(QDialog):
    """Record (or change) one person's induction completed before records began."""

    def __init__(self, workspace, actor, form, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace, self.actor, self.form_data = workspace, actor, form
        self.saved = None
        self._file: Path | None = None
        self._remove_file = False
        record = form.record
        self.setWindowTitle(f"{form.display_name}: induction before records began")
        intro = QLabel(
            f"{form.display_name} started on {format_uk(form.start_date)}, before this PCN began keeping induction "
            "records here. Record when their induction was completed and who can vouch for it; attach the paper "
            "record if you have a scan of it.")
        intro.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Problems")

        self.completed_on = DateEdit()
        self.completed_on.setCalendarPopup(True)
        self.completed_on.setDisplayFormat("dd/MM/yyyy")
        self.completed_on.setDateRange(qdate(form.earliest), qdate(form.latest))
        self.completed_on.setAccessibleName("Induction completed on")
        # Inductions are usually signed off about four weeks in: a likely date to adjust.
        self.completed_on.setDate(qdate(record.completed_on if record else
                                         min(form.latest, form.earliest + timedelta(days=TYPICAL_DAYS))))
        self.attester = QComboBox()
        self.attester.setAccessibleName("Attested by")
        self._attesters = list(form.attesters)
        if record is not None and record.attested_by_user_id is not None and not any(
                a.user_id == record.attested_by_user_id for a in self._attesters):
            # Attested by another account: keep it on offer, so a correction does not drop the link.
            from arrs_desk.services.induction_prior import Attester

            self._attesters.append(Attester(record.attested_by_user_id, record.attested_by_name,
                                            record.attested_by_role))
        for person in self._attesters:
            label = person.name + (f" ({person.role})" if person.role else "")
            self.attester.addItem(label, person.user_id)
        self.attester.addItem("Someone else, without an account here", SOMEONE_ELSE)
        self.attester_name = QLineEdit()
        self.attester_name.setAccessibleName("Attester's name")
        self.attester_name.setMaxLength(200)
        self.attester_role = QLineEdit()
        self.attester_role.setAccessibleName("Attester's role")
        self.attester_role.setMaxLength(120)
        self.attester_role.setPlaceholderText("for example Practice manager")
        self.note = QPlainTextEdit()
        self.note.setAccessibleName("Note")
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(72)
        self.note.setPlaceholderText("Where the paper record is kept, or anything else worth knowing")
        self.file_label = QLabel()
        self.file_label.setWordWrap(True)
        self.choose_button = QPushButton("Choose file…")
        self.choose_button.setAccessibleName("Choose the scanned induction record")
        self.clear_button = QPushButton("Remove file")
        self.clear_button.setAccessibleName("Remove the attached file")
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_label, 1)
        file_row.addWidget(self.choose_button)
        file_row.addWidget(self.clear_button)

        layout_form = QFormLayout()
        layout_form.addRow("Induction &completed on", self.completed_on)
        layout_form.addRow("&Attested by", self.attester)
        layout_form.addRow("Attester's &name", self.attester_name)
        layout_form.addRow("Attester's &role", self.attester_role)
        layout_form.addRow("N&ote", self.note)
        layout_form.addRow("Scanned record", file_row)
        for row in range(layout_form.rowCount()):
            item = layout_form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field = layout_form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if item and field and item.widget() and field.widget():
                item.widget().setBuddy(field.widget())
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.summary)
        layout.addLayout(layout_form)
        layout.addWidget(self.buttons)
        self.errors = FieldErrors(self, {
            "completed_on": self.completed_on, "attested_by_user_id": self.attester,
            "attested_by_name": self.attester_name, "attested_by_role": self.attester_role, "note": self.note,
            "file": file_row,
        }, self.summary)

        if record is not None:
            index = self.attester.findData(record.attested_by_user_id)
            self.attester.setCurrentIndex(index if index >= 0 and record.attested_by_user_id is not None
                                          else self.attester.count() - 1)
            self.attester_name.setText(record.attested_by_name)
            self.attester_role.setText(record.attested_by_role)
            self.note.setPlainText(record.note)
        self.attester.currentIndexChanged.connect(self._attester_changed)
        self._attester_changed()
        if record is not None:
            self.attester_role.setText(record.attested_by_role)
        self.choose_button.clicked.connect(self._choose_file)
        self.clear_button.clicked.connect(self._clear_file)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self._show_file()
        self.setMinimumWidth(560)

    def _attester_changed(self) -> None:
        user_id = self.attester.currentData()
        chosen = next((a for a in self._attesters if a.user_id == user_id), None)
        self.attester_name.setEnabled(chosen is None)
        if chosen is not None:
            self.attester_name.setText(chosen.name)
            if chosen.role:
                self.attester_role.setText(chosen.role)
        elif self.form_data.record is None or self.form_data.record.attested_by_user_id is not None:
            self.attester_name.clear()

    def _show_file(self) -> None:
        record = self.form_data.record
        if self._file is not None:
            text = f"{self._file.name} (attached when you save)"
        elif record is not None and record.has_evidence and not self._remove_file:
            text = record.evidence_filename
        else:
            text = "No file attached"
        self.file_label.setText(text)
        self.clear_button.setEnabled(self._file is not None or (record is not None and record.has_evidence
                                                               and not self._remove_file))

    def _choose_file(self) -> None:
        from arrs_desk.services.evidence import FILE_DIALOG_FILTER

        path, _ = QFileDialog.getOpenFileName(self, "Choose the scanned induction record", "", FILE_DIALOG_FILTER)
        if path:
            self._file, self._remove_file = Path(path), False
            self._show_file()

    def _clear_file(self) -> None:
        if self._file is not None:
            self._file = None
        else:
            self._remove_file = True
        self._show_file()

    def values(self):
        from arrs_desk.services.induction_prior import PriorInductionInput

        return PriorInductionInput(
            completed_on=pydate(self.completed_on.date()), attested_by_name=self.attester_name.text(),
            attested_by_role=self.attester_role.text(), attested_by_user_id=self.attester.currentData(),
            note=self.note.toPlainText())

    def save(self) -> None:
        if self.errors.refuse_date_problems():
            return
        staff_id, record, data = self.form_data.staff_id, self.form_data.record, self.values()
        actor, evidence, remove = self.actor, self._file, self._remove_file
        if record is None:
            operation = Operation(self, lambda ws: ws.induction_prior.record(
                actor, staff_id=staff_id, data=data, evidence_file=evidence))
        else:
            operation = Operation(self, lambda ws: ws.induction_prior.change(
                actor, staff_id=staff_id, data=data, expected_version=record.version, evidence_file=evidence,
                remove_evidence=remove))
        operation.changes(INDUCTION).fields(self.errors).failure(self._refused).success(self._saved).run()

    def _refused(self, error: Exception) -> None:
        show_error(self, error)
        self.reject()  # permission or stale edit: the message was shown; the caller reloads

    def _saved(self, result) -> None:
        self.saved = result
        self.accept()


class PriorInductionPanel(QFrame):
    """What the checklist view shows for someone without a checklist: the earlier induction if
    one is recorded, and the actions the viewer may take on it."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace = self.actor = self.form = None
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setAccessibleName("Induction before records began")
        self.record_button = QPushButton(RECORD_TEXT)
        self.change_button = QPushButton("Change…")
        self.change_button.setAccessibleName("Change the record of the earlier induction")
        self.remove_button = QPushButton("Remove…")
        self.remove_button.setAccessibleName("Remove the record of the earlier induction")
        self.open_button = QPushButton("Open the scanned record")
        buttons = QHBoxLayout()
        for button in (self.record_button, self.open_button, self.change_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addLayout(buttons)
        self.record_button.clicked.connect(self.edit)
        self.change_button.clicked.connect(self.edit)
        self.remove_button.clicked.connect(self.remove)
        self.open_button.clicked.connect(self.open_evidence)
        self.hide()

    def load(self, workspace, actor, staff_id: int, *, started: bool) -> None:
        self.workspace, self.actor = workspace, actor
        form = Operation(self, lambda ws: ws.induction_prior.form(actor, staff_id=staff_id), workspace=workspace)
        self.form = form.result if form.run() else None
        if self.form is None or (self.form.record is None and not (started and self.form.can_record)):
            self.hide()
            return
        record = self.form.record
        if record is None:
            self.text.setText(f"If {self.form.display_name} was in post before this PCN began keeping induction "
                              "records here, record that their induction was completed then, and who vouches for it.")
        else:
            lines = [f"<b>{_escape(record.text)}.</b>"]
            if record.note:
                lines.append(_escape(record.note))
            lines.append(f"Recorded by {_escape(record.recorded_by)}" if record.recorded_by else "")
            self.text.setText("<br>".join(line for line in lines if line))
        self.record_button.setVisible(record is None)
        self.change_button.setVisible(record is not None and self.form.can_record)
        self.remove_button.setVisible(record is not None and self.form.can_record)
        self.open_button.setVisible(record is not None and record.has_evidence)
        if record is not None and record.has_evidence:
            self.open_button.setToolTip(record.evidence_filename)
        self.show()

    def edit(self) -> PriorInductionDialog | None:
        if self.form is None:
            return None
        dialog = PriorInductionDialog(self.workspace, self.actor, self.form, self)
        dialog.exec()
        self.changed.emit()
        return dialog

    def remove(self) -> None:
        record = self.form.record if self.form else None
        if record is None:
            return
        if confirmed(
                self, "Remove the earlier induction record",
                f"Remove the record that {self.form.display_name}'s induction was completed before records began? "
                "The audit trail keeps what it said."):
            staff_id = self.form.staff_id
            Operation(self, lambda ws: ws.induction_prior.remove(self.actor, staff_id=staff_id,
                                                                 expected_version=record.version)) \
                .changes(INDUCTION).run()
            self.changed.emit()

    def open_evidence(self) -> None:
        if self.form is None:
            return
        staff_id = self.form.staff_id
        Operation(self, lambda ws: ws.induction_prior.evidence_file(self.actor, staff_id=staff_id)) \
            .success(lambda path: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))).run()


def _escape(text: str) -> str:
    from html import escape

    return escape(text)
