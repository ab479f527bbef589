"""Writing a review: recording it with its objectives and development plan, changing it,
carrying open objectives forward, the person's self-assessment, and removing one made by mistake.

Each function works within the caller's transaction and checks, validates and audits there, so a
change is written whole or not at all. Objectives and plan items are saved with the review under
its version, so two people editing the same review cannot both win; a change to a review one
party has signed clears that signature, and the audit trail says so. The service runs these one
per transaction; the demonstration data runs many in one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from arrs_desk.domain import reviews as rules
from arrs_desk.domain.dates import format_uk
from arrs_desk.domain.permissions import Action
from arrs_desk.domain.review_dates import previous_review
from arrs_desk.domain.reviews import Party
from arrs_desk.errors import StaleEdit, ValidationError
from arrs_desk.services import audit
from arrs_desk.services._common import apply_update, clean_text, get_or_404, require
from arrs_desk.services.actor import Actor
from arrs_desk.services.relationships import relationship
from arrs_desk.services.reviews.facts import (
    carried_ids, load_objectives, load_pdp, load_signatures, person_name, review_label, short, staff_for,
)
from arrs_desk.services.reviews.validation import MAX_ITEMS, validated
from arrs_desk.services.reviews.views import ObjectiveInput, PdpInput, ReviewInput
from arrs_desk.store.models import Review, ReviewObjective, ReviewPdpItem, ReviewSignOff, Staff

PRIVATE = "(private)"
"""What the audit trail holds instead of self-assessments and reflections: administrators read
the audit trail, and these are for the person and those who manage or appraise them."""

OBJECTIVE_FIELDS = ("description", "measure", "due_date", "status", "progress")
PDP_FIELDS = ("need", "action", "support", "target_date", "status")


def create(session: Session, actor: Actor, today: date, data: ReviewInput, carry_forward: bool) -> Review:
    staff = staff_for(session, data.staff_id)
    require(actor, Action.WRITE_REVIEW, relationship(session, actor, staff.id, today))
    values, objectives, pdp = validated(session, data, staff, None, today)
    review = Review(**values, staff_id=staff.id, created_by_user_id=actor.user_id,
                    created_by_name=actor.display_name)
    session.add(review)
    session.flush()
    _write_children(session, review, objectives, pdp, {}, {})
    carried = _carry_forward(session, review, len(objectives)) if carry_forward else 0
    audit.record(session, actor, "create", "review", review.id,
                 *created_audit(review, person_name(session, staff.id), values, len(objectives), len(pdp), carried),
                 subject_staff_id=staff.id)
    return review


def update(session: Session, actor: Actor, today: date, review_id: int, data: ReviewInput,
           expected_version: int) -> Review:
    review, signed = editable(session, actor, today, review_id, expected_version, Action.WRITE_REVIEW)
    if data.staff_id is not None and data.staff_id != review.staff_id:
        raise ValidationError.single("staff_id", "A review cannot be moved to another person; record a new one.")
    staff = session.get(Staff, review.staff_id)
    values, objectives, pdp = validated(session, data, staff, review, today)
    before = {k: getattr(review, k) for k in values}
    old_objectives = {o.id: o for o in load_objectives(session, review.id)}
    old_pdp = {p.id: p for p in load_pdp(session, review.id)}
    _refuse_removing_carried(session, old_objectives, objectives)
    if before == values and _same_items(objectives, old_objectives, OBJECTIVE_FIELDS) \
            and _same_items(pdp, old_pdp, PDP_FIELDS):
        return review  # saved as it was (`editable` checked the version): no version moved under others' feet
    changes = audit.diff(_audited(before), _audited(values))
    changes.update(_write_children(session, review, objectives, pdp, old_objectives, old_pdp))
    apply_update(session, review, values, expected_version, "review")
    cleared = clear_signatures(session, review, signed) if changes else []
    if changes:
        audit.record(session, actor, "update", "review", review.id,
                     *updated_audit(review, person_name(session, review.staff_id), changes, cleared),
                     subject_staff_id=review.staff_id)
    return review


def carry(session: Session, actor: Actor, today: date, review_id: int, expected_version: int) -> Review:
    """Copy the previous review's open objectives (those not carried already) into this one."""
    review, signed = editable(session, actor, today, review_id, expected_version, Action.WRITE_REVIEW)
    carried = _carry_forward(session, review)
    if not carried:
        raise ValidationError.single(
            "objectives", "The previous review has no open objectives left to carry forward: they are "
            "achieved, closed, or already carried into a review.")
    apply_update(session, review, {}, expected_version, "review")
    cleared = clear_signatures(session, review, signed)
    audit.record(session, actor, "update", "review", review.id,
                 f"Carried {carried} open objective{'s' if carried != 1 else ''} forward into the "
                 f"{review_label(review)} of {person_name(session, review.staff_id)}",
                 {"objectives_carried_forward": carried, **({"signatures_cleared": cleared} if cleared else {})},
                 subject_staff_id=review.staff_id)
    return review


def self_assess(session: Session, actor: Actor, today: date, review_id: int, self_assessment: str,
                reflections: str, expected_version: int) -> Review:
    """The person's own words; the audit trail records that they changed, never what they say."""
    assessment = clean_text(self_assessment, multiline=True)
    reflection = clean_text(reflections, multiline=True)
    review, signed = editable(session, actor, today, review_id, expected_version, Action.WRITE_REFLECTIONS)
    errors = {}
    for key, value, label in (("self_assessment", assessment, "Self-assessment"),
                              ("reflections", reflection, "Reflections")):
        if len(value) > rules.MAX_LONG_TEXT:
            errors[key] = f"{label} is too long ({len(value):,} characters); {rules.MAX_LONG_TEXT:,} is the most."
    if errors:
        raise ValidationError(errors)
    changed = [k for k, v in (("self_assessment", assessment), ("reflections", reflection))
               if getattr(review, k) != v]
    if not changed:  # saved as it was (`editable` checked the version): no version moved under others' feet
        return review
    apply_update(session, review, {"self_assessment": assessment, "reflections": reflection},
                 expected_version, "review")
    cleared = clear_signatures(session, review, signed)
    audit.record(session, actor, "update", "review_self_assessment", review.id,
                 *self_assessed_audit(review, person_name(session, review.staff_id), changed, cleared),
                 subject_staff_id=review.staff_id)
    return review


def delete(session: Session, actor: Actor, today: date, review_id: int, expected_version: int) -> None:
    """Remove a review recorded by mistake: only before anyone has signed it, and only if none of
    its objectives has been carried into a later review."""
    review = get_or_404(session, Review, review_id, "review")
    require(actor, Action.WRITE_REVIEW, relationship(session, actor, review.staff_id, today))
    check_version(review, expected_version)
    if load_signatures(session, review.id):
        raise ValidationError.single("review", "This review has been signed, so it is kept as the record. "
                                               "Correct it instead, or record what changed at the next review.")
    if carried_ids(session, [o.id for o in load_objectives(session, review.id)]):
        raise ValidationError.single("review", "Objectives from this review have been carried into a later "
                                               "review, so it cannot be removed.")
    label = review_label(review)
    for model in (ReviewObjective, ReviewPdpItem):
        for child in session.execute(select(model).where(model.review_id == review.id)).scalars():
            session.delete(child)
    session.flush()
    session.delete(review)
    audit.record(session, actor, "delete", "review", review_id,
                 f"Removed the {label} of {person_name(session, review.staff_id)} "
                 f"({format_uk(review.meeting_date, 'no meeting date')})",
                 {"kind": [review.kind, None], "meeting_date": [format_uk(review.meeting_date) or None, None]},
                 subject_staff_id=review.staff_id)


# --------------------------------------------------------------------------- what the audit trail says


def created_audit(review, name: str, values: dict[str, Any], objectives: int, pdp_items: int,
                  carried: int) -> tuple[str, dict[str, Any]]:
    """The summary and changes of the entry for a review just recorded about `name` (`values` as
    validated; `objectives` those written, besides the `carried` ones). Shared with the writer of
    the demonstration PCN's histories, so both say the same."""
    return (f"Recorded {review_label(review)} for {name}"
            + (f" with {review.appraiser_name}" if review.appraiser_name else "")
            + (f"; {carried} objective{'s' if carried != 1 else ''} carried forward" if carried else ""),
            {**audit.diff({}, _audited(values)), "objectives": objectives + carried, "pdp_items": pdp_items})


def updated_audit(review, name: str, changes: dict[str, Any], cleared: list[str]) -> tuple[str, dict[str, Any]]:
    return (f"Updated the {review_label(review)} of {name}: " + ", ".join(changes)
            + (f"; {' and '.join(cleared)} signature cleared" if cleared else ""),
            {**changes, **({"signatures_cleared": cleared} if cleared else {})})


def self_assessed_audit(review, name: str, changed: list[str], cleared: list[str]) -> tuple[str, dict[str, Any]]:
    return (f"{name} updated their self-assessment for the {review_label(review)}",
            {**{k: [PRIVATE, PRIVATE] for k in changed}, **({"signatures_cleared": cleared} if cleared else {})})


def item_change(before: dict[str, Any] | None, after: dict[str, Any]) -> Any:
    """What the audit trail records of one objective or plan item: "added" for a new one (`before`
    None), else the fields that changed ({} for none)."""
    return "added" if before is None else audit.diff(before, after)


# --------------------------------------------------------------------------- guards shared with signing


def editable(session: Session, actor: Actor, today: date, review_id: int, expected_version: int,
             action: Action) -> tuple[Review, dict[str, ReviewSignOff]]:
    """The review, once the actor may change it, nobody else has, and both parties have not yet
    signed; and its signatures by party, read for that (a change then clears them without
    reading them again)."""
    review = get_or_404(session, Review, review_id, "review")
    require(actor, action, relationship(session, actor, review.staff_id, today))
    check_version(review, expected_version)
    signed = load_signatures(session, review.id)
    if rules.both_signed(signed):
        raise ValidationError.single("review", (
            "Both the appraiser and the person appraised have signed this review, so it is kept as it was "
            "agreed. Record anything new at the next review."))
    return review, signed


def check_version(review: Review, expected_version: int) -> None:
    if review.version != expected_version:
        raise StaleEdit("Someone else changed this review after you opened it, so your change was not saved. "
                        "Close it, reopen it to see their changes, and make yours again.")


def clear_signatures(session: Session, review: Review, signed: dict[str, ReviewSignOff]) -> list[str]:
    """A change after one party signed takes their signature away: they sign what is there now.
    `signed`: the review's signatures as `editable` read them."""
    cleared = []
    for party, row in signed.items():
        session.delete(row)
        cleared.append(Party(party).label.lower())
    session.flush()
    return sorted(cleared)


def _audited(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k not in ("self_assessment", "reflections")}


# --------------------------------------------------------------------------- objectives and the plan


def _refuse_removing_carried(session: Session, old: dict[int, ReviewObjective], kept: list[ObjectiveInput]) -> None:
    removed = set(old) - {o.id for o in kept if o.id is not None}
    carried = carried_ids(session, sorted(removed))
    if carried:
        titles = "; ".join(f"“{short(old[i].description)}”" for i in sorted(carried))
        raise ValidationError.single("objectives", (
            f"These objectives have been carried forward to a later review, so they stay on this one: {titles}. "
            "Change their status instead of removing them."))


def _same_items(items: list, old: dict, fields: tuple[str, ...]) -> bool:
    """The editor's list is the stored one: the same items in the same order, none changed."""
    stored = sorted(old.values(), key=lambda row: row.position)
    return [item.id for item in items] == [row.id for row in stored] and all(
        getattr(item, k) == getattr(row, k) for item, row in zip(items, stored) for k in fields)


def _write_children(session: Session, review: Review, objectives: list[ObjectiveInput], pdp: list[PdpInput],
                    old_objectives: dict[int, ReviewObjective], old_pdp: dict[int, ReviewPdpItem]) -> dict:
    """Apply the editor's lists: update kept items, add new ones, remove the rest. Returns the
    audit entries for what changed."""
    changes = _write_items(session, review, ReviewObjective, objectives, old_objectives, OBJECTIVE_FIELDS,
                           "objective", lambda row: row.description)
    changes.update(_write_items(session, review, ReviewPdpItem, pdp, old_pdp, PDP_FIELDS,
                                "development plan item", lambda row: row.need))
    session.flush()
    return changes


def _write_items(session: Session, review: Review, model, items: list, old: dict, fields: tuple[str, ...],
                 noun: str, describe: Callable[[Any], str]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    kept = set()
    for position, item in enumerate(items):
        values = {k: getattr(item, k) for k in fields} | {"position": position}
        if item.id is not None and item.id in old:
            row = old[item.id]
            kept.add(item.id)
            change = item_change({k: getattr(row, k) for k in fields}, {k: values[k] for k in fields})
            for k, v in values.items():
                setattr(row, k, v)
        else:
            session.add(model(review_id=review.id, staff_id=review.staff_id, **values))
            change = item_change(None, values)
        if change:
            changes[f"{noun} {position + 1}"] = change
    for item_id, row in old.items():
        if item_id not in kept:
            changes[f"{noun} removed: {short(describe(row))}"] = "removed"
            session.delete(row)
    return changes


def _carry_forward(session: Session, review: Review, held: int | None = None) -> int:
    """Copy the open objectives of the person's previous review of this employment, linked to the
    originals; the originals stay as they were signed. `held`: how many objectives the review has
    already (a review just recorded knows; otherwise they are counted)."""
    others = session.execute(select(Review).where(Review.staff_id == review.staff_id, Review.id != review.id)).scalars()
    previous = previous_review(others, review, started=session.get(Staff, review.staff_id).start_date)
    if previous is None:
        return 0
    source = load_objectives(session, previous.id)
    carried = carried_ids(session, [o.id for o in source])
    position = held if held is not None else len(load_objectives(session, review.id))
    to_carry = [o for o in source if o.status in rules.OPEN_OBJECTIVE_STATUSES and o.id not in carried]
    if to_carry and position + len(to_carry) > MAX_ITEMS:
        # Refused whole: a review holding more than the most would refuse every later edit of it.
        raise ValidationError.single("objectives", (
            f"Carrying forward the previous review's {len(to_carry)} open objective"
            f"{'s' if len(to_carry) != 1 else ''} would give this review {position + len(to_carry)}; a review "
            f"holds at most {MAX_ITEMS}. Give some of them an outcome (achieved, withdrawn...) in the previous review, or take "
            "some out of this one, then carry forward."))
    count = 0
    for objective in to_carry:
        session.add(ReviewObjective(
            review_id=review.id, staff_id=review.staff_id, position=position, description=objective.description,
            measure=objective.measure, due_date=objective.due_date, status=objective.status, progress="",
            carried_from_id=objective.id))
        position += 1
        count += 1
    session.flush()
    return count
