"""Demo supervision: arrangements and a session history for the demo PCN, built through the service.

Relative to the workspace's today, so the demo shows every status on whatever day it is built:
mostly in order, with some overdue, some never held, some not arranged and a supervisor who has
left. Sessions are recorded by the people who would record them, so the audit trail reads true.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select

from arrs_desk.domain.dates import add_months
from arrs_desk.domain.permissions import AccessRole
from arrs_desk.domain.staff import StaffStatus
from arrs_desk.domain.supervision import (
    Frequency,
    SessionFormat,
    SupervisionCatalogue,
    builtin_supervision_catalogue,
    expected_frequency,
    is_required,
    months_in_post,
)
from arrs_desk.errors import ValidationError
from arrs_desk.services.actor import Actor
from arrs_desk.services.staff import StaffInput
from arrs_desk.services.supervision import ArrangementInput, SessionInput, SupervisionService
from arrs_desk.store.models import Staff


def populate_demo_supervision(workspace, actor: Actor, rng: random.Random) -> None:
    """Arrangements and a session history for the demo PCN, relative to `workspace.today()`.

    Mostly in order, with some overdue, some never held, some not arranged and a supervisor who
    has left, so every status shows. Sessions are recorded the way they would be: clinical
    sessions by the GP supervisor, reviews by the line manager, safeguarding as quarterly group
    sessions by the safeguarding lead, and a few by supervisees with their own reflections.
    """
    service: SupervisionService = workspace.supervision
    today = workspace.today()
    rows = workspace.staff.list_rows(actor)
    with workspace.db.read() as session:
        managers = dict(session.execute(select(Staff.id, Staff.line_manager_id)).all())
    gps = [r for r in rows if r.role_code in ("GPP", "SGP") and r.status != StaffStatus.LEFT]
    if not gps:
        return
    reports: dict[int, int] = {}
    for manager_id in managers.values():
        if manager_id is not None:
            reports[manager_id] = reports.get(manager_id, 0) + 1
    # The clinical director (the GP who line-manages most staff) leads on safeguarding.
    lead = max(gps, key=lambda r: (reports.get(r.id, 0), -r.start_date.toordinal()))
    names = {r.id: r.display_name for r in rows}
    catalogue = builtin_supervision_catalogue()

    def gp_for(person) -> int:
        for pid in person.practice_ids:
            for gp in gps:
                if pid in gp.practice_ids and gp.id != lead.id:
                    return gp.id
        return lead.id

    def as_person(staff_id: int, roles: set[str]) -> Actor:
        return Actor(user_id=None, username=f"demo-{staff_id}", display_name=names[staff_id],
                     roles=frozenset(roles), staff_id=staff_id)

    externals = {
        key: workspace.external_people.create(actor, name=name, organisation=organisation, job_title=profession,
                                              email=email).id
        for key, (name, organisation, profession, email) in EXTERNAL_SUPERVISORS.items()
    }

    def arrange(person, type_code: str, supervisor: int | str, start: date, notes: str = "") -> ArrangementInput:
        data = ArrangementInput(staff_id=person.id, type_code=type_code, start_date=start, notes=notes)
        if isinstance(supervisor, int):
            data.supervisor_staff_id = supervisor
            data.start_date = max(start, starts[supervisor])  # nobody supervises before they join
        else:
            data.supervisor_external_id = externals[supervisor]
        return data

    # A locum GP who supervised two clinicians and left last month, with nobody named since.
    practice = gps[-1].practice_ids[0]
    locum_given, locum_family = "Tobias", "Engström"
    locum_start, locum_end = today - timedelta(days=900), today - timedelta(days=20)
    locum_number, locum_email = str(rng.randint(6000000, 7999999)), f"tobias.engstrom{rng.randint(1, 99)}@nhs.net"
    while True:
        try:
            locum = workspace.staff.create(actor, data=StaffInput(
                given_name=locum_given, family_name=locum_family, role_code="SGP", employer_id=practice,
                employment_model="practice", start_date=locum_start, practice_ids=[practice],
                register_code="GMC-DOCTOR", registration_number=locum_number, email=locum_email,
                status=StaffStatus.ACTIVE.value,
            ))
            break
        except ValidationError as exc:  # a big demo's GP already holds that number: draw another
            if set(exc.errors) != {"registration_number"}:
                raise
            locum_number = str(rng.randint(6000000, 7999999))
    names[locum.id] = locum.display_name
    starts = {r.id: r.start_date for r in rows} | {locum.id: locum_start}

    current = [r for r in rows if r.status != StaffStatus.LEFT and r.role_code not in ("GPP", "SGP", "PM", "PCNM")]
    planned: list[tuple[ArrangementInput, object, str]] = []  # (arrangement, person, scenario)
    locum_cases = 0
    for index, person in enumerate(current):
        months = months_in_post(person.start_date, today)
        for type_code in catalogue.type_codes:
            required = is_required(catalogue, type_code, person.role_code, months)
            optional = ((type_code == "peer-group" and person.role_code in ("SPLW", "HWBC", "CCO"))
                        or (type_code == "professional" and person.role_code in ("PARA", "FCPP", "OT")))
            if not required and not optional:
                continue
            if index and rng.random() < 0.07:
                continue  # required but nobody arranged: the gap the matrix exists to show
            start = max(person.start_date, today - timedelta(days=rng.randint(400, 1400)))
            roll = rng.random()
            # Most supervision happens as planned; a few gaps are what the matrix is there to show.
            scenario = "never" if roll < 0.04 else "overdue" if roll < 0.12 else "soon" if roll < 0.22 else "in-date"
            if type_code == "clinical":
                supervisor = "mh" if person.role_code == "MHP" else gp_for(person)
                if (locum_cases < 2 and index > 3 and person.role_code in ("PARA", "FCPP", "AP", "NA")
                        and months > 3):
                    supervisor, scenario, locum_cases = locum.id, "overdue", locum_cases + 1
            elif type_code == "professional":
                supervisor = "pharmacy" if person.role_code == "CPH" else "ahp"
            elif type_code == "line-management":
                supervisor = managers.get(person.id) or lead.id
            elif type_code == "safeguarding":
                supervisor = lead.id
            elif type_code == "coaching":
                supervisor = "coaching"
            elif type_code == "peer-group":
                supervisor = "peer"
            else:
                supervisor = gp_for(person)
            if supervisor == person.id:
                supervisor = lead.id
            if scenario == "never":
                start = max(person.start_date, today - timedelta(days=rng.randint(120, 200)))
            planned.append((arrange(person, type_code, supervisor, start, DEMO_AGREEMENT_NOTES.get(type_code, "")),
                            person, scenario))

    service.create_arrangements(actor, items=[a for a, _p, _s in planned])

    # One-to-one sessions, recorded in batches by the people who would record them.
    batches: dict[int, list[SessionInput]] = {}
    recorders: dict[int, Actor] = {}
    groups: dict[tuple[str, object], list[tuple[ArrangementInput, object, str]]] = {}
    current_ids = {r.id for r in rows if r.status != StaffStatus.LEFT} | {locum.id}
    for arrangement, person, scenario in planned:
        if arrangement.type_code in ("safeguarding", "peer-group"):
            key = arrangement.supervisor_staff_id or arrangement.supervisor_external_id
            groups.setdefault((arrangement.type_code, key), []).append((arrangement, person, scenario))
            continue
        frequency = _demo_frequency(catalogue, arrangement, person, today)
        dates = _demo_dates(frequency, arrangement.start_date, person.start_date, scenario, today, rng)
        if arrangement.supervisor_staff_id == locum.id:
            dates = [day for day in dates if day <= locum_end]  # nothing after the locum left
        if not dates:
            continue
        if arrangement.supervisor_staff_id is not None:
            recorder_id, roles = arrangement.supervisor_staff_id, {AccessRole.SUPERVISOR.value, AccessRole.LINE_MANAGER.value}
        else:
            recorder_id, roles = managers.get(person.id), {AccessRole.LINE_MANAGER.value}
        if recorder_id is None or recorder_id not in current_ids:
            recorder_id, roles = person.id, {AccessRole.STAFF.value}
        recorders.setdefault(recorder_id, as_person(recorder_id, roles))
        for day in dates:
            batches.setdefault(recorder_id, []).append(SessionInput(
                type_code=arrangement.type_code, held_on=day, attendee_ids=[person.id],
                supervisor_staff_id=arrangement.supervisor_staff_id,
                supervisor_external_id=arrangement.supervisor_external_id,
                duration_minutes=rng.choice(DEMO_DURATIONS.get(arrangement.type_code, (60,))),
                format=rng.choice((SessionFormat.ONE_TO_ONE.value,) * 3 + (SessionFormat.REMOTE.value,)),
                topics=rng.choice(DEMO_TOPICS.get(arrangement.type_code, DEMO_TOPICS["clinical"])),
                actions_agreed=rng.choice(DEMO_ACTIONS),
            ))
    for recorder_id, items in batches.items():
        service.record_sessions(recorders[recorder_id], items=items)

    # Group sessions: quarterly safeguarding with the lead, who records them for everyone; peer
    # groups with an outside facilitator, typed up by each line manager for their own team.
    for (type_code, _key), members in groups.items():
        interval = 91 if type_code == "safeguarding" else 30
        held = [today - timedelta(days=rng.randint(10, 40))]
        while len(held) < 4:
            held.append(held[-1] - timedelta(days=interval + rng.randint(-5, 5)))
        first = members[0][0]
        if first.supervisor_staff_id is not None:
            teams = {first.supervisor_staff_id: members}
            roles = {AccessRole.SUPERVISOR.value, AccessRole.LINE_MANAGER.value}
        else:
            teams = {}
            for member in members:
                if managers.get(member[1].id) in current_ids:
                    teams.setdefault(managers[member[1].id], []).append(member)
            roles = {AccessRole.LINE_MANAGER.value}
        for recorder_id, team in teams.items():
            items = []
            for position, day in enumerate(held):
                present = [p for _a, p, scenario in team
                           if scenario != "never" and p.start_date <= day and (scenario != "overdue" or position >= 2)]
                for number, begin in enumerate(range(0, len(present), DEMO_GROUP_SIZE)):
                    on = day - timedelta(days=number % 28)  # each further group meets a day earlier
                    group = [p.id for p in present[begin:begin + DEMO_GROUP_SIZE] if p.start_date <= on]
                    if group:
                        items.append(SessionInput(
                            type_code=type_code, held_on=on, attendee_ids=group,
                            supervisor_staff_id=first.supervisor_staff_id,
                            supervisor_external_id=first.supervisor_external_id,
                            duration_minutes=90 if type_code == "safeguarding" else 60,
                            format=SessionFormat.GROUP.value,
                            topics=rng.choice(DEMO_TOPICS[type_code]), actions_agreed=rng.choice(DEMO_ACTIONS),
                        ))
            if items:
                service.record_sessions(as_person(recorder_id, roles), items=items)

    # A few supervisees log their own session with reflections; both sides confirm some.
    reflective = [(a, p) for a, p, scenario in planned
                  if a.type_code == "clinical" and scenario == "in-date" and a.supervisor_staff_id is not None][:6]
    for arrangement, person in reflective:
        me = as_person(person.id, {AccessRole.STAFF.value})
        held = today - timedelta(days=rng.randint(0, 3))
        if held < max(person.start_date, arrangement.start_date):
            continue
        row = service.record_session(me, data=SessionInput(
            type_code="clinical", held_on=held, attendee_ids=[person.id],
            supervisor_staff_id=arrangement.supervisor_staff_id, duration_minutes=60,
            format=SessionFormat.ONE_TO_ONE.value, topics=rng.choice(DEMO_TOPICS["clinical"]),
            actions_agreed=rng.choice(DEMO_ACTIONS), reflective_notes=rng.choice(DEMO_REFLECTIONS),
        ))
        service.confirm_session(me, session_id=row.id)
        if rng.random() < 0.7:
            service.confirm_session(as_person(arrangement.supervisor_staff_id, {AccessRole.SUPERVISOR.value}),
                                    session_id=row.id)

    # The locum leaves; their supervisees now show "Supervisor left" until someone is named.
    record = workspace.staff.get(actor, staff_id=locum.id)
    data = record.data
    data.status, data.end_date, data.leaving_reason = StaffStatus.LEFT.value, locum_end, "Other"
    workspace.staff.update(actor, staff_id=locum.id, data=data, expected_version=record.version)


DEMO_GROUP_SIZE = 24
"""Most people in one demo group session, about a meeting room's worth. A big demo PCN's leads run
several groups rather than one session of thousands (whose audit entries, each listing everyone
present, would grow with the square of the group)."""


def _demo_frequency(catalogue: SupervisionCatalogue, arrangement: ArrangementInput, person, today: date) -> Frequency | None:
    if arrangement.frequency_code:
        return catalogue.frequency(arrangement.frequency_code)
    return expected_frequency(catalogue, arrangement.type_code, person.role_code,
                              months_in_post(person.start_date, today))


def _demo_dates(frequency: Frequency | None, arrangement_start: date, person_start: date, scenario: str,
                today: date, rng: random.Random) -> list[date]:
    """Session dates, newest first, that leave an arrangement in the planned state today."""
    if scenario == "never" or frequency is None:
        return []
    interval = frequency.approx_days
    if scenario == "overdue":
        last = today - timedelta(days=int(interval) + rng.randint(4, 40))
    elif scenario == "soon":
        due = today + timedelta(days=rng.randint(1, 6))
        last = due - timedelta(days=frequency.days) if frequency.days else add_months(due, -frequency.months)
    else:
        last = today - timedelta(days=rng.randint(1, max(2, int(interval * 0.6))))
    floor = max(arrangement_start, person_start, today - timedelta(days=540))
    dates = []
    day = last
    while floor <= day <= today and len(dates) < 8:
        dates.append(day)
        day = day - timedelta(days=frequency.days) if frequency.days else add_months(day, -frequency.months)
        day -= timedelta(days=rng.randint(0, 4))
    return dates


EXTERNAL_SUPERVISORS = {
    "mh": ("Dr Marcus Adebayo", "Northvale Mental Health NHS Trust", "Consultant clinical psychologist",
           "marcus.adebayo@northvale.nhs.example"),
    "pharmacy": ("Ruth Castellano", "Moorland GP Federation", "Lead pharmacist, primary care",
                 "ruth.castellano@moorlandfed.nhs.example"),
    "ahp": ("Kieran Doherty", "Northvale Community Health", "AHP professional lead",
            "kieran.doherty@northvale-ch.nhs.example"),
    "coaching": ("Imogen Fairweather", "Fairweather Coaching Supervision", "Accredited coaching supervisor",
                 "imogen@fairweather-coaching.example"),
    "peer": ("Ade Olawale", "Moorland GP Federation", "Personalised care peer network facilitator",
             "ade.olawale@moorlandfed.nhs.example"),
}

DEMO_AGREEMENT_NOTES = {
    "clinical": "Named clinical supervisor agreed at induction. Ad hoc advice from the duty GP during clinics; "
                "planned sessions cover case review, prescribing and risk.",
    "line-management": "Probation review at three months, then interim review and annual appraisal.",
    "safeguarding": "Quarterly group supervision with the practice safeguarding lead; urgent concerns raised the same day.",
    "educational": "Portfolio and workplace-based assessments reviewed at each session.",
    "coaching": "Monthly coaching supervision bought in by the PCN.",
}

DEMO_DURATIONS = {
    "clinical": (45, 60, 60, 90), "professional": (60, 90), "line-management": (30, 45, 60),
    "educational": (60, 120), "coaching": (60, 90, 120),
}

DEMO_TOPICS = {
    "clinical": (
        "Case review: two frail patients with falls; medication review for polypharmacy.",
        "Red flags in musculoskeletal presentations; when to refer on the same day.",
        "Anticoagulation monitoring and a near miss with a dosing change.",
        "Managing a caseload that has grown since the last session; triage criteria.",
        "Debrief of a difficult consultation and the follow-up plan.",
    ),
    "professional": ("Scope of practice and prescribing competence.", "Revalidation evidence and CPD plan."),
    "line-management": ("Objectives, workload and wellbeing.", "Probation review: progress against the job plan."),
    "educational": ("Portfolio review and workplace-based assessments.", "Progress against the roadmap capabilities."),
    "coaching": ("Coaching practice and boundaries.", "Reflective review of recorded coaching sessions."),
    "safeguarding": (
        "Discussion of current concerns; referral thresholds and documentation.",
        "Domestic abuse: routine enquiry and information sharing.",
        "Children not brought to appointments; follow-up and escalation.",
    ),
    "peer-group": ("Shared learning on community resources and referral pathways.",
                   "Peer case discussion: complex social needs."),
}

DEMO_ACTIONS = (
    "Complete the e-learning module before the next session.",
    "Shadow the duty GP for one session this month.",
    "Audit ten recent consultations and bring the results.",
    "Update the personal development plan.",
    "No new actions; continue as agreed.",
)

DEMO_REFLECTIONS = (
    "I felt more confident escalating concerns this month. Next time I will document my reasoning earlier.",
    "Talking through the case helped me see I had anchored on the first diagnosis.",
    "Workload felt heavy; we agreed to protect admin time on Fridays.",
)
