"""Induction: template versions and their items, each starter's checklist, and evidence files.

Templates are versioned rows: an edit saves a new version and never changes an old one. A
checklist copies every item's wording, offset and flags when it is made, so nothing a starter
has done is ever rewritten by a later template change.

`InductionItem.state` is the item's settled state ('open', 'awaiting', 'complete', 'returned',
'na'), kept beside the who-and-when fields so the manager overview can count a thousand
checklists in one aggregate query; `due_on` and `expires_on` are stored for the same reason.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from arrs_desk.store.models.accounts import SignOffFields
from arrs_desk.store.models.core import Tracked, utcnow


class InductionTemplate(SQLModel, table=True):
    """One saved version of a template. Rows are written once and never changed, except that
    `is_current` moves to the newest version of the same code."""

    __tablename__ = "induction_template"
    __table_args__ = (UniqueConstraint("code", "version", name="uq_induction_template_code_version"),)

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=24, index=True)
    version: int
    title: str = Field(max_length=200)
    roles: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    sections: list[dict] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    is_current: bool = Field(default=True, index=True)
    source: str = Field(max_length=20)  # 'builtin' (copied from a file) or 'edited'
    file_version: int | None = Field(default=None)
    note: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow, nullable=False)
    created_by_user_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_by_name: str = Field(default="", max_length=200)


class InductionTemplateItem(SQLModel, table=True):
    __tablename__ = "induction_template_item"

    id: int | None = Field(default=None, primary_key=True)
    template_id: int = Field(foreign_key="induction_template.id", index=True, ondelete="CASCADE")
    position: int
    key: str = Field(max_length=60)
    title: str = Field(max_length=200)
    guidance: str = Field(default="", max_length=2000)
    section: str = Field(max_length=40)
    due_offset_days: int
    completed_by: str = Field(max_length=10)
    needs_signoff: bool = Field(default=False)
    validity_months: int | None = Field(default=None)
    evidence_expected: bool = Field(default=False)
    tags: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    retired: bool = Field(default=False)


class InductionChecklist(Tracked, table=True):
    """A batch of items given to one person: their induction, or a re-induction after a role change.

    `anchor_date` is the day the offsets count from: the start date, or the role-change date.
    """

    __tablename__ = "induction_checklist"

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id", index=True)
    kind: str = Field(max_length=20)  # 'induction' or 'reinduction'
    role_code: str = Field(max_length=24)
    anchor_date: date
    template_versions: dict[str, int] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_by_user_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_by_name: str = Field(default="", max_length=200)


class InductionItem(Tracked, SignOffFields, table=True):
    __tablename__ = "induction_item"
    __table_args__ = (
        # The manager overview: one index-only pass, grouped by person.
        Index("ix_induction_item_overview", "staff_id", "state", "due_on", "expires_on"),
        Index("ix_induction_item_state", "state", "staff_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    checklist_id: int = Field(foreign_key="induction_checklist.id", index=True)
    staff_id: int = Field(foreign_key="staff.id")
    position: int
    # Copied from the template when the checklist was made.
    template_item_id: int | None = Field(default=None, foreign_key="induction_template_item.id")
    key: str = Field(max_length=60)
    section: str = Field(max_length=40)
    section_title: str = Field(max_length=80)
    title: str = Field(max_length=200)
    guidance: str = Field(default="", max_length=2000)
    due_offset_days: int
    due_on: date
    completed_by: str = Field(max_length=10)
    needs_signoff: bool = Field(default=False)
    evidence_expected: bool = Field(default=False)
    tags: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # Progress.
    state: str = Field(default="open", max_length=10)
    ticked_at: datetime | None = Field(default=None)
    ticked_by_user_id: int | None = Field(default=None, foreign_key="user_account.id")
    ticked_by_name: str = Field(default="", max_length=200)
    note: str = Field(default="", max_length=2000)
    returned_at: datetime | None = Field(default=None)
    returned_by_user_id: int | None = Field(default=None, foreign_key="user_account.id")
    returned_by_name: str = Field(default="", max_length=200)
    return_comment: str = Field(default="", max_length=2000)
    signoff_comment: str = Field(default="", max_length=2000)
    na_reason: str = Field(default="", max_length=500)
    na_at: datetime | None = Field(default=None)
    na_by_user_id: int | None = Field(default=None, foreign_key="user_account.id")
    na_by_name: str = Field(default="", max_length=200)
    # Training that expires.
    validity_months: int | None = Field(default=None)
    completed_on: date | None = Field(default=None)
    expires_on: date | None = Field(default=None)


class InductionEvidence(SQLModel, table=True):
    """A file attached to an item, stored once under its SHA-256 in the evidence folder."""

    __tablename__ = "induction_evidence"

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="induction_item.id", index=True)
    staff_id: int = Field(foreign_key="staff.id", index=True)
    sha256: str = Field(max_length=64, index=True)
    stored_name: str = Field(max_length=80)
    original_name: str = Field(max_length=255)
    media_type: str = Field(max_length=100)
    size: int
    added_at: datetime = Field(default_factory=utcnow, nullable=False)
    added_by_user_id: int | None = Field(default=None, foreign_key="user_account.id")
    added_by_name: str = Field(default="", max_length=200)
    removed_at: datetime | None = Field(default=None)
    removed_by_name: str = Field(default="", max_length=200)


class InductionPriorRecord(Tracked, table=True):
    """An induction completed before the PCN's records began, attested by someone who knows.

    People in post before ARRS Desk was used have no checklist; this says their induction was
    done (when, who attests it, optionally a scanned record), so the checks and the appraisal
    pack show "completed before records began" instead of failing for ever.
    """

    __tablename__ = "induction_prior_record"

    staff_id: int = Field(foreign_key="staff.id", primary_key=True)
    completed_on: date
    attested_by_name: str = Field(max_length=200)
    attested_by_role: str = Field(default="", max_length=120)
    attested_by_user_id: int | None = Field(default=None, foreign_key="user_account.id")
    note: str = Field(default="", max_length=2000)
    evidence_sha256: str = Field(default="", max_length=64)
    evidence_filename: str = Field(default="", max_length=255)
    evidence_media_type: str = Field(default="", max_length=100)
    evidence_size: int | None = Field(default=None)
    recorded_by_user_id: int | None = Field(default=None, foreign_key="user_account.id")
    recorded_by_name: str = Field(default="", max_length=200)
