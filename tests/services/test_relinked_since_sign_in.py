"""An account unlinked from its staff record (or linked to another) on one PC no longer acts as
the person it was linked to from a session opened before on another: permission checks use the
link read at sign-in, so a manager's open window kept managing the team of the record the
account no longer belongs to."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from arrs_desk.errors import PermissionDenied
from arrs_desk.store.models import Staff, UserAccount
from tests.support.pcn import HELEN, Member, build_small_pcn

PAT = Member("pat", "Pat", "Person", date(2024, 1, 8), manager="helen")


@pytest.fixture
def pcn(workspace, system_actor):
    return build_small_pcn(workspace, system_actor, members=(HELEN, PAT), admin="Admin")


def _relink(workspace, system_actor, staff_id):
    with workspace.db.read() as session:
        user = session.execute(select(UserAccount).where(UserAccount.username == "helen")).scalar_one()
    workspace.accounts.update_user(system_actor, user_id=user.id, display_name=user.display_name,
                                   roles=list(user.roles), staff_id=staff_id, active=True,
                                   expected_version=user.version)


@pytest.mark.parametrize("relink", ["unlinked", "linked to another record"])
def test_a_session_opened_before_the_link_changed_cannot_write(workspace, system_actor, pcn, relink):
    helen = pcn.actors["helen"]
    _relink(workspace, system_actor, None if relink == "unlinked" else pcn.staff_ids["pat"])
    record = workspace.staff.get(system_actor, staff_id=pcn.staff_ids["pat"])
    record.data.family_name = "Changed"
    with pytest.raises(PermissionDenied, match="changed after you signed in"):
        workspace.staff.update(helen, staff_id=pcn.staff_ids["pat"], data=record.data,
                               expected_version=record.version)
    with workspace.db.read() as session:
        assert session.get(Staff, pcn.staff_ids["pat"]).family_name == "Person"


def test_an_unchanged_link_still_writes(workspace, system_actor, pcn):
    record = workspace.staff.get(system_actor, staff_id=pcn.staff_ids["pat"])
    record.data.family_name = "Changed"
    workspace.staff.update(pcn.actors["helen"], staff_id=pcn.staff_ids["pat"], data=record.data,
                           expected_version=record.version)


def test_an_administrator_may_link_their_own_account(workspace, system_actor, pcn):
    """The write that changes the link is checked against the account as it was before it."""
    admin = pcn.actors["admin"]
    with workspace.db.read() as session:
        user = session.get(UserAccount, admin.user_id)
    workspace.accounts.update_user(admin, user_id=user.id, display_name="Admin", roles=["administrator"],
                                   staff_id=pcn.staff_ids["pat"], active=True, expected_version=user.version)
    with workspace.db.read() as session:
        assert session.get(UserAccount, admin.user_id).staff_id == pcn.staff_ids["pat"]
