"""The managers' view of induction across the PCN: everyone's progress in one list, and the
items waiting for sign-off.

A whole PCN is counted in one aggregate query rather than by loading checklists, so the
Induction page opens quickly with thousands of people; the counts mean what a checklist's own
summary means (`arrs_desk.domain.induction`).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from arrs_desk.domain import induction as rules
from arrs_desk.domain import staff as staff_rules
from arrs_desk.domain.induction import ItemState
from arrs_desk.domain.permissions import AccessRole
from arrs_desk.services import reference
from arrs_desk.services.actor import Actor
from arrs_desk.services.induction.views import OverviewRow, SignOffRow
from arrs_desk.services.relationships import holds_relationships, managed_ids, visible_staff_ids
from arrs_desk.store.models import InductionChecklist, InductionEvidence, InductionItem, Role, Staff


def overview_rows(session: Session, actor: Actor, today: date, only: frozenset[int] | None, *,
                  include_without_checklist: bool) -> tuple[None, dict[int, OverviewRow]]:
    """Every current person the actor may see (only these, if given), with their induction
    counted in one query, by person (`shared_reads.by_person`).

    The aggregate runs over ix_induction_item_overview (staff_id, state, due_on, expires_on),
    so SQLite answers from the index, reading an item's row only when it is open and past its date
    and its person has a checklist whose day one is today or later.
    """
    soon = today + timedelta(days=rules.EXPIRY_WINDOW_DAYS)
    i = InductionItem
    open_states = (ItemState.OPEN.value, ItemState.RETURNED.value)
    # Overdue as `rules.item_status` has it: past its date, and past day one of its checklist. Day
    # one is looked up only for the items of people with a checklist whose day one is today or later
    # (starters yet to start, a re-induction planned ahead): everyone else's have all passed, so
    # their count stays on the index, which holds neither the checklist nor its day one.
    day_one = (select(InductionChecklist.anchor_date).where(InductionChecklist.id == i.checklist_id)
               .correlate(i).scalar_subquery())
    starting = select(InductionChecklist.staff_id).where(InductionChecklist.anchor_date >= today)

    def count(condition):
        # FILTER rather than sum(CASE ...): the same counts (0 for none), in about half the time
        # over 35,000 items at 5,000 staff (SQLite 3.30+ and PostgreSQL alike).
        return func.count().filter(condition)

    agg = (
        select(
            i.staff_id.label("staff_id"),
            count(i.state != ItemState.NOT_APPLICABLE.value).label("applicable"),
            count(i.state == ItemState.COMPLETE.value).label("done"),
            count(and_(i.state == ItemState.OPEN.value, i.due_on < today,
                       or_(i.staff_id.not_in(starting), day_one < today))).label("overdue"),
            count(i.state == ItemState.AWAITING.value).label("awaiting"),
            count(i.state == ItemState.RETURNED.value).label("returned"),
            func.min(i.due_on).filter(i.state.in_(open_states)).label("next_due"),
            count(i.expires_on < today).label("expired"),
            count(and_(i.expires_on >= today, i.expires_on <= soon)).label("expiring"),
        )
        .group_by(i.staff_id)
    )
    agg = (agg if only is None else agg.where(i.staff_id.in_(only))).subquery()
    manager = aliased(Staff)
    stmt = (
        select(
            Staff.id, Staff.given_name, Staff.family_name, Staff.preferred_name, Staff.role_code, Role.title,
            Staff.start_date, Staff.end_date, Staff.status, Staff.registration_number, Staff.registration_renewal,
            manager.given_name, manager.family_name, manager.preferred_name,
            agg.c.staff_id, agg.c.applicable, agg.c.done, agg.c.overdue, agg.c.awaiting, agg.c.returned,
            agg.c.next_due, agg.c.expired, agg.c.expiring,
        )
        .join(Role, Role.code == Staff.role_code)
        .outerjoin(manager, manager.id == Staff.line_manager_id)
        # Only those with a checklist (Home's cards): an inner join, so SQLite starts from the few
        # hundred people counted rather than scanning every staff record for them.
        .join(agg, agg.c.staff_id == Staff.id, isouter=include_without_checklist)
        .where(*reference.not_left_where(today))
    )
    visible = visible_staff_ids(session, actor)
    if visible is not None:
        stmt = stmt.where(Staff.id.in_(visible or {-1}))
    if only is not None:
        stmt = stmt.where(Staff.id.in_(only or {-1}))
    # Plain rows, not the ORM's result handling (the same values: the columns' types still read
    # them): about a third of this read's time at 5,000 staff.
    raw = session.connection().execute(stmt).all()
    names = reference.practice_names(session)
    practices = reference.practices_by_staff(session)
    placed: dict[tuple[int, ...], tuple[tuple[int, ...], str]] = {}
    """A person's practices -> their ids and names, in name order: a PCN has a few dozen
    combinations of practices, shared by thousands (and leavers' are never looked at)."""

    fold = cache(staff_rules.search_key)  # role titles and practices repeat: fold each once
    # A status's text by a dict lookup: an enum's `.value` runs Python code, 4,500 times a read.
    status_text = {status: status.value for status in staff_rules.StaffStatus}
    rows = {}
    for (sid, given, family, preferred, role_code, role_title, start, end, status, reg_number, renewal,
         m_given, m_family, m_preferred, has, applicable, done, overdue, awaiting, returned,
         next_due, expired, expiring) in raw:
        name = staff_rules.display_name(given, family, preferred)
        own = practices.get(sid, ())
        where = placed.get(own)
        if where is None:
            places = sorted((names.get(org_id, ""), org_id) for org_id in own)
            where = placed[own] = (tuple(pid for _, pid in places), ", ".join(n for n, _ in places))
        practice_ids, practice_text = where
        applicable, done = applicable or 0, done or 0
        rows[sid] = OverviewRow(
            staff_id=sid, display_name=name, family_name=family, role_code=role_code, role_title=role_title,
            practice_ids=practice_ids, practices=practice_text, start_date=start,
            status=status_text[staff_rules.effective_status(status, start, end, today)],
            line_manager=staff_rules.display_name(m_given, m_family, m_preferred) if m_given is not None else "",
            has_checklist=has is not None, applicable=applicable, done=done,
            percent=rules.percent_done(done, applicable),
            overdue=overdue or 0, awaiting=awaiting or 0, returned=returned or 0, next_due=next_due,
            expired=expired or 0, expiring=expiring or 0, registration_renewal=renewal,
            registration_status=rules.renewal_status(renewal, today) if reg_number else None,
            search_key=" ".join([fold(p) for p in (given, family, preferred, role_title, role_code, practice_text) if p]),
            name_key=f"{fold(family)} {fold(name)}",
        )
    return None, rows


def read_awaiting_signoff(session: Session, actor: Actor, today: date) -> list[SignOffRow]:
    """Items awaiting sign-off for people not left by `today`: a leaver's last day may have passed
    with their record still saved as Active, and nobody signs for someone who has gone."""
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
        .where(i.state == ItemState.AWAITING.value, *reference.not_left_where(today))
        .order_by(i.ticked_at)
    )
    # The people this actor line-manages: the ones whose items they can sign.
    team = (managed_ids(session, actor.staff_id)
            if AccessRole.LINE_MANAGER in actor.roles and actor.staff_id is not None
            and holds_relationships(session, actor) else set())
    if AccessRole.ADMINISTRATOR not in actor.roles:
        stmt = stmt.where(i.staff_id.in_(team or {-1}))
    raw = session.execute(stmt).all()
    return [
        SignOffRow(item_id, version, sid, staff_rules.display_name(g, f, p), title, section, by, at, note, n or 0,
                   yours=actor.sole_user or sid in team)
        for item_id, version, sid, g, f, p, title, section, by, at, note, n in raw
    ]
