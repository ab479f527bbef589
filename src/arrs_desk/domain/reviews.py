"""Reviews and appraisals: the vocabularies, when each review falls due, and the arithmetic the
appraisal pack does over a year of supervision.

The schedule follows the Network Contract's expectation that additional roles are reviewed and
appraised: probation reviews early in post, then an annual appraisal with an interim review half
way. All of it is plain functions of dates, so a report run on one day can be repeated. One module
(a little over 600 lines) because every part counts by the conventions below; split, each would
restate them.

Counting conventions:

* A review is *held* once it has a meeting date that is today or earlier; a record without a
  meeting date, or with one still to come, is *booked*.
* Probation reviews are due `PROBATION_MONTHS` after the start date; the last of them ends the
  probation period. `probation_standing` is the one rule for how probation stands: *passed* once
  the last probation review is held; otherwise it applies until the end of the period plus a
  grace (`grace_months` of the probation check in resources/assurance/checks.json), after which a
  missing review is no longer chased: the annual appraisal has taken over. The Reviews page (what
  is due) and the assurance probation check (met or not) both ask it, so they cannot disagree.
* The annual appraisal is due 12 months after the last one held, or after the start date for
  someone who has never had one; the interim review 6 months after the last annual appraisal.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import cache
from typing import NamedTuple

from arrs_desk.domain.dates import add_months, months_window_start

PROBATION_MONTHS = (3, 6)
ANNUAL_MONTHS = 12
INTERIM_MONTHS = 6
DUE_SOON_DAYS = 30
"""A review falling due within this many days shows as 'Due soon'."""

MAX_LONG_TEXT = 8000
MAX_NOTE = 2000
MAX_TITLE = 200


class ReviewKind(StrEnum):
    PROBATION = "probation"
    INTERIM = "interim"
    ANNUAL = "annual"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {
    ReviewKind.PROBATION: "Probation review",
    ReviewKind.INTERIM: "Interim review",
    ReviewKind.ANNUAL: "Annual appraisal",
}


@cache  # a handful of answers, asked for every person of a list
def kind_label(kind: str, probation_month: int | None = None) -> str:
    """'Probation review (3 months)', 'Annual appraisal'."""
    label = ReviewKind(kind).label
    if kind == ReviewKind.PROBATION and probation_month:
        return f"{label} ({probation_month} months)"
    if kind == ReviewKind.INTERIM:
        return f"{label} (6-month)"
    return label


class ObjectiveStatus(StrEnum):
    NOT_STARTED = "not-started"
    IN_PROGRESS = "in-progress"
    ACHIEVED = "achieved"
    PARTLY_ACHIEVED = "partly-achieved"
    NOT_ACHIEVED = "not-achieved"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return OBJECTIVE_STATUS_LABELS[self]


OBJECTIVE_STATUS_LABELS = {
    ObjectiveStatus.NOT_STARTED: "Not started",
    ObjectiveStatus.IN_PROGRESS: "In progress",
    ObjectiveStatus.ACHIEVED: "Achieved",
    ObjectiveStatus.PARTLY_ACHIEVED: "Partly achieved",
    ObjectiveStatus.NOT_ACHIEVED: "Not achieved",
    ObjectiveStatus.WITHDRAWN: "Withdrawn",
}
OPEN_OBJECTIVE_STATUSES = frozenset({ObjectiveStatus.NOT_STARTED, ObjectiveStatus.IN_PROGRESS})
"""Objectives still being worked on: these are carried forward to the next review."""


class PdpStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in-progress"
    DONE = "done"
    DEFERRED = "deferred"

    @property
    def label(self) -> str:
        return PDP_STATUS_LABELS[self]


PDP_STATUS_LABELS = {
    PdpStatus.PLANNED: "Planned",
    PdpStatus.IN_PROGRESS: "In progress",
    PdpStatus.DONE: "Done",
    PdpStatus.DEFERRED: "Deferred",
}


class Outcome(StrEnum):
    UNDECIDED = ""
    AGREED = "agreed"
    FOLLOW_UP = "follow-up"

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self]


OUTCOME_LABELS = {
    Outcome.UNDECIDED: "Not yet decided",
    Outcome.AGREED: "Agreed",
    Outcome.FOLLOW_UP: "Needs follow-up",
}


class Party(StrEnum):
    """Who a sign-off belongs to. Nobody signs for the other party, and nobody appraises themself."""

    APPRAISER = "appraiser"
    APPRAISEE = "appraisee"

    @property
    def label(self) -> str:
        return "Appraiser" if self is Party.APPRAISER else "Appraisee"


class ImpactKind(StrEnum):
    CASE_STUDY = "case-study"
    PROCESS_MEASURE = "process-measure"
    PATIENT_REPORTED = "patient-reported"
    OTHER = "other"

    @property
    def label(self) -> str:
        return IMPACT_KIND_LABELS[self]

    @property
    def hint(self) -> str:
        return IMPACT_KIND_HINTS[self]


IMPACT_KIND_LABELS = {
    ImpactKind.CASE_STUDY: "Case study",
    ImpactKind.PROCESS_MEASURE: "Process measure",
    ImpactKind.PATIENT_REPORTED: "Patient-reported outcome",
    ImpactKind.OTHER: "Other evidence",
}
IMPACT_KIND_HINTS = {
    ImpactKind.CASE_STUDY: "A patient or service story showing what changed because of your work",
    ImpactKind.PROCESS_MEASURE: "A count over a period, such as referrals handled or clinics run",
    ImpactKind.PATIENT_REPORTED: "A measure patients report, such as goal attainment, wellbeing or self-efficacy",
    ImpactKind.OTHER: "Feedback, an audit, a quality improvement project or anything else worth showing",
}


# --------------------------------------------------------------------------- review state


class ReviewState(StrEnum):
    BOOKED = "booked"
    HELD = "held"
    SIGNED = "signed"

    @property
    def label(self) -> str:
        return {"booked": "Booked", "held": "Held, awaiting signatures", "signed": "Signed by both"}[self.value]


def review_state(meeting_date: date | None, today: date, *, appraiser_signed: bool, appraisee_signed: bool) -> ReviewState:
    if appraiser_signed and appraisee_signed:
        return ReviewState.SIGNED
    if meeting_date is not None and meeting_date <= today:
        return ReviewState.HELD
    return ReviewState.BOOKED


def state_label(state: ReviewState, *, appraiser_signed: bool, appraisee_signed: bool) -> str:
    """The state in words, naming whose signature a held review still waits for: "awaiting
    signatures" once one of the two had signed sent the other party looking for a signature
    already given."""
    if state is ReviewState.HELD and appraiser_signed != appraisee_signed:
        return f"Held, awaiting the {'appraisee' if appraiser_signed else 'appraiser'}'s signature"
    return state.label


def is_held(meeting_date: date | None, today: date) -> bool:
    return meeting_date is not None and meeting_date <= today


def both_signed(parties: Iterable[str]) -> bool:
    """Signed by the appraiser and by the person appraised: the review is then the record of what
    was agreed, and is kept as it is."""
    return {Party.APPRAISER.value, Party.APPRAISEE.value} <= {str(p) for p in parties}


@dataclass(frozen=True, slots=True)
class ReviewCapabilities:
    """What a viewer may do with one review."""

    edit: bool
    delete: bool
    read_self_assessment: bool
    write_self_assessment: bool
    sign_as_appraiser: bool
    sign_as_appraisee: bool
    record_paper_appraiser: bool
    record_paper_appraisee: bool


def review_actions(*, may_write: bool, may_reflect: bool, may_read: bool, is_self: bool, is_appraiser: bool,
                   signed: Collection[str], held: bool, appraiser_on_paper: bool,
                   appraisee_on_paper: bool) -> ReviewCapabilities:
    """The moves open on one review, from the viewer's permissions and where the review stands.

    Nothing changes once both parties have signed, and only a review nobody has signed can be
    removed. Each party signs for themself once the meeting has been held; a signature made on
    paper is entered, by whoever writes the review, only for a party who cannot sign in the app.
    """
    locked = both_signed(signed)
    appraiser_open = held and Party.APPRAISER.value not in signed
    appraisee_open = held and Party.APPRAISEE.value not in signed
    return ReviewCapabilities(
        edit=may_write and not locked,
        delete=may_write and not signed,
        read_self_assessment=may_read,
        write_self_assessment=may_reflect and not locked,
        sign_as_appraiser=is_appraiser and may_write and appraiser_open,
        sign_as_appraisee=is_self and may_reflect and appraisee_open,
        record_paper_appraiser=may_write and appraiser_open and appraiser_on_paper,
        record_paper_appraisee=may_write and appraisee_open and appraisee_on_paper,
    )


# --------------------------------------------------------------------------- what is due


class DueStatus(StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due-soon"
    BOOKED = "booked"
    UP_TO_DATE = "up-to-date"
    NOT_STARTED = "not-started"
    """The person has not started yet, or has left: nothing is due."""

    @property
    def label(self) -> str:
        return DUE_STATUS_LABELS[self]


DUE_STATUS_LABELS = {
    DueStatus.OVERDUE: "Overdue",
    DueStatus.DUE_SOON: "Due soon",
    DueStatus.BOOKED: "Booked",
    DueStatus.UP_TO_DATE: "Up to date",
    DueStatus.NOT_STARTED: "Not in post",
}
DUE_SEVERITY = {
    DueStatus.NOT_STARTED: 0, DueStatus.UP_TO_DATE: 1, DueStatus.BOOKED: 2, DueStatus.DUE_SOON: 3,
    DueStatus.OVERDUE: 4,
}


class ReviewFact(NamedTuple):
    """What the schedule needs to know about one recorded review. This and the other shapes of the
    schedule (`DueReview`, `ProbationStage`) are named tuples, not frozen dataclasses: Home and the
    Reviews page make them for everyone in post, and a named tuple is made in half the time."""

    kind: str
    probation_month: int | None
    meeting_date: date | None


class DueReview(NamedTuple):
    kind: str
    probation_month: int | None
    label: str
    due_on: date
    status: DueStatus
    booked_on: date | None
    """The booked meeting date, when a review of this kind is recorded but not yet held."""
    days_overdue: int

    @property
    def status_label(self) -> str:
        return self.status.label


def _status(due_on: date, today: date, booked: bool) -> tuple[DueStatus, int]:
    if booked:
        return DueStatus.BOOKED, max(0, (today - due_on).days)
    if today > due_on:
        return DueStatus.OVERDUE, (today - due_on).days
    if (due_on - today).days <= DUE_SOON_DAYS:
        return DueStatus.DUE_SOON, 0
    return DueStatus.UP_TO_DATE, 0


def _first_booked(booked: list[ReviewFact], kind: str, month: int | None = None) -> tuple[bool, date | None]:
    """Whether a review of this kind (and probation month) is booked, and its earliest meeting
    date (None when none is dated): what `due_reviews` shows of the slot."""
    found = False
    earliest = None
    for r in booked:
        if r.kind == kind and (month is None or r.probation_month == month):
            found = True
            if r.meeting_date is not None and (earliest is None or r.meeting_date < earliest):
                earliest = r.meeting_date
    return found, earliest


def _due(kind: str, month: int | None, due_on: date, today: date, slot: tuple[bool, date | None]) -> DueReview:
    booked, booked_on = slot
    status, late = _status(due_on, today, booked)
    return DueReview(kind, month, kind_label(kind, month), due_on, status, booked_on, late)


_ANNUAL, _INTERIM = ReviewKind.ANNUAL, ReviewKind.INTERIM
_NOTHING_BOOKED = (False, None)


# --------------------------------------------------------------------------- probation


@cache
def probation_grace_months() -> int:
    """How long after the probation period a missing probation review is still chased: the
    probation check's `grace_months` in resources/assurance/checks.json, read here too so the
    Reviews page and the check use one number."""
    from arrs_desk.domain.assurance_checks import probation_check

    return probation_check().grace_months or 0


class ProbationState(StrEnum):
    RUNNING = "running"
    """In the probation period, or past it within the grace, and not yet passed."""
    PASSED = "passed"
    """The last probation review has been held."""
    CLOSED = "closed"
    """The grace after the probation period is over: the annual appraisal has taken over."""


class ProbationStage(NamedTuple):
    month: int
    due_on: date
    held_on: date | None
    """The meeting date of the review that answered this stage (this one, or a later stage's)."""
    booked: bool
    """A review of this stage is recorded but not yet held."""
    booked_on: date | None
    """Its meeting date, when one is set."""

    def overdue(self, today: date) -> bool:
        return self.held_on is None and today > self.due_on


@dataclass(frozen=True, slots=True)
class ProbationStanding:
    state: ProbationState
    ends_on: date
    """The end of the probation period: when its last review falls due."""
    chased_until: date
    """The last day a missing probation review is still listed and counted."""
    stages: tuple[ProbationStage, ...]

    @property
    def applies(self) -> bool:
        return self.state is ProbationState.RUNNING

    @property
    def passed_on(self) -> date | None:
        return self.stages[-1].held_on if self.state is ProbationState.PASSED else None


def probation_chased_until(start_date: date, grace_months: int | None = None) -> date:
    """The last day a missing probation review is still listed and counted: after it, probation
    no longer applies whatever was held (passed or closed)."""
    grace = probation_grace_months() if grace_months is None else grace_months
    return add_months(start_date, PROBATION_MONTHS[-1] + grace) - timedelta(days=1)


_PROBATION = ReviewKind.PROBATION


def in_this_employment(meeting_date: date | None, start_date: date) -> bool:
    """Whether a review belongs to the employment that began on `start_date`: held (or booked) on
    or after it, or not yet dated. Someone who left and came back has a new start date, and the
    reviews of their earlier employment answer nothing in this one: a returner's old 6-month
    review showed their new probation as passed. `services.reviews.due_facts` asks the same in SQL."""
    return meeting_date is None or meeting_date >= start_date


def probation_standing(start_date: date, reviews: Iterable[ReviewFact], today: date,
                       grace_months: int | None = None) -> ProbationStanding:
    """Where one person's probation stands today (see the module docstring).

    A stage is answered by a probation review held for it or for a later stage, so someone whose
    6-month review was held is not chased for a missed 3-month one. Only reviews of this
    employment count (`in_this_employment`)."""
    grace = probation_grace_months() if grace_months is None else grace_months
    probation = [r for r in reviews if r.kind == _PROBATION and in_this_employment(r.meeting_date, start_date)]
    if not probation:  # nothing recorded (most people, at any time): every stage open
        stages = [ProbationStage(month, add_months(start_date, month), None, False, None) for month in PROBATION_MONTHS]
    else:
        held = [r for r in probation if is_held(r.meeting_date, today)]
        stages = []
        for month in PROBATION_MONTHS:
            answers = [r.meeting_date for r in held if (r.probation_month or 0) >= month]
            booked = [r.meeting_date for r in probation
                      if r.probation_month == month and not is_held(r.meeting_date, today)]
            dated = [d for d in booked if d is not None]
            stages.append(ProbationStage(month, add_months(start_date, month), min(answers) if answers else None,
                                         bool(booked), min(dated) if dated else None))
    ends_on = stages[-1].due_on  # the last stage's: add_months(start_date, PROBATION_MONTHS[-1])
    chased_until = probation_chased_until(start_date, grace)
    if stages[-1].held_on is not None:
        state = ProbationState.PASSED
    elif today > chased_until:
        state = ProbationState.CLOSED
    else:
        state = ProbationState.RUNNING
    return ProbationStanding(state, ends_on, chased_until, tuple(stages))


def due_reviews(start_date: date, reviews: Iterable[ReviewFact], today: date,
                grace_months: int | None = None) -> tuple[DueReview, ...]:
    """Every review outstanding for one person, soonest first. Probation reviews are listed
    while `probation_standing` says probation applies; the interim review until the next annual
    appraisal is due soon, booked or overdue.

    A booked review (recorded, not yet held) of the right kind answers the due one, so the list
    shows it as booked rather than overdue: the meeting is in hand. Only reviews of this
    employment count (`in_this_employment`): a returner's appraisals from before are history.
    """
    # Home and the Reviews page ask this for everyone in post, so the reviews are sorted in one
    # pass (the tests check it against the rule as first written, one filter at a time): this
    # employment's (`in_this_employment`), split into held and booked (`is_held`).
    facts: list[ReviewFact] = []
    held: list[ReviewFact] = []
    booked: list[ReviewFact] = []
    for r in reviews:
        day = r.meeting_date
        if day is None:
            facts.append(r)
            booked.append(r)
        elif day >= start_date:
            facts.append(r)
            (held if day <= today else booked).append(r)
    due: list[DueReview] = []

    # Past the chase probation cannot apply (passed or closed): most of a large PCN is, so the
    # stages are only worked out for those still in or near their probation period. n months
    # after a day is never more than 31·n days after it, so longer in post than that is past
    # the chase without working out its date.
    grace = probation_grace_months() if grace_months is None else grace_months
    chase_months = PROBATION_MONTHS[-1] + grace
    if (chase_months < 0 or (today - start_date).days < 31 * chase_months) \
            and today <= probation_chased_until(start_date, grace):
        probation = probation_standing(start_date, facts, today, grace)
        if probation.applies:
            for stage in probation.stages:
                if stage.held_on is None:  # else held, or overtaken by a later probation review
                    slot = _first_booked(booked, _PROBATION, stage.month) if booked else _NOTHING_BOOKED
                    due.append(_due(_PROBATION, stage.month, stage.due_on, today, slot))

    annuals = [r.meeting_date for r in held if r.kind == _ANNUAL]
    last_annual = max(annuals) if annuals else None
    annual = _due(_ANNUAL, None, add_months(last_annual or start_date, ANNUAL_MONTHS), today,
                  _first_booked(booked, _ANNUAL) if booked else _NOTHING_BOOKED)
    due.append(annual)

    # The interim review is half way to the next appraisal; once that appraisal is near, booked or
    # late, the appraisal takes its place (an interim "overdue by 236 days" was chased, and shown as
    # the next review, while the appraisal itself was overdue).
    if last_annual is not None and annual.status is DueStatus.UP_TO_DATE:
        interim_held = any(r.kind == _INTERIM and r.meeting_date > last_annual for r in held)
        if not interim_held:
            due.append(_due(_INTERIM, None, add_months(last_annual, INTERIM_MONTHS), today,
                            _first_booked(booked, _INTERIM) if booked else _NOTHING_BOOKED))
    if len(due) > 1:
        due.sort(key=lambda d: d.due_on)
    return tuple(due)


def next_due(items: Sequence[DueReview]) -> DueReview | None:
    """The one a manager should act on: the most urgent, then the soonest."""
    if not items:
        return None
    return max(items, key=lambda d: (DUE_SEVERITY[d.status], -d.due_on.toordinal()))


def suggested_period(kind: str, start_date: date, last_period_end: date | None, meeting: date) -> tuple[date, date]:
    """The period a new review looks back over: since the last review, since starting, or the
    year (six months for an interim review) up to and including the meeting."""
    if last_period_end is not None and last_period_end < meeting:
        begin = last_period_end + timedelta(days=1)
    elif kind == ReviewKind.PROBATION:
        begin = start_date
    else:
        months = INTERIM_MONTHS if kind == ReviewKind.INTERIM else ANNUAL_MONTHS
        begin = max(start_date, months_window_start(meeting, months))
    return min(begin, meeting), meeting


# --------------------------------------------------------------------------- supervision over a period


@dataclass(frozen=True, slots=True)
class Gap:
    """A stretch with no session after one was due: from the due date to the next session (or the
    end of the period)."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days


FrequencyAt = Callable[[date], "object | None"]
"""Given a day, the expected `Frequency` then (or None when nothing is expected)."""


def expected_sessions(begin: date, end: date, frequency_at: FrequencyAt) -> int:
    """How many sessions the expected frequency asks for between `begin` and `end`, both days
    included: one per interval, counting an interval cut short by the end of the period when at
    least half of it falls inside. The interval is the frequency in force at its start, so a
    weekly start that becomes monthly counts both ways."""
    count, day, stop = 0, begin, end + timedelta(days=1)
    for _ in range(5000):
        if day >= stop:
            break
        frequency = frequency_at(day)
        if frequency is None:
            day += timedelta(days=30)
            continue
        following = frequency.next_due(day)
        if 2 * (min(following, stop) - day).days >= (following - day).days:
            count += 1
        day = following
    return count


def supervision_gaps(
    session_days: Iterable[date], begin: date, end: date, frequency_at: FrequencyAt, *, before: date | None = None,
    since: date | None = None,
) -> list[Gap]:
    """Stretches in `begin`..`end` when a session was overdue. `before` is the last session
    before the period, so a gap running into the period is measured from its true start; with
    none, `since` is when the clock started (the first arrangement, else the start in post: the
    first session falls due one interval after it, as on the matrix). Without either, the clock
    starts with the period: the appraisal pack passes `since`, since without it someone never
    supervised in years had a gap beginning a whole interval into the period."""
    days = sorted({d for d in session_days if begin <= d <= end})
    gaps: list[Gap] = []
    last = before
    for day in [*days, None]:
        stop = end if day is None else day
        reference = last if last is not None else (since if since is not None else begin)
        frequency = frequency_at(reference)
        if frequency is None and last is None and reference < begin:
            frequency = frequency_at(begin)  # not yet required when the clock started, but by the period
        if frequency is not None:
            due = max(frequency.next_due(reference), begin)
            if stop > due:
                gaps.append(Gap(due, stop))
        if day is None:
            break
        last = day
    return gaps


# --------------------------------------------------------------------------- themes


_STOP_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have having
he her here hers him his how i if in into is it its itself just last me more most my new next no nor not now
of off on once only or other our out over own same she should so some such than that the their them then
there these they this those through to too two under until up very was we were what when where which while
who whom why will with would you your one three four five ten session sessions discussion discussed review
reviewed agreed plan progress time week weeks month months since current recent difficult same-day
""".split())
_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’-](?=[^\W\d_]))*", re.UNICODE)


def _stem(word: str) -> str:
    """Fold simple plurals so 'referral' and 'referrals' count as one theme."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def topic_themes(texts: Iterable[str], limit: int = 8, minimum: int = 2) -> list[tuple[str, int]]:
    """The words that recur across session topics, with the number of sessions mentioning each.

    A word counts once per session however often it appears there. Common words are ignored;
    a theme needs at least `minimum` sessions. Ties go to the word seen first.
    """
    counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    shown: dict[str, str] = {}
    for text in texts:
        words = {_stem(w.casefold()): w for w in _WORD.findall(text or "")}
        for key, original in words.items():
            if len(key) < 3 or key in _STOP_WORDS:
                continue
            counts[key] += 1
            first_seen.setdefault(key, len(first_seen))
            shown.setdefault(key, original.lower() if not original.isupper() else original)
    ranked = sorted((k for k, n in counts.items() if n >= minimum), key=lambda k: (-counts[k], first_seen[k]))
    return [(shown[k], counts[k]) for k in ranked[:limit]]
