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


def test_a_line_manager_who_has_left_is_kept_not_cleared(qtbot, demo_workspace, system_actor, no_dialogs):
    """Leavers are not offered as line managers, so the choice fell back to 'No line manager
    recorded' and saving the person's new email cleared their manager."""
    from datetime import timedelta

    ws, today = demo_workspace, demo_workspace.today()
    record = next(ws.staff.get(system_actor, staff_id=r.id) for r in ws.staff.list_rows(system_actor)
                  if r.line_manager and r.status == "active")
    manager = ws.staff.get(system_actor, staff_id=record.data.line_manager_id)
    ws.staff.update(system_actor, staff_id=manager.id, expected_version=manager.version, data=replace(
        manager.data, end_date=today - timedelta(days=1), status="left", leaving_reason="Retirement"))
    editor = StaffEditor(ws, system_actor, ws.staff.get(system_actor, staff_id=record.id))
    qtbot.addWidget(editor)
    assert editor.ui.line_manager_id.currentText() == f"{manager.display_name} – has left"
    saved = saved_after_email_edit(qtbot, ws, system_actor, record.id)
    assert saved.data.line_manager_id == manager.id
    assert no_dialogs == []


def test_a_practice_and_a_role_no_longer_in_use_are_kept(qtbot, demo_workspace, system_actor, no_dialogs):
    """A practice taken out of use was dropped from the person's practices on Save, and a retired
    role left the editor on 'Choose a role…' with the register cleared."""
    ws = demo_workspace
    row = next(r for r in ws.staff.list_rows(system_actor) if len(r.practice_ids) > 1 and r.registration)
    record = ws.staff.get(system_actor, staff_id=row.id)
    gone = next(o for o in ws.organisations.list(system_actor) if o.id == record.data.practice_ids[-1])
    ws.organisations.update(system_actor, org_id=gone.id, name=gone.name, ods_code=gone.ods_code, active=False,
                            expected_version=gone.version)
    role = next(r for r in ws.roles.list(system_actor) if r.code == record.data.role_code)
    ws.roles.save(system_actor, code=role.code, title=role.title, clinical=role.clinical, arrs=role.arrs,
                  registers=list(role.registers), registration_required=role.registration_required,
                  typical_band=role.typical_band, requirements=role.requirements, active=False,
                  expected_version=role.version)
    editor = StaffEditor(ws, system_actor, ws.staff.get(system_actor, staff_id=row.id))
    qtbot.addWidget(editor)
    assert editor.ui.role_code.currentText() == f"{role.title} (no longer in use)"
    saved = saved_after_email_edit(qtbot, ws, system_actor, row.id)
    assert saved.data.practice_ids == record.data.practice_ids
    assert (saved.data.role_code, saved.data.register_code, saved.data.registration_number) == (
        record.data.role_code, record.data.register_code, record.data.registration_number)
    assert no_dialogs == []


def test_a_starter_reads_their_own_record_without_fields_that_look_editable(qtbot, demo_workspace, system_actor,
                                                                           no_dialogs):
    """Every field and Save looked live to a starter opening their own record, and Save was refused
    only after they had typed their changes; it now opens read only, saying whom to ask."""
    from PySide6.QtWidgets import QDialogButtonBox, QLabel
    from sqlalchemy import select

    from arrs_desk.services.actor import Actor
    from arrs_desk.store.models import UserAccount

    with demo_workspace.db.read() as session:
        zoe = session.execute(select(UserAccount).where(UserAccount.username == "zoe.okubo")).scalar_one()
    starter = Actor(zoe.id, zoe.username, zoe.display_name, frozenset(zoe.roles), zoe.staff_id)
    record = demo_workspace.staff.get(starter, staff_id=starter.staff_id)
    assert not record.can_edit
    editor = StaffEditor(demo_workspace, starter, record)
    qtbot.addWidget(editor)
    editor.show()
    assert editor.windowTitle().endswith("(read only)")
    assert not editor.ui.scroll_contents.isEnabled() and not editor.ui.given_name.isEnabled()
    assert editor.ui.preferred_name.placeholderText() == ""  # no "Optional: …" hint standing out over the values
    assert editor.ui.buttons.button(QDialogButtonBox.StandardButton.Save) is None
    assert editor.ui.buttons.button(QDialogButtonBox.StandardButton.Close) is not None
    assert any("ask your line manager" in label.text() for label in editor.findChildren(QLabel))
    assert demo_workspace.staff.get(system_actor, staff_id=starter.staff_id).can_edit
