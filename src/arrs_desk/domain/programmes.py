"""Preceptorship and training pathways: the programme files and the rules for following one.

Programmes are data (`resources/programmes/*.json`), validated whole on load so that a bad file
is refused with the file and field named. The rules below are plain functions of dates and
counts; each takes `today` from its caller so that a report run on one day is repeatable.

Time conventions, used throughout:

* A milestone's `week` counts whole weeks from the start: it falls due on `start + 7 * week`
  (week 0 is the first week) and stays "due" for the seven days from then, a tolerance for
  meetings booked later in the week. A milestone at `week == length_weeks` falls due at the end.
* A pause stops the programme clock: it runs from `start` to `end`, both days included, and
  everything still to come moves later by its length. An ongoing pause is passed with
  `end=today`, which gives the earliest dates still possible.
* An extension adds time to the end only; reviews already planned keep their dates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError
from pydantic_core import ValidationError as PydanticValidationError

from arrs_desk.domain.datafiles import load_data_file
from arrs_desk.domain.staff import STANDARD_FULL_TIME_HOURS
from arrs_desk.errors import ResourceFileError

SCHEMA = "arrs-desk/programme"

DUE_WINDOW_DAYS = 7
"""How long a milestone counts as 'due' before it is 'overdue'."""

COMPETENCY_WEIGHT = 0.7
MILESTONE_WEIGHT = 0.3
"""Weights in `overall_progress`; see there for why."""

SIGN_OFF_TOLERANCE = 10.0
"""Percentage points by which sign-off may trail elapsed time before it is reported as behind."""

_CODE_RE = r"^[A-Z][A-Z0-9-]{0,23}$"
CODE_PATTERN = _CODE_RE
"""What a programme or competency-group code looks like: capitals, digits and hyphens."""
_KEY_RE = r"^[a-z0-9][a-z0-9-]{0,47}$"

Code = Annotated[str, StringConstraints(pattern=_CODE_RE)]
Key = Annotated[str, StringConstraints(pattern=_KEY_RE)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


def _role_code(value: str) -> str:
    if not re.fullmatch(_CODE_RE, value):
        raise ValueError(
            f"{value!r} is not a role code: use the catalogue code in capitals, such as PARA or CPH"
        )
    return value


RoleCode = Annotated[str, AfterValidator(_role_code)]
MilestoneKind = Literal["meeting", "review", "assessment", "sign-off"]


class Milestone(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    key: Key
    title: Title
    week: Annotated[int, Field(ge=0)]
    kind: MilestoneKind


class Competency(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    key: Key
    title: Title
    description: Text
    evidence: Text


class CompetencyDomain(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: Code
    title: Title
    competencies: tuple[Competency, ...]


class Programme(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_name: Literal["arrs-desk/programme"] = Field(alias="schema")
    version: Annotated[int, Field(ge=1)]
    code: Code
    title: Title
    description: Text
    roles: tuple[RoleCode, ...]
    length_weeks: Annotated[int, Field(gt=0, le=520)]
    protected_hours_per_week: Annotated[float, Field(ge=0, le=STANDARD_FULL_TIME_HOURS)]
    milestones: tuple[Milestone, ...]
    domains: tuple[CompetencyDomain, ...]

    @model_validator(mode="after")
    def _consistent(self) -> Programme:
        # Raised as pydantic errors with a location, so the message names the exact field.
        problems: list[InitErrorDetails] = []

        def problem(loc: tuple[str | int, ...], value: object, message: str) -> None:
            problems.append(
                InitErrorDetails(type=PydanticCustomError("programme", message), loc=loc, input=value)
            )

        # Emptiness is checked here, not with min_length, so one bad item gives one message.
        for name in ("roles", "milestones", "domains"):
            if not getattr(self, name):
                problem((name,), [], f"list at least one of the programme's {name}")
        for i, role in enumerate(self.roles):
            if role in self.roles[:i]:
                problem(("roles", i), role, f"role {role} is listed twice")
        seen_milestones: dict[str, int] = {}
        for i, milestone in enumerate(self.milestones):
            if milestone.key in seen_milestones:
                problem(
                    ("milestones", i, "key"), milestone.key,
                    f"duplicate milestone key {milestone.key!r} (also milestones[{seen_milestones[milestone.key]}])",
                )
            seen_milestones.setdefault(milestone.key, i)
            if milestone.week > self.length_weeks:
                problem(
                    ("milestones", i, "week"), milestone.week,
                    f"week {milestone.week} is after the end of this {self.length_weeks}-week programme",
                )
        seen_domains: dict[str, int] = {}
        seen_competencies: dict[str, str] = {}
        for d, domain in enumerate(self.domains):
            if domain.code in seen_domains:
                problem(
                    ("domains", d, "code"), domain.code,
                    f"duplicate domain code {domain.code!r} (also domains[{seen_domains[domain.code]}])",
                )
            seen_domains.setdefault(domain.code, d)
            if not domain.competencies:
                problem(("domains", d, "competencies"), [], "list at least one competency in each domain")
            for c, competency in enumerate(domain.competencies):
                where = f"domains[{d}].competencies[{c}]"
                if competency.key in seen_competencies:
                    problem(
                        ("domains", d, "competencies", c, "key"), competency.key,
                        f"duplicate competency key {competency.key!r} (also {seen_competencies[competency.key]})",
                    )
                seen_competencies.setdefault(competency.key, where)
        if problems:
            raise PydanticValidationError.from_exception_data("Programme", problems)
        return self

    @property
    def competencies(self) -> tuple[Competency, ...]:
        return tuple(c for domain in self.domains for c in domain.competencies)

    @property
    def milestones_in_order(self) -> tuple[Milestone, ...]:
        return tuple(sorted(self.milestones, key=lambda m: m.week))

    def competency(self, key: str) -> Competency | None:
        return next((c for c in self.competencies if c.key == key), None)

    def milestone(self, key: str) -> Milestone | None:
        return next((m for m in self.milestones if m.key == key), None)

    def applies_to(self, role_code: str) -> bool:
        return role_code in self.roles


def load_programme(path: Path) -> Programme:
    return load_data_file(Programme, path)


def load_programmes(directory: Path) -> tuple[Programme, ...]:
    """Every `*.json` in `directory`; file names must match the codes so a file is easy to find."""
    programmes: list[Programme] = []
    for path in sorted(directory.glob("*.json")):
        programme = load_programme(path)
        # Matching names also make codes unique, since a folder cannot hold two equal names.
        if path.stem != programme.code.lower():
            raise ResourceFileError(
                f"{path.name} is not valid:\ncode: {programme.code} does not match the file name "
                f"(expected {programme.code.lower()}.json)"
            )
        programmes.append(programme)
    return tuple(programmes)


@cache
def builtin_programmes() -> tuple[Programme, ...]:
    from arrs_desk.paths import resource_path

    return load_programmes(resource_path("programmes"))


def builtin_programme(code: str) -> Programme | None:
    return next((p for p in builtin_programmes() if p.code == code), None)


def programmes_for_role(
    role_code: str, programmes: Iterable[Programme] | None = None
) -> tuple[Programme, ...]:
    pool = builtin_programmes() if programmes is None else programmes
    return tuple(p for p in pool if p.applies_to(role_code))


# --- Scheduling -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pause:
    """Time the programme clock stood still (sickness, parental leave, redeployment)."""

    start: date
    end: date
    reason: str = ""

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def overlaps(self, other: Pause) -> bool:
        return self.start <= other.end and other.start <= self.end


@dataclass(frozen=True)
class Extension:
    """More time to finish, agreed with the educational lead; moves only the end."""

    weeks: int = 0
    days: int = 0
    reason: str = ""

    @property
    def total_days(self) -> int:
        return self.weeks * 7 + self.days


def _in_order(pauses: Iterable[Pause]) -> list[Pause]:
    return sorted(pauses, key=lambda p: p.start)


def shift_for_pauses(planned: date, pauses: Iterable[Pause]) -> date:
    """Where a planned date lands once the clock has stopped for each pause.

    Pauses are applied in date order, so a date pushed into a later pause by an earlier one
    is pushed again.
    """
    result = planned
    for pause in _in_order(pauses):
        if result >= pause.start:
            result += timedelta(days=pause.days)
    return result


def milestone_due(start: date, week: int, pauses: Iterable[Pause] = ()) -> date:
    return shift_for_pauses(start + timedelta(weeks=week), pauses)


def expected_end(
    start: date,
    length_weeks: int,
    pauses: Iterable[Pause] = (),
    extensions: Iterable[Extension] = (),
    *,
    planned_end: date | None = None,
) -> date:
    """The end once pauses and extensions are counted.

    `planned_end` replaces `start + length_weeks` when an enrolment agreed another length at the
    outset (a general practice assistant finishing in six months rather than nine).
    """
    extra = sum(e.total_days for e in extensions)
    base = planned_end if planned_end is not None else start + timedelta(weeks=length_weeks)
    return shift_for_pauses(base + timedelta(days=extra), pauses)


@dataclass(frozen=True)
class ScheduledMilestone:
    milestone: Milestone
    due: date


def schedule(
    programme: Programme,
    start: date,
    pauses: Sequence[Pause] = (),
    extensions: Sequence[Extension] = (),
    *,
    planned_end: date | None = None,
) -> tuple[ScheduledMilestone, ...]:
    """Due dates for every milestone, in order; those set at the end move with extensions."""
    end = expected_end(start, programme.length_weeks, pauses, extensions, planned_end=planned_end)
    return tuple(
        ScheduledMilestone(m, end if m.week == programme.length_weeks else milestone_due(start, m.week, pauses))
        for m in programme.milestones_in_order
    )


def format_date(value: date) -> str:
    return f"{value.day} {value:%b %Y}"


def check_dates(
    start: date | None, end: date | None, *, start_field: str = "start_date", end_field: str = "end_date"
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if start is None:
        errors[start_field] = "Enter the date the programme started."
    elif end is not None and end < start:
        errors[end_field] = f"The end date cannot be before the start date ({format_date(start)})."
    return errors


def check_pause(
    pause: Pause, *, enrolment_start: date, others: Iterable[Pause] = (), prefix: str = ""
) -> dict[str, str]:
    """Problems with one pause, checked against the pauses already recorded (`others`)."""
    errors: dict[str, str] = {}
    if pause.end < pause.start:
        errors[f"{prefix}end"] = "A pause cannot end before it starts."
    if pause.start < enrolment_start:
        errors[f"{prefix}start"] = (
            f"A pause cannot begin before the programme started on {format_date(enrolment_start)}."
        )
    else:
        clash = next((o for o in _in_order(others) if o.overlaps(pause)), None)
        if clash is not None and pause.end >= pause.start:
            errors[f"{prefix}start"] = (
                f"This overlaps the pause from {format_date(clash.start)} to {format_date(clash.end)}"
                + (f" ({clash.reason})" if clash.reason else "")
                + "; change that one instead."
            )
    if not pause.reason.strip():
        errors[f"{prefix}reason"] = "Give a reason for the pause, such as sickness or parental leave."
    return errors


def check_pauses(pauses: Sequence[Pause], enrolment_start: date) -> dict[str, str]:
    """Problems across a list of pauses, keyed `pauses[i].field`."""
    errors: dict[str, str] = {}
    for i, pause in enumerate(pauses):
        errors.update(
            check_pause(pause, enrolment_start=enrolment_start, others=pauses[:i], prefix=f"pauses[{i}].")
        )
    return errors


def check_extension(extension: Extension) -> dict[str, str]:
    errors: dict[str, str] = {}
    if extension.weeks < 0 or extension.days < 0 or extension.total_days <= 0:
        errors["length"] = "An extension must add time: enter a positive number of weeks or days."
    if not extension.reason.strip():
        errors["reason"] = "Give a reason for the extension."
    return errors


# --- Milestone status ---------------------------------------------------------------------------


class MilestoneStatus(StrEnum):
    UPCOMING = "upcoming"
    DUE = "due"
    OVERDUE = "overdue"
    HELD = "held"

    @property
    def label(self) -> str:
        return self.value.capitalize()


def milestone_status(due: date, today: date, *, held: bool = False) -> MilestoneStatus:
    if held:
        return MilestoneStatus.HELD
    if today < due:
        return MilestoneStatus.UPCOMING
    if today < due + timedelta(days=DUE_WINDOW_DAYS):
        return MilestoneStatus.DUE
    return MilestoneStatus.OVERDUE


# --- Progress -----------------------------------------------------------------------------------


def _fraction(done: int, total: int, what: str) -> float:
    if total < 0 or done < 0 or done > total:
        raise ValueError(f"{what}: {done} of {total} is not a valid count")
    return done / total if total else 0.0


def overall_progress(
    competencies_signed: int, competencies_total: int, milestones_held: int, milestones_total: int
) -> float:
    """Percent complete, from what has been achieved and recorded, never from the calendar.

    Competency sign-off carries 0.7 and milestones held 0.3: sign-off is what the programme
    certifies, while meetings and reviews are the support around it, necessary but not the
    outcome. Time elapsed is deliberately left out: someone 80% of the way through the calendar
    with little signed off has not made 80% progress, and counting time would hide exactly the
    people who need help. Compare with `expected_progress_by_now` instead. When one part has
    nothing to count its weight passes to the other; with nothing at all the answer is 0.
    """
    competencies = _fraction(competencies_signed, competencies_total, "competencies")
    milestones = _fraction(milestones_held, milestones_total, "milestones")
    if competencies_total and milestones_total:
        value = COMPETENCY_WEIGHT * competencies + MILESTONE_WEIGHT * milestones
    elif competencies_total:
        value = competencies
    else:
        value = milestones
    return 100.0 * value


def _paused_days_between(first: date, stop: date, pauses: Iterable[Pause]) -> int:
    """Pause days falling on `first` .. `stop - 1`."""
    total = 0
    for pause in pauses:
        lo = max(first, pause.start)
        hi = min(stop - timedelta(days=1), pause.end)
        if hi >= lo:
            total += (hi - lo).days + 1
    return total


def _active_days(start: date, stop: date, pauses: Iterable[Pause]) -> int:
    if stop <= start:
        return 0
    return (stop - start).days - _paused_days_between(start, stop, pauses)


def expected_progress_by_now(start: date, end: date, today: date, pauses: Iterable[Pause] = ()) -> float:
    """Percent of the programme's working time used up by `today`; paused days don't count."""
    if end < start:
        raise ValueError("the programme cannot end before it starts")
    pauses = list(pauses)
    total = _active_days(start, end, pauses)
    if total <= 0:
        return 100.0 if today >= end else 0.0
    elapsed = _active_days(start, min(today, end), pauses)
    return 100.0 * elapsed / total


def expected_protected_hours(
    start: date,
    today: date,
    hours_per_week: float,
    pauses: Iterable[Pause] = (),
    end: date | None = None,
) -> float:
    """Protected learning time owed by `today`, counted in completed unpaused weeks.

    Whole weeks, so a protected day late in the week is not reported missing on Monday.
    Nothing is owed before the start, during a pause, or after `end` (the expected end).
    """
    stop = today if end is None else min(today, end)
    return (_active_days(start, stop, list(pauses)) // 7) * hours_per_week


def protected_time_shortfall(expected: float, logged: float) -> float:
    return round(max(0.0, expected - logged), 2)


def behind_reasons(
    *,
    milestones_overdue: int = 0,
    competencies_signed: int = 0,
    competencies_total: int = 0,
    time_elapsed_percent: float = 0.0,
    protected_hours_expected: float = 0.0,
    protected_hours_logged: float = 0.0,
    sign_off_tolerance: float = SIGN_OFF_TOLERANCE,
    protected_tolerance_hours: float = 0.0,
) -> list[str]:
    """Why a learner looks behind, in words for the progress screen; empty when on track."""
    reasons: list[str] = []
    if milestones_overdue > 0:
        plural = "milestone" if milestones_overdue == 1 else "milestones"
        reasons.append(f"{milestones_overdue} {plural} overdue")
    if competencies_total > 0:
        signed = 100.0 * _fraction(competencies_signed, competencies_total, "competencies")
        if signed + sign_off_tolerance < time_elapsed_percent:
            reasons.append(
                f"competency sign-off {signed:.0f}% against {time_elapsed_percent:.0f}% of time elapsed"
            )
    shortfall = protected_time_shortfall(protected_hours_expected, protected_hours_logged)
    if shortfall > protected_tolerance_hours and shortfall > 0:
        reasons.append(
            f"protected time {shortfall:.1f} h short of the {protected_hours_expected:.1f} h expected by now"
        )
    return reasons


# --- One person's enrolment --------------------------------------------------------------------


class EnrolmentStatus(StrEnum):
    """Where an enrolment stands, for lists and filters; `behind_reasons` says why."""

    NOT_STARTED = "not-started"
    ON_TRACK = "on-track"
    BEHIND = "behind"
    PAUSED = "paused"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return _ENROLMENT_LABELS[self]


_ENROLMENT_LABELS = {
    EnrolmentStatus.NOT_STARTED: "Not started yet",
    EnrolmentStatus.ON_TRACK: "On track",
    EnrolmentStatus.BEHIND: "Behind",
    EnrolmentStatus.PAUSED: "Paused",
    EnrolmentStatus.COMPLETED: "Completed",
    EnrolmentStatus.WITHDRAWN: "Withdrawn",
}


def pause_on(day: date, pauses: Iterable[Pause]) -> Pause | None:
    """The pause covering `day`, if any."""
    return next((p for p in pauses if p.start <= day <= p.end), None)


def enrolment_status(
    *,
    start: date,
    today: date,
    completed: bool = False,
    withdrawn: bool = False,
    pauses: Iterable[Pause] = (),
    reasons: Sequence[str] = (),
) -> EnrolmentStatus:
    """Finished states first, then a pause (nobody is 'behind' while the clock is stopped)."""
    if completed:
        return EnrolmentStatus.COMPLETED
    if withdrawn:
        return EnrolmentStatus.WITHDRAWN
    if today < start:
        return EnrolmentStatus.NOT_STARTED
    if pause_on(today, pauses) is not None:
        return EnrolmentStatus.PAUSED
    return EnrolmentStatus.BEHIND if reasons else EnrolmentStatus.ON_TRACK
