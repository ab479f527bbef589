"""Reviews, appraisals and impact examples for the demonstration PCN.

Planned here as the people who would make them, step by step: each line manager records their
team's reviews, the named appraiser and the person sign for themselves, and the person writes
their own self-assessment. `demo.review_writer` then writes what those steps leave behind, in
bulk, as the review service would have written it. Relative to `workspace.today()` and
deterministic for a seed.
Every state the Reviews page shows appears: probation reviews held, missed and booked; annual
appraisals in date, due soon, booked and overdue; interim reviews; objectives carried forward.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import select

from arrs_desk import clock
from arrs_desk.clock import UK
from arrs_desk.domain.dates import add_months
from arrs_desk.domain.permissions import AccessRole
from arrs_desk.domain.review_dates import previous_review
from arrs_desk.domain.reviews import OPEN_OBJECTIVE_STATUSES, ObjectiveStatus, Party
from arrs_desk.domain.staff import StaffStatus
from arrs_desk.domain.supervision import months_in_post
from arrs_desk.services.actor import Actor
from arrs_desk.demo.review_writer import (
    PersonHistory, PlannedObjective, PlannedReview, PlannedSignature, write_histories,
)
from arrs_desk.services.reviews import ImpactInput, ObjectiveInput, PdpInput, ReviewInput
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
PEOPLE_PER_TRANSACTION = 500
"""Histories written per transaction (`demo.review_writer`): a few statements per table each, and
a big demo is neither one huge transaction nor thousands of small ones."""


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
    external_appraiser = workspace.external_people.create(actor, name=EXTERNAL[0], job_title=EXTERNAL[1],
                                                          organisation=EXTERNAL[2])
    external = external_appraiser.id

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
    histories = []
    for person in reviewed:
        manager_id = managers[person.id]
        staff_appraiser, external_id = appraiser_for(person, manager_id)
        appraiser = as_person(staff_appraiser, AccessRole.APPRAISER.value) if staff_appraiser else None
        history = PersonHistory(person.id, names[person.id], person.start_date,
                                as_person(person.id, AccessRole.STAFF.value))
        plan = _Plan(history, rng, today, person, _family(person.role_code),
                     as_person(manager_id, AccessRole.LINE_MANAGER.value), appraiser, staff_appraiser,
                     external_id, names[staff_appraiser] if staff_appraiser else external_appraiser.name)
        plan.reviews()
        plan.impact()
        histories.append(history)
    for first in range(0, len(histories), PEOPLE_PER_TRANSACTION):
        with workspace.db.write() as session:
            write_histories(session, today, histories[first:first + PEOPLE_PER_TRANSACTION])


class _Plan:
    """One person's review history, planned in the order it would have happened."""

    def __init__(self, history: PersonHistory, rng, today, person, family, manager, appraiser, staff_appraiser,
                 external_appraiser, appraiser_name):
        self.history, self.rng, self.today, self.person = history, rng, today, person
        self.family, self.name, self.manager, self.me = family, history.name, manager, history.me
        self.appraiser, self.staff_appraiser, self.external_appraiser = appraiser, staff_appraiser, external_appraiser
        self.appraiser_name = appraiser_name
        self.bank = list(OBJECTIVES[family])
        rng.shuffle(self.bank)
        self.topic = TOPICS[family]
        self.now = clock.now()
        self.carried: set[PlannedObjective] = set()
        """Objectives already carried into a later review: never carried twice."""

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
            outcome="" if booked else ("follow-up" if rng.random() < 0.12 else "agreed"),
            objectives=[ObjectiveInput(description=o.description, measure=o.measure, due_date=o.due_date,
                                       status=o.status) for o in new],
            pdp=pdp,
        )
        if data.outcome == "follow-up":
            data.outcome_note = "Agree a workload plan with the line manager within a month and review it in supervision."
        review = PlannedReview(data, self.manager, self.appraiser_name, new + self._carried_forward(meeting))
        self.history.reviews.append(review)
        carried = [o for o in review.objectives if o.carried_from is not None]
        if held and carried_progress and carried:
            for objective in carried:
                status = rng.choice([ObjectiveStatus.ACHIEVED, ObjectiveStatus.IN_PROGRESS,
                                     ObjectiveStatus.PARTLY_ACHIEVED, ObjectiveStatus.ACHIEVED])
                objective.status, objective.progress = status.value, rng.choice(PROGRESS[status])
                objective.updated = True
        if self_assessment or (held and rng.random() < 0.8):
            review.self_assessment = (rng.choice(SELF_ASSESSMENTS).format(topic=self.topic), rng.choice(REFLECTIONS))
        if not held or leave_unsigned:
            return
        # Signed as they would have been, a day or two after the meeting, late in that afternoon (or
        # at this moment, for a signature made earlier today); the sign-off's hash covers that.

        def afternoon() -> datetime:
            signed = min(self.today, meeting + timedelta(days=rng.randint(0, 3)))
            return min(self.now, datetime.combine(signed, time(16, rng.randint(0, 59)), tzinfo=UK)
                       .astimezone(timezone.utc))

        review.signatures.append(PlannedSignature(Party.APPRAISEE, self.me, signed_at=afternoon()))
        if self.appraiser is not None:
            review.signatures.append(PlannedSignature(Party.APPRAISER, self.appraiser, signed_at=afternoon()))
        else:
            review.signatures.append(PlannedSignature(
                Party.APPRAISER, self.manager, on_paper=min(self.today, meeting + timedelta(days=rng.randint(0, 3)))))

    def _carried_forward(self, meeting: date) -> list[PlannedObjective]:
        """Copies of the open objectives of the review before this one (meeting on `meeting`), as
        the service carries them forward when a review is recorded."""
        reviews = self.history.reviews
        dated = [_Dated(index, r.meeting_date, r.period_end) for index, r in enumerate(reviews)]
        previous = previous_review(dated, _Dated(len(reviews), meeting, meeting))
        if previous is None:
            return []
        copies = []
        for objective in reviews[previous.id].objectives:
            if objective.status in OPEN_OBJECTIVE_STATUSES and objective not in self.carried:
                self.carried.add(objective)
                copies.append(PlannedObjective(objective.description, objective.measure, objective.due_date,
                                               objective.status, carried_from=objective))
        return copies

    def _objective(self, meeting: date, held: bool) -> PlannedObjective:
        if not self.bank:
            self.bank = list(OBJECTIVES[self.family])
        description, measure = self.bank.pop()
        due = meeting + timedelta(days=self.rng.randint(120, 330))
        if held and due < self.today:
            status = self.rng.choice([ObjectiveStatus.ACHIEVED, ObjectiveStatus.IN_PROGRESS, ObjectiveStatus.NOT_STARTED])
        else:
            status = self.rng.choice([ObjectiveStatus.NOT_STARTED, ObjectiveStatus.IN_PROGRESS])
        return PlannedObjective(description, measure, due, status.value)

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
            self.history.impact.append((rng.choice([self.me, self.manager]), ImpactInput(
                staff_id=self.person.id, kind=kind, title=title, measure=measure,
                value=shown.format(v=value) if shown else str(value),
                occurred_on=first + timedelta(days=rng.randint(0, span)))))
        title, story = CASE_STUDIES[self.family]
        self.history.impact.append((self.me, ImpactInput(
            staff_id=self.person.id, kind="case-study", title=title, description=story,
            occurred_on=first + timedelta(days=rng.randint(0, span)))))


@dataclass(frozen=True)
class _Dated:
    """What `previous_review` reads of a review: its place in the order recorded, and its dates."""

    id: int
    meeting_date: date | None
    period_end: date | None
