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
from arrs_desk.ui.common.bidi import isolate
from arrs_desk.ui.common.changes import CHECKINS
from arrs_desk.ui.common.error_display import problem, show_error, show_status
from arrs_desk.ui.common.operation import Operation
from arrs_desk.ui.common.page import Page

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
        team_layout = QVBoxLayout(self.team_box)
        team_layout.addWidget(self.team)
        self.team_box.hide()
        self.body.addWidget(self.team_box)
        self.schedule = QLabel()
        self.schedule.setWordWrap(True)
        self.schedule.setAccessibleName("My check-in schedule")
        self.body.addWidget(self.schedule)
        self.body.addStretch(1)
        body.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

    def refresh(self) -> None:
        if self.workspace is None:
            return
        self.intro.setText(intro_text(self.workspace.checkins.schedule()))
        self._show_team()
        if self.actor is None or self.actor.staff_id is None:
            self.status.setText("Check-ins are for people with a staff record. Ask an administrator to link your "
                                "account to your staff record.")
            self.form_box.hide()
            self.schedule.clear()
            return
        found = Operation(self, lambda ws: ws.checkins.my_checkins(self.actor))
        if not found.run():
            return
        mine = self.mine = found.result
        self._build_form()
        self.schedule.setText(schedule_text(mine.points))

    def _show_team(self) -> None:
        """Reminders only: who has a check-in open, never what anyone answered."""
        found = Operation(self, lambda ws: ws.checkins.checkins_due(self.actor))
        due = found.result if found.run() else None
        if not due:
            self.team_box.hide()
            return
        lines = [f"{isolate(escape(d.display_name))}: {d.months}-month check-in, open until {format_uk(d.closes_on)}"
                 for d in due]
        self.team.setText("They answer it themselves on this page; a reminder may help.<br>" + "<br>".join(lines))
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
        self.status.setText(f"<b>Your {due.months}-month check-in is open until {format_uk(due.closes_on)}.</b> "
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
