"""What an actor is to a member of staff: the facts the permission policy needs.

One place answers "who is in my team" so that lists, records and sign-offs agree. Later
modules (supervision, programmes, reviews) add their facts here, not in their own services.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from sqlalchemy import or_, select
from sqlmodel import Session

from arrs_desk import clock
from arrs_desk.domain.permissions import AccessRole, Relationship
from arrs_desk.services import reference
from arrs_desk.services.account_safety import link_trusted
from arrs_desk.services.actor import Actor
from arrs_desk.store.models import ProgrammeEnrolment, Review, Staff, SupervisionArrangement

MAX_CHAIN = 25
"""Line-management chains are short; the limit guards against a loop in bad data."""


def managed_ids(session: Session, manager_staff_id: int, managers: Mapping[int, int | None] | None = None) -> set[int]:
    """Everyone below this person in the line-management tree (direct and indirect reports)."""
    return managed_by_any(session, (manager_staff_id,), managers) - {manager_staff_id}


def managed_by_any(session: Session, manager_staff_ids: Iterable[int],
                   managers: Mapping[int, int | None] | None = None) -> set[int]:
    """Everyone below any of these people in the line-management tree, walked once for them all."""
    managers = managers if managers is not None else reference.line_managers(session)
    reports: dict[int, list[int]] = {}
    for staff_id, manager_id in managers.items():
        if manager_id is not None:
            reports.setdefault(manager_id, []).append(staff_id)
    found: set[int] = set()
    frontier = list(manager_staff_ids)
    while frontier:
        nxt = []
        for person in frontier:
            for report in reports.get(person, ()):
                if report not in found:
                    found.add(report)
                    nxt.append(report)
        frontier = nxt
    return found


def is_manager_of(session: Session, manager_staff_id: int, staff_id: int) -> bool:
    current = session.get(Staff, staff_id)
    seen = 0
    while current is not None and current.line_manager_id is not None and seen < MAX_CHAIN:
        if current.line_manager_id == manager_staff_id:
            return True
        current = session.get(Staff, current.line_manager_id)
        seen += 1
    return False


def supervisee_ids(session: Session, supervisor_staff_id: int, today: date | None = None) -> set[int]:
    """People this person supervises under an arrangement that has not ended.

    An arrangement that starts later already counts, so a supervisor can prepare before the
    first session. `today` defaults to the clock for callers outside the supervision service.
    """
    today = today or clock.today()
    return set(session.execute(
        select(SupervisionArrangement.staff_id).where(
            SupervisionArrangement.supervisor_staff_id == supervisor_staff_id,
            or_(SupervisionArrangement.end_date.is_(None), SupervisionArrangement.end_date >= today),
        )
    ).scalars())


def supervises(session: Session, supervisor_staff_id: int, staff_id: int, today: date | None = None) -> bool:
    today = today or clock.today()
    return session.execute(
        select(SupervisionArrangement.id).where(
            SupervisionArrangement.staff_id == staff_id,
            SupervisionArrangement.supervisor_staff_id == supervisor_staff_id,
            or_(SupervisionArrangement.end_date.is_(None), SupervisionArrangement.end_date >= today),
        ).limit(1)
    ).first() is not None


ACTIVE_ENROLMENT = "active"
"""An enrolment not yet completed or withdrawn (a paused one is still active)."""


def assessed_ids(session: Session, assessor_staff_id: int) -> set[int]:
    """People with an active programme enrolment naming this person as their assessor."""
    return set(session.execute(
        select(ProgrammeEnrolment.staff_id).where(
            ProgrammeEnrolment.assessor_staff_id == assessor_staff_id,
            ProgrammeEnrolment.status == ACTIVE_ENROLMENT,
        )
    ).scalars())


def assesses(session: Session, assessor_staff_id: int, staff_id: int) -> bool:
    return session.execute(
        select(ProgrammeEnrolment.id).where(
            ProgrammeEnrolment.staff_id == staff_id,
            ProgrammeEnrolment.assessor_staff_id == assessor_staff_id,
            ProgrammeEnrolment.status == ACTIVE_ENROLMENT,
        ).limit(1)
    ).first() is not None


def appraisee_ids(session: Session, appraiser_staff_id: int) -> set[int]:
    """People with a review naming this person as their appraiser."""
    return set(session.execute(
        select(Review.staff_id).where(Review.appraiser_staff_id == appraiser_staff_id).distinct()
    ).scalars())


def appraises(session: Session, appraiser_staff_id: int, staff_id: int) -> bool:
    return session.execute(
        select(Review.id).where(Review.staff_id == staff_id, Review.appraiser_staff_id == appraiser_staff_id).limit(1)
    ).first() is not None


SOLE_USER = Relationship(manages=True, supervises=True, appraises=True, assesses=True)
"""In single-user mode the one person looks after everyone, but still never signs off their own work."""


def relationship(session: Session, actor: Actor, staff_id: int | None, today: date | None = None) -> Relationship:
    if actor.sole_user and staff_id is not None:
        return Relationship(is_self=True) if staff_id == actor.staff_id else SOLE_USER
    if staff_id is None or actor.staff_id is None:
        return Relationship()
    trusted = link_trusted(session, actor.user_id)
    if actor.staff_id == staff_id:
        return Relationship(is_self=True, link_trusted=trusted)
    supervising, assessing, appraising = _named_in_their_records(session, actor.staff_id, staff_id, today)
    return Relationship(
        link_trusted=trusted,
        manages=is_manager_of(session, actor.staff_id, staff_id),
        supervises=supervising, assesses=assessing, appraises=appraising,
    )


def _named_in_their_records(session: Session, actor_staff_id: int, staff_id: int,
                            today: date | None) -> tuple[bool, bool, bool]:
    """`supervises`, `assesses` and `appraises` in one statement: every permission check asks all
    three, and across sites each statement is a round trip (a test holds them to the three functions)."""
    today = today or clock.today()
    supervising = select(SupervisionArrangement.id).where(
        SupervisionArrangement.staff_id == staff_id,
        SupervisionArrangement.supervisor_staff_id == actor_staff_id,
        or_(SupervisionArrangement.end_date.is_(None), SupervisionArrangement.end_date >= today),
    ).exists()
    assessing = select(ProgrammeEnrolment.id).where(
        ProgrammeEnrolment.staff_id == staff_id, ProgrammeEnrolment.assessor_staff_id == actor_staff_id,
        ProgrammeEnrolment.status == ACTIVE_ENROLMENT,
    ).exists()
    appraising = select(Review.id).where(Review.staff_id == staff_id, Review.appraiser_staff_id == actor_staff_id).exists()
    found = session.execute(select(supervising, assessing, appraising)).one()
    return bool(found[0]), bool(found[1]), bool(found[2])


def visible_staff_ids(session: Session, actor: Actor, today: date | None = None) -> set[int] | None:
    """The staff this actor may see; None means everyone."""
    if AccessRole.ADMINISTRATOR in actor.roles:
        return None
    if actor.staff_id is None:
        return set()
    visible = {actor.staff_id}
    if AccessRole.LINE_MANAGER in actor.roles:
        visible |= managed_ids(session, actor.staff_id)
    if AccessRole.SUPERVISOR in actor.roles:
        visible |= supervisee_ids(session, actor.staff_id, today)
        visible |= assessed_ids(session, actor.staff_id)
    if AccessRole.APPRAISER in actor.roles:
        visible |= appraisee_ids(session, actor.staff_id)
    return visible
