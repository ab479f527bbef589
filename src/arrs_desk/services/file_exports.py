"""Files the pages save whose data no other service writes: the supervision matrix, calendar,
deployment and supervisor load, the assurance report, the completion certificate, a programme
file and the import wizard's problem list. Each is read again here for the actor, then written
and recorded in the audit trail in one step by `exports.save_audited` (the induction checklist,
programme overview, assurance matrix, retention and audit trail CSVs are written the same way by
their own services).

Views pass only what the user chose (the people shown, the practice, the period) and never the
rows themselves, so a file can hold only what its reader may see at the moment it is written.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, time
from pathlib import Path
from typing import Any

from arrs_desk.domain.dates import format_uk
from arrs_desk.domain.permissions import Action
from arrs_desk.errors import ValidationError
from arrs_desk.services._common import get_or_404, require
from arrs_desk.services.actor import Actor
from arrs_desk.services.exports import SavedFile, save_audited, write_csv
from arrs_desk.services.staff_import import RowProblem
from arrs_desk.store.database import Database
from arrs_desk.store.models import ProgrammeEnrolment

MATRIX_FORMATS = {"csv": "CSV", "xlsx": "XLSX"}


def _ordered(rows: Sequence, staff_ids: Iterable[int] | None) -> list:
    """The rows of the people given, in that order (the order the page shows); everyone for None."""
    if staff_ids is None:
        return list(rows)
    by_id = {r.staff_id: r for r in rows}
    return [by_id[i] for i in dict.fromkeys(staff_ids) if i in by_id]


class FileExportService:
    def __init__(self, db: Database, workspace: Any):
        self._db = db
        self._ws = workspace

    # ----------------------------------------------------------------------- supervision
    def supervision_matrix(self, actor: Actor, *, path: Path | str, file_format: str = "csv",
                           staff_ids: Iterable[int] | None = None) -> SavedFile:
        """The matrix for the people given (those the page shows), as CSV or a printable workbook."""
        from arrs_desk.reports.supervision_tables import write_matrix_csv, write_matrix_xlsx

        if file_format not in MATRIX_FORMATS:
            raise ValidationError.single("file_format", "Export the matrix as CSV or Excel (XLSX).")
        matrix = self._ws.supervision.matrix(actor)
        rows = _ordered(matrix.rows, staff_ids)
        if file_format == "csv":
            def write(target: Path) -> int:
                return write_matrix_csv(target, matrix, rows)
        else:
            pcn = self._ws.organisations.pcn_name()
            title = f"Supervision matrix – {pcn}" if pcn else "Supervision matrix"

            def write(target: Path) -> int:
                return write_matrix_xlsx(target, matrix, rows, title=title)
        return save_audited(self._db, actor, path, record="supervision_matrix", what="the supervision matrix",
                            file_format=MATRIX_FORMATS[file_format], write=write, people=len(rows))

    def supervision_calendar(self, actor: Actor, *, path: Path | str, staff_ids: Iterable[int] | None = None,
                             at: time | None = None, duration_minutes: int = 60) -> SavedFile:
        """Next-due supervision of the people given as an iCalendar file (see `SupervisionService.calendar`)."""
        wanted = None if staff_ids is None else list(dict.fromkeys(staff_ids))
        visible = {r.staff_id for r in self._ws.supervision.matrix(actor).rows}
        people = len(visible if wanted is None else visible.intersection(wanted))
        data = self._ws.supervision.calendar(actor, staff_ids=wanted, at=at, duration_minutes=duration_minutes)

        def write(target: Path) -> int:
            target.write_bytes(data)
            return data.count(b"BEGIN:VEVENT")
        return save_audited(self._db, actor, path, record="supervision_calendar", what="due supervision",
                            file_format="ICS", write=write, people=people)

    def deployment_pdf(self, actor: Actor, *, path: Path | str, practice_id: int | None = None) -> SavedFile:
        """Where ARRS staff are deployed: one page per practice, or the one practice given."""
        from arrs_desk.reports.deployment_pdf import build_deployment_pdf

        report = self._ws.supervision.deployment(actor)
        chosen = list(report.practices) if practice_id is None else \
            [p for p in report.practices if p.practice_id == practice_id]
        if not chosen:
            raise ValidationError.single("practice_id", (
                "That practice has no ARRS staff you can see, so there is nothing to export." if practice_id is not None
                else "No practice has ARRS staff you can see, so there is nothing to export."))
        what = "where ARRS staff are deployed" + ("" if practice_id is None else f" at {chosen[0].name}")
        return save_audited(self._db, actor, path, record="deployment", what=what, file_format="PDF",
                            write=lambda target: build_deployment_pdf(target, report, chosen),
                            people=len({p.staff_id for practice in chosen for p in practice.people}))

    def deployment_csv(self, actor: Actor, *, path: Path | str) -> SavedFile:
        from arrs_desk.reports.supervision_tables import write_deployment_csv

        report = self._ws.supervision.deployment(actor)
        return save_audited(self._db, actor, path, record="deployment", what="where ARRS staff are deployed",
                            file_format="CSV", write=lambda target: write_deployment_csv(target, report),
                            people=len({p.staff_id for practice in report.practices for p in practice.people}))

    def supervisor_load_csv(self, actor: Actor, *, path: Path | str, start: date, end: date) -> SavedFile:
        """Sessions and hours per supervisor between two dates: each row names a supervisor."""
        from arrs_desk.reports.supervision_tables import write_load_csv

        load = self._ws.supervision.supervisor_load(actor, start=start, end=end)
        return save_audited(self._db, actor, path, record="supervisor_load",
                            what=f"supervisor load from {format_uk(start)} to {format_uk(end)}", file_format="CSV",
                            write=lambda target: write_load_csv(target, load), people=len(load.rows))

    # ----------------------------------------------------------------------- assurance
    def assurance_pdf(self, actor: Actor, *, path: Path | str, practice_id: int | None = None,
                      role_code: str | None = None) -> SavedFile:
        """The commissioner's report: counts per check, then everyone with an unmet check, by name."""
        from arrs_desk.reports.assurance_pdf import build_assurance_pdf

        require(actor, Action.CREATE_STAFF)
        report = self._ws.assurance.report(actor, practice_id=practice_id, role_code=role_code)
        return save_audited(self._db, actor, path, record="assurance",
                            what=f"the assurance report for {report.scope}", file_format="PDF",
                            write=lambda target: build_assurance_pdf(target, report),
                            people=len(report.unmet))

    def certificate_pdf(self, actor: Actor, *, path: Path | str, enrolment_id: int) -> SavedFile:
        """A completed programme's certificate (the programmes service checks the actor may see it)."""
        from arrs_desk.reports.certificate_pdf import build_certificate_pdf

        certificate = self._ws.programmes.certificate(actor, enrolment_id=enrolment_id)
        with self._db.read() as session:
            staff_id = get_or_404(session, ProgrammeEnrolment, enrolment_id, "programme enrolment").staff_id

        def write(target: Path) -> int:
            build_certificate_pdf(target, certificate)
            return 1
        return save_audited(self._db, actor, path, record="programme_certificate",
                            what=f"the {certificate.programme_title} certificate of {certificate.person_name}",
                            file_format="PDF", write=write, people=1, subject_staff_id=staff_id)

    def programme_file(self, actor: Actor, *, path: Path | str, code: str) -> SavedFile:
        """A programme's current version as a programme file (JSON) to share with another PCN.
        It holds no personal data, but every file that leaves the app is in the trail."""
        require(actor, Action.MANAGE_TEMPLATES)
        document = self._ws.programmes.templates.export_document(actor, code=code)

        def write(target: Path) -> int:
            with open(target, "w", encoding="utf-8") as handle:
                json.dump(document, handle, ensure_ascii=False, indent=2)
            return 1
        return save_audited(self._db, actor, path, record="programme_template", what=f"the programme {code}",
                            file_format="JSON", write=write, people=0)

    # ----------------------------------------------------------------------- staff import
    def import_problems_csv(self, actor: Actor, *, path: Path | str, problems: Sequence[RowProblem]) -> SavedFile:
        """The import wizard's list of problems: rows of the person's own file, which can quote names."""
        require(actor, Action.CREATE_STAFF)
        rows = [(p.row_number, p.field_label, p.message) for p in problems]
        return save_audited(self._db, actor, path, record="staff_import", what="the problems found in a staff import",
                            file_format="CSV",
                            write=lambda target: write_csv(target, ("Row", "Field", "Problem"), rows),
                            people=len({p.row_number for p in problems}))
