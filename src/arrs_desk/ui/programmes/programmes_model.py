"""Qt models for programmes: the overview of everyone enrolled, its filter, and status badges.

A status is always words plus a badge whose symbol differs per status; colour only repeats it.
Sorting happens in the source model on keys worked out once per row.
"""

from __future__ import annotations


from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QIcon

from arrs_desk.domain.programmes import EnrolmentStatus, MilestoneStatus
from arrs_desk.domain.staff import search_key
from arrs_desk.ui.common.icons import glyph_icon
from arrs_desk.ui.common.dates import uk_date as uk
from arrs_desk.ui.common.filter_proxy import FilterProxy
from arrs_desk.ui.common.table_model import ROW_ROLE, SORT_ROLE

_Index = QModelIndex | QPersistentModelIndex

ENROLMENT_STYLE = {
    EnrolmentStatus.NOT_STARTED: ("…", "info"),
    EnrolmentStatus.ON_TRACK: ("✓", "good"),
    EnrolmentStatus.BEHIND: ("!", "bad"),
    EnrolmentStatus.PAUSED: ("‖", "neutral"),
    EnrolmentStatus.COMPLETED: ("★", "good"),
    EnrolmentStatus.WITHDRAWN: ("×", "neutral"),
}
MILESTONE_STYLE = {
    MilestoneStatus.HELD: ("✓", "good"),
    MilestoneStatus.DUE: ("…", "warn"),
    MilestoneStatus.OVERDUE: ("!", "bad"),
    MilestoneStatus.UPCOMING: ("›", "info"),
}
STATUS_ORDER = {EnrolmentStatus.BEHIND: 0, EnrolmentStatus.PAUSED: 1, EnrolmentStatus.ON_TRACK: 2,
                EnrolmentStatus.NOT_STARTED: 3, EnrolmentStatus.COMPLETED: 4, EnrolmentStatus.WITHDRAWN: 5}
PROGRESS_TIP = ("Progress counts what has been achieved: competencies signed off (70%) and milestones held (30%). "
                "Time elapsed is never counted in it; compare the two columns to see who is behind.")




def enrolment_icon(status: EnrolmentStatus) -> QIcon:
    return glyph_icon(*ENROLMENT_STYLE[status])


def milestone_icon(status: MilestoneStatus, *, finished: bool = False) -> QIcon:
    if finished and status is not MilestoneStatus.HELD:
        return glyph_icon("–", "neutral")
    return glyph_icon(*MILESTONE_STYLE[status])


def hours(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value)}"


NAME, ROLE, PROGRAMME, STATUS, WHY, PROGRESS, ELAPSED, MILESTONES, COMPETENCIES, PROTECTED, NEXT, PRACTICES, \
    STARTED, ENDS, ASSESSOR = range(15)
HEADERS = ("Name", "Role", "Programme", "Status", "Why behind", "Progress", "Time elapsed", "Milestones",
           "Competencies", "Protected time", "Next milestone", "Practice(s)", "Started", "Expected end", "Assessor")
WIDTHS = (150, 130, 200, 100, 360, 96, 96, 136, 100, 118, 230, 190, 84, 94, 160)
HIDDEN_AT_FIRST = (COMPETENCIES, PROTECTED, STARTED, ENDS, ASSESSOR)
"""Shown when chosen from the heading's menu (`column_choice`): with them the list is wider than a
1366x768 laptop's window, and the programme's own window shows each of them."""


class OverviewModel(QAbstractTableModel):
    """The programme overview rows. Kept apart from `RowTableModel` because it sorts itself, on
    keys worked out once per row, and keeps persistent indexes (the selection) across a sort;
    its `OverviewProxy` passes sorting on to it (`FilterProxy.SORT_IN_SOURCE`)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list = []
        self._sort: tuple[int, Qt.SortOrder] = (NAME, Qt.SortOrder.AscendingOrder)

    def set_rows(self, rows) -> None:
        self.beginResetModel()
        self._rows = self._sorted(list(rows), *self._sort)
        self.endResetModel()

    def rows(self) -> list:
        return self._rows

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        before = [(self._rows[i.row()].enrolment_id, i.column()) for i in persistent]
        self._rows = self._sorted(self._rows, column, order)
        position = {row.enrolment_id: n for n, row in enumerate(self._rows)}
        self.changePersistentIndexList(persistent, [self.index(position[e], c) for e, c in before])
        self.layoutChanged.emit()

    @classmethod
    def _sorted(cls, rows: list, column: int, order: Qt.SortOrder) -> list:
        keyed = sorted(rows, key=lambda r: (r.sort_name, r.enrolment_id))
        return sorted(keyed, key=lambda r: cls.sort_key(r, column), reverse=order == Qt.SortOrder.DescendingOrder)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole and section in (PROGRESS, ELAPSED):
            return PROGRESS_TIP
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == ROW_ROLE:
            return row
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.text(row, column)
        if role == SORT_ROLE:
            return self.sort_key(row, column)
        if role == Qt.ItemDataRole.DecorationRole and column == STATUS:
            return enrolment_icon(row.status)
        if role == Qt.ItemDataRole.DecorationRole and column == MILESTONES and row.milestones_overdue:
            return glyph_icon("!", "bad")
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(row, column)
        return None

    @staticmethod
    def text(row, column: int) -> str:
        finished = row.status in (EnrolmentStatus.COMPLETED, EnrolmentStatus.WITHDRAWN)
        if column == NAME:
            return row.display_name
        if column == ROLE:
            return row.role_title
        if column == PROGRAMME:
            return row.programme_title
        if column == STATUS:
            return row.status.label
        if column == PROGRESS:
            return f"{row.progress:.0f}%"
        if column == ELAPSED:
            return f"{row.time_elapsed:.0f}%"
        if column == MILESTONES:
            held = f"{row.milestones_held} of {row.milestones_total}"
            return f"{held}, {row.milestones_overdue} overdue" if row.milestones_overdue else held
        if column == COMPETENCIES:
            return f"{row.competencies_signed} of {row.competencies_total}"
        if column == PROTECTED:
            return f"{hours(row.protected_logged)} of {hours(row.protected_expected)} h"
        if column == NEXT:
            return f"{uk(row.next_due)} {row.next_milestone}" if row.next_due and not finished else ""
        if column == WHY:
            return "; ".join(row.behind)
        if column == PRACTICES:
            return row.practices
        if column == STARTED:
            return uk(row.start_date)
        if column == ENDS:
            return uk(row.expected_end)
        if column == ASSESSOR:
            return row.assessor
        return ""

    @staticmethod
    def tooltip(row, column: int) -> str | None:
        if column in (PROGRESS, ELAPSED):
            return (f"{row.display_name}: progress {row.progress:.0f}% against {row.time_elapsed:.0f}% of the time "
                    f"elapsed.\n{PROGRESS_TIP}")
        if column == WHY and row.behind:
            return "\n".join(row.behind)
        if column == PROTECTED:
            return (f"{hours(row.protected_logged)} h of protected learning time logged; "
                    f"{hours(row.protected_expected)} h owed by now (whole weeks, pauses not counted).")
        if column == NAME:
            return f"{row.display_name}, {row.role_title}\nDouble-click to open their programme."
        text = OverviewModel.text(row, column)
        return text or None

    @staticmethod
    def sort_key(row, column: int):
        if column == NAME:
            return row.sort_name
        if column == STATUS:
            return STATUS_ORDER[row.status]
        if column == PROGRESS:
            return row.progress
        if column == ELAPSED:
            return row.time_elapsed
        if column == MILESTONES:
            return (-row.milestones_overdue, row.milestones_held)
        if column == COMPETENCIES:
            return row.competencies_signed / row.competencies_total if row.competencies_total else 0
        if column == PROTECTED:
            return row.protected_logged - row.protected_expected
        if column == NEXT:
            return row.next_due.toordinal() if row.next_due else 10**7
        if column == WHY:
            return (-len(row.behind), "; ".join(row.behind))
        if column == STARTED:
            return row.start_date.toordinal()
        if column == ENDS:
            return row.expected_end.toordinal()
        return search_key(OverviewModel.text(row, column))


def shown_percent(index) -> float | None:
    """Progress or time elapsed, whichever column `index` is in, for `PercentBarDelegate`."""
    row = index.data(ROW_ROLE)
    if row is None:
        return None
    return row.progress if index.column() == PROGRESS else row.time_elapsed


SHOW_CHOICES = (
    ("Everyone on a programme now", "current"),
    ("Behind", "behind"),
    ("Paused", "paused"),
    ("Completed", "completed"),
    ("All, including completed and withdrawn", None),
)


class OverviewProxy(FilterProxy):
    """Search, programme, practice and what to show; sorting is passed to the source model."""

    SORT_IN_SOURCE = True

    def __init__(self, parent=None):
        super().__init__(parent)
        self._programme: str | None = None
        self._practice_id: int | None = None
        self._show: str | None = "current"

    def set_filters(self, *, words: str = "", programme: str | None = None, practice_id: int | None = None,
                    show: str | None = "current") -> None:
        self.set_values(words=words, programme=programme, practice_id=practice_id, show=show)

    def accepts(self, row) -> bool:
        if self._programme is not None and row.programme_code != self._programme:
            return False
        if self._practice_id is not None and self._practice_id not in row.practice_ids:
            return False
        status, show = row.status, self._show
        if show == "current" and status in (EnrolmentStatus.COMPLETED, EnrolmentStatus.WITHDRAWN):
            return False
        if show == "behind" and status is not EnrolmentStatus.BEHIND:
            return False
        if show == "paused" and status is not EnrolmentStatus.PAUSED:
            return False
        return not (show == "completed" and status is not EnrolmentStatus.COMPLETED)
