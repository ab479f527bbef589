"""Reading an HR or payroll export (CSV or Excel) into rows of cells, before any meaning is given
to them: the first non-empty row is the headings, blank rows are skipped, and each row keeps its
number in the spreadsheet so that every problem can be found in the file.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from arrs_desk.domain.staff_import import cell_text, guess_mapping
from arrs_desk.errors import ValidationError

MAX_ROWS = 50_000


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
