"""Entering or editing a CPD entry or a piece of revalidation evidence.

The dialog only collects the form; the write goes through `Operation`, and a validation error
comes back as messages by field, shown in the dialog's message line with the field's name. Given
an entry (`entry=`), it edits it with the version it was read at, so a change someone else made
meanwhile is reported rather than overwritten; files are attached to a saved entry.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QPlainTextEdit, QPushButton, QVBoxLayout,
)

from arrs_desk.domain.dates import format_uk
from arrs_desk.services.revalidation import CpdInput, EvidenceInput
from arrs_desk.ui.common.changes import STAFF
from arrs_desk.ui.common.date_edit import DateEdit, pydate
from arrs_desk.ui.common.operation import Operation
from arrs_desk.ui.revalidation.entry_parts import FilesBox, SourcePicker

FIELD_NAMES = {"occurred_on": "Date", "title": "Title", "provider": "Provider", "method": "Method", "hours": "Hours",
               "reflection": "Reflection", "kind": "Kind", "details": "Details", "partner_name": "Other registrant",
               "partner_registration": "Their registration number", "source_id": "Came from",
               "source_kind": "Came from", "counts_towards": "Counts towards", "file": "File"}


WRITES = {"cpd": ("add_cpd", "update_cpd", "entry_id"), "evidence": ("add_evidence", "update_evidence", "evidence_id")}
"""The service's methods that add and update each kind of entry, and the name of its id."""


class _EntryDialog(QDialog):
    entry_kind = ""  # "cpd" or "evidence": which of the record's lists the entry is in

    def __init__(self, parent, *, staff_id: int, title: str, record=None, entry=None):
        super().__init__(parent)
        self.workspace = parent.workspace
        self.actor = parent.actor
        self.staff_id = staff_id
        self.record = record  # the person's revalidation as the page read it: their cycles
        self.entry = entry
        self.result_record = None
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.date = DateEdit(self.workspace.today())
        self.date.setAccessibleName("Date")
        self.form.addRow("&Date", self.date)
        self.title_edit = QLineEdit()
        self.title_edit.setAccessibleName("Title")
        self.form.addRow("&Title", self.title_edit)
        self.counts = QComboBox()
        self.counts.setAccessibleName("Counts towards which revalidation cycle")
        self.files = FilesBox(self, kind=self.entry_kind, on_record=self._files_changed)
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

    def _finish_form(self) -> None:
        """The rows every entry has last: the cycle it counts towards, and its files."""
        self.form.addRow("&Counts towards", self.counts)
        self.form.addRow("Files", self.files)
        self.explicit_cycle = self.entry.counts_towards if self.entry else None  # a cycle chosen over the date's
        self.counts.activated.connect(lambda _index: self._cycle_chosen())
        self.date.dateChanged.connect(lambda *_: self._offer_cycles())
        if self.entry is not None:
            self.date.setDate(QDate(self.entry.occurred_on))
            self.title_edit.setText(self.entry.title)
            self.title_edit.setCursorPosition(0)  # a long title shows its beginning
        self._offer_cycles()
        self.files.show_entry(self.entry)

    def _cycle_chosen(self) -> None:
        self.explicit_cycle = self.counts_towards()

    def _offer_cycles(self) -> None:
        """The current cycle, and the previous one for an entry dated before the current began;
        the one the date falls in is chosen unless a cycle was chosen over it (and is still offered)."""
        record, day, keep = self.record, pydate(self.date.date()), self.explicit_cycle
        self.counts.clear()
        choices = record.cycle_choices(day) if record is not None else ()
        by_date = record.cycle_by_date(day) if record is not None else None
        for i, cycle in enumerate(choices):
            words = "Current cycle" if i == 0 else "Previous cycle"
            self.counts.addItem(f"{words}, {format_uk(cycle.start)} to {format_uk(cycle.end)}"
                                + (" (by its date)" if cycle is by_date else ""), cycle.end)
        if not choices:
            self.counts.addItem("By its date (no cycle known: no renewal date recorded)", None)
        ends = [c.end for c in choices]
        wanted = keep if keep in ends else (by_date.end if by_date else None)
        self.counts.setCurrentIndex(ends.index(wanted) if wanted in ends else 0)  # findData misses equal dates

    def counts_towards(self):
        """The chosen cycle's last day, or None when it is the one the date falls in anyway (unless
        the entry already names it)."""
        chosen = self.counts.currentData()
        if self.entry is not None and chosen is not None and chosen == self.entry.counts_towards:
            return chosen  # as recorded: saving unchanged changes nothing (and keeps a verification)
        by_date = self.record.cycle_by_date(pydate(self.date.date())) if self.record is not None else None
        return None if chosen is None or (by_date is not None and chosen == by_date.end) else chosen

    def _show_errors(self, error) -> None:
        self.errors.setText("\n".join(f"{FIELD_NAMES.get(k, k)}: {v}" for k, v in error.errors.items()))

    def _saved(self, record) -> None:
        self.result_record = record
        self.accept()

    def _files_changed(self, record) -> None:
        """After a file was attached or removed: the page shows the record when the dialog closes."""
        self.result_record = record
        rows = record.cpd if self.entry_kind == "cpd" else record.evidence
        self.entry = next((r for r in rows if self.entry is not None and r.id == self.entry.id), self.entry)
        self.files.show_entry(self.entry)

    def reject(self) -> None:  # a file attached before Cancel stays attached: the page shows it
        if self.result_record is not None:
            self.done(QDialog.DialogCode.Accepted)
        else:
            super().reject()

    def save(self) -> None:
        """Add the entry, or update it with the version it was read at."""
        data, actor, entry = self.data(), self.actor, self.entry
        add, update, key = WRITES[self.entry_kind]

        def call(ws):
            if entry is None:
                return getattr(ws.revalidation, add)(actor, data=data)
            return getattr(ws.revalidation, update)(actor, data=data, expected_version=entry.version, **{key: entry.id})

        Operation(self, call).fields(self._show_errors).changes(STAFF).success(self._saved).run()


class CpdDialog(_EntryDialog):
    entry_kind = "cpd"

    def __init__(self, parent, *, staff_id: int, methods, record=None, entry=None):
        super().__init__(parent, staff_id=staff_id, title="Edit CPD" if entry else "Add CPD", record=record,
                         entry=entry)
        self.source = (entry.source_kind, entry.source_id) if entry and entry.source_kind else ("", None)
        self.source_label = QLabel()
        self.source_label.setAccessibleName("Came from")
        self._say_source(entry.source_label if entry and entry.source_label else "Typed in")
        self.pick_source = QPushButton("&From a supervision session / training record…")
        self.pick_source.setAutoDefault(False)
        self.pick_source.clicked.connect(self.choose_source)
        came_from = QHBoxLayout()
        came_from.addWidget(self.source_label, 1)
        came_from.addWidget(self.pick_source)
        self.form.addRow("Came from", came_from)
        self.title_edit.setMinimumWidth(380)
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
        self.reflection.setFixedHeight(72)
        self.form.addRow("&Reflection", self.reflection)
        self._finish_form()
        if entry is not None:
            self.provider.setText(entry.provider)
            self.method.setCurrentIndex(max(0, self.method.findData(entry.method)))
            self.hours.setValue(entry.hours)
            self.participatory.setChecked(entry.participatory)
            self.planned.setChecked(entry.planned)
            self.reflection.setPlainText(entry.reflection)

    def _say_source(self, text: str) -> None:
        """Where the entry came from, cut to fit beside the button (whole in the tip)."""
        self.source_label.setToolTip(text)
        self.source_label.setText(self.source_label.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, 240))

    def choose_source(self) -> None:
        actor, staff_id = self.actor, self.staff_id
        Operation(self, lambda ws: ws.revalidation.sources(actor, staff_id=staff_id)).success(self._pick).run()

    def _pick(self, sources) -> None:
        picker = SourcePicker(self, sources)
        if not picker.exec() or picker.chosen is None:
            return
        chosen = picker.chosen
        self.source = (chosen.kind, chosen.id)
        kind = chosen.label.split("  ", 1)[-1].split(":")[0]
        self._say_source(f"{kind} on {format_uk(chosen.occurred_on)}: {chosen.title}")
        self.date.setDate(QDate(chosen.occurred_on))
        self.title_edit.setText(chosen.title[:200])
        if chosen.hours:
            self.hours.setValue(chosen.hours)
        if chosen.kind == "supervision":
            self.method.setCurrentIndex(max(0, self.method.findData("supervision")))
        self.title_edit.setFocus()

    def data(self) -> CpdInput:
        return CpdInput(staff_id=self.staff_id, occurred_on=pydate(self.date.date()), title=self.title_edit.text(),
                        method=self.method.currentData(), hours=self.hours.value(), provider=self.provider.text(),
                        participatory=self.participatory.isChecked(), planned=self.planned.isChecked(),
                        reflection=self.reflection.toPlainText(), source_kind=self.source[0],
                        source_id=self.source[1], counts_towards=self.counts_towards())



class EvidenceDialog(_EntryDialog):
    entry_kind = "evidence"

    def __init__(self, parent, *, staff_id: int, kinds, record=None, entry=None):
        super().__init__(parent, staff_id=staff_id, title="Edit evidence" if entry else "Add evidence", record=record,
                         entry=entry)
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
        self.details.setFixedHeight(72)
        self.form.addRow("Detai&ls", self.details)
        self._finish_form()
        if entry is not None:
            self.kind.setCurrentIndex(max(0, self.kind.findData(entry.kind)))
            self.hours.setValue(entry.hours)
            self.partner.setText(entry.partner_name)
            self.partner_number.setText(entry.partner_registration)
            self.details.setPlainText(entry.details)

    def data(self) -> EvidenceInput:
        return EvidenceInput(staff_id=self.staff_id, kind=self.kind.currentData(),
                             occurred_on=pydate(self.date.date()), title=self.title_edit.text(),
                             details=self.details.toPlainText(), hours=self.hours.value(),
                             partner_name=self.partner.text(), partner_registration=self.partner_number.text(),
                             counts_towards=self.counts_towards())
