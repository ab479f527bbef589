"""My check-ins: the person's own "what matters to me" check-ins (answer the one that is open,
see the schedule) and, for line managers and administrators, who they look after has one open.

Answers are anonymous (see `services.checkins`): the page says so before anyone answers, and
that once sent they cannot be seen or changed, by the person or anyone else.
"""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import (
    QButtonGroup, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QRadioButton, QScrollArea,
    QSizePolicy, QVBoxLayout, QWidget,
)

from arrs_desk.domain.assurance import MIN_GROUP
from arrs_desk.domain.dates import format_uk
from arrs_desk.domain.staff import search_key
from arrs_desk.ui.common.changes import CHECKINS
from arrs_desk.ui.common.error_display import problem, show_error, show_status
from arrs_desk.ui.common.operation import Operation
from arrs_desk.ui.common.page import Page
from arrs_desk.ui.common.table_model import Column, RowsModel
from arrs_desk.ui.common.tables import record_table

ANONYMITY = (
    "<b>Your answers are anonymous.</b> They are saved without your name or the date, and reach the summary "
    f"your managers see only in a batch with the answers of at least {MIN_GROUP} different people in your role or "
    "practice. Once you send them, nobody, including you, can see or change your own answers. ARRS Desk keeps "
    "only the fact that you have done this check-in, so that it knows when the next one is due."
)


def intro_text(schedule) -> str:
    """When check-ins fall, in words, from the PCN's schedule (an administrator can change it)."""
    months = [str(m) for m in schedule.months]
    listed = months[0] if len(months) == 1 else f"{', '.join(months[:-1])} and {months[-1]}"
    repeat = "" if not schedule.repeat_every else (
        ", then twice a year" if schedule.repeat_every == 6 else ", then once a year" if schedule.repeat_every == 12
        else f", then every {schedule.repeat_every} months")
    return (f"A few minutes at {listed} month{'s' if months != ['1'] else ''} in post{repeat}: how things are going "
            "for you, so the PCN can see what helps people settle and stay.")


TEAM_COLUMNS = (
    Column("Name", lambda d: d.display_name),
    Column("Check-in", lambda d: f"{d.months} month{'s' if d.months != 1 else ''}"),
    Column("Open until", lambda d: format_uk(d.last_open_day)),
)
TEAM_ROWS_SHOWN = 8
"""Rows of the team's list in view at once; more scroll inside it, so the person's own check-in
below stays within reach on a laptop screen."""

SCHEDULE_LINES = 6
"""The latest check-ins listed one by one; earlier ones are counted in a line (long-serving staff
have dozens, which would push everything else off the screen)."""


def schedule_text(points) -> str:
    def line(p) -> str:
        return f"{p.months} month{'s' if p.months != 1 else ''} in post ({format_uk(p.due_on)}): {p.status.label}"

    shown, earlier = points[-SCHEDULE_LINES:], points[:-SCHEDULE_LINES]
    lines = [line(p) for p in shown]
    if earlier:
        done = sum(p.status.value == "done" for p in earlier)
        lines.insert(0, f"{len(earlier)} earlier check-in{'s' if len(earlier) != 1 else ''}, "
                        f"up to {format_uk(earlier[-1].due_on)}: {done} done")
    return "<b>Schedule</b><br>" + "<br>".join(lines)


class MyCheckinsPage(Page):
    title = "My check-ins"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.mine = None
        self.groups: dict[str, QButtonGroup] = {}
        outer = QVBoxLayout(self)
        outer.addWidget(self.heading("My check-ins"))
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        outer.addWidget(self.intro)
        self.anonymity = QLabel(ANONYMITY)
        self.anonymity.setWordWrap(True)
        self.anonymity.setAccessibleName("Your answers are anonymous")
        outer.addWidget(self.anonymity)
        self.scroll = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setAccessibleName("My check-ins")
        body = QWidget()
        self.body = QVBoxLayout(body)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Check-in status")
        self.body.addWidget(self.status)
        self.form_box = QGroupBox("This check-in")
        self.form = QFormLayout(self.form_box)
        self.body.addWidget(self.form_box)
        self.submit: QPushButton | None = None
        self.team_box = QGroupBox("Check-ins open for people you look after")
        self.team = QLabel()
        self.team.setWordWrap(True)
        self.team.setAccessibleName("Check-ins open for people you look after")
        self.team_model = RowsModel(TEAM_COLUMNS)
        self.team_table = record_table(self.team_model, "People with a check-in open")
        self.team_table.setSortingEnabled(False)  # shown in the order read: the soonest to close first
        team_layout = QVBoxLayout(self.team_box)
        team_layout.addWidget(self.team)
        team_layout.addWidget(self.team_table)
        self.team_box.hide()
        self.body.addWidget(self.team_box)
        self.schedule = QLabel()
        self.schedule.setWordWrap(True)
        self.schedule.setAccessibleName("My check-in schedule")
        self.body.addWidget(self.schedule)
        self.body.addStretch(1)
        body.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

    def refresh(self) -> None:
        """Read in the background (an administrator of a federation has thousands of people to look
        through), keeping what is shown until the answer comes."""
        if self.workspace is None:
            return
        actor = self.actor

        def read(ws):
            mine = ws.checkins.my_checkins(actor) if actor is not None and actor.staff_id is not None else None
            return ws.checkins.schedule(), ws.checkins.checkins_due(actor), mine

        self.load_data(read, self._show)

    def _show(self, found) -> None:
        schedule, due, mine = found
        self.intro.setText(intro_text(schedule))
        self._show_team(due)
        if mine is None:
            self.mine = None
            self.status.setText("Check-ins are for people with a staff record. Ask an administrator to link your "
                                "account to your staff record.")
            self.form_box.hide()
            self.schedule.clear()
            return
        self.mine = mine
        self._build_form()
        self.schedule.setText(schedule_text(mine.points))

    def _show_team(self, due) -> None:
        """Reminders only: who has a check-in open, never what anyone answered. In a table, which
        draws only the rows in view: a federation's administrator may look after thousands."""
        if not due:
            self.team_model.set_rows(())
            self.team_box.hide()
            return
        self.team.setText(f"{len(due):,} {'person has' if len(due) == 1 else 'people have'} a check-in open, the "
                          "soonest to close first. They answer it themselves on this page; a reminder may help.")
        self.team_model.set_rows(sorted(due, key=lambda d: (d.closes_on, search_key(d.display_name))))
        table = self.team_table
        for column in (0, 1):  # from the first thousand rows (Qt's default precision): names in full
            table.resizeColumnToContents(column)
        rows_shown = min(len(due), TEAM_ROWS_SHOWN)
        table.setFixedHeight(table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth()
                             + rows_shown * table.verticalHeader().defaultSectionSize())
        self.team_box.show()

    def _build_form(self) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.groups.clear()
        due = self.mine.due
        if due is None:
            upcoming = next((p for p in self.mine.points if p.status.value == "upcoming"), None)
            self.status.setText("No check-in is open at the moment." +
                                (f" The next one opens on {format_uk(upcoming.due_on)}." if upcoming else ""))
            self.form_box.hide()
            return
        self.status.setText(f"<b>Your {due.months}-month check-in is open until {format_uk(due.last_open_day)}.</b> "
                            "Choose how far you agree with each statement.")
        self.form_box.show()
        for statement in self.mine.statements:
            row = QWidget()
            column = QVBoxLayout(row)
            column.setContentsMargins(0, 4, 0, 4)
            text = QLabel(f"<b>{escape(statement.text)}</b>")
            text.setWordWrap(True)
            column.addWidget(text)
            layout = QHBoxLayout()
            column.addLayout(layout)
            group = QButtonGroup(row)
            for value, label in enumerate(self.mine.scale, start=1):
                button = QRadioButton(label)
                button.setAccessibleName(f"{statement.text} {label}")
                button.setObjectName(f"{statement.key}-{value}")
                group.addButton(button, value)
                layout.addWidget(button)
            layout.addStretch(1)
            self.groups[statement.key] = group
            self.form.addRow(row)
        final = QLabel("Once sent, your answers cannot be seen or changed, by you or by anyone else.")
        final.setWordWrap(True)
        self.form.addRow(final)
        self.submit = QPushButton("Send my answers anonymously")
        self.submit.setAccessibleName("Send my answers anonymously")
        self.submit.clicked.connect(self.save)
        row = QHBoxLayout()
        row.addWidget(self.submit)
        row.addStretch(1)
        self.form.addRow(row)

    def save(self) -> bool:
        if self.mine is None or self.mine.due is None:
            return False
        answers = {key: group.checkedId() for key, group in self.groups.items() if group.checkedId() > 0}
        missing = [s.text for s in self.mine.statements if s.key not in answers]
        if missing:
            show_error(self, problem("Not finished", "Please choose an answer for: " + " ".join(missing)))
            return False
        months = self.mine.due.months
        sent = Operation(self, lambda ws: ws.checkins.submit_checkin(self.actor, months=months, answers=answers)) \
            .changes(CHECKINS).run()  # the page shows the next check-in (it follows changes.CHECKINS)
        if sent:
            show_status(self, "Thank you: your answers were sent anonymously", 6000)
        return sent
