"""The staff editor: adds or changes one person's record, marking each field's problem in place."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QLineEdit, QListWidgetItem, QWidget

from arrs_desk.domain.permissions import AccessRole
from arrs_desk.ui.common.bidi import isolate
from arrs_desk.ui.common.changes import STAFF
from arrs_desk.ui.common.operation import Operation
from arrs_desk.ui.common.form_errors import ERROR_PREFIX, FieldErrors
from arrs_desk.ui.generated.ui_staff_editor import Ui_StaffEditor
from arrs_desk.ui.common.dates import pydate, qdate

NO_CHOICE = None


class StaffEditor(QDialog):
    """Create with `record=None` for a new person. `saved_record` holds the result after accept."""

    def __init__(self, workspace, actor, record=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.ui = Ui_StaffEditor()
        self.ui.setupUi(self)
        self._workspace = workspace
        self._actor = actor
        self._record = record
        self.saved_record = None
        self.choices = workspace.staff.form_choices(actor)
        self._build_error_labels()
        self._fill_choices()
        self._connect()
        if record is None:
            self.setWindowTitle("New staff member")
            self.ui.heading.setText("New staff member")
            self._load_defaults()
        else:
            self.setWindowTitle(f"{record.display_name}: staff record")
            self.ui.heading.setText(f"{isolate(record.display_name)}  ·  {record.role_title}")
            self._load(record)
        font = self.ui.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.ui.heading.setFont(font)
        self.ui.buttons.button(QDialogButtonBox.StandardButton.Save).setDefault(True)
        self.ui.given_name.setFocus()
        if record is not None and not record.can_edit:
            self._read_only()

    def _read_only(self) -> None:
        """For someone who may read the record but not change it (a starter's own): every field
        and Save looked live, and Save was refused only after they had typed their changes."""
        self.setWindowTitle(f"{self._record.display_name}: staff record (read only)")
        note = QLabel("You can read this record but not change it. To correct something, ask your line manager "
                      "or an administrator.")
        note.setWordWrap(True)
        note.setObjectName("readOnlyNote")
        self.ui.outer.insertWidget(1, note)
        self.ui.scroll_contents.setEnabled(False)
        for edit in self.ui.scroll_contents.findChildren(QLineEdit):  # hints to type stood out above the values
            edit.setPlaceholderText("")
        self.ui.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)

    # --- set-up -------------------------------------------------------------------------
    FIELD_WIDGETS = {
        "title": "title", "employee_number": "employee_number", "given_name": "given_name", "family_name": "family_name", "preferred_name": "preferred_name",
        "email": "email", "role_code": "role_code", "employer_id": "employer_id",
        "employment_model": "employment_model", "practice_ids": "practice_ids",
        "line_manager_id": "line_manager_id", "afc_band": "afc_band", "hours_per_week": "hours_row",
        "start_date": "start_date", "status": "status", "end_date": "end_date_row",
        "leaving_reason": "leaving_reason", "register_code": "register_code",
        "registration_number": "registration_number", "registration_renewal": "registration_renewal_row",
    }

    def _build_error_labels(self) -> None:
        """Every field gets its own message line directly beneath it, hidden until needed."""
        fields = {field: getattr(self.ui, name) for field, name in self.FIELD_WIDGETS.items()}
        self._errors = FieldErrors(self, fields, self.ui.summary_error, self.ui.scroll)

    def _fill_choices(self) -> None:
        ui, c = self.ui, self.choices
        ui.title.addItem("")
        ui.title.addItems(list(c.titles))
        ui.title.lineEdit().setMaxLength(20)
        ui.title.lineEdit().setPlaceholderText("Optional")
        ui.role_code.addItem("Choose a role…", NO_CHOICE)
        for choice in c.roles:
            ui.role_code.addItem(choice.label, choice.value)
        ui.employer_id.addItem("Choose the employer…", NO_CHOICE)
        for choice in c.employers:
            ui.employer_id.addItem(f"{choice.label}  ({choice.hint})", choice.value)
        for choice in c.employment_models:
            ui.employment_model.addItem(choice.label, choice.value)
        for choice in c.practices:
            item = QListWidgetItem(f"{choice.label}  ({choice.hint})")
            item.setData(Qt.ItemDataRole.UserRole, choice.value)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            ui.practice_ids.addItem(item)
        ui.line_manager_id.addItem("No line manager recorded", NO_CHOICE)
        for choice in c.managers:
            if self._record is not None and choice.value == self._record.id:
                continue
            ui.line_manager_id.addItem(f"{choice.label} – {choice.hint}", choice.value)
        ui.line_manager_id.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        ui.line_manager_id.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        ui.line_manager_id.completer().setCompletionMode(ui.line_manager_id.completer().CompletionMode.PopupCompletion)
        self._offer_what_the_record_holds()
        ui.afc_band.addItem("Not recorded", "")
        for band in c.bands:
            ui.afc_band.addItem(band if not band[0].isdigit() else f"Band {band}", band)
        for choice in c.statuses:
            ui.status.addItem(choice.label, choice.value)
        ui.leaving_reason.addItem("")
        ui.leaving_reason.addItems(list(c.leaving_reasons))
        today = qdate(self._workspace.today())
        for edit in (ui.start_date, ui.end_date, ui.registration_renewal):
            edit.setDate(today)
            edit.setMinimumDate(QDate(1950, 1, 1))
            edit.setMaximumDate(QDate(2100, 12, 31))

    def _offer_what_the_record_holds(self) -> None:
        """The record's own role, employer, practices and line manager, where the lists no longer
        offer them (a role or practice taken out of use, a manager who has left), marked so: without
        them the choice fell back to the first item, and saving any other change cleared the line
        manager or dropped the practice without a word."""
        if self._record is None:
            return
        ui, record, d = self.ui, self._record, self._record.data
        if ui.role_code.findData(d.role_code) < 0:
            ui.role_code.addItem(f"{record.role_title} (no longer in use)", d.role_code)
        if d.employer_id is not None and ui.employer_id.findData(d.employer_id) < 0:
            ui.employer_id.addItem(f"{record.employer_name} (no longer in use)", d.employer_id)
        offered = {ui.practice_ids.item(i).data(Qt.ItemDataRole.UserRole) for i in range(ui.practice_ids.count())}
        for practice_id, name in zip(d.practice_ids, record.practice_names):
            if practice_id not in offered:
                item = QListWidgetItem(f"{name}  (no longer in use)")
                item.setData(Qt.ItemDataRole.UserRole, practice_id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
                ui.practice_ids.addItem(item)
        if d.line_manager_id is not None and ui.line_manager_id.findData(d.line_manager_id) < 0:
            ui.line_manager_id.addItem(f"{record.line_manager_name or 'Line manager'} – has left", d.line_manager_id)

    def _connect(self) -> None:
        ui = self.ui
        ui.buttons.accepted.connect(self.save)
        ui.buttons.rejected.connect(self.reject)
        ui.role_code.currentIndexChanged.connect(self._role_changed)
        ui.register_code.currentIndexChanged.connect(self._register_changed)
        ui.hours_per_week.valueChanged.connect(self._hours_changed)
        ui.end_date_known.toggled.connect(ui.end_date.setEnabled)
        ui.end_date_known.toggled.connect(self._status_changed)
        ui.renewal_known.toggled.connect(ui.registration_renewal.setEnabled)
        ui.status.currentIndexChanged.connect(self._status_changed)

    def _role_changed(self) -> None:
        code = self.ui.role_code.currentData()
        allowed = self.choices.role_registers.get(code, ()) if code else ()
        registers = {c.value: c for c in self.choices.registers}
        previous = self.ui.register_code.currentData()
        self.ui.register_code.blockSignals(True)
        self.ui.register_code.clear()
        self.ui.register_code.addItem("Not registered" if not allowed else "Choose the register…", "")
        for value in allowed:
            self.ui.register_code.addItem(registers[value].label, value)
        index = self.ui.register_code.findData(previous) if previous else -1
        if index < 0 and len(allowed) == 1:
            index = 1
        self.ui.register_code.setCurrentIndex(max(index, 0))
        self.ui.register_code.blockSignals(False)
        self.ui.registration_group.setEnabled(bool(allowed))
        role = next((c for c in self.choices.roles if c.value == code), None)
        self.ui.role_code.setToolTip(role.hint if role else "")
        self._register_changed()

    def _register_changed(self) -> None:
        code = self.ui.register_code.currentData()
        register = next((c for c in self.choices.registers if c.value == code), None)
        self.ui.registration_number.setPlaceholderText(register.hint if register else "")
        self.ui.registration_number.setToolTip(f"Expected: {register.hint}" if register else "")

    def _hours_changed(self, hours: float) -> None:
        self.ui.wte_label.setText(f"{hours / 37.5:.2f} WTE" if hours > 0 else "")

    def _status_changed(self) -> None:
        leaving = self.ui.status.currentData() == "left"
        # a reason may be given as soon as a last day is known, before the status becomes Left
        self.ui.leaving_reason.setEnabled(leaving or self.ui.end_date_known.isChecked())
        if leaving and not self.ui.end_date_known.isChecked():
            self.ui.end_date_known.setChecked(True)

    # --- loading ------------------------------------------------------------------------
    def _load_defaults(self) -> None:
        self.ui.status.setCurrentIndex(self.ui.status.findData("pre_start"))
        self.ui.employment_model.setCurrentIndex(self.ui.employment_model.findData("pcn"))
        self.ui.end_date.setEnabled(False)
        self.ui.registration_renewal.setEnabled(False)
        if not self._actor.has(AccessRole.ADMINISTRATOR) and self._actor.staff_id is not None:
            # Line managers add people to their own team (the service insists); say so up front.
            self.ui.line_manager_id.setCurrentIndex(max(self.ui.line_manager_id.findData(self._actor.staff_id), 0))
            self.ui.line_manager_id.setEnabled(False)
            self.ui.line_manager_id.setToolTip("You add people to your own team; an administrator can place "
                                               "someone under another manager.")
        self._role_changed()
        self._status_changed()

    def _load(self, record) -> None:
        ui, d = self.ui, record.data
        ui.title.setCurrentText(d.title)
        ui.employee_number.setText(d.employee_number)
        ui.given_name.setText(d.given_name)
        ui.family_name.setText(d.family_name)
        ui.preferred_name.setText(d.preferred_name)
        ui.email.setText(d.email)
        ui.role_code.setCurrentIndex(max(ui.role_code.findData(d.role_code), 0))
        ui.employer_id.setCurrentIndex(max(ui.employer_id.findData(d.employer_id), 0))
        ui.employment_model.setCurrentIndex(max(ui.employment_model.findData(d.employment_model), 0))
        for i in range(ui.practice_ids.count()):
            item = ui.practice_ids.item(i)
            checked = item.data(Qt.ItemDataRole.UserRole) in d.practice_ids
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        ui.line_manager_id.setCurrentIndex(max(ui.line_manager_id.findData(d.line_manager_id), 0))
        ui.afc_band.setCurrentIndex(max(ui.afc_band.findData(d.afc_band), 0))
        ui.hours_per_week.setValue(d.hours_per_week or 0.0)
        ui.start_date.setDate(qdate(d.start_date))
        ui.status.setCurrentIndex(max(ui.status.findData(d.status), 0))
        ui.end_date_known.setChecked(d.end_date is not None)
        ui.end_date.setEnabled(d.end_date is not None)
        if d.end_date:
            ui.end_date.setDate(qdate(d.end_date))
        ui.leaving_reason.setCurrentText(d.leaving_reason)
        self._role_changed()
        ui.register_code.setCurrentIndex(max(ui.register_code.findData(d.register_code), 0))
        ui.registration_number.setText(d.registration_number)
        ui.renewal_known.setChecked(d.registration_renewal is not None)
        ui.registration_renewal.setEnabled(d.registration_renewal is not None)
        if d.registration_renewal:
            ui.registration_renewal.setDate(qdate(d.registration_renewal))
        self._status_changed()

    # --- saving -------------------------------------------------------------------------
    def collect(self):
        from arrs_desk.services.staff import StaffInput

        ui = self.ui
        practice_ids = [
            ui.practice_ids.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(ui.practice_ids.count())
            if ui.practice_ids.item(i).checkState() == Qt.CheckState.Checked
        ]
        manager_index = ui.line_manager_id.findText(ui.line_manager_id.currentText())
        manager = ui.line_manager_id.itemData(manager_index) if manager_index >= 0 else ui.line_manager_id.currentData()
        return StaffInput(
            title=ui.title.currentText(), employee_number=ui.employee_number.text(),
            given_name=ui.given_name.text(), family_name=ui.family_name.text(),
            preferred_name=ui.preferred_name.text(), email=ui.email.text(),
            role_code=ui.role_code.currentData() or "", employer_id=ui.employer_id.currentData(),
            employment_model=ui.employment_model.currentData(), practice_ids=practice_ids,
            line_manager_id=manager, afc_band=ui.afc_band.currentData() or "",
            hours_per_week=ui.hours_per_week.value() or None,
            start_date=pydate(ui.start_date.date()), status=ui.status.currentData(),
            end_date=pydate(ui.end_date.date()) if ui.end_date_known.isChecked() else None,
            leaving_reason=ui.leaving_reason.currentText(),
            register_code=ui.register_code.currentData() or "",
            registration_number=ui.registration_number.text(),
            registration_renewal=pydate(ui.registration_renewal.date()) if ui.renewal_known.isChecked() else None,
        )

    def save(self) -> None:
        if self._errors.refuse_date_problems() or self._refuse_unknown_manager():
            return
        data, record, actor = self.collect(), self._record, self._actor
        if record is None:
            operation = Operation(self, lambda ws: ws.staff.create(actor, data=data))
        else:
            operation = Operation(self, lambda ws: ws.staff.update(actor, staff_id=record.id, data=data, expected_version=record.version))
        operation.changes(STAFF).fields(self._errors).success(self._saved).run()

    def _refuse_unknown_manager(self) -> bool:
        """A name typed into Line manager that is nobody on the list: said, not quietly replaced by
        the manager chosen before (Save once kept the old manager without a word)."""
        box = self.ui.line_manager_id
        typed = box.currentText().strip()
        if not typed or box.findText(box.currentText()) >= 0:
            return False
        self._errors.show({"line_manager_id": f"Nobody on the list is “{typed}”. Choose the line manager from "
                                              "the list (type part of their name to narrow it), or “No line "
                                              "manager recorded”."})
        return True

    def _saved(self, record) -> None:
        self.saved_record = record
        self.accept()

    def show_errors(self, errors: dict[str, str]) -> None:
        self._errors.show(errors)

    def error_text(self, field: str) -> str:
        label = self._errors.labels.get(field)
        return label.text().removeprefix(ERROR_PREFIX) if label is not None else ""
