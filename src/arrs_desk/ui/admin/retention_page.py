"""Retention: starters, leavers with reasons, and 12-month retention of ARRS staff by role,
practice or employment model, as a table and a labelled bar chart, exportable as CSV."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QFileDialog, QHBoxLayout, QLabel, QPushButton, QScrollArea,
    QSplitter, QTableView, QVBoxLayout,
)

from arrs_desk.ui.common.assurance_charts import BarChart
from arrs_desk.ui.common.changes import ORGANISATIONS, ROLES, STAFF
from arrs_desk.ui.common.error_display import show_status
from arrs_desk.ui.common.operation import Operation
from arrs_desk.ui.common.page import Page
from arrs_desk.ui.common.columns import share_width
from arrs_desk.ui.common.table_model import ROW_ROLE, RowTableModel  # noqa: F401

HEADERS = ("Group", "Starters", "Leavers", "Retained", "Left < 1 year", "Too recent", "Retention", "Leaving reasons")
HEADER_TIPS = ("", "Started in the last 12 months", "Left in the last 12 months",
               "Started at least a year ago and still in post on their first anniversary",
               "Started at least a year ago and left before their first anniversary",
               "Started less than a year ago: not counted as retained or lost",
               "12-month retention: retained / (retained + left before 1 year)", "Reasons of leavers in the last 12 months")


class RetentionModel(RowTableModel):
    """One row per group of staff: starters, leavers, who stayed, and why people left."""

    HEADERS = HEADERS

    @property
    def rows(self) -> list:  # type: ignore[override]
        """The groups shown, as a list: the page (and its tests) read it as the report's rows;
        nothing here filters it, so no proxy asks for the method the base defines."""
        return self._rows

    def cell(self, row, column: int) -> str:
        if column == 7:
            return "; ".join(f"{reason} ({n})" for reason, n in row.leaving_reasons)
        return (row.group, str(row.starters), str(row.leavers), str(row.retained), str(row.lost), str(row.too_recent),
                row.rate_text)[column]

    def tooltip(self, row, column: int) -> str | None:
        return self.cell(row, column)

    def alignment(self, column: int) -> int | None:
        return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter) if 0 < column < 7 else None

    def header_tip(self, section: int) -> str | None:
        return HEADER_TIPS[section] or None


class RetentionPage(Page):
    title = "Retention"
    shows = frozenset({STAFF, ROLES, ORGANISATIONS})
    """Who started and left, by role, employment model or practice."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.report = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading("Retention"))
        intro = QLabel("Who stays. 12-month retention counts only people who started at least a year ago: of them, "
                       "the share still in post on their first anniversary. People who started less than a year ago "
                       "are shown as too recent and are neither retained nor lost. Starters and leavers are those in "
                       "the last 12 months.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QHBoxLayout()
        label = QLabel("Group by:")
        self.group_by = QComboBox()
        self.group_by.setAccessibleName("Group retention by")
        for text, value in (("Role", "role"), ("Practice", "practice"), ("Employment model", "model")):
            self.group_by.addItem(text, value)
        label.setBuddy(self.group_by)
        row.addWidget(label)
        row.addWidget(self.group_by)
        row.addStretch(1)
        self.csv_button = QPushButton("Export CSV…")
        self.csv_button.setAccessibleName("Export retention as CSV")
        row.addWidget(self.csv_button)
        layout.addLayout(row)
        self.total = QLabel()
        self.total.setAccessibleName("Retention for all ARRS staff")
        self.total.setWordWrap(True)
        layout.addWidget(self.total)
        self.notes = QLabel()
        self.notes.setTextFormat(Qt.TextFormat.PlainText)
        self.notes.setAccessibleName("What the retention figures count")
        self.notes.setWordWrap(True)
        layout.addWidget(self.notes)
        # The chart below the table, as on the Training page: beside it, on a 1366x768 laptop, it left
        # the table too narrow for its last column and cut its own labels ("General practice…" twice).
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.model = RetentionModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Retention table")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)  # a long list of reasons is shortened on one line, whole on hover
        # The group and its counts keep their width (two roles both cut to "General practice…" could
        # not be told apart); the reasons take the rest, shortened rather than pushed out of view.
        share_width(self.table, keep=(0, 1, 2, 3, 4, 5, 6))
        splitter.addWidget(self.table)
        self.chart = BarChart()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.chart)
        scroll.setAccessibleName("Retention chart area")
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([330, 200])
        layout.addWidget(splitter, 1)
        self.group_by.currentIndexChanged.connect(lambda _: self.refresh())
        self.csv_button.clicked.connect(lambda: self.export_csv())

    def refresh(self) -> None:
        if self.workspace is None:
            return
        actor, by = self.actor, self.group_by.currentData()
        self.load_data(lambda ws: ws.assurance.retention(actor, by=by), self._show)

    def _show(self, report) -> None:
        self.report = report
        self.model.set_rows(report.rows)
        self.table.resizeColumnsToContents()
        t = report.total
        counted = t.retained + t.lost
        self.total.setText(
            f"<b>All ARRS staff: {t.rate_text} retained at 12 months</b> ({t.retained} of {counted} who started at "
            f"least a year ago). {t.starters} started and {t.leavers} left in the last 12 months; "
            f"{t.too_recent} are too recent to count.")
        self.notes.setText(" ".join(report.notes))
        bars = [(r.group, r.rate, f"{r.rate_text} ({r.retained} of {r.retained + r.lost})" if r.rate is not None
                 else f"no one yet ({r.too_recent} too recent)") for r in report.rows]
        self.chart.set_bars(f"12-month retention by {self.group_by.currentText().lower()}", bars)

    def export_csv(self) -> str | None:
        if self.report is None:
            return None
        path, _ = QFileDialog.getSaveFileName(self, "Export retention", f"arrs-retention-{self.report.today:%Y-%m-%d}.csv",
                                              "CSV files (*.csv)")
        if not path:
            return None
        actor, report = self.actor, self.report
        Operation(self, lambda ws: ws.assurance.export_retention_csv(actor, path=path, report=report)) \
            .progress_dialog("Saving retention…") \
            .success(lambda _rows: show_status(self, f"Saved retention to {path}", 6000)).run_in_background()
        return path
