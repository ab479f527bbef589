"""What an appraisal pack shows, as plain frozen data: the one input of the pack builders.

The appraisal pack service fills this from the other services for one person and one period;
the PDF builder (`appraisal_pack`) and the printable rendition (`pack_html`) only read it. Kept
free of ReportLab so the service can import it without loading the PDF machinery.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class PackPerson:
    display_name: str
    role_title: str
    practices: tuple[str, ...]
    employer: str
    employment: str
    start_date: date
    status_label: str
    band: str
    hours: str
    registration: str
    registration_renewal: date | None
    registration_note: str
    """'Renewal due within 90 days', 'Expired', or '' when in date or not registered."""
    line_manager: str
    supervisors: tuple[tuple[str, str], ...]
    """(kind of supervision, supervisor) for each current arrangement."""
    appraiser: str
    formal_name: str = ""
    """With the title ('Dr Priya Patel'), for the cover and the signature page; lists use display_name."""

    @property
    def named(self) -> str:
        return self.formal_name or self.display_name


@dataclass(frozen=True, slots=True)
class PackInductionItem:
    section: str
    title: str
    due_on: date | None
    status_label: str


@dataclass(frozen=True)
class PackInduction:
    recorded: bool
    percent: int = 0
    done: int = 0
    applicable: int = 0
    overdue: int = 0
    awaiting: int = 0
    outstanding: tuple[PackInductionItem, ...] = ()
    training_alerts: tuple[PackInductionItem, ...] = ()
    """Training that has expired or expires soon."""
    prior: str = ""
    """Without a checklist: 'Induction completed before records began (dd/mm/yyyy), attested by X, role'."""
    prior_note: str = ""
    prior_evidence: str = ""
    """The name of the scanned record kept with it, if any."""


@dataclass(frozen=True, slots=True)
class PackGap:
    type_title: str
    start: date
    end: date
    days: int


@dataclass(frozen=True, slots=True)
class PackSupervisionType:
    title: str
    required: bool
    frequency: str
    held: int
    expected: int
    minutes: int
    last_session: date | None
    supervisors: str


@dataclass(frozen=True, slots=True)
class PackSession:
    held_on: date
    type_title: str
    supervisor: str
    minutes: int | None
    format_label: str
    topics: str


@dataclass(frozen=True)
class PackSupervision:
    types: tuple[PackSupervisionType, ...] = ()
    gaps: tuple[PackGap, ...] = ()
    sessions: tuple[PackSession, ...] = ()
    themes: tuple[tuple[str, int], ...] = ()
    total_hours: float = 0.0


@dataclass(frozen=True, slots=True)
class PackMilestone:
    title: str
    due: date
    status_label: str
    held_on: date | None


@dataclass(frozen=True)
class PackProgramme:
    title: str
    status_label: str
    start_date: date
    expected_end: date
    completed_on: date | None
    preceptor: str
    assessor: str
    progress: float
    time_elapsed: float
    milestones_held: int
    milestones_total: int
    milestones_overdue: int
    competencies_signed: int
    competencies_total: int
    protected_logged: float
    protected_expected: float
    behind: tuple[str, ...]
    milestones: tuple[PackMilestone, ...]


@dataclass(frozen=True, slots=True)
class PackObjective:
    description: str
    measure: str
    due_date: date | None
    status_label: str
    progress: str
    origin: str
    """Where it was agreed, and where it went: 'Set at the annual appraisal of 10/12/2025'."""


@dataclass(frozen=True, slots=True)
class PackPdpItem:
    need: str
    action: str
    support: str
    target_date: date | None
    status_label: str


@dataclass(frozen=True, slots=True)
class PackSignature:
    party_label: str
    name: str
    signed_on: date | None
    how: str


@dataclass(frozen=True)
class PackReview:
    kind_label: str
    meeting_date: date | None
    period_start: date
    period_end: date
    appraiser: str
    state_label: str
    outcome_label: str
    outcome_note: str
    summary: str
    self_assessment: str | None
    """None when the person printing may not read it."""
    reflections: str | None
    signatures: tuple[PackSignature, ...]


@dataclass(frozen=True, slots=True)
class PackImpact:
    occurred_on: date
    kind_label: str
    title: str
    description: str
    measure: str
    value: str
    recorded_by: str


@dataclass(frozen=True, slots=True)
class PackAuditLine:
    at: datetime
    who: str
    action_label: str
    summary: str


@dataclass(frozen=True, slots=True)
class PackRequirement:
    """One thing a regulator asks for in a cycle, against what is recorded (the rules file's counts)."""

    code: str
    label: str
    have: float
    need: float
    met: bool
    measure: str = ""
    """The rules file's measure: 'cpd-hours', 'evidence-count'..."""
    evidence: str = ""
    """The kind of evidence it counts, or '' for a CPD measure."""
    note: str = ""


@dataclass(frozen=True)
class PackRevalidation:
    """A person's current revalidation cycle, as the appraisal pack and the regulator packs show it."""

    regulator: str
    register: str  # the register's name ("GPhC register: pharmacists"), not its code
    registration_number: str
    status_label: str
    reason: str
    cycle_start: date | None
    cycle_end: date | None
    due: date | None
    requirements: tuple[PackRequirement, ...]
    cpd_records: int = 0
    evidence_counts: tuple[tuple[str, int], ...] = ()
    """(kind of evidence, how many count towards the cycle), in the order the kinds are listed."""


@dataclass(frozen=True)
class AppraisalPackData:
    """Everything one person's appraisal pack shows, for one period."""

    staff_id: int
    organisation: str
    period_start: date
    period_end: date
    printed_on: date
    printed_by: str
    person: PackPerson
    induction: PackInduction
    supervision: PackSupervision
    programmes: tuple[PackProgramme, ...]
    earlier_reviews: tuple[PackReview, ...]
    """Reviews held in the period before the current one, oldest first."""
    previous_objectives: tuple[PackObjective, ...]
    previous_pdp: tuple[PackPdpItem, ...]
    current_review: PackReview | None
    """The review this pack prepares for (or records): the latest one, if it falls in or after the period."""
    current_objectives: tuple[PackObjective, ...]
    current_pdp: tuple[PackPdpItem, ...]
    impact: tuple[PackImpact, ...]
    audit: tuple[PackAuditLine, ...]
    audit_omitted: int = 0
    """Older audit lines left out to keep the appendix readable."""
    revalidation: PackRevalidation | None = None
    """None when the person is on no register with revalidation rules."""
