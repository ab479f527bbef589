"""Two-step sign-in: what a code from an authenticator app looks like, and when one is required.

Time-based one-time codes (RFC 6238, the kind Microsoft Authenticator, Google Authenticator and
the NHS's own apps show): six digits, a new one every 30 seconds. One step either side is
accepted, because a practice PC's clock and a phone's drift apart by a few seconds, and a person
may type the code just as it changes. A code once used is never accepted again.
"""

from __future__ import annotations

ISSUER = "ARRS Desk"
"""The name the authenticator app lists the account under."""
DIGITS = 6
STEP_SECONDS = 30
DRIFT_STEPS = 1
"""Codes from one step before or after now are accepted too."""


def clean_code(text: str) -> str | None:
    """The six digits of a typed code (spaces and a dash in the middle allowed), or None."""
    digits = "".join(c for c in (text or "") if not c.isspace() and c != "-")
    return digits if len(digits) == DIGITS and digits.isascii() and digits.isdigit() else None


def required_for(*, administrator: bool, shared_server: bool) -> bool:
    """Administrators of a shared PostgreSQL database must use a second factor: that database is
    reached from every practice's PCs, and an administrator's account opens every record. On an
    SQLite file (one PC, or a shared drive) it stays optional."""
    return administrator and shared_server


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing into an app by hand: 'ABCD EFGH ...'."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
