"""Importing staff from a CSV or Excel file (an HR or payroll export): all of it, or none of it.

Every row is read and checked by the same rules as the staff editor before anything is
written; one problem anywhere (a bad date, an unknown practice, a duplicate email) and the
whole import writes nothing, with each problem listed by spreadsheet row and field. A row that
is someone already on the staff list (the same employee number at the same employer, or the same
email address) updates their record with the cells the file fills, and the preview says, field by
field, what would change; a file imported twice changes nothing the second time. A clean file is
written in one transaction, so a PC switched off half-way leaves no half-import.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import delete, insert, update
from sqlmodel import Session

from arrs_desk.domain import staff as rules
from arrs_desk.domain.permissions import Action
from arrs_desk.domain.staff import StaffStatus
from arrs_desk.domain.staff_import import FIELDS_BY_KEY, IMPORT_FIELDS, cell_text
from arrs_desk.errors import StaleEdit, ValidationError
from arrs_desk.services import audit, induction
from arrs_desk.services._common import require
from arrs_desk.services.actor import Actor
from arrs_desk.services.import_checks import (  # noqa: F401  (ImportOptions, FieldChange: part of this API)
    CheckedRow, FieldChange, ImportOptions, check_rows,
)
from arrs_desk.services.import_table import (  # noqa: F401  (re-exported: the file side of an import)
    MAX_ROWS, ImportTable, read_table, sheet_names,
)
from arrs_desk.services.staff import StaffService
from arrs_desk.store.database import Database
from arrs_desk.store.models import Staff, StaffPractice, utcnow

ACTION_LABELS = {"new": "New", "update": "Update", "unchanged": "No change"}


@dataclass(frozen=True)
class RowProblem:
    row_number: int
    field: str
    message: str
    label: str = ""  # the column's name where the field is not a staff field (a training import's "Completed")

    @property
    def field_label(self) -> str:
        if self.label:
            return self.label
        return FIELDS_BY_KEY[self.field].label if self.field in FIELDS_BY_KEY else self.field

    def __str__(self) -> str:
        return f"Row {self.row_number}, {self.field_label}: {self.message}"


@dataclass(frozen=True)
class PreviewRow:
    row_number: int
    name: str  # as lists show it: never with the title glued on
    role: str  # as the file wrote it
    practices: str
    start_date: date | None
    email: str
    problems: tuple[RowProblem, ...]
    action: str = "new"  # "new", "update" or "unchanged"
    role_matched: str = ""  # the catalogue role it was read as, e.g. "Care Co-ordinator → Care coordinator"
    status: str = ""  # the status it is saved with, e.g. "Pre-start"
    matched_by: str = ""  # how an existing person was found: "employee number" or "email address"
    changes: tuple[FieldChange, ...] = ()
    notes: tuple[str, ...] = ()  # what the import decided for this row, e.g. a title split off a name
    title: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def action_label(self) -> str:
        return ACTION_LABELS[self.action]

    def describe(self) -> str:
        """What importing this row does, in words: 'New', or 'Update: Email from … to …; …'; for a
        refused row, what it is for and why it is refused."""
        if self.problems:
            return f"{self.action_label}, refused: " + "; ".join(f"{p.field_label}: {p.message}" for p in self.problems)
        if self.action == "update":
            return "Update: " + "; ".join(str(c) for c in self.changes)
        if self.action == "unchanged":
            return f"No change: already on the staff list (found by {self.matched_by})"
        return "New"


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

    def count(self, action: str) -> int:
        return sum(row.action == action for row in self.rows if row.ok)

    @property
    def to_write(self) -> int:
        """Rows that would add or change a record."""
        return self.count("new") + self.count("update")


@dataclass(frozen=True)
class ImportResult:
    created: int
    staff_ids: list[int]  # the new records
    updated: int = 0
    updated_ids: tuple[int, ...] = ()
    unchanged: int = 0


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


class StaffImportService:
    def __init__(self, db: Database, today: Callable[[], date]):
        self._db = db
        self._today = today
        self._staff = StaffService(db, today)

    @staticmethod
    def read(*, path: str | Path, sheet: str | None = None) -> ImportTable:
        return read_table(path, sheet)

    def preview(self, actor: Actor, *, table: ImportTable, options: ImportOptions,
                progress: Callable[[int, int], None] | None = None) -> ImportPreview:
        """Every row checked as the import would check it, and what it would do; nothing is written."""
        require(actor, Action.CREATE_STAFF)
        self.check_mapping(options)
        with self._db.read() as session:
            rows = check_rows(self._staff, session, actor, table, options, self._today(), progress)
        return ImportPreview([_preview_row(table, options, row) for row in rows])

    def import_rows(self, actor: Actor, *, table: ImportTable, options: ImportOptions,
                    progress: Callable[[int, int], None] | None = None) -> ImportResult:
        """All rows in one transaction, or none: ImportRejected lists every problem by row and field.

        `progress(done, total)` is called as rows are checked; raising from it (Cancelled) stops the
        import and rolls everything back.
        """
        require(actor, Action.CREATE_STAFF)
        self.check_mapping(options)
        with self._db.write() as session:
            rows = check_rows(self._staff, session, actor, table, options, self._today(), progress)
            problems = [RowProblem(row.number, f, m) for row in rows for f, m in row.ordered_problems()]
            if problems:
                raise ImportRejected(problems)
            note = f" (imported from {table.source})"
            new = [row for row in rows if row.action == "new"]
            changed = [row for row in rows if row.action == "update"]
            ids = self._staff.add_validated(session, actor, rows=[(row.values, row.data.practice_ids) for row in new],
                                            note=note) if new else []
            self._update(session, actor, changed, note)
            unchanged = len(rows) - len(new) - len(changed)
            audit.record(session, actor, "import", "staff", "",
                         f"Imported {len(ids)} staff records from {table.source}"
                         + (f" and updated {len(changed)}" if changed else "")
                         + (f" ({unchanged} already up to date)" if unchanged else ""),
                         {"file": [None, table.source], "rows": [None, len(rows)], "added": [None, len(ids)],
                          "updated": [None, len(changed)]})
            if progress:
                progress(len(rows), len(rows))
            return ImportResult(len(ids), ids, len(changed), tuple(row.existing_id for row in changed), unchanged)

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

    def _update(self, session: Session, actor: Actor, rows: list[CheckedRow], note: str) -> None:
        """Write the changed fields of people already on the list, each only if nobody saved them since
        the rows were checked (the version), with an audit entry each and moved induction dates."""
        now = utcnow()
        entries = []
        for row in rows:
            staff_id, before, version = row.existing_id, row.before, row.version
            fields = {c.field for c in row.changes} - {"practice_ids"}
            values = {name: row.values[name] for name in fields}
            if values:
                result = session.execute(
                    update(Staff).where(Staff.id == staff_id, Staff.version == version)
                    .values(**values, version=version + 1, updated_at=now)
                    .execution_options(synchronize_session=False))
                if result.rowcount != 1:
                    raise StaleEdit("Someone changed a staff record while the file was being imported. Nothing "
                                    "was imported; check the file again and import it.")
            if "practice_ids" in {c.field for c in row.changes}:
                self._relink(session, staff_id, before["practice_ids"], row.data.practice_ids)
            if "start_date" in values:
                person = session.get(Staff, staff_id, populate_existing=True)
                induction.on_start_date_changed(session, person, before["start_date"])
            after = {**row.values, "practice_ids": sorted(set(row.data.practice_ids))}
            name = rules.display_name(row.values["given_name"], row.values["family_name"],
                                      row.values["preferred_name"])
            entries.append(audit.entry_values(
                actor, "update", "staff", staff_id,
                f"Updated {name}{note}: " + ", ".join(c.label for c in row.changes),
                audit.diff({k: before.get(k) for k in after}, after, [c.field for c in row.changes]),
                subject_staff_id=staff_id,
            ))
        audit.record_many(session, entries, by=actor)

    @staticmethod
    def _relink(session: Session, staff_id: int, before: list[int], after: list[int]) -> None:
        gone, added = set(before) - set(after), set(after) - set(before)
        if gone:
            session.execute(delete(StaffPractice).where(StaffPractice.staff_id == staff_id,
                                                        StaffPractice.organisation_id.in_(gone)))
        if added:
            session.execute(insert(StaffPractice), [{"staff_id": staff_id, "organisation_id": org_id}
                                                    for org_id in sorted(added)])


def _preview_row(table: ImportTable, options: ImportOptions, row: CheckedRow) -> PreviewRow:
    data = row.data
    values = row.values or {}
    if data is not None:
        name = rules.display_name(values.get("given_name", data.given_name), values.get("family_name", data.family_name),
                                  values.get("preferred_name", data.preferred_name))
    else:
        name = rules.display_name(_cell(table, options, "given_name", row), _cell(table, options, "family_name", row),
                                  _cell(table, options, "preferred_name", row))
    status = StaffStatus(data.status).label if row.status_settled else ""  # blank while its dates are refused
    return PreviewRow(
        row.number, name, _cell(table, options, "role", row), _cell(table, options, "practices", row),
        data.start_date if data is not None else None, data.email if data is not None else "",
        tuple(RowProblem(row.number, f, m) for f, m in row.ordered_problems()),
        action=row.action, role_matched=row.role.describe() if row.role else "", status=status,
        matched_by=row.matched_by, changes=tuple(row.changes), notes=tuple(row.notes),
        title=values.get("title", data.title if data is not None else ""),
    )


def _cell(table: ImportTable, options: ImportOptions, key: str, row: CheckedRow) -> str:
    column = options.mapping.get(key)
    cells = table.rows[row.index]
    return cell_text(cells[column]) if column is not None and column < len(cells) else ""
