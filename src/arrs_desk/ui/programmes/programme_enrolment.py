"""Enrolling a person on a programme, or changing an enrolment's dates and people.

The form is the Designer form `forms/programme_enrolment.ui`, used by composition. The expected
end follows the start date and the programme's length until someone changes it by hand; then
it is left alone, so an agreed shorter or longer plan is not lost when the start moves.
"""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QWidget

from arrs_desk.domain.staff import marked_if_left
from arrs_desk.domain.dates import format_uk
from arrs_desk.ui.common.enabled import set_enabled_with_reason
from arrs_desk.ui.common.changes import PROGRAMMES
from arrs_desk.ui.common.operation import Operation
from arrs_desk.ui.common.form_errors import FieldErrors
from arrs_desk.ui.generated.ui_programme_enrolment import Ui_ProgrammeEnrolmentDialog
from arrs_desk.ui.common.bidi import isolate
from arrs_desk.ui.common.dates import pydate, qdate


def _searchable(combo: QComboBox) -> None:
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    completer = combo.completer()
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setCompletionMode(completer.CompletionMode.PopupCompletion)


def chosen(combo: QComboBox):
    """The item's data only when the text still names an item (a half-typed name chooses nobody)."""
    index = combo.findText(combo.currentText(), Qt.MatchFlag.MatchExactly)
    return combo.itemData(index) if index >= 0 else None


class EnrolmentDialog(QDialog):
    """New enrolment (`enrolment=None`) or changes to an existing one; `saved` holds the result."""

    def __init__(self, workspace, actor, choices, *, staff_id: int | None = None, enrolment=None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.ui = Ui_ProgrammeEnrolmentDialog()
        self.ui.setupUi(self)
        self._workspace, self._actor, self._choices, self._enrolment = workspace, actor, choices, enrolment
        self._end_edited = enrolment is not None
        self._filling = False
        self.saved = None
        ui = self.ui
        self.errors = FieldErrors(self, {
            "staff_id": ui.staff_id, "programme_code": ui.programme_code, "start_date": ui.start_date,
            "planned_end": ui.planned_end, "protected_hours_per_week": ui.protected_hours_per_week,
            "preceptor": ui.preceptor_box, "assessor": ui.assessor_box, "notes": ui.notes,
        }, ui.summary_error)
        heading = ui.heading.font()
        heading.setPointSizeF(heading.pointSizeF() * 1.3)
        heading.setBold(True)
        ui.heading.setFont(heading)
        today = qdate(workspace.today())
        for edit in (ui.start_date, ui.planned_end):
            edit.setMinimumDate(QDate(2000, 1, 1))
            edit.setMaximumDate(QDate(2100, 12, 31))
            edit.setDate(today)

        ui.staff_id.addItem("Choose a person…", None)
        for person in choices.people:
            ui.staff_id.addItem(f"{person.label} – {person.hint}", person.value)
        _searchable(ui.staff_id)
        for combo, prompt in ((ui.preceptor_staff_id, "Choose a colleague…"), (ui.assessor_staff_id, "Choose a colleague…")):
            combo.addItem(prompt, None)
            for colleague in choices.colleagues:
                combo.addItem(f"{colleague.label} – {colleague.hint}", colleague.value)
            _searchable(combo)
        self._fill_externals()

        ui.staff_id.currentIndexChanged.connect(self._person_changed)
        ui.show_all.toggled.connect(self._fill_programmes)
        ui.programme_code.currentIndexChanged.connect(self._programme_changed)
        ui.start_date.dateChanged.connect(self._start_changed)
        ui.planned_end.dateChanged.connect(self._end_changed)
        for radio in (ui.preceptor_colleague_radio, ui.preceptor_external_radio, ui.assessor_colleague_radio,
                      ui.assessor_external_radio, ui.assessor_same_radio):
            radio.toggled.connect(self._sources_changed)
        ui.assessor_staff_id.currentIndexChanged.connect(self._assessor_changed)
        ui.new_external.clicked.connect(self.add_external)
        ui.buttons.accepted.connect(self.save)
        ui.buttons.rejected.connect(self.reject)
        ui.buttons.button(QDialogButtonBox.StandardButton.Save).setDefault(True)

        if enrolment is None:
            self.setWindowTitle("Enrol on a programme")
            if staff_id is not None:
                ui.staff_id.setCurrentIndex(max(ui.staff_id.findData(staff_id), 0))
            self._person_changed()
        else:
            self._load(enrolment)
        self._sources_changed()
        self.resize(760, self.sizeHint().height())

    # --- filling --------------------------------------------------------------------------
    def _fill_externals(self, select: int | None = None) -> None:
        for combo in (self.ui.preceptor_external_id, self.ui.assessor_external_id):
            current = select if select is not None and combo is self._external_target() else combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem("Choose someone from outside the PCN…", None)
            for person in self._choices.externals:
                combo.addItem(f"{person.label} ({person.hint})" if person.hint else person.label, person.value)
            combo.setCurrentIndex(max(combo.findData(current), 0))
            combo.blockSignals(False)
        has = bool(self._choices.externals)
        for radio in (self.ui.preceptor_external_radio, self.ui.assessor_external_radio):
            set_enabled_with_reason(radio, has or radio.isChecked(), "Nobody from outside the PCN is recorded yet: "
                                    "add them with 'Add someone from outside the PCN…'.")

    def _external_target(self) -> QComboBox:
        return self.ui.assessor_external_id if self.ui.assessor_external_radio.isChecked() \
            else self.ui.preceptor_external_id

    def _person_role(self) -> str:
        staff_id = self.ui.staff_id.currentData()
        return self._choices.person_roles.get(staff_id, "") if staff_id is not None else ""

    def _person_changed(self) -> None:
        staff_id = self.ui.staff_id.currentData()
        start = self._choices.person_starts.get(staff_id) if staff_id is not None else None
        if start is not None and self._enrolment is None:
            self.ui.start_date.setDate(qdate(max(start, self._workspace.today())))
        self._fill_programmes()

    def _fill_programmes(self) -> None:
        ui = self.ui
        role = self._person_role()
        current = ui.programme_code.currentData()
        ui.programme_code.blockSignals(True)
        ui.programme_code.clear()
        ui.programme_code.addItem("Choose a programme…", None)
        suited = [p for p in self._choices.programmes if role in p.roles]
        others = [p for p in self._choices.programmes if role not in p.roles]
        for programme in suited + (others if ui.show_all.isChecked() or not role else []):
            ui.programme_code.addItem(f"{programme.title} ({programme.code})", programme.code)
        index = ui.programme_code.findData(current) if current is not None else -1
        if index < 0 and len(suited) == 1:
            index = 1
        ui.programme_code.setCurrentIndex(max(index, 0))
        ui.programme_code.blockSignals(False)
        if role and not suited:
            ui.programme_hint.setText("No programme is set up for this role. Tick the box above to choose one meant "
                                      "for another role, or ask an administrator to add one.")
        self._programme_changed()

    def _programme(self):
        code = self.ui.programme_code.currentData()
        return next((p for p in self._choices.programmes if p.code == code), None)

    def _programme_changed(self) -> None:
        programme = self._programme()
        ui = self.ui
        if programme is None:
            if self.ui.programme_code.count() > 1 or not self._person_role():
                ui.programme_hint.setText("")
            ui.end_hint.setText("")
            return
        ui.programme_hint.setText(
            f"{programme.length_weeks} weeks, {programme.protected_hours_per_week:g} hours a week of protected "
            f"learning time; version {programme.version}.")
        if self._enrolment is None:
            ui.protected_hours_per_week.setValue(programme.protected_hours_per_week)
        self._start_changed()

    def _start_changed(self) -> None:
        programme = self._programme()
        length = self._enrolment.length_weeks if self._enrolment is not None else (
            programme.length_weeks if programme else None)
        if length is None:
            return
        standard = pydate(self.ui.start_date.date()) + timedelta(weeks=length)
        if not self._end_edited:
            self._filling = True
            self.ui.planned_end.setDate(qdate(standard))
            self._filling = False
        self.ui.end_hint.setText(
            f"{length} weeks from the start is {format_uk(standard)}. Change the expected end only if a different "
            "length was agreed at the outset; pauses and extensions are recorded on the programme page later.")

    def _end_changed(self) -> None:
        if not self._filling:
            self._end_edited = True

    def _sources_changed(self) -> None:
        ui = self.ui
        ui.preceptor_staff_id.setVisible(ui.preceptor_colleague_radio.isChecked())
        ui.preceptor_external_id.setVisible(ui.preceptor_external_radio.isChecked())
        ui.assessor_staff_id.setVisible(ui.assessor_colleague_radio.isChecked())
        ui.assessor_external_id.setVisible(ui.assessor_external_radio.isChecked())
        self._assessor_changed()

    def _assessor_changed(self) -> None:
        ui = self.ui
        hint = ""
        if ui.assessor_external_radio.isChecked():
            hint = ("Someone from outside the PCN signs on paper; the person's line manager records each signature "
                    "in ARRS Desk.")
        else:
            staff_id = (chosen(ui.preceptor_staff_id) if ui.preceptor_colleague_radio.isChecked() else None) \
                if ui.assessor_same_radio.isChecked() else chosen(ui.assessor_staff_id)
            if ui.assessor_same_radio.isChecked() and ui.preceptor_external_radio.isChecked():
                hint = ("The preceptor is from outside the PCN; their signatures are recorded by the line manager.")
            elif staff_id is not None and staff_id not in self._choices.signers and not self._choices.sole_user:
                hint = ("This colleague has no ARRS Desk account with the supervisor or line manager role yet, so "
                        "cannot sign off until an administrator gives them one.")
            else:
                hint = "Only the assessor can sign off competencies and completion."
        ui.assessor_hint.setText(hint)

    def _load(self, e) -> None:
        ui = self.ui
        self.setWindowTitle(f"Enrolment: {e.display_name}")
        ui.heading.setText(f"{isolate(e.display_name)} · {e.title}")
        ui.intro.setText("Change the dates, protected time or the people named. To move to a different programme, "
                         "withdraw this enrolment and enrol again.")
        ui.staff_id.clear()
        ui.staff_id.addItem(e.display_name, e.staff_id)
        ui.staff_id.setEnabled(False)
        ui.programme_code.blockSignals(True)
        ui.programme_code.clear()
        ui.programme_code.addItem(f"{e.title} ({e.programme_code}, version {e.programme_version})", e.programme_code)
        ui.programme_code.blockSignals(False)
        ui.programme_code.setEnabled(False)
        ui.show_all.hide()
        ui.programme_hint.setText(f"{e.length_weeks} weeks; this person's copy of version {e.programme_version}.")
        self._filling = True
        ui.start_date.setDate(qdate(e.start_date))
        ui.planned_end.setDate(qdate(e.planned_end))
        self._filling = False
        ui.protected_hours_per_week.setValue(e.protected_hours_per_week)
        ui.notes.setPlainText(e.notes)
        self._select_person("preceptor", e.preceptor_staff_id, e.preceptor_external_id, e.preceptor)
        same = (e.assessor_staff_id is not None and e.assessor_staff_id == e.preceptor_staff_id) or (
            e.assessor_external_id is not None and e.assessor_external_id == e.preceptor_external_id)
        if same:
            ui.assessor_same_radio.setChecked(True)
        else:
            self._select_person("assessor", e.assessor_staff_id, e.assessor_external_id, e.assessor)
        self._start_changed()

    def _select_person(self, role: str, staff_id: int | None, external_id: int | None, name: str) -> None:
        ui = self.ui
        if staff_id is not None:
            getattr(ui, f"{role}_colleague_radio").setChecked(True)
            combo = getattr(ui, f"{role}_staff_id")
            value = staff_id
        else:
            getattr(ui, f"{role}_external_radio").setChecked(True)
            set_enabled_with_reason(getattr(ui, f"{role}_external_radio"), True, "")
            combo = getattr(ui, f"{role}_external_id")
            value = external_id
        index = combo.findData(value)
        if index < 0:  # someone who has since left is not offered for new enrolments
            combo.addItem(marked_if_left(name, True), value)
            index = combo.count() - 1
        combo.setCurrentIndex(index)

    # --- actions --------------------------------------------------------------------------
    def add_external(self) -> None:
        from arrs_desk.ui.common.action_dialog import ItemActionDialog

        dialog = ItemActionDialog(
            "Someone from outside the PCN",
            "A preceptor, mentor or assessor without an ARRS Desk account, such as a GP educator at the training hub. "
            "They are recorded once and can be chosen again for other people.",
            "Add", lambda v: self._workspace.external_people.create(
                self._actor, name=v["name"], job_title=v["job_title"], organisation=v["organisation"],
                email=v["email"]), self, changes=(PROGRAMMES,))
        dialog.add_line("name", "&Name")
        dialog.add_line("job_title", "&Job title", placeholder="for example GP educator")
        dialog.add_line("organisation", "&Organisation", placeholder="for example Moorland Training Hub")
        dialog.add_line("email", "&Email")
        if not dialog.exec():
            return
        found = Operation(self, lambda ws: ws.programmes.enrolment_choices(self._actor))
        if not found.run():
            return
        choices = found.result
        name = dialog.values()["name"].strip()
        self._choices = choices
        target = self._external_target()
        self._fill_externals()
        match = next((c.value for c in reversed(choices.externals) if c.label == name), None)
        if match is not None:
            target.setCurrentIndex(max(target.findData(match), 0))
            radio = self.ui.assessor_external_radio if target is self.ui.assessor_external_id \
                else self.ui.preceptor_external_radio
            radio.setChecked(True)

    def collect(self):
        from arrs_desk.services.programmes import EnrolmentInput

        ui = self.ui
        data = EnrolmentInput(
            staff_id=ui.staff_id.currentData() if self._enrolment is not None else chosen(ui.staff_id),
            programme_code=ui.programme_code.currentData() or "",
            start_date=pydate(ui.start_date.date()), planned_end=pydate(ui.planned_end.date()),
            protected_hours_per_week=ui.protected_hours_per_week.value(), notes=ui.notes.toPlainText(),
        )
        if ui.preceptor_colleague_radio.isChecked():
            data.preceptor_staff_id = chosen(ui.preceptor_staff_id)
        else:
            data.preceptor_external_id = ui.preceptor_external_id.currentData()
        if ui.assessor_same_radio.isChecked():
            data.assessor_staff_id, data.assessor_external_id = data.preceptor_staff_id, data.preceptor_external_id
        elif ui.assessor_colleague_radio.isChecked():
            data.assessor_staff_id = chosen(ui.assessor_staff_id)
        else:
            data.assessor_external_id = ui.assessor_external_id.currentData()
        return data

    def save(self) -> None:
        if self.errors.refuse_date_problems():
            return
        data, actor, enrolment = self.collect(), self._actor, self._enrolment
        if enrolment is None:
            operation = Operation(self, lambda ws: ws.programmes.enrol(actor, data=data))
        else:
            operation = Operation(self, lambda ws: ws.programmes.update_enrolment(
                actor, enrolment_id=enrolment.id, data=data, expected_version=enrolment.version))
        operation.changes(PROGRAMMES).fields(self.errors).success(self._saved).run()

    def _saved(self, enrolment) -> None:
        self.saved = enrolment
        self.accept()
