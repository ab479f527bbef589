"""Putting people on programmes, changing an enrolment's terms, and taking them off.

An enrolment keeps its own copy of the programme version's milestones and competencies, so a
later edit of the programme never changes what someone signed up to; to change programme,
withdraw and enrol again.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlmodel import Session

from arrs_desk.domain import programmes as rules
from arrs_desk.domain.dates import add_months, format_uk
from arrs_desk.domain.permissions import Action
from arrs_desk.domain.programme_progress import WITHDRAWN
from arrs_desk.domain.staff import STANDARD_FULL_TIME_HOURS
from arrs_desk.errors import ValidationError
from arrs_desk.services import audit
from arrs_desk.services._common import apply_update, clean_text, require
from arrs_desk.services.actor import Actor
from arrs_desk.services.programme_templates import current_template, parse_number, row_programme
from arrs_desk.services.programmes.base import ProgrammeServiceBase
from arrs_desk.services.programmes.guards import day_problem, enrolment_to_manage
from arrs_desk.services.programmes.page import enrolment_view
from arrs_desk.services.programmes.records import person_name
from arrs_desk.services.programmes.views import EnrolmentInput, EnrolmentView
from arrs_desk.services.relationships import ACTIVE_ENROLMENT, has_left, relationship
from arrs_desk.store.models import (
    ExternalPerson, ProgrammeCompetency, ProgrammeEnrolment, ProgrammeMilestone, ProgrammePause, ProgrammeTime, Staff,
)

MAX_PAST_START_YEARS = 10
MAX_FUTURE_START_DAYS = 366


class EnrolmentWriting(ProgrammeServiceBase):
    """Enrol, change an enrolment's terms, withdraw: MANAGE_PROGRAMME on the person."""

    def enrol(self, actor: Actor, *, data: EnrolmentInput) -> EnrolmentView:
        """Put a person on the current version of a programme, copying its milestones and competencies."""
        today = self._today()
        with self._db.write() as session:
            if data.staff_id is not None:  # with nobody chosen, validation says so before anything is written
                require(actor, Action.MANAGE_PROGRAMME, relationship(session, actor, data.staff_id, today))
            template = current_template(session, data.programme_code) if data.programme_code else None
            values = _enrolment_values(session, actor, data, template, enrolment_id=None, today=today)
            programme = row_programme(template)
            row = ProgrammeEnrolment(
                **values, template_id=template.id, programme_code=template.code, programme_version=template.version,
                title=template.title, description=template.description, length_weeks=template.length_weeks,
                status=ACTIVE_ENROLMENT, created_by_user_id=actor.user_id, created_by_name=actor.display_name,
            )
            session.add(row)
            session.flush()
            session.add_all(ProgrammeMilestone(enrolment_id=row.id, position=i, key=m.key, title=m.title, week=m.week,
                                               kind=m.kind) for i, m in enumerate(programme.milestones_in_order))
            position = 0
            for domain in programme.domains:
                for c in domain.competencies:
                    session.add(ProgrammeCompetency(
                        enrolment_id=row.id, position=position, domain_code=domain.code, domain_title=domain.title,
                        key=c.key, title=c.title, description=c.description, evidence_expected=c.evidence))
                    position += 1
            session.flush()
            person = session.get(Staff, row.staff_id)
            audit.record(session, actor, "enrol", "programme_enrolment", row.id,
                         f"Enrolled {person_name(person)} on '{row.title}' "
                         f"({row.programme_code} v{row.programme_version}) from {format_uk(row.start_date)}",
                         audit.diff({}, {**values, "programme": f"{row.programme_code} v{row.programme_version}"}),
                         subject_staff_id=row.staff_id)
            return enrolment_view(session, actor, row, relationship(session, actor, row.staff_id, today), today)

    def update_enrolment(self, actor: Actor, *, enrolment_id: int, data: EnrolmentInput,
                         expected_version: int) -> EnrolmentView:
        """Change the dates, protected time, preceptor, assessor or notes. The programme itself stays:
        to change programme, withdraw and enrol again, so each record matches one version."""
        today = self._today()
        with self._db.write() as session:
            row, rel = enrolment_to_manage(session, actor, enrolment_id, today)
            data = replace(data, staff_id=row.staff_id, programme_code=row.programme_code)
            values = _enrolment_values(session, actor, data, None, enrolment_id=row.id, today=today, existing=row)
            before = {k: getattr(row, k) for k in values}
            apply_update(session, row, values, expected_version, "programme enrolment")
            changes = audit.diff(before, values)
            if changes:
                audit.record(session, actor, "update", "programme_enrolment", row.id,
                             f"Updated {person_name(session.get(Staff, row.staff_id))}'s enrolment on '{row.title}': "
                             + ", ".join(changes), changes, subject_staff_id=row.staff_id)
            return enrolment_view(session, actor, row, relationship(session, actor, row.staff_id, today), today)

    def withdraw(self, actor: Actor, *, enrolment_id: int, expected_version: int, on: date | None,
                 reason: str = "") -> EnrolmentView:
        """Take a person off a programme they will not finish (they left, or changed role)."""
        today = self._today()
        reason = clean_text(reason, multiline=True)
        with self._db.write() as session:
            row, rel = enrolment_to_manage(session, actor, enrolment_id, today)
            errors = {}
            if problem := day_problem(on, row, today, missing="Enter the date the person came off the programme.",
                                      future="withdraw on or after the day itself."):
                errors["on"] = problem
            if sum(ch.isalnum() for ch in reason) < 3:
                errors["reason"] = "Give the reason, such as 'left the PCN' or 'changed role'."
            elif len(reason) > 500:
                errors["reason"] = f"Keep the reason to 500 characters or fewer (it has {len(reason)})."
            if errors:
                raise ValidationError(errors)
            apply_update(session, row, {"status": WITHDRAWN, "withdrawn_on": on, "withdrawn_reason": reason},
                         expected_version, "programme enrolment")
            audit.record(session, actor, "withdraw", "programme_enrolment", row.id,
                         f"Withdrew {person_name(session.get(Staff, row.staff_id))} from '{row.title}' "
                         f"on {format_uk(on)}: {reason}",
                         {"status": [ACTIVE_ENROLMENT, WITHDRAWN], "reason": reason}, subject_staff_id=row.staff_id)
            return enrolment_view(session, actor, row, rel, today)


def _enrolment_values(session: Session, actor: Actor, data: EnrolmentInput, template, *,
                      enrolment_id: int | None, today: date, existing: ProgrammeEnrolment | None = None) -> dict:
    """Check every field of the form; collect all the problems so each is marked at once. Who has
    left is asked of the dates as well as the saved status (`has_left`): a last day of yesterday,
    still saved as Active, has left."""
    errors: dict[str, str] = {}
    person = session.get(Staff, data.staff_id) if data.staff_id is not None else None
    if person is None:
        errors["staff_id"] = "Choose the person to enrol."
    elif existing is None and has_left(person.status, person.start_date, person.end_date, today):
        errors["staff_id"] = f"{person_name(person)} has left, so cannot be enrolled."
    if existing is not None:
        length_weeks = existing.length_weeks
        interim = max((m.week for m in session.execute(select(ProgrammeMilestone).where(
            ProgrammeMilestone.enrolment_id == existing.id)).scalars() if m.week < existing.length_weeks),
            default=0)
        default_hours = existing.protected_hours_per_week
    elif template is None:
        errors["programme_code"] = "Choose the programme."
        length_weeks, interim, default_hours = None, 0, 0.0
    else:
        length_weeks = template.length_weeks
        interim = max((m["week"] for m in template.milestones if m["week"] < template.length_weeks), default=0)
        default_hours = template.protected_hours_per_week
        if person is not None and session.execute(select(ProgrammeEnrolment.id).where(
                ProgrammeEnrolment.staff_id == person.id, ProgrammeEnrolment.programme_code == template.code,
                ProgrammeEnrolment.status == ACTIVE_ENROLMENT).limit(1)).first():
            errors["programme_code"] = (f"{person_name(person)} is already on '{template.title}'. Open that enrolment "
                                        "instead, or withdraw it first.")
    start, end = data.start_date, data.planned_end
    errors.update(rules.check_dates(start, end, start_field="start_date", end_field="planned_end"))
    if start is not None:
        if start < add_months(today, -12 * MAX_PAST_START_YEARS):
            errors["start_date"] = (f"The start date ({format_uk(start)}) is more than {MAX_PAST_START_YEARS} years "
                                    "ago; check the year.")
        elif start > today + timedelta(days=MAX_FUTURE_START_DAYS):
            errors["start_date"] = f"The start date ({format_uk(start)}) is more than a year ahead; check the year."
    if start is not None and length_weeks is not None and "planned_end" not in errors:
        if end is None:
            end = start + timedelta(weeks=length_weeks)
        elif end == start:
            errors["planned_end"] = "The expected end must be after the start date."
        elif interim and end < start + timedelta(weeks=interim):
            errors["planned_end"] = (
                f"The expected end ({format_uk(end)}) is before the programme's week-{interim} milestone "
                f"({format_uk(start + timedelta(weeks=interim))}). Choose a later end, or use a programme planned for "
                "a shorter time.")
        elif end > start + timedelta(weeks=max(length_weeks * 3, length_weeks + 104)):
            errors["planned_end"] = (f"The expected end ({format_uk(end)}) is far beyond this {length_weeks}-week "
                                     "programme; check the year.")
    typed_hours = data.protected_hours_per_week
    hours = default_hours if typed_hours in (None, "") else parse_number(typed_hours)
    if hours is None or not 0 <= hours <= STANDARD_FULL_TIME_HOURS:
        errors["protected_hours_per_week"] = (
            f"Enter the protected learning hours a week, from 0 to {STANDARD_FULL_TIME_HOURS:g} "
            "(7.5 is one day a week; leave blank for the programme's own figure).")
    for role, label in (("preceptor", "preceptor or mentor"), ("assessor", "assessor")):
        staff_id = getattr(data, f"{role}_staff_id")
        external_id = getattr(data, f"{role}_external_id")
        if (staff_id is None) == (external_id is None):
            errors[role] = f"Name the {label}: a colleague, or someone from outside the PCN."
        elif staff_id is not None:
            colleague = session.get(Staff, staff_id)
            if colleague is None:
                errors[role] = f"The chosen {label} is not on the staff list."
            elif person is not None and staff_id == person.id:
                errors[role] = (f"A person cannot be their own {label}." if role == "preceptor" else
                                "A person cannot assess their own programme; name someone else.")
            elif has_left(colleague.status, colleague.start_date, colleague.end_date, today) and (
                    existing is None or getattr(existing, f"{role}_staff_id") != staff_id):
                errors[role] = f"{person_name(colleague)} has left; name someone still in post."
        elif session.get(ExternalPerson, external_id) is None:
            errors[role] = f"The chosen {label} is not on the list of people outside the PCN."
    notes = clean_text(data.notes, multiline=True)
    if len(notes) > 4000:
        errors["notes"] = f"Keep the notes to 4,000 characters or fewer (they have {len(notes):,})."
    if existing is not None and start is not None and "start_date" not in errors:
        first = session.execute(select(func.min(ProgrammeMilestone.held_on)).where(
            ProgrammeMilestone.enrolment_id == existing.id)).scalar()
        logged = session.execute(select(func.min(ProgrammeTime.taken_on)).where(
            ProgrammeTime.enrolment_id == existing.id, ProgrammeTime.removed_at.is_(None))).scalar()
        paused = session.execute(select(func.min(ProgrammePause.start_date)).where(
            ProgrammePause.enrolment_id == existing.id)).scalar()
        earliest = min((d for d in (first, logged, paused) if d is not None), default=None)
        if earliest is not None and start > earliest:
            errors["start_date"] = (f"Something is already recorded on {format_uk(earliest)}, before this start date; "
                                    "the start must be on or before it.")
    if errors:
        raise ValidationError(errors)
    return {
        "staff_id": person.id, "start_date": start, "planned_end": end,
        "protected_hours_per_week": round(hours, 2),
        "preceptor_staff_id": data.preceptor_staff_id, "preceptor_external_id": data.preceptor_external_id,
        "assessor_staff_id": data.assessor_staff_id, "assessor_external_id": data.assessor_external_id,
        "notes": notes,
    }
