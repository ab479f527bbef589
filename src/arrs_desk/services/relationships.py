"""What an actor is to a member of staff: the facts the permission policy needs.

One place answers "who is in my team" so that lists, records and sign-offs agree. Later
modules (supervision, programmes, reviews) add their facts here, not in their own services.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from functools import cache

from sqlalchemy import ColumnElement, Select, bindparam, literal, or_, select, union
from sqlmodel import Session

from arrs_desk import clock
from arrs_desk.domain import staff as staff_rules
from arrs_desk.domain.permissions import AccessRole, Relationship
from arrs_desk.domain.staff import StaffStatus
from arrs_desk.services import reference
from arrs_desk.services.reference import keeps_reads
from arrs_desk.services.account_safety import link_trusted
from arrs_desk.services.actor import Actor
from arrs_desk.store.models import AccountLinkTrust, ProgrammeEnrolment, Review, Staff, SupervisionArrangement

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
    return set(session.execute(_supervisees(supervisor_staff_id, today or clock.today())).scalars())


def _supervisees(supervisor_staff_id: int, today: date) -> Select:
    return select(SupervisionArrangement.staff_id).where(
        SupervisionArrangement.supervisor_staff_id == supervisor_staff_id,
        or_(SupervisionArrangement.end_date.is_(None), SupervisionArrangement.end_date >= today),
    )


def _arrangements_of(supervisor_staff_id: int | ColumnElement, staff_id: int | ColumnElement,
                     today: date | ColumnElement) -> Select:
    """Arrangements naming the supervisor for the person that have not ended. Found by the person
    (a handful of arrangements each), never by the supervisor: a GP or a safeguarding lead may
    supervise thousands, and SQLite, choosing between the two indexes without statistics, took
    the supervisor's, so a check of a group of 4,000 read 7 million index entries (3.5 s). The
    supervisor's column is compared as `+ 0` so that no index on it is used."""
    return select(SupervisionArrangement.id).where(
        SupervisionArrangement.staff_id == staff_id,
        SupervisionArrangement.supervisor_staff_id + 0 == supervisor_staff_id,
        or_(SupervisionArrangement.end_date.is_(None), SupervisionArrangement.end_date >= today),
    )


def supervises(session: Session, supervisor_staff_id: int, staff_id: int, today: date | None = None) -> bool:
    return session.execute(_arrangements_of(supervisor_staff_id, staff_id, today or clock.today()).limit(1)
                           ).first() is not None


ACTIVE_ENROLMENT = "active"
"""An enrolment not yet completed or withdrawn (a paused one is still active)."""


def assessed_ids(session: Session, assessor_staff_id: int) -> set[int]:
    """People with an active programme enrolment naming this person as their assessor."""
    return set(session.execute(_assessed(assessor_staff_id)).scalars())


def _assessed(assessor_staff_id: int) -> Select:
    return select(ProgrammeEnrolment.staff_id).where(
        ProgrammeEnrolment.assessor_staff_id == assessor_staff_id,
        ProgrammeEnrolment.status == ACTIVE_ENROLMENT,
    )


def _enrolments_of(assessor_staff_id: int | ColumnElement, staff_id: int | ColumnElement) -> Select:
    """Active enrolments of the person naming this assessor."""
    return select(ProgrammeEnrolment.id).where(
        ProgrammeEnrolment.staff_id == staff_id,
        ProgrammeEnrolment.assessor_staff_id == assessor_staff_id,
        ProgrammeEnrolment.status == ACTIVE_ENROLMENT,
    )


def assesses(session: Session, assessor_staff_id: int, staff_id: int) -> bool:
    return session.execute(_enrolments_of(assessor_staff_id, staff_id).limit(1)).first() is not None


def appraisee_ids(session: Session, appraiser_staff_id: int) -> set[int]:
    """People with a review naming this person as their appraiser."""
    return set(session.execute(_appraisees(appraiser_staff_id).distinct()).scalars())


def _appraisees(appraiser_staff_id: int) -> Select:
    return select(Review.staff_id).where(Review.appraiser_staff_id == appraiser_staff_id)


def _reviews_of(appraiser_staff_id: int | ColumnElement, staff_id: int | ColumnElement) -> Select:
    """Reviews of the person naming this appraiser."""
    return select(Review.id).where(Review.staff_id == staff_id, Review.appraiser_staff_id == appraiser_staff_id)


def appraises(session: Session, appraiser_staff_id: int, staff_id: int) -> bool:
    return session.execute(_reviews_of(appraiser_staff_id, staff_id).limit(1)).first() is not None


def has_left(status: str | None, start: date | None, end: date | None, today: date) -> bool:
    """Whether a staff record with these facts has left by `today` (`domain.staff.effective_status`);
    no record (None) has not."""
    return status is not None and start is not None \
        and staff_rules.effective_status(status, start, end, today) is StaffStatus.LEFT


def holds_relationships(session: Session, actor: Actor, today: date | None = None) -> bool:
    """Whether what the actor is to others (line manager, supervisor, appraiser, assessor) still
    counts: not once their own staff record has left. A line manager who has left kept their
    former team's records open while their account stayed; their account's roles still stand
    (an administrator's rights are the account's, not the record's). From the session's one read
    of the staff list when it keeps one, else the actor's own row (already held, after a check)."""
    if actor.staff_id is None or actor.sole_user:
        return True
    if keeps_reads(session):
        me = reference.staff(session).get(actor.staff_id)
    else:
        me = session.get(Staff, actor.staff_id)
    return me is None or not has_left(me.status, me.start_date, me.end_date, today or clock.today())


SOLE_USER = Relationship(manages=True, supervises=True, appraises=True, assesses=True)
"""In single-user mode the one person looks after everyone, but still never signs off their own work."""


def relationship(session: Session, actor: Actor, staff_id: int | None, today: date | None = None) -> Relationship:
    if actor.sole_user and staff_id is not None:
        return Relationship(is_self=True) if staff_id == actor.staff_id else SOLE_USER
    if staff_id is None or actor.staff_id is None:
        return Relationship()
    if actor.staff_id == staff_id:
        return Relationship(is_self=True, link_trusted=link_trusted(session, actor.user_id))
    return relationships(session, actor, [staff_id], today)[staff_id]


def relationships(session: Session, actor: Actor, staff_ids: Iterable[int],
                  today: date | None = None) -> dict[int, Relationship]:
    """`relationship` for each of these people, in one statement for them all (a group session's
    attendees): whether the account's link is trusted, and whether the actor manages them anywhere
    up the line-management chain, supervises, assesses or appraises them. Every save and every
    record opened asks, and across sites each statement is a round trip: asked one by one (the
    chain a person at a time) a check cost five to seven, and a group of twenty as many times over.
    A test holds the answers to `link_trusted`, `is_manager_of`, `supervises`, `assesses` and
    `appraises` on random records and trees."""
    wanted = list(dict.fromkeys(staff_ids))
    others = [staff_id for staff_id in wanted
              if not actor.sole_user and actor.staff_id is not None and staff_id != actor.staff_id]
    found: dict[int, Relationship] = {}
    if others:
        day = today or clock.today()
        for person, trusted, manages, supervising, assessing, appraising, *mine in session.execute(
                _standing(), {"me": actor.staff_id, "people": others, "user": actor.user_id, "today": day}):
            trusted = trusted is None or bool(trusted)
            if has_left(*mine, day):  # a leaver is no longer anyone's manager, supervisor, appraiser or assessor
                found[person] = Relationship(link_trusted=trusted)
                continue
            found[person] = Relationship(link_trusted=trusted, manages=bool(manages),
                                         supervises=bool(supervising), assesses=bool(assessing),
                                         appraises=bool(appraising))
    for staff_id in wanted:
        if staff_id not in found:
            found[staff_id] = relationship(session, actor, staff_id, today) if staff_id not in others \
                else Relationship(link_trusted=link_trusted(session, actor.user_id))  # on nobody's record
    return {staff_id: found[staff_id] for staff_id in wanted}


@cache
def _standing() -> Select:
    """The statement `relationships` sends, built once with its values left as parameters: built
    afresh for each check, it took longer than running it (1.3 ms against 0.7 for the five
    questions asked one by one), which a batch of saves pays thousands of times. A chain runs up
    from each person, told apart by where it started, at most MAX_CHAIN steps as `is_manager_of`
    walks it, so a loop in bad data ends. No account (`user` None) matches no trust row, which
    reads as trusted, as `link_trusted` has it. The actor's own status and dates come along, joined
    once, so that whether they have left costs no statement of its own."""
    me, people, user, today = bindparam("me"), bindparam("people", expanding=True), bindparam("user"), \
        bindparam("today")
    trusted = select(AccountLinkTrust.trusted).where(AccountLinkTrust.user_id == user).scalar_subquery()
    start = Staff.__table__.alias("start")
    chain = select(start.c.id.label("person"), start.c.line_manager_id, literal(0).label("depth")) \
        .where(start.c.id.in_(people)).cte("chains", recursive=True)
    above = Staff.__table__.alias("above")
    chain = chain.union_all(select(chain.c.person, above.c.line_manager_id, chain.c.depth + 1).where(
        above.c.id == chain.c.line_manager_id, chain.c.depth + 1 < MAX_CHAIN))
    person = Staff.__table__.alias("person")
    manages = select(chain.c.person).where(chain.c.person == person.c.id, chain.c.line_manager_id == me).exists()
    mine = Staff.__table__.alias("mine")
    return select(person.c.id, trusted, manages, _arrangements_of(me, person.c.id, today).exists(),
                  _enrolments_of(me, person.c.id).exists(), _reviews_of(me, person.c.id).exists(),
                  mine.c.status, mine.c.start_date, mine.c.end_date
                  ).select_from(person).outerjoin(mine, mine.c.id == me).where(person.c.id.in_(people))


def visible_staff_ids(session: Session, actor: Actor, today: date | None = None) -> set[int] | None:
    """The staff this actor may see; None means everyone."""
    if AccessRole.ADMINISTRATOR in actor.roles:
        return None
    if actor.staff_id is None:
        return set()
    visible = {actor.staff_id}
    day = today or clock.today()
    if AccessRole.LINE_MANAGER in actor.roles and holds_relationships(session, actor, day):
        visible |= managed_ids(session, actor.staff_id)
    # Whom they supervise, assess and appraise, in one statement: every page read asks this, and
    # on a server across sites each statement is a round trip. So the same statement asks whether
    # the actor has left (then they hold none of these), as `holds_relationships` would.
    asked = []
    if AccessRole.SUPERVISOR in actor.roles:
        asked += [_supervisees(actor.staff_id, day), _assessed(actor.staff_id)]
    if AccessRole.APPRAISER in actor.roles:
        asked.append(_appraisees(actor.staff_id))
    if asked:
        here = select(Staff.id).where(Staff.id == actor.staff_id, *reference.not_left_where(day)).exists()
        asked = [stmt.where(here) for stmt in asked]
        visible |= set(session.execute(union(*asked) if len(asked) > 1 else asked[0]).scalars())
    return visible
