"""Reading staff from someone else's spreadsheet: which column is which, and what a cell means.

HR and payroll exports name their columns in many ways ("Surname", "Last name", "NMC PIN") and
write dates the British way. These rules guess the columns from their headings (the person
importing can change every guess) and read dates in UK (dd/mm/yyyy) or ISO (yyyy-mm-dd) form,
refusing anything ambiguous or impossible rather than guessing.
"""

from __future__ import annotations

import calendar
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from arrs_desk.domain.dates import format_uk


@dataclass(frozen=True)
class ImportField:
    key: str
    label: str
    required: bool
    headings: tuple[str, ...]  # normalised headings that mean this field, best first
    hint: str = ""
    partial: bool = True  # may a heading that merely contains one of these words be guessed?


IMPORT_FIELDS: tuple[ImportField, ...] = (
    ImportField("employee_number", "Employee number", False,
                ("employee number", "employee no", "employee id", "employee ref", "employee reference",
                 "staff number", "staff no", "staff id", "payroll number", "payroll no", "payroll id",
                 "personnel number", "person number", "assignment number", "esr number", "esr employee number",
                 "esr assignment number", "emp no", "emp id"),
                "the number the employer's HR or payroll system gives the person; it finds them again on the "
                "next import"),
    ImportField("title", "Title", False, ("title", "name title", "salutation", "honorific", "courtesy title"),
                "Dr, Mr, Mrs, Ms, Miss, Mx, Prof…", partial=False),
    ImportField("given_name", "First name", True,
                ("first name", "given name", "forename", "forenames", "first names", "given names", "first")),
    ImportField("family_name", "Family name", True,
                ("family name", "surname", "last name", "lastname", "last")),
    ImportField("preferred_name", "Preferred name", False, ("preferred name", "known as", "preferred first name")),
    ImportField("email", "Email", False,
                ("email", "email address", "work email", "nhs email", "nhsmail", "e mail", "work email address")),
    ImportField("role", "Role", True,
                ("role", "arrs role", "job title", "role title", "job role", "position", "post", "title of post"),
                "a role title or code from the catalogue, e.g. Paramedic or PARA"),
    ImportField("employer", "Employer", True,
                ("employer", "employing organisation", "employing organization", "employed by", "employer name",
                 "employer ods code", "organisation"),
                "a practice or employer's name or ODS code"),
    ImportField("employment_model", "Employment model", False,
                ("employment model", "employment type", "employment arrangement", "contract type"),
                "practice, PCN, seconded, subcontracted or rotational"),
    ImportField("practices", "Base practice(s)", True,
                ("practices", "practice", "base practice", "base practices", "base", "site", "sites", "location",
                 "work location", "practice ods code"),
                "names or ODS codes, separated by ; or ,"),
    ImportField("start_date", "Start date", True,
                ("start date", "date started", "employment start date", "start", "date of joining", "joined",
                 "hire date", "contract start date"),
                "dd/mm/yyyy or yyyy-mm-dd"),
    ImportField("end_date", "End date", False,
                ("end date", "leaving date", "date left", "leave date", "termination date", "contract end date"),
                "dd/mm/yyyy or yyyy-mm-dd"),
    ImportField("leaving_reason", "Reason for leaving", False, ("leaving reason", "reason for leaving")),
    ImportField("status", "Status", False, ("status", "employment status", "staff status"),
                "pre-start, in induction, active, on leave or left; left empty, the dates decide"),
    ImportField("afc_band", "AfC band", False, ("afc band", "band", "pay band", "agenda for change band", "grade")),
    ImportField("hours_per_week", "Hours a week", False,
                ("hours per week", "hours", "contracted hours", "weekly hours", "hours a week", "contract hours")),
    ImportField("register", "Register", False,
                ("register", "regulator", "professional register", "registration body", "regulatory body")),
    ImportField("registration_number", "Registration number", False,
                ("registration number", "professional registration number", "registration no", "reg number",
                 "reg no", "pin", "nmc pin", "hcpc number", "hcpc registration number", "gphc number",
                 "gphc registration number", "gmc number", "registration")),
    ImportField("registration_renewal", "Registration renewal", False,
                ("registration renewal", "renewal date", "registration expiry", "registration expiry date",
                 "revalidation date", "renewal")),
    ImportField("line_manager", "Line manager", False,
                ("line manager", "line manager email", "manager", "manager email", "reports to"),
                "the manager's email address or full name, already on ARRS Desk's staff list"),
)
FIELDS_BY_KEY = {f.key: f for f in IMPORT_FIELDS}


def normalise_heading(heading: object) -> str:
    """Lower case, accents and punctuation dropped, words single-spaced: 'E-mail Address ' -> 'e mail address'."""
    text = unicodedata.normalize("NFKD", str(heading or "")).encode("ascii", "ignore").decode()
    text = re.sub(r"\(.*?\)", " ", text.lower())
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def guess_mapping(headings: Sequence[object]) -> dict[str, int]:
    """field key -> column index, for the columns whose heading says what they hold.

    Exact heading matches win over partial ones, and no column is used twice, so 'Email' and
    'Line manager email' go where they belong.
    """
    normal = [normalise_heading(h) for h in headings]
    mapping: dict[str, int] = {}
    used: set[int] = set()
    for exact in (True, False):
        for field in IMPORT_FIELDS:
            if field.key in mapping:
                continue
            if not exact and not field.partial:
                continue
            for wanted in field.headings:
                match = next((i for i, h in enumerate(normal) if i not in used and h and (
                    h == wanted if exact else (len(wanted) > 3 and re.search(rf"\b{re.escape(wanted)}\b", h)))), None)
                if match is not None:
                    mapping[field.key] = match
                    used.add(match)
                    break
    return mapping


_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_name) if name})
_MONTHS["sept"] = 9


def _checked(year: int, month: int, day: int, raw: str) -> date:
    if not 1 <= month <= 12:
        raise ValueError(f"'{raw}' is not a date: there is no month {month}. Use dd/mm/yyyy, e.g. 01/09/2026.")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise ValueError(
            f"'{raw}' is not a real date: {calendar.month_name[month]} {year} has {last} days."
        )
    if not 1900 <= year <= 2200:
        raise ValueError(f"'{raw}': the year {year} looks wrong.")
    return date(year, month, day)


def parse_date(value: object) -> date | None:
    """A spreadsheet date cell, UK form first: 01/09/2026, 1-9-2026, 1.9.2026, 2026-09-01, 1 Sep 2026.

    Empty cells give None. Two-digit years and American month-first dates are not guessed at:
    04/05/2026 is always 4 May 2026.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = str(value).strip()
    if not raw:
        return None
    text = raw.split("T")[0].split(" 00:00")[0].strip()
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
        return _checked(int(m[1]), int(m[2]), int(m[3]), raw)
    if m := re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})", text):
        if len(m[3]) != 4:
            raise ValueError(f"'{raw}': write the year in full (e.g. 01/09/2026), so it cannot be misread.")
        return _checked(int(m[3]), int(m[2]), int(m[1]), raw)
    if m := re.fullmatch(r"(\d{1,2})[ \-]([A-Za-z]+)\.?[ \-,]+(\d{4})", text):
        month = _MONTHS.get(m[2].lower())
        if month:
            return _checked(int(m[3]), month, int(m[1]), raw)
    if m := re.fullmatch(r"(\d{5})(?:\.0+)?", text):
        # A date cell the spreadsheet holds as its day number (the column not formatted as dates):
        # not read as one, since nothing in the file says it is, but said plainly.
        day = EXCEL_DAY_ZERO + timedelta(days=int(m[1]))
        raise ValueError(f"'{raw}' looks like a date kept as a spreadsheet day number ({day:%d/%m/%Y}?). Format the "
                         "column as dates (dd/mm/yyyy) in the spreadsheet and save it again.")
    raise ValueError(f"'{raw}' is not a date ARRS Desk can read. Use dd/mm/yyyy (e.g. 01/09/2026) or yyyy-mm-dd.")


EXCEL_DAY_ZERO = date(1899, 12, 30)
"""Day 0 of Excel's (and LibreOffice's) day numbers, as they count them after February 1900."""


def cell_text(value: object) -> str:
    """A cell as text: whole numbers without '.0' (spreadsheets store 2071234 as 2071234.0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date)):
        return format_uk(value)
    return str(value).strip()


def parse_hours(value: object) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (int, float)):
        hours = float(value)
    else:
        text = re.sub(r"\s*(hours?|hrs?|h)\s*(a|per)?\s*(week|wk)?\.?$", "", str(value).strip(), flags=re.I)
        try:
            hours = float(text.replace(",", "."))
        except (ValueError, OverflowError):
            raise ValueError(f"'{value}' is not a number of hours (e.g. 37.5).") from None
    if not math.isfinite(hours):  # "1e400", "inf" and "nan" read as floats but are no number of hours
        raise ValueError(f"'{str(value)[:40]}' is not a number of hours (e.g. 37.5).")
    return hours


def parse_band(value: object) -> str:
    """'Band 6', 'AfC 8a', '6' -> '6', '8a'."""
    text = cell_text(value)
    return re.sub(r"^(afc\s+)?(band\s+)?", "", text, flags=re.I).strip().lower() if text else ""


def split_list(value: object, separators: str = ";,|\n") -> list[str]:
    return [part.strip() for part in re.split(f"[{re.escape(separators)}]", cell_text(value)) if part.strip()]


@lru_cache(maxsize=4096)
def lookup_key(text: str) -> str:
    """How names are compared: case, accents and punctuation aside."""
    return normalise_heading(text)


def name_key(text: str) -> str:
    """How organisations' names and codes are compared: as `lookup_key`, but the words in brackets
    kept. Dropped (as they are from a heading's '(dd/mm/yyyy)'), 'The Health Centre (Lowtown)' read
    as 'The Health Centre (Hightown)', silently: two practices, one name without the brackets."""
    return lookup_key(text.replace("(", " ").replace(")", " "))
