"""An account turned off, or stripped of a role, on one PC can no longer write from a session it
opened before on another: every audited write checks the account as it stands, and a refusal
leaves nothing written."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from arrs_desk.errors import PermissionDenied
from arrs_desk.store.models import AuditEntry, UserAccount

PASSWORD = "correct horse battery staple"


def _accounts(ws) -> int:
    with ws.db.read() as session:
        return session.execute(select(func.count()).select_from(UserAccount)).scalar_one()


@pytest.fixture
def second_admin(workspace, system_actor):
    workspace.accounts.create_user(system_actor, username="first.admin", display_name="First Admin",
                                   password=PASSWORD, roles=["administrator"])  # so the second is not the last
    row = workspace.accounts.create_user(system_actor, username="second.admin", display_name="Second Admin",
                                         password=PASSWORD, roles=["administrator"], must_change_password=False)
    return row, workspace.accounts.sign_in(username="second.admin", password=PASSWORD)


@pytest.mark.parametrize("change", ["turned off", "role taken away"])
def test_a_session_opened_before_the_change_cannot_write(workspace, system_actor, second_admin, change):
    row, signed_in = second_admin
    workspace.accounts.update_user(system_actor, user_id=row.id, display_name="Second Admin",
                                   roles=["administrator"] if change == "turned off" else ["staff"],
                                   staff_id=None, active=change != "turned off", expected_version=row.version)
    accounts = _accounts(workspace)
    with workspace.db.read() as session:
        entries = session.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
    with pytest.raises(PermissionDenied, match="changed after you signed in"):
        workspace.accounts.create_user(signed_in, username="back.door", display_name="Back Door", password=PASSWORD,
                                       roles=["administrator"], must_change_password=False)
    assert _accounts(workspace) == accounts
    with workspace.db.read() as session:
        assert session.execute(select(func.count()).select_from(AuditEntry)).scalar_one() == entries


def test_a_role_added_since_sign_in_takes_nothing_away(workspace, system_actor, second_admin):
    row, signed_in = second_admin
    workspace.accounts.update_user(system_actor, user_id=row.id, display_name="Second Admin",
                                   roles=["administrator", "line_manager"], staff_id=None, active=True,
                                   expected_version=row.version)
    workspace.accounts.create_user(signed_in, username="new.person", display_name="New Person", password=PASSWORD,
                                   roles=["staff"])
