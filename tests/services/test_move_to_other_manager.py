"""Issue 16: a line manager cannot hand someone in their team to a manager outside it (which
would put a record they made under another manager, the hole adding staff closed)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from arrs_desk.errors import ValidationError
from tests.conftest import TODAY
from tests.supervision_support import make_team, staff


def test_a_line_manager_moves_people_only_within_their_team(workspace, system_actor):
    team = make_team(workspace, system_actor)
    data = replace(staff([team.alpha], given="Priya", family="Raghunathan", start=TODAY + timedelta(days=14)),
                   status="pre_start")
    made = workspace.staff.create(team.helen, data=data)
    with pytest.raises(ValidationError) as refused:
        workspace.staff.update(team.helen, staff_id=made.id, data=replace(made.data, line_manager_id=team.bogdan_id), expected_version=made.version)
    assert "own team" in refused.value.errors["line_manager_id"]
    # Within her own team (to Zoë, whom she manages) she may; an administrator may place anyone anywhere.
    moved = workspace.staff.update(team.helen, staff_id=made.id, data=replace(made.data, line_manager_id=team.zoe_id), expected_version=made.version)
    assert moved.data.line_manager_id == team.zoe_id
    placed = workspace.staff.update(team.admin, staff_id=made.id, data=replace(moved.data, line_manager_id=team.bogdan_id),
                                    expected_version=moved.version)
    assert placed.data.line_manager_id == team.bogdan_id
