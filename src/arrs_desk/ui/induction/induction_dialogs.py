"""Small dialogs for one checklist item: tick with a note, return with a comment, not applicable
with a reason, validity and renewal. Each is the shared `ItemActionDialog` (ui/common/action_dialog.py)
with its own fields; it calls its service on OK."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtWidgets import QComboBox, QLineEdit

from arrs_desk.ui.common.action_dialog import ItemActionDialog

VALIDITY_CHOICES = (("Does not expire", ""), ("1 year", "12"), ("2 years", "24"), ("3 years", "36"),
                    ("Another number of months…", None))


class ValidityDialog(ItemActionDialog):
    """How long a piece of training stays valid: a common choice or a number of months."""

    def __init__(self, title: str, current: int | None, submit: Callable[[dict], object], parent=None, *,
                 changes: Iterable[str] = ()):
        super().__init__(
            f"How long '{title}' stays valid",
            "Training such as basic life support is usually renewed every year; safeguarding and most "
            "statutory training every three years. The date it expires is worked out from when it was done.",
            "Save", submit, parent, changes=changes)
        self.choice = QComboBox()
        self.choice.setAccessibleName("Valid for")
        for label, value in VALIDITY_CHOICES:
            self.choice.addItem(label, value)
        self.months = QLineEdit()
        self.months.setAccessibleName("Months")
        self.months.setPlaceholderText("months, for example 18")
        self.form.addRow("&Valid for", self.choice)
        self.form.addRow("&Months", self.months)
        index = self.choice.findData("" if current is None else str(current))
        if index < 0:
            index = self.choice.count() - 1
            self.months.setText(str(current))
        self.choice.setCurrentIndex(index)
        self.choice.currentIndexChanged.connect(self._sync)
        self._sync()

    def _sync(self) -> None:
        other = self.choice.currentData() is None
        self.months.setEnabled(other)
        if not other:
            self.months.setText(self.choice.currentData())

    def values(self) -> dict:
        return {"months": self.months.text()}
