"""Assurance tables: "what matters to me" check-in answers, and per-person assurance flags."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from arrs_desk.store.models.core import Tracked


class CheckinResponse(Tracked, table=True):
    """One person's answers at one point of their check-in schedule (months in post).

    Answers belong to the person: only they write them; summaries show groups of five or more.
    """

    __tablename__ = "checkin_response"
    __table_args__ = (UniqueConstraint("staff_id", "months", name="uq_checkin_response_point"),)

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id", index=True)
    months: int
    answered_on: date = Field(index=True)
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    comment: str = Field(default="", max_length=2000)


class AssuranceFlag(Tracked, table=True):
    """Facts the contract checks need that the staff record does not hold (temporary cover)."""

    __tablename__ = "assurance_flag"

    staff_id: int = Field(foreign_key="staff.id", primary_key=True, ondelete="CASCADE")
    temporary_cover: bool = Field(default=False)
