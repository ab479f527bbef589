"""Who may do what to a checklist item: the viewer's rights over the person, and the item itself
fetched for a change with its version checked.

Shared by reading (which shows the moves open to the viewer) and by every change (which refuses
the ones that are not), so the two ask the permission policy the same way.
"""

from __future__ import annotations

from sqlmodel import Session

from arrs_desk.domain import induction as rules
from arrs_desk.domain import staff as staff_rules
from arrs_desk.domain.induction_items import ViewerRights
from arrs_desk.domain.permissions import Action, Relationship, denial
from arrs_desk.errors import StaleEdit, ValidationError
from arrs_desk.services._common import get_or_404, require
from arrs_desk.services.actor import Actor
from arrs_desk.services.relationships import relationship
from arrs_desk.store.models import InductionItem, Staff


def viewer_rights(actor: Actor, rel: Relationship) -> ViewerRights:
    return ViewerRights(
        tick=denial(actor.roles, Action.TICK_INDUCTION, rel) is None,
        sign=denial(actor.roles, Action.SIGN_OFF_INDUCTION, rel) is None,
        record=denial(actor.roles, Action.RECORD_SIGNATURE, rel) is None,
        edit=denial(actor.roles, Action.EDIT_STAFF, rel) is None,
        is_self=rel.is_self,
        manages=rel.manages,
    )


def as_relationship(rights: ViewerRights) -> Relationship:
    """The part of the relationship a checklist change is judged on."""
    return Relationship(is_self=rights.is_self, manages=rights.manages)


def item_for(session: Session, actor: Actor, item_id: int,
             expected_version: int | None = None) -> tuple[InductionItem, ViewerRights, str]:
    """The item, the actor's rights over its person, and the person's name for messages."""
    item = get_or_404(session, InductionItem, item_id, "checklist item")
    if expected_version is not None and item.version != expected_version:
        raise StaleEdit(
            "Someone else changed this item after you opened the checklist, so your change was not saved. "
            "The checklist has been reloaded: check the item and try again if it still needs doing."
        )
    rel = relationship(session, actor, item.staff_id)
    person = session.get(Staff, item.staff_id)
    name = staff_rules.display_name(person.given_name, person.family_name, person.preferred_name)
    return item, viewer_rights(actor, rel), name


def require_completer(actor: Actor, item: InductionItem, rights: ViewerRights) -> None:
    """The actor completes this item: the starter their own steps, the manager theirs."""
    require(actor, Action.TICK_INDUCTION, as_relationship(rights))
    if not rules.may_complete(item.completed_by, is_self=rights.is_self, manages=rights.manages):
        raise ValidationError.single("item", (
            "Your line manager completes this item; it will show as done once they have."
            if rights.is_self else
            "This item is for the starter to tick; you sign it off once they have."))
