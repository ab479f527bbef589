"""The parts of signing in that stop guessing and impersonation (issue 16, item 3).

- Lock-outs are taken under a row lock in a short transaction of their own, *before* the password
  is checked and never while it is hashed: parallel guesses cannot all slip past the counter (a
  PostgreSQL race let 16 through), and a sign-in never holds the write lock for the quarter of a
  second argon2 takes, so another copy's save is not refused as "busy".
- A name with no account is counted and locked in `sign_in_throttle` exactly as an account is, and
  its password is checked against a decoy hash made with the same settings, so the time taken,
  the messages and the lock-outs do not tell anyone which usernames exist.
- What an administrator does to someone's account (resets its password, links it to a staff
  record, unlinks it) leaves a notice its holder sees at their next sign-in and an "account_warning"
  entry in the audit trail; and until the holder has set their own password, the account's staff
  link does not open that person's private notes (see `link_trusted`).
"""

from __future__ import annotations

import hashlib

from datetime import datetime, timezone
from functools import cache

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from arrs_desk.clock import in_uk
from arrs_desk.services import audit
from arrs_desk.services.actor import Actor
from arrs_desk.store.models import AccountLinkTrust, AccountNotice, SignInThrottle, UserAccount


def hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()


def decoy_hash() -> str:
    """A hash of nothing anyone knows, made with the same settings as real ones: an unknown name,
    a deactivated account or a locked one is checked against it, so every attempt costs the same."""
    current = hasher()
    return _decoy(current.time_cost, current.memory_cost, current.parallelism)


@cache
def _decoy(time_cost: int, memory_cost: int, parallelism: int) -> str:
    import secrets

    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism) \
        .hash(secrets.token_urlsafe(32))


def verify(stored_hash: str | None, password: str) -> bool:
    """Always one argon2 verification, whether or not there is a real hash to check against."""
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return bool(hasher().verify(stored_hash or decoy_hash(), password)) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def aware(value: datetime | None) -> datetime | None:
    return value if value is None or value.tzinfo else value.replace(tzinfo=timezone.utc)


def throttle_key(name: str) -> str:
    """How `sign_in_throttle` knows a name without an account: a digest, never the text itself.
    People type their password into the name box, and the table goes into every full export."""
    return "sha256:" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:52]


def locked_counter(session, name: str, user: UserAccount | None):
    """The row that counts this name's failures, locked against parallel sign-ins until commit:
    the account itself, or the throttle row of a name without an active account."""
    name = throttle_key(name)
    if user is not None:
        # populate_existing: the row as it is once the lock is ours, not as this session first read it
        return session.execute(select(UserAccount).where(UserAccount.id == user.id).with_for_update()
                               .execution_options(populate_existing=True)).scalar_one()
    row = session.execute(select(SignInThrottle).where(SignInThrottle.username == name).with_for_update()).scalar_one_or_none()
    if row is None:
        try:
            with session.begin_nested():
                session.add(SignInThrottle(username=name, failed_attempts=0))
        except IntegrityError:  # a parallel attempt made it first: wait for its lock instead
            pass
        row = session.execute(select(SignInThrottle).where(SignInThrottle.username == name)
                              .with_for_update().execution_options(populate_existing=True)).scalar_one()
    return row


def wait_seconds(counter, now: datetime) -> int | None:
    """Seconds still to wait, or None when the name is not locked out now."""
    until = aware(counter.locked_until)
    if until is None or until <= now:
        return None
    return max(1, -int(-(until - now).total_seconds() // 1))


def clear_throttle(session, name: str) -> None:
    session.execute(update(SignInThrottle).where(SignInThrottle.username == throttle_key(name))
                    .values(failed_attempts=0, locked_until=None))


def lock_text(seconds: int) -> str:
    return f"Too many wrong passwords. Wait {seconds} seconds, then try again."


# --- notices and trust ----------------------------------------------------------------------
def warn(session, actor: Actor, user: UserAccount, summary: str, notice: str, now: datetime) -> None:
    """Tell the account holder at their next sign-in, and flag it in the audit trail."""
    session.add(AccountNotice(user_id=user.id, created_at=now, text=notice[:500]))
    audit.record(session, actor, "account_warning", "user", user.id, summary, subject_staff_id=user.staff_id)


def set_trusted(session, user_id: int, trusted: bool, now: datetime) -> None:
    row = session.get(AccountLinkTrust, user_id)
    if row is None:
        session.add(AccountLinkTrust(user_id=user_id, trusted=trusted, changed_at=now))
    else:
        row.trusted, row.changed_at = trusted, now


def link_trusted(session, user_id: int | None) -> bool:
    """Whether this account's staff link may open the linked person's private notes.

    An account an administrator linked to someone, or whose password an administrator set, is not
    trusted until its holder has chosen their own password; before 0013 every link was trusted.
    """
    if user_id is None:
        return True
    row = session.get(AccountLinkTrust, user_id)
    return row is None or row.trusted


def unseen_notices(session, user_id: int, now: datetime) -> list[str]:
    """The notices not yet shown to this account's holder, oldest first; marked as seen."""
    rows = session.execute(select(AccountNotice).where(AccountNotice.user_id == user_id, AccountNotice.seen_at.is_(None))
                           .order_by(AccountNotice.id)).scalars().all()
    for row in rows:
        row.seen_at = now
    return [row.text for row in rows]


def day_text(now: datetime) -> str:
    """When, as the reader's day and time in England (a reset at 00:30 on 01/06 read "31/05 at 23:30 (UTC)")."""
    return f"{in_uk(now):%d/%m/%Y at %H:%M}"


