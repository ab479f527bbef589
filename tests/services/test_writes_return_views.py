"""Writes return the refreshed view of what they changed (issue 17), so a screen can show the
result of a change without asking again. Each test compares what the write returned with what a
fresh read gives, after a change the returned view must show."""

import pytest

from arrs_desk.domain.induction import ItemStatus
from arrs_desk.errors import StaleEdit
from tests.induction_support import item, make_team


@pytest.fixture
def team(workspace, system_actor):
    return make_team(workspace, system_actor)


def test_induction_writes_return_the_refreshed_checklist(workspace, team):
    ind = workspace.induction
    view = ind.checklist(team.starter, staff_id=team.starter_id)
    policies = item(view, "practice-policies-read")
    after_tick = ind.tick(team.starter, item_id=policies.id, expected_version=policies.version, note="Read")
    assert item(after_tick, "practice-policies-read").status is ItemStatus.COMPLETE
    assert after_tick == ind.checklist(team.starter, staff_id=team.starter_id)

    agreement = item(view, "supervision-agreement-signed")
    waiting = ind.tick(team.starter, item_id=agreement.id, expected_version=agreement.version)
    agreement = item(waiting, "supervision-agreement-signed")
    assert agreement.status is ItemStatus.AWAITING_SIGNOFF
    # the manager gets the checklist as the manager sees it (what they may do to each item)
    returned = ind.return_item(team.manager, item_id=agreement.id, expected_version=agreement.version,
                               comment="Attach the signed copy, please.")
    assert returned == ind.checklist(team.manager, staff_id=team.starter_id)
    assert not item(returned, "supervision-agreement-signed").can_sign_off

    done = item(after_tick, "practice-policies-read")
    unticked = ind.untick(team.starter, item_id=done.id, expected_version=done.version)
    assert item(unticked, "practice-policies-read").status is not ItemStatus.COMPLETE
    with pytest.raises(StaleEdit):  # the returned view carries the new version: the old one is stale
        ind.untick(team.starter, item_id=done.id, expected_version=done.version)


def test_organisation_role_and_account_writes_return_their_rows(workspace, system_actor, team):
    org = next(o for o in workspace.organisations.list(system_actor) if o.id == team.practice_id)
    row = workspace.organisations.update(system_actor, org_id=org.id, name="Renamed Surgery", ods_code=org.ods_code,
                                         active=org.active, expected_version=org.version)
    assert (row.name, row.version) == ("Renamed Surgery", org.version + 1)
    assert row in workspace.organisations.list(system_actor)

    role = workspace.roles.save(system_actor, code="ops-lead", title="Operations lead", clinical=False, arrs=False,
                                registers=[], registration_required=False)
    assert (role.code, role.title) == ("OPS-LEAD", "Operations lead")
    changed = workspace.roles.save(system_actor, code=role.code, title="Operations manager", clinical=False,
                                   arrs=False, registers=[], registration_required=False,
                                   expected_version=role.version)
    assert changed.title == "Operations manager" and changed in workspace.roles.list(system_actor)

    user = next(u for u in workspace.accounts.list_users(system_actor) if u.id == team.starter.user_id)
    updated = workspace.accounts.update_user(system_actor, user_id=user.id, display_name="Zoë Ō.",
                                             roles=list(user.roles), staff_id=user.staff_id, active=True,
                                             expected_version=user.version)
    assert updated.display_name == "Zoë Ō." and updated in workspace.accounts.list_users(system_actor)
    assert workspace.accounts.set_idle_lock_minutes(system_actor, minutes=0) == 0
