"""Records retention: legal holds on people's records, and the destruction log (issue 20 item 2).

The destruction log says what class of record went, whose (as the app may still name them:
a summary keeps the name, an anonymised record only its number), when, by whom and under which
rule, and never anything that was removed: it is what remains to show the erasure happened.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from arrs_desk.store.models.core import utcnow


class RetentionHold(SQLModel, table=True):
    """A person's records are under legal hold or needed by an inquiry: never destroyed while it stands."""

    __tablename__ = "retention_hold"

    staff_id: int = Field(foreign_key="staff.id", primary_key=True)
    reason: str = Field(max_length=500)
    placed_by: str = Field(max_length=200)
    placed_at: datetime = Field(default_factory=utcnow, nullable=False)


class DestructionEntry(SQLModel, table=True):
    """One reduction or erasure: what went, whose, when, by whom, under which rule; no content."""

    __tablename__ = "destruction_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, nullable=False, index=True)
    user_id: int | None = Field(default=None)
    actor_name: str = Field(max_length=200)
    action: str = Field(max_length=20)  # "summary" (reduced to the summary) or "anonymise"
    record_class: str = Field(max_length=120)
    subject: str = Field(max_length=200)  # whose: the name a summary keeps, or "staff record 12"
    staff_id: int | None = Field(default=None, index=True)  # the kept row (never a foreign key: it outlives nothing)
    rule_code: str = Field(max_length=40)
    rule_text: str = Field(max_length=300)
    removed: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    """{class of record: how many went}: counts only."""
