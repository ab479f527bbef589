"""My check-ins: the person's own "what matters to me" check-ins (answer the one that is open,
see the schedule and their own trend). Only the person answers; managers see anonymous totals."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import (
    QButtonGroup, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QMessageBox, QPlainTextEdit, QPushButton, QRadioButton,
    QScrollArea, QSizePolicy, QVBoxLayout, QWidget,
)

from arrs_desk.ui.assurance_charts import TrendChart
from arrs_desk.ui.operations import Failed, run_service
from arrs_desk.ui.page import Page


def _uk(day) -> str:
    return day.strftime("%d/%m/%Y")


class MyCheckinsPage(Page):
    title = "My check-ins"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.mine = None
        self.groups: dict[str, QButtonGroup] = {}
        outer = QVBoxLayout(self)
        outer.addWidget(self.heading("My check-ins"))
        intro = QLabel("A few minutes at 1, 3, 6 and 12 months in post, then twice a year: how things are going for "
                       "you. Your line manager sees only totals for groups of five or more people, never your own "
                       "answers or comments.")
        intro.setWordWrap(True)
        outer.addWidget(intro)
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
        self.comment: QPlainTextEdit | None = None
        self.submit: QPushButton | None = None
        trend_box = QGroupBox("My trend (average answer, 5 = strongly agree)")
        trend_layout = QVBoxLayout(trend_box)
        self.trend = TrendChart()
        trend_layout.addWidget(self.trend)
        self.body.addWidget(trend_box)
        self.schedule = QLabel()
        self.schedule.setWordWrap(True)
        self.schedule.setAccessibleName("My check-in schedule")
        self.body.addWidget(self.schedule)
        self.body.addStretch(1)
        body.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

    def refresh(self) -> None:
        if self.workspace is None:
            return
        if self.actor is None or self.actor.staff_id is None:
            self.status.setText("Check-ins are for people with a staff record. Ask an administrator to link your "
                                "account to your staff record.")
            self.form_box.hide()
            return
        mine = run_service(self, self.workspace.assurance.my_checkins, self.actor)
        if isinstance(mine, Failed):
            return
        self.mine = mine
        self._build_form()
        self.trend.set_points([(f"{a.months} mo", a.average) for a in mine.history])
        lines = [f"{p.months} month{'s' if p.months != 1 else ''} in post ({_uk(p.due_on)}): {p.status.label}" for p in mine.points]
        self.schedule.setText("<b>Schedule</b><br>" + "<br>".join(lines))

    def _build_form(self) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.groups.clear()
        due = self.mine.due
        if due is None:
            upcoming = next((p for p in self.mine.points if p.status.value == "upcoming"), None)
            self.status.setText("No check-in is open at the moment." +
                                (f" The next one opens on {_uk(upcoming.due_on)}." if upcoming else ""))
            self.form_box.hide()
            return
        self.status.setText(f"<b>Your {due.months}-month check-in is open until {_uk(due.closes_on)}.</b> "
                            "Choose how far you agree with each statement.")
        self.form_box.show()
        for statement in self.mine.statements:
            row = QWidget()
            column = QVBoxLayout(row)
            column.setContentsMargins(0, 4, 0, 4)
            text = QLabel(f"<b>{escape(statement.text)}</b>")
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
        self.comment = QPlainTextEdit()
        self.comment.setAccessibleName("Comment (optional)")
        self.comment.setPlaceholderText("Anything you would like to add (optional, only you see this)")
        self.comment.setMaximumHeight(80)
        self.form.addRow("Comment (optional):", self.comment)
        self.submit = QPushButton("Save my check-in")
        self.submit.setAccessibleName("Save my check-in")
        self.submit.clicked.connect(self.save)
        self.form.addRow("", self.submit)

    def save(self) -> bool:
        if self.mine is None or self.mine.due is None:
            return False
        answers = {key: group.checkedId() for key, group in self.groups.items() if group.checkedId() > 0}
        missing = [s.text for s in self.mine.statements if s.key not in answers]
        if missing:
            QMessageBox.warning(self, "Not finished", "Please choose an answer for: " + " ".join(missing))
            return False
        done = run_service(self, self.workspace.assurance.submit_checkin, self.actor, months=self.mine.due.months,
                           answers=answers, comment=self.comment.toPlainText())
        if isinstance(done, Failed):
            return False
        window = self.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage("Thank you: your check-in is saved", 6000)
        self.refresh()
        return True
