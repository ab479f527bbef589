"""Checking an import's rows: who each row is, the status it gets, and what saving it would change.

A row is someone already on the staff list when its employee number is theirs at the same
employer, or (failing that) when its email address and name are theirs; otherwise it is a new
person.
For someone already there, only the cells the file fills are taken: an empty cell never clears
what the record holds. Every row is then checked by the staff editor's own rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlmodel import Session

from arrs_desk.domain import staff as rules
from arrs_desk.domain.dates import format_uk
from arrs_desk.domain.permissions import AccessRole, Action, Relationship, denial
from arrs_desk.domain.registration import normalise_registration_number
from arrs_desk.domain.staff import EmploymentModel, StaffStatus
from arrs_desk.domain.staff_import import FIELDS_BY_KEY, IMPORT_FIELDS, cell_text, lookup_key
from arrs_desk.errors import ValidationError
from arrs_desk.services.actor import Actor
from arrs_desk.services.import_cells import Resolver, read_cells
from arrs_desk.services.import_table import ImportTable
from arrs_desk.services.relationships import SOLE_USER, has_left, managed_ids
from arrs_desk.services.staff import RECORD_FIELDS, PreloadedStaffLookups, StaffInput, StaffService
from arrs_desk.store.models import Staff, StaffPractice

if TYPE_CHECKING:
    from arrs_desk.domain.role_names import RoleMatch

PROGRESS_EVERY = 250

# Where a message about a StaffInput field belongs among the import's fields.
INPUT_TO_FIELD = {
    "role_code": "role", "employer_id": "employer", "practice_ids": "practices", "register_code": "register",
    "line_manager_id": "line_manager",
}
_IN_POST = (StaffStatus.ACTIVE, StaffStatus.INDUCTION, StaffStatus.ON_LEAVE)
_STATUS_FROM = frozenset({"start_date", "end_date", "status"})
"""The cells a row's status is worked out from (`choose_status`)."""
_LABELS = {**{f.key: f.label for f in IMPORT_FIELDS}, **{k: FIELDS_BY_KEY[v].label for k, v in INPUT_TO_FIELD.items()}}
_FIELD_ORDER = {f.key: i for i, f in enumerate(IMPORT_FIELDS)}


@dataclass
class ImportOptions:
    mapping: dict[str, int]  # field key -> column index
    default_employer_id: int | None = None
    default_practice_ids: list[int] = field(default_factory=list)
    default_status: str | None = None  # None: the dates decide (pre-start, in induction, active)
    default_employment_model: str = EmploymentModel.PRACTICE.value


@dataclass(frozen=True)
class FieldChange:
    """One field of someone's record that the import would change, as a person reads it."""

    field: str
    label: str
    before: str
    after: str

    def __str__(self) -> str:
        return f"{self.label} from {self.before or '(none)'} to {self.after or '(none)'}"


@dataclass
class CheckedRow:
    index: int  # in table.rows
    number: int  # in the spreadsheet
    problems: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    data: StaffInput | None = None
    values: dict | None = None  # as validated, ready to store
    existing_id: int | None = None
    matched_by: str = ""  # "employee number" or "email address"
    changes: list[FieldChange] = field(default_factory=list)
    role: RoleMatch | None = None
    before: dict | None = None  # the existing record's stored values (with practice_ids), for an update
    version: int | None = None  # the existing record's version as read

    @property
    def action(self) -> str:
        """What the row is for. A row for someone on the list with a refused cell is an update (as a
        refused new person's row is "new"), never "unchanged": its changes are not worked out while
        a cell is refused, and the preview said "No change" beside the refusal."""
        if self.existing_id is None:
            return "new"
        return "update" if self.changes or self.problems else "unchanged"

    @property
    def status_settled(self) -> bool:
        """Whether the status this row would be saved with is known. Not while a cell it is worked out
        from is refused: the preview said "Active" beside "Start date: not a real date"."""
        return self.data is not None and bool(self.data.status) and not self.problems.keys() & _STATUS_FROM

    def ordered_problems(self) -> list[tuple[str, str]]:
        return sorted(self.problems.items(), key=lambda item: _FIELD_ORDER.get(item[0], len(_FIELD_ORDER)))


class ExistingStaff:
    """Everyone already on the staff list, read once: who a row is, and what their record holds."""

    def __init__(self, session: Session, actor: Actor, lookups: PreloadedStaffLookups, today: date):
        self._actor = actor
        self.values: dict[int, dict] = {}
        self.versions: dict[int, int] = {}
        self.by_number: dict[tuple[int, str], int] = {}
        self.by_email: dict[str, int] = {}
        for row in session.execute(select(Staff.id, Staff.version, *(getattr(Staff, f) for f in RECORD_FIELDS))):
            sid, version, values = row[0], row[1], dict(zip(RECORD_FIELDS, row[2:]))
            values["practice_ids"] = []
            self.values[sid] = values
            self.versions[sid] = version
            if values["employee_number"]:
                self.by_number[(values["employer_id"], values["employee_number"])] = sid
            if values["email"]:
                self.by_email.setdefault(values["email"].lower(), sid)
        for sid, org_id in session.execute(select(StaffPractice.staff_id, StaffPractice.organisation_id)):
            if sid in self.values:
                self.values[sid]["practice_ids"].append(org_id)
        for values in self.values.values():
            values["practice_ids"].sort()
        self._managed: set[int] | None = None
        self._lookups = lookups
        mine = self.values.get(actor.staff_id) if actor.staff_id is not None else None
        self._holds = mine is None or not has_left(mine["status"], mine["start_date"], mine["end_date"], today)
        """Whether the actor's own record is not left: a line manager who has left manages nobody."""

    def find(self, employer_id: int | None, number: str, email: str, names: set[str], family: str,
             ) -> tuple[int | None, str]:
        """(staff id, how they were found) for the person a row describes, or (None, "").

        An employee number at the same employer is that person, whatever their name now. An email
        address is theirs only with the same family name and first (or preferred) name, so a
        mistyped or reused address never lets one person's row overwrite another's record.
        """
        if number and employer_id is not None:
            found = self.by_number.get((employer_id, number))
            if found is not None:
                return found, "employee number"
        if email:
            found = self.by_email.get(email.lower())
            if found is not None and not (number and self.values[found]["employee_number"]):
                held = self.values[found]
                if (lookup_key(held["family_name"]) == lookup_key(family)
                        and {lookup_key(held["given_name"]), lookup_key(held["preferred_name"])} & names - {""}):
                    return found, "email address"
        return None, ""

    def may_edit(self, staff_id: int) -> bool:
        actor = self._actor
        if actor.sole_user:
            relation = Relationship(is_self=True) if staff_id == actor.staff_id else SOLE_USER
        elif actor.staff_id is None or actor.has(AccessRole.ADMINISTRATOR):
            relation = Relationship(is_self=staff_id == actor.staff_id)
        elif staff_id == actor.staff_id:
            relation = Relationship(is_self=True)
        else:
            if self._managed is None:
                self._managed = (managed_ids(None, actor.staff_id, self._lookups.manager_map())  # type: ignore[arg-type]
                                 if self._holds else set())
            relation = Relationship(manages=staff_id in self._managed)
        return denial(actor.roles, Action.EDIT_STAFF, relation) is None

    def record(self, staff_id: int) -> StaffInput:
        values = self.values[staff_id]
        data = StaffInput(**{name: values[name] for name in RECORD_FIELDS}, practice_ids=list(values["practice_ids"]))
        data.employee_number = data.employee_number or ""
        return data


def choose_status(*, stated: StaffStatus | None, existing: StaffStatus | None, start: date | None,
                  end: date | None, today: date) -> tuple[StaffStatus, str]:
    """The status a row is saved with, and a note when it is not the one the file (or record) gave.

    The dates decide unless the status given fits them: nobody whose start date is still to come is
    imported as Active. An HR file's "Active" means "employed", so for someone already on the list
    it leaves In induction and On leave as they are.
    """
    if start is None:  # the start date's own problem is reported; nothing to reason from
        return stated or existing or StaffStatus.ACTIVE, ""
    implied = rules.status_from_dates(start, end, today)
    if stated is not None:
        if existing in _IN_POST and stated is StaffStatus.ACTIVE and rules.status_fits_dates(
                existing, start, end, today, strict=False):
            return existing, ""
        if rules.status_fits_dates(stated, start, end, today, strict=True):
            return stated, ""
        return implied, f"Status {implied.label}, not {stated.label} as the file says: {_dates_say(implied, start, end)}."
    if existing is not None:
        if rules.status_fits_dates(existing, start, end, today, strict=False):
            return existing, ""
        return implied, f"Status {implied.label}, not {existing.label}: {_dates_say(implied, start, end)}."
    return implied, ""


def _dates_say(status: StaffStatus, start: date, end: date | None) -> str:
    if status is StaffStatus.LEFT:
        return f"their end date {format_uk(end)} has passed"
    if status is StaffStatus.PRE_START:
        return f"they start on {format_uk(start)}"
    if status is StaffStatus.INDUCTION:
        return f"they started on {format_uk(start)}, within the last {rules.INDUCTION_DAYS} days"
    return f"they started on {format_uk(start)}"


def check_rows(staff: StaffService, session: Session, actor: Actor, table: ImportTable, options: ImportOptions,
               today: date, progress: Callable[[int, int], None] | None = None) -> list[CheckedRow]:
    """Every row read, matched and checked as saving it would; nothing is written."""
    resolver = Resolver(session)
    lookups = PreloadedStaffLookups(session)
    existing = ExistingStaff(session, actor, lookups, today)
    columns = [(key, column) for key, column in options.mapping.items() if column is not None]
    seen: dict[str, dict[object, int]] = {"person": {}, "number": {}, "email": {}, "registration": {}}
    rows = []
    total = len(table.rows)
    for index, cells in enumerate(table.rows):
        if progress and index % PROGRESS_EVERY == 0:
            progress(index, total)
        row = CheckedRow(index, table.row_numbers[index])
        named = {key: cells[column] if column < len(cells) else None for key, column in columns}
        given = read_cells(resolver, named, row)
        _check(staff, session, actor, resolver, lookups, existing, options, today, given, named, row)
        _note_duplicates(row, seen)
        rows.append(row)
    return rows


def _check(staff: StaffService, session: Session, actor: Actor, resolver: Resolver, lookups: PreloadedStaffLookups,
           existing: ExistingStaff, options: ImportOptions, today: date, given: dict[str, object],
           cells: dict[str, object], row: CheckedRow) -> None:
    employer_id = given.get("employer_id", options.default_employer_id)
    number = " ".join(str(given.get("employee_number", "")).split())
    names = {lookup_key(str(given.get("given_name", ""))), lookup_key(str(given.get("preferred_name", "")))}
    staff_id, via = existing.find(employer_id, number, str(given.get("email", "")).strip(),  # type: ignore[arg-type]
                                  names, str(given.get("family_name", "")))
    if staff_id is not None and not existing.may_edit(staff_id):
        row.existing_id, row.matched_by = staff_id, via  # someone on the list, not a new person, though refused
        row.problems.setdefault("employee_number" if via == "employee number" else "email", (
            f"This row is someone already on the staff list (the same {via}) who is not in your team, so you "
            "cannot update their record. Ask an administrator to import this row, or take it out of the file."))
        return
    stated = given.pop("status", None)
    if staff_id is not None:
        row.existing_id, row.matched_by = staff_id, via
        row.before, row.version = existing.values[staff_id], existing.versions[staff_id]
        base = existing.record(staff_id)
        before = StaffStatus(base.status)
    else:
        if stated is None and "status" not in row.problems and options.default_status:
            stated = StaffStatus(options.default_status)
        base = StaffInput(employer_id=options.default_employer_id, practice_ids=list(options.default_practice_ids),
                          employment_model=options.default_employment_model)
        before = None
        _required(given, base, row)
    data = replace(base, **given)
    if staff_id is not None:
        _came_back(base, given, data, row)
    _register(resolver, cells, given, base if staff_id is not None else None, data, row)
    status, note = choose_status(stated=stated, existing=before,  # type: ignore[arg-type]
                                 start=data.start_date, end=data.end_date, today=today)
    data.status = status.value
    row.data = data
    try:
        row.values = staff._validated(session, data, staff_id, lookups, actor=actor,
                                       stored=base if staff_id is not None else None)
    except ValidationError as exc:
        for input_field, message in exc.errors.items():
            row.problems.setdefault(INPUT_TO_FIELD.get(input_field, input_field), message)
    if note and row.status_settled:  # a status worked out from a refused date is no status at all
        row.notes.append(note)
    if row.values is not None and staff_id is not None:
        row.changes = _changes(existing.values[staff_id], row.values, data.practice_ids, resolver)


def _required(given: dict[str, object], base: StaffInput, row: CheckedRow) -> None:
    """A new person's required cells, said the way an import needs them said."""
    if "role_code" not in given and "role" not in row.problems:
        row.problems["role"] = "Role is empty; every row needs one."
    if "employer_id" not in given and base.employer_id is None and "employer" not in row.problems:
        row.problems["employer"] = "Employer is empty, and no employer was chosen for rows that do not say."
    if "practice_ids" not in given and not base.practice_ids and "practices" not in row.problems:
        row.problems["practices"] = "No base practice given, and none was chosen for rows that do not say."
    if "start_date" not in given and "start_date" not in row.problems:
        row.problems["start_date"] = "Start date is empty; every row needs one (dd/mm/yyyy)."


def _came_back(before: StaffInput, given: dict[str, object], data: StaffInput, row: CheckedRow) -> None:
    """A leaver's row starting after their last day, with no end date of its own, is their return:
    the earlier employment's end date and leaving reason go, as they do when the editor records a
    return. An empty cell never clears a field, so without this the return was refused as 'The end
    date (31/03/2025) is before the start date' with no end date in the file to correct."""
    if (before.end_date is None or "end_date" in given or data.start_date is None
            or data.start_date <= before.end_date):
        return
    data.end_date = None
    if "leaving_reason" not in given:
        data.leaving_reason = ""
    row.notes.append(f"Back after leaving on {format_uk(before.end_date)}: starts again on "
                     f"{format_uk(data.start_date)}, so the earlier end date and leaving reason are cleared.")


def _register(resolver: Resolver, cells: dict[str, object], given: dict[str, object], before: StaffInput | None,
              data: StaffInput, row: CheckedRow) -> None:
    """The register a registration number is on: as the file says, or as the role and number show."""
    text = cell_text(cells.get("register"))
    if not text and "registration_number" not in given:
        return
    number = normalise_registration_number(data.registration_number or "")
    if (not text and before is not None and before.register_code and data.role_code == before.role_code
            and number == before.registration_number):
        return  # the same number as on the record: its register stands
    try:
        data.register_code = resolver.register(text, data.role_code, number)
    except ValueError as exc:
        row.problems["register"] = str(exc)


def _changes(before: dict, values: dict, practice_ids: list[int], resolver: Resolver) -> list[FieldChange]:
    after = {**values, "practice_ids": sorted(set(practice_ids))}
    found = []
    for name in (*RECORD_FIELDS, "practice_ids"):
        old, new = before.get(name), after.get(name)
        if (old if old not in ("", []) else None) != (new if new not in ("", []) else None):
            found.append(FieldChange(name, _LABELS.get(name, name), resolver.shown(name, old), resolver.shown(name, new)))
    return sorted(found, key=lambda c: _FIELD_ORDER.get(INPUT_TO_FIELD.get(c.field, c.field), len(_FIELD_ORDER)))


def _note_duplicates(row: CheckedRow, seen: dict[str, dict[object, int]]) -> None:
    """Two rows of one file that are one person, or share what only one person may have."""
    values = row.values or {}
    email = values.get("email") or (row.data.email.strip().lower() if row.data else "")
    number, registration = values.get("employee_number"), values.get("registration_number")
    checks = [
        ("person", "employee_number" if row.matched_by == "employee number" else "email", row.existing_id,
         lambda first: f"Row {first} of this file is the same person (the same {row.matched_by})."),
        ("number", "employee_number", (values.get("employer_id"), number) if number else None,
         lambda first: f"Employee number {number} at the same employer is also on row {first} of this file."),
        ("email", "email", email or None, lambda first: f"{email} is also on row {first} of this file."),
        ("registration", "registration_number",
         (values.get("register_code"), registration) if registration else None,
         lambda first: f"{registration} is also on row {first} of this file."),
    ]
    for kind, key, value, message in checks:
        if value is None:
            continue
        first = seen[kind].setdefault(value, row.number)
        if first != row.number:
            row.problems.setdefault(key, message(first))
