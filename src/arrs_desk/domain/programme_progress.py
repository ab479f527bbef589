"""One enrolment's figures, worked out from its recorded facts and a day.

The programme service reads what is stored (milestones held, competencies signed, time logged,
pauses, extensions) into `EnrolmentFacts`; `evaluate` turns those into everything the screens
show: due dates, milestone statuses, progress, time elapsed, protected time owed, why someone is
behind and where they stand. It lives here, apart from the database, so the same facts always
give the same answer and the rule can be tested with plain dates.

A finished enrolment (completed or withdrawn) is judged as on the day it finished, so its
figures never drift afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from arrs_desk.domain import programmes as rules
from arrs_desk.domain.programmes import EnrolmentStatus, MilestoneStatus

COMPLETED = EnrolmentStatus.COMPLETED.value
"""The stored status of an enrolment whose completion is signed off."""
WITHDRAWN = EnrolmentStatus.WITHDRAWN.value
"""The stored status of an enrolment the person came off before finishing."""

PROTECTED_TIME_TOLERANCE_HOURS = 7.5
"""Protected time is often taken as whole study days, so being up to one day (7.5 h) short is the
normal rhythm of a log kept week by week; more than that is reported as a shortfall."""

PROGRESS_DEFINITION = (
    "Progress is worked out from what has been achieved and recorded, never from the calendar: "
    f"competencies signed off count for {rules.COMPETENCY_WEIGHT:.0%} and milestones held for "
    f"{rules.MILESTONE_WEIGHT:.0%}. Time elapsed is shown beside it so the two can be compared; "
    "someone far through the calendar with little signed off has not made much progress yet."
)


@dataclass(frozen=True)
class MilestoneFacts:
    """One of the enrolment's own milestones, as recorded."""

    id: int
    key: str
    title: str
    week: int
    kind: str
    held_on: date | None


@dataclass
class EnrolmentFacts:
    """What is recorded for one enrolment: everything `evaluate` needs, nothing more."""

    start: date
    planned_end: date
    length_weeks: int
    hours_per_week: float
    status: str  # as stored: "active", COMPLETED or WITHDRAWN
    completed_on: date | None
    withdrawn_on: date | None
    pauses: list[tuple[date, date | None, str]] = field(default_factory=list)  # (start, end or None, reason)
    extensions: list[rules.Extension] = field(default_factory=list)
    milestones: list[MilestoneFacts] = field(default_factory=list)
    competencies_signed: int = 0
    competencies_total: int = 0
    logged_hours: float = 0.0


@dataclass(frozen=True)
class Evaluation:
    """Every figure for one enrolment as of `as_of` (today, or the day it finished)."""

    as_of: date
    pauses: tuple[rules.Pause, ...]
    end: date
    due: dict[int, date]  # milestone id -> due date
    statuses: dict[int, MilestoneStatus]  # milestone id -> status
    held: int
    overdue: int
    progress: float
    elapsed: float
    expected_hours: float
    reasons: tuple[str, ...]
    status: EnrolmentStatus


def evaluate(facts: EnrolmentFacts, today: date) -> Evaluation:
    """Every figure the screens show, from the domain rules, as of today or the day it finished."""
    as_of = facts.completed_on or facts.withdrawn_on or today
    pauses = []
    for start, end, reason in facts.pauses:
        # A pause still going on stops the clock up to today: the earliest dates still possible.
        pauses.append(rules.Pause(start, end if end is not None else max(start, as_of), reason))
    shape = rules.Programme.model_construct(
        length_weeks=facts.length_weeks,
        milestones=tuple(rules.Milestone.model_construct(key=str(m.id), title=m.title, week=m.week, kind=m.kind)
                         for m in facts.milestones),
    )
    due = {int(s.milestone.key): s.due for s in rules.schedule(shape, facts.start, pauses, facts.extensions,
                                                               planned_end=facts.planned_end)}
    end = rules.expected_end(facts.start, facts.length_weeks, pauses, facts.extensions, planned_end=facts.planned_end)
    statuses = {m.id: rules.milestone_status(due[m.id], as_of, held=m.held_on is not None) for m in facts.milestones}
    held = sum(m.held_on is not None for m in facts.milestones)
    overdue = sum(s is MilestoneStatus.OVERDUE for s in statuses.values())
    progress = rules.overall_progress(facts.competencies_signed, facts.competencies_total, held, len(facts.milestones))
    elapsed = rules.expected_progress_by_now(facts.start, end, as_of, pauses)
    expected_hours = rules.expected_protected_hours(facts.start, as_of, facts.hours_per_week, pauses, end)
    finished = facts.status in (COMPLETED, WITHDRAWN)
    reasons = () if finished else tuple(rules.behind_reasons(
        milestones_overdue=overdue, competencies_signed=facts.competencies_signed,
        competencies_total=facts.competencies_total, time_elapsed_percent=elapsed,
        protected_hours_expected=expected_hours, protected_hours_logged=facts.logged_hours,
        protected_tolerance_hours=PROTECTED_TIME_TOLERANCE_HOURS,
    ))
    status = rules.enrolment_status(start=facts.start, today=as_of, completed=facts.status == COMPLETED,
                                    withdrawn=facts.status == WITHDRAWN, pauses=pauses, reasons=reasons)
    if status is EnrolmentStatus.PAUSED:
        reasons = ()  # the clock is stopped: nothing falls further behind while paused
    return Evaluation(as_of, tuple(pauses), end, due, statuses, held, overdue, progress, elapsed, expected_hours,
                      reasons, status)
