"""Assurance, Retention and My check-ins driven through their real widgets."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from sqlalchemy import select

from arrs_desk.domain.assurance import SUPPRESSED_TEXT, builtin_checkins
from arrs_desk.services.actor import Actor
from arrs_desk.store.models import Role, Staff, UserAccount
from tests.checkin_support import newcomers
from tests.supervision_support import account, make_team, staff
from tests.support.qt import finish_loading

ANSWERS = {s.key: 4 for s in builtin_checkins().statements}


def actor_for(workspace, username: str) -> Actor:
    with workspace.db.read() as session:
        user = session.execute(select(UserAccount).where(UserAccount.username == username)).scalar_one()
        return Actor(user.id, user.username, user.display_name, frozenset(user.roles), user.staff_id)


def open_page(qtbot, workspace, actor, ui_settings, title):
    from arrs_desk.ui.shell.main_window import MainWindow

    window = MainWindow(settings=ui_settings, workspace=workspace, actor=actor)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.show_page(title)
    return window, finish_loading(window.page(title))


def column_of(page, code: str) -> int:
    from arrs_desk.ui.assurance.assurance_page import FIXED

    return len(FIXED) + [c.code for c in page.model.checks].index(code)


def test_manager_sees_lapsed_registration_as_unmet(qtbot, demo_workspace, ui_settings, no_dialogs, tmp_path, monkeypatch):
    helen = actor_for(demo_workspace, "helen.whitfield")
    with demo_workspace.db.write() as session:
        required = set(session.execute(select(Role.code).where(Role.arrs, Role.registration_required)).scalars())
        person = session.execute(select(Staff).where(Staff.role_code.in_(required), Staff.status == "active")
                                 .order_by(Staff.id)).scalars().first()
        person.registration_renewal = date(2026, 11, 1)  # lapsed three weeks ago
        person_id = person.id
    window, page = open_page(qtbot, demo_workspace, helen, ui_settings, "Assurance")
    rows = [page.model.index(r, 0).data(Qt.ItemDataRole.UserRole + 1) for r in range(page.model.rowCount())]
    assert rows and all(r.role_code for r in rows)
    row = next(i for i, r in enumerate(rows) if r.staff_id == person_id)
    cell = page.model.index(row, column_of(page, "registration"))
    assert cell.data() == "Not met"
    assert "01/11/2026" in cell.data(Qt.ItemDataRole.ToolTipRole)
    assert cell.data(Qt.ItemDataRole.DecorationRole) is not None
    page.table.selectRow(row)
    assert "Registration renewal was due 01/11/2026" in page.detail.toPlainText()
    # Only people with an unmet check, then one practice: never more rows than before.
    page.unmet_only.setChecked(True)
    assert all(r.unmet for r in page.model.rows)
    page.practice_filter.setCurrentIndex(1)
    chosen = page.practice_filter.currentData()
    assert page.model.rows and all(chosen in r.practice_ids for r in page.model.rows)
    target = tmp_path / "assurance.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    assert page.export_pdf() == str(target)
    from arrs_desk.ui.common.operation import wait_for_operations

    wait_for_operations()  # the file is written in the background
    assert target.read_bytes().startswith(b"%PDF")
    assert no_dialogs == []


def test_open_their_revalidation_chooses_the_person_on_the_revalidation_page(qtbot, demo_workspace, ui_settings,
                                                                            no_dialogs):
    """The registration check's action opens the Revalidation page at the person it is about, not at
    whoever happens to be first in the list."""
    from arrs_desk.ui.assurance.assurance_links import link_text

    helen = actor_for(demo_workspace, "helen.whitfield")
    window, page = open_page(qtbot, demo_workspace, helen, ui_settings, "Assurance")
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=10000)
    rows = page.model.rows
    column = [c.code for c in page.model.checks].index("registration")
    registered = [r for r in rows if r.results[column].status.value != "na"]
    first = demo_workspace.revalidation.statuses(helen)[0].staff_id  # where the page would otherwise start
    person = next(r for r in registered if r.staff_id != first)
    result = person.results[column]
    assert result.evidence == "Revalidation" and link_text(result.evidence) == "Open their revalidation"
    assert page.open_record(person, result.evidence)
    target = window.page("Revalidation")
    assert target.isVisible()
    qtbot.waitUntil(lambda: target.chosen_staff_id() == person.staff_id
                    and target.record is not None and target.record.summary.staff_id == person.staff_id, timeout=10000)
    assert target.summary.text().startswith(f"{target.record.summary.name}:")
    assert no_dialogs == []


def test_pages_listed_by_role(qtbot, demo_workspace, ui_settings):
    zoe = actor_for(demo_workspace, "zoe.okubo")
    from arrs_desk.ui.shell.main_window import MainWindow

    window = MainWindow(settings=ui_settings, workspace=demo_workspace, actor=zoe)
    qtbot.addWidget(window)
    listed = {spec.title for row, spec in enumerate(window.specs, start=1) if not window.nav.item(row).isHidden()}
    assert "My check-ins" in listed
    assert "Assurance" not in listed and "Retention" not in listed


def test_staff_member_completes_a_checkin(qtbot, workspace, system_actor, ui_settings, no_dialogs):
    team = make_team(workspace, system_actor)
    person = workspace.staff.create(system_actor, data=staff([team.alpha], given="Priya", family="Shah",
                                                        start=date(2026, 10, 24), manager_id=team.helen_id)).id
    priya = account(workspace, "priya", "Priya Shah", {"staff"}, person)
    window, page = open_page(qtbot, workspace, priya, ui_settings, "My check-ins")
    assert "1-month check-in is open" in page.status.text()
    assert not page.save()  # nothing chosen yet
    assert no_dialogs and no_dialogs[-1][1] == "Not finished"

    def click(widget):
        qtbot.waitUntil(widget.isVisible)  # widgets added to a shown page appear on the next event loop turn
        page.scroll.ensureWidgetVisible(widget)
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)

    for key in page.groups:
        click(page.groups[key].button(4))
    click(page.groups["peers"].button(2))
    assert page.groups["peers"].checkedId() == 2
    assert "anonymous" in page.anonymity.text()
    click(page.submit)
    finish_loading(page)  # the page reads again in the background after the save
    mine = workspace.checkins.my_checkins(priya)
    assert no_dialogs[1:] == []
    assert mine.points[0].status.value == "done"
    assert "No check-in is open" in page.status.text()
    assert page.form_box.isHidden()


def test_a_manager_sees_whose_checkin_is_open_in_a_table_soonest_to_close_first(qtbot, workspace, system_actor,
                                                                                ui_settings):
    """A table, which draws only the rows in view (a federation's administrator may look after
    thousands): it was one label holding every name, a second to lay out at 10,000 staff."""
    team = make_team(workspace, system_actor)
    newcomers(workspace, system_actor, [team.alpha], 3, manager_id=team.helen_id)
    due = workspace.checkins.checkins_due(team.admin)
    window, page = open_page(qtbot, workspace, team.admin, ui_settings, "My check-ins")
    assert page.team_box.isVisibleTo(page) and page.team_table.isVisibleTo(page)
    shown = [page.team_model.index(r, 0).data() for r in range(page.team_model.rowCount())]
    assert sorted(shown) == sorted(d.display_name for d in due) and len(shown) >= 3
    closes = [page.team_model.rows()[r].closes_on for r in range(len(shown))]
    assert closes == sorted(closes)
    assert page.team.text().startswith(f"{len(due)} people have a check-in open")
    assert page.team_model.index(0, 1).data().endswith("month") or page.team_model.index(0, 1).data().endswith("months")


def test_summary_hides_a_group_of_four(qtbot, workspace, system_actor, ui_settings):
    team = make_team(workspace, system_actor)
    starters = newcomers(workspace, system_actor, [team.alpha], 5, manager_id=team.helen_id)
    for starter in starters[:4]:  # four link workers
        workspace.checkins.submit_checkin(starter, months=1, answers=ANSWERS)
    window, page = open_page(qtbot, workspace, team.admin, ui_settings, "Assurance")
    page.tabs.setCurrentIndex(1)
    page.group_by.setCurrentIndex(page.group_by.findData("role"))
    groups = {page.summary_model.index(r, 0).data(): r for r in range(page.summary_model.rowCount())}
    row = groups["Social prescribing link worker"]
    assert page.summary_model.index(row, 1).data() == SUPPRESSED_TEXT
    assert page.summary_model.index(row, 2).data() == ""
    workspace.checkins.submit_checkin(starters[4], months=1, answers=ANSWERS)
    page.refresh()
    assert page.summary_model.index(row, 1).data() == "5"
    assert page.summary_model.index(row, 2).data().startswith("100% agree")


def test_retention_page_table_chart_and_csv(qtbot, demo_workspace, system_actor, ui_settings, tmp_path, monkeypatch):
    window, page = open_page(qtbot, demo_workspace, system_actor, ui_settings, "Retention")
    report = demo_workspace.assurance.retention(system_actor, by="role")
    assert page.model.rowCount() == len(report.rows)
    assert "retained at 12 months" in page.total.text()
    assert page.notes.text() == " ".join(report.notes) and "role now" in page.notes.text()  # what it counts
    assert report.rows[0].group in page.chart.accessibleDescription()
    page.group_by.setCurrentIndex(2)
    finish_loading(page)  # read again, in the background
    by_model = demo_workspace.assurance.retention(system_actor, by="model")
    assert [r.group for r in page.model.rows] == [r.group for r in by_model.rows]
    assert len(page.model.rows) >= 3
    target = tmp_path / "retention.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    assert page.export_csv() == str(target)
    from arrs_desk.ui.common.operation import wait_for_operations

    wait_for_operations()  # the file is written in the background
    assert "Retained at 12 months" in target.read_text(encoding="utf-8-sig")
    page.chart.resize(700, 400)
    assert not page.chart.grab().isNull()


def test_administrator_changes_the_schedule(qtbot, workspace, system_actor, ui_settings, monkeypatch, no_dialogs):
    from PySide6.QtWidgets import QInputDialog

    team = make_team(workspace, system_actor)
    window, page = open_page(qtbot, workspace, team.admin, ui_settings, "Assurance")
    assert not page.schedule_button.isHidden()
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("2, 6, 12", True)))
    monkeypatch.setattr(QInputDialog, "getInt", staticmethod(lambda *a, **k: (12, True)))
    assert page.edit_schedule()
    assert workspace.assurance.schedule().months == (2, 6, 12)
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("6, 2", True)))
    assert not page.edit_schedule()
    assert no_dialogs and "increasing order" in no_dialogs[-1][2]
    window2, helens = open_page(qtbot, workspace, team.helen, ui_settings, "Assurance")
    assert helens.schedule_button.isHidden()
