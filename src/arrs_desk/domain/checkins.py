""""What matters to me" check-ins: their schedule (months in post, then a repeat), the window each
stays open, the statements and scale (resources/assurance/checkins.json), and answers released to
a summary only in batches from at least five different people, so nobody's answer can be told
apart. Plain facts in, plain answers out (no Qt, no store). Split from `domain.assurance`, which
re-exports these names for the callers that import them from there.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import cache
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints, model_validator

from arrs_desk.domain.assurance_checks import AssuranceFile, Key, Text, read_assurance_file
from arrs_desk.domain.datafiles import parse_data
from arrs_desk.domain.dates import add_months

MIN_GROUP = 5
"""Check-in answers reach a summary only in batches from at least this many different people."""
SUPPRESSED_TEXT = f"not shown until at least {MIN_GROUP} people have answered"
SUMMARY_MONTHS = 12
"""Summaries show the batches released in the last this many months."""
SCALE_POINTS = 5


class Statement(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    key: Key
    short: Annotated[str, StringConstraints(min_length=1, max_length=24)]
    text: Text


class CheckinConfig(AssuranceFile):
    schema_: Literal["arrs-desk/checkins"] = None  # type: ignore[assignment]
    version: int
    schedule_months: tuple[int, ...]
    repeat_every_months: int
    window_days: int
    scale: tuple[Text, Text, Text, Text, Text]
    statements: tuple[Statement, ...]

    @model_validator(mode="after")
    def _valid(self) -> "CheckinConfig":
        if schedule_problem(self.schedule_months, self.repeat_every_months):
            raise ValueError(schedule_problem(self.schedule_months, self.repeat_every_months))
        if not 6 <= len(self.statements) <= 10:
            raise ValueError("between 6 and 10 statements")
        return self


@cache
def builtin_checkins() -> CheckinConfig:
    return parse_data(CheckinConfig, read_assurance_file("checkins.json"), source="assurance/checkins.json")


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
    closes_on: date  # the first day it is no longer open
    status: PointStatus

    @property
    def last_open_day(self) -> date:
        """What "open until" names: the day before `closes_on`, on which answering is refused."""
        return self.closes_on - timedelta(days=1)


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


def open_checkin(start: date, today: date, months: Sequence[int], repeat: int, window_days: int,
                 answered: Iterable[int] = ()) -> CheckinPoint | None:
    """The check-in open today (the first `checkin_points` calls DUE), or None. The same answer
    without making every point of a long career: the reminders of who has one open ask it of
    everyone an administrator looks after (a test checks the two agree on generated schedules)."""
    done = answered if isinstance(answered, set | frozenset) else set(answered)
    elapsed = (today.year - start.year) * 12 + today.month - start.month + 1
    plan = schedule_months(months, repeat, max(elapsed, 0) + max(repeat, max(months, default=1)) + 1)
    window = timedelta(days=window_days)
    # A point due in a month before the one `window` days ago has closed, answered or not: it is
    # passed over by its month alone, without working out its date (most of a long career's).
    cutoff = today - window
    closed_below = (cutoff.year - start.year) * 12 + cutoff.month - start.month
    for index, m in enumerate(plan):
        if m < closed_below or m in done:
            continue
        due = add_months(start, m)
        if due > today:
            return None  # upcoming: `checkin_points` stops here
        closes = due + window
        if today >= closes:
            continue  # missed, whatever the next check-in's date
        if index + 1 < len(plan):
            closes = min(closes, add_months(start, plan[index + 1]))
        if today < closes:
            return CheckinPoint(m, due, closes, PointStatus.DUE)
    return None


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


# ============================================================================ anonymous answers
# Answers are kept apart from the person who gave them (see `services.assurance` for the threat
# model): each waits, with no name and no time, until at least MIN_GROUP different people of a
# group have answered; then the batch is added to the group's tally for the month it was released
# (its round) as counts of each answer, and the individual answers are gone.

def round_of(day: date) -> str:
    """The round a released batch belongs to: its month, 'YYYY-MM', never anything finer."""
    return f"{day.year:04d}-{day.month:02d}"


def first_round_shown(today: date) -> str:
    """Summaries cover the rounds of the last SUMMARY_MONTHS months, this one included."""
    return round_of(add_months(today.replace(day=1), 1 - SUMMARY_MONTHS))


def empty_counts(statements: Sequence[Statement]) -> dict[str, list[int]]:
    return {s.key: [0] * SCALE_POINTS for s in statements}


def add_to_counts(counts: dict[str, list[int]], answers: Iterable[dict[str, int]]) -> dict[str, list[int]]:
    """Counts of each answer (1 to 5) per statement, with the answers given added: a new dict."""
    result = {key: list(values) for key, values in counts.items()}
    for answer in answers:
        for key, value in answer.items():
            if key in result and 1 <= value <= SCALE_POINTS:
                result[key][value - 1] += 1
    return result


def may_release(people: int, min_group: int = MIN_GROUP) -> bool:
    """A group's waiting answers join its summary once they come from at least `min_group`
    different people: then no single answer can be told apart from the others in the batch."""
    return people >= min_group


@dataclass(frozen=True, slots=True)
class GroupSummary:
    group: str
    responses: int
    shown: bool
    averages: dict[str, float] = field(default_factory=dict)
    agree_share: dict[str, float] = field(default_factory=dict)
    """Share answering agree or strongly agree (4 or 5), per statement."""

    @property
    def note(self) -> str:
        return "" if self.shown else SUPPRESSED_TEXT


def summarise_tallies(groups: Iterable[str], tallies: Iterable[tuple[str, int, dict[str, Sequence[int]]]],
                      statements: Sequence[Statement], min_group: int = MIN_GROUP) -> list[GroupSummary]:
    """Every group named (in `groups` or in a tally), from its released tallies (group,
    responses, counts). A group without released answers shows only the note, not even a
    count: whether anyone in it has answered is nobody's business."""
    totals: dict[str, list] = {name: [0, empty_counts(statements)] for name in groups}
    for name, responses, counts in tallies:
        total = totals.setdefault(name, [0, empty_counts(statements)])
        total[0] += responses
        for key, values in counts.items():
            if key in total[1]:
                total[1][key] = [a + b for a, b in zip(total[1][key], values)]
    result = []
    for name in sorted(totals, key=str.casefold):
        responses, counts = totals[name]
        if responses < min_group:
            result.append(GroupSummary(name, 0, False))
            continue
        averages, agree = {}, {}
        for s in statements:
            values = counts[s.key]
            answered = sum(values)
            if answered:
                averages[s.key] = round(sum(v * n for v, n in enumerate(values, start=1)) / answered, 2)
                agree[s.key] = round((values[3] + values[4]) / answered, 3)
        result.append(GroupSummary(name, responses, True, averages, agree))
    return result
