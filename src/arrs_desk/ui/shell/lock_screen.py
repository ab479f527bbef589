"""Locking a shared PC: every window's content hidden while ARRS Desk waits for the next person.

Locking (Ctrl+Shift+L from any window, the menu, or the idle timer) lays an opaque cover over the
main window and over every dialog that is open, and replaces their titles, so nothing the last
person was looking at (names, overdue counts, a half-typed note) shows behind the sign-in box or
in the taskbar. Dialogs are covered, not closed: when the same person signs in again their
unsaved edits are there to finish; when someone else signs in they are discarded (and the audit
trail says so), because the new person may not be allowed to see them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QWidget

LOCKED_TITLE = "ARRS Desk (locked)"
LOCK_KEYS = QKeySequence("Ctrl+Shift+L")


class Cover(QLabel):
    """An opaque panel over a window's whole content, drawn in the window colour."""

    def __init__(self, parent: QWidget):
        super().__init__("Locked\n\nSign in to carry on.", parent)
        self.setObjectName("lockCover")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(self.palette().ColorRole.Window)
        self.setAccessibleName("ARRS Desk is locked")
        self.setGeometry(parent.rect())
        parent.installEventFilter(self)
        self.raise_()
        self.show()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if watched is self.parent() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parent().rect())
            self.raise_()
        return False


@dataclass
class Covered:
    window: QWidget
    title: str
    cover: Cover
    disabled: list[tuple[QWidget, bool]]  # what was switched off, and whether it was on before


@dataclass
class LockedScreen:
    """What a lock covered, so it can be uncovered for the same person or cleared for another."""

    covered: list[Covered] = field(default_factory=list)

    @property
    def dialogs(self) -> list[QDialog]:
        return [c.window for c in self.covered if isinstance(c.window, QDialog)]

    def uncover(self) -> None:
        for item in self.covered:
            item.cover.hide()
            item.cover.deleteLater()
            item.window.setWindowTitle(item.title)
            for widget, was_enabled in item.disabled:
                widget.setEnabled(was_enabled)
        self.covered.clear()

    def discard_dialogs(self) -> list[str]:
        """Close every covered dialog without saving; returns their titles (for the audit trail)."""
        titles = []
        for item in list(self.covered):
            if isinstance(item.window, QDialog):
                titles.append(item.title)
                for widget, was_enabled in item.disabled:
                    widget.setEnabled(was_enabled)
                item.window.reject()
        return titles


def cover_windows(main: QWidget) -> LockedScreen:
    """Cover the main window and every visible dialog of the application."""
    screen = LockedScreen()
    windows = [main] + [w for w in QApplication.topLevelWidgets()
                        if isinstance(w, QDialog) and w.isVisible() and w is not main]
    for window in windows:
        # No key or click may reach a field behind the cover. The main window itself stays enabled
        # (disabling it would disable the sign-in box, its child); its content and menus do not.
        parts = [window] if isinstance(window, QDialog) else [
            w for w in (window.centralWidget(), window.menuBar()) if w is not None]
        screen.covered.append(Covered(window, window.windowTitle(), Cover(window), [(w, w.isEnabled()) for w in parts]))
        window.setWindowTitle(LOCKED_TITLE)
        for part in parts:
            part.setEnabled(False)
    return screen


class LockKeyWatcher(QObject):
    """Ctrl+Shift+L locks from any window, a modal dialog included (a window shortcut would not fire)."""

    lock_requested = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.armed = False
        QApplication.instance().installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if self.armed and event.type() == QEvent.Type.ShortcutOverride and isinstance(watched, QWidget):
            if QKeySequence(event.keyCombination()) == LOCK_KEYS:
                event.accept()
                self.lock_requested.emit()
                return True
        return False
