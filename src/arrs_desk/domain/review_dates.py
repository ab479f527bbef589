"""Dates on review records: the order a person's reviews happened in, and which dates a review,
a signature made on paper or an impact entry may carry.

Rules the review service applies when it reads and validates; plain functions of dates, so the
messages a user sees can be checked without a database.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Protocol, TypeVar

from arrs_desk.domain.dates import add_months, format_uk
from arrs_desk.domain.reviews import in_this_employment

# --------------------------------------------------------------------------- the order reviews happened in


class Dated(Protocol):
    """A recorded review, or a row showing one: enough to put it in order."""

    id: int
    meeting_date: date | None
    period_end: date


D = TypeVar("D", bound=Dated)


def chronological_key(review: Dated) -> tuple[date, int]:
    """Reviews in the order they happened: by meeting date (the period's end while none is set),
    then in the order they were recorded."""
    return (review.meeting_date or review.period_end, review.id)


def latest_review(reviews: Iterable[D]) -> D | None:
    return max(reviews, key=chronological_key, default=None)


def previous_review(reviews: Iterable[D], current: D | None, *, started: date | None = None) -> D | None:
    """The review before `current` (for a new review, `current` None: the latest of all). Its
    open objectives are the ones offered for carrying forward, and its period's end begins the
    next review's suggested period.

    With `started` (the person's start date), only a review of that employment can be the one
    before (`in_this_employment`): a returner's first review was offered their earlier job's
    objectives to carry forward, and a suggested period reaching back into the months they were
    away."""
    if started is not None:
        reviews = (r for r in reviews if in_this_employment(r.meeting_date, started))
    if current is None:
        return latest_review(reviews)
    return latest_review(r for r in reviews
                         if r.id != current.id and chronological_key(r) < chronological_key(current))


# --------------------------------------------------------------------------- dates a record may carry


MAX_PERIOD_MONTHS = 24
MAX_AHEAD_MONTHS = 12
MAX_PAST_YEARS = 10


def period_problem(start: date | None, end: date | None, today: date, started: date | None = None) -> str | None:
    """What is wrong with the period a review covers, or None. A period that ended before the
    person `started` in post is a mistyped year (01/01/1900 to 31/12/1900 was saved)."""
    if start is None or end is None:
        return "Enter the period the review covers: a start date and an end date."
    if end < start:
        return f"The period ends ({format_uk(end)}) before it starts ({format_uk(start)}); check the dates."
    if started is not None and end < started:
        return (f"The period ends ({format_uk(end)}) before {format_uk(started)}, when this person started; "
                "check the dates.")
    if end > add_months(start, MAX_PERIOD_MONTHS):
        return f"A review covers at most {MAX_PERIOD_MONTHS} months; shorten the period."
    if end > add_months(today, MAX_AHEAD_MONTHS):
        return f"The period ends more than {MAX_AHEAD_MONTHS} months from now; check the year."
    return None


PLAN_YEARS_AHEAD = 10
"""How far ahead an objective's or a development plan item's date may be: further is a mistyped year."""


def plan_date_problem(day: date | None, today: date) -> str | None:
    """What is wrong with the date an objective is due or a development plan item is aimed at:
    01/01/0001 and 31/12/9999 were saved."""
    if day is None:
        return None
    if day.year < 2000:
        return f"{format_uk(day)} is before 2000; check the year"
    if day > add_months(today, 12 * PLAN_YEARS_AHEAD):
        return f"{format_uk(day)} is more than {PLAN_YEARS_AHEAD} years ahead; check the year"
    return None


def meeting_date_problem(meeting: date | None, started: date, today: date) -> str | None:
    """What is wrong with a review's meeting date (none yet is fine: the review is a draft)."""
    if meeting is None:
        return None
    if meeting < started:
        return f"The meeting date ({format_uk(meeting)}) is before {format_uk(started)}, when this person started."
    if meeting > add_months(today, MAX_AHEAD_MONTHS):
        return f"The meeting date ({format_uk(meeting)}) is more than {MAX_AHEAD_MONTHS} months ahead; check the year."
    if meeting < add_months(today, -12 * MAX_PAST_YEARS):
        return f"The meeting date ({format_uk(meeting)}) is more than {MAX_PAST_YEARS} years ago."
    return None


def paper_signature_problem(signed_on: date | None, meeting: date | None, today: date) -> str | None:
    """What is wrong with the date beside a signature made on paper: a review is signed at or
    after its meeting, and not in the future."""
    if signed_on is None:
        return "Enter the date written beside the signature."
    if signed_on > today:
        return f"The signature date ({format_uk(signed_on)}) is in the future; enter the date it was signed."
    if meeting is not None and signed_on < meeting:
        return (f"The signature date ({format_uk(signed_on)}) is before the meeting "
                f"({format_uk(meeting)}); a review is signed at or after the meeting.")
    return None


def impact_date_problem(day: date | None, today: date) -> str | None:
    """What is wrong with the date of an impact entry: when it happened, so not in the future."""
    if day is None:
        return "Enter the date (or the end of the period) this evidence is from."
    if day > today:
        return f"The date ({format_uk(day)}) is in the future; enter when it happened."
    if day < add_months(today, -12 * MAX_PAST_YEARS):
        return f"The date ({format_uk(day)}) is more than {MAX_PAST_YEARS} years ago; check the year."
    return None


