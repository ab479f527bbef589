"""Reading an HR or payroll export (CSV or Excel) into rows of cells, before any meaning is given
to them: the first non-empty row is the headings, blank rows are skipped, and each row keeps its
number in the spreadsheet so that every problem can be found in the file.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from arrs_desk.domain.staff_import import cell_text, guess_mapping
from arrs_desk.errors import ValidationError
from arrs_desk.services import xlsx_parts
from arrs_desk.services.import_text import DecodedText
from arrs_desk.services.import_text import decode as decode_text

MAX_ROWS = 50_000
MAX_CELL_CHARS = 4096
"""No staff field is longer; a longer cell is a broken file (a quote mark missing), named by row."""


@dataclass(frozen=True)
class ImportTable:
    """A file's cells as read, before any meaning is given to them."""

    source: str  # the file name, for messages and the audit trail
    headings: list[str]
    rows: list[list[object]]
    row_numbers: list[int]  # each row's number in the spreadsheet, as people see it there
    encoding: str = ""  # a CSV's encoding as read (pass it back to read_table to read it so again); "" for Excel
    encoding_label: str = ""  # the same, as a person reads it: "Windows-1250 (Central European)"
    encoding_detected: bool = False  # guessed from the bytes: the preview asks the person to check the names

    def guess_mapping(self) -> dict[str, int]:
        return guess_mapping(self.headings)

    def sample_names(self, limit: int = 6) -> list[str]:
        """Names as read, for the person to check the encoding by: those with letters outside plain
        ASCII first (a wrong encoding garbles exactly those), then others."""
        mapping = self.guess_mapping()
        columns = [mapping[k] for k in ("given_name", "family_name", "preferred_name") if k in mapping]
        if not columns:
            columns = list(range(len(self.headings)))
        seen: list[str] = []
        for row in self.rows:
            name = " ".join(t for t in (cell_text(row[c]) for c in columns if c < len(row)) if t)
            if name and name not in seen:
                seen.append(name)
            if len(seen) >= 500:
                break
        accented = [n for n in seen if not n.isascii()]
        return (accented + [n for n in seen if n.isascii()])[:limit]

    @property
    def encoding_note(self) -> str:
        """What the preview says about the encoding; empty when there is nothing to check."""
        if not self.encoding_detected:
            return ""
        names = ", ".join(self.sample_names(4))
        return (f"{self.source} was read as {self.encoding_label} (it does not say which encoding it uses). "
                f"Check that names look right, e.g. {names}; if they do not, choose the file's encoding and read "
                "it again.")

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
    return [name for name, _ in xlsx_parts.worksheets(path)]


def read_table(path: str | Path, sheet: str | None = None, encoding: str | None = None) -> ImportTable:
    """Read a CSV (any encoding, detected unless `encoding` is given; comma, semicolon or tab) or an
    .xlsx worksheet (streamed, stopping as soon as it has more than MAX_ROWS rows)."""
    path = Path(path)
    if not path.is_file():
        raise _file_problem(f"{path} does not exist.")
    suffix = path.suffix.lower()
    decoded = None
    unsaved: list[tuple[int, int]] = []
    if suffix == ".xlsx":
        grid, unsaved = _read_xlsx(path, sheet)
    elif suffix in (".csv", ".txt", ".tsv"):
        decoded, grid = _read_csv(path, encoding)
    elif suffix == ".xls":
        raise _file_problem(f"{path.name} is an old-style Excel file (.xls). Open it in Excel and save it as "
                            ".xlsx or CSV, then import that.")
    else:
        raise _file_problem(f"{path.name} is not a CSV or Excel (.xlsx) file.")
    numbered = [(n, row) for n, row in enumerate(grid, start=1) if any(cell_text(c) for c in row)]
    if not numbered:
        raise _file_problem(f"{path.name} is empty.")
    start = _heading_row(numbered)
    (_, headings), data = numbered[start], numbered[start + 1:]
    if not data:
        raise _file_problem(f"{path.name} has a heading row but no staff rows under it.")
    if len(data) > MAX_ROWS:
        raise _file_problem(f"{path.name} has {len(data):,} rows; ARRS Desk imports at most {MAX_ROWS:,} at a time.")
    width = max(len(headings), *(len(row) for _, row in data))
    heading_text = [cell_text(h) or f"Column {i + 1}" for i, h in enumerate(list(headings) + [None] * width)][:width]
    rows = [list(row) + [None] * (width - len(row)) for _, row in data]
    if unsaved:
        raise _unsaved_formula(path.name, unsaved, numbered[start][0], heading_text)
    _check_cells(path.name, heading_text, rows, [n for n, _ in data])
    if decoded is None:
        return ImportTable(path.name, heading_text, rows, [n for n, _ in data])
    return ImportTable(path.name, heading_text, rows, [n for n, _ in data], decoded.encoding, decoded.label,
                       decoded.detected and not decoded.text.isascii())


TITLE_ROWS_LOOKED_AT = 10
"""How many of the first non-empty rows may hold a title above the headings."""


def _heading_row(numbered: list[tuple[int, list[object]]]) -> int:
    """Which of the non-empty rows holds the headings: the first, unless rows above them are a report's
    title ('Staff list at 01/12/2026' across merged cells, 'Run by: …'). Those fill fewer than half the
    cells of the widest of the first rows, and were read as the headings (nothing guessed, and the real
    headings refused as a person: "'Date Started' is not a date")."""
    filled = [sum(1 for c in row if cell_text(c)) for _, row in numbered[:TITLE_ROWS_LOOKED_AT]]
    widest = max(filled)
    return next(i for i, count in enumerate(filled) if count * 2 >= widest)


def _unsaved_formula(name: str, cells: list[tuple[int, int]], heading_row: int,
                     headings: list[str]) -> ValidationError:
    """A formula with no saved value reads as an empty cell: a required field was reported missing,
    or a value was lost without a word. Named by row and column (its heading where it has one)."""
    from openpyxl.utils import get_column_letter

    row, column = cells[0]
    where = f"column {get_column_letter(column + 1)}"
    if row > heading_row and column < len(headings):
        where += f" ({headings[column]!r})"
    more = len(cells) - 1
    return _file_problem(
        f"{name}, row {row}, {where} holds a formula with no saved value"
        + (f" (and {more:,} more cell{'s' if more != 1 else ''} like it)" if more else "")
        + ": the program that saved the file does not work formulas out, so the cell would be read as empty. "
        "Open the file in Excel or LibreOffice, save it, and import it again. Nothing was imported.")


def _too_many(name: str, found: str) -> ValidationError:
    return _file_problem(f"{name} has {found} rows; ARRS Desk imports at most {MAX_ROWS:,} at a time. "
                         "Split it into smaller files.")


def _check_cells(name: str, headings: list[str], rows: list[list[object]], numbers: list[int]) -> None:
    """Every cell is text a database can hold and a number that is a number, named by row and column."""
    for row, number in zip(rows, numbers, strict=True):
        for column, value in enumerate(row):
            problem = None
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                problem = f"holds {len(value):,} characters; no field is longer than {MAX_CELL_CHARS:,}"
            elif isinstance(value, str) and not _is_text(value):
                problem = "holds a character that is not text (a lone surrogate); retype the cell"
            elif isinstance(value, float) and not math.isfinite(value):
                problem = "holds a number too big to store"
            if problem:
                raise _file_problem(f"{name}, row {number}, column {headings[column]!r} {problem}. "
                                    "Nothing was imported.")


def _is_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _read_csv(path: Path, encoding: str | None) -> tuple[DecodedText, list[list[object]]]:
    decoded = decode_text(path.read_bytes(), path.name, encoding)
    text = decoded.text
    # Counted over the first lines, not the first alone: a title line above the headings has none.
    head = "".join(islice(io.StringIO(text), TITLE_ROWS_LOOKED_AT + 1))
    delimiter = max((",", ";", "\t"), key=head.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    grid: list[list[object]] = []
    filled = 0
    try:
        for row in reader:
            grid.append(list(row))
            filled += any(cell.strip() for cell in row)
            if filled > MAX_ROWS + 1:
                raise _too_many(path.name, f"more than {MAX_ROWS:,}")
    except csv.Error as exc:  # a cell past csv's field limit (128 KiB), or a stray NUL
        raise _file_problem(f"{path.name}, row {reader.line_num}: {_csv_problem(exc)}. Nothing was imported.") from None
    return decoded, grid


def _csv_problem(exc: csv.Error) -> str:
    if "field larger than field limit" in str(exc):
        return (f"a cell is longer than {csv.field_size_limit():,} characters; no staff field is anywhere near "
                "that long (is a quote mark missing?)")
    return f"this is not valid CSV ({exc})"


def _read_xlsx(path: Path, sheet: str | None) -> tuple[list[list[object]], list[tuple[int, int]]]:
    """The worksheet's rows, streamed (openpyxl read-only): a sheet whose used range declares more
    rows than MAX_ROWS allows is refused before any is read, and one that does not declare it is
    refused as soon as the rows read pass the limit, so a huge workbook costs seconds, not minutes.

    Cells are read as last saved (a formula's saved result). A formula saved with no result (by a
    program that does not work formulas out) reads as empty, so where the sheet has formulas, the
    empty cells that could be one are looked at again with the formulas: returns them too, as
    (row number, column index)."""
    sheets = xlsx_parts.worksheets(path)
    if sheet is not None and sheet not in [n for n, _ in sheets]:
        raise _file_problem(f"{path.name} has no worksheet called {sheet!r}.")
    formulas = False
    if sheets:  # counted before openpyxl opens it: that alone reads every cell of an unsized sheet
        part = dict(sheets)[sheet] if sheet is not None else sheets[0][1]
        filled = xlsx_parts.filled_rows(path, part)
        if filled > MAX_ROWS + 1:  # the heading row and MAX_ROWS rows
            raise _too_many(path.name, f"{filled - 1:,}")
        formulas = xlsx_parts.has_formulas(path, part)
    grid: list[list[object]] = []
    empty: set[tuple[int, int]] = set()  # cells read as empty that were not saved as text
    with _worksheet(path, sheet, data_only=True) as worksheet:
        filled = 0
        for number, row in enumerate(worksheet.iter_rows(values_only=not formulas), start=1):
            if formulas:  # a formula whose result is an empty text (=IF(..., "", ...)) is saved as text
                empty.update((number, i) for i, c in enumerate(row) if c.value is None and c.data_type == "n")
                row = tuple(c.value for c in row)
            grid.append(list(row))
            filled += any(cell_text(c) for c in row)
            if filled > MAX_ROWS + 1:
                raise _too_many(path.name, f"more than {MAX_ROWS:,}")
    if not empty:
        return grid, []
    with _worksheet(path, sheet, data_only=False) as worksheet:
        unsaved = [(number, i) for number, row in enumerate(worksheet.iter_rows(values_only=True), start=1)
                   for i, value in enumerate(row) if value is not None and (number, i) in empty]
    return grid, unsaved


@contextmanager
def _worksheet(path: Path, sheet: str | None, *, data_only: bool) -> Iterator[Any]:
    """The worksheet opened read-only; any failure while it is read is the file's problem."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=data_only)
    except Exception as exc:  # noqa: BLE001
        raise _file_problem(f"{path.name} cannot be read as an Excel workbook: {exc}") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise _file_problem(f"{path.name} has no worksheet called {sheet!r}.")
        yield book[sheet] if sheet is not None else book.worksheets[0]
    except ValidationError:
        raise
    except Exception as exc:  # noqa: BLE001  (a damaged sheet fails while it is streamed)
        raise _file_problem(f"{path.name} cannot be read as an Excel workbook: {exc}") from None
    finally:
        book.close()
