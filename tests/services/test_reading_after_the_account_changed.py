"""A window whose holder has left, or whose account was turned off or changed on another PC, stops
showing pages as it stops saving: a page's read checks the account first, in the statement that
reads the change mark (`audit_chain.head_for_reader`), so most pages send no statement more."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event

from arrs_desk.errors import SessionEnded
from arrs_desk.services.dashboard import DashboardService
from arrs_desk.services.shared_reads import shared_reads
from tests.services.test_account_changed_since_sign_in import PASSWORD, second_admin  # noqa: F401 (a fixture)
from tests.services.test_leaver_accounts import _last_day, _link, pcn  # noqa: F401 (a fixture)


def _statements(workspace, read, reader) -> int:
    seen = []
    listener = lambda *_args: seen.append(1)  # noqa: E731
    shared_reads(workspace.db).clear()
    event.listen(workspace.db.engine, "before_cursor_execute", listener)
    try:
        workspace.read_at_once(read, reader=reader)
    finally:
        event.remove(workspace.db.engine, "before_cursor_execute", listener)
    return len(seen)


@pytest.mark.parametrize("change", ["turned off", "role taken away"])
def test_a_changed_accounts_window_is_shown_no_page(workspace, system_actor, second_admin, change):  # noqa: F811
    row, signed_in = second_admin
    workspace.read_at_once(lambda ws: ws.accounts.list_users(signed_in), reader=signed_in)
    workspace.accounts.update_user(system_actor, user_id=row.id, display_name="Second Admin",
                                   roles=["administrator"] if change == "turned off" else ["staff"],
                                   staff_id=None, active=change != "turned off", expected_version=row.version)
    with pytest.raises(SessionEnded, match="changed after you signed in.*this page was not shown"):
        workspace.read_at_once(lambda ws: ws.accounts.list_users(signed_in), reader=signed_in)


def test_a_leavers_window_is_shown_no_page_the_day_after(workspace, system_actor, pcn, clock):  # noqa: F811
    _link(workspace, system_actor, "first.admin", None, ["administrator"])
    _link(workspace, system_actor, "lena", pcn.staff_ids["lena"], ["line_manager"])
    _last_day(workspace, system_actor, pcn.staff_ids["lena"], workspace.today())
    lena = workspace.accounts.sign_in(username="lena", password=PASSWORD)
    workspace.read_at_once(lambda ws: ws.staff.list_rows(lena), reader=lena)  # her last day: still at work
    clock.advance(timedelta(days=1))
    with pytest.raises(SessionEnded, match="you left on .* can no longer be used and this page was not shown"):
        workspace.read_at_once(lambda ws: ws.staff.list_rows(lena), reader=lena)


def test_the_check_costs_a_page_that_reads_the_change_mark_no_statement(workspace, system_actor, second_admin):  # noqa: F811
    _row, signed_in = second_admin
    home = lambda ws: DashboardService(ws).attention(signed_in)  # noqa: E731
    assert _statements(workspace, home, signed_in) == _statements(workspace, home, None)
    users = lambda ws: ws.accounts.list_users(signed_in)  # noqa: E731  (no kept figures: no change mark)
    assert _statements(workspace, users, signed_in) == _statements(workspace, users, None) + 1
