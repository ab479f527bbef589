"""The import wizard's check table: thousands of rows, shown as fast as the service checks them.

Every cell's text, tooltip and sort key is worked out once when the rows arrive, so `data()` only
indexes into tuples. Sorting and "only rows with problems" are done here on those precomputed
keys (a list sort in Python is milliseconds), rather than by a proxy model that would call back
into Python for every comparison.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from arrs_desk.domain.dates import format_uk
from arrs_desk.ui.common.table_model import ROW_ROLE, RowTableModel

PROBLEM = "⚠ "
STARTER_STATUSES = ("Pre-start", "In induction")
"""Statuses (as shown) that give a new person their induction checklist at once."""
_Index = QModelIndex | QPersistentModelIndex


def details(row) -> str:
    """One line saying what importing the row does: its problems, else its changes and notes."""
    if row.problems:
        return "; ".join(f"{p.field_label}: {p.message}" for p in row.problems)
    parts = []
    if row.action == "update":
        parts.append("; ".join(str(c) for c in row.changes))
    elif row.action == "unchanged":
        parts.append(f"Already on the staff list as the file has them (found by {row.matched_by})")
    parts.extend(row.notes)
    return " · ".join(p for p in parts if p)


def explanation(row) -> str:
    """Everything about one row, a line each, for the panel under the table."""
    update = (f"would update the person found by {row.matched_by}, once its problems are fixed" if row.problems
              else f"updates the person found by {row.matched_by}")
    lines = [f"Row {row.row_number} ({row.name or 'no name'}): "
             + {"new": "a new person", "update": update,
                "unchanged": f"no change to the person found by {row.matched_by}"}[row.action]]
    lines += [f"{PROBLEM}{p.field_label}: {p.message}" for p in row.problems]
    lines += [f"• {change}" for change in row.changes]
    if row.title and row.action == "new" and not any(note.startswith("Title ") for note in row.notes):
        lines.append(f"• Title: {row.title}")
    if row.role_matched and "→" in row.role_matched:
        lines.append(f"• Role read as: {row.role_matched.split('→', 1)[1].strip()} (the file says {row.role})")
    lines += [f"• {note}" for note in row.notes]
    if row.action == "new" and not row.problems and row.status in STARTER_STATUSES:
        lines.append("• Their induction checklist is made when they are imported, as for anyone added by hand.")
    return "\n".join(lines)


class PreviewModel(RowTableModel):
    """RowTableModel's headers and columns; its own rows, cells, sorting and filter."""

    HEADERS = ("Row", "Check", "Import as", "Name", "Role", "Status", "Start date", "Details")
    ROW, CHECK, ACTION, NAME, ROLE, STATUS, START, DETAILS = range(8)
    WIDTHS = (52, 92, 84, 140, 250, 92, 84, 360)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list = []
        self._cells: list[tuple[str, ...]] = []
        self._keys: list[tuple] = []
        self._tips: list[str | None] = []
        self._visible: list[int] = []
        self._only_problems = False
        self._sort: tuple[int, Qt.SortOrder] = (self.ROW, Qt.SortOrder.AscendingOrder)

    # --- filling ------------------------------------------------------------------------
    def set_rows(self, rows) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._cells = [self._row_cells(row) for row in self._rows]
        self._keys = [self._row_keys(row, cells) for row, cells in zip(self._rows, self._cells)]
        self._tips = [explanation(row) if (row.problems or row.changes or row.notes) else None for row in self._rows]
        self._visible = self._chosen()
        self.endResetModel()

    @staticmethod
    def _row_cells(row) -> tuple[str, ...]:
        count = len(row.problems)
        return (
            str(row.row_number),
            "OK" if not count else f"{PROBLEM}{count} problem{'s' if count > 1 else ''}",
            row.action_label,
            row.name,
            row.role_matched or row.role,
            row.status,
            format_uk(row.start_date),
            details(row),
        )

    @staticmethod
    def _row_keys(row, cells: tuple[str, ...]) -> tuple:
        text = tuple(c.casefold() for c in cells)
        start = row.start_date.toordinal() if row.start_date else 0
        return (row.row_number, len(row.problems), *text[2:6], start, text[7])

    # --- filtering and sorting ----------------------------------------------------------
    def set_only_problems(self, on: bool) -> None:
        self.beginResetModel()
        self._only_problems = on
        self._visible = self._chosen()
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:  # noqa: D401
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._visible = self._chosen()
        self.layoutChanged.emit()

    def _chosen(self) -> list[int]:
        chosen = [i for i, row in enumerate(self._rows) if row.problems] if self._only_problems \
            else list(range(len(self._rows)))
        column, order = self._sort
        if column != self.ROW or order != Qt.SortOrder.AscendingOrder:
            keys = self._keys
            chosen.sort(key=lambda i: (keys[i][column], keys[i][0]), reverse=order == Qt.SortOrder.DescendingOrder)
        return chosen

    # --- the model ----------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._visible)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._cells[self._visible[index.row()]][index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tips[self._visible[index.row()]]
        if role == ROW_ROLE:
            return self._rows[self._visible[index.row()]]
        return None
