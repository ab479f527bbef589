"""The Assurance page opens with the counts per check and every check not met with its reason;
each opens the person's record where the evidence is kept. A person without a checklist can
have their induction before records began recorded from their checklist view."""

from __future__ import annotations

import csv
import random
from datetime import timedelta

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog
from sqlalchemy import select

from arrs_desk.services.actor import Actor
from arrs_desk.demo.induction_prior import add_demo_prior_inductions
from arrs_desk.store.models import UserAccount
from tests.supervision_support import make_team
from tests.support.qt import finish_loading


def _actor(workspace, username: str) -> Actor:
    with workspace.db.read() as session:
        user = session.execute(select(UserAccount).where(UserAccount.username == username)).scalar_one()
        return Actor(user.id, user.username, user.display_name, frozenset(user.roles), user.staff_id)


@pytest.fixture
def opened(monkeypatch):
    """Person windows are recorded instead of shown."""
    shown = []

    def exec_(dialog):
        shown.append(dialog)
        return 0

    monkeypatch.setattr(QDialog, "exec", exec_)
    return shown


def _assurance(qtbot, workspace, actor, ui_settings):
    from arrs_desk.ui.shell.main_window import MainWindow

    window = MainWindow(settings=ui_settings, workspace=workspace, actor=actor)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.show_page("Assurance")
    return window, finish_loading(window.page("Assurance"))


def test_counts_then_every_not_met_each_opening_the_record(qtbot, demo_workspace, ui_settings, no_dialogs, opened,
                                                         tmp_path, monkeypatch):
    add_demo_prior_inductions(demo_workspace, random.Random(7))
    helen = _actor(demo_workspace, "helen.whitfield")
    window, page = _assurance(qtbot, demo_workspace, helen, ui_settings)
    assert page.tabs.currentIndex() == 0 and page.views.currentWidget() is page.overview
    report = demo_workspace.assurance.report(helen)
    assert page.overview.chart._rows == [(s.title, s.met, s.not_met, s.not_applicable) for s in report.summary]
    entries = page.overview.model.entries
    assert len(entries) == sum(s.not_met for s in report.summary) > 0
    assert page.overview.heading.text() == f"Not met: {len(entries)}"
    reasons = {(p.name, title): reason for p in report.unmet for title, reason in p.unmet}
    for entry in entries:
        assert reasons[(entry.row.display_name, entry.check_title)] == entry.reason
    # The check filter narrows the list to one check.
    supervision = page.overview.check_filter.findData("supervisor")
    page.overview.check_filter.setCurrentIndex(supervision)
    assert {e.check_code for e in page.overview.model.entries} == {"supervisor"}
    page.overview.check_filter.setCurrentIndex(0)

    from arrs_desk.ui.induction.induction_checklist import ChecklistDialog
    from arrs_desk.ui.reviews.review_person import PersonReviewsDialog
    from arrs_desk.ui.supervision.supervision_person import PersonSupervisionDialog

    windows = {"Supervision": PersonSupervisionDialog, "Reviews": PersonReviewsDialog, "Induction": ChecklistDialog}
    tried = []
    for evidence, kind in windows.items():
        entry = next((e for e in page.overview.model.entries if e.evidence == evidence), None)
        if entry is None:
            continue
        row = page.overview.model.entries.index(entry)
        page.overview.table.setCurrentIndex(page.overview.model.index(row, 0))
        assert page.overview.open_button.isEnabled()
        opened.clear()
        page.overview.open_button.click()
        [dialog] = [d for d in opened if isinstance(d, kind)]
        staff_id = dialog.checklist.staff_id if kind is ChecklistDialog else dialog.person.staff_id
        assert staff_id == entry.row.staff_id
        tried.append(evidence)
    assert len(tried) >= 2, tried  # the demo always has supervision and induction gaps

    target = tmp_path / "assurance.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    assert page.export_csv() == str(target)
    from arrs_desk.ui.common.operation import wait_for_operations

    wait_for_operations()  # the file is written in the background
    with target.open(encoding="utf-8-sig", newline="") as handle:
        sections = [line["Section"] for line in csv.DictReader(handle)]
    assert sections[:len(report.summary)] == ["Summary"] * len(report.summary)
    assert sections[len(report.summary)] == "Not met"
    assert no_dialogs == []


def test_the_person_view_links_each_check_to_its_record(qtbot, demo_workspace, ui_settings, no_dialogs, opened):
    helen = _actor(demo_workspace, "helen.whitfield")
    window, page = _assurance(qtbot, demo_workspace, helen, ui_settings)
    page.views.setCurrentIndex(1)
    page.table.selectRow(0)
    html = page.detail.toHtml()
    assert "Open their supervision" in html and "Open their reviews" in html and "Source:" in html
    from PySide6.QtCore import QUrl

    from arrs_desk.ui.reviews.review_person import PersonReviewsDialog

    page._open_evidence(QUrl("evidence:Reviews"))
    assert [type(d) for d in opened] == [PersonReviewsDialog]


def test_recording_an_induction_before_records_began_from_the_checklist(qtbot, workspace, system_actor, no_dialogs,
                                                                        opened):
    from arrs_desk.ui.induction.induction_checklist import ChecklistWidget
    from arrs_desk.ui.induction.induction_prior import RECORD_TEXT, PriorInductionDialog

    team = make_team(workspace, system_actor)
    widget = ChecklistWidget()
    qtbot.addWidget(widget)
    widget.set_context(workspace, team.helen)
    widget.load(team.zoe_id)
    widget.show()
    panel = widget.prior
    assert panel.isVisible() and panel.record_button.isVisible() and panel.record_button.text() == RECORD_TEXT
    panel.record_button.click()
    [dialog] = [d for d in opened if isinstance(d, PriorInductionDialog)]
    assert dialog.attester.currentData() == team.helen.user_id and not dialog.attester_name.isEnabled()
    dialog.attester.setCurrentIndex(dialog.attester.count() - 1)  # someone without an account
    dialog.attester_name.setText("")
    dialog.attester_role.setText("")
    dialog.save()
    assert dialog.saved is None
    assert dialog.errors.text("attested_by_name") and dialog.errors.text("attested_by_role")
    assert workspace.induction_prior.get(team.helen, staff_id=team.zoe_id) is None
    dialog.attester_name.setText("Bogdan Popescu")
    dialog.attester_role.setText("Practice manager")
    day = widget.view.start_date + timedelta(days=21)
    from PySide6.QtCore import QDate

    dialog.completed_on.setDate(QDate(day.year, day.month, day.day))
    dialog.save()
    assert dialog.saved is not None
    panel.changed.emit()
    assert f"Induction completed before records began ({day:%d/%m/%Y}), attested by Bogdan Popescu, Practice " \
           "manager" in panel.text.text()
    assert not panel.record_button.isVisible() and panel.change_button.isVisible()
    assert "completed before records began" in widget.empty.text()
    # The person sees it too, without the actions.
    mine = ChecklistWidget(show_person=False)
    qtbot.addWidget(mine)
    mine.set_context(workspace, team.zoe)
    mine.load(team.zoe_id)
    mine.show()
    assert mine.prior.isVisible() and not mine.prior.change_button.isVisible()
    assert no_dialogs == []


def test_changing_a_record_keeps_the_attesters_account(qtbot, workspace, system_actor, no_dialogs):
    from arrs_desk.services.induction_prior import PriorInductionInput
    from arrs_desk.ui.induction.induction_prior import PriorInductionDialog

    team = make_team(workspace, system_actor)
    start = workspace.staff.get(team.helen, staff_id=team.zoe_id).data.start_date
    workspace.induction_prior.record(team.admin, staff_id=team.zoe_id, data=PriorInductionInput(
        start + timedelta(days=30), attested_by_role="Salaried GP", attested_by_user_id=team.gp.user_id))
    form = workspace.induction_prior.form(team.helen, staff_id=team.zoe_id)
    assert team.gp.user_id not in {a.user_id for a in form.attesters}
    dialog = PriorInductionDialog(workspace, team.helen, form)
    qtbot.addWidget(dialog)
    assert dialog.attester.currentData() == team.gp.user_id
    assert dialog.attester_name.text() == "Yusuf Raghunathan" and dialog.attester_role.text() == "Salaried GP"
    dialog.note.setPlainText("Checked against the HR file")
    dialog.save()
    saved = workspace.induction_prior.get(team.helen, staff_id=team.zoe_id)
    assert saved.attested_by_user_id == team.gp.user_id and saved.note == "Checked against the HR file"
    assert no_dialogs == []
