"""One person's supervision: where each kind stands, their arrangements and their session log."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QGridLayout, QGroupBox, QLabel, QPlainTextEdit, QSplitter, QTableView, QTextBrowser, QVBoxLayout, QWidget,
)

from arrs_desk.domain.dates import format_uk
from arrs_desk.ui.common.flow import FlowLayout
from arrs_desk.ui.common.text import plural
from arrs_desk.ui.common.open_file import open_file
from arrs_desk.domain.permissions import Action
from arrs_desk.ui.common.changes import SUPERVISION
from arrs_desk.ui.common.enabled import first_reason, set_enabled_with_reason, why_not
from arrs_desk.ui.common.operation import Operation
from arrs_desk.ui.common.form_errors import message_in
from arrs_desk.ui.supervision.supervision_model import ROW_ROLE, Column, RowsModel, cell_lines, status_icon, uk_date
from arrs_desk.ui.common.tables import record_table
from arrs_desk.ui.common.widgets import make_button
from arrs_desk.clock import in_uk


def _local_date(moment) -> str:
    return format_uk(in_uk(moment)) if moment else ""  # the day in England, whatever this PC's zone


ARRANGEMENT_COLUMNS = (
    Column("Type", lambda a: a.type_title),
    Column("Supervisor", lambda a: a.supervisor_name,
           tip=lambda a: a.supervisor_name + (f"\n{a.supervisor_detail}" if a.supervisor_detail else "")),
    Column("Frequency", lambda a: a.frequency_label),
    Column("From", lambda a: uk_date(a.start_date), sort=lambda a: a.start_date.toordinal()),
    Column("Until", lambda a: uk_date(a.end_date) or "Open-ended"),
    Column("Status", lambda a: a.status_label, icon=lambda a: status_icon(a.status)),
    Column("Last session", lambda a: uk_date(a.last_session) or "None yet"),
    Column("Next due", lambda a: uk_date(a.next_due)),
    Column("Signed agreement", lambda a: a.agreement_filename or "Not attached"),
    Column("Notes", lambda a: a.notes.replace("\n", " "), tip=lambda a: a.notes),
)


def _confirmed(s) -> str:
    behalf = f" ({s.supervisor_on_behalf.source})" if s.supervisor_on_behalf else ""
    if s.supervisor_confirmed_at and s.attendee_confirmed_at:
        return "Both" + behalf
    if s.supervisor_confirmed_at:
        return "Supervisor" + behalf
    if s.attendee_confirmed_at:
        return "Supervisee"
    return "Not yet"


def _confirmed_tip(s) -> str:
    if s.supervisor_on_behalf:
        return s.supervisor_on_behalf.summary("Supervisor: confirmed")
    if s.can_record_confirmation:
        return (f"{s.supervisor_name} has no account: record their confirmation from paper or e-mail with "
                "'Record external supervisor's confirmation…'")
    return ""


def _reflection(s) -> str:
    if s.reflective_notes is None:
        return "Private" if s.has_reflection else ""
    return "Written" if s.reflective_notes else ""


SESSION_COLUMNS = (
    Column("Date", lambda s: uk_date(s.held_on), sort=lambda s: s.held_on.toordinal()),
    Column("Type", lambda s: s.type_title),
    Column("Supervisor", lambda s: s.supervisor_name),
    Column("Format", lambda s: s.format_label + (f" ({s.attendee_count})" if s.attendee_count > 1 else "")),
    Column("Minutes", lambda s: str(s.duration_minutes or ""), sort=lambda s: s.duration_minutes or 0, align_right=True),
    Column("Confirmed", lambda s: _confirmed(s), tip=_confirmed_tip),
    Column("Reflection", _reflection),
)


class ReflectionDialog(QDialog):
    """The supervisee's own reflective notes on one session."""

    def __init__(self, workspace, actor, staff_id: int, session, parent=None):
        super().__init__(parent)
        self._workspace, self._actor, self._staff_id, self._session = workspace, actor, staff_id, session
        self.saved = None
        self.setWindowTitle(f"Reflective notes: session of {uk_date(session.held_on)}")
        intro = QLabel(f"{session.type_title} with {session.supervisor_name} on {uk_date(session.held_on)}. "
                       "These notes are private: only you, your line managers and your supervisors can read them.")
        intro.setWordWrap(True)
        self.notes = QPlainTextEdit(session.reflective_notes or "")
        self.notes.setAccessibleName("Reflective notes")
        self.notes.setTabChangesFocus(True)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Problem with reflective notes")
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.notes, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(620, 420)

    def save(self) -> None:
        session, staff_id, text = self._session, self._staff_id, self.notes.toPlainText()
        Operation(self, lambda ws: ws.supervision.write_reflection(
            self._actor, session_id=session.id, staff_id=staff_id, text=text,
            expected_version=session.attendance_version)) \
            .changes(SUPERVISION).fields(message_in(self.error)).success(self._saved).run()

    def _saved(self, result) -> None:
        self.saved = result
        self.accept()


class PersonSupervisionDialog(QDialog):
    """Arrangements and sessions for one person, with adding and correcting both."""

    def __init__(self, workspace, actor, staff_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self._workspace, self._actor, self._staff_id = workspace, actor, staff_id
        self.person = None
        self.changed = False
        self._choices = None

        self.heading = QLabel()
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setAccessibleName("Person")
        self.subheading = QLabel()
        self.subheading.setWordWrap(True)
        self.subheading.setAccessibleName("Role, practices and start date")
        self.summary = QWidget()
        self.summary.setAccessibleName("Where each kind of supervision stands")
        self.summary_grid = QGridLayout(self.summary)
        self.summary_grid.setContentsMargins(0, 4, 0, 4)
        self.summary_grid.setHorizontalSpacing(18)

        self.arrangements = RowsModel(ARRANGEMENT_COLUMNS, self)
        self.arrangement_table = record_table(self.arrangements, "Supervision arrangements")
        self.arrange_button = make_button("Arrange supervision…", "Arrange supervision for this person")
        self.edit_arrangement_button = make_button("Change arrangement…", "Change the selected arrangement")
        self.agreement_button = make_button("Open signed agreement", "Open the signed agreement of the selected arrangement")
        arrangement_buttons = FlowLayout()  # onto a second line when the window is narrow
        arrangement_buttons.addWidgets(self.arrange_button, self.edit_arrangement_button, self.agreement_button)
        arrangement_box = QGroupBox("Arrangements")
        box_layout = QVBoxLayout(arrangement_box)
        box_layout.addWidget(self.arrangement_table)
        box_layout.addLayout(arrangement_buttons)

        self.sessions = RowsModel(SESSION_COLUMNS, self)
        self.session_table = record_table(self.sessions, "Supervision sessions")
        self.detail = QTextBrowser()
        self.detail.setAccessibleName("Selected session")
        self.detail.setOpenLinks(False)
        self.log_button = make_button("Log session…", "Log a supervision session")
        self.edit_session_button = make_button("Correct session…", "Correct the selected session")
        self.confirm_button = make_button("Confirm session", "Confirm the selected session took place as recorded")
        self.reflect_button = make_button("My reflective notes…", "Write reflective notes on the selected session")
        self.record_confirmation_button = make_button(
            "Record external supervisor's confirmation…", "Record the external supervisor's confirmation",
            "The selected session's supervisor has no ARRS Desk account: enter their confirmation from a signed "
            "sheet or an e-mail")
        session_buttons = FlowLayout()
        session_buttons.addWidgets(self.log_button, self.edit_session_button, self.confirm_button, self.reflect_button,
                                   self.record_confirmation_button)
        sessions_split = QSplitter(Qt.Orientation.Horizontal)
        sessions_split.addWidget(self.session_table)
        sessions_split.addWidget(self.detail)
        sessions_split.setStretchFactor(0, 3)
        sessions_split.setStretchFactor(1, 2)
        sessions_split.setSizes([700, 450])
        session_box = QGroupBox("Session log")
        box_layout = QVBoxLayout(session_box)
        box_layout.addWidget(sessions_split, 1)
        box_layout.addLayout(session_buttons)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(arrangement_box)
        split.addWidget(session_box)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.subheading)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        layout.addWidget(close)

        self.arrange_button.clicked.connect(lambda: self.arrange())
        self.edit_arrangement_button.clicked.connect(self.edit_arrangement)
        self.agreement_button.clicked.connect(self.open_agreement)
        self.arrangement_table.doubleClicked.connect(lambda _i: self.edit_arrangement())
        self.log_button.clicked.connect(lambda: self.log_session())
        self.edit_session_button.clicked.connect(self.edit_session)
        self.confirm_button.clicked.connect(self.confirm_session)
        self.reflect_button.clicked.connect(self.write_reflection)
        self.record_confirmation_button.clicked.connect(self.record_external_confirmation)
        self.session_table.doubleClicked.connect(lambda _i: self.edit_session())
        self.arrangement_table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.session_table.selectionModel().selectionChanged.connect(self._session_selected)
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        if screen is not None:  # never taller than the screen: a 1366x768 laptop has under 740 pixels to spare
            self.resize(min(1180, int(screen.width() * 0.96)), min(780, int(screen.height() * 0.92)))
        else:
            self.resize(1180, 780)
        self.reload()

    # --- data ---------------------------------------------------------------------------
    def reload(self, *, select_session: int | None = None, select_arrangement: int | None = None) -> bool:
        found = Operation(self, lambda ws: ws.supervision.person(self._actor, staff_id=self._staff_id))
        if not found.run():
            return False
        person = self.person = found.result
        self.setWindowTitle(f"Supervision: {person.display_name}")
        self.heading.setText(f"{person.display_name} · {person.role_title}")
        months = person.months_in_post
        in_post = (f"starts {uk_date(person.start_date)}" if person.start_date > person.today else
                   f"started {uk_date(person.start_date)} ({plural(months, 'month')} in post)")
        parts = [person.practices, in_post]
        if person.line_manager:
            parts.append(f"line manager {person.line_manager}")
        self.subheading.setText(" · ".join(p for p in parts if p))
        self._fill_summary(person)
        self.arrangements.set_rows(person.arrangements)
        self.sessions.set_rows(person.sessions)
        for view in (self.arrangement_table, self.session_table):
            view.resizeColumnsToContents()
            for column in range(view.model().columnCount()):
                view.setColumnWidth(column, min(view.columnWidth(column) + 12, 210))
        self._select(self.arrangement_table, select_arrangement)
        self._select(self.session_table, select_session if select_session is not None else
                     (person.sessions[0].id if person.sessions else None))
        set_enabled_with_reason(self.arrange_button, person.can.arrange, why_not(Action.ARRANGE_SUPERVISION))
        set_enabled_with_reason(self.log_button, person.can.record, why_not(Action.RECORD_SUPERVISION))
        self.record_confirmation_button.setVisible(any(s.can_record_confirmation for s in person.sessions))
        self._session_selected()
        return True

    def _fill_summary(self, person) -> None:
        while self.summary_grid.count():
            item = self.summary_grid.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        shown = [(t, c) for t, c in zip(person.types, person.cells) if str(c.status) != "not-applicable"]
        if not shown:
            note = QLabel("No supervision is required for this role at present, and none is arranged.")
            self.summary_grid.addWidget(note, 0, 0)
            return
        per_column = (len(shown) + 1) // 2
        for i, (column, cell) in enumerate(shown):
            first, second = cell_lines(cell, person.today)
            icon = QLabel()
            pixmap_icon = status_icon(cell.status)
            if pixmap_icon is not None:
                icon.setPixmap(pixmap_icon.pixmap(16, 16))
            text = QLabel(f"<b>{escape(column.title)}</b>: {escape(first)}"
                          + (f" <span>– {escape(second)}</span>" if second else ""))
            text.setAccessibleName(f"{column.title}: {first}" + (f", {second}" if second else ""))
            text.setWordWrap(True)  # a long supervisor's name wraps rather than widening the window
            row, col = i % per_column, (i // per_column) * 2
            self.summary_grid.addWidget(icon, row, col)
            self.summary_grid.addWidget(text, row, col + 1)
        self.summary_grid.setColumnStretch(1, 1)
        self.summary_grid.setColumnStretch(3, 1)

    @staticmethod
    def _select(view: QTableView, row_id: int | None) -> None:
        model = view.model()
        for r in range(model.rowCount()):
            index = model.index(r, 0)
            if index.data(ROW_ROLE).id == row_id:
                view.setCurrentIndex(index)
                view.selectionModel().select(index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                                             | QItemSelectionModel.SelectionFlag.Rows)
                return

    def selected_arrangement(self):
        index = self.arrangement_table.currentIndex()
        if not index.isValid() or not self.arrangement_table.selectionModel().isSelected(index):
            return None
        return index.data(ROW_ROLE)

    def selected_session(self):
        index = self.session_table.currentIndex()
        if not index.isValid() or not self.session_table.selectionModel().isSelected(index):
            return None
        return index.data(ROW_ROLE)

    def _update_buttons(self, *_args) -> None:
        arrangement = self.selected_arrangement()
        can = self.person.can if self.person else None
        pick_arrangement = (arrangement is None, "Select an arrangement in the list first.")
        from_record = (arrangement is not None and arrangement.from_staff_record,
                       "The line manager on the staff record holds these reviews: change the line manager there.")
        set_enabled_with_reason(
            self.edit_arrangement_button, bool(arrangement and can and can.arrange and not arrangement.from_staff_record),
            first_reason(pick_arrangement, from_record, otherwise=why_not(Action.ARRANGE_SUPERVISION)))
        set_enabled_with_reason(self.agreement_button, bool(arrangement and arrangement.agreement_filename), first_reason(
            pick_arrangement, otherwise="No signed agreement is attached to this arrangement; attach it with "
                                        "'Change arrangement…'."))
        session = self.selected_session()
        own = self.person is not None and self._actor.staff_id == self.person.staff_id
        pick_session = (session is None, "Select a session in the log first." if self.sessions.rowCount()
                        else "No sessions have been logged yet.")
        set_enabled_with_reason(self.edit_session_button, bool(session and session.can_edit), first_reason(
            pick_session,
            (session is not None and can is not None and can.record and session.attendee_count > 1,
             "This group session includes people you may not record supervision for, and a correction changes "
             "it for everyone who attended: ask their line manager or the session's supervisor to correct it."),
            otherwise=why_not(Action.RECORD_SUPERVISION)))
        set_enabled_with_reason(self.confirm_button, bool(session and session.can_confirm), first_reason(
            pick_session,
            (own and session is not None and session.attendee_confirmed_at is not None,
             "You have already confirmed this session."),
            (not own and session is not None and session.supervisor_confirmed_at is not None,
             "The supervisor has already confirmed this session."),
            otherwise="Only the session's supervisor or the supervisee can confirm it."))
        set_enabled_with_reason(self.reflect_button, bool(session and session.can_write_reflection), first_reason(
            pick_session, otherwise=why_not(Action.WRITE_REFLECTIONS)))
        set_enabled_with_reason(
            self.record_confirmation_button, bool(session and session.can_record_confirmation), first_reason(
                pick_session,
                (session is not None and session.supervisor_external_id is None,
                 "This session's supervisor has an ARRS Desk account and confirms it themself."),
                (session is not None and session.supervisor_confirmed_at is not None,
                 "The supervisor's confirmation of this session is already recorded."),
                otherwise=why_not(Action.RECORD_SIGNATURE, on_self=own)))

    def _session_selected(self, *_args) -> None:
        self._update_buttons()
        session = self.selected_session()
        if session is None:
            self.detail.setHtml("<p>No sessions have been logged yet.</p>" if not self.sessions.rowCount()
                                else "<p>Select a session to read it.</p>")
            return
        self.detail.setHtml(self._session_html(session))

    def _session_html(self, s) -> str:
        def block(title: str, body: str) -> str:
            return f"<h4>{escape(title)}</h4><p>{escape(body).replace(chr(10), '<br>') if body else '<i>None recorded</i>'}</p>"

        minutes = f" · {s.duration_minutes} minutes" if s.duration_minutes else ""
        html = [f"<h3>{escape(s.type_title)} · {uk_date(s.held_on)}</h3>",
                f"<p>{escape(s.format_label)}{minutes} with <b>{escape(s.supervisor_name)}</b><br>",
                f"Attended: {escape(', '.join(s.attendees))}</p>",
                block("Topics", s.topics), block("Actions agreed", s.actions_agreed)]
        if s.reflective_notes is not None:
            html.append(block("Reflective notes (private)", s.reflective_notes))
        elif s.has_reflection:
            html.append("<h4>Reflective notes</h4><p><i>Private: only the person, their line managers and their "
                        "supervisors can read them.</i></p>")
        confirmations = []
        behalf = s.supervisor_on_behalf
        if behalf is not None:
            detail = " · ".join(p for p in (behalf.credentials, f"entered {_local_date(behalf.recorded_at)}") if p)
            confirmations.append(f"{escape(behalf.summary('Supervisor: confirmed'))}<br><small>{escape(detail)}</small>")
        elif s.supervisor_confirmed_at:
            confirmations.append(f"Supervisor: confirmed by {escape(s.supervisor_confirmed_by)} on "
                                 f"{_local_date(s.supervisor_confirmed_at)}")
        elif s.can_record_confirmation:
            confirmations.append(f"Supervisor: not yet confirmed. {escape(s.supervisor_name)} has no ARRS Desk "
                                 "account: record their confirmation from a signed sheet or an e-mail.")
        else:
            confirmations.append("Supervisor: not yet confirmed")
        who = self.person.display_name if self.person else "Supervisee"
        confirmations.append(f"{escape(who)}: confirmed on {_local_date(s.attendee_confirmed_at)}"
                             if s.attendee_confirmed_at else f"{escape(who)}: not yet confirmed")
        html.append("<h4>Confirmed</h4><p>" + "<br>".join(confirmations) + "</p>")
        html.append(f"<p><small>Logged by {escape(s.logged_by_name)}</small></p>")
        return "".join(html)

    def choices(self):
        if self._choices is None:
            found = Operation(self, lambda ws: ws.supervision.form_choices(self._actor, staff_id=self._staff_id))
            if not found.run():
                return None
            self._choices = found.result
        return self._choices

    # --- actions ------------------------------------------------------------------------
    def arrange(self, type_code: str | None = None):
        from arrs_desk.ui.supervision.supervision_arrangement import ArrangementDialog

        choices = self.choices()
        if choices is None:
            return None
        dialog = ArrangementDialog(self._workspace, self._actor, self.person, choices, type_code=type_code, parent=self)
        if dialog.exec() and dialog.saved:
            self._choices = None
            self.changed = True
            self.reload(select_arrangement=dialog.saved.id)
        return dialog

    def edit_arrangement(self):
        from arrs_desk.ui.supervision.supervision_arrangement import ArrangementDialog

        arrangement = self.selected_arrangement()
        choices = self.choices()
        if arrangement is None or choices is None or not self.person.can.arrange or arrangement.from_staff_record:
            return None
        dialog = ArrangementDialog(self._workspace, self._actor, self.person, choices, arrangement=arrangement, parent=self)
        if dialog.exec() and dialog.saved:
            self._choices = None
            self.changed = True
            self.reload(select_arrangement=dialog.saved.id)
        return dialog

    def open_agreement(self) -> None:
        arrangement = self.selected_arrangement()
        if arrangement is None:
            return
        Operation(self, lambda ws: ws.supervision.agreement_file(self._actor, arrangement_id=arrangement.id)) \
            .success(lambda path: open_file(self, path, what="The signed agreement")).run()

    def log_session(self, type_code: str | None = None):
        from arrs_desk.ui.supervision.supervision_session import SessionDialog, supervisor_key

        choices = self.choices()
        if choices is None:
            return None
        arrangement = self.selected_arrangement()
        if type_code is None and arrangement is not None and arrangement.live:
            type_code = arrangement.type_code
        supervisor, supervisor_name = None, ""
        live = [a for a in self.person.arrangements if a.live and a.type_code == type_code]
        if live:
            pick = arrangement if arrangement in live else live[0]
            supervisor = (supervisor_key("staff", pick.supervisor_staff_id) if pick.supervisor_staff_id is not None
                          else supervisor_key("external", pick.supervisor_external_id))
            supervisor_name = pick.supervisor_name
        dialog = SessionDialog(self._workspace, self._actor, self.person, choices, type_code=type_code,
                               supervisor=supervisor, supervisor_name=supervisor_name, parent=self)
        if dialog.exec() and dialog.saved:
            self.changed = True
            self.reload(select_session=dialog.saved.id)
        return dialog

    def edit_session(self):
        from arrs_desk.ui.supervision.supervision_session import SessionDialog

        session = self.selected_session()
        choices = self.choices()
        if session is None or choices is None or not session.can_edit:
            return None
        dialog = SessionDialog(self._workspace, self._actor, self.person, choices, session=session, parent=self)
        if dialog.exec() and (dialog.saved or dialog.removed):
            self.changed = True
            self.reload(select_session=dialog.saved.id if dialog.saved else None)
        return dialog

    def confirm_session(self) -> None:
        session = self.selected_session()
        if session is None:
            return
        if Operation(self, lambda ws: ws.supervision.confirm_session(self._actor, session_id=session.id)) \
                .changes(SUPERVISION).run():
            self.changed = True
            self.reload(select_session=session.id)

    def record_external_confirmation(self):
        from arrs_desk.ui.common.signature_dialog import session_confirmation_dialog

        session = self.selected_session()
        if session is None or not session.can_record_confirmation:
            return None
        dialog = session_confirmation_dialog(self._workspace, self._actor, self.person, session, parent=self)
        if dialog is None:
            return None
        dialog.exec()
        if dialog.saved:
            self.changed = True
        self.reload(select_session=session.id)  # also after a refusal, to show what is stored now
        return dialog

    def write_reflection(self):
        session = self.selected_session()
        if session is None:
            return None
        dialog = ReflectionDialog(self._workspace, self._actor, self._staff_id, session, parent=self)
        if dialog.exec() and dialog.saved:
            self.changed = True
            self.reload(select_session=session.id)
        return dialog
