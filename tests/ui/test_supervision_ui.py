"""The Supervision page driven through its real widgets: arranging, logging one-to-one and group
sessions, the matrix cells changing, filters, exports and the administrators' settings."""

from __future__ import annotations

from datetime import date

import pytest
from icalendar import Calendar
from openpyxl import load_workbook
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractButton, QComboBox, QDateEdit, QDialogButtonBox, QLineEdit, QListWidget, QPlainTextEdit,
    QSpinBox, QTabBar, QTableView, QWidget,
)

from arrs_desk.ui.supervision.supervision_model import ROW_ROLE
from tests.support.qt import answer_confirmations, double_click, finish_loading, when_shown
from tests.supervision_support import arrange, log, make_team


@pytest.fixture
def team(workspace, system_actor):
    return make_team(workspace, system_actor)


def window_for(qtbot, workspace, actor, ui_settings):
    from arrs_desk.ui.shell.main_window import MainWindow

    window = MainWindow(settings=ui_settings, workspace=workspace, actor=actor)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.show_page("Supervision")
    return window, finish_loading(window.page("Supervision"))


def cell_text(page, staff_id: int, type_code: str = "clinical") -> str:
    """The cell as shown once the page's reload after a change has arrived."""
    return finish_loading(page).index_for(staff_id, type_code).data() or ""


def save(dialog) -> None:
    dialog.ui.buttons.button(QDialogButtonBox.StandardButton.Save).click()


def open_person(qtbot, page, staff_id: int, act, type_code: str = "clinical"):
    from arrs_desk.ui.supervision.supervision_person import PersonSupervisionDialog

    seen = when_shown(PersonSupervisionDialog, act)
    double_click(qtbot, page.table, page.index_for(staff_id, type_code))
    assert len(seen) == 1, "the person's supervision page did not open (or opened twice)"
    return seen[0]


def test_arrange_clinical_supervision_then_log_a_session_turns_overdue_into_in_date(
        qtbot, workspace, team, ui_settings, no_dialogs):
    from arrs_desk.ui.supervision.supervision_arrangement import ArrangementDialog
    from arrs_desk.ui.supervision.supervision_session import SessionDialog

    log(workspace, team.helen, [team.zoe_id], date(2026, 9, 1), supervisor_id=team.gp_id)
    window, page = window_for(qtbot, workspace, team.helen, ui_settings)
    assert cell_text(page, team.zoe_id).startswith("Not arranged")

    def fill_arrangement(dialog):
        ui = dialog.ui
        ui.type_code.setCurrentIndex(ui.type_code.findData("clinical"))
        assert "monthly" in ui.type_hint.text().lower()
        ui.colleague_radio.setChecked(True)
        ui.supervisor_staff_id.setCurrentIndex(ui.supervisor_staff_id.findData(team.gp_id))
        ui.start_date.setDate(QDate(2026, 1, 5))
        qtbot.keyClicks(ui.notes, "Monthly case review; duty GP for urgent advice.")
        save(dialog)

    def arrange_in_person_page(person):
        arranged = when_shown(ArrangementDialog, fill_arrangement)
        qtbot.mouseClick(person.arrange_button, Qt.MouseButton.LeftButton)
        assert arranged and arranged[0].saved is not None
        clinical = person.person.cells[0]
        assert clinical.status == "overdue" and clinical.supervisors == "Yusuf Raghunathan"
        rows = [person.arrangements.index(r, 0).data(ROW_ROLE) for r in range(person.arrangements.rowCount())]
        # The new clinical arrangement, and the line manager on the staff record holding the reviews.
        assert sorted((r.type_code, r.from_staff_record) for r in rows) == [("clinical", False), ("line-management", True)]

    open_person(qtbot, page, team.zoe_id, arrange_in_person_page)
    assert cell_text(page, team.zoe_id).startswith("Overdue · 54 days")
    assert "Yusuf Raghunathan" in cell_text(page, team.zoe_id)

    def fill_session(dialog):
        ui = dialog.ui
        assert ui.type_code.currentData() == "clinical"  # from the selected arrangement
        assert ui.supervisor.currentData() == f"staff:{team.gp_id}"
        ui.held_on.setDate(QDate(2026, 11, 23))
        qtbot.keyClicks(ui.topics, "Two complex housing referrals")
        qtbot.keyClicks(ui.actions_agreed, "Contact the housing officer")
        assert not ui.reflective_notes.isEnabled()  # a manager cannot write the person's reflections
        save(dialog)

    def log_in_person_page(person):
        person.arrangement_table.selectRow(0)
        logged = when_shown(SessionDialog, fill_session)
        qtbot.mouseClick(person.log_button, Qt.MouseButton.LeftButton)
        assert logged and logged[0].saved is not None
        assert "Two complex housing referrals" in person.detail.toPlainText()

    open_person(qtbot, page, team.zoe_id, log_in_person_page)
    text = cell_text(page, team.zoe_id)
    assert text.startswith("In date · 23/12/2026") and "Yusuf Raghunathan" in text
    assert page.index_for(team.zoe_id, "clinical").data(Qt.ItemDataRole.DecorationRole) is not None
    assert not no_dialogs


def test_one_group_session_for_five_people(qtbot, workspace, team, ui_settings, no_dialogs):
    from arrs_desk.ui.supervision.supervision_session import SessionDialog

    five = [team.zoe_id, *team.peer_ids]
    for person in five:
        arrange(workspace, team.helen, person, type_code="safeguarding", supervisor_id=team.gp_id,
                start=date(2026, 6, 1))
    window, page = window_for(qtbot, workspace, team.helen, ui_settings)
    assert {cell_text(page, p, "safeguarding").split(" ·")[0] for p in five} == {"Never held"}

    def fill(dialog):
        ui = dialog.ui
        ui.type_code.setCurrentIndex(ui.type_code.findData("safeguarding"))
        ui.supervisor.setCurrentIndex(ui.supervisor.findData(f"staff:{team.gp_id}"))
        ui.held_on.setDate(QDate(2026, 11, 18))
        ui.duration_minutes.setValue(90)
        for i in range(ui.attendee_ids.count()):
            item = ui.attendee_ids.item(i)
            if item.data(Qt.ItemDataRole.UserRole) in team.peer_ids:
                item.setCheckState(Qt.CheckState.Checked)
        assert sorted(dialog.attendee_ids()) == sorted(five)
        assert ui.format.currentData() == "group"
        qtbot.keyClicks(ui.topics, "Domestic abuse: routine enquiry")
        save(dialog)

    def log_group(person):
        logged = when_shown(SessionDialog, fill)
        qtbot.mouseClick(person.log_button, Qt.MouseButton.LeftButton)
        assert logged and logged[0].saved is not None
        assert len(logged[0].saved.attendees) == 5

    open_person(qtbot, page, team.zoe_id, log_group, "safeguarding")
    assert {cell_text(page, p, "safeguarding").split(" ·")[0] for p in five} == {"In date"}
    sessions = [workspace.supervision.person(team.helen, staff_id=p).sessions for p in five]
    assert {s[0].id for s in sessions} == {sessions[0][0].id} and all(len(s) == 1 for s in sessions)
    assert not no_dialogs


def test_problems_are_marked_next_to_the_fields_and_nothing_is_saved(qtbot, workspace, team, ui_settings, no_dialogs):
    from arrs_desk.ui.supervision.supervision_arrangement import ArrangementDialog

    window, page = window_for(qtbot, workspace, team.helen, ui_settings)
    messages = {}

    def try_to_save(dialog):
        ui = dialog.ui
        ui.new_external_radio.setChecked(True)
        ui.external_name.setText("Dr Marcus Adebayo")
        ui.end_date_known.setChecked(True)
        ui.end_date.setDate(QDate(2025, 1, 1))
        save(dialog)
        messages.update(organisation=dialog.errors.text("external_organisation"),
                        end=dialog.errors.text("end_date"), summary=ui.summary_error.text(),
                        open=dialog.isVisible())

    def person_act(person):
        when_shown(ArrangementDialog, try_to_save)
        person.arrange_button.click()

    open_person(qtbot, page, team.zoe_id, person_act)
    assert "organisation" in messages["organisation"] and "before the start date" in messages["end"]
    assert "Nothing has been saved" in messages["summary"] and messages["open"]
    arrangements = workspace.supervision.person(team.helen, staff_id=team.zoe_id).arrangements
    assert [a for a in arrangements if not a.from_staff_record] == []


def test_reflections_stay_private_and_buttons_follow_permissions(qtbot, workspace, team, ui_settings, no_dialogs):
    arrange(workspace, team.helen, team.zoe_id, supervisor_id=team.gp_id)
    log(workspace, team.zoe, [team.zoe_id], date(2026, 11, 20), supervisor_id=team.gp_id,
        notes="I found the case hard.")
    window, page = window_for(qtbot, workspace, team.admin, ui_settings)
    seen = {}

    def look(person):
        seen.update(detail=person.detail.toPlainText(), arrange=person.arrange_button.isEnabled(),
                    log=person.log_button.isEnabled(), reflect=person.reflect_button.isEnabled())

    open_person(qtbot, page, team.zoe_id, look)
    assert "I found the case hard" not in seen["detail"] and "Private" in seen["detail"]
    assert seen["arrange"] and not seen["log"] and not seen["reflect"]
    assert page.settings_button.isVisibleTo(page)


def test_filters_narrow_the_matrix(qtbot, workspace, team, ui_settings, no_dialogs):
    arrange(workspace, team.admin, team.zoe_id, supervisor_id=team.gp_id)
    log(workspace, team.helen, [team.zoe_id], date(2026, 11, 20), supervisor_id=team.gp_id)
    arrange(workspace, team.admin, team.zoe_id, type_code="line-management", supervisor_id=team.helen_id)
    arrange(workspace, team.admin, team.zoe_id, type_code="safeguarding", supervisor_id=team.gp_id)
    log(workspace, team.helen, [team.zoe_id], date(2026, 11, 20), type_code="line-management",
        supervisor_id=team.helen_id)
    log(workspace, team.helen, [team.zoe_id], date(2026, 11, 20), type_code="safeguarding", supervisor_id=team.gp_id)
    window, page = window_for(qtbot, workspace, team.admin, ui_settings)

    def shown():
        return {r.display_name for r in page.proxy.shown_rows()}

    assert shown() == {"Zoë Ōkubo", "Siobhán Ní Bhriain", "José Álvarez", "Ngozi Okafor", "Mateusz Kowalski",
                       "Аня Петрова"}  # ARRS roles only: managers and the GP are hidden
    page.status_filter.setCurrentIndex(page.status_filter.findData("needs-action"))
    assert "Zoë Ōkubo" not in shown() and "José Álvarez" in shown()
    page.status_filter.setCurrentIndex(0)
    page.practice_filter.setCurrentIndex(page.practice_filter.findData(team.beta))
    assert shown() == {"Zoë Ōkubo", "Аня Петрова"}
    page.role_filter.setCurrentIndex(page.role_filter.findData("HWBC"))
    assert shown() == {"Аня Петрова"}
    page.role_filter.setCurrentIndex(0)
    page.practice_filter.setCurrentIndex(0)
    qtbot.keyClicks(page.search, "zoe")
    qtbot.waitUntil(lambda: shown() == {"Zoë Ōkubo"})
    page.search.clear()
    page.arrs_only.setChecked(False)
    assert "Yusuf Raghunathan" in shown()
    assert "items need action" in page.summary.text()


def test_exports_write_files_that_open(qtbot, workspace, team, ui_settings, no_dialogs, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog
    from pypdf import PdfReader

    from arrs_desk.ui.supervision import supervision_page
    from arrs_desk.ui.common.operation import wait_for_operations
    from arrs_desk.ui.supervision.supervision_page import CalendarExportDialog

    arrange(workspace, team.helen, team.zoe_id, supervisor_id=team.gp_id)
    window, page = window_for(qtbot, workspace, team.helen, ui_settings)
    targets = iter([tmp_path / "m.xlsx", tmp_path / "m.csv", tmp_path / "due.ics", tmp_path / "alpha.pdf"])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(next(targets)), "")))
    monkeypatch.setattr(CalendarExportDialog, "exec", lambda self: True)
    assert supervision_page.SupervisionPage is type(page)

    page.xlsx_button.click()
    page.csv_button.click()
    page.ics_button.click()
    wait_for_operations()  # files are written in the background
    sheet = load_workbook(tmp_path / "m.xlsx").active
    assert any(row[0] == "Zoë Ōkubo" for row in sheet.iter_rows(values_only=True))
    assert "Zoë Ōkubo" in (tmp_path / "m.csv").read_text(encoding="utf-8-sig")
    events = list(Calendar.from_ical((tmp_path / "due.ics").read_bytes()).walk("VEVENT"))
    clinical = [str(e["SUMMARY"]) for e in events if "Clinical supervision" in str(e["SUMMARY"])]
    assert clinical and all("Zoë Ōkubo" in summary for summary in clinical)
    # Helen's team's line-management reviews are hers to hold: she is their recorded line manager.
    reviews = [str(e["SUMMARY"]) for e in events if "Line management review" in str(e["SUMMARY"])]
    assert len(reviews) == 5 and all(summary.endswith("with Helen Whitfield") for summary in reviews)

    page.tabs.setCurrentIndex(1)
    assert page.deploy_model.rowCount() == 5  # Alpha: Zoë and her four colleagues
    page.deploy_pdf_button.click()
    wait_for_operations()
    assert len(PdfReader(tmp_path / "alpha.pdf").pages) == 1
    page.tabs.setCurrentIndex(2)
    assert page.load_model.rowCount() == 0 and "No supervision sessions" in page.load_total.text()
    assert not no_dialogs


def test_administrator_changes_an_expected_frequency(qtbot, workspace, team, ui_settings, no_dialogs):
    from arrs_desk.ui.supervision.supervision_settings import ExpectedFrequenciesDialog

    arrange(workspace, team.admin, team.zoe_id, supervisor_id=team.gp_id)
    log(workspace, team.helen, [team.zoe_id], date(2026, 11, 10), supervisor_id=team.gp_id)
    window, page = window_for(qtbot, workspace, team.admin, ui_settings)
    assert cell_text(page, team.zoe_id).startswith("In date")

    def weekly(dialog):
        dialog.type_code.setCurrentIndex(dialog.type_code.findData("clinical"))
        row = next(r for r in range(dialog.rules.rowCount()) if dialog.rules.rows()[r].role_code == "SPLW")
        dialog.table.selectRow(row)
        dialog.frequency.setCurrentIndex(dialog.frequency.findData("weekly"))
        dialog.save_rule.click()
        assert dialog.selected().edited and dialog.selected().summary == "Required: Weekly"
        dialog.due_soon.setValue(3)
        dialog.save_due_soon.click()

    seen = when_shown(ExpectedFrequenciesDialog, weekly)
    page.settings_button.click()
    assert seen
    assert cell_text(page, team.zoe_id).startswith("Overdue · 7 days")
    assert workspace.supervision.due_soon_setting(team.admin).days == 3


def test_settings_are_hidden_from_managers(qtbot, workspace, team, ui_settings):
    window, page = window_for(qtbot, workspace, team.helen, ui_settings)
    assert not page.settings_button.isVisibleTo(page)


def test_every_control_has_an_accessible_name(qtbot, workspace, team, ui_settings, no_dialogs):
    from arrs_desk.ui.supervision.supervision_arrangement import ArrangementDialog
    from arrs_desk.ui.supervision.supervision_session import SessionDialog
    from arrs_desk.ui.supervision.supervision_settings import ExpectedFrequenciesDialog

    interactive = (QAbstractButton, QComboBox, QLineEdit, QPlainTextEdit, QDateEdit, QSpinBox, QListWidget, QTableView)

    def unnamed(widget) -> list[str]:
        found = []
        for w in widget.findChildren(QWidget):
            if not isinstance(w, interactive) or w.accessibleName() or w.objectName().startswith("qt_"):
                continue
            if isinstance(w.parent(), (QDialogButtonBox, QComboBox, QDateEdit, QSpinBox, QTableView, QTabBar, QLineEdit)):
                continue  # standard buttons read their own text; the rest are parts of a named control
            found.append(f"{type(w).__name__} {w.objectName()} in {type(w.parent()).__name__}")
        return found

    window, page = window_for(qtbot, workspace, team.helen, ui_settings)
    problems = unnamed(page)
    from arrs_desk.ui.supervision.supervision_person import PersonSupervisionDialog

    dialog = PersonSupervisionDialog(workspace, team.helen, team.zoe_id)
    qtbot.addWidget(dialog)
    problems += unnamed(dialog)
    choices = workspace.supervision.form_choices(team.helen, staff_id=team.zoe_id)
    for cls in (ArrangementDialog, SessionDialog):
        other = cls(workspace, team.helen, dialog.person, choices)
        qtbot.addWidget(other)
        problems += unnamed(other)
    settings = ExpectedFrequenciesDialog(workspace, team.admin)
    qtbot.addWidget(settings)
    problems += unnamed(settings)
    assert problems == []


def test_matrix_model_without_a_window(demo_workspace, system_actor):
    from arrs_desk.ui.supervision.supervision_model import CELL_ROLE, ROW_ROLE, MatrixModel

    model = MatrixModel()
    model.set_matrix(demo_workspace.supervision.matrix(system_actor))
    assert model.columnCount() == 8
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Clinical\nsupervision"
    statuses = {}
    for r in range(model.rowCount()):
        for c in range(1, model.columnCount()):
            index = model.index(r, c)
            statuses.setdefault(str(index.data(CELL_ROLE).status), index)
    overdue = statuses["overdue"]
    assert overdue.data().startswith("Overdue · ") and overdue.data(Qt.ItemDataRole.DecorationRole) is not None
    tint = overdue.data(Qt.ItemDataRole.BackgroundRole)
    assert tint is not None and tint.alpha() < 64  # a light wash, so the palette's text colour stays readable
    assert overdue.data(Qt.ItemDataRole.ForegroundRole) is None
    assert "Last session" in overdue.data(Qt.ItemDataRole.ToolTipRole)
    assert statuses["not-applicable"].data() == "" and statuses["not-applicable"].data(Qt.ItemDataRole.DecorationRole) is None
    assert model.index(0, 0).data(ROW_ROLE).display_name in model.index(0, 0).data()


@pytest.mark.parametrize(("today", "first"), [(date(2028, 2, 29), date(2027, 3, 1)), (date(2027, 3, 1), date(2026, 3, 2)),
                                              (date(2027, 12, 31), date(2027, 1, 1))])
def test_the_supervisor_load_looks_at_the_year_to_today(qtbot, workspace, team, ui_settings, monkeypatch, today, first):
    """365 days back and one forward began the year on 02/03/2027 on the leap day 29/02/2028."""
    from arrs_desk.ui.common.dates import pydate

    monkeypatch.setattr(workspace, "today", lambda: today)
    window, page = window_for(qtbot, workspace, team.helen, ui_settings)
    assert (pydate(page.load_from.date()), pydate(page.load_to.date())) == (first, today)


def test_a_session_logged_in_error_is_removed_from_the_correction_dialog(qtbot, workspace, team, ui_settings,
                                                                          monkeypatch):
    """There was no way to take back a session logged for the wrong person."""
    from arrs_desk.ui.supervision.supervision_person import PersonSupervisionDialog
    from arrs_desk.ui.supervision.supervision_session import SessionDialog

    arrange(workspace, team.helen, team.zoe_id, supervisor_id=team.gp_id)
    log(workspace, team.helen, [team.zoe_id], date(2026, 11, 20), supervisor_id=team.gp_id)
    person = PersonSupervisionDialog(workspace, team.helen, team.zoe_id)
    qtbot.addWidget(person)
    person.session_table.selectRow(0)
    questions = answer_confirmations(monkeypatch)
    removed = when_shown(SessionDialog, lambda dialog: dialog.remove_button.click())
    person.edit_session()
    assert len(removed) == 1 and person.changed
    assert [title for title, _text in questions] == ["Remove supervision session"]
    assert person.sessions.rowCount() == 0
    assert workspace.supervision.person(team.helen, staff_id=team.zoe_id).sessions == ()


def test_correct_session_is_off_for_a_group_session_with_someone_outside_the_team(qtbot, workspace, team):
    """The button was on for a group session Bogdan's Аня attended; the dialog opened and Save was
    refused. It is now off, saying why, and still on for Helen's own team's sessions."""
    from arrs_desk.ui.supervision.supervision_person import PersonSupervisionDialog
    from tests.date_support import days_ago

    for person in (team.zoe_id, team.anya_id):
        arrange(workspace, team.admin, person, supervisor_id=team.gp_id)
    log(workspace, team.helen, [team.zoe_id], days_ago(9), supervisor_id=team.gp_id)
    log(workspace, team.gp, [team.zoe_id, team.anya_id], days_ago(6), supervisor_id=team.gp_id)
    person = PersonSupervisionDialog(workspace, team.helen, team.zoe_id)
    qtbot.addWidget(person)
    person.session_table.selectRow(0)  # the group session, newest first
    assert not person.edit_session_button.isEnabled()
    assert "group session includes people you may not record" in person.edit_session_button.toolTip()
    assert person.edit_session() is None
    person.session_table.selectRow(1)
    assert person.edit_session_button.isEnabled()


def test_a_group_session_is_corrected_after_one_of_its_attendees_has_left(qtbot, workspace, team, system_actor):
    """Siobhán left after a group session with Zoë; correcting its topics was refused with
    "Attendees cannot be changed", because the dialog sent only the attendees its list still
    offered (people in post)."""
    from arrs_desk.ui.supervision.supervision_person import PersonSupervisionDialog
    from arrs_desk.ui.supervision.supervision_session import SessionDialog
    from tests.date_support import days_ago

    pair = [team.zoe_id, team.peer_ids[0]]
    log(workspace, team.helen, pair, days_ago(10), supervisor_id=team.gp_id)
    record = workspace.staff.get(system_actor, staff_id=team.peer_ids[0])
    data = record.data
    data.status, data.end_date, data.leaving_reason = "left", days_ago(4), "Relocation"
    workspace.staff.update(system_actor, staff_id=team.peer_ids[0], data=data, expected_version=record.version)
    person = PersonSupervisionDialog(workspace, team.helen, team.zoe_id)
    qtbot.addWidget(person)
    person.session_table.selectRow(0)
    seen = {}

    def correct(dialog):
        assert not dialog.ui.reflective_notes.isEnabled()  # a group session: each attendee writes their own
        dialog.ui.topics.setPlainText("Corrected topics")
        save(dialog)
        seen.update(attendees=dialog.errors.text("attendee_ids"), saved=dialog.saved)

    when_shown(SessionDialog, correct)
    person.edit_session()
    assert seen["attendees"] == "" and seen["saved"] is not None
    for staff_id in pair:
        [session] = workspace.supervision.person(team.helen, staff_id=staff_id).sessions
        assert session.topics == "Corrected topics"


def test_a_session_held_before_the_supervisor_left_is_logged_from_their_arrangement(qtbot, workspace, team,
                                                                                    system_actor):
    """Yusuf left; the session he held with Zoë before his last day could not be logged: the dialog
    opened from his arrangement with "Choose the supervisor…", and he was nowhere in its list."""
    from arrs_desk.ui.supervision.supervision_person import PersonSupervisionDialog
    from arrs_desk.ui.supervision.supervision_session import SessionDialog
    from tests.date_support import days_ago

    arrange(workspace, team.admin, team.zoe_id, supervisor_id=team.gp_id, start=days_ago(200))
    record = workspace.staff.get(system_actor, staff_id=team.gp_id)
    data = record.data
    data.status, data.end_date, data.leaving_reason = "left", days_ago(5), "Relocation"
    workspace.staff.update(system_actor, staff_id=team.gp_id, data=data, expected_version=record.version)
    person = PersonSupervisionDialog(workspace, team.helen, team.zoe_id)
    qtbot.addWidget(person)
    person.arrangement_table.selectRow(next(
        r for r in range(person.arrangements.rowCount())
        if person.arrangements.index(r, 0).data(ROW_ROLE).supervisor_staff_id == team.gp_id))
    seen = {}

    def log_backlog(dialog):
        ui = dialog.ui
        seen["supervisor"] = (ui.supervisor.currentData(), ui.supervisor.currentText())
        ui.held_on.setDate(QDate.fromString(days_ago(8).isoformat(), Qt.DateFormat.ISODate))
        save(dialog)
        seen["saved"] = dialog.saved

    when_shown(SessionDialog, log_backlog)
    person.log_session()
    assert seen["supervisor"] == (f"staff:{team.gp_id}", "Yusuf Raghunathan (has left)")
    assert seen["saved"] is not None and seen["saved"].supervisor_name == "Yusuf Raghunathan"


def test_a_session_held_before_an_attendee_left_is_logged_with_them(qtbot, workspace, team, system_actor):
    """Siobhán left yesterday; a group session she attended with Zoë last week could not be logged
    with her, as the attendee list offered only people still in post. It now offers those in post
    on the session's date, marked as the supervisor list marks a supervisor who has left."""
    from arrs_desk.ui.supervision.supervision_person import PersonSupervisionDialog
    from arrs_desk.ui.supervision.supervision_session import SessionDialog
    from tests.date_support import days_ago

    leaver = team.peer_ids[0]
    record = workspace.staff.get(system_actor, staff_id=leaver)
    data = record.data
    data.status, data.end_date, data.leaving_reason = "left", days_ago(1), "Relocation"
    workspace.staff.update(system_actor, staff_id=leaver, data=data, expected_version=record.version)
    person = PersonSupervisionDialog(workspace, team.helen, team.zoe_id)
    qtbot.addWidget(person)
    seen = {}

    def log_with_leaver(dialog):
        ui = dialog.ui
        item = next(ui.attendee_ids.item(i) for i in range(ui.attendee_ids.count())
                    if ui.attendee_ids.item(i).data(Qt.ItemDataRole.UserRole) == leaver)
        seen["today"] = item.isHidden()  # not in post today
        ui.held_on.setDate(QDate.fromString(days_ago(6).isoformat(), Qt.DateFormat.ISODate))
        seen["last_week"] = (item.isHidden(), item.text())
        item.setCheckState(Qt.CheckState.Checked)
        ui.type_code.setCurrentIndex(ui.type_code.findData("clinical"))
        ui.supervisor.setCurrentIndex(ui.supervisor.findData(f"staff:{team.gp_id}"))
        save(dialog)
        seen["saved"] = dialog.saved

    when_shown(SessionDialog, log_with_leaver)
    person.log_session()
    assert seen["today"] is True
    assert seen["last_week"] == (False, "Siobhán Ní Bhriain – Social prescribing link worker (has left)")
    assert seen["saved"] is not None and set(seen["saved"].attendee_ids) == {team.zoe_id, leaver}


def test_the_supervisor_load_says_when_a_group_session_was_only_partly_the_readers(qtbot, workspace, team,
                                                                                    ui_settings, no_dialogs):
    """Bogdan's load counted half of a group session he shared with Helen's team without saying so:
    the total looked like half the supervisor's hour had gone missing."""
    from tests.date_support import days_ago

    for person in (team.zoe_id, team.anya_id):
        arrange(workspace, team.admin, person, supervisor_id=team.gp_id)
    log(workspace, team.gp, [team.zoe_id, team.anya_id], days_ago(6), supervisor_id=team.gp_id, minutes=60)
    for actor, told in ((team.bogdan, True), (team.admin, False)):
        window, page = window_for(qtbot, workspace, actor, ui_settings)
        page.refresh_load()
        text = page.load_total.text()
        assert ("1 group session also included people outside those you may see" in text) is told, text
        assert ("0.50 hours" if told else "1.00 hours") in text
