"""The staff editor's Title and Employee number fields: offered, loaded, saved, and their problems
shown under them."""

from __future__ import annotations

from dataclasses import replace

from arrs_desk.ui.staff.staff_editor import StaffEditor
from tests.ui.test_accessibility import unnamed_controls


def a_person(workspace, actor):
    return next(r for r in workspace.staff.list_rows(actor) if r.status == "active")


def test_a_title_is_chosen_or_typed_and_saved_apart_from_the_name(qtbot, demo_workspace, system_actor, no_dialogs):
    row = a_person(demo_workspace, system_actor)
    editor = StaffEditor(demo_workspace, system_actor, demo_workspace.staff.get(system_actor, staff_id=row.id))
    qtbot.addWidget(editor)
    editor.show()
    titles = [editor.ui.title.itemText(i) for i in range(editor.ui.title.count())]
    assert titles == ["", "Dr", "Mr", "Mrs", "Ms", "Miss", "Mx", "Prof"]
    assert editor.ui.title_label.buddy() is editor.ui.title and unnamed_controls(editor) == []
    editor.ui.title.setCurrentText("dr.")
    editor.ui.employee_number.setText(" 004211 ")
    editor.save()
    saved = demo_workspace.staff.get(system_actor, staff_id=row.id)
    assert (saved.data.title, saved.data.employee_number) == ("Dr", "004211")
    assert saved.display_name == row.display_name  # lists keep the name as it was
    again = StaffEditor(demo_workspace, system_actor, saved)
    qtbot.addWidget(again)
    assert (again.ui.title.currentText(), again.ui.employee_number.text()) == ("Dr", "004211")
    assert no_dialogs == []


def test_a_wrong_title_or_a_taken_employee_number_is_shown_under_its_field(qtbot, demo_workspace, system_actor,
                                                                           no_dialogs):
    records = [demo_workspace.staff.get(system_actor, staff_id=r.id) for r in demo_workspace.staff.list_rows(system_actor)]
    record, other = next((a, b) for a in records for b in records
                         if a.id != b.id and a.data.employer_id == b.data.employer_id)
    demo_workspace.staff.update(system_actor, staff_id=record.id, data=replace(record.data, employee_number="E1"), expected_version=record.version)
    editor = StaffEditor(demo_workspace, system_actor, other)
    qtbot.addWidget(editor)
    editor.show()
    editor.ui.title.setCurrentText("Band 7")
    editor.ui.employee_number.setText("E1")
    editor.save()
    assert "is not a title" in editor.error_text("title")
    assert "has already given employee number E1" in editor.error_text("employee_number")
    assert editor.saved_record is None
    assert demo_workspace.staff.get(system_actor, staff_id=other.id).version == other.version


def test_a_line_manager_typed_who_is_not_on_the_list_is_refused_not_replaced(qtbot, demo_workspace, system_actor,
                                                                            no_dialogs):
    """Save once kept the manager chosen before without a word."""
    record = next(demo_workspace.staff.get(system_actor, staff_id=r.id) for r in demo_workspace.staff.list_rows(system_actor)
                  if r.line_manager)
    editor = StaffEditor(demo_workspace, system_actor, record)
    qtbot.addWidget(editor)
    editor.show()
    editor.ui.line_manager_id.setCurrentText("Nobody Byname")
    editor.save()
    assert "Nobody on the list is “Nobody Byname”" in editor.error_text("line_manager_id")
    assert editor.saved_record is None
    assert demo_workspace.staff.get(system_actor, staff_id=record.id).version == record.version
    box = editor.ui.line_manager_id
    box.setCurrentIndex(box.findData(record.data.line_manager_id))  # chosen from the list: saved
    editor.save()
    assert editor.saved_record is not None and editor.saved_record.data.line_manager_id == record.data.line_manager_id
