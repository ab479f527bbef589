"""One person's induction checklist as the checklist window shows it.

Items are grouped by section with their status on `today` (from `arrs_desk.domain.induction`),
their evidence files, who signed them and how, and the moves open to the viewer. A checklist
also says which of the current role's items it lacks, so a change of role can be followed by a
re-induction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from arrs_desk.domain import induction as rules
from arrs_desk.domain import staff as staff_rules
from arrs_desk.domain.induction import ExpiryStatus, ItemState, ItemStatus
from arrs_desk.domain.induction_items import ViewerRights, item_actions
from arrs_desk.domain.permissions import Action, denial
from arrs_desk.domain.register_names import registration_text
from arrs_desk.services._common import get_or_404, require
from arrs_desk.services.actor import Actor
from arrs_desk.services.external_people import on_behalf, recorder_names
from arrs_desk.services.induction.access import viewer_rights
from arrs_desk.services.induction.creation import KIND_REINDUCTION
from arrs_desk.services.induction.views import ChecklistView, EvidenceRow, ItemRow, SectionRow
from arrs_desk.services.induction_templates import items_for_role
from arrs_desk.services.relationships import relationship
from arrs_desk.store.models import InductionChecklist, InductionEvidence, InductionItem, Role, Staff


def read_checklist(session: Session, actor: Actor, today: date, staff_id: int) -> ChecklistView:
    rel = relationship(session, actor, staff_id)
    require(actor, Action.VIEW_STAFF, rel)
    person = get_or_404(session, Staff, staff_id, "staff member")
    role = session.get(Role, person.role_code)
    manager = session.get(Staff, person.line_manager_id) if person.line_manager_id else None
    items = session.execute(
        select(InductionItem).where(InductionItem.staff_id == staff_id).order_by(InductionItem.position)
    ).scalars().all()
    made = session.execute(
        select(InductionChecklist.id, InductionChecklist.kind, InductionChecklist.role_code,
               InductionChecklist.anchor_date)
        .where(InductionChecklist.staff_id == staff_id).order_by(InductionChecklist.id)
    ).all()
    kinds = {c.id: c.kind for c in made}
    day_one = {c.id: c.anchor_date for c in made}
    files: dict[int, list[EvidenceRow]] = {}
    for e in session.execute(
        select(InductionEvidence).where(InductionEvidence.staff_id == staff_id, InductionEvidence.removed_at.is_(None))
        .order_by(InductionEvidence.added_at)
    ).scalars():
        files.setdefault(e.item_id, []).append(
            EvidenceRow(e.id, e.original_name, e.media_type, e.size, e.added_by_name, e.added_at))
    recorders = recorder_names(session, (i.recorded_by_user_id for i in items if i.signed_by_external_id))
    offer_titles: tuple[str, ...] = ()
    # A re-induction is offered after a change of role: the role differs from the one the latest
    # checklist (or re-induction) was made for. A template that gained items since is no reason.
    if made and made[-1].role_code != person.role_code:
        planned, _ = items_for_role(session, person.role_code)
        have = {i.key for i in items}
        offer_titles = tuple(p.title for p in planned if p.key not in have)

    rights = viewer_rights(actor, rel)
    rows = [item_row(i, today, rights, files.get(i.id, ()), kinds.get(i.checklist_id) == KIND_REINDUCTION, recorders,
                     day_one.get(i.checklist_id))
            for i in items]
    # Grouped under the heading each item was copied with: every role's template calls its section
    # 'role-specific', so by code alone a re-induction's items fell under the old role's heading.
    sections: dict[tuple[str, str], list[ItemRow]] = {}
    for row in rows:
        sections.setdefault((row.section, row.section_title), []).append(row)
    statuses = [r.status for r in rows]
    reg_status = rules.renewal_status(person.registration_renewal, today) if person.registration_number else None
    return ChecklistView(
        staff_id=person.id,
        display_name=staff_rules.display_name(person.given_name, person.family_name, person.preferred_name),
        role_code=person.role_code, role_title=role.title if role else person.role_code,
        start_date=person.start_date,
        line_manager=staff_rules.display_name(manager.given_name, manager.family_name, manager.preferred_name)
        if manager else "",
        registration=registration_text(person.register_code, person.registration_number),
        registration_renewal=person.registration_renewal, registration_status=reg_status,
        has_checklist=bool(kinds),
        sections=tuple(
            SectionRow(code, title, tuple(group), rules.progress(r.status for r in group))
            for (code, title), group in sections.items()
        ),
        progress=rules.progress(statuses),
        overdue=statuses.count(ItemStatus.OVERDUE), awaiting=statuses.count(ItemStatus.AWAITING_SIGNOFF),
        returned=statuses.count(ItemStatus.RETURNED),
        expired=sum(r.expiry is ExpiryStatus.EXPIRED for r in rows),
        expiring=sum(r.expiry is ExpiryStatus.EXPIRING for r in rows),
        viewer_is_self=rel.is_self,
        viewer_can_create=denial(actor.roles, Action.EDIT_STAFF, rel) is None,
        reinduction_role=(role.title if role else person.role_code) if offer_titles else "",
        reinduction_titles=offer_titles,
    )


def item_row(item: InductionItem, today: date, rights: ViewerRights, files: Sequence[EvidenceRow],
             reinduction: bool, recorders: dict[int, str], day_one: date | None = None) -> ItemRow:
    state = ItemState(item.state)
    status = rules.status_of(state, item.due_on, today, needs_signoff=item.needs_signoff,
                             due_soon_days=rules.DUE_SOON_DAYS, day_one=day_one)
    expiry = None
    if item.validity_months and state is ItemState.COMPLETE:
        expiry = rules.renewal_status(item.expires_on, today)
    can = item_actions(state, item.completed_by, needs_signoff=item.needs_signoff,
                       validity_months=item.validity_months, rights=rights)
    return ItemRow(
        id=item.id, version=item.version, key=item.key, section=item.section, section_title=item.section_title,
        title=item.title, guidance=item.guidance, due_on=item.due_on, completed_by=item.completed_by,
        needs_signoff=item.needs_signoff, evidence_expected=item.evidence_expected, state=state.value,
        status=status, ticked_by=item.ticked_by_name, ticked_at=item.ticked_at, note=item.note,
        signed_by=item.signed_by_name, signed_at=item.signed_at,
        signed_on=item.signed_on if item.signed_at else None, signed_on_behalf=on_behalf(item, recorders),
        signoff_comment=item.signoff_comment,
        returned_by=item.returned_by_name, returned_at=item.returned_at, return_comment=item.return_comment,
        na_reason=item.na_reason, na_by=item.na_by_name, na_at=item.na_at,
        validity_months=item.validity_months, completed_on=item.completed_on, expires_on=item.expires_on,
        expiry=expiry, evidence=tuple(files), reinduction=reinduction,
        can_tick=can.tick, can_untick=can.untick, can_sign_off=can.sign_off, can_record_signature=can.record_signature,
        can_mark_na=can.mark_na, can_reopen=can.reopen, can_attach=can.attach, can_edit_validity=can.edit_validity,
        can_renew=can.renew,
    )
