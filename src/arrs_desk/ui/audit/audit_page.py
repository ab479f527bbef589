"""The audit trail, for administrators: filter, read, export. Nothing here can change it."""

from __future__ import annotations


from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QFileDialog, QHBoxLayout, QLabel,
    QMessageBox, QPushButton, QTableView, QVBoxLayout,
)

from arrs_desk.ui.common.date_edit import DateEdit
from arrs_desk import clock
from arrs_desk.ui.common.operation import Operation
from arrs_desk.ui.common.page import Page
from arrs_desk.ui.common.table_model import RowTableModel
from arrs_desk.ui.common.widgets import make_search
from arrs_desk.ui.common.dates import pydate, qdate

WHEN, WHO, ACTION, RECORD, SUMMARY, CHANGES = range(6)
HEADERS = ("When", "Who", "Action", "Record", "Summary", "Changes (old → new)")
ANY = None

INTRO = (
    "Every change, sign-off, sign-in and file saved from ARRS Desk, with who did it and when. A saved file's entry "
    "says what it holds, for how many people, in which format and the folder it was saved to. Check-in answers "
    "are anonymous, so the trail records only that a check-in was answered, never by whom. Loading a full export "
    "into a new, empty database is recorded in the application log instead, as that database has no trail yet. "
    "Entries cannot be edited or deleted, by anyone."
)
"""What the page promises; tests/services/test_export_audit.py and test_checkin_anonymity.py hold it to that."""


class AuditModel(RowTableModel):
    HEADERS = HEADERS

    def cell(self, row, column: int) -> str:
        if column == WHEN:
            return row.at.astimezone().strftime("%d/%m/%Y %H:%M:%S")
        if column == WHO:
            return row.actor_name
        if column == ACTION:
            return row.action_label
        if column == RECORD:
            return f"{row.entity_type.replace('_', ' ')} {row.entity_id}".strip()
        if column == SUMMARY:
            return row.summary
        return row.changes_text

    def tooltip(self, row, column: int) -> str | None:
        return self.cell(row, column)


class AuditPage(Page):
    title = "Audit trail"

    def __init__(self, parent=None):
        super().__init__(parent)
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        self.search = make_search("Search summaries and names", "Search the audit trail")
        self.person = QComboBox()
        self.person.setAccessibleName("Filter by person")
        self.action = QComboBox()
        self.action.setAccessibleName("Filter by action")
        self.entity = QComboBox()
        self.entity.setAccessibleName("Filter by kind of record")
        self.use_dates = QCheckBox("Between")
        self.use_dates.setAccessibleName("Limit to a date range")
        self.since = DateEdit()
        self.since.setAccessibleName("From date")
        self.until = DateEdit()
        self.until.setAccessibleName("To date")
        day = clock.today()
        today = qdate(day)
        self.since.setDate(today.addMonths(-1))
        self.until.setDate(today)
        self.export_button = QPushButton("Export to CSV…")
        self.export_button.setAccessibleName("Export the entries shown to CSV")
        self.export_button.clicked.connect(self.export)
        from arrs_desk.ui.audit_verify import VerifyButton

        self.verify_button = VerifyButton(lambda: self.actor, self)
        self.count_label = QLabel()
        self.model = AuditModel(self)
        self.table = QTableView()
        self.table.setAccessibleName("Audit entries")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self._timer = QTimer(self, singleShot=True, interval=250)
        self._timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(self._timer.start)
        for combo in (self.person, self.action, self.entity):
            combo.currentIndexChanged.connect(self._timer.start)
        for widget in (self.since, self.until):
            widget.dateChanged.connect(self._timer.start)
        self.use_dates.toggled.connect(self._timer.start)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        filters.addWidget(self.person, 1)
        filters.addWidget(self.action, 1)
        filters.addWidget(self.entity, 1)
        filters.addWidget(self.use_dates)
        filters.addWidget(self.since)
        filters.addWidget(self.until)
        top = QHBoxLayout()
        top.addWidget(self.heading(self.title), 1)
        top.addWidget(self.count_label)
        top.addWidget(self.verify_button)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(intro)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        self._choices_loaded = False

    def set_context(self, workspace, actor) -> None:
        super().set_context(workspace, actor)
        self._choices_loaded = False

    def _fill_choices(self, choices) -> None:
        actions, entities, people = choices
        from arrs_desk.services.audit_log import ACTION_LABELS

        for combo, first, values, label in (
            (self.person, "Everyone", people, str),
            (self.action, "All actions", actions, lambda a: ACTION_LABELS.get(a, a)),
            (self.entity, "All records", entities, lambda e: e.replace("_", " ").capitalize()),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(first, ANY)
            for value in values:
                combo.addItem(label(value), value)
            combo.setCurrentIndex(max(combo.findData(current), 0))
            combo.blockSignals(False)
        self._choices_loaded = True

    def current_filter(self):
        from arrs_desk.services.audit_log import AuditFilter

        dates = self.use_dates.isChecked()
        return AuditFilter(text=self.search.text(), action=self.action.currentData(),
                           entity_type=self.entity.currentData(), user_name=self.person.currentData(),
                           since=pydate(self.since.date()) if dates else None,
                           until=pydate(self.until.date()) if dates else None)

    def refresh(self) -> None:
        """Read in the background: the filter lists (the first time) and the newest entries chosen."""
        if self.workspace is None:
            return
        actor, wanted, choose = self.actor, self.current_filter(), not self._choices_loaded

        def read(ws):
            return (ws.audit_log.choices(actor) if choose else None), ws.audit_log.entries(actor, flt=wanted)

        self.load_data(read, self._show)

    def _show(self, found) -> None:
        choices, rows = found
        if choices is not None:
            self._fill_choices(choices)
        self.model.set_rows(rows)
        self.count_label.setText(f"{len(rows)} entries" + (" (newest 5,000)" if len(rows) >= 5000 else ""))
        if rows:
            for column in (WHEN, WHO, ACTION, RECORD):
                self.table.resizeColumnToContents(column)
            self.table.setColumnWidth(SUMMARY, 420)

    def export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export audit trail", "arrs-desk-audit.csv", "CSV files (*.csv)")
        if not path:
            return
        from dataclasses import replace

        def saved(count: int) -> None:
            QMessageBox.information(self, "Audit trail exported", f"{count} entries written to {path}.")
            self.refresh()  # the export's own entry

        actor, wanted = self.actor, replace(self.current_filter(), limit=1_000_000)
        Operation(self, lambda ws: ws.audit_log.export_csv(actor, path=path, flt=wanted)) \
            .progress_dialog("Exporting the audit trail…").success(saved).run_in_background()
