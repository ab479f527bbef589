"""The shapes the programme service takes in and hands out: the enrolment form's input and the
read-only rows and views the screens, exports and certificate show.

Plain frozen data, so a screen can hold one without reaching the database; every figure in
them was worked out by `arrs_desk.domain.programme_progress` before they were made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from arrs_desk.domain.programmes import EnrolmentStatus, MilestoneStatus
from arrs_desk.reports.certificate_data import CertificateData
from arrs_desk.services.choices import Choice
from arrs_desk.services.evidence import EvidenceRow  # noqa: F401  (part of this package's read shapes)

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


Certificate = CertificateData
"""What the completion certificate prints: the PDF builder's own plain data, filled in by
`ProgrammeService.certificate`."""
