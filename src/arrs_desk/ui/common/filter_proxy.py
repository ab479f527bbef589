"""The one filter proxy: search words plus a page's own filters, over a model's read-shape rows.

Every list page searches the same way (words in any order, accents and case ignored: the services'
`search_key`) and filters on a few values from its filter bar. A subclass says only what a row must
satisfy (`accepts`) and what text the words are looked for in (`search_text`); the brackets Qt
needs around a filter change, the sort role and the list of shown rows are here once.

Sorting compares `SORT_ROLE` values (plain strings and numbers) in C++: there is no Python
`lessThan`. A model that sorts its own rows on precomputed keys (the induction and programme
overviews) sets `SORT_IN_SOURCE`, and the proxy passes the request on.

Which rows pass is worked out in one pass over the rows the first time Qt asks after a change
(`keep`), and `filterAcceptsRow` only looks the answer up: Qt asks once per row, and doing the
work in each of those calls took 15 ms for 10,000 staff where the one pass and the lookups take 6.
The proxy never refilters by itself on a changed row (no dynamic filtering), so a row's new values
count from the next filter change, as before.

Each row's folded search text is worked out once and kept by position (issue 18: at 10,000 staff
folding every name took a quarter of the staff list's start-up): not when the rows arrive, but in
small slices while the window is idle after they do, so a new list is shown without waiting for
it, and at once for whatever is left when someone searches first. Kept until the rows change
(a changed row is folded again on its own).
"""

from __future__ import annotations

from itertools import compress

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, QTimer

from arrs_desk.domain.staff import search_key
from arrs_desk.ui.common.table_model import ROW_ROLE, SORT_ROLE

_Index = QModelIndex | QPersistentModelIndex


class FilterProxy(QSortFilterProxyModel):
    """Subclasses set their filter attributes through `set_values` and answer `accepts(row)`."""

    SORT_IN_SOURCE = False
    """True when the source model keeps its rows sorted itself (it has a `sort` of its own)."""

    FOLDED_WHEN_IDLE = 2_000
    """How many rows' search texts one idle slice folds (a few milliseconds)."""
    FOLDING_STARTS_MS = 100
    """How long after new rows the slices begin: the list is painted and the page's other first
    work done before, and nobody types a search sooner."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._words: tuple[str, ...] = ()
        self._texts: list[str] = []  # the first rows' folded search texts, in the source's order
        self._texts_of: list | None = None  # the rows list they were folded from
        self._kept: list[bool] = []  # per source row, whether it is shown: made by `_keep` when asked
        self._kept_of: list | None = None  # the rows list it was made from; None after a change
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(False)

    def setSourceModel(self, model) -> None:  # noqa: N802
        super().setSourceModel(model)
        for changed in (model.modelReset, model.layoutChanged, model.rowsInserted, model.rowsRemoved):
            changed.connect(self._rows_changed)
        # Before Qt's own handling asks again for the rows that changed, not after.
        for changing in (model.modelAboutToBeReset, model.layoutAboutToBeChanged, model.rowsAboutToBeInserted,
                         model.rowsAboutToBeRemoved):
            changing.connect(self._forget_kept)
        model.dataChanged.connect(self._row_changed)

    # --- what a subclass describes --------------------------------------------------------------
    def accepts(self, row) -> bool:
        """Whether the page's filters (not the search words) let this row through."""
        return True

    def keep(self, rows: list) -> list[bool]:
        """`accepts` for every row, in order. A proxy whose list can hold thousands of rows may
        answer for all of them at once instead (one comprehension rather than a call per row)."""
        accepts = self.accepts
        return [accepts(row) for row in rows]

    def search_text(self, row) -> str:
        """The folded text the search words are looked for in."""
        return row.search_key

    # --- changing the filter --------------------------------------------------------------------
    def set_search(self, text: str) -> None:
        words = tuple(search_key(text).split())
        if words != self._words:
            self.beginFilterChange()
            self._words = words
            self._forget_kept()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_values(self, *, words: str | None = None, **values) -> None:
        """Set filter attributes (`practice_id=3` sets `self._practice_id`) and refilter once."""
        self.beginFilterChange()
        if words is not None:
            self._words = tuple(search_key(words).split())
        for name, value in values.items():
            setattr(self, f"_{name}", value)
        self._forget_kept()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    # --- Qt's side ------------------------------------------------------------------------------
    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:  # noqa: N802
        if self._kept_of is None:
            self._keep()
        return self._kept[source_row]

    def _keep(self) -> None:
        """Which rows are shown, all at once: the page's filters, then the search words."""
        rows = self.sourceModel().rows()
        kept = self.keep(rows)
        words = self._words
        if words:
            texts = self._texts if len(self._texts) == len(rows) and self._texts_of is rows else self._fold(rows)
            if len(words) == 1:
                word = words[0]
                kept = [shown and word in text for shown, text in zip(kept, texts)]
            else:
                kept = [shown and all(word in text for word in words) for shown, text in zip(kept, texts)]
        self._kept, self._kept_of = kept, rows

    def _forget_kept(self, *_args) -> None:
        self._kept, self._kept_of = [], None

    # --- the folded search texts ----------------------------------------------------------------
    def _fold(self, rows: list, upto: int | None = None) -> list[str]:
        """The search texts of `rows` folded up to `upto` (all of them by default), carrying on
        from where the last call stopped."""
        if self._texts_of is not rows:
            self._texts, self._texts_of = [], rows
        done, end = len(self._texts), len(rows) if upto is None else min(upto, len(rows))
        if end > done:
            self._texts.extend(self.search_text(row) for row in rows[done:end])
        return self._texts

    def _fold_when_idle(self) -> None:
        source = self.sourceModel()
        if source is None:
            return
        rows = source.rows()
        texts = self._fold(rows, len(self._texts) + self.FOLDED_WHEN_IDLE if self._texts_of is rows else
                           self.FOLDED_WHEN_IDLE)
        if len(texts) < len(rows):
            QTimer.singleShot(0, self, self._fold_when_idle)

    def _rows_changed(self, *_args) -> None:
        self._texts, self._texts_of = [], None
        QTimer.singleShot(self.FOLDING_STARTS_MS, self, self._fold_when_idle)

    def _row_changed(self, top_left: QModelIndex, bottom_right: QModelIndex, *_roles) -> None:
        rows = self.sourceModel().rows()
        if self._texts_of is rows:
            for position in range(top_left.row(), min(bottom_right.row() + 1, len(self._texts))):
                self._texts[position] = self.search_text(rows[position])
        self._forget_kept()  # the next time Qt asks (a filter change), the changed row is judged again

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if self.SORT_IN_SOURCE:
            self.sourceModel().sort(column, order)
        else:
            super().sort(column, order)

    def shown_rows(self) -> list:
        """The rows shown, in order, with no Python `data()` call per row. While the proxy does not
        reorder (the source sorts itself, or nothing is sorted) that is the rows it keeps, picked
        in C from the list `_keep` made; otherwise each is mapped in C++ (a Python call per row:
        tens of milliseconds at 10,000 staff, on the GUI thread, each time a filter changed)."""
        source = self.sourceModel()
        rows = getattr(source, "rows", None)
        if rows is None:
            return [self.index(r, 0).data(ROW_ROLE) for r in range(self.rowCount())]
        rows = rows()
        shown = self.rowCount()
        if (self.SORT_IN_SOURCE or self.sortColumn() < 0) and self._kept_of is rows and sum(self._kept) == shown:
            return list(compress(rows, self._kept))
        return [rows[self.mapToSource(self.index(r, 0)).row()] for r in range(shown)]
