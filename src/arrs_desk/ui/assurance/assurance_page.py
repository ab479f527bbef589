"""Assurance: the PCN's ARRS staff against the Network Contract's checks, and the anonymous "what
matters to me" summary.

The checks open with the counts per check and every check not met with its reason (the
overview), then the person-by-check matrix with each person's reasons and the source of each
check. Every "not met" opens the person's record where the evidence is kept; the report (PDF)
and its CSV follow the same order."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QPushButton,
    QSplitter, QTableView, QTabWidget, QTextBrowser, QVBoxLayout, QWidget,
)

from arrs_desk.domain.assurance import CheckStatus
from arrs_desk.ui.assurance.assurance_links import link_text, open_evidence
from arrs_desk.ui.assurance.assurance_overview import AssuranceOverview
from arrs_desk.ui.common.changes import CHECKINS, STAFF
from arrs_desk.ui.common.enabled import set_enabled_with_reason
from arrs_desk.ui.common.error_display import problem, show_error, show_status
from arrs_desk.ui.common.list_page import size_columns_once, sized_by_first_rows
from arrs_desk.ui.common.operation import Operation
from arrs_desk.ui.common.icons import glyph_icon
from arrs_desk.ui.common.page import Page
from arrs_desk.ui.common.table_model import ROW_ROLE

FIXED = ("Name", "Role", "Practices")
# status value -> (badge symbol, tone): symbol and word carry the meaning, colour only helps.
STATUS_STYLE = {"met": ("✓", "good"), "not-met": ("×", "bad"), "na": ("–", "neutral")}
ALL = "__all__"
SUMMARY_TAB = 1
_Index = QModelIndex | QPersistentModelIndex


class AssuranceModel(QAbstractTableModel):
    """People by check; the row object is available under ROW_ROLE.

    Kept apart from `RowTableModel` (ui/common/table_model.py) because it is a pivot: its columns
    come from the data (a few fixed ones, then one per contract check), with header tooltips per
    check, and it is filled with checks and rows together (`set_data`)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.checks: tuple = ()
        self.rows: tuple = ()

    def set_data(self, checks, rows) -> None:
        self.beginResetModel()
        self.checks, self.rows = tuple(checks), tuple(rows)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(FIXED) + len(self.checks)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal:
            return None
        check = self.checks[section - len(FIXED)] if section >= len(FIXED) else None
        if role == Qt.ItemDataRole.DisplayRole:
            return FIXED[section] if check is None else check.short
        if role == Qt.ItemDataRole.ToolTipRole and check is not None:
            return f"{check.title}: {check.description}"
        return None

    def data(self, index: _Index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == ROW_ROLE:
            return row
        column = index.column()
        if column < len(FIXED):
            if role == Qt.ItemDataRole.DisplayRole:
                return (row.display_name, row.role_title, row.practices)[column]
            return None
        result = row.results[column - len(FIXED)]
        if role == Qt.ItemDataRole.DisplayRole:
            return result.status.label
        if role == Qt.ItemDataRole.DecorationRole:
            return glyph_icon(*STATUS_STYLE[result.status.value])
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleDescriptionRole):
            return f"{self.checks[column - len(FIXED)].title}: {result.status.label}. {result.reason}"
        return None


class SummaryModel(QAbstractTableModel):
    """Check-in answers by group: agreement per statement, or the suppression note.

    Kept apart from `RowTableModel` for the same reason as `AssuranceModel`: a pivot whose
    columns are the check-in statements, which arrive with the groups."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.statements: tuple = ()
        self.groups: list = []

    def set_data(self, statements, groups) -> None:
        self.beginResetModel()
        self.statements, self.groups = tuple(statements), list(groups)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.groups)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else 2 + len(self.statements)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section < 2:
                return ("Group", "Answers")[section]
            return self.statements[section - 2].short
        if role == Qt.ItemDataRole.ToolTipRole and section >= 2:
            return self.statements[section - 2].text
        return None

    def data(self, index: _Index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, ROW_ROLE):
            return None
        group = self.groups[index.row()]
        if role == ROW_ROLE:
            return group
        if index.column() == 0:
            return group.group
        if not group.shown:
            return group.note if index.column() == 1 else ""
        if index.column() == 1:
            return str(group.responses)
        key = self.statements[index.column() - 2].key
        if key not in group.averages:
            return ""
        if role == Qt.ItemDataRole.ToolTipRole:
            return (f"{round(group.agree_share[key] * 100)}% agree or strongly agree; "
                    f"average {group.averages[key]:.1f} of 5")
        return f"{round(group.agree_share[key] * 100)}% agree (avg {group.averages[key]:.1f})"


class AssurancePage(Page):
    title = "Assurance"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.matrix = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading("Assurance"))
        intro = QLabel("Are we meeting the ARRS role requirements? Each check is worked out from the records already "
                       "held here. Open a check that is not met to go to the record where it can be put right.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Assurance views")
        layout.addWidget(self.tabs, 1)
        self.tabs.addTab(self._build_checks_tab(), "Contract checks")
        self.tabs.addTab(self._build_summary_tab(), "What matters to staff")
        self.tabs.currentChanged.connect(lambda _: self.refresh())

    # --- building ---------------------------------------------------------------------
    def _build_checks_tab(self) -> QWidget:
        """Filters, then two views of the same people: the overview (counts per check and every
        check not met) and the person-by-check matrix."""
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(self._build_filters())
        self.views = QTabWidget()
        self.views.setDocumentMode(True)
        self.views.setAccessibleName("Contract check views")
        self.overview = AssuranceOverview()
        self.overview.open_requested.connect(lambda entry: self.open_record(entry.row, entry.evidence))
        self.views.addTab(self.overview, "Counts and checks not met")
        self.views.addTab(self._build_people_tab(), "By person")
        layout.addWidget(self.views, 1)
        return tab

    def _build_filters(self) -> QWidget:
        box = QWidget()
        filters = QHBoxLayout(box)
        filters.setContentsMargins(0, 0, 0, 0)
        self.practice_filter = QComboBox()
        self.practice_filter.setAccessibleName("Practice filter")
        self.role_filter = QComboBox()
        self.role_filter.setAccessibleName("Role filter")
        for combo in (self.practice_filter, self.role_filter):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for label, widget in (("&Practice:", self.practice_filter), ("&Role:", self.role_filter)):
            text = QLabel(label)
            text.setBuddy(widget)
            filters.addWidget(text)
            filters.addWidget(widget)
        filters.addStretch(1)
        self.pdf_button = QPushButton("Assurance report (PDF)…")
        self.pdf_button.setAccessibleName("Save the assurance report as PDF")
        self.csv_button = QPushButton("Export CSV…")
        self.csv_button.setAccessibleName("Export the assurance report as CSV")
        filters.addWidget(self.pdf_button)
        filters.addWidget(self.csv_button)
        self.practice_filter.currentIndexChanged.connect(self._apply_filters)
        self.role_filter.currentIndexChanged.connect(self._apply_filters)
        self.pdf_button.clicked.connect(lambda: self.export_pdf())
        self.csv_button.clicked.connect(lambda: self.export_csv())
        return box

    def _build_people_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(0, 6, 0, 0)
        top = QHBoxLayout()
        self.counts = QLabel()
        self.counts.setAccessibleName("People shown")
        self.unmet_only = QCheckBox("Only people with unmet checks")
        self.unmet_only.setAccessibleName("Only people with unmet checks")
        top.addWidget(self.counts, 1)
        top.addWidget(self.unmet_only)
        layout.addLayout(top)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.model = AssuranceModel(self)
        self.table = sized_by_first_rows(QTableView())
        self.table.setModel(self.model)
        self.table.setAccessibleName("Assurance matrix")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        splitter.addWidget(self.table)
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        self.detail = QTextBrowser()
        self.detail.setAccessibleName("Checks for the selected person")
        self.detail.setOpenLinks(False)
        self.detail.anchorClicked.connect(self._open_evidence)
        detail_layout.addWidget(self.detail, 1)
        self.cover_box = QCheckBox("Temporary cover (exempt from the six-month check)")
        self.cover_box.setAccessibleName("Temporary cover")
        set_enabled_with_reason(self.cover_box, False, "Select a person in the list first.")
        detail_layout.addWidget(self.cover_box)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([760, 340])
        layout.addWidget(splitter, 1)

        self.unmet_only.toggled.connect(self._apply_filters)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_detail())
        self.table.activated.connect(lambda *_: self.detail.setFocus())
        self.cover_box.clicked.connect(self._set_cover)
        return tab

    def _build_summary_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        note = QLabel("Check-in answers of the last 12 months, by group: the share who agree or strongly agree with "
                      "each statement (hover over a heading for the full statement). Answers are anonymous and join "
                      "a group's figures only in batches from at least five different people, so no one's answers "
                      "can be picked out, and the figures do not change each time someone answers.")
        note.setWordWrap(True)
        layout.addWidget(note)
        row = QHBoxLayout()
        label = QLabel("Group by:")
        self.group_by = QComboBox()
        self.group_by.setAccessibleName("Group check-ins by")
        self.group_by.addItem("Practice", "practice")
        self.group_by.addItem("Role", "role")
        label.setBuddy(self.group_by)
        row.addWidget(label)
        row.addWidget(self.group_by)
        row.addStretch(1)
        self.schedule_button = QPushButton("Check-in schedule…")
        self.schedule_button.setAccessibleName("Change the check-in schedule")
        self.schedule_button.clicked.connect(lambda: self.edit_schedule())
        row.addWidget(self.schedule_button)
        layout.addLayout(row)
        self.summary_model = SummaryModel(self)
        self.summary_table = QTableView()
        self.summary_table.setModel(self.summary_model)
        self.summary_table.setAccessibleName("Check-in summary")
        self.summary_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.summary_table.verticalHeader().hide()
        layout.addWidget(self.summary_table, 1)
        self.group_by.currentIndexChanged.connect(lambda _: self.refresh_summary())
        return tab

    # --- loading ----------------------------------------------------------------------
    def refresh(self) -> None:
        if self.workspace is None:
            return
        if self.tabs.currentIndex() == SUMMARY_TAB:
            self.refresh_summary()
            return
        actor = self.actor
        self.load_data(lambda ws: ws.assurance.matrix(actor), self.set_matrix)

    def set_matrix(self, matrix) -> None:
        self.matrix = matrix
        self._fill_filter(self.practice_filter, "All practices", matrix.practices)
        self._fill_filter(self.role_filter, "All ARRS roles", matrix.roles)
        self._apply_filters()

    @staticmethod
    def _fill_filter(combo: QComboBox, everyone: str, choices) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everyone, ALL)
        for value, label in choices:
            combo.addItem(label, value)
        found = combo.findData(current)
        combo.setCurrentIndex(found if found >= 0 else 0)
        combo.blockSignals(False)

    def _filters(self) -> dict:
        practice, role = self.practice_filter.currentData(), self.role_filter.currentData()
        return {"practice_id": None if practice in (ALL, None) else practice,
                "role_code": None if role in (ALL, None) else role}

    def _apply_filters(self) -> None:
        if self.matrix is None:
            return
        selected = self._selected()
        rows = self.workspace.assurance.filter_rows(matrix=self.matrix, **self._filters())
        self.overview.set_data(self.matrix.checks, rows)
        people = len(rows)
        if self.unmet_only.isChecked():
            rows = tuple(r for r in rows if r.has_unmet)
        self.model.set_data(self.matrix.checks, rows)
        # Once: a filter changed later keeps the widths. A check's cell is one of three words with its badge.
        size_columns_once(self.table, {column: 170 for column in range(len(FIXED))},
                          (status.label for status in CheckStatus), len(FIXED))
        unmet = sum(1 for r in rows if r.has_unmet)
        self.counts.setText(f"{people} ARRS staff in post shown; {unmet} with at least one unmet check."
                            if people else "No ARRS staff in post match these filters.")
        if selected is not None:
            for index, row in enumerate(rows):
                if row.staff_id == selected:
                    self.table.selectRow(index)
                    break
        self._show_detail()

    def _selected(self):
        index = self.table.currentIndex()
        return index.data(ROW_ROLE).staff_id if index.isValid() and index.data(ROW_ROLE) else None

    def _show_detail(self) -> None:
        index = self.table.currentIndex()
        row = index.data(ROW_ROLE) if index.isValid() else None
        set_enabled_with_reason(self.cover_box, row is not None, "Select a person in the list first.")
        if row is None:
            self.detail.setHtml("<p>Select a person to see each check, why it is or is not met, "
                                "and where to find the evidence.</p>")
            return
        from html import escape

        parts = [f"<h3>{escape(row.display_name)}</h3><p>{escape(row.role_title)}<br>{escape(row.practices)}</p>"]
        for check, result in zip(self.matrix.checks, row.results):
            symbol = STATUS_STYLE[result.status.value][0]
            parts.append(f"<p><b>{symbol} {escape(result.status.label)}: {escape(check.title)}</b><br>"
                         f"{escape(result.reason)}<br>"
                         f"<a href='evidence:{escape(result.evidence)}'>{escape(link_text(result.evidence))}</a><br>"
                         f"<small>Source: {escape(check.source)}</small></p>")
        self.detail.setHtml("".join(parts))
        self.cover_box.blockSignals(True)
        self.cover_box.setChecked(row.temporary_cover)
        self.cover_box.blockSignals(False)

    def _open_evidence(self, url) -> None:
        index = self.table.currentIndex()
        row = index.data(ROW_ROLE) if index.isValid() else None
        if row is not None:
            self.open_record(row, url.toString().removeprefix("evidence:"))

    def open_record(self, row, evidence: str) -> bool:
        """Open the person's record where the evidence is kept; what they change there shows here
        when the record closes (the page follows every area: `changes.EVERYTHING`)."""
        return open_evidence(self, self.workspace, self.actor, row, evidence)

    def _set_cover(self, checked: bool) -> None:
        staff_id = self._selected()
        if staff_id is None:
            return
        cover = Operation(self, lambda ws: ws.assurance.set_temporary_cover(self.actor, staff_id=staff_id,
                                                                            temporary_cover=checked))
        if not cover.changes(STAFF).run():
            self.cover_box.setChecked(not checked)

    def set_context(self, workspace, actor) -> None:
        super().set_context(workspace, actor)
        from arrs_desk.domain.permissions import Action, denial

        self.schedule_button.setVisible(actor is not None and denial(actor.roles, Action.MANAGE_SETTINGS) is None)

    def edit_schedule(self) -> bool:
        """Administrators: the months in post at which check-ins fall, and the repeat after the last."""
        from PySide6.QtWidgets import QInputDialog

        current = self.workspace.assurance.schedule()
        text, ok = QInputDialog.getText(self, "Check-in schedule", "Months in post, separated by commas:",
                                        text=", ".join(map(str, current.months)))
        if not ok:
            return False
        repeat, ok = QInputDialog.getInt(self, "Check-in schedule", "Then repeat every this many months (0: never):",
                                         current.repeat_every, 0, 60)
        if not ok:
            return False
        try:
            months = [int(part) for part in text.replace(";", ",").split(",") if part.strip()]
        except ValueError:
            show_error(self, problem("Check-in schedule", "Give whole numbers of months, such as 1, 3, 6, 12."))
            return False
        return Operation(self, lambda ws: ws.assurance.set_schedule(
            self.actor, months=months, repeat_every=repeat, expected_version=current.version)).changes(CHECKINS).run()

    def refresh_summary(self) -> None:
        if self.workspace is None:
            return
        by = self.group_by.currentData()
        Operation(self, lambda ws: ws.assurance.checkin_summary(self.actor, by=by)).success(self._show_summary).run()

    def _show_summary(self, groups) -> None:
        from arrs_desk.domain.assurance import builtin_checkins

        self.summary_model.set_data(builtin_checkins().statements, groups)
        self.summary_table.resizeColumnsToContents()

    # --- exports ----------------------------------------------------------------------
    def _save_path(self, caption: str, name: str, file_filter: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(self, caption, name, file_filter)
        return path or None

    def _save(self, fn, path: str) -> None:
        """Have the service write (and audit) the report in the background; say where it went."""
        Operation(self, fn).progress_dialog("Saving the assurance report…") \
            .success(lambda _saved: show_status(self, f"Saved the assurance report to {path}", 6000)) \
            .run_in_background()

    def export_pdf(self) -> str | None:
        """Ask where, then save the report as a PDF; returns the path it is being saved to."""
        if self.matrix is None:
            return None
        path = self._save_path("Save the assurance report", f"arrs-assurance-{self.matrix.today:%Y-%m-%d}.pdf",
                               "PDF files (*.pdf)")
        if not path:
            return None
        actor, filters = self.actor, self._filters()
        self._save(lambda ws: ws.exports.assurance_pdf(actor, path=path, **filters), path)
        return path

    def export_csv(self) -> str | None:
        if self.matrix is None:
            return None
        path = self._save_path("Export the assurance report", f"arrs-assurance-{self.matrix.today:%Y-%m-%d}.csv",
                               "CSV files (*.csv)")
        if not path:
            return None
        actor, matrix, filters = self.actor, self.matrix, self._filters()
        self._save(lambda ws: ws.assurance.export_report_csv(actor, path=path, matrix=matrix, **filters), path)
        return path
