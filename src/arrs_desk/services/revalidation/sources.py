"""Where a CPD entry came from: the person's own supervision sessions, training records,
programmes and completed induction items, offered to fill an entry from (date, title, hours) and
named in words on the entry, so nothing is typed twice."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from arrs_desk.domain.dates import format_uk
from arrs_desk.domain.induction import ItemState
from arrs_desk.domain.supervision import builtin_supervision_catalogue
from arrs_desk.domain.training import training_subjects
from arrs_desk.services.revalidation.views import CpdSource
from arrs_desk.store.models import (
    InductionItem, ProgrammeEnrolment, SupervisionAttendance, SupervisionSession, TrainingRecord,
)

KIND_WORDS = {"supervision": "Supervision session", "training": "Training record", "programme": "Programme",
              "induction": "Induction item"}
MOST = 200
"""Of each kind, the most recent this many: a picker, not an archive."""


def _supervision_title(type_code: str, topics: str) -> str:
    kind = builtin_supervision_catalogue().type(type_code)
    name = kind.title if kind else type_code
    topic = " ".join(topics.split())[:120]
    return f"{name}: {topic}" if topic else name


def _training_title(subject_code: str, level: int) -> str:
    subject = training_subjects().subject(subject_code)
    return f"{subject.title if subject else subject_code} (level {level})"


def list_sources(session: Session, staff_id: int) -> list[CpdSource]:
    """The person's records a CPD entry can be filled from, newest first."""
    found: list[CpdSource] = []
    for attendance, held in session.execute(
            select(SupervisionAttendance, SupervisionSession)
            .join(SupervisionSession, SupervisionSession.id == SupervisionAttendance.session_id)
            .where(SupervisionAttendance.staff_id == staff_id)
            .order_by(SupervisionAttendance.held_on.desc()).limit(MOST)).all():
        hours = round(held.duration_minutes / 60, 2) if held.duration_minutes else None
        found.append(CpdSource("supervision", attendance.id, attendance.held_on,
                               _supervision_title(attendance.type_code, held.topics), hours, ""))
    for record in session.execute(select(TrainingRecord).where(TrainingRecord.staff_id == staff_id)
                                  .order_by(TrainingRecord.completed_on.desc()).limit(MOST)).scalars():
        found.append(CpdSource("training", record.id, record.completed_on,
                               _training_title(record.subject_code, record.level), None, ""))
    for enrolment in session.execute(select(ProgrammeEnrolment).where(ProgrammeEnrolment.staff_id == staff_id)
                                     .order_by(ProgrammeEnrolment.start_date.desc()).limit(MOST)).scalars():
        found.append(CpdSource("programme", enrolment.id, enrolment.start_date, enrolment.title, None, ""))
    for item in session.execute(select(InductionItem).where(InductionItem.staff_id == staff_id,
                                                            InductionItem.state == ItemState.COMPLETE.value,
                                                            InductionItem.completed_on.is_not(None))
                                .order_by(InductionItem.completed_on.desc()).limit(MOST)).scalars():
        found.append(CpdSource("induction", item.id, item.completed_on, item.title, None, ""))
    found.sort(key=lambda s: s.occurred_on, reverse=True)
    return [CpdSource(s.kind, s.id, s.occurred_on, s.title, s.hours,
                      f"{format_uk(s.occurred_on)}  {KIND_WORDS[s.kind]}: {s.title}") for s in found]


def source_label(session: Session, kind: str, source_id: int | None) -> str:
    """The record an entry came from, in words ("Supervision session on 05/03/2025"), or ""."""
    if not kind or source_id is None:
        return ""
    day = None
    if kind == "supervision":
        row = session.get(SupervisionAttendance, source_id)
        day = row.held_on if row else None
    elif kind == "training":
        row = session.get(TrainingRecord, source_id)
        day = row.completed_on if row else None
    elif kind == "programme":
        row = session.get(ProgrammeEnrolment, source_id)
        return f"Programme: {row.title}" if row else "A programme since removed"
    elif kind == "induction":
        row = session.get(InductionItem, source_id)
        return f"Induction item: {row.title}" if row else "An induction item since removed"
    words = KIND_WORDS.get(kind, kind)
    return f"{words} on {format_uk(day)}" if day else f"{words} since removed"
