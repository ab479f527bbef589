"""The one list page layout: a filter bar, an action row, the table, and a line saying why it is empty.

The staff, supervision, reviews, induction and programme lists are all built this way. `FilterBar`
is the row of filters (a search box, then choices, then "ARRS roles only") with one `changed`
signal: typing is gathered into one change when the event loop is next idle, a choice or a tick
changes at once. `list_table` sets up the table the same way for every list (and is the one place
that says how a row is opened), `list_tab` stacks the four parts, and `show_rows` shows the table
or the line saying why it is empty.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from PySide6.QtCore import QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLayout, QLineEdit, QStyle,
    QTableView, QVBoxLayout, QWidget,
)

from arrs_desk.ui.common.text import quoted_briefly


class _Notifier(QObject):
    changed = Signal()


class FilterBar(QHBoxLayout):
    """Search box (stretch 3), choices (stretch 2 each), then any check boxes, in one row."""

    def __init__(self, search: QLineEdit, choices: tuple[QComboBox, ...] = (), ticks: tuple[QCheckBox, ...] = (),
                 *, choice_stretch: int = 2):
        """`choice_stretch` 1 gives the search box half the row where a list has few, short choices."""
        super().__init__()
        self.search, self.choices, self.ticks = search, choices, ticks
        self._ticked_at_start = [tick.isChecked() for tick in ticks]
        self._notifier = _Notifier()
        self.changed = self._notifier.changed
        self.addWidget(search, 3)
        for combo in choices:
            self.addWidget(combo, choice_stretch)
        for tick in ticks:
            self.addWidget(tick)
        self._typing = QTimer(self._notifier, singleShot=True, interval=0)
        self._typing.timeout.connect(self.changed)
        search.textChanged.connect(self._typing.start)
        for combo in choices:
            combo.currentIndexChanged.connect(self.changed)
        for tick in ticks:
            tick.toggled.connect(self.changed)

    def reset(self) -> None:
        """Back to how the page first showed: no search, the first of each choice, the ticks as
        they started. For the next person at a shared PC, who must not find whom the last one was
        looking up."""
        self.search.clear()
        for combo in self.choices:
            combo.setCurrentIndex(0 if combo.count() else -1)
        for tick, ticked in zip(self.ticks, self._ticked_at_start):
            tick.setChecked(ticked)

    def no_match_text(self) -> str:
        """Why a list with rows shows none, naming what narrows it and how to widen it:
        'No one matches “Álvarez”. To see more, clear the search or choose “Any status”.' A choice
        widens most at its item holding None (“All practices”, “Any status”, “Everyone, with or
        without a checklist”); a tick narrows while it is ticked (“ARRS roles only”)."""
        query = self.search.text().strip()
        steps = ["clear the search"] if query else []
        for combo in self.choices:
            widest = next((i for i in range(combo.count()) if combo.itemData(i) is None), -1)
            if widest >= 0 and combo.currentIndex() != widest:
                steps.append(f"choose “{combo.itemText(widest)}”")
        steps += [f"untick “{tick.text().replace('&', '')}”" for tick in self.ticks if tick.isChecked()]
        head = f"No one matches {quoted_briefly(query)}" if query else "No one matches these filters"
        if not steps:
            return head + "."
        ways = steps[0] if len(steps) == 1 else ", ".join(steps[:-1]) + " or " + steps[-1]
        return f"{head}. To see more, {ways}."


def empty_label(name: str = "Why the list is empty") -> QLabel:
    """The line shown instead of an empty table, saying why it is empty. Plain text: it quotes what
    was typed into the search, and "<b>x</b>" typed there is shown as typed, not in bold."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    label.setAccessibleName(name)
    label.hide()
    return label


SIZED_BY_ROWS = 200
"""A table's columns fit the widest of its first this-many rows, not of every row: to size a column
Qt asks each row it measures for its text (up to 1,000 by default), which for the Assurance matrix
of a large PCN was a second of the window standing still. Later rows elide what does not fit."""


def sized_by_first_rows(table: QTableView) -> QTableView:
    """Limit `resizeColumnsToContents` (and ResizeToContents columns) to `SIZED_BY_ROWS` rows."""
    table.horizontalHeader().setResizeContentsPrecision(SIZED_BY_ROWS)
    return table


_SIZED_FOR = "arrs_sized_for_columns"
"""The table property holding how many columns `size_columns_once` last sized."""


def size_columns_once(table: QTableView, capped: Mapping[int, int | None], words: Iterable[str] = (),
                      first_word_column: int | None = None) -> None:
    """Widths set once, when the table first has rows: rows read again (a filter, a save) keep
    them, and any the reader dragged; another number of columns (checks, subjects) is sized anew.

    The columns in `capped` (a name, a role) fit their first rows, up to their cap in pixels (None:
    no cap). In a person-by-thing matrix (Assurance's checks, Training's subjects) each column from
    `first_word_column` on shows one of a few `words` with a badge, so it is as wide as the widest
    of them or its heading: Qt's `resizeColumnsToContents` asks every sampled row of every column
    for its text, badge and font in Python, and at 10,000 staff the window stood still 50-130 ms."""
    columns = table.model().columnCount() if table.model() is not None else 0
    if not columns or table.model().rowCount() == 0 or table.property(_SIZED_FOR) == columns:
        return
    table.setProperty(_SIZED_FOR, columns)
    for column, cap in capped.items():
        table.resizeColumnToContents(column)
        if cap is not None:
            table.setColumnWidth(column, min(table.columnWidth(column), cap))
    if first_word_column is None:
        return
    metrics = table.fontMetrics()
    badge = table.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
    widest = max(metrics.horizontalAdvance(word) for word in words) + badge + 16  # the badge, its gap, margins
    header = table.horizontalHeader()
    for column in range(first_word_column, header.count()):
        table.setColumnWidth(column, max(widest, header.sectionSizeHint(column)))


def list_table(model, name: str, *, two_lines: bool = False, several: bool = False,
               on_open: Callable[[QModelIndex], object] | None = None) -> QTableView:
    """A read-only list of whole rows, sortable by its header, columns the user may resize.

    `on_open` is called with the index a person opens. It listens to `activated` alone: that is
    the platform's "open" (Enter, and a double-click, or a single click where the desktop is set
    so). Listening to `doubleClicked` as well opened every record twice, the second window
    appearing as the first was closed."""
    table = QTableView()
    table.setModel(model)
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection if several
                           else QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.verticalHeader().hide()
    if two_lines:
        rows = table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(table.fontMetrics().lineSpacing() * 2 + 10)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setStretchLastSection(True)
    sized_by_first_rows(table)
    if on_open is not None:
        table.activated.connect(lambda index: index.isValid() and on_open(index))
    return table


def list_tab(filters: QLayout | None, actions: QLayout | None, table: QTableView, empty: QWidget, *,
             inset: bool = True) -> QWidget:
    """The parts of a list, top to bottom, in a widget ready to be a page's tab; `inset=False`
    when it is the body of a page that already has its margins."""
    tab = QWidget()
    layout = QVBoxLayout(tab)
    if not inset:
        layout.setContentsMargins(0, 0, 0, 0)
    if filters is not None:
        layout.addLayout(filters)
    if actions is not None:
        layout.addLayout(actions)
    layout.addWidget(table, 1)
    layout.addWidget(empty, 1)
    return tab


def show_rows(table: QTableView, empty: QWidget, any_shown: bool) -> None:
    """The table when it has rows to show, otherwise the line (or panel) saying why it is empty."""
    empty.setVisible(not any_shown)
    table.setVisible(any_shown)
