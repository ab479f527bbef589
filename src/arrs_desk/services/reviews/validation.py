"""Checking what the review editor sends, before anything is written.

Every field is checked and every problem reported at once, keyed by the field the editor marks.
The date rules themselves are in `arrs_desk.domain.review_dates`; this module applies them and
checks what needs the database (the appraiser chosen, the items that belong to the review).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from arrs_desk.domain import reviews as rules
from arrs_desk.domain import staff as staff_rules
from arrs_desk.domain.review_dates import meeting_date_problem, period_problem, plan_date_problem
from arrs_desk.domain.reviews import ObjectiveStatus, Outcome, PdpStatus, ReviewKind
from arrs_desk.domain.staff import StaffStatus
from arrs_desk.errors import ValidationError
from arrs_desk.services._common import clean_text
from arrs_desk.services.reviews.facts import eligible_appraisers
from arrs_desk.services.reviews.views import ObjectiveInput, PdpInput, ReviewInput
from arrs_desk.store.models import ExternalPerson, Review, ReviewObjective, ReviewPdpItem, Staff

MAX_ITEMS = 20
"""Objectives, and development plan items, one review may hold."""


def validated(session: Session, data: ReviewInput, staff: Staff, review: Review | None,
              today: date) -> tuple[dict[str, Any], list[ObjectiveInput], list[PdpInput]]:
    """The review's stored values and its cleaned items, or a ValidationError naming every field at fault."""
    problems: dict[str, str] = {}
    appraiser_name = _appraiser_name(session, data, staff, review, problems)
    known_objectives, known_pdp = (set(), set()) if review is None else (
        set(session.execute(select(model.id).where(model.review_id == review.id)).scalars())
        for model in (ReviewObjective, ReviewPdpItem))
    return checked(data, staff.start_date, today, appraiser_name, problems.get("appraiser"), known_objectives,
                   known_pdp)


def checked(data: ReviewInput, start_date: date, today: date, appraiser_name: str, appraiser_problem: str | None,
            known_objectives: set[int], known_pdp: set[int]) -> tuple[dict[str, Any], list[ObjectiveInput],
                                                                        list[PdpInput]]:
    """`validated` once what needs the database is known: the appraiser's name, or what is wrong
    with the choice, and the ids of the items the review holds. The demonstration PCN's review
    histories, written in bulk, are checked by this too."""
    errors: dict[str, str] = {}
    try:
        kind = ReviewKind(data.kind)
    except ValueError:
        errors["kind"] = "Choose the kind of review: probation review, interim review or annual appraisal."
        kind = None
    month = data.probation_month
    if kind is ReviewKind.PROBATION:
        if month not in rules.PROBATION_MONTHS:
            errors["probation_month"] = ("Choose which probation review this is: at "
                                         + " or ".join(f"{m} months" for m in rules.PROBATION_MONTHS) + ".")
    else:
        month = None
    start, end, meeting = data.period_start, data.period_end, data.meeting_date
    if problem := period_problem(start, end, today, start_date):
        errors["period"] = problem
    if problem := meeting_date_problem(meeting, start_date, today):
        errors["meeting_date"] = problem
    if appraiser_problem:
        errors["appraiser"] = appraiser_problem

    summary = clean_text(data.appraiser_summary, multiline=True)
    if len(summary) > rules.MAX_LONG_TEXT:
        errors["appraiser_summary"] = (f"The discussion summary is too long ({len(summary):,} characters); "
                                       f"{rules.MAX_LONG_TEXT:,} is the most.")
    try:
        outcome = Outcome(data.outcome or "")
    except ValueError:
        errors["outcome"] = "Choose the outcome: not yet decided, agreed, or needs follow-up."
        outcome = Outcome.UNDECIDED
    note = clean_text(data.outcome_note, multiline=True)
    if outcome is not Outcome.UNDECIDED and not rules.is_held(meeting, today):
        errors["outcome"] = "Record the outcome once the meeting has been held (its date today or earlier)."
    elif outcome is Outcome.FOLLOW_UP and not note:
        errors["outcome_note"] = "Say what follow-up is needed, by whom and by when."
    if len(note) > rules.MAX_NOTE:
        errors["outcome_note"] = f"The outcome note is too long ({len(note):,} characters); {rules.MAX_NOTE:,} is the most."

    objectives, problems = _checked_items(
        known_objectives, data.objectives, lambda item: _objective_problems(item, today), label="Objective",
        too_many=f"A review can hold at most {MAX_ITEMS} objectives")
    if problems:
        errors["objectives"] = problems
    pdp, problems = _checked_items(
        known_pdp, data.pdp, lambda item: _pdp_problems(item, today), label="Development plan item",
        too_many=f"A development plan can hold at most {MAX_ITEMS} items")
    if problems:
        errors["pdp"] = problems
    if errors:
        raise ValidationError(errors)
    return (dict(kind=kind.value, probation_month=month, period_start=start, period_end=end, meeting_date=meeting,
                 appraiser_staff_id=data.appraiser_staff_id, appraiser_external_id=data.appraiser_external_id,
                 appraiser_name=appraiser_name, appraiser_summary=summary, outcome=outcome.value,
                 outcome_note=note), objectives, pdp)


def _appraiser_name(session: Session, data: ReviewInput, staff: Staff, review: Review | None,
                    errors: dict[str, str]) -> str:
    """The chosen appraiser's name as the review keeps it; a problem goes into `errors`. A review
    keeps the appraiser it was saved with even if they could no longer be chosen for a new one."""
    staff_appraiser, external_appraiser = data.appraiser_staff_id, data.appraiser_external_id
    if (staff_appraiser is None) == (external_appraiser is None):
        errors["appraiser"] = "Choose the appraiser: a colleague, or an appraiser from outside the PCN."
    elif staff_appraiser is not None:
        colleague = session.get(Staff, staff_appraiser)
        if staff_appraiser == staff.id:
            errors["appraiser"] = "Nobody appraises themself: choose another colleague as appraiser."
        elif colleague is None or colleague.status == StaffStatus.LEFT:
            errors["appraiser"] = "The chosen appraiser is not a current member of staff; choose another."
        else:
            name = staff_rules.display_name(colleague.given_name, colleague.family_name, colleague.preferred_name)
            if staff_appraiser in eligible_appraisers(session, {staff_appraiser}) or (
                    review is not None and review.appraiser_staff_id == staff_appraiser):
                return name
            errors["appraiser"] = (
                f"{name} cannot write or sign reviews in ARRS Desk: choose a colleague whose account has the "
                "appraiser or line manager role, or an appraiser from outside the PCN.")
    else:
        external = session.get(ExternalPerson, external_appraiser)
        if external is None or (not external.active and (review is None or review.appraiser_external_id != external_appraiser)):
            errors["appraiser"] = "The chosen external appraiser is no longer on the list; choose another."
        else:
            return external.name
    return ""


def _checked_items(known: set[int], items: list, check: Callable, *, label: str, too_many: str) -> tuple[list, str]:
    """Clean each item of a list the editor sent and collect one line per item with problems
    (empty text when all is well). An item id must be one of those the review holds (`known`)."""
    problems = [f"{too_many}; this one has {len(items)}."] if len(items) > MAX_ITEMS else []
    cleaned = []
    for number, item in enumerate(items, start=1):
        said, clean = check(item)
        if item.id is not None and item.id not in known:
            said.insert(0, "it belongs to another review; reopen this review and try again")
        if said:
            problems.append(f"{label} {number}: " + "; ".join(said) + ".")
        cleaned.append(clean)
    return cleaned, "\n".join(problems)


def _objective_problems(item: ObjectiveInput, today: date) -> tuple[list[str], ObjectiveInput]:
    description = clean_text(item.description, multiline=True)
    measure = clean_text(item.measure, multiline=True)
    progress = clean_text(item.progress, multiline=True)
    said = []
    if sum(ch.isalnum() for ch in description) < 5:
        said.append("describe what is to be achieved")
    elif len(description) > rules.MAX_NOTE:
        said.append(f"keep the description to {rules.MAX_NOTE:,} characters")
    if not measure:
        said.append("say how achievement will be measured")
    elif len(measure) > rules.MAX_NOTE:
        said.append(f"keep the measure to {rules.MAX_NOTE:,} characters")
    if item.due_date is None:
        said.append("give the date it should be achieved by")
    elif problem := plan_date_problem(item.due_date, today):
        said.append(problem)
    if item.status not in {s.value for s in ObjectiveStatus}:
        said.append("choose a status")
    if len(progress) > rules.MAX_NOTE:
        said.append(f"keep the progress note to {rules.MAX_NOTE:,} characters")
    return said, ObjectiveInput(item.id, description, measure, item.due_date, item.status, progress)


def _pdp_problems(item: PdpInput, today: date) -> tuple[list[str], PdpInput]:
    need, action, support = (clean_text(v, multiline=True) for v in (item.need, item.action, item.support))
    said = []
    if sum(ch.isalnum() for ch in need) < 3:
        said.append("say what the development need is")
    if sum(ch.isalnum() for ch in action) < 3:
        said.append("say what will be done to meet it")
    for value, label in ((need, "need"), (action, "action"), (support, "support")):
        if len(value) > rules.MAX_NOTE:
            said.append(f"keep the {label} to {rules.MAX_NOTE:,} characters")
    if problem := plan_date_problem(item.target_date, today):
        said.append(problem)
    if item.status not in {s.value for s in PdpStatus}:
        said.append("choose a status")
    return said, PdpInput(item.id, need, action, support, item.target_date, item.status)
