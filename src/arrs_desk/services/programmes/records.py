"""Reading what is stored about enrolments: the facts the progress rule needs, and who is who.

Every part of the programme service reads through these, so an enrolment's figures are worked
out from the same facts whether it appears in the overview, on its own page or in an audit note.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import case, func, select
from sqlmodel import Session

from arrs_desk.domain import programmes as rules
from arrs_desk.domain import staff as staff_rules
from arrs_desk.domain.permissions import AccessRole
from arrs_desk.domain.programme_progress import EnrolmentFacts, MilestoneFacts, evaluate
from arrs_desk.services.relationships import has_left
from arrs_desk.store.models import (
    ExternalPerson, ProgrammeCompetency, ProgrammeEnrolment, ProgrammeExtension, ProgrammeMilestone, ProgrammePause,
    ProgrammeTime, Role, Staff, UserAccount,
)

SIGNING_ROLES = frozenset({AccessRole.SUPERVISOR.value, AccessRole.LINE_MANAGER.value})
"""Account roles that can hold ASSESS_PROGRAMME: a colleague named as assessor needs one."""


def person_name(person) -> str:
    """`person`: a staff row, or any row with the same name columns (`reference.StaffFacts`)."""
    return staff_rules.display_name(person.given_name, person.family_name, person.preferred_name) if person else ""


def pauses_of(session: Session, enrolment_id: int) -> list[ProgrammePause]:
    return list(session.execute(select(ProgrammePause).where(ProgrammePause.enrolment_id == enrolment_id)
                                .order_by(ProgrammePause.start_date)).scalars())


def extensions_of(session: Session, enrolment_id: int) -> list[rules.Extension]:
    return [rules.Extension(x.weeks, x.days, x.reason) for x in session.execute(
        select(ProgrammeExtension).where(ProgrammeExtension.enrolment_id == enrolment_id)).scalars()]


def facts_for(session: Session, ids, enrolments: Sequence[ProgrammeEnrolment]) -> dict[int, EnrolmentFacts]:
    """The facts for each enrolment; `ids` is a list or a subquery of enrolment ids."""
    facts = {e.id: EnrolmentFacts(e.start_date, e.planned_end, e.length_weeks, e.protected_hours_per_week, e.status,
                                  e.completed_on, e.withdrawn_on) for e in enrolments}
    for m in session.execute(select(ProgrammeMilestone).where(ProgrammeMilestone.enrolment_id.in_(ids))
                             .order_by(ProgrammeMilestone.position)).scalars():
        if m.enrolment_id in facts:
            facts[m.enrolment_id].milestones.append(MilestoneFacts(m.id, m.key, m.title, m.week, m.kind, m.held_on))
    c = ProgrammeCompetency
    for enrolment_id, total, signed in session.execute(
            select(c.enrolment_id, func.count(), func.sum(case((c.signed_at.is_not(None), 1), else_=0)))
            .where(c.enrolment_id.in_(ids)).group_by(c.enrolment_id)):
        if enrolment_id in facts:
            facts[enrolment_id].competencies_total, facts[enrolment_id].competencies_signed = total, signed or 0
    for enrolment_id, hours in session.execute(
            select(ProgrammeTime.enrolment_id, func.sum(ProgrammeTime.hours))
            .where(ProgrammeTime.enrolment_id.in_(ids), ProgrammeTime.removed_at.is_(None))
            .group_by(ProgrammeTime.enrolment_id)):
        if enrolment_id in facts:
            facts[enrolment_id].logged_hours = float(hours or 0)
    for p in session.execute(select(ProgrammePause).where(ProgrammePause.enrolment_id.in_(ids))
                             .order_by(ProgrammePause.start_date)).scalars():
        if p.enrolment_id in facts:
            facts[p.enrolment_id].pauses.append((p.start_date, p.end_date, p.reason))
    for x in session.execute(select(ProgrammeExtension).where(ProgrammeExtension.enrolment_id.in_(ids))).scalars():
        if x.enrolment_id in facts:
            facts[x.enrolment_id].extensions.append(rules.Extension(x.weeks, x.days, x.reason))
    return facts


def expected_end_of(session: Session, row: ProgrammeEnrolment, today: date) -> date:
    """The enrolment's expected end with what this transaction has written so far."""
    session.flush()
    return evaluate(facts_for(session, [row.id], [row])[row.id], today).end


def person_label(session: Session, staff_id: int | None, external_id: int | None, today: date) -> tuple[str, str]:
    """A preceptor's or assessor's name and, beside it, their role or organisation, and whether they
    have left by `today` (by the dates too: a last day of yesterday, still saved as Active)."""
    if staff_id is not None:
        person = session.get(Staff, staff_id)
        role = session.get(Role, person.role_code) if person else None
        left = bool(person) and has_left(person.status, person.start_date, person.end_date, today)
        return person_name(person), staff_rules.marked_if_left(role.title if role else "", left)
    if external_id is not None:
        external = session.get(ExternalPerson, external_id)
        if external is not None:
            return external.name, ", ".join(v for v in (external.job_title, external.organisation) if v)
    return "", ""


def signers(session: Session, staff_id: int | None = None) -> set[int]:
    """Staff whose account can sign off as assessor (all of them, or only `staff_id` if they can)."""
    stmt = select(UserAccount.staff_id, UserAccount.roles).where(UserAccount.active, UserAccount.staff_id.is_not(None))
    if staff_id is not None:
        stmt = stmt.where(UserAccount.staff_id == staff_id)
    accounts = session.execute(stmt).all()
    return {staff_id for staff_id, roles in accounts if SIGNING_ROLES & set(roles or ())}
