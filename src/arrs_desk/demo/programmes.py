"""The demo PCN's people on programmes: paramedics, general practice assistants, pharmacy staff, a
first contact physiotherapist and a physician associate, at different points of their pathways.

Everything is written through `ProgrammeService`, as the people named would do it, so the demo
shows only what the app itself could have recorded on the demo's today.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select

from arrs_desk.domain.staff import StaffStatus
from arrs_desk.services.actor import Actor
from arrs_desk.services.programmes import EnrolmentInput, EnrolmentView, ProgrammeService
from arrs_desk.store.models import Staff, UserAccount


DEMO_EXTERNALS = {
    "hub": ("Dr Farida Osei", "GP educator", "Moorland Training Hub", "f.osei.hub@nhs.net"),
    "cppe": ("Grace Lindqvist", "CPPE education supervisor", "Centre for Pharmacy Postgraduate Education",
             "g.lindqvist.cppe@nhs.net"),
}

DEMO_ACTIVITIES = {
    "PARA-PC12": ("Taught day with the GP educator", "Taught day: minor illness", "Taught day: frailty and home visits"),
    "GPA": ("Protected learning day", "Portfolio with GP mentor", "Clinical system training"),
    "PCPEP": ("CPPE study day", "Pathway e-learning", "Portfolio and reflection"),
    "FCP-S2": ("Portfolio evidence", "Workplace-based assessment", "Roadmap study"),
    "PA-PRECEPT": ("Weekly education session", "Teaching programme", "Case review with GP supervisor"),
}


def populate_demo_programmes(workspace, actor: Actor, rng: random.Random) -> None:
    """Enrol the demo PCN's paramedics, general practice assistants, pharmacy staff, a first contact
    physiotherapist and a physician associate, at different points: most on track, some behind, one
    paused for sickness and one completed, so every status and the certificate can be seen.

    Written through the service, as the people named would do it: the assessor signs, the
    preceptor records meetings, the learner logs time.
    """
    service: ProgrammeService = workspace.programmes
    today = workspace.today()
    rows = [r for r in workspace.staff.list_rows(actor) if r.status != StaffStatus.LEFT]
    by_role: dict[str, list] = {}
    for r in rows:
        by_role.setdefault(r.role_code, []).append(r)
    gps = by_role.get("GPP", []) + by_role.get("SGP", [])
    if not gps:
        return
    with workspace.db.read() as session:
        accounts = {staff_id: (user_id, name, roles) for user_id, staff_id, name, roles in session.execute(
            select(UserAccount.id, UserAccount.staff_id, UserAccount.display_name, UserAccount.roles)
            .where(UserAccount.staff_id.is_not(None))).all()}
    names = {r.id: r.display_name for r in rows}

    def as_person(staff_id: int, roles: set[str]) -> Actor:
        user_id, name, held = accounts.get(staff_id, (None, names[staff_id], []))
        return Actor(user_id=user_id, username=f"demo-{staff_id}", display_name=name,
                     roles=frozenset(set(held) | roles), staff_id=staff_id)

    def gp_for(person) -> int:
        """A GP at the learner's practice: their day-to-day preceptor or mentor."""
        local = [g for g in gps if set(g.practice_ids) & set(person.practice_ids)]
        local.sort(key=lambda g: (g.id not in accounts, g.id))
        return (local or sorted(gps, key=lambda g: (g.id not in accounts, g.id)))[0].id

    # Assessors are the GPs with sign-in accounts (the clinical director and the GP supervisor),
    # so their sign-offs in the demo are bound to someone who can sign in and see them.
    assessors = sorted((g.id for g in gps if g.id in accounts), key=lambda i: i) or None

    def assessor_for(person, index: int) -> int:
        return assessors[index % len(assessors)] if assessors else gp_for(person)

    externals = {key: workspace.external_people.create(actor, name=n, job_title=t, organisation=o, email=e).id
                 for key, (n, t, o, e) in DEMO_EXTERNALS.items()}

    # (role, programme, weeks since the start, scenario). People are matched to a row by how long
    # they have been in post, and the one on leave is the one whose programme is paused.
    plan = [
        ("PARA", "PARA-PC12", 9, "on-track"), ("PARA", "PARA-PC12", 20, "completed"),
        ("GPA", "GPA", 16, "on-track"), ("GPA", "GPA", 24, "behind"),
        ("CPH", "PCPEP", 1, "on-track"), ("CPH", "PCPEP", 2, "on-track"), ("CPH", "PCPEP", 30, "paused"),
        ("CPH", "PCPEP", 60, "on-track"), ("CPH", "PCPEP", 25, "behind"), ("PTECH", "PCPEP", 14, "on-track"),
        ("FCPP", "FCP-S2", 10, "on-track-external"), ("FCPP", "FCP-S2", 18, "behind"),
        ("PA", "PA-PRECEPT", 20, "on-track"), ("PA", "PA-PRECEPT", 4, "on-track"),
    ]
    used: set[int] = set()
    for role_code, code, weeks_in, scenario in sorted(plan, key=lambda item: -item[2]):
        wanted = today - timedelta(weeks=weeks_in)
        people = [p for p in by_role.get(role_code, []) if p.id not in used and p.start_date <= today]
        if not people:
            continue
        person = min(people, key=lambda p: (p.start_date > wanted, (p.status == StaffStatus.ON_LEAVE) != (
            scenario == "paused"), p.id))
        used.add(person.id)
        start = max(wanted - timedelta(days=rng.randint(0, 4)), person.start_date)
        gp = gp_for(person)
        assessor = assessor_for(person, len(used))
        data = EnrolmentInput(staff_id=person.id, programme_code=code, start_date=start)
        if code == "PCPEP":
            data.preceptor_external_id = externals["cppe"]
            data.assessor_staff_id = assessor
        elif scenario == "on-track-external":  # assessed by the training hub, signing on paper
            data.preceptor_staff_id = gp
            data.assessor_external_id = externals["hub"]
            scenario = "on-track"
        else:
            data.preceptor_staff_id = gp
            data.assessor_staff_id = assessor
        view = service.enrol(actor, data=data)
        scenario = _demo_feasible(scenario, view, today)
        _demo_progress(service, view, scenario, rng, today, learner=as_person(person.id, {"staff"}),
                       assessor=as_person(assessor, {"supervisor"}), manager=actor,
                       recorder=_demo_manager(workspace, actor, person.id, as_person))


PAUSED_DAYS_AGO = (20, 40)
"""The demo's paused learner went off sick this many days ago (drawn between the two)."""


def _demo_feasible(scenario: str, view: EnrolmentView, today: date) -> str:
    """The planned story if the learner has been on the programme long enough for it, else on track:
    a programme is completed only after its planned end, and paused only after it began."""
    if scenario == "completed" and view.start_date + timedelta(weeks=view.length_weeks, days=2) > today:
        return "on-track"
    if scenario == "paused" and view.start_date > today - timedelta(days=PAUSED_DAYS_AGO[1]):
        return "on-track"
    return scenario


def _demo_manager(workspace, actor: Actor, staff_id: int, as_person) -> Actor:
    """The learner's line manager, who records an external assessor's paper signatures."""
    with workspace.db.read() as session:
        manager_id = session.execute(select(Staff.line_manager_id).where(Staff.id == staff_id)).scalar()
    return as_person(manager_id, {"line_manager"}) if manager_id is not None else actor


def _demo_progress(service: ProgrammeService, view: EnrolmentView, scenario: str, rng: random.Random, today: date,
                   *, learner: Actor, assessor: Actor, manager: Actor, recorder: Actor) -> None:
    signer = recorder if view.assessor_is_external else assessor  # an external assessor's paper signature
    keen = {"on-track": 1.0, "completed": 1.0, "paused": 0.9, "behind": 0.35}[scenario]
    if scenario == "paused":
        pause_start = today - timedelta(days=rng.randint(*PAUSED_DAYS_AGO))
        view = service.pause(manager, enrolment_id=view.id, expected_version=view.version, start=pause_start,
                             reason="Sickness absence")
    horizon = today if scenario != "completed" else view.start_date + timedelta(weeks=view.length_weeks)
    # Milestones held around their due dates, while the clock was running.
    for m in view.milestones:
        if m.due > horizon - timedelta(days=1) or (scenario == "behind" and m.due > view.start_date + timedelta(weeks=3)
                                                    and rng.random() > keen):
            continue
        pause = view.current_pause
        held = min(m.due + timedelta(days=rng.randint(0, 3)), horizon)
        if pause is not None and held >= pause.start_date:
            continue
        if m.week == view.length_weeks and scenario == "completed":
            continue  # held by the completion sign-off itself
        view = service.hold_milestone(signer, milestone_id=m.id,
                                      expected_version=m.version, held_on=held,
                                      notes=rng.choice(("", "Good progress; plan agreed.", "Learning needs reviewed.",
                                                        "Portfolio discussed.")))
    # Competencies signed off in step with time elapsed (or all, for the completed one).
    share = 1.0 if scenario == "completed" else min(1.0, view.time_elapsed / 100 * keen + rng.uniform(0.0, 0.08))
    if scenario == "behind":
        share = view.time_elapsed / 100 * 0.3
    count = round(share * len(view.competencies))
    last_day = min(horizon, view.current_pause.start_date - timedelta(days=1)) if view.current_pause else horizon
    for i, c in enumerate(view.competencies[:count]):
        fraction = (i + 1) / max(count, 1)
        day = view.start_date + timedelta(days=int((last_day - view.start_date).days * fraction))
        view = service.sign_off_competency(signer, competency_id=c.id, expected_version=c.version,
                                           signed_on=max(view.start_date, min(day, today)),
                                           comment=rng.choice(("", "Evidence seen.", "Observed in clinic.")))
    # Protected time on the programme's learning day, taken as whole study days where the weekly
    # allowance is less than a day (the pharmacy pathway's 28 study days over 18 months).
    hours = view.protected_hours_per_week
    activities = DEMO_ACTIVITIES.get(view.programme_code, ("Protected learning",))
    week, owed = 0, 0.0
    while hours > 0:
        day = view.start_date + timedelta(weeks=week, days=2)
        if day >= min(horizon, today) or week >= view.length_weeks:
            break
        week += 1
        if view.current_pause is not None and day >= view.current_pause.start_date:
            break
        owed += hours
        if owed < min(7.5, hours) - 1e-9 or (hours < 7.5 and owed < 7.5):
            continue
        taken, owed = (7.5, owed - 7.5) if hours < 7.5 else (hours, 0.0)
        if scenario == "behind" and rng.random() > 0.45:
            continue
        view = service.log_time(learner, enrolment_id=view.id, taken_on=day, hours=taken,
                                activity=rng.choice(activities))
    if scenario == "completed":
        service.complete(signer, enrolment_id=view.id, expected_version=view.version,
                         completed_on=min(today, horizon + timedelta(days=2)),
                         comment="All competencies evidenced; well prepared for the roadmap.")
