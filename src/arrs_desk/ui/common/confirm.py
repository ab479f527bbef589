"""The one way a screen asks "are you sure?" before it acts (remove an entry, discard changes,
restore a backup): a Yes/No question over the window that asks.

Asked as the app has always asked it: the question icon, Yes and No, Escape (or closing the box)
meaning No, and Enter meaning Yes unless the caller asks for No as the default (a step that
cannot be undone, such as restoring a backup). The text is plain text: it names people and
records, and a name such as "<b>Sam</b>" is shown as typed, never read as markup.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

YES, NO, CANCEL = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No, QMessageBox.StandardButton.Cancel


def confirmed(parent: QWidget | None, title: str, text: str, *, default_no: bool = False) -> bool:
    """Ask `text` in a box titled `title` over `parent`; True only when the person chose Yes."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, YES | NO, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setDefaultButton(NO if default_no else YES)
    box.setEscapeButton(NO)
    box.exec()
    return box.clickedButton() is box.button(YES)


def confirmed_for_good(parent: QWidget | None, title: str, text: str) -> bool:
    """Ask before a step that destroys records for good (erasing or anonymising someone, destroying a
    training record): the warning icon, Yes and Cancel, Cancel chosen unless the person picks Yes,
    and the text as plain text, like `confirmed`."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, YES | CANCEL, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setDefaultButton(CANCEL)
    box.setEscapeButton(CANCEL)
    box.exec()
    return box.clickedButton() is box.button(YES)
