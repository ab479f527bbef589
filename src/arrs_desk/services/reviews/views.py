"""What the review screens send and receive: the editor's inputs and the read shapes.

Plain frozen data, so the screens, the appraisal pack and the tests can hold a review without a
database session. The service modules beside this one fill them in; nothing here reads the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from arrs_desk.domain import reviews as rules
from arrs_desk.domain.reviews import (  # noqa: F401  (ReviewCapabilities: part of what a detail holds)
    DueReview, DueStatus, ImpactKind, ObjectiveStatus, Outcome, PdpStatus, ReviewCapabilities, ReviewKind,
    ReviewState,
)
from arrs_desk.services.choices import Choice

# --------------------------------------------------------------------------- inputs


@dataclass
class ObjectiveInput:
    """One objective as the editor holds it; `id` is None for a new one."""

    id: int | None = None
    description: str = ""
    measure: str = ""
    due_date: date | None = None
    status: str = ObjectiveStatus.NOT_STARTED.value
    progress: str = ""


@dataclass
class PdpInput:
    id: int | None = None
    need: str = ""
    action: str = ""
    support: str = ""
    target_date: date | None = None
    status: str = PdpStatus.PLANNED.value


@dataclass
class ReviewInput:
    staff_id: int | None = None
    kind: str = ReviewKind.ANNUAL.value
    probation_month: int | None = None
    period_start: date | None = None
    period_end: date | None = None
    meeting_date: date | None = None
    appraiser_staff_id: int | None = None
    appraiser_external_id: int | None = None
    appraiser_summary: str = ""
    outcome: str = Outcome.UNDECIDED.value
    outcome_note: str = ""
    objectives: list[ObjectiveInput] = field(default_factory=list)
    pdp: list[PdpInput] = field(default_factory=list)


@dataclass
class ImpactInput:
    staff_id: int | None = None
    kind: str = ImpactKind.CASE_STUDY.value
    title: str = ""
    description: str = ""
    measure: str = ""
    value: str = ""
    occurred_on: date | None = None


# --------------------------------------------------------------------------- read shapes


@dataclass(frozen=True, slots=True)
class ObjectiveRow:
    id: int
    position: int
    description: str
    measure: str
    due_date: date | None
    status: str
    status_label: str
    progress: str
    carried_from_id: int | None
    carried_from: str
    """'Carried forward from the annual appraisal of 20/11/2025', or ''."""
    carried_to: str
    """'Carried forward to the interim review of 21/05/2026', or ''."""

    @property
    def is_open(self) -> bool:
        return self.status in rules.OPEN_OBJECTIVE_STATUSES

    def as_input(self) -> ObjectiveInput:
        return ObjectiveInput(self.id, self.description, self.measure, self.due_date, self.status, self.progress)


@dataclass(frozen=True, slots=True)
class PdpRow:
    id: int
    position: int
    need: str
    action: str
    support: str
    target_date: date | None
    status: str
    status_label: str

    def as_input(self) -> PdpInput:
        return PdpInput(self.id, self.need, self.action, self.support, self.target_date, self.status)


@dataclass(frozen=True, slots=True)
class SignatureRow:
    party: str
    party_label: str
    name: str
    signed_on: date | None
    on_paper: bool
    recorded_by: str
    comment: str


@dataclass(frozen=True, slots=True)
class ReviewRow:
    id: int
    version: int
    staff_id: int
    display_name: str
    sort_key: str
    role_code: str
    role_title: str
    arrs: bool
    practice_ids: tuple[int, ...]
    practices: str
    kind: str
    probation_month: int | None
    kind_label: str
    period_start: date
    period_end: date
    meeting_date: date | None
    appraiser_staff_id: int | None
    appraiser_external_id: int | None
    appraiser_name: str
    outcome: str
    outcome_label: str
    state: ReviewState
    state_label: str
    appraiser_signed: bool
    appraisee_signed: bool
    objectives_total: int
    objectives_open: int
    pdp_total: int

    @property
    def signed_label(self) -> str:
        if self.appraiser_signed and self.appraisee_signed:
            return "Both"
        if self.appraiser_signed:
            return "Appraiser only"
        if self.appraisee_signed:
            return "Appraisee only"
        return "Not yet"

    @property
    def when(self) -> date:
        return self.meeting_date or self.period_end


@dataclass(frozen=True)
class ReviewDetail:
    row: ReviewRow
    objectives: tuple[ObjectiveRow, ...]
    pdp: tuple[PdpRow, ...]
    signatures: tuple[SignatureRow, ...]
    self_assessment: str | None
    """None when the viewer may not read it."""
    reflections: str | None
    appraiser_summary: str
    outcome_note: str
    locked: bool
    can: ReviewCapabilities
    previous_open: int
    """Open objectives in the previous review not yet carried into any review."""

    @property
    def id(self) -> int:
        return self.row.id

    @property
    def version(self) -> int:
        return self.row.version

    def as_input(self) -> ReviewInput:
        r = self.row
        return ReviewInput(
            staff_id=r.staff_id, kind=r.kind, probation_month=r.probation_month, period_start=r.period_start,
            period_end=r.period_end, meeting_date=r.meeting_date, appraiser_staff_id=r.appraiser_staff_id,
            appraiser_external_id=r.appraiser_external_id, appraiser_summary=self.appraiser_summary,
            outcome=r.outcome, outcome_note=self.outcome_note,
            objectives=[o.as_input() for o in self.objectives], pdp=[p.as_input() for p in self.pdp],
        )


@dataclass(frozen=True, slots=True)
class ImpactRow:
    id: int
    version: int
    staff_id: int
    kind: str
    kind_label: str
    title: str
    description: str
    measure: str
    value: str
    occurred_on: date
    recorded_by: str
    can_edit: bool

    def as_input(self) -> ImpactInput:
        return ImpactInput(self.staff_id, self.kind, self.title, self.description, self.measure, self.value,
                           self.occurred_on)


@dataclass(frozen=True)
class PersonReviews:
    staff_id: int
    display_name: str
    role_title: str
    practices: str
    start_date: date
    staff_status: str
    line_manager: str
    today: date
    due: tuple[DueReview, ...]
    next: DueReview | None
    reviews: tuple[ReviewRow, ...]
    """Newest first."""
    impact: tuple[ImpactRow, ...]
    """Newest first."""
    can_create: bool
    can_record_impact: bool
    can_print_pack: bool


class DueCounts(NamedTuple):
    """Home's reviews card: of the people in ARRS roles the Reviews page lists, how many there are,
    and how many are overdue and due soon."""

    people: int
    overdue: int
    due_soon: int


class DueRow(NamedTuple):
    """What is due for one person: a named tuple, not a frozen dataclass, as it is made for everyone
    in post on every fresh read of Home and Reviews, and a named tuple is made in half the time."""

    staff_id: int
    display_name: str
    sort_key: str
    role_code: str
    role_title: str
    arrs: bool
    practice_ids: tuple[int, ...]
    practices: str
    line_manager: str
    start_date: date
    due: tuple[DueReview, ...]
    next: DueReview | None
    status: DueStatus
    last_review: str
    last_review_on: date | None
    appraiser: str
    open_objectives: int
    can_print: bool

    @property
    def status_label(self) -> str:
        return self.status.label


@dataclass(frozen=True)
class ReviewOverview:
    today: date
    due_rows: tuple[DueRow, ...]
    held_rows: tuple[ReviewRow, ...]
    """Every recorded review of the people shown, newest first."""


@dataclass(frozen=True)
class ReviewChoices:
    """What the review editor's drop-downs need, read in one go."""

    staff_id: int
    display_name: str
    start_date: date
    kinds: tuple[Choice, ...]
    probation_months: tuple[int, ...]
    appraisers: tuple[Choice, ...]
    """Colleagues who may be named (value: staff id; hint: role)."""
    externals: tuple[Choice, ...]
    objective_statuses: tuple[Choice, ...]
    pdp_statuses: tuple[Choice, ...]
    outcomes: tuple[Choice, ...]
    last_period_end: date | None
    previous_open: tuple[ObjectiveRow, ...]
    """Open objectives of the latest review, offered for carrying forward into a new one."""
    today: date

    def suggested_period(self, kind: str, meeting: date) -> tuple[date, date]:
        return rules.suggested_period(kind, self.start_date, self.last_period_end, meeting)

