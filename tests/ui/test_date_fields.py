"""Issue 15: every date field takes dates as UK users type them, and a date outside the field's
range is kept as typed and refused with the range, never replaced by another date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialogButtonBox

from arrs_desk.domain.dates import format_uk, parse_uk_date
from arrs_desk.ui.common.date_edit import DateEdit
from arrs_desk.ui.common.dates import pydate, qdate
from tests.conftest import TODAY
from tests.supervision_support import arrange, make_team


def type_into(qtbot, edit: DateEdit, text: str) -> None:
    """As a user does: click into the field, select what is there, type, press Tab."""
    edit.window().activateWindow()  # focus goes only to a widget in the active window
    qtbot.waitUntil(edit.window().isActiveWindow)
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    edit.lineEdit().selectAll()
    qtbot.keyClicks(edit.lineEdit(), text)
    qtbot.keyClick(edit.lineEdit(), Qt.Key.Key_Tab)
    edit.clearFocus()


@pytest.fixture
def field(qtbot):
    edit = DateEdit(qdate(TODAY))
    edit.setMinimumDate(TODAY - timedelta(days=3650))
    edit.setMaximumDate(TODAY + timedelta(days=3650))
    qtbot.addWidget(edit)
    edit.show()
    return edit


@pytest.mark.parametrize("style", ["%d/%m/%Y", "%d%m%Y", "%d.%m.%y", "%d-%m-%Y", "%d %m %Y", "%Y-%m-%d"])
def test_each_way_uk_users_type_a_date_is_read_as_that_date(qtbot, field, style):
    wanted = TODAY - timedelta(days=40)
    type_into(qtbot, field, wanted.strftime(style))
    assert pydate(field.date()) == wanted and field.problem() == ""
    assert field.lineEdit().text() == format_uk(wanted)


def test_a_date_after_the_maximum_is_kept_as_typed_and_the_range_is_named(qtbot, field):
    field.setMaximumDate(TODAY)
    later = TODAY + timedelta(days=12)
    type_into(qtbot, field, later.strftime("%d%m%Y"))
    assert pydate(field.date()) == later  # never replaced by another date
    assert format_uk(TODAY) in field.problem() and format_uk(later) in field.problem()
    assert field.accessibleDescription() == field.problem()
    type_into(qtbot, field, format_uk(TODAY))
    assert field.problem() == ""


def test_text_that_is_no_date_says_how_to_type_one_and_keeps_the_last_date(qtbot, field):
    type_into(qtbot, field, "31/02/2026")
    assert pydate(field.date()) == TODAY
    assert "is not a date" in field.problem() and "dd/mm/yyyy" in field.problem()


def test_letters_cannot_be_typed(qtbot, field):
    type_into(qtbot, field, "tomorrow")
    assert pydate(field.date()) == TODAY


def test_log_session_refuses_a_future_date_typed_run_together_and_saves_nothing(qtbot, workspace, system_actor,
                                                                                no_dialogs):
    from arrs_desk.ui.supervision.supervision_session import SessionDialog

    team = make_team(workspace, system_actor)
    arrange(workspace, team.helen, team.zoe_id, supervisor_id=team.gp_id, start=TODAY - timedelta(days=200))
    person = workspace.supervision.person(team.helen, staff_id=team.zoe_id)
    choices = workspace.supervision.form_choices(team.helen, staff_id=team.zoe_id)
    dialog = SessionDialog(workspace, team.helen, person, choices, type_code="clinical")
    qtbot.addWidget(dialog)
    dialog.show()
    future = TODAY + timedelta(days=12)
    type_into(qtbot, dialog.ui.held_on, future.strftime("%d%m%Y"))
    assert pydate(dialog.ui.held_on.date()) == future
    dialog.ui.topics.setPlainText("Caseload review")
    dialog.ui.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    message = dialog.errors.text("held_on")
    assert format_uk(future) in message and format_uk(TODAY) in message, message
    assert dialog.isVisible() and dialog.saved is None
    assert workspace.supervision.person(team.helen, staff_id=team.zoe_id).sessions == ()


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=date(1957, 1, 1), max_value=date(2056, 12, 31)))
def test_every_written_form_of_a_date_reads_back_as_that_date(day):
    today = date(2026, 11, 24)
    for style in ("%d/%m/%Y", "%d%m%Y", "%d.%m.%Y", "%Y-%m-%d", "%-d/%-m/%Y"):
        assert parse_uk_date(day.strftime(style), today=today) == day
    # Two digits: the century that puts the date within 30 years after today (1957-2056 in 2026).
    assert parse_uk_date(day.strftime("%d.%m.%y"), today=today) == day


@pytest.mark.parametrize("text", ["", "15/13/2026", "30/02/2027", "2026", "15/12", "1512202", "abc", "15//12//2026"])
def test_what_is_not_a_date_is_not_read_as_one(text):
    assert parse_uk_date(text, today=date(2026, 11, 24)) is None


def test_a_date_field_answers_qt_s_calls_for_the_range():
    edit = DateEdit(QDate(2026, 1, 1))
    edit.setDateRange(QDate(2020, 1, 1), QDate(2027, 1, 1))
    assert (edit.minimumDate(), edit.maximumDate()) == (QDate(2020, 1, 1), QDate(2027, 1, 1))
    edit.setDate(QDate(2030, 1, 1))  # a program may set any date; the field says it is out of range
    assert edit.date() == QDate(2030, 1, 1) and "from 01/01/2020 to 01/01/2027" in edit.problem()
    edit.deleteLater()


def test_every_date_field_in_the_window_is_the_one_date_field():
    """A plain QDateEdit clamps typed dates silently; forms and dialogs use DateEdit (Designer promotes it)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = [str(p.relative_to(root)) for p in (root / "src" / "arrs_desk" / "ui").rglob("*.py")
                 if "QDateEdit(" in p.read_text(encoding="utf-8") and p.name != "date_edit.py"]
    offenders += [str(p.relative_to(root)) for p in (root / "forms").glob("*.ui")
                  if 'class="QDateEdit"' in p.read_text(encoding="utf-8")]
    assert offenders == []


@pytest.mark.parametrize("typed", ["29/02/2027", "2027-02-31", "29022027"])
def test_an_impossible_date_goes_back_to_the_date_before_the_edit_not_one_read_from_part_of_it(qtbot, field, typed):
    """Typing "29/02/2027" passes "29/02/20" (a date of 2020) and "2027-02-31" passes "2027-02-3":
    the field once went back to that date and said so, a date nobody had entered."""
    type_into(qtbot, field, typed)
    assert pydate(field.date()) == TODAY and field.lineEdit().text() == format_uk(TODAY)
    assert f"“{typed}” is not a date" in field.problem() and f"shows {format_uk(TODAY)} again" in field.problem()


@pytest.mark.parametrize("typed", ["01/01/9999", "01/01/1850", "31122200"])
def test_a_date_beyond_the_years_a_field_holds_is_refused_never_clamped(qtbot, field, typed):
    """Qt holds 1900 to 2199 and clamped 01/01/9999 to 31/12/2199 without a word, even in a field with
    no range of its own (a new role's start date)."""
    free = DateEdit(qdate(TODAY))
    qtbot.addWidget(free)
    free.show()
    for edit in (field, free):
        changed = []
        edit.dateChanged.connect(changed.append)
        type_into(qtbot, edit, typed)
        assert pydate(edit.date()) == TODAY, edit.date()
        assert f"“{typed}” is beyond the dates ARRS Desk keeps" in edit.problem()
        assert "from 01/01/1900 to 31/12/2199" in edit.problem()
        assert not {date(2199, 12, 31), date(1900, 1, 1)} & {pydate(d) for d in changed}  # never clamped, even in passing


def test_after_a_refused_date_a_good_one_is_taken_and_the_problem_cleared(qtbot, field):
    type_into(qtbot, field, "01/01/9999")
    wanted = TODAY - timedelta(days=3)
    type_into(qtbot, field, format_uk(wanted))
    assert pydate(field.date()) == wanted and field.problem() == ""
    type_into(qtbot, field, "31/02/2026")  # goes back to the date just entered, not the first one
    assert pydate(field.date()) == wanted
