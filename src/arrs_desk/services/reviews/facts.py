"""What the database holds about reviews, read in a handful of queries.

Lists of a whole PCN's reviews count objectives, plan items and signatures in the database
(`count_facts`); one person's reviews load them (`read_facts`). The small look-ups that reading
and writing share (a review's objectives, its signatures, who has an account, who may be named
appraiser) live here too, so every module reads them the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlmodel import Session

from arrs_desk.domain import reviews as rules
from arrs_desk.domain import staff as staff_rules
from arrs_desk.domain.permissions import AccessRole
from arrs_desk.errors import ValidationError
from arrs_desk.services._common import get_or_404
from arrs_desk.services.accounts import MODE_KEY, MULTI_USER
from arrs_desk.services import reference
from arrs_desk.store.models import Review, ReviewObjective, ReviewPdpItem, ReviewSignOff, Staff, UserAccount

APPRAISER_ROLES = frozenset({AccessRole.APPRAISER.value, AccessRole.LINE_MANAGER.value})
"""Account roles that may write and sign a review as its appraiser."""

LIST_COLUMNS = ("id", "version", "staff_id", "kind", "probation_month", "period_start", "period_end", "meeting_date",
                "appraiser_staff_id", "appraiser_external_id", "appraiser_name", "outcome")
"""What the review lists read: never the long texts."""

MANY = 500
"""Above this many ids, read the whole table rather than send a long IN list."""


@dataclass(slots=True)
class ReviewFacts:
    """Objectives, plan items and sign-offs of some reviews, loaded: what a review's detail shows."""

    objectives: dict[int, list[ReviewObjective]]
    pdp: dict[int, list[ReviewPdpItem]]
    signatures: dict[int, dict[str, ReviewSignOff]]
    objective_by_id: dict[int, ReviewObjective]
    reviews: dict[int, Review]
    """The reviews the loaded objectives belong to, for saying where one was carried from or to."""
    _carried_to: dict[int, ReviewObjective] | None = None

    def open_objectives_of(self, review_id: int) -> int:
        return sum(1 for o in self.objectives.get(review_id, ()) if o.status in rules.OPEN_OBJECTIVE_STATUSES)

    def objectives_of(self, review_id: int) -> int:
        return len(self.objectives.get(review_id, ()))

    def pdp_of(self, review_id: int) -> int:
        return len(self.pdp.get(review_id, ()))

    def carried_to(self, objective_id: int) -> ReviewObjective | None:
        if self._carried_to is None:
            self._carried_to = {o.carried_from_id: o for o in self.objective_by_id.values() if o.carried_from_id}
        return self._carried_to.get(objective_id)


@dataclass(slots=True)
class ReviewCounts:
    """The figures a list of reviews shows, counted in the database: lists of a whole PCN's
    reviews need no objective or plan item loaded."""

    objectives: dict[int, int]
    open: dict[int, int]
    pdp: dict[int, int]
    signatures: dict[int, dict[str, bool]]

    def open_objectives_of(self, review_id: int) -> int:
        return self.open.get(review_id, 0)

    def objectives_of(self, review_id: int) -> int:
        return self.objectives.get(review_id, 0)

    def pdp_of(self, review_id: int) -> int:
        return self.pdp.get(review_id, 0)


def count_facts(session: Session, staff_ids: set[int] | None) -> ReviewCounts:
    """Objective, plan item and signature counts per review in three grouped queries."""
    def where(model, stmt):
        return stmt if staff_ids is None or len(staff_ids) > MANY else stmt.where(
            model.staff_id.in_(staff_ids or {-1}))

    open_statuses = [s.value for s in rules.OPEN_OBJECTIVE_STATUSES]
    objectives, open_ = {}, {}
    for review_id, status, count in session.execute(where(ReviewObjective, select(
            ReviewObjective.review_id, ReviewObjective.status, func.count()).group_by(
            ReviewObjective.review_id, ReviewObjective.status))):
        objectives[review_id] = objectives.get(review_id, 0) + count
        if status in open_statuses:
            open_[review_id] = open_.get(review_id, 0) + count
    pdp = dict(session.execute(where(ReviewPdpItem, select(ReviewPdpItem.review_id, func.count()).group_by(
        ReviewPdpItem.review_id))).all())
    signatures: dict[int, dict[str, bool]] = {}
    for review_id, party in session.execute(select(ReviewSignOff.review_id, ReviewSignOff.party)):
        signatures.setdefault(review_id, {})[party] = True
    return ReviewCounts(objectives, open_, pdp, signatures)


def read_facts(session: Session, review_ids: list[int], staff_ids: set[int] | None,
               known: Iterable[Review] = ()) -> ReviewFacts:
    """Objectives, plans and sign-offs of many reviews in three queries, and a fourth for the
    reviews the objectives belong to unless they are all among `known` (already read)."""
    objectives_stmt = select(ReviewObjective).order_by(ReviewObjective.review_id, ReviewObjective.position)
    pdp_stmt = select(ReviewPdpItem).order_by(ReviewPdpItem.review_id, ReviewPdpItem.position)
    if staff_ids is not None:
        objectives_stmt = objectives_stmt.where(ReviewObjective.staff_id.in_(staff_ids or {-1}))
        pdp_stmt = pdp_stmt.where(ReviewPdpItem.staff_id.in_(staff_ids or {-1}))
    objectives: dict[int, list[ReviewObjective]] = {}
    by_id: dict[int, ReviewObjective] = {}
    for o in session.execute(objectives_stmt).scalars():
        objectives.setdefault(o.review_id, []).append(o)
        by_id[o.id] = o
    pdp: dict[int, list[ReviewPdpItem]] = {}
    for p in session.execute(pdp_stmt).scalars():
        pdp.setdefault(p.review_id, []).append(p)
    signatures: dict[int, dict[str, ReviewSignOff]] = {}
    wanted = set(review_ids)
    for s in session.execute(select(ReviewSignOff)).scalars() if len(wanted) > MANY else session.execute(
            select(ReviewSignOff).where(ReviewSignOff.review_id.in_(wanted or {-1}))).scalars():
        if s.review_id in wanted:
            signatures.setdefault(s.review_id, {})[s.party] = s
    review_ids_of_objectives = {o.review_id for o in by_id.values()}
    already = {r.id: r for r in known}
    reviews = {i: already[i] for i in review_ids_of_objectives if i in already}
    if missing := review_ids_of_objectives - reviews.keys():
        reviews |= {r.id: r for r in session.execute(select(Review).where(Review.id.in_(missing))).scalars()}
    return ReviewFacts(objectives, pdp, signatures, by_id, reviews)


# --------------------------------------------------------------------------- one review's parts


def load_objectives(session: Session, review_id: int) -> list[ReviewObjective]:
    return list(session.execute(select(ReviewObjective).where(ReviewObjective.review_id == review_id)
                                .order_by(ReviewObjective.position)).scalars())


def load_pdp(session: Session, review_id: int) -> list[ReviewPdpItem]:
    return list(session.execute(select(ReviewPdpItem).where(ReviewPdpItem.review_id == review_id)
                                .order_by(ReviewPdpItem.position)).scalars())


def load_signatures(session: Session, review_id: int) -> dict[str, ReviewSignOff]:
    return {s.party: s for s in session.execute(
        select(ReviewSignOff).where(ReviewSignOff.review_id == review_id)).scalars()}


def carried_ids(session: Session, objective_ids: list[int]) -> set[int]:
    """Which of these objectives already have a copy in a later review."""
    if not objective_ids:
        return set()
    return set(session.execute(select(ReviewObjective.carried_from_id).where(
        ReviewObjective.carried_from_id.in_(objective_ids))).scalars())


# --------------------------------------------------------------------------- people and accounts


def staff_for(session: Session, staff_id: int | None) -> Staff:
    """The person a new review or impact entry is about; the form must have chosen one."""
    if staff_id is None:
        raise ValidationError.single("staff_id", "Choose the person this is about.")
    return get_or_404(session, Staff, staff_id, "staff member")


def person_name(session: Session, staff_id: int | None) -> str:
    person = session.get(Staff, staff_id) if staff_id is not None else None
    return staff_rules.display_name(person.given_name, person.family_name, person.preferred_name) if person else "?"


def has_account(session: Session, staff_id: int | None) -> bool:
    """Whether the person signs in themself (otherwise their signature is entered from paper)."""
    return staff_id is not None and staff_id in with_accounts(session, {staff_id})


def with_accounts(session: Session, staff_ids: set[int]) -> set[int]:
    """Those of these people who sign in themselves, in one query."""
    return set(session.execute(select(UserAccount.staff_id).where(
        UserAccount.staff_id.in_(staff_ids), UserAccount.active).distinct()).scalars()) if staff_ids else set()


def user_names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return dict(session.execute(select(UserAccount.id, UserAccount.display_name)
                                .where(UserAccount.id.in_(wanted))).all())


def eligible_appraisers(session: Session, staff_ids: set[int]) -> set[int]:
    """Colleagues who may be named appraiser. With personal accounts, only those whose account
    lets them write and sign a review; in single-user mode anyone (they sign on paper)."""
    setting = reference.setting(session, MODE_KEY)
    if setting is None or setting.value != MULTI_USER:
        return staff_ids
    eligible = set()
    for staff_id, roles in session.execute(
            select(UserAccount.staff_id, UserAccount.roles).where(UserAccount.active, UserAccount.staff_id.is_not(None))):
        if staff_id in staff_ids and APPRAISER_ROLES & set(roles):
            eligible.add(staff_id)
    return eligible


def review_label(review) -> str:
    """'annual appraisal', 'probation review (3 months)': how a message names a review."""
    return rules.kind_label(review.kind, review.probation_month).lower()


def review_fact(review) -> rules.ReviewFact:
    """What the due-review rules need of a recorded review."""
    return rules.ReviewFact(review.kind, review.probation_month, review.meeting_date)


def short(text: str, limit: int = 60) -> str:
    """Text folded to one line and cut to `limit` characters, for naming an item in a message."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
