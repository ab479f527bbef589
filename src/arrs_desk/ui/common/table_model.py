"""The one table model every list in the app builds on: read-shape rows in, cells out.

Vorta's pattern: a subclass names its columns with COL_* constants (or `Column` descriptors),
gives HEADERS and `cell(row, column)`, and may add `decoration`, `tooltip`, `sort_key` and
`alignment`. `ROW_ROLE` returns the row object itself, so a view finds the record behind a sorted
or filtered index; `row_id` names a row, so one changed row is found without a search.

Why it is built this way (issue 18, lists of 5,000-10,000 staff):
- The display text of a row's cells is worked out once, the first time any of them is asked for
  (painting asks only for the rows on screen), and kept as a plain tuple per row: `data()` answers
  painting and accessibility from those tuples. A new list of 10,000 staff is shown without
  working out the text of the 9,980 rows below the fold.
- Sorting asks for `SORT_ROLE`, whose value is a plain string or number, computed once per column
  when first asked and cached: `QSortFilterProxyModel` then compares in C++, with no Python
  `lessThan`. A key made of several parts (status, then date, then name) is one string from
  `sort_text`, which orders exactly as the tuple of its parts would.
- A whole new list goes in between reset brackets (`set_rows`); one changed row goes in with
  `update_row`, which emits `dataChanged` for that row only, so selection and scroll stay put; the
  next page of a list read a page at a time (the audit trail's) goes in below the last row with
  `append_rows`, inserted, not reset.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QIcon

from arrs_desk.domain.staff import search_key

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
"""The read-shape row behind an index (the one ROW_ROLE of the app)."""
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
"""A plain string or number that Qt compares in C++ when the list is sorted."""
CELL_ROLE = Qt.ItemDataRole.UserRole + 3
"""For models whose cells are objects of their own (the supervision matrix): that object."""

_Index = QModelIndex | QPersistentModelIndex
# The roles `data()` answers, as plain ints: Qt passes the role as an int, and comparing one with an
# enum member is ten times slower. A table's paint asks about seven roles of every cell on screen.
_DISPLAY, _DECORATION, _TOOLTIP, _ALIGNMENT, _ACCESSIBLE = (int(role) for role in (
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.AccessibleTextRole))
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_NUMBER_OFFSET = 10**15  # makes every whole number below it sort as a fixed-width positive string


def sort_text(*parts: int | str) -> str:
    """One string that sorts as the tuple `parts` would: whole numbers (negative ones too, below
    10**15 in size) become fixed-width digits, text is kept as it is; parts are joined by NUL, which
    sorts before every other character, so a shorter text sorts before a longer one it begins."""
    out = []
    for part in parts:
        if isinstance(part, bool) or not isinstance(part, (int, str)):
            raise TypeError(f"sort_text takes whole numbers and text, not {type(part).__name__}")
        out.append(f"{part + _NUMBER_OFFSET:016d}" if isinstance(part, int) else part)
    return "\x00".join(out)


class RowTableModel(QAbstractTableModel):
    """The base: rows, their precomputed display tuples, cached sort keys, one-row updates."""

    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list = []
        self._display: list[tuple[str, ...] | None] = []  # None until the row's text is first asked for
        self._sort_keys: dict[int, list] = {}  # column -> one key per row, made when first sorted
        self._positions: dict[Any, int] | None = None  # row id -> position, made when first needed

    # --- what a subclass describes --------------------------------------------------------------
    def headers(self) -> Sequence[str]:
        return self.HEADERS

    def cell(self, row, column: int) -> str:
        raise NotImplementedError(f"{type(self).__name__} must say what its cells show")

    def decoration(self, row, column: int):
        return None

    def tooltip(self, row, column: int) -> str | None:
        return None

    def accessible(self, row, column: int) -> str | None:
        """What a screen reader says, when it is not the cell's text."""
        return None

    def sort_key(self, row, column: int) -> str | int | float:
        """A plain value Qt can compare; by default the cell's text."""
        return self.cell(row, column)

    def alignment(self, column: int) -> int | None:
        return None

    def header_tip(self, section: int) -> str | None:
        """A column header's tooltip: what the column counts, when its title cannot say it all."""
        return None

    def row_id(self, row):
        """What names a row across reloads; read shapes carry `id` or `staff_id`."""
        for name in ("id", "staff_id"):
            value = getattr(row, name, None)
            if value is not None:
                return value
        return id(row)

    # --- rows in --------------------------------------------------------------------------------
    def set_rows(self, rows) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._positions = None
        self._sort_keys = {}
        self._display = [None] * len(self._rows)
        self.endResetModel()

    def append_rows(self, rows) -> None:
        """Add rows after the last (the next page of a list read page by page): the rows shown keep
        their place, selection and scroll position, as no reset happens."""
        rows = list(rows)
        if not rows:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self._display.extend([None] * len(rows))
        for column, keys in self._sort_keys.items():
            keys.extend(self.sort_key(row, column) for row in rows)
        if self._positions is not None:
            self._positions.update((self.row_id(row), first + n) for n, row in enumerate(rows))
        self.endInsertRows()

    def rows(self) -> list:
        return self._rows

    def update_row(self, row) -> bool:
        """Put a changed row in place of the one with its id; False when no such row is shown."""
        position = self.position_of(self.row_id(row))
        if position is None:
            return False
        self._rows[position] = row
        self._display[position] = None
        for column, keys in self._sort_keys.items():
            keys[position] = self.sort_key(row, column)
        self.dataChanged.emit(self.index(position, 0), self.index(position, self.columnCount() - 1))
        return True

    def position_of(self, row_id) -> int | None:
        if self._positions is None:
            self._positions = {self.row_id(row): n for n, row in enumerate(self._rows)}
        return self._positions.get(row_id)

    def _display_of(self, row) -> tuple[str, ...]:
        return tuple(self.cell(row, column) for column in range(len(self.headers())))

    def _texts(self, position: int) -> tuple[str, ...]:
        """The row's cell texts, worked out the first time they are asked for."""
        texts = self._display[position]
        if texts is None:
            texts = self._display[position] = self._display_of(self._rows[position])
        return texts

    # --- Qt's side ------------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.headers())

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers()[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return self.header_tip(section)
        return None

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        if role == _DISPLAY:
            return self._texts(index.row())[index.column()]
        if role == _DECORATION:
            return self.decoration(self._rows[index.row()], index.column())
        if role == _ALIGNMENT:
            return self.alignment(index.column())
        if role == SORT_ROLE:
            column = index.column()
            keys = self._sort_keys.get(column)
            if keys is None:  # sorting asks for each key many times: work them out once
                keys = self._sort_keys[column] = [self.sort_key(row, column) for row in self._rows]
            return keys[index.row()]
        if role == ROW_ROLE:
            return self._rows[index.row()]
        if role == _TOOLTIP:
            return self.tooltip(self._rows[index.row()], index.column())
        if role == _ACCESSIBLE:
            position, column = index.row(), index.column()
            spoken = self.accessible(self._rows[position], column)
            return self._texts(position)[column] if spoken is None else spoken
        return None


@dataclass(frozen=True)
class Column:
    """One column of a `RowsModel`: its header and how a row's cell reads, looks and sorts."""

    header: str
    text: Callable[[object], str]
    icon: Callable[[object], QIcon | None] | None = None
    sort: Callable[[object], object] | None = None
    align_right: bool = False
    tip: Callable[[object], str] | None = None


class RowsModel(RowTableModel):
    """A read-only table described by `Column`s, for the many small lists in the record dialogs."""

    def __init__(self, columns: Sequence[Column], parent=None):
        super().__init__(parent)
        self.columns = tuple(columns)

    def headers(self) -> Sequence[str]:
        return [column.header for column in self.columns]

    def cell(self, row, column: int) -> str:
        return self.columns[column].text(row)

    def decoration(self, row, column: int):
        icon = self.columns[column].icon
        return icon(row) if icon is not None else None

    def tooltip(self, row, column: int) -> str | None:
        described = self.columns[column]
        return described.tip(row) if described.tip is not None else described.text(row)

    def sort_key(self, row, column: int):
        described = self.columns[column]
        return described.sort(row) if described.sort is not None else search_key(described.text(row))

    def alignment(self, column: int) -> int | None:
        return _RIGHT if self.columns[column].align_right else None
