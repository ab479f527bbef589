"""Making induction checklists: for one person, for many new starters at once, and the hooks the
staff service calls when a person is added or their start date changes.

A checklist copies its items from the current templates when it is made, so later template
edits never touch it; the templates' versions are recorded with it. A re-induction (after a
change of role) adds only the new role's items the person does not already have.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import islice
from datetime import date, datetime, timedelta

from sqlalchemy import func, insert, select, update
from sqlmodel import Session

from arrs_desk.domain import induction as rules
from arrs_desk.domain import staff as staff_rules
from arrs_desk.domain.dates import format_uk
from arrs_desk.domain.induction import ItemState
from arrs_desk.domain.permissions import Action
from arrs_desk.domain.staff import StaffStatus
from arrs_desk.errors import ValidationError
from arrs_desk.services import audit
from arrs_desk.services._common import get_or_404, require
from arrs_desk.services.actor import Actor
from arrs_desk.services.induction_templates import PlannedItem, items_for_role
from arrs_desk.services.relationships import relationship
from arrs_desk.store.bulk import insert_with_ids
from arrs_desk.store.models import InductionChecklist, InductionItem, Staff, utcnow

KIND_INDUCTION = "induction"
KIND_REINDUCTION = "reinduction"
AUTO_CHECKLIST_STATUSES = frozenset({StaffStatus.PRE_START.value, StaffStatus.INDUCTION.value})
"""A person added with one of these statuses gets a checklist at once; others on demand."""


ITEMS_PER_INSERT = 5_000
"""Checklist items written per statement when many checklists are made at once (an import)."""


def _item_values(
    planned: PlannedItem, *, checklist_id: int, staff_id: int, position: int, anchor: date, now: datetime
) -> dict:
    return dict(
        checklist_id=checklist_id, staff_id=staff_id, position=position, template_item_id=planned.template_item_id,
        key=planned.key, section=planned.section, section_title=planned.section_title, title=planned.title,
        guidance=planned.guidance, due_offset_days=planned.due_offset_days,
        due_on=rules.due_date(anchor, planned.due_offset_days), completed_by=planned.completed_by,
        needs_signoff=planned.needs_signoff, evidence_expected=planned.evidence_expected, tags=list(planned.tags),
        validity_months=planned.validity_months, state=ItemState.OPEN.value, created_at=now, updated_at=now,
        version=1, ticked_by_name="", note="", returned_by_name="", return_comment="", signoff_comment="",
        na_reason="", na_by_name="", signed_by_name="",
    )


def make_checklist(
    session: Session,
    actor: Actor,
    person: Staff,
    *,
    kind: str = KIND_INDUCTION,
    anchor: date | None = None,
    skip_keys: frozenset[str] = frozenset(),
) -> InductionChecklist | None:
    """Copy the current templates for the person's role into a new checklist, in `session`.

    Used when a person is added (inside StaffService.create's transaction), on demand, and for a
    re-induction (which skips the keys the person already has). None if nothing is to be added.
    """
    planned, versions = items_for_role(session, person.role_code)
    planned = [p for p in planned if p.key not in skip_keys]
    if not planned:
        return None
    anchor = anchor or person.start_date
    checklist = InductionChecklist(
        staff_id=person.id, kind=kind, role_code=person.role_code, anchor_date=anchor, template_versions=versions,
        created_by_user_id=actor.user_id, created_by_name=actor.display_name,
    )
    session.add(checklist)
    session.flush()
    now = utcnow()
    first = session.execute(
        select(func.coalesce(func.max(InductionItem.position), -1)).where(InductionItem.staff_id == person.id)
    ).scalar() + 1
    session.execute(insert(InductionItem), [
        _item_values(p, checklist_id=checklist.id, staff_id=person.id, position=first + i, anchor=anchor, now=now)
        for i, p in enumerate(planned)
    ])
    name = staff_rules.display_name(person.given_name, person.family_name, person.preferred_name)
    what = "induction checklist" if kind == KIND_INDUCTION else "re-induction items"
    audit.record(session, actor, "create", "induction_checklist", checklist.id,
                 f"Made {name}'s {what}: {len(planned)} item(s) from templates "
                 + ", ".join(f"{code} v{v}" for code, v in versions.items()),
                 {"items": len(planned), "templates": versions, "anchor_date": anchor.isoformat()},
                 subject_staff_id=person.id)
    return checklist


def make_starter_checklists(session: Session, actor: Actor, starters: Sequence[tuple[int, str, date, str]]) -> int:
    """`make_checklist` for many new people at once ((staff id, role code, start date, name) each):
    the templates read once per role and every row written in batches, so an import of thousands
    of people stays quick. Returns the number of checklists made."""
    plans = {role: items_for_role(session, role) for role in {role for _, role, _, _ in starters}}
    todo = [(starter, plans[starter[1]]) for starter in starters if plans[starter[1]][0]]
    if not todo:
        return 0
    now = utcnow()
    ids = insert_with_ids(session, InductionChecklist.__table__, [
        dict(staff_id=staff_id, kind=KIND_INDUCTION, role_code=role, anchor_date=start, template_versions=versions,
             created_by_user_id=actor.user_id, created_by_name=actor.display_name, created_at=now, updated_at=now,
             version=1)
        for (staff_id, role, start, _), (_, versions) in todo])
    # The table, not the ORM class: an executemany per batch of items, where the ORM would split the
    # rows into small batches by which of their columns are empty. Made batch by batch: every item of
    # 5,000 starters at once (280,000 rows) held 600 MB while they were written.
    rows = (_item_values(planned, checklist_id=checklist_id, staff_id=staff_id, position=i, anchor=start, now=now)
            for checklist_id, ((staff_id, _, start, _), (items, _)) in zip(ids, todo) for i, planned in enumerate(items))
    while batch := list(islice(rows, ITEMS_PER_INSERT)):
        session.execute(insert(InductionItem.__table__), batch)
    audit.record_many(session, [
        audit.entry_values(
            actor, "create", "induction_checklist", checklist_id,
            f"Made {name}'s induction checklist: {len(items)} item(s) from templates "
            + ", ".join(f"{code} v{v}" for code, v in versions.items()),
            {"items": len(items), "templates": versions, "anchor_date": start.isoformat()}, subject_staff_id=staff_id,
        )
        for checklist_id, ((staff_id, _, start, name), (items, versions)) in zip(ids, todo)
    ], by=actor)
    return len(ids)


def on_staff_created(session: Session, actor: Actor, person: Staff) -> None:
    """StaffService.create's hook: a new starter gets their checklist in the same transaction."""
    if person.status in AUTO_CHECKLIST_STATUSES:
        make_checklist(session, actor, person)


def on_start_date_changed(session: Session, person: Staff, old_start: date) -> None:
    """StaffService.update's hook: due dates counted from the old start date move with it."""
    checklists = session.execute(
        select(InductionChecklist).where(
            InductionChecklist.staff_id == person.id, InductionChecklist.kind == KIND_INDUCTION,
            InductionChecklist.anchor_date == old_start,
        )
    ).scalars().all()
    for checklist in checklists:
        checklist.anchor_date = person.start_date
        rows = session.execute(
            select(InductionItem.id, InductionItem.due_offset_days).where(InductionItem.checklist_id == checklist.id)
        ).all()
        if rows:
            session.execute(
                update(InductionItem),
                [{"id": item_id, "due_on": rules.due_date(person.start_date, offset)} for item_id, offset in rows],
            )
    session.flush()



def create_for(session: Session, actor: Actor, staff_id: int) -> None:
    """A checklist made on demand, for someone who has none."""
    require(actor, Action.EDIT_STAFF, relationship(session, actor, staff_id))
    person = get_or_404(session, Staff, staff_id, "staff member")
    if session.execute(select(InductionChecklist.id).where(InductionChecklist.staff_id == staff_id)).first():
        raise ValidationError.single("checklist", "This person already has an induction checklist.")
    if make_checklist(session, actor, person) is None:
        raise ValidationError.single(
            "checklist", "There are no induction templates to make a checklist from. An administrator can "
            "check the templates under Induction > Edit templates.")


REINDUCTION_AHEAD_DAYS = 366
"""How far ahead a new role may be said to start: a change agreed for next year, not a mistyped year."""


def add_reinduction(session: Session, actor: Actor, staff_id: int, change_date: date, today: date) -> int:
    """The new role's items the person does not already have, due from `change_date`; returns how many."""
    require(actor, Action.EDIT_STAFF, relationship(session, actor, staff_id))
    person = get_or_404(session, Staff, staff_id, "staff member")
    latest = today + timedelta(days=REINDUCTION_AHEAD_DAYS)
    if change_date < person.start_date or change_date > latest:
        raise ValidationError.single("change_date", (
            f"The new role cannot start on {format_uk(change_date)}: enter a date from {format_uk(person.start_date)} "
            f"(when they started) to {format_uk(latest)}; every new item's due date counts from it."))
    have = frozenset(session.execute(
        select(InductionItem.key).where(InductionItem.staff_id == staff_id)).scalars())
    if not have:
        raise ValidationError.single("checklist", "This person has no induction checklist yet; make one first.")
    checklist = make_checklist(session, actor, person, kind=KIND_REINDUCTION, anchor=change_date, skip_keys=have)
    if checklist is None:
        raise ValidationError.single("checklist", "The checklist already has every item of this role's induction.")
    return session.execute(select(func.count()).where(InductionItem.checklist_id == checklist.id)).scalar()
