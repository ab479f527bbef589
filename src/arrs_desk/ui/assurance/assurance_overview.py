"""The Assurance page's first view: the counts per contract check, then every check not met with
its reason in words, each opening the person's record where the evidence is kept."""

from __future__ import annotations

from itertools import compress
from operator import attrgetter
from typing import NamedTuple

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget,
)

from arrs_desk.domain.assurance import CheckStatus
from arrs_desk.ui.common.enabled import set_enabled_with_reason
from arrs_desk.ui.common.assurance_charts import CheckCountsChart
from arrs_desk.ui.common.list_page import size_columns_once, sized_by_first_rows
from arrs_desk.ui.assurance.assurance_links import link_text

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
HEADERS = ("Check", "Name", "Role", "Why not met", "Where to act")
CHECK, NAME, ROLE, REASON, WHERE = range(len(HEADERS))
ALL_CHECKS = "__all__"
_Index = QModelIndex | QPersistentModelIndex

PICK_A_ROW = "Select a check not met in the list first."


class NotMetEntry(NamedTuple):
    """A named tuple: one is made per check not met, some 10,000 at 10,000 staff, on the GUI thread."""

    check_code: str
    check_title: str
    check_short: str
    reason: str
    evidence: str
    row: object
    """The person's `AssuranceRow`."""


def not_met_entries(checks, rows) -> list[NotMetEntry]:
    """Every check not met, check by check in the checks file's order, then by name."""
    entries = []
    for check, results in zip(checks, by_check(rows)):
        code, title, short = check.code, check.title, check.short
        unmet = compress(zip(results, rows), map(CheckStatus.NOT_MET.__eq__, map(_STATUS, results)))
        entries.extend(NotMetEntry(code, title, short, result.reason, result.evidence, row) for result, row in unmet)
    return entries


_STATUS = attrgetter("status")


def by_check(rows) -> list[tuple]:
    """The rows' results turned round: for each check, every row's result, in the rows' order.
    Turned and read in C (`zip`, `map`): at 10,000 staff a loop in Python over every result of
    every check held the window up for tens of milliseconds each time a filter changed."""
    return list(zip(*(row.results for row in rows))) if rows else []


class NotMetModel(QAbstractTableModel):
    """Each check a person does not meet, with its evidence link.

    Kept apart from `RowTableModel`: its rows are (check, person) entries rather than read-shape
    rows with ids, its link column is painted by the overview's link delegate from `ENTRY_ROLE`,
    and it answers `AccessibleDescriptionRole`, which the base does not."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.entries: list[NotMetEntry] = []

    def set_entries(self, entries: list[NotMetEntry]) -> None:
        self.beginResetModel()
        self.entries = list(entries)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: _Index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        entry = self.entries[index.row()]
        if role == ENTRY_ROLE:
            return entry
        texts = (entry.check_short, entry.row.display_name, entry.row.role_title, entry.reason,
                 link_text(entry.evidence))
        if role == Qt.ItemDataRole.DisplayRole:
            return texts[index.column()]
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleDescriptionRole):
            return (f"{entry.row.display_name} ({entry.row.role_title}, {entry.row.practices}): "
                    f"{entry.check_title} not met. {entry.reason}. {link_text(entry.evidence)} to act on it.")
        return None


class AssuranceOverview(QWidget):
    """Counts per check and the list of checks not met; `open_requested(entry)` asks the page to
    open the person's record at the evidence."""

    open_requested = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.checks: tuple = ()
        self.rows: tuple = ()
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        self.counts.setAccessibleName("Assurance counts")
        self.chart = CheckCountsChart()
        self.heading = QLabel()
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.check_filter = QComboBox()
        self.check_filter.setAccessibleName("Show checks not met for")
        self.check_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.open_button = QPushButton("Open record")
        self.open_button.setAccessibleName("Open the selected person's record where the evidence is kept")
        self.open_button.setToolTip("Open the selected person's record where the evidence is kept")
        set_enabled_with_reason(self.open_button, False, PICK_A_ROW)
        self.model = NotMetModel(self)
        self.table = sized_by_first_rows(QTableView())
        self.table.setModel(self.model)
        self.table.setAccessibleName("Checks not met")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(REASON, QHeaderView.ResizeMode.Stretch)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.hide()

        bar = QHBoxLayout()
        bar.addWidget(self.heading)
        bar.addStretch(1)
        label = QLabel("&Check:")
        label.setBuddy(self.check_filter)
        bar.addWidget(label)
        bar.addWidget(self.check_filter)
        bar.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.counts)
        layout.addWidget(self.chart)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)

        self.check_filter.currentIndexChanged.connect(lambda _: self._fill())
        self.table.activated.connect(lambda index: self._open(index))  # double-click or Enter
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: set_enabled_with_reason(self.open_button, current.isValid(), PICK_A_ROW))
        self.open_button.clicked.connect(lambda: self._open(self.table.currentIndex()))

    def set_data(self, checks, rows) -> None:
        self.checks, self.rows = tuple(checks), tuple(rows)
        counts = []
        met, not_met, na = CheckStatus.MET, CheckStatus.NOT_MET, CheckStatus.NOT_APPLICABLE
        columns = by_check(self.rows) or [()] * len(self.checks)
        for check, results in zip(self.checks, columns):
            statuses = list(map(_STATUS, results))
            counts.append((check.title, statuses.count(met), statuses.count(not_met), statuses.count(na)))
        self.chart.set_counts(counts)
        unmet_people = sum(1 for r in self.rows if r.has_unmet)
        self.counts.setText(
            f"{len(self.rows)} ARRS staff in post shown; {unmet_people} with at least one check not met. N/A means "
            "the check does not apply to the person (the reason is given for each)."
            if self.rows else "No ARRS staff in post match these filters.")
        current = self.check_filter.currentData()
        self.check_filter.blockSignals(True)
        self.check_filter.clear()
        self.check_filter.addItem("All checks", ALL_CHECKS)
        for (title, _, not_met, _), check in zip(counts, self.checks):
            self.check_filter.addItem(f"{title} ({not_met})", check.code)
        found = self.check_filter.findData(current)
        self.check_filter.setCurrentIndex(found if found >= 0 else 0)
        self.check_filter.blockSignals(False)
        self._fill()

    def _fill(self) -> None:
        wanted = self.check_filter.currentData()
        entries = [e for e in not_met_entries(self.checks, self.rows) if wanted in (None, ALL_CHECKS, e.check_code)]
        self.model.set_entries(entries)
        self.heading.setText(f"Not met: {len(entries)}")
        self.empty.setVisible(not entries and bool(self.rows))
        self.empty.setText("Every check shown here is met or does not apply.")
        size_columns_once(self.table, {CHECK: 140, NAME: 180, ROLE: 200, WHERE: 190})  # the reason stretches
        set_enabled_with_reason(self.open_button, False, PICK_A_ROW)

    def _open(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_requested.emit(index.data(ENTRY_ROLE))
