"""The staff list as a Qt table model, and the proxy that searches and filters it in memory.

Rows are the services' `StaffRow` read shapes; `ROW_ROLE` returns the row itself so a view can
find the person behind a sorted, filtered index.
"""

from __future__ import annotations


from PySide6.QtCore import Qt

from arrs_desk.domain.staff import EMPLOYMENT_MODEL_LABELS, StaffStatus, search_key
from arrs_desk.ui.common.icons import status_icon
from arrs_desk.ui.common.filter_proxy import FilterProxy
from arrs_desk.ui.common.table_model import ROW_ROLE, SORT_ROLE, RowTableModel  # noqa: F401  (ROW_ROLE re-exported)
from arrs_desk.ui.common.dates import uk_date


NAME, ROLE, PRACTICES, EMPLOYMENT, STATUS, START, MANAGER, REGISTRATION = range(8)
HEADERS = ("Name", "Role", "Practice(s)", "Employment", "Status", "Start date", "Line manager", "Registration")





class StaffTableModel(RowTableModel):
    HEADERS = HEADERS

    def sort_key(self, row, column: int):
        if column == START:
            return row.start_date.toordinal()
        if column == NAME:
            return row.sort_name
        return search_key(self.cell(row, column))

    def decoration(self, row, column: int):
        return status_icon(row.status) if column == STATUS else None

    def tooltip(self, row, column: int) -> str | None:
        if column == STATUS and row.end_date:
            # the end date is the last day: until it has passed the person is still here
            return f"{'Last day' if row.status == StaffStatus.LEFT else 'Leaving; last day'} {uk_date(row.end_date)}"
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


class StaffFilterProxy(FilterProxy):
    """Search by words (any order, accents and case ignored) and filter by practice, role, status."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._practice_id: int | None = None
        self._role_code: str | None = None
        self._status: str | None = CURRENT

    def set_filters(self, *, practice_id: int | None, role_code: str | None, status: str | None) -> None:
        self.set_values(practice_id=practice_id, role_code=role_code, status=status)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Rows arrive sorted by name, so the default order needs no sorting at all."""
        if column == NAME and order == Qt.SortOrder.AscendingOrder:
            super().sort(-1)
        else:
            super().sort(column, order)

    @property
    def is_filtered(self) -> bool:
        return bool(self._words) or self._practice_id is not None or self._role_code is not None or self._status not in (None, CURRENT)

    def keep(self, rows: list) -> list[bool]:
        """All rows at once, one comprehension per filter in use: the list holds up to 10,000 staff."""
        status, role_code, practice_id = self._status, self._role_code, self._practice_id
        if status == CURRENT:
            left = StaffStatus.LEFT.value
            kept = [row.status != left for row in rows]
        elif status is not None:
            kept = [row.status == status for row in rows]
        else:
            kept = [True] * len(rows)
        if role_code is not None:
            kept = [shown and row.role_code == role_code for shown, row in zip(kept, rows)]
        if practice_id is not None:
            kept = [shown and practice_id in row.practice_ids for shown, row in zip(kept, rows)]
        return kept
