"""The revalidation page driven with the keyboard: choose a person with the arrows, add CPD
through the dialog with Alt+C, and verify it as their line manager."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from arrs_desk.domain.dates import add_months
from arrs_desk.store.models import Staff
from tests.conftest import NOW
from tests.support.qt import answer_confirmations, finish_loading
from tests.support.pcn import ALPHA, HELEN, Member, account, build_small_pcn

TODAY = NOW.date()
VERIFIED = 5  # the CPD log's "Verified by" column
NADIA = Member("nadia", "Nadia", "Okonjo", TODAY - timedelta(days=800), role="GPN", manager="helen", roles={"staff"})
PETRA = Member("petra", "Petra", "Lindqvist", TODAY - timedelta(days=500), role="CPH", manager="helen",
               roles={"staff"})


def when_dialog(callback, tries: int = 250) -> None:
    """Run `callback(dialog)` once the modal dialog is up (it opens inside the key press)."""
    dialog = QApplication.activeModalWidget()
    if dialog is not None:
        callback(dialog)
    elif tries:
        QTimer.singleShot(20, lambda: when_dialog(callback, tries - 1))


@pytest.fixture
def page(qtbot, workspace, system_actor):
    from arrs_desk.ui.revalidation.page import RevalidationPage

    pcn = build_small_pcn(workspace, system_actor, members=[HELEN, NADIA, PETRA], practices=(ALPHA,), multi_user=True)
    with workspace.db.write() as session:
        for key, months in (("nadia", 7), ("petra", 5)):
            session.get(Staff, pcn.staff_ids[key]).registration_renewal = add_months(TODAY, months)
    widget = RevalidationPage()
    widget.resize(1300, 700)
    qtbot.addWidget(widget)
    widget.set_context(workspace, pcn.actors["helen"])
    widget.show()
    widget.activateWindow()
    qtbot.waitActive(widget)
    widget.refresh()
    finish_loading(widget)  # the people are read in the background
    widget.pcn = pcn
    return widget


def test_arrows_choose_a_person_and_alt_c_adds_cpd_that_the_manager_then_verifies(page, qtbot, workspace):
    assert page.people_model.rowCount() == 2
    page.people.setFocus()
    first = page.record.summary.name
    qtbot.keyClick(page.people, Qt.Key.Key_Down)
    second = page.record.summary.name
    assert {first, second} == {"Nadia Okonjo", "Petra Lindqvist"}
    if second != "Nadia Okonjo":
        qtbot.keyClick(page.people, Qt.Key.Key_Up)
    assert page.record.summary.name == "Nadia Okonjo" and "CPD hours: 0 of 35" in page.needs.text()

    def fill(dialog) -> None:
        qtbot.keyClicks(dialog.title_edit, "Wound care study day")
        dialog.hours.selectAll()
        qtbot.keyClicks(dialog.hours, "7.5")
        dialog.participatory.setFocus()
        qtbot.keyClick(dialog.participatory, Qt.Key.Key_Space)
        qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return)

    when_dialog(fill)
    qtbot.keyClick(page, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    assert page.cpd_model.rowCount() == 1
    assert page.cpd_model.index(0, 1).data() == "Wound care study day"
    assert page.cpd_model.index(0, VERIFIED).data() == "Not verified"
    assert "CPD hours: 7.5 of 35" in page.needs.text() and "Participatory CPD hours: 7.5 of 20" in page.needs.text()

    page.cpd.setFocus()
    page.cpd.selectRow(0)
    assert page.verify.isEnabled()
    page.activateWindow()  # back from the dialog
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page)
    qtbot.keyClick(page.cpd, Qt.Key.Key_V, Qt.KeyboardModifier.AltModifier)
    assert page.cpd_model.index(0, VERIFIED).data().startswith("Helen Whitfield")


def test_a_problem_in_the_form_is_shown_by_field_and_nothing_is_saved(page, qtbot, workspace):
    def fill(dialog) -> None:
        qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return)  # no title, no hours
        page.problems = dialog.errors.text()
        dialog.reject()

    when_dialog(fill)
    qtbot.keyClick(page, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    assert "Title: Give it a short title" in page.problems and "Hours: Enter the hours" in page.problems
    assert page.cpd_model.rowCount() == 0


def test_a_staff_member_sees_only_their_own_record_and_cannot_verify(qtbot, page, workspace):
    page.set_context(workspace, page.pcn.actors["nadia"])
    page.refresh()
    finish_loading(page)
    assert page.people_model.rowCount() == 1 and page.record.summary.name == "Nadia Okonjo"
    assert page.add_cpd.isEnabled() and not page.verify.isEnabled()


def test_print_regulator_pack_is_reached_by_tab_and_alt_p_saves_the_chosen_persons_pack(page, qtbot, workspace,
                                                                                        tmp_path, monkeypatch):
    from arrs_desk.ui.revalidation import regulator_pack

    assert page.print_pack.text().startswith("Print regulator pack…") and page.print_pack.isEnabled()
    assert page.print_pack.focusPolicy() & Qt.FocusPolicy.TabFocus
    page.people.setFocus()
    for _ in range(20):  # Tab from the list reaches the button
        if page.print_pack.hasFocus():
            break
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert page.print_pack.hasFocus()

    offered = []
    target = tmp_path / "pack"

    def choose(_parent, _caption, suggested, _filter):
        offered.append(suggested)
        return str(target), ""

    monkeypatch.setattr(regulator_pack.QFileDialog, "getSaveFileName", choose)
    while page.record.summary.name != "Nadia Okonjo":
        qtbot.keyClick(page.people, Qt.Key.Key_Down)
    qtbot.keyClick(page, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: (tmp_path / "pack.pdf").exists(), timeout=15000)
    assert offered and "nmc-pack-nadia-okonjo" in offered[0]


def test_print_regulator_pack_says_why_not_for_a_register_without_a_pack(page, qtbot, workspace):
    with workspace.db.write() as session:
        session.get(Staff, page.pcn.staff_ids["petra"]).register_code = "SWE"
    page.refresh()
    finish_loading(page)
    while page.record.summary.name != "Petra Lindqvist":
        qtbot.keyClick(page.people, Qt.Key.Key_Down)
    assert not page.print_pack.isEnabled()
    assert "no printed pack for Social Work England" in page.print_pack.toolTip()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_enter_edits_an_entry_space_attaches_a_file_and_delete_removes_it_after_asking(page, qtbot, workspace,
                                                                                      tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from arrs_desk.services.revalidation import CpdInput

    nadia = page.pcn.staff_ids["nadia"]
    workspace.revalidation.add_cpd(page.pcn.actors["nadia"], data=CpdInput(
        staff_id=nadia, occurred_on=TODAY - timedelta(days=20), title="Asthma update", method="course", hours=3.0))
    certificate = tmp_path / "asthma-certificate.pdf"
    certificate.write_bytes(PDF)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(certificate), ""))
    page.refresh()
    finish_loading(page)
    if page.record.summary.name != "Nadia Okonjo":
        page.people.setFocus()
        qtbot.keyClick(page.people, Qt.Key.Key_Down)
    assert page.cpd_model.rowCount() == 1 and not page.edit_entry.isEnabled()
    page.cpd.setFocus()
    qtbot.keyClick(page.cpd, Qt.Key.Key_Down)  # choose the first entry
    assert page.edit_entry.isEnabled() and page.remove_entry.isEnabled()
    seen = {}

    def edit(dialog) -> None:
        seen["title"] = dialog.windowTitle()
        seen["counts"] = dialog.counts.currentText()
        dialog.files.attach.setFocus()  # as Tab reaches it
        qtbot.keyClick(dialog.files.attach, Qt.Key.Key_Space)  # attach: the file dialog is faked
        seen["files"] = dialog.files.list.count()
        dialog.title_edit.selectAll()
        qtbot.keyClicks(dialog.title_edit, "Asthma and COPD update")
        qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return)

    when_dialog(edit)
    qtbot.keyClick(page.cpd, Qt.Key.Key_Return)
    assert seen == {"title": "Edit CPD", "counts": seen["counts"], "files": 1}
    assert seen["counts"].startswith("Current cycle") and seen["counts"].endswith("(by its date)")
    assert page.cpd_model.index(0, 1).data() == "Asthma and COPD update (1 file)"
    [entry] = workspace.revalidation.person(page.pcn.actors["nadia"], staff_id=nadia).cpd
    assert [f.original_name for f in entry.files] == ["asthma-certificate.pdf"]

    asked = answer_confirmations(monkeypatch)
    page.activateWindow()  # back from the dialog
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page)
    page.cpd.setFocus()
    page.cpd.selectRow(0)
    qtbot.keyClick(page.cpd, Qt.Key.Key_Delete)
    [(title, text)] = asked
    assert title == "Remove the CPD entry" and "'Asthma and COPD update'" in text and "1 attached file" in text
    assert page.cpd_model.rowCount() == 0
    assert workspace.revalidation.person(page.pcn.actors["nadia"], staff_id=nadia).cpd == ()


def test_the_cpd_form_offers_the_previous_cycle_for_an_earlier_date_and_fills_from_a_supervision_session(
        page, qtbot, workspace):
    from PySide6.QtCore import QDate

    from arrs_desk.services.supervision import SessionInput
    from arrs_desk.ui.revalidation.dialogs import CpdDialog
    from arrs_desk.ui.revalidation.entry_parts import SourcePicker

    nadia, helen = page.pcn.staff_ids["nadia"], page.pcn.actors["helen"]
    held = TODAY - timedelta(days=9)
    workspace.supervision.record_session(helen, data=SessionInput(
        type_code="clinical", held_on=held, supervisor_staff_id=page.pcn.staff_ids["helen"], format="one-to-one",
        duration_minutes=45, topics="Inhaler technique", attendee_ids=[nadia]))
    record = workspace.revalidation.person(helen, staff_id=nadia)
    methods, _kinds = workspace.revalidation.choices()
    dialog = CpdDialog(page, staff_id=nadia, methods=methods, record=record)
    qtbot.addWidget(dialog)
    assert dialog.counts.count() == 1 and dialog.counts.currentText().startswith("Current cycle")
    assert dialog.counts_towards() is None  # by its date
    dialog.date.setDate(QDate(record.cycle.start - timedelta(days=1)))
    assert dialog.counts.count() == 2 and dialog.counts.currentText().startswith("Previous cycle")
    assert dialog.counts.currentText().endswith("(by its date)") and dialog.counts_towards() is None
    dialog.counts.setCurrentIndex(0)  # the current cycle, which the service refuses for that date
    dialog.counts.activated.emit(0)  # as when the person chooses it
    assert dialog.counts_towards() == record.cycle.end
    dialog.date.setDate(QDate(record.cycle.start - timedelta(days=2)))  # the choice stays while it is offered
    assert dialog.counts_towards() == record.cycle.end
    dialog.counts.setCurrentIndex(1)
    dialog.counts.activated.emit(1)

    def choose(picker) -> None:
        assert isinstance(picker, SourcePicker)
        qtbot.keyClick(picker.table, Qt.Key.Key_Return)  # the newest record: the session

    when_dialog(choose)
    dialog.choose_source()
    data = dialog.data()
    assert (data.occurred_on, data.hours, data.method, data.source_kind) == (held, 0.75, "supervision", "supervision")
    assert "Inhaler technique" in data.title and dialog.source_label.text().startswith("Supervision session")
    assert dialog.counts_towards() is None  # the date moved into the current cycle


def test_saving_an_entry_unchanged_keeps_its_verification(page, qtbot, workspace):
    from arrs_desk.services.revalidation import CpdInput, EvidenceInput
    from arrs_desk.ui.revalidation.dialogs import CpdDialog, EvidenceDialog

    nadia, helen, own = page.pcn.staff_ids["nadia"], page.pcn.actors["helen"], page.pcn.actors["nadia"]
    record = workspace.revalidation.person(helen, staff_id=nadia)
    old = record.cycle.start - timedelta(days=3)  # in the previous cycle, and recorded as counting towards it
    entry = workspace.revalidation.add_cpd(own, data=CpdInput(
        staff_id=nadia, occurred_on=old, title="Spirometry course", method="course", hours=7.0, provider="Hub",
        participatory=True, reflection="Better at reading loops.", counts_towards=record.previous_cycle.end)).cpd[0]
    entry = workspace.revalidation.verify_cpd(helen, entry_id=entry.id,
                                              expected_version=entry.version).cpd[0]
    item = workspace.revalidation.add_evidence(own, data=EvidenceInput(
        staff_id=nadia, kind="discussion", occurred_on=TODAY, title="Reflective discussion", partner_name="Sam Reid",
        partner_registration="09I1234E")).evidence[0]
    item = workspace.revalidation.verify_evidence(helen, evidence_id=item.id,
                                                  expected_version=item.version).evidence[0]
    methods, kinds = workspace.revalidation.choices()
    record = workspace.revalidation.person(helen, staff_id=nadia)
    for dialog in (CpdDialog(page, staff_id=nadia, methods=methods, record=record, entry=entry),
                   EvidenceDialog(page, staff_id=nadia, kinds=kinds, record=record, entry=item)):
        qtbot.addWidget(dialog)
        dialog.save()
        assert dialog.result_record is not None and dialog.errors.text() == ""
    after = workspace.revalidation.person(helen, staff_id=nadia)
    assert [e.verified_by for e in after.cpd] == ["Helen Whitfield"]
    assert [e.verified_by for e in after.evidence] == ["Helen Whitfield"]
    assert after.cpd[0].counts_towards == record.previous_cycle.end


def test_the_last_persons_cpd_and_evidence_go_when_the_next_person_sees_nobody(qtbot, page, workspace):
    """At a shared PC, after a lock and another person's sign-in, the page said "Nobody you can see
    is on a professional register" beside the previous person's CPD log and evidence."""
    from arrs_desk.services.revalidation.views import CpdInput

    pcn = page.pcn
    workspace.revalidation.add_cpd(pcn.actors["helen"], data=CpdInput(
        staff_id=pcn.staff_ids["nadia"], occurred_on=TODAY - timedelta(days=30), title="Asthma update",
        method="course", hours=6.0, participatory=True, provider="Training hub"))
    page.refresh()
    finish_loading(page)
    page.people.selectRow(next(r for r in range(page.people_model.rowCount())
                               if page.people_model.index(r, 0).data() == "Nadia Okonjo"))
    qtbot.waitUntil(lambda: page.cpd_model.rowCount() == 1)
    nobody = account(workspace, "visitor", "Visiting Locum", {"staff"}, None)  # signed in: no staff record
    page.set_context(workspace, nobody)
    page.refresh()
    finish_loading(page)
    assert page.people_model.rowCount() == 0 and page.record is None
    assert (page.cpd_model.rowCount(), page.evidence_model.rowCount()) == (0, 0)
    assert "Nobody you can see" in page.summary.text() and not page.add_cpd.isEnabled()
