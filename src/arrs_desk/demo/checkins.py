"""Demo check-in answers: filed as the check-in service files them (`services.checkin_filing`), as
if each person had answered, all in one set-based filing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert, select

from arrs_desk.domain import assurance as rules
from arrs_desk.domain.staff import StaffStatus
from arrs_desk.services import audit
from arrs_desk.services.actor import SYSTEM
from arrs_desk.services.checkin_filing import Filing, file_answers
from arrs_desk.services.checkins import CheckinService
from arrs_desk.store.models import CheckinCompletion, Role, Staff


def populate_demo_checkins(workspace, rng) -> int:
    """Check-in answers for many demo staff, varied by role, filed as if each person had answered
    (so some batches are released and some groups still wait). Returns the number of answers."""
    service: CheckinService = workspace.checkins
    config = rules.builtin_checkins()
    today = workspace.today()
    schedule = service.schedule()
    keys = [s.key for s in config.statements]
    filings: list[Filing] = []
    completions: list[dict] = []
    with workspace.db.write() as session:
        people = session.execute(select(Staff.id, Staff.role_code, Staff.start_date, Staff.status)
                                 .where(Staff.status.not_in([StaffStatus.LEFT.value, StaffStatus.PRE_START.value]))
                                 ).all()
        arrs = set(session.execute(select(Role.code).where(Role.arrs)).scalars())
        for person in people:
            if person.role_code not in arrs or rng.random() < 0.25:
                continue
            mood = rng.uniform(2.2, 4.6) - (0.6 if person.role_code in ("PARA", "CNUR") else 0.0)
            for point in service.points(start=person.start_date, done=(), schedule=schedule, today=today):
                if point.status is rules.PointStatus.UPCOMING or rng.random() < 0.2:
                    continue
                mood = min(5.0, max(1.0, mood + rng.uniform(-0.5, 0.6)))
                answers = {k: int(min(5, max(1, round(mood + rng.uniform(-1.2, 1.2))))) for k in keys}
                answered = min(today, point.due_on + timedelta(days=rng.randint(0, 14)))
                completions.append({"staff_id": person.id, "months": point.months})
                filings.append(Filing(person.id, answers, answered))
        if completions:
            session.execute(insert(CheckinCompletion), completions)
        file_answers(session, filings)
        audit.record(session, SYSTEM, "demo", "checkin_round", "",
                     f"Demonstration check-ins: {len(filings)} answers, filed anonymously")
    return len(filings)
