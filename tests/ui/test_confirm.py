"""`confirmed` (ui/common/confirm.py): the app's one "are you sure?" box, answered here as a person
answers it, with the keyboard or the mouse, on the real box."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from arrs_desk.ui.common.confirm import confirmed, confirmed_for_good
from tests.support.qt import when_shown


def ask(qtbot, act: Callable[[QMessageBox], object], text: str = "Remove the entry?", asking=confirmed,
        **options) -> tuple[bool, dict]:
    """Ask over a shown window; `act` answers the box. Returns the answer and what the box showed."""
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    seen: dict = {}

    def answer(box: QMessageBox) -> None:
        label = box.findChild(QLabel, "qt_msgbox_label")
        default = box.defaultButton()
        seen.update(title=box.windowTitle(), text=label.text(), format=label.textFormat(),
                    buttons=sorted(box.standardButton(b).name for b in box.buttons()),
                    default=box.standardButton(default).name if default else None,
                    parent=box.parentWidget() is parent, icon=box.icon())
        act(box)

    shown = when_shown(QMessageBox, answer)
    result = asking(parent, "Remove entry", text, **options)
    assert shown, "the question was never shown"
    return result, seen


def key(pressed: Qt.Key) -> Callable[[QMessageBox], None]:
    """Press `pressed` on the box, where the keyboard focus is, as a person at the keyboard does."""
    return lambda box: QTest.keyClick(box.focusWidget() or box, pressed)


def test_yes_is_yes_and_the_box_is_the_apps_question(qtbot):
    answer, seen = ask(qtbot, lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    assert answer is True
    assert seen == {"title": "Remove entry", "text": "Remove the entry?", "format": Qt.TextFormat.PlainText,
                    "buttons": ["No", "Yes"], "default": "Yes", "parent": True, "icon": QMessageBox.Icon.Question}


def test_no_is_no(qtbot):
    answer, _seen = ask(qtbot, lambda box: box.button(QMessageBox.StandardButton.No).click())
    assert answer is False


def test_escape_or_closing_the_box_is_no(qtbot):
    assert ask(qtbot, key(Qt.Key.Key_Escape))[0] is False
    assert ask(qtbot, lambda box: box.close())[0] is False


def test_enter_is_yes_unless_no_is_the_default(qtbot):
    assert ask(qtbot, key(Qt.Key.Key_Return))[0] is True
    answer, seen = ask(qtbot, key(Qt.Key.Key_Return), default_no=True)
    assert answer is False and seen["default"] == "No"


def test_a_name_that_looks_like_markup_is_shown_as_typed(qtbot):
    text = "Remove the session with <b>Sam</b> & <i>Aisha</i>?"
    answer, seen = ask(qtbot, lambda box: box.button(QMessageBox.StandardButton.Yes).click(), text)
    assert answer is True and seen["text"] == text and seen["format"] == Qt.TextFormat.PlainText


def test_a_step_that_destroys_records_for_good_warns_and_cancel_is_the_default(qtbot):
    """Erasing someone's records (records retention) asks with a warning, Yes and Cancel; Enter,
    Escape or closing the box cancel, and a name in the text is shown as typed."""
    answer, seen = ask(qtbot, key(Qt.Key.Key_Return), text="Erase the record of <b>Sam</b>?",
                       asking=confirmed_for_good)
    assert answer is False
    assert seen["buttons"] == ["Cancel", "Yes"] and seen["default"] == "Cancel"
    assert seen["icon"] == QMessageBox.Icon.Warning and seen["format"] == Qt.TextFormat.PlainText
    assert ask(qtbot, key(Qt.Key.Key_Escape), asking=confirmed_for_good)[0] is False
    assert ask(qtbot, lambda box: box.button(QMessageBox.StandardButton.Yes).click(),
               asking=confirmed_for_good)[0] is True
