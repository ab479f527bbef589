"""The Reviews page's overview: for everyone the viewer may see, what is due and every review held.

A whole PCN is read in a few set queries (counts, not loaded objectives; relationships as sets,
not one look-up per person), and what is due is decided by `arrs_desk.domain.reviews`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from arrs_desk.domain import reviews as rules
from arrs_desk.domain import staff as staff_rules
from arrs_desk.domain.permissions import AccessRole, Action, Relationship, denial
from arrs_desk.domain.review_dates import chronological_key, latest_review
from arrs_desk.domain.reviews import DueStatus
from arrs_desk.services.actor import Actor
from arrs_desk.services.relationships import appraisee_ids, managed_ids, visible_staff_ids
from arrs_desk.services.reviews.facts import LIST_COLUMNS, count_facts, review_fact
from arrs_desk.services.reviews.rows import RowContext, roles_and_practices
from arrs_desk.services.reviews.views import DueRow, ReviewOverview
from arrs_desk.store.models import Review, Staff


@dataclass(slots=True)
class Relationships:
    """How the viewer stands to each person of a list, from two set queries."""

    actor: Actor
    managed: set[int]
    appraised: set[int]
    everyone: bool

    def may(self, staff_id: int, action: Action) -> bool:
        is_self = staff_id == self.actor.staff_id
        if self.everyone and not is_self:
            rel = Relationship(manages=True, supervises=True, appraises=True, assesses=True)
        else:
            rel = Relationship(is_self=is_self, manages=staff_id in self.managed, appraises=staff_id in self.appraised)
        return denial(self.actor.roles, action, rel) is None


def relationship_sets(session: Session, actor: Actor) -> Relationships:
    """Relationship facts for a whole list from two set queries, not one lookup per person."""
    if actor.staff_id is None and not actor.sole_user:
        return Relationships(actor, set(), set(), everyone=False)
    if actor.sole_user:
        return Relationships(actor, set(), set(), everyone=True)
    managed = managed_ids(session, actor.staff_id) if AccessRole.LINE_MANAGER in actor.roles else set()
    appraised = appraisee_ids(session, actor.staff_id) if AccessRole.APPRAISER in actor.roles else set()
    return Relationships(actor, managed, appraised, everyone=False)


def read_overview(session: Session, actor: Actor, today: date, *, held: bool = True) -> ReviewOverview:
    """Everyone the actor may see who is in post: what is due, and (unless `held` is False, for
    callers that only count what is due) every review held."""
    visible = visible_staff_ids(session, actor, today)
    people_stmt = select(Staff.id, Staff.given_name, Staff.family_name, Staff.preferred_name, Staff.role_code,
                         Staff.start_date, Staff.status, Staff.line_manager_id)
    people = {row.id: row for row in session.execute(people_stmt)}
    wanted = set(people) if visible is None else visible & set(people)
    review_stmt = select(*(getattr(Review, c) for c in LIST_COLUMNS))
    if visible is not None:
        review_stmt = review_stmt.where(Review.staff_id.in_(wanted or {-1}))
    reviews = session.execute(review_stmt).all()
    facts = count_facts(session, None if visible is None else wanted)
    roles, org_names, practices = roles_and_practices(session, None)
    rels = relationship_sets(session, actor)

    names = {sid: staff_rules.display_name(p.given_name, p.family_name, p.preferred_name) for sid, p in people.items()}
    by_person: dict[int, list] = {}
    for review in reviews:
        by_person.setdefault(review.staff_id, []).append(review)
    context = RowContext(names, roles, org_names, practices, facts, today)
    held_rows = sorted((context.row(r, people[r.staff_id]) for r in reviews if r.staff_id in people),
                       key=chronological_key, reverse=True) if held else []
    due_rows = []
    for staff_id in wanted:
        person = people[staff_id]
        if not rules.in_post(person.status, person.start_date, today):
            continue
        own = by_person.get(staff_id, [])
        due = rules.due_reviews(person.start_date, (review_fact(r) for r in own), today)
        upcoming = rules.next_due(due)
        last = latest_review(r for r in own if rules.is_held(r.meeting_date, today))
        latest = latest_review(own)
        role_title, arrs = roles.get(person.role_code, (person.role_code, False))
        name, sort_key, practice_ids, practice_names = context.person(staff_id)
        due_rows.append(DueRow(
            staff_id=staff_id, display_name=name, sort_key=sort_key,
            role_code=person.role_code, role_title=role_title, arrs=arrs, practice_ids=practice_ids,
            practices=practice_names,
            line_manager=names.get(person.line_manager_id, "") if person.line_manager_id else "",
            start_date=person.start_date, due=due, next=upcoming,
            status=upcoming.status if upcoming else DueStatus.UP_TO_DATE,
            last_review=rules.kind_label(last.kind, last.probation_month) if last else "",
            last_review_on=last.meeting_date if last else None,
            appraiser=latest.appraiser_name if latest else "",
            open_objectives=facts.open_objectives_of(latest.id) if latest else 0,
            can_print=rels.may(staff_id, Action.PRINT_PACK),
        ))
    due_rows.sort(key=lambda r: r.sort_key)
    return ReviewOverview(today, tuple(due_rows), tuple(held_rows))
