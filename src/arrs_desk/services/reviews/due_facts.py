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
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, case, func, or_, select
from sqlmodel import Session

from arrs_desk.domain import reviews as rules
from arrs_desk.store.models import Review, ReviewObjective


@dataclass(frozen=True, slots=True)
class LatestReview:
    """One person's latest review: of those held (for "Last review"), or of all (for its appraiser
    and open objectives)."""

    id: int
    kind: str
    probation_month: int | None
    meeting_date: date | None
    appraiser_name: str
    open_objectives: int


@dataclass(slots=True)
class PersonDueFacts:
    rule_facts: list[rules.ReviewFact] = field(default_factory=list)
    last_held: LatestReview | None = None
    latest: LatestReview | None = None


def _held(today: date):
    return and_(Review.meeting_date.is_not(None), Review.meeting_date <= today)


def _restricted(stmt, staff_ids: set[int] | None):
    return stmt if staff_ids is None else stmt.where(Review.staff_id.in_(staff_ids or {-1}))


def read_due_facts(session: Session, today: date, staff_ids: set[int] | None) -> dict[int, PersonDueFacts]:
    """Per person (of `staff_ids`, or everyone when None) with any review: the aggregates above."""
    facts: dict[int, PersonDueFacts] = {}

    # 1. Per person, kind, probation month and held-or-booked: the earliest and latest meeting.
    flagged = _restricted(select(Review.staff_id, Review.kind, Review.probation_month, Review.meeting_date,
                                 case((_held(today), 1), else_=0).label("held")), staff_ids).subquery()
    grouped = select(flagged.c.staff_id, flagged.c.kind, flagged.c.probation_month, flagged.c.held,
                     func.min(flagged.c.meeting_date), func.max(flagged.c.meeting_date)).group_by(
        flagged.c.staff_id, flagged.c.kind, flagged.c.probation_month, flagged.c.held)
    for staff_id, kind, month, held, earliest, latest in session.execute(grouped):
        out = facts.setdefault(staff_id, PersonDueFacts()).rule_facts
        # Held: the rules take the earliest (a probation stage answered) and the latest (the
        # last annual appraisal, an interim after it). Booked: the earliest date, or none.
        out.append(rules.ReviewFact(kind, month, earliest))
        if held and latest != earliest:
            out.append(rules.ReviewFact(kind, month, latest))

    # 2. Each person's latest review held and latest of all, in the order `chronological_key`
    #    gives (meeting date, or the period's end while none is set; then the order recorded).
    open_statuses = [s.value for s in rules.OPEN_OBJECTIVE_STATUSES]
    open_counts = select(ReviewObjective.review_id, func.count().label("open")).where(
        ReviewObjective.status.in_(open_statuses)).group_by(ReviewObjective.review_id).subquery()
    with_flag = _restricted(select(
        Review.id, Review.staff_id, Review.kind, Review.probation_month, Review.meeting_date, Review.period_end,
        Review.appraiser_name, case((_held(today), 1), else_=0).label("held")), staff_ids).subquery()
    ranked = select(
        with_flag,
        func.row_number().over(partition_by=with_flag.c.staff_id, order_by=(
            func.coalesce(with_flag.c.meeting_date, with_flag.c.period_end).desc(), with_flag.c.id.desc())
        ).label("rank_all"),
        func.row_number().over(partition_by=(with_flag.c.staff_id, with_flag.c.held), order_by=(
            with_flag.c.meeting_date.desc(), with_flag.c.id.desc())).label("rank_held"),
    ).subquery()
    latest_stmt = select(
        ranked.c.id, ranked.c.staff_id, ranked.c.kind, ranked.c.probation_month, ranked.c.meeting_date,
        ranked.c.appraiser_name, ranked.c.held, ranked.c.rank_all, ranked.c.rank_held,
        func.coalesce(open_counts.c.open, 0),
    ).outerjoin(open_counts, open_counts.c.review_id == ranked.c.id).where(
        or_(ranked.c.rank_all == 1, and_(ranked.c.held == 1, ranked.c.rank_held == 1)))
    for review_id, staff_id, kind, month, meeting, appraiser, held, rank_all, rank_held, open_ in session.execute(
            latest_stmt):
        review = LatestReview(review_id, kind, month, meeting, appraiser, open_)
        person = facts.setdefault(staff_id, PersonDueFacts())
        if rank_all == 1:
            person.latest = review
        if held and rank_held == 1:
            person.last_held = review
    return facts
