"""Rules about staff records that do not depend on storage: vocabularies, names, checks."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from enum import StrEnum

STANDARD_FULL_TIME_HOURS = 37.5
"""Agenda for Change full-time week, used to turn contracted hours into whole-time equivalent."""


class EmploymentModel(StrEnum):
    PRACTICE = "practice"
    PCN = "pcn"
    SECONDED = "seconded"
    SUBCONTRACTED = "subcontracted"
    ROTATIONAL = "rotational"

    @property
    def label(self) -> str:
        return EMPLOYMENT_MODEL_LABELS[self]


EMPLOYMENT_MODEL_LABELS = {
    EmploymentModel.PRACTICE: "Practice-employed",
    EmploymentModel.PCN: "PCN-employed",
    EmploymentModel.SECONDED: "Seconded",
    EmploymentModel.SUBCONTRACTED: "Subcontracted",
    EmploymentModel.ROTATIONAL: "Rotational",
}


class StaffStatus(StrEnum):
    PRE_START = "pre_start"
    INDUCTION = "induction"
    ACTIVE = "active"
    ON_LEAVE = "on_leave"
    LEFT = "left"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    StaffStatus.PRE_START: "Pre-start",
    StaffStatus.INDUCTION: "In induction",
    StaffStatus.ACTIVE: "Active",
    StaffStatus.ON_LEAVE: "On leave",
    StaffStatus.LEFT: "Left",
}


class OrganisationKind(StrEnum):
    PCN = "pcn"
    PRACTICE = "practice"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {"pcn": "Primary care network", "practice": "GP practice", "other": "Other employer"}[self]


LEAVING_REASONS = (
    "Career progression elsewhere",
    "Returned to secondary care",
    "Returned to ambulance service",
    "Relocation",
    "Retirement",
    "End of fixed-term contract",
    "Lack of supervision or support",
    "Workload",
    "Pay and conditions",
    "Health",
    "Dismissal",
    "Other",
)

AFC_BANDS = ("2", "3", "4", "5", "6", "7", "8a", "8b", "8c", "8d", "9", "Medical", "Non-AfC")

_ODS_PRACTICE = re.compile(r"^[A-Z]\d{5}$")
_ODS_PCN = re.compile(r"^U\d{5}$")
_ODS_OTHER = re.compile(r"^[A-Z0-9]{3,6}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def ods_code_problem(kind: OrganisationKind, code: str) -> str | None:
    if kind is OrganisationKind.PRACTICE and _ODS_PCN.match(code):
        return f"'{code}' is a PCN code (U and 5 digits). A GP practice's ODS code is a letter and 5 digits, for example B86001."
    if kind is OrganisationKind.PRACTICE and not _ODS_PRACTICE.match(code):
        return f"'{code}' is not a GP practice ODS code. Expected a letter and 5 digits, for example B86001."
    if kind is OrganisationKind.PCN and not _ODS_PCN.match(code):
        return f"'{code}' is not a PCN ODS code. Expected U and 5 digits, for example U12345."
    if kind is OrganisationKind.OTHER and not _ODS_OTHER.match(code):
        return f"'{code}' is not an ODS code. Expected 3 to 6 letters and digits, for example RHQ."
    return None


def email_problem(email: str) -> str | None:
    if email and not _EMAIL.match(email):
        return f"'{email}' is not an email address. Expected a form like name@nhs.net."
    return None


def whole_time_equivalent(hours_per_week: float | None) -> float | None:
    if hours_per_week is None:
        return None
    return round(hours_per_week / STANDARD_FULL_TIME_HOURS, 2)


def display_name(given_name: str, family_name: str, preferred_name: str = "") -> str:
    """How a person is shown in lists: the name they go by, then their family name."""
    first = preferred_name.strip() or given_name.strip()
    return f"{first} {family_name.strip()}".strip()


def search_key(*parts: str) -> str:
    """A folded form for searching: case- and accent-insensitive, so 'zoe' finds 'Zoë'."""
    text = " ".join(p for p in parts if p)
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def date_order_problem(start: date | None, end: date | None) -> str | None:
    if start and end and end < start:
        return (
            f"The end date ({end:%d/%m/%Y}) is before the start date ({start:%d/%m/%Y}). "
            "Enter an end date on or after the start date."
        )
    return None


def suggested_status(start: date | None, end: date | None, today: date) -> StaffStatus | None:
    """The status the dates imply, where they imply one; other statuses are a manager's choice."""
    if end and end <= today:
        return StaffStatus.LEFT
    if start and start > today:
        return StaffStatus.PRE_START
    return None
