"""Issue 20 item 6: two-step sign-in with an authenticator app, on SQLite and PostgreSQL.

Codes are made here as the person's phone would make them (pyotp, from the secret the set-up
showed), at the suite's frozen clock, which the tests move to reach the next code."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from arrs_desk.errors import PermissionDenied, ValidationError
from arrs_desk.services.accounts import SecondStepNeeded, SignInFailed
from arrs_desk.store.models import AuditEntry, TwoStepSecret, UserAccount
from tests.services.conftest import ADMIN_PASSWORD

SECRET = ADMIN_PASSWORD


pytestmark = pytest.mark.usefixtures("cheap_argon2")


@pytest.fixture
def admin(first_admin):
    return first_admin


@pytest.fixture
def nurse(workspace, admin):
    row = workspace.accounts.create_user(admin, username="nurse.one", display_name="Niamh Nurse", password=SECRET,
                                         roles=["staff"], must_change_password=False)
    return workspace.accounts.sign_in(username=row.username, password=SECRET)


def _phone(secret: str, clock) -> str:  # noqa: ANN001
    """The code the person's app shows now."""
    return pyotp.TOTP(secret).at(clock.now())


def _set_up(workspace, actor, clock) -> str:  # noqa: ANN001
    setup = workspace.two_step.new_setup(actor)
    workspace.two_step.turn_on(actor, secret=setup.secret, code=_phone(setup.secret, clock))
    clock.advance(timedelta(seconds=30))  # the set-up code is used up: sign in with the next one
    return setup.secret


def _attempts(workspace, username: str) -> int:
    with workspace.db.read() as session:
        return session.execute(select(UserAccount.failed_attempts).where(UserAccount.username == username)).scalar()


def test_setting_up_keeps_the_secret_only_once_a_code_from_it_is_right(workspace, nurse, clock):
    setup = workspace.two_step.new_setup(nurse)
    assert setup.uri.startswith("otpauth://totp/ARRS%20Desk:nurse.one?secret=") and "issuer=ARRS%20Desk" in setup.uri
    assert setup.grouped_secret.replace(" ", "") == setup.secret and len(setup.secret) == 32
    for wrong in ("", "12345", "abcdef", str((int(_phone(setup.secret, clock)) + 1) % 1_000_000).zfill(6)):
        with pytest.raises(ValidationError) as refused:
            workspace.two_step.turn_on(nurse, secret=setup.secret, code=wrong)
        assert set(refused.value.errors) == {"code"}
    assert not workspace.two_step.status(nurse).enabled
    spaced = _phone(setup.secret, clock)
    status = workspace.two_step.turn_on(nurse, secret=setup.secret, code=f"{spaced[:3]} {spaced[3:]}")
    assert status.enabled and status.enabled_at == clock.now() and not status.required
    with workspace.db.read() as session:
        entry = session.execute(select(AuditEntry).where(AuditEntry.action == "two_step_on")).scalar_one()
        every_entry = " ".join(f"{e.summary} {e.changes}" for e in session.execute(select(AuditEntry)).scalars())
    assert entry.summary == "Niamh Nurse turned on two-step sign-in"
    assert setup.secret not in every_entry


def test_signing_in_asks_for_the_code_after_the_password_and_takes_each_code_once(workspace, nurse, clock):
    secret = _set_up(workspace, nurse, clock)
    with pytest.raises(SignInFailed, match="username or password is not right"):
        workspace.accounts.sign_in(username="nurse.one", password="not the password")  # no hint of a code
    assert _attempts(workspace, "nurse.one") == 1
    for _ in range(5):  # being asked for the code is not a failure, however often
        with pytest.raises(SecondStepNeeded, match="six-digit code"):
            workspace.accounts.sign_in(username="nurse.one", password=SECRET)
    assert _attempts(workspace, "nurse.one") == 1
    code = _phone(secret, clock)
    actor = workspace.accounts.sign_in(username="nurse.one", password=SECRET, code=code)
    assert actor.user_id == nurse.user_id and _attempts(workspace, "nurse.one") == 0
    with pytest.raises(SignInFailed, match="each code works once"):  # seen over a shoulder, typed again
        workspace.accounts.sign_in(username="nurse.one", password=SECRET, code=code)
    clock.advance(timedelta(seconds=30))  # the next code works...
    workspace.accounts.sign_in(username="nurse.one", password=SECRET, code=_phone(secret, clock))
    clock.advance(timedelta(minutes=5))  # ... but not one from minutes ago
    with pytest.raises(SignInFailed, match="code is not right"):
        workspace.accounts.sign_in(username="nurse.one", password=SECRET,
                                   code=pyotp.TOTP(secret).at(clock.now() - timedelta(minutes=2)))
    with workspace.db.read() as session:
        summaries = [e.summary for e in session.execute(select(AuditEntry).where(
            AuditEntry.action.in_(["login", "login_failed"])).order_by(AuditEntry.id)).scalars()]
    assert "Niamh Nurse signed in (with two-step code)" in summaries
    assert summaries.count("Wrong two-step code for 'nurse.one'") == 2


def test_a_code_from_the_step_just_gone_is_accepted_and_wrong_codes_lock_the_account(workspace, nurse, clock):
    secret = _set_up(workspace, nurse, clock)
    clock.advance(timedelta(seconds=30))
    just_gone = pyotp.TOTP(secret).at(clock.now() - timedelta(seconds=30))
    assert workspace.accounts.sign_in(username="nurse.one", password=SECRET, code=just_gone).user_id == nurse.user_id
    clock.advance(timedelta(seconds=90))
    for _ in range(3):
        with pytest.raises(SignInFailed, match="code is not right"):
            workspace.accounts.sign_in(username="nurse.one", password=SECRET, code="000000")
    with pytest.raises(SignInFailed, match="Wait 30 seconds"):  # the password alone does not get round it
        workspace.accounts.sign_in(username="nurse.one", password=SECRET, code=_phone(secret, clock))


def test_turning_it_off_needs_the_password_or_an_administrator_who_tells_the_holder(workspace, admin, nurse, clock):
    _set_up(workspace, nurse, clock)
    with pytest.raises(ValidationError, match="password is not right"):
        workspace.two_step.turn_off(nurse, user_id=nurse.user_id, password="guess")
    other = workspace.accounts.create_user(admin, username="nurse.two", display_name="Nia Two", password=SECRET,
                                           roles=["staff"], must_change_password=False)
    with pytest.raises(PermissionDenied):
        workspace.two_step.turn_off(nurse, user_id=other.id)
    assert workspace.two_step.users_with_two_step(admin) == {nurse.user_id}
    workspace.two_step.turn_off(admin, user_id=nurse.user_id)  # she lost her phone
    assert not workspace.two_step.status(nurse).enabled
    assert workspace.accounts.sign_in(username="nurse.one", password=SECRET).user_id == nurse.user_id
    (notice,) = workspace.accounts.take_notices(nurse)
    assert notice.startswith("Adaeze Admin turned off your two-step sign-in on")
    with pytest.raises(ValidationError, match="does not use two-step"):
        workspace.two_step.turn_off(admin, user_id=nurse.user_id)
    secret = _set_up(workspace, nurse, clock)
    workspace.two_step.turn_off(nurse, user_id=nurse.user_id, password=SECRET)
    with workspace.db.read() as session:
        assert session.execute(select(TwoStepSecret)).first() is None
        offs = [e.summary for e in session.execute(select(AuditEntry).where(AuditEntry.action == "two_step_off"))
                .scalars()]
    assert offs == ["Two-step sign-in turned off for Niamh Nurse by Adaeze Admin",
                    "Two-step sign-in turned off for Niamh Nurse"]
    assert secret not in " ".join(offs)


def test_administrators_of_a_shared_postgresql_database_must_use_it(workspace, admin, nurse, clock, backend):
    shared = backend == "postgres"
    assert workspace.two_step.needs_setup(admin) is shared and workspace.two_step.status(admin).required is shared
    assert not workspace.two_step.needs_setup(nurse) and not workspace.two_step.status(nurse).required
    _set_up(workspace, admin, clock)
    assert not workspace.two_step.needs_setup(admin)
    if shared:
        with pytest.raises(PermissionDenied, match="must keep two-step sign-in on"):
            workspace.two_step.turn_off(admin, user_id=admin.user_id, password=SECRET)
    else:
        workspace.two_step.turn_off(admin, user_id=admin.user_id, password=SECRET)


def test_single_user_mode_has_no_second_step(workspace):
    actor = workspace.accounts.choose_single_user(display_name="Sole Trader")
    assert not workspace.two_step.needs_setup(actor)
    with pytest.raises(PermissionDenied, match="single-user mode"):
        workspace.two_step.new_setup(actor)
