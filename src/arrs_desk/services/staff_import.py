"""Importing staff from a CSV or Excel file (an HR or payroll export): all of it, or none of it.

Every row is read and checked by the same rules as the staff editor before anything is
written; one problem anywhere (a bad date, an unknown practice, a duplicate email) and the
whole import writes nothing, with each problem listed by spreadsheet row and field. A clean
file is written in one transaction, so a PC switched off half-way leaves no half-import.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlmodel import Session

from arrs_desk.domain import staff as rules
from arrs_desk.domain.catalogue import builtin_catalogue
from arrs_desk.domain.permissions import Action
from arrs_desk.domain.registration import normalise_registration_number
from arrs_desk.domain.staff import EmploymentModel, StaffStatus
from arrs_desk.domain.staff_import import (
    FIELDS_BY_KEY, IMPORT_FIELDS, cell_text, guess_mapping, lookup_key, parse_band, parse_date, parse_hours,
    split_list,
)
from arrs_desk.errors import ValidationError
from arrs_desk.services import audit
from arrs_desk.services._common import require
from arrs_desk.services.actor import Actor
from arrs_desk.services.staff import PreloadedStaffLookups, StaffInput, StaffService
from arrs_desk.store.database import Database
from arrs_desk.store.models import Organisation, Role, Staff

MAX_ROWS = 50_000
PROGRESS_EVERY = 250

# Where a StaffService validation message about a StaffInput field belongs among the import's fields.
_INPUT_TO_FIELD = {
    "role_code": "role", "employer_id": "employer", "practice_ids": "practices", "register_code": "register",
    "line_manager_id": "line_manager",
}
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


@dataclass(frozen=True)
class ImportTable:
    """A file's cells as read, before any meaning is given to them."""

    source: str  # the file name, for messages and the audit trail
    headings: list[str]
    rows: list[list[object]]
    row_numbers: list[int]  # each row's number in the spreadsheet, as people see it there

    def guess_mapping(self) -> dict[str, int]:
        return guess_mapping(self.headings)

    def sample(self, column: int, limit: int = 3) -> list[str]:
        values = (cell_text(row[column]) for row in self.rows if column < len(row))
        return [v for v in values if v][:limit]


@dataclass
class ImportOptions:
    mapping: dict[str, int]  # field key -> column index
    default_employer_id: int | None = None
    default_practice_ids: list[int] = field(default_factory=list)
    default_status: str = StaffStatus.ACTIVE.value
    default_employment_model: str = EmploymentModel.PRACTICE.value


@dataclass(frozen=True)
class RowProblem:
    row_number: int
    field: str
    message: str

    @property
    def field_label(self) -> str:
        return FIELDS_BY_KEY[self.field].label if self.field in FIELDS_BY_KEY else self.field

    def __str__(self) -> str:
        return f"Row {self.row_number}, {self.field_label}: {self.message}"


@dataclass(frozen=True)
class PreviewRow:
    row_number: int
    name: str
    role: str
    practices: str
    start_date: date | None
    email: str
    problems: tuple[RowProblem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class ImportPreview:
    rows: list[PreviewRow]

    @property
    def problems(self) -> list[RowProblem]:
        return [p for row in self.rows for p in row.problems]

    @property
    def ok_count(self) -> int:
        return sum(row.ok for row in self.rows)

    @property
    def problem_rows(self) -> int:
        return len(self.rows) - self.ok_count


@dataclass(frozen=True)
class ImportResult:
    created: int
    staff_ids: list[int]


class ImportRejected(ValidationError):
    """The file had problems, so nothing was imported. `problems` lists each by row and field."""

    title = "Nothing was imported"

    def __init__(self, problems: Sequence[RowProblem]):
        self.problems = list(problems)
        rows = len({p.row_number for p in self.problems})
        shown = "\n".join(str(p) for p in self.problems[:20])
        more = f"\n…and {len(self.problems) - 20} more." if len(self.problems) > 20 else ""
        super().__init__({
            "": f"Nothing was imported: {len(self.problems)} problem{'s' if len(self.problems) != 1 else ''} "
                f"in {rows} row{'s' if rows != 1 else ''}. Fix them in the file (or the column choices) "
                f"and import again.\n{shown}{more}"
        })


# --- reading files ---------------------------------------------------------------------------


def _file_problem(message: str) -> ValidationError:
    return ValidationError.single("file", message)


def sheet_names(path: str | Path) -> list[str]:
    """The worksheets of an Excel file (empty for CSV), so the person can pick the right one."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        return []
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True)
    except Exception as exc:  # noqa: BLE001  (openpyxl raises many kinds for a bad file)
        raise _file_problem(f"{path.name} cannot be read as an Excel workbook: {exc}") from None
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def read_table(path: str | Path, sheet: str | None = None) -> ImportTable:
    """Read a CSV (UTF-8 or Windows encoding; comma, semicolon or tab) or an .xlsx worksheet."""
    path = Path(path)
    if not path.is_file():
        raise _file_problem(f"{path} does not exist.")
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        grid = _read_xlsx(path, sheet)
    elif suffix in (".csv", ".txt", ".tsv"):
        grid = _read_csv(path)
    elif suffix == ".xls":
        raise _file_problem(f"{path.name} is an old-style Excel file (.xls). Open it in Excel and save it as "
                            ".xlsx or CSV, then import that.")
    else:
        raise _file_problem(f"{path.name} is not a CSV or Excel (.xlsx) file.")
    numbered = [(n, row) for n, row in enumerate(grid, start=1) if any(cell_text(c) for c in row)]
    if not numbered:
        raise _file_problem(f"{path.name} is empty.")
    (_, headings), data = numbered[0], numbered[1:]
    if not data:
        raise _file_problem(f"{path.name} has a heading row but no staff rows under it.")
    if len(data) > MAX_ROWS:
        raise _file_problem(f"{path.name} has {len(data):,} rows; ARRS Desk imports at most {MAX_ROWS:,} at a time.")
    width = max(len(headings), *(len(row) for _, row in data))
    heading_text = [cell_text(h) or f"Column {i + 1}" for i, h in enumerate(list(headings) + [None] * width)][:width]
    rows = [list(row) + [None] * (width - len(row)) for _, row in data]
    return ImportTable(path.name, heading_text, rows, [n for n, _ in data])


def _read_csv(path: Path) -> list[list[object]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # cp1252 decodes almost anything; latin-1 decodes everything
        text = raw.decode("latin-1")
    if "\x00" in text:
        raise _file_problem(f"{path.name} is not a text (CSV) file.")
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def _read_xlsx(path: Path, sheet: str | None) -> list[list[object]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001
        raise _file_problem(f"{path.name} cannot be read as an Excel workbook: {exc}") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise _file_problem(f"{path.name} has no worksheet called {sheet!r}.")
        worksheet = book[sheet] if sheet is not None else book.worksheets[0]
        return [list(row) for row in worksheet.iter_rows(values_only=True)]
    finally:
        book.close()


# --- checking rows ----------------------------------------------------------------------------


@dataclass
class _Row:
    index: int  # in table.rows
    number: int  # in the spreadsheet
    data: StaffInput
    problems: dict[str, str]
    values: dict | None = None


class _Resolver:
    """Turns cells into the ids and codes a record holds, from tables read once per import."""

    def __init__(self, session: Session, options: ImportOptions):
        self.options = options
        self.roles: dict[str, Role] = {}
        for role in session.execute(select(Role).where(Role.active)).scalars():
            self.roles[lookup_key(role.code)] = role
            self.roles.setdefault(lookup_key(role.title), role)
        self.orgs: dict[str, int] = {}
        for org in session.execute(select(Organisation).where(Organisation.active)).scalars():
            self.orgs[lookup_key(org.ods_code)] = org.id
            self.orgs.setdefault(lookup_key(org.name), org.id)
        self.managers_by_email: dict[str, int] = {}
        self.managers_by_name: dict[str, list[int]] = {}
        for sid, given, family, preferred, email in session.execute(
            select(Staff.id, Staff.given_name, Staff.family_name, Staff.preferred_name, Staff.email)
        ):
            if email:
                self.managers_by_email[email.lower()] = sid
            for first in {given, preferred} - {""}:
                self.managers_by_name.setdefault(lookup_key(f"{first} {family}"), []).append(sid)
        self.registers = builtin_catalogue().registers

    def role(self, text: str) -> str:
        if not text:
            raise ValueError("Role is empty; every row needs one.")
        role = self.roles.get(lookup_key(text))
        if role is None:
            raise ValueError(f"'{text}' is not a role in ARRS Desk's catalogue. Use the role's title "
                             "(e.g. Paramedic, Clinical pharmacist) or its code (e.g. PARA, CPH).")
        return role.code

    def organisation(self, text: str, what: str) -> int:
        org_id = self.orgs.get(lookup_key(text))
        if org_id is None:
            raise ValueError(f"'{text}' is not {what} ARRS Desk knows. Use its name or ODS code as shown "
                             "under Practices and employers.")
        return org_id

    def employer(self, text: str) -> int | None:
        if not text:
            if self.options.default_employer_id is None:
                raise ValueError("Employer is empty, and no employer was chosen for rows that do not say.")
            return self.options.default_employer_id
        return self.organisation(text, "an organisation")

    def practices(self, value: object) -> list[int]:
        names = split_list(value)
        if not names:
            if not self.options.default_practice_ids:
                raise ValueError("No base practice given, and none was chosen for rows that do not say.")
            return list(self.options.default_practice_ids)
        return [self.organisation(name, "a practice") for name in names]

    def status(self, text: str) -> str:
        if not text:
            return self.options.default_status
        key = lookup_key(text)
        for status in StaffStatus:
            if key in (lookup_key(status.value), lookup_key(status.label)):
                return status.value
        if key in _STATUS_WORDS:
            return _STATUS_WORDS[key].value
        raise ValueError(f"'{text}' is not a status. Use one of: {', '.join(s.label for s in StaffStatus)}.")

    def employment_model(self, text: str) -> str:
        if not text:
            return self.options.default_employment_model
        key = lookup_key(text)
        for model in EmploymentModel:
            if key in (lookup_key(model.value), lookup_key(model.label)):
                return model.value
        if key in _MODEL_WORDS:
            return _MODEL_WORDS[key].value
        raise ValueError(f"'{text}' is not an employment model. Use one of: "
                         f"{', '.join(m.label for m in EmploymentModel)}.")

    def register(self, text: str, role_code: str, number: str) -> str:
        role = next((r for r in self.roles.values() if r.code == role_code), None)
        allowed = tuple(role.registers) if role else ()
        if text:
            key = lookup_key(text)
            found = [r for r in self.registers if key in (lookup_key(r.code), lookup_key(r.name), lookup_key(r.regulator))]
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
        matching = [code for code in allowed if (reg := builtin_catalogue().register(code)) and reg.matches(number)]
        if len(matching) == 1:
            return matching[0]
        raise ValueError(f"Say which register {number} is on: one of {', '.join(allowed)}.")

    def line_manager(self, text: str) -> int | None:
        if not text:
            return None
        if "@" in text:
            found = self.managers_by_email.get(text.strip().lower())
            if found is None:
                raise ValueError(f"Nobody on the staff list has the email address {text}.")
            return found
        ids = self.managers_by_name.get(lookup_key(text), [])
        if len(ids) == 1:
            return ids[0]
        if ids:
            raise ValueError(f"{len(ids)} people are called {text}; give the manager's email address instead.")
        raise ValueError(f"Nobody called {text} is on the staff list (line managers must be added first).")


def _convert(resolver: _Resolver, table: ImportTable, index: int, options: ImportOptions) -> _Row:
    cells = table.rows[index]
    problems: dict[str, str] = {}

    def raw(key: str) -> object:
        column = options.mapping.get(key)
        return cells[column] if column is not None and column < len(cells) else None

    def text(key: str) -> str:
        return cell_text(raw(key))

    def attempt(key: str, convert: Callable[[], object], default: object = None) -> object:
        try:
            return convert()
        except ValueError as exc:
            problems[key] = str(exc)
            return default

    role_code = attempt("role", lambda: resolver.role(text("role")), "")
    number = normalise_registration_number(text("registration_number"))
    data = StaffInput(
        given_name=text("given_name"), family_name=text("family_name"), preferred_name=text("preferred_name"),
        email=text("email"), role_code=role_code,
        employer_id=attempt("employer", lambda: resolver.employer(text("employer"))),
        employment_model=attempt("employment_model", lambda: resolver.employment_model(text("employment_model")), ""),
        practice_ids=attempt("practices", lambda: resolver.practices(raw("practices")), []),
        start_date=attempt("start_date", lambda: parse_date(raw("start_date"))),
        end_date=attempt("end_date", lambda: parse_date(raw("end_date"))),
        leaving_reason=text("leaving_reason"),
        status=attempt("status", lambda: resolver.status(text("status")), ""),
        afc_band=parse_band(raw("afc_band")),
        hours_per_week=attempt("hours_per_week", lambda: parse_hours(raw("hours_per_week"))),
        register_code=attempt("register", lambda: resolver.register(text("register"), role_code, number), ""),
        registration_number=text("registration_number"),
        registration_renewal=attempt("registration_renewal", lambda: parse_date(raw("registration_renewal"))),
        line_manager_id=attempt("line_manager", lambda: resolver.line_manager(text("line_manager"))),
    )
    if "start_date" not in problems and data.start_date is None:
        problems["start_date"] = "Start date is empty; every row needs one (dd/mm/yyyy)."
    return _Row(index, table.row_numbers[index], data, problems)


class StaffImportService:
    def __init__(self, db: Database, today: Callable[[], date]):
        self._db = db
        self._staff = StaffService(db, today)

    @staticmethod
    def read(path: str | Path, sheet: str | None = None) -> ImportTable:
        return read_table(path, sheet)

    def preview(self, actor: Actor, table: ImportTable, options: ImportOptions,
                progress: Callable[[int, int], None] | None = None) -> ImportPreview:
        """Every row checked as the import would check it; nothing is written."""
        require(actor, Action.CREATE_STAFF)
        self.check_mapping(options)
        with self._db.read() as session:
            rows = self._checked(session, actor, table, options, progress)
        return ImportPreview([
            PreviewRow(
                row.number, rules.display_name(row.data.given_name, row.data.family_name, row.data.preferred_name),
                _cell(table, options, "role", row), _cell(table, options, "practices", row), row.data.start_date,
                row.data.email, tuple(RowProblem(row.number, f, m) for f, m in _ordered(row.problems)),
            )
            for row in rows
        ])

    def import_rows(self, actor: Actor, table: ImportTable, options: ImportOptions,
                    progress: Callable[[int, int], None] | None = None) -> ImportResult:
        """All rows in one transaction, or none: ImportRejected lists every problem by row and field.

        `progress(done, total)` is called as rows are checked; raising from it (Cancelled) stops the
        import and rolls everything back.
        """
        require(actor, Action.CREATE_STAFF)
        self.check_mapping(options)
        with self._db.write() as session:
            rows = self._checked(session, actor, table, options, progress)
            problems = [RowProblem(row.number, f, m) for row in rows for f, m in _ordered(row.problems)]
            if problems:
                raise ImportRejected(problems)
            ids = self._staff.add_validated(
                session, actor, [(row.values, row.data.practice_ids) for row in rows],
                note=f" (imported from {table.source})",
            )
            audit.record(session, actor, "import", "staff", "",
                         f"Imported {len(ids)} staff records from {table.source}",
                         {"file": [None, table.source], "rows": [None, len(ids)]})
            if progress:
                progress(len(rows), len(rows))
            return ImportResult(len(ids), ids)

    @staticmethod
    def check_mapping(options: ImportOptions) -> None:
        """Every required field has a column (or, for employer and practice, a value for every row)."""
        columns = [c for c in options.mapping.values() if c is not None]
        if len(columns) != len(set(columns)):
            raise ValidationError.single("mapping", "Each column of the file can fill only one field.")
        missing = [f.label for f in IMPORT_FIELDS if f.required and f.key not in options.mapping
                   and not (f.key == "employer" and options.default_employer_id)
                   and not (f.key == "practices" and options.default_practice_ids)]
        if missing:
            raise ValidationError.single(
                "mapping", "Choose the column holding: " + ", ".join(missing)
                + " (employer and practice can instead be chosen for every row).")

    def _checked(self, session: Session, actor: Actor, table: ImportTable, options: ImportOptions,
                 progress: Callable[[int, int], None] | None) -> list[_Row]:
        resolver = _Resolver(session, options)
        lookups = PreloadedStaffLookups(session)
        seen_emails: dict[str, int] = {}
        seen_numbers: dict[tuple[str, str], int] = {}
        rows = []
        total = len(table.rows)
        for index in range(total):
            if progress and index % PROGRESS_EVERY == 0:
                progress(index, total)
            row = _convert(resolver, table, index, options)
            try:
                row.values = self._staff._validated(session, row.data, None, lookups, actor=actor)
            except ValidationError as exc:
                for input_field, message in exc.errors.items():
                    key = _INPUT_TO_FIELD.get(input_field, input_field)
                    row.problems.setdefault(key, message)  # a cell that could not be read says so first
            email = _email_of(row)
            if email:
                if email in seen_emails:
                    row.problems.setdefault("email", f"{email} is also on row {seen_emails[email]} of this file.")
                else:
                    seen_emails[email] = row.number
            if row.values and row.values["registration_number"]:
                key = (row.values["register_code"], row.values["registration_number"])
                if key in seen_numbers:
                    row.problems.setdefault("registration_number",
                                            f"{key[1]} is also on row {seen_numbers[key]} of this file.")
                else:
                    seen_numbers[key] = row.number
            rows.append(row)
        return rows


def _email_of(row: _Row) -> str:
    return (row.values or {}).get("email") or row.data.email.strip().lower()


def _ordered(problems: dict[str, str]) -> list[tuple[str, str]]:
    order = {f.key: i for i, f in enumerate(IMPORT_FIELDS)}
    return sorted(problems.items(), key=lambda item: order.get(item[0], len(order)))


def _cell(table: ImportTable, options: ImportOptions, key: str, row: _Row) -> str:
    column = options.mapping.get(key)
    return cell_text(table.rows[row.index][column]) if column is not None else ""
