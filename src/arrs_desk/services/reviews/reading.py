"""One person's reviews as the screens read them: their history and what is due, one review in
full, every review for the appraisal pack, and what the review editor's drop-downs offer.

Every function checks that the viewer may see the person before reading anything of theirs.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from arrs_desk.domain import reviews as rules
from arrs_desk.domain import staff as staff_rules
from arrs_desk.domain.permissions import Action, denial
from arrs_desk.domain.review_dates import chronological_key, previous_review
from arrs_desk.domain.reviews import ObjectiveStatus, Outcome, PdpStatus, ReviewKind
from arrs_desk.services import reference
from arrs_desk.services._common import get_or_404, require
from arrs_desk.services.actor import Actor
from arrs_desk.services.relationships import relationship
from arrs_desk.services.reviews.facts import eligible_appraisers, review_fact
from arrs_desk.services.reviews.impact import impact_rows
from arrs_desk.services.reviews.rows import SharedDetails, detail, row_context
from arrs_desk.services.reviews.views import ObjectiveRow, PersonReviews, ReviewChoices, ReviewDetail
from arrs_desk.services.choices import Choice
from arrs_desk.store.models import ExternalPerson, Review, Role, Staff


def read_person(session: Session, actor: Actor, today: date, *, staff_id: int) -> PersonReviews:
    rel = relationship(session, actor, staff_id, today)
    require(actor, Action.VIEW_STAFF, rel)
    staff = get_or_404(session, Staff, staff_id, "staff member")
    reviews = session.execute(select(Review).where(Review.staff_id == staff_id)).scalars().all()
    context = row_context(session, [staff_id], reviews, today, loaded=[staff], known=reviews)
    manager = session.get(Staff, staff.line_manager_id) if staff.line_manager_id else None
    impact = impact_rows(session, actor, rel, staff_id, None, None)
    rows = sorted((context.row(r, staff) for r in reviews), key=chronological_key, reverse=True)
    due = rules.due_reviews(staff.start_date, (review_fact(r) for r in reviews), today)
    in_post = staff_rules.in_post(staff.status, staff.start_date, staff.end_date, today)  # reviews fall due only then
    role = context.roles.get(staff.role_code, (staff.role_code, False))[0]
    return PersonReviews(
        staff_id=staff_id, display_name=context.names[staff_id], role_title=role,
        practices=", ".join(context.org_names.get(i, "") for i in sorted(context.practices.get(staff_id, ()))),
        start_date=staff.start_date,
        staff_status=staff_rules.effective_status(staff.status, staff.start_date, staff.end_date, today).value,
        line_manager=staff_rules.display_name(manager.given_name, manager.family_name, manager.preferred_name)
        if manager else "",
        today=today, due=due if in_post else (), next=rules.next_due(due) if in_post else None,
        reviews=tuple(rows), impact=tuple(impact),
        can_create=denial(actor.roles, Action.WRITE_REVIEW, rel) is None,
        can_record_impact=denial(actor.roles, Action.RECORD_IMPACT, rel) is None,
        can_print_pack=denial(actor.roles, Action.PRINT_PACK, rel) is None,
    )


def read_review(session: Session, actor: Actor, today: date, *, review_id: int) -> ReviewDetail:
    review = get_or_404(session, Review, review_id, "review")
    rel = relationship(session, actor, review.staff_id, today)
    require(actor, Action.VIEW_STAFF, rel)
    return detail(session, actor, rel, review, today)


def read_history(session: Session, actor: Actor, today: date, *, staff_id: int) -> list[ReviewDetail]:
    """Every review of one person in full, oldest first."""
    rel = relationship(session, actor, staff_id, today)
    require(actor, Action.VIEW_STAFF, rel)
    reviews = session.execute(
        select(Review).where(Review.staff_id == staff_id).order_by(Review.period_end, Review.id)
    ).scalars().all()
    staff = session.get(Staff, staff_id)
    shared = SharedDetails(row_context(session, [staff_id], reviews, today, loaded=[staff] if staff else (),
                                      known=reviews), list(reviews), {}, {}, staff)
    details = [detail(session, actor, rel, r, today, shared) for r in reviews]
    return sorted(details, key=lambda d: chronological_key(d.row))


def read_choices(session: Session, actor: Actor, today: date, *, staff_id: int,
                 review_id: int | None) -> ReviewChoices:
    require(actor, Action.VIEW_STAFF, relationship(session, actor, staff_id, today))
    staff = get_or_404(session, Staff, staff_id, "staff member")
    role_titles = dict(session.execute(select(Role.code, Role.title)).all())
    people = session.execute(
        select(Staff.id, Staff.given_name, Staff.family_name, Staff.preferred_name, Staff.role_code)
        .where(*reference.not_left_where(today), Staff.id != staff_id)
    ).all()
    eligible = eligible_appraisers(session, {p[0] for p in people})
    externals = session.execute(
        select(ExternalPerson).where(ExternalPerson.active).order_by(ExternalPerson.name)).scalars().all()
    reviews = session.execute(select(Review).where(Review.staff_id == staff_id)).scalars().all()
    current = next((r for r in reviews if r.id == review_id), None)
    previous = previous_review(reviews, current, started=staff.start_date)
    previous_open: tuple[ObjectiveRow, ...] = ()
    if previous is not None:
        context = row_context(session, [staff_id], [previous], today, loaded=[staff], known=reviews)
        previous_open = tuple(o for o in context.objective_rows(previous.id) if o.is_open and not o.carried_to)
    appraisers = sorted(
        (Choice(p[0], staff_rules.display_name(p[1], p[2], p[3]), role_titles.get(p[4], p[4]))
         for p in people if p[0] in eligible),
        key=lambda c: staff_rules.search_key(c.label))
    return ReviewChoices(
        staff_id=staff_id, display_name=staff_rules.display_name(staff.given_name, staff.family_name,
                                                                 staff.preferred_name),
        start_date=staff.start_date,
        kinds=tuple(Choice(k.value, k.label) for k in (ReviewKind.ANNUAL, ReviewKind.INTERIM, ReviewKind.PROBATION)),
        probation_months=rules.PROBATION_MONTHS,
        appraisers=tuple(appraisers),
        externals=tuple(Choice(e.id, e.name, ", ".join(x for x in (e.job_title, e.organisation) if x))
                        for e in externals),
        objective_statuses=tuple(Choice(s.value, s.label) for s in ObjectiveStatus),
        pdp_statuses=tuple(Choice(s.value, s.label) for s in PdpStatus),
        outcomes=tuple(Choice(o.value, o.label) for o in Outcome),
        last_period_end=previous.period_end if previous else None,
        previous_open=previous_open, today=today,
    )
