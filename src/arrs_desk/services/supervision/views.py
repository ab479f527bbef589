"""The shapes that cross the supervision service's boundary: what a form sends in, what a screen reads.

Plain dataclasses with no behaviour beyond a few derived flags, so the screens, the reports and the
tests can build and compare them without a database. Every other module of the package fills them in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from arrs_desk.domain.signatures import SignedOnBehalf
from arrs_desk.domain.supervision import STATUS_SEVERITY, ComplianceStatus, SessionFormat
from arrs_desk.services.external_people import ExternalSignatureInput
from arrs_desk.services.staff import Choice

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


@dataclass(frozen=True, slots=True)
class ExternalConfirmation:
    """An external supervisor's confirmation of one session, as the form or e-mail gave it."""

    session_id: int
    expected_version: int
    signature: ExternalSignatureInput


# --------------------------------------------------------------------------- read shapes


@dataclass(frozen=True, slots=True)
class TypeColumn:
    code: str
    title: str
    description: str


NEEDS_ACTION = STATUS_SEVERITY[ComplianceStatus.OVERDUE]
"""A cell needs action from this severity up: overdue, never held or not arranged."""


class MatrixCell(NamedTuple):
    """One person and one supervision type. Named tuples, not frozen dataclasses, for the matrix's
    cells and rows: made for everyone in a read (13,000 arranged cells at 5,000 staff), a named tuple
    is made in half the time, and is as unchangeable."""

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
        return self.severity >= NEEDS_ACTION


class MatrixRow(NamedTuple):
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
    """The attendees the reader may see; nobody else's id leaves the service (`attendee_count`
    counts everyone)."""
    attendees: tuple[str, ...]
    attendee_count: int
    """How many attended, those the reader may not see too."""
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
    """People the actor may record a session for (the person first), for group sessions: those not
    left, and those who have left (with a last day) for a session held while they were in post."""
    attendee_dates: dict[int, tuple[date, date | None]] = field(default_factory=dict)
    """attendee id -> (first day, last day or None): the dialog offers those in post on the session's date."""


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
    partly_seen_groups: int = 0
    """Group sessions in the period that included people the reader may not see: only the share of
    their time that falls to the people the reader may see is counted, and the page says so."""

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
