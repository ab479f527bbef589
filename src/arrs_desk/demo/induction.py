"""Believable induction progress for the demonstration PCN and the benchmarks.

Checklists themselves are made by the induction service; this fills in what people have done
so far, deterministically for a seed and day. It writes in bulk inside one transaction (a
thousand checklists take a few seconds, not minutes) and records one audit entry per person
saying the progress is demonstration data.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import select, update

from arrs_desk import clock
from arrs_desk.clock import UK
from arrs_desk.domain import induction as rules
from arrs_desk.domain import staff as staff_rules
from arrs_desk.domain.induction import CompletedBy, ItemState
from arrs_desk.domain.staff import StaffStatus
from arrs_desk.services import audit
from arrs_desk.services.actor import SYSTEM, Actor
from arrs_desk.services.induction import make_checklist
from arrs_desk.store.models import InductionChecklist, InductionItem, Staff, UserAccount

RETURN_COMMENTS = (
    "Please attach the certificate so I can sign this off.",
    "Let's go through this together at our next one-to-one before I sign it.",
    "The date on the record looks wrong; check and tick again.",
)
NOTES = ("", "", "", "Done with my buddy.", "Certificate saved to my e-learning account.", "Covered in the team meeting.")


def _moment(day: date, rng: random.Random, *, after: datetime | None = None) -> datetime:
    """A time in the working day of `day` (England), in UTC as stored: never later than now (a
    demo built at 00:30 has nothing ticked at 14:00 today) and never before `after` (a sign-off
    follows the tick it signs)."""
    moment = datetime.combine(day, time(9 + rng.randint(0, 7), rng.randint(0, 59)), tzinfo=UK).astimezone(timezone.utc)
    if after is not None:
        moment = max(moment, after)
    return min(moment, clock.now())


def make_checklists(workspace, staff_ids: Iterable[int], actor: Actor = SYSTEM) -> int:
    """Checklists for people who have none (the benchmark's thousand, a few demo veterans)."""
    made = 0
    with workspace.db.write() as session:
        have = set(session.execute(select(InductionChecklist.staff_id)).scalars())
        for staff_id in staff_ids:
            if staff_id in have:
                continue
            person = session.get(Staff, staff_id)
            if person is not None and make_checklist(session, actor, person) is not None:
                made += 1
    return made


def add_progress(workspace, *, seed: int = 7, staff_ids: Iterable[int] | None = None) -> int:
    """Tick, sign off, return and mark not applicable as real starters would have by today.

    Items due well before today are mostly done; recent ones are partly done; future ones are
    untouched. Training done long ago has expired or is about to, so renewals show. Returns the
    number of items changed.
    """
    rng = random.Random(seed)
    today = workspace.today()
    changed = 0
    with workspace.db.write() as session:
        people = {p.id: p for p in session.execute(select(Staff)).scalars()}
        users = dict(session.execute(
            select(UserAccount.staff_id, UserAccount.id).where(UserAccount.staff_id.is_not(None))).all())
        stmt = select(InductionItem).order_by(InductionItem.staff_id, InductionItem.position)
        if staff_ids is not None:
            stmt = stmt.where(InductionItem.staff_id.in_(list(staff_ids)))
        by_person: dict[int, list[InductionItem]] = {}
        for item in session.execute(stmt).scalars():
            by_person.setdefault(item.staff_id, []).append(item)
        updates: list[dict] = []
        for staff_id, items in by_person.items():
            person = people[staff_id]
            manager = people.get(person.line_manager_id) if person.line_manager_id else None
            starter_name = staff_rules.display_name(person.given_name, person.family_name, person.preferred_name)
            manager_name = (staff_rules.display_name(manager.given_name, manager.family_name, manager.preferred_name)
                            if manager else "ARRS Desk (system)")
            diligence = rng.uniform(0.75, 0.98)
            touched = 0
            for item in items:
                lateness = (today - item.due_on).days
                chance = 0.97 if lateness > 60 else diligence if lateness > 7 else diligence * 0.6
                if lateness < -3 or rng.random() > chance:
                    continue
                by_manager = item.completed_by == CompletedBy.MANAGER or (
                    item.completed_by == CompletedBy.EITHER and rng.random() < 0.4)
                who = (manager_name, users.get(manager.id) if manager else None) if by_manager else (
                    starter_name, users.get(staff_id))
                done_on = min(today, item.due_on + timedelta(days=rng.randint(-2, 6)))
                values: dict = {"id": item.id, "version": item.version + 1}
                if item.key == "registration-verified" and not person.registration_number:
                    values.update(state=ItemState.NOT_APPLICABLE.value, na_reason="Unregistered role: no register to check",
                                  na_at=_moment(done_on, rng), na_by_name=manager_name,
                                  na_by_user_id=users.get(manager.id) if manager else None)
                    updates.append(values)
                    touched += 1
                    continue
                ticked_at = _moment(done_on, rng)
                values.update(ticked_at=ticked_at, ticked_by_name=who[0], ticked_by_user_id=who[1],
                              note=rng.choice(NOTES), completed_on=done_on)
                if item.needs_signoff and not by_manager:
                    roll = rng.random()
                    if lateness <= 10 and roll < 0.55:
                        values["state"] = ItemState.AWAITING.value
                        updates.append(values)
                        touched += 1
                        continue
                    if roll > 0.93:
                        values.update(state=ItemState.RETURNED.value, completed_on=None,
                                      returned_at=_moment(min(today, done_on + timedelta(days=2)), rng, after=ticked_at),
                                      returned_by_name=manager_name,
                                      returned_by_user_id=users.get(manager.id) if manager else None,
                                      return_comment=rng.choice(RETURN_COMMENTS))
                        updates.append(values)
                        touched += 1
                        continue
                if item.needs_signoff:
                    signed = min(today, done_on + timedelta(days=rng.randint(0, 4)))
                    values.update(signed_by_name=manager_name, signed_on=signed,
                                  signed_at=_moment(signed, rng, after=ticked_at),
                                  signed_by_user_id=users.get(manager.id) if manager else None,
                                  recorded_by_user_id=users.get(manager.id) if manager else None)
                values["state"] = ItemState.COMPLETE.value
                if item.validity_months:
                    values["expires_on"] = rules.expires_on(done_on, item.validity_months)
                updates.append(values)
                touched += 1
            if touched:
                audit.record(session, SYSTEM, "demo", "induction_checklist", staff_id,
                             f"Demonstration progress on {starter_name}'s induction ({touched} items)",
                             subject_staff_id=staff_id)
            changed += touched
        # One executemany needs every row to carry the same keys; the blanks match an open item.
        keys = {k for row in updates for k in row}
        blank_text = {"na_reason", "na_by_name", "ticked_by_name", "note", "returned_by_name", "return_comment",
                      "signed_by_name"}
        for row in updates:
            for key in keys - row.keys():
                row[key] = "" if key in blank_text else None
        if updates:
            session.execute(update(InductionItem), updates)
    return changed


def demo_induction(workspace, *, seed: int = 7, veterans: int = 6) -> int:
    """The demo PCN's induction story: its new starters part-way through, and a few people who
    finished a year or two ago whose mandatory training is now expiring or expired."""
    today = workspace.today()
    with workspace.db.read() as session:
        candidates = session.execute(
            select(Staff.id).where(Staff.status == StaffStatus.ACTIVE.value,
                                   Staff.start_date >= today - timedelta(days=3 * 365),
                                   Staff.start_date <= today - timedelta(days=200))
            .order_by(Staff.start_date.desc())
        ).scalars().all()
    make_checklists(workspace, candidates[:veterans])
    return add_progress(workspace, seed=seed)
