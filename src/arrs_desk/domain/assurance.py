"""Assurance and retention rules: the Network Contract's checks, "what matters to me" check-ins,
small-group suppression and 12-month retention. Plain facts in, plain answers out (no Qt, no store).

Checks (resources/assurance/checks.json) are evaluated per person from `PersonFacts` gathered by
`services.assurance`; each gives met, not met or not applicable with the reason in words and the
page holding the evidence, so a clinical director can act on it and a commissioner can read it.

Retention, defined precisely (a person's first anniversary is start + 12 months by `add_months`,
so someone who started on 29 February reaches it on 28 February):
- *Starters* in the year: people whose start date falls in the 12 months up to and including today
  (`dates.months_window_start`): started by today, first anniversary still to come.
- *Leavers* in the year: people whose end date falls in the same 12 months (with their reasons).
- *12-month retention* of a group counts only people who have reached their first anniversary
  (start + 12 months on or before today), so everyone counted has had the chance to complete a
  year. Of those, a person is *retained* when they had not left by the day before their first
  anniversary (no end date, or an end date on or after it), and *lost* when their end date is
  earlier. Rate = retained / (retained + lost). People who have not reached their first
  anniversary, or have not started, are reported as *too recent* and are neither retained nor lost.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import cache
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints, model_validator

from arrs_desk.domain.datafiles import parse_data
from arrs_desk.domain.dates import add_months, months_window_start
from arrs_desk.errors import ResourceFileError
from arrs_desk.paths import resource_path

MIN_GROUP = 5
"""Summaries of check-in answers never show a group with fewer people than this."""
SUPPRESSED_TEXT = f"fewer than {MIN_GROUP} responses: not shown"

Text = Annotated[str, StringConstraints(min_length=1, max_length=400)]
Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,39}$")]


# ============================================================================ check definitions
class CheckDefinition(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: Key
    kind: Literal["supervision", "review", "probation", "registration", "pathway", "engagement", "induction-tag"]
    title: Text
    short: Annotated[str, StringConstraints(min_length=1, max_length=20)]
    description: Text
    evidence: Literal["Supervision", "Reviews", "Staff", "Programmes", "Induction"]
    months: int | None = None
    tag: Key | None = None

    @model_validator(mode="after")
    def _needs(self) -> "CheckDefinition":
        if self.kind == "induction-tag" and not self.tag:
            raise ValueError("an induction-tag check needs a tag")
        if self.kind in ("review", "probation", "engagement") and not self.months:
            raise ValueError(f"a {self.kind} check needs months")
        return self


class CheckFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_: Literal["arrs-desk/assurance-checks"] = None  # type: ignore[assignment]
    version: int
    checks: tuple[CheckDefinition, ...]

    @model_validator(mode="before")
    @classmethod
    def _rename(cls, data):
        if isinstance(data, dict) and "schema" in data:
            data = {**data, "schema_": data["schema"]}
            data.pop("schema")
        return data

    @model_validator(mode="after")
    def _unique(self) -> "CheckFile":
        codes = [c.code for c in self.checks]
        if len(codes) != len(set(codes)):
            raise ValueError("check codes must be unique")
        return self


def _load(name: str) -> object:
    path = resource_path("assurance", name)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ResourceFileError(f"{path} could not be read: {exc}") from None


@cache
def builtin_checks() -> tuple[CheckDefinition, ...]:
    return parse_data(CheckFile, _load("checks.json"), source="assurance/checks.json").checks


# ============================================================================ evaluation
class CheckStatus(StrEnum):
    MET = "met"
    NOT_MET = "not-met"
    NOT_APPLICABLE = "na"

    @property
    def label(self) -> str:
        return {"met": "Met", "not-met": "Not met", "na": "N/A"}[self.value]


@dataclass(frozen=True, slots=True)
class PersonFacts:
    """What the records say about one person, as far as the checks need."""

    staff_id: int
    start_date: date
    end_date: date | None = None
    temporary_cover: bool = False
    registration_required: bool = False
    registration_renewal: date | None = None
    supervision_status: str | None = None
    """The clinical supervision compliance value (domain.supervision.ComplianceStatus), None if not required."""
    supervision_last: date | None = None
    supervision_overdue_days: int = 0
    reviews_recorded: bool = True
    last_review_held: date | None = None
    probation_held: bool = False
    programmes_recorded: bool = True
    pathway_statuses: tuple[str, ...] = ()
    """Statuses of the person's programme enrolments (domain.programmes.EnrolmentStatus values)."""
    role_has_pathway: bool = False
    induction_tags: dict[str, tuple[int, int]] | None = None
    """tag -> (items, items complete or not applicable); None when there is no induction checklist."""


@dataclass(frozen=True, slots=True)
class CheckResult:
    code: str
    status: CheckStatus
    reason: str
    evidence: str
    """The page that holds the record behind the answer."""


def _uk(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _in_post_months(facts: PersonFacts, today: date, months: int) -> bool:
    return add_months(facts.start_date, months) <= today


def _supervision(c: CheckDefinition, f: PersonFacts, today: date) -> tuple[CheckStatus, str]:
    s = f.supervision_status
    if s is None or s == "not-applicable":
        return CheckStatus.NOT_APPLICABLE, "Clinical supervision is not required for this role"
    if s in ("in-date", "due-soon"):
        return CheckStatus.MET, f"Supervisor arranged; last session {_uk(f.supervision_last)}"
    if s == "overdue":
        return CheckStatus.NOT_MET, f"Session overdue by {f.supervision_overdue_days} days (last {_uk(f.supervision_last) or 'none'})"
    if s == "never-held":
        return CheckStatus.NOT_MET, "Supervisor arranged but no session recorded"
    if s == "supervisor-left":
        return CheckStatus.NOT_MET, "The named supervisor has left; arrange a new one"
    return CheckStatus.NOT_MET, "No clinical supervisor arranged"


def _review(c: CheckDefinition, f: PersonFacts, today: date) -> tuple[CheckStatus, str]:
    if not f.reviews_recorded:
        return CheckStatus.NOT_APPLICABLE, "Not applicable: reviews not recorded yet"
    if not _in_post_months(f, today, c.months or 12):
        return CheckStatus.NOT_APPLICABLE, f"In post less than {c.months} months"
    if f.last_review_held and add_months(f.last_review_held, c.months or 12) > today:
        return CheckStatus.MET, f"Last review held {_uk(f.last_review_held)}"
    if f.last_review_held:
        return CheckStatus.NOT_MET, f"Last review held {_uk(f.last_review_held)}, more than {c.months} months ago"
    return CheckStatus.NOT_MET, "No review or appraisal recorded"


def _probation(c: CheckDefinition, f: PersonFacts, today: date) -> tuple[CheckStatus, str]:
    if not f.reviews_recorded:
        return CheckStatus.NOT_APPLICABLE, "Not applicable: reviews not recorded yet"
    if f.probation_held:
        return CheckStatus.MET, "Probation review held"
    if not _in_post_months(f, today, c.months or 6):
        return CheckStatus.NOT_APPLICABLE, f"Probation review not due until {_uk(add_months(f.start_date, c.months or 6))}"
    return CheckStatus.NOT_MET, "No probation review recorded"


def _registration(c: CheckDefinition, f: PersonFacts, today: date) -> tuple[CheckStatus, str]:
    if not f.registration_required:
        return CheckStatus.NOT_APPLICABLE, "The role does not require professional registration"
    if f.registration_renewal is None:
        return CheckStatus.NOT_MET, "No registration renewal date recorded"
    if f.registration_renewal < today:
        return CheckStatus.NOT_MET, f"Registration renewal was due {_uk(f.registration_renewal)}"
    return CheckStatus.MET, f"Registered; renewal due {_uk(f.registration_renewal)}"


def _pathway(c: CheckDefinition, f: PersonFacts, today: date) -> tuple[CheckStatus, str]:
    if not f.programmes_recorded:
        return CheckStatus.NOT_APPLICABLE, "Not applicable: programmes not recorded yet"
    if "completed" in f.pathway_statuses:
        return CheckStatus.MET, "Pathway completed"
    if any(s not in ("withdrawn", "completed") for s in f.pathway_statuses):
        return CheckStatus.MET, "Enrolled on a pathway"
    if f.pathway_statuses:
        return CheckStatus.NOT_MET, "Withdrawn from the pathway and not re-enrolled"
    if not f.role_has_pathway:
        return CheckStatus.NOT_APPLICABLE, "No training pathway is set up for this role"
    return CheckStatus.NOT_MET, "Not enrolled on the role's training pathway"


def _engagement(c: CheckDefinition, f: PersonFacts, today: date) -> tuple[CheckStatus, str]:
    if f.temporary_cover:
        return CheckStatus.NOT_APPLICABLE, "Marked as temporary cover"
    months = c.months or 6
    if f.end_date is None:
        return CheckStatus.MET, "Open-ended engagement"
    if f.end_date >= add_months(f.start_date, months) - timedelta(days=1):
        return CheckStatus.MET, f"Engaged until {_uk(f.end_date)}"
    return CheckStatus.NOT_MET, f"Engagement ends {_uk(f.end_date)}, less than {months} months after starting"


def _induction_tag(c: CheckDefinition, f: PersonFacts, today: date) -> tuple[CheckStatus, str]:
    if f.induction_tags is None:
        return CheckStatus.NOT_MET, "Not confirmed: no induction checklist recorded"
    total, done = f.induction_tags.get(c.tag or "", (0, 0))
    if total == 0:
        return CheckStatus.NOT_APPLICABLE, "No induction item covers this for the role"
    if done >= total:
        return CheckStatus.MET, f"Confirmed in induction ({total} of {total} items)"
    return CheckStatus.NOT_MET, f"{total - done} of {total} induction items still open"


_RULES = {
    "supervision": _supervision, "review": _review, "probation": _probation, "registration": _registration,
    "pathway": _pathway, "engagement": _engagement, "induction-tag": _induction_tag,
}


def evaluate(facts: PersonFacts, today: date, checks: Sequence[CheckDefinition] | None = None) -> tuple[CheckResult, ...]:
    """Every check for one person, in the order of the checks file."""
    results = []
    for check in checks if checks is not None else builtin_checks():
        status, reason = _RULES[check.kind](check, facts, today)
        results.append(CheckResult(check.code, status, reason, check.evidence))
    return tuple(results)


# ============================================================================ check-ins
class Statement(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    key: Key
    short: Annotated[str, StringConstraints(min_length=1, max_length=24)]
    text: Text


class CheckinConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_: Literal["arrs-desk/checkins"] = None  # type: ignore[assignment]
    version: int
    schedule_months: tuple[int, ...]
    repeat_every_months: int
    window_days: int
    scale: tuple[Text, Text, Text, Text, Text]
    statements: tuple[Statement, ...]

    @model_validator(mode="before")
    @classmethod
    def _rename(cls, data):
        if isinstance(data, dict) and "schema" in data:
            data = {**data, "schema_": data["schema"]}
            data.pop("schema")
        return data

    @model_validator(mode="after")
    def _valid(self) -> "CheckinConfig":
        if schedule_problem(self.schedule_months, self.repeat_every_months):
            raise ValueError(schedule_problem(self.schedule_months, self.repeat_every_months))
        if not 6 <= len(self.statements) <= 10:
            raise ValueError("between 6 and 10 statements")
        return self


@cache
def builtin_checkins() -> CheckinConfig:
    return parse_data(CheckinConfig, _load("checkins.json"), source="assurance/checkins.json")


def schedule_problem(months: Sequence[int], repeat: int) -> str | None:
    """Why an administrator's schedule cannot be used, or None."""
    if not months:
        return "Give at least one month."
    if any(m < 1 or m > 120 for m in months):
        return "Months in post must be between 1 and 120."
    if list(months) != sorted(set(months)):
        return "List the months in increasing order, each once."
    if repeat < 0 or repeat > 60:
        return "Repeat every 0 to 60 months (0: no repeats)."
    return None


class PointStatus(StrEnum):
    DONE = "done"
    DUE = "due"
    MISSED = "missed"
    UPCOMING = "upcoming"

    @property
    def label(self) -> str:
        return {"done": "Done", "due": "Due now", "missed": "Missed", "upcoming": "Upcoming"}[self.value]


@dataclass(frozen=True, slots=True)
class CheckinPoint:
    months: int
    due_on: date
    closes_on: date
    status: PointStatus


def schedule_months(months: Sequence[int], repeat: int, until_months: int) -> list[int]:
    """The months in post at which check-ins fall, up to `until_months`: the list, then every
    `repeat` months after its last entry."""
    points = [m for m in months if m <= until_months]
    if repeat and months:
        nxt = months[-1] + repeat
        while nxt <= until_months:
            points.append(nxt)
            nxt += repeat
    return points


def checkin_points(start: date, today: date, months: Sequence[int], repeat: int, window_days: int,
                   answered: Iterable[int] = ()) -> list[CheckinPoint]:
    """Every check-in up to today plus the next one. A check-in opens on its due date and stays
    open for `window_days` (or until the next one opens, whichever is sooner)."""
    done = set(answered)
    elapsed = (today.year - start.year) * 12 + today.month - start.month + 1
    plan = schedule_months(months, repeat, max(elapsed, 0) + max(repeat, max(months, default=1)) + 1)
    result: list[CheckinPoint] = []
    for index, m in enumerate(plan):
        due = add_months(start, m)
        closes = due + timedelta(days=window_days)
        if index + 1 < len(plan):
            closes = min(closes, add_months(start, plan[index + 1]))
        if m in done:
            status = PointStatus.DONE
        elif due > today:
            status = PointStatus.UPCOMING
        elif today < closes:
            status = PointStatus.DUE
        else:
            status = PointStatus.MISSED
        result.append(CheckinPoint(m, due, closes, status))
        if status is PointStatus.UPCOMING:
            break
    return result


def answer_problems(answers: dict[str, int], statements: Sequence[Statement]) -> dict[str, str]:
    problems = {}
    for s in statements:
        value = answers.get(s.key)
        if value is None:
            problems[s.key] = "Choose an answer."
        elif not (isinstance(value, int) and 1 <= value <= 5):
            problems[s.key] = "Answers are on a scale of 1 to 5."
    unknown = set(answers) - {s.key for s in statements}
    if unknown:
        problems["answers"] = f"Unknown statements: {', '.join(sorted(unknown))}"
    return problems


@dataclass(frozen=True, slots=True)
class GroupSummary:
    group: str
    people: int
    shown: bool
    averages: dict[str, float] = field(default_factory=dict)
    agree_share: dict[str, float] = field(default_factory=dict)
    """Share answering agree or strongly agree (4 or 5), per statement."""

    @property
    def note(self) -> str:
        return "" if self.shown else SUPPRESSED_TEXT


def summarise(responses: Iterable[tuple[str, int, dict[str, int]]], statements: Sequence[Statement],
              min_group: int = MIN_GROUP) -> list[GroupSummary]:
    """Anonymous summary by group from (group, person, answers), one response per person (the
    caller passes each person's latest). A group of fewer than `min_group` people is never shown,
    not even its count: a manager must not be able to work out who said what."""
    groups: dict[str, dict[int, dict[str, int]]] = {}
    for group, person, answers in responses:
        groups.setdefault(group, {})[person] = answers
    result = []
    for group in sorted(groups):
        people = groups[group]
        if len(people) < min_group:
            result.append(GroupSummary(group, 0, False))
            continue
        averages, agree = {}, {}
        for s in statements:
            values = [a[s.key] for a in people.values() if s.key in a]
            if values:
                averages[s.key] = round(sum(values) / len(values), 2)
                agree[s.key] = round(sum(1 for v in values if v >= 4) / len(values), 3)
        result.append(GroupSummary(group, len(people), True, averages, agree))
    return result


# ============================================================================ retention
@dataclass(frozen=True, slots=True)
class Tenure:
    start_date: date
    end_date: date | None
    leaving_reason: str = ""


@dataclass(frozen=True, slots=True)
class RetentionRow:
    group: str
    starters: int
    leavers: int
    retained: int
    lost: int
    too_recent: int
    leaving_reasons: tuple[tuple[str, int], ...]

    @property
    def rate(self) -> float | None:
        counted = self.retained + self.lost
        return self.retained / counted if counted else None

    @property
    def rate_text(self) -> str:
        return "no one yet" if self.rate is None else f"{round(self.rate * 100)}%"


def retention(group: str, people: Iterable[Tenure], today: date) -> RetentionRow:
    """One group's starters, leavers and 12-month retention, as defined in the module docstring."""
    year_start = months_window_start(today, 12)
    starters = leavers = retained = lost = too_recent = 0
    reasons: dict[str, int] = {}
    for p in people:
        if year_start <= p.start_date <= today:
            starters += 1
        if p.end_date is not None and year_start <= p.end_date <= today:
            leavers += 1
            reason = p.leaving_reason.strip() or "Not recorded"
            reasons[reason] = reasons.get(reason, 0) + 1
        anniversary = add_months(p.start_date, 12)
        if anniversary > today:
            too_recent += 1
        elif p.end_date is not None and p.end_date < anniversary:
            lost += 1
        else:
            retained += 1
    ordered = tuple(sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])))
    return RetentionRow(group, starters, leavers, retained, lost, too_recent, ordered)
