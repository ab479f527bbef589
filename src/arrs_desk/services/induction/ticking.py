"""Following a checklist: ticking items done (and unticking them), marking them not applicable
and back, how long training stays valid, and renewals.

Each change records who and when on the item and in the audit trail, in the caller's
transaction, under the item's version so two people cannot both change it unseen. Sign-off by
the line manager is in `signoff`.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session

from arrs_desk.domain import induction as rules
from arrs_desk.domain.induction import ItemState
from arrs_desk.domain.induction_items import ViewerRights, completion_date_problem, renewal_date_problem
from arrs_desk.domain.permissions import Action, Relationship, denial
from arrs_desk.errors import ValidationError
from arrs_desk.services import audit, sign_off_fields
from arrs_desk.services._common import apply_update, clean_text, require
from arrs_desk.services.actor import Actor
from arrs_desk.services.induction.access import as_relationship, item_for, require_completer
from arrs_desk.store.models import InductionItem, utcnow

MAX_NOTE = 2000


def completed_values(item: InductionItem, completed_on: date) -> dict:
    """An item complete on `completed_on`, with its training's new expiry date where it has one."""
    expires = rules.expires_on(completed_on, item.validity_months) if item.validity_months else None
    return {"state": ItemState.COMPLETE.value, "completed_on": completed_on, "expires_on": expires}


def signed_by(actor: Actor, now: datetime) -> dict:
    """A sign-off given in the app by the actor, now."""
    return sign_off_fields.signed_in_app(actor, signed_at=now)


def tick(session: Session, actor: Actor, today: date, item_id: int, expected_version: int, *, note: str,
         completed_on: date | None) -> None:
    note = clean_text(note, multiline=True)
    if len(note) > MAX_NOTE:
        raise ValidationError.single("note", f"Keep the note to {MAX_NOTE} characters or fewer (it has {len(note)}).")
    item, rights, name, state = _still_to_do(session, actor, item_id, expected_version,
                                             "This item is already ticked or marked not applicable.")
    day = _completion_date(completed_on, today)
    now = utcnow()
    values = {"ticked_at": now, "ticked_by_user_id": actor.user_id, "ticked_by_name": actor.display_name,
              "note": note, "state": ItemState.AWAITING.value}
    signed = False
    if not item.needs_signoff:
        values.update(completed_values(item, day))
    elif rights.manages and denial(actor.roles, Action.SIGN_OFF_INDUCTION, Relationship(manages=True)) is None:
        values.update(completed_values(item, day), **signed_by(actor, now))
        signed = True
    else:
        values["completed_on"] = day
    apply_update(session, item, values, expected_version, "checklist item")
    what = "Ticked and signed off" if signed else "Ticked"
    audit.record(session, actor, "tick", "induction_item", item.id, f"{what} '{item.title}' for {name}",
                 {"state": [state.value, item.state], "note": note, "completed_on": day.isoformat()},
                 subject_staff_id=item.staff_id)


def untick(session: Session, actor: Actor, item_id: int, expected_version: int) -> None:
    item, rights, name = item_for(session, actor, item_id, expected_version)
    require_completer(actor, item, rights)
    state = ItemState(item.state)
    if state is ItemState.COMPLETE and item.needs_signoff:
        raise ValidationError.single("item", "This item has been signed off, so it can no longer be unticked.")
    if state not in (ItemState.AWAITING, ItemState.COMPLETE):
        raise ValidationError.single("item", "This item is not ticked.")
    apply_update(session, item, {"state": ItemState.OPEN.value, "ticked_at": None, "ticked_by_user_id": None,
                                 "ticked_by_name": "", "completed_on": None, "expires_on": None},
                 expected_version, "checklist item")
    audit.record(session, actor, "untick", "induction_item", item.id, f"Unticked '{item.title}' for {name}",
                 {"state": [state.value, ItemState.OPEN.value]}, subject_staff_id=item.staff_id)


def mark_not_applicable(session: Session, actor: Actor, item_id: int, expected_version: int, reason: str) -> None:
    reason = clean_text(reason, multiline=True)
    problem = rules.not_applicable_problem(reason)
    if problem:
        raise ValidationError.single("reason", problem)
    if len(reason) > 500:
        raise ValidationError.single("reason", "Keep the reason to 500 characters or fewer.")
    item, _rights, name, state = _still_to_do(session, actor, item_id, expected_version,
                                              "Only an item that is not done yet can be marked not applicable.")
    apply_update(session, item, {"state": ItemState.NOT_APPLICABLE.value, "na_reason": reason,
                                 "na_at": utcnow(), "na_by_user_id": actor.user_id,
                                 "na_by_name": actor.display_name}, expected_version, "checklist item")
    audit.record(session, actor, "not_applicable", "induction_item", item.id,
                 f"Marked '{item.title}' not applicable for {name}",
                 {"state": [state.value, ItemState.NOT_APPLICABLE.value], "reason": reason},
                 subject_staff_id=item.staff_id)


def reopen(session: Session, actor: Actor, item_id: int, expected_version: int) -> None:
    item, rights, name = item_for(session, actor, item_id, expected_version)
    require_completer(actor, item, rights)
    if item.state != ItemState.NOT_APPLICABLE:
        raise ValidationError.single("item", "This item is not marked not applicable.")
    apply_update(session, item, {"state": ItemState.OPEN.value, "na_reason": "", "na_at": None,
                                 "na_by_user_id": None, "na_by_name": ""}, expected_version, "checklist item")
    audit.record(session, actor, "reopen", "induction_item", item.id,
                 f"Put '{item.title}' back on {name}'s checklist",
                 {"state": [ItemState.NOT_APPLICABLE.value, ItemState.OPEN.value]}, subject_staff_id=item.staff_id)


def set_validity(session: Session, actor: Actor, item_id: int, expected_version: int,
                 months: int | str | None) -> None:
    raw = months.strip() if isinstance(months, str) else months
    value = None
    if raw not in (None, ""):
        value = rules.parse_offset_days(raw)
        if value is None or not 1 <= value <= rules.MAX_VALIDITY_MONTHS:
            raise ValidationError.single("validity_months", (
                f"Enter how many months the training stays valid, from 1 to {rules.MAX_VALIDITY_MONTHS}, "
                "or leave it blank if it does not expire."))
    item, rights, name = item_for(session, actor, item_id, expected_version)
    if not rights.edit:  # the line manager's or an administrator's to set (`item_actions`)
        require(actor, Action.EDIT_STAFF, as_relationship(rights))
    expires = item.expires_on
    if item.state == ItemState.COMPLETE and item.completed_on:
        expires = rules.expires_on(item.completed_on, value) if value else None
    before = item.validity_months
    apply_update(session, item, {"validity_months": value, "expires_on": expires}, expected_version,
                 "checklist item")
    audit.record(session, actor, "validity", "induction_item", item.id,
                 f"Set how long '{item.title}' stays valid for {name}",
                 {"validity_months": [before, value]}, subject_staff_id=item.staff_id)


def record_renewal(session: Session, actor: Actor, today: date, item_id: int, expected_version: int,
                   completed_on: date) -> None:
    item, rights, name = item_for(session, actor, item_id, expected_version)
    require_completer(actor, item, rights)
    if item.state != ItemState.COMPLETE or not item.validity_months:
        raise ValidationError.single("item", "Only completed training with a validity period can be renewed.")
    day = _completion_date(completed_on, today)
    if problem := renewal_date_problem(day, item.completed_on):
        raise ValidationError.single("completed_on", problem)
    before = item.completed_on
    apply_update(session, item, completed_values(item, day), expected_version, "checklist item")
    audit.record(session, actor, "renew", "induction_item", item.id, f"Recorded renewal of '{item.title}' for {name}",
                 {"completed_on": [before.isoformat() if before else None, day.isoformat()]},
                 subject_staff_id=item.staff_id)


def _still_to_do(session: Session, actor: Actor, item_id: int, expected_version: int,
                 refusal: str) -> tuple[InductionItem, ViewerRights, str, ItemState]:
    """An item the actor completes that is not done yet (open, or returned to be done again)."""
    item, rights, name = item_for(session, actor, item_id, expected_version)
    require_completer(actor, item, rights)
    state = ItemState(item.state)
    if state not in (ItemState.OPEN, ItemState.RETURNED):
        raise ValidationError.single("item", refusal)
    return item, rights, name, state


def _completion_date(completed_on: date | None, today: date) -> date:
    day = completed_on or today
    if problem := completion_date_problem(day, today):
        raise ValidationError.single("completed_on", problem)
    return day
