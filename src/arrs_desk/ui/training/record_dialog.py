"""Record one training completion: subject, level, date, provider and evidence, checked by the
service; each problem is shown next to its field."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from arrs_desk.ui.common.date_edit import DateEdit
from arrs_desk.ui.common.operation import Operation
from arrs_desk.ui.common.changes import STAFF
from arrs_desk.ui.common.form_errors import FieldErrors


class RecordTrainingDialog(QDialog):
    def __init__(self, *, actor, staff_id: int, name: str, subjects, subject_code: str | None, level: int,
                 today: date, parent=None):
        super().__init__(parent)
        from arrs_desk.services.training import TrainingInput

        self._input, self._actor, self._staff_id = TrainingInput, actor, staff_id
        self.result_view = None
        self.setWindowTitle(f"Record training: {name}")
        self.subject = QComboBox()
        self.subject.setAccessibleName("Subject")
        for subject in subjects:
            self.subject.addItem(subject.title, subject)
        if subject_code:
            self.subject.setCurrentIndex(max(0, [s.code for s in subjects].index(subject_code)))
        self.level = QComboBox()
        self.level.setAccessibleName("Level")
        self.subject.currentIndexChanged.connect(lambda _i: self._levels(None))
        self._levels(level)
        self.completed_on = DateEdit(today)
        self.completed_on.setMaximumDate(today)
        self.completed_on.setAccessibleName("Completed on")
        self.provider = QLineEdit()
        self.provider.setAccessibleName("Provider")
        self.provider.setPlaceholderText("for example e-Learning for Healthcare")
        self.evidence = QLineEdit()
        self.evidence.setAccessibleName("Evidence")
        self.evidence.setPlaceholderText("certificate number, or where the certificate is kept")
        self.message = QLabel()
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow("&Subject", self.subject)
        form.addRow("&Level", self.level)
        form.addRow("&Completed on", self.completed_on)
        form.addRow("&Provider", self.provider)
        form.addRow("&Evidence", self.evidence)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.errors = FieldErrors(self, {"subject_code": self.subject, "level": self.level,
                                         "completed_on": self.completed_on, "provider": self.provider,
                                         "evidence": self.evidence}, self.message)

    def _levels(self, wanted: int | None) -> None:
        subject = self.subject.currentData()
        self.level.clear()
        for level in subject.levels:
            self.level.addItem(f"Level {level}", level)
        index = self.level.findData(wanted) if wanted else -1
        self.level.setCurrentIndex(index if index >= 0 else self.level.count() - 1 if wanted else 0)

    def save(self) -> None:
        if self.errors.refuse_date_problems():  # the field's own words ("... is after today"), not "Enter the date"
            return
        data = self._input(self._staff_id, self.subject.currentData().code, self.level.currentData(),
                           self.completed_on.value(),
                           self.provider.text(), self.evidence.text())
        actor = self._actor
        Operation(self, lambda ws: ws.training.record(actor, data=data)).changes(STAFF) \
            .fields(self.errors).success(self._saved).run()

    def _saved(self, view) -> None:
        self.result_view = view
        self.accept()
