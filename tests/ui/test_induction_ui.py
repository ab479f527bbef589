"""Induction through the real widgets: the starter's page, the manager's overview and checklist
dialog, and the template editor."""

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog
from sqlalchemy import func, select

from arrs_desk.domain.induction import ItemStatus
from arrs_desk.services.actor import Actor
from arrs_desk.store.models import InductionEvidence, InductionTemplate, UserAccount
from tests.support.qt import answer_confirmations, finish_loading


def when_dialog_opens(cls, act, tries: int = 250):
    """Run `act(dialog)` on the first visible dialog of `cls` once it is shown (modal exec)."""
    def poll(left=tries):
        dialog = next((w for w in QApplication.topLevelWidgets() if isinstance(w, cls) and w.isVisible()), None)
        if dialog is not None:
            act(dialog)
        elif left:
            QTimer.singleShot(20, lambda: poll(left - 1))
    QTimer.singleShot(0, poll)


@pytest.fixture
def people(demo_workspace):
    with demo_workspace.db.read() as session:
        users = session.execute(select(UserAccount)).scalars().all()
    return {u.username: Actor(u.id, u.username, u.display_name, frozenset(u.roles), u.staff_id) for u in users}


def page_for(qtbot, workspace, actor, page_class_name):
    """A page as the main window shows it: built, given the workspace and person, refreshed."""
    from arrs_desk.ui.induction import induction_pages

    page = getattr(induction_pages, page_class_name)()
    qtbot.addWidget(page)
    page.set_context(workspace, actor)
    page.resize(1280, 760)
    page.show()
    page.refresh()
    return finish_loading(page)  # a page that reads in the background: until its rows are shown


def overview_row(page, staff_id):
    return next(r for r in page.model.rows() if r.staff_id == staff_id)


def ok(dialog, **texts):
    for name, text in texts.items():
        dialog.field(name).setPlainText(text)
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()


def test_starter_ticks_manager_signs_off_and_returns_and_everything_updates(qtbot, demo_workspace, people):
    from arrs_desk.ui.induction.induction_checklist import ChecklistDialog
    from arrs_desk.ui.common.action_dialog import ItemActionDialog

    zoe, helen = people["zoe.okubo"], people["helen.whitfield"]
    page = page_for(qtbot, demo_workspace, zoe, "MyInductionPage")
    checklist = page.checklist
    assert checklist.title.text() == "My induction" and "Clinical pharmacist" in checklist.subtitle.text()
    todo = [i for i in checklist.view.items if i.can_tick]
    plain = next(i for i in todo if not i.needs_signoff)
    for_signoff = [i for i in todo if i.needs_signoff][:2]
    assert len(for_signoff) == 2
    start = checklist.progress.value()
    done_before = checklist.view.progress.done

    # The starter ticks three items, one with a note; Space opens the tick dialog too.
    assert checklist.select_item(plain.id)
    when_dialog_opens(ItemActionDialog, lambda d: ok(d, note="Walked round with my buddy"))
    qtbot.mouseClick(checklist.tick_button, Qt.MouseButton.LeftButton)
    for entry in for_signoff:
        checklist.select_item(entry.id)
        when_dialog_opens(ItemActionDialog, ok)
        checklist.tick()
    assert checklist.view.progress.done == done_before + 1
    assert checklist.progress.value() >= start
    assert checklist.item_by_key(plain.key).ticked_by == "Zoë Ōkubo"
    assert checklist.item_by_key(plain.key).note == "Walked round with my buddy"
    assert [checklist.item_by_key(e.key).status for e in for_signoff] == [ItemStatus.AWAITING_SIGNOFF] * 2
    assert not checklist.sign_button.isVisible()  # nobody signs off their own items

    # The manager sees the wait in the overview and signs one off, returns the other.
    overview = page_for(qtbot, demo_workspace, helen, "InductionPage")
    row = overview_row(overview, zoe.staff_id)
    awaiting_before, returned_before, percent_before = row.awaiting, row.returned, row.percent
    assert awaiting_before >= 2
    assert overview.tabs.tabText(1).startswith("Waiting for sign-off (")
    assert overview.select_staff(zoe.staff_id)

    def act_in_checklist(dialog):
        widget = dialog.checklist
        widget.select_item(for_signoff[0].id)
        when_dialog_opens(ItemActionDialog, ok)
        qtbot.mouseClick(widget.sign_button, Qt.MouseButton.LeftButton)
        widget.select_item(for_signoff[1].id)
        when_dialog_opens(ItemActionDialog, lambda d: ok(d, comment=""))  # refused: a comment is needed
        seen = {}

        def returned(d):
            seen["first_error"] = d.error.text()
            seen["still_open"] = d.isVisible()
            ok(d, comment="Please add your clinic days to the job plan.")

        def first_try(d):
            ok(d, comment="")
            QTimer.singleShot(0, lambda: returned(d))

        when_dialog_opens(ItemActionDialog, first_try)
        widget.return_item()
        assert "Say what the starter needs" in seen["first_error"] and seen["still_open"]
        dialog.seen = seen
        dialog.accept()

    when_dialog_opens(ChecklistDialog, act_in_checklist)
    overview.open_selected()
    # The overview reads itself again, in the background, once the checklist has changed.
    qtbot.waitUntil(lambda: overview_row(overview, zoe.staff_id).awaiting == awaiting_before - 2)
    row = overview_row(overview, zoe.staff_id)
    assert row.awaiting == awaiting_before - 2
    assert row.returned == returned_before + 1
    assert row.percent >= percent_before

    # Back on the starter's page: the sign-off and the return with its comment are there.
    page.refresh()
    signed = checklist.item_by_key(for_signoff[0].key)
    returned_item = checklist.item_by_key(for_signoff[1].key)
    assert signed.status is ItemStatus.COMPLETE and signed.signed_by == "Helen Whitfield-Amadi"
    assert returned_item.status is ItemStatus.RETURNED and returned_item.can_tick
    checklist.select_item(returned_item.id)
    assert "Please add your clinic days" in checklist.history.text()
    assert checklist.view.progress.done == done_before + 2


def test_not_applicable_needs_a_reason_in_the_dialog(qtbot, demo_workspace, people):
    from arrs_desk.ui.common.action_dialog import ItemActionDialog

    zoe = people["zoe.okubo"]
    page = page_for(qtbot, demo_workspace, zoe, "MyInductionPage")
    entry = next(i for i in page.checklist.view.items if i.can_mark_na)
    page.checklist.select_item(entry.id)
    seen = {}

    def first(d):
        ok(d, reason="n/a")
        seen["error"] = d.error.text()
        seen["open"] = d.isVisible()
        ok(d, reason="Already trained at my last practice in March")

    when_dialog_opens(ItemActionDialog, first)
    page.checklist.mark_not_applicable()
    assert "Say why this item does not apply" in seen["error"] and seen["open"]
    marked = page.checklist.item_by_key(entry.key)
    assert marked.status is ItemStatus.NOT_APPLICABLE and marked.na_reason.startswith("Already trained")
    assert page.checklist.reopen_button.isVisible()


def test_bad_evidence_file_is_refused_with_a_message(qtbot, demo_workspace, people, no_dialogs,
                                                     monkeypatch, tmp_path):
    zoe = people["zoe.okubo"]
    page = page_for(qtbot, demo_workspace, zoe, "MyInductionPage")
    entry = next(i for i in page.checklist.view.items if i.can_attach)
    page.checklist.select_item(entry.id)
    fake = tmp_path / "certificate.pdf"
    fake.write_text("this is not a PDF at all")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(fake), "")))
    page.checklist.attach_evidence()
    assert no_dialogs and "named like a PDF but its contents are not one" in no_dialogs[-1][2]
    with demo_workspace.db.read() as session:
        assert session.execute(select(func.count()).select_from(InductionEvidence)).scalar() == 0

    good = tmp_path / "BLS certificate.pdf"
    good.write_bytes(b"%PDF-1.4\n%%EOF\n")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(good), "")))
    page.checklist.attach_evidence()
    assert [e.original_name for e in page.checklist.item_by_key(entry.key).evidence] == ["BLS certificate.pdf"]
    assert page.checklist.evidence.count() == 1 and page.checklist.open_button.isVisible()


def test_export_from_the_checklist(qtbot, demo_workspace, people, monkeypatch, tmp_path):
    zoe = people["zoe.okubo"]
    page = page_for(qtbot, demo_workspace, zoe, "MyInductionPage")
    messages = []
    page.checklist.status_message.connect(messages.append)
    target = tmp_path / "mine.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    qtbot.mouseClick(page.checklist.export_button, Qt.MouseButton.LeftButton)
    from arrs_desk.ui.common.operation import wait_for_operations

    wait_for_operations()  # the file is written in the background
    text = target.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("Staff member,Role,Section,Item,Due date,Status")
    lines = text.splitlines()[1:]
    assert len(lines) == len(page.checklist.view.items) and all(line.startswith("Zoë Ōkubo,") for line in lines)
    assert messages == [f"Saved {len(lines)} items to {target}"]


def test_overview_filters_sorts_and_shows_status_in_words(qtbot, demo_workspace, people):
    from arrs_desk.ui.induction.induction_pages import OVERDUE, PROGRESS, REGISTRATION, ROW_ROLE, TRAINING

    page = page_for(qtbot, demo_workspace, people["helen.whitfield"], "InductionPage")
    total = page.proxy.rowCount()
    assert total >= 8 and page.templates_button.isVisible()
    page.show_filter.setCurrentIndex(page.show_filter.findData("overdue"))
    rows = [page.proxy.index(r, 0).data(ROW_ROLE) for r in range(page.proxy.rowCount())]
    assert rows and all(r.overdue for r in rows)
    index = page.proxy.index(0, OVERDUE)
    assert index.data().endswith("overdue") and index.data(Qt.ItemDataRole.DecorationRole) is not None
    page.show_filter.setCurrentIndex(page.show_filter.findData("training"))
    rows = [page.proxy.index(r, 0).data(ROW_ROLE) for r in range(page.proxy.rowCount())]
    assert rows and all(r.expired or r.expiring for r in rows)
    assert any(w in page.proxy.index(0, TRAINING).data() for w in ("expired", "expiring"))
    page.show_filter.setCurrentIndex(page.show_filter.findData(None))
    assert page.proxy.rowCount() > total
    assert "Not registered" in {page.proxy.index(r, REGISTRATION).data() for r in range(page.proxy.rowCount())}
    page.show_filter.setCurrentIndex(0)
    page.table.sortByColumn(PROGRESS, Qt.SortOrder.AscendingOrder)
    percents = [page.proxy.index(r, 0).data(ROW_ROLE).percent for r in range(page.proxy.rowCount())]
    assert percents == sorted(percents)
    page.search.setText("zoe")  # typing is filtered when the event loop is next idle (FilterBar)
    qtbot.waitUntil(lambda: [page.proxy.index(r, 0).data(ROW_ROLE).display_name
                             for r in range(page.proxy.rowCount())] == ["Zoë Ōkubo"])


def test_main_window_lists_the_induction_pages_by_role(qtbot, demo_workspace, people, system_actor, ui_settings):
    from arrs_desk.ui.induction.induction_pages import InductionPage, MyInductionPage
    from arrs_desk.ui.shell.main_window import MainWindow

    def window(actor):
        w = MainWindow(settings=ui_settings, workspace=demo_workspace, actor=actor)
        qtbot.addWidget(w)
        w.show()
        return w, [w.nav.item(i).text() for i in range(w.nav.count()) if not w.nav.item(i).isHidden()]

    starter, listed = window(people["zoe.okubo"])
    assert "My induction" in listed and "Induction" not in listed
    starter.show_page("My induction")
    page = starter.page("My induction")
    assert isinstance(page, MyInductionPage) and page.checklist.view.staff_id == people["zoe.okubo"].staff_id
    manager, listed = window(people["practice.manager"])
    assert {"My induction", "Induction"} <= set(listed)
    manager.show_page("Induction")
    assert isinstance(manager.page("Induction"), InductionPage)
    assert not manager.page("Induction").templates_button.isVisible()
    system, listed = window(system_actor)
    system.show_page("My induction")
    assert system.page("My induction").stack.currentWidget() is system.page("My induction").unlinked


def test_template_edit_saves_a_version_and_leaves_existing_checklists_alone(qtbot, demo_workspace, people,
                                                                           no_dialogs):
    from arrs_desk.ui.induction.template_editor import TemplateEditorDialog

    helen, zoe = people["helen.whitfield"], people["zoe.okubo"]
    before = demo_workspace.induction.checklist(helen, staff_id=zoe.staff_id).items
    dialog = TemplateEditorDialog(demo_workspace, helen)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.template_choice.setCurrentIndex(dialog.template_choice.findData("ROLE-CPH"))
    assert dialog.draft.code == "ROLE-CPH"
    rows = len(dialog.draft.items)

    # A new item with a bad offset and no title: marked in place, nothing written.
    dialog.add_item()
    assert dialog.current_row() == 1 and len(dialog.draft.items) == rows + 1
    qtbot.keyClicks(dialog.f_due, "3.5")
    with demo_workspace.db.read() as session:
        versions = session.execute(select(func.count()).select_from(InductionTemplate)).scalar()
    dialog.save()
    assert "Enter a title" in dialog.error_text("title")
    assert "not a whole number of days" in dialog.error_text("due_offset_days")
    assert "Nothing has been saved" in dialog.summary.text()
    with demo_workspace.db.read() as session:
        assert session.execute(select(func.count()).select_from(InductionTemplate)).scalar() == versions

    # Fixed, plus an edit, a move and a retirement: saved as version 2.
    qtbot.keyClicks(dialog.f_title, "Meet the medicines optimisation team")
    dialog.f_due.setText("10")
    dialog.f_validity.setText("12")
    dialog.table.setCurrentCell(0, 1)
    dialog.f_title.setText("Scope of practice agreed (PCN wording)")
    dialog.move(1)
    dialog.table.setCurrentCell(rows, 1)
    dialog.toggle_retired()
    dialog.note.setText("Local wording")
    dialog.save()
    assert dialog.summary.text().startswith("✓ Saved version 2"), dialog.summary.text()
    assert "Version 2, saved by Helen Whitfield-Amadi" in dialog.version_label.text()
    assert not dialog.dirty
    history = demo_workspace.induction.templates.history(helen, code="ROLE-CPH")
    assert [h.version for h in history] == [2, 1]
    assert demo_workspace.induction.checklist(helen, staff_id=zoe.staff_id).items == before


def test_template_editor_imports_a_file_or_explains_what_is_wrong(qtbot, demo_workspace, people, no_dialogs,
                                                                  monkeypatch, tmp_path):
    from arrs_desk.ui.induction.template_editor import TemplateEditorDialog

    dialog = TemplateEditorDialog(demo_workspace, people["helen.whitfield"])
    qtbot.addWidget(dialog)
    bad = tmp_path / "broken.json"
    bad.write_text("{ not json", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(bad), "")))
    dialog.import_file()
    assert no_dialogs and "broken.json is not valid JSON" in no_dialogs[-1][2]
    assert not dialog.dirty
    source = Path(__file__).resolve().parents[2] / "resources" / "induction" / "roles" / "PARA.json"
    good = tmp_path / "para.json"
    good.write_text(source.read_text(encoding="utf-8").replace("Lone working", "Lone working (revised)", 1),
                    encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(good), "")))
    dialog.import_file()
    assert dialog.draft.code == "ROLE-PARA" and dialog.dirty
    assert "Loaded from" in dialog.version_label.text()
    assert demo_workspace.induction.templates.history(people["helen.whitfield"], code="ROLE-PARA")[0].version == 1
    dialog.dirty = False
    dialog.reject()
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_unsaved_template_changes_are_kept_unless_the_user_says_to_discard_them(qtbot, demo_workspace, people,
                                                                               no_dialogs, monkeypatch):
    from arrs_desk.ui.induction.template_editor import TemplateEditorDialog

    dialog = TemplateEditorDialog(demo_workspace, people["helen.whitfield"])
    qtbot.addWidget(dialog)
    dialog.show()
    first, other = dialog.template_choice.itemData(0), dialog.template_choice.findData("ROLE-CPH")
    assert other > 0
    dialog.dirty = True
    questions = answer_confirmations(monkeypatch, "No")
    dialog.template_choice.setCurrentIndex(other)
    dialog.reject()
    assert questions == [("Discard changes?", "This template has changes that are not saved. Discard them?"),
                         ("Discard changes?", "This template has changes that are not saved. Close without saving?")]
    assert dialog.template_choice.currentIndex() == 0 and dialog.draft.code == first and dialog.dirty
    assert dialog.isVisible(), "No keeps the editor open"
    questions = answer_confirmations(monkeypatch, "Yes")
    dialog.template_choice.setCurrentIndex(other)
    assert len(questions) == 1 and dialog.draft.code == "ROLE-CPH" and not dialog.dirty
    dialog.dirty = True
    dialog.reject()
    assert len(questions) == 2 and not dialog.isVisible()


def test_overview_model_without_a_window(demo_workspace, system_actor):
    from arrs_desk.ui.induction.induction_pages import AWAITING, HEADERS, NAME, PROGRESS, OverviewModel

    model = OverviewModel()
    model.set_rows(demo_workspace.induction.overview(system_actor))
    assert model.columnCount() == len(HEADERS)
    index = next(model.index(r, PROGRESS) for r in range(model.rowCount())
                 if model.index(r, NAME).data() == "Zoë Ōkubo")
    assert index.data().endswith("%")
    assert "of" in index.data(Qt.ItemDataRole.AccessibleTextRole)
    assert model.index(index.row(), AWAITING).data() in ("–",) or "waiting" in model.index(index.row(), AWAITING).data()


def test_role_change_offers_the_new_roles_items_in_the_checklist(qtbot, demo_workspace, people, system_actor):
    from arrs_desk.services.staff import StaffInput
    from arrs_desk.ui.induction.induction_checklist import ChecklistWidget
    from arrs_desk.ui.common.action_dialog import ItemActionDialog

    helen, zoe = people["helen.whitfield"], people["zoe.okubo"]
    record = demo_workspace.staff.get(system_actor, staff_id=zoe.staff_id)
    demo_workspace.staff.update(system_actor, staff_id=zoe.staff_id, data=StaffInput(**{
        **record.data.__dict__, "role_code": "PTECH", "register_code": "GPHC-TECHNICIAN",
        "registration_number": "5012345"}), expected_version=record.version)
    widget = ChecklistWidget()
    qtbot.addWidget(widget)
    widget.set_context(demo_workspace, helen)
    widget.load(zoe.staff_id)
    widget.show()
    done_before = widget.view.progress.done
    assert widget.banner.isVisible() and "Role changed to Pharmacy technician" in widget.banner_text.text()
    assert "What is already done stays done" in widget.banner_text.text()
    when_dialog_opens(ItemActionDialog, lambda d: d.buttons.button(d.buttons.StandardButton.Ok).click())
    qtbot.mouseClick(widget.banner_button, Qt.MouseButton.LeftButton)
    assert not widget.banner.isVisible()
    assert widget.view.progress.done == done_before
    assert any(i.reinduction and i.key.startswith("ptech-") for i in widget.view.items)


def test_no_item_actions_show_before_the_checklist_has_loaded(qtbot):
    """While a checklist is being read the detail panel offered every action, Sign off, Return and
    Record signature on paper included, to a starter on My induction too: none shows before an item."""
    from arrs_desk.ui.induction.induction_checklist import ChecklistWidget

    widget = ChecklistWidget(show_person=False)
    qtbot.addWidget(widget)
    widget.show()
    shown = [b.text() for b in widget.action_buttons + [widget.attach_button, widget.open_button,
                                                         widget.remove_button] if b.isVisible()]
    assert shown == []


def test_the_tick_note_asks_a_manager_for_the_record_not_for_their_manager(qtbot, demo_workspace, people):
    """A line manager ticking an item on their starter's checklist was asked for "Anything your
    manager should know"; the starter still is."""
    from arrs_desk.ui.common.action_dialog import ItemActionDialog
    from arrs_desk.ui.induction.induction_checklist import ChecklistDialog

    zoe, helen = people["zoe.okubo"], people["helen.whitfield"]
    placeholders = {}

    def tick_first(who, checklist):
        entry = next(i for i in checklist.view.items if i.can_tick)
        checklist.select_item(entry.id)

        def note(dialog):
            placeholders[who] = dialog.field("note").placeholderText()
            dialog.reject()

        when_dialog_opens(ItemActionDialog, note)
        checklist.tick()

    tick_first("starter", page_for(qtbot, demo_workspace, zoe, "MyInductionPage").checklist)
    dialog = ChecklistDialog(demo_workspace, helen, zoe.staff_id)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.checklist.view is not None)
    tick_first("manager", dialog.checklist)
    assert placeholders == {"starter": "Anything your manager should know",
                            "manager": "Anything worth keeping with this item"}


def test_an_items_buttons_sit_two_to_a_row_without_holes(qtbot, demo_workspace, people):
    """Each button had a fixed cell: a hidden one left a hole ("Untick" alone on the right with
    "Set validity…" below it on the left) and the buttons jumped about from one item to the next."""
    from arrs_desk.ui.induction.induction_checklist import ChecklistWidget

    helen, zoe = people["helen.whitfield"], people["zoe.okubo"]
    widget = ChecklistWidget()
    qtbot.addWidget(widget)
    widget.set_context(demo_workspace, helen)
    widget.resize(1200, 700)
    widget.show()
    widget.load(zoe.staff_id)
    finish_loading(widget)
    seen = set()
    for entry in widget.view.items:
        widget.select_item(entry.id)
        widget.details_panel.layout().activate()
        shown = [b for b in widget.action_buttons if not b.isHidden()]
        seen.add(tuple(b.text() for b in shown))
        where = [(b.y(), b.x()) for b in shown]
        assert where == sorted(where), (entry.title, [b.text() for b in shown])  # in their order, row by row
        left, right = where[0::2], where[1::2]
        assert len({x for _y, x in left}) <= 1 and len({x for _y, x in right}) <= 1  # two columns, no holes
        assert all(r[0] == l[0] and r[1] > l[1] for l, r in zip(left, right))  # both cells of each row filled
        assert len({y for y, _x in where}) == (len(shown) + 1) // 2
    assert any(texts and texts[0] != "Tick as done…" for texts in seen)  # items whose first button is not the first cell's


@pytest.mark.parametrize("pc_zone", ["America/New_York", "Asia/Tokyo"])
@pytest.mark.parametrize("ticked_utc, done_on, shown", [
    # 00:30 UTC on 31/10/2027 is 01:30 in England (summer time ends at 02:00 that morning), still
    # the 30th in New York: done on the day ticked, so no "(done ...)" after the time.
    ("2027-10-31T00:30:00+00:00", "2027-10-31", "Ticked by Zoë Ōkubo on 31/10/2027 01:30"),
    # Ticked at 00:30 on 31/10 in England, done the day before: said, on any PC.
    ("2027-10-31T00:30:00+00:00", "2027-10-30", "Ticked by Zoë Ōkubo on 31/10/2027 01:30 (done 30/10/2027)"),
    # 23:30 UTC on 27/03/2027 is 23:30 in England, already the 28th in Tokyo.
    ("2027-03-27T23:30:00+00:00", "2027-03-27", "Ticked by Zoë Ōkubo on 27/03/2027 23:30"),
    ("2027-03-28T00:30:00+00:00", "2027-03-27", "Ticked by Zoë Ōkubo on 28/03/2027 00:30 (done 27/03/2027)"),
])
def test_the_day_an_item_was_done_is_said_by_englands_calendar_whatever_the_pcs_zone(
        qtbot, demo_workspace, people, monkeypatch, pc_zone, ticked_utc, done_on, shown):
    """The "(done dd/mm/yyyy)" after a tick's time was shown or left out by the PC's own calendar:
    on a PC set to New York an item done on 30/10 and ticked at 01:30 on 31/10 in England read as
    ticked on the day it was done, and the day it was done went unsaid."""
    import time
    from dataclasses import replace
    from datetime import date, datetime

    zoe = people["zoe.okubo"]
    checklist = page_for(qtbot, demo_workspace, zoe, "MyInductionPage").checklist
    entry = replace(checklist.view.items[0], ticked_by="Zoë Ōkubo", note="",
                    ticked_at=datetime.fromisoformat(ticked_utc), completed_on=date.fromisoformat(done_on))
    monkeypatch.setenv("TZ", pc_zone)
    time.tzset()
    try:
        checklist._show_item(entry)
        ticked_line = checklist.history.text().splitlines()[0]
    finally:
        monkeypatch.undo()
        time.tzset()
    assert ticked_line == shown
