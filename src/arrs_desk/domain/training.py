"""Statutory and mandatory training: which subjects and levels each role needs, and whether a
person's training is in date, due soon, expired or never done, worked out when read.

The subjects, levels, refresher intervals and the compliance target are data
(`resources/training/subjects.json`, the Core Skills Training Framework's eleven subjects with
their source and the date checked), never constants here: a practice edits the file to follow its
own training policy.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from arrs_desk.domain.datafiles import load_data_file
from arrs_desk.domain.dates import add_months
from arrs_desk.paths import resource_path

Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{1,59}$")]
LevelNumber = Annotated[int, Field(ge=1, le=5)]


class TrainingStatus(StrEnum):
    IN_DATE = "in-date"
    DUE_SOON = "due-soon"
    EXPIRED = "expired"
    NEVER = "never"

    @property
    def label(self) -> str:
        return {"in-date": "In date", "due-soon": "Due soon", "expired": "Expired", "never": "Never done"}[self.value]

    @property
    def in_date(self) -> bool:
        """Counts towards compliance: still valid today, even if a refresher is due soon."""
        return self in (TrainingStatus.IN_DATE, TrainingStatus.DUE_SOON)


class Source(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    title: Annotated[str, StringConstraints(min_length=1)]
    url: Annotated[str, StringConstraints(pattern=r"^https://")]
    note: str = ""


class Level(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    level: LevelNumber
    refresher_months: Annotated[int, Field(ge=1, le=120)] | None = None
    """None: done once, never refreshed."""


class Subject(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: Code
    title: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    short: Annotated[str, StringConstraints(min_length=1, max_length=16)]
    """The matrix's column heading, short enough for eleven columns on a laptop screen."""
    levels: Annotated[tuple[Level, ...], Field(min_length=1)]
    default_level: LevelNumber
    clinical_level: LevelNumber | None = None
    role_levels: dict[Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,8}$")], LevelNumber] = {}
    note: str = ""

    @model_validator(mode="after")
    def _levels_exist(self) -> "Subject":
        known = {level.level for level in self.levels}
        if len(known) != len(self.levels):
            raise ValueError(f"subject {self.code!r}: each level may appear once")
        wanted = {self.default_level, *( [self.clinical_level] if self.clinical_level else []),
                  *self.role_levels.values()}
        missing = sorted(wanted - known)
        if missing:
            raise ValueError(f"subject {self.code!r} asks for level {missing[0]}, which it does not define")
        return self

    def level(self, number: int) -> Level:
        return next(level for level in self.levels if level.level == number)

    def required_level(self, role_code: str, clinical: bool) -> int:
        """The level a person in this role needs: named for the role, else the clinical level for
        a clinical role, else the default."""
        if role_code in self.role_levels:
            return self.role_levels[role_code]
        return self.clinical_level if clinical and self.clinical_level else self.default_level


class SubjectsFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_: Annotated[str, Field(alias="schema", pattern=r"^arrs-desk/training-subjects$")]
    version: Annotated[int, Field(ge=1)]
    checked_on: date
    source: Source
    target_percent: Annotated[int, Field(ge=1, le=100)]
    due_soon_days: Annotated[int, Field(ge=0, le=365)]
    subjects: Annotated[tuple[Subject, ...], Field(min_length=1)]

    @model_validator(mode="after")
    def _unique(self) -> "SubjectsFile":
        codes = [subject.code for subject in self.subjects]
        if len(codes) != len(set(codes)):
            raise ValueError("subjects: each code may appear once")
        return self

    def subject(self, code: str) -> Subject | None:
        return next((s for s in self.subjects if s.code == code), None)


@lru_cache(maxsize=1)
def training_subjects() -> SubjectsFile:
    return load_data_file(SubjectsFile, resource_path("training", "subjects.json"))


@dataclass(frozen=True, slots=True)
class Completion:
    """One recorded completion: what level of a subject, and on which day."""

    level: int
    completed_on: date


@dataclass(frozen=True, slots=True)
class TrainingState:
    status: TrainingStatus
    required_level: int
    completed_on: date | None  # the completion that counts, if any
    due_on: date | None  # when a refresher is due (None: never done, or done once for good)
    reason: str  # in words, for a tooltip, a screen reader and the export

    @property
    def label(self) -> str:
        return self.status.label


def expiry(subject: Subject, completion: Completion) -> date | None:
    """When this completion stops counting: its level's refresher interval from the day it was done."""
    months = subject.level(completion.level).refresher_months if any(
        level.level == completion.level for level in subject.levels) else None
    return add_months(completion.completed_on, months) if months else None


def training_state(subject: Subject, required: int, completions: Iterable[Completion], today: date,
                   due_soon_days: int) -> TrainingState:
    """A person's state for one subject: the completion at or above the level they need that stays
    valid longest decides; a lower level never counts (it is named in the reason)."""
    done = list(completions)
    counting = [c for c in done if c.level >= required and c.completed_on <= today]
    if not counting:
        lower = max((c.level for c in done if c.completed_on <= today), default=None)
        reason = (f"Level {required} needed; only level {lower} recorded" if lower is not None
                  else f"Level {required} never recorded")
        return TrainingState(TrainingStatus.NEVER, required, None, None, reason)
    best = max(counting, key=lambda c: (expiry(subject, c) or date.max, c.completed_on))
    due = expiry(subject, best)
    done_text = f"level {best.level} done {best.completed_on:%d/%m/%Y}"
    if due is None:
        return TrainingState(TrainingStatus.IN_DATE, required, best.completed_on, None, f"{done_text.capitalize()}; "
                             "no refresher needed")
    if today >= due:
        return TrainingState(TrainingStatus.EXPIRED, required, best.completed_on, due,
                             f"Expired on {due:%d/%m/%Y} ({done_text})")
    if (due - today).days <= due_soon_days:
        return TrainingState(TrainingStatus.DUE_SOON, required, best.completed_on, due,
                             f"Refresher due by {due:%d/%m/%Y} ({done_text})")
    return TrainingState(TrainingStatus.IN_DATE, required, best.completed_on, due,
                         f"In date until {due:%d/%m/%Y} ({done_text})")


def percent(in_date: int, total: int) -> int | None:
    """Whole-number compliance, rounded down so 84.9% never shows as meeting an 85% target."""
    return None if total == 0 else (100 * in_date) // total
