"""Keyboard and large-text adjustments applied to every page when the main window builds it."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QTableView, QTextEdit, QWidget

from arrs_desk.ui.common.theme import layout_scale


def keyboard_friendly(page: QWidget) -> None:
    """Tab leaves a table instead of walking its cells (arrow keys move between cells), and
    leaves a read-only text pane instead of walking its links, so keyboard users are never
    trapped in a long list or a detail pane. Table columns and rows laid out in pixels grow
    with a larger text size (Windows' "Make text bigger" or ARRS Desk's own setting)."""
    scale = layout_scale(page)
    for view in page.findChildren(QAbstractItemView):
        view.setTabKeyNavigation(False)
        if scale > 1.05 and isinstance(view, QTableView):
            rows = view.verticalHeader()
            rows.setDefaultSectionSize(max(rows.defaultSectionSize(), int(page.fontMetrics().height() * 1.6)))
            for column in range(view.horizontalHeader().count()):
                view.setColumnWidth(column, int(view.columnWidth(column) * scale))
    for pane in page.findChildren(QTextEdit):
        if pane.isReadOnly():
            pane.setTabChangesFocus(True)
