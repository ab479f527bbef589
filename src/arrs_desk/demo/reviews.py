"""Reviews, appraisals and impact examples for the demonstration PCN.

Made through the review service's write functions (`services.reviews.writing`, `signatures`,
`impact`: what each service call runs in its own transaction; here many people's histories share
one), as the people who would make them: each line manager records their team's reviews, the
named appraiser and the person sign for themselves, and the person writes their own
self-assessment. Relative to `workspace.today()` and deterministic for a seed.
Every state the Reviews page shows appears: probation reviews held, missed and booked; annual
appraisals in date, due soon, booked and overdue; interim reviews; objectives carried forward.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import select

from arrs_desk import clock
from arrs_desk.clock import UK
from arrs_desk.domain.dates import add_months
from arrs_desk.domain.permissions import AccessRole
from arrs_desk.domain.reviews import ObjectiveStatus
from arrs_desk.domain.staff import StaffStatus
from arrs_desk.domain.supervision import months_in_post
from arrs_desk.services.actor import Actor
from arrs_desk.services.reviews import ImpactInput, ObjectiveInput, PdpInput, ReviewInput, signatures, writing
from arrs_desk.services.reviews import impact as impact_log
from arrs_desk.services.reviews.facts import load_objectives, load_pdp
from arrs_desk.store.models import Role, Staff

SOCIAL = {"SPLW", "HWBC", "CCO"}
PHARMACY = {"CPH", "PTECH"}
MENTAL_HEALTH = {"MHP"}
DIGITAL = {"DTL"}

OBJECTIVES = {
    "social": (
        ("Run a monthly community walking group with a local charity",
         "The group meets every month with at least 12 regular walkers by the due date"),
        ("Build a directory of local debt, housing and benefits advice for all five practices",
         "Directory on the shared drive, checked every quarter"),
        ("Bring the wait from referral to first contact down", "Median wait under 10 working days in the referral log"),
        ("Set up a carers' support group with the carers' centre", "Group launched and meeting monthly"),
        ("Complete training in personalised care and support planning", "Certificate added to the training record"),
    ),
    "pharmacy": (
        ("Complete structured medication reviews for care home residents",
         "Every resident on ten or more medicines reviewed, from the SMR search"),
        ("Lead an audit of high-risk anticoagulant prescribing", "Audit and action plan presented at the PCN clinical meeting"),
        ("Progress through the primary care pharmacy education pathway", "Statement of progression signed"),
        ("Cut repeat prescribing errors reported as incidents", "Fewer than two incidents a quarter"),
    ),
    "clinical": (
        ("Complete the roadmap stage 2 portfolio", "Portfolio signed off by the roadmap supervisor"),
        ("Run a same-day home visiting service for two practices", "At least 20 visits a week in the visit log"),
        ("Review ten of my consultations each quarter with my clinical supervisor", "Four reviews discussed in supervision"),
        ("Develop a falls prevention pathway with the community team", "Pathway agreed and used for new referrals"),
        ("Complete the independent prescribing modules", "University transcript showing the modules passed"),
    ),
    "mental": (
        ("Offer first appointments within two weeks of referral", "90% of first appointments within 14 days"),
        ("Run a six-week anxiety management group", "Two groups completed, with before-and-after GAD-7 scores"),
        ("Agree a shared care plan template with the community mental health team", "Template in use in all practices"),
    ),
    "digital": (
        ("Roll out online consultation triage in every practice", "All five practices live, with weekly usage reports"),
        ("Train reception teams in care navigation", "Every reception team trained, from the attendance list"),
        ("Build a PCN dashboard of ARRS activity", "Dashboard shared with the board each month"),
    ),
}
PDP = (
    ("Confidence with motivational interviewing", "Two-day PCI-accredited course", "Course funded by the training hub"),
    ("Safeguarding adults and children level 3 refresher", "E-learning and the PCN workshop", "Protected Wednesday afternoon"),
    ("Leadership skills for leading a small team", "NHS Leadership Academy Edward Jenner programme",
     "Monthly mentoring from the PCN manager"),
    ("Examination of the frail older person", "Shadow the frailty GP for four sessions", "Arranged by the clinical director"),
    ("Audit and data skills", "Learn the clinical system search tools with the PCN data analyst",
     "Two hours a month with the analyst"),
    ("Looking after my own wellbeing in a busy role", "Join the PCN reflective practice group", "Time protected in the rota"),
)
PROGRESS = {
    ObjectiveStatus.ACHIEVED: ("Achieved ahead of time; now part of routine work.", "Achieved: evidence seen at the review."),
    ObjectiveStatus.PARTLY_ACHIEVED: ("Partly achieved: drafted, not yet agreed by every practice.",),
    ObjectiveStatus.IN_PROGRESS: ("On track: about half done.", "Slowed by staff absence; carried forward.",
                                  "Good start; the next step is booked."),
    ObjectiveStatus.NOT_ACHIEVED: ("Not achieved: the service it depended on was withdrawn.",),
}
SUMMARIES = (
    "A settled and productive period. Feedback from practices is consistently positive, and the work on {topic} "
    "stands out. We agreed to protect admin time so the caseload stays manageable.",
    "Good progress overall. {name} has grown in confidence and now leads on {topic}. Supervision is regular and "
    "valued; we discussed career development and the next step.",
    "A demanding period with a rising caseload. We looked at workload and wellbeing, agreed which work to pause, "
    "and kept {topic} as the priority.",
)
SELF_ASSESSMENTS = (
    "I am proud of the work on {topic}: it has changed how patients reach help. I would like more time with my "
    "clinical supervisor on complex cases, and training to take on more.",
    "This year I settled into the role and built links with every practice. The work on {topic} went well; "
    "I found the start of the year hard while the referral process was being set up.",
)
REFLECTIONS = (
    "Looking back, I said yes to too much at first. Supervision helped me plan my week around what matters most.",
    "Feedback from patients showed me the value of follow-up calls. I want to keep them even when busy.",
)
IMPACT = {
    "social": (("process-measure", "Referrals received", "Referrals in the year to date", (150, 260), ""),
               ("patient-reported", "Wellbeing of people supported", "Average ONS4 wellbeing change", (2, 6), "+{v} points"),
               ("patient-reported", "Goals met", "People meeting their main goal (goal attainment)", (55, 80), "{v}%")),
    "pharmacy": (("process-measure", "Structured medication reviews", "Reviews completed this year", (120, 320), ""),
                 ("process-measure", "Medicines stopped safely", "Items deprescribed after review", (60, 190), "")),
    "clinical": (("process-measure", "Appointments offered", "Same-day appointments this year", (600, 1400), ""),
                 ("patient-reported", "Function after treatment", "Patients reporting better function (PSFS)", (60, 85),
                  "{v}%")),
    "mental": (("process-measure", "First appointments within two weeks", "Share seen within 14 days", (78, 95), "{v}%"),
               ("patient-reported", "Anxiety scores", "Average GAD-7 change", (3, 7), "-{v} points")),
    "digital": (("process-measure", "Online consultations triaged", "Requests triaged in the year", (4000, 9000), ""),),
}
CASE_STUDIES = {
    "social": ("A man living alone after bereavement", "He was attending the surgery weekly. We met three times, "
               "joined him up with a walking group and a bereavement service, and his GP visits fell to one in three "
               "months. He now volunteers with the group."),
    "pharmacy": ("Care home medicines review", "A resident on fourteen medicines had two falls. The review stopped three "
                 "sedating medicines with the GP's agreement; there have been no falls since and she is more alert."),
    "clinical": ("Avoided admission after a fall", "An older woman fell at home. A same-day visit, a care package "
                 "arranged with the community team and a follow-up call meant she stayed at home safely."),
    "mental": ("Back to work after anxiety", "A young man off work with panic attacks completed the group and "
               "individual sessions; his GAD-7 fell from 16 to 7 and he returned to work on a phased plan."),
    "digital": ("Online triage at a small practice", "The practice's phone queue at 8am fell from 40 callers to 12 "
                "after online triage went live, and reception staff reported less pressure."),
}
TOPICS = {"social": "community referrals", "pharmacy": "medication reviews", "clinical": "same-day care",
          "mental": "early mental health support", "digital": "online access"}
EXTERNAL = ("Dr Ines Carvalho", "Consultant nurse", "Northvale Mental Health NHS Trust")
PEOPLE_PER_TRANSACTION = 50
"""Histories written per transaction: staff records read once stay in the session for the rest,
and a big demo is not thousands of commits."""


def _family(role_code: str) -> str:
    if role_code in SOCIAL:
        return "social"
    if role_code in PHARMACY:
        return "pharmacy"
    if role_code in MENTAL_HEALTH:
        return "mental"
    if role_code in DIGITAL:
        return "digital"
    return "clinical"


def populate_demo_reviews(workspace, actor: Actor, rng: random.Random) -> None:
    """Reviews for every ARRS member of staff in post, and a year of impact examples."""
    today = workspace.today()
    rows = [r for r in workspace.staff.list_rows(actor) if r.status != StaffStatus.LEFT and r.start_date <= today]
    names = {r.id: r.display_name for r in rows}
    with workspace.db.read() as session:
        managers = dict(session.execute(select(Staff.id, Staff.line_manager_id)).all())
        arrs = set(session.execute(select(Role.code).where(Role.arrs)).scalars())
    accounts: dict[int, Actor] = {}
    try:
        users = workspace.accounts.list_users(actor)
    except Exception:  # noqa: BLE001  (an actor who may not list accounts: act as people without accounts)
        users = []
    for user in users:
        if user.staff_id is not None and user.active:
            accounts[user.staff_id] = Actor(user.id, user.username, user.display_name, frozenset(user.roles),
                                            user.staff_id)

    def as_person(staff_id: int, role: str) -> Actor:
        return accounts.get(staff_id) or Actor(None, f"demo-{staff_id}", names[staff_id], frozenset({role}), staff_id)

    appraisers = {sid for sid, a in accounts.items() if {AccessRole.APPRAISER.value, AccessRole.LINE_MANAGER.value} & a.roles}
    gp_appraisers = [sid for sid, a in accounts.items() if AccessRole.APPRAISER.value in a.roles]
    external = workspace.external_people.create(actor, name=EXTERNAL[0], job_title=EXTERNAL[1],
                                                organisation=EXTERNAL[2]).id

    def appraiser_for(person, manager_id: int) -> tuple[int | None, int | None]:
        if person.role_code in MENTAL_HEALTH:
            return None, external
        if _family(person.role_code) == "clinical" and gp_appraisers:
            choice = gp_appraisers[person.id % len(gp_appraisers)]
            if choice != person.id:
                return choice, None
        if manager_id in appraisers or not accounts:
            return manager_id, None
        return (gp_appraisers[0] if gp_appraisers else manager_id), None

    reviewed = [p for p in rows if p.role_code in arrs and managers.get(p.id) in names]
    for first in range(0, len(reviewed), PEOPLE_PER_TRANSACTION):
        chunk = reviewed[first:first + PEOPLE_PER_TRANSACTION]
        with workspace.db.write() as session:
            # Held here, the chunk's people and their managers and appraisers stay in the session,
            # so the service's many look-ups of them cost nothing after the first.
            involved = {p.id for p in chunk} | {managers[p.id] for p in chunk} | set(accounts) | {
                a for p in chunk for a in appraiser_for(p, managers[p.id])[:1] if a is not None}
            _held = session.execute(select(Staff).where(Staff.id.in_(involved))).scalars().all()  # noqa: F841
            for person in chunk:
                manager_id = managers[person.id]
                staff_appraiser, external_appraiser = appraiser_for(person, manager_id)
                appraiser = as_person(staff_appraiser, AccessRole.APPRAISER.value) if staff_appraiser else None
                plan = _Plan(session, rng, today, person, _family(person.role_code), names[person.id],
                             as_person(manager_id, AccessRole.LINE_MANAGER.value),
                             as_person(person.id, AccessRole.STAFF.value), appraiser, staff_appraiser,
                             external_appraiser)
                plan.reviews()
                plan.impact()


class _Plan:
    """One person's review history, made in the order it would have happened."""

    def __init__(self, session, rng, today, person, family, name, manager, me, appraiser,
                 staff_appraiser, external_appraiser):
        self.session, self.rng, self.today, self.person = session, rng, today, person
        self.family, self.name, self.manager, self.me, self.appraiser = family, name, manager, me, appraiser
        self.staff_appraiser, self.external_appraiser = staff_appraiser, external_appraiser
        self.bank = list(OBJECTIVES[family])
        rng.shuffle(self.bank)
        self.topic = TOPICS[family]

    # --- the schedule -----------------------------------------------------------------
    def reviews(self) -> None:
        start, today, rng = self.person.start_date, self.today, self.rng
        months = months_in_post(start, today)
        if months < 3:
            if self.person.id % 2 == 0 or months < 1:
                self._review("probation", add_months(start, 3) + timedelta(days=rng.randint(0, 6)), start, month=3,
                             objectives=2)
            return
        if months < 12:
            # Held a few days after the probation date, but never later than today: a review only
            # has an outcome once its meeting has happened.
            missed = rng.random() < 0.2
            if not missed:
                self._review("probation", min(today, add_months(start, 3) + timedelta(days=rng.randint(0, 9))), start,
                             month=3, objectives=2)
            if months >= 6:
                if rng.random() < 0.8:
                    self._review("probation", min(today, add_months(start, 6) + timedelta(days=rng.randint(0, 9))),
                                 add_months(start, 3), month=6, objectives=2)
            elif add_months(start, 6) - today < timedelta(days=40):
                self._review("probation", add_months(start, 6) + timedelta(days=rng.randint(0, 5)), add_months(start, 3),
                             month=6, objectives=1)
            return
        roll = rng.random()
        if roll < 0.55:
            last = today - timedelta(days=rng.randint(30, 320))
        elif roll < 0.72:
            last = today - timedelta(days=rng.randint(380, 470))  # overdue
        else:
            last = today - timedelta(days=rng.randint(338, 362))  # due now: booked, with a draft
        last = max(last, add_months(start, 12))
        if last > today:
            last = today - timedelta(days=3)
        earlier = last - timedelta(days=365 + rng.randint(-10, 10))
        if earlier >= add_months(start, 11):
            self._review("annual", earlier, max(start, earlier - timedelta(days=364)), objectives=3)
        self._review("annual", last, max(start, last - timedelta(days=364)), objectives=2, carried_progress=True,
                     leave_unsigned=rng.random() < 0.12)
        interim = add_months(last, 6) + timedelta(days=rng.randint(-7, 14))
        if interim <= today - timedelta(days=5) and rng.random() < 0.8:
            self._review("interim", interim, last + timedelta(days=1), objectives=0, carried_progress=True)
        if roll >= 0.72:
            meeting = today + timedelta(days=rng.randint(2, 24))
            self._review("annual", meeting, last + timedelta(days=1), objectives=2,
                         self_assessment=rng.random() < 0.7)

    # --- one review -------------------------------------------------------------------
    def _review(self, kind: str, meeting: date, period_start: date, *, month: int | None = None, objectives: int = 2,
                carried_progress: bool = False, leave_unsigned: bool = False,
                self_assessment: bool = False) -> None:
        rng = self.rng
        held = meeting <= self.today  # held: an outcome, signatures; still to come: booked, a draft at most
        booked = not held
        new = [self._objective(meeting, held) for _ in range(objectives)]
        pdp = [PdpInput(need=n, action=a, support=s, target_date=meeting + timedelta(days=rng.randint(90, 300)),
                        status="planned" if booked else rng.choice(["planned", "in-progress", "in-progress"]))
               for n, a, s in rng.sample(PDP, k=2 if kind != "interim" else 1)]
        data = ReviewInput(
            staff_id=self.person.id, kind=kind, probation_month=month,
            period_start=min(period_start, meeting), period_end=meeting,
            meeting_date=meeting, appraiser_staff_id=self.staff_appraiser,
            appraiser_external_id=self.external_appraiser,
            appraiser_summary="" if booked else rng.choice(SUMMARIES).format(name=self.name.split()[0], topic=self.topic),
            outcome="" if booked else ("follow-up" if rng.random() < 0.12 else "agreed"), objectives=new, pdp=pdp,
        )
        if data.outcome == "follow-up":
            data.outcome_note = "Agree a workload plan with the line manager within a month and review it in supervision."
        session, today = self.session, self.today
        review = writing.create(session, self.manager, today, data, True)
        objectives = load_objectives(session, review.id)
        if held and carried_progress and any(o.carried_from_id for o in objectives):
            items = []
            for row in objectives:
                item = ObjectiveInput(row.id, row.description, row.measure, row.due_date, row.status, row.progress)
                if row.carried_from_id:
                    status = rng.choice([ObjectiveStatus.ACHIEVED, ObjectiveStatus.IN_PROGRESS,
                                         ObjectiveStatus.PARTLY_ACHIEVED, ObjectiveStatus.ACHIEVED])
                    item.status, item.progress = status.value, rng.choice(PROGRESS[status])
                items.append(item)
            pdp_items = [PdpInput(p.id, p.need, p.action, p.support, p.target_date, p.status)
                         for p in load_pdp(session, review.id)]
            review = writing.update(session, self.manager, today, review.id,
                                    replace(data, objectives=items, pdp=pdp_items), review.version)
        if self_assessment or (held and rng.random() < 0.8):
            review = writing.self_assess(session, self.me, today, review.id,
                                         rng.choice(SELF_ASSESSMENTS).format(topic=self.topic),
                                         rng.choice(REFLECTIONS), review.version)
        if not held or leave_unsigned:
            return
        # Signed as they would have been, a day or two after the meeting, late in that afternoon (or
        # at this moment, for a signature made earlier today); the sign-off's hash covers that.
        now = clock.now()

        def afternoon() -> datetime:
            signed = min(today, meeting + timedelta(days=rng.randint(0, 3)))
            return min(now, datetime.combine(signed, time(16, rng.randint(0, 59)), tzinfo=UK).astimezone(timezone.utc))

        review = signatures.sign(session, self.me, today, review.id, "appraisee", review.version, "", afternoon())
        if self.appraiser is not None:
            signatures.sign(session, self.appraiser, today, review.id, "appraiser", review.version, "", afternoon())
        else:
            signatures.record_on_paper(session, self.manager, today, review.id, "appraiser",
                                       min(today, meeting + timedelta(days=rng.randint(0, 3))), review.version)

    def _objective(self, meeting: date, held: bool) -> ObjectiveInput:
        if not self.bank:
            self.bank = list(OBJECTIVES[self.family])
        description, measure = self.bank.pop()
        due = meeting + timedelta(days=self.rng.randint(120, 330))
        if held and due < self.today:
            status = self.rng.choice([ObjectiveStatus.ACHIEVED, ObjectiveStatus.IN_PROGRESS, ObjectiveStatus.NOT_STARTED])
        else:
            status = self.rng.choice([ObjectiveStatus.NOT_STARTED, ObjectiveStatus.IN_PROGRESS])
        return ObjectiveInput(description=description, measure=measure, due_date=due, status=status.value)

    # --- impact -----------------------------------------------------------------------
    def impact(self) -> None:
        rng, today = self.rng, self.today
        first = max(self.person.start_date + timedelta(days=45), today - timedelta(days=360))
        if first >= today:
            return
        span = (today - first).days
        for kind, title, measure, (low, high), shown in IMPACT[self.family]:
            if rng.random() < 0.25:
                continue
            value = rng.randint(low, high)
            impact_log.add(self.session, rng.choice([self.me, self.manager]), today, ImpactInput(
                staff_id=self.person.id, kind=kind, title=title, measure=measure,
                value=shown.format(v=value) if shown else str(value),
                occurred_on=first + timedelta(days=rng.randint(0, span))))
        title, story = CASE_STUDIES[self.family]
        impact_log.add(self.session, self.me, today, ImpactInput(
            staff_id=self.person.id, kind="case-study", title=title, description=story,
            occurred_on=first + timedelta(days=rng.randint(0, span))))
