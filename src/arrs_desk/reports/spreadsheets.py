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
