"""Logging, correcting or removing a supervision session, for one person or a whole group at once."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QListWidgetItem, QWidget

from arrs_desk.domain.staff import has_left_by, marked_if_left
from arrs_desk.domain.dates import format_uk
from arrs_desk.ui.common.form_errors import FieldErrors
from arrs_desk.ui.generated.ui_supervision_session import Ui_SupervisionSessionDialog
from arrs_desk.ui.common.changes import SUPERVISION
from arrs_desk.ui.common.confirm import confirmed
from arrs_desk.ui.common.operation import Operation
from arrs_desk.ui.common.dates import pydate, qdate


def supervisor_key(kind: str, value: int) -> str:
    """Item data for the supervisor list: 'staff:12' or 'external:3' (plain strings survive Qt)."""
    return f"{kind}:{value}"


def parse_supervisor(key: str | None) -> tuple[int | None, int | None]:
    """(staff id, external id) from a supervisor key."""
    if not key:
        return None, None
    kind, _, value = key.partition(":")
    return (int(value), None) if kind == "staff" else (None, int(value))


def fill_supervisors(combo: QComboBox, choices) -> None:
    """Colleagues then external supervisors in one searchable list (type to find a name)."""
    combo.addItem("Choose the supervisor…", None)
    for choice in choices.colleagues:
        combo.addItem(f"{choice.label} – {choice.hint}", supervisor_key("staff", choice.value))
    if choices.externals:
        combo.insertSeparator(combo.count())
        for choice in choices.externals:
            combo.addItem(f"{choice.label} ({choice.hint})" if choice.hint else choice.label,
                          supervisor_key("external", choice.value))
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    completer = combo.completer()
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCompletionMode(completer.CompletionMode.PopupCompletion)


def chosen_data(combo: QComboBox):
    """The item matching the typed text, so a name typed without picking from the list counts."""
    index = combo.findText(combo.currentText())
    return combo.itemData(index) if index >= 0 else None


class SessionDialog(QDialog):
    """Create with `session=None` to log a new session for `person`; `saved` holds the result."""

    def __init__(self, workspace, actor, person, choices, *, session=None, type_code: str | None = None,
                 supervisor: str | None = None, supervisor_name: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.ui = Ui_SupervisionSessionDialog()
        self.ui.setupUi(self)
        self._workspace, self._actor, self._person, self._choices = workspace, actor, person, choices
        self._session = session
        self.saved = None
        self.removed = False
        ui = self.ui
        self.errors = FieldErrors(self, {
            "type_code": ui.type_code, "held_on": ui.held_on_row, "supervisor": ui.supervisor,
            "format": ui.format, "duration_minutes": ui.duration_row, "attendee_ids": ui.attendees_box,
            "topics": ui.topics, "actions_agreed": ui.actions_agreed, "reflective_notes": ui.reflection_box,
        }, ui.summary_error)
        for choice in choices.types:
            ui.type_code.addItem(choice.label, choice.value)
            ui.type_code.setItemData(ui.type_code.count() - 1, choice.hint, Qt.ItemDataRole.ToolTipRole)
        for choice in choices.formats:
            ui.format.addItem(choice.label, choice.value)
        fill_supervisors(ui.supervisor, choices)
        self._today = workspace.today()
        for choice in choices.attendees:
            last_day = choices.attendee_dates.get(choice.value, (None, None))[1]
            item = QListWidgetItem(marked_if_left(f"{choice.label} – {choice.hint}", has_left_by(last_day, self._today)))
            item.setData(Qt.ItemDataRole.UserRole, choice.value)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if choice.value == person.staff_id else Qt.CheckState.Unchecked)
            ui.attendee_ids.addItem(item)
        today = qdate(self._today)
        ui.held_on.setMaximumDate(today)
        ui.held_on.setMinimumDate(QDate(1990, 1, 1))
        ui.held_on.setDate(today)
        ui.duration_minutes.setValue(60)
        self._can_reflect = person.can.write_reflections
        heading_font = ui.heading.font()
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.3)
        heading_font.setBold(True)
        ui.heading.setFont(heading_font)
        if session is None:
            self.setWindowTitle(f"Log supervision: {person.display_name}")
            ui.heading.setText(f"Log a supervision session · {person.display_name}")
            if type_code:
                ui.type_code.setCurrentIndex(max(ui.type_code.findData(type_code), 0))
            if supervisor:
                index = ui.supervisor.findData(supervisor)
                if index < 0 and supervisor_name:
                    # The arrangement's supervisor has since left (the list offers people in post):
                    # a session held before their last day is still logged with them.
                    ui.supervisor.addItem(marked_if_left(supervisor_name, supervisor.startswith("staff:")), supervisor)
                    index = ui.supervisor.count() - 1
                ui.supervisor.setCurrentIndex(max(index, 0))
        else:
            self.setWindowTitle(f"Supervision session of {format_uk(session.held_on)}")
            ui.heading.setText(f"Correct the session of {format_uk(session.held_on)} · {', '.join(session.attendees)}")
            self._load(session)
            self.remove_button = ui.buttons.addButton("&Remove session…", QDialogButtonBox.ButtonRole.DestructiveRole)
            self.remove_button.setToolTip("Take away a session logged in error: the wrong person, a duplicate, or "
                                          "one that did not take place")
            self.remove_button.clicked.connect(self.remove)
        ui.attendee_ids.itemChanged.connect(self._attendees_changed)
        ui.attendee_filter.textChanged.connect(self._filter_attendees)
        if session is None:
            ui.held_on.dateChanged.connect(self._filter_attendees)
            self._filter_attendees()
        ui.buttons.accepted.connect(self.save)
        ui.buttons.rejected.connect(self.reject)
        ui.buttons.button(QDialogButtonBox.StandardButton.Save).setDefault(True)
        self._attendees_changed()
        ui.type_code.setFocus()

    def _load(self, session) -> None:
        ui = self.ui
        ui.type_code.setCurrentIndex(max(ui.type_code.findData(session.type_code), 0))
        ui.held_on.setDate(qdate(session.held_on))
        key = (supervisor_key("staff", session.supervisor_staff_id) if session.supervisor_staff_id
               else supervisor_key("external", session.supervisor_external_id))
        index = ui.supervisor.findData(key)
        if index < 0:
            ui.supervisor.addItem(session.supervisor_name, key)
            index = ui.supervisor.count() - 1
        ui.supervisor.setCurrentIndex(index)
        ui.format.setCurrentIndex(max(ui.format.findData(session.format), 0))
        ui.duration_minutes.setValue(session.duration_minutes or 0)
        ui.topics.setPlainText(session.topics)
        ui.actions_agreed.setPlainText(session.actions_agreed)
        present = set(session.attendee_ids)
        for i in range(ui.attendee_ids.count()):
            item = ui.attendee_ids.item(i)
            checked = item.data(Qt.ItemDataRole.UserRole) in present
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            item.setHidden(not checked)
        ui.attendee_ids.setEnabled(False)
        ui.attendee_filter.hide()
        ui.attendees_hint.setText("Attendees cannot be changed once a session is logged.")
        if session.reflective_notes is not None:
            ui.reflective_notes.setPlainText(session.reflective_notes)

    def _filter_attendees(self, *_args) -> None:
        """Show those matching the typed filter who were in post on the session's date: someone who
        left yesterday is offered for a session held before their last day, and a starter from
        the day they start. One ticked stays shown (saving names any date problem)."""
        needle = self.ui.attendee_filter.text().casefold()
        day = pydate(self.ui.held_on.date())
        for i in range(self.ui.attendee_ids.count()):
            item = self.ui.attendee_ids.item(i)
            first, last = self._choices.attendee_dates.get(item.data(Qt.ItemDataRole.UserRole), (None, None))
            in_post = (first is None or first <= day) and (last is None or day <= last)
            item.setHidden(item.checkState() != Qt.CheckState.Checked
                           and (not in_post or bool(needle) and needle not in item.text().casefold()))

    def attendee_ids(self) -> list[int]:
        """Those ticked; for a correction, the session's own attendees, which cannot change (the list
        once offered only people still in post, so a group session with someone who has since left
        came back short and its correction was refused as a change of attendees)."""
        if self._session is not None:
            return list(self._session.attendee_ids)
        ui = self.ui
        return [ui.attendee_ids.item(i).data(Qt.ItemDataRole.UserRole) for i in range(ui.attendee_ids.count())
                if ui.attendee_ids.item(i).checkState() == Qt.CheckState.Checked]

    def _attendees_changed(self, *_args) -> None:
        """Reflective notes are one person's own; a group session's attendees add theirs later."""
        ui = self.ui
        many = len(self.attendee_ids()) > 1
        if many and self._session is None and ui.format.currentData() == "one-to-one":
            ui.format.setCurrentIndex(max(ui.format.findData("group"), 0))
        allowed = self._can_reflect and not many
        ui.reflective_notes.setEnabled(allowed)
        if not self._can_reflect:
            ui.reflective_notes.setPlaceholderText("Only the supervisee can write their reflective notes.")
        elif many:
            ui.reflective_notes.setPlaceholderText("In a group session each person adds their own notes afterwards.")

    def collect(self):
        from arrs_desk.services.supervision import SessionInput

        ui = self.ui
        staff_id, external_id = parse_supervisor(chosen_data(ui.supervisor))
        return SessionInput(
            type_code=ui.type_code.currentData() or "", held_on=pydate(ui.held_on.date()),
            attendee_ids=self.attendee_ids(),
            supervisor_staff_id=staff_id, supervisor_external_id=external_id,
            duration_minutes=ui.duration_minutes.value() or None, format=ui.format.currentData(),
            topics=ui.topics.toPlainText(), actions_agreed=ui.actions_agreed.toPlainText(),
            reflective_notes=ui.reflective_notes.toPlainText() if ui.reflective_notes.isEnabled() else None,
        )

    def save(self) -> None:
        if self.errors.refuse_date_problems():
            return
        data, actor, session = self.collect(), self._actor, self._session
        if session is None:
            operation = Operation(self, lambda ws: ws.supervision.record_session(actor, data=data))
        else:
            operation = Operation(self, lambda ws: ws.supervision.update_session(
                actor, session_id=session.id, data=data, expected_version=session.version))
        operation.changes(SUPERVISION).fields(self.errors).success(self._saved).run()

    def remove(self) -> None:
        """Only for a session logged in error; the service refuses one already confirmed or reflected on."""
        session, actor = self._session, self._actor
        if not confirmed(
                self, "Remove supervision session",
                f"Remove the session of {format_uk(session.held_on)} with {session.supervisor_name} for "
                f"{', '.join(session.attendees)}? Do this only for a session logged in error; the audit trail keeps "
                "a note of it."):
            return
        if Operation(self, lambda ws: ws.supervision.remove_session(
                actor, session_id=session.id, expected_version=session.version)) \
                .changes(SUPERVISION).fields(self.errors).run():
            self.removed = True
            self.accept()

    def _saved(self, session) -> None:
        self.saved = session
        self.accept()
