"""Signatures recorded on someone's behalf: how they arrived, how they read, which dates are allowed.

An external supervisor or a signer without an account signs on paper or in an e-mail; the
person's line manager or an administrator then records it. The record keeps the signer's
details as signed and says who typed it in, so nobody mistakes it for a signature made in the app.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from arrs_desk.domain.dates import format_uk


class ReceivedVia(StrEnum):
    PAPER = "paper"
    EMAIL = "email"

    @property
    def label(self) -> str:
        """For a choice in a form."""
        return {ReceivedVia.PAPER: "On paper (a signed sheet or form)",
                ReceivedVia.EMAIL: "By e-mail"}[self]

    @property
    def source(self) -> str:
        """For 'recorded by Y from …'."""
        return {ReceivedVia.PAPER: "paper", ReceivedVia.EMAIL: "e-mail"}[self]


def received_via_problem(value: str) -> str | None:
    try:
        ReceivedVia(value)
    except ValueError:
        return "Say how the signature was received: on paper or by e-mail."
    return None


def signed_date_problem(day: date | None, *, today: date, earliest: date | None, earliest_what: str) -> str | None:
    """Why `day` cannot be the date signed, or None. `earliest_what` names the event it may not
    precede, as in "before {earliest_what} (dd/mm/yyyy)"."""
    if day is None:
        return "Enter the date written beside the signature."
    if day > today:
        return f"The date signed ({format_uk(day)}) is in the future; enter the date written beside the signature."
    if earliest is not None and day < earliest:
        return (f"The date signed ({format_uk(day)}) is before {earliest_what} ({format_uk(earliest)}); "
                "check the date on the signature.")
    return None


@dataclass(frozen=True, slots=True)
class SignedOnBehalf:
    """A signature recorded on the signer's behalf, as views show it."""

    name: str
    role: str
    organisation: str
    registration: str
    signed_on: date | None
    received_via: str
    recorded_by: str
    recorded_at: datetime | None

    @property
    def source(self) -> str:
        try:
            return ReceivedVia(self.received_via).source
        except ValueError:
            return "paper"

    def summary(self, verb: str) -> str:
        """'Confirmed by X (recorded by Y from paper, dd/mm/yyyy)', the date being the date signed."""
        recorder = self.recorded_by or "someone who no longer has an account"
        day = f", {format_uk(self.signed_on)}" if self.signed_on else ""
        return f"{verb} by {self.name} (recorded by {recorder} from {self.source}{day})"

    @property
    def credentials(self) -> str:
        """'Role, Organisation · Registration', leaving out what was not given."""
        who = ", ".join(part for part in (self.role, self.organisation) if part)
        return " · ".join(part for part in (who, self.registration) if part)
