"""Saving the staff editor changes only what was changed in it: a value the record holds that the
editor's fields cannot show (or no longer offer) is kept, not quietly replaced on Save."""

from __future__ import annotations

from dataclasses import replace

from arrs_desk.ui.staff.staff_editor import StaffEditor


def a_person(workspace, actor):
    return next(r for r in workspace.staff.list_rows(actor) if r.status == "active")


def saved_after_email_edit(qtbot, workspace, actor, staff_id):
    """Open the record, change only its email, save, and read it back."""
    editor = StaffEditor(workspace, actor, workspace.staff.get(actor, staff_id=staff_id))
    qtbot.addWidget(editor)
    editor.show()
    editor.ui.email.setText("a.new.address@nhs.net")
    editor.save()
    assert editor.saved_record is not None, editor.ui.summary_error.text()
    return workspace.staff.get(actor, staff_id=staff_id)


def test_half_time_hours_of_18_75_are_kept_when_another_field_is_saved(qtbot, demo_workspace, system_actor, no_dialogs):
    """0.5 WTE is 18.75 hours; the editor showed one decimal place and saved 18.8."""
    record = demo_workspace.staff.get(system_actor, staff_id=a_person(demo_workspace, system_actor).id)
    demo_workspace.staff.update(system_actor, staff_id=record.id, data=replace(record.data, hours_per_week=18.75),
                                expected_version=record.version)
    saved = saved_after_email_edit(qtbot, demo_workspace, system_actor, record.id)
    assert saved.data.email == "a.new.address@nhs.net"
    assert saved.data.hours_per_week == 18.75 and saved.whole_time_equivalent == 0.5
    assert no_dialogs == []
