"""The supervision matrix, deployment list and supervisor load as tables: CSV and XLSX files.

Builders take the plain read shapes the supervision service returns. Every text cell goes
through `safe_cell`, so a note starting with =, +, - or @ is never run as a formula by Excel.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from arrs_desk.domain.dates import format_uk
from arrs_desk.reports.spreadsheets import write_csv, write_printable_xlsx


def cell_text(cell) -> str:
    """A matrix cell in one line of words: the status, its date, and who supervises."""
    detail = ""
    if cell.status == "in-date" and cell.next_due:
        detail = f" (next due {format_uk(cell.next_due)})"
    elif cell.status == "due-soon" and cell.next_due:
        detail = f" (due {format_uk(cell.next_due)})"
    elif cell.status in ("overdue", "never-held", "supervisor-left") and cell.days_overdue:
        detail = f" ({cell.days_overdue} days overdue)"
    who = f" – {cell.supervisors}" if cell.supervisors else ""
    return f"{cell.status_label}{detail}{who}" if cell.status != "not-applicable" else ""


def matrix_table(matrix, rows: Iterable) -> tuple[list[str], list[list[object]]]:
    header = ["Name", "Role", "Practice(s)"] + [t.title for t in matrix.types] + ["Most urgent"]
    body = []
    for row in rows:
        worst = max(row.cells, key=lambda c: c.severity)
        body.append([row.display_name, row.role_title, row.practices] + [cell_text(c) for c in row.cells]
                    + [worst.status_label if worst.severity else ""])
    return header, body


def write_matrix_csv(path: Path | str, matrix, rows: Iterable) -> int:
    header, body = matrix_table(matrix, rows)
    return write_csv(path, header, body)


def write_matrix_xlsx(path: Path | str, matrix, rows: Iterable, *, title: str) -> int:
    """A worksheet set up to print: landscape, one page wide, header row repeated on each page."""
    header, body = matrix_table(matrix, rows)
    return write_printable_xlsx(path, "Supervision", title, f"Supervision matrix on {format_uk(matrix.today)}", header, body,
                       widths=[26, 24, 28] + [30] * len(matrix.types) + [16])


def deployment_table(report, practices: Iterable | None = None) -> tuple[list[str], list[list[object]]]:
    header = ["Practice", "ODS code", "Name", "Role", "Employment", "Also works at", "Clinical supervision",
              "Other supervision", "Line manager"]
    body = []
    for practice in practices if practices is not None else report.practices:
        for person in practice.people:
            body.append([
                practice.name, practice.ods_code, person.display_name, person.role_title, person.employment,
                person.other_practices,
                "; ".join(f"{s.supervisor} ({s.status_label})" for s in person.clinical) or "None named",
                "; ".join(f"{s.type_title}: {s.supervisor} ({s.status_label})" for s in person.other),
                person.line_manager,
            ])
    return header, body


def write_deployment_csv(path: Path | str, report, practices: Iterable | None = None) -> int:
    header, body = deployment_table(report, practices)
    return write_csv(path, header, body)


def load_table(load) -> tuple[list[str], list[list[object]]]:
    header = ["Supervisor", "Role or organisation", "External", "Sessions", "People supervised", "Hours"]
    body = [[r.supervisor, r.detail, "Yes" if r.external else "No", r.sessions, r.people, r.hours] for r in load.rows]
    return header, body


def write_load_csv(path: Path | str, load) -> int:
    header, body = load_table(load)
    return write_csv(path, header, body)
