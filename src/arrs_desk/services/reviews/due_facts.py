"""What the due-review rules need of everyone's reviews, aggregated by the database (issue 18).

The Reviews page and Home need, per person, only a few facts of their whole review history: per
kind and probation month, the earliest and latest meeting held and the earliest booked; the
latest review held (what "Last review" shows); the latest review of all (its appraiser, and its
open objectives). Two grouped statements (one with window functions) that run on SQLite and
PostgreSQL alike return those, so the cost grows with people, not with years of history.

`DueFacts.rule_facts` turns a person's aggregates back into a few `ReviewFact`s for which
`arrs_desk.domain.reviews.due_reviews` (the single truth) answers exactly as it would for every
review they have: it asks only for the earliest held per stage, the latest held per kind and the
earliest booked per kind. tests/services/test_review_due_facts.py checks that on random histories.
No index is added: the existing one on (staff_id, meeting_date) serves both statements.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from sqlalchemy import and_, case, func, or_, select
from sqlmodel import Session

from arrs_desk.domain import reviews as rules
from arrs_desk.domain.review_dates import latest_review
from arrs_desk.store.models import Review, ReviewObjective, Staff


class LatestReview(NamedTuple):
    """One person's latest review: of those held (for "Last review"), or of all (for its appraiser
    and open objectives)."""

    id: int
    kind: str
    probation_month: int | None
    meeting_date: date | None
    period_end: date
    appraiser_name: str
    open_objectives: int


@dataclass(slots=True)
class PersonDueFacts:
    rule_facts: list[rules.ReviewFact] = field(default_factory=list)
    last_held: LatestReview | None = None
    latest: LatestReview | None = None


def _held(today: date):
    return and_(Review.meeting_date.is_not(None), Review.meeting_date <= today)


def _this_employment(stmt):
    """Only reviews of each person's current employment: `rules.in_this_employment`, in SQL."""
    return stmt.join(Staff, Staff.id == Review.staff_id).where(
        or_(Review.meeting_date.is_(None), Review.meeting_date >= Staff.start_date))


def _restricted(stmt, staff_ids: set[int] | None):
    return stmt if staff_ids is None else stmt.where(Review.staff_id.in_(staff_ids or {-1}))


def read_due_facts(session: Session, today: date, staff_ids: set[int] | None) -> dict[int, PersonDueFacts]:
    """Per person (of `staff_ids`, or everyone when None) with any review: the aggregates above."""
    facts: dict[int, PersonDueFacts] = {}
    run = session.connection().execute  # plain rows: the ORM's result handling would cost more than the query

    # 1. Per person, kind, probation month and held-or-booked: the earliest and latest meeting,
    #    of their current employment only (`rules.in_this_employment`: a returner's earlier
    #    reviews answer nothing now).
    flagged = _restricted(_this_employment(select(Review.staff_id, Review.kind, Review.probation_month,
                                                  Review.meeting_date, case((_held(today), 1), else_=0).label("held"))),
                          staff_ids).subquery()
    grouped = select(flagged.c.staff_id, flagged.c.kind, flagged.c.probation_month, flagged.c.held,
                     func.min(flagged.c.meeting_date), func.max(flagged.c.meeting_date)).group_by(
        flagged.c.staff_id, flagged.c.kind, flagged.c.probation_month, flagged.c.held)
    for staff_id, kind, month, held, earliest, latest in run(grouped):
        person = facts.get(staff_id)
        if person is None:  # not setdefault: that would make (and drop) an empty one for every row
            person = facts[staff_id] = PersonDueFacts()
        out = person.rule_facts
        # Held: the rules take the earliest (a probation stage answered) and the latest (the
        # last annual appraisal, an interim after it). Booked: the earliest date, or none.
        out.append(rules.ReviewFact(kind, month, earliest))
        if held and latest != earliest:
            out.append(rules.ReviewFact(kind, month, latest))

    # 2. Each person's latest review held and latest booked, in the order `chronological_key`
    #    gives (meeting date, or the period's end while none is set; then the order recorded):
    #    one window, ranked within held and within booked. The latest of all is the later of
    #    the two, which `latest_review` (the rule itself) picks; only their open objectives are
    #    counted. Of the current employment too: a returner's row showed the last appraisal, the
    #    appraiser and the open objectives of the job they had left.
    open_statuses = [s.value for s in rules.OPEN_OBJECTIVE_STATUSES]
    # The window sorts only what ranking needs (id, person, held, day); the few rows ranked first
    # are joined back to `review` for what is shown. Sorting every column of every review took
    # a fifth more of the statement's time on SQLite.
    flagged = _restricted(_this_employment(select(
        Review.id, Review.staff_id, func.coalesce(Review.meeting_date, Review.period_end).label("day"),
        case((_held(today), 1), else_=0).label("held"))), staff_ids).subquery()
    ranked = select(flagged.c.id, flagged.c.held, func.row_number().over(
        partition_by=(flagged.c.staff_id, flagged.c.held), order_by=(flagged.c.day.desc(), flagged.c.id.desc()),
    ).label("rank")).subquery()
    open_count = select(func.count()).where(
        ReviewObjective.review_id == Review.id, ReviewObjective.status.in_(open_statuses)).scalar_subquery()
    latest_stmt = select(Review.id, Review.staff_id, Review.kind, Review.probation_month, Review.meeting_date,
                         Review.period_end, Review.appraiser_name, ranked.c.held, open_count).join(
        ranked, ranked.c.id == Review.id).where(ranked.c.rank == 1)
    for review_id, staff_id, kind, month, meeting, period_end, appraiser, held, open_ in run(latest_stmt):
        review = LatestReview(review_id, kind, month, meeting, period_end, appraiser, open_)
        person = facts.get(staff_id)
        if person is None:
            person = facts[staff_id] = PersonDueFacts()
        if held:
            person.last_held = review
        # At most two rows a person (held, booked): the later, by the rule itself.
        person.latest = review if person.latest is None else latest_review((person.latest, review))
    return facts
