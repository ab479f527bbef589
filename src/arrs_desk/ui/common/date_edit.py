"""The one date field: takes dates as UK users type them and never changes one silently.

Qt's QDateEdit edits a date section by section and clamps to its range, so `15122026` typed into
a field whose maximum was today became another date with no message (issue 15). This field reads
the whole text the way people write dates (`15/12/2026`, `15122026`, `15.12.26`; see
`domain.dates.parse_uk_date`). Its allowed range is its own rule, not Qt's: a date outside it is
kept as typed, the field says the range (a bubble, its tooltip and accessible description), and
the dialog refuses to save it (`FieldErrors.date_problems`) or the service refuses it with its reason. Text that is not a date at all is refused with
how to type one, and the field goes back to the date it held before the edit (not to a date read
from half of what was typed: "29/02/20" on the way to "29/02/2027" is a date of 2020). A date
beyond the years the field can hold (1900 to 2199: `01/01/9999`) is refused the same way, never
clamped to 31/12/2199.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QDateTime, QPoint, Qt, QTime, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QDateEdit, QToolTip, QWidget

from arrs_desk import clock
from arrs_desk.domain.dates import format_uk, parse_uk_date
from arrs_desk.ui.common.dates import pydate, qdate

QT_FLOOR, QT_CEILING = QDate(1900, 1, 1), QDate(2199, 12, 31)
_FIRST_DAY, _LAST_DAY = pydate(QT_FLOOR), pydate(QT_CEILING)
TYPING = frozenset("0123456789/.- ")


class DateEdit(QDateEdit):
    """A QDateEdit (same calls, same signals) with UK typing and a range that refuses, never clamps."""

    problem_changed = Signal(str)

    def __init__(self, value: QDate | date | QWidget | None = None, parent: QWidget | None = None):
        if isinstance(value, QWidget):  # DateEdit(parent), as Designer's generated code calls it
            value, parent = None, value
        super().__init__(parent)
        super().setDateRange(QT_FLOOR, QT_CEILING)
        self._minimum: QDate | None = None
        self._maximum: QDate | None = None
        self._problem = ""
        self._not_a_date = ""  # kept until the text is edited again
        self._before_edit: QDate | None = None  # the date when the person began typing in the field
        self.setDisplayFormat("dd/MM/yyyy")
        self.setCalendarPopup(True)
        self.setCorrectionMode(QDateEdit.CorrectionMode.CorrectToPreviousValue)
        self.setToolTip("Type the date as dd/mm/yyyy (15/12/2026, 15122026 or 15.12.26 also work), or pick it")
        self._hint = self.toolTip()
        if value is not None:
            self.setDate(value)
        self.dateChanged.connect(lambda _d: self._check_range(announce=False))
        self.editingFinished.connect(self._finished)
        self.lineEdit().textEdited.connect(self._edited)

    # --- the range is ours: kept, shown in the calendar, never used to clamp ---------------------
    def setMinimumDate(self, value: QDate | date) -> None:  # noqa: N802 (Qt's name)
        self._minimum = _as_qdate(value)
        self._sync_calendar()

    def setMaximumDate(self, value: QDate | date) -> None:  # noqa: N802
        self._maximum = _as_qdate(value)
        self._sync_calendar()

    def setDateRange(self, minimum: QDate | date, maximum: QDate | date) -> None:  # noqa: N802
        self._minimum, self._maximum = _as_qdate(minimum), _as_qdate(maximum)
        self._sync_calendar()

    def minimumDate(self) -> QDate:  # noqa: N802
        return self._minimum or QT_FLOOR

    def maximumDate(self) -> QDate:  # noqa: N802
        return self._maximum or QT_CEILING

    def setDate(self, value: QDate | date) -> None:  # noqa: N802
        self._before_edit = _as_qdate(value)  # set by the program: what a refused edit goes back to
        super().setDate(self._before_edit)

    def problem(self) -> str:
        """What is wrong with the date shown ("" when nothing is)."""
        return self._problem

    def value(self) -> date:
        return pydate(self.date())

    # --- reading what was typed -----------------------------------------------------------------
    def validate(self, text: str, pos: int):  # noqa: D401 (Qt's override)
        if _holdable(text) is not None:
            return QValidator.State.Acceptable, text, pos
        if len(text) <= 10 and set(text) <= TYPING:
            return QValidator.State.Intermediate, text, pos
        return QValidator.State.Invalid, text, pos

    def dateTimeFromText(self, text: str) -> QDateTime:  # noqa: N802
        day = _holdable(text)
        return QDateTime(qdate(day), QTime(0, 0)) if day is not None else self.dateTime()

    def textFromDateTime(self, value: QDateTime) -> str:  # noqa: N802
        return value.date().toString("dd/MM/yyyy")

    def focusInEvent(self, event) -> None:  # noqa: N802
        self._before_edit = self.date()
        super().focusInEvent(event)

    def focusOutEvent(self, event) -> None:  # noqa: N802
        self._refuse_non_date()
        super().focusOutEvent(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._refuse_non_date()
        super().keyPressEvent(event)

    def _refuse_non_date(self) -> None:
        """Text that is not a date (or not one the field can hold) when the person leaves the field: say
        so, and show again the date the field held before they began typing."""
        text = self.lineEdit().text().strip()
        if not text or _holdable(text) is not None:
            return
        before = self._before_edit if self._before_edit is not None else self.date()
        shown = before.toString("dd/MM/yyyy")
        if parse_uk_date(text, today=clock.today()) is None:
            reason = f"“{text}” is not a date. Type it as dd/mm/yyyy, for example 15/12/2026"
        else:
            reason = (f"“{text}” is beyond the dates ARRS Desk keeps: enter a date from "
                      f"{QT_FLOOR.toString('dd/MM/yyyy')} to {QT_CEILING.toString('dd/MM/yyyy')}")
        self._not_a_date = f"{reason}; the field shows {shown} again."
        super().setDate(before)  # not the date Qt read from part of the typing
        self._set_problem(self._not_a_date, announce=True)

    def _finished(self) -> None:
        if not self._not_a_date:
            self._before_edit = self.date()  # Enter accepted the date: a later edit goes back to this one
        self._check_range(announce=True)

    def _edited(self, _text: str) -> None:
        if self._not_a_date:
            self._not_a_date = ""
            self._check_range(announce=False)

    # --- telling the user -------------------------------------------------------------------------
    def _check_range(self, *, announce: bool) -> None:
        shown = self.date()
        low, high = self._minimum, self._maximum
        if self._not_a_date:
            self._set_problem(self._not_a_date, announce=False)
        elif (low is not None and shown < low) or (high is not None and shown > high):
            self._set_problem(range_message(shown, low, high), announce=announce)
        else:
            self._set_problem("", announce=False)

    def _set_problem(self, message: str, *, announce: bool) -> None:
        changed = message != self._problem
        self._problem = message
        self.setToolTip(message or self._hint)
        self.setAccessibleDescription(message)
        if message and announce and self.isVisible():
            QToolTip.showText(self.mapToGlobal(QPoint(0, self.height())), message, self)
        if changed:
            self.problem_changed.emit(message)

    def _sync_calendar(self) -> None:
        calendar = self.calendarWidget()
        if calendar is not None:
            calendar.setDateRange(self._minimum or QT_FLOOR, self._maximum or QT_CEILING)
        self._check_range(announce=False)


def range_message(shown: QDate, low: QDate | None, high: QDate | None) -> str:
    """"15/12/2026 is after 03/12/2026, the latest date allowed here" and the like, naming the range."""
    typed = shown.toString("dd/MM/yyyy")
    low_text = format_uk(pydate(low)) if low is not None else ""
    high_text = format_uk(pydate(high)) if high is not None else ""
    if low is not None and high is not None:
        return f"{typed} is outside the dates allowed here: enter a date from {low_text} to {high_text}."
    if high is not None:
        return f"{typed} is after {high_text}, the latest date allowed here."
    return f"{typed} is before {low_text}, the earliest date allowed here."


def _holdable(text: str) -> date | None:
    """The date typed, if it is one the field can hold (Qt's range: it would clamp any other)."""
    day = parse_uk_date(text, today=clock.today())
    return day if day is not None and _FIRST_DAY <= day <= _LAST_DAY else None


def _as_qdate(value: QDate | date) -> QDate:
    return value if isinstance(value, QDate) else qdate(value)
