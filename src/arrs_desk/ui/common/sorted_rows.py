"""A `RowTableModel` that keeps its rows in order itself, for lists of thousands of people.

A `QSortFilterProxyModel` sorting on `SORT_ROLE` compares in C++, but fetches both keys of every
comparison through the model's Python `data()`: about 2 n log n calls, some 120,000 for 5,000
rows, which took the Reviews page most of a second (issue 18). Here the keys of a column are
worked out once (one Python call per row), Python's `sorted` orders positions by them in C, and
the rows, their display tuples and every key already worked out move together. The page's
`FilterProxy` sets `SORT_IN_SOURCE`, so it passes sorting here and only filters; `SORT_ROLE`
still answers the same keys for anything that asks.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from arrs_desk.ui.common.table_model import RowTableModel


class SortedRowsModel(RowTableModel):
    """Rows kept sorted by the last `sort` asked for (`order` until then); the selection (and any
    other persistent index) follows its row across a sort."""

    def __init__(self, parent=None, order: tuple[int, Qt.SortOrder] = (0, Qt.SortOrder.AscendingOrder)):
        super().__init__(parent)
        self._order = order

    @property
    def order(self) -> tuple[int, Qt.SortOrder]:
        return self._order

    def set_order(self, column: int, order: Qt.SortOrder) -> None:
        """The order the next `set_rows` arranges the rows in, without sorting now."""
        self._order = (column, order)

    def set_rows(self, rows) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._positions = None
        self._sort_keys = {}
        self._display = [None] * len(self._rows)  # each row's text when it is first shown (it moves with its row)
        self._arrange(*self._order)
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._order = (column, order)
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        before = [(self.row_id(self._rows[i.row()]), i.column()) for i in persistent]
        self._arrange(column, order)
        self.changePersistentIndexList(persistent, [self.index(self.position_of(r), c) for r, c in before])
        self.layoutChanged.emit()

    def keys(self, column: int) -> list:
        """Every row's sort key in `column`, worked out once and kept until the rows change."""
        keys = self._sort_keys.get(column)
        if keys is None:
            keys = self._sort_keys[column] = [self.sort_key(row, column) for row in self._rows]
        return keys

    def _arrange(self, column: int, order: Qt.SortOrder) -> None:
        if column < 0 or column >= len(self.headers()) or len(self._rows) < 2:
            return
        keys = self.keys(column)
        moved = sorted(range(len(keys)), key=keys.__getitem__, reverse=order == Qt.SortOrder.DescendingOrder)
        self._rows = [self._rows[i] for i in moved]
        self._display = [self._display[i] for i in moved]
        self._sort_keys = {c: [k[i] for i in moved] for c, k in self._sort_keys.items()}
        self._positions = None
