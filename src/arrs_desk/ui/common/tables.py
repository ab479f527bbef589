"""The one read-only record table: the small lists inside a person's record windows.

Supervision sessions, programme milestones, review objectives and many more are shown the same
way: whole rows selected, one at a time, no editing in place, alternate row colours, no row
numbers, every column in view with the widest shortened first (`columns.share_width`).
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from arrs_desk.ui.common.columns import share_width


def record_table(model: QAbstractItemModel, name: str) -> QTableView:
    """A table showing `model`, read by screen readers as `name`."""
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    share_width(view, keep=(0,))  # every column in view, the widest shortened first
    return view
