"""Preceptorship and training pathways: enrolling people, following their progress, signing off.

The rules (due dates moved by pauses, milestone status, the honest progress figure, protected
time owed, why someone is behind) live in `arrs_desk.domain.programmes`; this module gathers
the stored facts for them and writes changes with a permission check, validation of every field
and an audit entry, all in one transaction.

Who may do what, beyond the policy's actions:

* enrolling, editing an enrolment, pausing, extending and withdrawing: MANAGE_PROGRAMME (the
  person's line manager or an administrator);
* signing off competencies and completion: ASSESS_PROGRAMME, and only the assessor named on
  *this* enrolment. An assessor from outside the PCN has no account, so their signature is
  recorded by the person's line manager (`signed_by_external_id` + `recorded_by_user_id`);
* recording a milestone as held: MANAGE_PROGRAMME, or the named preceptor or assessor, who run
  the meetings;
* logging protected time and attaching evidence: the learner themself as well as those above.

Enrolments keep their own copy of the programme version's milestones and competencies. A
finished enrolment (completed or withdrawn) is judged as on the day it finished, so its figures
never drift afterwards.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import case, func, or_, select
from sqlmodel import Session

from arrs_desk.domain import programmes as rules
from arrs_desk.domain import staff as staff_rules
from arrs_desk.domain.permissions import ANYONE, AccessRole, Action, Relationship, denial
from arrs_desk.domain.programmes import EnrolmentStatus, MilestoneStatus
from arrs_desk.domain.staff import STANDARD_FULL_TIME_HOURS, StaffStatus
from arrs_desk.errors import NotFound, PermissionDenied, ValidationError
from arrs_desk.services import audit, evidence
from arrs_desk.services._common import apply_update, clean_text, get_or_404, require
from arrs_desk.services.actor import Actor
from arrs_desk.services.exports import save_audited, write_csv
from arrs_desk.services.programme_templates import (
    MILESTONE_KINDS, ProgrammeTemplateService, current_template, row_programme,
)
from arrs_desk.services.relationships import ACTIVE_ENROLMENT, managed_ids, relationship, visible_staff_ids
from arrs_desk.services.staff import Choice
from arrs_desk.store.database import Database
from arrs_desk.store.models import (
    ExternalPerson, Organisation, ProgrammeCompetency, ProgrammeEnrolment, ProgrammeEvidence, ProgrammeExtension,
    ProgrammeMilestone, ProgrammePause, ProgrammeTemplate, ProgrammeTime, Role, Staff, StaffPractice, UserAccount,
    utcnow,
)

COMPLETED = "completed"
WITHDRAWN = "withdrawn"

PROTECTED_TIME_TOLERANCE_HOURS = 7.5
"""Protected time is often taken as whole study days, so being up to one day (7.5 h) short is the
normal rhythm of a log kept week by week; more than that is reported as a shortfall."""

MAX_HOURS_PER_ENTRY = 12.0
MAX_EXTENSION_WEEKS = 104
MAX_PAUSE_DAYS = 2 * 366
MAX_PAST_START_YEARS = 10
MAX_FUTURE_START_DAYS = 366
MAX_NOTE = 2000
SIGNING_ROLES = frozenset({AccessRole.SUPERVISOR.value, AccessRole.LINE_MANAGER.value})
"""Account roles that can hold ASSESS_PROGRAMME: a colleague named as assessor needs one."""

PROGRESS_DEFINITION = (
    "Progress is worked out from what has been achieved and recorded, never from the calendar: "
    f"competencies signed off count for {rules.COMPETENCY_WEIGHT:.0%} and milestones held for "
    f"{rules.MILESTONE_WEIGHT:.0%}. Time elapsed is shown beside it so the two can be compared; "
    "someone far through the calendar with little signed off has not made much progress yet."
)


# --------------------------------------------------------------------------- inputs


@dataclass
class EnrolmentInput:
    staff_id: int | None = None
    programme_code: str = ""
    start_date: date | None = None
    planned_end: date | None = None
    """None: the start plus the programme's length."""
    protected_hours_per_week: float | str | None = None
    """None: the programme's figure (part-time staff may agree less)."""
    preceptor_staff_id: int | None = None
    preceptor_external_id: int | None = None
    assessor_staff_id: int | None = None
    assessor_external_id: int | None = None
    notes: str = ""


# --------------------------------------------------------------------------- read shapes


@dataclass(frozen=True, slots=True)
class MilestoneRow:
    id: int
    version: int
    key: str
    title: str
    week: int
    kind: str
    kind_label: str
    due: date
    status: MilestoneStatus
    status_label: str
    held_on: date | None
    notes: str
    recorded_by: str


@dataclass(frozen=True, slots=True)
class EvidenceRow:
    id: int
    original_name: str
    media_type: str
    size: int
    added_by: str
    added_at: datetime


@dataclass(frozen=True, slots=True)
class CompetencyRow:
    id: int
    version: int
    domain_code: str
    domain_title: str
    key: str
    title: str
    description: str
    evidence_expected: str
    signed: bool
    signed_by: str
    signed_on: date | None
    recorded_by: str  # for an external assessor: who entered their signature
    comment: str
    evidence: tuple[EvidenceRow, ...]


@dataclass(frozen=True, slots=True)
class TimeRow:
    id: int
    taken_on: date
    hours: float
    activity: str
    logged_by: str
    logged_at: datetime


@dataclass(frozen=True, slots=True)
class PauseRow:
    id: int
    version: int
    start_date: date
    end_date: date | None
    reason: str
    recorded_by: str
    days: int  # so far, for a pause still going on

    @property
    def ongoing(self) -> bool:
        return self.end_date is None


@dataclass(frozen=True, slots=True)
class ExtensionRow:
    id: int
    weeks: int
    days: int
    reason: str
    agreed_on: date
    recorded_by: str

    @property
    def label(self) -> str:
        parts = []
        if self.weeks:
            parts.append(f"{self.weeks} week{'s' if self.weeks != 1 else ''}")
        if self.days:
            parts.append(f"{self.days} day{'s' if self.days != 1 else ''}")
        return " and ".join(parts)


@dataclass(frozen=True, slots=True)
class Capabilities:
    manage: bool  # edit, pause, extend, withdraw
    record_milestones: bool
    assess: bool  # sign off competencies and completion
    contribute: bool  # log protected time, attach evidence


@dataclass(frozen=True)
class EnrolmentView:
    id: int
    version: int
    staff_id: int
    display_name: str
    role_title: str
    practices: str
    programme_code: str
    programme_version: int
    title: str
    description: str
    length_weeks: int
    protected_hours_per_week: float
    start_date: date
    planned_end: date
    expected_end: date
    status: EnrolmentStatus
    preceptor: str
    preceptor_detail: str
    preceptor_staff_id: int | None
    preceptor_external_id: int | None
    assessor: str
    assessor_detail: str
    assessor_staff_id: int | None
    assessor_external_id: int | None
    assessor_is_external: bool
    assessor_note: str  # why the named assessor cannot sign in the app, when that is so
    completed_on: date | None
    completion_signed_by: str
    completion_recorded_by: str
    completion_comment: str
    withdrawn_on: date | None
    withdrawn_reason: str
    notes: str
    progress: float
    time_elapsed: float
    competencies_signed: int
    competencies_total: int
    milestones_held: int
    milestones_total: int
    milestones_overdue: int
    protected_expected: float
    protected_logged: float
    protected_shortfall: float
    behind: tuple[str, ...]
    milestones: tuple[MilestoneRow, ...]
    competencies: tuple[CompetencyRow, ...]
    time_entries: tuple[TimeRow, ...]
    pauses: tuple[PauseRow, ...]
    extensions: tuple[ExtensionRow, ...]
    extension_days: int
    today: date
    as_of: date
    can: Capabilities

    @property
    def active(self) -> bool:
        return self.status not in (EnrolmentStatus.COMPLETED, EnrolmentStatus.WITHDRAWN)

    @property
    def current_pause(self) -> PauseRow | None:
        return next((p for p in self.pauses if p.start_date <= self.as_of and
                     (p.end_date is None or p.end_date >= self.as_of)), None)


@dataclass(frozen=True, slots=True)
class EnrolmentSummary:
    """One enrolment in the overview."""

    enrolment_id: int
    staff_id: int
    display_name: str
    sort_name: str
    role_code: str
    role_title: str
    practice_ids: tuple[int, ...]
    practices: str
    programme_code: str
    programme_title: str
    start_date: date
    expected_end: date
    status: EnrolmentStatus
    progress: float
    time_elapsed: float
    milestones_held: int
    milestones_total: int
    milestones_overdue: int
    next_milestone: str
    next_due: date | None
    competencies_signed: int
    competencies_total: int
    protected_logged: float
    protected_expected: float
    behind: tuple[str, ...]
    preceptor: str
    assessor: str
    search_key: str


@dataclass(frozen=True, slots=True)
class ProgrammeChoice:
    code: str
    version: int
    title: str
    roles: tuple[str, ...]
    length_weeks: int
    protected_hours_per_week: float
    interim_weeks: int  # the latest milestone before the end: a planned end must leave room for it


@dataclass(frozen=True)
class EnrolmentChoices:
    people: tuple[Choice, ...]  # value staff id, label name, hint role title
    person_roles: dict[int, str]
    person_starts: dict[int, date]
    programmes: tuple[ProgrammeChoice, ...]
    colleagues: tuple[Choice, ...]
    externals: tuple[Choice, ...]
    signers: frozenset[int]  # colleagues whose account can sign off as assessor
    sole_user: bool


@dataclass(frozen=True)
class Certificate:
    """What the completion certificate prints; plain data for the PDF builder."""

    person_name: str
    role_title: str
    programme_title: str
    programme_code: str
    programme_version: int
    start_date: date
    completed_on: date
    assessor_name: str
    assessor_detail: str
    competencies_signed: int
    milestones_held: int
    protected_hours: float
    pcn_name: str
    reference: str
    issued_on: date


# --------------------------------------------------------------------------- evaluation


@dataclass(frozen=True)
class _Milestone:
    id: int
    key: str
    title: str
    week: int
    kind: str
    held_on: date | None


@dataclass
class _Facts:
    start: date
    planned_end: date
    length_weeks: int
    hours_per_week: float
    status: str
    completed_on: date | None
    withdrawn_on: date | None
    pauses: list[tuple[date, date | None, str]] = field(default_factory=list)  # (start, end or None, reason)
    extensions: list[rules.Extension] = field(default_factory=list)
    milestones: list[_Milestone] = field(default_factory=list)
    competencies_signed: int = 0
    competencies_total: int = 0
    logged_hours: float = 0.0


@dataclass(frozen=True)
class _Evaluation:
    as_of: date
    pauses: tuple[rules.Pause, ...]
    end: date
    due: dict[int, date]
    statuses: dict[int, MilestoneStatus]
    held: int
    overdue: int
    progress: float
    elapsed: float
    expected_hours: float
    reasons: tuple[str, ...]
    status: EnrolmentStatus


def _evaluate(facts: _Facts, today: date) -> _Evaluation:
    """Every figure the screens show, from the domain rules, as of today or the day it finished."""
    as_of = facts.completed_on or facts.withdrawn_on or today
    pauses = []
    for start, end, reason in facts.pauses:
        # A pause still going on stops the clock up to today: the earliest dates still possible.
        pauses.append(rules.Pause(start, end if end is not None else max(start, as_of), reason))
    shape = rules.Programme.model_construct(
        length_weeks=facts.length_weeks,
        milestones=tuple(rules.Milestone.model_construct(key=str(m.id), title=m.title, week=m.week, kind=m.kind)
                         for m in facts.milestones),
    )
    due = {int(s.milestone.key): s.due for s in rules.schedule(shape, facts.start, pauses, facts.extensions,
                                                               planned_end=facts.planned_end)}
    end = rules.expected_end(facts.start, facts.length_weeks, pauses, facts.extensions, planned_end=facts.planned_end)
    statuses = {m.id: rules.milestone_status(due[m.id], as_of, held=m.held_on is not None) for m in facts.milestones}
    held = sum(m.held_on is not None for m in facts.milestones)
    overdue = sum(s is MilestoneStatus.OVERDUE for s in statuses.values())
    progress = rules.overall_progress(facts.competencies_signed, facts.competencies_total, held, len(facts.milestones))
    elapsed = rules.expected_progress_by_now(facts.start, end, as_of, pauses)
    expected_hours = rules.expected_protected_hours(facts.start, as_of, facts.hours_per_week, pauses, end)
    finished = facts.status in (COMPLETED, WITHDRAWN)
    reasons = () if finished else tuple(rules.behind_reasons(
        milestones_overdue=overdue, competencies_signed=facts.competencies_signed,
        competencies_total=facts.competencies_total, time_elapsed_percent=elapsed,
        protected_hours_expected=expected_hours, protected_hours_logged=facts.logged_hours,
        protected_tolerance_hours=PROTECTED_TIME_TOLERANCE_HOURS,
    ))
    status = rules.enrolment_status(start=facts.start, today=as_of, completed=facts.status == COMPLETED,
                                    withdrawn=facts.status == WITHDRAWN, pauses=pauses, reasons=reasons)
    if status is EnrolmentStatus.PAUSED:
        reasons = ()  # the clock is stopped: nothing falls further behind while paused
    return _Evaluation(as_of, tuple(pauses), end, due, statuses, held, overdue, progress, elapsed, expected_hours,
                       reasons, status)


def _uk(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _name(person: Staff | None) -> str:
    return staff_rules.display_name(person.given_name, person.family_name, person.preferred_name) if person else ""


def _parse_hours(value: float | int | str | None) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value or "").strip().replace(",", ".")
    try:
        return float(text) if text else None
    except ValueError:
        return None


# --------------------------------------------------------------------------- the service


class ProgrammeService:
    def __init__(self, db: Database, today: Callable[[], date],
                 evidence_root: Callable[[], Path] | None = None):
        self._db = db
        self._today = today
        if evidence_root is None:
            from arrs_desk.paths import evidence_dir

            evidence_root = evidence_dir
        self._evidence_root = evidence_root
        self.templates = ProgrammeTemplateService(db)

    # ======================================================================= reading
    def overview(self, actor: Actor) -> list[EnrolmentSummary]:
        """Every enrolment the actor may see (their team's, and any they precept or assess), with
        its progress worked out by the domain rules; six queries whatever the number of people."""
        today = self._today()
        e = ProgrammeEnrolment
        with self._db.read() as session:
            visible = visible_staff_ids(session, actor, today)
            condition = e.id.is_not(None)
            if visible is not None:
                named = [e.staff_id.in_(visible or {-1})]
                if actor.staff_id is not None:
                    named += [e.preceptor_staff_id == actor.staff_id, e.assessor_staff_id == actor.staff_id]
                condition = or_(*named)
            ids = select(e.id).where(condition)
            enrolments = session.execute(select(e).where(condition)).scalars().all()
            facts = self._facts_for(session, ids, enrolments)
            staff_ids = {x.staff_id for x in enrolments} | {x.preceptor_staff_id for x in enrolments} | {
                x.assessor_staff_id for x in enrolments}
            people = {s.id: s for s in session.execute(
                select(Staff).where(Staff.id.in_([i for i in staff_ids if i is not None] or [-1]))).scalars()}
            externals = dict(session.execute(select(ExternalPerson.id, ExternalPerson.name)).all())
            roles = dict(session.execute(select(Role.code, Role.title)).all())
            org_names = dict(session.execute(select(Organisation.id, Organisation.name)).all())
            practices: dict[int, list[int]] = {}
            for staff_id, org_id in session.execute(select(StaffPractice.staff_id, StaffPractice.organisation_id)):
                practices.setdefault(staff_id, []).append(org_id)
        rows = []
        for enrolment in enrolments:
            f = facts[enrolment.id]
            ev = _evaluate(f, today)
            person = people.get(enrolment.staff_id)
            name = _name(person)
            upcoming = sorted((ev.due[m.id], m.title) for m in f.milestones if m.held_on is None)
            practice_ids = tuple(sorted(practices.get(enrolment.staff_id, ()), key=lambda i: org_names.get(i, "")))
            practice_text = ", ".join(org_names.get(i, "") for i in practice_ids)
            role_title = roles.get(person.role_code, person.role_code) if person else ""
            preceptor = (_name(people.get(enrolment.preceptor_staff_id)) if enrolment.preceptor_staff_id
                         else externals.get(enrolment.preceptor_external_id, ""))
            assessor = (_name(people.get(enrolment.assessor_staff_id)) if enrolment.assessor_staff_id
                        else externals.get(enrolment.assessor_external_id, ""))
            rows.append(EnrolmentSummary(
                enrolment_id=enrolment.id, staff_id=enrolment.staff_id, display_name=name,
                sort_name=staff_rules.search_key(person.family_name if person else "", name),
                role_code=person.role_code if person else "", role_title=role_title, practice_ids=practice_ids,
                practices=practice_text, programme_code=enrolment.programme_code, programme_title=enrolment.title,
                start_date=enrolment.start_date, expected_end=ev.end, status=ev.status, progress=ev.progress,
                time_elapsed=ev.elapsed, milestones_held=ev.held, milestones_total=len(f.milestones),
                milestones_overdue=ev.overdue,
                next_milestone=upcoming[0][1] if upcoming and ev.status not in (
                    EnrolmentStatus.COMPLETED, EnrolmentStatus.WITHDRAWN) else "",
                next_due=upcoming[0][0] if upcoming and ev.status not in (
                    EnrolmentStatus.COMPLETED, EnrolmentStatus.WITHDRAWN) else None,
                competencies_signed=f.competencies_signed, competencies_total=f.competencies_total,
                protected_logged=round(f.logged_hours, 2), protected_expected=round(ev.expected_hours, 2),
                behind=ev.reasons, preceptor=preceptor, assessor=assessor,
                search_key=staff_rules.search_key(name, role_title, enrolment.title, enrolment.programme_code,
                                                  practice_text, preceptor, assessor),
            ))
        rows.sort(key=lambda r: (r.sort_name, r.start_date))
        return rows

    def enrolment(self, actor: Actor, *, enrolment_id: int) -> EnrolmentView:
        today = self._today()
        with self._db.read() as session:
            row = get_or_404(session, ProgrammeEnrolment, enrolment_id, "programme enrolment")
            rel = relationship(session, actor, row.staff_id, today)
            self._require_view(actor, rel, row)
            return self._view(session, actor, row, rel, today)

    def enrolments_for(self, actor: Actor, *, staff_id: int) -> list[EnrolmentSummary]:
        return [r for r in self.overview(actor) if r.staff_id == staff_id]

    def enrolment_choices(self, actor: Actor) -> EnrolmentChoices:
        """What the enrolment form offers: the people this actor may enrol, programmes, and who
        may precept or assess (colleagues and people from outside the PCN)."""
        today = self._today()
        with self._db.read() as session:
            people = session.execute(
                select(Staff.id, Staff.given_name, Staff.family_name, Staff.preferred_name, Staff.role_code,
                       Staff.start_date).where(Staff.status != StaffStatus.LEFT.value)
            ).all()
            roles = dict(session.execute(select(Role.code, Role.title)).all())
            if denial(actor.roles, Action.MANAGE_PROGRAMME, ANYONE) is None or actor.sole_user:
                allowed = None
            elif AccessRole.LINE_MANAGER in actor.roles and actor.staff_id is not None:
                allowed = managed_ids(session, actor.staff_id)
            else:
                allowed = set()
            templates = session.execute(select(ProgrammeTemplate).where(ProgrammeTemplate.is_current)).scalars().all()
            programmes = []
            for t in templates:
                interim = [m["week"] for m in t.milestones if m["week"] < t.length_weeks]
                programmes.append(ProgrammeChoice(t.code, t.version, t.title, tuple(t.roles), t.length_weeks,
                                                  t.protected_hours_per_week, max(interim, default=0)))
            externals = session.execute(
                select(ExternalPerson).where(ExternalPerson.active).order_by(ExternalPerson.name)).scalars().all()
            signers = self._signers(session)
        choices = sorted((Choice(p[0], staff_rules.display_name(p[1], p[2], p[3]), roles.get(p[4], p[4]))
                          for p in people), key=lambda c: staff_rules.search_key(c.label))
        return EnrolmentChoices(
            people=tuple(c for c in choices if allowed is None or c.value in allowed),
            person_roles={p[0]: p[4] for p in people},
            person_starts={p[0]: p[5] for p in people},
            programmes=tuple(sorted(programmes, key=lambda p: p.title.casefold())),
            colleagues=tuple(choices),
            externals=tuple(Choice(x.id, x.name, ", ".join(v for v in (x.job_title, x.organisation) if v))
                            for x in externals),
            signers=frozenset(signers),
            sole_user=actor.sole_user,
        )

    def certificate(self, actor: Actor, *, enrolment_id: int) -> Certificate:
        """The completion certificate's content; only a completed programme has one."""
        today = self._today()
        with self._db.read() as session:
            row = get_or_404(session, ProgrammeEnrolment, enrolment_id, "programme enrolment")
            rel = relationship(session, actor, row.staff_id, today)
            self._require_view(actor, rel, row)
            if row.status != COMPLETED or row.completed_on is None:
                raise ValidationError.single(
                    "certificate", "A certificate is produced once the assessor has signed off completion.")
            person = session.get(Staff, row.staff_id)
            role = session.get(Role, person.role_code)
            signed = session.execute(select(func.count()).where(
                ProgrammeCompetency.enrolment_id == row.id, ProgrammeCompetency.signed_at.is_not(None))).scalar()
            held = session.execute(select(func.count()).where(
                ProgrammeMilestone.enrolment_id == row.id, ProgrammeMilestone.held_on.is_not(None))).scalar()
            hours = session.execute(select(func.coalesce(func.sum(ProgrammeTime.hours), 0.0)).where(
                ProgrammeTime.enrolment_id == row.id, ProgrammeTime.removed_at.is_(None))).scalar()
            assessor, detail = self._person_label(session, row.assessor_staff_id, row.assessor_external_id)
            pcn = session.execute(select(Organisation.name).where(Organisation.kind == "pcn", Organisation.active)
                                  .order_by(Organisation.id)).scalars().first() or ""
        return Certificate(
            person_name=staff_rules.formal_name(person.title, person.given_name, person.family_name,
                                                person.preferred_name),
            role_title=role.title if role else person.role_code,
            programme_title=row.title, programme_code=row.programme_code, programme_version=row.programme_version,
            start_date=row.start_date, completed_on=row.completed_on,
            assessor_name=row.signed_by_name or assessor, assessor_detail=detail, competencies_signed=signed,
            milestones_held=held, protected_hours=round(float(hours), 2), pcn_name=pcn,
            reference=f"{row.programme_code}-{row.id:05d}", issued_on=today,
        )

    # ======================================================================= writing: enrolment
    def enrol(self, actor: Actor, *, data: EnrolmentInput) -> EnrolmentView:
        """Put a person on the current version of a programme, copying its milestones and competencies."""
        today = self._today()
        with self._db.write() as session:
            if data.staff_id is not None:  # with nobody chosen, validation says so before anything is written
                require(actor, Action.MANAGE_PROGRAMME, relationship(session, actor, data.staff_id, today))
            template = current_template(session, data.programme_code) if data.programme_code else None
            values = self._enrolment_values(session, actor, data, template, enrolment_id=None, today=today)
            programme = row_programme(template)
            row = ProgrammeEnrolment(
                **values, template_id=template.id, programme_code=template.code, programme_version=template.version,
                title=template.title, description=template.description, length_weeks=template.length_weeks,
                status=ACTIVE_ENROLMENT, created_by_user_id=actor.user_id, created_by_name=actor.display_name,
            )
            session.add(row)
            session.flush()
            session.add_all(ProgrammeMilestone(enrolment_id=row.id, position=i, key=m.key, title=m.title, week=m.week,
                                               kind=m.kind) for i, m in enumerate(programme.milestones_in_order))
            position = 0
            for domain in programme.domains:
                for c in domain.competencies:
                    session.add(ProgrammeCompetency(
                        enrolment_id=row.id, position=position, domain_code=domain.code, domain_title=domain.title,
                        key=c.key, title=c.title, description=c.description, evidence_expected=c.evidence))
                    position += 1
            session.flush()
            person = session.get(Staff, row.staff_id)
            audit.record(session, actor, "enrol", "programme_enrolment", row.id,
                         f"Enrolled {_name(person)} on '{row.title}' ({row.programme_code} v{row.programme_version}) "
                         f"from {_uk(row.start_date)}",
                         audit.diff({}, {**values, "programme": f"{row.programme_code} v{row.programme_version}"}),
                         subject_staff_id=row.staff_id)
            return self._view(session, actor, row, relationship(session, actor, row.staff_id, today), today)

    def update_enrolment(self, actor: Actor, *, enrolment_id: int, data: EnrolmentInput,
                         expected_version: int) -> EnrolmentView:
        """Change the dates, protected time, preceptor, assessor or notes. The programme itself stays:
        to change programme, withdraw and enrol again, so each record matches one version."""
        today = self._today()
        with self._db.write() as session:
            row = get_or_404(session, ProgrammeEnrolment, enrolment_id, "programme enrolment")
            rel = relationship(session, actor, row.staff_id, today)
            require(actor, Action.MANAGE_PROGRAMME, rel)
            self._require_active(row)
            data = replace(data, staff_id=row.staff_id, programme_code=row.programme_code)
            values = self._enrolment_values(session, actor, data, None, enrolment_id=row.id, today=today, existing=row)
            before = {k: getattr(row, k) for k in values}
            apply_update(session, row, values, expected_version, "programme enrolment")
            changes = audit.diff(before, values)
            if changes:
                audit.record(session, actor, "update", "programme_enrolment", row.id,
                             f"Updated {_name(session.get(Staff, row.staff_id))}'s enrolment on '{row.title}': "
                             + ", ".join(changes), changes, subject_staff_id=row.staff_id)
            return self._view(session, actor, row, relationship(session, actor, row.staff_id, today), today)

    def pause(self, actor: Actor, *, enrolment_id: int, expected_version: int, start: date | None,
              end: date | None = None, reason: str = "") -> EnrolmentView:
        """Stop the programme clock (sickness, parental leave); leave `end` empty while it is not known.
        Everything still to come moves later by the pause's length."""
        today = self._today()
        reason = clean_text(reason, multiline=True)
        with self._db.write() as session:
            row = get_or_404(session, ProgrammeEnrolment, enrolment_id, "programme enrolment")
            rel = relationship(session, actor, row.staff_id, today)
            require(actor, Action.MANAGE_PROGRAMME, rel)
            self._require_active(row)
            existing = self._pauses(session, row.id)
            errors = self._pause_problems(start, end, reason, row, existing, today, pause_id=None)
            if errors:
                raise ValidationError(errors)
            before = self._end_of(session, row, today)
            apply_update(session, row, {}, expected_version, "programme enrolment")
            pause = ProgrammePause(enrolment_id=row.id, start_date=start, end_date=end, reason=reason,
                                   recorded_by_user_id=actor.user_id, recorded_by_name=actor.display_name)
            session.add(pause)
            session.flush()
            after = self._end_of(session, row, today)
            span = f"from {_uk(start)} to {_uk(end)}" if end else f"from {_uk(start)}, end not yet known"
            audit.record(session, actor, "pause", "programme_enrolment", row.id,
                         f"Paused {_name(session.get(Staff, row.staff_id))}'s '{row.title}' {span}: {reason}",
                         {"pause": [None, {"start": start.isoformat(), "end": end.isoformat() if end else None,
                                           "reason": reason}], "expected_end": [before.isoformat(), after.isoformat()]},
                         subject_staff_id=row.staff_id)
            return self._view(session, actor, row, rel, today)

    def end_pause(self, actor: Actor, *, pause_id: int, expected_version: int, end: date | None) -> EnrolmentView:
        """Record the day a pause ended (the last day off); later dates move by the days it lasted."""
        today = self._today()
        with self._db.write() as session:
            pause = get_or_404(session, ProgrammePause, pause_id, "pause")
            row = get_or_404(session, ProgrammeEnrolment, pause.enrolment_id, "programme enrolment")
            rel = relationship(session, actor, row.staff_id, today)
            require(actor, Action.MANAGE_PROGRAMME, rel)
            self._require_active(row)
            others = [p for p in self._pauses(session, row.id) if p.id != pause.id]
            errors = self._pause_problems(pause.start_date, end, pause.reason, row, others, today, pause_id=pause.id)
            if end is None:
                errors["end"] = "Enter the last day of the pause."
            errors.pop("reason", None)
            if errors:
                raise ValidationError(errors)
            before = pause.end_date
            apply_update(session, pause, {"end_date": end}, expected_version, "pause")
            audit.record(session, actor, "end_pause", "programme_enrolment", row.id,
                         f"Pause of {_name(session.get(Staff, row.staff_id))}'s '{row.title}' from "
                         f"{_uk(pause.start_date)} ends {_uk(end)}",
                         {"pause_end": [before.isoformat() if before else None, end.isoformat()],
                          "expected_end": [None, self._end_of(session, row, today).isoformat()]},
                         subject_staff_id=row.staff_id)
            return self._view(session, actor, row, rel, today)

    def extend(self, actor: Actor, *, enrolment_id: int, expected_version: int, weeks: int | str = 0,
               days: int | str = 0, reason: str = "") -> EnrolmentView:
        """More time to finish, agreed with the educational lead; only the end moves."""
        today = self._today()
        reason = clean_text(reason, multiline=True)
        errors: dict[str, str] = {}
        parsed = []
        for name, value in (("weeks", weeks), ("days", days)):
            text = str(value).strip() if value is not None else ""
            if text == "":
                parsed.append(0)
            elif text.lstrip("-").isdigit() and len(text) <= 5:
                parsed.append(int(text))
            else:
                errors["length"] = "Enter the extension as whole numbers of weeks and days."
                parsed.append(0)
        extension = rules.Extension(parsed[0], parsed[1], reason)
        if "length" not in errors:
            errors.update(rules.check_extension(extension))
        if len(reason) > 500:
            errors["reason"] = f"Keep the reason to 500 characters or fewer (it has {len(reason)})."
        with self._db.write() as session:
            row = get_or_404(session, ProgrammeEnrolment, enrolment_id, "programme enrolment")
            rel = relationship(session, actor, row.staff_id, today)
            require(actor, Action.MANAGE_PROGRAMME, rel)
            self._require_active(row)
            already = sum(x.total_days for x in self._extensions(session, row.id))
            if "length" not in errors and already + extension.total_days > MAX_EXTENSION_WEEKS * 7:
                errors["length"] = (f"Extensions can add at most {MAX_EXTENSION_WEEKS} weeks in all; this one would "
                                    f"make {(already + extension.total_days) / 7:.0f} weeks. Consider enrolling again.")
            if errors:
                raise ValidationError(errors)
            before = self._end_of(session, row, today)
            apply_update(session, row, {}, expected_version, "programme enrolment")
            session.add(ProgrammeExtension(enrolment_id=row.id, weeks=extension.weeks, days=extension.days,
                                           reason=reason, agreed_on=today, recorded_by_user_id=actor.user_id,
                                           recorded_by_name=actor.display_name))
            session.flush()
            after = self._end_of(session, row, today)
            audit.record(session, actor, "extend", "programme_enrolment", row.id,
                         f"Extended {_name(session.get(Staff, row.staff_id))}'s '{row.title}' by "
                         f"{ExtensionRow(0, extension.weeks, extension.days, '', today, '').label}: {reason}",
                         {"expected_end": [before.isoformat(), after.isoformat()], "reason": reason},
                         subject_staff_id=row.staff_id)
            return self._view(session, actor, row, rel, today)

    def withdraw(self, actor: Actor, *, enrolment_id: int, expected_version: int, on: date | None,
                 reason: str = "") -> EnrolmentView:
        """Take a person off a programme they will not finish (they left, or changed role)."""
        today = self._today()
        reason = clean_text(reason, multiline=True)
        with self._db.write() as session:
            row = get_or_404(session, ProgrammeEnrolment, enrolment_id, "programme enrolment")
            rel = relationship(session, actor, row.staff_id, today)
            require(actor, Action.MANAGE_PROGRAMME, rel)
            self._require_active(row)
            errors = {}
            if on is None:
                errors["on"] = "Enter the date the person came off the programme."
            elif on > today:
                errors["on"] = f"The date ({_uk(on)}) is in the future; withdraw on or after the day itself."
            elif on < row.start_date:
                errors["on"] = f"The date cannot be before the programme started ({_uk(row.start_date)})."
            if sum(ch.isalnum() for ch in reason) < 3:
                errors["reason"] = "Give the reason, such as 'left the PCN' or 'changed role'."
            elif len(reason) > 500:
                errors["reason"] = f"Keep the reason to 500 characters or fewer (it has {len(reason)})."
            if errors:
                raise ValidationError(errors)
            apply_update(session, row, {"status": WITHDRAWN, "withdrawn_on": on, "withdrawn_reason": reason},
                         expected_version, "programme enrolment")
            audit.record(session, actor, "withdraw", "programme_enrolment", row.id,
                         f"Withdrew {_name(session.get(Staff, row.staff_id))} from '{row.title}' on {_uk(on)}: {reason}",
                         {"status": [ACTIVE_ENROLMENT, WITHDRAWN], "reason": reason}, subject_staff_id=row.staff_id)
            return self._view(session, actor, row, rel, today)

    # ======================================================================= writing: progress
    def hold_milestone(self, actor: Actor, *, milestone_id: int, expected_version: int, held_on: date | None,
                       notes: str = "") -> EnrolmentView:
        """Record a meeting, review or assessment as held (or correct the date and notes of one)."""
        today = self._today()
        notes = clean_text(notes, multiline=True)
        with self._db.write() as session:
            milestone = get_or_404(session, ProgrammeMilestone, milestone_id, "milestone")
            row = get_or_404(session, ProgrammeEnrolment, milestone.enrolment_id, "programme enrolment")
            rel = relationship(session, actor, row.staff_id, today)
            self._require_milestone_recorder(actor, rel, row)
            self._require_active(row)
            errors = {}
            if held_on is None:
                errors["held_on"] = "Enter the date it was held."
            elif held_on > today:
                errors["held_on"] = f"The date ({_uk(held_on)}) is in the future; record it on or after the day."
            elif held_on < row.start_date:
                errors["held_on"] = f"The date cannot be before the programme started ({_uk(row.start_date)})."
            if len(notes) > MAX_NOTE:
                errors["notes"] = f"Keep the notes to {MAX_NOTE:,} characters or fewer (they have {len(notes):,})."
            if errors:
                raise ValidationError(errors)
            before = {"held_on": milestone.held_on, "notes": milestone.notes}
            apply_update(session, milestone, {"held_on": held_on, "notes": notes, "recorded_by_user_id": actor.user_id,
                                              "recorded_by_name": actor.display_name, "recorded_at": utcnow()},
                         expected_version, "milestone")
            audit.record(session, actor, "hold_milestone", "programme_milestone", milestone.id,
                         f"Recorded '{milestone.title}' as held on {_uk(held_on)} for "
                         f"{_name(session.get(Staff, row.staff_id))}",
                         audit.diff(before, {"held_on": held_on, "notes": notes}), subject_staff_id=row.staff_id)
            return self._view(session, actor, row, rel, today)

    def unhold_milestone(self, actor: Actor, *, milestone_id: int, expected_version: int) -> EnrolmentView:
        """Undo a milestone recorded as held by mistake."""
        today = self._today()
        with self._db.write() as session:
            milestone = get_or_404(session, ProgrammeMilestone, milestone_id, "milestone")
            row = get_or_404(session, ProgrammeEnrolment, milestone.enrolment_id, "programme enrolment")
            rel = relationship(session, actor, row.staff_id, today)
            self._require_milestone_recorder(actor, rel, row)
            self._require_active(row)
            if milestone.held_on is None:
                raise ValidationError.single("milestone", "This milestone is not recorded as held.")
            before = milestone.held_on
            apply_update(session, milestone, {"held_on": None, "notes": "", "recorded_by_user_id": None,
                                              "recorded_by_name": "", "recorded_at": None}, expected_version,
                         "milestone")
            audit.record(session, actor, "unhold_milestone", "programme_milestone", milestone.id,
                         f"Cleared '{milestone.title}' (was held {_uk(before)}) for {_name(session.get(Staff, row.staff_id))}",
                         {"held_on": [before.isoformat(), None]}, subject_staff_id=row.staff_id)
            return self._view(session, actor, row, rel, today)

    def sign_off_competency(self, actor: Actor, *, competency_id: int, expected_version: int,
                            signed_on: date | None = None, comment: str = "") -> EnrolmentView:
        """The named assessor signs a competency off (or, for an assessor from outside the PCN, the
        line manager records the date they signed it on paper)."""
        today = self._today()
        comment = clean_text(comment, multiline=True)
        with self._db.write() as session:
            competency = get_or_404(session, ProgrammeCompetency, competency_id, "competency")
            row = get_or_404(session, ProgrammeEnrolment, competency.enrolment_id, "programme enrolment")
            rel = relationship(session, actor, row.staff_id, today)
            external = self._require_assessor(session, actor, rel, row)
            self._require_active(row)
            if competency.signed_at is not None:
                raise ValidationError.single("competency", f"'{competency.title}' was already signed off by "
                                             f"{competency.signed_by_name} on {_uk(competency.signed_on)}.")
            day = signed_on or today
            errors = self._sign_date_problems(day, row, today, "signed_on")
            if len(comment) > MAX_NOTE:
                errors["comment"] = f"Keep the comment to {MAX_NOTE:,} characters or fewer."
            if errors:
                raise ValidationError(errors)
            apply_update(session, competency, {**self._signature(actor, external, day), "comment": comment},
                         expected_version, "competency")
            signer = external.name if external else actor.display_name
            audit.record(session, actor, "sign_off", "programme_competency", competency.id,
                         f"{signer} signed off '{competency.title}' for {_name(session.get(Staff, row.staff_id))}"
                         + (f" (recorded by {actor.display_name})" if external else ""),
                         {"signed_on": [None, day.isoformat()], "comment": comment}, subject_staff_id=row.staff_id)
            return self._view(session, actor, row, rel, today)

    def complete(self, actor: Actor, *, enrolment_id: int, expected_version: int, completed_on: date | None = None,
                 comment: str = "") -> EnrolmentView:
        """The named assessor signs off completion once every competency is signed off. The final
        sign-off milestone is that signature, so it is recorded as held on the same day."""
        today = self._today()
        comment = clean_text(comment, multiline=True)
        with self._db.write() as session:
            row = get_or_404(session, ProgrammeEnrolment, enrolment_id, "programme enrolment")
            rel = relationship(session, actor, row.staff_id, today)
            external = self._require_assessor(session, actor, rel, row)
            self._require_active(row)
            day = completed_on or today
            errors = self._sign_date_problems(day, row, today, "completed_on")
            open_items = session.execute(
                select(ProgrammeCompetency.title).where(ProgrammeCompetency.enrolment_id == row.id,
                                                        ProgrammeCompetency.signed_at.is_(None))
                .order_by(ProgrammeCompetency.position)
            ).scalars().all()
            if open_items:
                shown = "; ".join(open_items[:3]) + ("; …" if len(open_items) > 3 else "")
                errors["competencies"] = (f"{len(open_items)} competenc{'y is' if len(open_items) == 1 else 'ies are'} "
                                          f"not signed off yet ({shown}). Sign them off before completion.")
            pause = rules.pause_on(day, [rules.Pause(p.start_date, p.end_date or max(p.start_date, today), p.reason)
                                         for p in self._pauses(session, row.id)])
            if pause is not None:
                errors["completed_on"] = (f"The programme is paused on {_uk(day)} ({pause.reason}). "
                                          "Record the end of the pause first.")
            if len(comment) > MAX_NOTE:
                errors["comment"] = f"Keep the comment to {MAX_NOTE:,} characters or fewer."
            if errors:
                raise ValidationError(errors)
            apply_update(session, row, {**self._signature(actor, external, day), "status": COMPLETED,
                                        "completed_on": day, "completion_comment": comment},
                         expected_version, "programme enrolment")
            for milestone in session.execute(select(ProgrammeMilestone).where(
                    ProgrammeMilestone.enrolment_id == row.id, ProgrammeMilestone.held_on.is_(None),
                    ProgrammeMilestone.week >= row.length_weeks, ProgrammeMilestone.kind == "sign-off")).scalars():
                apply_update(session, milestone, {"held_on": day, "notes": "Held at completion sign-off",
                                                  "recorded_by_user_id": actor.user_id,
                                                  "recorded_by_name": actor.display_name, "recorded_at": utcnow()},
                             milestone.version, "milestone")
            signer = external.name if external else actor.display_name
            audit.record(session, actor, "complete", "programme_enrolment", row.id,
                         f"{signer} signed off completion of '{row.title}' for {_name(session.get(Staff, row.staff_id))}"
                         + (f" (recorded by {actor.display_name})" if external else ""),
                         {"status": [ACTIVE_ENROLMENT, COMPLETED], "completed_on": [None, day.isoformat()],
                          "comment": comment}, subject_staff_id=row.staff_id)
            return self._view(session, actor, row, rel, today)

    def log_time(self, actor: Actor, *, enrolment_id: int, taken_on: date | None, hours: float | str | None,
                 activity: str = "") -> EnrolmentView:
        """Protected learning time taken on one day, such as a taught day or study time."""
        today = self._today()
        activity = clean_text(activity)
        value = _parse_hours(hours)
        with self._db.write() as session:
            row = get_or_404(session, ProgrammeEnrolment, enrolment_id, "programme enrolment")
            rel = relationship(session, actor, row.staff_id, today)
            self._require_contributor(actor, rel, row)
            self._require_active(row)
            errors = {}
            if taken_on is None:
                errors["taken_on"] = "Enter the date the time was taken."
            elif taken_on > today:
                errors["taken_on"] = f"The date ({_uk(taken_on)}) is in the future; log time once it has been taken."
            elif taken_on < row.start_date:
                errors["taken_on"] = f"The date cannot be before the programme started ({_uk(row.start_date)})."
            if value is None or not 0 < value <= MAX_HOURS_PER_ENTRY:
                errors["hours"] = (f"Enter the hours taken that day: more than 0 and at most {MAX_HOURS_PER_ENTRY:g} "
                                   "(for example 7.5 for a full day, 3.75 for half a day).")
            if not activity:
                errors["activity"] = "Say what the time was used for, such as 'taught day' or 'portfolio'."
            elif len(activity) > 500:
                errors["activity"] = f"Keep the activity to 500 characters or fewer (it has {len(activity)})."
            if errors:
                raise ValidationError(errors)
            value = round(value, 2)
            entry = ProgrammeTime(enrolment_id=row.id, taken_on=taken_on, hours=value, activity=activity,
                                  logged_by_user_id=actor.user_id, logged_by_name=actor.display_name)
            session.add(entry)
            session.flush()
            audit.record(session, actor, "log_time", "programme_time", entry.id,
                         f"Logged {value:g} h protected time on {_uk(taken_on)} for "
                         f"{_name(session.get(Staff, row.staff_id))}: {activity}",
                         {"taken_on": [None, taken_on.isoformat()], "hours": [None, value], "activity": [None, activity]},
                         subject_staff_id=row.staff_id)
            return self._view(session, actor, row, rel, today)

    def remove_time(self, actor: Actor, *, entry_id: int) -> EnrolmentView:
        today = self._today()
        with self._db.write() as session:
            entry = get_or_404(session, ProgrammeTime, entry_id, "time entry")
            row = get_or_404(session, ProgrammeEnrolment, entry.enrolment_id, "programme enrolment")
            rel = relationship(session, actor, row.staff_id, today)
            self._require_contributor(actor, rel, row)
            self._require_active(row)
            if entry.removed_at is None:
                entry.removed_at = utcnow()
                entry.removed_by_name = actor.display_name
                audit.record(session, actor, "remove_time", "programme_time", entry.id,
                             f"Removed {entry.hours:g} h logged on {_uk(entry.taken_on)} for "
                             f"{_name(session.get(Staff, row.staff_id))}", {"hours": [entry.hours, None]},
                             subject_staff_id=row.staff_id)
            return self._view(session, actor, row, rel, today)

    # --- evidence -----------------------------------------------------------------------
    def attach_evidence(self, actor: Actor, *, competency_id: int, path: Path | str) -> EnrolmentView:
        today = self._today()
        source = Path(path)
        with self._db.read() as session:
            competency = get_or_404(session, ProgrammeCompetency, competency_id, "competency")
            row = get_or_404(session, ProgrammeEnrolment, competency.enrolment_id, "programme enrolment")
            self._require_contributor(actor, relationship(session, actor, row.staff_id, today), row)
        root = self._evidence_root()
        stored = evidence.store_file(source, root)  # checks size and contents before anything is written
        try:
            with self._db.write() as session:
                competency = get_or_404(session, ProgrammeCompetency, competency_id, "competency")
                row = get_or_404(session, ProgrammeEnrolment, competency.enrolment_id, "programme enrolment")
                rel = relationship(session, actor, row.staff_id, today)
                self._require_contributor(actor, rel, row)
                self._require_active(row)
                if competency.signed_at is not None:
                    raise ValidationError.single("file", "This competency is already signed off; its evidence is settled.")
                item = ProgrammeEvidence(
                    competency_id=competency.id, enrolment_id=row.id, sha256=stored.sha256,
                    stored_name=stored.stored_name, original_name=stored.original_name,
                    media_type=stored.kind.media_type, size=stored.size, added_by_user_id=actor.user_id,
                    added_by_name=actor.display_name)
                session.add(item)
                session.flush()
                audit.record(session, actor, "attach", "programme_evidence", item.id,
                             f"Attached '{stored.original_name}' to '{competency.title}' for "
                             f"{_name(session.get(Staff, row.staff_id))}",
                             {"sha256": stored.sha256, "size": stored.size, "media_type": stored.kind.media_type},
                             subject_staff_id=row.staff_id)
                return self._view(session, actor, row, rel, today)
        except BaseException:
            if stored.created:
                evidence.discard(root, stored.stored_name)
            raise

    def evidence_file(self, actor: Actor, *, evidence_id: int) -> Path:
        today = self._today()
        with self._db.read() as session:
            item = get_or_404(session, ProgrammeEvidence, evidence_id, "evidence file")
            row = get_or_404(session, ProgrammeEnrolment, item.enrolment_id, "programme enrolment")
            self._require_view(actor, relationship(session, actor, row.staff_id, today), row)
            stored_name = item.stored_name
        return evidence.stored_path(self._evidence_root(), stored_name)

    def remove_evidence(self, actor: Actor, *, evidence_id: int) -> EnrolmentView:
        today = self._today()
        with self._db.write() as session:
            item = get_or_404(session, ProgrammeEvidence, evidence_id, "evidence file")
            competency = get_or_404(session, ProgrammeCompetency, item.competency_id, "competency")
            row = get_or_404(session, ProgrammeEnrolment, item.enrolment_id, "programme enrolment")
            rel = relationship(session, actor, row.staff_id, today)
            self._require_contributor(actor, rel, row)
            if competency.signed_at is not None:
                raise ValidationError.single("file", "This competency was signed off with this evidence, so the file stays.")
            if item.removed_at is None:
                item.removed_at = utcnow()
                item.removed_by_name = actor.display_name
                audit.record(session, actor, "remove", "programme_evidence", item.id,
                             f"Removed '{item.original_name}' from '{competency.title}'", subject_staff_id=row.staff_id)
            return self._view(session, actor, row, rel, today)

    # --- export -------------------------------------------------------------------------
    CSV_HEADER = (
        "Staff member", "Role", "Practice(s)", "Programme", "Started", "Expected end", "Status", "Progress %",
        "Time elapsed %", "Milestones held", "Milestones overdue", "Competencies signed off", "Protected hours logged",
        "Protected hours expected", "Why behind", "Preceptor or mentor", "Assessor",
    )

    def export_overview(self, actor: Actor, *, path: Path | str, enrolment_ids: Iterable[int] | None = None) -> int:
        """The overview (or the rows given, in that order) as CSV, recorded in the audit trail;
        returns the number of rows."""
        rows = self.overview(actor)
        if enrolment_ids is not None:
            by_id = {r.enrolment_id: r for r in rows}
            rows = [by_id[i] for i in enrolment_ids if i in by_id]
        data = [
            (r.display_name, r.role_title, r.practices, r.programme_title, _uk(r.start_date), _uk(r.expected_end),
             r.status.label, f"{r.progress:.0f}", f"{r.time_elapsed:.0f}", f"{r.milestones_held} of {r.milestones_total}",
             r.milestones_overdue, f"{r.competencies_signed} of {r.competencies_total}", f"{r.protected_logged:g}",
             f"{r.protected_expected:g}", "; ".join(r.behind), r.preceptor, r.assessor)
            for r in rows
        ]
        return save_audited(self._db, actor, path, record="programme_enrolment", what="people on programmes",
                            file_format="CSV", people=len({r.staff_id for r in rows}),
                            write=lambda partial: write_csv(partial, self.CSV_HEADER, data)).rows

    # ======================================================================= internals: permission
    @staticmethod
    def _named(actor: Actor, row: ProgrammeEnrolment) -> bool:
        return actor.staff_id is not None and actor.staff_id in (row.preceptor_staff_id, row.assessor_staff_id)

    def _require_view(self, actor: Actor, rel: Relationship, row: ProgrammeEnrolment) -> None:
        """Whoever may see the person's record, and the preceptor and assessor named on this enrolment."""
        if self._named(actor, row):
            return
        require(actor, Action.VIEW_STAFF, rel)

    def _require_milestone_recorder(self, actor: Actor, rel: Relationship, row: ProgrammeEnrolment) -> None:
        if self._named(actor, row) and not rel.is_self:
            return
        if rel.is_self:
            raise PermissionDenied("Your preceptor, assessor or line manager records your meetings and reviews.")
        if denial(actor.roles, Action.MANAGE_PROGRAMME, rel) is not None:
            raise PermissionDenied("Only the person's line manager, their preceptor or their assessor can record "
                                   "meetings and reviews as held.")

    def _require_contributor(self, actor: Actor, rel: Relationship, row: ProgrammeEnrolment) -> None:
        if rel.is_self or self._named(actor, row):
            return
        if denial(actor.roles, Action.MANAGE_PROGRAMME, rel) is not None:
            raise PermissionDenied("Only the learner, their line manager, their preceptor or their assessor can log "
                                   "protected time or add evidence.")

    def _require_assessor(self, session: Session, actor: Actor, rel: Relationship,
                          row: ProgrammeEnrolment) -> ExternalPerson | None:
        """Allow only the assessor named on this enrolment; returns the external assessor whose
        signature is being recorded, when it is one."""
        if row.assessor_external_id is not None:
            external = session.get(ExternalPerson, row.assessor_external_id)
            if rel.is_self:
                require(actor, Action.ASSESS_PROGRAMME, rel)  # the never-on-self message
            if not rel.manages:
                raise PermissionDenied(
                    f"{external.name if external else 'The assessor'} assesses this programme and signs on paper; "
                    "only the person's line manager can record that signature.")
            require(actor, Action.ASSESS_PROGRAMME, Relationship(assesses=True))
            return external
        named = actor.sole_user or (actor.staff_id is not None and actor.staff_id == row.assessor_staff_id)
        require(actor, Action.ASSESS_PROGRAMME, Relationship(is_self=rel.is_self, assesses=rel.assesses and named))
        return None

    @staticmethod
    def _require_active(row: ProgrammeEnrolment) -> None:
        if row.status == COMPLETED:
            raise ValidationError.single("enrolment", f"This programme was completed on {_uk(row.completed_on)}; "
                                                      "its record can no longer change.")
        if row.status == WITHDRAWN:
            raise ValidationError.single("enrolment", f"This person was withdrawn from the programme on "
                                                      f"{_uk(row.withdrawn_on)}; its record can no longer change.")

    @staticmethod
    def _signature(actor: Actor, external: ExternalPerson | None, day: date) -> dict:
        now = utcnow()
        if external is not None:
            return {"signed_by_user_id": None, "signed_by_external_id": external.id, "signed_by_name": external.name,
                    "recorded_by_user_id": actor.user_id, "signed_on": day, "signed_at": now}
        return {"signed_by_user_id": actor.user_id, "signed_by_external_id": None,
                "signed_by_name": actor.display_name, "recorded_by_user_id": actor.user_id, "signed_on": day,
                "signed_at": now}

    @staticmethod
    def _sign_date_problems(day: date, row: ProgrammeEnrolment, today: date, name: str) -> dict[str, str]:
        if day > today:
            return {name: f"The date ({_uk(day)}) is in the future; sign off on or after the day."}
        if day < row.start_date:
            return {name: f"The date cannot be before the programme started ({_uk(row.start_date)})."}
        return {}

    @staticmethod
    def _signers(session: Session, staff_id: int | None = None) -> set[int]:
        """Staff whose account can sign off as assessor (all of them, or only `staff_id` if they can)."""
        stmt = select(UserAccount.staff_id, UserAccount.roles).where(UserAccount.active, UserAccount.staff_id.is_not(None))
        if staff_id is not None:
            stmt = stmt.where(UserAccount.staff_id == staff_id)
        accounts = session.execute(stmt).all()
        return {staff_id for staff_id, roles in accounts if SIGNING_ROLES & set(roles or ())}

    # ======================================================================= internals: validation
    def _enrolment_values(self, session: Session, actor: Actor, data: EnrolmentInput, template, *,
                          enrolment_id: int | None, today: date, existing: ProgrammeEnrolment | None = None) -> dict:
        """Check every field of the form; collect all the problems so each is marked at once."""
        errors: dict[str, str] = {}
        person = session.get(Staff, data.staff_id) if data.staff_id is not None else None
        if person is None:
            errors["staff_id"] = "Choose the person to enrol."
        elif person.status == StaffStatus.LEFT and existing is None:
            errors["staff_id"] = f"{_name(person)} has left, so cannot be enrolled."
        if existing is not None:
            length_weeks = existing.length_weeks
            interim = max((m.week for m in session.execute(select(ProgrammeMilestone).where(
                ProgrammeMilestone.enrolment_id == existing.id)).scalars() if m.week < existing.length_weeks),
                default=0)
            default_hours = existing.protected_hours_per_week
        elif template is None:
            errors["programme_code"] = "Choose the programme."
            length_weeks, interim, default_hours = None, 0, 0.0
        else:
            length_weeks = template.length_weeks
            interim = max((m["week"] for m in template.milestones if m["week"] < template.length_weeks), default=0)
            default_hours = template.protected_hours_per_week
            if person is not None and session.execute(select(ProgrammeEnrolment.id).where(
                    ProgrammeEnrolment.staff_id == person.id, ProgrammeEnrolment.programme_code == template.code,
                    ProgrammeEnrolment.status == ACTIVE_ENROLMENT).limit(1)).first():
                errors["programme_code"] = (f"{_name(person)} is already on '{template.title}'. Open that enrolment "
                                            "instead, or withdraw it first.")
        start, end = data.start_date, data.planned_end
        errors.update(rules.check_dates(start, end, start_field="start_date", end_field="planned_end"))
        if start is not None:
            if start < today - timedelta(days=365 * MAX_PAST_START_YEARS):
                errors["start_date"] = f"The start date ({_uk(start)}) is more than {MAX_PAST_START_YEARS} years ago; check the year."
            elif start > today + timedelta(days=MAX_FUTURE_START_DAYS):
                errors["start_date"] = f"The start date ({_uk(start)}) is more than a year ahead; check the year."
        if start is not None and length_weeks is not None and "planned_end" not in errors:
            if end is None:
                end = start + timedelta(weeks=length_weeks)
            elif end == start:
                errors["planned_end"] = "The expected end must be after the start date."
            elif interim and end < start + timedelta(weeks=interim):
                errors["planned_end"] = (
                    f"The expected end ({_uk(end)}) is before the programme's week-{interim} milestone "
                    f"({_uk(start + timedelta(weeks=interim))}). Choose a later end, or use a programme planned for "
                    "a shorter time.")
            elif end > start + timedelta(weeks=max(length_weeks * 3, length_weeks + 104)):
                errors["planned_end"] = (f"The expected end ({_uk(end)}) is far beyond this {length_weeks}-week "
                                         "programme; check the year.")
        hours = default_hours if data.protected_hours_per_week in (None, "") else _parse_hours(data.protected_hours_per_week)
        if hours is None or not 0 <= hours <= STANDARD_FULL_TIME_HOURS:
            errors["protected_hours_per_week"] = (
                f"Enter the protected learning hours a week, from 0 to {STANDARD_FULL_TIME_HOURS:g} "
                "(7.5 is one day a week; leave blank for the programme's own figure).")
        for role, label in (("preceptor", "preceptor or mentor"), ("assessor", "assessor")):
            staff_id = getattr(data, f"{role}_staff_id")
            external_id = getattr(data, f"{role}_external_id")
            if (staff_id is None) == (external_id is None):
                errors[role] = f"Name the {label}: a colleague, or someone from outside the PCN."
            elif staff_id is not None:
                colleague = session.get(Staff, staff_id)
                if colleague is None:
                    errors[role] = f"The chosen {label} is not on the staff list."
                elif person is not None and staff_id == person.id:
                    errors[role] = (f"A person cannot be their own {label}." if role == "preceptor" else
                                    "A person cannot assess their own programme; name someone else.")
                elif colleague.status == StaffStatus.LEFT and (
                        existing is None or getattr(existing, f"{role}_staff_id") != staff_id):
                    errors[role] = f"{_name(colleague)} has left; name someone still in post."
            elif session.get(ExternalPerson, external_id) is None:
                errors[role] = f"The chosen {label} is not on the list of people outside the PCN."
        notes = clean_text(data.notes, multiline=True)
        if len(notes) > 4000:
            errors["notes"] = f"Keep the notes to 4,000 characters or fewer (they have {len(notes):,})."
        if existing is not None and start is not None and "start_date" not in errors:
            first = session.execute(select(func.min(ProgrammeMilestone.held_on)).where(
                ProgrammeMilestone.enrolment_id == existing.id)).scalar()
            logged = session.execute(select(func.min(ProgrammeTime.taken_on)).where(
                ProgrammeTime.enrolment_id == existing.id, ProgrammeTime.removed_at.is_(None))).scalar()
            paused = session.execute(select(func.min(ProgrammePause.start_date)).where(
                ProgrammePause.enrolment_id == existing.id)).scalar()
            earliest = min((d for d in (first, logged, paused) if d is not None), default=None)
            if earliest is not None and start > earliest:
                errors["start_date"] = (f"Something is already recorded on {_uk(earliest)}, before this start date; "
                                        "the start must be on or before it.")
        if errors:
            raise ValidationError(errors)
        return {
            "staff_id": person.id, "start_date": start, "planned_end": end,
            "protected_hours_per_week": round(hours, 2),
            "preceptor_staff_id": data.preceptor_staff_id, "preceptor_external_id": data.preceptor_external_id,
            "assessor_staff_id": data.assessor_staff_id, "assessor_external_id": data.assessor_external_id,
            "notes": notes,
        }

    def _pause_problems(self, start: date | None, end: date | None, reason: str, row: ProgrammeEnrolment,
                        existing: Sequence[ProgrammePause], today: date, *, pause_id: int | None) -> dict[str, str]:
        if start is None:
            return {"start": "Enter the first day of the pause."}
        others = [rules.Pause(p.start_date, p.end_date or max(p.start_date, today), p.reason) for p in existing]
        pause = rules.Pause(start, end if end is not None else max(start, today), reason)
        errors = rules.check_pause(pause, enrolment_start=row.start_date, others=others)
        if end is not None and end < start:
            errors["end"] = "A pause cannot end before it starts."
        if pause_id is None and any(p.end_date is None for p in existing) and "start" not in errors:
            errors["start"] = "A pause is still going on: record the day it ends before adding another."
        if pause.days > MAX_PAUSE_DAYS and "end" not in errors:
            errors["end"] = ("A pause can last at most two years; for a longer absence withdraw the person and "
                             "enrol them again on return.")
        if start > today + timedelta(days=366):
            errors["start"] = f"The pause starts more than a year ahead ({_uk(start)}); check the year."
        if len(reason) > 500:
            errors["reason"] = f"Keep the reason to 500 characters or fewer (it has {len(reason)})."
        return errors

    # ======================================================================= internals: reading
    @staticmethod
    def _pauses(session: Session, enrolment_id: int) -> list[ProgrammePause]:
        return list(session.execute(select(ProgrammePause).where(ProgrammePause.enrolment_id == enrolment_id)
                                    .order_by(ProgrammePause.start_date)).scalars())

    @staticmethod
    def _extensions(session: Session, enrolment_id: int) -> list[rules.Extension]:
        return [rules.Extension(x.weeks, x.days, x.reason) for x in session.execute(
            select(ProgrammeExtension).where(ProgrammeExtension.enrolment_id == enrolment_id)).scalars()]

    def _end_of(self, session: Session, row: ProgrammeEnrolment, today: date) -> date:
        session.flush()
        return _evaluate(self._facts_for(session, [row.id], [row])[row.id], today).end

    @staticmethod
    def _facts_for(session: Session, ids, enrolments: Sequence[ProgrammeEnrolment]) -> dict[int, _Facts]:
        """The facts for each enrolment; `ids` is a list or a subquery of enrolment ids."""
        facts = {e.id: _Facts(e.start_date, e.planned_end, e.length_weeks, e.protected_hours_per_week, e.status,
                              e.completed_on, e.withdrawn_on) for e in enrolments}
        for m in session.execute(select(ProgrammeMilestone).where(ProgrammeMilestone.enrolment_id.in_(ids))
                                 .order_by(ProgrammeMilestone.position)).scalars():
            if m.enrolment_id in facts:
                facts[m.enrolment_id].milestones.append(_Milestone(m.id, m.key, m.title, m.week, m.kind, m.held_on))
        c = ProgrammeCompetency
        for enrolment_id, total, signed in session.execute(
                select(c.enrolment_id, func.count(), func.sum(case((c.signed_at.is_not(None), 1), else_=0)))
                .where(c.enrolment_id.in_(ids)).group_by(c.enrolment_id)):
            if enrolment_id in facts:
                facts[enrolment_id].competencies_total, facts[enrolment_id].competencies_signed = total, signed or 0
        for enrolment_id, hours in session.execute(
                select(ProgrammeTime.enrolment_id, func.sum(ProgrammeTime.hours))
                .where(ProgrammeTime.enrolment_id.in_(ids), ProgrammeTime.removed_at.is_(None))
                .group_by(ProgrammeTime.enrolment_id)):
            if enrolment_id in facts:
                facts[enrolment_id].logged_hours = float(hours or 0)
        for p in session.execute(select(ProgrammePause).where(ProgrammePause.enrolment_id.in_(ids))
                                 .order_by(ProgrammePause.start_date)).scalars():
            if p.enrolment_id in facts:
                facts[p.enrolment_id].pauses.append((p.start_date, p.end_date, p.reason))
        for x in session.execute(select(ProgrammeExtension).where(ProgrammeExtension.enrolment_id.in_(ids))).scalars():
            if x.enrolment_id in facts:
                facts[x.enrolment_id].extensions.append(rules.Extension(x.weeks, x.days, x.reason))
        return facts

    @staticmethod
    def _person_label(session: Session, staff_id: int | None, external_id: int | None) -> tuple[str, str]:
        if staff_id is not None:
            person = session.get(Staff, staff_id)
            role = session.get(Role, person.role_code) if person else None
            left = " (has left)" if person and person.status == StaffStatus.LEFT else ""
            return _name(person), (role.title if role else "") + left
        if external_id is not None:
            external = session.get(ExternalPerson, external_id)
            if external is not None:
                return external.name, ", ".join(v for v in (external.job_title, external.organisation) if v)
        return "", ""

    def _view(self, session: Session, actor: Actor, row: ProgrammeEnrolment, rel: Relationship,
              today: date) -> EnrolmentView:
        """The whole page for one enrolment. Each child table is read once and the facts for the
        domain rules are built from those rows, since every change on the page returns this view."""
        session.flush()
        milestone_rows = session.execute(select(ProgrammeMilestone).where(ProgrammeMilestone.enrolment_id == row.id)
                                         .order_by(ProgrammeMilestone.position)).scalars().all()
        competency_rows = session.execute(select(ProgrammeCompetency).where(
            ProgrammeCompetency.enrolment_id == row.id).order_by(ProgrammeCompetency.position)).scalars().all()
        time_rows = session.execute(select(ProgrammeTime).where(
            ProgrammeTime.enrolment_id == row.id, ProgrammeTime.removed_at.is_(None))
            .order_by(ProgrammeTime.taken_on.desc(), ProgrammeTime.id.desc())).scalars().all()
        pause_rows = self._pauses(session, row.id)
        extension_rows = session.execute(select(ProgrammeExtension).where(ProgrammeExtension.enrolment_id == row.id)
                                         .order_by(ProgrammeExtension.id)).scalars().all()
        facts = _Facts(
            row.start_date, row.planned_end, row.length_weeks, row.protected_hours_per_week, row.status,
            row.completed_on, row.withdrawn_on,
            pauses=[(p.start_date, p.end_date, p.reason) for p in pause_rows],
            extensions=[rules.Extension(x.weeks, x.days, x.reason) for x in extension_rows],
            milestones=[_Milestone(m.id, m.key, m.title, m.week, m.kind, m.held_on) for m in milestone_rows],
            competencies_signed=sum(c.signed_at is not None for c in competency_rows),
            competencies_total=len(competency_rows), logged_hours=sum(t.hours for t in time_rows),
        )
        ev = _evaluate(facts, today)
        person = session.get(Staff, row.staff_id)
        role = session.get(Role, person.role_code)
        practices = session.execute(
            select(Organisation.name).join(StaffPractice, StaffPractice.organisation_id == Organisation.id)
            .where(StaffPractice.staff_id == row.staff_id).order_by(Organisation.name)).scalars().all()
        finished = row.status in (COMPLETED, WITHDRAWN)
        milestones = []
        for m in milestone_rows:
            status = ev.statuses[m.id]
            label = status.label
            if finished and m.held_on is None:
                label = "Not recorded"
            elif status is MilestoneStatus.HELD:
                label = f"Held {_uk(m.held_on)}"
            milestones.append(MilestoneRow(
                id=m.id, version=m.version, key=m.key, title=m.title, week=m.week, kind=m.kind,
                kind_label=MILESTONE_KINDS.get(m.kind, m.kind), due=ev.due[m.id], status=status, status_label=label,
                held_on=m.held_on, notes=m.notes, recorded_by=m.recorded_by_name))
        files: dict[int, list[EvidenceRow]] = {}
        for e in session.execute(select(ProgrammeEvidence).where(ProgrammeEvidence.enrolment_id == row.id,
                                                                 ProgrammeEvidence.removed_at.is_(None))
                                 .order_by(ProgrammeEvidence.added_at)).scalars():
            files.setdefault(e.competency_id, []).append(
                EvidenceRow(e.id, e.original_name, e.media_type, e.size, e.added_by_name, e.added_at))
        recorders = {c.recorded_by_user_id for c in competency_rows if c.signed_by_external_id} | (
            {row.recorded_by_user_id} if row.signed_by_external_id else set())
        users = dict(session.execute(select(UserAccount.id, UserAccount.display_name).where(
            UserAccount.id.in_([u for u in recorders if u is not None]))).all()) if recorders else {}
        competencies = tuple(
            CompetencyRow(
                id=c.id, version=c.version, domain_code=c.domain_code, domain_title=c.domain_title, key=c.key,
                title=c.title, description=c.description, evidence_expected=c.evidence_expected,
                signed=c.signed_at is not None, signed_by=c.signed_by_name, signed_on=c.signed_on,
                recorded_by=users.get(c.recorded_by_user_id, "") if c.signed_by_external_id else "",
                comment=c.comment, evidence=tuple(files.get(c.id, ())))
            for c in competency_rows)
        times = tuple(TimeRow(t.id, t.taken_on, t.hours, t.activity, t.logged_by_name, t.logged_at) for t in time_rows)
        pauses = tuple(
            PauseRow(p.id, p.version, p.start_date, p.end_date, p.reason, p.recorded_by_name,
                     rules.Pause(p.start_date, p.end_date or max(p.start_date, ev.as_of)).days)
            for p in pause_rows)
        extensions = tuple(ExtensionRow(x.id, x.weeks, x.days, x.reason, x.agreed_on, x.recorded_by_name)
                           for x in extension_rows)
        preceptor, preceptor_detail = self._person_label(session, row.preceptor_staff_id, row.preceptor_external_id)
        assessor, assessor_detail = self._person_label(session, row.assessor_staff_id, row.assessor_external_id)
        note = ""
        if row.assessor_staff_id is not None and not actor.sole_user and not finished \
                and row.assessor_staff_id not in self._signers(session, row.assessor_staff_id):
            note = (f"{assessor} has no ARRS Desk account with the supervisor or line manager role, so cannot sign "
                    "off yet. An administrator can add one under User accounts, or the line manager can name "
                    "them as an assessor from outside the PCN.")
        elif row.assessor_external_id is not None and not finished:
            note = (f"{assessor} is from outside the PCN and signs on paper; the line manager records each "
                    "signature here.")
        may_assess = False
        if not finished:
            try:
                self._require_assessor(session, actor, rel, row)
                may_assess = True
            except PermissionDenied:
                pass
        named = self._named(actor, row)
        manage = denial(actor.roles, Action.MANAGE_PROGRAMME, rel) is None
        logged = round(facts.logged_hours, 2)
        return EnrolmentView(
            id=row.id, version=row.version, staff_id=row.staff_id, display_name=_name(person),
            role_title=role.title if role else person.role_code, practices=", ".join(practices),
            programme_code=row.programme_code, programme_version=row.programme_version, title=row.title,
            description=row.description, length_weeks=row.length_weeks,
            protected_hours_per_week=row.protected_hours_per_week, start_date=row.start_date,
            planned_end=row.planned_end, expected_end=ev.end, status=ev.status,
            preceptor=preceptor, preceptor_detail=preceptor_detail, preceptor_staff_id=row.preceptor_staff_id,
            preceptor_external_id=row.preceptor_external_id, assessor=assessor, assessor_detail=assessor_detail,
            assessor_staff_id=row.assessor_staff_id, assessor_external_id=row.assessor_external_id,
            assessor_is_external=row.assessor_external_id is not None,
            assessor_note=note, completed_on=row.completed_on, completion_signed_by=row.signed_by_name,
            completion_recorded_by=users.get(row.recorded_by_user_id, "") if row.signed_by_external_id else "",
            completion_comment=row.completion_comment, withdrawn_on=row.withdrawn_on,
            withdrawn_reason=row.withdrawn_reason, notes=row.notes, progress=ev.progress, time_elapsed=ev.elapsed,
            competencies_signed=facts.competencies_signed, competencies_total=facts.competencies_total,
            milestones_held=ev.held, milestones_total=len(milestones), milestones_overdue=ev.overdue,
            protected_expected=round(ev.expected_hours, 2), protected_logged=logged,
            protected_shortfall=rules.protected_time_shortfall(ev.expected_hours, logged), behind=ev.reasons,
            milestones=tuple(milestones), competencies=competencies, time_entries=times, pauses=pauses,
            extensions=extensions, extension_days=sum(x.weeks * 7 + x.days for x in extensions), today=today,
            as_of=ev.as_of,
            can=Capabilities(
                manage=manage and not finished,
                record_milestones=not finished and not rel.is_self and (named or manage),
                assess=may_assess,
                contribute=not finished and (rel.is_self or named or manage),
            ),
        )


# --------------------------------------------------------------------------- demonstration data


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
