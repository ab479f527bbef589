"""The one filter proxy: search words plus a page's own filters, over a model's read-shape rows.

Every list page searches the same way (words in any order, accents and case ignored: the services'
`search_key`) and filters on a few values from its filter bar. A subclass says only what a row must
satisfy (`accepts`) and what text the words are looked for in (`search_text`); the brackets Qt
needs around a filter change, the sort role and the list of shown rows are here once.

Sorting compares `SORT_ROLE` values (plain strings and numbers) in C++: there is no Python
`lessThan`. A model that sorts its own rows on precomputed keys (the induction and programme
overviews) sets `SORT_IN_SOURCE`, and the proxy passes the request on.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from arrs_desk.domain.staff import search_key
from arrs_desk.ui.common.table_model import ROW_ROLE, SORT_ROLE

_Index = QModelIndex | QPersistentModelIndex


class FilterProxy(QSortFilterProxyModel):
    """Subclasses set their filter attributes through `set_values` and answer `accepts(row)`."""

    SORT_IN_SOURCE = False
    """True when the source model keeps its rows sorted itself (it has a `sort` of its own)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._words: tuple[str, ...] = ()
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(False)

    # --- what a subclass describes --------------------------------------------------------------
    def accepts(self, row) -> bool:
        """Whether the page's filters (not the search words) let this row through."""
        return True

    def search_text(self, row) -> str:
        """The folded text the search words are looked for in."""
        return row.search_key

    # --- changing the filter --------------------------------------------------------------------
    def set_search(self, text: str) -> None:
        words = tuple(search_key(text).split())
        if words != self._words:
            self.beginFilterChange()
            self._words = words
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_values(self, *, words: str | None = None, **values) -> None:
        """Set filter attributes (`practice_id=3` sets `self._practice_id`) and refilter once."""
        self.beginFilterChange()
        if words is not None:
            self._words = tuple(search_key(words).split())
        for name, value in values.items():
            setattr(self, f"_{name}", value)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    # --- Qt's side ------------------------------------------------------------------------------
    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:  # noqa: N802
        row = self.sourceModel().rows()[source_row]
        if not self.accepts(row):
            return False
        if self._words:
            text = self.search_text(row)
            return all(word in text for word in self._words)
        return True

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if self.SORT_IN_SOURCE:
            self.sourceModel().sort(column, order)
        else:
            super().sort(column, order)

    def shown_rows(self) -> list:
        """The rows shown, in order: mapped in C++, with no Python `data()` call per row."""
        source = self.sourceModel()
        rows = getattr(source, "rows", None)
        if rows is None:
            return [self.index(r, 0).data(ROW_ROLE) for r in range(self.rowCount())]
        rows = rows()
        return [rows[self.mapToSource(self.index(r, 0)).row()] for r in range(self.rowCount())]
