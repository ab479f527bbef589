"""Statutory and mandatory training completions: one row per course a person completed.

Whether it is in date is never stored: it is worked out when read from the subject's refresher
interval (`arrs_desk.domain.training`), so a change to the practice's training policy applies at
once and nothing goes stale.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Index
from sqlmodel import Field

from arrs_desk.store.models.core import Tracked


class TrainingRecord(Tracked, table=True):
    __tablename__ = "training_record"
    # The training matrix's newest completion per level (GROUP BY staff, subject, level), read from
    # the index alone in its order; a person's records use its first column.
    __table_args__ = (Index("ix_training_record_staff_subject_level_on", "staff_id", "subject_code", "level",
                            "completed_on"),)

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id", ondelete="CASCADE")
    subject_code: str = Field(max_length=60)
    level: int = Field(default=1)
    completed_on: date
    provider: str = Field(default="", max_length=200)  # e-learning for healthcare, a trust, a face-to-face course
    evidence: str = Field(default="", max_length=500)  # certificate number or where the certificate is kept
    source: str = Field(default="entered", max_length=20)  # "entered" in ARRS Desk or "imported" from a learning system
    recorded_by_user_id: int | None = Field(default=None, foreign_key="user_account.id")
