"""Recording a signature given on paper or by e-mail, through the real widgets: the external
supervisor's confirmation from the person's supervision window, and an induction item's sign-off
from the checklist. Problems show under their fields; afterwards the lists say who confirmed and
who recorded it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDialogButtonBox

from arrs_desk.domain.induction import ItemStatus
from arrs_desk.services.external_people import ExternalSignatureInput
from arrs_desk.services.supervision import SessionInput
from arrs_desk.ui.common.signature_dialog import ExternalSignatureDialog
from tests import induction_support, supervision_support
from tests.conftest import TODAY
from tests.support.qt import when_shown

HELD = TODAY - timedelta(days=20)


def uk(day) -> str:
    return day.strftime("%d/%m/%Y")


def qdate(day) -> QDate:
    return QDate(day.year, day.month, day.day)


def save(dialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()


# =========================================================================== supervision


@pytest.fixture
def team(workspace, system_actor):
    return supervision_support.make_team(workspace, system_actor)


@pytest.fixture
def external_session(workspace, team):
    adebayo = workspace.external_people.create(
        team.admin, name="Dr Marcus Adebayo", organisation="Northvale Mental Health NHS Trust",
        job_title="Consultant clinical psychologist", email="marcus.adebayo@northvale.nhs.example")
    return workspace.supervision.record_session(team.helen, data=SessionInput(
        type_code="clinical", held_on=HELD, attendee_ids=[team.zoe_id], supervisor_external_id=adebayo.id,
        duration_minutes=60, format="one-to-one", topics="Case review"))


def person_window(qtbot, workspace, actor, staff_id):
    from arrs_desk.ui.supervision.supervision_person import PersonSupervisionDialog

    window = PersonSupervisionDialog(workspace, actor, staff_id)
    qtbot.addWidget(window)
    window.show()
    return window


def test_line_manager_records_the_confirmation_and_the_session_log_says_who(
        qtbot, workspace, team, external_session, no_dialogs):
    window = person_window(qtbot, workspace, team.helen, team.zoe_id)
    window._select(window.session_table, external_session.id)
    button = window.record_confirmation_button
    assert button.isVisible() and button.isEnabled()
    assert window.sessions.index(0, 5).data() == "Not yet"
    assert "has no ARRS Desk account" in window.detail.toPlainText()
    seen = {}

    def act(dialog):
        # Pre-filled from the supervisor's record; no signer list, since the session names them.
        seen["prefilled"] = (dialog.name.text(), dialog.role.text(), dialog.organisation.text(), dialog.signer)
        dialog.signed_on.setDate(qdate(HELD - timedelta(days=1)))
        dialog.register.setCurrentIndex(dialog.register.findData("GMC-DOCTOR"))
        dialog.registration.setText("12345")
        save(dialog)
        seen["errors"] = (dialog.errors.text("signed_on"), dialog.errors.text("registration_number"))
        seen["still_open"] = dialog.isVisible()
        dialog.signed_on.setDate(qdate(HELD + timedelta(days=3)))
        dialog.registration.setText("7123456")
        dialog.received_via.setCurrentIndex(dialog.received_via.findData("email"))
        save(dialog)

    shown = when_shown(ExternalSignatureDialog, act)
    button.click()
    assert shown, "the confirmation dialog did not open"
    assert seen["prefilled"] == ("Dr Marcus Adebayo", "Consultant clinical psychologist",
                                 "Northvale Mental Health NHS Trust", None)
    assert "before the session was held" in seen["errors"][0] and "7 digits" in seen["errors"][1]
    assert seen["still_open"]
    assert window.changed and not no_dialogs
    row = window.selected_session()
    assert row.id == external_session.id and row.supervisor_on_behalf is not None
    assert window.sessions.index(0, 5).data() == "Supervisor (e-mail)"
    text = " ".join(window.detail.toPlainText().split())
    assert (f"Supervisor: confirmed by Dr Marcus Adebayo (recorded by Helen Whitfield from e-mail, "
            f"{uk(HELD + timedelta(days=3))})") in text
    assert "GMC 7123456" in text
    assert not button.isVisible()


def test_the_supervisee_sees_the_confirmation_but_cannot_record_one(qtbot, workspace, team, external_session):
    window = person_window(qtbot, workspace, team.zoe, team.zoe_id)
    assert not window.record_confirmation_button.isVisible()
    workspace.supervision.record_external_confirmation(
        team.admin, session_id=external_session.id, expected_version=external_session.version,
        signature=ExternalSignatureInput(name="Dr Marcus Adebayo", organisation="Northvale Mental Health NHS Trust",
                                         signed_on=HELD, received_via="paper"))
    window.reload(select_session=external_session.id)
    assert window.sessions.index(0, 5).data() == "Supervisor (paper)"
    assert f"(recorded by PCN Administrator from paper, {uk(HELD)})" in window.detail.toPlainText()


# =========================================================================== induction


@pytest.fixture
def starters(workspace, system_actor):
    return induction_support.make_team(workspace, system_actor, start=TODAY - timedelta(days=30))


def ticked_item(workspace, team):
    view = workspace.induction.checklist(team.starter, staff_id=team.starter_id)
    entry = next(i for i in view.items if i.can_tick and i.needs_signoff)
    workspace.induction.tick(team.starter, item_id=entry.id, expected_version=entry.version, completed_on=TODAY - timedelta(days=2))
    return entry


def checklist_for(qtbot, workspace, actor, staff_id):
    from arrs_desk.ui.induction.induction_checklist import ChecklistWidget

    widget = ChecklistWidget()
    qtbot.addWidget(widget)
    widget.set_context(workspace, actor)
    widget.resize(1280, 760)
    widget.show()
    widget.load(staff_id)
    return widget


def test_manager_records_a_paper_signature_on_a_waiting_item(qtbot, workspace, starters, no_dialogs):
    team = starters
    entry = ticked_item(workspace, team)
    widget = checklist_for(qtbot, workspace, team.manager, team.starter_id)
    assert widget.select_item(entry.id)
    assert widget.paper_button.isVisible() and widget.sign_button.isVisible()
    done_before = widget.view.progress.done
    seen = {}

    def act(dialog):
        seen["first"] = dialog.signer.currentData()
        save(dialog)  # nothing typed
        seen["errors"] = (dialog.errors.text("name"), dialog.errors.text("organisation"))
        seen["summary"] = dialog.summary.text()
        dialog.name.setText("Ruth Castellano")
        dialog.role.setText("Lead pharmacist, primary care")
        dialog.organisation.setText("Moorland GP Federation")
        dialog.signed_on.setDate(qdate(TODAY - timedelta(days=1)))
        save(dialog)

    shown = when_shown(ExternalSignatureDialog, act)
    widget.paper_button.click()
    assert shown, "the signature dialog did not open"
    assert seen["first"] == -1  # someone not recorded yet
    assert "signer's name" in seen["errors"][0] and "organisation" in seen["errors"][1]
    assert "2 problems" in seen["summary"]
    signed = widget.item_by_key(entry.key)
    assert signed.status is ItemStatus.COMPLETE and widget.view.progress.done == done_before + 1
    widget.select_item(signed.id)
    assert (f"Signed off by Ruth Castellano (recorded by Helen Whitfield from paper, "
            f"{uk(TODAY - timedelta(days=1))})") in widget.history.text()
    assert "Lead pharmacist, primary care, Moorland GP Federation" in widget.history.text()
    assert not widget.paper_button.isVisible()
    assert not no_dialogs

    # The signer is now recorded: the next item's form offers them, pre-filled.
    second = ticked_item(workspace, team)
    widget.reload()
    widget.select_item(second.id)

    def choose(dialog):
        index = next(i for i in range(dialog.signer.count()) if dialog.signer.itemText(i).startswith("Ruth"))
        dialog.signer.setCurrentIndex(index)
        seen["chosen"] = (dialog.name.text(), dialog.organisation.text(), dialog.role.text())

    when_shown(ExternalSignatureDialog, choose)
    widget.paper_button.click()
    assert seen["chosen"] == ("Ruth Castellano", "Moorland GP Federation", "Lead pharmacist, primary care")
    assert widget.item_by_key(second.key).status is ItemStatus.AWAITING_SIGNOFF  # cancelled: nothing saved


def test_the_starter_has_no_paper_signature_action(qtbot, workspace, starters):
    team = starters
    entry = ticked_item(workspace, team)
    widget = checklist_for(qtbot, workspace, team.starter, team.starter_id)
    widget.select_item(entry.id)
    assert not widget.paper_button.isVisible() and not widget.sign_button.isVisible()
