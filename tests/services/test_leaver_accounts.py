"""A leaver's account stops signing in the day after their last day, whatever roles it holds: an
account kept every right it had (administrator included) until someone remembered to turn it off.
The PCN's last administrator in post is the one exception, so nobody is locked out of the
accounts that would fix it; they are told what to do."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from arrs_desk.errors import PermissionDenied
from arrs_desk.services.accounts import SignInFailed
from arrs_desk.store.models import AuditEntry
from tests.date_support import days_ahead, uk
from tests.support.pcn import HELEN, Member, build_small_pcn
from tests.conftest import TODAY

PASSWORD = "correct horse battery staple"
LENA = Member("lena", "Lena", "Leaver", TODAY - timedelta(days=400), role="PARA")


@pytest.fixture
def pcn(workspace, system_actor):
    return build_small_pcn(workspace, system_actor, members=(replace(HELEN, roles=()), LENA))  # accounts made here


def _link(workspace, system_actor, username: str, staff_id: int | None, roles: list[str]) -> None:
    workspace.accounts.create_user(system_actor, username=username, display_name=username.title(), password=PASSWORD,
                                   roles=roles, staff_id=staff_id, must_change_password=False)


def _last_day(workspace, system_actor, staff_id: int, day, **changes) -> None:
    record = workspace.staff.get(system_actor, staff_id=staff_id)
    record.data.end_date = day
    for name, value in changes.items():
        setattr(record.data, name, value)
    workspace.staff.update(system_actor, staff_id=staff_id, data=record.data, expected_version=record.version)


def test_a_leavers_account_signs_in_on_the_last_day_and_not_the_day_after(workspace, system_actor, pcn, clock):
    _link(workspace, system_actor, "first.admin", None, ["administrator"])
    _link(workspace, system_actor, "lena", pcn.staff_ids["lena"], ["administrator", "line_manager"])
    last_day = days_ahead(1)
    _last_day(workspace, system_actor, pcn.staff_ids["lena"], last_day)
    clock.advance(timedelta(days=1))
    assert workspace.accounts.sign_in(username="lena", password=PASSWORD).username == "lena"

    clock.advance(timedelta(days=1))
    with pytest.raises(SignInFailed) as refused:
        workspace.accounts.sign_in_at_window(username="lena", password=PASSWORD)
    assert str(refused.value) == (f"Your staff record says you left on {uk(last_day)}, so this account no longer signs "
                                  "in. If you have come back, ask an administrator to update your staff record.")
    with workspace.db.read() as session:
        newest = session.execute(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).scalar_one()
    assert (newest.action, newest.summary) == ("login_failed", "Sign-in refused for 'lena': " + str(refused.value))

    _last_day(workspace, system_actor, pcn.staff_ids["lena"], None, status="active", start_date=TODAY + timedelta(days=2),
              leaving_reason="")  # she came back, and her record says so
    assert workspace.accounts.sign_in(username="lena", password=PASSWORD).username == "lena"


def test_a_wrong_password_says_nothing_about_leaving(workspace, system_actor, pcn, clock):
    _link(workspace, system_actor, "lena", pcn.staff_ids["lena"], ["line_manager"])
    _last_day(workspace, system_actor, pcn.staff_ids["lena"], TODAY)
    clock.advance(timedelta(days=1))
    with pytest.raises(SignInFailed, match="The username or password is not right"):
        workspace.accounts.sign_in(username="lena", password="not the password")


def test_the_last_administrator_in_post_still_signs_in_and_is_told_what_to_do(workspace, system_actor, pcn, clock):
    _link(workspace, system_actor, "helen", pcn.staff_ids["helen"], ["administrator"])
    _link(workspace, system_actor, "lena", pcn.staff_ids["lena"], ["administrator"])  # has left too: not in post
    _last_day(workspace, system_actor, pcn.staff_ids["lena"], TODAY)
    _last_day(workspace, system_actor, pcn.staff_ids["helen"], TODAY)
    clock.advance(timedelta(days=1))
    signed_in = workspace.accounts.sign_in_at_window(username="helen", password=PASSWORD)
    assert signed_in.actor.username == "helen"
    assert signed_in.notices[-1].startswith(f"Your staff record says you left on {uk(TODAY)}. No administrator is "
                                            "still in post, so you can still sign in")
    assert workspace.accounts.sign_in(username="lena", password=PASSWORD).username == "lena"  # nor is she

    _link(workspace, system_actor, "new.admin", None, ["administrator"])
    with pytest.raises(SignInFailed, match="no longer signs in"):
        workspace.accounts.sign_in(username="helen", password=PASSWORD)


def test_the_user_accounts_list_says_which_accounts_belong_to_leavers(workspace, system_actor, pcn, clock):
    _link(workspace, system_actor, "lena", pcn.staff_ids["lena"], ["line_manager"])
    _link(workspace, system_actor, "helen", pcn.staff_ids["helen"], ["administrator"])
    _last_day(workspace, system_actor, pcn.staff_ids["lena"], TODAY)
    assert {r.username: r.staff_left for r in workspace.accounts.list_users(system_actor)} == {
        "lena": False, "helen": False}  # her last day: still at work
    clock.advance(timedelta(days=1))
    assert {r.username: r.staff_left for r in workspace.accounts.list_users(system_actor)} == {
        "lena": True, "helen": False}


def test_a_window_signed_in_before_the_last_day_stops_saving_the_day_after(workspace, system_actor, pcn, clock):
    """Signing in is refused from the day after the last day; a window signed in before kept saving
    (on a PC left signed in overnight, with every right the account had), until now."""
    _link(workspace, system_actor, "first.admin", None, ["administrator"])
    _link(workspace, system_actor, "lena", pcn.staff_ids["lena"], ["administrator", "line_manager"])
    _last_day(workspace, system_actor, pcn.staff_ids["lena"], TODAY)
    signed_in = workspace.accounts.sign_in(username="lena", password=PASSWORD)
    workspace.accounts.create_user(signed_in, username="on.the.day", display_name="On The Day", password=PASSWORD,
                                   roles=["staff"])  # her last day: still at work

    clock.advance(timedelta(days=1))
    with workspace.db.read() as session:
        entries = session.execute(select(AuditEntry.id)).all()
    with pytest.raises(PermissionDenied) as refused:
        workspace.accounts.create_user(signed_in, username="back.door", display_name="Back Door", password=PASSWORD,
                                       roles=["administrator"])
    assert str(refused.value) == (f"Your staff record says you left on {uk(TODAY)}, so this account can no longer "
                                  "save changes and this was not saved. If you have come back, ask an administrator "
                                  "to update your staff record.")
    assert "back.door" not in {r.username for r in workspace.accounts.list_users(system_actor)}
    with workspace.db.read() as session:
        assert session.execute(select(AuditEntry.id)).all() == entries
    workspace.accounts.sign_out(signed_in)  # leaving is never refused


def test_the_last_administrator_in_post_keeps_saving_until_another_is_in_post(workspace, system_actor, pcn, clock):
    """The sign-in rule's one exception holds for a window already open, too."""
    _link(workspace, system_actor, "helen", pcn.staff_ids["helen"], ["administrator"])
    _last_day(workspace, system_actor, pcn.staff_ids["helen"], TODAY)
    helen = workspace.accounts.sign_in(username="helen", password=PASSWORD)
    clock.advance(timedelta(days=1))
    workspace.accounts.create_user(helen, username="new.admin", display_name="New Admin", password=PASSWORD,
                                   roles=["administrator"])  # what she was told to do
    with pytest.raises(PermissionDenied, match="can no longer save changes"):
        workspace.accounts.create_user(helen, username="another", display_name="Another", password=PASSWORD,
                                       roles=["staff"])


def test_recording_ones_own_leaving_is_saved_and_ends_what_the_window_may_save(workspace, system_actor, pcn):
    """The writer is checked as things stood before the save: the record being saved does not
    refuse itself. From then on it says she has left, and her window saves nothing more."""
    _link(workspace, system_actor, "first.admin", None, ["administrator"])
    _link(workspace, system_actor, "lena", pcn.staff_ids["lena"], ["administrator"])
    lena = workspace.accounts.sign_in(username="lena", password=PASSWORD)
    _last_day(workspace, lena, pcn.staff_ids["lena"], TODAY, status="left", leaving_reason="Moved on")
    assert workspace.staff.get(system_actor, staff_id=pcn.staff_ids["lena"]).data.status == "left"
    with pytest.raises(PermissionDenied, match="can no longer save changes"):
        _last_day(workspace, lena, pcn.staff_ids["lena"], TODAY, leaving_reason="Moved on to another PCN")
