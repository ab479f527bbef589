"""One signal for "the workspace changed": writes say what they touched, screens refresh themselves.

A successful write operation announces the areas it changed (`Operation.changes`); every screen
that shows one of them listens to its workspace's `WorkspaceChanges` and reloads itself, so no
page re-reads another page's data by hand after a save. Only what is on screen reloads at once:
a page that is not showing is refreshed by the main window when it is next shown, and one behind
a modal dialog when that dialog closes (before `exec()` returns, so the code that opened the
dialog sees the page as it now is).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QDialog, QWidget

STAFF = "staff"
ORGANISATIONS = "organisations"
ROLES = "roles"
ACCOUNTS = "accounts"
SETTINGS = "settings"
INDUCTION = "induction"
SUPERVISION = "supervision"
PROGRAMMES = "programmes"
REVIEWS = "reviews"
CHECKINS = "checkins"
EVERYTHING = frozenset({STAFF, ORGANISATIONS, ROLES, ACCOUNTS, SETTINGS, INDUCTION, SUPERVISION, PROGRAMMES,
                        REVIEWS, CHECKINS})
"""Every area: for what shows a bit of everything (the home page), and for a whole new database."""


class WorkspaceChanges(QObject):
    """Announces changes to one workspace; `changed` carries the frozenset of areas touched."""

    changed = Signal(object)


_hubs: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def changes_of(workspace) -> WorkspaceChanges:
    """The workspace's change signal: one per open workspace, gone with it."""
    hub = _hubs.get(workspace)
    if hub is None:
        hub = _hubs[workspace] = WorkspaceChanges()
    return hub


def announce(workspace, areas: Iterable[str]) -> None:
    areas = frozenset(areas)
    unknown = areas - EVERYTHING
    if unknown:
        raise ValueError(f"unknown areas {sorted(unknown)}")
    if areas:
        changes_of(workspace).changed.emit(areas)


def refresh_when_free(widget: QWidget, refresh: Callable[[], None]) -> None:
    """Run `refresh` now, or, if modal dialogs are open over the widget, once they have closed."""
    modal = QApplication.activeModalWidget()
    if not isinstance(modal, QDialog) or modal is widget.window():
        refresh()
        return
    if widget.property("refreshAfterDialog"):
        return  # already waiting for a dialog to close

    def dialog_closed(_result: int) -> None:
        if shiboken6.isValid(widget):
            widget.setProperty("refreshAfterDialog", False)
            if widget.isVisible():
                refresh_when_free(widget, refresh)  # the dialog under it may still be open

    widget.setProperty("refreshAfterDialog", True)
    from PySide6.QtCore import Qt  # here, not at the top: see arrs_desk.ui.shell.app.show_main_window

    modal.finished.connect(dialog_closed, Qt.ConnectionType.SingleShotConnection)
