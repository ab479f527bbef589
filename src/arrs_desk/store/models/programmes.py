"""Preceptorship and training pathways: programme versions, enrolments and what happens on them.

A programme version is written once and never changed (only `is_current` moves to the newest
version of the same code); its milestones and competency domains are held as JSON exactly as
the programme file lays them out, so a stored version can be checked by the same pydantic model
as a file. An enrolment copies its version's milestones and competencies into rows of its own,
so a later edit of the programme never rewrites anyone's record.

The enrolment's sign-off fields hold the completion sign-off; each competency's hold its own.
Pauses and extensions are rows, not dates on the enrolment, because the rules that move due
dates (`arrs_desk.domain.programmes`) need each pause's span and reason.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from arrs_desk.store.models.accounts import SignOffFields
from arrs_desk.store.models.core import Tracked, utcnow


class ProgrammeTemplate(SQLModel, table=True):
    __tablename__ = "programme_template"
    __table_args__ = (UniqueConstraint("code", "version", name="uq_programme_template_code_version"),)

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=24, index=True)
    version: int
    title: str = Field(max_length=120)
    description: str = Field(default="", max_length=2000)
    roles: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    length_weeks: int
    protected_hours_per_week: float
    milestones: list[dict] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    domains: list[dict] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    is_current: bool = Field(default=True, index=True)
    source: str = Field(max_length=20)  # 'builtin' (copied from a file) or 'edited'
    file_version: int | None = Field(default=None)
    note: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow, nullable=False)
    created_by_user_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_by_name: str = Field(default="", max_length=200)


class ProgrammeEnrolment(Tracked, SignOffFields, table=True):
    """One person on one programme version, with a named preceptor (or mentor) and assessor.

    `status` is 'active' until the assessor signs off completion ('completed') or the line
    manager withdraws the person ('withdrawn'); being paused or behind is worked out from the
    rows below, never stored, so it cannot go stale.
    """

    __tablename__ = "programme_enrolment"
    __table_args__ = (Index("ix_programme_enrolment_status_staff", "status", "staff_id"),)

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id", index=True)
    template_id: int = Field(foreign_key="programme_template.id")
    programme_code: str = Field(max_length=24, index=True)
    programme_version: int
    title: str = Field(max_length=120)
    description: str = Field(default="", max_length=2000)
    length_weeks: int
    protected_hours_per_week: float
    start_date: date
    planned_end: date
    preceptor_staff_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    preceptor_external_id: int | None = Field(default=None, foreign_key="external_person.id")
    assessor_staff_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    assessor_external_id: int | None = Field(default=None, foreign_key="external_person.id")
    status: str = Field(default="active", max_length=12)
    completed_on: date | None = Field(default=None)
    completion_comment: str = Field(default="", max_length=2000)
    withdrawn_on: date | None = Field(default=None)
    withdrawn_reason: str = Field(default="", max_length=500)
    notes: str = Field(default="", max_length=4000)
    created_by_user_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_by_name: str = Field(default="", max_length=200)


class ProgrammePause(Tracked, table=True):
    """The programme clock stopped from `start_date` to `end_date` (both included); no end yet
    means the pause is still going on."""

    __tablename__ = "programme_pause"

    id: int | None = Field(default=None, primary_key=True)
    enrolment_id: int = Field(foreign_key="programme_enrolment.id", index=True)
    start_date: date
    end_date: date | None = Field(default=None)
    reason: str = Field(max_length=500)
    recorded_by_user_id: int | None = Field(default=None, foreign_key="user_account.id")
    recorded_by_name: str = Field(default="", max_length=200)


class ProgrammeExtension(SQLModel, table=True):
    """More time agreed to finish; it moves the end only. Written once."""

    __tablename__ = "programme_extension"

    id: int | None = Field(default=None, primary_key=True)
    enrolment_id: int = Field(foreign_key="programme_enrolment.id", index=True)
    weeks: int = Field(default=0)
    days: int = Field(default=0)
    reason: str = Field(max_length=500)
    agreed_on: date
    recorded_by_user_id: int | None = Field(default=None, foreign_key="user_account.id")
    recorded_by_name: str = Field(default="", max_length=200)
    recorded_at: datetime = Field(default_factory=utcnow, nullable=False)


class ProgrammeMilestone(Tracked, table=True):
    """A meeting, review or assessment copied from the programme version; `held_on` once held."""

    __tablename__ = "programme_milestone"

    id: int | None = Field(default=None, primary_key=True)
    enrolment_id: int = Field(foreign_key="programme_enrolment.id", index=True)
    position: int
    key: str = Field(max_length=48)
    title: str = Field(max_length=120)
    week: int
    kind: str = Field(max_length=20)
    held_on: date | None = Field(default=None)
    notes: str = Field(default="", max_length=2000)
    recorded_by_user_id: int | None = Field(default=None, foreign_key="user_account.id")
    recorded_by_name: str = Field(default="", max_length=200)
    recorded_at: datetime | None = Field(default=None)


class ProgrammeCompetency(Tracked, SignOffFields, table=True):
    """A competency copied from the programme version; signed off when `signed_at` is set."""

    __tablename__ = "programme_competency"

    id: int | None = Field(default=None, primary_key=True)
    enrolment_id: int = Field(foreign_key="programme_enrolment.id", index=True)
    position: int
    domain_code: str = Field(max_length=24)
    domain_title: str = Field(max_length=120)
    key: str = Field(max_length=48)
    title: str = Field(max_length=120)
    description: str = Field(default="", max_length=2000)
    evidence_expected: str = Field(default="", max_length=2000)
    comment: str = Field(default="", max_length=2000)


class ProgrammeEvidence(SQLModel, table=True):
    """A file offered as evidence for a competency, stored once under its SHA-256."""

    __tablename__ = "programme_evidence"

    id: int | None = Field(default=None, primary_key=True)
    competency_id: int = Field(foreign_key="programme_competency.id", index=True)
    enrolment_id: int = Field(foreign_key="programme_enrolment.id", index=True)
    sha256: str = Field(max_length=64)
    stored_name: str = Field(max_length=80)
    original_name: str = Field(max_length=255)
    media_type: str = Field(max_length=100)
    size: int
    added_at: datetime = Field(default_factory=utcnow, nullable=False)
    added_by_user_id: int | None = Field(default=None, foreign_key="user_account.id")
    added_by_name: str = Field(default="", max_length=200)
    removed_at: datetime | None = Field(default=None)
    removed_by_name: str = Field(default="", max_length=200)


class ProgrammeTime(SQLModel, table=True):
    """Protected learning time taken on one day. A mistaken entry is marked removed, not deleted."""

    __tablename__ = "programme_time"

    id: int | None = Field(default=None, primary_key=True)
    enrolment_id: int = Field(foreign_key="programme_enrolment.id", index=True)
    taken_on: date
    hours: float
    activity: str = Field(max_length=500)
    logged_by_user_id: int | None = Field(default=None, foreign_key="user_account.id")
    logged_by_name: str = Field(default="", max_length=200)
    logged_at: datetime = Field(default_factory=utcnow, nullable=False)
    removed_at: datetime | None = Field(default=None)
    removed_by_name: str = Field(default="", max_length=200)
