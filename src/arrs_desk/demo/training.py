"""Demo statutory and mandatory training: most people in date, some due soon, some expired and
a few subjects never done, worked out from today so the matrix looks the same on any date."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select

from arrs_desk.domain.dates import add_months
from arrs_desk.domain.staff import StaffStatus
from arrs_desk.domain.training import training_subjects
from arrs_desk.services.actor import Actor
from arrs_desk.services.training import TrainingInput
from arrs_desk.store.models import Role, Staff

PROVIDERS = ("e-Learning for Healthcare", "Moorland Community Trust", "Resuscitation Council UK course",
             "PCN training day")


def populate_demo_training(workspace, actor: Actor, rng: random.Random) -> int:
    """Completions for everyone in post, entered by the PCN's administrator; returns how many."""
    rules = training_subjects()
    today = workspace.today()
    with workspace.db.read() as session:
        people = session.execute(select(Staff.id, Staff.role_code, Staff.start_date)
                                 .where(Staff.status.not_in([StaffStatus.LEFT.value, StaffStatus.PRE_START.value]))
                                 .order_by(Staff.id)).all()
        clinical = {code: flag for code, flag in session.execute(select(Role.code, Role.clinical))}
    wanted: list[TrainingInput] = []
    for person in people:
        # Most (85%) are fully in date; the rest let one to three subjects lapse (expired or never
        # done), and about one subject in ten falls in its warning period: a realistic 90-97% per subject,
        # with the lapses where they are in a real PCN, on a few people rather than spread over everyone.
        lapsed = set() if rng.random() < 0.85 else set(rng.sample([s.code for s in rules.subjects], rng.randint(1, 3)))
        for subject in rules.subjects:
            level = subject.required_level(person.role_code, clinical.get(person.role_code, False))
            months = subject.level(level).refresher_months or 36
            if subject.code in lapsed:
                if rng.random() < 0.35:
                    continue  # never done
                done = add_months(today, -months) - timedelta(days=rng.randint(5, 200))  # expired
            elif rng.random() < 0.1:  # due within the warning period
                done = add_months(today, -months) + timedelta(days=rng.randint(5, rules.due_soon_days - 5))
            else:
                done = today - timedelta(days=rng.randint(20, max(30, months * 30 - rules.due_soon_days - 30)))
            done = max(done, person.start_date - timedelta(days=rng.randint(0, 400)))
            if done > today:
                continue
            wanted.append(TrainingInput(person.id, subject.code, level, done, provider=rng.choice(PROVIDERS)))
    return workspace.training.record_many(actor, data=wanted)
