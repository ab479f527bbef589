"""Validation messages shown under the fields they are about, for dialogs built on QFormLayout.

The services name fields in a `ValidationError`; this puts each message directly beneath its
field (hidden until needed), sets the field's accessible description so a screen reader
announces it, and summarises the count above the form.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QLayout, QScrollArea, QWidget

from arrs_desk.ui.common.text import plural
from arrs_desk.ui.common import fit

ERROR_PREFIX = "⚠ "
MESSAGE_WIDTH = 320


class FieldErrors:
    def __init__(self, dialog: QWidget, fields: dict[str, QWidget | QLayout], summary: QLabel,
                 scroll: QScrollArea | None = None):
        self._fields = fields
        self._summary = summary
        self._scroll = scroll
        self.labels: dict[str, QLabel] = {}
        for field, target in fields.items():
            for form in dialog.findChildren(QFormLayout):
                row, _role = (form.getLayoutPosition(target) if isinstance(target, QLayout)
                              else form.getWidgetPosition(target))
                if row >= 0:
                    label = QLabel()
                    label.setObjectName(f"{field}_error")
                    label.setWordWrap(True)
                    label.setMinimumWidth(MESSAGE_WIDTH)  # else the form reserves the height of a very narrow label
                    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                    label.setAccessibleName(f"Problem with {field.replace('_', ' ')}")
                    font = label.font()
                    font.setBold(True)
                    label.setFont(font)
                    form.insertRow(row + 1, "", label)
                    label.hide()
                    self.labels[field] = label
                    break
        summary.hide()

    def show(self, errors: dict[str, str]) -> None:
        unplaced = []
        for field, message in errors.items():
            if field not in self.labels:
                unplaced.append(message)
        for field, label in self.labels.items():
            message = errors.get(field, "")
            target = self._fields[field]
            # As wide as the field it is about, so a long message wraps under it instead of
            # widening the whole form (the window jumped sideways, or off the screen).
            width = target.width() if isinstance(target, QWidget) else target.geometry().width()
            if message and width > 0:
                label.setMinimumWidth(max(160, min(MESSAGE_WIDTH, width)))
            label.setText(ERROR_PREFIX + message if message else "")
            label.setVisible(bool(message))
            if isinstance(target, QWidget):
                target.setAccessibleDescription(message)
        count = len(errors)
        text = f"{ERROR_PREFIX}Nothing has been saved yet. Please fix the {plural(count, 'problem')} marked below."
        if unplaced:
            text += "\n" + "\n".join(unplaced)
        self._summary.setText(text)
        self._summary.show()
        # Room for the messages without squeezing them: the window grows only as much as they
        # need and the screen allows, and past that its form scrolls (fit.make_room).
        fit.make_room(self._summary.window())
        first = next((f for f in self._fields if f in errors), None)
        if first is not None:
            target = self._fields[first]
            scroll = self._scroll or (fit.scroll_area_of(self.labels[first]) if first in self.labels else None)
            if scroll is not None and first in self.labels:
                scroll.ensureWidgetVisible(self.labels[first])
            widget = target if isinstance(target, QWidget) else _first_widget(target)
            if widget is not None:
                widget.setFocus()

    def refuse_date_problems(self) -> bool:
        """Before saving: show each date field's own problem (not a date, outside its range) under it
        and return True, so a date is never saved as anything but what the user typed and accepted."""
        from arrs_desk.ui.common.date_edit import DateEdit

        problems = {}
        for field, target in self._fields.items():
            widgets = [target] if isinstance(target, QWidget) else _widgets(target)
            for widget in widgets:
                edits = [widget] if isinstance(widget, DateEdit) else widget.findChildren(DateEdit)
                message = next((e.problem() for e in edits if e.isEnabled() and e.problem()), "")
                if message:
                    problems[field] = message
                    break
        if problems:
            self.show(problems)
        return bool(problems)

    def clear(self) -> None:
        for label in self.labels.values():
            label.clear()
            label.hide()
        self._summary.hide()

    def text(self, field: str) -> str:
        label = self.labels.get(field)
        return label.text().removeprefix(ERROR_PREFIX) if label is not None else ""


def _first_widget(layout: QLayout) -> QWidget | None:
    for i in range(layout.count()):
        item = layout.itemAt(i)
        if item.widget() is not None:
            return item.widget()
        if item.layout() is not None:
            found = _first_widget(item.layout())
            if found is not None:
                return found
    return None


def _widgets(layout: QLayout) -> list[QWidget]:
    found = []
    for i in range(layout.count()):
        item = layout.itemAt(i)
        if item.widget() is not None:
            found.append(item.widget())
        elif item.layout() is not None:
            found += _widgets(item.layout())
    return found


def reserve_message_room(label: QLabel, lines: int = 2) -> None:
    """Keep room for a message that appears after pressing OK (a dialog's one problem line), so
    the form does not jump or squeeze its text box when it appears; a longer message makes room
    for itself within the screen (`show_message`)."""
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    label.setMinimumHeight(label.fontMetrics().lineSpacing() * lines)
    label.setText("")
    label.show()


def show_message(label: QLabel, text: str) -> None:
    """Show a problem in a label set up by `reserve_message_room`."""
    label.setText(text)
    label.show()
    fit.make_room(label.window())


def message_in(label: QLabel):
    """For `Operation.fields` in a dialog with one problem line (`reserve_message_room`): the
    validation message goes there, and the dialog stays open with what was typed."""
    return lambda error: show_message(label, ERROR_PREFIX + error.message)


def shown_in(label: QLabel):
    """For `Operation.fields` in a dialog with a hidden problem label: the message, shown there."""
    def show(error) -> None:
        label.setText(ERROR_PREFIX + error.message)
        label.show()
    return show
