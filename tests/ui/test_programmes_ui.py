"""The Programmes page and a person's programme page driven through their real widgets: enrolling a
paramedic, holding the week-4 review, signing off, pausing, completing and printing the
certificate; refused input; the programme editor; the overview's filters."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog
from sqlalchemy import func, select

from arrs_desk.domain.programmes import EnrolmentStatus
from arrs_desk.store.models import ProgrammeCompetency, ProgrammeEnrolment, ProgrammeTemplate
from tests.programme_support import START, enrol, make_pcn
from tests.support.qt import answer_confirmations, double_click, when_shown


@pytest.fixture
def pcn(workspace, system_actor):
    return make_pcn(workspace, system_actor)


def count(workspace, model, *where) -> int:
    with workspace.db.read() as session:
        return session.execute(select(func.count()).select_from(model).where(*where)).scalar()


def fill_and_ok(values: dict):
    """For the small action dialogs: set each named field, then press the OK button."""
    def act(dialog):
        for name, value in values.items():
            widget = dialog.field(name)
            if isinstance(value, date):
                widget.setDate(QDate(value.year, value.month, value.day))
            elif hasattr(widget, "setPlainText"):
                widget.setPlainText(value)
            else:
                widget.setText(value)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    return act


def page_for(qtbot, workspace, actor):
    from arrs_desk.ui.programmes.programmes_page import ProgrammesPage

    page = ProgrammesPage()
    qtbot.addWidget(page)
    page.set_context(workspace, actor)
    page.refresh()
    page.resize(1400, 700)
    page.show()
    return page


def programme_dialog(qtbot, workspace, actor, enrolment_id):
    from arrs_desk.ui.programmes.programme_dialog import ProgrammeDialog

    dialog = ProgrammeDialog(workspace, actor, enrolment_id)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def select_row(table, predicate) -> object:
    model = table.model()
    for r in range(model.rowCount()):
        row = model.rows()[r]
        if predicate(row):
            table.selectRow(r)
            return row
    raise AssertionError("no such row")


def dues(dialog) -> dict[str, date]:
    return {m.key: m.due for m in dialog.milestones.rows()}


def test_a_paramedic_from_enrolment_to_certificate(qtbot, workspace, pcn, tmp_path, monkeypatch, no_dialogs):
    from arrs_desk.ui.common.action_dialog import ItemActionDialog
    from arrs_desk.ui.programmes.programme_enrolment import EnrolmentDialog

    page = page_for(qtbot, workspace, pcn.helen)
    assert "Nobody in your view is on a programme yet" in page.empty.text()

    def enrol_zoe(dialog):
        ui = dialog.ui
        ui.staff_id.setCurrentIndex(ui.staff_id.findData(pcn.zoe_id))
        codes = [ui.programme_code.itemData(i) for i in range(1, ui.programme_code.count())]
        assert "PARA-PC12" in codes and "PCPEP" not in codes  # only programmes for paramedics
        ui.programme_code.setCurrentIndex(ui.programme_code.findData("PARA-PC12"))
        ui.start_date.setDate(QDate(2026, 9, 7))
        assert ui.planned_end.date() == QDate(2026, 11, 30)  # follows the start: twelve weeks
        assert ui.protected_hours_per_week.value() == 7.5
        ui.preceptor_staff_id.setCurrentIndex(ui.preceptor_staff_id.findData(pcn.gp_id))
        ui.assessor_same_radio.setChecked(True)
        ui.notes.setPlainText("Taught days on Wednesdays")
        ui.buttons.button(QDialogButtonBox.StandardButton.Save).click()

    assert when_shown(EnrolmentDialog, enrol_zoe) is not None
    page.enrol()
    assert page.model.rowCount() == 1
    row = page.model.rows()[0]
    assert (row.display_name, row.programme_code, row.start_date) == ("Zoë Ōkubo", "PARA-PC12", START)
    assert page.proxy.index(0, 3).data() == "Behind"  # eleven weeks in with nothing recorded

    # The preceptor holds the week-4 review.
    gp_view = programme_dialog(qtbot, workspace, pcn.gp, row.enrolment_id)
    select_row(gp_view.milestone_table, lambda m: m.key == "week-4-review")
    assert gp_view.hold_button.isEnabled()
    when_shown(ItemActionDialog, fill_and_ok({"held_on": date(2026, 10, 6), "notes": "Good start; minor injury next"}))
    gp_view.hold_button.click()
    held = next(m for m in gp_view.milestones.rows() if m.key == "week-4-review")
    assert (held.held_on, held.status_label, held.notes) == (date(2026, 10, 6), "Held 06/10/2026",
                                                            "Good start; minor injury next")
    assert "Week 4 progress review: held 06/10/2026" in gp_view.timeline.accessibleDescription()

    # The assessor signs off two competencies through the page.
    for _ in range(2):
        competency = select_row(gp_view.competency_table, lambda c: not c.signed)
        assert gp_view.sign_button.isEnabled()
        when_shown(ItemActionDialog, fill_and_ok({"comment": "Observed in clinic"}))
        gp_view.sign_button.click()
        signed = next(c for c in gp_view.competencies.rows() if c.id == competency.id)
        assert signed.signed and signed.signed_by == "Yusuf Raghunathan"
    assert gp_view.view.competencies_signed == 2
    assert gp_view.progress.value() == round(100 * (0.7 * 2 / 17 + 0.3 * 1 / 5))

    # The line manager pauses the programme for two weeks: every later date moves.
    manager_view = programme_dialog(qtbot, workspace, pcn.helen, row.enrolment_id)
    before = dues(manager_view)
    manager_view.tabs.setCurrentIndex(3)
    assert manager_view.pause_button.isEnabled()
    when_shown(ItemActionDialog, fill_and_ok({"start": date(2026, 10, 12), "end": date(2026, 10, 25),
                                              "reason": "Sickness absence"}))
    manager_view.pause_button.click()
    after = dues(manager_view)
    for key, due in before.items():
        assert after[key] == (due + timedelta(days=14) if due >= date(2026, 10, 12) else due), key
    assert manager_view.view.expected_end == date(2026, 12, 14)
    assert "Paused 12/10/2026 to 25/10/2026 (Sickness absence)" in manager_view.timeline.accessibleDescription()
    assert manager_view.pauses.rows()[0].days == 14

    # The rest of the competencies, then completion through the page, then the certificate.
    view = gp_view.view
    for c in view.competencies:
        if not c.signed:
            view = workspace.programmes.sign_off_competency(pcn.gp, competency_id=c.id, expected_version=c.version)
    gp_view.reload()
    target = tmp_path / "certificate.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    questions = answer_confirmations(monkeypatch)
    assert gp_view.complete_button.isEnabled()
    when_shown(ItemActionDialog, fill_and_ok({"comment": "Ready for the roadmap"}))
    gp_view.complete_button.click()
    from arrs_desk.ui.common.operation import wait_for_operations

    wait_for_operations()  # the certificate is saved in the background
    assert questions == [("Certificate", "Completion is signed off. Save the certificate as PDF now?")]
    assert gp_view.view.status is EnrolmentStatus.COMPLETED
    assert gp_view.status_text.text() == "Completed" and gp_view.certificate_button.isVisible()
    assert not gp_view.sign_button.isEnabled() and not gp_view.log_button.isEnabled()
    text = "\n".join(p.extract_text() for p in PdfReader(str(target)).pages)
    assert len(PdfReader(str(target)).pages) == 1
    assert "Zoë Ōkubo" in text
    assert "Paramedic preceptorship in primary care (12 weeks)" in text
    assert "Yusuf Raghunathan" in text and "Riverside Test PCN" in text
    assert not [d for d in no_dialogs if d[0] in ("warning", "critical")]
    page.refresh()
    page.show_filter.setCurrentIndex(page.show_filter.findData("completed"))
    assert page.proxy.rowCount() == 1 and page.proxy.index(0, 3).data() == "Completed"


def test_end_before_start_is_marked_on_the_field_and_nothing_is_saved(qtbot, workspace, pcn, no_dialogs):
    from arrs_desk.ui.programmes.programme_enrolment import EnrolmentDialog

    before = count(workspace, ProgrammeEnrolment)
    choices = workspace.programmes.enrolment_choices(pcn.helen)
    dialog = EnrolmentDialog(workspace, pcn.helen, choices, staff_id=pcn.zoe_id)
    qtbot.addWidget(dialog)
    ui = dialog.ui
    ui.programme_code.setCurrentIndex(ui.programme_code.findData("PARA-PC12"))
    ui.start_date.setDate(QDate(2026, 9, 7))
    ui.planned_end.setDate(QDate(2026, 9, 1))
    dialog.save()
    assert dialog.errors.text("planned_end") == "The end date cannot be before the start date (7 Sep 2026)."
    assert dialog.errors.text("preceptor").startswith("Name the preceptor or mentor")
    assert dialog.errors.labels["planned_end"].isVisibleTo(dialog)
    assert "Nothing has been saved yet" in ui.summary_error.text()
    assert dialog.saved is None and count(workspace, ProgrammeEnrolment) == before
    assert no_dialogs == []  # field problems are shown beside the fields, not in a message box


def test_someone_who_is_not_the_assessor_cannot_sign_off(qtbot, workspace, pcn, no_dialogs):
    view = enrol(workspace, pcn)
    dialog = programme_dialog(qtbot, workspace, pcn.helen, view.id)  # the line manager
    select_row(dialog.competency_table, lambda c: not c.signed)
    assert not dialog.sign_button.isEnabled() and not dialog.complete_button.isEnabled()
    assert dialog.sign_button.toolTip() == "Only the named assessor can sign off competencies and completion."
    # A sign-off that reaches the service anyway is refused with a message, and nothing is written.
    signed_before = count(workspace, ProgrammeCompetency, ProgrammeCompetency.signed_at.is_not(None))
    c = view.competencies[0]
    dialog._act(workspace.programmes.sign_off_competency, pcn.helen, competency_id=c.id, expected_version=c.version)
    assert no_dialogs[-1][1] == "Not allowed"
    assert "Only the named assessor can sign off competencies and completion." in no_dialogs[-1][2]
    assert count(workspace, ProgrammeCompetency, ProgrammeCompetency.signed_at.is_not(None)) == signed_before
    learner = programme_dialog(qtbot, workspace, pcn.zoe, view.id)
    assert not learner.sign_button.isEnabled() and not learner.hold_button.isEnabled()
    assert learner.log_button.isEnabled()  # the learner logs their own protected time


def test_a_malformed_programme_file_is_refused_by_the_editor(qtbot, workspace, pcn, tmp_path, no_dialogs):
    from arrs_desk.ui.programmes.programme_editor import ProgrammeEditorDialog

    bad = tmp_path / "para-local.json"
    bad.write_text('{"schema": "arrs-desk/programme", "version": 1, "code": "para local", "title": ""}',
                   encoding="utf-8")
    before = count(workspace, ProgrammeTemplate)
    editor = ProgrammeEditorDialog(workspace, pcn.admin)
    qtbot.addWidget(editor)
    shown = editor.code_label.text()
    assert editor.import_file(str(bad)) is None
    kind, title, message = no_dialogs[-1]
    assert (kind, title) == ("warning", "Invalid data file")
    assert "para-local.json is not valid" in message and "code" in message
    assert editor.code_label.text() == shown  # the editor still shows what it had
    assert count(workspace, ProgrammeTemplate) == before


def test_the_editor_copies_a_programme_and_saves_it_as_a_new_one(qtbot, workspace, pcn, monkeypatch, no_dialogs):
    from PySide6.QtWidgets import QInputDialog

    from arrs_desk.ui.programmes.programme_editor import ProgrammeEditorDialog

    editor = ProgrammeEditorDialog(workspace, pcn.admin)
    qtbot.addWidget(editor)
    editor.programme_choice.setCurrentIndex(editor.programme_choice.findData("PARA-PC12"))
    answers = iter([("PARA-ROTA", True), ("Rotational paramedic route", True)])
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: next(answers)))
    editor.copy_programme()
    assert editor.code_label.text() == "PARA-ROTA" and "version 1" in editor.version_label.text()
    editor.length_edit.setText("16")
    editor.hours_edit.setText("3.75")
    editor.add_milestone()
    row = editor.milestones.rowCount() - 1
    editor.milestones.item(row, 0).setText("14")
    editor.milestones.item(row, 1).setText("Week 14 check-in")
    editor.milestones.removeRow(1)
    group = editor.tree.topLevelItem(0)
    editor.tree.setCurrentItem(group.child(0))
    editor.add_competency()
    item = editor.tree.currentItem()
    item.setText(0, "Frailty assessment at home")
    editor.c_description.setPlainText("Uses a frailty score with carers present.")
    editor.c_evidence.setPlainText("Two case-based discussions.")
    editor.title_edit.setText("")
    assert editor.save() is None  # refused: the title is empty
    assert "Enter a title for the programme." in editor.summary.text() and editor.summary.isVisibleTo(editor)
    editor.title_edit.setText("Rotational paramedic route")
    saved = editor.save()
    assert (saved.code, saved.version, saved.length_weeks, saved.milestones) == ("PARA-ROTA", 1, 16, 5)
    draft = workspace.programmes.templates.draft(pcn.admin, code="PARA-ROTA")
    assert any(m.title == "Week 14 check-in" and m.week == 14 for m in draft.milestones)
    assert draft.domains[0].competencies[-1].title == "Frailty assessment at home"
    assert editor.programme_choice.currentData() == "PARA-ROTA"
    assert not [d for d in no_dialogs if d[0] == "warning"]


def test_overview_filters_sorts_and_opens(qtbot, demo_workspace, system_actor, monkeypatch):
    from arrs_desk.ui.programmes.programme_dialog import ProgrammeDialog
    from arrs_desk.ui.programmes.programmes_model import PROGRESS, STATUS, WHY

    page = page_for(qtbot, demo_workspace, system_actor)
    everyone = page.proxy.rowCount()
    assert everyone >= 10 and "behind" in page.summary.text()
    page.show_filter.setCurrentIndex(page.show_filter.findData("behind"))
    assert 0 < page.proxy.rowCount() < everyone
    for r in range(page.proxy.rowCount()):
        assert page.proxy.index(r, STATUS).data() == "Behind"
        assert page.proxy.index(r, WHY).data()  # always says why
    page.show_filter.setCurrentIndex(page.show_filter.findData("current"))
    page.programme_filter.setCurrentIndex(page.programme_filter.findData("PCPEP"))
    assert {page.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole + 1).programme_code
            for r in range(page.proxy.rowCount())} == {"PCPEP"}
    page.programme_filter.setCurrentIndex(0)
    page.table.sortByColumn(PROGRESS, Qt.SortOrder.DescendingOrder)
    values = [page.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole + 1).progress for r in range(page.proxy.rowCount())]
    assert values == sorted(values, reverse=True)
    opened = []
    monkeypatch.setattr(ProgrammeDialog, "exec", lambda self: opened.append(self.view.display_name) or 0)
    double_click(qtbot, page.table, page.proxy.index(0, 0))
    assert opened == [page.proxy.index(0, 0).data()]  # once: a double-click is also an "activated"
    page.search.setText("zzzz no one")
    page._apply_filters()
    assert page.proxy.rowCount() == 0 and page.empty.isVisibleTo(page) and not page.table.isVisibleTo(page)


def test_a_new_starter_sees_only_their_own_programme(qtbot, demo_workspace, ui_settings):
    from arrs_desk.services.actor import Actor
    from arrs_desk.store.models import UserAccount
    from arrs_desk.ui.shell.main_window import MainWindow

    with demo_workspace.db.read() as session:
        user = session.execute(select(UserAccount).where(UserAccount.username == "zoe.okubo")).scalar_one()
    zoe = Actor(user.id, user.username, user.display_name, frozenset(user.roles), user.staff_id)
    window = MainWindow(settings=ui_settings, workspace=demo_workspace, actor=zoe)
    qtbot.addWidget(window)
    window.show()
    titles = [window.nav.item(r).text() for r in range(window.nav.count()) if not window.nav.item(r).isHidden()]
    assert "Programmes" in titles
    window.show_page("Programmes")
    page = window.page("Programmes")
    assert [r.display_name for r in page.model.rows()] == ["Zoë Ōkubo"]
    assert not page.enrol_button.isVisible() and not page.editor_button.isVisible()
