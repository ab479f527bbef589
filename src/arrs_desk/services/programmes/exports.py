"""What leaves ARRS Desk about programmes: the completion certificate's content and the
overview as a CSV file, each saved through the audited export path.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import func, select

from arrs_desk.domain import staff as staff_rules
from arrs_desk.domain.dates import format_uk
from arrs_desk.domain.programme_progress import COMPLETED
from arrs_desk.errors import ValidationError
from arrs_desk.services.actor import Actor
from arrs_desk.services.exports import save_audited, write_csv
from arrs_desk.services.programmes.guards import find_enrolment, require_view
from arrs_desk.services.programmes.reading import ProgrammeReading
from arrs_desk.services.programmes.records import person_label
from arrs_desk.services.programmes.views import Certificate
from arrs_desk.store.models import (
    Organisation, ProgrammeCompetency, ProgrammeMilestone, ProgrammeTime, Role, Staff,
)


class ProgrammeExports(ProgrammeReading):
    """Builds on reading: the CSV is the overview the actor can see."""
    def certificate(self, actor: Actor, *, enrolment_id: int) -> Certificate:
        """The completion certificate's content; only a completed programme has one."""
        today = self._today()
        with self._db.read() as session:
            row, rel = find_enrolment(session, actor, enrolment_id, today)
            require_view(actor, rel, row)
            if row.status != COMPLETED or row.completed_on is None:
                raise ValidationError.single(
                    "certificate", "A certificate is produced once the assessor has signed off completion.")
            person = session.get(Staff, row.staff_id)
            role = session.get(Role, person.role_code)
            signed = session.execute(select(func.count()).where(
                ProgrammeCompetency.enrolment_id == row.id, ProgrammeCompetency.signed_at.is_not(None))).scalar()
            held = session.execute(select(func.count()).where(
                ProgrammeMilestone.enrolment_id == row.id, ProgrammeMilestone.held_on.is_not(None))).scalar()
            hours = session.execute(select(func.coalesce(func.sum(ProgrammeTime.hours), 0.0)).where(
                ProgrammeTime.enrolment_id == row.id, ProgrammeTime.removed_at.is_(None))).scalar()
            assessor, detail = person_label(session, row.assessor_staff_id, row.assessor_external_id, today)
            pcn = session.execute(select(Organisation.name).where(Organisation.kind == "pcn", Organisation.active)
                                  .order_by(Organisation.id)).scalars().first() or ""
        return Certificate(
            person_name=staff_rules.formal_name(person.title, person.given_name, person.family_name,
                                                person.preferred_name),
            role_title=role.title if role else person.role_code,
            programme_title=row.title, programme_code=row.programme_code, programme_version=row.programme_version,
            start_date=row.start_date, completed_on=row.completed_on,
            assessor_name=row.signed_by_name or assessor, assessor_detail=detail, competencies_signed=signed,
            milestones_held=held, protected_hours=round(float(hours), 2), pcn_name=pcn,
            reference=f"{row.programme_code}-{row.id:05d}", issued_on=today,
        )

    CSV_HEADER = (
        "Staff member", "Role", "Practice(s)", "Programme", "Started", "Expected end", "Status", "Progress %",
        "Time elapsed %", "Milestones held", "Milestones overdue", "Competencies signed off", "Protected hours logged",
        "Protected hours expected", "Why behind", "Preceptor or mentor", "Assessor",
    )

    def export_overview(self, actor: Actor, *, path: Path | str, enrolment_ids: Iterable[int] | None = None) -> int:
        """The overview (or the rows given, in that order) as CSV, recorded in the audit trail;
        returns the number of rows."""
        rows = self.overview(actor)
        if enrolment_ids is not None:
            by_id = {r.enrolment_id: r for r in rows}
            rows = [by_id[i] for i in enrolment_ids if i in by_id]
        data = [
            (r.display_name, r.role_title, r.practices, r.programme_title, format_uk(r.start_date),
             format_uk(r.expected_end), r.status.label, f"{r.progress:.0f}", f"{r.time_elapsed:.0f}",
             f"{r.milestones_held} of {r.milestones_total}",
             r.milestones_overdue, f"{r.competencies_signed} of {r.competencies_total}", f"{r.protected_logged:g}",
             f"{r.protected_expected:g}", "; ".join(r.behind), r.preceptor, r.assessor)
            for r in rows
        ]
        return save_audited(self._db, actor, path, record="programme_enrolment", what="people on programmes",
                            file_format="CSV", people=len({r.staff_id for r in rows}),
                            write=lambda partial: write_csv(partial, self.CSV_HEADER, data)).rows
