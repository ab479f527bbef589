"""Statutory and mandatory training: which subjects and levels each role needs, and whether a
person's training is in date, due soon, expired or never done, worked out when read.

The subjects, levels, refresher intervals and the compliance target are data
(`resources/training/subjects.json`, the Core Skills Training Framework's eleven subjects with
their source and the date checked), never constants here: a practice edits the file to follow its
own training policy.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Annotated, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StringConstraints, model_validator

from arrs_desk.domain.datafiles import load_data_file
from arrs_desk.domain.dates import add_months, format_uk
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
        return self is TrainingStatus.IN_DATE or self is TrainingStatus.DUE_SOON


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
    aliases: tuple[Annotated[str, StringConstraints(pattern=r"\w", max_length=80)], ...] = ()
    """Other names learning systems give the subject's course ("Data Security Awareness" on e-LfH for
    information governance, "Prevent awareness" for preventing radicalisation): an import matches a course to
    the subject by the words of its title, its code or one of these, each as whole words."""
    whole_names: tuple[Annotated[str, StringConstraints(pattern=r"\w", max_length=80)], ...] = ()
    """Names that are the subject only as a course's whole name (its level aside): "Prevent" is the
    Prevent duty course, but the word is also in "How to prevent falls", so it is no alias."""
    note: str = ""
    _months: dict[int, int | None] = PrivateAttr(default_factory=dict)
    _shortest: int | None = PrivateAttr(default=None)
    _intervals: tuple = PrivateAttr(default=())

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

    def model_post_init(self, _context) -> None:
        self._months = {level.level: level.refresher_months for level in self.levels}
        self._shortest = min((m for m in self._months.values() if m), default=None)
        self._intervals = (tuple(sorted(self._months.items())), self._shortest)

    @property
    def intervals(self) -> tuple:
        """All that `training_state` reads of the subject (`months_for_record`'s answers, whatever
        the level): subjects with equal intervals give equal states for equal completions, so the
        matrix works each state out once for them all (three subjects refresh level 1 every 36
        months, and safeguarding adults and children have the same levels)."""
        return self._intervals

    def months_for_record(self, number: int) -> int | None:
        """The interval a recorded completion of this level is held to (None: done once, for good):
        its level's, or for a level the subject does not define (recorded before the file was
        edited) the shortest the subject has; read as "done once", such a record was in date for
        ever. Plain dicts made once: the matrix asks this for every completion it shows."""
        months = self.__pydantic_private__["_months"]  # past pydantic's slower attribute lookup
        return months[number] if number in months else self.__pydantic_private__["_shortest"]

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
    alias_sources: tuple[Source, ...] = ()
    """Where the subjects' other names (`Subject.aliases`) were read."""
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


class Completion(NamedTuple):
    """One recorded completion: what level of a subject, and on which day. A named tuple: the
    matrix makes one per person per subject and level, and keys its states by them."""

    level: int
    completed_on: date


class TrainingState(NamedTuple):
    """One person's state in one subject: a named tuple, made thousands of times a read."""

    status: TrainingStatus
    required_level: int
    completed_on: date | None  # the completion that counts, if any
    due_on: date | None  # when a refresher is due (None: never done, or done once for good)
    level_done: int | None = None  # the level of the completion that counts
    lower_level: int | None = None  # for "never": the highest lower level recorded, if any

    @property
    def label(self) -> str:
        return self.status.label

    @property
    def last_day(self) -> date | None:
        """The last day the completion counts: `due_on` is the first day it no longer does (a course
        done on 01/03/2026 with a yearly refresher is expired on 01/03/2027), so "in date until" and
        "due by" name the day before, and "expired on" names `due_on`."""
        return self.due_on - timedelta(days=1) if self.due_on is not None else None

    @property
    def reason(self) -> str:
        """In words, for a tooltip, a screen reader and the export (worked out only when asked)."""
        if self.status is TrainingStatus.NEVER:
            return (f"Level {self.required_level} needed; only level {self.lower_level} recorded"
                    if self.lower_level is not None else f"Level {self.required_level} never recorded")
        done = f"level {self.level_done} done {format_uk(self.completed_on)}"
        if self.due_on is None:
            return f"{done.capitalize()}; no refresher needed"
        if self.status is TrainingStatus.EXPIRED:
            return f"Expired on {format_uk(self.due_on)} ({done})"
        if self.status is TrainingStatus.DUE_SOON:
            return f"Refresher due by {format_uk(self.last_day)} ({done})"
        return f"In date until {format_uk(self.last_day)} ({done})"


def expiry(subject: Subject, completion: Completion) -> date | None:
    """When this completion stops counting: its level's refresher interval from the day it was done
    (`Subject.months_for_record`)."""
    months = subject.months_for_record(completion.level)
    return add_months(completion.completed_on, months) if months else None


def latest_per_level(completions: Iterable[Completion]) -> list[Completion]:
    """Only the newest completion of each level can decide a state (a level's interval is fixed), so
    the database may hand over just these: `training_state` gives the same answer for them as for all."""
    newest: dict[int, Completion] = {}
    for c in completions:
        if c.level not in newest or c.completed_on > newest[c.level].completed_on:
            newest[c.level] = c
    return list(newest.values())


def training_state(subject: Subject, required: int, completions: Iterable[Completion], today: date,
                   due_soon_days: int) -> TrainingState:
    """A person's state for one subject: the completion at or above the level they need that stays
    valid longest decides; a lower level never counts (it is named in the reason)."""
    best, best_due, lower = None, None, None
    for c in completions:
        if c.completed_on > today:
            continue
        if c.level < required:
            lower = c.level if lower is None else max(lower, c.level)
            continue
        due = expiry(subject, c)
        # Ties (two levels done the same day, valid as long) go to the higher level, whatever the order.
        if best is None or (due or date.max, c.completed_on, c.level) > \
                (best_due or date.max, best.completed_on, best.level):
            best, best_due = c, due
    if best is None:
        return TrainingState(TrainingStatus.NEVER, required, None, None, None, lower)
    due = best_due
    if due is None:
        status = TrainingStatus.IN_DATE
    elif today >= due:
        status = TrainingStatus.EXPIRED
    elif (due - today).days <= due_soon_days:
        status = TrainingStatus.DUE_SOON
    else:
        status = TrainingStatus.IN_DATE
    return TrainingState(status, required, best.completed_on, due, best.level)


def percent(in_date: int, total: int) -> int | None:
    """Whole-number compliance, rounded down so 84.9% never shows as meeting an 85% target."""
    return None if total == 0 else (100 * in_date) // total


# --- statuses by comparison of days (what the database is asked) -------------------------------

STATUS_RANKS = (TrainingStatus.NEVER, TrainingStatus.EXPIRED, TrainingStatus.DUE_SOON, TrainingStatus.IN_DATE)
"""A status's rank is its position here: the completion that decides a state (`training_state`:
the one valid longest) is the one of highest rank, as a later due date never ranks lower, so a
person's status in a subject is the highest rank among their completions at the level needed,
NEVER (0) with none."""


def done_by_to_fall_due_by(day: date, months: int) -> date:
    """The last completion day whose refresher of `months` falls due on or before `day`: every
    completion on or before it has done so (`expiry` is `add_months`, which never goes back as the
    completion day moves on), every later one has not. A completion is expired today when done by
    `done_by_to_fall_due_by(today, months)`, and due soon (if not expired) when done by
    `done_by_to_fall_due_by(today + due_soon_days, months)`: one comparison of days each."""
    done = add_months(day, -months)
    while add_months(done, months) > day:  # never more than a step or two either way (month ends)
        done -= timedelta(days=1)
    while add_months(done + timedelta(days=1), months) <= day:
        done += timedelta(days=1)
    return done


def rank_days(subject: Subject, level: int, today: date, due_soon_days: int) -> tuple[date, date] | None:
    """For a completion of `level`: the last day it may have been done on to be expired today,
    and to be due soon; None when it is held to no refresher (in date for good)."""
    months = subject.months_for_record(level)
    if not months:
        return None
    return (done_by_to_fall_due_by(today, months),
            done_by_to_fall_due_by(today + timedelta(days=due_soon_days), months))
