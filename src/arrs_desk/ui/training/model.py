"""The training matrix as a table model: one row per person, a column per subject.

Every cell's text and sort key are worked out once when the matrix arrives (`set_matrix`), so
`data()` only looks them up and sorting runs in Qt's C++ on the sort role: a 1,000-person matrix
sorts without a Python comparison per pair. Tooltips and screen-reader text, asked for one cell at
a time, are put into words when asked.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from arrs_desk.ui.common.icons import glyph_icon
from arrs_desk.ui.common.table_model import ROW_ROLE, SORT_ROLE

_Index = QModelIndex | QPersistentModelIndex
FIXED = ("Name", "Role")
SUBJECT_ROLE = Qt.ItemDataRole.UserRole + 3
"""The subject code of a cell (None for the name and role columns)."""
GLYPHS = {"in-date": ("✓", "good"), "due-soon": ("!", "warn"), "expired": ("✗", "bad"), "never": ("–", "neutral")}
RANK = {"expired": 0, "never": 1, "due-soon": 2, "in-date": 3}


def _text(state) -> str:
    value, due = state.status.value, state.due_on
    if value == "in-date":
        return f"{due.month:02d}/{due.year}" if due else "Done"
    if value == "due-soon":
        return f"by {due.day:02d}/{due.month:02d}"
    return "Expired" if value == "expired" else f"Never (L{state.required_level})"


class TrainingMatrixModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._headers: list[str] = list(FIXED)
        self._titles: list[str] = list(FIXED)
        self._codes: list[str | None] = [None, None]
        self._rows: list = []
        self._display: list[tuple[str, ...]] = []
        self._sort: list[tuple[str | int, ...]] = []  # plain str and int: Qt compares them in C++
        self._subjects: tuple = ()
        self._status: list[tuple[str | None, ...]] = []

    def set_matrix(self, matrix) -> None:
        self.beginResetModel()
        self._headers = [*FIXED, *(s.short for s in matrix.subjects)]
        self._titles = [*FIXED, *(s.title for s in matrix.subjects)]
        self._codes = [None, None, *(s.code for s in matrix.subjects)]
        self._rows = list(matrix.rows)
        self._subjects = tuple(matrix.subjects)
        self._display, self._sort, self._status = [], [], []
        for row in self._rows:
            cells = row.cells
            self._display.append((row.name, row.role, *(_text(c) for c in cells)))
            self._sort.append((row.sort_name, row.role.casefold(),
                               *(RANK[c.status.value] * 10_000_000 + (c.due_on.toordinal() if c.due_on else 0)
                                 for c in cells)))
            self._status.append((None, None, *(c.status.value for c in cells)))
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._titles[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display[r][c]
        if role == SORT_ROLE:
            return self._sort[r][c]
        if role == Qt.ItemDataRole.ToolTipRole:  # words made when asked: only one cell is ever hovered
            row = self._rows[r]
            return ", ".join(row.practices) if c == 0 else row.role if c == 1 else row.cells[c - 2].reason
        if role == Qt.ItemDataRole.AccessibleTextRole:
            row = self._rows[r]
            if c < 2:
                return self._display[r][c]
            state = row.cells[c - 2]
            return f"{row.name}, {self._subjects[c - 2].title}: {state.label}. {state.reason}"
        if role == Qt.ItemDataRole.DecorationRole:
            status = self._status[r][c]
            return glyph_icon(*GLYPHS[status]) if status else None
        if role == ROW_ROLE:
            return self._rows[r]
        if role == SUBJECT_ROLE:
            return self._codes[c]
        return None
