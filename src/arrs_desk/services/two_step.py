"""Two-step sign-in (issue 20 item 6): an authenticator app's six-digit code after the password.

Optional for everyone; required for administrators of a shared PostgreSQL database, who are asked
to set it up at their next sign-in (`needs_setup`). Setting up: the app shows a QR code made from
a new secret (`new_setup`, nothing is stored), the person scans it and types the code their app
shows, and only then is the secret kept (`turn_on`). Signing in checks the code in the same
transaction that records the sign-in (`check`, called by `AccountService.sign_in`); a wrong code
counts as a failed sign-in, so the lock-out stops anyone guessing codes, and a code once used is
never accepted again. Losing the phone: an administrator turns it off for the person (who is told
at their next sign-in); the person turns it off for themself with their password.

The secret is shown once, to its holder, while setting up; never in a list, a log or a message.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

import pyotp
from sqlalchemy import select

from arrs_desk.domain import two_step as rules
from arrs_desk.domain.permissions import AccessRole, Action
from arrs_desk.errors import PermissionDenied, ValidationError
from arrs_desk.services import account_safety as safety
from arrs_desk.services import audit
from arrs_desk.services._common import get_or_404, require
from arrs_desk.services.actor import Actor
from arrs_desk.store.database import Database
from arrs_desk.store.models import TwoStepSecret, UserAccount


@dataclass(frozen=True, slots=True)
class TwoStepStatus:
    enabled: bool
    enabled_at: datetime | None
    required: bool
    """An administrator of a shared PostgreSQL database: it may not be turned off."""


@dataclass(frozen=True, slots=True)
class TwoStepSetup:
    """What the set-up dialog shows: the QR code's contents and the secret for typing by hand."""

    secret: str
    uri: str

    @property
    def grouped_secret(self) -> str:
        return rules.grouped(self.secret)


class CodeCheck(Enum):
    NOT_NEEDED = "not needed"
    MISSING = "missing"
    WRONG = "wrong"
    ACCEPTED = "accepted"


class TwoStepService:
    def __init__(self, db: Database, now: Callable[[], datetime]):
        self._db = db
        self._now = now

    def _required(self, actor: Actor) -> bool:
        return required(actor, self._db)

    def status(self, actor: Actor) -> TwoStepStatus:
        """The signed-in person's own second factor."""
        user_id = _own_account(actor)
        with self._db.read() as session:
            row = session.get(TwoStepSecret, user_id)
        return TwoStepStatus(row is not None, row.enabled_at if row else None, self._required(actor))

    def needs_setup(self, actor: Actor) -> bool:
        """Required here and not yet set up: the window asks for it before anything else."""
        if actor.user_id is None or actor.sole_user or not self._required(actor):
            return False
        with self._db.read() as session:
            return session.get(TwoStepSecret, actor.user_id) is None

    def new_setup(self, actor: Actor) -> TwoStepSetup:
        """A new secret for the person's app; nothing is stored until they prove it with a code."""
        _own_account(actor)
        secret = pyotp.random_base32()
        return TwoStepSetup(secret, _totp(secret).provisioning_uri(name=actor.username, issuer_name=rules.ISSUER))

    def turn_on(self, actor: Actor, *, secret: str, code: str) -> TwoStepStatus:
        """Keep the secret once a code made from it is right: the person's app is set up."""
        user_id = _own_account(actor)
        typed = rules.clean_code(code)
        if typed is None:
            raise ValidationError.single("code", "Type the six digits your authenticator app shows for ARRS Desk.")
        now = self._now()
        step = _matching_step(secret, typed, now, last_step=None)
        if step is None:
            raise ValidationError.single("code", "That code is not the one your app shows now. Check that the app "
                                                 "added ARRS Desk, wait for a new code and type it.")
        with self._db.write() as session:
            user = get_or_404(session, UserAccount, user_id, "account")
            row = session.get(TwoStepSecret, user_id)
            if row is None:
                session.add(TwoStepSecret(user_id=user_id, secret=secret, enabled_at=now, last_step=step))
            else:
                row.secret, row.enabled_at, row.last_step = secret, now, step
            audit.record(session, actor, "two_step_on", "user", user_id,
                         f"{user.display_name} turned on two-step sign-in", subject_staff_id=user.staff_id)
        return TwoStepStatus(True, now, self._required(actor))

    def turn_off(self, actor: Actor, *, user_id: int, password: str = "") -> None:
        """Turn off a second factor: the holder, with their password (not where it is required);
        an administrator for someone who lost their phone, who is told at their next sign-in."""
        own = actor.user_id is not None and user_id == actor.user_id
        if own:
            if self._required(actor):
                raise PermissionDenied("Administrators of a shared database must keep two-step sign-in on. "
                                       "To move it to a new phone, set it up again.")
            with self._db.read() as session:
                stored = get_or_404(session, UserAccount, user_id, "account").password_hash
            if not safety.verify(stored, password):  # outside the write, as every password check
                raise ValidationError.single("password", "Your password is not right.")
        else:
            require(actor, Action.MANAGE_USERS)
        now = self._now()
        with self._db.write() as session:
            user = get_or_404(session, UserAccount, user_id, "account")
            row = session.get(TwoStepSecret, user_id)
            if row is None:
                raise ValidationError.single("user", f"{user.display_name} does not use two-step sign-in.")
            session.delete(row)
            audit.record(session, actor, "two_step_off", "user", user_id,
                         f"Two-step sign-in turned off for {user.display_name}"
                         + ("" if own else f" by {actor.display_name}"), subject_staff_id=user.staff_id)
            if not own:
                safety.warn(session, actor, user, f"Two-step sign-in of {user.username} turned off by "
                                                  f"{actor.display_name}",
                            f"{actor.display_name} turned off your two-step sign-in on {safety.day_text(now)}. If "
                            "you did not ask for this, tell your line manager. You can set it up again from the "
                            "Account menu.", now)

    def users_with_two_step(self, actor: Actor) -> set[int]:
        """Which accounts use it (for the User accounts page)."""
        require(actor, Action.MANAGE_USERS)
        with self._db.read() as session:
            return set(session.execute(select(TwoStepSecret.user_id)).scalars())


def required(actor: Actor, db: Database) -> bool:
    """Whether this person must sign in with a code here (an administrator of a shared server)."""
    return rules.required_for(administrator=actor.has(AccessRole.ADMINISTRATOR), shared_server=not db.is_sqlite)


def check(session, user_id: int, code: str | None, now: datetime) -> CodeCheck:  # noqa: ANN001
    """The second step of a sign-in whose password was right, inside its final transaction. An
    accepted code's step is kept so that it is never accepted again."""
    row = session.get(TwoStepSecret, user_id)
    if row is None:
        return CodeCheck.NOT_NEEDED
    if code is None or not code.strip():
        return CodeCheck.MISSING
    typed = rules.clean_code(code)
    step = _matching_step(row.secret, typed, now, last_step=row.last_step) if typed else None
    if step is None:
        return CodeCheck.WRONG
    row.last_step = step
    return CodeCheck.ACCEPTED


def _totp(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret, digits=rules.DIGITS, interval=rules.STEP_SECONDS)


def _matching_step(secret: str, code: str, now: datetime, *, last_step: int | None) -> int | None:
    """The step (of 30 s) whose code this is, within the drift allowed and after the last one used."""
    totp = _totp(secret)
    here = int(now.timestamp()) // rules.STEP_SECONDS
    for step in range(here - rules.DRIFT_STEPS, here + rules.DRIFT_STEPS + 1):
        if (last_step is None or step > last_step) and hmac.compare_digest(totp.at(step * rules.STEP_SECONDS), code):
            return step
    return None


def _own_account(actor: Actor) -> int:
    if actor.user_id is None or actor.sole_user:
        raise PermissionDenied("Two-step sign-in is for personal accounts; this database is in single-user mode.")
    return actor.user_id
