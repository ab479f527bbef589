"""The Supervision page: the matrix of who is supervised for what, where ARRS staff are
deployed and who supervises them there, and how much supervision each supervisor gives."""

from __future__ import annotations

from collections import Counter
from datetime import time
from itertools import chain
from operator import attrgetter

from PySide6.QtCore import QModelIndex, Qt, QTime
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFileDialog,
    QHBoxLayout, QHeaderView, QLabel, QMessageBox, QRadioButton, QSpinBox, QTableView,
    QTabWidget, QTimeEdit, QVBoxLayout, QWidget,
)

from arrs_desk.ui.common.text import plural, plural_word
from arrs_desk.ui.common.date_edit import DateEdit
from arrs_desk.ui.common.error_display import show_status
from arrs_desk.ui.common.operation import Operation
from arrs_desk.ui.common.page import Page
from arrs_desk.ui.supervision.supervision_model import (
    NAME, NEEDS_ACTION, NEEDS_ACTION_STATUSES, ROW_ROLE, Column, MatrixFilterProxy, MatrixModel, RowsModel,
    status_icon, uk_date,
)
from arrs_desk.ui.common.frozen_column import keep_first_column_in_view
from arrs_desk.ui.common.list_page import FilterBar, empty_label, list_tab, sized_by_first_rows
from arrs_desk.ui.common.widgets import arrs_only_checkbox, make_button, make_combo, make_search
from arrs_desk.ui.common.dates import pydate, qdate
from arrs_desk.domain.dates import months_window_start

ALL = None
_STATUS, _CELLS = attrgetter("status"), attrgetter("cells")
NAME_WIDTH = 215
TYPE_WIDTH = 168

def _short(type_title: str) -> str:
    """'Safeguarding supervision' -> 'Safeguarding': the column already says it is supervision."""
    return type_title.removesuffix(" supervision").removesuffix(" review")


DEPLOYMENT_COLUMNS = (
    Column("Name", lambda p: p.display_name),
    Column("Role", lambda p: p.role_title),
    Column("Employment", lambda p: p.employment),
    Column("Clinical supervision", lambda p: "; ".join(f"{s.supervisor} ({s.status_label})" for s in p.clinical)
           or ("Not arranged" if "clinical" in p.not_arranged else "Not required"),
           icon=lambda p: status_icon(p.clinical[0].status if p.clinical else
                                      "not-arranged" if "clinical" in p.not_arranged else "")),
    Column("Other supervision", lambda p: "\n".join(f"{_short(s.type_title)}: {s.supervisor} ({s.status_label})"
                                                    for s in p.other)),
    Column("Also works at", lambda p: p.other_practices),
    Column("Line manager", lambda p: p.line_manager),
)

LOAD_COLUMNS = (
    Column("Supervisor", lambda r: r.supervisor),
    Column("Role or organisation", lambda r: r.detail + (" (external)" if r.external else "")),
    Column("Sessions", lambda r: str(r.sessions), sort=lambda r: r.sessions, align_right=True),
    Column("People supervised", lambda r: str(r.people), sort=lambda r: r.people, align_right=True),
    Column("Hours", lambda r: f"{r.hours:.2f}", sort=lambda r: r.hours, align_right=True),
)


def _plain_table(model, accessible: str) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(accessible)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    return view


class CalendarExportDialog(QDialog):
    """All-day events on the due date, or events at a set time of day."""

    def __init__(self, count: int, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Export due supervision to a calendar")
        intro = QLabel(f"Creates a calendar file (.ics) with the next due supervision for the {plural(count, 'person')} "
                       "shown in the matrix. Outlook, Google Calendar and "
                       "Apple Calendar can import it; overdue supervision is placed on today.")
        intro.setWordWrap(True)
        self.all_day = QRadioButton("All-day events on the due date")
        self.all_day.setAccessibleName("All-day events")
        self.all_day.setChecked(True)
        self.timed = QRadioButton("Events at a time of day:")
        self.timed.setAccessibleName("Events at a time of day")
        self.at = QTimeEdit(QTime(9, 0))
        self.at.setAccessibleName("Time of day")
        self.at.setDisplayFormat("HH:mm")
        self.minutes = QSpinBox()
        self.minutes.setAccessibleName("Event length in minutes")
        self.minutes.setRange(15, 240)
        self.minutes.setSingleStep(15)
        self.minutes.setValue(60)
        self.minutes.setSuffix(" minutes")
        timed_row = QHBoxLayout()
        for w in (self.timed, self.at, self.minutes):
            timed_row.addWidget(w)
        timed_row.addStretch(1)
        self.timed.toggled.connect(self.at.setEnabled)
        self.timed.toggled.connect(self.minutes.setEnabled)
        self.at.setEnabled(False)
        self.minutes.setEnabled(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.all_day)
        layout.addLayout(timed_row)
        layout.addWidget(buttons)

    def choice(self) -> tuple[time | None, int]:
        if self.all_day.isChecked():
            return None, self.minutes.value()
        value = self.at.time()
        return time(value.hour(), value.minute()), self.minutes.value()


class SupervisionPage(Page):
    title = "Supervision"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.model = MatrixModel(self)
        self.proxy = MatrixFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.deployment = None
        self.load = None
        self._loaded_tabs: set[int] = set()

        self.count_label = QLabel()
        self.count_label.setAccessibleName("Number of people shown")
        top = QHBoxLayout()
        top.addWidget(self.heading("Supervision"))
        top.addSpacing(12)
        top.addWidget(self.count_label, 1)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Supervision views")
        self.tabs.addTab(self._matrix_tab(), "Matrix")
        self.tabs.addTab(self._deployment_tab(), "Where deployed")
        self.tabs.addTab(self._load_tab(), "Supervisor load")
        self.tabs.currentChanged.connect(self._tab_changed)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)

    # --- building -----------------------------------------------------------------------
    def _matrix_tab(self) -> QWidget:
        self.search = make_search("Search by name, role or practice", "Search the supervision matrix")
        self.practice_filter = make_combo("Filter by practice")
        self.role_filter = make_combo("Filter by role")
        self.status_filter = make_combo("Filter by status")
        self.arrs_only = arrs_only_checkbox()
        filters = self.filters = FilterBar(self.search, (self.practice_filter, self.role_filter, self.status_filter),
                                           (self.arrs_only,))

        self.summary = QLabel()
        self.summary.setAccessibleName("Summary of supervision needing action")
        self.summary.setWordWrap(True)
        self.open_button = make_button("Open…", "Open the selected person's supervision")
        self.csv_button = make_button("CSV…", "Export the matrix as CSV")
        self.xlsx_button = make_button("Excel…", "Export the matrix as an Excel workbook for printing")
        self.ics_button = make_button("Calendar…", "Export due supervision as a calendar file")
        self.settings_button = make_button("Settings…", "Expected frequencies and due soon warning")
        actions = QHBoxLayout()
        actions.addWidget(self.summary, 1)
        for button in (self.open_button, self.csv_button, self.xlsx_button, self.ics_button, self.settings_button):
            actions.addWidget(button)

        self.table = sized_by_first_rows(QTableView())
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Supervision matrix")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setIconSize(self.table.iconSize().expandedTo(self.table.iconSize()))
        self.table.verticalHeader().hide()
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().lineSpacing() * 2 + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setMinimumSectionSize(60)
        header.setSortIndicator(NAME, Qt.SortOrder.AscendingOrder)
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)
        header.sectionClicked.connect(self._sort_by)
        self.table.activated.connect(self._open_index)  # Enter and double-click (see list_table)
        keep_first_column_in_view(self.table)  # nine types are wider than a laptop: the names stay put

        self.empty = empty_label("Why the matrix is empty")

        filters.changed.connect(self._apply_filters)
        self.open_button.clicked.connect(self._open_selected)
        self.csv_button.clicked.connect(lambda: self.export_matrix("csv"))
        self.xlsx_button.clicked.connect(lambda: self.export_matrix("xlsx"))
        self.ics_button.clicked.connect(self.export_calendar)
        self.settings_button.clicked.connect(self.open_settings)
        return list_tab(filters, actions, self.table, self.empty)

    def _deployment_tab(self) -> QWidget:
        self.deploy_practice = make_combo("Practice")
        self.deploy_summary = QLabel()
        self.deploy_summary.setAccessibleName("Practice summary")
        self.deploy_pdf_button = make_button("PDF for this practice…", "Export this practice's page as PDF")
        self.deploy_all_button = make_button("PDF for all practices…", "Export one page per practice as PDF")
        self.deploy_csv_button = make_button("CSV…", "Export where ARRS staff are deployed as CSV")
        self.deploy_model = RowsModel(DEPLOYMENT_COLUMNS, self)
        self.deploy_table = _plain_table(self.deploy_model, "ARRS staff working at the practice")
        self.deploy_table.setWordWrap(True)
        self.deploy_table.activated.connect(  # Enter and double-click (see list_table)
            lambda index: self.open_person(index.data(ROW_ROLE).staff_id) if index.isValid() else None)
        row = QHBoxLayout()
        label = QLabel("&Practice")
        label.setBuddy(self.deploy_practice)
        row.addWidget(label)
        row.addWidget(self.deploy_practice, 1)
        for button in (self.deploy_pdf_button, self.deploy_all_button, self.deploy_csv_button):
            row.addWidget(button)
        self.deploy_practice.currentIndexChanged.connect(self._show_practice)
        self.deploy_pdf_button.clicked.connect(lambda: self.export_deployment_pdf(all_practices=False))
        self.deploy_all_button.clicked.connect(lambda: self.export_deployment_pdf(all_practices=True))
        self.deploy_csv_button.clicked.connect(self.export_deployment_csv)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addLayout(row)
        layout.addWidget(self.deploy_summary)
        layout.addWidget(self.deploy_table, 1)
        return tab

    def _load_tab(self) -> QWidget:
        self.load_from = DateEdit()
        self.load_to = DateEdit()
        for edit, name in ((self.load_from, "Period from"), (self.load_to, "Period to")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
            edit.setAccessibleName(name)
        self.load_button = make_button("Show", "Show supervisor load for the period")
        self.load_csv_button = make_button("CSV…", "Export supervisor load as CSV")
        self.load_total = QLabel()
        self.load_total.setAccessibleName("Total hours of supervision")
        self.load_total.setWordWrap(True)
        self.load_model = RowsModel(LOAD_COLUMNS, self)
        self.load_table = _plain_table(self.load_model, "Hours of supervision by supervisor")
        self.load_table.horizontalHeader().setStretchLastSection(False)
        self.load_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        row = QHBoxLayout()
        for text, edit in (("&From", self.load_from), ("&to", self.load_to)):
            label = QLabel(text)
            label.setBuddy(edit)
            row.addWidget(label)
            row.addWidget(edit)
        row.addWidget(self.load_button)
        row.addStretch(1)
        row.addWidget(self.load_csv_button)
        self.load_button.clicked.connect(self.refresh_load)
        self.load_csv_button.clicked.connect(self.export_load_csv)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addLayout(row)
        layout.addWidget(self.load_total)
        layout.addWidget(self.load_table, 1)
        return tab

    # --- data ---------------------------------------------------------------------------
    def set_context(self, workspace, actor) -> None:
        super().set_context(workspace, actor)
        today = workspace.today()
        self.load_to.setDate(qdate(today))
        self.load_from.setDate(qdate(months_window_start(today, 12)))  # the year to today: 01/03/2027 on 29/02/2028
        from arrs_desk.domain.permissions import Action, denial

        admin = (denial(actor.roles, Action.MANAGE_TEMPLATES) is None
                 or denial(actor.roles, Action.MANAGE_SETTINGS) is None)
        self.settings_button.setVisible(admin)
        self._loaded_tabs.clear()

    def refresh(self) -> None:
        if self.workspace is None:
            return
        self._loaded_tabs = {0}  # the other tabs read again when next shown
        if self.tabs.currentIndex():
            self._tab_changed(self.tabs.currentIndex())
        actor = self.actor
        self.load_data(lambda ws: ws.supervision.matrix(actor), self.set_matrix)

    def set_matrix(self, matrix) -> None:
        selected = self.selected_staff_id()
        first_time = self.model.matrix is None
        self.model.set_matrix(matrix)
        if first_time or self.model.columnCount() != self.table.horizontalHeader().count():
            from arrs_desk.ui.common.theme import layout_scale

            scale = layout_scale(self)  # larger text, wider columns
            self.table.setColumnWidth(NAME, int(NAME_WIDTH * scale))
            for column in range(1, self.model.columnCount()):
                self.table.setColumnWidth(column, int(TYPE_WIDTH * scale))
        self._refill_filters(matrix)
        self._apply_filters()
        if selected is not None:
            self.select_staff(selected)

    def _refill_filters(self, matrix) -> None:
        def refill(combo: QComboBox, all_text: str, items: list[tuple[str, object]]) -> None:
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(all_text, ALL)
            for text, value in items:
                combo.addItem(text, value)
            index = combo.findData(current)
            combo.setCurrentIndex(index if index >= 0 else 0)
            combo.blockSignals(False)

        practices: dict[int, str] = {}
        for row in matrix.rows:
            for pid, name in zip(row.practice_ids, row.practices.split(", ")):
                practices[pid] = name
        refill(self.practice_filter, "All practices", sorted(((n, i) for i, n in practices.items())))
        refill(self.role_filter, "All roles", sorted({(row.role_title, row.role_code) for row in matrix.rows}))
        statuses = [("Needs action", NEEDS_ACTION)] + [(label, value) for value, label in matrix.statuses
                                                      if value != "not-applicable"]
        refill(self.status_filter, "Any status", statuses)

    def _apply_filters(self) -> None:
        self.proxy.set_filters(words=self.search.text(), practice_id=self.practice_filter.currentData(),
                               role_code=self.role_filter.currentData(), status=self.status_filter.currentData(),
                               arrs_only=self.arrs_only.isChecked())
        self._update_summary()

    def _sort_by(self, column: int) -> None:
        header = self.table.horizontalHeader()
        self.proxy.sort(column, header.sortIndicatorOrder())

    def _update_summary(self) -> None:
        if self.model.matrix is None:  # a search typed before the first read arrived: nothing to count yet
            return
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count_label.setText(f"{shown:,} of {plural(total, 'person')} shown" if shown != total
                                 else plural(total, "person"))
        # Counted in C (`Counter` over `map`): a Python step per cell held the window up at 10,000 staff.
        tally = Counter(map(_STATUS, chain.from_iterable(map(_CELLS, self.proxy.shown_rows()))))
        counts = {str(status): n for status, n in tally.items()}
        labels = {str(value): label for value, label in self.model.matrix.statuses}
        order = ["not-arranged", "supervisor-left", "never-held", "overdue", "due-soon"]
        parts = [f"{counts[s]} {labels[s].lower()}" for s in order if counts.get(s)]
        action = sum(counts.get(s, 0) for s in NEEDS_ACTION_STATUSES)
        if not shown:
            self.summary.setText("")
        elif parts:
            self.summary.setText(f"<b>{plural(action, 'item')} {plural_word(action, 'needs')} action</b>: "
                                 + " · ".join(parts)
                                 + f" · {counts.get('in-date', 0)} in date")
        else:
            self.summary.setText(f"Everything shown is in date ({counts.get('in-date', 0)} arrangements).")
        self._update_empty(shown, total)

    def _update_empty(self, shown: int, total: int) -> None:
        if shown:
            self.empty.hide()
            self.table.show()
            return
        if total == 0:
            self.empty.setText("No staff to show yet. Add staff on the Staff page; their supervision appears here.")
        else:
            self.empty.setText(self.filters.no_match_text())
        self.table.hide()
        self.empty.show()

    # --- selection and opening ----------------------------------------------------------
    def selected_staff_id(self) -> int | None:
        index = self.table.currentIndex()
        return index.data(ROW_ROLE).staff_id if index.isValid() else None

    def select_staff(self, staff_id: int) -> None:
        for r in range(self.proxy.rowCount()):
            index = self.proxy.index(r, self.table.currentIndex().column() if self.table.currentIndex().isValid() else 0)
            if index.data(ROW_ROLE).staff_id == staff_id:
                self.table.setCurrentIndex(index)
                self.table.scrollTo(index)
                return

    def index_for(self, staff_id: int, type_code: str | None = None) -> QModelIndex:
        column = NAME
        if type_code is not None and self.model.matrix is not None:
            column = 1 + [t.code for t in self.model.matrix.types].index(type_code)
        for r in range(self.proxy.rowCount()):
            index = self.proxy.index(r, column)
            if index.data(ROW_ROLE).staff_id == staff_id:
                return index
        return QModelIndex()

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_person(index.data(ROW_ROLE).staff_id)

    def _open_selected(self) -> None:
        staff_id = self.selected_staff_id()
        if staff_id is None:
            QMessageBox.information(self, "Supervision", "Select a person in the matrix first.")
            return
        self.open_person(staff_id)

    def open_person(self, staff_id: int):
        from arrs_desk.ui.supervision.supervision_person import PersonSupervisionDialog

        dialog = PersonSupervisionDialog(self.workspace, self.actor, staff_id, parent=self)
        if dialog.person is None:
            return None
        dialog.exec()  # what it changed shows here already (changes.SUPERVISION)
        if dialog.changed:
            self.select_staff(staff_id)
        return dialog

    def open_settings(self) -> None:
        from arrs_desk.ui.supervision.supervision_settings import ExpectedFrequenciesDialog

        ExpectedFrequenciesDialog(self.workspace, self.actor, parent=self).exec()

    # --- other tabs ---------------------------------------------------------------------
    def _tab_changed(self, index: int) -> None:
        if self.workspace is None or index in self._loaded_tabs:
            return
        if index == 1:
            self.refresh_deployment()
        elif index == 2:
            self.refresh_load()

    def refresh_deployment(self) -> None:
        found = Operation(self, lambda ws: ws.supervision.deployment(self.actor))
        if not found.run():
            return
        report = self.deployment = found.result
        self._loaded_tabs.add(1)
        current = self.deploy_practice.currentData()
        self.deploy_practice.blockSignals(True)
        self.deploy_practice.clear()
        for practice in report.practices:
            self.deploy_practice.addItem(f"{practice.name} ({practice.ods_code})", practice.practice_id)
        self.deploy_practice.setCurrentIndex(max(self.deploy_practice.findData(current), 0))
        self.deploy_practice.blockSignals(False)
        self._show_practice()

    def _current_practice(self):
        if self.deployment is None:
            return None
        practice_id = self.deploy_practice.currentData()
        return next((p for p in self.deployment.practices if p.practice_id == practice_id), None)

    def _show_practice(self, *_args) -> None:
        practice = self._current_practice()
        self.deploy_model.set_rows(practice.people if practice else [])
        if practice is None:
            self.deploy_summary.setText("There are no active practices yet.")
            return
        missing = practice.without_clinical_supervisor
        count = len(practice.people)
        self.deploy_summary.setText(
            f"{plural(count, 'ARRS staff member')} {plural_word(count, 'works')} at {practice.name}. "
            + (f"<b>{missing} {plural_word(missing, 'needs')} a clinical supervisor named.</b>" if missing
               else "Everyone who needs clinical supervision has a supervisor named."))
        self.deploy_table.resizeColumnsToContents()
        for column in range(self.deploy_model.columnCount()):
            self.deploy_table.setColumnWidth(column, min(self.deploy_table.columnWidth(column) + 12, 320))
        self.deploy_table.resizeRowsToContents()

    def refresh_load(self) -> None:
        if self.workspace is None:
            return
        start, end = pydate(self.load_from.date()), pydate(self.load_to.date())
        found = Operation(self, lambda ws: ws.supervision.supervisor_load(self.actor, start=start, end=end))
        if not found.run():
            return
        load = self.load = found.result
        self._loaded_tabs.add(2)
        self.load_model.set_rows(load.rows)
        self.load_table.resizeColumnsToContents()
        people = len(load.rows)
        partly = (f" {plural(load.partly_seen_groups, 'group session')} also included people outside those you "
                  "may see: only your people's share of that time is counted here."
                  if load.partly_seen_groups else "")
        self.load_total.setText(
            f"<b>{load.total_hours:.2f} hours</b> of supervision given by {plural(people, 'supervisor')} "
            f"between {uk_date(load.start)} and {uk_date(load.end)}. Group sessions count once for the supervisor; "
            f"this time is often unfunded, so it is worth agreeing with practices.{partly}" if people else
            f"No supervision sessions are logged between {uk_date(load.start)} and {uk_date(load.end)}.")

    # --- exports ------------------------------------------------------------------------
    def _save_path(self, caption: str, name: str, file_filter: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(self, caption, name, file_filter)
        return path or None

    def _export(self, what: str, write, path: str) -> str | None:
        """Have the file-export service write and audit the file in the background (`write(exports,
        actor)`), then say where it went; returns the path it is being saved to."""
        actor = self.actor
        Operation(self, lambda ws: write(ws.exports, actor)).progress_dialog(f"Saving the {what}…") \
            .success(lambda saved: show_status(self, f"Saved the {what} to {saved.path}", 6000)).run_in_background()
        return path

    def export_matrix(self, kind: str) -> str | None:
        matrix = self.model.matrix
        if matrix is None:
            return None
        stamp = f"{matrix.today:%Y-%m-%d}"
        if kind == "csv":
            path = self._save_path("Export the supervision matrix", f"supervision-matrix-{stamp}.csv", "CSV files (*.csv)")
        else:
            path = self._save_path("Export the supervision matrix", f"supervision-matrix-{stamp}.xlsx",
                                   "Excel workbooks (*.xlsx)")
        if not path:
            return None
        shown = [r.staff_id for r in self.proxy.shown_rows()]
        return self._export("matrix", lambda exports, actor: exports.supervision_matrix(
            actor, path=path, file_format=kind, staff_ids=shown), path)

    def export_calendar(self) -> str | None:
        rows = self.proxy.shown_rows()
        if not rows:
            QMessageBox.information(self, "Calendar", "No one is shown in the matrix, so there is nothing to export.")
            return None
        dialog = CalendarExportDialog(len(rows), self)
        if not dialog.exec():
            return None
        at, minutes = dialog.choice()
        path = self._save_path("Export due supervision", f"supervision-due-{self.workspace.today():%Y-%m-%d}.ics",
                               "Calendar files (*.ics)")
        if not path:
            return None
        shown = [r.staff_id for r in rows]
        return self._export("calendar", lambda exports, actor: exports.supervision_calendar(
            actor, path=path, staff_ids=shown, at=at, duration_minutes=minutes), path)

    def export_deployment_pdf(self, *, all_practices: bool) -> str | None:
        if self.deployment is None:
            self.refresh_deployment()
        practice = self._current_practice()
        if self.deployment is None or (not all_practices and practice is None):
            return None
        name = "where-deployed" if all_practices else f"where-deployed-{practice.ods_code}"
        path = self._save_path("Export where ARRS staff are deployed", f"{name}-{self.deployment.generated_on:%Y-%m-%d}.pdf",
                               "PDF documents (*.pdf)")
        if not path:
            return None
        practice_id = None if all_practices else practice.practice_id
        return self._export("PDF", lambda exports, actor: exports.deployment_pdf(actor, path=path,
                                                                                 practice_id=practice_id), path)

    def export_deployment_csv(self) -> str | None:
        if self.deployment is None:
            self.refresh_deployment()
        if self.deployment is None:
            return None
        path = self._save_path("Export where ARRS staff are deployed",
                               f"where-deployed-{self.deployment.generated_on:%Y-%m-%d}.csv", "CSV files (*.csv)")
        if not path:
            return None
        return self._export("list", lambda exports, actor: exports.deployment_csv(actor, path=path), path)

    def export_load_csv(self) -> str | None:
        if self.load is None:
            self.refresh_load()
        if self.load is None:
            return None
        path = self._save_path("Export supervisor load", f"supervisor-load-{self.load.start:%Y-%m-%d}-to-"
                               f"{self.load.end:%Y-%m-%d}.csv", "CSV files (*.csv)")
        if not path:
            return None
        start, end = self.load.start, self.load.end
        return self._export("supervisor load", lambda exports, actor: exports.supervisor_load_csv(
            actor, path=path, start=start, end=end), path)
