"""What every page in the main window's navigation provides."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from arrs_desk.ui.common.changes import EVERYTHING, changes_of, refresh_when_free


class Page(QWidget):
    """A navigation page. The main window calls `set_context` when a database is opened or the
    signed-in person changes, and `refresh` when the page is shown or F5 is pressed. While it is
    showing, the page also refreshes itself when an operation changes one of the areas it `shows`
    (`ui.common.changes`), so nothing re-reads it by hand after a save."""

    title = ""
    shows: frozenset[str] = EVERYTHING
    """The areas (`ui.common.changes`) whose changes this page displays."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.workspace = None
        self.actor = None
        self._followed = None
        self._loader = None

    def set_context(self, workspace, actor) -> None:
        someone_else = self.actor is not None and (actor != self.actor or workspace is not self.workspace)
        if self._loader is not None and someone_else:
            self._loader.conceal()  # what it shows was read for someone else: hidden until read again
        if workspace is not self._followed:
            if self._followed is not None:
                changes_of(self._followed).changed.disconnect(self._workspace_changed)
            changes_of(workspace).changed.connect(self._workspace_changed)
            self._followed = workspace
        self.workspace, self.actor = workspace, actor

    def clear_filters(self) -> None:
        """Forget what the last person searched for and chose, when someone else signs in at a
        locked PC: a search for 'Abrahams' says whom they were looking up. Pages built on
        `list_page.FilterBar` (as `self.filters`) need nothing more; others override this."""
        filters = getattr(self, "filters", None)
        if filters is not None and hasattr(filters, "reset"):
            filters.reset()

    def refresh(self) -> None:
        """Reload from the services; pages keep no state the database does not have."""

    def load_data(self, fn, shown) -> None:
        """Read `fn(workspace)` in the background and pass the result to `shown`, keeping what the
        page shows until then (`page_loader`): for pages whose data can take a while to read."""
        self.loader.load(fn, shown)

    @property
    def loader(self):
        if self._loader is None:
            from arrs_desk.ui.common.page_loader import PageLoader

            self._loader = PageLoader(self)
        return self._loader

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        """Switching to another page cancels this one's load; minimising the window does not."""
        if self._loader is not None and not event.spontaneous():
            self._loader.cancel()
        super().hideEvent(event)

    def _workspace_changed(self, areas: frozenset[str]) -> None:
        if self.workspace is not None and self.isVisible() and areas & self.shows:
            refresh_when_free(self, self.refresh)

    @staticmethod
    def heading(text: str) -> QLabel:
        label = QLabel(text)
        font = label.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        label.setFont(font)
        label.setAccessibleName(text)
        return label
