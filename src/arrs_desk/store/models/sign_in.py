"""What signing in needs besides the account itself: lock-outs for names that have no account,
notices an account holder must see, and whether an account's link to a staff record is trusted.

Unknown names are locked out exactly as real accounts are, so that neither the messages nor the
number of tries tell a stranger which usernames exist.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel


class SignInThrottle(SQLModel, table=True):
    """Failed sign-ins for a username that has no active account."""

    __tablename__ = "sign_in_throttle"

    username: str = Field(max_length=60, primary_key=True)
    failed_attempts: int = Field(default=0)
    locked_until: datetime | None = Field(default=None)


class AccountNotice(SQLModel, table=True):
    """Something an administrator did to an account that its holder must hear about at their next
    sign-in (a password reset, their staff record linked to an account)."""

    __tablename__ = "account_notice"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    created_at: datetime
    text: str = Field(max_length=500)
    seen_at: datetime | None = Field(default=None)


class AccountLinkTrust(SQLModel, table=True):
    """An account whose staff link or password an administrator set: until its holder sets their own
    password, the link does not open that person's private notes. No row: trusted (as before 0013)."""

    __tablename__ = "account_link_trust"

    user_id: int = Field(foreign_key="user_account.id", primary_key=True)
    trusted: bool = Field(default=False)
    changed_at: datetime


class TwoStepSecret(SQLModel, table=True):
    """An account's second factor: the shared secret of its authenticator app (RFC 6238 time-based
    codes). A row exists only once the holder has proved their app works by typing a code from it.
    `last_step` is the 30-second step of the last code accepted, so a code is never accepted twice."""

    __tablename__ = "two_step_secret"

    user_id: int = Field(foreign_key="user_account.id", primary_key=True)
    secret: str = Field(max_length=64)
    enabled_at: datetime
    last_step: int | None = Field(default=None)
