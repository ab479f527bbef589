"""The staff list as a Qt table model, and the proxy that searches and filters it in memory.

Rows are the services' `StaffRow` read shapes; `ROW_ROLE` returns the row itself so a view can
find the person behind a sorted, filtered index.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from arrs_desk.domain.staff import EMPLOYMENT_MODEL_LABELS, StaffStatus, search_key
from arrs_desk.ui.common.icons import status_icon
from arrs_desk.ui.common.table_model import ROW_ROLE, SORT_ROLE, RowTableModel  # noqa: F401  (ROW_ROLE re-exported)


NAME, ROLE, PRACTICES, EMPLOYMENT, STATUS, START, MANAGER, REGISTRATION = range(8)
HEADERS = ("Name", "Role", "Practice(s)", "Employment", "Status", "Start date", "Line manager", "Registration")

_Index = QModelIndex | QPersistentModelIndex


def uk_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


class StaffTableModel(RowTableModel):
    HEADERS = HEADERS

    def __init__(self, parent=None):
        super().__init__(parent)
        self._sort_keys: dict[tuple[int, int], object] = {}

    def set_rows(self, rows: list) -> None:
        self._sort_keys = {}
        super().set_rows(rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if role == SORT_ROLE and index.isValid():
            row, column = self._rows[index.row()], index.column()
            if column == START:
                return row.start_date.toordinal()
            if column == NAME:
                return row.sort_name
            key = (index.row(), column)
            if key not in self._sort_keys:  # sorting asks for each key many times
                self._sort_keys[key] = search_key(self.cell(row, column))
            return self._sort_keys[key]
        return super().data(index, role)

    def decoration(self, row, column: int):
        return status_icon(row.status) if column == STATUS else None

    def tooltip(self, row, column: int) -> str | None:
        if column == STATUS and row.end_date:
            return f"Left on {uk_date(row.end_date)}"
        if column == NAME and row.email:
            return row.email
        return None

    def cell(self, row, column: int) -> str:
        if column == NAME:
            return row.display_name
        if column == ROLE:
            return row.role_title
        if column == PRACTICES:
            return row.practices
        if column == EMPLOYMENT:
            return EMPLOYMENT_MODEL_LABELS.get(row.employment_model, row.employment_model)
        if column == STATUS:
            return StaffStatus(row.status).label
        if column == START:
            return uk_date(row.start_date)
        if column == MANAGER:
            return row.line_manager
        if column == REGISTRATION:
            return row.registration
        return ""


CURRENT = "current"
"""Status filter meaning everyone who has not left: what managers want to see by default."""


class StaffFilterProxy(QSortFilterProxyModel):
    """Search by words (any order, accents and case ignored) and filter by practice, role, status."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._words: tuple[str, ...] = ()
        self._practice_id: int | None = None
        self._role_code: str | None = None
        self._status: str | None = CURRENT
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(False)

    def set_search(self, text: str) -> None:
        words = tuple(search_key(text).split())
        if words != self._words:
            self.beginFilterChange()
            self._words = words
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_filters(self, *, practice_id: int | None, role_code: str | None, status: str | None) -> None:
        self.beginFilterChange()
        self._practice_id, self._role_code, self._status = practice_id, role_code, status
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Rows arrive sorted by name, so the default order needs no sorting at all."""
        if column == NAME and order == Qt.SortOrder.AscendingOrder:
            super().sort(-1)
        else:
            super().sort(column, order)

    @property
    def is_filtered(self) -> bool:
        return bool(self._words) or self._practice_id is not None or self._role_code is not None or self._status not in (None, CURRENT)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:  # noqa: N802
        row = self.sourceModel().rows()[source_row]
        if self._status == CURRENT:
            if row.status == StaffStatus.LEFT:
                return False
        elif self._status is not None and row.status != self._status:
            return False
        if self._role_code is not None and row.role_code != self._role_code:
            return False
        if self._practice_id is not None and self._practice_id not in row.practice_ids:
            return False
        key = row.search_key
        return all(word in key for word in self._words)
