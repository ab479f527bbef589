"""Entering a CPD entry or a piece of revalidation evidence.

The dialog only collects the form; the write goes through `Operation`, and a validation error
comes back as messages by field, shown in the dialog's message line with the field's name.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit,
    QVBoxLayout,
)

from arrs_desk.services.revalidation import CpdInput, EvidenceInput
from arrs_desk.ui.common.changes import STAFF
from arrs_desk.ui.common.date_edit import DateEdit, pydate
from arrs_desk.ui.common.operation import Operation

FIELD_NAMES = {"occurred_on": "Date", "title": "Title", "provider": "Provider", "method": "Method", "hours": "Hours",
               "reflection": "Reflection", "kind": "Kind", "details": "Details", "partner_name": "Other registrant",
               "partner_registration": "Their registration number", "source_id": "Came from",
               "source_kind": "Came from"}


class _EntryDialog(QDialog):
    def __init__(self, parent, *, staff_id: int, title: str):
        super().__init__(parent)
        self.workspace = parent.workspace
        self.actor = parent.actor
        self.staff_id = staff_id
        self.result_record = None
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.date = DateEdit(self.workspace.today())
        self.date.setAccessibleName("Date")
        self.form.addRow("&Date", self.date)
        self.title_edit = QLineEdit()
        self.title_edit.setAccessibleName("Title")
        self.form.addRow("&Title", self.title_edit)
        self.errors = QLabel()
        self.errors.setWordWrap(True)
        self.errors.setAccessibleName("Problems")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setDefault(True)  # Enter saves
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.errors)
        layout.addWidget(self.buttons)

    def _show_errors(self, error) -> None:
        self.errors.setText("\n".join(f"{FIELD_NAMES.get(k, k)}: {v}" for k, v in error.errors.items()))

    def _saved(self, record) -> None:
        self.result_record = record
        self.accept()

    def _write(self, call) -> None:
        Operation(self, call).fields(self._show_errors).changes(STAFF).success(self._saved).run()


class CpdDialog(_EntryDialog):
    def __init__(self, parent, *, staff_id: int, methods):
        super().__init__(parent, staff_id=staff_id, title="Add CPD")
        self.provider = QLineEdit()
        self.provider.setAccessibleName("Provider")
        self.form.addRow("&Provider", self.provider)
        self.method = QComboBox()
        self.method.setAccessibleName("Method")
        for value, label in methods:
            self.method.addItem(label, value)
        self.form.addRow("&Method", self.method)
        self.hours = QDoubleSpinBox()
        self.hours.setRange(0, 200)
        self.hours.setDecimals(2)
        self.hours.setSingleStep(0.5)
        self.hours.setAccessibleName("Hours")
        self.form.addRow("&Hours", self.hours)
        self.participatory = QCheckBox("Participatory (learning with others)")
        self.planned = QCheckBox("Planned in advance")
        self.form.addRow("", self.participatory)
        self.form.addRow("", self.planned)
        self.reflection = QPlainTextEdit()
        self.reflection.setTabChangesFocus(True)
        self.reflection.setAccessibleName("Reflection")
        self.reflection.setFixedHeight(90)
        self.form.addRow("&Reflection", self.reflection)

    def data(self) -> CpdInput:
        return CpdInput(staff_id=self.staff_id, occurred_on=pydate(self.date.date()), title=self.title_edit.text(),
                        method=self.method.currentData(), hours=self.hours.value(), provider=self.provider.text(),
                        participatory=self.participatory.isChecked(), planned=self.planned.isChecked(),
                        reflection=self.reflection.toPlainText())

    def save(self) -> None:
        data, actor = self.data(), self.actor
        self._write(lambda ws: ws.revalidation.add_cpd(actor, data=data))


class EvidenceDialog(_EntryDialog):
    def __init__(self, parent, *, staff_id: int, kinds):
        super().__init__(parent, staff_id=staff_id, title="Add evidence")
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind of evidence")
        for value, label in kinds:
            self.kind.addItem(label, value)
        self.form.insertRow(0, "&Kind", self.kind)
        self.hours = QDoubleSpinBox()
        self.hours.setRange(0, 5000)
        self.hours.setAccessibleName("Hours (practice hours only)")
        self.form.addRow("H&ours", self.hours)
        self.partner = QLineEdit()
        self.partner.setAccessibleName("Other registrant's name")
        self.form.addRow("Other &registrant", self.partner)
        self.partner_number = QLineEdit()
        self.partner_number.setAccessibleName("Their registration number")
        self.form.addRow("Their &number", self.partner_number)
        self.details = QPlainTextEdit()
        self.details.setTabChangesFocus(True)
        self.details.setAccessibleName("Details")
        self.details.setFixedHeight(90)
        self.form.addRow("D&etails", self.details)

    def data(self) -> EvidenceInput:
        return EvidenceInput(staff_id=self.staff_id, kind=self.kind.currentData(),
                             occurred_on=pydate(self.date.date()), title=self.title_edit.text(),
                             details=self.details.toPlainText(), hours=self.hours.value(),
                             partner_name=self.partner.text(), partner_registration=self.partner_number.text())

    def save(self) -> None:
        data, actor = self.data(), self.actor
        self._write(lambda ws: ws.revalidation.add_evidence(actor, data=data))
