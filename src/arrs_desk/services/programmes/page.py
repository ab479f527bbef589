"""One enrolment's whole page: every row, figure and permitted action, in one read.

Every change on the page returns this view, so the writes and the reading both build it here;
each child table is read once and the facts for the progress rule are made from those rows.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from arrs_desk.domain import programmes as rules
from arrs_desk.domain.dates import format_uk
from arrs_desk.domain.permissions import Action, Relationship, denial
from arrs_desk.domain.programme_progress import COMPLETED, WITHDRAWN, EnrolmentFacts, MilestoneFacts, evaluate
from arrs_desk.domain.programmes import MilestoneStatus
from arrs_desk.errors import PermissionDenied
from arrs_desk.services.actor import Actor
from arrs_desk.services.programme_templates import MILESTONE_KINDS
from arrs_desk.services.programmes.guards import is_named, require_assessor
from arrs_desk.services.programmes.records import pauses_of, person_label, person_name, signers
from arrs_desk.services.programmes.views import (
    Capabilities, CompetencyRow, EnrolmentView, EvidenceRow, ExtensionRow, MilestoneRow, PauseRow, TimeRow,
)
from arrs_desk.store.models import (
    Organisation, ProgrammeCompetency, ProgrammeEnrolment, ProgrammeEvidence, ProgrammeExtension, ProgrammeMilestone,
    ProgrammeTime, Role, Staff, StaffPractice, UserAccount,
)


def enrolment_view(session: Session, actor: Actor, row: ProgrammeEnrolment, rel: Relationship,
                   today: date) -> EnrolmentView:
    """The whole page for one enrolment. Each child table is read once and the facts for the
    domain rules are built from those rows, since every change on the page returns this view."""
    session.flush()
    milestone_rows = session.execute(select(ProgrammeMilestone).where(ProgrammeMilestone.enrolment_id == row.id)
                                     .order_by(ProgrammeMilestone.position)).scalars().all()
    competency_rows = session.execute(select(ProgrammeCompetency).where(
        ProgrammeCompetency.enrolment_id == row.id).order_by(ProgrammeCompetency.position)).scalars().all()
    time_rows = session.execute(select(ProgrammeTime).where(
        ProgrammeTime.enrolment_id == row.id, ProgrammeTime.removed_at.is_(None))
        .order_by(ProgrammeTime.taken_on.desc(), ProgrammeTime.id.desc())).scalars().all()
    pause_rows = pauses_of(session, row.id)
    extension_rows = session.execute(select(ProgrammeExtension).where(ProgrammeExtension.enrolment_id == row.id)
                                     .order_by(ProgrammeExtension.id)).scalars().all()
    facts = EnrolmentFacts(
        row.start_date, row.planned_end, row.length_weeks, row.protected_hours_per_week, row.status,
        row.completed_on, row.withdrawn_on,
        pauses=[(p.start_date, p.end_date, p.reason) for p in pause_rows],
        extensions=[rules.Extension(x.weeks, x.days, x.reason) for x in extension_rows],
        milestones=[MilestoneFacts(m.id, m.key, m.title, m.week, m.kind, m.held_on) for m in milestone_rows],
        competencies_signed=sum(c.signed_at is not None for c in competency_rows),
        competencies_total=len(competency_rows), logged_hours=sum(t.hours for t in time_rows),
    )
    ev = evaluate(facts, today)
    person = session.get(Staff, row.staff_id)
    role = session.get(Role, person.role_code)
    practices = session.execute(
        select(Organisation.name).join(StaffPractice, StaffPractice.organisation_id == Organisation.id)
        .where(StaffPractice.staff_id == row.staff_id).order_by(Organisation.name)).scalars().all()
    finished = row.status in (COMPLETED, WITHDRAWN)
    milestones = []
    for m in milestone_rows:
        status = ev.statuses[m.id]
        label = status.label
        if finished and m.held_on is None:
            label = "Not recorded"
        elif status is MilestoneStatus.HELD:
            label = f"Held {format_uk(m.held_on)}"
        milestones.append(MilestoneRow(
            id=m.id, version=m.version, key=m.key, title=m.title, week=m.week, kind=m.kind,
            kind_label=MILESTONE_KINDS.get(m.kind, m.kind), due=ev.due[m.id], status=status, status_label=label,
            held_on=m.held_on, notes=m.notes, recorded_by=m.recorded_by_name))
    files: dict[int, list[EvidenceRow]] = {}
    for e in session.execute(select(ProgrammeEvidence).where(ProgrammeEvidence.enrolment_id == row.id,
                                                             ProgrammeEvidence.removed_at.is_(None))
                             .order_by(ProgrammeEvidence.added_at)).scalars():
        files.setdefault(e.competency_id, []).append(
            EvidenceRow(e.id, e.original_name, e.media_type, e.size, e.added_by_name, e.added_at))
    recorders = {c.recorded_by_user_id for c in competency_rows if c.signed_by_external_id} | (
        {row.recorded_by_user_id} if row.signed_by_external_id else set())
    users = dict(session.execute(select(UserAccount.id, UserAccount.display_name).where(
        UserAccount.id.in_([u for u in recorders if u is not None]))).all()) if recorders else {}
    competencies = tuple(
        CompetencyRow(
            id=c.id, version=c.version, domain_code=c.domain_code, domain_title=c.domain_title, key=c.key,
            title=c.title, description=c.description, evidence_expected=c.evidence_expected,
            signed=c.signed_at is not None, signed_by=c.signed_by_name, signed_on=c.signed_on,
            recorded_by=users.get(c.recorded_by_user_id, "") if c.signed_by_external_id else "",
            comment=c.comment, evidence=tuple(files.get(c.id, ())))
        for c in competency_rows)
    times = tuple(TimeRow(t.id, t.taken_on, t.hours, t.activity, t.logged_by_name, t.logged_at) for t in time_rows)
    pauses = tuple(
        PauseRow(p.id, p.version, p.start_date, p.end_date, p.reason, p.recorded_by_name,
                 rules.Pause(p.start_date, p.end_date or max(p.start_date, ev.as_of)).days)
        for p in pause_rows)
    extensions = tuple(ExtensionRow(x.id, x.weeks, x.days, x.reason, x.agreed_on, x.recorded_by_name)
                       for x in extension_rows)
    preceptor, preceptor_detail = person_label(session, row.preceptor_staff_id, row.preceptor_external_id, today)
    assessor, assessor_detail = person_label(session, row.assessor_staff_id, row.assessor_external_id, today)
    note = ""
    if row.assessor_staff_id is not None and not actor.sole_user and not finished \
            and row.assessor_staff_id not in signers(session, row.assessor_staff_id):
        note = (f"{assessor} has no ARRS Desk account with the supervisor or line manager role, so cannot sign "
                "off yet. An administrator can add one under User accounts, or the line manager can name "
                "them as an assessor from outside the PCN.")
    elif row.assessor_external_id is not None and not finished:
        note = (f"{assessor} is from outside the PCN and signs on paper; the line manager records each "
                "signature here.")
    may_assess = False
    if not finished:
        try:
            require_assessor(session, actor, rel, row)
            may_assess = True
        except PermissionDenied:
            pass
    named = is_named(actor, row)
    manage = denial(actor.roles, Action.MANAGE_PROGRAMME, rel) is None
    logged = round(facts.logged_hours, 2)
    return EnrolmentView(
        id=row.id, version=row.version, staff_id=row.staff_id, display_name=person_name(person),
        role_title=role.title if role else person.role_code, practices=", ".join(practices),
        programme_code=row.programme_code, programme_version=row.programme_version, title=row.title,
        description=row.description, length_weeks=row.length_weeks,
        protected_hours_per_week=row.protected_hours_per_week, start_date=row.start_date,
        planned_end=row.planned_end, expected_end=ev.end, status=ev.status,
        preceptor=preceptor, preceptor_detail=preceptor_detail, preceptor_staff_id=row.preceptor_staff_id,
        preceptor_external_id=row.preceptor_external_id, assessor=assessor, assessor_detail=assessor_detail,
        assessor_staff_id=row.assessor_staff_id, assessor_external_id=row.assessor_external_id,
        assessor_is_external=row.assessor_external_id is not None,
        assessor_note=note, completed_on=row.completed_on, completion_signed_by=row.signed_by_name,
        completion_recorded_by=users.get(row.recorded_by_user_id, "") if row.signed_by_external_id else "",
        completion_comment=row.completion_comment, withdrawn_on=row.withdrawn_on,
        withdrawn_reason=row.withdrawn_reason, notes=row.notes, progress=ev.progress, time_elapsed=ev.elapsed,
        competencies_signed=facts.competencies_signed, competencies_total=facts.competencies_total,
        milestones_held=ev.held, milestones_total=len(milestones), milestones_overdue=ev.overdue,
        protected_expected=round(ev.expected_hours, 2), protected_logged=logged,
        protected_shortfall=rules.protected_time_shortfall(ev.expected_hours, logged), behind=ev.reasons,
        milestones=tuple(milestones), competencies=competencies, time_entries=times, pauses=pauses,
        extensions=extensions, extension_days=sum(x.weeks * 7 + x.days for x in extensions), today=today,
        as_of=ev.as_of,
        can=Capabilities(
            manage=manage and not finished,
            record_milestones=not finished and not rel.is_self and (named or manage),
            assess=may_assess,
            contribute=not finished and (rel.is_self or named or manage),
        ),
    )
