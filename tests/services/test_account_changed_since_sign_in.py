"""An account turned off, or stripped of a role, on one PC can no longer write from a session it
opened before on another: every audited write checks the account as it stands, and a refusal
leaves nothing written."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from arrs_desk.errors import PermissionDenied, SessionEnded
from arrs_desk.store.models import AuditEntry, Staff, UserAccount

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
    with pytest.raises(SessionEnded, match="changed after you signed in"):  # the window then locks
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


def test_an_administrator_may_change_their_own_account(workspace, system_actor, second_admin):
    """Their own roles change in the same write that records it: the check sees the account as it
    was before that write, so a self-edit is not refused as "changed after you signed in"."""
    row, signed_in = second_admin
    workspace.accounts.update_user(signed_in, user_id=row.id, display_name="Second Administrator",
                                   roles=["administrator", "line_manager"], staff_id=None, active=True,
                                   expected_version=row.version)
    with workspace.db.read() as session:
        assert session.get(UserAccount, row.id).display_name == "Second Administrator"


def test_a_batch_of_records_by_a_changed_account_is_refused_too(workspace, system_actor, second_admin):
    """Imports and batches write their audit entries in one statement (`audit.record_many`)."""
    from tests.services.test_concurrency import new_person
    from tests.support.pcn import build_small_pcn

    practice = build_small_pcn(workspace, system_actor).practice_ids[0]
    row, signed_in = second_admin
    workspace.accounts.update_user(system_actor, user_id=row.id, display_name="Second Admin", roles=["staff"],
                                   staff_id=None, active=True, expected_version=row.version)
    with pytest.raises(PermissionDenied, match="changed after you signed in"):
        workspace.staff.create(signed_in, data=new_person(practice, "Ann"))
    with workspace.db.read() as session:
        assert not session.execute(select(Staff.id).where(Staff.given_name == "Ann")).first()


def test_a_changed_account_can_still_sign_out(workspace, system_actor, second_admin):
    """Refusing the sign-out's record would leave them unable to close the window cleanly."""
    row, signed_in = second_admin
    workspace.accounts.update_user(system_actor, user_id=row.id, display_name="Second Admin", roles=["staff"],
                                   staff_id=None, active=False, expected_version=row.version)
    workspace.accounts.sign_out(signed_in)
    with workspace.db.read() as session:
        assert session.execute(select(AuditEntry.id).where(AuditEntry.action == "logout",
                                                           AuditEntry.user_id == row.id)).first()
