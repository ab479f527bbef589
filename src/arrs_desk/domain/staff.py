"""Rules about staff records that do not depend on storage: vocabularies, names, checks."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from enum import StrEnum

from arrs_desk.domain.dates import format_uk

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


# --- titles -------------------------------------------------------------------------------

TITLES = ("Dr", "Mr", "Mrs", "Ms", "Miss", "Mx", "Prof")
"""Offered in the editor; any other short title (Revd, Sister, Cllr…) may be typed."""
MAX_TITLE_LENGTH = 20
_TITLE_SPELLINGS = {"dr": "Dr", "doctor": "Dr", "mr": "Mr", "mrs": "Mrs", "ms": "Ms", "miss": "Miss", "mx": "Mx",
                    "prof": "Prof", "professor": "Prof"}
"""Spellings read as a title when they start a name: 'Dr.', 'DR', 'Doctor'. Kept to words that are
never first names, so splitting a title off a name is never a guess."""
_LEADING_WORD = re.compile(r"^\s*([^\W\d_]+)(?:\.\s*|\s+)(\S.*)$")


def normalise_title(text: str) -> str:
    """'dr.' -> 'Dr', 'PROFESSOR' -> 'Prof'; any other title as typed, without a final full stop."""
    cleaned = " ".join(text.split()).rstrip(".").strip()
    return _TITLE_SPELLINGS.get(cleaned.casefold(), cleaned)


def title_problem(title: str) -> str | None:
    if len(title) > MAX_TITLE_LENGTH:
        return f"A title is at most {MAX_TITLE_LENGTH} characters (e.g. Dr, Mrs, Mx, Prof)."
    if any(ch.isdigit() or ch in "@,;/" for ch in title):
        return f"'{title}' is not a title. Use one such as {', '.join(TITLES)}, or leave it empty."
    return None


def split_title(name: str) -> tuple[str, str]:
    """('Dr', 'Priya') from 'Dr Priya' or 'Dr. Priya'; ('', name) when it does not start with a title.

    Only the spellings above count, and only with more name after them: 'Miss' alone stays a name.
    """
    match = _LEADING_WORD.match(name)
    if match and match.group(1).casefold() in _TITLE_SPELLINGS:
        return _TITLE_SPELLINGS[match.group(1).casefold()], match.group(2).strip()
    return "", name


def formal_name(title: str, given_name: str, family_name: str, preferred_name: str = "") -> str:
    """How a person is named on letters, certificates and signature pages: 'Dr Priya Patel'."""
    return f"{title.strip()} {display_name(given_name, family_name, preferred_name)}".strip()


# --- status and dates ---------------------------------------------------------------------

INDUCTION_DAYS = 90
"""A starter is "in induction" for their first 90 days, as the demo PCN and the import reckon it."""


def search_key(*parts: str) -> str:
    """A folded form for searching: case- and accent-insensitive, so 'zoe' finds 'Zoë'. The parts
    are folded one by one: in a staff row only a name is usually not plain ASCII, and decomposing
    the role, practices and e-mail beside it too took most of the staff list's time at 10,000 staff."""
    text = " ".join(filter(None, parts))  # the empty parts left out, without a Python step per part
    if text.isascii():  # nothing to decompose: most rows
        return text.lower()
    return " ".join(_folded(p) for p in parts if p)


def _folded(text: str) -> str:
    if text.isascii():  # nothing to decompose
        return text.lower()
    return text.translate(_FOLDED_CHARACTERS)


def fold_character(character: str) -> str:
    """One character casefolded, decomposed and stripped of its accents: 'Ö' -> 'o', 'ß' -> 'ss'.

    Folding text is this, character by character: casefolding and decomposition work per
    character, and the only thing decomposition does across characters (putting a run of
    combining marks in canonical order) is undone by dropping the marks."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", character.casefold()) if not unicodedata.combining(ch))


class _FoldedCharacters(dict):
    """Each character's folded form, worked out the first time it is met: `str.translate` then
    folds a name in C (a PCN's names use a few hundred characters), where decomposing each name
    in Python was about a fifth of building the staff list's 10,000 rows."""

    LIMIT = 65_536
    """Characters kept at most: a file of every character there is would not grow it further."""

    def __missing__(self, code: int) -> str:
        folded = fold_character(chr(code))
        if len(self) < self.LIMIT:
            self[code] = folded
        return folded


_FOLDED_CHARACTERS = _FoldedCharacters()


NHS_BEGAN = date(1948, 7, 5)
"""The earliest start date a staff record takes: the day the NHS began. Nobody in post in a PCN
today started before it (they would be over 90), so an earlier date is a slip, such as 01/01/1900
(a spreadsheet's empty date) or a date of birth typed in the start date's place, which the editor
and the import both took without a word. A fixed date rather than "so many years ago", so the
limit never moves under a record and can be said plainly."""


def start_date_problem(start: date | None) -> str | None:
    """What is wrong with a start date that is too far back to be one, or None."""
    if start is not None and start < NHS_BEGAN:
        return (f"The start date ({format_uk(start)}) is before the NHS began on {format_uk(NHS_BEGAN)}; "
                "check the date (is it a date of birth, or a mistyped year?).")
    return None


def date_order_problem(start: date | None, end: date | None) -> str | None:
    if start and end and end < start:
        return (
            f"The end date ({format_uk(end)}) is before the start date ({format_uk(start)}). "
            "Enter an end date on or after the start date."
        )
    return None


def has_left_by(end: date | None, today: date) -> bool:
    """Whether an end date says the person has left by `today`. The end date is their last day in
    post: someone whose last day is today is still at work today, and has left from tomorrow."""
    return end is not None and end < today


def marked_if_left(name: str, left: bool) -> str:
    """A name offered in a list for a record made while its person was in post (a session's
    attendee or supervisor, an enrolment's assessor), marked when they have since left."""
    return f"{name} (has left)" if left else name


def status_from_dates(start: date, end: date | None, today: date) -> StaffStatus:
    """The status the dates give: left once the end date has passed, pre-start before the start
    date, in induction for the first 90 days, then active."""
    if has_left_by(end, today):
        return StaffStatus.LEFT
    if start > today:
        return StaffStatus.PRE_START
    if (today - start).days < INDUCTION_DAYS:
        return StaffStatus.INDUCTION
    return StaffStatus.ACTIVE


_SAVED_STATUS = {status.value: status for status in StaffStatus} | {status: status for status in StaffStatus}
"""A saved status's text (or the status itself) -> the status: a dict lookup, where `StaffStatus(text)`
runs Python code, for each of the tens of thousands of times a page's reads ask who is in post."""


def effective_status(status: str, start: date, end: date | None, today: date) -> StaffStatus:
    """The status a record has on `today`: the one saved, moved on by its dates.

    Nobody edits a record on the morning someone starts or the day after their last day, so every
    read that asks who is in post asks this, never the saved status alone: Left once saved so or
    once the end date has passed, Pre-start before the start date, and a Pre-start whose start
    date has come is in post (in induction for the first 90 days). Otherwise the saved status
    stands: Active, On leave, or an induction that runs long are a manager's choice."""
    saved = _SAVED_STATUS.get(status) or StaffStatus(status)  # StaffStatus(...) raises for a status not known
    if saved is StaffStatus.LEFT or has_left_by(end, today):
        return StaffStatus.LEFT
    if start > today:
        return StaffStatus.PRE_START
    if saved is StaffStatus.PRE_START:
        return status_from_dates(start, end, today)
    return saved


def in_post(status: str, start: date, end: date | None, today: date) -> bool:
    """Whether the person works here on `today`: started, and not left (`effective_status`).
    `services.reference.in_post_where` asks the same of the database."""
    return effective_status(status, start, end, today) not in NOT_IN_POST


NOT_IN_POST = frozenset({StaffStatus.LEFT, StaffStatus.PRE_START})
"""The effective statuses of someone who does not work here on the day (`in_post`)."""


def status_fits_dates(status: StaffStatus, start: date, end: date | None, today: date, *,
                      strict: bool = True) -> bool:
    """Whether `status` can be right for these dates.

    Pre-start only before the start date. Left only once the last day (the end date) has come:
    on that day Left and the statuses of someone in post both fit, as a leaver may be recorded on
    their last day. Strictly (a status an HR file gives, where "Active" means "employed"), someone
    in their first 90 days is in induction or on leave, not yet Active; otherwise (a status a
    manager chose) Active is allowed then too. In induction may run past 90 days, and anyone in
    post may be on leave.
    """
    if status is StaffStatus.LEFT:
        return end is not None and end <= today
    implied = status_from_dates(start, end, today)
    if implied in (StaffStatus.LEFT, StaffStatus.PRE_START) or status is StaffStatus.PRE_START:
        return status is implied
    if status is StaffStatus.ACTIVE:
        return implied is StaffStatus.ACTIVE or not strict
    return True


def suggested_status(start: date | None, end: date | None, today: date) -> StaffStatus | None:
    """The status the dates imply, where they imply one; other statuses are a manager's choice."""
    if has_left_by(end, today):
        return StaffStatus.LEFT
    if start and start > today:
        return StaffStatus.PRE_START
    return None
