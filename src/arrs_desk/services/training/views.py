"""The inputs and read shapes of statutory and mandatory training: plain frozen data for the
matrix page, the person's record, the exports and the import."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from arrs_desk.domain.training import TrainingState


@dataclass(frozen=True)
class TrainingInput:
    staff_id: int
    subject_code: str
    level: int
    completed_on: date | None
    provider: str = ""
    evidence: str = ""


@dataclass(frozen=True)
class SubjectColumn:
    code: str
    title: str
    short: str
    levels: tuple[int, ...]


class MatrixRow(NamedTuple):
    """One person's line of the matrix: a state per subject, in the matrix's subject order. A named
    tuple, made for everyone in post on every fresh read of the matrix (Home reads it too)."""

    staff_id: int
    name: str
    sort_name: str
    role: str
    role_code: str
    practices: tuple[str, ...]
    practice_ids: tuple[int, ...]
    cells: tuple[TrainingState, ...]

    @property
    def in_date(self) -> int:
        return sum(1 for cell in self.cells if cell.status.in_date)


@dataclass(frozen=True)
class Compliance:
    """In-date share of one group (a subject, a practice, everyone) against the target."""

    label: str
    in_date: int
    required: int
    percent: int | None  # None when nobody in the group needs anything
    meets_target: bool


@dataclass(frozen=True)
class TrainingMatrix:
    today: date
    target_percent: int
    subjects: tuple[SubjectColumn, ...]
    rows: tuple[MatrixRow, ...]
    by_subject: tuple[Compliance, ...]
    by_practice: tuple[Compliance, ...]
    overall: Compliance
    source: str  # where the subjects and intervals come from, and when they were checked


@dataclass(frozen=True)
class TrainingSummary:
    """What Home's mandatory-training card says of the people the matrix shows, from their
    statuses alone (`TrainingService.summary`): the counts the matrix would give."""

    staff_ids: frozenset[int]
    lapsed: int
    """People with a subject expired or never done."""
    due_soon: int
    """People with a refresher due soon and nothing lapsed."""
    percent: int | None
    """Of every cell, in date (due soon included), as the matrix's overall figure; None with nobody."""
    target_percent: int


@dataclass(frozen=True)
class TrainingRecordRow:
    id: int
    staff_id: int
    subject_code: str
    subject_title: str
    level: int
    completed_on: date
    provider: str
    evidence: str
    source: str
    version: int


@dataclass(frozen=True)
class PersonTraining:
    staff_id: int
    name: str
    states: tuple[tuple[SubjectColumn, TrainingState], ...]
    records: tuple[TrainingRecordRow, ...] = field(default_factory=tuple)
    can_record: bool = False


@dataclass(frozen=True)
class TrainingImportResult:
    created: int
    people: int
