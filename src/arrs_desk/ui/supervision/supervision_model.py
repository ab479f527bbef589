"""Qt models for supervision: the matrix (people by supervision type), its filter, and a small
column-described table model for the other supervision lists.

A status is always shown as words plus a badge whose symbol differs per status; the cell's
tint only repeats what the words say. Tints are translucent, so the palette's own text colour
stays readable on them in light and dark themes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor, QIcon, QPalette
from PySide6.QtWidgets import QApplication

from arrs_desk.ui.common.text import plural
from arrs_desk.domain.staff import search_key
from arrs_desk.ui.common.icons import glyph_icon

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
CELL_ROLE = Qt.ItemDataRole.UserRole + 3

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
}
_TINTS = {"good": "#007f3b", "warn": "#c76a00", "bad": "#c0002a"}
NEEDS_ACTION_STATUSES = frozenset({"overdue", "never-held", "supervisor-left", "not-arranged"})


def uk_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


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
            return (-cell.severity, due)
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


class MatrixFilterProxy(QSortFilterProxyModel):
    """Search by name or role; filter by practice, role, status and ARRS roles only."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._words: tuple[str, ...] = ()
        self._practice_id = None
        self._role_code = None
        self._status = None
        self._arrs_only = True
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(False)

    def set_search(self, text: str) -> None:
        words = tuple(search_key(text).split())
        if words != self._words:
            self.beginFilterChange()
            self._words = words
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_filters(self, *, practice_id=None, role_code=None, status=None, arrs_only: bool = True) -> None:
        self.beginFilterChange()
        self._practice_id, self._role_code, self._status, self._arrs_only = practice_id, role_code, status, arrs_only
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:  # noqa: N802
        row = self.sourceModel().rows()[source_row]
        if self._arrs_only and not row.arrs:
            return False
        if self._role_code is not None and row.role_code != self._role_code:
            return False
        if self._practice_id is not None and self._practice_id not in row.practice_ids:
            return False
        if self._status == NEEDS_ACTION:
            if not any(str(c.status) in NEEDS_ACTION_STATUSES for c in row.cells):
                return False
        elif self._status is not None and not any(str(c.status) == self._status for c in row.cells):
            return False
        if self._words:
            key = search_key(row.display_name, row.role_title, row.practices)
            return all(word in key for word in self._words)
        return True

    def shown_rows(self) -> list:
        return [self.index(r, 0).data(ROW_ROLE) for r in range(self.rowCount())]

    def lessThan(self, left: _Index, right: _Index) -> bool:  # noqa: N802
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        if a == b:
            return left.data(ROW_ROLE).sort_key < right.data(ROW_ROLE).sort_key
        return a < b


@dataclass(frozen=True)
class Column:
    header: str
    text: Callable[[object], str]
    icon: Callable[[object], QIcon | None] | None = None
    sort: Callable[[object], object] | None = None
    align_right: bool = False
    tip: Callable[[object], str] | None = None


class RowsModel(QAbstractTableModel):
    """A read-only table of read-shape rows, described by `Column`s; ROW_ROLE gives the row."""

    def __init__(self, columns: Sequence[Column], parent=None):
        super().__init__(parent)
        self.columns = tuple(columns)
        self._rows: list = []

    def set_rows(self, rows) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list:
        return self._rows

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        if role == ROW_ROLE:
            return row
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return column.text(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tip(row) if column.tip is not None else column.text(row)
        if role == Qt.ItemDataRole.DecorationRole and column.icon is not None:
            return column.icon(row)
        if role == SORT_ROLE:
            return column.sort(row) if column.sort is not None else search_key(column.text(row))
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
