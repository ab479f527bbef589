"""Arranging supervision: who supervises a person for which kind, how often, from when, and the
signed agreement."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QWidget

from arrs_desk.domain.staff import marked_if_left
from arrs_desk.ui.common.enabled import set_enabled_with_reason
from arrs_desk.ui.common.bidi import isolate
from arrs_desk.ui.common.form_errors import FieldErrors
from arrs_desk.ui.generated.ui_supervision_arrangement import Ui_SupervisionArrangementDialog
from arrs_desk.ui.common.changes import SUPERVISION
from arrs_desk.ui.common.operation import Operation
from arrs_desk.ui.supervision.supervision_session import chosen_data, pydate, qdate

AGREEMENT_FILTER = "Signed agreements (*.pdf *.png *.jpg *.jpeg *.docx *.odt);;All files (*)"


class ArrangementDialog(QDialog):
    """Create with `arrangement=None` for a new arrangement; `saved` holds the result."""

    def __init__(self, workspace, actor, person, choices, *, arrangement=None, type_code: str | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.ui = Ui_SupervisionArrangementDialog()
        self.ui.setupUi(self)
        self._workspace, self._actor, self._person, self._choices = workspace, actor, person, choices
        self._arrangement = arrangement
        self.agreement_path: str | None = None
        self.saved = None
        ui = self.ui
        self.errors = FieldErrors(self, {
            "type_code": ui.type_code, "supervisor": ui.supervisor_box, "frequency_code": ui.frequency_code,
            "start_date": ui.start_row, "end_date": ui.end_date_row, "external_name": ui.external_name,
            "external_organisation": ui.external_organisation, "external_profession": ui.external_profession,
            "external_email": ui.external_email, "external_phone": ui.external_phone, "notes": ui.notes,
            "agreement": ui.agreement_row,
        }, ui.summary_error)
        for choice in choices.types:
            ui.type_code.addItem(choice.label, choice.value)
        ui.supervisor_staff_id.addItem("Choose a colleague…", None)
        for choice in choices.colleagues:
            ui.supervisor_staff_id.addItem(f"{choice.label} – {choice.hint}", choice.value)
        completer = ui.supervisor_staff_id.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(completer.CompletionMode.PopupCompletion)
        ui.supervisor_external_id.addItem("Choose an external supervisor…", None)
        for choice in choices.externals:
            ui.supervisor_external_id.addItem(f"{choice.label} ({choice.hint})" if choice.hint else choice.label,
                                              choice.value)
        set_enabled_with_reason(ui.external_radio, bool(choices.externals), "No external supervisor is recorded yet: "
                                "choose 'A new external supervisor' to add one.")
        ui.frequency_code.addItem("As expected for the role", "")
        for choice in choices.frequencies:
            ui.frequency_code.addItem(choice.label, choice.value)
        today = qdate(workspace.today())
        for edit in (ui.start_date, ui.end_date):
            edit.setMinimumDate(QDate(1990, 1, 1))
            edit.setMaximumDate(QDate(2100, 12, 31))
            edit.setDate(today)
        ui.start_date.setDate(max(today, qdate(person.start_date)))
        heading_font = ui.heading.font()
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.3)
        heading_font.setBold(True)
        ui.heading.setFont(heading_font)

        ui.type_code.currentIndexChanged.connect(self._type_changed)
        for radio in (ui.colleague_radio, ui.external_radio, ui.new_external_radio):
            radio.toggled.connect(self._source_changed)
        ui.end_date_known.toggled.connect(ui.end_date.setEnabled)
        ui.choose_agreement.clicked.connect(self.choose_agreement)
        ui.buttons.accepted.connect(self.save)
        ui.buttons.rejected.connect(self.reject)
        ui.buttons.button(QDialogButtonBox.StandardButton.Save).setDefault(True)

        if arrangement is None:
            self.setWindowTitle(f"Arrange supervision: {person.display_name}")
            ui.heading.setText(f"Arrange supervision · {person.display_name}, {person.role_title}")
            if type_code:
                ui.type_code.setCurrentIndex(max(ui.type_code.findData(type_code), 0))
            ui.end_date.setEnabled(False)
        else:
            self.setWindowTitle(f"{arrangement.type_title}: {person.display_name}")
            ui.heading.setText(f"{arrangement.type_title} · {isolate(person.display_name)}")
            self._load(arrangement)
        self._type_changed()
        self._source_changed()

    def _load(self, a) -> None:
        ui = self.ui
        ui.type_code.setCurrentIndex(max(ui.type_code.findData(a.type_code), 0))
        if a.supervisor_staff_id is not None:
            ui.colleague_radio.setChecked(True)
            index = ui.supervisor_staff_id.findData(a.supervisor_staff_id)
            if index < 0:  # a supervisor who has since left is not offered for new arrangements
                ui.supervisor_staff_id.addItem(marked_if_left(a.supervisor_name, True), a.supervisor_staff_id)
                index = ui.supervisor_staff_id.count() - 1
            ui.supervisor_staff_id.setCurrentIndex(index)
        else:
            set_enabled_with_reason(ui.external_radio, True, "")
            ui.external_radio.setChecked(True)
            index = ui.supervisor_external_id.findData(a.supervisor_external_id)
            if index < 0:
                ui.supervisor_external_id.addItem(a.supervisor_name, a.supervisor_external_id)
                index = ui.supervisor_external_id.count() - 1
            ui.supervisor_external_id.setCurrentIndex(index)
        ui.frequency_code.setCurrentIndex(max(ui.frequency_code.findData(a.frequency_code), 0))
        ui.start_date.setDate(qdate(a.start_date))
        ui.end_date_known.setChecked(a.end_date is not None)
        ui.end_date.setEnabled(a.end_date is not None)
        if a.end_date:
            ui.end_date.setDate(qdate(a.end_date))
        ui.notes.setPlainText(a.notes)
        if a.agreement_filename:
            ui.agreement_file.setText(f"{a.agreement_filename} (attached)")

    def _type_changed(self) -> None:
        ui = self.ui
        code = ui.type_code.currentData()
        choice = next((c for c in self._choices.types if c.value == code), None)
        role = self._person.role_title.lower()
        article = "an" if role[:1] in "aeiou" else "a"
        kind, _, how_often = choice.hint.partition(": ") if choice else ("", "", "")
        ui.type_hint.setText(f"{kind} for {article} {role}: {how_often}." if how_often
                             else f"Not expected for {article} {role} at present." if choice else "")
        expected = self._choices.expected.get(code, "")
        ui.frequency_code.setItemText(0, f"As expected for the role (now {expected.lower()})" if expected
                                      else "As expected for the role (none at present)")

    def _source_changed(self) -> None:
        ui = self.ui
        new = ui.new_external_radio.isChecked()
        ui.supervisor_staff_id.setVisible(ui.colleague_radio.isChecked())
        ui.supervisor_external_id.setVisible(ui.external_radio.isChecked())
        ui.arrangement_form.setRowVisible(ui.supervisor_box, not new)
        ui.new_external_group.setVisible(new)
        if new:
            ui.external_name.setFocus()

    def choose_agreement(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose the signed supervision agreement", "", AGREEMENT_FILTER)
        if path:
            self.agreement_path = path
            self.ui.agreement_file.setText(f"{Path(path).name} (will be attached when saved)")

    def collect(self):
        from arrs_desk.services.supervision import ArrangementInput, ExternalSupervisorInput

        ui = self.ui
        data = ArrangementInput(
            staff_id=self._person.staff_id, type_code=ui.type_code.currentData() or "",
            frequency_code=ui.frequency_code.currentData() or "", start_date=pydate(ui.start_date.date()),
            end_date=pydate(ui.end_date.date()) if ui.end_date_known.isChecked() else None,
            notes=ui.notes.toPlainText(), agreement_path=self.agreement_path,
        )
        if ui.colleague_radio.isChecked():
            data.supervisor_staff_id = chosen_data(ui.supervisor_staff_id)
        elif ui.external_radio.isChecked():
            data.supervisor_external_id = ui.supervisor_external_id.currentData()
        else:
            data.new_external = ExternalSupervisorInput(
                name=ui.external_name.text(), organisation=ui.external_organisation.text(),
                profession=ui.external_profession.text(), email=ui.external_email.text(), phone=ui.external_phone.text(),
            )
        return data

    def save(self) -> None:
        if self.errors.refuse_date_problems():
            return
        data, actor, arrangement = self.collect(), self._actor, self._arrangement
        if arrangement is None:
            operation = Operation(self, lambda ws: ws.supervision.create_arrangement(actor, data=data))
        else:
            operation = Operation(self, lambda ws: ws.supervision.update_arrangement(
                actor, arrangement_id=arrangement.id, data=data, expected_version=arrangement.version))
        operation.changes(SUPERVISION).fields(self.errors).success(self._saved).run()

    def _saved(self, arrangement) -> None:
        self.saved = arrangement
        self.accept()
