"""Supervision: arrangements, the session log, the matrix, deployment, supervisor load, calendar.

The rules (what is due when, what status a cell has) live in `arrs_desk.domain.supervision`;
this module gathers the facts for them in as few queries as possible and writes changes with
permission checks, validation and audit in one transaction.

The expected frequency per role is editable without touching the built-in file: an
administrator's change is stored as a `SupervisionRequirement` row for that (type, role) and
laid over the built-in catalogue (`with_overrides`); removing the row restores the built-in
rule. A newer built-in catalogue therefore still reaches every role the PCN has not changed.
"""

from __future__ import annotations

import hashlib
from typing import NamedTuple
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import func, or_, select
from sqlmodel import Session

from arrs_desk.domain import staff as staff_rules
from arrs_desk.domain.permissions import AccessRole, Action, Relationship, denial
from arrs_desk.domain.signatures import SignedOnBehalf
from arrs_desk.domain.staff import EMPLOYMENT_MODEL_LABELS, OrganisationKind, StaffStatus
from arrs_desk.domain.supervision import (
    STATUS_SEVERITY,
    ArrangementCompliance,
    ComplianceStatus,
    Frequency,
    RoleRequirement,
    SessionFormat,
    SupervisionCatalogue,
    arrangement_status,
    best_arrangement,
    builtin_supervision_catalogue,
    cell_status,
    expected_frequency,
    is_required,
    months_in_post,
    schedule_problem,
    status_label,
    supervisor_hours,
    with_overrides,
)
from arrs_desk.errors import NotFound, PermissionDenied, ValidationError
from arrs_desk.services import audit, evidence
from arrs_desk.services._common import apply_update, clean_text, get_or_404, require
from arrs_desk.services.actor import Actor
from arrs_desk.services.external_people import (
    ExternalSignatureInput, on_behalf, received_text, recorder_names, signature_audit, signature_values,
)
from arrs_desk.services.relationships import managed_ids, relationship, supervisee_ids, visible_staff_ids
from arrs_desk.services.staff import Choice
from arrs_desk.store.database import Database
from arrs_desk.store.models import (
    ExternalPerson, Organisation, Role, Setting, Staff, StaffPractice, SupervisionArrangement,
    SupervisionAttendance, SupervisionRequirement, SupervisionSession, utcnow,
)

DUE_SOON_KEY = "supervision.due_soon_days"
DEFAULT_DUE_SOON_DAYS = 7
MAX_DUE_SOON_DAYS = 60

PRIVATE = "(private)"
"""What the audit trail holds instead of reflective notes, which only the people close to the
supervisee may read; administrators read the audit trail."""

FOLLOW_ROLE = ""
"""An arrangement frequency meaning "as expected for the person's role and time in post"."""


# --------------------------------------------------------------------------- inputs


@dataclass
class ExternalSupervisorInput:
    """A supervisor from outside the PCN, recorded with the arrangement that names them."""

    name: str = ""
    organisation: str = ""
    profession: str = ""
    email: str = ""
    phone: str = ""


@dataclass
class ArrangementInput:
    staff_id: int | None = None
    type_code: str = ""
    supervisor_staff_id: int | None = None
    supervisor_external_id: int | None = None
    new_external: ExternalSupervisorInput | None = None
    frequency_code: str = FOLLOW_ROLE
    start_date: date | None = None
    end_date: date | None = None
    notes: str = ""
    agreement_path: str | None = None
    """A signed agreement to attach (replacing any earlier one); None leaves it as it is."""


@dataclass
class SessionInput:
    type_code: str = ""
    held_on: date | None = None
    attendee_ids: list[int] = field(default_factory=list)
    supervisor_staff_id: int | None = None
    supervisor_external_id: int | None = None
    duration_minutes: int | None = 60
    format: str = SessionFormat.ONE_TO_ONE.value
    topics: str = ""
    actions_agreed: str = ""
    reflective_notes: str | None = None
    """The supervisee's own notes; only they may write them. None leaves them unchanged."""


# --------------------------------------------------------------------------- read shapes


@dataclass(frozen=True, slots=True)
class TypeColumn:
    code: str
    title: str
    description: str


@dataclass(frozen=True, slots=True)
class MatrixCell:
    type_code: str
    status: ComplianceStatus
    status_label: str
    severity: int
    required: bool
    supervisors: str
    next_due: date | None
    last_session: date | None
    days_overdue: int
    frequency_label: str
    live_arrangements: int

    @property
    def needs_action(self) -> bool:
        return self.severity >= STATUS_SEVERITY[ComplianceStatus.OVERDUE]


@dataclass(frozen=True, slots=True)
class MatrixRow:
    staff_id: int
    display_name: str
    sort_key: str
    role_code: str
    role_title: str
    arrs: bool
    practice_ids: tuple[int, ...]
    practices: str
    staff_status: str
    cells: tuple[MatrixCell, ...]
    worst: int

    def statuses(self) -> set[str]:
        return {cell.status.value for cell in self.cells}


@dataclass(frozen=True)
class SupervisionMatrix:
    today: date
    due_soon_days: int
    types: tuple[TypeColumn, ...]
    rows: tuple[MatrixRow, ...]
    statuses: tuple[tuple[str, str], ...]
    """(value, label) for every status a cell can show, most urgent first: the filter's choices."""


@dataclass(frozen=True, slots=True)
class ArrangementRow:
    id: int | None  # None: the line manager on the staff record (changed there, not here)
    version: int
    staff_id: int
    type_code: str
    type_title: str
    supervisor_staff_id: int | None
    supervisor_external_id: int | None
    supervisor_name: str
    supervisor_detail: str
    frequency_code: str
    frequency_label: str
    start_date: date
    end_date: date | None
    notes: str
    agreement_filename: str
    agreement_size: int | None
    status: ComplianceStatus
    status_label: str
    last_session: date | None
    next_due: date | None
    days_overdue: int

    @property
    def live(self) -> bool:
        return self.status is not ComplianceStatus.ENDED

    @property
    def from_staff_record(self) -> bool:
        return self.id is None


@dataclass(frozen=True, slots=True)
class SessionRow:
    id: int
    version: int
    type_code: str
    type_title: str
    held_on: date
    supervisor_staff_id: int | None
    supervisor_external_id: int | None
    supervisor_name: str
    duration_minutes: int | None
    format: str
    format_label: str
    topics: str
    actions_agreed: str
    attendee_ids: tuple[int, ...]
    attendees: tuple[str, ...]
    logged_by_name: str
    supervisor_confirmed_by: str
    supervisor_confirmed_at: datetime | None
    supervisor_confirmed_on: date | None
    """The date the supervisor signed: the day they confirmed in the app, or the date on their paper
    or e-mail confirmation."""
    supervisor_on_behalf: SignedOnBehalf | None
    """Set when the confirmation was recorded on the external supervisor's behalf."""
    attendee_confirmed_by: str
    attendee_confirmed_at: datetime | None
    reflective_notes: str | None
    """None when the actor may not read them (see `has_reflection`)."""
    has_reflection: bool
    attendance_version: int
    can_confirm: bool
    can_record_confirmation: bool
    """The session was led by an external supervisor, is not confirmed yet, and the actor may
    record the supervisor's confirmation from paper or an e-mail."""
    can_edit: bool
    can_write_reflection: bool


@dataclass(frozen=True, slots=True)
class Capabilities:
    arrange: bool
    record: bool
    read_reflections: bool
    write_reflections: bool


@dataclass(frozen=True)
class PersonSupervision:
    staff_id: int
    display_name: str
    role_code: str
    role_title: str
    practices: str
    start_date: date
    staff_status: str
    months_in_post: int
    line_manager: str
    today: date
    types: tuple[TypeColumn, ...]
    cells: tuple[MatrixCell, ...]
    arrangements: tuple[ArrangementRow, ...]
    sessions: tuple[SessionRow, ...]
    can: Capabilities


@dataclass(frozen=True)
class SupervisionChoices:
    """Everything the arrangement and session dialogs' drop-downs need, read in one go."""

    types: tuple[Choice, ...]
    """value: type code; label: title; hint: what is expected for this person now."""
    frequencies: tuple[Choice, ...]
    expected: dict[str, str]
    """type code -> label of the frequency expected for this person now ('' if none)."""
    colleagues: tuple[Choice, ...]
    externals: tuple[Choice, ...]
    formats: tuple[Choice, ...]
    attendees: tuple[Choice, ...]
    """People the actor may record a session for (the person first), for group sessions."""


@dataclass(frozen=True, slots=True)
class DeployedSupervision:
    type_code: str
    type_title: str
    supervisor: str
    status_label: str
    status: ComplianceStatus


@dataclass(frozen=True, slots=True)
class DeployedPerson:
    staff_id: int
    display_name: str
    role_title: str
    employment: str
    line_manager: str
    other_practices: str
    clinical: tuple[DeployedSupervision, ...]
    other: tuple[DeployedSupervision, ...]
    worst_label: str
    worst: int
    not_arranged: tuple[str, ...]
    """Type codes this person needs but nobody supervises them for."""


@dataclass(frozen=True, slots=True)
class PracticeDeployment:
    practice_id: int
    name: str
    ods_code: str
    people: tuple[DeployedPerson, ...]

    @property
    def without_clinical_supervisor(self) -> int:
        """People who need clinical supervision and have nobody named for it."""
        return sum(1 for p in self.people if "clinical" in p.not_arranged)


@dataclass(frozen=True)
class DeploymentReport:
    pcn_name: str
    generated_on: date
    practices: tuple[PracticeDeployment, ...]


@dataclass(frozen=True, slots=True)
class LoadRow:
    supervisor: str
    detail: str
    external: bool
    sessions: int
    people: int
    hours: float


@dataclass(frozen=True)
class SupervisorLoad:
    start: date
    end: date
    rows: tuple[LoadRow, ...]

    @property
    def total_hours(self) -> float:
        return round(sum(r.hours for r in self.rows), 2)


@dataclass(frozen=True, slots=True)
class RequirementRow:
    type_code: str
    type_title: str
    role_code: str
    role_title: str
    has_rule: bool
    required: bool
    steps: tuple[tuple[int, str], ...]
    until_month: int | None
    note: str
    summary: str
    edited: bool
    version: int | None


@dataclass(frozen=True, slots=True)
class DueSoonSetting:
    days: int
    version: int | None


LINE_MANAGEMENT = "line-management"
"""The supervision type whose supervisor is the line manager on the staff record."""

# --------------------------------------------------------------------------- internals


class _LineManagerArrangement(NamedTuple):
    """The line manager on the staff record, standing as the person's line-management arrangement.

    Who manages whom has one source of truth, the staff record (issue 15): when no line-management
    arrangement names anyone, the recorded line manager holds the reviews, so the supervision page
    no longer says "No supervisor named" for someone whose manager is recorded. It has no id: it
    is changed by changing the line manager on the staff record.
    """

    staff_id: int
    supervisor_staff_id: int
    start_date: date
    end_date: date | None
    id: None = None
    version: int = 0
    type_code: str = LINE_MANAGEMENT
    supervisor_external_id: None = None
    frequency_code: str = ""
    notes: str = "The line manager on the staff record."
    agreement_sha256: str = ""
    agreement_filename: str = ""
    agreement_size: None = None


def _add_line_manager_arrangement(arrangements: dict[int, list], person: "_Person", today: date) -> None:
    if person.line_manager_id is None:
        return
    own = [a for a in arrangements.get(person.id, ()) if a.type_code == LINE_MANAGEMENT
           and (a.end_date is None or a.end_date >= today)]
    if not own:
        arrangements.setdefault(person.id, []).append(
            _LineManagerArrangement(person.id, person.line_manager_id, person.start_date, person.end_date))


@dataclass(slots=True)
class _Person:
    id: int
    name: str
    role_code: str
    start_date: date
    end_date: date | None
    status: str
    line_manager_id: int | None

    def active_on(self, day: date) -> bool:
        return self.status != StaffStatus.LEFT and (self.end_date is None or self.end_date >= day)


@dataclass(slots=True)
class _Facts:
    """What one read gathers for the compliance rules: people, arrangements, latest sessions."""

    catalogue: SupervisionCatalogue
    due_soon: int
    people: dict[int, _Person]
    externals: dict[int, ExternalPerson]
    arrangements: dict[int, list]
    """staff id -> arrangement rows (id, version, staff_id, type_code, supervisor ids, dates, ...)."""
    latest: dict[tuple[int, str], date]
    rules: dict[tuple[str, str], RoleRequirement | None] = field(default_factory=dict)
    """(type, role) -> the catalogue's rule, looked up once per read: a thousand people share a
    few dozen roles."""

    def rule(self, type_code: str, role_code: str, months: int) -> tuple[bool, Frequency | None]:
        """(required, expected frequency) now; the same answers as `is_required` and
        `expected_frequency`, with the rule lookup shared across people."""
        key = (type_code, role_code)
        if key in self.rules:
            found = self.rules[key]
        else:
            found = self.rules[key] = self.catalogue.requirement(type_code, role_code)
        if found is None:
            return False, None
        frequency = found.frequency_at(months)
        return found.required and frequency is not None, frequency


_ARRANGEMENT_FIELDS = (
    "staff_id", "type_code", "supervisor_staff_id", "supervisor_external_id", "frequency_code",
    "start_date", "end_date", "notes",
)
_SESSION_FIELDS = (
    "type_code", "held_on", "supervisor_staff_id", "supervisor_external_id", "supervisor_name",
    "duration_minutes", "format", "topics", "actions_agreed",
)


def latest_sessions_query(today: date):
    """The date of each person's latest session of each type, aggregated in the database.

    Grouped on the leading columns of `ix_supervision_attendance_latest`, so SQLite and
    PostgreSQL answer it from the index without reading a single session row.
    """
    return (
        select(SupervisionAttendance.staff_id, SupervisionAttendance.type_code, func.max(SupervisionAttendance.held_on))
        .where(SupervisionAttendance.held_on <= today)
        .group_by(SupervisionAttendance.staff_id, SupervisionAttendance.type_code)
    )


def _uk(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _frequency_text(frequency: Frequency | None) -> str:
    return frequency.label if frequency else ""


class SupervisionService:
    def __init__(self, db: Database, today: Callable[[], date]):
        self._db = db
        self._today = today

    # ======================================================================= reading
    def matrix(self, actor: Actor) -> SupervisionMatrix:
        """Every current member of staff the actor may see, by supervision type."""
        today = self._today()
        with self._db.read() as session:
            visible = visible_staff_ids(session, actor, today)
            facts = self._facts(session, today, visible)
            roles = {code: (title, arrs) for code, title, arrs in session.execute(select(Role.code, Role.title, Role.arrs))}
            org_names = dict(session.execute(select(Organisation.id, Organisation.name)).all())
            practices: dict[int, list[int]] = {}
            for staff_id, org_id in session.execute(select(StaffPractice.staff_id, StaffPractice.organisation_id)):
                practices.setdefault(staff_id, []).append(org_id)
        types = self._types(facts.catalogue)
        rows = []
        for person in facts.people.values():
            if visible is not None and person.id not in visible:
                continue
            if person.status == StaffStatus.LEFT:
                continue
            cells = self._cells(facts, person, types, today)
            role_title, arrs = roles.get(person.role_code, (person.role_code, False))
            practice_ids = tuple(sorted(practices.get(person.id, ()), key=lambda i: org_names.get(i, "")))
            rows.append(MatrixRow(
                staff_id=person.id, display_name=person.name, sort_key=staff_rules.search_key(person.name),
                role_code=person.role_code, role_title=role_title, arrs=arrs, practice_ids=practice_ids,
                practices=", ".join(org_names.get(i, "") for i in practice_ids), staff_status=person.status,
                cells=cells, worst=max((c.severity for c in cells), default=0),
            ))
        rows.sort(key=lambda r: r.sort_key)
        statuses = tuple(
            (s.value, status_label(s))
            for s in sorted(ComplianceStatus, key=lambda s: -STATUS_SEVERITY[s])
        )
        return SupervisionMatrix(today, facts.due_soon, types, tuple(rows), statuses)

    def person(self, actor: Actor, *, staff_id: int) -> PersonSupervision:
        """One person's arrangements and session log, with reflective notes only for those allowed."""
        today = self._today()
        with self._db.read() as session:
            rel = relationship(session, actor, staff_id, today)
            require(actor, Action.VIEW_STAFF, rel)
            staff = get_or_404(session, Staff, staff_id, "staff member")
            facts = self._facts(session, today, {staff_id})
            person = facts.people[staff_id]
            role = session.get(Role, staff.role_code)
            practice_names = session.execute(
                select(Organisation.name).join(StaffPractice, StaffPractice.organisation_id == Organisation.id)
                .where(StaffPractice.staff_id == staff_id).order_by(Organisation.name)
            ).scalars().all()
            manager = facts.people.get(staff.line_manager_id) if staff.line_manager_id else None
            if staff.line_manager_id and manager is None:
                manager_row = session.get(Staff, staff.line_manager_id)
                manager_name = staff_rules.display_name(manager_row.given_name, manager_row.family_name,
                                                        manager_row.preferred_name) if manager_row else ""
            else:
                manager_name = manager.name if manager else ""
            sessions = self._sessions_for(session, actor, staff_id, rel, today)
        types = self._types(facts.catalogue)
        can = Capabilities(
            arrange=denial(actor.roles, Action.ARRANGE_SUPERVISION, rel) is None,
            record=denial(actor.roles, Action.RECORD_SUPERVISION, rel) is None,
            read_reflections=denial(actor.roles, Action.READ_REFLECTIONS, rel) is None,
            write_reflections=denial(actor.roles, Action.WRITE_REFLECTIONS, rel) is None,
        )
        arrangements = self._arrangement_rows(facts, person, types, today)
        return PersonSupervision(
            staff_id=staff_id, display_name=person.name, role_code=staff.role_code,
            role_title=role.title if role else staff.role_code, practices=", ".join(practice_names),
            start_date=staff.start_date, staff_status=staff.status,
            months_in_post=months_in_post(staff.start_date, today), line_manager=manager_name, today=today,
            types=types, cells=self._cells(facts, person, types, today), arrangements=arrangements,
            sessions=tuple(sessions), can=can,
        )

    def form_choices(self, actor: Actor, *, staff_id: int) -> SupervisionChoices:
        today = self._today()
        with self._db.read() as session:
            require(actor, Action.VIEW_STAFF, relationship(session, actor, staff_id, today))
            staff = get_or_404(session, Staff, staff_id, "staff member")
            catalogue = self._catalogue(session)
            role_titles = dict(session.execute(select(Role.code, Role.title)).all())
            people = session.execute(
                select(Staff.id, Staff.given_name, Staff.family_name, Staff.preferred_name, Staff.role_code)
                .where(Staff.status != StaffStatus.LEFT.value)
            ).all()
            externals = session.execute(
                select(ExternalPerson).where(ExternalPerson.active).order_by(ExternalPerson.name)
            ).scalars().all()
            recordable = self._recordable(session, actor, people, today)
        months = months_in_post(staff.start_date, today)
        expected: dict[str, str] = {}
        type_choices = []
        for code in catalogue.type_codes:
            stype = catalogue.type(code)
            frequency = expected_frequency(catalogue, code, staff.role_code, months)
            expected[code] = _frequency_text(frequency)
            needed = is_required(catalogue, code, staff.role_code, months)
            hint = (f"{'Required' if needed else 'Optional'}: {frequency.label.lower()}" if frequency
                    else "Not expected at present")
            type_choices.append(Choice(code, stype.title, hint))

        def person_choice(p) -> Choice:
            return Choice(p[0], staff_rules.display_name(p[1], p[2], p[3]), role_titles.get(p[4], p[4]))

        colleagues = sorted((person_choice(p) for p in people if p[0] != staff_id),
                            key=lambda c: staff_rules.search_key(c.label))
        attendees = sorted((person_choice(p) for p in recordable if p[0] != staff_id),
                           key=lambda c: staff_rules.search_key(c.label))
        me = next((person_choice(p) for p in people if p[0] == staff_id), None)
        return SupervisionChoices(
            types=tuple(type_choices),
            frequencies=tuple(Choice(f.code, f.label) for f in (catalogue.frequency(d.code) for d in catalogue.frequencies)),
            expected=expected,
            colleagues=tuple(colleagues),
            externals=tuple(Choice(e.id, e.name, ", ".join(x for x in (e.job_title, e.organisation) if x))
                            for e in externals),
            formats=tuple(Choice(f.value, f.label) for f in SessionFormat),
            attendees=((me,) if me else ()) + tuple(attendees),
        )

    @staticmethod
    def _recordable(session: Session, actor: Actor, people: list, today: date) -> list:
        """The people this actor may log sessions for, from two set queries rather than one
        relationship lookup per person (an administrator's list has everyone in it)."""
        if actor.staff_id is None:
            return []
        managed = managed_ids(session, actor.staff_id) if AccessRole.LINE_MANAGER in actor.roles else set()
        supervised = supervisee_ids(session, actor.staff_id, today) if AccessRole.SUPERVISOR in actor.roles else set()
        return [p for p in people if denial(actor.roles, Action.RECORD_SUPERVISION, Relationship(
            is_self=p[0] == actor.staff_id, manages=p[0] in managed, supervises=p[0] in supervised)) is None]

    def due_soon_setting(self, actor: Actor) -> DueSoonSetting:
        with self._db.read() as session:
            row = session.get(Setting, DUE_SOON_KEY)
            return DueSoonSetting(self._due_soon(session), row.version if row else None)

    def agreement_file(self, actor: Actor, *, arrangement_id: int) -> Path:
        """The stored signed agreement, checked against its recorded SHA-256 before it is opened."""
        today = self._today()
        with self._db.read() as session:
            row = get_or_404(session, SupervisionArrangement, arrangement_id, "supervision arrangement")
            require(actor, Action.VIEW_STAFF, relationship(session, actor, row.staff_id, today))
            sha, filename, media_type = row.agreement_sha256, row.agreement_filename, row.agreement_media_type
        if not sha:
            raise NotFound("No signed agreement is attached to this arrangement.")
        from arrs_desk.paths import evidence_dir

        extension = next((k.extension for k in evidence.KINDS if k.media_type == media_type), "")
        path = evidence.stored_path(evidence_dir(), sha + extension)
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
        if digest.hexdigest() != sha:
            raise NotFound(
                f"The stored copy of {filename} has changed since it was attached, so it is not opened. "
                "Attach the signed agreement again."
            )
        return path

    # ======================================================================= writing: arrangements
    def create_arrangement(self, actor: Actor, *, data: ArrangementInput) -> ArrangementRow:
        agreement = self._checked_agreement(data.agreement_path)
        try:
            return self._create_arrangement(actor, data, agreement)
        except BaseException:
            _discard(agreement)
            raise

    def create_arrangements(self, actor: Actor, *, items: Iterable[ArrangementInput]) -> list[int]:
        """Several arrangements all-or-nothing, when a PCN sets up its supervision from a list.
        Signed agreements are attached afterwards, one arrangement at a time."""
        today = self._today()
        items = list(items)
        with self._db.write() as session, session.no_autoflush:
            catalogue = self._catalogue(session)
            _held = _load_staff(session, {d.staff_id for d in items if d.staff_id is not None}
                                | {d.supervisor_staff_id for d in items if d.supervisor_staff_id is not None})
            prepared = [self._prepare_arrangement(session, actor, replace(data, agreement_path=None), None, today,
                                                  catalogue=catalogue) for data in items]
            session.flush()  # one multi-row INSERT for the lot
            for row, values in prepared:
                self._audit_arrangement(session, actor, row, values)
            return [row.id for row, _values in prepared]

    def _create_arrangement(self, actor: Actor, data: ArrangementInput, agreement) -> ArrangementRow:
        today = self._today()
        with self._db.write() as session:
            row, values = self._prepare_arrangement(session, actor, data, agreement, today)
            session.flush()
            self._audit_arrangement(session, actor, row, values)
            return self._one_arrangement(session, row, today)

    def _prepare_arrangement(self, session: Session, actor: Actor, data: ArrangementInput, agreement, today: date,
                             *, catalogue: SupervisionCatalogue | None = None) -> tuple[SupervisionArrangement, dict]:
        """Check permission and every field, then add the row (and any new external supervisor)."""
        require(actor, Action.ARRANGE_SUPERVISION, relationship(session, actor, data.staff_id, today))
        values, external = self._arrangement_values(session, data, arrangement_id=None, agreement=agreement,
                                                    catalogue=catalogue)
        if external is not None:
            session.add(external)
            session.flush()
            values["supervisor_external_id"] = external.id
            audit.record(session, actor, "create", "external_person", external.id,
                         f"Recorded external supervisor {external.name} ({external.organisation})",
                         audit.diff({}, {k: getattr(external, k) for k in ("name", "job_title", "organisation", "email", "phone")}))
        row = SupervisionArrangement(**values, created_by_user_id=actor.user_id, created_by_name=actor.display_name)
        if isinstance(agreement, evidence.StoredFile):
            row.sqlmodel_update(self._agreement_values(actor, agreement))
        session.add(row)
        return row, values

    def _audit_arrangement(self, session: Session, actor: Actor, row: SupervisionArrangement, values: dict) -> None:
        stype = builtin_supervision_catalogue().type(row.type_code)
        audit.record(session, actor, "create", "supervision_arrangement", row.id,
                     f"Arranged {stype.title.lower()} for {self._name(session, row.staff_id)} "
                     f"with {self._supervisor_name(session, row)}",
                     audit.diff({}, {**values, **({"agreement": row.agreement_filename} if row.agreement_sha256 else {})}),
                     subject_staff_id=row.staff_id)

    def update_arrangement(
        self, actor: Actor, *, arrangement_id: int, data: ArrangementInput, expected_version: int
    ) -> ArrangementRow:
        agreement = self._checked_agreement(data.agreement_path)
        try:
            return self._update_arrangement(actor, arrangement_id, data, expected_version, agreement)
        except BaseException:
            _discard(agreement)
            raise

    def _update_arrangement(self, actor: Actor, arrangement_id: int, data: ArrangementInput, expected_version: int,
                            agreement) -> ArrangementRow:
        today = self._today()
        with self._db.write() as session:
            row = get_or_404(session, SupervisionArrangement, arrangement_id, "supervision arrangement")
            require(actor, Action.ARRANGE_SUPERVISION, relationship(session, actor, row.staff_id, today))
            data = replace(data, staff_id=row.staff_id)
            before = {name: getattr(row, name) for name in _ARRANGEMENT_FIELDS}
            before["agreement"] = row.agreement_filename
            values, external = self._arrangement_values(session, data, arrangement_id=row.id, agreement=agreement)
            if external is not None:
                session.add(external)
                session.flush()
                values["supervisor_external_id"] = external.id
            if isinstance(agreement, evidence.StoredFile):
                values.update(self._agreement_values(actor, agreement))
            apply_update(session, row, values, expected_version, "supervision arrangement")
            changes = audit.diff(before, {**{k: values[k] for k in _ARRANGEMENT_FIELDS}, "agreement": row.agreement_filename})
            if changes:
                audit.record(session, actor, "update", "supervision_arrangement", row.id,
                             f"Updated supervision arrangement for {self._name(session, row.staff_id)}: "
                             + ", ".join(changes), changes, subject_staff_id=row.staff_id)
            return self._one_arrangement(session, row, today)

    # ======================================================================= writing: sessions
    def record_session(self, actor: Actor, *, data: SessionInput) -> SessionRow:
        """One session, with every attendee (a group session is one session with several)."""
        session_id = self.record_sessions(actor, items=[data])[0]
        today = self._today()
        with self._db.read() as session:
            return self._one_session(session, actor, session_id, data.attendee_ids[0], today)

    def record_sessions(self, actor: Actor, *, items: Iterable[SessionInput]) -> list[int]:
        """Several sessions all-or-nothing (a backlog typed up from paper); returns their ids."""
        today = self._today()
        items = list(items)
        with self._db.write() as session, session.no_autoflush:
            catalogue = self._catalogue(session)
            _held = _load_staff(session, {i for d in items for i in d.attendee_ids}
                         | {d.supervisor_staff_id for d in items if d.supervisor_staff_id is not None})
            rels: dict[int, Relationship] = {}
            prepared = []
            for data in items:
                for staff_id in dict.fromkeys(data.attendee_ids):
                    if staff_id not in rels:
                        rels[staff_id] = relationship(session, actor, staff_id, today)
                self._require_record(session, actor, data.attendee_ids, rels)
                values, notes = self._session_values(session, catalogue, actor, data, rels, today, session_id=None)
                row = SupervisionSession(**values, logged_by_user_id=actor.user_id, logged_by_name=actor.display_name)
                session.add(row)
                prepared.append((row, values, notes, list(dict.fromkeys(data.attendee_ids))))
            session.flush()  # one multi-row INSERT gives every session its id
            for row, values, notes, attendee_ids in prepared:
                for staff_id in attendee_ids:
                    session.add(SupervisionAttendance(
                        session_id=row.id, staff_id=staff_id, type_code=row.type_code, held_on=row.held_on,
                        reflective_notes=notes if len(attendee_ids) == 1 else "",
                    ))
                title = catalogue.type(row.type_code).title
                changes = audit.diff({}, {**values, "attendee_ids": attendee_ids})
                if notes:
                    changes["reflective_notes"] = [None, PRIVATE]
                for staff_id in attendee_ids:
                    audit.record(
                        session, actor, "record", "supervision_session", row.id,
                        f"Recorded {title.lower()} on {_uk(row.held_on)} for {self._name(session, staff_id)}"
                        + (f" (group of {len(attendee_ids)})" if len(attendee_ids) > 1 else "")
                        + f" with {row.supervisor_name}",
                        changes, subject_staff_id=staff_id,
                    )
            return [row.id for row, *_rest in prepared]

    def update_session(self, actor: Actor, *, session_id: int, data: SessionInput, expected_version: int) -> SessionRow:
        """Correct a logged session. Confirmations are cleared when what was confirmed changes."""
        today = self._today()
        with self._db.write() as session:
            row = get_or_404(session, SupervisionSession, session_id, "supervision session")
            attendances = self._attendances(session, session_id)
            current_ids = [a.staff_id for a in attendances]
            rels = {sid: relationship(session, actor, sid, today) for sid in current_ids}
            self._require_record(session, actor, current_ids, rels)
            if data.attendee_ids and set(data.attendee_ids) != set(current_ids):
                raise ValidationError.single(
                    "attendee_ids",
                    "Attendees cannot be changed once a session is logged, because each has their own notes "
                    "and confirmation. Log a separate session for anyone missed.",
                )
            data = replace(data, attendee_ids=current_ids)
            catalogue = self._catalogue(session)
            values, notes = self._session_values(session, catalogue, actor, data, rels, today, session_id=row.id)
            before = {name: getattr(row, name) for name in _SESSION_FIELDS}
            changes = audit.diff(before, values)
            confirmed = bool(row.signed_at) or any(a.signed_at for a in attendances)
            if changes and confirmed:
                values.update(_cleared_sign_off())
                changes["confirmations"] = ["kept", "cleared"]
            apply_update(session, row, values, expected_version, "supervision session")
            for attendance in attendances:
                copy = {"type_code": row.type_code, "held_on": row.held_on}
                if changes and confirmed:
                    copy.update(_cleared_sign_off())
                if notes is not None and len(attendances) == 1 and notes != attendance.reflective_notes:
                    copy["reflective_notes"] = notes
                    changes["reflective_notes"] = [PRIVATE, PRIVATE]
                if any(getattr(attendance, k) != v for k, v in copy.items()):
                    apply_update(session, attendance, copy, attendance.version, "supervision attendance")
            if changes:
                for staff_id in current_ids:
                    audit.record(session, actor, "update", "supervision_session", row.id,
                                 f"Corrected the supervision session of {_uk(row.held_on)} for "
                                 f"{self._name(session, staff_id)}: " + ", ".join(changes),
                                 changes, subject_staff_id=staff_id)
            return self._one_session(session, actor, row.id, current_ids[0], today)

    def write_reflection(
        self, actor: Actor, *, session_id: int, staff_id: int, text: str, expected_version: int
    ) -> SessionRow:
        today = self._today()
        with self._db.write() as session:
            attendance = session.execute(
                select(SupervisionAttendance).where(SupervisionAttendance.session_id == session_id,
                                                    SupervisionAttendance.staff_id == staff_id)
            ).scalar_one_or_none()
            if attendance is None:
                raise NotFound("That person is not recorded at this session; it may have been changed by someone else.")
            require(actor, Action.WRITE_REFLECTIONS, relationship(session, actor, staff_id, today))
            notes = clean_text(text, multiline=True)
            if len(notes) > 8000:
                raise ValidationError.single("reflective_notes", f"Reflective notes are too long ({len(notes)} characters); 8,000 is the most.")
            apply_update(session, attendance, {"reflective_notes": notes}, expected_version, "reflective note")
            audit.record(session, actor, "update", "supervision_reflection", attendance.id,
                         f"{self._name(session, staff_id)} updated their reflective notes",
                         {"reflective_notes": [PRIVATE, PRIVATE]}, subject_staff_id=staff_id)
            return self._one_session(session, actor, session_id, staff_id, today)

    def confirm_session(self, actor: Actor, *, session_id: int) -> SessionRow:
        """The supervisee confirms their own attendance; the named supervisor confirms the session."""
        today = self._today()
        with self._db.write() as session:
            row = get_or_404(session, SupervisionSession, session_id, "supervision session")
            attendances = self._attendances(session, session_id)
            mine = next((a for a in attendances if actor.staff_id is not None and a.staff_id == actor.staff_id), None)
            now = utcnow()
            if mine is not None:
                require(actor, Action.CONFIRM_SUPERVISION, relationship(session, actor, mine.staff_id, today))
                if mine.signed_at is None:
                    apply_update(session, mine, _sign_off(actor, now), mine.version, "supervision attendance")
                    audit.record(session, actor, "confirm", "supervision_session", row.id,
                                 f"{actor.display_name} confirmed attending the supervision session of {_uk(row.held_on)}",
                                 subject_staff_id=mine.staff_id)
                return self._one_session(session, actor, row.id, mine.staff_id, today)
            named = actor.staff_id is not None and actor.staff_id == row.supervisor_staff_id
            rel = Relationship(supervises=True) if named else Relationship()
            require(actor, Action.CONFIRM_SUPERVISION, rel)
            if row.signed_at is None:
                apply_update(session, row, _sign_off(actor, now), row.version, "supervision session")
                for attendance in attendances:
                    audit.record(session, actor, "confirm", "supervision_session", row.id,
                                 f"{actor.display_name} confirmed, as supervisor, the session of {_uk(row.held_on)} "
                                 f"with {self._name(session, attendance.staff_id)}",
                                 subject_staff_id=attendance.staff_id)
            return self._one_session(session, actor, row.id, attendances[0].staff_id, today)

    def record_external_confirmation(self, actor: Actor, *, session_id: int, expected_version: int,
                                     signature: ExternalSignatureInput) -> SessionRow:
        """The external supervisor confirmed the session on paper or by e-mail; the supervisee's
        line manager or an administrator records it on their behalf. It then counts as confirmed
        by the supervisor everywhere, marked as recorded by the actor."""
        today = self._today()
        with self._db.write() as session:
            row = get_or_404(session, SupervisionSession, session_id, "supervision session")
            attendances = self._attendances(session, session_id)
            attendee_ids = [a.staff_id for a in attendances]
            for staff_id in attendee_ids:
                require(actor, Action.RECORD_SIGNATURE, relationship(session, actor, staff_id, today))
            if row.supervisor_external_id is None:
                raise ValidationError.single("session", (
                    f"{row.supervisor_name} has an ARRS Desk account, so they confirm the session themselves."))
            if row.signed_at is not None:
                raise ValidationError.single("session", (
                    f"This session was already confirmed by {row.signed_by_name} on {_uk(row.signed_on)}."))
            supervisor = session.get(ExternalPerson, row.supervisor_external_id)
            if signature.external_person_id not in (None, row.supervisor_external_id):
                raise ValidationError.single("external_person_id", (
                    f"The confirmation must come from the session's supervisor, {row.supervisor_name}."))
            _signer, values = signature_values(session, actor, signature, today=today, earliest=row.held_on,
                                               earliest_what="the session was held", signer=supervisor)
            apply_update(session, row, values, expected_version, "supervision session")
            how = received_text(values)
            changes = signature_audit(values)
            for staff_id in attendee_ids:
                audit.record(session, actor, "confirm", "supervision_session", row.id,
                             f"Recorded, on their behalf, {values['signed_by_name']}'s confirmation as supervisor of "
                             f"the session of {_uk(row.held_on)} with {self._name(session, staff_id)} (signed "
                             f"{_uk(values['signed_on'])}, {how})",
                             changes, subject_staff_id=staff_id)
            return self._one_session(session, actor, row.id, attendee_ids[0], today)

    # ======================================================================= settings and frequencies
    def set_due_soon_days(self, actor: Actor, *, days: int, expected_version: int | None) -> DueSoonSetting:
        require(actor, Action.MANAGE_SETTINGS)
        if not isinstance(days, int) or not 0 <= days <= MAX_DUE_SOON_DAYS:
            raise ValidationError.single(
                "due_soon_days", f"The 'due soon' warning must be between 0 and {MAX_DUE_SOON_DAYS} days before the due date.")
        with self._db.write() as session:
            row = session.get(Setting, DUE_SOON_KEY)
            old = self._due_soon(session)
            if row is None:
                if expected_version is not None:
                    raise _stale("setting")
                row = Setting(key=DUE_SOON_KEY, value=days)
                session.add(row)
                session.flush()
            else:
                apply_update(session, row, {"value": days}, expected_version or 0, "setting")
            audit.record(session, actor, "update", "setting", DUE_SOON_KEY,
                         f"Supervision is now shown as due soon {days} day(s) before the due date",
                         audit.diff({"due_soon_days": old}, {"due_soon_days": days}))
            return DueSoonSetting(days, row.version)

    @staticmethod
    def frequency_choices() -> tuple[Choice, ...]:
        catalogue = builtin_supervision_catalogue()
        return tuple(Choice(f.code, f.label) for f in catalogue.frequencies)

    def requirements(self, actor: Actor) -> list[RequirementRow]:
        """Every supervision type for every active role: the rule in force and whether it was edited."""
        require(actor, Action.MANAGE_TEMPLATES)
        with self._db.read() as session:
            edited = {(r.type_code, r.role_code): r for r in session.execute(select(SupervisionRequirement)).scalars()}
            roles = session.execute(select(Role.code, Role.title).where(Role.active).order_by(Role.title)).all()
        builtin = builtin_supervision_catalogue()
        rows = []
        for type_code in builtin.type_codes:
            title = builtin.type(type_code).title
            for role_code, role_title in roles:
                override = edited.get((type_code, role_code))
                if override is not None:
                    steps = tuple((int(m), str(c)) for m, c in override.schedule)
                    rule = (override.required, steps, override.until_month, override.note)
                else:
                    found = builtin.requirement(type_code, role_code)
                    rule = None if found is None else (
                        found.required, tuple((m, f.code) for m, f in found.steps), found.until_month, found.note)
                if rule is None:
                    rows.append(RequirementRow(type_code, title, role_code, role_title, False, False, (), None, "",
                                               "No rule: not expected", False, None))
                    continue
                required, steps, until, note = rule
                rows.append(RequirementRow(
                    type_code, title, role_code, role_title, True, required, steps, until, note,
                    _schedule_summary(builtin, required, steps, until), override is not None,
                    override.version if override is not None else None,
                ))
        return rows

    def set_requirement(
        self, actor: Actor, *, type_code: str, role_code: str, required: bool, steps: list[tuple[int, str]],
        until_month: int | None = None, note: str = "", expected_version: int | None = None,
    ) -> RequirementRow:
        require(actor, Action.MANAGE_TEMPLATES)
        builtin = builtin_supervision_catalogue()
        errors: dict[str, str] = {}
        if builtin.type(type_code) is None:
            errors["type_code"] = "Choose a supervision type from the list."
        steps = [(int(m), str(c)) for m, c in steps]
        problem = schedule_problem(steps, until_month, (f.code for f in builtin.frequencies))
        if problem:
            errors["steps" if "end" not in problem else "until_month"] = problem
        if until_month is not None and not 1 <= until_month <= 600:
            errors["until_month"] = "The requirement must end between 1 and 600 months after the start date."
        note = clean_text(note, multiline=True)
        if len(note) > 500:
            errors["note"] = "The note is too long; 500 characters is the most."
        with self._db.write() as session:
            if session.get(Role, role_code) is None:
                errors["role_code"] = "Choose a role from the list."
            if errors:
                raise ValidationError(errors)
            values = {"required": bool(required), "schedule": [list(s) for s in steps], "until_month": until_month,
                      "note": note, "updated_by_name": actor.display_name}
            row = session.get(SupervisionRequirement, (type_code, role_code))
            old_rule = builtin.requirement(type_code, role_code)
            if row is None:
                if expected_version is not None:
                    raise _stale("expected frequency")
                before = {} if old_rule is None else {
                    "required": old_rule.required, "schedule": [[m, f.code] for m, f in old_rule.steps],
                    "until_month": old_rule.until_month}
                row = SupervisionRequirement(type_code=type_code, role_code=role_code, **values)
                session.add(row)
                session.flush()
            else:
                before = {"required": row.required, "schedule": row.schedule, "until_month": row.until_month, "note": row.note}
                apply_update(session, row, values, expected_version or 0, "expected frequency")
            audit.record(session, actor, "update", "supervision_requirement", f"{type_code}/{role_code}",
                         f"Changed the expected {builtin.type(type_code).title.lower()} for {role_code}",
                         audit.diff(before, {k: values[k] for k in ("required", "schedule", "until_month", "note")}))
        return next(r for r in self.requirements(actor) if (r.type_code, r.role_code) == (type_code, role_code))

    def reset_requirement(self, actor: Actor, *, type_code: str, role_code: str, expected_version: int) -> RequirementRow:
        """Back to the built-in rule for this type and role."""
        require(actor, Action.MANAGE_TEMPLATES)
        with self._db.write() as session:
            row = get_or_404(session, SupervisionRequirement, (type_code, role_code), "edited frequency")
            if row.version != expected_version:
                raise _stale("expected frequency")
            before = {"required": row.required, "schedule": row.schedule, "until_month": row.until_month}
            session.delete(row)
            audit.record(session, actor, "delete", "supervision_requirement", f"{type_code}/{role_code}",
                         f"Restored the built-in expected frequency of {type_code} for {role_code}",
                         audit.diff(before, {}))
        return next(r for r in self.requirements(actor) if (r.type_code, r.role_code) == (type_code, role_code))

    # ======================================================================= reports
    def deployment(self, actor: Actor) -> DeploymentReport:
        """For each practice, the ARRS staff who work there and who supervises them."""
        today = self._today()
        with self._db.read() as session:
            visible = visible_staff_ids(session, actor, today)
            facts = self._facts(session, today, visible)
            practices = session.execute(
                select(Organisation).where(Organisation.kind == OrganisationKind.PRACTICE.value, Organisation.active)
                .order_by(Organisation.name)
            ).scalars().all()
            pcn = session.execute(
                select(Organisation.name).where(Organisation.kind == OrganisationKind.PCN.value)).scalars().first()
            roles = {code: (title, arrs) for code, title, arrs in session.execute(select(Role.code, Role.title, Role.arrs))}
            employment = dict(session.execute(select(Staff.id, Staff.employment_model)).all())
            placed: dict[int, list[int]] = {}
            for staff_id, org_id in session.execute(select(StaffPractice.staff_id, StaffPractice.organisation_id)):
                placed.setdefault(staff_id, []).append(org_id)
        names = {p.id: p.name for p in practices}
        types = self._types(facts.catalogue)
        by_practice: dict[int, list[DeployedPerson]] = {p.id: [] for p in practices}
        for person in facts.people.values():
            title, arrs = roles.get(person.role_code, (person.role_code, False))
            if not arrs or person.status == StaffStatus.LEFT or (visible is not None and person.id not in visible):
                continue
            arrangement_rows = [a for a in self._arrangement_rows(facts, person, types, today) if a.live]
            clinical = tuple(DeployedSupervision(a.type_code, a.type_title, a.supervisor_name, a.status_label, a.status)
                             for a in arrangement_rows if a.type_code == "clinical")
            other = tuple(DeployedSupervision(a.type_code, a.type_title, a.supervisor_name, a.status_label, a.status)
                          for a in arrangement_rows if a.type_code != "clinical")
            cells = self._cells(facts, person, types, today)
            worst = max(cells, key=lambda c: c.severity)
            manager = facts.people.get(person.line_manager_id) if person.line_manager_id else None
            for org_id in placed.get(person.id, ()):
                if org_id not in by_practice:
                    continue
                elsewhere = ", ".join(sorted(names[o] for o in placed[person.id] if o != org_id and o in names))
                by_practice[org_id].append(DeployedPerson(
                    staff_id=person.id, display_name=person.name, role_title=title,
                    employment=EMPLOYMENT_MODEL_LABELS.get(employment.get(person.id), ""),
                    line_manager=manager.name if manager else "", other_practices=elsewhere,
                    clinical=clinical, other=other, worst_label=worst.status_label, worst=worst.severity,
                    not_arranged=tuple(c.type_code for c in cells if c.status is ComplianceStatus.NOT_ARRANGED),
                ))
        result = []
        for practice in practices:
            people = sorted(by_practice[practice.id], key=lambda p: (p.role_title, staff_rules.search_key(p.display_name)))
            result.append(PracticeDeployment(practice.id, practice.name, practice.ods_code, tuple(people)))
        return DeploymentReport(pcn or "", today, tuple(result))

    def supervisor_load(self, actor: Actor, *, start: date, end: date) -> SupervisorLoad:
        """Hours of supervision each supervisor gave between two dates (both included).

        Counted from the sessions of the staff the actor may see. A group session's time is
        shared among everyone who attended, so the supervisor is credited once.
        """
        if start is None or end is None or end < start:
            raise ValidationError.single("end", "The end of the period must be on or after its start.")
        today = self._today()
        with self._db.read() as session:
            visible = visible_staff_ids(session, actor, today)
            counts = (
                select(SupervisionAttendance.session_id, func.count().label("n"))
                .where(SupervisionAttendance.held_on >= start, SupervisionAttendance.held_on <= end)
                .group_by(SupervisionAttendance.session_id).subquery()
            )
            stmt = (
                select(SupervisionSession.id, SupervisionSession.supervisor_staff_id,
                       SupervisionSession.supervisor_external_id, SupervisionSession.supervisor_name,
                       SupervisionSession.held_on, SupervisionSession.duration_minutes,
                       SupervisionAttendance.staff_id, counts.c.n)
                .join(SupervisionAttendance, SupervisionAttendance.session_id == SupervisionSession.id)
                .join(counts, counts.c.session_id == SupervisionSession.id)
                .where(SupervisionSession.held_on >= start, SupervisionSession.held_on <= end)
            )
            if visible is not None:
                stmt = stmt.where(SupervisionAttendance.staff_id.in_(visible or {-1}))
            raw = session.execute(stmt).all()
            staff_ids = {r[1] for r in raw if r[1] is not None}
            staff_info = {
                sid: (staff_rules.display_name(g, f, p), rc)
                for sid, g, f, p, rc in session.execute(
                    select(Staff.id, Staff.given_name, Staff.family_name, Staff.preferred_name, Staff.role_code)
                    .where(Staff.id.in_(staff_ids or {-1})))
            }
            role_titles = dict(session.execute(select(Role.code, Role.title)).all())
            external_ids = {r[2] for r in raw if r[2] is not None}
            externals = {e.id: e for e in session.execute(
                select(ExternalPerson).where(ExternalPerson.id.in_(external_ids or {-1}))).scalars()}

        def key(r) -> tuple[str, object]:
            return ("staff", r[1]) if r[1] is not None else ("external", r[2]) if r[2] is not None else ("name", r[3])

        hours = supervisor_hours(((key(r), r[4], r[5], r[7]) for r in raw), start, end)
        sessions: dict[tuple, set[int]] = {}
        people: dict[tuple, set[int]] = {}
        labels: dict[tuple, tuple[str, str, bool]] = {}
        for r in raw:
            k = key(r)
            sessions.setdefault(k, set()).add(r[0])
            people.setdefault(k, set()).add(r[6])
            if k not in labels:
                if k[0] == "staff":
                    name, role_code = staff_info.get(r[1], (r[3], ""))
                    labels[k] = (name, role_titles.get(role_code, role_code), False)
                elif k[0] == "external" and r[2] in externals:
                    e = externals[r[2]]
                    labels[k] = (e.name, ", ".join(x for x in (e.job_title, e.organisation) if x), True)
                else:
                    labels[k] = (r[3] or "Not recorded", "", False)
        rows = [
            LoadRow(labels[k][0], labels[k][1], labels[k][2], len(sessions[k]), len(people[k]), hours.get(k, 0.0))
            for k in sessions
        ]
        rows.sort(key=lambda r: (-r.hours, staff_rules.search_key(r.supervisor)))
        return SupervisorLoad(start, end, tuple(rows))

    def calendar(
        self, actor: Actor, *, staff_ids: Collection[int] | None = None, at: time | None = None,
        duration_minutes: int = 60,
    ) -> bytes:
        """Next-due supervision as an iCalendar file that Outlook imports or subscribes to.

        All-day events unless `at` gives a time of day (then in UK time, with its time zone
        definition included). Overdue and never-held supervision is placed on today, so it is
        not lost in the past. Each event's UID is stable for an arrangement and due date, so
        importing a newer export updates events instead of duplicating them.
        """
        from zoneinfo import ZoneInfo

        from icalendar import Calendar, Event

        if at is not None and not 5 <= duration_minutes <= 600:
            raise ValidationError.single("duration_minutes", "Event length must be between 5 and 600 minutes.")
        today = self._today()
        with self._db.read() as session:
            visible = visible_staff_ids(session, actor, today)
            wanted = None if staff_ids is None else set(staff_ids)
            if visible is not None:
                wanted = visible if wanted is None else wanted & visible
            facts = self._facts(session, today, wanted)
            pcn = session.execute(
                select(Organisation.name, Organisation.ods_code).where(Organisation.kind == OrganisationKind.PCN.value)
            ).first()
        types = self._types(facts.catalogue)
        domain = f"{(pcn[1] if pcn else 'pcn').lower()}.arrs-desk"
        stamp = utcnow()
        london = ZoneInfo("Europe/London")
        cal = Calendar()
        cal.add("prodid", "-//ARRS Desk//Supervision due dates//EN")
        cal.add("version", "2.0")
        cal.add("method", "PUBLISH")
        cal.add("calscale", "GREGORIAN")
        cal.add("x-wr-calname", f"Supervision due{f' – {pcn[0]}' if pcn else ''}")
        for person in facts.people.values():
            if person.status == StaffStatus.LEFT or (wanted is not None and person.id not in wanted):
                continue
            for row in self._arrangement_rows(facts, person, types, today):
                if row.next_due is None or not row.live:
                    continue
                late = row.next_due < today
                day = today if late else row.next_due
                event = Event()
                event.add("uid", f"supervision-{row.id}-{row.next_due:%Y%m%d}@{domain}")
                event.add("dtstamp", stamp)
                if at is None:
                    event.add("dtstart", day)
                    event.add("dtend", day + timedelta(days=1))
                    event.add("transp", "TRANSPARENT")
                else:
                    begin = datetime.combine(day, at, tzinfo=london)
                    event.add("dtstart", begin)
                    event.add("dtend", begin + timedelta(minutes=duration_minutes))
                prefix = "OVERDUE: " if late else ""
                event.add("summary", f"{prefix}{row.type_title}: {person.name} with {row.supervisor_name}")
                lines = [
                    f"{row.type_title} for {person.name}, {row.frequency_label.lower() or 'no set frequency'}.",
                    f"Supervisor: {row.supervisor_name}" + (f" ({row.supervisor_detail})" if row.supervisor_detail else ""),
                    f"Last session: {_uk(row.last_session) or 'none recorded'}.",
                    f"Due: {_uk(row.next_due)}" + (f" ({row.days_overdue} days overdue)" if late else "") + ".",
                    "From ARRS Desk; log the session there once it has been held.",
                ]
                event.add("description", "\n".join(lines))
                event.add("categories", ["Supervision"])
                cal.add_component(event)
        if at is not None:
            cal.add_missing_timezones()
        return cal.to_ical()

    # ======================================================================= internals: facts
    def _catalogue(self, session: Session) -> SupervisionCatalogue:
        builtin = builtin_supervision_catalogue()
        overrides = {}
        for row in session.execute(select(SupervisionRequirement)).scalars():
            steps = tuple((int(m), builtin.frequency(c)) for m, c in row.schedule if builtin.frequency(c) is not None)
            if steps:
                overrides[(row.type_code, row.role_code)] = RoleRequirement(row.required, steps, row.until_month, row.note)
        return with_overrides(builtin, overrides)

    @staticmethod
    def _due_soon(session: Session) -> int:
        row = session.get(Setting, DUE_SOON_KEY)
        value = row.value if row is not None else None
        return value if isinstance(value, int) and 0 <= value <= MAX_DUE_SOON_DAYS else DEFAULT_DUE_SOON_DAYS

    @staticmethod
    def _types(catalogue: SupervisionCatalogue) -> tuple[TypeColumn, ...]:
        return tuple(TypeColumn(c, catalogue.type(c).title, catalogue.type(c).description) for c in catalogue.type_codes)

    def _facts(self, session: Session, today: date, staff_ids: set[int] | None) -> _Facts:
        """A handful of queries whatever the size of the PCN. The latest session per (person,
        type) is aggregated in the database from the covering index, never loaded row by row,
        and arrangements are read as plain rows rather than ORM objects."""
        few = staff_ids is not None and len(staff_ids) <= 500
        wanted = (staff_ids or {-1}) if few else None
        columns = (SupervisionArrangement.id, SupervisionArrangement.version, SupervisionArrangement.staff_id,
                   SupervisionArrangement.type_code, SupervisionArrangement.supervisor_staff_id,
                   SupervisionArrangement.supervisor_external_id, SupervisionArrangement.frequency_code,
                   SupervisionArrangement.start_date, SupervisionArrangement.end_date, SupervisionArrangement.notes,
                   SupervisionArrangement.agreement_sha256, SupervisionArrangement.agreement_filename,
                   SupervisionArrangement.agreement_size)
        arrangement_stmt = select(*columns).order_by(SupervisionArrangement.start_date, SupervisionArrangement.id)
        latest_stmt = latest_sessions_query(today)
        people_stmt = select(Staff.id, Staff.given_name, Staff.family_name, Staff.preferred_name, Staff.role_code,
                             Staff.start_date, Staff.end_date, Staff.status, Staff.line_manager_id)
        if wanted is not None:
            arrangement_stmt = arrangement_stmt.where(SupervisionArrangement.staff_id.in_(wanted))
            latest_stmt = latest_stmt.where(SupervisionAttendance.staff_id.in_(wanted))
        arrangements: dict[int, list] = {}
        for row in session.execute(arrangement_stmt):
            arrangements.setdefault(row.staff_id, []).append(row)
        latest = {(sid, code): day for sid, code, day in session.execute(latest_stmt)}

        def load(stmt) -> dict[int, _Person]:
            return {
                sid: _Person(sid, staff_rules.display_name(g, f, p), rc, start, end, status, manager)
                for sid, g, f, p, rc, start, end, status, manager in session.execute(stmt)
            }

        if wanted is None:
            people = load(people_stmt)
        else:
            people = load(people_stmt.where(Staff.id.in_(wanted)))
            others = {a.supervisor_staff_id for rows in arrangements.values() for a in rows if a.supervisor_staff_id}
            others |= {p.line_manager_id for p in people.values() if p.line_manager_id}
            others -= people.keys()
            if others:
                people.update(load(people_stmt.where(Staff.id.in_(others))))
        for person in people.values():
            if wanted is None or person.id in wanted:
                _add_line_manager_arrangement(arrangements, person, today)
        external_ids = {a.supervisor_external_id for rows in arrangements.values() for a in rows if a.supervisor_external_id}
        externals = {e.id: e for e in session.execute(
            select(ExternalPerson).where(ExternalPerson.id.in_(external_ids or {-1}))).scalars()}
        return _Facts(self._catalogue(session), self._due_soon(session), people, externals, arrangements, latest)

    def _evaluate(self, facts: _Facts, person: _Person, arrangement: SupervisionArrangement, months: int,
                  today: date) -> tuple[ArrangementCompliance, Frequency | None]:
        if arrangement.frequency_code:
            frequency = facts.catalogue.frequency(arrangement.frequency_code)
        else:
            frequency = facts.rule(arrangement.type_code, person.role_code, months)[1]
        if arrangement.supervisor_staff_id is not None:
            supervisor = facts.people.get(arrangement.supervisor_staff_id)
            active = supervisor is not None and supervisor.active_on(today)
        else:
            external = facts.externals.get(arrangement.supervisor_external_id)
            active = external is not None and external.active
        result = arrangement_status(
            today=today, arrangement_start=arrangement.start_date, arrangement_end=arrangement.end_date,
            frequency=frequency, last_session=facts.latest.get((person.id, arrangement.type_code)),
            supervisor_active=active, due_soon_days=facts.due_soon,
        )
        return result, frequency

    @staticmethod
    def _supervisor_name_of(facts: _Facts, arrangement) -> str:
        if arrangement.supervisor_staff_id is not None:
            supervisor = facts.people.get(arrangement.supervisor_staff_id)
        else:
            supervisor = facts.externals.get(arrangement.supervisor_external_id)
        return supervisor.name if supervisor is not None else "(removed)"

    def _supervisor_label(self, facts: _Facts, arrangement: SupervisionArrangement) -> tuple[str, str]:
        if arrangement.supervisor_staff_id is not None:
            supervisor = facts.people.get(arrangement.supervisor_staff_id)
            return (supervisor.name, "") if supervisor else ("(removed)", "")
        external = facts.externals.get(arrangement.supervisor_external_id)
        if external is None:
            return "(removed)", ""
        detail = ", ".join(x for x in (external.job_title, external.organisation) if x)
        contact = " · ".join(x for x in (external.email, external.phone) if x)
        return external.name, " · ".join(x for x in (detail, contact) if x)

    def _cells(self, facts: _Facts, person: _Person, types: tuple[TypeColumn, ...], today: date) -> tuple[MatrixCell, ...]:
        months = months_in_post(person.start_date, today)
        by_type: dict[str, list] = {}
        for a in facts.arrangements.get(person.id, ()):
            by_type.setdefault(a.type_code, []).append((a, *self._evaluate(facts, person, a, months, today)))
        latest = facts.latest
        cells = []
        for column in types:
            code = column.code
            evaluated = by_type.get(code, ())
            required, expected = facts.rule(code, person.role_code, months)
            if not evaluated:
                status = ComplianceStatus.NOT_ARRANGED if required else ComplianceStatus.NOT_APPLICABLE
                cells.append(MatrixCell(
                    type_code=code, status=status, status_label=status_label(status),
                    severity=STATUS_SEVERITY[status], required=required, supervisors="", next_due=None,
                    last_session=latest.get((person.id, code)), days_overdue=0,
                    frequency_label=_frequency_text(expected), live_arrangements=0,
                ))
                continue
            compliances = [e[1] for e in evaluated]
            status = cell_status(required, compliances)
            best = best_arrangement(compliances)
            live = [e for e in evaluated if e[1].status is not ComplianceStatus.ENDED]
            deciding = next((e for e in evaluated if e[1] is best), None)
            supervisors = ", ".join(dict.fromkeys(self._supervisor_name_of(facts, e[0]) for e in live))
            frequency_text = _frequency_text(deciding[2] if deciding is not None else expected)
            cells.append(MatrixCell(
                type_code=code, status=status, status_label=status_label(status), severity=STATUS_SEVERITY[status],
                required=required, supervisors=supervisors,
                next_due=best.next_due if best else None,
                last_session=facts.latest.get((person.id, code)),
                days_overdue=best.days_overdue if best else 0,
                frequency_label=frequency_text, live_arrangements=len(live),
            ))
        return tuple(cells)

    def _arrangement_rows(self, facts: _Facts, person: _Person, types: tuple[TypeColumn, ...],
                          today: date) -> tuple[ArrangementRow, ...]:
        months = months_in_post(person.start_date, today)
        order = {t.code: i for i, t in enumerate(types)}
        titles = {t.code: t.title for t in types}
        rows = []
        for a in facts.arrangements.get(person.id, ()):
            result, frequency = self._evaluate(facts, person, a, months, today)
            name, detail = self._supervisor_label(facts, a)
            frequency_text = _frequency_text(frequency)
            if not a.frequency_code:
                frequency_text = f"{frequency_text} (role default)" if frequency_text else "None expected now"
            rows.append(ArrangementRow(
                id=a.id, version=a.version, staff_id=a.staff_id, type_code=a.type_code,
                type_title=titles.get(a.type_code, a.type_code), supervisor_staff_id=a.supervisor_staff_id,
                supervisor_external_id=a.supervisor_external_id, supervisor_name=name, supervisor_detail=detail,
                frequency_code=a.frequency_code, frequency_label=frequency_text, start_date=a.start_date,
                end_date=a.end_date, notes=a.notes, agreement_filename=a.agreement_filename if a.agreement_sha256 else "",
                agreement_size=a.agreement_size, status=result.status, status_label=status_label(result.status),
                last_session=result.last_session, next_due=result.next_due, days_overdue=result.days_overdue,
            ))
        rows.sort(key=lambda r: (not r.live, order.get(r.type_code, 99), r.start_date))
        return tuple(rows)

    def _one_arrangement(self, session: Session, row: SupervisionArrangement, today: date) -> ArrangementRow:
        session.flush()
        facts = self._facts(session, today, {row.staff_id})
        person = facts.people[row.staff_id]
        rows = self._arrangement_rows(facts, person, self._types(facts.catalogue), today)
        return next(r for r in rows if r.id == row.id)

    # ======================================================================= internals: sessions
    @staticmethod
    def _attendances(session: Session, session_id: int) -> list[SupervisionAttendance]:
        return list(session.execute(
            select(SupervisionAttendance).where(SupervisionAttendance.session_id == session_id)
            .order_by(SupervisionAttendance.id)
        ).scalars())

    def _sessions_for(self, session: Session, actor: Actor, staff_id: int, rel: Relationship,
                      today: date, only: int | None = None) -> list[SessionRow]:
        stmt = (
            select(SupervisionSession, SupervisionAttendance)
            .join(SupervisionAttendance, SupervisionAttendance.session_id == SupervisionSession.id)
            .where(SupervisionAttendance.staff_id == staff_id)
            .order_by(SupervisionSession.held_on.desc(), SupervisionSession.id.desc())
        )
        if only is not None:
            stmt = stmt.where(SupervisionSession.id == only)
        pairs = session.execute(stmt).all()
        if not pairs:
            return []
        ids = [s.id for s, _ in pairs]
        others: dict[int, list[int]] = {}
        for sid, attendee in session.execute(
            select(SupervisionAttendance.session_id, SupervisionAttendance.staff_id)
            .where(SupervisionAttendance.session_id.in_(ids)).order_by(SupervisionAttendance.id)
        ):
            others.setdefault(sid, []).append(attendee)
        wanted = {a for group in others.values() for a in group}
        names = {
            sid: staff_rules.display_name(g, f, p)
            for sid, g, f, p in session.execute(
                select(Staff.id, Staff.given_name, Staff.family_name, Staff.preferred_name).where(Staff.id.in_(wanted)))
        }
        titles = {t: self._catalogue_title(t) for t in {s.type_code for s, _ in pairs}}
        recorders = recorder_names(session, (s.recorded_by_user_id for s, _ in pairs if s.signed_by_external_id))
        may_record_for = self._may_record_signature(session, actor)
        may_read = denial(actor.roles, Action.READ_REFLECTIONS, rel) is None
        may_write = denial(actor.roles, Action.WRITE_REFLECTIONS, rel) is None
        may_record = denial(actor.roles, Action.RECORD_SUPERVISION, rel) is None
        rows = []
        for s, attendance in pairs:
            named_supervisor = actor.staff_id is not None and actor.staff_id == s.supervisor_staff_id
            if rel.is_self:
                can_confirm = attendance.signed_at is None and denial(actor.roles, Action.CONFIRM_SUPERVISION, rel) is None
            else:
                can_confirm = (named_supervisor and s.signed_at is None
                               and denial(actor.roles, Action.CONFIRM_SUPERVISION, Relationship(supervises=True)) is None)
            attendee_ids = tuple(others.get(s.id, ()))
            can_record = (s.supervisor_external_id is not None and s.signed_at is None
                          and all(may_record_for(a) for a in attendee_ids))
            try:
                fmt_label = SessionFormat(s.format).label
            except ValueError:
                fmt_label = s.format
            rows.append(SessionRow(
                id=s.id, version=s.version, type_code=s.type_code, type_title=titles[s.type_code], held_on=s.held_on,
                supervisor_staff_id=s.supervisor_staff_id, supervisor_external_id=s.supervisor_external_id,
                supervisor_name=s.supervisor_name, duration_minutes=s.duration_minutes, format=s.format,
                format_label=fmt_label, topics=s.topics, actions_agreed=s.actions_agreed,
                attendee_ids=attendee_ids,
                attendees=tuple(names.get(a, "?") for a in attendee_ids),
                logged_by_name=s.logged_by_name, supervisor_confirmed_by=s.signed_by_name if s.signed_at else "",
                supervisor_confirmed_at=s.signed_at, supervisor_confirmed_on=s.signed_on if s.signed_at else None,
                supervisor_on_behalf=on_behalf(s, recorders),
                attendee_confirmed_by=attendance.signed_by_name if attendance.signed_at else "",
                attendee_confirmed_at=attendance.signed_at,
                reflective_notes=attendance.reflective_notes if may_read else None,
                has_reflection=bool(attendance.reflective_notes), attendance_version=attendance.version,
                can_confirm=can_confirm, can_record_confirmation=can_record, can_edit=may_record,
                can_write_reflection=may_write,
            ))
        return rows

    @staticmethod
    def _may_record_signature(session: Session, actor: Actor) -> Callable[[int], bool]:
        """Whether the actor may record a signature for a given attendee: the same answers as
        `relationship` gives `record_external_confirmation`, from one read of the management tree
        rather than one chain walk per attendee of every session shown."""
        managed: set[int] = set()
        if actor.staff_id is not None and AccessRole.LINE_MANAGER in actor.roles and not actor.sole_user:
            managed = managed_ids(session, actor.staff_id)

        def may(staff_id: int) -> bool:
            is_self = actor.staff_id is not None and staff_id == actor.staff_id
            manages = not is_self and (actor.sole_user or staff_id in managed)
            return denial(actor.roles, Action.RECORD_SIGNATURE, Relationship(is_self=is_self, manages=manages)) is None
        return may

    @staticmethod
    def _catalogue_title(code: str) -> str:
        stype = builtin_supervision_catalogue().type(code)
        return stype.title if stype else code

    def _one_session(self, session: Session, actor: Actor, session_id: int, staff_id: int, today: date) -> SessionRow:
        session.flush()
        rel = relationship(session, actor, staff_id, today)
        return self._sessions_for(session, actor, staff_id, rel, today, only=session_id)[0]

    def _require_record(self, session: Session, actor: Actor, attendee_ids: Iterable[int],
                        rels: dict[int, Relationship]) -> None:
        refused = [sid for sid in dict.fromkeys(attendee_ids)
                   if denial(actor.roles, Action.RECORD_SUPERVISION, rels[sid]) is not None]
        if refused:
            names = ", ".join(self._name(session, sid) for sid in refused)
            raise PermissionDenied(
                "You can only record supervision for yourself, your team or people you supervise. "
                f"Not allowed for: {names}."
            )

    def _session_values(self, session: Session, catalogue: SupervisionCatalogue, actor: Actor, data: SessionInput,
                        rels: dict[int, Relationship], today: date, session_id: int | None) -> tuple[dict, str | None]:
        """Check every field of a session; collect all problems so the form can mark each one."""
        errors: dict[str, str] = {}
        stype = catalogue.type(data.type_code) if data.type_code else None
        if stype is None:
            errors["type_code"] = "Choose the type of supervision."
        if data.held_on is None:
            errors["held_on"] = "Enter the date the session was held."
        elif data.held_on > today:
            errors["held_on"] = (f"The session date ({_uk(data.held_on)}) is in the future. Log a session once it "
                                 "has been held; the calendar export shows when the next one is due.")
        elif data.held_on.year < 1990:
            errors["held_on"] = "The session date is too far in the past; check the year."
        attendee_ids = list(dict.fromkeys(data.attendee_ids))
        attendees = {sid: person for sid in attendee_ids if (person := session.get(Staff, sid)) is not None}
        if not attendee_ids:
            errors["attendee_ids"] = "Choose who attended (at least one person)."
        elif len(attendees) != len(attendee_ids):
            errors["attendee_ids"] = "One of the chosen attendees is no longer on the staff list."
        elif data.held_on is not None and "held_on" not in errors:
            early = [a for a in attendees.values() if data.held_on < a.start_date]
            late = [a for a in attendees.values() if a.end_date is not None and data.held_on > a.end_date]
            if early:
                a = early[0]
                errors["held_on"] = (f"The session date is before {staff_rules.display_name(a.given_name, a.family_name, a.preferred_name)} "
                                     f"started ({_uk(a.start_date)}).")
            elif late:
                a = late[0]
                errors["held_on"] = (f"The session date is after {staff_rules.display_name(a.given_name, a.family_name, a.preferred_name)} "
                                     f"left ({_uk(a.end_date)}).")
        try:
            fmt = SessionFormat(data.format)
        except ValueError:
            errors["format"] = "Choose the format: one-to-one, group, or remote."
            fmt = None
        if fmt is SessionFormat.ONE_TO_ONE and len(attendee_ids) > 1:
            errors["format"] = (f"A one-to-one session has one supervisee, but {len(attendee_ids)} are chosen. "
                                "Choose Group, or untick the others.")
        supervisor_name = ""
        if data.supervisor_staff_id is not None and data.supervisor_external_id is not None:
            errors["supervisor"] = "Choose one supervisor: a colleague or an external supervisor, not both."
        elif data.supervisor_staff_id is not None:
            supervisor = session.get(Staff, data.supervisor_staff_id)
            if supervisor is None:
                errors["supervisor"] = "The chosen supervisor is not on the staff list."
            elif supervisor.id in attendee_ids:
                errors["supervisor"] = "The supervisor cannot also be an attendee of the same session."
            else:
                supervisor_name = staff_rules.display_name(supervisor.given_name, supervisor.family_name, supervisor.preferred_name)
        elif data.supervisor_external_id is not None:
            external = session.get(ExternalPerson, data.supervisor_external_id)
            if external is None:
                errors["supervisor"] = "The chosen external supervisor is no longer recorded."
            else:
                supervisor_name = external.name
        else:
            errors["supervisor"] = "Choose who supervised the session (a colleague or an external supervisor)."
        duration = data.duration_minutes
        if duration is not None and not 5 <= duration <= 600:
            errors["duration_minutes"] = "Duration must be between 5 and 600 minutes (10 hours)."
        topics = clean_text(data.topics, multiline=True)
        actions = clean_text(data.actions_agreed, multiline=True)
        for name, value, label in (("topics", topics, "Topics"), ("actions_agreed", actions, "Actions agreed")):
            if len(value) > 4000:
                errors[name] = f"{label} is too long ({len(value)} characters); 4,000 is the most."
        notes = None if data.reflective_notes is None else clean_text(data.reflective_notes, multiline=True)
        if notes:
            if len(attendee_ids) > 1:
                errors["reflective_notes"] = ("Reflective notes belong to one person. In a group session each attendee "
                                              "adds their own afterwards from their supervision page.")
            elif attendee_ids and denial(actor.roles, Action.WRITE_REFLECTIONS, rels.get(attendee_ids[0], Relationship())):
                errors["reflective_notes"] = ("Only the supervisee can write their reflective notes. "
                                              "Leave this empty; they can add notes from their own page.")
            elif len(notes) > 8000:
                errors["reflective_notes"] = f"Reflective notes are too long ({len(notes)} characters); 8,000 is the most."
        if errors:
            raise ValidationError(errors)
        values = {
            "type_code": stype.code, "held_on": data.held_on, "supervisor_staff_id": data.supervisor_staff_id,
            "supervisor_external_id": data.supervisor_external_id, "supervisor_name": supervisor_name,
            "duration_minutes": duration, "format": fmt.value, "topics": topics, "actions_agreed": actions,
        }
        return values, notes

    # ======================================================================= internals: arrangements
    def _arrangement_values(self, session: Session, data: ArrangementInput, *, arrangement_id: int | None,
                            agreement, catalogue: SupervisionCatalogue | None = None) -> tuple[dict, ExternalPerson | None]:
        """Check every field of an arrangement; collect all problems so the form can mark each one."""
        errors: dict[str, str] = {}
        catalogue = catalogue or self._catalogue(session)
        staff = session.get(Staff, data.staff_id) if data.staff_id is not None else None
        if staff is None:
            errors["staff_id"] = "Choose the member of staff to be supervised."
        elif staff.status == StaffStatus.LEFT and arrangement_id is None:
            errors["staff_id"] = "This person has left; supervision cannot be arranged for them."
        if catalogue.type(data.type_code) is None:
            errors["type_code"] = "Choose the type of supervision."
        chosen = sum(x is not None for x in (data.supervisor_staff_id, data.supervisor_external_id, data.new_external))
        external: ExternalPerson | None = None
        if chosen == 0:
            errors["supervisor"] = "Choose the supervisor: a colleague, or an external supervisor."
        elif chosen > 1:
            errors["supervisor"] = "Choose one supervisor only: a colleague or an external supervisor."
        elif data.supervisor_staff_id is not None:
            supervisor = session.get(Staff, data.supervisor_staff_id)
            if supervisor is None:
                errors["supervisor"] = "The chosen supervisor is not on the staff list."
            elif supervisor.id == data.staff_id:
                errors["supervisor"] = "A person cannot supervise themself; choose someone else."
            elif supervisor.status == StaffStatus.LEFT and (arrangement_id is None or data.end_date is None):
                errors["supervisor"] = (
                    f"{staff_rules.display_name(supervisor.given_name, supervisor.family_name, supervisor.preferred_name)} "
                    "has left. Choose a current supervisor, or give this arrangement an end date.")
        elif data.supervisor_external_id is not None:
            person = session.get(ExternalPerson, data.supervisor_external_id)
            if person is None or not person.active:
                errors["supervisor"] = "The chosen external supervisor is no longer recorded; choose another."
        else:
            external = self._new_external(data.new_external, errors)
        if data.frequency_code and catalogue.frequency(data.frequency_code) is None:
            errors["frequency_code"] = "Choose how often sessions should be held, or 'as expected for the role'."
        if data.start_date is None:
            errors["start_date"] = "Enter the date the arrangement starts."
        elif staff is not None and data.start_date.year < 1990:
            errors["start_date"] = "The start date is too far in the past; check the year."
        if data.end_date is not None and data.start_date is not None and data.end_date < data.start_date:
            errors["end_date"] = f"The end date ({_uk(data.end_date)}) is before the start date ({_uk(data.start_date)})."
        notes = clean_text(data.notes, multiline=True)
        if len(notes) > 4000:
            errors["notes"] = f"Agreement notes are too long ({len(notes)} characters); 4,000 is the most."
        if isinstance(agreement, str):
            errors["agreement"] = agreement
        if (not errors and data.supervisor_staff_id is not None):
            clash = session.execute(
                select(SupervisionArrangement.start_date).where(
                    SupervisionArrangement.staff_id == data.staff_id,
                    SupervisionArrangement.type_code == data.type_code,
                    SupervisionArrangement.supervisor_staff_id == data.supervisor_staff_id,
                    SupervisionArrangement.id != (arrangement_id or -1),
                    or_(SupervisionArrangement.end_date.is_(None), SupervisionArrangement.end_date >= data.start_date),
                )
            ).first()
            if clash and (data.end_date is None or data.end_date >= clash[0]):
                errors["supervisor"] = (
                    f"This supervisor already has an arrangement of this type with this person (from {_uk(clash[0])}). "
                    "Edit that one instead, or end it first.")
        if errors:
            raise ValidationError(errors)
        values = {
            "staff_id": data.staff_id, "type_code": data.type_code,
            "supervisor_staff_id": data.supervisor_staff_id, "supervisor_external_id": data.supervisor_external_id,
            "frequency_code": data.frequency_code or FOLLOW_ROLE, "start_date": data.start_date,
            "end_date": data.end_date, "notes": notes,
        }
        return values, external

    @staticmethod
    def _new_external(data: ExternalSupervisorInput, errors: dict[str, str]) -> ExternalPerson | None:
        name = clean_text(data.name)
        organisation = clean_text(data.organisation)
        profession = clean_text(data.profession)
        email = clean_text(data.email).lower()
        phone = clean_text(data.phone)
        if not name:
            errors["external_name"] = "Enter the external supervisor's name."
        elif len(name) > 200:
            errors["external_name"] = "Name is too long; 200 characters is the most."
        if not organisation:
            errors["external_organisation"] = "Enter the organisation the external supervisor works for (for example the trust)."
        elif len(organisation) > 200:
            errors["external_organisation"] = "Organisation is too long; 200 characters is the most."
        if len(profession) > 120:
            errors["external_profession"] = "Profession is too long; 120 characters is the most."
        problem = staff_rules.email_problem(email)
        if problem:
            errors["external_email"] = problem
        if len(phone) > 40 or (phone and not all(c.isdigit() or c in " +()-" for c in phone)):
            errors["external_phone"] = "Enter a phone number using digits, spaces, + and brackets only (at most 40)."
        if not email and not phone and "external_email" not in errors:
            errors["external_email"] = "Give an email address or a phone number, so the supervisor can be contacted."
        if any(k.startswith("external_") for k in errors):
            return None
        return ExternalPerson(name=name, organisation=organisation, job_title=profession, email=email, phone=phone)

    @staticmethod
    def _checked_agreement(path: str | None) -> evidence.StoredFile | str | None:
        """Check a signed agreement by its content and size, and store it under its SHA-256,
        before any transaction starts. A message says what is wrong instead; the caller reports
        it with the other field problems, so the person sees everything at once."""
        if not path:
            return None
        from arrs_desk.paths import evidence_dir

        try:
            return evidence.store_file(Path(path), evidence_dir())
        except ValidationError as exc:
            return exc.message

    @staticmethod
    def _agreement_values(actor: Actor, stored: evidence.StoredFile) -> dict:
        return {"agreement_sha256": stored.sha256, "agreement_size": stored.size,
                "agreement_media_type": stored.kind.media_type, "agreement_filename": stored.original_name,
                "agreement_added_at": utcnow(), "agreement_added_by_name": actor.display_name}

    # ======================================================================= internals: names
    @staticmethod
    def _name(session: Session, staff_id: int | None) -> str:
        person = session.get(Staff, staff_id) if staff_id is not None else None
        return staff_rules.display_name(person.given_name, person.family_name, person.preferred_name) if person else "?"

    def _supervisor_name(self, session: Session, row: SupervisionArrangement) -> str:
        if row.supervisor_staff_id is not None:
            return self._name(session, row.supervisor_staff_id)
        external = session.get(ExternalPerson, row.supervisor_external_id)
        return external.name if external else "?"


# --------------------------------------------------------------------------- helpers


def _load_staff(session: Session, staff_ids: set[int]) -> list[Staff]:
    """Read these people into the session's identity map at once, so a batch's later lookups of
    them (names, start dates, the line-management chain) cost no further queries. The identity
    map holds rows weakly: keep the returned list for as long as the batch runs."""
    ids = sorted(staff_ids)
    loaded: list[Staff] = []
    for i in range(0, len(ids), 500):
        loaded += session.execute(select(Staff).where(Staff.id.in_(ids[i:i + 500]))).scalars().all()
    return loaded


def _sign_off(actor: Actor, now: datetime) -> dict:
    return {"signed_by_user_id": actor.user_id, "signed_by_name": actor.display_name,
            "signed_on": now.date(), "signed_at": now}


def _cleared_sign_off() -> dict:
    return {"signed_by_user_id": None, "signed_by_external_id": None, "signed_by_name": "",
            "recorded_by_user_id": None, "signed_on": None, "signed_at": None, "signed_by_role": "",
            "signed_by_organisation": "", "signed_by_registration": "", "received_via": ""}


def _stale(what: str):
    from arrs_desk.errors import StaleEdit

    return StaleEdit(
        f"Someone else changed this {what} after you opened it, so your changes were not saved. "
        "Close it, reopen it to see their changes, and make yours again.")


def _schedule_summary(catalogue: SupervisionCatalogue, required: bool, steps, until: int | None) -> str:
    parts = []
    for i, (from_month, code) in enumerate(steps):
        frequency = catalogue.frequency(code)
        label = frequency.label if frequency else code
        parts.append(label if i == 0 else f"{label.lower()} from month {from_month}")
    text = ", then ".join(parts)
    if until is not None:
        text += f"; ends after {until} months"
    return f"{'Required' if required else 'Optional'}: {text}"


def _discard(agreement) -> None:
    """Remove a file this attempt stored when the database refused the record of it."""
    if isinstance(agreement, evidence.StoredFile) and agreement.created:
        from arrs_desk.paths import evidence_dir

        evidence.discard(evidence_dir(), agreement.stored_name)
