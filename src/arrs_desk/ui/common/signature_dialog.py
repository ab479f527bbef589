"""Recording a signature given on paper or by e-mail by someone without an account, on their behalf.

One form for both uses: an external supervisor's confirmation of a supervision session (the
signer is the session's supervisor, pre-filled from their record) and an induction item's
sign-off (the signer is chosen from the people already recorded, or typed in). Problems are shown
under the fields they are about; nothing is saved until every one is put right.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget,
)

from arrs_desk.domain.dates import format_uk
from arrs_desk.ui.common.changes import INDUCTION, SUPERVISION
from arrs_desk.ui.common.date_edit import DateEdit
from arrs_desk.ui.common.error_display import show_error
from arrs_desk.ui.common.operation import Operation
from arrs_desk.ui.common.form_errors import FieldErrors
from arrs_desk.ui.common.dates import pydate, qdate

NEW_SIGNER = -1
"""The signer list's "someone not recorded yet" entry."""


class ExternalSignatureDialog(QDialog):
    """`submit(ExternalSignatureInput)` runs on Save, as an `Operation` on `workspace` announcing
    `changes`; `saved` then holds what it returned.

    With `fixed_signer` (an ExternalPersonRow, or None for a name only) the signer is that person;
    otherwise a list of `choices.people` offers everyone recorded, and "someone new".
    """

    def __init__(self, *, title: str, intro: str, ok_text: str, choices, today: date,
                 submit: Callable[[object], object], workspace, changes: Iterable[str], fixed_signer=None,
                 fixed_name: str = "", recorder: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.saved = None
        self._submit = submit
        self.workspace = workspace
        self._changes = tuple(changes)
        self._choices = choices
        self._fixed = fixed_signer
        self._fixed_name = fixed_name
        self._people = {p.id: p for p in choices.people}

        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Problems to fix")
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.signer: QComboBox | None = None
        if fixed_signer is None and not fixed_name:
            self.signer = QComboBox()
            self.signer.setAccessibleName("Signer")
            self.signer.addItem("Someone not recorded yet: type their details below", NEW_SIGNER)
            for person in choices.people:
                self.signer.addItem(person.label, person.id)
            self.form.addRow("&Signer", self.signer)
        self.name = self._line("Name as signed", "As written or typed on the signature")
        self.role = self._line("Role", "For example: Consultant clinical psychologist")
        self.organisation = self._line("Organisation", "For example: the trust, federation or practice")
        self.register = QComboBox()
        self.register.setAccessibleName("Professional register")
        self.register.addItem("Not registered, or not given", "")
        for register in choices.registers:
            self.register.addItem(register.label, register.value)
        self.registration = self._line("Registration number", "Only if they gave one")
        self.signed_on = DateEdit(qdate(today))
        self.signed_on.setCalendarPopup(True)
        self.signed_on.setDisplayFormat("dd/MM/yyyy")
        self.signed_on.setAccessibleName("Date signed")
        self.signed_on.setMinimumDate(QDate(1990, 1, 1))
        self.signed_on.setMaximumDate(qdate(today))
        self.received_via = QComboBox()
        self.received_via.setAccessibleName("How it was received")
        for choice in choices.received_via:
            self.received_via.addItem(choice.label, choice.value)
        self.form.addRow("&Name as signed", self.name)
        self.form.addRow("&Role", self.role)
        self.form.addRow("&Organisation", self.organisation)
        self.form.addRow("Re&gister", self.register)
        self.form.addRow("Registration &number", self.registration)
        self.form.addRow("&Date signed", self.signed_on)
        self.form.addRow("&Received", self.received_via)

        self.recorded_note = QLabel(
            f"It will show as recorded by {recorder} on {format_uk(today)} from the paper or e-mail, not as signed "
            "in ARRS Desk. Keep the signed sheet or the e-mail with the person's file." if recorder else
            "It will show as recorded by you, today, from the paper or e-mail. Keep the signed sheet or the "
            "e-mail with the person's file.")
        self.recorded_note.setWordWrap(True)
        self.recorded_note.setAccessibleName("How this is recorded")

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(ok_text)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.summary)
        layout.addLayout(self.form)
        layout.addWidget(self.recorded_note)
        layout.addWidget(self.buttons)

        fields = {"name": self.name, "role": self.role, "organisation": self.organisation,
                  "register_code": self.register, "registration_number": self.registration,
                  "signed_on": self.signed_on, "received_via": self.received_via}
        if self.signer is not None:
            fields = {"external_person_id": self.signer, **fields}
            self.signer.currentIndexChanged.connect(self._signer_chosen)
        self.errors = FieldErrors(self, fields, self.summary)
        self.register.currentIndexChanged.connect(self._register_changed)
        if fixed_signer is not None:
            self._fill(fixed_signer)
        else:
            self.name.setText(fixed_name)
        self._register_changed()
        self.setMinimumWidth(600)
        (self.signer or self.name).setFocus()

    def _line(self, accessible: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setAccessibleName(accessible)
        edit.setPlaceholderText(placeholder)
        return edit

    def _fill(self, person) -> None:
        self.name.setText(person.name)
        self.role.setText(person.job_title)
        self.organisation.setText(person.organisation)
        self.register.setCurrentIndex(max(self.register.findData(person.register_code), 0))
        self.registration.setText(person.registration_number)

    def _signer_chosen(self, _index: int) -> None:
        person = self._people.get(self.signer.currentData()) if self.signer is not None else None
        if person is not None:
            self._fill(person)
        else:
            for edit in (self.name, self.role, self.organisation, self.registration):
                edit.clear()
            self.register.setCurrentIndex(0)
            self.name.setFocus()

    def _register_changed(self, *_args) -> None:
        code = self.register.currentData()
        register = next((r for r in self._choices.registers if r.value == code), None)
        self.registration.setEnabled(register is not None or bool(self.registration.text()))
        self.registration.setPlaceholderText(register.hint if register else "Choose the register first")

    def values(self):
        from arrs_desk.services.external_people import ExternalSignatureInput

        person_id = self._fixed.id if self._fixed is not None else None
        if self.signer is not None:
            chosen = self.signer.currentData()
            person_id = chosen if isinstance(chosen, int) and chosen != NEW_SIGNER else None
        return ExternalSignatureInput(
            name=self.name.text(), role=self.role.text(), organisation=self.organisation.text(),
            register_code=self.register.currentData() or "", registration_number=self.registration.text(),
            signed_on=pydate(self.signed_on.date()), received_via=self.received_via.currentData() or "",
            external_person_id=person_id,
        )

    def save(self) -> None:
        if self.errors.refuse_date_problems():
            return
        values = self.values()
        Operation(self, lambda _workspace: self._submit(values)).changes(*self._changes).fields(self.errors) \
            .failure(self._refused).success(self._saved).run()

    def _refused(self, error: Exception) -> None:
        show_error(self, error)
        self.reject()  # refused or changed by someone else: the message was shown, the caller reloads

    def _saved(self, result) -> None:
        self.saved = result if result is not None else True
        self.accept()


def session_confirmation_dialog(workspace, actor, person, session, parent=None) -> ExternalSignatureDialog | None:
    """The form for an external supervisor's confirmation of `session` (a SessionRow)."""
    found = Operation(parent, lambda ws: ws.external_people.signature_choices(actor), workspace=workspace)
    if not found.run():
        return None
    choices = found.result
    supervisor = next((p for p in choices.people if p.id == session.supervisor_external_id), None)
    attendees = ", ".join(session.attendees) or person.display_name
    return ExternalSignatureDialog(
        title=f"External supervisor's confirmation: session of {format_uk(session.held_on)}",
        intro=(f"{session.supervisor_name} led the {session.type_title.lower()} session of {format_uk(session.held_on)} with "
               f"{attendees} and has no ARRS Desk account. Enter their confirmation that the session took place "
               "as recorded, from the signed sheet or their e-mail, as it is written there."),
        ok_text="Record confirmation", choices=choices, today=workspace.today(),
        submit=lambda data: workspace.supervision.record_external_confirmation(
            actor, session_id=session.id, expected_version=session.version, signature=data),
        workspace=workspace, changes=(SUPERVISION,), fixed_signer=supervisor, fixed_name=session.supervisor_name, recorder=actor.display_name, parent=parent)


def item_signature_dialog(workspace, actor, view, entry, parent=None) -> ExternalSignatureDialog | None:
    """The form for an induction item's sign-off given on paper or by e-mail (`entry` an ItemRow)."""
    found = Operation(parent, lambda ws: ws.external_people.signature_choices(actor), workspace=workspace)
    if not found.run():
        return None
    choices = found.result
    done = f", done {format_uk(entry.completed_on)}" if entry.completed_on else ""
    return ExternalSignatureDialog(
        title=f"Signature on paper: {entry.title}",
        intro=(f"'{entry.title}' ({view.display_name}{done}) was signed off by someone without an ARRS Desk "
               "account, on a printed signature sheet or by e-mail. Choose them if they are already recorded, "
               "or type their details as written on the signature."),
        ok_text="Record sign-off", choices=choices, today=workspace.today(),
        submit=lambda data: workspace.induction.record_external_sign_off(
            actor, item_id=entry.id, expected_version=entry.version, signature=data),
        workspace=workspace, changes=(INDUCTION,), recorder=actor.display_name, parent=parent)
