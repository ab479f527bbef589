"""Supervision: which kinds each role needs, how often, and whether arrangements keep up.

The catalogue is data (`resources/supervision/types.json`). It is validated once with pydantic
and then indexed into plain slotted objects, because the supervision matrix evaluates thousands
of cells per refresh: nothing below the catalogue builds a model or runs a regex per call.
"""

from __future__ import annotations

import enum
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Annotated, Literal, NamedTuple, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StringConstraints, model_validator

from arrs_desk.domain.dates import add_months  # noqa: F401  (re-exported for callers)
from arrs_desk.domain.datafiles import load_data_file

ANY_ROLE = "*"
"""In a rule's `roles`: every role that no other rule of the same type names."""

SlugCode = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,31}$")]
RoleRef = Annotated[str, StringConstraints(pattern=r"^(\*|[A-Z][A-Z0-9-]{0,23})$")]
Months = Annotated[int, Field(ge=0, le=600)]

K = TypeVar("K", bound=Hashable)

# --------------------------------------------------------------------------- calendar arithmetic



def months_in_post(start: date, today: date) -> int:
    """Whole months completed, counted the same way as `add_months` so schedules line up.

    Before the start date this is 0: the first step of a schedule is what will apply.
    """
    if today <= start:
        return 0
    months = (today.year - start.year) * 12 + today.month - start.month
    if add_months(start, months) > today:
        months -= 1
    return months


@dataclass(frozen=True, slots=True)
class Frequency:
    """An interval in either days or calendar months (exactly one is non-zero)."""

    code: str
    label: str
    days: int = 0
    months: int = 0

    def __post_init__(self) -> None:
        if (self.days > 0) == (self.months > 0) or self.days < 0 or self.months < 0:
            raise ValueError(f"frequency {self.code!r} needs exactly one positive interval")

    def next_due(self, last: date) -> date:
        return add_months(last, self.months) if self.months else last + timedelta(days=self.days)

    @property
    def approx_days(self) -> float:
        """For sorting and comparing intervals of different units only."""
        return self.months * 30.4375 if self.months else float(self.days)


def next_due(last: date, frequency: Frequency) -> date:
    return frequency.next_due(last)


# --------------------------------------------------------------------------- catalogue file


class FrequencyDefinition(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: SlugCode
    label: Annotated[str, StringConstraints(min_length=1, max_length=60)]
    days: Annotated[int, Field(ge=1, le=3660)] | None = None
    months: Annotated[int, Field(ge=1, le=120)] | None = None

    @model_validator(mode="after")
    def _one_interval(self) -> "FrequencyDefinition":
        if (self.days is None) == (self.months is None):
            raise ValueError(f"frequency {self.code!r} must give exactly one of 'days' or 'months'")
        return self

    def to_frequency(self) -> Frequency:
        return Frequency(self.code, self.label, days=self.days or 0, months=self.months or 0)


class ScheduleStep(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    from_month: Months
    frequency: SlugCode


class RequirementRule(BaseModel):
    """Per-role rule. `until_month` ends it (exclusive), for supervision tied to a programme."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    roles: Annotated[tuple[RoleRef, ...], Field(min_length=1)]
    required: bool
    schedule: Annotated[tuple[ScheduleStep, ...], Field(min_length=1)]
    until_month: Annotated[int, Field(ge=1, le=600)] | None = None
    note: Annotated[str, StringConstraints(max_length=500)] = ""

    @model_validator(mode="after")
    def _consistent(self) -> "RequirementRule":
        if len(set(self.roles)) != len(self.roles):
            raise ValueError("roles: a role code is listed twice")
        if ANY_ROLE in self.roles and len(self.roles) > 1:
            raise ValueError("roles: '*' must stand alone, since it means every other role")
        for i in range(1, len(self.schedule)):
            if self.schedule[i].from_month <= self.schedule[i - 1].from_month:
                raise ValueError(f"schedule[{i}].from_month: must be later than the step before it")
        if self.until_month is not None and self.until_month <= self.schedule[-1].from_month:
            raise ValueError("until_month: must be later than the last schedule step's from_month")
        return self


class SupervisionType(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: SlugCode
    title: Annotated[str, StringConstraints(min_length=1, max_length=80)]
    description: Annotated[str, StringConstraints(max_length=1000)] = ""
    requirements: tuple[RequirementRule, ...] = ()

    @model_validator(mode="after")
    def _no_overlap(self) -> "SupervisionType":
        seen: dict[str, int] = {}
        for i, rule in enumerate(self.requirements):
            for role in rule.roles:
                if role in seen:
                    who = "'*'" if role == ANY_ROLE else role
                    raise ValueError(
                        f"requirements[{i}].roles: {who} already has a rule in "
                        f"requirements[{seen[role]}] of type {self.code!r}; rules must not overlap"
                    )
                seen[role] = i
        return self


@dataclass(frozen=True, slots=True)
class RoleRequirement:
    """A rule resolved for lookups: frequency codes replaced by `Frequency` objects."""

    required: bool
    steps: tuple[tuple[int, Frequency], ...]
    until_month: int | None = None
    note: str = ""

    def frequency_at(self, months: int) -> Frequency | None:
        """Before the start (negative months) the first step applies, for planning ahead."""
        if months < 0:
            months = 0
        if self.until_month is not None and months >= self.until_month:
            return None
        found = None
        for from_month, frequency in self.steps:
            if from_month > months:
                break
            found = frequency
        return found


class SupervisionCatalogue(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_name: Literal["arrs-desk/supervision-types"] = Field(alias="schema")
    version: Annotated[int, Field(ge=1)]
    frequencies: Annotated[tuple[FrequencyDefinition, ...], Field(min_length=1)]
    types: Annotated[tuple[SupervisionType, ...], Field(min_length=1)]

    _frequencies: dict[str, Frequency] = PrivateAttr(default_factory=dict)
    _types: dict[str, SupervisionType] = PrivateAttr(default_factory=dict)
    _rules: dict[tuple[str, str], RoleRequirement] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> "SupervisionCatalogue":
        frequencies: dict[str, Frequency] = {}
        for i, definition in enumerate(self.frequencies):
            if definition.code in frequencies:
                raise ValueError(f"frequencies[{i}].code: {definition.code!r} is listed twice")
            frequencies[definition.code] = definition.to_frequency()
        types: dict[str, SupervisionType] = {}
        rules: dict[tuple[str, str], RoleRequirement] = {}
        for t, stype in enumerate(self.types):
            if stype.code in types:
                raise ValueError(f"types[{t}].code: {stype.code!r} is listed twice")
            types[stype.code] = stype
            for r, rule in enumerate(stype.requirements):
                steps = []
                for s, step in enumerate(rule.schedule):
                    frequency = frequencies.get(step.frequency)
                    if frequency is None:
                        raise ValueError(
                            f"types[{t}].requirements[{r}].schedule[{s}].frequency: unknown "
                            f"frequency {step.frequency!r} (known: {', '.join(frequencies)})"
                        )
                    steps.append((step.from_month, frequency))
                resolved = RoleRequirement(rule.required, tuple(steps), rule.until_month, rule.note)
                for role in rule.roles:
                    rules[(stype.code, role)] = resolved
        self._frequencies = frequencies
        self._types = types
        self._rules = rules
        return self

    @property
    def type_codes(self) -> tuple[str, ...]:
        """In file order, which is the matrix's column order."""
        return tuple(self._types)

    def frequency(self, code: str) -> Frequency | None:
        return self._frequencies.get(code)

    def type(self, code: str) -> SupervisionType | None:
        return self._types.get(code)

    def requirement(self, type_code: str, role_code: str) -> RoleRequirement | None:
        """The rule for a role, falling back to the type's '*' rule; None if neither exists."""
        rules = self._rules
        found = rules.get((type_code, role_code))
        return found if found is not None else rules.get((type_code, ANY_ROLE))


@cache
def builtin_supervision_catalogue() -> SupervisionCatalogue:
    from arrs_desk.paths import resource_path

    return load_data_file(SupervisionCatalogue, resource_path("supervision", "types.json"))


def expected_frequency(
    catalogue: SupervisionCatalogue, type_code: str, role_code: str, months_in_post: int
) -> Frequency | None:
    """None means nothing is expected now: no rule, before the schedule starts, or after it ends.

    An unknown type code also gives None, so that local types without rules show as optional.
    """
    rule = catalogue.requirement(type_code, role_code)
    return None if rule is None else rule.frequency_at(months_in_post)


def rule_changes(catalogue: SupervisionCatalogue, role_code: str) -> tuple[int, ...]:
    """The months in post at which any of the role's rules changes (a schedule step begins, or the
    rule ends), in order. Between two of them, and past the last, `expected_frequency` and
    `is_required` give the role the same answer for every type of the catalogue."""
    months: set[int] = set()
    for code in catalogue.type_codes:
        rule = catalogue.requirement(code, role_code)
        if rule is not None:
            months.update(from_month for from_month, _ in rule.steps)
            if rule.until_month is not None:
                months.add(rule.until_month)
    return tuple(sorted(months))


def is_required(
    catalogue: SupervisionCatalogue, type_code: str, role_code: str, months_in_post: int
) -> bool:
    """Required only while the rule's schedule applies, so finished programmes drop out."""
    rule = catalogue.requirement(type_code, role_code)
    return rule is not None and rule.required and rule.frequency_at(months_in_post) is not None


# --------------------------------------------------------------------------- compliance


class ComplianceStatus(enum.StrEnum):
    IN_DATE = "in-date"
    DUE_SOON = "due-soon"
    OVERDUE = "overdue"
    NEVER_HELD = "never-held"
    NOT_ARRANGED = "not-arranged"
    ENDED = "ended"
    SUPERVISOR_LEFT = "supervisor-left"
    NOT_STARTED = "not-started"
    """Arranged to begin on a later day: it covers nothing until then (not live for a cell)."""
    NOT_APPLICABLE = "not-applicable"
    """Not required and nothing arranged: an empty cell, not a problem."""


STATUS_SEVERITY: dict[ComplianceStatus, int] = {
    ComplianceStatus.NOT_APPLICABLE: 0,
    ComplianceStatus.ENDED: 1,
    ComplianceStatus.NOT_STARTED: 1,
    ComplianceStatus.IN_DATE: 2,
    ComplianceStatus.DUE_SOON: 3,
    ComplianceStatus.OVERDUE: 4,
    ComplianceStatus.NEVER_HELD: 5,
    ComplianceStatus.SUPERVISOR_LEFT: 6,
    ComplianceStatus.NOT_ARRANGED: 7,
}
"""Higher needs action sooner. Never-held ranks above overdue: that person has had none at all."""

_LABELS = {
    ComplianceStatus.IN_DATE: "In date",
    ComplianceStatus.DUE_SOON: "Due soon",
    ComplianceStatus.OVERDUE: "Overdue",
    ComplianceStatus.NEVER_HELD: "Never held",
    ComplianceStatus.NOT_ARRANGED: "Not arranged",
    ComplianceStatus.ENDED: "Ended",
    ComplianceStatus.SUPERVISOR_LEFT: "Supervisor left",
    ComplianceStatus.NOT_STARTED: "Not started yet",
    ComplianceStatus.NOT_APPLICABLE: "Not required",
}


def status_label(status: ComplianceStatus) -> str:
    return _LABELS[status]


class ArrangementCompliance(NamedTuple):
    """Where one arrangement stands: a named tuple, made for every arrangement of a PCN on every fresh
    read of the matrix (13,000 at 5,000 staff)."""

    status: ComplianceStatus
    last_session: date | None
    next_due: date | None
    days_overdue: int = 0


def arrangement_status(
    *,
    today: date,
    arrangement_start: date,
    arrangement_end: date | None,
    frequency: Frequency | None,
    last_session: date | None,
    supervisor_active: bool,
    due_soon_days: int = 7,
    person_start: date | None = None,
) -> ArrangementCompliance:
    """Where one arrangement stands today.

    `last_session` is the person's latest session of this type under any arrangement, so a
    change of supervisor does not reset the clock. With none, the first session falls due one
    interval after the arrangement starts; until then the arrangement is in date or due soon,
    and only after that date does it become NEVER_HELD. Due today counts as due soon; overdue
    starts the next day. An arrangement whose end date has passed is ENDED (an end date of
    today still counts). A supervisor who has left makes a live arrangement SUPERVISOR_LEFT
    whatever its dates, because nobody can hold the next session; next_due and days_overdue
    are still filled in. With no frequency nothing can fall due, so the arrangement is in date.

    An arrangement that begins after today is NOT_STARTED, and covers nothing yet: someone 22
    months in post with no supervision showed "In date" the day an arrangement starting in three
    months was made. One that begins on or before the person's own start date (`person_start`)
    covers them from their first day, so a starter's arrangement made ahead of day one counts.
    """
    phase = arrangement_phase(today, arrangement_start, arrangement_end, person_start)
    if phase is ComplianceStatus.ENDED:
        return ArrangementCompliance(ComplianceStatus.ENDED, last_session, None, 0)
    if phase is ComplianceStatus.NOT_STARTED:
        due = frequency.next_due(last_session if last_session is not None else arrangement_start) \
            if frequency is not None else None
        return ArrangementCompliance(ComplianceStatus.NOT_STARTED, last_session, due, 0)
    if frequency is None:
        status = ComplianceStatus.IN_DATE if supervisor_active else ComplianceStatus.SUPERVISOR_LEFT
        return ArrangementCompliance(status, last_session, None, 0)
    due = frequency.next_due(last_session if last_session is not None else arrangement_start)
    days_left = (due - today).days
    overdue = -days_left if days_left < 0 else 0
    if not supervisor_active:
        status = ComplianceStatus.SUPERVISOR_LEFT
    elif overdue:
        status = ComplianceStatus.OVERDUE if last_session is not None else ComplianceStatus.NEVER_HELD
    elif days_left <= due_soon_days:
        status = ComplianceStatus.DUE_SOON
    else:
        status = ComplianceStatus.IN_DATE
    return ArrangementCompliance(status, last_session, due, overdue)


def arrangement_phase(today: date, arrangement_start: date, arrangement_end: date | None,
                      person_start: date | None) -> ComplianceStatus | None:
    """ENDED or NOT_STARTED when an arrangement's dates alone decide it today (`arrangement_status`),
    None while it is live. Past this, `arrangement_status` reads the start only for the first due
    date of an arrangement with no session held, so the matrix can share the answer of arrangements
    whose phase, last session and (where read) start are equal."""
    if arrangement_end is not None and arrangement_end < today:
        return ComplianceStatus.ENDED
    if arrangement_start > today and (person_start is None or arrangement_start > person_start):
        return ComplianceStatus.NOT_STARTED
    return None


def best_arrangement(arrangements: Iterable[ArrangementCompliance]) -> ArrangementCompliance | None:
    """The live arrangement in the best state (later next-due wins a tie); ended ones, and ones not
    started yet, never count."""
    severity = STATUS_SEVERITY
    ended, not_started = ComplianceStatus.ENDED, ComplianceStatus.NOT_STARTED
    best: ArrangementCompliance | None = None
    best_rank = 0
    for item in arrangements:
        if item.status is ended or item.status is not_started:
            continue
        rank = severity[item.status]
        if (
            best is None
            or rank < best_rank
            or (
                rank == best_rank
                and best.next_due is not None
                and (item.next_due is None or item.next_due > best.next_due)
            )
        ):
            best, best_rank = item, rank
    return best


def cell_status(required: bool, arrangements: Iterable[ArrangementCompliance]) -> ComplianceStatus:
    """One matrix cell: one person, one type, any number of arrangements.

    A second, working arrangement covers for a broken one, so the best live one decides.
    """
    return decided_cell(required, arrangements)[0]


def decided_cell(required: bool, arrangements: Iterable[ArrangementCompliance]
                 ) -> tuple[ComplianceStatus, ArrangementCompliance | None]:
    """`cell_status` and the arrangement that decided it (None when none is live), found in one pass
    for the matrix, which needs both for every cell."""
    items = arrangements if isinstance(arrangements, (list, tuple)) else list(arrangements)
    best = best_arrangement(items)
    if best is not None:
        return best.status, best
    if required:
        return ComplianceStatus.NOT_ARRANGED, None
    ended = any(i.status is ComplianceStatus.ENDED for i in items)
    return (ComplianceStatus.ENDED if ended else ComplianceStatus.NOT_APPLICABLE), None


def supervisor_hours(
    sessions: Iterable[tuple[K, date, int | None, int]],
    period_start: date,
    period_end: date,
) -> dict[K, float]:
    """Hours each supervisor spent supervising between the two dates (both included).

    Rows are attendances, as a session-to-attendee join yields: a group session with four
    attendees arrives as four rows each with attendee_count 4, and each row carries a quarter
    of the time, so the supervisor is credited once. A count below 1 is read as 1; a missing
    duration credits nothing. Hours are rounded to two decimal places.
    """
    minutes: dict[K, float] = {}
    get = minutes.get
    for supervisor, day, duration, attendees in sessions:
        if duration is None or day < period_start or day > period_end:
            continue
        share = duration / attendees if attendees > 1 else duration
        minutes[supervisor] = get(supervisor, 0.0) + share
    return {key: round(total / 60.0, 2) for key, total in minutes.items()}


# --------------------------------------------------------------------------- the PCN's own rules


def with_overrides(
    catalogue: SupervisionCatalogue, overrides: dict[tuple[str, str], RoleRequirement]
) -> SupervisionCatalogue:
    """The built-in catalogue with the PCN's edited (type, role) rules laid over it.

    An override names one role, so it wins over the type's '*' rule for that role only. The
    built-in catalogue is cached and shared, so the copy gets its own rule table.
    """
    if not overrides:
        return catalogue
    merged = catalogue.model_copy()
    merged._rules = {**catalogue._rules, **overrides}
    return merged


def schedule_problem(
    steps: Iterable[tuple[int, str]], until_month: int | None, known_frequencies: Iterable[str]
) -> str | None:
    """Why an edited schedule cannot be saved, in words for the person editing it; None if fine.

    The same rules the catalogue file obeys: a first step from month 0, later steps strictly
    later, known frequencies, and an end after the last step.
    """
    known = set(known_frequencies)
    steps = list(steps)
    if not steps:
        return "Choose how often this supervision is expected."
    if steps[0][0] != 0:
        return "The first frequency must apply from the start date (month 0)."
    for i, (from_month, code) in enumerate(steps):
        if code not in known:
            return f"'{code}' is not a known frequency."
        if i and from_month <= steps[i - 1][0]:
            return "A change of frequency must come after the one before it; enter a later month."
        if not 0 <= from_month <= 600:
            return "Months in post must be between 0 and 600."
    if until_month is not None and until_month <= steps[-1][0]:
        return "The end of the requirement must come after the last change of frequency."
    return None


def schedule_summary(catalogue: SupervisionCatalogue, required: bool, steps: Iterable[tuple[int, str]],
                     until_month: int | None) -> str:
    """A (type, role) rule in one line for the settings table: "Required: monthly, then every
    3 months from month 12; ends after 24 months". An unknown frequency code is shown as it is."""
    parts = []
    for i, (from_month, code) in enumerate(steps):
        frequency = catalogue.frequency(code)
        label = frequency.label if frequency else code
        parts.append(label if i == 0 else f"{label.lower()} from month {from_month}")
    text = ", then ".join(parts)
    if until_month is not None:
        text += f"; ends after {until_month} months"
    return f"{'Required' if required else 'Optional'}: {text}"


DEFAULT_DUE_SOON_DAYS = 7
"""How many days before its due date supervision shows as "due soon" until the PCN chooses."""
MAX_DUE_SOON_DAYS = 60


def due_soon_problem(days: object) -> str | None:
    """Why a "due soon" window cannot be saved; None if it can."""
    if isinstance(days, int) and 0 <= days <= MAX_DUE_SOON_DAYS:
        return None
    return f"The 'due soon' warning must be between 0 and {MAX_DUE_SOON_DAYS} days before the due date."


def due_soon_days(stored: object) -> int:
    """The window in force: the PCN's stored choice, or the default when none (or no valid one) is stored."""
    return stored if due_soon_problem(stored) is None else DEFAULT_DUE_SOON_DAYS


# --------------------------------------------------------------------------- session vocabulary


class SessionFormat(enum.StrEnum):
    ONE_TO_ONE = "one-to-one"
    GROUP = "group"
    REMOTE = "remote"

    @property
    def label(self) -> str:
        return _FORMAT_LABELS[self]


_FORMAT_LABELS = {
    SessionFormat.ONE_TO_ONE: "One-to-one",
    SessionFormat.GROUP: "Group",
    SessionFormat.REMOTE: "Remote (video or phone)",
}
