"""The training matrix as a table model: one row per person, a column per subject.

The model keeps its rows in order itself (`SortedRowsModel`): a column's sort keys are worked out
once, Python's `sorted` orders them in C, and a row's cell texts are worked out the first time it
is shown. So a 10,000-person matrix arrives without a Python call per cell and sorts without the
proxy's two Python `data()` calls per comparison (about 150,000, half a second, before). Tooltips
and screen-reader text, asked for one cell at a time, are put into words when asked.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from arrs_desk.domain.dates import format_uk
from arrs_desk.ui.common.filter_proxy import FilterProxy
from arrs_desk.ui.common.icons import glyph_icon
from arrs_desk.ui.common.sorted_rows import SortedRowsModel

_Index = QModelIndex | QPersistentModelIndex
FIXED = ("Name", "Role")
SUBJECT_ROLE = Qt.ItemDataRole.UserRole + 3
"""The subject code of a cell (None for the name and role columns)."""
GLYPHS = {"in-date": ("✓", "good"), "due-soon": ("!", "warn"), "expired": ("✗", "bad"), "never": ("–", "neutral")}
RANK = {"expired": 0, "never": 1, "due-soon": 2, "in-date": 3}
CELL_WORDS = ("Done", "Expired", "Never (L3)", "by 28/02/2027", "12/2027")
"""The widest of what `_text` writes in a subject's cell, for sizing the subject columns."""


def _text(state) -> str:
    """The month it is in date to, or the day it is due by: both the last day it counts. The day due
    has its year, as every date shown: "by 12/01" in December is next January's, not this one's."""
    value, due = state.status.value, state.last_day
    if value == "in-date":
        return f"{due.month:02d}/{due.year}" if due else "Done"
    if value == "due-soon":
        return f"by {format_uk(due)}"
    return "Expired" if value == "expired" else f"Never (L{state.required_level})"


class TrainingMatrixModel(SortedRowsModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._headers: tuple[str, ...] = FIXED
        self._titles: tuple[str, ...] = FIXED
        self._codes: tuple[str | None, ...] = (None, None)
        self._subjects: tuple = ()

    def set_matrix(self, matrix) -> None:
        self._headers = (*FIXED, *(s.short for s in matrix.subjects))
        self._titles = (*FIXED, *(s.title for s in matrix.subjects))
        self._codes = (None, None, *(s.code for s in matrix.subjects))
        self._subjects = tuple(matrix.subjects)
        self.set_rows(matrix.rows)

    # --- what the base asks -----------------------------------------------------------------------
    def headers(self) -> tuple[str, ...]:
        return self._headers

    def header_tip(self, section: int) -> str | None:
        return self._titles[section]

    def cell(self, row, column: int) -> str:
        if column == 0:
            return row.name
        return row.role if column == 1 else _text(row.cells[column - 2])

    def sort_key(self, row, column: int) -> str | int:
        """Plain strings and numbers: the worst state first, then the soonest due."""
        if column == 0:
            return row.sort_name
        if column == 1:
            return row.role.casefold()
        state = row.cells[column - 2]
        return RANK[state.status.value] * 10_000_000 + (state.due_on.toordinal() if state.due_on else 0)

    def decoration(self, row, column: int):
        return glyph_icon(*GLYPHS[row.cells[column - 2].status.value]) if column >= 2 else None

    def tooltip(self, row, column: int) -> str:  # words made when asked: only one cell is ever hovered
        return ", ".join(row.practices) if column == 0 else row.role if column == 1 else row.cells[column - 2].reason

    def accessible(self, row, column: int) -> str | None:
        if column < 2:
            return None
        state = row.cells[column - 2]
        return f"{row.name}, {self._subjects[column - 2].title}: {state.label}. {state.reason}"

    # --- Qt's side --------------------------------------------------------------------------------
    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.AccessibleTextRole:
            return self._titles[section]
        return super().headerData(section, orientation, role)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == SUBJECT_ROLE:
            return self._codes[index.column()] if index.isValid() else None
        return super().data(index, role)


class TrainingProxy(FilterProxy):
    """Sorting is passed to the model, which keeps its rows in order (`SortedRowsModel`)."""

    SORT_IN_SOURCE = True

    def search_text(self, row) -> str:
        return row.sort_name
