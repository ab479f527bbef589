"""The one list page layout: a filter bar, an action row, the table, and a line saying why it is empty.

The staff, supervision, reviews, induction and programme lists are all built this way. `FilterBar`
is the row of filters (a search box, then choices, then "ARRS roles only") with one `changed`
signal: typing is gathered into one change when the event loop is next idle, a choice or a tick
changes at once. `list_table` sets up the table the same way for every list, and `list_tab` stacks
the four parts.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLayout, QLineEdit, QTableView,
    QVBoxLayout, QWidget,
)


class _Notifier(QObject):
    changed = Signal()


class FilterBar(QHBoxLayout):
    """Search box (stretch 3), choices (stretch 2 each), then any check boxes, in one row."""

    def __init__(self, search: QLineEdit, choices: tuple[QComboBox, ...] = (), ticks: tuple[QCheckBox, ...] = ()):
        super().__init__()
        self.search, self.choices, self.ticks = search, choices, ticks
        self._notifier = _Notifier()
        self.changed = self._notifier.changed
        self.addWidget(search, 3)
        for combo in choices:
            self.addWidget(combo, 2)
        for tick in ticks:
            self.addWidget(tick)
        self._typing = QTimer(self._notifier, singleShot=True, interval=0)
        self._typing.timeout.connect(self.changed)
        search.textChanged.connect(self._typing.start)
        for combo in choices:
            combo.currentIndexChanged.connect(self.changed)
        for tick in ticks:
            tick.toggled.connect(self.changed)


def empty_label(name: str = "Why the list is empty") -> QLabel:
    """The line shown instead of an empty table, saying why it is empty."""
    label = QLabel()
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    label.setAccessibleName(name)
    label.hide()
    return label


def list_table(model, name: str, *, two_lines: bool = False, several: bool = False) -> QTableView:
    """A read-only list of whole rows, sortable by its header, columns the user may resize."""
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
    return table


def list_tab(filters: QLayout, actions: QLayout, table: QTableView, empty: QLabel) -> QWidget:
    """The four parts of a list, top to bottom, in a widget ready to be a page's tab."""
    tab = QWidget()
    layout = QVBoxLayout(tab)
    layout.addLayout(filters)
    layout.addLayout(actions)
    layout.addWidget(table, 1)
    layout.addWidget(empty, 1)
    return tab
