"""The Data Security and Protection Toolkit evidence an IG lead can take from ARRS Desk: which
Toolkit items the report answers, how often access is reviewed and backups are test-restored, and
the plain rules that turn the record into flags (a leaver's account still active, a review or a
restore test overdue).

The items and intervals are data (`resources/dspt/evidence.json`, with its source and the date it
was checked), never constants here, so a practice can follow a new year's Toolkit by editing a file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from arrs_desk.domain.datafiles import load_data_file
from arrs_desk.domain.dates import add_months
from arrs_desk.paths import resource_path

Text = Annotated[str, StringConstraints(min_length=1, max_length=600)]


class Source(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    title: Text
    url: Annotated[str, StringConstraints(pattern=r"^https://")]
    note: str = ""


class Submission(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    day: Annotated[int, Field(ge=1, le=31)]
    month: Annotated[int, Field(ge=1, le=12)]
    note: str = ""


class EvidenceItem(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Annotated[str, StringConstraints(pattern=r"^\d+(\.\d+){0,3}$")]
    title: Text
    shows: Text


class EvidenceFile(BaseModel):
    """`resources/dspt/evidence.json`, validated whole: a bad file is refused naming the field."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_: Annotated[str, Field(alias="schema", pattern=r"^arrs-desk/dspt-evidence$")]
    version: Annotated[int, Field(ge=1)]
    checked_on: date
    source: Source
    submission: Submission
    access_review_every_months: Annotated[int, Field(ge=1, le=24)]
    restore_test_every_months: Annotated[int, Field(ge=1, le=24)]
    restore_test_note: str = ""
    items: Annotated[tuple[EvidenceItem, ...], Field(min_length=1)]

    @model_validator(mode="after")
    def _unique(self) -> "EvidenceFile":
        ids = [item.id for item in self.items]
        if len(ids) != len(set(ids)):
            raise ValueError("items: each Toolkit item may appear once")
        return self


@lru_cache(maxsize=1)
def evidence_rules() -> EvidenceFile:
    return load_data_file(EvidenceFile, resource_path("dspt", "evidence.json"))


def next_submission(today: date, rules: EvidenceFile | None = None) -> date:
    """The next Toolkit deadline on or after today (30 June each year by default)."""
    rules = rules or evidence_rules()
    this_year = date(today.year, rules.submission.month, rules.submission.day)
    return this_year if today <= this_year else date(today.year + 1, rules.submission.month, rules.submission.day)


def default_period_start(last_review: date | None, today: date, rules: EvidenceFile | None = None) -> date:
    """Where the report's period begins: the day of the last access review (counted again, so a
    change made later that day is never missed), or one review interval back when access has
    never been reviewed in ARRS Desk."""
    rules = rules or evidence_rules()
    if last_review is not None and last_review <= today:
        return last_review
    return add_months(today, -rules.access_review_every_months)


def review_due(last: date | None, every_months: int, today: date) -> tuple[date | None, bool]:
    """(when the next one is due, whether it is overdue today); never done is overdue at once."""
    if last is None:
        return None, True
    due = add_months(last, every_months)
    return due, today > due


@dataclass(frozen=True, slots=True)
class AccountFacts:
    """What the leaver rule needs about one account and the person it belongs to."""

    active: bool
    staff_end_date: date | None


def leaver_still_active(account: AccountFacts, today: date) -> bool:
    """An active account whose person has left (their last day is before today): DSPT 4.2 expects
    leavers' access removed, so the report flags every one."""
    return account.active and account.staff_end_date is not None and account.staff_end_date < today
