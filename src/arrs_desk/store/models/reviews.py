"""Reviews and appraisals, their objectives, development plans and sign-offs, and the impact log.

A review's children (objectives, development plan items) are edited together with the review and
carry no version of their own: the review's `version` is bumped on every change to any of them,
so one stale check covers the whole record.

Carrying an objective forward copies it into the next review with `carried_from_id` pointing at
the original, which is never changed: what was agreed and signed at one review reads the same
for ever, and the chain shows how an objective travelled from review to review.

Sign-offs are rows of their own (one per party) so that both parties' signatures use the shared
`SignOffFields`. Someone who cannot sign in the app (an external appraiser, or a colleague
without an account) signs the printed signature page; whoever enters it is `recorded_by_user_id`
and the signer is named in `signed_by_name` (and `signed_by_external_id` for external people).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from arrs_desk.store.models.accounts import SignOffFields
from arrs_desk.store.models.core import Tracked, utcnow


class Review(Tracked, table=True):
    """A probation review, interim review or annual appraisal of one person."""

    __tablename__ = "review"
    __table_args__ = (Index("ix_review_staff_meeting", "staff_id", "meeting_date"),)

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id")
    kind: str = Field(max_length=20)
    probation_month: int | None = Field(default=None)
    period_start: date
    period_end: date
    meeting_date: date | None = Field(default=None)
    appraiser_staff_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    appraiser_external_id: int | None = Field(default=None, foreign_key="external_person.id")
    appraiser_name: str = Field(default="", max_length=200)
    self_assessment: str = Field(default="", max_length=8000)
    reflections: str = Field(default="", max_length=8000)
    appraiser_summary: str = Field(default="", max_length=8000)
    outcome: str = Field(default="", max_length=20)
    outcome_note: str = Field(default="", max_length=2000)
    created_by_user_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_by_name: str = Field(default="", max_length=200)


class ReviewObjective(SQLModel, table=True):
    """A SMART objective agreed at a review."""

    __tablename__ = "review_objective"

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True, ondelete="CASCADE")
    staff_id: int = Field(foreign_key="staff.id", index=True)
    position: int
    description: str = Field(max_length=2000)
    measure: str = Field(default="", max_length=2000)
    due_date: date | None = Field(default=None)
    status: str = Field(max_length=20)
    progress: str = Field(default="", max_length=2000)
    carried_from_id: int | None = Field(default=None, foreign_key="review_objective.id", index=True)


class ReviewPdpItem(SQLModel, table=True):
    """One line of the personal development plan agreed at a review."""

    __tablename__ = "review_pdp_item"

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True, ondelete="CASCADE")
    staff_id: int = Field(foreign_key="staff.id", index=True)
    position: int
    need: str = Field(max_length=2000)
    action: str = Field(default="", max_length=2000)
    support: str = Field(default="", max_length=2000)
    target_date: date | None = Field(default=None)
    status: str = Field(max_length=20)


class ReviewSignOff(SignOffFields, table=True):
    """One party's signature on a review: the appraiser's or the appraisee's."""

    __tablename__ = "review_sign_off"
    __table_args__ = (UniqueConstraint("review_id", "party", name="uq_review_sign_off_review_party"),)

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True, ondelete="CASCADE")
    party: str = Field(max_length=10)
    comment: str = Field(default="", max_length=2000)
    created_at: datetime = Field(default_factory=utcnow, nullable=False)


class ImpactEntry(Tracked, table=True):
    """Evidence of the difference a person's work makes: a case study, a process measure or a
    patient-reported outcome, dated, for their appraisal."""

    __tablename__ = "impact_entry"
    __table_args__ = (Index("ix_impact_entry_staff_day", "staff_id", "occurred_on"),)

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id")
    kind: str = Field(max_length=20)
    title: str = Field(max_length=200)
    description: str = Field(default="", max_length=8000)
    measure: str = Field(default="", max_length=200)
    value: str = Field(default="", max_length=100)
    occurred_on: date
    recorded_by_user_id: int | None = Field(default=None, foreign_key="user_account.id")
    recorded_by_name: str = Field(default="", max_length=200)
