"""Keyboard and screen-reader checks for every page of the main window.

Each page is built on the demonstration PCN as an administrator (so every page is listed).
A screen reader announces a control by its accessible name; Qt derives it from the control's
own text (buttons, check boxes), its accessibleName, or the label whose buddy it is. A control
with none of those is announced as just "edit" or "combo box", which is what these tests stop.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractItemView, QAbstractScrollArea, QAbstractSlider, QAbstractSpinBox, QApplication,
    QCalendarWidget, QComboBox, QLabel, QLineEdit, QPlainTextEdit, QScrollBar, QTabBar, QTextEdit, QWidget,
)

from arrs_desk.ui.shell.main_window import FEATURE_PAGES

INTERACTIVE = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView, QAbstractSpinBox, QTextEdit, QPlainTextEdit,
               QAbstractSlider)
PAGE_TITLES = ["Staff"] + [spec.title for spec in FEATURE_PAGES]


def _is_part_of_another_control(widget: QWidget) -> bool:
    """Pieces Qt builds inside a control (a combo box's editor, a tab bar's scroll arrows, ...)."""
    if isinstance(widget, QScrollBar):
        return True
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, (QComboBox, QAbstractSpinBox, QTabBar, QScrollBar, QCalendarWidget)):
            return True
        if isinstance(parent, QAbstractScrollArea) and widget in (parent.horizontalScrollBar(),
                                                                  parent.verticalScrollBar()):
            return True
        if isinstance(parent, QAbstractItemView):  # header sections, editors, corner button
            return True
        parent = parent.parentWidget()
    return False


def spoken_name(widget: QWidget) -> str:
    """What a screen reader announces for the control."""
    interface = QAccessible.queryAccessibleInterface(widget)
    name = interface.text(QAccessible.Text.Name) if interface is not None else ""
    if not name.strip():
        buddies = [label for label in widget.window().findChildren(QLabel) if label.buddy() is widget]
        name = buddies[0].text() if buddies else ""
    return (name or widget.accessibleName()).replace("&", "").strip()


def unnamed_controls(page: QWidget) -> list[str]:
    missing = []
    for widget in page.findChildren(QWidget):
        if not isinstance(widget, INTERACTIVE) or not widget.isVisibleTo(page) or _is_part_of_another_control(widget):
            continue
        if not spoken_name(widget):
            missing.append(f"{type(widget).__name__} {widget.objectName() or '(no object name)'}"
                           f" tooltip={widget.toolTip()!r}")
    return missing


def show(window, title: str, qtbot) -> QWidget:
    if title == "Staff":
        window.nav.setCurrentRow(0)
        return window.staff_page
    window.show_page(title)
    page = window.page(title)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is page)
    return page


@pytest.mark.parametrize("title", PAGE_TITLES)
def test_every_control_on_the_page_has_a_name_a_screen_reader_can_say(main_window, qtbot, no_dialogs, title):
    page = show(main_window, title, qtbot)
    assert unnamed_controls(page) == []


@pytest.mark.parametrize("title", PAGE_TITLES)
def test_tab_visits_the_page_and_comes_back_without_getting_stuck(main_window, qtbot, no_dialogs, title):
    page = show(main_window, title, qtbot)
    main_window.activateWindow()
    main_window.nav.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is main_window.nav)
    visited, repeats = [main_window.nav], 0
    for _ in range(120):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        widget = QApplication.focusWidget()
        # A date field takes a Tab per part (day, month, year) and a detail pane one per link
        # before moving on; a table that walks every cell never would.
        repeats = repeats + 1 if widget is visited[-1] else 0
        assert repeats < 12, f"Tab is stuck on {type(widget).__name__} {widget.objectName()}"
        if widget is main_window.nav:
            break
        if repeats == 0:
            visited.append(widget)
    else:
        pytest.fail(f"Tab never came back to the navigation list after {len(visited)} stops")
    focusable = [w for w in page.findChildren(QWidget)
                 if w.isVisibleTo(page) and w.isEnabled() and w.focusPolicy() & Qt.FocusPolicy.TabFocus]
    if focusable:  # e.g. My induction for someone with no staff record shows only a message
        assert any(page.isAncestorOf(w) for w in visited), "Tab never reached the page's controls"
    assert all(w.focusPolicy() & Qt.FocusPolicy.TabFocus for w in visited)


def test_the_name_check_finds_a_control_with_nothing_to_announce(qtbot):
    from PySide6.QtWidgets import QFormLayout

    page = QWidget()
    qtbot.addWidget(page)
    layout = QFormLayout(page)
    unnamed, labelled, named = QLineEdit(objectName="unnamed"), QLineEdit(), QComboBox()
    layout.addRow(unnamed)
    layout.addRow("&Surname", labelled)  # QFormLayout makes the label its buddy
    named.setAccessibleName("Practice")
    layout.addRow(named)
    page.show()
    assert unnamed_controls(page) == ["QLineEdit unnamed tooltip=''"]
