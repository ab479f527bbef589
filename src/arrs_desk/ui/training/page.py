"""Training: statutory and mandatory training, people by subjects (`services.training`).

Filters by practice and role; every column sorts (in C++, on precomputed keys); the keyboard
moves cell to cell and Enter records training for the person and subject under the cursor; each
cell's screen-reader text says who, what and its state in words. Above the table, each subject's
share in date against the target, as a labelled bar chart.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QMessageBox, QPushButton,
    QScrollArea, QSplitter, QTableView, QVBoxLayout,
)

from arrs_desk.ui.common.assurance_charts import BarChart
from arrs_desk.ui.common.changes import ORGANISATIONS, ROLES, STAFF
from arrs_desk.ui.common.error_display import show_status
from arrs_desk.ui.common.frozen_column import keep_first_column_in_view
from arrs_desk.ui.common.list_page import size_columns_once, sized_by_first_rows
from arrs_desk.ui.common.operation import Operation
from arrs_desk.ui.common.page import Page
from arrs_desk.ui.common.table_model import ROW_ROLE
from arrs_desk.ui.common.text import plural
from arrs_desk.ui.training.model import CELL_WORDS, FIXED, SUBJECT_ROLE, TrainingMatrixModel, TrainingProxy


class TrainingTable(QTableView):
    """The matrix; Enter (or a double-click) records training for the cell's person and subject."""

    def __init__(self, page: "TrainingPage"):
        super().__init__(page)
        self._page = page
        self.doubleClicked.connect(lambda _index: page.record_for_current())

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self._page.record_for_current()
            return
        super().keyPressEvent(event)


class TrainingPage(Page):
    title = "Training"
    shows = frozenset({STAFF, ORGANISATIONS, ROLES})

    def __init__(self, parent=None):
        super().__init__(parent)
        self.matrix = None
        self._wanted: int | None = None  # a person to put the cursor on when the matrix arrives
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading("Statutory and mandatory training"))
        bar = QHBoxLayout()
        self.practice = QComboBox()
        self.practice.setAccessibleName("Practice")
        self.role = QComboBox()
        self.role.setAccessibleName("Role")
        bar.addWidget(QLabel("&Practice"))
        bar.itemAt(bar.count() - 1).widget().setBuddy(self.practice)
        bar.addWidget(self.practice)
        bar.addWidget(QLabel("&Role"))
        bar.itemAt(bar.count() - 1).widget().setBuddy(self.role)
        bar.addWidget(self.role)
        self.practice.currentIndexChanged.connect(lambda _i: self.load())
        self.role.currentIndexChanged.connect(lambda _i: self.load())
        self.chart_by = QComboBox()
        self.chart_by.setAccessibleName("Chart by")
        self.chart_by.addItem("Chart by subject", "subject")
        self.chart_by.addItem("Chart by practice", "practice")
        self.chart_by.currentIndexChanged.connect(lambda _i: self._draw_chart())
        bar.addWidget(self.chart_by)
        bar.addStretch(1)
        self.record_button = QPushButton("Record &training…")
        self.record_button.clicked.connect(self.record_for_current)
        self.import_button = QPushButton("&Import…")
        self.import_button.setToolTip("Completions from a learning system's export (CSV or Excel): all or nothing.")
        self.import_button.clicked.connect(self.import_file)
        self.export_button = QPushButton("E&xport…")
        self.export_button.clicked.connect(self.export)
        self.calendar_button = QPushButton("Due dates (&calendar)…")
        self.calendar_button.clicked.connect(self.calendar)
        for button in (self.record_button, self.import_button, self.export_button, self.calendar_button):
            bar.addWidget(button)
        layout.addLayout(bar)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)

        self.model = TrainingMatrixModel(self)
        self.proxy = TrainingProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = sized_by_first_rows(TrainingTable(self))
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Training matrix")
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; the arrow keys move between cells
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        keep_first_column_in_view(self.table)  # ten subjects are wider than a laptop: the names stay put
        self.chart = BarChart()
        self.chart.setAccessibleName("Training in date by subject")
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        chart_area = QScrollArea()
        chart_area.setWidget(self.chart)
        chart_area.setWidgetResizable(True)
        chart_area.setFrameShape(QScrollArea.Shape.NoFrame)
        splitter.addWidget(chart_area)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([460, 180])  # the people first; the chart scrolls into view below
        layout.addWidget(splitter, 1)

    # ------------------------------------------------------------------ reading
    def set_context(self, workspace, actor) -> None:
        first = workspace is not self.workspace
        super().set_context(workspace, actor)
        if first and workspace is not None:
            Operation(self, lambda ws: ws.staff.form_choices(actor)).success(self._fill_filters).run()

    def _fill_filters(self, choices) -> None:
        for combo, items, everyone in ((self.practice, choices.practices, "Every practice"),
                                       (self.role, choices.roles, "Every role")):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everyone, None)
            for item in items:
                combo.addItem(item.label, item.value)
            combo.blockSignals(False)

    def refresh(self) -> None:
        self.load()

    def load(self) -> None:
        if self.workspace is None:
            return
        actor, practice, role = self.actor, self.practice.currentData(), self.role.currentData()
        self.load_data(lambda ws: ws.training.matrix(actor, practice_id=practice, role_code=role), self._show)

    def _show(self, matrix) -> None:
        self.matrix = matrix
        self.model.set_matrix(matrix)
        # Once: a filter keeps the widths. Names and roles elide so the subjects fit a laptop screen.
        size_columns_once(self.table, {0: 170, 1: 150}, CELL_WORDS, len(FIXED))
        overall = matrix.overall
        share = f"{overall.percent}%" if overall.percent is not None else "–"
        self.summary.setText(
            f"{plural(len(matrix.rows), 'person', 'people')}; {share} of required training in date (target {matrix.target_percent}%). "
            "✓ in date (to month/year) · ! due soon · ✗ expired · – never done. Enter records training for the "
            "selected cell.")
        self._draw_chart()
        if self._wanted is not None:
            self._select_wanted()

    def _draw_chart(self) -> None:
        if self.matrix is None:
            return
        by = self.chart_by.currentData()
        groups = self.matrix.by_subject if by == "subject" else self.matrix.by_practice
        self.chart.set_bars(f"In date by {by} (target {self.matrix.target_percent}%)", [
            (c.label, None if c.percent is None else c.percent / 100,
             (f"{c.percent}% ({c.in_date} of {c.required})" + ("" if c.meets_target else " – below target"))
             if c.percent is not None else "nobody needs it")
            for c in groups])

    def select_person(self, staff_id: int) -> bool:
        """Show everyone again and put the cursor on this person's first subject that needs action
        (the Assurance page's "Open their training") once the matrix has been read."""
        for combo in (self.practice, self.role):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self._wanted = staff_id
        self.load()
        return True

    def _select_wanted(self) -> None:
        staff_id, self._wanted = self._wanted, None
        for r in range(self.proxy.rowCount()):
            row = self.proxy.index(r, 0).data(ROW_ROLE)
            if row.staff_id == staff_id:
                first = next((i for i, c in enumerate(row.cells) if c.status.value in ("expired", "never")), 0)
                self.table.setCurrentIndex(self.proxy.index(r, 2 + first))
                self.table.scrollTo(self.table.currentIndex())
                self.table.setFocus()
                return
        show_status(self, "That person is not in the training matrix (only people in post are).", 6000)

    # ------------------------------------------------------------------ actions
    def record_for_current(self) -> None:
        from arrs_desk.ui.training.record_dialog import RecordTrainingDialog

        index = self.table.currentIndex()
        if self.matrix is None or not index.isValid():
            show_status(self, "Choose a person (and a subject) in the table first.", 5000)
            return
        row = index.data(ROW_ROLE)
        code = index.data(SUBJECT_ROLE)
        subjects = [s for s in self.matrix.subjects]
        level = 1
        if code:
            level = row.cells[[s.code for s in subjects].index(code)].required_level
        actor, staff_id = self.actor, row.staff_id
        found = Operation(self, lambda ws: ws.training.person(actor, staff_id=staff_id))
        if not found.run():
            return
        dialog = RecordTrainingDialog(actor=actor, staff_id=staff_id, name=row.name, subjects=subjects,
                                      subject_code=code, level=level, today=self.matrix.today, person=found.result,
                                      parent=self)
        dialog.exec()

    def import_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import training completions", "",
                                              "Spreadsheets (*.csv *.xlsx);;All files (*)")
        if not path:
            return
        actor = self.actor
        Operation(self, lambda ws: ws.training.import_completions(actor, path=path)).changes(STAFF) \
            .progress_dialog("Importing training completions…").success(self._imported).run_in_background()

    def _imported(self, result) -> None:
        QMessageBox.information(self, "Training imported", (
            f"Recorded {result.created} completion{'s' if result.created != 1 else ''} for {result.people} "
            f"{'person' if result.people == 1 else 'people'}." if result.created else
            "Every completion in the file was already recorded: nothing new to add."))

    def _save_path(self, caption: str, name: str, file_filter: str) -> str | None:
        path, chosen = QFileDialog.getSaveFileName(self, caption, name, file_filter)
        return path or None

    def export(self) -> str | None:
        if self.matrix is None:
            return None
        path = self._save_path("Export the training matrix", f"arrs-training-{self.matrix.today:%Y-%m-%d}.xlsx",
                               "Excel workbook (*.xlsx);;CSV files (*.csv)")
        if not path:
            return None
        file_format = "csv" if path.lower().endswith(".csv") else "xlsx"
        actor, practice, role = self.actor, self.practice.currentData(), self.role.currentData()
        Operation(self, lambda ws: ws.training.export(actor, path=path, file_format=file_format,
                                                      practice_id=practice, role_code=role)) \
            .success(lambda _saved: show_status(self, f"Saved the training matrix to {path}", 6000)) \
            .run_in_background()
        return path

    def calendar(self) -> str | None:
        if self.matrix is None:
            return None
        path = self._save_path("Save training due dates", "arrs-training-due.ics", "Calendar files (*.ics)")
        if not path:
            return None
        actor, practice = self.actor, self.practice.currentData()
        Operation(self, lambda ws: ws.training.calendar(actor, path=path, practice_id=practice)) \
            .success(lambda _saved: show_status(self, f"Saved training due dates to {path}", 6000)) \
            .run_in_background()
        return path
