"""Assurance tables: "what matters to me" check-ins, kept so that no answer can be tied to a person,
and per-person assurance flags.

Who has answered which check-in (`checkin_completion`) is kept apart from what was answered.
Answers wait in `checkin_pending` with no name, no time and a random id until at least five
different people of a group have answered (`checkin_pending_person` counts them, and is emptied
with the batch); the batch then becomes counts in `checkin_tally` for the month it was released.
None of these tables carries a timestamp or a sequential id, so nothing in them orders arrivals.
The two waiting tables are never exported (see `services.data_export.NOT_EXPORTED`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from arrs_desk.store.models.core import Tracked

DIMENSIONS = ("role", "practice")
"""How answers are grouped: by the person's role code, or by each practice they work in (its id)."""


class CheckinCompletion(SQLModel, table=True):
    """That a person has answered the check-in at this point of their schedule (months in post):
    what their page and Home need to say what is due. Nothing about the answers, nor when."""

    __tablename__ = "checkin_completion"

    staff_id: int = Field(foreign_key="staff.id", primary_key=True, ondelete="CASCADE")
    months: int = Field(primary_key=True)


class CheckinPending(SQLModel, table=True):
    """One anonymous answer waiting for its group's batch (a copy per group the person was in)."""

    __tablename__ = "checkin_pending"

    id: str = Field(primary_key=True, max_length=32)  # random: says nothing about arrival order
    dimension: str = Field(max_length=10, index=True)
    group_key: str = Field(max_length=40, index=True)
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class CheckinPendingPerson(SQLModel, table=True):
    """Who has an answer waiting in a group's batch, so a batch is released only once it holds
    answers from enough *different* people. Emptied when the batch is released."""

    __tablename__ = "checkin_pending_person"

    dimension: str = Field(max_length=10, primary_key=True)
    group_key: str = Field(max_length=40, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id", primary_key=True, ondelete="CASCADE")


class CheckinTally(SQLModel, table=True):
    """Released answers of one group in one round (month), as counts of each answer per statement."""

    __tablename__ = "checkin_tally"

    dimension: str = Field(max_length=10, primary_key=True)
    group_key: str = Field(max_length=40, primary_key=True)
    round: str = Field(max_length=7, primary_key=True)  # YYYY-MM
    responses: int = Field(default=0)
    counts: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    """{statement key: [number answering 1, 2, 3, 4, 5]}"""


class AssuranceFlag(Tracked, table=True):
    """Facts the contract checks need that the staff record does not hold (temporary cover)."""

    __tablename__ = "assurance_flag"

    staff_id: int = Field(foreign_key="staff.id", primary_key=True, ondelete="CASCADE")
    temporary_cover: bool = Field(default=False)
