"""Reading an import's cells: what each means as a staff record holds it.

Roles are read forgivingly (see `domain.role_names`), organisations by name or ODS code, dates
the UK way; each answer is remembered for the import, since an export repeats the same few
roles, employers and statuses thousands of times. A cell that cannot be read becomes a problem
named by its field, never a guess.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Protocol

from sqlalchemy import select
from sqlmodel import Session

from arrs_desk.domain import staff as rules
from arrs_desk.domain.catalogue import builtin_catalogue
from arrs_desk.domain.dates import format_uk
from arrs_desk.domain.role_names import RoleMatch
from arrs_desk.domain.staff import EmploymentModel, StaffStatus
from arrs_desk.domain.staff_import import (
    cell_text, lookup_key, name_key, parse_band, parse_date, parse_hours, split_list,
)
from arrs_desk.store.models import Organisation, Role, Staff

_STATUS_WORDS = {
    "current": StaffStatus.ACTIVE, "in post": StaffStatus.ACTIVE, "employed": StaffStatus.ACTIVE,
    "leaver": StaffStatus.LEFT, "left": StaffStatus.LEFT, "inactive": StaffStatus.LEFT,
    "new starter": StaffStatus.PRE_START, "starter": StaffStatus.PRE_START, "not started": StaffStatus.PRE_START,
    "induction": StaffStatus.INDUCTION, "on leave": StaffStatus.ON_LEAVE, "maternity leave": StaffStatus.ON_LEAVE,
}
_MODEL_WORDS = {
    "practice employed": EmploymentModel.PRACTICE, "practice": EmploymentModel.PRACTICE,
    "pcn employed": EmploymentModel.PCN, "pcn": EmploymentModel.PCN, "direct": EmploymentModel.PCN,
    "secondment": EmploymentModel.SECONDED, "subcontract": EmploymentModel.SUBCONTRACTED,
    "rotation": EmploymentModel.ROTATIONAL,
}


class RowFindings(Protocol):
    """What reading a row's cells writes onto the row (`import_checks.CheckedRow` has these):
    named here so this module need not import the one that imports it."""

    problems: dict[str, str]
    notes: list[str]
    role: RoleMatch | None


class Resolver:
    """Turns cells into the ids and codes a record holds, from tables read once per import."""

    def __init__(self, session: Session):
        catalogue = builtin_catalogue()
        active = session.execute(select(Role).where(Role.active)).scalars().all()
        self.roles = {role.code: role for role in active}
        self.role_titles = dict(session.execute(select(Role.code, Role.title)).all())
        self.role_names = catalogue.role_names([(r.code, r.title) for r in active])
        self.orgs: dict[str, int] = {}
        self.org_names: dict[int, str] = {}
        self.inactive_orgs: dict[str, str] = {}  # names and codes of organisations turned off, to say so
        self.shared_names: set[str] = set()  # names two active organisations share
        for org in session.execute(select(Organisation)).scalars():
            self.org_names[org.id] = org.name
            if org.active:
                self.orgs[name_key(org.ods_code)] = org.id
                if name_key(org.name) in self.orgs:  # made before names had to differ: the code tells them apart
                    self.shared_names.add(name_key(org.name))
                self.orgs.setdefault(name_key(org.name), org.id)
            else:
                self.inactive_orgs[name_key(org.ods_code)] = org.name
                self.inactive_orgs.setdefault(name_key(org.name), org.name)
        self.org_keys = self.orgs.keys() | self.inactive_orgs.keys()
        self.managers_by_email: dict[str, int] = {}
        self.managers_by_name: dict[str, list[int]] = {}
        self.staff_names: dict[int, str] = {}
        for sid, given, family, preferred, email in session.execute(
            select(Staff.id, Staff.given_name, Staff.family_name, Staff.preferred_name, Staff.email)
        ):
            self.staff_names[sid] = rules.display_name(given, family, preferred)
            if email:
                self.managers_by_email[email.lower()] = sid
            for first in {given, preferred} - {""}:
                self.managers_by_name.setdefault(lookup_key(f"{first} {family}"), []).append(sid)
        self.registers = catalogue.registers
        self._seen: dict[tuple[str, str], object] = {}
        # (cell key, StaffInput field, how to read the cell's text (None: as it is)), in file order.
        self.converters: tuple[tuple[str, str, Callable[[str, object], object] | None], ...] = (
            *((key, key, None) for key in ("employee_number", "title", "given_name", "family_name", "preferred_name",
                                           "email", "leaving_reason", "registration_number")),
            ("role", "role_code", self._remembered("role", self.role)),
            ("employer", "employer_id", self._remembered("employer", lambda t: self.organisation(t, "an organisation"))),
            ("employment_model", "employment_model", self._remembered("model", self.employment_model)),
            ("practices", "practice_ids", lambda t, raw: self.practices(raw)),
            ("start_date", "start_date", lambda t, raw: parse_date(raw)),
            ("end_date", "end_date", lambda t, raw: parse_date(raw)),
            ("status", "status", self._remembered("status", self.status)),
            ("afc_band", "afc_band", lambda t, raw: parse_band(raw)),
            ("hours_per_week", "hours_per_week", lambda t, raw: parse_hours(raw)),
            ("registration_renewal", "registration_renewal", lambda t, raw: parse_date(raw)),
            ("line_manager", "line_manager_id", self._remembered("manager", self.line_manager)),
        )

    def _remembered(self, kind: str, read: Callable[[str], object]) -> Callable[[str, object], object]:
        """`read`, remembering each answer: an export repeats the same few roles, employers and statuses."""
        def reader(text: str, _raw: object) -> object:
            key = (kind, text)
            if key not in self._seen:
                try:
                    self._seen[key] = read(text)
                except ValueError as exc:
                    self._seen[key] = exc
            found = self._seen[key]
            if isinstance(found, ValueError):
                raise ValueError(str(found))
            return found
        return reader

    def role(self, text: str) -> RoleMatch:
        return self.role_names.match(text)

    def organisation(self, text: str, what: str) -> int:
        if name_key(text) in self.shared_names:
            raise ValueError(f"'{text}' is the name of more than one organisation under Practices and employers. "
                             "Use the ODS code of the one meant.")
        org_id = self.orgs.get(name_key(text))
        if org_id is None and (name := self.inactive_orgs.get(name_key(text))):
            # It is listed under Practices and employers, so "not one ARRS Desk knows" sent people there
            # to find it shown exactly as they wrote it.
            named = f"'{text}'" if name_key(text) == name_key(name) else f"'{text}' ({name})"
            raise ValueError(f"{named} is marked as not active under Practices and employers, so nobody can be "
                             "added to it. Make it active again there, or correct the file.")
        if org_id is None:
            raise ValueError(f"'{text}' is not {what} ARRS Desk knows. Use its name or ODS code as shown "
                             "under Practices and employers.")
        return org_id

    def practices(self, value: object) -> list[int]:
        """Practices separated by ; | or a new line, or by commas. A comma inside a practice's own name
        ("Drs Patel, Shah and Partners") does not split it: the longest run of comma-separated parts
        that names a practice is taken, so such a practice was not refused as "'Drs Patel' is not a
        practice ARRS Desk knows" when written exactly as it is shown under Practices and employers."""
        ids: list[int] = []
        for part in split_list(value, ";|\n"):
            pieces = split_list(part, ",")
            start = 0
            while start < len(pieces):
                end = next((end for end in range(len(pieces), start + 1, -1)
                            if name_key(", ".join(pieces[start:end])) in self.org_keys), start + 1)
                ids.append(self.organisation(", ".join(pieces[start:end]), "a practice"))
                start = end
        return ids

    def status(self, text: str) -> StaffStatus:
        key = lookup_key(text)
        for status in StaffStatus:
            if key in (lookup_key(status.value), lookup_key(status.label)):
                return status
        if key in _STATUS_WORDS:
            return _STATUS_WORDS[key]
        raise ValueError(f"'{text}' is not a status. Use one of: {', '.join(s.label for s in StaffStatus)}.")

    def employment_model(self, text: str) -> str:
        key = lookup_key(text)
        for model in EmploymentModel:
            if key in (lookup_key(model.value), lookup_key(model.label)):
                return model.value
        if key in _MODEL_WORDS:
            return _MODEL_WORDS[key].value
        raise ValueError(f"'{text}' is not an employment model. Use one of: "
                         f"{', '.join(m.label for m in EmploymentModel)}.")

    def register(self, text: str, role_code: str, number: str) -> str:
        role = self.roles.get(role_code)
        allowed = tuple(role.registers) if role else ()
        if text:
            key = lookup_key(text)
            found = [r for r in self.registers
                     if key in (lookup_key(r.code), lookup_key(r.name), lookup_key(r.regulator))]
            preferred = [r for r in found if r.code in allowed] or found
            if len(preferred) == 1:
                return preferred[0].code
            matching = [r for r in preferred if number and r.matches(number)]
            if len(matching) == 1:
                return matching[0].code
            raise ValueError(f"'{text}' does not name one register. Use a register's code, e.g. "
                             f"{', '.join(allowed) or 'NMC, HCPC-PA, GPHC-PHARMACIST'}.")
        if not number or not allowed:
            return ""
        if len(allowed) == 1:
            return allowed[0]
        catalogue = builtin_catalogue()
        matching = [code for code in allowed if (reg := catalogue.register(code)) and reg.matches(number)]
        if len(matching) == 1:
            return matching[0]
        raise ValueError(f"Say which register {number} is on: one of {', '.join(allowed)}.")

    def line_manager(self, text: str) -> int:
        if "@" in text:
            found = self.managers_by_email.get(text.strip().lower())
            if found is None:
                raise ValueError(f"Nobody on the staff list has the email address {text}.")
            return found
        name = rules.split_title(text)[1]  # "Dr Samuel Okonkwo" is Samuel Okonkwo
        ids = self.managers_by_name.get(lookup_key(name), [])
        if len(ids) == 1:
            return ids[0]
        if ids:
            raise ValueError(f"{len(ids)} people are called {text}; give the manager's email address instead.")
        raise ValueError(f"Nobody called {text} is on the staff list (line managers must be added first).")

    def shown(self, name: str, value: object) -> str:
        """A stored value as a person reads it in the preview."""
        if value is None or value == "" or value == []:
            return ""
        if name == "role_code":
            return self.role_titles.get(value, value)
        if name == "employer_id":
            return self.org_names.get(value, str(value))
        if name == "practice_ids":
            return ", ".join(self.org_names.get(v, str(v)) for v in value)
        if name == "line_manager_id":
            return self.staff_names.get(value, "someone not on your list")
        if name == "status":
            return StaffStatus(value).label
        if name == "employment_model":
            return EmploymentModel(value).label
        if isinstance(value, date):
            return format_uk(value)
        if isinstance(value, float):
            return f"{value:g}"
        return str(value)


def read_cells(resolver: Resolver, cells: dict[str, object], row: RowFindings) -> dict[str, object]:
    """The StaffInput fields the row's filled cells give, converted; problems and notes onto `row`."""
    given: dict[str, object] = {}
    texts = {key: cell_text(value) for key, value in cells.items()}
    for key, target, convert in resolver.converters:
        text = texts.get(key)
        if not text:
            continue
        if convert is None:
            given[target] = text
            continue
        try:
            given[target] = convert(text, cells[key])
        except ValueError as exc:
            row.problems[key] = str(exc)
    if "role_code" in given:
        row.role = given["role_code"]  # type: ignore[assignment]
        given["role_code"] = row.role.code  # type: ignore[union-attr]
    _split_titles(given, row)
    return given


def _split_titles(given: dict[str, object], row: RowFindings) -> None:
    """'Dr Priya' typed as a first or preferred name: the title goes into Title, where that is sure."""
    title = rules.normalise_title(str(given.get("title", "")))
    for key, label in (("given_name", "first name"), ("preferred_name", "preferred name")):
        typed = str(given.get(key, ""))
        found, rest = rules.split_title(typed)
        if not found:
            continue
        if title and title != found:
            row.problems[key] = (f"'{typed}' starts with the title {found}, but the Title column says {title}. "
                                 "Correct one of them in the file.")
            continue
        if key == "preferred_name" and lookup_key(rest) == lookup_key(str(given.get("family_name", ""))):
            rest = ""  # "Dr Patel" says how to address Dr Patel, not a first name
        title = found
        given["title"] = found
        given[key] = rest
        row.notes.append(f"Title {found} taken out of the {label} '{typed}'.")
