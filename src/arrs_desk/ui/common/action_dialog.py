"""The one action dialog: a titled form whose OK runs one service call as an `Operation`.

Ticking, returning or marking an item not applicable, pausing an enrolment, signing off a
milestone: each is an intro, a few fields and one write. The fields are added by name (`add_text`,
`add_date`, `add_line`); on OK their values go to `submit` as a dict. A refusal is
shown in the dialog, which stays open with what was typed, and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout,
    QWidget,
)

from arrs_desk.errors import ValidationError
from arrs_desk.ui.common.date_edit import DateEdit
from arrs_desk.ui.common.dates import pydate, qdate
from arrs_desk.ui.common.error_display import show_error
from arrs_desk.ui.common.form_errors import ERROR_PREFIX, reserve_message_room, show_message
from arrs_desk.ui.common.operation import Operation, workspace_of


class ItemActionDialog(QDialog):
    """A titled form with an OK button that runs `submit(values)` as an `Operation` announcing
    `changes` (the areas `submit` writes to).

    `values` maps each field's name to what was entered (text, or a date for date fields).
    """

    def __init__(self, title: str, intro: str, ok_text: str, submit: Callable[[dict], object],
                 parent: QWidget | None = None, *, changes: Iterable[str] = ()):
        super().__init__(parent)
        self.setWindowTitle(title)
        self._submit = submit
        self._changes = tuple(changes)
        self._fields: dict[str, QWidget] = {}
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        self.form = QFormLayout()
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Problem")
        font = self.error.font()
        font.setBold(True)
        self.error.setFont(font)
        reserve_message_room(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)

    # --- fields -------------------------------------------------------------------------
    def add_text(self, name: str, label: str, *, placeholder: str = "", text: str = "") -> QPlainTextEdit:
        edit = QPlainTextEdit(text)
        edit.setPlaceholderText(placeholder)
        edit.setAccessibleName(label.replace("&", ""))
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(96)
        self.form.addRow(label, edit)
        self._fields[name] = edit
        return edit

    def add_date(self, name: str, label: str, value: date, *, maximum: date | None = None) -> DateEdit:
        edit = DateEdit(qdate(value))
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd/MM/yyyy")
        edit.setAccessibleName(label.replace("&", ""))
        edit.setMinimumDate(QDate(2000, 1, 1))
        if maximum is not None:
            edit.setMaximumDate(qdate(maximum))
        self.form.addRow(label, edit)
        self._fields[name] = edit
        return edit

    def add_line(self, name: str, label: str, *, text: str = "", placeholder: str = "") -> QLineEdit:
        edit = QLineEdit(text)
        edit.setPlaceholderText(placeholder)
        edit.setAccessibleName(label.replace("&", ""))
        self.form.addRow(label, edit)
        self._fields[name] = edit
        return edit

    def values(self) -> dict:
        result = {}
        for name, widget in self._fields.items():
            if isinstance(widget, QPlainTextEdit):
                result[name] = widget.toPlainText()
            elif isinstance(widget, DateEdit):
                result[name] = pydate(widget.date())
            elif isinstance(widget, QLineEdit):
                result[name] = widget.text()
        return result

    def field(self, name: str) -> QWidget:
        return self._fields[name]

    # --- saving -------------------------------------------------------------------------
    def submit(self) -> None:
        problem = next(((n, w.problem()) for n, w in self._fields.items() if isinstance(w, DateEdit) and w.problem()), None)
        if problem is not None:
            show_message(self.error, ERROR_PREFIX + problem[1])
            self._fields[problem[0]].setFocus()
            return
        values = self.values()
        # `submit` holds its own service: the workspace is needed only to announce what changed.
        Operation(self, lambda _workspace: self._submit(values), workspace=workspace_of(self)) \
            .changes(*self._changes).fields(self._show_problem).failure(self._refused) \
            .success(lambda _result: self.accept()).run()

    def _show_problem(self, error: ValidationError) -> None:
        show_message(self.error, ERROR_PREFIX + error.message)
        widget = next((self._fields[f] for f in error.errors if f in self._fields), None)
        (widget or self.buttons).setFocus()

    def _refused(self, error: Exception) -> None:
        show_error(self, error)
        self.reject()  # permission or stale edit: the message was shown; the caller reloads
