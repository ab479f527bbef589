"""Rules for sign-in accounts: usernames, password strength, and the lock-out delay."""

from __future__ import annotations

import re
from datetime import date, timedelta

from arrs_desk.domain.dates import format_uk

MIN_PASSWORD_LENGTH = 10
FREE_ATTEMPTS = 3
"""Failed sign-ins allowed before each further attempt must wait."""

MAX_LOCKOUT = timedelta(minutes=15)

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,59}$")
_COMMON = frozenset({
    "password", "password1", "password123", "passw0rd", "qwerty", "letmein", "welcome", "welcome1",
    "123456789", "1234567890", "iloveyou", "nhs12345", "changeme", "practice", "surgery123",
})


def normalise_username(raw: str) -> str:
    return raw.strip().lower()


def username_problem(username: str) -> str | None:
    if not username:
        return "Username is required."
    if not _USERNAME.match(username):
        return ("Usernames are 2 to 60 characters: lower-case letters, digits, dots, hyphens and "
                "underscores, starting with a letter or digit (for example j.smith).")
    return None


MAX_PASSWORD_LENGTH = 256
"""The longest password kept; a password box takes no more (`ui.common.secret_field`)."""

PASSWORD_ADVICE = (f"Choose a password of at least {MIN_PASSWORD_LENGTH} characters, without your name or "
                   "username: three random words work well.")
"""The rules `password_problem` holds a new password to, said before anyone types one."""


def password_problem(password: str, *, username: str = "", display_name: str = "") -> str | None:
    """Length beats complexity rules (NCSC guidance): ask for a long passphrase, refuse the obvious."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Passwords must be at least {MIN_PASSWORD_LENGTH} characters. Three random words make a strong one."
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Passwords can be at most {MAX_PASSWORD_LENGTH} characters."
    lowered = password.lower()
    if lowered in _COMMON or len(set(lowered)) < 4:
        return "That password is too easy to guess. Try three random words."
    for part in [username, *display_name.lower().split()]:
        if part and len(part) >= 3 and part.lower() in lowered:
            return "Passwords must not contain your name or username."
    return None


def lockout_delay(failed_attempts: int) -> timedelta:
    """No wait for the first few mistakes, then 30 s doubling to at most 15 minutes.

    Enough to stop guessing on a shared PC, short enough that a flustered user is not locked
    out of a clinic session for long.
    """
    extra = failed_attempts - FREE_ATTEMPTS
    if extra < 0:
        return timedelta(0)
    return min(timedelta(seconds=30 * 2 ** min(extra, 10)), MAX_LOCKOUT)


def left_on(end_date: date | None, today: date) -> str:
    """" on dd/mm/yyyy" for a leaver's last day once it has passed, else "" (a record saved as Left
    with no end date, or one ending later): what "your staff record says you left" is followed by."""
    return f" on {format_uk(end_date)}" if end_date is not None and end_date < today else ""
