"""Files that leave the app: written safely, and each one recorded in the audit trail.

A CSV cell that starts like a formula is neutralised, so opening an export in Excel can never
run something a user typed into a note: every CSV and XLSX writer in the app goes through
`write_csv` or `safe_cell` (defined in `reports.spreadsheets`, where the report builders use them
too, and re-exported here); tests/test_export_safety.py scans the source to keep it so.

Every file holding personal data is written by a service through `save_audited`: its audit
entry says who saved what, for how many people, in which format and to which path, and is
committed in the same step that makes the file appear. The few writers with their own careful
file handling (the full export, record bundles, appraisal packs, backups) put the same facts,
from `export_audit_values`, in their entries. Views never write such files.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from arrs_desk.errors import ValidationError
from arrs_desk.paths import create_private_file, make_private
from arrs_desk.reports.spreadsheets import safe_cell, write_csv  # noqa: F401  (callers import them from here)
from arrs_desk.services import audit
from arrs_desk.services.actor import Actor
from arrs_desk.store.database import Database

FORMAT_NAMES = {"csv": "CSV", "xlsx": "XLSX", "ics": "ICS", "pdf": "PDF", "zip": "ZIP", "json": "JSON",
                "sqlite3": "SQLite"}
"""The formats an export may be recorded as, by the file name ending the app gives them."""


@dataclass(frozen=True, slots=True)
class SavedFile:
    """What a personal-data export wrote, as its audit entry records it."""

    path: Path
    people: int
    rows: int
    file_format: str


def export_audit_values(*, what: str, people: int, file_format: str, path: Path | str,
                        rows: int | None = None) -> tuple[str, dict[str, Any]]:
    """The summary and facts every export's audit entry carries: what, for how many people,
    which format and where the file was written (the full path)."""
    if file_format not in FORMAT_NAMES.values():
        raise ValueError(f"unknown export format {file_format!r}")
    where = str(Path(path).absolute())
    whom = f"{people} {'person' if people == 1 else 'people'}" if people else "no personal data"
    summary = f"Saved {what} ({whom}) as {file_format} to {where}"
    facts: dict[str, Any] = {"what": what, "people": people, "format": file_format, "path": where}
    if rows is not None:
        facts["rows"] = rows
    return summary, facts


def save_audited(db: Database, actor: Actor, path: Path | str, *, record: str, what: str, file_format: str,
                 write: Callable[[Path], object], people: int, rows: int | None = None,
                 subject_staff_id: int | None = None, action: str = "export") -> SavedFile:
    """Write a file holding personal data and record it in the audit trail, as one step.

    The file is written beside the target under a hidden partial name, then moved into place
    inside the transaction that records its audit entry: a file nobody can trace never
    appears, and an entry never names a file that was not written. `write` gets the partial
    path and returns the number of rows (or anything else, then `rows` counts). `action` is
    "print" for documents made to be printed and signed (signature sheets, appraisal packs).
    """
    target = Path(path)
    if not target.name or not target.parent.is_dir():
        raise ValidationError.single("path", f"The folder {target.parent} does not exist; choose another place "
                                     "to save.")
    partial = target.with_name(f".{target.name}.partial")
    moved = False
    try:
        create_private_file(partial)  # owner-only before the first byte is written
        written = write(partial)
        make_private(partial)  # in case the writer replaced the file rather than filling it
        count = rows if rows is not None else written if isinstance(written, int) else 0
        summary, facts = export_audit_values(what=what, people=people, file_format=file_format, path=target,
                                             rows=count)
        with db.write() as session:
            audit.record(session, actor, action, record, subject_staff_id or "", summary, facts,
                         subject_staff_id=subject_staff_id)
            os.replace(partial, target)
            moved = True
    except OSError as exc:
        if moved:
            target.unlink(missing_ok=True)
        raise ValidationError.single("path", (
            f"Could not save {what} to {target} ({exc.strerror or exc}). Choose another folder, or close the file "
            "if it is open in another program.")) from None
    except BaseException:
        if moved:  # the audit entry did not commit: the file must not outlive it
            target.unlink(missing_ok=True)
        raise
    finally:
        partial.unlink(missing_ok=True)
    return SavedFile(target, people, count, file_format)
