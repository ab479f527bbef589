"""Induction checklists: making them, following them, signing them off, and the manager overview.

A checklist copies its items from the current templates when it is made, so later template
edits never touch it. Each tick, sign-off, return and not-applicable records who and when on the
item and in the audit trail, in the same transaction. Rules about dates and states live in
`arrs_desk.domain.induction`; this module applies them to stored rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import and_, case, func, insert, select, update
from sqlalchemy.orm import aliased
from sqlmodel import Session

from arrs_desk.clock import UK
from arrs_desk.domain import induction as rules
from arrs_desk.domain import staff as staff_rules
from arrs_desk.domain.induction import ExpiryStatus, ItemState, ItemStatus, Progress
from arrs_desk.domain.permissions import AccessRole, Action, Relationship, denial
from arrs_desk.domain.signatures import SignedOnBehalf
from arrs_desk.domain.staff import StaffStatus
from arrs_desk.errors import StaleEdit, ValidationError
from arrs_desk.services import audit, evidence
from arrs_desk.services.exports import save_audited, write_csv
from arrs_desk.services._common import apply_update, clean_text, get_or_404, require
from arrs_desk.services.actor import Actor
from arrs_desk.services.external_people import (
    ExternalSignatureInput, on_behalf, received_text, recorder_names, signature_audit, signature_values,
)
from arrs_desk.services.induction_templates import PlannedItem, TemplateService, items_for_role
from arrs_desk.services.relationships import managed_ids, relationship, visible_staff_ids
from arrs_desk.store.database import Database
from arrs_desk.store.models import (
    InductionChecklist, InductionEvidence, InductionItem, Organisation, Role, Staff, StaffPractice, utcnow,
)

KIND_INDUCTION = "induction"
KIND_REINDUCTION = "reinduction"
DUE_SOON_DAYS = 7
"""Items falling due within this many days show as 'Due' rather than 'Not due yet'."""
AUTO_CHECKLIST_STATUSES = frozenset({StaffStatus.PRE_START.value, StaffStatus.INDUCTION.value})
"""A person added with one of these statuses gets a checklist at once; others on demand."""
MAX_NOTE = 2000
MIN_RETURN_COMMENT = 5
MAX_PAST_COMPLETION_YEARS = 10


# --------------------------------------------------------------------------- read shapes


@dataclass(frozen=True, slots=True)
class EvidenceRow:
    id: int
    original_name: str
    media_type: str
    size: int
    added_by: str
    added_at: datetime


@dataclass(frozen=True, slots=True)
class ItemRow:
    """One checklist item as a view shows it, with what the viewer may do to it."""

    id: int
    version: int
    key: str
    section: str
    section_title: str
    title: str
    guidance: str
    due_on: date
    completed_by: str
    needs_signoff: bool
    evidence_expected: bool
    state: str
    status: ItemStatus
    ticked_by: str
    ticked_at: datetime | None
    note: str
    signed_by: str
    signed_at: datetime | None
    signed_on: date | None
    """The date signed: the day of an in-app sign-off, or the date on a paper or e-mail signature."""
    signed_on_behalf: SignedOnBehalf | None
    """Set when the sign-off was given on paper or by e-mail and recorded on the signer's behalf."""
    signoff_comment: str
    returned_by: str
    returned_at: datetime | None
    return_comment: str
    na_reason: str
    na_by: str
    na_at: datetime | None
    validity_months: int | None
    completed_on: date | None
    expires_on: date | None
    expiry: ExpiryStatus | None
    evidence: tuple[EvidenceRow, ...]
    reinduction: bool
    can_tick: bool
    can_untick: bool
    can_sign_off: bool
    can_record_signature: bool
    """Waiting for sign-off, and the actor may record a signature given on paper or by e-mail."""
    can_mark_na: bool
    can_reopen: bool
    can_attach: bool
    can_edit_validity: bool
    can_renew: bool


@dataclass(frozen=True, slots=True)
class SectionRow:
    code: str
    title: str
    items: tuple[ItemRow, ...]
    progress: Progress


@dataclass(frozen=True)
class ChecklistView:
    staff_id: int
    display_name: str
    role_code: str
    role_title: str
    start_date: date
    line_manager: str
    registration: str
    registration_renewal: date | None
    registration_status: ExpiryStatus | None
    has_checklist: bool
    sections: tuple[SectionRow, ...]
    progress: Progress
    overdue: int
    awaiting: int
    returned: int
    expired: int
    expiring: int
    viewer_is_self: bool
    viewer_can_create: bool
    reinduction_role: str  # the current role's title when it brings items the checklist lacks
    reinduction_titles: tuple[str, ...]

    @property
    def items(self) -> list[ItemRow]:
        return [item for section in self.sections for item in section.items]


@dataclass(frozen=True, slots=True)
class OverviewRow:
    staff_id: int
    display_name: str
    family_name: str
    role_code: str
    role_title: str
    practice_ids: tuple[int, ...]
    practices: str
    start_date: date
    status: str
    line_manager: str
    has_checklist: bool
    applicable: int
    done: int
    percent: int
    overdue: int
    awaiting: int
    returned: int
    next_due: date | None
    expired: int
    expiring: int
    registration_renewal: date | None
    registration_status: ExpiryStatus | None
    search_key: str
    name_key: str  # folded family name then display name: the list's natural order


@dataclass(frozen=True, slots=True)
class SignOffRow:
    item_id: int
    item_version: int
    staff_id: int
    display_name: str
    title: str
    section_title: str
    ticked_by: str
    ticked_at: datetime | None
    note: str
    evidence_count: int


# --------------------------------------------------------------------------- making checklists


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
    ids = list(session.execute(
        insert(InductionChecklist).returning(InductionChecklist.id, sort_by_parameter_order=True),
        [dict(staff_id=staff_id, kind=KIND_INDUCTION, role_code=role, anchor_date=start, template_versions=versions,
              created_by_user_id=actor.user_id, created_by_name=actor.display_name, created_at=now, updated_at=now,
              version=1)
         for (staff_id, role, start, _), (_, versions) in todo],
    ).scalars())
    # The table, not the ORM class: one executemany for every item, where the ORM would split the
    # rows into small batches by which of their columns are empty.
    session.execute(insert(InductionItem.__table__), [
        _item_values(planned, checklist_id=checklist_id, staff_id=staff_id, position=i, anchor=start, now=now)
        for checklist_id, ((staff_id, _, start, _), (items, _)) in zip(ids, todo) for i, planned in enumerate(items)
    ])
    audit.record_many(session, [
        audit.entry_values(
            actor, "create", "induction_checklist", checklist_id,
            f"Made {name}'s induction checklist: {len(items)} item(s) from templates "
            + ", ".join(f"{code} v{v}" for code, v in versions.items()),
            {"items": len(items), "templates": versions, "anchor_date": start.isoformat()}, subject_staff_id=staff_id,
        )
        for checklist_id, ((staff_id, _, start, name), (items, versions)) in zip(ids, todo)
    ])
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


# --------------------------------------------------------------------------- the service


def _state_values_complete(item: InductionItem, completed_on: date) -> dict:
    expires = rules.expires_on(completed_on, item.validity_months) if item.validity_months else None
    return {"state": ItemState.COMPLETE.value, "completed_on": completed_on, "expires_on": expires}


class InductionService:
    def __init__(self, db: Database, today: Callable[[], date],
                 evidence_root: Callable[[], Path] | None = None):
        self._db = db
        self._today = today
        if evidence_root is None:
            from arrs_desk.paths import evidence_dir

            evidence_root = evidence_dir
        self._evidence_root = evidence_root
        self.templates = TemplateService(db)

    # --- reading one checklist ----------------------------------------------------------
    def checklist(self, actor: Actor, staff_id: int) -> ChecklistView:
        today = self._today()
        with self._db.read() as session:
            rel = relationship(session, actor, staff_id)
            require(actor, Action.VIEW_STAFF, rel)
            person = get_or_404(session, Staff, staff_id, "staff member")
            role = session.get(Role, person.role_code)
            manager = session.get(Staff, person.line_manager_id) if person.line_manager_id else None
            items = session.execute(
                select(InductionItem).where(InductionItem.staff_id == staff_id).order_by(InductionItem.position)
            ).scalars().all()
            kinds = dict(session.execute(
                select(InductionChecklist.id, InductionChecklist.kind).where(InductionChecklist.staff_id == staff_id)
            ).all())
            files: dict[int, list[EvidenceRow]] = {}
            for e in session.execute(
                select(InductionEvidence).where(InductionEvidence.staff_id == staff_id,
                                                InductionEvidence.removed_at.is_(None))
                .order_by(InductionEvidence.added_at)
            ).scalars():
                files.setdefault(e.item_id, []).append(
                    EvidenceRow(e.id, e.original_name, e.media_type, e.size, e.added_by_name, e.added_at))
            recorders = recorder_names(session, (i.recorded_by_user_id for i in items if i.signed_by_external_id))
            offer_titles: tuple[str, ...] = ()
            if kinds:
                planned, _ = items_for_role(session, person.role_code)
                have = {i.key for i in items}
                offer_titles = tuple(p.title for p in planned if p.key not in have)
        caps = self._capabilities(actor, rel)
        rows = [self._item_row(i, today, caps, files.get(i.id, ()), kinds.get(i.checklist_id) == KIND_REINDUCTION,
                               recorders) for i in items]
        sections: dict[str, list[ItemRow]] = {}
        titles: dict[str, str] = {}
        for row in rows:
            sections.setdefault(row.section, []).append(row)
            titles.setdefault(row.section, row.section_title)
        statuses = [r.status for r in rows]
        reg_status = rules.renewal_status(person.registration_renewal, today) if person.registration_number else None
        return ChecklistView(
            staff_id=person.id,
            display_name=staff_rules.display_name(person.given_name, person.family_name, person.preferred_name),
            role_code=person.role_code, role_title=role.title if role else person.role_code,
            start_date=person.start_date,
            line_manager=staff_rules.display_name(manager.given_name, manager.family_name, manager.preferred_name)
            if manager else "",
            registration=f"{person.register_code.split('-')[0]} {person.registration_number}".strip()
            if person.registration_number else "",
            registration_renewal=person.registration_renewal, registration_status=reg_status,
            has_checklist=bool(kinds),
            sections=tuple(
                SectionRow(code, titles[code], tuple(group), rules.progress(r.status for r in group))
                for code, group in sections.items()
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

    @staticmethod
    def _capabilities(actor: Actor, rel: Relationship) -> dict[str, bool]:
        return {
            "tick": denial(actor.roles, Action.TICK_INDUCTION, rel) is None,
            "sign": denial(actor.roles, Action.SIGN_OFF_INDUCTION, rel) is None,
            "record": denial(actor.roles, Action.RECORD_SIGNATURE, rel) is None,
            "edit": denial(actor.roles, Action.EDIT_STAFF, rel) is None,
            "is_self": rel.is_self,
            "manages": rel.manages,
        }

    @staticmethod
    def _item_row(item: InductionItem, today: date, caps: dict[str, bool], files: Sequence[EvidenceRow],
                  reinduction: bool, recorders: dict[int, str]) -> ItemRow:
        state = ItemState(item.state)
        status = rules.status_of(state, item.due_on, today, needs_signoff=item.needs_signoff,
                                 due_soon_days=DUE_SOON_DAYS)
        mine = caps["tick"] and rules.may_complete(item.completed_by, is_self=caps["is_self"], manages=caps["manages"])
        expiry = None
        if item.validity_months and state is ItemState.COMPLETE:
            expiry = rules.renewal_status(item.expires_on, today)
        signed_off = state is ItemState.COMPLETE and item.needs_signoff
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
            can_tick=mine and state in (ItemState.OPEN, ItemState.RETURNED),
            can_untick=mine and (state is ItemState.AWAITING or (state is ItemState.COMPLETE and not signed_off)),
            can_sign_off=caps["sign"] and state is ItemState.AWAITING,
            can_record_signature=caps["record"] and state is ItemState.AWAITING and item.needs_signoff,
            can_mark_na=mine and state in (ItemState.OPEN, ItemState.RETURNED),
            can_reopen=mine and state is ItemState.NOT_APPLICABLE,
            can_attach=caps["tick"] and state is not ItemState.NOT_APPLICABLE,
            can_edit_validity=caps["edit"] or (mine and item.validity_months is not None),
            can_renew=mine and state is ItemState.COMPLETE and item.validity_months is not None,
        )

    # --- making checklists --------------------------------------------------------------
    def create_checklist(self, actor: Actor, staff_id: int) -> ChecklistView:
        with self._db.write() as session:
            require(actor, Action.EDIT_STAFF, relationship(session, actor, staff_id))
            person = get_or_404(session, Staff, staff_id, "staff member")
            if session.execute(select(InductionChecklist.id).where(InductionChecklist.staff_id == staff_id)).first():
                raise ValidationError.single("checklist", "This person already has an induction checklist.")
            if make_checklist(session, actor, person) is None:
                raise ValidationError.single(
                    "checklist", "There are no induction templates to make a checklist from. An administrator can "
                    "check the templates under Induction > Edit templates.")
        return self.checklist(actor, staff_id)

    def add_reinduction(self, actor: Actor, staff_id: int, change_date: date | None = None) -> int:
        """Give a person who changed role the new role's items they do not already have.

        What they completed stays as it is; the new items count from `change_date` (default today).
        """
        change_date = change_date or self._today()
        with self._db.write() as session:
            require(actor, Action.EDIT_STAFF, relationship(session, actor, staff_id))
            person = get_or_404(session, Staff, staff_id, "staff member")
            have = frozenset(session.execute(
                select(InductionItem.key).where(InductionItem.staff_id == staff_id)).scalars())
            if not have:
                raise ValidationError.single("checklist", "This person has no induction checklist yet; make one first.")
            checklist = make_checklist(session, actor, person, kind=KIND_REINDUCTION, anchor=change_date,
                                       skip_keys=have)
            if checklist is None:
                raise ValidationError.single("checklist", "The checklist already has every item of this role's induction.")
            return session.execute(
                select(func.count()).where(InductionItem.checklist_id == checklist.id)).scalar()

    # --- changing items -----------------------------------------------------------------
    def _item_for(self, session: Session, actor: Actor, item_id: int,
                  expected_version: int | None = None) -> tuple[InductionItem, dict[str, bool], str]:
        item = get_or_404(session, InductionItem, item_id, "checklist item")
        if expected_version is not None and item.version != expected_version:
            raise StaleEdit(
                "Someone else changed this item after you opened the checklist, so your change was not saved. "
                "The checklist has been reloaded: check the item and try again if it still needs doing."
            )
        rel = relationship(session, actor, item.staff_id)
        person = session.get(Staff, item.staff_id)
        name = staff_rules.display_name(person.given_name, person.family_name, person.preferred_name)
        return item, self._capabilities(actor, rel), name

    def _require_completer(self, actor: Actor, item: InductionItem, caps: dict[str, bool]) -> None:
        require(actor, Action.TICK_INDUCTION, Relationship(is_self=caps["is_self"], manages=caps["manages"]))
        if not rules.may_complete(item.completed_by, is_self=caps["is_self"], manages=caps["manages"]):
            raise ValidationError.single("item", (
                "Your line manager completes this item; it will show as done once they have."
                if caps["is_self"] else
                "This item is for the starter to tick; you sign it off once they have."))

    def _completion_date(self, completed_on: date | None, item: InductionItem) -> date:
        today = self._today()
        day = completed_on or today
        if day > today:
            raise ValidationError.single("completed_on", f"The completion date ({day:%d/%m/%Y}) is in the future; "
                                                         "enter the day it was done.")
        if day < rules.add_months(today, -12 * MAX_PAST_COMPLETION_YEARS):
            raise ValidationError.single("completed_on", f"The completion date ({day:%d/%m/%Y}) is more than "
                                                         f"{MAX_PAST_COMPLETION_YEARS} years ago; check the year.")
        return day

    def tick(self, actor: Actor, item_id: int, expected_version: int, *, note: str = "",
             completed_on: date | None = None) -> None:
        """Mark an item done. Items needing sign-off then wait for the line manager; a manager who
        ticks such an item is the signer, so it is signed off at once."""
        note = clean_text(note, multiline=True)
        if len(note) > MAX_NOTE:
            raise ValidationError.single("note", f"Keep the note to {MAX_NOTE} characters or fewer (it has {len(note)}).")
        with self._db.write() as session:
            item, caps, name = self._item_for(session, actor, item_id, expected_version)
            self._require_completer(actor, item, caps)
            state = ItemState(item.state)
            if state not in (ItemState.OPEN, ItemState.RETURNED):
                raise ValidationError.single("item", "This item is already ticked or marked not applicable.")
            day = self._completion_date(completed_on, item)
            now = utcnow()
            values = {"ticked_at": now, "ticked_by_user_id": actor.user_id, "ticked_by_name": actor.display_name,
                      "note": note, "state": ItemState.AWAITING.value}
            signed = False
            if not item.needs_signoff:
                values.update(_state_values_complete(item, day))
            elif caps["manages"] and denial(actor.roles, Action.SIGN_OFF_INDUCTION, Relationship(manages=True)) is None:
                values.update(_state_values_complete(item, day), **self._signature(actor, now))
                signed = True
            else:
                values["completed_on"] = day
            apply_update(session, item, values, expected_version, "checklist item")
            what = "Ticked and signed off" if signed else "Ticked"
            audit.record(session, actor, "tick", "induction_item", item.id, f"{what} '{item.title}' for {name}",
                         {"state": [state.value, item.state], "note": note, "completed_on": day.isoformat()},
                         subject_staff_id=item.staff_id)

    def untick(self, actor: Actor, item_id: int, expected_version: int) -> None:
        with self._db.write() as session:
            item, caps, name = self._item_for(session, actor, item_id, expected_version)
            self._require_completer(actor, item, caps)
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

    @staticmethod
    def _signature(actor: Actor, now: datetime) -> dict:
        return {"signed_by_user_id": actor.user_id, "signed_by_name": actor.display_name,
                "recorded_by_user_id": actor.user_id, "signed_on": now.date(), "signed_at": now}

    def sign_off(self, actor: Actor, item_id: int, expected_version: int, comment: str = "") -> None:
        comment = clean_text(comment, multiline=True)
        if len(comment) > MAX_NOTE:
            raise ValidationError.single("comment", f"Keep the comment to {MAX_NOTE} characters or fewer.")
        with self._db.write() as session:
            item, caps, name = self._item_for(session, actor, item_id, expected_version)
            require(actor, Action.SIGN_OFF_INDUCTION, Relationship(is_self=caps["is_self"], manages=caps["manages"]))
            if item.state != ItemState.AWAITING:
                raise ValidationError.single("item", "Only a ticked item waiting for sign-off can be signed off.")
            values = {**_state_values_complete(item, item.completed_on or self._today()),
                      **self._signature(actor, utcnow()), "signoff_comment": comment}
            apply_update(session, item, values, expected_version, "checklist item")
            audit.record(session, actor, "sign_off", "induction_item", item.id, f"Signed off '{item.title}' for {name}",
                         {"state": [ItemState.AWAITING.value, ItemState.COMPLETE.value], "comment": comment},
                         subject_staff_id=item.staff_id)

    def record_external_sign_off(self, actor: Actor, *, item_id: int, expected_version: int,
                                 signature: ExternalSignatureInput) -> None:
        """Someone without an account signed the item off on paper (a printed signature sheet) or
        by e-mail; the person's line manager or an administrator records it on their behalf. The
        item is then signed off as if in the app, marked as recorded by the actor."""
        today = self._today()
        with self._db.write() as session:
            item, caps, name = self._item_for(session, actor, item_id, expected_version)
            require(actor, Action.RECORD_SIGNATURE, Relationship(is_self=caps["is_self"], manages=caps["manages"]))
            if item.state != ItemState.AWAITING or not item.needs_signoff:
                raise ValidationError.single("item", "Only a ticked item waiting for sign-off can be signed off; "
                                                     "ask the starter to tick it first.")
            done = item.completed_on or (item.ticked_at.astimezone(UK).date() if item.ticked_at else None)
            _signer, values = signature_values(session, actor, signature, today=today, earliest=done,
                                               earliest_what="the item was done, as ticked")
            apply_update(session, item, {**_state_values_complete(item, item.completed_on or values["signed_on"]),
                                         **values}, expected_version, "checklist item")
            changes = {"state": [ItemState.AWAITING.value, ItemState.COMPLETE.value], **signature_audit(values)}
            audit.record(session, actor, "sign_off", "induction_item", item.id,
                         f"Recorded, on their behalf, {values['signed_by_name']}'s sign-off of '{item.title}' for "
                         f"{name} (signed {values['signed_on']:%d/%m/%Y}, {received_text(values)})",
                         changes, subject_staff_id=item.staff_id)

    def return_item(self, actor: Actor, item_id: int, expected_version: int, comment: str) -> None:
        """Send a ticked item back to the starter, saying what is missing."""
        comment = clean_text(comment, multiline=True)
        if sum(ch.isalnum() for ch in comment) < MIN_RETURN_COMMENT:
            raise ValidationError.single("comment", "Say what the starter needs to do before you can sign this off.")
        if len(comment) > MAX_NOTE:
            raise ValidationError.single("comment", f"Keep the comment to {MAX_NOTE} characters or fewer.")
        with self._db.write() as session:
            item, caps, name = self._item_for(session, actor, item_id, expected_version)
            require(actor, Action.SIGN_OFF_INDUCTION, Relationship(is_self=caps["is_self"], manages=caps["manages"]))
            if item.state != ItemState.AWAITING:
                raise ValidationError.single("item", "Only a ticked item waiting for sign-off can be returned.")
            apply_update(session, item, {
                "state": ItemState.RETURNED.value, "returned_at": utcnow(), "returned_by_user_id": actor.user_id,
                "returned_by_name": actor.display_name, "return_comment": comment, "completed_on": None,
            }, expected_version, "checklist item")
            audit.record(session, actor, "return", "induction_item", item.id, f"Returned '{item.title}' to {name}",
                         {"state": [ItemState.AWAITING.value, ItemState.RETURNED.value], "comment": comment},
                         subject_staff_id=item.staff_id)

    def mark_not_applicable(self, actor: Actor, item_id: int, expected_version: int, reason: str) -> None:
        reason = clean_text(reason, multiline=True)
        problem = rules.not_applicable_problem(reason)
        if problem:
            raise ValidationError.single("reason", problem)
        if len(reason) > 500:
            raise ValidationError.single("reason", "Keep the reason to 500 characters or fewer.")
        with self._db.write() as session:
            item, caps, name = self._item_for(session, actor, item_id, expected_version)
            self._require_completer(actor, item, caps)
            state = ItemState(item.state)
            if state not in (ItemState.OPEN, ItemState.RETURNED):
                raise ValidationError.single("item", "Only an item that is not done yet can be marked not applicable.")
            apply_update(session, item, {"state": ItemState.NOT_APPLICABLE.value, "na_reason": reason,
                                         "na_at": utcnow(), "na_by_user_id": actor.user_id,
                                         "na_by_name": actor.display_name}, expected_version, "checklist item")
            audit.record(session, actor, "not_applicable", "induction_item", item.id,
                         f"Marked '{item.title}' not applicable for {name}",
                         {"state": [state.value, ItemState.NOT_APPLICABLE.value], "reason": reason},
                         subject_staff_id=item.staff_id)

    def reopen(self, actor: Actor, item_id: int, expected_version: int) -> None:
        """Undo 'not applicable': the item is on the list again."""
        with self._db.write() as session:
            item, caps, name = self._item_for(session, actor, item_id, expected_version)
            self._require_completer(actor, item, caps)
            if item.state != ItemState.NOT_APPLICABLE:
                raise ValidationError.single("item", "This item is not marked not applicable.")
            apply_update(session, item, {"state": ItemState.OPEN.value, "na_reason": "", "na_at": None,
                                         "na_by_user_id": None, "na_by_name": ""}, expected_version, "checklist item")
            audit.record(session, actor, "reopen", "induction_item", item.id,
                         f"Put '{item.title}' back on {name}'s checklist",
                         {"state": [ItemState.NOT_APPLICABLE.value, ItemState.OPEN.value]}, subject_staff_id=item.staff_id)

    def set_validity(self, actor: Actor, item_id: int, expected_version: int, months: int | str | None) -> None:
        """How long this person's training stays valid (blank: it does not expire)."""
        raw = months.strip() if isinstance(months, str) else months
        value = None
        if raw not in (None, ""):
            value = rules.parse_offset_days(raw)
            if value is None or not 1 <= value <= rules.MAX_VALIDITY_MONTHS:
                raise ValidationError.single("validity_months", (
                    f"Enter how many months the training stays valid, from 1 to {rules.MAX_VALIDITY_MONTHS}, "
                    "or leave it blank if it does not expire."))
        with self._db.write() as session:
            item, caps, name = self._item_for(session, actor, item_id, expected_version)
            may_edit = caps["edit"] or (item.validity_months is not None and caps["tick"] and rules.may_complete(
                item.completed_by, is_self=caps["is_self"], manages=caps["manages"]))
            if not may_edit:
                require(actor, Action.EDIT_STAFF, Relationship(is_self=caps["is_self"], manages=caps["manages"]))
            expires = item.expires_on
            if item.state == ItemState.COMPLETE and item.completed_on:
                expires = rules.expires_on(item.completed_on, value) if value else None
            before = item.validity_months
            apply_update(session, item, {"validity_months": value, "expires_on": expires}, expected_version,
                         "checklist item")
            audit.record(session, actor, "validity", "induction_item", item.id,
                         f"Set how long '{item.title}' stays valid for {name}",
                         {"validity_months": [before, value]}, subject_staff_id=item.staff_id)

    def record_renewal(self, actor: Actor, item_id: int, expected_version: int, completed_on: date) -> None:
        """Training done again: a new completion date, so a new expiry date."""
        with self._db.write() as session:
            item, caps, name = self._item_for(session, actor, item_id, expected_version)
            self._require_completer(actor, item, caps)
            if item.state != ItemState.COMPLETE or not item.validity_months:
                raise ValidationError.single("item", "Only completed training with a validity period can be renewed.")
            day = self._completion_date(completed_on, item)
            if item.completed_on and day < item.completed_on:
                raise ValidationError.single("completed_on", (
                    f"The renewal date ({day:%d/%m/%Y}) is before the date already recorded "
                    f"({item.completed_on:%d/%m/%Y})."))
            before = item.completed_on
            apply_update(session, item, _state_values_complete(item, day), expected_version, "checklist item")
            audit.record(session, actor, "renew", "induction_item", item.id, f"Recorded renewal of '{item.title}' for {name}",
                         {"completed_on": [before.isoformat() if before else None, day.isoformat()]},
                         subject_staff_id=item.staff_id)

    # --- evidence -----------------------------------------------------------------------
    def attach_evidence(self, actor: Actor, item_id: int, source: Path) -> EvidenceRow:
        source = Path(source)
        with self._db.read() as session:
            item, caps, _ = self._item_for(session, actor, item_id)
            require(actor, Action.TICK_INDUCTION, Relationship(is_self=caps["is_self"], manages=caps["manages"]))
        root = self._evidence_root()
        stored = evidence.store_file(source, root)  # checks size and contents before anything is written
        try:
            with self._db.write() as session:
                item, caps, name = self._item_for(session, actor, item_id)
                if item.state == ItemState.NOT_APPLICABLE:
                    raise ValidationError.single("file", "This item is marked not applicable; put it back first.")
                row = InductionEvidence(
                    item_id=item.id, staff_id=item.staff_id, sha256=stored.sha256, stored_name=stored.stored_name,
                    original_name=stored.original_name, media_type=stored.kind.media_type, size=stored.size,
                    added_by_user_id=actor.user_id, added_by_name=actor.display_name, removed_by_name="",
                )
                session.add(row)
                session.flush()
                audit.record(session, actor, "attach", "induction_evidence", row.id,
                             f"Attached '{stored.original_name}' to '{item.title}' for {name}",
                             {"sha256": stored.sha256, "size": stored.size, "media_type": stored.kind.media_type},
                             subject_staff_id=item.staff_id)
                return EvidenceRow(row.id, row.original_name, row.media_type, row.size, row.added_by_name, row.added_at)
        except BaseException:
            if stored.created:
                evidence.discard(root, stored.stored_name)
            raise

    def evidence_file(self, actor: Actor, evidence_id: int) -> Path:
        """The stored copy, for opening in the system viewer."""
        with self._db.read() as session:
            row = get_or_404(session, InductionEvidence, evidence_id, "evidence file")
            require(actor, Action.VIEW_STAFF, relationship(session, actor, row.staff_id))
            stored_name = row.stored_name
        return evidence.stored_path(self._evidence_root(), stored_name)

    def remove_evidence(self, actor: Actor, evidence_id: int) -> None:
        """Take a wrongly attached file off an item. The record stays in the audit trail."""
        with self._db.write() as session:
            row = get_or_404(session, InductionEvidence, evidence_id, "evidence file")
            item, caps, name = self._item_for(session, actor, row.item_id)
            require(actor, Action.TICK_INDUCTION, Relationship(is_self=caps["is_self"], manages=caps["manages"]))
            if row.removed_at is not None:
                return
            if item.state == ItemState.COMPLETE and item.needs_signoff:
                raise ValidationError.single("file", "This item has been signed off with this evidence, so the file stays.")
            row.removed_at = utcnow()
            row.removed_by_name = actor.display_name
            audit.record(session, actor, "remove", "induction_evidence", row.id,
                         f"Removed '{row.original_name}' from '{item.title}' for {name}", subject_staff_id=item.staff_id)

    # --- export -------------------------------------------------------------------------
    CSV_HEADER = (
        "Staff member", "Role", "Section", "Item", "Due date", "Status", "Ticked by", "Ticked on", "Note",
        "Signed off by", "Signed off on", "Returned comment", "Not applicable reason", "Completed on",
        "Valid until", "Training status", "Evidence files",
    )

    def checklist_rows(self, actor: Actor, staff_id: int) -> list[tuple]:
        """The checklist as CSV rows (text cells), in the order of `CSV_HEADER`."""
        view = self.checklist(actor, staff_id)

        def day(value: date | datetime | None) -> str:
            return value.strftime("%d/%m/%Y") if value else ""

        def signed_by(i: ItemRow) -> str:
            behalf = i.signed_on_behalf
            if behalf is None:
                return i.signed_by
            return f"{i.signed_by} (recorded by {behalf.recorded_by or 'a former user'} from {behalf.source})"

        return [
            (view.display_name, view.role_title, i.section_title, i.title, day(i.due_on), i.status.label,
             i.ticked_by, day(i.ticked_at), i.note, signed_by(i),
             day(i.signed_on if i.signed_on_behalf else i.signed_at), i.return_comment,
             i.na_reason, day(i.completed_on), day(i.expires_on), i.expiry.label if i.expiry else "",
             "; ".join(e.original_name for e in i.evidence))
            for i in view.items
        ]

    def export_csv(self, actor: Actor, staff_id: int, target: Path) -> int:
        """Write one person's checklist as CSV, formula-like cells neutralised, and record it in
        the audit trail; returns the row count."""
        rows = self.checklist_rows(actor, staff_id)
        name = rows[0][0] if rows else self.checklist(actor, staff_id).display_name
        return save_audited(self._db, actor, target, record="induction_checklist",
                            what=f"the induction checklist of {name}", file_format="CSV", people=1,
                            write=lambda partial: write_csv(partial, self.CSV_HEADER, rows),
                            subject_staff_id=staff_id).rows

    # --- the manager overview -----------------------------------------------------------
    def overview(self, actor: Actor, *, include_without_checklist: bool = True) -> list[OverviewRow]:
        """Every current person the actor may see, with their induction counted in one query.

        The aggregate runs over ix_induction_item_overview (staff_id, state, due_on, expires_on),
        so SQLite answers from the index without reading the item rows.
        """
        today = self._today()
        soon = today + timedelta(days=rules.EXPIRY_WINDOW_DAYS)
        i = InductionItem
        open_states = (ItemState.OPEN.value, ItemState.RETURNED.value)

        def count(condition):
            return func.sum(case((condition, 1), else_=0))

        agg = (
            select(
                i.staff_id.label("staff_id"),
                count(i.state != ItemState.NOT_APPLICABLE.value).label("applicable"),
                count(i.state == ItemState.COMPLETE.value).label("done"),
                count(and_(i.state == ItemState.OPEN.value, i.due_on < today)).label("overdue"),
                count(i.state == ItemState.AWAITING.value).label("awaiting"),
                count(i.state == ItemState.RETURNED.value).label("returned"),
                func.min(case((i.state.in_(open_states), i.due_on))).label("next_due"),
                count(i.expires_on < today).label("expired"),
                count(and_(i.expires_on >= today, i.expires_on <= soon)).label("expiring"),
            )
            .group_by(i.staff_id)
            .subquery()
        )
        manager = aliased(Staff)
        stmt = (
            select(
                Staff.id, Staff.given_name, Staff.family_name, Staff.preferred_name, Staff.role_code, Role.title,
                Staff.start_date, Staff.status, Staff.registration_number, Staff.registration_renewal,
                manager.given_name, manager.family_name, manager.preferred_name,
                agg.c.staff_id, agg.c.applicable, agg.c.done, agg.c.overdue, agg.c.awaiting, agg.c.returned,
                agg.c.next_due, agg.c.expired, agg.c.expiring,
            )
            .join(Role, Role.code == Staff.role_code)
            .outerjoin(manager, manager.id == Staff.line_manager_id)
            .outerjoin(agg, agg.c.staff_id == Staff.id)
            .where(Staff.status != StaffStatus.LEFT.value)
        )
        if not include_without_checklist:
            stmt = stmt.where(agg.c.staff_id.is_not(None))
        with self._db.read() as session:
            visible = visible_staff_ids(session, actor)
            if visible is not None:
                stmt = stmt.where(Staff.id.in_(visible or {-1}))
            raw = session.execute(stmt).all()
            practices: dict[int, list[tuple[str, int]]] = {}
            for staff_id, org_id, org_name in session.execute(
                select(StaffPractice.staff_id, Organisation.id, Organisation.name)
                .join(Organisation, Organisation.id == StaffPractice.organisation_id)
            ).all():
                practices.setdefault(staff_id, []).append((org_name, org_id))
        fold = cache(staff_rules.search_key)  # role titles and practices repeat: fold each once
        rows = []
        for (sid, given, family, preferred, role_code, role_title, start, status, reg_number, renewal,
             m_given, m_family, m_preferred, has, applicable, done, overdue, awaiting, returned,
             next_due, expired, expiring) in raw:
            name = staff_rules.display_name(given, family, preferred)
            places = sorted(practices.get(sid, ()))
            practice_text = ", ".join(n for n, _ in places)
            applicable, done = applicable or 0, done or 0
            rows.append(OverviewRow(
                staff_id=sid, display_name=name, family_name=family, role_code=role_code, role_title=role_title,
                practice_ids=tuple(pid for _, pid in places), practices=practice_text, start_date=start,
                status=status,
                line_manager=staff_rules.display_name(m_given, m_family, m_preferred) if m_given is not None else "",
                has_checklist=has is not None, applicable=applicable, done=done,
                percent=100 if applicable == 0 else done * 100 // applicable,
                overdue=overdue or 0, awaiting=awaiting or 0, returned=returned or 0, next_due=next_due,
                expired=expired or 0, expiring=expiring or 0, registration_renewal=renewal,
                registration_status=rules.renewal_status(renewal, today) if reg_number else None,
                search_key=" ".join(fold(p) for p in (given, family, preferred, role_title, role_code, practice_text)
                                    if p),
                name_key=f"{fold(family)} {fold(name)}",
            ))
        rows.sort(key=lambda r: r.name_key)
        return rows

    def awaiting_signoff(self, actor: Actor) -> list[SignOffRow]:
        """Items waiting for sign-off from the people the actor line-manages, oldest first.

        Administrators see every waiting item (they cannot sign, but can chase, and record a
        signature given on paper or by e-mail).
        """
        i = InductionItem
        files = (
            select(InductionEvidence.item_id, func.count().label("n"))
            .where(InductionEvidence.removed_at.is_(None)).group_by(InductionEvidence.item_id).subquery()
        )
        stmt = (
            select(i.id, i.version, i.staff_id, Staff.given_name, Staff.family_name, Staff.preferred_name, i.title,
                   i.section_title, i.ticked_by_name, i.ticked_at, i.note, files.c.n)
            .join(Staff, Staff.id == i.staff_id)
            .outerjoin(files, files.c.item_id == i.id)
            .where(i.state == ItemState.AWAITING.value, Staff.status != StaffStatus.LEFT.value)
            .order_by(i.ticked_at)
        )
        with self._db.read() as session:
            if AccessRole.ADMINISTRATOR not in actor.roles:
                # Only the people this actor line-manages: the ones whose items they can sign.
                team = (managed_ids(session, actor.staff_id)
                        if AccessRole.LINE_MANAGER in actor.roles and actor.staff_id is not None else set())
                stmt = stmt.where(i.staff_id.in_(team or {-1}))
            raw = session.execute(stmt).all()
        return [
            SignOffRow(item_id, version, sid, staff_rules.display_name(g, f, p), title, section, by, at, note, n or 0)
            for item_id, version, sid, g, f, p, title, section, by, at, note, n in raw
        ]
