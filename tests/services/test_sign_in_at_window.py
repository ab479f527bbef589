"""Signing in at the window reads what the window asks next in the sign-in's own transaction.

Issue 18: on a shared PostgreSQL server across sites, the account's notices, whether the password
must be changed, whether two-step sign-in must be set up and how soon the PC locks were each a
transaction of their own after the sign-in (two or three round trips each, 20 ms apiece at
another site) before the staff list could be read. `sign_in_at_window` answers them all from the
sign-in's second transaction, with the same answers as the separate calls it replaces.
"""

from __future__ import annotations

import pytest
from sqlalchemy import event

from tests.services.conftest import ADMIN_PASSWORD
from tests.support.statements import statements_sent

pytestmark = pytest.mark.usefixtures("cheap_argon2")

TEMPORARY = "temporary pass phrase 1"
TRANSACTIONS = 2
"""A window sign-in: the try taken under the account's lock, then (once argon2 has run outside any
transaction) the sign-in recorded with everything the window asks next."""


@pytest.fixture
def nurse_row(workspace, first_admin):
    return workspace.accounts.create_user(first_admin, username="nurse.one", display_name="Niamh Nurse",
                                          password=ADMIN_PASSWORD, roles=["staff"], must_change_password=False)


def _transactions(engine, work):
    begun = []
    listener = lambda _conn: begun.append(1)  # noqa: E731
    event.listen(engine, "begin", listener)
    try:
        with statements_sent(engine) as statements:
            result = work()
    finally:
        event.remove(engine, "begin", listener)
    return result, len(begun), statements


def test_the_answers_equal_the_separate_calls_they_replace(workspace, first_admin, nurse_row):
    workspace.accounts.set_idle_lock_minutes(first_admin, minutes=25)
    workspace.accounts.reset_password(first_admin, user_id=nurse_row.id, new_password=TEMPORARY)
    first = workspace.accounts.sign_in_at_window(username="NURSE.ONE ", password=TEMPORARY)
    again = workspace.accounts.sign_in_at_window(username="nurse.one", password=TEMPORARY)

    assert first.actor.user_id == nurse_row.id and first.actor.username == "nurse.one"
    assert len(first.notices) == 1 and "Adaeze Admin reset your password" in first.notices[0]
    assert again.notices == () and workspace.accounts.take_notices(first.actor) == []  # shown once
    assert first.must_change_password is again.must_change_password is True
    assert workspace.accounts.must_change_password(first.actor)
    assert first.idle_lock_minutes == again.idle_lock_minutes == workspace.accounts.idle_lock_minutes() == 25
    assert first.two_step_setup_needed is False is workspace.two_step.needs_setup(first.actor)


def test_an_administrator_of_a_shared_server_is_asked_to_set_up_two_step(workspace, first_admin):
    signed_in = workspace.accounts.sign_in_at_window(username="admin.one", password=ADMIN_PASSWORD)
    shared = not workspace.db.is_sqlite
    assert signed_in.two_step_setup_needed is shared is workspace.two_step.needs_setup(signed_in.actor)
    assert signed_in.must_change_password is False and signed_in.notices == ()
    assert signed_in.idle_lock_minutes == workspace.accounts.idle_lock_minutes()  # never set: the default


def test_a_refused_sign_in_takes_no_notices(workspace, first_admin, nurse_row):
    from arrs_desk.services.accounts import SignInFailed

    workspace.accounts.reset_password(first_admin, user_id=nurse_row.id, new_password=TEMPORARY)
    with pytest.raises(SignInFailed):
        workspace.accounts.sign_in_at_window(username="nurse.one", password="not the password")
    signed_in = workspace.accounts.sign_in_at_window(username="nurse.one", password=TEMPORARY)
    assert len(signed_in.notices) == 1


def test_a_window_sign_in_is_two_transactions(workspace, first_admin, nurse_row):
    """Pressing Sign in and learning all the window asks next: two transactions (five, or six for an
    administrator of a shared server, before); the
    one-off commands' `sign_in` sends no more than it did."""
    workspace.accounts.reset_password(first_admin, user_id=nurse_row.id, new_password=TEMPORARY)
    engine = workspace.db.engine
    signed_in, transactions, statements = _transactions(
        engine, lambda: workspace.accounts.sign_in_at_window(username="nurse.one", password=TEMPORARY))
    assert transactions == TRANSACTIONS, statements
    # The account is read once in each: under its lock straight away in the first (a read and then
    # a locking read before), and to record the sign-in in the second.
    account_reads = [s for s in statements if s.startswith("SELECT") and "FROM user_account" in s]
    assert len(account_reads) == 2, statements
    _actor, command_transactions, _ = _transactions(
        engine, lambda: workspace.accounts.sign_in(username="nurse.one", password=TEMPORARY, record_sign_in=False))
    assert command_transactions == TRANSACTIONS
    assert len(signed_in.notices) == 1  # taken by the window sign-in only
