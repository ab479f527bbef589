"""Reviews through the real widgets: the due list and its filters, recording a review with
objectives and a development plan, the person's own self-assessment and signature, the impact
log, and appraisal packs saved, printed and made in a batch with a worker thread."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog
from sqlalchemy import select

from arrs_desk.services.actor import Actor
from arrs_desk.store.models import AuditEntry, UserAccount
from arrs_desk.ui.reviews.reviews_model import STATUS
from tests.review_support import make_review_team, objective, review_input
from tests.support.qt import answer_confirmations, double_click, finish_loading, open_page, when_shown


def pdf_text(path) -> str:
    return unicodedata.normalize("NFKC", "\n".join(p.extract_text() for p in PdfReader(str(path)).pages))


@pytest.fixture
def team(workspace, system_actor):
    return make_review_team(workspace, system_actor)


def reviews_page(qtbot, workspace, actor):
    from arrs_desk.ui.reviews.reviews_page import ReviewsPage

    return finish_loading(open_page(qtbot, ReviewsPage(), workspace, actor, (1280, 760)))


def person_dialog(qtbot, workspace, actor, staff_id):
    from arrs_desk.ui.reviews.review_person import PersonReviewsDialog

    dialog = PersonReviewsDialog(workspace, actor, staff_id)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def save(dialog) -> None:
    buttons = dialog.ui.buttons if hasattr(dialog, "ui") else dialog.buttons
    buttons.button(QDialogButtonBox.StandardButton.Save).click()


def test_the_demo_pcns_reviews_page_lists_who_is_due_and_opens_a_person(qtbot, demo_workspace, no_dialogs):
    from arrs_desk.ui.reviews.review_person import PersonReviewsDialog

    with demo_workspace.db.read() as session:
        helen = session.execute(select(UserAccount).where(UserAccount.username == "helen.whitfield")).scalar_one()
    actor = Actor(helen.id, helen.username, helen.display_name, frozenset(helen.roles), helen.staff_id)
    page = reviews_page(qtbot, demo_workspace, actor)
    rows = page.proxy.shown_rows()
    assert rows and all(r.arrs for r in rows)
    statuses = {str(r.status) for r in rows}
    assert {"overdue", "booked", "up-to-date"} <= statuses
    assert "need a review soon or now" in page.summary.text()
    page.status_filter.setCurrentIndex(page.status_filter.findData("overdue"))
    assert page.proxy.rowCount() and all(str(r.status) == "overdue" for r in page.proxy.shown_rows())
    assert page.proxy.index(0, STATUS).data().startswith("Overdue by ")
    page.tabs.setCurrentIndex(1)
    assert page.held_model.rowCount() > 10
    assert {r.state_label for r in page.held_model.rows()} >= {"Booked", "Signed by both"}

    first = page.proxy.shown_rows()[0]
    seen = {}

    def look(d):
        seen.update(reviews=[r.id for r in d.reviews.rows()], due=d.due.text(),
                    detail=d.detail.id if d.detail else None, detail_objectives=d.detail.objectives if d.detail else (),
                    objectives=[o.description for o in d.objectives.rows()])

    opened = when_shown(PersonReviewsDialog, look)
    double_click(qtbot, page.table, page.index_for(first.staff_id))
    assert len(opened) == 1 and opened[0].person.staff_id == first.staff_id
    # The person's reviews are listed with the first one open, and the objectives table shows its objectives.
    assert seen["reviews"] == [r.id for r in opened[0].person.reviews] and seen["reviews"]
    assert seen["detail"] == seen["reviews"][0]
    assert seen["objectives"] == [o.description for o in seen["detail_objectives"]]
    assert seen["due"].startswith("<b>Next: ") and "overdue" in seen["due"]


def test_a_manager_records_a_review_with_an_objective_and_a_plan_item(qtbot, workspace, team, no_dialogs):
    from arrs_desk.ui.reviews.review_editor import ObjectiveDialog, PdpDialog, ReviewEditor

    page = reviews_page(qtbot, workspace, team.helen)
    assert {r.display_name for r in page.proxy.shown_rows()} == {"Zoë Ōkubo", "محمد الحسن"}
    dialog = person_dialog(qtbot, workspace, team.helen, team.zoe_id)
    assert "Annual appraisal – overdue" in dialog.due.text()
    assert dialog.new_button.isEnabled() and not dialog.edit_button.isEnabled()

    def fill_objective(d):
        d.description.setPlainText("Run a weekly falls prevention group")
        d.measure.setPlainText("40 people attend by June")
        d.due.setDate(QDate(2027, 6, 30))
        d.status.setCurrentIndex(d.status.findData("in-progress"))
        d.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    def fill_plan(d):
        d.need.setPlainText("Motivational interviewing")
        d.action.setPlainText("Two-day course")
        d.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    def fill_review(editor):
        ui = editor.ui
        assert not ui.probation_month.isVisible()
        ui.meeting_date.setDate(QDate(2026, 11, 20))
        assert ui.period_start.date() == QDate(2025, 11, 21)  # a year up to the meeting
        ui.appraiser.setCurrentIndex(ui.appraiser.findData(f"staff:{team.gp_id}"))
        qtbot.keyClicks(ui.appraiser_summary, "Discussed the falls group and workload.")
        ui.outcome.setCurrentIndex(ui.outcome.findData("agreed"))
        ui.tabs.setCurrentIndex(1)
        when_shown(ObjectiveDialog, fill_objective)
        ui.add_objective.click()
        when_shown(PdpDialog, fill_plan)
        ui.add_pdp.click()
        assert editor.objectives.rowCount() == 1 and editor.pdp.rowCount() == 1
        save(editor)

    saved = when_shown(ReviewEditor, fill_review)
    dialog.new_review()
    assert saved and saved[0].saved is not None
    assert dialog.reviews.rowCount() == 1 and dialog.changed
    assert [o.description for o in dialog.objectives.rows()] == ["Run a weekly falls prevention group"]
    assert dialog.pdp.rows()[0].need == "Motivational interviewing"
    assert "Discussed the falls group and workload." in dialog.summary.toPlainText()
    assert dialog.edit_button.isEnabled() and not dialog.sign_button.isEnabled()  # Helen is not the appraiser


def test_problems_show_beside_their_fields_and_nothing_is_saved(qtbot, workspace, team, no_dialogs):
    from arrs_desk.ui.reviews.review_editor import ReviewEditor

    choices = workspace.reviews.form_choices(team.helen, staff_id=team.zoe_id)
    editor = ReviewEditor(workspace, team.helen, team.zoe_id, choices)
    qtbot.addWidget(editor)
    editor.show()
    editor.ui.outcome.setCurrentIndex(editor.ui.outcome.findData("follow-up"))
    save(editor)
    assert editor.saved is None and editor.isVisible()
    assert "Choose the appraiser" in editor.errors.text("appraiser")
    assert "Say what follow-up is needed" in editor.errors.text("outcome_note")
    assert "2 problems" in editor.ui.summary_error.text()
    assert workspace.reviews.person(team.helen, staff_id=team.zoe_id).reviews == ()


def test_the_person_writes_their_self_assessment_and_both_sign(qtbot, workspace, team, no_dialogs):
    from arrs_desk.ui.reviews.review_dialogs import SelfAssessmentDialog, SignDialog

    workspace.reviews.create_review(team.helen, data=review_input(team, outcome="agreed"))
    mine = person_dialog(qtbot, workspace, team.zoe, team.zoe_id)
    assert mine.self_button.isVisible() and mine.self_button.isEnabled()
    assert not mine.new_button.isEnabled() and not mine.edit_button.isEnabled()

    def write(d):
        d.self_assessment.setPlainText("I ran the falls group — 44 people came.")
        d.reflections.setPlainText("I should delegate more.")
        save(d)

    when_shown(SelfAssessmentDialog, write)
    mine.write_self_assessment()
    assert "44 people came" in mine.summary.toPlainText()
    when_shown(SignDialog, lambda d: (qtbot.keyClicks(d.comment, "A fair record"), save(d)))
    mine.sign()
    assert "Appraisee: Zoë Ōkubo (signed" in mine.summary.toPlainText()
    assert not mine.sign_button.isEnabled()

    theirs = person_dialog(qtbot, workspace, team.gp, team.zoe_id)
    assert theirs.sign_button.isEnabled()
    when_shown(SignDialog, save)
    theirs.sign()
    assert theirs.detail.locked and not theirs.edit_button.isEnabled()
    assert "Signed by both" in theirs.summary.toPlainText()


def test_the_impact_log_is_kept_from_the_persons_page(qtbot, workspace, team, no_dialogs, monkeypatch):
    from arrs_desk.ui.reviews.review_dialogs import ImpactDialog

    dialog = person_dialog(qtbot, workspace, team.zoe, team.zoe_id)

    def fill(d):
        d.kind.setCurrentIndex(d.kind.findData("process-measure"))
        assert "referrals handled" in d.kind_hint.text()
        qtbot.keyClicks(d.title_edit, "Referrals handled")
        save(d)  # no measure or value yet: both are asked for
        assert d.errors.text("measure") and d.errors.text("value") and d.isVisible()
        qtbot.keyClicks(d.measure, "Referrals in the year")
        qtbot.keyClicks(d.value, "212")
        save(d)

    when_shown(ImpactDialog, fill)
    dialog.add_impact()
    assert [(r.title, r.value) for r in dialog.impact.rows()] == [("Referrals handled", "212")]
    assert dialog.tabs.currentIndex() == 1
    # Removed only once the person says Yes to removing it.
    dialog.impact_table.selectRow(0)
    questions = answer_confirmations(monkeypatch, "No")
    dialog.delete_impact()
    [(title, text)] = questions
    assert title == "Remove impact example" and "“Referrals handled”" in text
    assert len(dialog.impact.rows()) == 1
    answer_confirmations(monkeypatch, "Yes")
    dialog.delete_impact()
    assert dialog.impact.rows() == []


def test_a_pack_is_saved_as_pdf_from_a_worker_and_audited(qtbot, workspace, team, no_dialogs, monkeypatch, tmp_path):
    from PySide6.QtGui import QDesktopServices

    from arrs_desk.ui.reviews.appraisal_pack_dialogs import PackDialog

    workspace.reviews.create_review(team.helen, data=review_input(team, objectives=[objective("Lead the PCN audit")]))
    target = tmp_path / "zoe pack"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "PDF")))
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url.toLocalFile()) or True))
    dialog = PackDialog(workspace, team.helen, team.zoe_id, "Zoë Ōkubo")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.saved_path is not None, timeout=15000)
    dialog.wait()
    assert dialog.saved_path == Path(f"{target}.pdf") and opened == [str(dialog.saved_path)]
    assert "Lead the PCN audit" in pdf_text(dialog.saved_path)
    assert str(dialog.saved_path) in dialog.status.text()
    with workspace.db.read() as session:
        assert session.execute(select(AuditEntry.summary).where(AuditEntry.action == "print")).scalar_one().startswith(
            "Saved the appraisal pack of Zoë Ōkubo")


# Run in its own process: the bug this guards against aborts the interpreter (glibc's
# "malloc_consolidate(): unaligned fastbin chunk detected"), which would end the whole test run.
DROP_DIALOG_AFTER_SAVE = r"""
import sys, time
from datetime import date
from pathlib import Path
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QFileDialog
from arrs_desk.services.actor import SYSTEM
from arrs_desk.services.workspace import Workspace
from arrs_desk.ui.reviews.appraisal_pack_dialogs import PackDialog
from tests.review_support import make_review_team, review_input

app = QApplication([])
folder = Path(sys.argv[1])
QFileDialog.getSaveFileName = staticmethod(lambda *a, **k: (str(folder / "pack"), "PDF"))
QDesktopServices.openUrl = staticmethod(lambda url: True)
from arrs_desk.clock import FixedClock
from tests.conftest import NOW
workspace = Workspace.open(folder / "arrs.sqlite3", FixedClock(NOW))
team = make_review_team(workspace, SYSTEM)
workspace.reviews.create_review(team.helen, data=review_input(team))
dialog = PackDialog(workspace, team.helen, team.zoe_id, "Zoe")
dialog.show()
dialog.save_button.click()
deadline = time.monotonic() + 60
while dialog.saved_path is None and time.monotonic() < deadline:
    app.processEvents()
dialog.wait()
saved = dialog.saved_path
del dialog  # only the worker's callbacks refer to the dialog now, as when a caller returns
for _ in range(20):
    app.processEvents()  # Qt's pending deletions run here
workspace.close()
print("saved", saved.name)
"""


def test_a_pack_dialog_let_go_after_its_save_is_freed_without_a_crash(tmp_path):
    """The suite used to abort here: the worker thread was deleted with deleteLater, which freed
    the callbacks connected to it; they held the last reference to the (parentless) dialog, so
    Python deleted the dialog, and with it the thread a second time, inside the thread's own
    destructor. Worker threads now stay the dialog's children until the dialog goes."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=os.pathsep.join(
        [str(root / "src"), str(root), os.environ.get("PYTHONPATH", "")]))
    run = subprocess.run([sys.executable, "-X", "faulthandler", "-c", DROP_DIALOG_AFTER_SAVE, str(tmp_path)], cwd=root,
                         env=env, capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.strip() == "saved pack.pdf"


def test_a_pack_prints_through_the_print_dialog(qtbot, workspace, team, no_dialogs, monkeypatch, tmp_path):
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    from arrs_desk.ui.reviews.appraisal_pack_dialogs import PackDialog
    from arrs_desk.ui.reviews.pack_printing import a4_printer

    workspace.reviews.create_review(team.helen, data=review_input(team, objectives=[objective("Lead the PCN audit")]))
    output = tmp_path / "printed.pdf"

    def printer_to_file():
        printer = a4_printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(output))
        return printer

    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    dialog = PackDialog(workspace, team.gp, team.zoe_id, "Zoë Ōkubo")
    qtbot.addWidget(dialog)
    monkeypatch.setattr(dialog, "make_printer", printer_to_file)
    dialog.print_button.click()
    assert dialog.printed_pages >= 5
    pages = PdfReader(str(output)).pages
    assert len(pages) == dialog.printed_pages
    # Qt's PDF output separates words with tabs and uses typographic ligatures (ﬁ, ﬀ).
    texts = [" ".join(unicodedata.normalize("NFKC", p.extract_text()).split()) for p in pages]
    for number, text in enumerate(texts, start=1):
        assert "Zoë Ōkubo" in text and "Confidential - staff record" in text
        assert f"Page {number} of {len(pages)}" in text and "Printed 24/11/2026" in text
    everything = " ".join(texts)
    assert "1. Profile" in everything and "10. Signatures" in everything and "Lead the PCN audit" in everything
    with workspace.db.read() as session:
        entry = session.execute(select(AuditEntry).where(AuditEntry.action == "print")).scalar_one()
    assert entry.user_id == team.gp.user_id and entry.summary.endswith(f"on {output}")


def test_a_batch_runs_in_a_worker_with_progress_and_can_be_cancelled(qtbot, workspace, team, no_dialogs, tmp_path,
                                                                     monkeypatch):
    from arrs_desk.ui.reviews.appraisal_pack_dialogs import BatchPackDialog

    people = [(team.zoe_id, "Zoë Ōkubo"), (team.newbie_id, "محمد الحسن")]
    dialog = BatchPackDialog(workspace, team.helen, people)
    qtbot.addWidget(dialog)
    dialog.folder.setText(str(tmp_path / "all"))
    dialog.start()
    assert dialog.progress is not None and dialog.progress.maximum() == 2
    qtbot.waitUntil(lambda: dialog.worker is None, timeout=30000)
    assert len(dialog.result.saved) == 2 and not dialog.result.cancelled
    assert sorted(p.name for p in (tmp_path / "all").glob("*.pdf")) == sorted(p.name for p in dialog.result.saved)
    assert no_dialogs[-1][0] == "information" and "2 packs were saved" in no_dialogs[-1][2]

    from arrs_desk.reports import appraisal_pack

    original = appraisal_pack.build_appraisal_pack

    def first_then_cancel(*args, **kwargs):
        made = original(*args, **kwargs)
        dialog.worker.cancel()  # as the Cancel button does, while the worker is busy
        return made

    monkeypatch.setattr(appraisal_pack, "build_appraisal_pack", first_then_cancel)
    dialog.folder.setText(str(tmp_path / "cancelled"))
    dialog.start()
    qtbot.waitUntil(lambda: dialog.worker is None, timeout=30000)
    assert dialog.result.cancelled and len(dialog.result.saved) == 1
    assert len(list((tmp_path / "cancelled").glob("*.pdf"))) == 1
    assert "You cancelled" in no_dialogs[-1][2]


def test_a_new_reviews_objectives_tab_shows_what_carry_forward_will_bring(qtbot, demo_workspace, system_actor):
    """The Objectives tab of a new review was empty while "Carry forward" was ticked: nobody could
    see which of the previous review's objectives the save would copy in."""
    from arrs_desk.ui.reviews.review_editor import ReviewEditor

    for row in demo_workspace.reviews.overview(system_actor, held=False).due_rows:
        choices = demo_workspace.reviews.form_choices(system_actor, staff_id=row.staff_id, review_id=None)
        if choices.previous_open:
            break
    editor = ReviewEditor(demo_workspace, system_actor, row.staff_id, choices)
    qtbot.addWidget(editor)
    editor.show()
    editor.ui.tabs.setCurrentIndex(1)
    assert editor.ui.carry_forward.isChecked() and editor.carried_view.isVisible()
    shown = [editor.carried.index(r, 0).data(Qt.ItemDataRole.ToolTipRole) for r in range(editor.carried.rowCount())]
    assert shown == [o.description for o in choices.previous_open]
    assert editor.objectives.rowCount() == 0  # a preview: the save copies them, linked to the originals
    editor.ui.carry_forward.setChecked(False)
    assert not editor.carried_view.isVisible() and not editor.carried_heading.isVisible()
