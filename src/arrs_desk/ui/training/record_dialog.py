"""Record one training completion: subject, level, date, provider and evidence, checked by the
service; each problem is shown next to its field. Below the form, the completions already recorded
for the chosen subject, each of which can be removed: a completion typed with the wrong year kept
the person "in date" with no way to take it back."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QListWidget, QListWidgetItem, QPushButton, QVBoxLayout)

from arrs_desk.domain.dates import format_uk
from arrs_desk.ui.common.date_edit import DateEdit
from arrs_desk.ui.common.confirm import confirmed
from arrs_desk.ui.common.operation import Operation
from arrs_desk.ui.common.changes import STAFF
from arrs_desk.ui.common.form_errors import FieldErrors


class RecordTrainingDialog(QDialog):
    def __init__(self, *, actor, staff_id: int, name: str, subjects, subject_code: str | None, level: int,
                 today: date, person=None, parent=None):
        """`person`: their training as the service reads it (`PersonTraining`), for what is recorded."""
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
        self.recorded_label = QLabel("Already &recorded for this subject")
        self.recorded = QListWidget()
        self.recorded.setAccessibleName("Already recorded for this subject")
        self.recorded.setMaximumHeight(96)
        self.recorded.setWordWrap(True)  # a long provider or certificate is read whole, not scrolled
        self.recorded.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumWidth(560)
        self.recorded_label.setBuddy(self.recorded)
        self.remove_button = QPushButton("Re&move…")
        self.remove_button.setToolTip("Take away a completion recorded in error, such as one with the wrong date")
        self.remove_button.clicked.connect(self.remove_selected)
        self.recorded.currentItemChanged.connect(lambda *_a: self._enable_remove())
        removing = QHBoxLayout()
        removing.addWidget(self.recorded, 1)
        removing.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addLayout(form)
        layout.addWidget(self.recorded_label)
        layout.addLayout(removing)
        layout.addWidget(buttons)
        self._person = person
        self.subject.currentIndexChanged.connect(lambda _i: self._show_recorded())
        self._show_recorded()
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

    def _show_recorded(self) -> None:
        """The chosen subject's completions, newest first, with who recorded them how."""
        self.recorded.clear()
        subject = self.subject.currentData()
        records = [r for r in (self._person.records if self._person else ()) if subject and r.subject_code == subject.code]
        for record in sorted(records, key=lambda r: (r.completed_on, r.id), reverse=True):
            words = [f"Level {record.level}", f"completed {format_uk(record.completed_on)}"]
            words += [part for part in (record.provider, record.evidence) if part]
            item = QListWidgetItem(" · ".join(words))
            item.setToolTip(item.text())
            item.setData(Qt.ItemDataRole.UserRole, record)
            self.recorded.addItem(item)
        if not records:
            self.recorded.addItem(QListWidgetItem("Nothing recorded yet"))
        self._enable_remove()

    def _enable_remove(self) -> None:
        item = self.recorded.currentItem()
        allowed = bool(self._person and self._person.can_record)
        self.remove_button.setVisible(allowed)
        self.remove_button.setEnabled(allowed and item is not None and item.data(Qt.ItemDataRole.UserRole) is not None)

    def remove_selected(self) -> None:
        item = self.recorded.currentItem()
        record = item.data(Qt.ItemDataRole.UserRole) if item else None
        if record is None:
            return
        if not confirmed(
                self, "Remove a training completion",
                f"Remove {record.subject_title} level {record.level} completed {format_uk(record.completed_on)}? "
                "Do this only for a completion recorded in error; the audit trail keeps a note of it."):
            return
        actor = self._actor
        done = Operation(self, lambda ws: ws.training.remove(actor, record_id=record.id,
                                                             expected_version=record.version)).changes(STAFF)
        if done.run():
            self._person = done.result
            self.result_view = done.result
            self._show_recorded()
            self.message.setText(f"Removed {record.subject_title} level {record.level} completed "
                                 f"{format_uk(record.completed_on)}.")

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
