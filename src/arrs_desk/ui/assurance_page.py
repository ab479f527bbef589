"""Assurance: the PCN's ARRS staff against the Network Contract's checks (filter, detail with the
reasons and where the evidence is, PDF and CSV), and the anonymous "what matters to me" summary."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QMessageBox,
    QPushButton, QSplitter, QTableView, QTabWidget, QTextBrowser, QVBoxLayout, QWidget,
)

from arrs_desk.ui.common.enabled import set_enabled_with_reason
from arrs_desk.ui.icons import glyph_icon
from arrs_desk.ui.operations import Failed, run_service
from arrs_desk.ui.page import Page

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
FIXED = ("Name", "Role", "Practices")
# status value -> (badge symbol, tone): symbol and word carry the meaning, colour only helps.
STATUS_STYLE = {"met": ("✓", "good"), "not-met": ("×", "bad"), "na": ("–", "neutral")}
ALL = "__all__"
_Index = QModelIndex | QPersistentModelIndex


class AssuranceModel(QAbstractTableModel):
    """People by check; the row object is available under ROW_ROLE."""

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
    """Check-in answers by group: agreement per statement, or the suppression note."""

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
                return ("Group", "People")[section]
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
            return str(group.people)
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
                       "held here. Select a person to see why a check is not met and where the evidence is.")
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
        tab = QWidget()
        layout = QVBoxLayout(tab)
        filters = QHBoxLayout()
        self.practice_filter = QComboBox()
        self.practice_filter.setAccessibleName("Practice filter")
        self.role_filter = QComboBox()
        self.role_filter.setAccessibleName("Role filter")
        for combo in (self.practice_filter, self.role_filter):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.unmet_only = QCheckBox("Only people with unmet checks")
        self.unmet_only.setAccessibleName("Only people with unmet checks")
        for label, widget in (("Practice:", self.practice_filter), ("Role:", self.role_filter)):
            text = QLabel(label)
            text.setBuddy(widget)
            filters.addWidget(text)
            filters.addWidget(widget)
        filters.addWidget(self.unmet_only)
        filters.addStretch(1)
        self.pdf_button = QPushButton("Assurance report (PDF)…")
        self.pdf_button.setAccessibleName("Save the assurance report as PDF")
        self.csv_button = QPushButton("Export CSV…")
        self.csv_button.setAccessibleName("Export the assurance matrix as CSV")
        filters.addWidget(self.pdf_button)
        filters.addWidget(self.csv_button)
        layout.addLayout(filters)
        self.counts = QLabel()
        self.counts.setAccessibleName("Assurance counts")
        layout.addWidget(self.counts)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.model = AssuranceModel(self)
        self.table = QTableView()
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
        layout.addWidget(splitter, 1)

        self.practice_filter.currentIndexChanged.connect(self._apply_filters)
        self.role_filter.currentIndexChanged.connect(self._apply_filters)
        self.unmet_only.toggled.connect(self._apply_filters)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_detail())
        self.cover_box.clicked.connect(self._set_cover)
        self.pdf_button.clicked.connect(lambda: self.export_pdf())
        self.csv_button.clicked.connect(lambda: self.export_csv())
        return tab

    def _build_summary_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        note = QLabel("Each person's latest check-in, by group: the share who agree or strongly agree with each "
                      "statement (hover over a heading for the full statement). Groups with fewer than five people who answered are "
                      "never shown, so no one's answers can be picked out. Comments stay private to the person.")
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
        if self.tabs.currentIndex() == 1:
            self.refresh_summary()
            return
        matrix = run_service(self, self.workspace.assurance.matrix, self.actor)
        if isinstance(matrix, Failed):
            return
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
        rows = self.workspace.assurance.filter_rows(self.matrix, **self._filters())
        people = len(rows)
        if self.unmet_only.isChecked():
            rows = tuple(r for r in rows if r.unmet)
        self.model.set_data(self.matrix.checks, rows)
        self.table.resizeColumnsToContents()
        for column in range(len(FIXED)):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), 220))
        unmet = sum(1 for r in rows if r.unmet)
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

        parts = [f"<h3>{escape(row.display_name)}</h3><p>{escape(row.role_title)}<br>{escape(row.practices)}</p><table>"]
        for check, result in zip(self.matrix.checks, row.results):
            symbol = STATUS_STYLE[result.status.value][0]
            parts.append(f"<tr><td valign='top'><b>{symbol} {escape(result.status.label)}</b></td>"
                         f"<td><b>{escape(check.title)}</b><br>{escape(result.reason)}<br>"
                         f"<a href='evidence:{escape(result.evidence)}'>Open {escape(result.evidence)}</a></td></tr>")
        parts.append("</table>")
        if self.matrix.impact_log_available and self._page_exists("Reviews"):
            parts.append("<p><a href='evidence:Reviews'>Open the impact log and reviews</a></p>")
        self.detail.setHtml("".join(parts))
        self.cover_box.blockSignals(True)
        self.cover_box.setChecked(row.temporary_cover)
        self.cover_box.blockSignals(False)

    def _page_exists(self, title: str) -> bool:
        window = self.window()
        return title == "Staff" or any(spec.title == title for spec in getattr(window, "specs", ()))

    def _open_evidence(self, url) -> None:
        """Go to the page holding the record: the staff editor for the staff record, else the page."""
        title = url.toString().removeprefix("evidence:")
        window = self.window()
        staff_id = self._selected()
        if title == "Staff" and staff_id is not None and hasattr(window, "edit_staff"):
            window.edit_staff(staff_id)
        elif self._page_exists(title) and hasattr(window, "show_page"):
            window.show_page(title)
        else:
            QMessageBox.information(self, "Not available", f"The {title} page is not available to you here.")

    def _set_cover(self, checked: bool) -> None:
        staff_id = self._selected()
        if staff_id is None:
            return
        done = run_service(self, self.workspace.assurance.set_temporary_cover, self.actor, staff_id=staff_id,
                           temporary_cover=checked)
        if isinstance(done, Failed):
            self.cover_box.setChecked(not checked)
            return
        self.refresh()

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
            QMessageBox.warning(self, "Check-in schedule", "Give whole numbers of months, such as 1, 3, 6, 12.")
            return False
        saved = run_service(self, self.workspace.assurance.set_schedule, self.actor, months=months,
                            repeat_every=repeat, expected_version=current.version)
        return not isinstance(saved, Failed)

    def refresh_summary(self) -> None:
        if self.workspace is None:
            return
        groups = run_service(self, self.workspace.assurance.checkin_summary, self.actor, by=self.group_by.currentData())
        if isinstance(groups, Failed):
            return
        from arrs_desk.domain.assurance import builtin_checkins

        self.summary_model.set_data(builtin_checkins().statements, groups)
        self.summary_table.resizeColumnsToContents()

    # --- exports ----------------------------------------------------------------------
    def _save_path(self, caption: str, name: str, file_filter: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(self, caption, name, file_filter)
        return path or None

    def _saved(self, what: str, path: str) -> None:
        window = self.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(f"Saved the {what} to {path}", 6000)

    def export_pdf(self) -> str | None:
        if self.matrix is None:
            return None
        path = self._save_path("Save the assurance report", f"arrs-assurance-{self.matrix.today:%Y-%m-%d}.pdf",
                               "PDF files (*.pdf)")
        if not path:
            return None
        report = run_service(self, self.workspace.assurance.report, self.actor, matrix=self.matrix, **self._filters())
        if isinstance(report, Failed):
            return None
        from arrs_desk.reports.assurance_pdf import build_assurance_pdf

        try:
            build_assurance_pdf(path, report)
        except OSError as exc:
            QMessageBox.warning(self, "Could not save", f"The report could not be saved to {path}: {exc.strerror or exc}.")
            return None
        self._saved("assurance report", path)
        return path

    def export_csv(self) -> str | None:
        if self.matrix is None:
            return None
        path = self._save_path("Export the assurance matrix", f"arrs-assurance-{self.matrix.today:%Y-%m-%d}.csv",
                               "CSV files (*.csv)")
        if not path:
            return None
        try:
            done = run_service(self, self.workspace.assurance.export_matrix_csv, self.actor, path, self.model.rows,
                               self.matrix.checks)
        except OSError as exc:
            QMessageBox.warning(self, "Could not save", f"The matrix could not be saved to {path}: {exc.strerror or exc}.")
            return None
        if isinstance(done, Failed):
            return None
        self._saved("assurance matrix", path)
        return path
