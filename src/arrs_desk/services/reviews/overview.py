"""The Reviews page's overview: for everyone the viewer may see, what is due and every review held.

A whole PCN is read in a few set queries (counts, not loaded objectives; relationships as sets,
not one look-up per person). What is due is decided by `arrs_desk.domain.reviews` from a few
facts per person that the database aggregates (`due_facts`), never from every review of every
year; the list of every review held is read only when asked for (`held`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from arrs_desk.domain import reviews as rules
from arrs_desk.domain import staff as staff_rules
from arrs_desk.domain.permissions import AccessRole, Action, Relationship, denial
from arrs_desk.domain.review_dates import chronological_key
from arrs_desk.domain.reviews import DueStatus
from arrs_desk.services import reference
from arrs_desk.services.actor import Actor
from arrs_desk.services.relationships import appraisee_ids, holds_relationships, managed_ids, visible_staff_ids
from arrs_desk.services.reviews.due_facts import PersonDueFacts, read_due_facts
from arrs_desk.services.reviews.facts import LIST_COLUMNS, MANY, count_facts
from arrs_desk.services.reviews.rows import RowContext, roles_and_practices
from arrs_desk.services.reviews.views import DueRow, ReviewRow
from arrs_desk.store.models import Review


@dataclass(slots=True)
class Relationships:
    """How the viewer stands to each person of a list, from two set queries."""

    actor: Actor
    managed: set[int]
    appraised: set[int]
    everyone: bool
    answers: dict[tuple, bool] = field(default_factory=dict)
    """Asked once per way of standing to someone (a handful), not once per person."""

    def may(self, staff_id: int, action: Action) -> bool:
        is_self = staff_id == self.actor.staff_id
        stands = (action, is_self, self.everyone or staff_id in self.managed, self.everyone or staff_id in self.appraised)
        found = self.answers.get(stands)
        if found is None:
            if self.everyone and not is_self:
                rel = Relationship(manages=True, supervises=True, appraises=True, assesses=True)
            else:
                rel = Relationship(is_self=is_self, manages=staff_id in self.managed,
                                   appraises=staff_id in self.appraised)
            found = self.answers[stands] = denial(self.actor.roles, action, rel) is None
        return found


def relationship_sets(session: Session, actor: Actor) -> Relationships:
    """Relationship facts for a whole list from two set queries, not one lookup per person."""
    if (actor.staff_id is None and not actor.sole_user) or not holds_relationships(session, actor):
        return Relationships(actor, set(), set(), everyone=False)
    if actor.sole_user:
        return Relationships(actor, set(), set(), everyone=True)
    managed = managed_ids(session, actor.staff_id) if AccessRole.LINE_MANAGER in actor.roles else set()
    appraised = appraisee_ids(session, actor.staff_id) if AccessRole.APPRAISER in actor.roles else set()
    return Relationships(actor, managed, appraised, everyone=False)


@dataclass(slots=True)
class People:
    """Everyone on file (for names of line managers) and the ids of those the viewer may see."""

    rows: dict[int, object]
    wanted: set[int]
    everyone: bool
    context: RowContext

    @property
    def narrowed(self) -> set[int] | None:
        """The ids to restrict a query to, or None to read everyone's (a long IN list costs more)."""
        return None if self.everyone or len(self.wanted) > MANY else self.wanted


def read_people(session: Session, actor: Actor, today: date) -> People:
    visible = visible_staff_ids(session, actor, today)
    rows = reference.staff(session)  # plain rows, read once per page read
    wanted = set(rows) if visible is None else visible & set(rows)
    roles, org_names, practices = roles_and_practices(session, None)
    names = {sid: staff_rules.display_name(p.given_name, p.family_name, p.preferred_name) for sid, p in rows.items()}
    return People(rows, wanted, visible is None, RowContext(names, roles, org_names, practices, None, today))


def due_rows(session: Session, actor: Actor, today: date,
             only: frozenset[int] | None) -> tuple[None, dict[int, DueRow]]:
    """What is due for the people in `only` the overview shows (everyone's for None), by person
    (`shared_reads.by_person`): everyone the actor may see who is in post."""
    people = read_people(session, actor, today)
    wanted = people.wanted if only is None else people.wanted & only
    facts = read_due_facts(session, today, people.narrowed if only is None else wanted)
    rels = relationship_sets(session, actor)
    context, names, roles = people.context, people.context.names, people.context.roles
    rows = {}
    none = PersonDueFacts()
    for staff_id in wanted:
        person = people.rows[staff_id]
        if not staff_rules.in_post(person.status, person.start_date, person.end_date, today):
            continue
        own = facts.get(staff_id, none)
        due = rules.due_reviews(person.start_date, own.rule_facts, today)
        upcoming = rules.next_due(due)
        last, latest = own.last_held, own.latest
        role_title, arrs = roles.get(person.role_code, (person.role_code, False))
        name, sort_key, practice_ids, practice_names = context.person(staff_id)
        # By position, in the order of DueRow's fields: binding eighteen keywords took a millisecond
        # per thousand rows, more than the rest of the row together.
        rows[staff_id] = DueRow(
            staff_id, name, sort_key, person.role_code, role_title, arrs, practice_ids, practice_names,
            names.get(person.line_manager_id, "") if person.line_manager_id else "",  # line_manager
            person.start_date, due, upcoming, upcoming.status if upcoming else DueStatus.UP_TO_DATE,
            rules.kind_label(last.kind, last.probation_month) if last else "",  # last_review
            last.meeting_date if last else None,  # last_review_on
            latest.appraiser_name if latest else "",  # appraiser
            latest.open_objectives if latest else 0,  # open_objectives
            rels.may(staff_id, Action.PRINT_PACK),  # can_print
        )
    return None, rows


def arrs_due_statuses(session: Session, actor: Actor, today: date,
                      only: frozenset[int] | None) -> tuple[None, dict[int, DueStatus]]:
    """The status `due_rows` gives each person in an ARRS role it shows (of `only`, or everyone's
    for None), by person: all Home's card counts. Only the rules' facts are read, and no row is
    made: the last review, appraiser, open objectives, names and practices are the Reviews page's,
    and reading them for 5,000 people took twice the time of what the card needs."""
    visible = visible_staff_ids(session, actor, today)
    arrs = {code for code, role in reference.roles(session).items() if role.arrs}
    people = [p for p in reference.staff(session).values()
              if p.role_code in arrs and (visible is None or p.id in visible) and (only is None or p.id in only)
              and staff_rules.in_post(p.status, p.start_date, p.end_date, today)]
    ids = {p.id for p in people}  # as `People.narrowed`: everyone's, rather than a long IN list
    narrowed = ids if only is not None or (visible is not None and len(ids) <= MANY) else None
    facts = read_due_facts(session, today, narrowed, latest=False)
    none = PersonDueFacts()
    statuses = {}
    for person in people:
        staff_id = person.id
        upcoming = rules.next_due(rules.due_reviews(person.start_date, facts.get(staff_id, none).rule_facts, today))
        statuses[staff_id] = upcoming.status if upcoming else DueStatus.UP_TO_DATE
    return None, statuses


def held_by_person(session: Session, actor: Actor, today: date,
                   only: frozenset[int] | None) -> tuple[None, dict[int, tuple[ReviewRow, ...]]]:
    """Every review held of the people in `only` the actor may see (everyone's for None), by person."""
    people = read_people(session, actor, today)
    if only is not None:
        people.wanted &= only
        people.everyone = False
    found: dict[int, list[ReviewRow]] = {}
    for row in held_rows(session, people):
        found.setdefault(row.staff_id, []).append(row)
    return None, {staff_id: tuple(rows) for staff_id, rows in found.items()}


def held_rows(session: Session, people: People) -> tuple[ReviewRow, ...]:
    """Every review of the people wanted, newest first, with its objective, plan and signature
    counts (counted in the database, not loaded)."""
    review_stmt = select(*(getattr(Review, c) for c in LIST_COLUMNS))
    if not people.everyone:
        review_stmt = review_stmt.where(Review.staff_id.in_(people.wanted or {-1}))
    reviews = session.execute(review_stmt).all()
    context = people.context
    context.facts = count_facts(session, None if people.everyone else people.wanted)
    return tuple(sorted((context.row(r, people.rows[r.staff_id]) for r in reviews if r.staff_id in people.rows),
                        key=chronological_key, reverse=True))
