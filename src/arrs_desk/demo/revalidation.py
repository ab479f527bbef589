"""Demo revalidation: CPD logs and evidence for the registered staff, dated from today so the
Revalidation page and the assurance check read the same mix on any day.

Four nurses on the NMC register are placed at the stages a manager must tell apart: ready (due
within three months, everything in), on track (over a year to go, half collected), at risk (the
application due within the NMC's 60-day notice, requirements missing) and overdue (the application
date passed this month, or the registration itself on the first of a month, when no day of the
month can be past the application date yet). The first pharmacist is near GPhC renewal with
everything in, and the first paramedic's registration runs to the close of the HCPC paramedics'
window (open on some days of the year, a few months away on others); the first physiotherapist,
with everything else in, holds an HCPC letter picking them for the CPD audit, dated a fortnight
ago or the cycle's first day if that is later (so it is in the current cycle on any day), and has
not yet sent the profile. Their renewal dates are set as the staff records are made
(`RenewalPlan`); everyone else keeps the generator's date.

Everyone else in post on a register collects what their regulator asks for: all of it when the
cycle is due within four months, between half and all of it when it is further off, and one in
eight has nothing logged yet. Entries are recorded by the person, and about half are verified by
their line manager. The rules come from `domain.regulators` and the cycles from
`domain.revalidation.Judge`, so nothing here works out a revalidation date of its own.
"""

from __future__ import annotations

import calendar
import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from arrs_desk.domain.regulators import Regulator, builtin_rules
from arrs_desk.domain.revalidation import CpdMethod, CycleDates, Judge, window_cycle
from arrs_desk.domain.staff import StaffStatus, display_name
from arrs_desk.services.actor import Actor
from arrs_desk.services.revalidation import CpdInput, EvidenceInput
from arrs_desk.store.models import Staff

MAX_PEOPLE = 80
"""People given records: a demo of thousands shows the same mix without minutes of writing."""
NMC_STAGES = ("ready", "on_track", "at_risk", "overdue")
CONFIRMERS = (("Dr Amelia Hart", "7012345"), ("Grace Mensah", "09A1234E"), ("Tomás Byrne", "12B5678C"))
COURSES = ("Safeguarding adults update", "Anaphylaxis and basic life support", "Long-term conditions study day",
           "Medicines optimisation webinar", "Frailty and falls workshop", "Asthma review refresher",
           "Mental health first aid", "Wound care masterclass", "Deprescribing in older people",
           "Diabetes foot checks", "Leadership in primary care", "Clinical audit skills")
METHODS = (CpdMethod.COURSE, CpdMethod.E_LEARNING, CpdMethod.WORKSHOP, CpdMethod.CONFERENCE,
           CpdMethod.SUPERVISION, CpdMethod.READING)
PARTICIPATORY = {CpdMethod.COURSE, CpdMethod.WORKSHOP, CpdMethod.CONFERENCE, CpdMethod.SUPERVISION}
TITLES = {
    "feedback": "Feedback from a patient after a review", "reflective-account": "Reflective account on a clinic",
    "discussion": "Reflective discussion", "declaration": "Health and character declaration",
    "indemnity": "Indemnity through the PCN's scheme", "confirmation": "Confirmation meeting",
    "practice-hours": "Practice hours in this cycle", "quality-improvement": "Prescribing audit",
    "significant-event": "Significant event review", "colleague-feedback": "Multi-source colleague feedback",
    "patient-feedback": "Patient questionnaire", "complaints-compliments": "Compliments and complaints review",
    "audit-selection": "HCPC letter: picked for the CPD audit",
}
AUDIT_LETTER_DAYS_AGO = 14


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


@dataclass
class RenewalPlan:
    """Renewal dates for the few people placed at a stage, handed out as the staff records are made
    (the first in post on each register gets the first stage); `stages` says who got which."""

    today: date
    stages: dict[str, list[str]] = field(default_factory=lambda: {
        "NMC": list(NMC_STAGES), "GPHC-PHARMACIST": ["near_renewal"], "HCPC-PA": ["window"],
        "HCPC-PH": ["audit"]})
    given: dict[tuple[str, str], str] = field(default_factory=dict)
    """(register, registration number) -> stage, as handed out."""

    def renewal(self, register: str, number: str, in_post: bool, drawn: date | None) -> date | None:
        """The renewal date for the next person made on `register`: the stage's, or `drawn`."""
        waiting = self.stages.get(register)
        if not in_post or not waiting:
            return drawn
        stage = waiting.pop(0)
        self.given[(register, number)] = stage
        today = self.today
        if stage == "ready":
            day = today + timedelta(days=75)
        elif stage == "on_track":
            day = today + timedelta(days=400)
        elif stage == "at_risk":
            day = today + timedelta(days=40)  # due on the 1st of that month: 10 to 40 days away
        elif stage == "overdue":
            day = _month_end(today) if today.day > 1 else today - timedelta(days=2)
        elif stage == "near_renewal":
            day = today + timedelta(days=100)  # records due two months before: about 40 days away
        else:  # the profession's window: "window", "audit"
            regulator = builtin_rules().for_register(register)
            day = window_cycle(regulator, register, today).end
        return day

    def by_staff_id(self, workspace) -> dict[int, str]:
        """Staff id -> stage for the people the plan placed, once their records are made."""
        with workspace.db.read() as session:
            return {sid: self.given[(register, number)] for sid, register, number in session.execute(
                select(Staff.id, Staff.register_code, Staff.registration_number)
                .where(Staff.registration_number.in_([n for _r, n in self.given] or [""])))
                if (register, number) in self.given}


def populate_demo_revalidation(workspace, rng: random.Random, stages: dict[int, str]) -> int:
    """CPD and evidence for the registered people in post (`stages`: staff id -> stage for the
    people the plan placed). Returns how many entries were recorded."""
    today = workspace.today()
    rules = builtin_rules()
    judge = Judge(rules, today)
    with workspace.db.read() as session:
        people = session.execute(
            select(Staff.id, Staff.given_name, Staff.family_name, Staff.register_code, Staff.registration_renewal,
                   Staff.start_date, Staff.line_manager_id)
            .where(Staff.register_code != "", Staff.start_date <= today,
                   Staff.status.not_in([StaffStatus.LEFT.value, StaffStatus.PRE_START.value]))
            .order_by(Staff.id)).all()
        names = {sid: display_name(given, family, preferred) for sid, given, family, preferred in session.execute(
            select(Staff.id, Staff.given_name, Staff.family_name, Staff.preferred_name))}
    chosen = [p for p in people if p.id in stages] + [p for p in people if p.id not in stages]
    items = []
    for person in chosen[:MAX_PEOPLE]:
        regulator = judge.regulator(person.register_code)
        cycle = judge.cycle(regulator, person.register_code, person.registration_renewal) if regulator else None
        if cycle is None:
            continue
        share = _share(stages.get(person.id), (cycle.due - today).days, rng)
        if share == 0:
            continue
        me = Actor(None, f"demo-{person.id}", names[person.id], frozenset({"staff"}), person.id)
        manager = Actor(None, f"demo-{person.line_manager_id}", names[person.line_manager_id],
                        frozenset({"line_manager"}), person.line_manager_id) \
            if person.line_manager_id in names and person.line_manager_id != person.id else None
        for data in _entries(regulator, cycle, person, share, today, rng):
            items.append((me, data, manager if manager and rng.random() < 0.5 else None))
        if stages.get(person.id) == "audit":
            letter = max(cycle.start, today - timedelta(days=AUDIT_LETTER_DAYS_AGO))
            items.append((me, EvidenceInput(person.id, "audit-selection", letter, TITLES["audit-selection"]), None))
    return workspace.revalidation.record_many(items)


def _share(stage: str | None, days_to_due: int, rng: random.Random) -> float:
    """How much of what the regulator asks for is recorded."""
    if stage in ("ready", "near_renewal", "window", "audit"):
        return 1.0
    if stage == "on_track":
        return 0.5
    if stage in ("at_risk", "overdue"):
        return 0.6
    if days_to_due <= 120:
        return 1.0
    if rng.random() < 0.125:
        return 0.0
    return rng.choice((0.5, 0.7, 0.9, 1.0))


def _entries(regulator: Regulator, cycle: CycleDates, person, share: float, today: date, rng: random.Random):
    """The person's CPD entries and evidence for `share` of each requirement, dated inside the
    cycle and up to today (after the person joined where the cycle leaves room for it)."""
    need = {r.measure if not r.evidence else (r.measure, str(r.evidence)): r.at_least for r in regulator.requirements}
    last = min(today, cycle.end)
    first = cycle.start if (last - max(cycle.start, person.start_date)).days < 60 else max(cycle.start, person.start_date)

    def day(k: int, n: int) -> date:
        span = (last - first).days
        return first + timedelta(days=min(span, max(0, span * (k + 1) // (n + 1) + rng.randint(-5, 5))))

    hours_need = need.get("cpd-hours", 0) * share
    part_need = need.get("participatory-hours", 0) * share
    records_need = math.ceil(need.get("cpd-records", 0) * share)
    planned_need = math.ceil(need.get("planned-cpd-records", 0) * share)
    cpd: list[tuple[CpdMethod, float]] = []
    hours = participatory = 0.0
    while (hours < hours_need or participatory < part_need or len(cpd) < max(records_need, planned_need)) \
            and len(cpd) < 30:
        method = rng.choice(METHODS) if participatory >= part_need else rng.choice(sorted(PARTICIPATORY))
        spent = rng.choice((1.5, 3.0, 3.5, 6.0, 7.5))
        cpd.append((method, spent))
        hours += spent
        participatory += spent if method in PARTICIPATORY else 0.0
    for k, (method, spent) in enumerate(cpd):
        yield CpdInput(person.id, day(k, len(cpd)), rng.choice(COURSES), method.value, spent,
                       provider="e-Learning for Healthcare" if method is CpdMethod.E_LEARNING else "",
                       participatory=method in PARTICIPATORY, planned=k < planned_need,
                       reflection="What I learnt and how it changes my practice with patients.")
    for key, at_least in need.items():
        if not isinstance(key, tuple):
            continue
        measure, kind = key
        partner, number = rng.choice(CONFIRMERS)
        partner = partner if kind in ("discussion", "confirmation") else ""
        if measure == "evidence-hours":
            yield EvidenceInput(person.id, kind, day(0, 1), TITLES.get(kind, kind), hours=round(at_least * share, 2))
            continue
        count = math.ceil(at_least * share) if kind not in ("confirmation", "declaration") or share >= 1 else 0
        for k in range(count):
            yield EvidenceInput(person.id, kind, day(k, count), TITLES.get(kind, kind), partner_name=partner,
                                partner_registration=number if partner else "")
