"""Rules for files people open in spreadsheets: CSV exports that cannot run formulas."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A cell starting with one of these can be read as a formula by Excel, LibreOffice or Sheets."""


def spreadsheet_safe(value: object) -> str:
    """The cell as text, with a leading single quote when it could be taken for a formula.

    Names and notes are typed by users (and imported from elsewhere), so a note such as
    '=HYPERLINK(...)' must stay text when a manager opens the export.
    """
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """CSV with every cell neutralised; Windows line endings, as spreadsheet programs expect."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([spreadsheet_safe(cell) for cell in header])
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return buffer.getvalue()
