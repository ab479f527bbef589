"""Core tables: organisations, the role catalogue, staff, the audit trail and settings."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from arrs_desk import clock


def utcnow() -> datetime:
    """Timestamps for rows and audit entries: the application's one clock, in UTC."""
    return clock.now()


class Tracked(SQLModel):
    created_at: datetime = Field(default_factory=utcnow, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, nullable=False)
    version: int = Field(default=1, nullable=False)


class Organisation(Tracked, table=True):
    __tablename__ = "organisation"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20, index=True)
    name: str = Field(max_length=200)
    ods_code: str = Field(max_length=10, unique=True)
    active: bool = Field(default=True)


class Role(Tracked, table=True):
    """A role in the PCN's catalogue, seeded from the built-in catalogue and editable."""

    __tablename__ = "role"

    code: str = Field(primary_key=True, max_length=24)
    title: str = Field(max_length=120)
    clinical: bool = Field(default=True)
    arrs: bool = Field(default=True)
    registers: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    registration_required: bool = Field(default=False)
    typical_band: str = Field(default="", max_length=20)
    requirements: str = Field(default="", max_length=2000)
    builtin: bool = Field(default=False)
    catalogue_version: int = Field(default=0)
    active: bool = Field(default=True)


class Staff(Tracked, table=True):
    __tablename__ = "staff"
    __table_args__ = (
        Index("ix_staff_register_number", "register_code", "registration_number"),
        # An HR system's employee number names one person at one employer; many people have none (NULL).
        Index("ux_staff_employer_employee_number", "employer_id", "employee_number", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(default="", max_length=20)  # Dr, Mrs, Mx…: for letters and packs, never glued into lists
    given_name: str = Field(max_length=100)
    family_name: str = Field(max_length=100)
    preferred_name: str = Field(default="", max_length=100)
    role_code: str = Field(foreign_key="role.code", max_length=24, index=True)
    employer_id: int = Field(foreign_key="organisation.id", index=True)
    employment_model: str = Field(max_length=20)
    start_date: date
    end_date: date | None = Field(default=None)
    leaving_reason: str = Field(default="", max_length=200)
    afc_band: str = Field(default="", max_length=10)
    hours_per_week: float | None = Field(default=None)
    line_manager_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    register_code: str = Field(default="", max_length=24)
    registration_number: str = Field(default="", max_length=20)
    registration_renewal: date | None = Field(default=None)
    email: str = Field(default="", max_length=254, index=True)
    status: str = Field(max_length=20, index=True)
    employee_number: str | None = Field(default=None, max_length=30)  # from the employer's HR or payroll system


class StaffPractice(SQLModel, table=True):
    """The practices a person is based at or works in (rotational and PCN staff have several)."""

    __tablename__ = "staff_practice"

    staff_id: int = Field(foreign_key="staff.id", primary_key=True, ondelete="CASCADE")
    organisation_id: int = Field(foreign_key="organisation.id", primary_key=True)


class AuditEntry(SQLModel, table=True):
    """One change, sign-off or sign-in. Written in the same transaction as the change itself.

    Rows are never updated or deleted by the app; the database refuses it too (triggers).
    """

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entity", "entity_type", "entity_id"),
                      Index("ux_audit_chain_seq", "chain_seq", unique=True),
                      # The trail's order, newest first, read a page at a time (`AuditFilter.older_than`).
                      Index("ix_audit_entry_at_id", "at", "id"))

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow)
    user_id: int | None = Field(default=None, index=True)
    actor_name: str = Field(max_length=200)
    action: str = Field(max_length=30, index=True)
    entity_type: str = Field(max_length=40)
    entity_id: str = Field(default="", max_length=40)
    subject_staff_id: int | None = Field(default=None, index=True)
    summary: str = Field(default="", max_length=500)
    changes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # The hash chain (store/audit_chain.py): position, the previous link's hash, this link's hash.
    # Empty only on entries written before migration 0012 started the chain.
    chain_seq: int | None = Field(default=None)
    prev_hash: str | None = Field(default=None, max_length=64)
    entry_hash: str | None = Field(default=None, max_length=64)


class Setting(Tracked, table=True):
    """Organisation-wide settings shared by every PC that opens this database."""

    __tablename__ = "setting"

    key: str = Field(primary_key=True, max_length=60)
    value: Any = Field(default=None, sa_column=Column(JSON, nullable=True))

