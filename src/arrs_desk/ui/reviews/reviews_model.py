"""Qt models for reviews: who is due a review (one row per person), the reviews held, and the
column descriptions for the smaller lists (objectives, development plan, impact log).

A status is always words plus a badge whose symbol differs per status; colour only repeats it.
"""

from __future__ import annotations

from datetime import date
from functools import cache

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon

from arrs_desk.ui.common.text import plural
from arrs_desk.domain.staff import search_key
from arrs_desk.ui.common.icons import glyph_icon
from arrs_desk.ui.common.dates import uk_date
from arrs_desk.ui.common.filter_proxy import FilterProxy
from arrs_desk.ui.common.sorted_rows import SortedRowsModel
from arrs_desk.ui.common.table_model import ROW_ROLE, SORT_ROLE, Column, sort_text  # noqa: F401  (re-exported)

NEEDS_ACTION = "needs-action"
"""Due filter meaning overdue or due soon."""

DUE_STYLE = {
    "overdue": ("!", "bad"),
    "due-soon": ("…", "warn"),
    "booked": ("→", "info"),
    "up-to-date": ("✓", "good"),
    "not-started": ("–", "neutral"),
}
STATE_STYLE = {"booked": ("→", "info"), "held": ("✎", "warn"), "signed": ("✓", "good")}
OBJECTIVE_STYLE = {
    "not-started": ("○", "neutral"), "in-progress": ("…", "info"), "achieved": ("✓", "good"),
    "partly-achieved": ("◐", "warn"), "not-achieved": ("×", "bad"), "withdrawn": ("–", "neutral"),
}


def due_icon(status: str) -> QIcon | None:
    style = DUE_STYLE.get(str(status))
    return glyph_icon(*style) if style else None


def state_icon(state: str) -> QIcon | None:
    style = STATE_STYLE.get(str(state))
    return glyph_icon(*style) if style else None


def objective_icon(status: str) -> QIcon | None:
    style = OBJECTIVE_STYLE.get(str(status))
    return glyph_icon(*style) if style else None


def due_text(row) -> str:
    """'Overdue by 84 days', 'Due in 7 days', 'Booked for 03/12/2026'."""
    item = row.next
    if item is None:
        return row.status_label
    if str(item.status) == "booked":
        return f"Booked for {uk_date(item.booked_on)}" if item.booked_on else "Booked, no date yet"
    if str(item.status) == "overdue":
        return f"Overdue by {plural(item.days_overdue, 'day')}"
    return item.status_label


# --------------------------------------------------------------------------- who is due


NAME, NEXT, STATUS, LAST, APPRAISER, OPEN, PRACTICES, MANAGER = range(8)
DUE = NEXT
"""The next review and its due date share a column, on two lines, sorted by the date: apart, with
the last review on one line, the columns wanted 1,588 pixels and at 1366x768 every review's name
was cut ("Interim revie…", "Annual appr…")."""
HEADERS = ("Name and role", "Next review", "Status", "Last review", "Appraiser", "Objectives", "Practice(s)",
           "Line manager")
WIDTHS = (200, 112, 160, 112, 170, 84, 200, 170)


SEVERITY_ORDER = {"overdue": 0, "due-soon": 1, "booked": 2, "up-to-date": 3, "not-started": 4}


class DueModel(SortedRowsModel):
    """One row per person: their next review, its status and their last one. Every cell's text
    is worked out once when the rows arrive, and the rows keep themselves sorted (`SortedRowsModel`):
    with thousands of people nothing is worked out per paint or per comparison."""

    HEADERS = HEADERS

    def __init__(self, parent=None):
        super().__init__(parent, order=(STATUS, Qt.SortOrder.AscendingOrder))
        self.today: date | None = None

    def set_rows(self, rows, today: date | None = None) -> None:
        self.today = today
        super().set_rows(rows)

    def cell(self, row, column: int) -> str:
        return self._display_of(row)[column]

    def _display_of(self, row) -> tuple[str, ...]:
        item = row.next
        return (
            f"{row.display_name}\n{row.role_title}",
            f"{item.label}\n{uk_date(item.due_on)}" if item else "",
            due_text(row),
            f"{row.last_review}\n{uk_date(row.last_review_on)}" if row.last_review else "None recorded",
            row.appraiser or "Not named",
            str(row.open_objectives),
            row.practices,
            row.line_manager,
        )

    def accessible(self, row, column: int) -> str | None:
        return f"{row.display_name}, {row.role_title}" if column == NAME else None

    def header_tip(self, section: int) -> str | None:
        return "Objectives not yet achieved or closed" if section == OPEN else None

    def decoration(self, row, column: int):
        return due_icon(row.status) if column == STATUS else None

    def tooltip(self, row, column: int) -> str | None:
        return self._tooltip(row)

    def alignment(self, column: int) -> int | None:
        return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter) if column == OPEN else None

    def sort_key(self, row, column: int) -> str:
        """The column's own order, then the name, as one string."""
        key = self._sort_key(row, column)
        if column == NAME:
            return key
        return sort_text(*(key if isinstance(key, tuple) else (key,)), row.sort_key)

    def _sort_key(self, row, column: int):
        item = row.next
        if column == NAME:
            return row.sort_key
        if column in (DUE, STATUS):
            severity = SEVERITY_ORDER[str(row.status)]
            return (severity, item.due_on.toordinal() if item else 0) if column == STATUS else (
                item.due_on.toordinal() if item else 0)
        if column == LAST:
            return row.last_review_on.toordinal() if row.last_review_on else 0
        if column == OPEN:
            return row.open_objectives
        if column == APPRAISER:
            return search_key(row.appraiser or "Not named")
        return search_key(row.practices if column == PRACTICES else row.line_manager)

    @staticmethod
    def _tooltip(row) -> str:
        lines = [f"{row.display_name}, {row.role_title}", f"Started {uk_date(row.start_date)}"]
        for item in row.due:
            when = f"booked for {uk_date(item.booked_on)}" if item.booked_on else f"due {uk_date(item.due_on)}"
            lines.append(f"{item.label}: {item.status_label.lower()}, {when}")
        lines.append("Double-click to open their reviews.")
        return "\n".join(lines)


_folded = cache(search_key)


class DueFilterProxy(FilterProxy):
    """Search by name, role or practice; filter by practice, status, next review and ARRS roles.
    Sorting is the model's own (`DueModel`)."""

    SORT_IN_SOURCE = True

    def __init__(self, parent=None):
        super().__init__(parent)
        self._practice_id = None
        self._status = None
        self._kind = None
        self._arrs_only = True

    def set_filters(self, *, words: str | None = None, practice_id=None, status=None, kind=None,
                    arrs_only: bool = True) -> None:
        """Every filter at once (the search words too, unless None): the list is filtered once,
        and not at all when nothing changed (a reload has just filtered it)."""
        wanted = (self._words if words is None else tuple(search_key(words).split()), practice_id, status, kind,
                  arrs_only)
        if wanted != (self._words, self._practice_id, self._status, self._kind, self._arrs_only):
            self.set_values(words=words, practice_id=practice_id, status=status, kind=kind, arrs_only=arrs_only)

    def accepts(self, row) -> bool:
        if self._arrs_only and not row.arrs:
            return False
        if self._practice_id is not None and self._practice_id not in row.practice_ids:
            return False
        status = str(row.status)
        if self._status == NEEDS_ACTION:
            if status not in ("overdue", "due-soon"):
                return False
        elif self._status is not None and status != self._status:
            return False
        return self._kind is None or (row.next is not None and row.next.kind == self._kind)

    def search_text(self, row) -> str:
        """`search_key(name, role, practices, appraiser)`, from the name already folded and the
        other parts folded once each: thousands of people share a few roles and practices."""
        return " ".join(p for p in (row.sort_key, _folded(row.role_title), _folded(row.practices),
                                    _folded(row.appraiser)) if p)


class HeldFilterProxy(FilterProxy):
    """The reviews held and booked: search by name, review or appraiser; filter by state."""

    SORT_IN_SOURCE = False  # the list arrives newest first and is not re-sorted

    def __init__(self, parent=None):
        super().__init__(parent)
        self._state = None

    def set_state(self, state) -> None:
        self.set_values(state=state)

    def accepts(self, row) -> bool:
        return self._state is None or str(row.state) == self._state

    def search_text(self, row) -> str:
        return search_key(row.display_name, row.kind_label, row.appraiser_name)


# --------------------------------------------------------------------------- reviews held and smaller lists


HELD_COLUMNS = (
    Column("Meeting", lambda r: uk_date(r.meeting_date) or "Not booked",
           sort=lambda r: r.when.toordinal()),
    Column("Name", lambda r: r.display_name, sort=lambda r: r.sort_key),
    Column("Review", lambda r: r.kind_label),
    Column("Period covered", lambda r: f"{uk_date(r.period_start)} to {uk_date(r.period_end)}",
           sort=lambda r: r.period_end.toordinal()),
    Column("Appraiser", lambda r: r.appraiser_name),
    Column("State", lambda r: r.state_label, icon=lambda r: state_icon(r.state)),
    Column("Signed", lambda r: r.signed_label),
    Column("Outcome", lambda r: r.outcome_label),
    Column("Objectives", lambda r: f"{r.objectives_open} open of {r.objectives_total}" if r.objectives_total else "None",
           sort=lambda r: r.objectives_total),
)

PERSON_REVIEW_COLUMNS = (
    Column("Meeting", lambda r: uk_date(r.meeting_date) or "Not booked", sort=lambda r: r.when.toordinal()),
    Column("Review", lambda r: r.kind_label),
    Column("Period covered", lambda r: f"{uk_date(r.period_start)} to {uk_date(r.period_end)}",
           sort=lambda r: r.period_end.toordinal()),
    Column("Appraiser", lambda r: r.appraiser_name),
    Column("State", lambda r: r.state_label, icon=lambda r: state_icon(r.state)),
    Column("Outcome", lambda r: r.outcome_label),
    Column("Objectives", lambda r: f"{r.objectives_open} open of {r.objectives_total}" if r.objectives_total else "None",
           sort=lambda r: r.objectives_total),
)


def _one_line(text: str) -> str:
    return " ".join(text.split())


OBJECTIVE_COLUMNS = (
    Column("Objective", lambda o: _one_line(o.description), tip=lambda o: o.description),
    Column("How it is measured", lambda o: _one_line(o.measure), tip=lambda o: o.measure),
    Column("Due", lambda o: uk_date(o.due_date), sort=lambda o: o.due_date.toordinal() if o.due_date else 0),
    Column("Status", lambda o: o.status_label, icon=lambda o: objective_icon(o.status)),
    Column("Progress", lambda o: _one_line(o.progress), tip=lambda o: o.progress),
    Column("History", lambda o: "; ".join(x for x in (o.carried_from, o.carried_to) if x)),
)

PDP_COLUMNS = (
    Column("Development need", lambda p: _one_line(p.need), tip=lambda p: p.need),
    Column("Action", lambda p: _one_line(p.action), tip=lambda p: p.action),
    Column("Support", lambda p: _one_line(p.support), tip=lambda p: p.support),
    Column("Target", lambda p: uk_date(p.target_date), sort=lambda p: p.target_date.toordinal() if p.target_date else 0),
    Column("Status", lambda p: p.status_label),
)

IMPACT_COLUMNS = (
    Column("Date", lambda i: uk_date(i.occurred_on), sort=lambda i: i.occurred_on.toordinal()),
    Column("Kind", lambda i: i.kind_label),
    Column("Title", lambda i: i.title),
    Column("Measure", lambda i: i.measure),
    Column("Result", lambda i: i.value),
    Column("Recorded by", lambda i: i.recorded_by),
    Column("Description", lambda i: _one_line(i.description), tip=lambda i: i.description),
)
