"""Issue 15 item 8: nothing jumps, overlaps, is cut off or miscounted.

Counted words come from one helper ("1 person", never "1 people"); a dialog's problem message
has room kept for it, so it neither overlaps its text box nor moves the form; problems under a
form's fields take their room from its text boxes without the window jumping; the checklist stays
put when its summary wraps; table columns share the table's width.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import shiboken6
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QWidget

from arrs_desk.errors import ValidationError
from arrs_desk.ui.common.columns import shared_widths
from arrs_desk.ui.common.text import plural, plural_word
from tests.conftest import TODAY
from tests.supervision_support import arrange, make_team


def _box(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


# --- counted words ------------------------------------------------------------------------------

@pytest.mark.parametrize("count, word, expected", [
    (1, "person", "1 person"), (0, "person", "0 people"), (2, "person", "2 people"),
    (1, "item", "1 item"), (3, "item", "3 items"), (1, "competency", "1 competency"),
    (2, "competency", "2 competencies"), (1204, "review", "1,204 reviews"), (2, "day", "2 days"),
    (2, "evidence file", "2 evidence files"), (1, "ARRS staff member", "1 ARRS staff member"),
])
def test_counted_words(count, word, expected):
    assert plural(count, word) == expected


def test_verbs_agree_with_their_count():
    assert f"1 item {plural_word(1, 'needs')}" == "1 item needs"
    assert f"2 items {plural_word(2, 'needs')}" == "2 items need"
    assert plural_word(1, "was") == "was" and plural_word(3, "was") == "were"


def test_a_staff_list_of_one_says_one_person(qtbot, demo_workspace, system_actor):
    from arrs_desk.ui.staff.staff_page import StaffPage

    page = StaffPage()
    qtbot.addWidget(page)
    rows = demo_workspace.staff.list_rows(system_actor)
    page.set_rows(rows[:1])
    assert page.count_label.text() == "1 person"
    page.set_rows(rows[:2])
    assert page.count_label.text() == "2 people"


# --- a dialog's problem message -----------------------------------------------------------------

def test_an_empty_return_comment_is_explained_below_the_text_box_without_moving_it(qtbot, no_dialogs):
    """The report: returning an item with no comment drew the message over the comment box."""
    from arrs_desk.ui.common.action_dialog import ItemActionDialog

    def refuse(values):
        raise ValidationError({"comment": "Say what the starter needs to do before you can sign this off."})

    dialog = ItemActionDialog("Return: Induction signed off", "Send this back to Zoë Ōkubo, saying what is "
                              "needed before you can sign it off.", "Return to starter", refuse)
    box = dialog.add_text("comment", "&What is needed", placeholder="For example: please attach the certificate")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    before_box, before_height = _box(box, dialog), dialog.height()
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.wait(20)
    assert dialog.isVisible() and dialog.error.text().startswith("⚠ Say what the starter")
    message = _box(dialog.error, dialog)
    assert not message.intersects(_box(box, dialog)), "the message overlaps the text box"
    assert _box(box, dialog) == before_box and dialog.height() == before_height, "the form moved"
    assert message.height() >= dialog.error.heightForWidth(message.width()), "the message is cut short"
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not message.intersects(_box(ok, dialog)) and dialog.rect().contains(_box(ok, dialog))


@pytest.fixture
def fitter(qapp):
    """The application-wide fitting, as make_application installs it (this screen is smaller than
    the form); removed afterwards."""
    from arrs_desk.ui.common import fit

    installed = fit.install(qapp)
    yield installed
    qapp.removeEventFilter(installed)
    shiboken6.delete(installed)  # now, once: the application owns it (deleteLater after a
    # setParent(None) let Python free it as well)


def _no_message_covers_its_field(dialog, errors) -> None:
    for field, label in errors.labels.items():
        if not label.isVisible():
            continue
        target = errors._fields[field]
        message = _box(label, dialog)
        assert message.height() >= label.heightForWidth(message.width()), f"{field}'s message is cut short"
        if isinstance(target, QWidget):
            assert not message.intersects(_box(target, dialog)), f"{field}'s message covers its field"


def test_problems_under_a_forms_fields_take_room_from_its_text_boxes_not_the_screen(qtbot, workspace, system_actor,
                                                                                   no_dialogs, fitter):
    """The impact form has room to spare: its problems appear under their fields and the window
    neither grows nor moves (it used to grow to its full size hint)."""
    from arrs_desk.ui.reviews.review_dialogs import ImpactDialog
    from tests.review_support import make_review_team

    team = make_review_team(workspace, system_actor)
    dialog = ImpactDialog(workspace, team.helen, team.zoe_id, TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.wait(20)
    geometry = dialog.geometry()
    dialog.errors.show({"title": "Give the example a short title.",
                        "description": "Describe the need, what was done and what changed.",
                        "value": "Say what the result was, for example 212 or +8 points."})
    qtbot.wait(20)
    assert dialog.geometry() == geometry
    _no_message_covers_its_field(dialog, dialog.errors)


def test_the_session_forms_problems_keep_save_on_the_screen(qtbot, workspace, system_actor, no_dialogs, fitter):
    """The log-session form has no room to spare on a small screen: it grows as far as the screen
    allows, then its form scrolls; Save stays in view and no message covers a field."""
    from arrs_desk.ui.common import fit
    from arrs_desk.ui.supervision.supervision_session import SessionDialog

    team = make_team(workspace, system_actor)
    arrange(workspace, team.helen, team.zoe_id, supervisor_id=team.gp_id, start=TODAY - timedelta(days=200))
    person = workspace.supervision.person(team.helen, staff_id=team.zoe_id)
    choices = workspace.supervision.form_choices(team.helen, staff_id=team.zoe_id)
    dialog = SessionDialog(workspace, team.helen, person, choices, type_code="clinical")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.wait(20)
    left = dialog.geometry().left()
    dialog.errors.show({"type_code": "Choose the type of supervision.",
                        "supervisor": "Choose who supervised the session (a colleague or an external supervisor).",
                        "format": "Choose the format: one-to-one, group, or remote.",
                        "topics": "Say what was discussed."})
    qtbot.wait(20)
    assert fit.content_area(dialog).contains(dialog.geometry()) and dialog.geometry().left() == left
    _no_message_covers_its_field(dialog, dialog.errors)
    save = dialog.ui.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert dialog.rect().contains(_box(save, dialog))


# --- the checklist header -----------------------------------------------------------------------

def test_the_checklist_stays_put_when_its_summary_wraps(qtbot, demo_workspace):
    from tests.ui.screen_probe import _people

    from arrs_desk.ui.induction.induction_checklist import ChecklistDialog

    people = _people(demo_workspace)
    dialog = ChecklistDialog(demo_workspace, people["helen.whitfield"], people["zoe.okubo"].staff_id)
    qtbot.addWidget(dialog)
    dialog.resize(1180, 700)
    dialog.show()
    qtbot.waitExposed(dialog)
    checklist = dialog.checklist
    tops = []
    for text in ("27 of 56 done", "27 of 56 done · 9 overdue · 2 waiting for sign-off · 1 returned · 1 training "
                 "expired"):
        checklist.counts.setText(text)
        qtbot.wait(20)
        tops.append(_box(checklist.splitter, dialog).top())
    assert tops[0] == tops[1], "the checklist moved when the summary took a second line"
    assert isinstance(checklist.counts, QLabel)


# --- table columns ------------------------------------------------------------------------------

def test_columns_that_fit_keep_their_widths_and_the_spare_goes_to_one():
    assert shared_widths([100, 200, 50], [60, 60, 40], 400, stretch=1) == [100, 250, 50]


def test_the_widest_columns_give_way_first_and_no_lower_than_their_floor():
    widths = shared_widths([300, 100, 200], [150, 100, 130], 450, stretch=None)
    assert sum(widths) == 450 and widths[1] == 100
    assert widths[0] >= 150 and widths[2] >= 130 and widths[0] >= widths[2]


def test_a_table_too_wide_to_share_keeps_every_column_readable():
    assert shared_widths([300, 300], [200, 250], 300, stretch=0) == [200, 250]


def test_the_staff_list_shows_every_column_on_a_laptop_width(qtbot, demo_workspace, system_actor):
    """The report: the start date and registration were cut off at the right-hand edge."""
    from arrs_desk.ui.staff.staff_page import StaffPage

    page = StaffPage()
    qtbot.addWidget(page)
    page.resize(1030, 560)  # the staff page's share of a 1366-pixel-wide window
    page.show()
    qtbot.waitExposed(page)
    page.set_rows(demo_workspace.staff.list_rows(system_actor))
    qtbot.wait(50)
    header = page.table.horizontalHeader()
    assert header.sectionViewportPosition(header.count() - 1) + header.sectionSize(header.count() - 1) \
        <= page.table.viewport().width()
    assert page.table.horizontalScrollBar().maximum() == 0
    metrics = page.table.fontMetrics()
    for column in range(header.count()):  # no heading cut short
        heading = page.table.model().headerData(column, Qt.Orientation.Horizontal)
        assert header.sectionSize(column) >= metrics.horizontalAdvance(heading), heading


def _three_columns(qtbot):
    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import QTableView

    from arrs_desk.ui.common.columns import share_width

    model = QStandardItemModel(3, 3)
    model.setHorizontalHeaderLabels(["Name", "Role", "Practice"])
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    share_width(view)
    view.resize(700, 300)
    view.show()
    qtbot.waitExposed(view)
    return view, view.horizontalHeader()


def test_a_column_dragged_in_the_heading_keeps_its_width_when_the_table_narrows(qtbot):
    view, header = _three_columns(qtbot)
    qtbot.mousePress(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(10, 5))
    header.resizeSection(0, 400)  # what dragging the edge does while the button is down
    qtbot.mouseRelease(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(10, 5))
    view.resize(450, 300)
    qtbot.waitUntil(lambda: view.viewport().width() < 450)
    qtbot.wait(20)
    assert header.sectionSize(0) == 400


def test_a_column_the_page_widens_while_the_button_is_held_on_a_row_still_gives_way(qtbot):
    """Only a drag in the heading makes a width the user's: a list refilled (and its columns sized
    again) while someone holds the button down on a row keeps sharing the table's width. Asking
    whether a button was down anywhere pinned every such column, and left a later test's list
    wider than its window after a test's double-click."""
    view, header = _three_columns(qtbot)
    row = view.viewport()
    qtbot.mousePress(row, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    try:
        header.resizeSection(0, 400)
    finally:
        qtbot.mouseRelease(row, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    view.resize(450, 300)
    qtbot.waitUntil(lambda: view.viewport().width() < 450)
    qtbot.wait(20)
    assert header.sectionSize(0) < 400
    assert sum(header.sectionSize(c) for c in range(3)) <= view.viewport().width()


def test_a_shortened_cell_shows_its_whole_text_on_hover_even_beside_the_pages_own_tooltip(qtbot):
    """The Reviews list gives every cell of a row the person's summary as a tooltip: a practice or
    a last review cut short ("Oakfield Fa…") could then not be read at all, hovering or not."""
    from PySide6.QtGui import QStandardItem

    from arrs_desk.ui.common.columns import shortened_cell_tip

    view, header = _three_columns(qtbot)
    model = view.model()
    practice = "Oakfield Family Practice, St Aidan's Surgery, Moorland View Surgery"
    for column, text in enumerate(("Zoë Ōkubo", "Interim review (6-month)\n14/02/2026", practice)):
        item = QStandardItem(text)
        item.setToolTip("Zoë Ōkubo, care coordinator")  # one summary for the whole row
        model.setItem(0, column, item)
    view.resize(330, 300)
    qtbot.waitUntil(lambda: view.viewport().width() < 330)
    qtbot.wait(20)
    assert shortened_cell_tip(view, model.index(0, 0)) is None  # shown whole: the page's own tooltip as usual
    assert shortened_cell_tip(view, model.index(0, 2)) == f"{practice}\n\nZoë Ōkubo, care coordinator"
    assert shortened_cell_tip(view, model.index(0, 1)).startswith("Interim review (6-month)\n14/02/2026\n\n")
    reasons = "2 milestones overdue; protected learning time behind by 12 hours"
    model.setItem(0, 2, QStandardItem(reasons))
    model.item(0, 2).setToolTip(reasons.replace("; ", "\n"))  # the page's tooltip holds it already: shown alone
    assert shortened_cell_tip(view, model.index(0, 2)) == reasons.replace("; ", "\n")


# --- rows of buttons ----------------------------------------------------------------------------

def test_a_row_of_buttons_carries_on_below_when_the_window_is_narrow(qtbot):
    from PySide6.QtWidgets import QPushButton

    from arrs_desk.ui.common.flow import FlowLayout

    holder = QWidget()
    qtbot.addWidget(holder)
    row = FlowLayout(holder)
    buttons = [QPushButton(text) for text in ("Log session…", "Correct session…", "Confirm session",
                                              "My reflective notes…", "Record external supervisor's confirmation…")]
    row.addWidgets(*buttons)
    one_line = row.sizeHint()
    assert row.minimumSize().width() <= max(b.sizeHint().width() for b in buttons) + 1
    narrow = one_line.width() // 2
    assert row.heightForWidth(narrow) > row.heightForWidth(one_line.width() + 10) == one_line.height()
    holder.resize(narrow, row.heightForWidth(narrow))
    holder.show()
    qtbot.waitExposed(holder)
    for button in buttons:
        assert holder.rect().contains(button.geometry()), button.text()
    assert len({b.geometry().top() for b in buttons}) > 1, "the row did not carry on onto a second line"
    lefts = sorted((b.geometry().top(), b.geometry().left(), b.geometry().right()) for b in buttons)
    for (top1, _l1, right1), (top2, left2, _r2) in zip(lefts, lefts[1:]):
        assert top1 != top2 or left2 > right1 + 1, "buttons touch"
