"""The training matrix as a table for CSV and a printable workbook: one row per person, one column
per subject holding the state in words and the date that matters (when it expires or expired).
Plain data in (`services.training.TrainingMatrix` or anything shaped like it)."""

from __future__ import annotations

from pathlib import Path

from arrs_desk.reports.spreadsheets import write_csv, write_printable_xlsx


def _cell(state) -> str:
    """In date to, and due by, the last day the training counts; expired on the first it does not."""
    last = f" {state.last_day:%d/%m/%Y}" if state.due_on else ""
    return {"in-date": f"In date to{last}" if last else "In date", "due-soon": f"Due by{last}",
            "expired": f"Expired {state.due_on:%d/%m/%Y}" if state.due_on else "Expired",
            "never": f"Never done (level {state.required_level})"}[state.status.value]


def matrix_table(matrix) -> tuple[list[str], list[list[object]]]:
    header = ["Name", "Role", "Practices", *(s.title for s in matrix.subjects), "In date"]
    body = [[row.name, row.role, ", ".join(row.practices), *(_cell(c) for c in row.cells),
             f"{row.in_date} of {len(row.cells)}"] for row in matrix.rows]
    body.append(["Compliance", "", f"target {matrix.target_percent}%",
                 *(f"{c.percent}%" if c.percent is not None else "–" for c in matrix.by_subject),
                 f"{matrix.overall.percent}%" if matrix.overall.percent is not None else "–"])
    return header, body


def write_training_csv(path: Path | str, matrix) -> int:
    header, body = matrix_table(matrix)
    return write_csv(path, header, body)


def write_training_xlsx(path: Path | str, matrix, *, title: str) -> int:
    header, body = matrix_table(matrix)
    return write_printable_xlsx(path, "Training", title, f"Statutory and mandatory training on "
                                f"{matrix.today:%d/%m/%Y}; target {matrix.target_percent}% in date", header, body,
                                widths=[26, 22, 24] + [16] * len(matrix.subjects) + [10])
