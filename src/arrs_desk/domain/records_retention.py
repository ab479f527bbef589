"""How long records are kept, and when they fall due (issue 20 item 2): records retention, not
the retention *statistics* of domain/assurance (whether staff stay in post).

The periods are data (`resources/retention/rules.json`, from the Records Management Code of
Practice for Health and Social Care 2021), each with its source; an administrator may change the
number of years of a rule (the service keeps the change in the settings). The rules here only do
the date arithmetic the Code asks for:

- a period runs from the end of the year in which the last entry was made, so a record whose last
  entry is on any day of 2019 starts its period on 1 January 2020 and, kept 6 years, falls due on
  1 January 2026: the same day for every record of that year, which is what makes a yearly review
  workable and why a leap day or 31 December never moves it;
- a record under legal hold is never due, whatever its period.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from arrs_desk.domain.datafiles import load_data_file
from arrs_desk.errors import ResourceFileError
from arrs_desk.paths import resource_path

MAX_YEARS = 100
"""No rule keeps anything longer than this; a larger number is a typing slip."""


class _Source(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=1)
    url: str = Field(pattern=r"^https://")
    published: date
    updated: date | None = None
    checked_on: date
    note: str = ""


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    title: str = Field(min_length=1)
    applies_to: Literal["leavers", "summaries", "training", "applicants"]
    years: int | None = Field(default=None, ge=0, le=MAX_YEARS)
    until_age: int | None = Field(default=None, ge=1, le=120)
    runs_from: str = Field(min_length=1)
    after: Literal["summary", "anonymise", "destroy"]
    description: str = Field(min_length=1)
    source: str = Field(min_length=1)

    @model_validator(mode="after")
    def _one_period(self) -> _Rule:
        if (self.years is None) == (self.until_age is None):
            raise ValueError(f"rule {self.code} needs exactly one of years and until_age")
        return self


class _RulesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    schema_: Literal["arrs-desk/retention-rules"] = Field(alias="schema")
    version: Literal[1]
    source: _Source
    period_start: str
    legal_hold: str
    rules: list[_Rule] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> _RulesFile:
        codes = [r.code for r in self.rules]
        if len(set(codes)) != len(codes):
            raise ValueError("rule codes must be unique")
        return self


@dataclass(frozen=True, slots=True)
class RetentionRule:
    """One line of the retention schedule, as the app applies it."""

    code: str
    title: str
    applies_to: str
    years: int | None  # kept this many years from the end of the year of the last entry
    until_age: int | None  # or kept until this birthday
    default_years: int | None  # what the Code says, when an administrator changed `years`
    runs_from: str
    after: str  # what happens when it falls due: "summary", "anonymise" or "destroy"
    description: str
    source: str

    @property
    def changed(self) -> bool:
        return self.years != self.default_years

    @property
    def period_text(self) -> str:
        if self.until_age is not None:
            return f"until the {ordinal(self.until_age)} birthday"
        return f"{self.years} year{'s' if self.years != 1 else ''} after {self.runs_from}"


@dataclass(frozen=True, slots=True)
class Schedule:
    """The rules with the Code's reference: where they came from and when that was checked."""

    rules: tuple[RetentionRule, ...]
    source_title: str
    source_url: str
    checked_on: date
    note: str
    period_start: str
    legal_hold: str

    def rule(self, code: str) -> RetentionRule:
        for rule in self.rules:
            if rule.code == code:
                return rule
        raise KeyError(code)

    def with_years(self, overrides: dict[str, int]) -> Schedule:
        """The schedule with an administrator's periods in place of the Code's (unknown codes ignored)."""
        return replace(self, rules=tuple(
            replace(r, years=overrides[r.code]) if r.code in overrides and r.years is not None else r
            for r in self.rules))


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@cache
def default_schedule() -> Schedule:
    """The schedule shipped in resources/retention/rules.json, checked when first read."""
    path = resource_path("retention", "rules.json")
    data = load_data_file(_RulesFile, path)
    rules = tuple(RetentionRule(r.code, r.title, r.applies_to, r.years, r.until_age, r.years, r.runs_from, r.after,
                                r.description, r.source) for r in data.rules)
    if not any(r.code == STAFF_RECORD for r in rules):
        raise ResourceFileError(f"{path.name} has no '{STAFF_RECORD}' rule")
    s = data.source
    return Schedule(rules, s.title, s.url, s.checked_on, s.note, data.period_start, data.legal_hold)


STAFF_RECORD = "staff-record"
"""The rule for a leaver's staff record: the one the Records retention tab applies to people."""


def period_starts(last_entry: date) -> date:
    """The first day of a record's period: 1 January after the year of its last entry."""
    return date(last_entry.year + 1, 1, 1)


def falls_due(last_entry: date, years: int) -> date:
    """The day a record kept `years` after the end of the year of its last entry may go."""
    return date(last_entry.year + 1 + years, 1, 1)


def is_due(last_entry: date | None, years: int | None, today: date, *, on_hold: bool = False) -> bool:
    """True when the record's period is over and nothing holds it. A record with no last entry
    (a person still in post) is never due; nor is one under legal hold or inquiry."""
    if on_hold or last_entry is None or years is None:
        return False
    return today >= falls_due(last_entry, years)


def check_years(value: object) -> int:
    """An administrator's period: a whole number of years, 0 to MAX_YEARS (raises ValueError)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_YEARS:
        raise ValueError(f"a whole number of years from 0 to {MAX_YEARS}")
    return value
