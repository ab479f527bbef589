"""Answering a modal dialog from a test. A modal dialog's exec() holds the test until the dialog
closes, so the test says beforehand what to do with it (`when_shown`), then clicks what opens it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QApplication, QDialog, QMessageBox

Dialog = TypeVar("Dialog", bound=QDialog)

POLL_MS = 20
"""How often to look for the dialog."""


def when_shown(cls: type[Dialog], act: Callable[[Dialog], object], *, tries: int = 250) -> list[Dialog]:
    """Run `act(dialog)` once a visible dialog of class `cls` is showing, then close it if `act`
    left it open. Returns a list that holds the dialog once it has been seen, so the test can
    check that it opened. Looks every 20 ms, `tries` times (about five seconds), then gives up,
    so a dialog that never opens leaves nothing polling into later tests."""
    seen: list[Dialog] = []

    def poll(left: int = tries) -> None:
        dialog = next((w for w in QApplication.topLevelWidgets() if isinstance(w, cls) and w.isVisible()), None)
        if dialog is None:
            if left:
                QTimer.singleShot(POLL_MS, lambda: poll(left - 1))
            return
        seen.append(dialog)
        try:
            act(dialog)
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, poll)
    return seen


def answer_confirmations(monkeypatch, answer: str = "Yes") -> list[tuple[str, str]]:
    """From now on, answer the app's "are you sure?" questions (`ui.common.confirm.confirmed`) by
    pressing `answer` ("Yes" or "No") on the box instead of showing it. Returns the list that
    records each question asked, as (title, text)."""
    asked: list[tuple[str, str]] = []

    def press(box: QMessageBox) -> int:
        asked.append((box.windowTitle(), box.text()))
        box.button(QMessageBox.StandardButton[answer]).click()
        return box.standardButton(box.clickedButton()).value

    monkeypatch.setattr(QMessageBox, "exec", press)
    return asked


def double_click(qtbot, view: QAbstractItemView, index) -> None:
    """As a user does: press twice on the row's cell in the viewport (a real double-click, which
    Qt reports both as `doubleClicked` and as `activated`; emitting a signal by hand would hide a
    view that answers both and opens a record twice)."""
    view.scrollTo(index)
    centre = view.visualRect(index).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    if shiboken6.isValid(view):  # the button comes up again, or Qt goes on thinking it held down
        qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)


def open_page(qtbot, page, workspace, actor, size: tuple[int, int] = (1366, 768)):
    """A navigation page on its own, for this person, shown at `size` and asked to load (as the
    window does when it is opened); returns the page, its load still under way."""
    qtbot.addWidget(page)
    page.set_context(workspace, actor)
    page.resize(*size)
    page.show()
    page.refresh()
    return page


def finish_loading(page):
    """Let the page's background loads (`Page.load_data`) arrive and be shown, as a person waits for
    them; returns the page. A page that is not loading is returned as it is."""
    loader = getattr(page, "_loader", None)
    for _ in range(5):  # a page that reads in steps (Home: its first cards, then every card) loads again
        if loader is None or not loader.loading:
            break
        loader.wait()
    return page
