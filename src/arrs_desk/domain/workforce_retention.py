"""Retention of ARRS staff: starters, leavers and 12-month retention of a group, and the notes a
report of them carries so that it says what it counts. Plain facts in, plain answers out.

Defined precisely (a person's first anniversary is start + 12 months by `add_months`, so someone
who started on 29 February reaches it on 28 February):
- *Starters* in the year: people whose start date falls in the 12 months up to and including today
  (`dates.months_window_start`): started by today, first anniversary still to come.
- *Leavers* in the year: people whose end date falls in the same 12 months (with their reasons).
- *12-month retention* of a group counts only people who have reached their first anniversary
  (start + 12 months on or before today), so everyone counted has had the chance to complete a
  year. Of those, a person is *retained* when they had not left by the day before their first
  anniversary (no end date, or an end date on or after it), and *lost* when their end date is
  earlier. Rate = retained / (retained + lost). People who started less than a year ago are
  *too recent* and are neither retained nor lost.
- People whose start date is still to come are in none of these: they have not started, so they
  are neither starters nor too recent (`RetentionRow.not_started` counts them, for the notes).

What a staff record holds decides the rest (`notes`): one employment (a return replaces the dates
and leaving reason of the employment before, which only the audit trail keeps), and the person's
current role, practices and employment model.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from arrs_desk.domain.dates import add_months, months_window_start


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
    not_started: int = 0
    """People whose start date is still to come: in none of the figures above."""

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
    starters = leavers = retained = lost = too_recent = not_started = 0
    reasons: dict[str, int] = {}
    for p in people:
        if p.start_date > today:  # not a starter yet, and not "too recent": not in post at all
            not_started += 1
            continue
        if year_start <= p.start_date:
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
    return RetentionRow(group, starters, leavers, retained, lost, too_recent, ordered, not_started)


def notes(grouping: str, *, not_started: int = 0, at_several_practices: int = 0) -> tuple[str, ...]:
    """What the figures count, in words, for the page and the CSV. `grouping` is "role",
    "practice" or "model"; `at_several_practices`: people counted in more than one practice's row."""
    said = []
    if grouping == "role":
        said.append("Grouped by each person's role now: someone who changed role counts under their current role "
                    "for all of their time in post.")
    elif grouping == "model":
        said.append("Grouped by each person's employment model now.")
    elif at_several_practices:
        n = at_several_practices
        said.append(f"{_people(n, 'is', 'are')} recorded at more than one practice and counted in each of their "
                    "practices' rows, so the practice rows add up to more than the total.")
    said.append("Each staff record counts once, for its current employment: someone who left and came back counts "
                "from their new start date, and their earlier employment and its leaving are not counted.")
    if not_started:
        said.append(f"{_people(not_started, 'has', 'have')} a start date still to come and "
                    f"{'is' if not_started == 1 else 'are'} not counted.")
    return tuple(said)


def _people(n: int, one: str, many: str) -> str:
    return f"1 person {one}" if n == 1 else f"{n} people {many}"
