"""The Training page with the keyboard: filters, sorting in C++ on the sort role, moving cell to
cell, Enter to record training for the person and subject under the cursor, and each cell's
screen-reader text."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from arrs_desk.ui.common.table_model import ROW_ROLE
from tests.conftest import TODAY
from tests.support.qt import answer_confirmations, finish_loading
from tests.support.pcn import ALPHA, BETA, BOGDAN, HELEN, Member, build_small_pcn

SAM = Member("sam", "Sam", "Okonkwo", TODAY - timedelta(days=400), role="CPH", manager="helen")


def _page(qtbot, workspace, ui_settings, actor):
    from arrs_desk.ui.shell.main_window import MainWindow

    window = MainWindow(settings=ui_settings, workspace=workspace, actor=actor)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.show_page("Training")
    page = window.page("Training")
    qtbot.waitUntil(lambda: page.matrix is not None, timeout=5000)
    return page


def test_keyboard_records_training_for_the_cell_under_the_cursor(qtbot, workspace, system_actor, ui_settings,
                                                                   monkeypatch):
    from arrs_desk.ui.training.record_dialog import RecordTrainingDialog

    build_small_pcn(workspace, system_actor, members=(HELEN, BOGDAN, SAM), practices=(ALPHA, BETA))
    page = _page(qtbot, workspace, ui_settings, system_actor)
    assert page.proxy.rowCount() == 3 and page.model.columnCount() == 2 + 11
    table = page.table
    table.setFocus()
    names = [page.proxy.index(r, 0).data() for r in range(3)]
    row = names.index("Sam Okonkwo")
    subjects = [page.matrix.subjects[c - 2].code for c in range(2, 13)]
    column = 2 + subjects.index("resuscitation")
    table.setCurrentIndex(page.proxy.index(0, 0))
    for _ in range(row):
        qtbot.keyClick(table, Qt.Key.Key_Down)
    for _ in range(column):
        qtbot.keyClick(table, Qt.Key.Key_Right)
    cell = table.currentIndex()
    assert cell.data(Qt.ItemDataRole.AccessibleTextRole).startswith("Sam Okonkwo, Resuscitation: Never done")
    assert cell.data() == "Never (L2)"  # a pharmacist is clinical: level 2

    opened = []

    def fill_and_save(dialog):
        opened.append((dialog.subject.currentData().code, dialog.level.currentData()))
        dialog.provider.setText("Resuscitation Council UK")
        dialog.save()
        return QDialog.DialogCode.Accepted
    monkeypatch.setattr(RecordTrainingDialog, "exec", fill_and_save)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert opened == [("resuscitation", 2)]
    def sams_resus():
        sam = next(r for r in page.matrix.rows if r.name == "Sam Okonkwo")
        return sam, sam.cells[column - 2]
    qtbot.waitUntil(lambda: sams_resus()[1].status.in_date, timeout=5000)  # the page refreshed itself
    record = workspace.training.person(system_actor, staff_id=sams_resus()[0].staff_id).records[0]
    assert (record.subject_code, record.level, record.provider) == ("resuscitation", 2, "Resuscitation Council UK")


def test_filters_and_sorting_by_status(qtbot, workspace, system_actor, ui_settings):
    from arrs_desk.services.training import TrainingInput

    pcn = build_small_pcn(workspace, system_actor, members=(HELEN, BOGDAN, SAM), practices=(ALPHA, BETA))
    workspace.training.record(system_actor, data=TrainingInput(pcn.staff_ids["helen"], "fire-safety", 1,
                                                               TODAY - timedelta(days=10)))
    page = _page(qtbot, workspace, ui_settings, system_actor)
    fire = 2 + [s.code for s in page.matrix.subjects].index("fire-safety")
    page.table.sortByColumn(fire, Qt.SortOrder.DescendingOrder)  # in date first
    assert page.proxy.index(0, 0).data() == "Helen Whitfield"
    page.practice.setCurrentIndex(page.practice.findText(BETA.name))
    qtbot.waitUntil(lambda: page.proxy.rowCount() == 1, timeout=5000)
    assert page.proxy.index(0, 0).data() == "Bogdan Popescu"
    assert "Fire" in page.chart.accessibleDescription()
    QApplication.processEvents()


def test_the_assurance_page_opens_a_persons_training_at_the_subject_to_act_on(qtbot, workspace, system_actor,
                                                                                ui_settings):
    from arrs_desk.ui.assurance.assurance_links import link_text, open_evidence

    pcn = build_small_pcn(workspace, system_actor, members=(HELEN, BOGDAN, SAM), practices=(ALPHA, BETA))
    page = _page(qtbot, workspace, ui_settings, system_actor)
    window = page.window()
    window.show_page("Home")

    class Row:
        staff_id = pcn.staff_ids["sam"]
    assert link_text("Training") == "Open their training"
    assert open_evidence(page, workspace, system_actor, Row, "Training")
    assert window.page("Training").isVisible()
    finish_loading(page)  # the matrix is read again in the background; the cursor goes on when it arrives
    current = page.table.currentIndex()
    assert current.data(ROW_ROLE).name == "Sam Okonkwo" and current.column() >= 2


def test_a_completion_date_after_today_is_refused_in_the_fields_own_words(qtbot, ui_settings):
    """Typed after today, the date was passed on as missing and the message read "Enter the date
    the training was completed", the field's own reason lost."""
    from arrs_desk.domain.training import training_subjects
    from arrs_desk.ui.training.record_dialog import RecordTrainingDialog
    from tests.conftest import TODAY
    from tests.ui.test_date_fields import type_into

    dialog = RecordTrainingDialog(actor=None, staff_id=1, name="Sam Okonkwo", subjects=training_subjects().subjects,
                                  subject_code="fire-safety", level=1, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    type_into(qtbot, dialog.completed_on, (TODAY + timedelta(days=1)).strftime("%d/%m/%Y"))
    dialog.save()  # refused before any operation runs: no actor needed
    shown = dialog.errors.text("completed_on")
    assert "Enter the date" not in shown and (TODAY + timedelta(days=1)).strftime("%d/%m/%Y") in shown
    assert dialog.result() != QDialog.DialogCode.Accepted


def test_a_cell_due_soon_names_the_year_it_is_due_in():
    """In December, "by 12/01" left a reader to guess that it meant next January."""
    from datetime import date

    from arrs_desk.domain.training import TrainingState, TrainingStatus
    from arrs_desk.ui.training.model import CELL_WORDS, _text

    state = TrainingState(TrainingStatus.DUE_SOON, 1, date(2026, 1, 13), date(2027, 1, 13), level_done=1)
    assert _text(state) == "by 12/01/2027"
    assert max(map(len, CELL_WORDS)) >= len(_text(state))  # the columns are sized for it


def test_a_completion_recorded_in_error_can_be_removed(qtbot, workspace, system_actor, ui_settings, monkeypatch):
    """Typed with the wrong year, a completion kept the person in date, with no way to take it back."""
    from arrs_desk.services.training import TrainingInput
    from arrs_desk.ui.training.record_dialog import RecordTrainingDialog

    build_small_pcn(workspace, system_actor, members=(HELEN, BOGDAN, SAM), practices=(ALPHA, BETA))
    page = _page(qtbot, workspace, ui_settings, system_actor)
    sam = next(r for r in page.matrix.rows if r.name == "Sam Okonkwo")
    wrong = TODAY - timedelta(days=3)
    workspace.training.record(system_actor, data=TrainingInput(sam.staff_id, "resuscitation", 2, wrong, "RCUK", ""))
    workspace.training.record(system_actor, data=TrainingInput(sam.staff_id, "fire-safety", 1, wrong, "", ""))
    dialog = RecordTrainingDialog(actor=system_actor, staff_id=sam.staff_id, name=sam.name,
                                  subjects=page.matrix.subjects, subject_code="resuscitation", level=2,
                                  today=TODAY, person=workspace.training.person(system_actor, staff_id=sam.staff_id),
                                  parent=page)
    qtbot.addWidget(dialog)
    texts = [dialog.recorded.item(i).text() for i in range(dialog.recorded.count())]
    assert texts == [f"Level 2 · completed {wrong:%d/%m/%Y} · RCUK"]  # this subject's only
    assert dialog.remove_button.isVisibleTo(dialog) and not dialog.remove_button.isEnabled()
    dialog.recorded.setCurrentRow(0)
    questions = answer_confirmations(monkeypatch)
    dialog.remove_button.click()
    assert [dialog.recorded.item(i).text() for i in range(dialog.recorded.count())] == ["Nothing recorded yet"]
    assert [title for title, _text in questions] == ["Remove a training completion"]
    assert "Removed Resuscitation level 2" in dialog.message.text()
    left = workspace.training.person(system_actor, staff_id=sam.staff_id).records
    assert [r.subject_code for r in left] == ["fire-safety"]


def test_a_starter_sees_their_own_training_counted_as_one_person(qtbot, workspace, system_actor, ui_settings):
    """A starter's page is their own row: its summary read "1 people; 100% of required training…"."""
    pcn = build_small_pcn(workspace, system_actor, members=(HELEN, replace(SAM, roles={"staff"})))
    page = _page(qtbot, workspace, ui_settings, pcn.actors["sam"])
    assert page.summary.text().startswith("1 person; ")
