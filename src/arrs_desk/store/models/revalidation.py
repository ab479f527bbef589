"""The CPD log and revalidation evidence: what a person has done towards their regulator's cycle.

Cycles and statuses are never stored: they are worked out when read from the staff record's
renewal date and the rules in resources/regulators (`domain.revalidation`). A row may name the
cycle it counts towards (`counts_towards`, the last day of that cycle) when it was done in one
cycle but is to be counted in another; otherwise its date decides.

A CPD entry that came from a supervision session, a programme or an induction item names it
(`source_kind`, `source_id`) so that nothing is typed twice. Verification is a line manager's or
an administrator's, never the person's own: `verified_by_*` say who and when.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from arrs_desk.store.models.core import Tracked, utcnow


class CpdEntry(Tracked, table=True):
    __tablename__ = "cpd_entry"
    __table_args__ = (Index("ix_cpd_entry_staff_day", "staff_id", "occurred_on"),)

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id")
    occurred_on: date
    title: str = Field(max_length=200)
    provider: str = Field(default="", max_length=200)
    method: str = Field(max_length=30)
    hours: float
    participatory: bool = Field(default=False)
    planned: bool = Field(default=False)
    reflection: str = Field(default="", max_length=8000)
    source_kind: str = Field(default="", max_length=20)
    source_id: int | None = Field(default=None)
    counts_towards: date | None = Field(default=None)
    recorded_by_user_id: int | None = Field(default=None, foreign_key="user_account.id")
    recorded_by_name: str = Field(default="", max_length=200)
    verified_by_user_id: int | None = Field(default=None, foreign_key="user_account.id")
    verified_by_name: str = Field(default="", max_length=200)
    verified_on: date | None = Field(default=None)


class RevalidationEvidence(Tracked, table=True):
    """A piece of evidence other than CPD: feedback, a reflective account, a discussion (with the
    other registrant's name and number), a declaration, a confirmation, practice hours..."""

    __tablename__ = "revalidation_evidence"
    __table_args__ = (Index("ix_revalidation_evidence_staff_day", "staff_id", "occurred_on"),)

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id")
    kind: str = Field(max_length=30)
    occurred_on: date
    title: str = Field(max_length=200)
    details: str = Field(default="", max_length=8000)
    hours: float = Field(default=0.0)
    partner_name: str = Field(default="", max_length=200)
    partner_registration: str = Field(default="", max_length=30)
    counts_towards: date | None = Field(default=None)
    recorded_by_user_id: int | None = Field(default=None, foreign_key="user_account.id")
    recorded_by_name: str = Field(default="", max_length=200)
    verified_by_user_id: int | None = Field(default=None, foreign_key="user_account.id")
    verified_by_name: str = Field(default="", max_length=200)
    verified_on: date | None = Field(default=None)


class RevalidationFile(SQLModel, table=True):
    """A file (a certificate, a reflection document) on a CPD entry or a piece of evidence, stored
    once under its SHA-256 in the evidence folder. Exactly one of `cpd_entry_id` and `evidence_id`
    is set; removing the entry removes its files, and erasing the person removes them by `staff_id`."""

    __tablename__ = "revalidation_file"

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id", index=True)
    cpd_entry_id: int | None = Field(default=None, foreign_key="cpd_entry.id", index=True)
    evidence_id: int | None = Field(default=None, foreign_key="revalidation_evidence.id", index=True)
    sha256: str = Field(max_length=64, index=True)
    stored_name: str = Field(max_length=80)
    original_name: str = Field(max_length=255)
    media_type: str = Field(max_length=100)
    size: int
    added_at: datetime = Field(default_factory=utcnow, nullable=False)
    added_by_user_id: int | None = Field(default=None, foreign_key="user_account.id")
    added_by_name: str = Field(default="", max_length=200)
