"""Qt models for supervision: the matrix (people by supervision type) and its filter. The smaller
supervision lists use the shared `RowsModel` (ui/common/table_model.py).

A status is always shown as words plus a badge whose symbol differs per status; the cell's
tint only repeats what the words say. Tints are translucent, so the palette's own text colour
stays readable on them in light and dark themes.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QIcon, QPalette
from PySide6.QtWidgets import QApplication

from arrs_desk.ui.common.text import plural
from arrs_desk.domain.staff import search_key
from arrs_desk.ui.common.icons import glyph_icon
from arrs_desk.ui.common.filter_proxy import FilterProxy
from arrs_desk.ui.common.table_model import CELL_ROLE, ROW_ROLE, SORT_ROLE, Column, RowsModel, sort_text  # noqa: F401  (re-exported for the supervision views)
from arrs_desk.ui.common.dates import uk_date  # noqa: F401  (used by the supervision views too)


NAME = 0
"""The first column; supervision types follow in catalogue order."""

NEEDS_ACTION = "needs-action"
"""Status filter meaning overdue, never held, supervisor left or not arranged."""

_Index = QModelIndex | QPersistentModelIndex

# status value -> (badge symbol, tone). The symbols differ so the badge alone tells them apart.
STATUS_STYLE = {
    "in-date": ("✓", "good"),
    "due-soon": ("…", "warn"),
    "overdue": ("!", "bad"),
    "never-held": ("?", "bad"),
    "supervisor-left": ("↗", "bad"),
    "not-arranged": ("×", "bad"),
    "ended": ("–", "neutral"),
    "not-started": ("→", "neutral"),  # an arrangement beginning on a later day (never a matrix cell)
}
_TINTS = {"good": "#007f3b", "warn": "#c76a00", "bad": "#c0002a"}
NEEDS_ACTION_STATUSES = frozenset({"overdue", "never-held", "supervisor-left", "not-arranged"})




def status_icon(status: str) -> QIcon | None:
    style = STATUS_STYLE.get(str(status))
    return glyph_icon(*style) if style else None


def status_tint(status: str) -> QColor | None:
    style = STATUS_STYLE.get(str(status))
    if style is None or style[1] not in _TINTS:
        return None
    colour = QColor(_TINTS[style[1]])
    colour.setAlpha(34)
    return colour


def status_detail(cell, today: date | None = None) -> str:
    """The words after the status: the date that matters, or how late it is. Short, so a cell
    shows the status and the supervisor on two lines without cutting either."""
    status = str(cell.status)
    if status in ("in-date", "due-soon") and cell.next_due:
        return "today" if cell.next_due == today else uk_date(cell.next_due)
    if status in ("overdue", "never-held") and cell.days_overdue:
        return plural(cell.days_overdue, "day")
    return ""


def cell_lines(cell, today: date | None = None) -> tuple[str, str]:
    status = str(cell.status)
    if status == "not-applicable":
        return "", ""
    detail = status_detail(cell, today)
    first = f"{cell.status_label} · {detail}" if detail else cell.status_label
    second = cell.supervisors or ("No supervisor named" if status == "not-arranged" else "")
    return first, second


def two_line_title(title: str) -> str:
    words = title.split()
    if len(words) < 2:
        return title
    best = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - len(" ".join(words[i:]))))
    return " ".join(words[:best]) + "\n" + " ".join(words[best:])


class MatrixModel(QAbstractTableModel):
    """People by supervision type. Kept apart from `RowTableModel` because it is a pivot: its
    columns come from the data (one per supervision type in the catalogue), each cell is an object
    of its own (`CELL_ROLE`) with a tint and a badge, and its headers carry tooltips. Its sort keys
    are still plain strings (`sort_text`), so Qt sorts it in C++."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list = []
        self._types: tuple = ()
        self.matrix = None

    def set_matrix(self, matrix) -> None:
        self.beginResetModel()
        self.matrix = matrix
        self._rows = list(matrix.rows)
        self._types = matrix.types
        self.endResetModel()

    def rows(self) -> list:
        return self._rows

    def type_code(self, column: int) -> str | None:
        return self._types[column - 1].code if column >= 1 else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else 1 + len(self._types)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return "Name and role" if section == NAME else two_line_title(self._types[section - 1].title)
        if role == Qt.ItemDataRole.ToolTipRole and section > NAME:
            return self._types[section - 1].description
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == ROW_ROLE:
            return row
        if column == NAME:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return f"{row.display_name}\n{row.role_title}"
            if role == SORT_ROLE:
                return row.sort_key
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{row.display_name}, {row.role_title}\n{row.practices}\nDouble-click to open their supervision."
            return None
        cell = row.cells[column - 1]
        if role == CELL_ROLE:
            return cell
        status = str(cell.status)
        if role == Qt.ItemDataRole.DisplayRole:
            first, second = cell_lines(cell, self.matrix.today)
            return f"{first}\n{second}" if second else first
        if role == Qt.ItemDataRole.AccessibleTextRole:
            first, second = cell_lines(cell, self.matrix.today)
            title = self._types[column - 1].title
            return f"{title}: {first or 'not required'}" + (f", {second}" if second else "")
        if role == Qt.ItemDataRole.DecorationRole:
            return status_icon(status)
        if role == Qt.ItemDataRole.BackgroundRole:
            return status_tint(status)
        if role == Qt.ItemDataRole.ForegroundRole and status in ("not-applicable", "ended"):
            return QApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        if role == SORT_ROLE:
            due = cell.next_due.toordinal() if cell.next_due else 0
            return sort_text(-cell.severity, due, row.sort_key)  # people alike sort by name
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, cell, column)
        return None

    def _tooltip(self, row, cell, column: int) -> str:
        title = self._types[column - 1].title
        lines = [f"{title} for {row.display_name}", f"Status: {cell.status_label}"]
        if cell.frequency_label:
            lines.append(f"{'Required' if cell.required else 'Optional'}, {cell.frequency_label.lower()}")
        elif str(cell.status) == "not-applicable":
            lines.append("Not required for this role at present")
        if cell.supervisors:
            lines.append(f"Supervisor: {cell.supervisors}")
        lines.append(f"Last session: {uk_date(cell.last_session) or 'none recorded'}")
        if cell.next_due:
            lines.append(f"Next due: {uk_date(cell.next_due)}")
        return "\n".join(lines)


class MatrixFilterProxy(FilterProxy):
    """Search by name or role; filter by practice, role, status and ARRS roles only."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._practice_id = None
        self._role_code = None
        self._status = None
        self._arrs_only = True

    def set_filters(self, *, words: str | None = None, practice_id=None, role_code=None, status=None,
                    arrs_only: bool = True) -> None:
        """The search words (None: as they are) and the filters, applied in one pass over the rows."""
        self.set_values(words=words, practice_id=practice_id, role_code=role_code, status=status, arrs_only=arrs_only)

    def accepts(self, row) -> bool:
        if self._arrs_only and not row.arrs:
            return False
        if self._role_code is not None and row.role_code != self._role_code:
            return False
        if self._practice_id is not None and self._practice_id not in row.practice_ids:
            return False
        if self._status == NEEDS_ACTION:
            return any(str(c.status) in NEEDS_ACTION_STATUSES for c in row.cells)
        return self._status is None or any(str(c.status) == self._status for c in row.cells)

    def search_text(self, row) -> str:
        return search_key(row.display_name, row.role_title, row.practices)
