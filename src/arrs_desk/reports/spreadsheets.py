"""Spreadsheet files that can never run a formula someone typed into a record.

A CSV cell that starts like a formula is neutralised, so opening an export in Excel can never
run something a user typed into a note: every CSV and XLSX writer in the app goes through
`write_csv` or `safe_cell`; tests/test_export_safety.py scans the source to keep it so.

It lives in reports, the lowest layer that writes files, so that the report builders (the
supervision tables) and the services (`services.exports`, which re-exports both names) share
one implementation without reports reaching up into services.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""What spreadsheets read as the start of a formula (full-width forms too, which some convert)."""


def safe_cell(value: object) -> object:
    """Text that a spreadsheet would run as a formula, made plain text with a leading apostrophe.

    Leading spaces are looked past: LibreOffice trims them on import and then sees the formula.
    """
    if isinstance(value, str) and value.lstrip(" ").startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(path: Path | str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Write UTF-8 with a byte-order mark (so Excel shows accents and Cyrillic), return the row count."""
    count = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([safe_cell(h) for h in header])  # headings can hold names people typed
        for row in rows:
            writer.writerow([safe_cell(v) for v in row])
            count += 1
    return count


def write_printable_xlsx(path: Path | str, sheet_title: str, title: str, subtitle: str, header: Sequence[str],
                         body: Sequence[Sequence[object]], *, widths: Sequence[int]) -> int:
    """A worksheet set up to print: a title, landscape, one page wide, the heading row repeated on
    each page, filters on; every cell formula-safe. Returns the number of body rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title[:31]
    sheet.append([safe_cell(title)])
    sheet.append([safe_cell(subtitle)])
    sheet.append([])
    sheet.append([safe_cell(h) for h in header])
    for row in body:
        sheet.append([safe_cell(v) for v in row])
    sheet["A1"].font = Font(bold=True, size=14)
    heading_row = 4
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
        cell = sheet.cell(row=heading_row, column=column)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="005EB8")
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows(min_row=heading_row, max_row=sheet.max_row):
        for cell in row:
            cell.alignment = wrap
    sheet.freeze_panes = sheet.cell(row=heading_row + 1, column=2)
    sheet.auto_filter.ref = f"A{heading_row}:{get_column_letter(len(header))}{sheet.max_row}"
    sheet.print_title_rows = f"{heading_row}:{heading_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    book.save(path)
    return len(body)
