"""Issue 15: who manages whom has one source of truth, the staff record. The Supervision page no
longer says "No supervisor named" for line-management reviews of someone whose line manager is
recorded, and a starter's own staff list names her manager as her checklist does."""

from __future__ import annotations

from dataclasses import replace

from tests.supervision_support import arrange, make_team


def test_the_recorded_line_manager_holds_the_line_management_reviews(workspace, system_actor):
    team = make_team(workspace, system_actor)
    person = workspace.supervision.person(team.helen, staff_id=team.zoe_id)
    cell = next(c for c in person.cells if c.type_code == "line-management")
    assert cell.status.value != "not-arranged" and cell.supervisors == "Helen Whitfield"
    row = next(a for a in person.arrangements if a.type_code == "line-management")
    assert row.from_staff_record and row.supervisor_staff_id == team.helen_id
    matrix = workspace.supervision.matrix(team.helen)
    zoe = next(r for r in matrix.rows if r.staff_id == team.zoe_id)
    assert next(c for c in zoe.cells if c.type_code == "line-management").supervisors == "Helen Whitfield"


def test_a_named_line_management_arrangement_still_wins(workspace, system_actor):
    team = make_team(workspace, system_actor)
    arrange(workspace, system_actor, team.zoe_id, type_code="line-management", supervisor_id=team.bogdan_id)
    person = workspace.supervision.person(system_actor, staff_id=team.zoe_id)
    rows = [a for a in person.arrangements if a.type_code == "line-management"]
    assert [(a.supervisor_name, a.from_staff_record) for a in rows] == [("Bogdan Popescu", False)]


def test_changing_the_line_manager_on_the_record_changes_who_holds_the_reviews(workspace, system_actor):
    team = make_team(workspace, system_actor)
    zoe = workspace.staff.get(system_actor, staff_id=team.zoe_id)
    workspace.staff.update(system_actor, staff_id=team.zoe_id, data=replace(zoe.data, line_manager_id=team.bogdan_id), expected_version=zoe.version)
    cell = next(c for c in workspace.supervision.person(system_actor, staff_id=team.zoe_id).cells
                if c.type_code == "line-management")
    assert cell.supervisors == "Bogdan Popescu"


def test_a_starter_sees_her_line_manager_in_her_own_staff_list(workspace, system_actor):
    team = make_team(workspace, system_actor)
    rows = workspace.staff.list_rows(team.zoe)
    assert [(r.display_name, r.line_manager) for r in rows] == [("Zoë Ōkubo", "Helen Whitfield")]
