"""Signing off checklist items: the line manager signs off (or returns) what the starter ticked,
and a sign-off given on paper or by e-mail by someone without an account is recorded on their
behalf.

An item that needs sign-off counts as complete only once signed off; a returned item goes back
to the starter with a comment saying what is missing.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from arrs_desk.clock import UK
from arrs_desk.domain.dates import format_uk
from arrs_desk.domain.induction import ItemState
from arrs_desk.domain.permissions import Action
from arrs_desk.errors import ValidationError
from arrs_desk.services import audit
from arrs_desk.services._common import apply_update, clean_text, require
from arrs_desk.services.actor import Actor
from arrs_desk.services.external_people import (
    ExternalSignatureInput, received_text, signature_audit, signature_values,
)
from arrs_desk.services.induction.access import as_relationship, item_for
from arrs_desk.services.induction.ticking import MAX_NOTE, completed_values, signed_by
from arrs_desk.store import signed_content
from arrs_desk.store.models import InductionItem, utcnow

MIN_RETURN_COMMENT = 5
"""Letters or digits a return comment needs: the starter must be told what to do."""


def sign_off(session: Session, actor: Actor, today: date, item_id: int, expected_version: int,
             comment: str) -> None:
    comment = _comment(comment)
    item, name = _waiting_item(session, actor, item_id, expected_version, "signed off")
    values = {**completed_values(item, item.completed_on or today), **signed_by(actor, utcnow()),
              "signoff_comment": comment}
    apply_update(session, item, values, expected_version, "checklist item")
    audit.record(session, actor, "sign_off", "induction_item", item.id, f"Signed off '{item.title}' for {name}",
                 {"state": [ItemState.AWAITING.value, ItemState.COMPLETE.value], "comment": comment,
                  signed_content.HASH_KEY: signed_content.row_hash(session, item)},
                 subject_staff_id=item.staff_id)


def return_item(session: Session, actor: Actor, item_id: int, expected_version: int, comment: str) -> None:
    comment = _comment(comment, required=True)
    item, name = _waiting_item(session, actor, item_id, expected_version, "returned")
    apply_update(session, item, {
        "state": ItemState.RETURNED.value, "returned_at": utcnow(), "returned_by_user_id": actor.user_id,
        "returned_by_name": actor.display_name, "return_comment": comment, "completed_on": None,
    }, expected_version, "checklist item")
    audit.record(session, actor, "return", "induction_item", item.id, f"Returned '{item.title}' to {name}",
                 {"state": [ItemState.AWAITING.value, ItemState.RETURNED.value], "comment": comment},
                 subject_staff_id=item.staff_id)


def record_external(session: Session, actor: Actor, today: date, *, item_id: int, expected_version: int,
                    signature: ExternalSignatureInput) -> None:
    item, rights, name = item_for(session, actor, item_id, expected_version)
    require(actor, Action.RECORD_SIGNATURE, as_relationship(rights))
    if item.state != ItemState.AWAITING or not item.needs_signoff:
        raise ValidationError.single("item", "Only a ticked item waiting for sign-off can be signed off; "
                                             "ask the starter to tick it first.")
    done = item.completed_on or (item.ticked_at.astimezone(UK).date() if item.ticked_at else None)
    _signer, values = signature_values(session, actor, signature, today=today, earliest=done,
                                       earliest_what="the item was done, as ticked")
    apply_update(session, item, {**completed_values(item, item.completed_on or values["signed_on"]), **values},
                 expected_version, "checklist item")
    changes = {"state": [ItemState.AWAITING.value, ItemState.COMPLETE.value], **signature_audit(values),
               signed_content.HASH_KEY: signed_content.row_hash(session, item)}
    audit.record(session, actor, "sign_off", "induction_item", item.id,
                 f"Recorded, on their behalf, {values['signed_by_name']}'s sign-off of '{item.title}' for "
                 f"{name} (signed {format_uk(values['signed_on'])}, {received_text(values)})",
                 changes, subject_staff_id=item.staff_id)


def _comment(comment: str, *, required: bool = False) -> str:
    comment = clean_text(comment, multiline=True)
    if required and sum(ch.isalnum() for ch in comment) < MIN_RETURN_COMMENT:
        raise ValidationError.single("comment", "Say what the starter needs to do before you can sign this off.")
    if len(comment) > MAX_NOTE:
        raise ValidationError.single("comment", f"Keep the comment to {MAX_NOTE} characters or fewer.")
    return comment


def _waiting_item(session: Session, actor: Actor, item_id: int, expected_version: int,
                  what: str) -> tuple[InductionItem, str]:
    """The item, once the actor may sign off this person's items and it waits for sign-off."""
    item, rights, name = item_for(session, actor, item_id, expected_version)
    require(actor, Action.SIGN_OFF_INDUCTION, as_relationship(rights))
    if item.state != ItemState.AWAITING:
        raise ValidationError.single("item", f"Only a ticked item waiting for sign-off can be {what}.")
    return item, name
