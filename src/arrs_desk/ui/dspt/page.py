"""Data security (DSPT): what an information-governance lead files with the Data Security and
Protection Toolkit, read from the record (`services.dspt`), with the two actions that make the
evidence: test a restore, and record the quarterly access review. Administrators only.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QAbstractItemView, QFileDialog, QFormLayout, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QLineEdit,
    QPushButton, QTableView, QTabWidget, QVBoxLayout, QWidget,
)

from arrs_desk.ui.common.changes import ACCOUNTS, EVERYTHING, SETTINGS
from arrs_desk.ui.common.date_edit import DateEdit
from arrs_desk.ui.common.error_display import show_status
from arrs_desk.ui.common.operation import Operation
from arrs_desk.ui.dspt.models import AccountsModel, ActionsModel, MovementsModel, RestoreTestsModel, ReviewsModel
from arrs_desk.ui.common.page import Page


def _table(model, name: str) -> QTableView:
    view = QTableView(model.parent())
    view.setModel(model)
    view.setAccessibleName(name)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setResizeContentsPrecision(COLUMN_SAMPLE)
    return view


COLUMN_SAMPLE = 200
"""Rows measured when a column is sized to its contents: a federation's joiners and leavers run to
thousands, and every row measured is a Python call per cell."""


class DsptPage(Page):
    title = "Data security (DSPT)"
    shows = EVERYTHING  # accounts, staff movements and the audit trail all feed it

    def __init__(self, parent=None):
        super().__init__(parent)
        self.report = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading("Data security evidence (DSPT)"))
        intro = QLabel("What the practice's information-governance lead needs for the Data Security and Protection "
                       "Toolkit: where the data lives, who can sign in, who joined, moved or left, what administrators "
                       "did, and proof that backups can be restored.")
        intro.setWordWrap(True)
        layout.addWidget(intro)

        bar = QHBoxLayout()
        self.start, self.end = DateEdit(), DateEdit()
        self.start.setAccessibleName("Period from")
        self.end.setAccessibleName("Period to")
        bar.addWidget(QLabel("From"))
        bar.addWidget(self.start)
        bar.addWidget(QLabel("to"))
        bar.addWidget(self.end)
        self.show_button = QPushButton("Show")
        self.show_button.clicked.connect(self.load)
        bar.addWidget(self.show_button)
        bar.addStretch(1)
        self.restore_button = QPushButton("Test a restore")
        self.restore_button.setToolTip("Restore the newest backup into a temporary copy, check it and record the test.")
        self.restore_button.clicked.connect(self.test_restore)
        self.review_button = QPushButton("Record access review…")
        self.review_button.setToolTip("Say that you have checked every account below (at least every three months).")
        self.review_button.clicked.connect(self.record_review)
        self.pdf_button = QPushButton("Save PDF…")
        self.pdf_button.clicked.connect(lambda: self.save("pdf"))
        self.csv_button = QPushButton("Save CSV…")
        self.csv_button.clicked.connect(lambda: self.save("csv"))
        for button in (self.restore_button, self.review_button, self.pdf_button, self.csv_button):
            bar.addWidget(button)
        layout.addLayout(bar)

        self.attention = QLabel()
        self.attention.setWordWrap(True)
        self.attention.setAccessibleName("Needs attention")
        layout.addWidget(self.attention)

        self.tabs = QTabWidget()
        self.tabs.setUsesScrollButtons(False)  # five short tabs fit; scroll arrows would hide some behind a greyed button
        self.storage = QWidget()
        self.storage_form = QFormLayout(self.storage)
        self.tabs.addTab(self.storage, "Storage (1.1.2)")
        self.accounts = AccountsModel(self)
        self.movements = MovementsModel(self)
        self.reviews = ReviewsModel(self)
        self.actions = ActionsModel(self)
        self.restores = RestoreTestsModel(self)
        access = QWidget()
        access_layout = QVBoxLayout(access)
        self.review_due = QLabel()
        access_layout.addWidget(self.review_due)
        access_layout.addWidget(_table(self.accounts, "Accounts"), 3)
        access_layout.addWidget(QLabel("Access reviews recorded"))
        access_layout.addWidget(_table(self.reviews, "Access reviews"), 1)
        self.tabs.addTab(access, "Accounts (4.2)")
        self.tabs.addTab(_table(self.movements, "Joiners, movers and leavers"), "Joiners and leavers (4.2)")
        actions = QWidget()
        actions_layout = QVBoxLayout(actions)
        self.actions_note = QLabel()
        actions_layout.addWidget(self.actions_note)
        actions_layout.addWidget(_table(self.actions, "Administrator actions"))
        self.tabs.addTab(actions, "Admin actions (4.4.1)")
        restores = QWidget()
        restores_layout = QVBoxLayout(restores)
        self.restore_due = QLabel()
        restores_layout.addWidget(self.restore_due)
        restores_layout.addWidget(_table(self.restores, "Restore tests"))
        self.tabs.addTab(restores, "Restore tests (7.3.4)")
        layout.addWidget(self.tabs, 1)

    # ------------------------------------------------------------------ reading
    def set_context(self, workspace, actor) -> None:
        first = self.workspace is not workspace
        super().set_context(workspace, actor)
        if first and workspace is not None:
            Operation(self, lambda ws: ws.dspt.default_period(actor)).success(self._set_period).run()

    def _set_period(self, period: tuple[date, date]) -> None:
        self.start.setDate(period[0])
        self.end.setDate(period[1])

    def refresh(self) -> None:
        self.load()

    def _period(self) -> dict:
        return {"start": self.start.value(), "end": self.end.value()}

    def load(self) -> None:
        if self.workspace is None:
            return
        actor, period = self.actor, self._period()
        self.load_data(lambda ws: ws.dspt.report(actor, **period), self._show)

    def _show(self, report) -> None:
        self.report = report
        if report.attention:
            self.attention.setText("<b>Needs attention</b><ul>" + "".join(
                f"<li>{_escape(line)}</li>" for line in report.attention) + "</ul>")
        else:
            self.attention.setText("<b>Nothing needs attention</b> for this period.")
        while self.storage_form.rowCount():
            self.storage_form.removeRow(0)
        s = report.storage
        for label, value in (("Where the data is", f"{s.kind}: {s.location}"), ("Encryption at rest", s.encryption),
                             ("Who can read the database", s.permissions), ("Connection", s.transport),
                             ("Backup folder", s.backup_folder), ("Who can read the backups", s.backup_permissions),
                             ("Newest backup", s.newest_backup)):
            if value:
                field = QLineEdit(value) if label in ("Where the data is", "Backup folder") else QLabel(value)
                if isinstance(field, QLineEdit):
                    field.setReadOnly(True)
                    field.setCursorPosition(0)
                else:
                    field.setWordWrap(True)
                field.setAccessibleName(label)
                self.storage_form.addRow(label, field)
        self.accounts.set_rows(report.accounts)
        self.movements.set_rows(report.movements)
        self.reviews.set_rows(report.reviews)
        self.actions.set_rows(report.admin_actions)
        self.restores.set_rows(report.restore_tests)
        for view in self.findChildren(QTableView):
            view.resizeColumnsToContents()  # the long last column stretches; the short ones show whole
        self.review_due.setText(f"Next access review due: {report.access_review_due}")
        self.restore_due.setText(f"Next restore test due: {report.restore_test_due}")
        count = len(report.admin_actions)
        self.actions_note.setText(f"{count} administrator action{'s' if count != 1 else ''} and {report.sign_ins} "
                                  f"sign-in{'s' if report.sign_ins != 1 else ''} from {report.period_text}.")

    # ------------------------------------------------------------------ actions
    def test_restore(self) -> None:
        actor = self.actor
        Operation(self, lambda ws: ws.dspt.test_restore(actor)).changes(SETTINGS) \
            .progress_dialog("Restoring the newest backup into a temporary copy…") \
            .success(lambda result: show_status(self, result.summary, 10000)).run_in_background()

    def record_review(self) -> None:
        note, ok = QInputDialog.getText(self, "Record access review",
                                        "You have checked every account's roles and disabled those no longer needed.\n"
                                        "Note (optional, for example who took part):")
        if not ok:
            return
        actor = self.actor
        Operation(self, lambda ws: ws.dspt.record_access_review(actor, note=note)).changes(ACCOUNTS) \
            .success(lambda count: show_status(self, f"Access review recorded: {count} accounts checked.", 6000)).run()

    def save(self, file_format: str) -> str | None:
        if self.report is None:
            return None
        suffix = {"pdf": "PDF files (*.pdf)", "csv": "CSV files (*.csv)"}[file_format]
        path, _ = QFileDialog.getSaveFileName(self, "Save the DSPT evidence report",
                                              f"arrs-dspt-evidence-{self.end.value():%Y-%m-%d}.{file_format}", suffix)
        if not path:
            return None
        actor, period = self.actor, self._period()
        Operation(self, lambda ws: ws.dspt.save(actor, path=path, file_format=file_format, **period)) \
            .progress_dialog("Saving the DSPT evidence report…") \
            .success(lambda _saved: show_status(self, f"Saved the DSPT evidence report to {path}", 6000)) \
            .run_in_background()
        return path


def _escape(value: str) -> str:
    from html import escape

    return escape(value)
