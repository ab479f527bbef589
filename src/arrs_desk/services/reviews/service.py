"""`ReviewService`: the one door the screens, the appraisal pack and the command line use for
reviews, appraisals and the impact log.

Each public method opens one transaction and hands the work to the module for its area:
`reading` and `overview` for what the screens show, `writing` for a review with its objectives
and development plan, `signatures` for signing, `impact` for the impact log. A write returns the
review as it reads after the change, read in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlmodel import Session

from arrs_desk.domain.review_dates import chronological_key
from arrs_desk.domain.reviews import DueStatus
from arrs_desk.services.actor import Actor
from arrs_desk.services.relationships import relationship
from arrs_desk.services.reviews import impact, overview, reading, signatures, writing
from arrs_desk.services.reviews.rows import detail
from arrs_desk.services.reviews.views import (
    DueCounts, DueRow, ImpactInput, ImpactRow, PersonReviews, ReviewChoices, ReviewDetail, ReviewInput, ReviewOverview,
    ReviewRow,
)
from arrs_desk.services.shared_reads import shared, shared_reads
from arrs_desk.store.database import Database
from arrs_desk.store.models import Review


class ReviewService:
    def __init__(self, db: Database, today: Callable[[], date]):
        self._db = db
        self._today = today

    # ======================================================================= reading
    @shared
    def overview(self, actor: Actor, *, held: bool = True) -> ReviewOverview:
        """Everyone the actor may see who is in post: what is due, and (unless `held` is False)
        every review held."""
        today = self._today()
        _, rows = shared_reads(self._db).by_person_in_a_session(("reviews.due", actor, today), overview.due_rows,
                                                                actor, today)
        due = tuple(sorted(rows.values(), key=lambda r: (r.sort_key, r.staff_id)))
        return ReviewOverview(today, due, self.held(actor) if held else ())

    @shared
    def held(self, actor: Actor) -> tuple[ReviewRow, ...]:
        """Every review of everyone the actor may see, newest first: the Reviews page's second
        list, read when it is first opened (and kept until a save, like the due list: half a
        second at 10,000 staff on every return to the tab otherwise)."""
        today = self._today()
        _, rows = shared_reads(self._db).by_person_in_a_session(("reviews.held", actor, today),
                                                                overview.held_by_person, actor, today)
        return tuple(sorted((row for mine in rows.values() for row in mine), key=chronological_key, reverse=True))

    def due(self, actor: Actor) -> tuple[DueRow, ...]:
        """What is due for everyone the actor may see who is in post, without the list of every
        review held (the Home page counts what is due; building thousands of held rows it never
        shows cost more than the counting)."""
        return self.overview(actor, held=False).due_rows

    @shared
    def due_counts(self, actor: Actor) -> DueCounts:
        """Of the people in ARRS roles `due` lists, how many, and how many are overdue and due soon:
        Home's card, which needs neither the rows nor the page's columns (`overview.arrs_due_statuses`)."""
        today = self._today()
        _, statuses = shared_reads(self._db).by_person_in_a_session(
            ("reviews.arrs_due_statuses", actor, today), overview.arrs_due_statuses, actor, today)
        found = list(statuses.values())
        return DueCounts(len(found), found.count(DueStatus.OVERDUE), found.count(DueStatus.DUE_SOON))

    def person(self, actor: Actor, *, staff_id: int) -> PersonReviews:
        with self._db.read() as session:
            return reading.read_person(session, actor, self._today(), staff_id=staff_id)

    def review(self, actor: Actor, *, review_id: int) -> ReviewDetail:
        with self._db.read() as session:
            return reading.read_review(session, actor, self._today(), review_id=review_id)

    def reviews_of(self, actor: Actor, *, staff_id: int) -> list[ReviewDetail]:
        """Every review of one person in full, oldest first: what the appraisal pack reads."""
        with self._db.read() as session:
            return reading.read_history(session, actor, self._today(), staff_id=staff_id)

    def impact_log(self, actor: Actor, *, staff_id: int, start: date | None = None,
                   end: date | None = None) -> list[ImpactRow]:
        """One person's impact entries, newest first, optionally within a period (both days included)."""
        with self._db.read() as session:
            return impact.read_log(session, actor, self._today(), staff_id=staff_id, start=start, end=end)

    def form_choices(self, actor: Actor, *, staff_id: int, review_id: int | None = None) -> ReviewChoices:
        with self._db.read() as session:
            return reading.read_choices(session, actor, self._today(), staff_id=staff_id, review_id=review_id)

    # ======================================================================= writing reviews
    def create_review(self, actor: Actor, *, data: ReviewInput, carry_forward: bool = True) -> ReviewDetail:
        """Record a review (booked or held). `carry_forward` copies the open objectives of the
        person's previous review into this one, linked to the originals."""
        return self._run(actor, lambda session, today: writing.create(session, actor, today, data, carry_forward))

    def update_review(self, actor: Actor, *, review_id: int, data: ReviewInput, expected_version: int) -> ReviewDetail:
        return self._run(actor, lambda session, today: writing.update(session, actor, today, review_id, data,
                                                                      expected_version))

    def carry_forward(self, actor: Actor, *, review_id: int, expected_version: int) -> ReviewDetail:
        """Copy the previous review's open objectives into this one (those not carried already)."""
        return self._run(actor, lambda session, today: writing.carry(session, actor, today, review_id,
                                                                     expected_version))

    def write_self_assessment(self, actor: Actor, *, review_id: int, self_assessment: str, reflections: str,
                              expected_version: int) -> ReviewDetail:
        """The person's own words before (or after) the meeting. Only they may write them."""
        return self._run(actor, lambda session, today: writing.self_assess(
            session, actor, today, review_id, self_assessment, reflections, expected_version))

    def sign(self, actor: Actor, *, review_id: int, party: str, expected_version: int, comment: str = "") -> ReviewDetail:
        """Sign in the app as the named appraiser, or as the person appraised."""
        return self._run(actor, lambda session, today: signatures.sign(session, actor, today, review_id, party,
                                                                       expected_version, comment))

    def record_paper_signature(self, actor: Actor, *, review_id: int, party: str, signed_on: date | None,
                               expected_version: int) -> ReviewDetail:
        """Enter a signature made on the printed signature page by someone who cannot sign in the
        app: an external appraiser, or a person without an account."""
        return self._run(actor, lambda session, today: signatures.record_on_paper(
            session, actor, today, review_id, party, signed_on, expected_version))

    def delete_review(self, actor: Actor, *, review_id: int, expected_version: int) -> None:
        """Remove a review recorded by mistake: only before anyone has signed it, and only if
        none of its objectives has been carried into a later review."""
        with self._db.write() as session:
            writing.delete(session, actor, self._today(), review_id, expected_version)

    def _run(self, actor: Actor, change: Callable[[Session, date], Review]) -> ReviewDetail:
        """One transaction: the change (checked, validated and audited), then the review as it now reads."""
        today = self._today()
        with self._db.write() as session:
            review = change(session, today)
            session.flush()
            return detail(session, actor, relationship(session, actor, review.staff_id, today), review, today)

    # ======================================================================= writing the impact log
    def add_impact(self, actor: Actor, *, data: ImpactInput) -> ImpactRow:
        today = self._today()
        with self._db.write() as session:
            entry = impact.add(session, actor, today, data)
            return impact.impact_row(entry, relationship(session, actor, entry.staff_id, today), actor)

    def update_impact(self, actor: Actor, *, entry_id: int, data: ImpactInput, expected_version: int) -> ImpactRow:
        with self._db.write() as session:
            return impact.update(session, actor, self._today(), entry_id=entry_id, data=data,
                                 expected_version=expected_version)

    def delete_impact(self, actor: Actor, *, entry_id: int, expected_version: int) -> None:
        with self._db.write() as session:
            impact.delete(session, actor, self._today(), entry_id=entry_id, expected_version=expected_version)
