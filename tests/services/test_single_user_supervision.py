"""In single-user mode the one user looks after everyone: the session form offers every colleague
as an attendee (it offered nobody but the person whose page it was), and a group session logged
with them is recorded as the service's own check allows."""

from __future__ import annotations

from datetime import timedelta

from arrs_desk.services.supervision import SessionInput
from tests.supervision_support import TODAY, make_team


def test_the_single_user_may_log_a_group_session_for_anyone(workspace, system_actor):
    team = make_team(workspace, system_actor)
    sole = workspace.accounts.choose_single_user(display_name="Practice Manager")
    assert sole.sole_user
    choices = workspace.supervision.form_choices(sole, staff_id=team.zoe_id)
    offered = [c.value for c in choices.attendees]
    assert offered[0] == team.zoe_id and {team.anya_id, *team.peer_ids} <= set(offered)
    row = workspace.supervision.record_session(sole, data=SessionInput(
        type_code="peer-group", held_on=TODAY - timedelta(days=2), attendee_ids=[team.zoe_id, team.anya_id],
        supervisor_staff_id=team.gp_id, format="group", topics="Frailty referrals — Zoë and Аня"))
    assert sorted(row.attendees) == sorted(["Zoë Ōkubo", "Аня Петрова"])
