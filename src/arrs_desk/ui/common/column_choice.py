"""Choosing a wide table's columns: right-click a heading to show or hide any but the first.

The Programmes list has fifteen columns and the Induction list eleven: on a 1366x768 laptop
they could not all be read at once however the width was shared, so the list scrolled sideways
and the right-hand columns went unseen. Such a table starts with the columns most people need
(`hidden_at_first` names the rest); anyone who wants another ticks it in the heading's menu, and
the choice is kept with the window's other settings (by heading, so a column added later is
shown), on this PC, for every database.
"""

from __future__ import annotations

import weakref

from PySide6.QtCore import QEvent, QObject, QSettings, Qt
from PySide6.QtWidgets import QAbstractItemView, QMenu

from arrs_desk.ui.common.columns import WidthSharer

SEPARATOR = "|"


def _heading(view: QAbstractItemView, column: int) -> str:
    return " ".join(str(view.model().headerData(column, Qt.Orientation.Horizontal) or "").split())


class ColumnChoice(QObject):
    """Watches one table's heading for the right-click menu, and applies the kept choice once
    the table is in a window that has settings (`MainWindow.settings`)."""

    def __init__(self, view: QAbstractItemView, name: str, hidden_at_first: tuple[int, ...], always: tuple[int, ...]):
        super().__init__(view)
        self._view = weakref.ref(view)
        self._key = f"columns/{name}/hidden"
        self._at_first = tuple(hidden_at_first)
        self._always = frozenset(always)
        self._restored = False
        header = view.horizontalHeader()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._offer)
        self._show_hidden(set(self._at_first))
        view.installEventFilter(self)

    # --- what is kept ------------------------------------------------------------------------
    def _settings(self) -> QSettings | None:
        view = self._view()
        settings = getattr(view.window(), "settings", None) if view is not None else None
        return settings if isinstance(settings, QSettings) else None

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Show and not self._restored:
            self._restored = True
            self._restore()
        return False

    def _restore(self) -> None:
        settings, view = self._settings(), self._view()
        if settings is None or view is None or not settings.contains(self._key):
            return
        names = {name for name in str(settings.value(self._key) or "").split(SEPARATOR) if name}
        self._show_hidden({c for c in range(view.model().columnCount()) if _heading(view, c) in names})

    def _keep(self) -> None:
        settings, view = self._settings(), self._view()
        if settings is None or view is None:
            return
        header = view.horizontalHeader()
        settings.setValue(self._key, SEPARATOR.join(
            _heading(view, c) for c in range(header.count()) if header.isSectionHidden(c)))

    # --- showing and hiding ------------------------------------------------------------------
    def hidden(self) -> set[int]:
        view = self._view()
        if view is None:
            return set()
        header = view.horizontalHeader()
        return {c for c in range(header.count()) if header.isSectionHidden(c)}

    def _show_hidden(self, hidden: set[int]) -> None:
        view = self._view()
        if view is None:
            return
        header = view.horizontalHeader()
        for column in range(view.model().columnCount()):
            header.setSectionHidden(column, column in hidden and column not in self._always)
        sharer = view.findChild(WidthSharer)
        if sharer is not None:
            sharer.refit()

    def set_shown(self, column: int, shown: bool) -> None:
        """Show or hide one column, and keep the choice."""
        hidden = self.hidden()
        (hidden.discard if shown else hidden.add)(column)
        self._show_hidden(hidden)
        self._keep()

    def show_usual(self) -> None:
        """Back to the columns the table starts with."""
        self._show_hidden(set(self._at_first))
        settings = self._settings()
        if settings is not None:
            settings.remove(self._key)

    def menu(self) -> QMenu:
        """The heading's menu (see `fill`)."""
        menu = QMenu(self._view())
        menu.setTitle("Columns shown")
        menu.setAccessibleName("Columns shown")
        self.fill(menu)
        return menu

    def fill(self, menu: QMenu) -> None:
        """Put in `menu` a tick for each column and a way back to the usual ones: the heading's own
        menu, and View > Columns shown for those who use the keyboard (`MainWindow`)."""
        view = self._view()
        menu.clear()
        hidden = self.hidden()
        for column in range(view.model().columnCount()):
            action = menu.addAction(_heading(view, column))
            action.setCheckable(True)
            action.setChecked(column not in hidden)
            action.setEnabled(column not in self._always)
            action.toggled.connect(lambda shown, column=column: self.set_shown(column, shown))
        menu.addSeparator()
        menu.addAction("Show the usual columns", self.show_usual)
        menu.addAction("Show every column", lambda: (self._show_hidden(set()), self._keep()))

    def _offer(self, pos) -> None:
        view = self._view()
        if view is not None:
            menu = self.menu()
            menu.exec(view.horizontalHeader().viewport().mapToGlobal(pos))
            menu.deleteLater()


def column_choice_in(widget) -> ColumnChoice | None:
    """The column choice of the table shown in `widget` (a page), if it offers one."""
    for choice in widget.findChildren(ColumnChoice):
        view = choice._view()
        if view is not None and view.isVisible():
            return choice
    return None


def offer_column_choice(view: QAbstractItemView, name: str, *, hidden_at_first: tuple[int, ...] = (),
                        always: tuple[int, ...] = (0,)) -> ColumnChoice:
    """Let the user choose `view`'s columns (see the module's note); `name` keys the kept choice,
    `always` are the columns that cannot be hidden (the name)."""
    existing = view.findChild(ColumnChoice)
    return existing if existing is not None else ColumnChoice(view, name, hidden_at_first, always)
