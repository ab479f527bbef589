"""The audit trail, for administrators: filter, read, export. Nothing here can change it."""

from __future__ import annotations


from dataclasses import replace

from PySide6.QtCore import QModelIndex, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QFileDialog, QHBoxLayout, QLabel,
    QMessageBox, QPushButton, QTableView, QVBoxLayout,
)

from arrs_desk.ui.common.date_edit import DateEdit
from arrs_desk import clock
from arrs_desk.ui.common.operation import Operation
from arrs_desk.ui.common.list_page import empty_label, show_rows, sized_by_first_rows
from arrs_desk.ui.common.page import Page
from arrs_desk.ui.common.table_model import RowTableModel
from arrs_desk.ui.common.text import plural
from arrs_desk.ui.common.widgets import make_search
from arrs_desk.ui.common.dates import pydate, qdate

WHEN, WHO, ACTION, RECORD, SUMMARY, CHANGES = range(6)
HEADERS = ("When", "Who", "Action", "Record", "Summary", "Changes (old → new)")
ANY = None
MIN_SUMMARY, MIN_CHANGES = 200, 220
"""Widths (px) the Summary and Changes columns keep when the first four are wide (long record names)."""
PAGE = 1000
"""Entries read at a time: the newest first, then the next as the list is scrolled to its end. A
PCN's trail grows by thousands of entries a month; reading a page costs the same however long it
is (`AuditFilter.older_than`), so the page opens quickly and any entry can still be scrolled to."""

INTRO = (
    "Every change, sign-off, sign-in and file saved from ARRS Desk, with who did it and when. A saved file's entry "
    "says what it holds, for how many people, in which format and the folder it was saved to. Check-in answers "
    "are anonymous, so the trail records only that a check-in was answered, never by whom. Loading a full export "
    "into a new, empty database is recorded in the application log instead, as that database has no trail yet. "
    "Entries cannot be edited or deleted, by anyone."
)
"""What the page promises; tests/services/test_export_audit.py and test_checkin_anonymity.py hold it to that."""


class AuditModel(RowTableModel):
    """The entries read so far. When the view is scrolled to the last of them and older ones may
    be there (the last page read was full), Qt asks for more (`fetchMore`): the model says so with
    `more_wanted`, and the page reads the next page in the background and appends it."""

    HEADERS = HEADERS
    more_wanted = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.more = False
        """Older entries may be there to read; False while a page is being read, so Qt's repeated
        asking starts one read at a time."""

    def canFetchMore(self, parent=QModelIndex()) -> bool:  # noqa: N802 (Qt's name)
        return self.more and not parent.isValid()

    def fetchMore(self, parent=QModelIndex()) -> None:  # noqa: N802 (Qt's name)
        if self.canFetchMore(parent):
            self.more = False
            self.more_wanted.emit()

    def cell(self, row, column: int) -> str:
        if column == WHEN:
            return row.at.astimezone(clock.UK).strftime("%d/%m/%Y %H:%M:%S")  # UK time, as its day filter
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
        self.export_button.setAccessibleName("Export every entry the filters select to CSV")
        self.export_button.clicked.connect(self.export)
        from arrs_desk.ui.audit_verify import VerifyButton

        self.verify_button = VerifyButton(lambda: self.actor, self)
        self.count_label = QLabel()
        self.model = AuditModel(self)
        self.model.more_wanted.connect(self._read_older)
        self.table = sized_by_first_rows(QTableView())  # columns fit the first rows, not all 1,000
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
        self.empty = empty_label("Why no entries are shown")
        layout.addWidget(self.empty, 1)
        self._choices_loaded = False
        self._shown_filter = self.current_filter()

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

    def clear_filters(self) -> None:
        """No search, everyone, every action and record, no dates: quietly, as the page is read
        again for the next person only when they open it (they may not be allowed to)."""
        widgets = (self.search, self.person, self.action, self.entity, self.use_dates)
        for widget in widgets:
            widget.blockSignals(True)
        self.search.clear()
        for combo in (self.person, self.action, self.entity):
            combo.setCurrentIndex(0 if combo.count() else -1)
        self.use_dates.setChecked(False)
        for widget in widgets:
            widget.blockSignals(False)
        self._timer.stop()

    def current_filter(self):
        from arrs_desk.services.audit_log import AuditFilter

        dates = self.use_dates.isChecked()
        return AuditFilter(text=self.search.text(), action=self.action.currentData(),
                           entity_type=self.entity.currentData(), user_name=self.person.currentData(),
                           since=pydate(self.since.date()) if dates else None,
                           until=pydate(self.until.date()) if dates else None)

    def refresh(self) -> None:
        """Read in the background: the filter lists (the first time) and the newest page of the
        entries chosen."""
        if self.workspace is None:
            return
        actor, wanted, choose = self.actor, self.current_filter(), not self._choices_loaded
        first_page = replace(wanted, limit=PAGE)

        def read(ws):
            return (ws.audit_log.choices(actor) if choose else None), ws.audit_log.entries(actor, flt=first_page)

        self.load_data(read, lambda found: self._show(found, wanted))

    def _show(self, found, wanted) -> None:
        choices, rows = found
        if choices is not None:
            self._fill_choices(choices)
        self._shown_filter = wanted  # what the next page continues, whatever the filters say meanwhile
        self.model.set_rows(rows)
        self._arrived(rows)
        self.empty.setText("The audit trail has no entries yet." if wanted == type(wanted)() else
                           "No entries match these filters. Clear the search or choose other filters.")
        show_rows(self.table, self.empty, bool(rows))
        if rows:
            for column in (WHEN, WHO, ACTION, RECORD):
                self.table.resizeColumnToContents(column)
            # The summary as wide as fits beside the changes, which keep room for their heading.
            beside = sum(self.table.columnWidth(column) for column in (WHEN, WHO, ACTION, RECORD))
            self.table.setColumnWidth(SUMMARY, max(MIN_SUMMARY, min(420, self.table.viewport().width() - beside
                                                                    - MIN_CHANGES)))

    def _read_older(self) -> None:
        """The next page, after the last entry shown (Qt asks when the list is scrolled to its end).
        A refresh (new filters, a save) supersedes it, and leaving the page drops it (`page_loader`)."""
        rows = self.model.rows()
        if self.workspace is None or not rows:
            return
        actor, last = self.actor, rows[-1]
        older = replace(self._shown_filter, limit=PAGE, older_than=(last.at, last.id))
        self.load_data(lambda ws: ws.audit_log.entries(actor, flt=older), self._append)

    def _append(self, rows) -> None:
        self.model.append_rows(rows)
        self._arrived(rows)

    def _arrived(self, rows) -> None:
        self.model.more = len(rows) == PAGE
        shown = self.model.rowCount()
        self.count_label.setText(f"{shown:,} newest entries; older ones load as you scroll down" if self.model.more
                                 else plural(shown, "entry"))

    def export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export audit trail", "arrs-desk-audit.csv", "CSV files (*.csv)")
        if not path:
            return
        def saved(count: int) -> None:
            QMessageBox.information(self, "Audit trail exported", f"{count} entries written to {path}.")
            self.refresh()  # the export's own entry

        actor, wanted = self.actor, replace(self.current_filter(), limit=1_000_000)
        Operation(self, lambda ws: ws.audit_log.export_csv(actor, path=path, flt=wanted)) \
            .progress_dialog("Exporting the audit trail…").success(saved).run_in_background()
