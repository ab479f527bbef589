"""Supervision: arrangements, the session log and who attended, and the PCN's own frequencies.

The matrix asks for the latest session per (person, type) across a thousand people and ten
years of sessions. Each attendance row therefore carries a copy of its session's type and date,
and `ix_supervision_attendance_latest` covers (staff_id, type_code, held_on), so the question
is one GROUP BY that reads the index alone. The service keeps the copies in step whenever a
session's date or type is edited.

Supervision type and frequency codes are the catalogue's slugs (`resources/supervision/types.json`),
checked by the service, so a new type in a later catalogue needs no schema change.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field

from arrs_desk.store.models.accounts import SignOffFields
from arrs_desk.store.models.core import Tracked, utcnow


class SupervisionArrangement(Tracked, table=True):
    """A named supervisor (a colleague or an external person) for one kind of supervision.

    `frequency_code` empty means "as expected for the role", so the interval steps down with
    time in post without anyone editing the arrangement.
    """

    __tablename__ = "supervision_arrangement"
    __table_args__ = (Index("ix_supervision_arrangement_staff_type", "staff_id", "type_code"),)

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id")
    type_code: str = Field(max_length=32)
    supervisor_staff_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    supervisor_external_id: int | None = Field(default=None, foreign_key="external_person.id", index=True)
    frequency_code: str = Field(default="", max_length=32)
    start_date: date
    end_date: date | None = Field(default=None)
    notes: str = Field(default="", max_length=4000)
    agreement_sha256: str = Field(default="", max_length=64)
    agreement_filename: str = Field(default="", max_length=255)
    agreement_media_type: str = Field(default="", max_length=100)
    agreement_size: int | None = Field(default=None)
    agreement_added_at: datetime | None = Field(default=None)
    agreement_added_by_name: str = Field(default="", max_length=200)
    created_by_user_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_by_name: str = Field(default="", max_length=200)


class SupervisionSession(Tracked, SignOffFields, table=True):
    """One session as held. The sign-off fields record the supervisor's confirmation; each
    attendee's own confirmation is on their attendance row."""

    __tablename__ = "supervision_session"
    __table_args__ = (
        # Supervisor load over a period, for colleagues and for external supervisors.
        Index("ix_supervision_session_supervisor_day", "supervisor_staff_id", "held_on"),
        Index("ix_supervision_session_external_day", "supervisor_external_id", "held_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    type_code: str = Field(max_length=32)
    held_on: date = Field(index=True)
    supervisor_staff_id: int | None = Field(default=None, foreign_key="staff.id")
    supervisor_external_id: int | None = Field(default=None, foreign_key="external_person.id")
    supervisor_name: str = Field(default="", max_length=200)
    duration_minutes: int | None = Field(default=None)
    format: str = Field(max_length=20)
    topics: str = Field(default="", max_length=4000)
    actions_agreed: str = Field(default="", max_length=4000)
    logged_by_user_id: int | None = Field(default=None, foreign_key="user_account.id")
    logged_by_name: str = Field(default="", max_length=200)
    logged_at: datetime = Field(default_factory=utcnow, nullable=False)


class SupervisionAttendance(Tracked, SignOffFields, table=True):
    """One person at one session: a group session has one row per attendee.

    Reflective notes are the attendee's own and private; the sign-off fields hold the
    attendee's confirmation that the session took place as recorded.
    """

    __tablename__ = "supervision_attendance"
    __table_args__ = (
        UniqueConstraint("session_id", "staff_id", name="uq_supervision_attendance_session_staff"),
        Index("ix_supervision_attendance_latest", "staff_id", "type_code", "held_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="supervision_session.id", index=True, ondelete="CASCADE")
    staff_id: int = Field(foreign_key="staff.id")
    type_code: str = Field(max_length=32)
    held_on: date
    reflective_notes: str = Field(default="", max_length=8000)


class SupervisionRequirement(Tracked, table=True):
    """The PCN's own rule for one supervision type and role, replacing the built-in one.

    `schedule` is [[from_month, frequency_code], ...], as in the catalogue file. Removing the
    row returns the role to the built-in rule.
    """

    __tablename__ = "supervision_requirement"

    type_code: str = Field(primary_key=True, max_length=32)
    role_code: str = Field(primary_key=True, foreign_key="role.code", max_length=24)
    required: bool = Field(default=True)
    schedule: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    until_month: int | None = Field(default=None)
    note: str = Field(default="", max_length=500)
    updated_by_name: str = Field(default="", max_length=200)
