"""Assurance rules: the Network Contract's checks, with the "what matters to me" check-ins
(`domain.checkins`) and 12-month retention (`domain.workforce_retention`) re-exported here.
Plain facts in, plain answers out (no Qt, no store).

Checks (resources/assurance/checks.json, each with the source of its requirement) are evaluated
per person from `PersonFacts` gathered by `services.assurance`; each gives met, not met or not
applicable with the reason in words and the page holding the evidence, so a clinical director can
act on it and a commissioner can read it. A check applies only when the requirement does: the
probation check follows `domain.reviews.probation_standing` (the Reviews page's rule), supervision
and appraisal pause while someone is on leave, the pathway check covers the roles whose minimum
requirements include one, and an induction item counts once it is due. An induction completed
before records began (attested) answers the induction checks for someone without a checklist.
A page checks thousands of people with one `Evaluator`, which hands the same answer to everyone
whose facts a check reads are the same (`evaluate` is the rule it is held to).
The checks file's definitions are read in `assurance_checks`; the rules that answer them are here.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import NamedTuple

from arrs_desk.domain.assurance_checks import (  # noqa: F401  (re-exported: callers import them from here)
    AssuranceFile, CheckDefinition, CheckFile, Key, Text, builtin_checks, probation_check, read_assurance_file,
)
from arrs_desk.domain.checkins import (  # noqa: F401  (re-exported: callers import them from here)
    MIN_GROUP, SCALE_POINTS, SUMMARY_MONTHS, SUPPRESSED_TEXT, CheckinConfig, CheckinPoint, GroupSummary,
    PointStatus, Statement, add_to_counts, answer_problems, builtin_checkins, checkin_points, empty_counts,
    first_round_shown, may_release, open_checkin, round_of, schedule_months, schedule_problem, summarise_tallies,
)
from arrs_desk.domain.dates import add_months, format_uk
from arrs_desk.domain.reviews import (
    ProbationState, ReviewFact, ReviewKind, in_this_employment, is_held, probation_standing,
)
from arrs_desk.domain.workforce_retention import (  # noqa: F401  (re-exported: callers import them from here)
    RetentionRow, Tenure, retention,
)



# ============================================================================ evaluation
class CheckStatus(StrEnum):
    MET = "met"
    NOT_MET = "not-met"
    NOT_APPLICABLE = "na"

    @property
    def label(self) -> str:
        return {"met": "Met", "not-met": "Not met", "na": "N/A"}[self.value]


@dataclass(frozen=True, slots=True)
class TagProgress:
    """The induction items carrying one tag, for one person."""

    total: int
    done: int
    """Complete or marked not applicable."""
    late: int = 0
    """Not done and past due (`domain.induction.past_due`: never before the day after day one)."""
    awaiting: int = 0
    """Of the late ones, ticked and waiting for the line manager's sign-off."""
    next_due: date | None = None
    """The earliest due date among the items not done."""


@dataclass(frozen=True, slots=True)
class PriorInduction:
    """An induction completed before the PCN's records began, attested by someone who knows."""

    completed_on: date
    attested_by: str
    attested_role: str

    @property
    def text(self) -> str:
        """'Induction completed before records began (dd/mm/yyyy), attested by X, role'."""
        who = ", ".join(filter(None, (self.attested_by, self.attested_role)))  # the names given, no blanks
        return f"Induction completed before records began ({format_uk(self.completed_on)}), attested by {who}"


@dataclass(frozen=True, slots=True)
class RevalidationFact:
    """How the person's revalidation stands (`domain.revalidation.assess`, worked out by the
    revalidation service): the check reads the status, never the dates behind it."""

    status: str
    """A `domain.revalidation.Status` value: ready, on_track, at_risk, overdue or unknown."""
    reason: str
    notice_from: date | None = None
    """When the regulator has written (`Assessment.notice_from`): the cycle's notice period begins, or
    a CPD audit letter came before it; None when there is no cycle."""
    audit_unanswered: bool = False
    """Picked for a CPD audit, the profile not yet sent: what holds the status at risk, not a due date."""


_NO_TAGS: Mapping[str, TagProgress] = MappingProxyType({})


class PersonFacts(NamedTuple):
    """What the records say about one person, as far as the checks need. A named tuple, not a frozen
    dataclass: Home and the Assurance page gather one for everyone in post, and a named tuple of
    twenty fields is made in less than half the time."""

    staff_id: int
    start_date: date
    end_date: date | None = None
    on_leave: bool = False
    temporary_cover: bool = False
    role_code: str = ""
    registration_required: bool = False
    registration_number: str = ""
    registration_renewal: date | None = None
    revalidation: RevalidationFact | None = None
    """None when the revalidation records were not read."""
    supervision_status: str | None = None
    """The clinical supervision compliance value (domain.supervision.ComplianceStatus), None if not required."""
    supervision_last: date | None = None
    supervision_next_due: date | None = None
    supervision_overdue_days: int = 0
    reviews: tuple[ReviewFact, ...] = ()
    """Every review recorded for the person, held or booked."""
    enrolments: tuple[tuple[str, str], ...] = ()
    """(programme title, domain.programmes.EnrolmentStatus value) of each programme enrolment."""
    role_has_pathway: bool = False
    """A programme for the person's role is set up under Programmes."""
    has_checklist: bool = False
    induction_tags: Mapping[str, TagProgress] = _NO_TAGS
    """tag -> the person's items carrying it (empty without a checklist)."""
    prior_induction: PriorInduction | None = None
    training: tuple[tuple[str, str], ...] | None = None
    """(subject title, domain.training.TrainingStatus value) for each subject the role needs; None when
    the training record was not read."""


class CheckResult(NamedTuple):
    """One check's answer for one person. A named tuple, not a frozen dataclass: the Home page and
    the Assurance page make one per person and check (45,000 at 5,000 staff), and a tuple is made in
    half the time."""

    code: str
    status: CheckStatus
    reason: str
    """Why, in words: every status has one, so N/A is never a blank."""
    evidence: str
    """The page that holds the record behind the answer."""


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"



def _months(count: int) -> str:
    return "1 month" if count == 1 else f"{count} months"


def _in_post_months(facts: PersonFacts, today: date, months: int) -> bool:
    return add_months(facts.start_date, months) <= today


_ON_LEAVE = "On leave: not expected while the person is away; it applies again when they return"


def _supervision(c: CheckDefinition, f: PersonFacts, today: date) -> tuple[CheckStatus, str]:
    s = f.supervision_status
    if s is None or s == "not-applicable":
        return CheckStatus.NOT_APPLICABLE, "Clinical supervision is not required for this role"
    if f.on_leave:
        return CheckStatus.NOT_APPLICABLE, _ON_LEAVE
    if s in ("in-date", "due-soon"):
        if f.supervision_last is None:
            return CheckStatus.MET, f"Supervisor arranged; the first session is due by {format_uk(f.supervision_next_due)}"
        return CheckStatus.MET, f"Supervisor arranged; last session {format_uk(f.supervision_last)}"
    if s == "overdue":
        return CheckStatus.NOT_MET, (f"Session overdue by {_days(f.supervision_overdue_days)} "
                                     f"(last {format_uk(f.supervision_last) or 'none'})")
    if s == "never-held":
        return CheckStatus.NOT_MET, (f"Supervisor arranged but no session recorded; the first was due "
                                     f"{format_uk(f.supervision_next_due)} ({_days(f.supervision_overdue_days)} ago)")
    if s == "supervisor-left":
        return CheckStatus.NOT_MET, "The named supervisor has left; arrange a new one"
    if s == "ended":
        return CheckStatus.NOT_MET, "The supervision arrangement has ended; arrange a new one"
    return CheckStatus.NOT_MET, "No clinical supervisor arranged"


def _review(c: CheckDefinition, f: PersonFacts, today: date) -> tuple[CheckStatus, str]:
    months = c.months or 12
    if not _in_post_months(f, today, months):
        return CheckStatus.NOT_APPLICABLE, (f"In post less than {_months(months)}: the first appraisal is due "
                                            f"{format_uk(add_months(f.start_date, months))}")
    if f.on_leave:
        return CheckStatus.NOT_APPLICABLE, _ON_LEAVE
    # Only this employment's reviews (the Reviews page's rule): a returner was told "Last review
    # held" with the date of an appraisal in the job they had left.
    held = [r.meeting_date for r in f.reviews if is_held(r.meeting_date, today)
            and in_this_employment(r.meeting_date, f.start_date)]
    last = max(held) if held else None
    if last and add_months(last, months) > today:
        return CheckStatus.MET, f"Last review held {format_uk(last)}"
    if last:
        return CheckStatus.NOT_MET, f"Last review held {format_uk(last)}, more than {_months(months)} ago"
    if any(is_held(r.meeting_date, today) for r in f.reviews):
        return CheckStatus.NOT_MET, (f"No review or appraisal held since starting again on "
                                     f"{format_uk(f.start_date)} (the earlier ones were in the previous employment)")
    return CheckStatus.NOT_MET, "No review or appraisal recorded"


_PROBATION_KIND = ReviewKind.PROBATION.value


def _probation(c: CheckDefinition, f: PersonFacts, today: date) -> tuple[CheckStatus, str]:
    """Reads only the start date and the probation reviews (`Evaluator` shares answers by them)."""
    standing = probation_standing(f.start_date, f.reviews, today, c.grace_months)
    last = standing.stages[-1]
    if standing.state is ProbationState.PASSED:
        return CheckStatus.MET, f"Probation passed: {last.month}-month probation review held {format_uk(last.held_on)}"
    if standing.state is ProbationState.CLOSED:
        return CheckStatus.NOT_APPLICABLE, (
            f"Probation no longer applies: the probation period ended {format_uk(standing.ends_on)}, more than "
            f"{_months(c.grace_months or 0)} ago, and the appraisal check covers reviews since")
    late = [s for s in standing.stages if s.overdue(today)]
    if late:
        stage = late[-1]
        booked = f"; booked for {format_uk(stage.booked_on)}" if stage.booked_on else ("; booked" if stage.booked else "")
        return CheckStatus.NOT_MET, (f"{stage.month}-month probation review was due {format_uk(stage.due_on)} and has not "
                                     f"been held{booked}")
    held = [s for s in standing.stages if s.held_on is not None]
    upcoming = next(s for s in standing.stages if s.held_on is None)
    if held:
        return CheckStatus.MET, (f"{held[-1].month}-month probation review held {format_uk(held[-1].held_on)}; the "
                                 f"{upcoming.month}-month review is due {format_uk(upcoming.due_on)}")
    return CheckStatus.NOT_APPLICABLE, (f"Not due yet: the first probation review ({upcoming.month} months) is due "
                                        f"{format_uk(upcoming.due_on)}")


def _registration(c: CheckDefinition, f: PersonFacts, today: date) -> tuple[CheckStatus, str]:
    """Registered, and revalidation on track: not met when the registration has lapsed or is not
    recorded, when revalidation is overdue, when it is due soon with requirements to meet once the
    regulator's notice period has begun, or while a CPD audit profile is unsent (checks.json gives
    the rule and its source). Someone on a register whose role does not
    require one (a mental health practitioner who is a nurse) is held to their revalidation."""
    if not f.registration_required:
        if f.revalidation is None:
            return CheckStatus.NOT_APPLICABLE, "The role does not require professional registration"
        return _revalidation(f.revalidation, today, "On a professional register (not required for the role)")
    if not f.registration_number:
        return CheckStatus.NOT_MET, "No registration number recorded"
    if f.registration_renewal is None:
        return CheckStatus.NOT_MET, "No registration renewal date recorded"
    if f.registration_renewal < today:
        return CheckStatus.NOT_MET, f"Registration renewal was due {format_uk(f.registration_renewal)}"
    registered = f"Registered; renewal due {format_uk(f.registration_renewal)}"
    if f.revalidation is None:
        return CheckStatus.MET, registered
    return _revalidation(f.revalidation, today, registered)


def _revalidation(r: RevalidationFact, today: date, registered: str) -> tuple[CheckStatus, str]:
    why = r.reason.rstrip(".")  # the check's reasons, like the others, end without a full stop
    if r.status == "overdue":
        return CheckStatus.NOT_MET, why
    if r.status == "at_risk" and r.audit_unanswered:
        return CheckStatus.NOT_MET, f"At risk until the CPD audit profile is sent: {why}"
    if r.status == "at_risk":  # due soon with requirements to meet: a gap once the regulator's notice begins
        if r.notice_from is None or r.notice_from <= today:
            since = f" (began {format_uk(r.notice_from)})" if r.notice_from else ""
            return CheckStatus.NOT_MET, f"At risk within the regulator's notice period{since}: {why}"
        return CheckStatus.MET, (f"{registered}; revalidation due soon, counted as not met from "
                                 f"{format_uk(r.notice_from)} when the regulator's notice period begins: {why}")
    if r.status == "unknown":
        return CheckStatus.MET, f"{registered}; revalidation not known: {why}"
    return CheckStatus.MET, f"{registered}; revalidation {'ready' if r.status == 'ready' else 'on track'}"


def _pathway(c: CheckDefinition, f: PersonFacts, today: date) -> tuple[CheckStatus, str]:
    if f.role_code not in (c.roles or ()):
        return CheckStatus.NOT_APPLICABLE, "A training pathway is not among this role's minimum requirements"
    completed = [title for title, status in f.enrolments if status == "completed"]
    if completed:
        return CheckStatus.MET, f"Completed {completed[0]}"
    current = [(title, status) for title, status in f.enrolments if status != "withdrawn"]
    if current:
        title, status = current[0]
        return CheckStatus.MET, f"Enrolled on {title}" + (" (paused)" if status == "paused" else "")
    expected = add_months(f.start_date, c.months or 1)
    if today < expected:
        return CheckStatus.NOT_APPLICABLE, f"Not due yet: enrolment is expected by {format_uk(expected)}"
    if f.enrolments:
        return CheckStatus.NOT_MET, f"Withdrawn from {f.enrolments[0][0]} and not enrolled again"
    if not f.role_has_pathway:
        return CheckStatus.NOT_MET, ("Not enrolled on a training pathway, and no programme for this role is set up "
                                     "under Programmes")
    return CheckStatus.NOT_MET, f"Not enrolled on the role's training pathway (expected by {format_uk(expected)})"


def _engagement(c: CheckDefinition, f: PersonFacts, today: date) -> tuple[CheckStatus, str]:
    if f.temporary_cover:
        return CheckStatus.NOT_APPLICABLE, "Marked as temporary cover, which the six-month minimum does not apply to"
    months = c.months or 6
    if f.end_date is None:
        return CheckStatus.MET, "Open-ended engagement (no end date)"
    if f.end_date >= add_months(f.start_date, months) - timedelta(days=1):
        return CheckStatus.MET, f"Engaged until {format_uk(f.end_date)}"
    return CheckStatus.NOT_MET, f"Engagement ends {format_uk(f.end_date)}, less than {_months(months)} after starting"


def _items(count: int) -> str:
    return "1 induction item" if count == 1 else f"{count} induction items"


def _induction_tag(c: CheckDefinition, f: PersonFacts, today: date) -> tuple[CheckStatus, str]:
    if not f.has_checklist:
        if f.prior_induction is not None:
            return CheckStatus.MET, f.prior_induction.text
        return CheckStatus.NOT_MET, ("No induction checklist, and no record of an induction completed before "
                                     "records began")
    tag = f.induction_tags.get(c.tag or "")
    if tag is None or tag.total == 0:
        return CheckStatus.NOT_APPLICABLE, "No item of this person's induction checklist covers this"
    if tag.done >= tag.total:
        return CheckStatus.MET, f"Confirmed in induction ({tag.total} of {tag.total} items complete)"
    if tag.late:
        waiting = tag.awaiting
        if waiting == tag.late:
            return CheckStatus.NOT_MET, f"{_items(waiting)} past due and awaiting the line manager's sign-off"
        text = f"{_items(tag.late)} past due and not complete"
        return CheckStatus.NOT_MET, text + (f" ({waiting} awaiting sign-off)" if waiting else "")
    if tag.next_due is not None and tag.next_due < today:  # due before the start, not late until after day one
        return CheckStatus.NOT_APPLICABLE, (f"Not late yet: {tag.done} of {tag.total} items complete; the steps due "
                                            "before the start count as late after the first day")
    return CheckStatus.NOT_APPLICABLE, (f"Not due yet: {tag.done} of {tag.total} items complete, the rest due by "
                                        f"{format_uk(tag.next_due)}")


def _training(c: CheckDefinition, f: PersonFacts, today: date) -> tuple[CheckStatus, str]:
    if f.training is None:
        return CheckStatus.NOT_APPLICABLE, "Training records were not read for this report"
    missing = [(title, status) for title, status in f.training if status in ("expired", "never")]
    if not missing:
        soon = [title for title, status in f.training if status == "due-soon"]
        return CheckStatus.MET, ("All in date" + (f"; refresher due soon: {', '.join(soon)}" if soon else ""))
    expired = [title for title, status in missing if status == "expired"]
    never = [title for title, status in missing if status == "never"]
    words = "; ".join(part for part in (f"expired: {', '.join(expired)}" if expired else "",
                                        f"never done: {', '.join(never)}" if never else "") if part)
    if not expired and not _in_post_months(f, today, c.grace_months or 0):
        return CheckStatus.NOT_APPLICABLE, (f"Starter's first {_months(c.grace_months or 0)}: {len(never)} "
                                            f"subject{'s' if len(never) != 1 else ''} still to do")
    return CheckStatus.NOT_MET, words[0].upper() + words[1:]


_RULES = {
    "supervision": _supervision, "review": _review, "probation": _probation, "registration": _registration,
    "pathway": _pathway, "engagement": _engagement, "induction-tag": _induction_tag, "training": _training,
}


def evaluate(facts: PersonFacts, today: date, checks: Sequence[CheckDefinition] | None = None) -> tuple[CheckResult, ...]:
    """Every check for one person, in the order of the checks file. For everyone a page shows,
    `Evaluator` gives the same answers (a test holds it to this) in a fraction of the time."""
    results = []
    for check in checks if checks is not None else builtin_checks():
        status, reason = _RULES[check.kind](check, facts, today)
        results.append(CheckResult(check.code, status, reason, check.evidence))
    return tuple(results)


_SHARED_BY: dict[str, Callable[[CheckDefinition, PersonFacts, date], Hashable]] = {
    # Every fact the rule reads, and nothing else: people with the same key get the same answer.
    # Most people share theirs with others: at 5,000 staff about 2,200 keys for probation, 600
    # for training and 300 for supervision, among 4,400 people in post.
    "probation": lambda c, f, today: (f.start_date, *[r for r in f.reviews if r.kind == _PROBATION_KIND]),
    "training": lambda c, f, today: (f.training, f.training is not None and _in_post_months(f, today, c.grace_months or 0)),
    "supervision": lambda c, f, today: (f.supervision_status, f.on_leave, f.supervision_last, f.supervision_next_due,
                                        f.supervision_overdue_days),
}


class Evaluator:
    """`evaluate` for many people on one day: a page that checks everyone makes one for the read
    and calls it per person; it keeps nothing beyond that read.

    Each check's rule, code and evidence are looked up once, not once per person. A check whose
    rule reads only a few facts (`_SHARED_BY`) is worked out once for each distinct set of them,
    and the same answer (a frozen tuple) handed to everyone who shares it."""

    __slots__ = ("_answers",)

    def __init__(self, today: date, checks: Sequence[CheckDefinition] | None = None) -> None:
        self._answers = tuple(_answer(check, today) for check in (checks if checks is not None else builtin_checks()))

    def __call__(self, facts: PersonFacts) -> tuple[CheckResult, ...]:
        """Every check for one person, in the order of the checks."""
        return tuple([answer(facts) for answer in self._answers])

    def many(self, people: Sequence[PersonFacts]) -> list[tuple[CheckResult, ...]]:
        """`[self(facts) for facts in people]`, worked out check by check: each check's answer is
        mapped over everyone and the columns zipped into rows, so a page of thousands takes no
        Python step per person beyond the rules themselves."""
        return list(zip(*[list(map(answer, people)) for answer in self._answers])) if people else []


def _answer(check: CheckDefinition, today: date) -> Callable[[PersonFacts], CheckResult]:
    """One check's answer for a person, as a function of their facts (see `Evaluator`)."""
    rule, code, evidence = _RULES[check.kind], check.code, check.evidence
    shared_by = _SHARED_BY.get(check.kind)
    if shared_by is None:
        return lambda facts: CheckResult(code, *rule(check, facts, today), evidence)
    kept: dict[Hashable, CheckResult] = {}

    def shared(facts: PersonFacts) -> CheckResult:
        key = shared_by(check, facts, today)
        answer = kept.get(key)
        if answer is None:
            answer = kept[key] = CheckResult(code, *rule(check, facts, today), evidence)
        return answer
    return shared
