"""Demo inductions completed before records began, for people long in post without a checklist."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from arrs_desk.domain.dates import add_months, format_uk
from arrs_desk.domain.staff import search_key
from arrs_desk.services import audit
from arrs_desk.services.actor import SYSTEM
from arrs_desk.services.induction_prior import InductionPriorService, PriorInductionInput, person_name
from arrs_desk.store.models import InductionChecklist, InductionPriorRecord, Role, Staff, UserAccount

DEMO_MIN_MONTHS_IN_POST = 6
"""The demo records earlier inductions only for people in post at least this long."""

DEMO_NOTES = (
    "Paper induction checklist, signed off at the time, is in the personnel file.",
    "Induction record held by the practice manager; signed and dated.",
    "Inducted with the previous cohort; certificate of completion on file.",
    "",
)


def add_demo_prior_inductions(workspace: Any, rng: random.Random) -> int:
    """For demo staff in post at least `DEMO_MIN_MONTHS_IN_POST` months with no checklist and a
    line manager: their induction, completed three to eight weeks after they started, attested by
    that manager. Written in one transaction, through the same checks as the service, with one
    audit entry per person. Returns how many were recorded."""
    today = workspace.today()
    service: InductionPriorService = workspace.induction_prior
    recorded = 0
    with workspace.db.write() as session:
        have = set(session.execute(select(InductionChecklist.staff_id).distinct()).scalars())
        have |= set(session.execute(select(InductionPriorRecord.staff_id)).scalars())
        titles = dict(session.execute(select(Role.code, Role.title)).all())
        accounts = dict(session.execute(select(UserAccount.staff_id, UserAccount.id)
                                        .where(UserAccount.staff_id.is_not(None), UserAccount.active)).all())
        people = session.execute(select(Staff).where(Staff.status != "left", Staff.line_manager_id.is_not(None))
                                 .order_by(Staff.id)).scalars().all()
        entries = []
        for person in people:
            if person.id in have or add_months(person.start_date, DEMO_MIN_MONTHS_IN_POST) > today:
                continue
            manager = session.get(Staff, person.line_manager_id)
            if manager is None or manager.id == person.id:
                continue
            if search_key(person_name(manager)) in (search_key(person_name(person)),
                                                   search_key(person.given_name, person.family_name)):
                continue  # a namesake manages them (thousands of demo staff share a few hundred names)
            completed = min(today, person.start_date + timedelta(days=rng.randint(21, 56)))
            data = PriorInductionInput(completed, person_name(manager), titles.get(manager.role_code, manager.role_code),
                                       accounts.get(manager.id), rng.choice(DEMO_NOTES))
            values = service.clean(session, person=person, data=data)
            session.add(InductionPriorRecord(staff_id=person.id, recorded_by_user_id=None,
                                             recorded_by_name=SYSTEM.display_name, **values))
            entries.append(audit.entry_values(
                SYSTEM, "create", "induction_prior_record", person.id,
                f"Recorded that {person_name(person)}'s induction was completed before records began "
                f"({format_uk(completed)}), attested by {values['attested_by_name']} (demonstration data)",
                subject_staff_id=person.id))
            recorded += 1
        audit.record_many(session, entries, by=SYSTEM)
    return recorded
