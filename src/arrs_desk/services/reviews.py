"""Reviews and appraisals, and the impact log that feeds them.

A review (probation, interim or annual) is written by the person's line manager or the named
appraiser; the person writes their own self-assessment and reflections; each party signs for
themself. Objectives and the development plan are saved together with the review in one
transaction, under the review's version, so two people editing the same review cannot both win.

Once both parties have signed, the review is the record of what was agreed and is not changed:
a change to a review one party has signed clears that signature, and the audit trail says so.
Open objectives are carried to the next review as linked copies; the originals stay as signed.

When each review is due is decided in `arrs_desk.domain.reviews`; this module gathers the facts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from arrs_desk.domain import reviews as rules
from arrs_desk.domain import staff as staff_rules
from arrs_desk.domain.dates import add_months
from arrs_desk.domain.permissions import AccessRole, Action, Relationship, denial
from arrs_desk.domain.reviews import (
    DueReview, DueStatus, ImpactKind, ObjectiveStatus, Outcome, Party, PdpStatus, ReviewKind, ReviewState,
)
from arrs_desk.domain.staff import StaffStatus
from arrs_desk.errors import PermissionDenied, StaleEdit, ValidationError
from arrs_desk.services import audit
from arrs_desk.services._common import apply_update, clean_text, get_or_404, require
from arrs_desk.services.accounts import MODE_KEY, MULTI_USER
from arrs_desk.services.actor import Actor
from arrs_desk.services.relationships import appraisee_ids, managed_ids, relationship, visible_staff_ids
from arrs_desk.services.staff import Choice
from arrs_desk.store.database import Database
from arrs_desk.store.models import (
    ExternalPerson, ImpactEntry, Organisation, Review, ReviewObjective, ReviewPdpItem, ReviewSignOff, Role, Setting,
    Staff, StaffPractice, UserAccount, utcnow,
)

PRIVATE = "(private)"
"""What the audit trail holds instead of self-assessments and reflections: administrators read
the audit trail, and these are for the person and those who manage or appraise them."""

MAX_ITEMS = 20
MAX_PERIOD_MONTHS = 24
MAX_AHEAD_MONTHS = 12
MAX_PAST_YEARS = 10
APPRAISER_ROLES = frozenset({AccessRole.APPRAISER.value, AccessRole.LINE_MANAGER.value})


def _uk(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


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


@dataclass(frozen=True, slots=True)
class ReviewCapabilities:
    edit: bool
    delete: bool
    read_self_assessment: bool
    write_self_assessment: bool
    sign_as_appraiser: bool
    sign_as_appraisee: bool
    record_paper_appraiser: bool
    record_paper_appraisee: bool


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


@dataclass(frozen=True, slots=True)
class DueRow:
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


# --------------------------------------------------------------------------- the service


class ReviewService:
    def __init__(self, db: Database, today: Callable[[], date]):
        self._db = db
        self._today = today

    # ======================================================================= reading
    def overview(self, actor: Actor) -> ReviewOverview:
        """Everyone the actor may see who is in post: what is due, and every review held."""
        today = self._today()
        with self._db.read() as session:
            visible = visible_staff_ids(session, actor, today)
            people_stmt = select(Staff.id, Staff.given_name, Staff.family_name, Staff.preferred_name, Staff.role_code,
                                 Staff.start_date, Staff.status, Staff.line_manager_id)
            people = {row.id: row for row in session.execute(people_stmt)}
            wanted = set(people) if visible is None else visible & set(people)
            review_stmt = select(*(getattr(Review, c) for c in _LIST_COLUMNS))
            if visible is not None:
                review_stmt = review_stmt.where(Review.staff_id.in_(wanted or {-1}))
            reviews = session.execute(review_stmt).all()
            facts = self._counts(session, None if visible is None else wanted)
            roles = {code: (title, arrs) for code, title, arrs in session.execute(select(Role.code, Role.title, Role.arrs))}
            org_names = dict(session.execute(select(Organisation.id, Organisation.name)).all())
            practices: dict[int, list[int]] = {}
            for staff_id, org_id in session.execute(select(StaffPractice.staff_id, StaffPractice.organisation_id)):
                practices.setdefault(staff_id, []).append(org_id)
            rels = self._relationship_sets(session, actor, today)
        names = {sid: staff_rules.display_name(p.given_name, p.family_name, p.preferred_name) for sid, p in people.items()}
        by_person: dict[int, list[Review]] = {}
        for review in reviews:
            by_person.setdefault(review.staff_id, []).append(review)
        context = _RowContext(names, roles, org_names, practices, facts, today)
        held_rows = sorted((context.row(r, people[r.staff_id]) for r in reviews if r.staff_id in people),
                           key=lambda r: (r.when, r.id), reverse=True)
        due_rows = []
        for staff_id in wanted:
            person = people[staff_id]
            if person.status in (StaffStatus.LEFT.value, StaffStatus.PRE_START.value) or person.start_date > today:
                continue
            own = by_person.get(staff_id, [])
            due = rules.due_reviews(person.start_date, (_fact(r) for r in own), today)
            upcoming = rules.next_due(due)
            held = [r for r in own if rules.is_held(r.meeting_date, today)]
            last = max(held, key=lambda r: (r.meeting_date, r.id)) if held else None
            latest = max(own, key=lambda r: (r.meeting_date or r.period_end, r.id)) if own else None
            role_title, arrs = roles.get(person.role_code, (person.role_code, False))
            practice_ids = tuple(sorted(practices.get(staff_id, ()), key=lambda i: org_names.get(i, "")))
            due_rows.append(DueRow(
                staff_id=staff_id, display_name=names[staff_id], sort_key=staff_rules.search_key(names[staff_id]),
                role_code=person.role_code, role_title=role_title, arrs=arrs, practice_ids=practice_ids,
                practices=", ".join(org_names.get(i, "") for i in practice_ids),
                line_manager=names.get(person.line_manager_id, "") if person.line_manager_id else "",
                start_date=person.start_date, due=due, next=upcoming,
                status=upcoming.status if upcoming else DueStatus.UP_TO_DATE,
                last_review=rules.kind_label(last.kind, last.probation_month) if last else "",
                last_review_on=last.meeting_date if last else None,
                appraiser=latest.appraiser_name if latest else "",
                open_objectives=facts.open_objectives_of(latest.id) if latest else 0,
                can_print=rels.may(staff_id, Action.PRINT_PACK),
            ))
        due_rows.sort(key=lambda r: r.sort_key)
        return ReviewOverview(today, tuple(due_rows), tuple(held_rows))

    def person(self, actor: Actor, *, staff_id: int) -> PersonReviews:
        today = self._today()
        with self._db.read() as session:
            rel = relationship(session, actor, staff_id, today)
            require(actor, Action.VIEW_STAFF, rel)
            staff = get_or_404(session, Staff, staff_id, "staff member")
            reviews = session.execute(select(Review).where(Review.staff_id == staff_id)).scalars().all()
            context = self._context(session, [staff_id], reviews, today)
            manager = session.get(Staff, staff.line_manager_id) if staff.line_manager_id else None
            impact = self._impact_rows(session, actor, rel, staff_id, None, None)
        rows = sorted((context.row(r, staff) for r in reviews), key=lambda r: (r.when, r.id), reverse=True)
        due = rules.due_reviews(staff.start_date, (_fact(r) for r in reviews), today)
        in_post = staff.status not in (StaffStatus.LEFT.value, StaffStatus.PRE_START.value) and staff.start_date <= today
        role = context.roles.get(staff.role_code, (staff.role_code, False))[0]
        return PersonReviews(
            staff_id=staff_id, display_name=context.names[staff_id], role_title=role,
            practices=", ".join(context.org_names.get(i, "") for i in sorted(context.practices.get(staff_id, ()))),
            start_date=staff.start_date, staff_status=staff.status,
            line_manager=staff_rules.display_name(manager.given_name, manager.family_name, manager.preferred_name)
            if manager else "",
            today=today, due=due if in_post else (), next=rules.next_due(due) if in_post else None,
            reviews=tuple(rows), impact=tuple(impact),
            can_create=denial(actor.roles, Action.WRITE_REVIEW, rel) is None,
            can_record_impact=denial(actor.roles, Action.RECORD_IMPACT, rel) is None,
            can_print_pack=denial(actor.roles, Action.PRINT_PACK, rel) is None,
        )

    def review(self, actor: Actor, *, review_id: int) -> ReviewDetail:
        today = self._today()
        with self._db.read() as session:
            review = get_or_404(session, Review, review_id, "review")
            rel = relationship(session, actor, review.staff_id, today)
            require(actor, Action.VIEW_STAFF, rel)
            return self._detail(session, actor, rel, review, today)

    def reviews_of(self, actor: Actor, *, staff_id: int) -> list[ReviewDetail]:
        """Every review of one person in full, oldest first: what the appraisal pack reads."""
        today = self._today()
        with self._db.read() as session:
            rel = relationship(session, actor, staff_id, today)
            require(actor, Action.VIEW_STAFF, rel)
            reviews = session.execute(
                select(Review).where(Review.staff_id == staff_id).order_by(Review.period_end, Review.id)
            ).scalars().all()
            shared = _Shared(self._context(session, [staff_id], reviews, today), list(reviews), {}, {})
            details = [self._detail(session, actor, rel, r, today, shared) for r in reviews]
        return sorted(details, key=lambda d: (d.row.when, d.id))

    def impact_log(self, actor: Actor, *, staff_id: int, start: date | None = None,
                   end: date | None = None) -> list[ImpactRow]:
        """One person's impact entries, newest first, optionally within a period (both days included)."""
        today = self._today()
        with self._db.read() as session:
            rel = relationship(session, actor, staff_id, today)
            require(actor, Action.VIEW_STAFF, rel)
            get_or_404(session, Staff, staff_id, "staff member")
            return self._impact_rows(session, actor, rel, staff_id, start, end)

    def form_choices(self, actor: Actor, *, staff_id: int, review_id: int | None = None) -> ReviewChoices:
        today = self._today()
        with self._db.read() as session:
            require(actor, Action.VIEW_STAFF, relationship(session, actor, staff_id, today))
            staff = get_or_404(session, Staff, staff_id, "staff member")
            role_titles = dict(session.execute(select(Role.code, Role.title)).all())
            people = session.execute(
                select(Staff.id, Staff.given_name, Staff.family_name, Staff.preferred_name, Staff.role_code)
                .where(Staff.status != StaffStatus.LEFT.value, Staff.id != staff_id)
            ).all()
            eligible = self._eligible_appraisers(session, {p[0] for p in people})
            externals = session.execute(
                select(ExternalPerson).where(ExternalPerson.active).order_by(ExternalPerson.name)).scalars().all()
            reviews = session.execute(select(Review).where(Review.staff_id == staff_id)).scalars().all()
            current = next((r for r in reviews if r.id == review_id), None)
            earlier = [r for r in reviews if r.id != review_id and (current is None or _when(r, r.id) < _when(current, current.id))]
            previous = max(earlier, key=lambda r: _when(r, r.id)) if earlier else None
            previous_open: tuple[ObjectiveRow, ...] = ()
            if previous is not None:
                context = self._context(session, [staff_id], [previous], today)
                previous_open = tuple(o for o in context.objective_rows(previous.id) if o.is_open and not o.carried_to)
        appraisers = sorted(
            (Choice(p[0], staff_rules.display_name(p[1], p[2], p[3]), role_titles.get(p[4], p[4]))
             for p in people if p[0] in eligible),
            key=lambda c: staff_rules.search_key(c.label))
        return ReviewChoices(
            staff_id=staff_id, display_name=staff_rules.display_name(staff.given_name, staff.family_name,
                                                                     staff.preferred_name),
            start_date=staff.start_date,
            kinds=tuple(Choice(k.value, k.label) for k in (ReviewKind.ANNUAL, ReviewKind.INTERIM, ReviewKind.PROBATION)),
            probation_months=rules.PROBATION_MONTHS,
            appraisers=tuple(appraisers),
            externals=tuple(Choice(e.id, e.name, ", ".join(x for x in (e.job_title, e.organisation) if x))
                            for e in externals),
            objective_statuses=tuple(Choice(s.value, s.label) for s in ObjectiveStatus),
            pdp_statuses=tuple(Choice(s.value, s.label) for s in PdpStatus),
            outcomes=tuple(Choice(o.value, o.label) for o in Outcome),
            last_period_end=previous.period_end if previous else None,
            previous_open=previous_open, today=today,
        )

    # ======================================================================= writing reviews
    def create_review(self, actor: Actor, *, data: ReviewInput, carry_forward: bool = True) -> ReviewDetail:
        """Record a review (booked or held). `carry_forward` copies the open objectives of the
        person's previous review into this one, linked to the originals."""
        return self._run(actor, lambda session, today: self._create(session, actor, today, data, carry_forward))

    def update_review(self, actor: Actor, *, review_id: int, data: ReviewInput, expected_version: int) -> ReviewDetail:
        return self._run(actor, lambda session, today: self._update(session, actor, today, review_id, data,
                                                                    expected_version))

    def carry_forward(self, actor: Actor, *, review_id: int, expected_version: int) -> ReviewDetail:
        """Copy the previous review's open objectives into this one (those not carried already)."""
        return self._run(actor, lambda session, today: self._carry(session, actor, today, review_id, expected_version))

    def write_self_assessment(self, actor: Actor, *, review_id: int, self_assessment: str, reflections: str,
                              expected_version: int) -> ReviewDetail:
        """The person's own words before (or after) the meeting. Only they may write them."""
        return self._run(actor, lambda session, today: self._self_assess(
            session, actor, today, review_id, self_assessment, reflections, expected_version))

    def sign(self, actor: Actor, *, review_id: int, party: str, expected_version: int, comment: str = "") -> ReviewDetail:
        """Sign in the app as the named appraiser, or as the person appraised."""
        return self._run(actor, lambda session, today: self._sign(session, actor, today, review_id, party,
                                                                  expected_version, comment))

    def record_paper_signature(self, actor: Actor, *, review_id: int, party: str, signed_on: date | None,
                               expected_version: int) -> ReviewDetail:
        """Enter a signature made on the printed signature page by someone who cannot sign in the
        app: an external appraiser, or a person without an account."""
        return self._run(actor, lambda session, today: self._paper(session, actor, today, review_id, party, signed_on,
                                                                   expected_version))

    def _run(self, actor: Actor, change: Callable[[Session, date], Review]) -> ReviewDetail:
        """One transaction: the change (checked, validated and audited), then the review as it now reads."""
        today = self._today()
        with self._db.write() as session:
            review = change(session, today)
            session.flush()
            return self._detail(session, actor, relationship(session, actor, review.staff_id, today), review, today)

    # The changes themselves, each within a caller's transaction. The demonstration data uses
    # them directly to write a person's whole history in one transaction.
    def _create(self, session: Session, actor: Actor, today: date, data: ReviewInput, carry_forward: bool) -> Review:
        staff = self._staff_for(session, data.staff_id)
        require(actor, Action.WRITE_REVIEW, relationship(session, actor, staff.id, today))
        values, objectives, pdp = self._validated(session, data, staff, None, today)
        review = Review(**values, staff_id=staff.id, created_by_user_id=actor.user_id,
                        created_by_name=actor.display_name)
        session.add(review)
        session.flush()
        self._write_children(session, review, objectives, pdp, {}, {})
        carried = self._carry_forward(session, review) if carry_forward else 0
        audit.record(
            session, actor, "create", "review", review.id,
            f"Recorded {rules.kind_label(review.kind, review.probation_month).lower()} for {_name(session, staff.id)}"
            + (f" with {review.appraiser_name}" if review.appraiser_name else "")
            + (f"; {carried} objective{'s' if carried != 1 else ''} carried forward" if carried else ""),
            {**audit.diff({}, _audited(values)), "objectives": len(objectives) + carried, "pdp_items": len(pdp)},
            subject_staff_id=staff.id,
        )
        return review

    def _update(self, session: Session, actor: Actor, today: date, review_id: int, data: ReviewInput,
                expected_version: int) -> Review:
        review = get_or_404(session, Review, review_id, "review")
        require(actor, Action.WRITE_REVIEW, relationship(session, actor, review.staff_id, today))
        self._check_version(review, expected_version)
        self._refuse_if_locked(session, review)
        if data.staff_id is not None and data.staff_id != review.staff_id:
            raise ValidationError.single("staff_id", "A review cannot be moved to another person; record a new one.")
        staff = session.get(Staff, review.staff_id)
        values, objectives, pdp = self._validated(session, data, staff, review, today)
        before = {k: getattr(review, k) for k in values}
        old_objectives = {o.id: o for o in self._objectives(session, review.id)}
        old_pdp = {p.id: p for p in self._pdp(session, review.id)}
        self._refuse_removing_carried(session, old_objectives, objectives)
        changes = audit.diff(_audited(before), _audited(values))
        changes.update(self._write_children(session, review, objectives, pdp, old_objectives, old_pdp))
        apply_update(session, review, values, expected_version, "review")
        cleared = self._clear_signatures(session, review) if changes else []
        if changes:
            audit.record(
                session, actor, "update", "review", review.id,
                f"Updated the {rules.kind_label(review.kind, review.probation_month).lower()} of "
                f"{_name(session, review.staff_id)}: " + ", ".join(changes)
                + (f"; {' and '.join(cleared)} signature cleared" if cleared else ""),
                {**changes, **({"signatures_cleared": cleared} if cleared else {})},
                subject_staff_id=review.staff_id,
            )
        return review

    def _carry(self, session: Session, actor: Actor, today: date, review_id: int, expected_version: int) -> Review:
        review = get_or_404(session, Review, review_id, "review")
        require(actor, Action.WRITE_REVIEW, relationship(session, actor, review.staff_id, today))
        self._check_version(review, expected_version)
        self._refuse_if_locked(session, review)
        carried = self._carry_forward(session, review)
        if not carried:
            raise ValidationError.single(
                "objectives", "The previous review has no open objectives left to carry forward: they are "
                "achieved, closed, or already carried into a review.")
        apply_update(session, review, {}, expected_version, "review")
        cleared = self._clear_signatures(session, review)
        audit.record(session, actor, "update", "review", review.id,
                     f"Carried {carried} open objective{'s' if carried != 1 else ''} forward into the "
                     f"{rules.kind_label(review.kind, review.probation_month).lower()} of {_name(session, review.staff_id)}",
                     {"objectives_carried_forward": carried, **({"signatures_cleared": cleared} if cleared else {})},
                     subject_staff_id=review.staff_id)
        return review

    def _self_assess(self, session: Session, actor: Actor, today: date, review_id: int, self_assessment: str,
                     reflections: str, expected_version: int) -> Review:
        assessment = clean_text(self_assessment, multiline=True)
        reflection = clean_text(reflections, multiline=True)
        review = get_or_404(session, Review, review_id, "review")
        require(actor, Action.WRITE_REFLECTIONS, relationship(session, actor, review.staff_id, today))
        self._check_version(review, expected_version)
        self._refuse_if_locked(session, review)
        errors = {}
        for key, value, label in (("self_assessment", assessment, "Self-assessment"),
                                  ("reflections", reflection, "Reflections")):
            if len(value) > rules.MAX_LONG_TEXT:
                errors[key] = f"{label} is too long ({len(value):,} characters); {rules.MAX_LONG_TEXT:,} is the most."
        if errors:
            raise ValidationError(errors)
        changed = [k for k, v in (("self_assessment", assessment), ("reflections", reflection))
                   if getattr(review, k) != v]
        apply_update(session, review, {"self_assessment": assessment, "reflections": reflection},
                     expected_version, "review")
        cleared = self._clear_signatures(session, review) if changed else []
        if changed:
            audit.record(session, actor, "update", "review_self_assessment", review.id,
                         f"{_name(session, review.staff_id)} updated their self-assessment for the "
                         f"{rules.kind_label(review.kind, review.probation_month).lower()}",
                         {**{k: [PRIVATE, PRIVATE] for k in changed},
                          **({"signatures_cleared": cleared} if cleared else {})},
                         subject_staff_id=review.staff_id)
        return review

    def _sign(self, session: Session, actor: Actor, today: date, review_id: int, party: str, expected_version: int,
              comment: str) -> Review:
        comment = clean_text(comment, multiline=True)
        review = get_or_404(session, Review, review_id, "review")
        rel = relationship(session, actor, review.staff_id, today)
        side = self._party(party)
        if side is Party.APPRAISER:
            if actor.staff_id is None or actor.staff_id != review.appraiser_staff_id:
                raise PermissionDenied(
                    f"Only the named appraiser{f', {review.appraiser_name},' if review.appraiser_name else ''} "
                    "can sign as appraiser.")
            require(actor, Action.WRITE_REVIEW, rel)
        else:
            if not rel.is_self:
                raise PermissionDenied(f"Only {_name(session, review.staff_id)} can sign as the person appraised.")
            require(actor, Action.WRITE_REFLECTIONS, rel)
        self._check_version(review, expected_version)
        self._check_signable(session, review, side, today, comment)
        now = utcnow()
        session.add(ReviewSignOff(
            review_id=review.id, party=side.value, comment=comment, signed_by_user_id=actor.user_id,
            signed_by_name=actor.display_name, recorded_by_user_id=actor.user_id, signed_on=now.date(), signed_at=now))
        apply_update(session, review, {}, expected_version, "review")
        audit.record(session, actor, "sign_off", "review", review.id,
                     f"{actor.display_name} signed the {rules.kind_label(review.kind, review.probation_month).lower()} "
                     f"of {_name(session, review.staff_id)} as {side.label.lower()}",
                     {"party": side.value, "comment": comment}, subject_staff_id=review.staff_id)
        return review

    def _paper(self, session: Session, actor: Actor, today: date, review_id: int, party: str, signed_on: date | None,
               expected_version: int) -> Review:
        review = get_or_404(session, Review, review_id, "review")
        require(actor, Action.WRITE_REVIEW, relationship(session, actor, review.staff_id, today))
        side = self._party(party)
        self._check_version(review, expected_version)
        if side is Party.APPRAISER:
            if review.appraiser_external_id is None and self._has_account(session, review.appraiser_staff_id):
                raise ValidationError.single("party", (
                    f"{review.appraiser_name} has an ARRS Desk account, so they sign as appraiser themself."))
            signer = review.appraiser_name
        else:
            if self._has_account(session, review.staff_id):
                raise ValidationError.single("party", (
                    f"{_name(session, review.staff_id)} has an ARRS Desk account, so they sign their review themself."))
            signer = _name(session, review.staff_id)
        errors = {}
        if signed_on is None:
            errors["signed_on"] = "Enter the date written beside the signature."
        elif signed_on > today:
            errors["signed_on"] = f"The signature date ({_uk(signed_on)}) is in the future; enter the date it was signed."
        elif review.meeting_date is not None and signed_on < review.meeting_date:
            errors["signed_on"] = (f"The signature date ({_uk(signed_on)}) is before the meeting "
                                   f"({_uk(review.meeting_date)}); a review is signed at or after the meeting.")
        if errors:
            raise ValidationError(errors)
        self._check_signable(session, review, side, today, "")
        session.add(ReviewSignOff(
            review_id=review.id, party=side.value,
            signed_by_external_id=review.appraiser_external_id if side is Party.APPRAISER else None,
            signed_by_name=signer, recorded_by_user_id=actor.user_id, signed_on=signed_on))
        apply_update(session, review, {}, expected_version, "review")
        audit.record(session, actor, "sign_off", "review", review.id,
                     f"Recorded {signer}'s signature on paper ({_uk(signed_on)}) as {side.label.lower()} of the "
                     f"{rules.kind_label(review.kind, review.probation_month).lower()} of "
                     f"{_name(session, review.staff_id)}",
                     {"party": side.value, "signed_on": signed_on.isoformat(), "on_paper": True},
                     subject_staff_id=review.staff_id)
        return review

    def delete_review(self, actor: Actor, *, review_id: int, expected_version: int) -> None:
        """Remove a review recorded by mistake: only before anyone has signed it, and only if
        none of its objectives has been carried into a later review."""
        today = self._today()
        with self._db.write() as session:
            review = get_or_404(session, Review, review_id, "review")
            require(actor, Action.WRITE_REVIEW, relationship(session, actor, review.staff_id, today))
            self._check_version(review, expected_version)
            if self._signatures(session, review.id):
                raise ValidationError.single("review", "This review has been signed, so it is kept as the record. "
                                                       "Correct it instead, or record what changed at the next review.")
            objective_ids = [o.id for o in self._objectives(session, review.id)]
            if objective_ids and session.execute(select(ReviewObjective.id).where(
                    ReviewObjective.carried_from_id.in_(objective_ids)).limit(1)).first():
                raise ValidationError.single("review", "Objectives from this review have been carried into a later "
                                                       "review, so it cannot be removed.")
            label = rules.kind_label(review.kind, review.probation_month).lower()
            for model in (ReviewObjective, ReviewPdpItem):
                for child in session.execute(select(model).where(model.review_id == review.id)).scalars():
                    session.delete(child)
            session.flush()
            session.delete(review)
            audit.record(session, actor, "delete", "review", review_id,
                         f"Removed the {label} of {_name(session, review.staff_id)} "
                         f"({_uk(review.meeting_date) or 'no meeting date'})",
                         {"kind": [review.kind, None], "meeting_date": [_uk(review.meeting_date) or None, None]},
                         subject_staff_id=review.staff_id)

    # ======================================================================= writing the impact log
    def add_impact(self, actor: Actor, *, data: ImpactInput) -> ImpactRow:
        today = self._today()
        with self._db.write() as session:
            entry = self._add_impact(session, actor, today, data)
            return self._impact_row(entry, relationship(session, actor, entry.staff_id, today), actor)

    def _add_impact(self, session: Session, actor: Actor, today: date, data: ImpactInput) -> ImpactEntry:
        staff = self._staff_for(session, data.staff_id)
        require(actor, Action.RECORD_IMPACT, relationship(session, actor, staff.id, today))
        values = self._impact_values(data, staff, today)
        entry = ImpactEntry(**values, staff_id=staff.id, recorded_by_user_id=actor.user_id,
                            recorded_by_name=actor.display_name)
        session.add(entry)
        session.flush()
        audit.record(session, actor, "create", "impact_entry", entry.id,
                     f"Recorded {ImpactKind(entry.kind).label.lower()} '{entry.title}' for {_name(session, staff.id)}",
                     audit.diff({}, values), subject_staff_id=staff.id)
        return entry

    def update_impact(self, actor: Actor, *, entry_id: int, data: ImpactInput, expected_version: int) -> ImpactRow:
        today = self._today()
        with self._db.write() as session:
            entry = get_or_404(session, ImpactEntry, entry_id, "impact entry")
            rel = relationship(session, actor, entry.staff_id, today)
            require(actor, Action.RECORD_IMPACT, rel)
            staff = session.get(Staff, entry.staff_id)
            values = self._impact_values(data, staff, today)
            before = {k: getattr(entry, k) for k in values}
            changes = audit.diff(before, values)
            apply_update(session, entry, values, expected_version, "impact entry")
            if changes:
                audit.record(session, actor, "update", "impact_entry", entry.id,
                             f"Updated '{entry.title}' in the impact log of {_name(session, entry.staff_id)}: "
                             + ", ".join(changes), changes, subject_staff_id=entry.staff_id)
            return self._impact_row(entry, rel, actor)

    def delete_impact(self, actor: Actor, *, entry_id: int, expected_version: int) -> None:
        today = self._today()
        with self._db.write() as session:
            entry = get_or_404(session, ImpactEntry, entry_id, "impact entry")
            require(actor, Action.RECORD_IMPACT, relationship(session, actor, entry.staff_id, today))
            if entry.version != expected_version:
                raise StaleEdit("Someone else changed this impact entry after you opened it, so it was not removed. "
                                "Reopen the impact log to see their change.")
            session.delete(entry)
            audit.record(session, actor, "delete", "impact_entry", entry_id,
                         f"Removed '{entry.title}' ({_uk(entry.occurred_on)}) from the impact log of "
                         f"{_name(session, entry.staff_id)}",
                         {"title": [entry.title, None], "occurred_on": [entry.occurred_on.isoformat(), None]},
                         subject_staff_id=entry.staff_id)

    # ======================================================================= internals: reading
    def _context(self, session: Session, staff_ids: list[int], reviews: list[Review], today: date) -> "_RowContext":
        people = session.execute(
            select(Staff.id, Staff.given_name, Staff.family_name, Staff.preferred_name).where(Staff.id.in_(staff_ids))
        ).all()
        names = {p.id: staff_rules.display_name(p.given_name, p.family_name, p.preferred_name) for p in people}
        roles = {code: (title, arrs) for code, title, arrs in session.execute(select(Role.code, Role.title, Role.arrs))}
        org_names = dict(session.execute(select(Organisation.id, Organisation.name)).all())
        practices: dict[int, list[int]] = {}
        for sid, org_id in session.execute(select(StaffPractice.staff_id, StaffPractice.organisation_id)
                                           .where(StaffPractice.staff_id.in_(staff_ids))):
            practices.setdefault(sid, []).append(org_id)
        facts = self._row_facts(session, [r.id for r in reviews], set(staff_ids))
        return _RowContext(names, roles, org_names, practices, facts, today)

    @staticmethod
    def _counts(session: Session, staff_ids: set[int] | None) -> "_Counts":
        """Objective, plan item and signature counts per review in three grouped queries."""
        def where(model, stmt):
            return stmt if staff_ids is None or len(staff_ids) > 500 else stmt.where(
                model.staff_id.in_(staff_ids or {-1}))

        open_statuses = [s.value for s in rules.OPEN_OBJECTIVE_STATUSES]
        objectives, open_ = {}, {}
        for review_id, status, count in session.execute(where(ReviewObjective, select(
                ReviewObjective.review_id, ReviewObjective.status, func.count()).group_by(
                ReviewObjective.review_id, ReviewObjective.status))):
            objectives[review_id] = objectives.get(review_id, 0) + count
            if status in open_statuses:
                open_[review_id] = open_.get(review_id, 0) + count
        pdp = dict(session.execute(where(ReviewPdpItem, select(ReviewPdpItem.review_id, func.count()).group_by(
            ReviewPdpItem.review_id))).all())
        signatures: dict[int, dict[str, bool]] = {}
        for review_id, party in session.execute(select(ReviewSignOff.review_id, ReviewSignOff.party)):
            signatures.setdefault(review_id, {})[party] = True
        return _Counts(objectives, open_, pdp, signatures)

    @staticmethod
    def _row_facts(session: Session, review_ids: list[int], staff_ids: set[int] | None) -> "_Facts":
        """Objectives, plans and sign-offs of many reviews in three queries."""
        objectives_stmt = select(ReviewObjective).order_by(ReviewObjective.review_id, ReviewObjective.position)
        pdp_stmt = select(ReviewPdpItem).order_by(ReviewPdpItem.review_id, ReviewPdpItem.position)
        if staff_ids is not None:
            objectives_stmt = objectives_stmt.where(ReviewObjective.staff_id.in_(staff_ids or {-1}))
            pdp_stmt = pdp_stmt.where(ReviewPdpItem.staff_id.in_(staff_ids or {-1}))
        objectives: dict[int, list[ReviewObjective]] = {}
        by_id: dict[int, ReviewObjective] = {}
        for o in session.execute(objectives_stmt).scalars():
            objectives.setdefault(o.review_id, []).append(o)
            by_id[o.id] = o
        pdp: dict[int, list[ReviewPdpItem]] = {}
        for p in session.execute(pdp_stmt).scalars():
            pdp.setdefault(p.review_id, []).append(p)
        signatures: dict[int, dict[str, ReviewSignOff]] = {}
        wanted = set(review_ids)
        for s in session.execute(select(ReviewSignOff)).scalars() if len(wanted) > 500 else session.execute(
                select(ReviewSignOff).where(ReviewSignOff.review_id.in_(wanted or {-1}))).scalars():
            if s.review_id in wanted:
                signatures.setdefault(s.review_id, {})[s.party] = s
        review_ids_of_objectives = {o.review_id for o in by_id.values()}
        reviews = {r.id: r for r in session.execute(
            select(Review).where(Review.id.in_(review_ids_of_objectives or {-1}))).scalars()}
        return _Facts(objectives, pdp, signatures, by_id, reviews)

    def _detail(self, session: Session, actor: Actor, rel: Relationship, review: Review, today: date,
                shared: "_Shared | None" = None) -> ReviewDetail:
        """One review as a view shows it. `shared` carries what several reviews of one person have
        in common (read once), so a whole history costs a handful of queries."""
        staff = session.get(Staff, review.staff_id)
        if shared is None:
            siblings = list(session.execute(select(Review).where(Review.staff_id == review.staff_id)).scalars())
            shared = _Shared(self._context(session, [review.staff_id], [review], today), siblings, {}, {})
        context = shared.context
        row = context.row(review, staff)
        signatures = context.facts.signatures.get(review.id, {})
        locked = len(signatures) == 2
        can_read = denial(actor.roles, Action.READ_REFLECTIONS, rel) is None
        write = denial(actor.roles, Action.WRITE_REVIEW, rel) is None
        held = rules.is_held(review.meeting_date, today)
        appraiser_open = held and Party.APPRAISER.value not in signatures
        appraisee_open = held and Party.APPRAISEE.value not in signatures
        is_appraiser = actor.staff_id is not None and actor.staff_id == review.appraiser_staff_id
        appraiser_paper = review.appraiser_external_id is not None or (
            review.appraiser_staff_id is not None and not shared.has_account(self, session, review.appraiser_staff_id))
        appraisee_paper = not shared.has_account(self, session, review.staff_id)
        can = ReviewCapabilities(
            edit=write and not locked,
            delete=write and not signatures,
            read_self_assessment=can_read,
            write_self_assessment=denial(actor.roles, Action.WRITE_REFLECTIONS, rel) is None and not locked,
            sign_as_appraiser=is_appraiser and write and appraiser_open,
            sign_as_appraisee=rel.is_self and denial(actor.roles, Action.WRITE_REFLECTIONS, rel) is None and appraisee_open,
            record_paper_appraiser=write and appraiser_open and appraiser_paper,
            record_paper_appraisee=write and appraisee_open and appraisee_paper,
        )
        previous_open = 0
        if can.edit:
            earlier = [r for r in shared.reviews if r.id != review.id and _when(r, r.id) < _when(review, review.id)]
            if earlier:
                previous = max(earlier, key=lambda r: _when(r, r.id))
                previous_open = sum(1 for o in context.facts.objectives.get(previous.id, ())
                                    if o.status in rules.OPEN_OBJECTIVE_STATUSES and context.facts.carried_to(o.id) is None)
        wanted = {s.recorded_by_user_id for s in signatures.values()} - shared.user_names.keys()
        shared.user_names.update(self._user_names(session, wanted))
        recorders = shared.user_names
        return ReviewDetail(
            row=row,
            objectives=context.objective_rows(review.id),
            pdp=tuple(PdpRow(p.id, p.position, p.need, p.action, p.support, p.target_date, p.status,
                             PdpStatus(p.status).label) for p in context.facts.pdp.get(review.id, ())),
            signatures=tuple(
                SignatureRow(s.party, Party(s.party).label, s.signed_by_name, s.signed_on,
                             on_paper=s.signed_at is None, recorded_by=recorders.get(s.recorded_by_user_id, ""),
                             comment=s.comment)
                for s in sorted(signatures.values(), key=lambda s: s.party != Party.APPRAISER.value)),
            self_assessment=review.self_assessment if can_read else None,
            reflections=review.reflections if can_read else None,
            appraiser_summary=review.appraiser_summary, outcome_note=review.outcome_note,
            locked=locked, can=can, previous_open=previous_open,
        )

    def _impact_rows(self, session: Session, actor: Actor, rel: Relationship, staff_id: int,
                     start: date | None, end: date | None) -> list[ImpactRow]:
        stmt = select(ImpactEntry).where(ImpactEntry.staff_id == staff_id)
        if start is not None:
            stmt = stmt.where(ImpactEntry.occurred_on >= start)
        if end is not None:
            stmt = stmt.where(ImpactEntry.occurred_on <= end)
        entries = session.execute(stmt.order_by(ImpactEntry.occurred_on.desc(), ImpactEntry.id.desc())).scalars()
        return [self._impact_row(e, rel, actor) for e in entries]

    @staticmethod
    def _impact_row(entry: ImpactEntry, rel: Relationship, actor: Actor) -> ImpactRow:
        return ImpactRow(entry.id, entry.version, entry.staff_id, entry.kind, ImpactKind(entry.kind).label, entry.title,
                         entry.description, entry.measure, entry.value, entry.occurred_on, entry.recorded_by_name,
                         can_edit=denial(actor.roles, Action.RECORD_IMPACT, rel) is None)

    @staticmethod
    def _relationship_sets(session: Session, actor: Actor, today: date) -> "_Relationships":
        """Relationship facts for a whole list from two set queries, not one lookup per person."""
        if actor.staff_id is None and not actor.sole_user:
            return _Relationships(actor, set(), set(), everyone=False)
        if actor.sole_user:
            return _Relationships(actor, set(), set(), everyone=True)
        managed = managed_ids(session, actor.staff_id) if AccessRole.LINE_MANAGER in actor.roles else set()
        appraised = appraisee_ids(session, actor.staff_id) if AccessRole.APPRAISER in actor.roles else set()
        return _Relationships(actor, managed, appraised, everyone=False)

    # ======================================================================= internals: writing
    @staticmethod
    def _staff_for(session: Session, staff_id: int | None) -> Staff:
        if staff_id is None:
            raise ValidationError.single("staff_id", "Choose the person this is about.")
        return get_or_404(session, Staff, staff_id, "staff member")

    @staticmethod
    def _check_version(review: Review, expected_version: int) -> None:
        if review.version != expected_version:
            raise StaleEdit("Someone else changed this review after you opened it, so your change was not saved. "
                            "Close it, reopen it to see their changes, and make yours again.")

    def _refuse_if_locked(self, session: Session, review: Review) -> None:
        if len(self._signatures(session, review.id)) == 2:
            raise ValidationError.single("review", (
                "Both the appraiser and the person appraised have signed this review, so it is kept as it was "
                "agreed. Record anything new at the next review."))

    @staticmethod
    def _party(party: str) -> Party:
        try:
            return Party(party)
        except ValueError:
            raise ValidationError.single("party", "Choose who is signing: the appraiser or the person appraised.") from None

    def _check_signable(self, session: Session, review: Review, side: Party, today: date, comment: str) -> None:
        errors = {}
        if review.meeting_date is None:
            errors["meeting_date"] = "Record the meeting date first: a review is signed once the meeting has been held."
        elif review.meeting_date > today:
            errors["meeting_date"] = (f"The meeting is booked for {_uk(review.meeting_date)}; sign the review once it "
                                      "has been held.")
        if side is Party.APPRAISER and review.outcome == Outcome.UNDECIDED:
            errors["outcome"] = "Choose the outcome (agreed, or needs follow-up) before the appraiser signs."
        if side.value in self._signatures(session, review.id):
            errors["party"] = f"The {side.label.lower()} has already signed this review."
        if len(comment) > rules.MAX_NOTE:
            errors["comment"] = f"Keep the comment to {rules.MAX_NOTE:,} characters or fewer (it has {len(comment):,})."
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def _signatures(session: Session, review_id: int) -> dict[str, ReviewSignOff]:
        return {s.party: s for s in session.execute(
            select(ReviewSignOff).where(ReviewSignOff.review_id == review_id)).scalars()}

    def _clear_signatures(self, session: Session, review: Review) -> list[str]:
        """A change after one party signed takes their signature away: they sign what is there now."""
        cleared = []
        for party, row in self._signatures(session, review.id).items():
            session.delete(row)
            cleared.append(Party(party).label.lower())
        session.flush()
        return sorted(cleared)

    @staticmethod
    def _has_account(session: Session, staff_id: int | None) -> bool:
        if staff_id is None:
            return False
        return session.execute(select(UserAccount.id).where(
            UserAccount.staff_id == staff_id, UserAccount.active).limit(1)).first() is not None

    @staticmethod
    def _multi_user(session: Session) -> bool:
        setting = session.get(Setting, MODE_KEY)
        return setting is not None and setting.value == MULTI_USER

    def _eligible_appraisers(self, session: Session, staff_ids: set[int]) -> set[int]:
        """Colleagues who may be named appraiser. With personal accounts, only those whose account
        lets them write and sign a review; in single-user mode anyone (they sign on paper)."""
        if not self._multi_user(session):
            return staff_ids
        eligible = set()
        for staff_id, roles in session.execute(
                select(UserAccount.staff_id, UserAccount.roles).where(UserAccount.active, UserAccount.staff_id.is_not(None))):
            if staff_id in staff_ids and APPRAISER_ROLES & set(roles):
                eligible.add(staff_id)
        return eligible

    def _validated(self, session: Session, data: ReviewInput, staff: Staff, review: Review | None,
                   today: date) -> tuple[dict[str, Any], list[ObjectiveInput], list[PdpInput]]:
        """Check every field of the review and its items; report all problems at once."""
        errors: dict[str, str] = {}
        try:
            kind = ReviewKind(data.kind)
        except ValueError:
            errors["kind"] = "Choose the kind of review: probation review, interim review or annual appraisal."
            kind = None
        month = data.probation_month
        if kind is ReviewKind.PROBATION:
            if month not in rules.PROBATION_MONTHS:
                errors["probation_month"] = ("Choose which probation review this is: at "
                                             + " or ".join(f"{m} months" for m in rules.PROBATION_MONTHS) + ".")
        else:
            month = None
        start, end = data.period_start, data.period_end
        if start is None or end is None:
            errors["period"] = "Enter the period the review covers: a start date and an end date."
        elif end < start:
            errors["period"] = (f"The period ends ({_uk(end)}) before it starts ({_uk(start)}); "
                                "check the dates.")
        elif end > add_months(start, MAX_PERIOD_MONTHS):
            errors["period"] = f"A review covers at most {MAX_PERIOD_MONTHS} months; shorten the period."
        elif end > add_months(today, MAX_AHEAD_MONTHS):
            errors["period"] = f"The period ends more than {MAX_AHEAD_MONTHS} months from now; check the year."
        meeting = data.meeting_date
        if meeting is not None:
            if meeting < staff.start_date:
                errors["meeting_date"] = (f"The meeting date ({_uk(meeting)}) is before {_uk(staff.start_date)}, "
                                          "when this person started.")
            elif meeting > add_months(today, MAX_AHEAD_MONTHS):
                errors["meeting_date"] = (f"The meeting date ({_uk(meeting)}) is more than {MAX_AHEAD_MONTHS} months "
                                          "ahead; check the year.")
            elif meeting < add_months(today, -12 * MAX_PAST_YEARS):
                errors["meeting_date"] = f"The meeting date ({_uk(meeting)}) is more than {MAX_PAST_YEARS} years ago."

        appraiser_name = ""
        staff_appraiser, external_appraiser = data.appraiser_staff_id, data.appraiser_external_id
        if (staff_appraiser is None) == (external_appraiser is None):
            errors["appraiser"] = "Choose the appraiser: a colleague, or an appraiser from outside the PCN."
        elif staff_appraiser is not None:
            colleague = session.get(Staff, staff_appraiser)
            if staff_appraiser == staff.id:
                errors["appraiser"] = "Nobody appraises themself: choose another colleague as appraiser."
            elif colleague is None or colleague.status == StaffStatus.LEFT:
                errors["appraiser"] = "The chosen appraiser is not a current member of staff; choose another."
            elif staff_appraiser not in self._eligible_appraisers(session, {staff_appraiser}) and (
                    review is None or review.appraiser_staff_id != staff_appraiser):
                errors["appraiser"] = (
                    f"{staff_rules.display_name(colleague.given_name, colleague.family_name, colleague.preferred_name)} "
                    "cannot write or sign reviews in ARRS Desk: choose a colleague whose account has the appraiser "
                    "or line manager role, or an appraiser from outside the PCN.")
            else:
                appraiser_name = staff_rules.display_name(colleague.given_name, colleague.family_name,
                                                          colleague.preferred_name)
        else:
            external = session.get(ExternalPerson, external_appraiser)
            if external is None or (not external.active and (review is None or review.appraiser_external_id != external_appraiser)):
                errors["appraiser"] = "The chosen external appraiser is no longer on the list; choose another."
            else:
                appraiser_name = external.name

        summary = clean_text(data.appraiser_summary, multiline=True)
        if len(summary) > rules.MAX_LONG_TEXT:
            errors["appraiser_summary"] = (f"The discussion summary is too long ({len(summary):,} characters); "
                                           f"{rules.MAX_LONG_TEXT:,} is the most.")
        try:
            outcome = Outcome(data.outcome or "")
        except ValueError:
            errors["outcome"] = "Choose the outcome: not yet decided, agreed, or needs follow-up."
            outcome = Outcome.UNDECIDED
        note = clean_text(data.outcome_note, multiline=True)
        if outcome is not Outcome.UNDECIDED and not rules.is_held(meeting, today):
            errors["outcome"] = "Record the outcome once the meeting has been held (its date today or earlier)."
        elif outcome is Outcome.FOLLOW_UP and not note:
            errors["outcome_note"] = "Say what follow-up is needed, by whom and by when."
        if len(note) > rules.MAX_NOTE:
            errors["outcome_note"] = f"The outcome note is too long ({len(note):,} characters); {rules.MAX_NOTE:,} is the most."

        objectives = self._checked_objectives(data.objectives, review, session, errors)
        pdp = self._checked_pdp(data.pdp, review, session, errors)
        if errors:
            raise ValidationError(errors)
        return (dict(kind=kind.value, probation_month=month, period_start=start, period_end=end, meeting_date=meeting,
                     appraiser_staff_id=staff_appraiser, appraiser_external_id=external_appraiser,
                     appraiser_name=appraiser_name, appraiser_summary=summary, outcome=outcome.value,
                     outcome_note=note), objectives, pdp)

    @staticmethod
    def _checked_objectives(items: list[ObjectiveInput], review: Review | None, session: Session,
                            errors: dict[str, str]) -> list[ObjectiveInput]:
        problems, cleaned = [], []
        known = set() if review is None else set(session.execute(
            select(ReviewObjective.id).where(ReviewObjective.review_id == review.id)).scalars())
        if len(items) > MAX_ITEMS:
            problems.append(f"A review can hold at most {MAX_ITEMS} objectives; this one has {len(items)}.")
        for number, item in enumerate(items, start=1):
            description = clean_text(item.description, multiline=True)
            measure = clean_text(item.measure, multiline=True)
            progress = clean_text(item.progress, multiline=True)
            said = []
            if item.id is not None and item.id not in known:
                said.append("it belongs to another review; reopen this review and try again")
            if sum(ch.isalnum() for ch in description) < 5:
                said.append("describe what is to be achieved")
            elif len(description) > rules.MAX_NOTE:
                said.append(f"keep the description to {rules.MAX_NOTE:,} characters")
            if not measure:
                said.append("say how achievement will be measured")
            elif len(measure) > rules.MAX_NOTE:
                said.append(f"keep the measure to {rules.MAX_NOTE:,} characters")
            if item.due_date is None:
                said.append("give the date it should be achieved by")
            if item.status not in {s.value for s in ObjectiveStatus}:
                said.append("choose a status")
            if len(progress) > rules.MAX_NOTE:
                said.append(f"keep the progress note to {rules.MAX_NOTE:,} characters")
            if said:
                problems.append(f"Objective {number}: " + "; ".join(said) + ".")
            cleaned.append(ObjectiveInput(item.id, description, measure, item.due_date, item.status, progress))
        if problems:
            errors["objectives"] = "\n".join(problems)
        return cleaned

    @staticmethod
    def _checked_pdp(items: list[PdpInput], review: Review | None, session: Session,
                     errors: dict[str, str]) -> list[PdpInput]:
        problems, cleaned = [], []
        known = set() if review is None else set(session.execute(
            select(ReviewPdpItem.id).where(ReviewPdpItem.review_id == review.id)).scalars())
        if len(items) > MAX_ITEMS:
            problems.append(f"A development plan can hold at most {MAX_ITEMS} items; this one has {len(items)}.")
        for number, item in enumerate(items, start=1):
            need, action, support = (clean_text(v, multiline=True) for v in (item.need, item.action, item.support))
            said = []
            if item.id is not None and item.id not in known:
                said.append("it belongs to another review; reopen this review and try again")
            if sum(ch.isalnum() for ch in need) < 3:
                said.append("say what the development need is")
            if sum(ch.isalnum() for ch in action) < 3:
                said.append("say what will be done to meet it")
            for value, label in ((need, "need"), (action, "action"), (support, "support")):
                if len(value) > rules.MAX_NOTE:
                    said.append(f"keep the {label} to {rules.MAX_NOTE:,} characters")
            if item.status not in {s.value for s in PdpStatus}:
                said.append("choose a status")
            if said:
                problems.append(f"Development plan item {number}: " + "; ".join(said) + ".")
            cleaned.append(PdpInput(item.id, need, action, support, item.target_date, item.status))
        if problems:
            errors["pdp"] = "\n".join(problems)
        return cleaned

    @staticmethod
    def _objectives(session: Session, review_id: int) -> list[ReviewObjective]:
        return list(session.execute(select(ReviewObjective).where(ReviewObjective.review_id == review_id)
                                    .order_by(ReviewObjective.position)).scalars())

    @staticmethod
    def _pdp(session: Session, review_id: int) -> list[ReviewPdpItem]:
        return list(session.execute(select(ReviewPdpItem).where(ReviewPdpItem.review_id == review_id)
                                    .order_by(ReviewPdpItem.position)).scalars())

    @staticmethod
    def _carried_ids(session: Session, objective_ids: list[int]) -> set[int]:
        """Which of these objectives already have a copy in a later review."""
        if not objective_ids:
            return set()
        return set(session.execute(select(ReviewObjective.carried_from_id).where(
            ReviewObjective.carried_from_id.in_(objective_ids))).scalars())

    def _refuse_removing_carried(self, session: Session, old: dict[int, ReviewObjective],
                                 kept: list[ObjectiveInput]) -> None:
        removed = set(old) - {o.id for o in kept if o.id is not None}
        carried = self._carried_ids(session, sorted(removed))
        if carried:
            titles = "; ".join(f"“{_short(old[i].description)}”" for i in sorted(carried))
            raise ValidationError.single("objectives", (
                f"These objectives have been carried forward to a later review, so they stay on this one: {titles}. "
                "Change their status instead of removing them."))

    def _write_children(self, session: Session, review: Review, objectives: list[ObjectiveInput], pdp: list[PdpInput],
                        old_objectives: dict[int, ReviewObjective], old_pdp: dict[int, ReviewPdpItem]) -> dict:
        """Apply the editor's lists: update kept items, add new ones, remove the rest. Returns
        the audit entries for what changed."""
        changes: dict[str, Any] = {}
        fields = ("description", "measure", "due_date", "status", "progress")
        kept = set()
        for position, item in enumerate(objectives):
            values = {k: getattr(item, k) for k in fields} | {"position": position}
            if item.id is not None and item.id in old_objectives:
                row = old_objectives[item.id]
                kept.add(item.id)
                diff = audit.diff({k: getattr(row, k) for k in fields}, {k: values[k] for k in fields})
                if diff:
                    changes[f"objective {position + 1}"] = diff
                for k, v in values.items():
                    setattr(row, k, v)
            else:
                session.add(ReviewObjective(review_id=review.id, staff_id=review.staff_id, **values))
                changes[f"objective {position + 1}"] = "added"
        for oid, row in old_objectives.items():
            if oid not in kept:
                changes[f"objective removed: {_short(row.description)}"] = "removed"
                session.delete(row)
        pdp_fields = ("need", "action", "support", "target_date", "status")
        kept = set()
        for position, item in enumerate(pdp):
            values = {k: getattr(item, k) for k in pdp_fields} | {"position": position}
            if item.id is not None and item.id in old_pdp:
                row = old_pdp[item.id]
                kept.add(item.id)
                diff = audit.diff({k: getattr(row, k) for k in pdp_fields}, {k: values[k] for k in pdp_fields})
                if diff:
                    changes[f"development plan item {position + 1}"] = diff
                for k, v in values.items():
                    setattr(row, k, v)
            else:
                session.add(ReviewPdpItem(review_id=review.id, staff_id=review.staff_id, **values))
                changes[f"development plan item {position + 1}"] = "added"
        for pid, row in old_pdp.items():
            if pid not in kept:
                changes[f"development plan item removed: {_short(row.need)}"] = "removed"
                session.delete(row)
        session.flush()
        return changes

    def _previous_review(self, session: Session, review: Review) -> Review | None:
        others = session.execute(select(Review).where(Review.staff_id == review.staff_id, Review.id != review.id)).scalars()
        earlier = [r for r in others if _when(r, r.id) < _when(review, review.id)]
        return max(earlier, key=lambda r: _when(r, r.id)) if earlier else None

    def _carry_forward(self, session: Session, review: Review) -> int:
        previous = self._previous_review(session, review)
        if previous is None:
            return 0
        source = self._objectives(session, previous.id)
        carried = self._carried_ids(session, [o.id for o in source])
        position = len(self._objectives(session, review.id))
        count = 0
        for objective in source:
            if objective.status not in rules.OPEN_OBJECTIVE_STATUSES or objective.id in carried:
                continue
            session.add(ReviewObjective(
                review_id=review.id, staff_id=review.staff_id, position=position, description=objective.description,
                measure=objective.measure, due_date=objective.due_date, status=objective.status, progress="",
                carried_from_id=objective.id))
            position += 1
            count += 1
        session.flush()
        return count

    @staticmethod
    def _impact_values(data: ImpactInput, staff: Staff, today: date) -> dict[str, Any]:
        errors: dict[str, str] = {}
        try:
            kind = ImpactKind(data.kind)
        except ValueError:
            errors["kind"] = ("Choose the kind of evidence: a case study, a process measure, a patient-reported "
                              "outcome or other evidence.")
            kind = None
        title = clean_text(data.title)
        description = clean_text(data.description, multiline=True)
        measure = clean_text(data.measure)
        value = clean_text(data.value)
        if sum(ch.isalnum() for ch in title) < 3:
            errors["title"] = "Give the entry a short title, such as the service or patient group it is about."
        elif len(title) > rules.MAX_TITLE:
            errors["title"] = f"The title is too long ({len(title)} characters); {rules.MAX_TITLE} is the most."
        if len(description) > rules.MAX_LONG_TEXT:
            errors["description"] = (f"The description is too long ({len(description):,} characters); "
                                     f"{rules.MAX_LONG_TEXT:,} is the most.")
        elif kind is ImpactKind.CASE_STUDY and sum(ch.isalnum() for ch in description) < 20:
            errors["description"] = "Tell the story of the case: what the need was, what you did and what changed."
        if len(measure) > 200:
            errors["measure"] = "Keep the measure to 200 characters or fewer."
        if len(value) > 100:
            errors["value"] = "Keep the value to 100 characters or fewer."
        if kind in (ImpactKind.PROCESS_MEASURE, ImpactKind.PATIENT_REPORTED):
            if not measure:
                errors["measure"] = ("Say what was measured, such as 'Referrals handled' or 'Goal attainment (GAS)'.")
            if not value:
                errors["value"] = "Enter the figure, such as '212' or '+8 points'."
        day = data.occurred_on
        if day is None:
            errors["occurred_on"] = "Enter the date (or the end of the period) this evidence is from."
        elif day > today:
            errors["occurred_on"] = f"The date ({_uk(day)}) is in the future; enter when it happened."
        elif day < add_months(today, -12 * MAX_PAST_YEARS):
            errors["occurred_on"] = f"The date ({_uk(day)}) is more than {MAX_PAST_YEARS} years ago; check the year."
        if errors:
            raise ValidationError(errors)
        return dict(kind=kind.value, title=title, description=description, measure=measure, value=value,
                    occurred_on=day)

    @staticmethod
    def _user_names(session: Session, ids: set[int | None]) -> dict[int, str]:
        wanted = {i for i in ids if i is not None}
        if not wanted:
            return {}
        return dict(session.execute(select(UserAccount.id, UserAccount.display_name)
                                    .where(UserAccount.id.in_(wanted))).all())


# --------------------------------------------------------------------------- helpers


@dataclass(slots=True)
class _Facts:
    objectives: dict[int, list[ReviewObjective]]
    pdp: dict[int, list[ReviewPdpItem]]
    signatures: dict[int, dict[str, ReviewSignOff]]
    objective_by_id: dict[int, ReviewObjective]
    reviews: dict[int, Review]
    _carried_to: dict[int, ReviewObjective] | None = None

    def open_objectives_of(self, review_id: int) -> int:
        return sum(1 for o in self.objectives.get(review_id, ()) if o.status in rules.OPEN_OBJECTIVE_STATUSES)

    def objectives_of(self, review_id: int) -> int:
        return len(self.objectives.get(review_id, ()))

    def pdp_of(self, review_id: int) -> int:
        return len(self.pdp.get(review_id, ()))

    def carried_to(self, objective_id: int) -> ReviewObjective | None:
        if self._carried_to is None:
            self._carried_to = {o.carried_from_id: o for o in self.objective_by_id.values() if o.carried_from_id}
        return self._carried_to.get(objective_id)


@dataclass(slots=True)
class _Counts:
    """The figures a list of reviews shows, counted in the database: lists of a whole PCN's
    reviews need no objective or plan item loaded."""

    objectives: dict[int, int]
    open: dict[int, int]
    pdp: dict[int, int]
    signatures: dict[int, dict[str, bool]]

    def open_objectives_of(self, review_id: int) -> int:
        return self.open.get(review_id, 0)

    def objectives_of(self, review_id: int) -> int:
        return self.objectives.get(review_id, 0)

    def pdp_of(self, review_id: int) -> int:
        return self.pdp.get(review_id, 0)


_LIST_COLUMNS = ("id", "version", "staff_id", "kind", "probation_month", "period_start", "period_end", "meeting_date",
                 "appraiser_staff_id", "appraiser_external_id", "appraiser_name", "outcome")
"""What the review lists read: never the long texts."""


@dataclass(slots=True)
class _RowContext:
    names: dict[int, str]
    roles: dict[str, tuple[str, bool]]
    org_names: dict[int, str]
    practices: dict[int, list[int]]
    facts: _Facts | _Counts
    today: date

    def row(self, review: Review, staff) -> ReviewRow:
        name = self.names.get(review.staff_id, "")
        role_title, arrs = self.roles.get(staff.role_code, (staff.role_code, False))
        practice_ids = tuple(sorted(self.practices.get(review.staff_id, ()), key=lambda i: self.org_names.get(i, "")))
        signatures = self.facts.signatures.get(review.id, {})
        appraiser_signed = Party.APPRAISER.value in signatures
        appraisee_signed = Party.APPRAISEE.value in signatures
        state = rules.review_state(review.meeting_date, self.today, appraiser_signed=appraiser_signed,
                                   appraisee_signed=appraisee_signed)
        return ReviewRow(
            id=review.id, version=review.version, staff_id=review.staff_id, display_name=name,
            sort_key=staff_rules.search_key(name), role_code=staff.role_code, role_title=role_title, arrs=arrs,
            practice_ids=practice_ids, practices=", ".join(self.org_names.get(i, "") for i in practice_ids),
            kind=review.kind, probation_month=review.probation_month,
            kind_label=rules.kind_label(review.kind, review.probation_month),
            period_start=review.period_start, period_end=review.period_end, meeting_date=review.meeting_date,
            appraiser_staff_id=review.appraiser_staff_id, appraiser_external_id=review.appraiser_external_id,
            appraiser_name=review.appraiser_name, outcome=review.outcome, outcome_label=Outcome(review.outcome).label,
            state=state, state_label=state.label, appraiser_signed=appraiser_signed, appraisee_signed=appraisee_signed,
            objectives_total=self.facts.objectives_of(review.id), objectives_open=self.facts.open_objectives_of(review.id),
            pdp_total=self.facts.pdp_of(review.id),
        )

    def objective_rows(self, review_id: int) -> tuple[ObjectiveRow, ...]:
        rows = []
        for o in self.facts.objectives.get(review_id, ()):
            source = self.facts.objective_by_id.get(o.carried_from_id) if o.carried_from_id else None
            copy = self.facts.carried_to(o.id)
            rows.append(ObjectiveRow(
                id=o.id, position=o.position, description=o.description, measure=o.measure, due_date=o.due_date,
                status=o.status, status_label=ObjectiveStatus(o.status).label, progress=o.progress,
                carried_from_id=o.carried_from_id,
                carried_from=f"Carried forward from the {self._review_label(source.review_id)}" if source else "",
                carried_to=f"Carried forward to the {self._review_label(copy.review_id)}" if copy else "",
            ))
        return tuple(rows)

    def _review_label(self, review_id: int) -> str:
        review = self.facts.reviews.get(review_id)
        if review is None:
            return "another review"
        label = rules.kind_label(review.kind, review.probation_month).lower()
        when = review.meeting_date or review.period_end
        return f"{label} of {_uk(when)}"


@dataclass(slots=True)
class _Shared:
    """What the details of one person's reviews share: the row context, every review of theirs,
    and who has an account, each read once."""

    context: _RowContext
    reviews: list
    accounts: dict[int, bool]
    user_names: dict[int, str]

    def has_account(self, service: "ReviewService", session: Session, staff_id: int | None) -> bool:
        if staff_id is None:
            return False
        if staff_id not in self.accounts:
            self.accounts[staff_id] = service._has_account(session, staff_id)
        return self.accounts[staff_id]


@dataclass(slots=True)
class _Relationships:
    actor: Actor
    managed: set[int]
    appraised: set[int]
    everyone: bool

    def may(self, staff_id: int, action: Action) -> bool:
        is_self = staff_id == self.actor.staff_id
        if self.everyone and not is_self:
            rel = Relationship(manages=True, supervises=True, appraises=True, assesses=True)
        else:
            rel = Relationship(is_self=is_self, manages=staff_id in self.managed, appraises=staff_id in self.appraised)
        return denial(self.actor.roles, action, rel) is None


def _fact(review: Review) -> rules.ReviewFact:
    return rules.ReviewFact(review.kind, review.probation_month, review.meeting_date)


def _when(review: Review, tie: int) -> tuple[date, int]:
    return (review.meeting_date or review.period_end, tie)


def _name(session: Session, staff_id: int | None) -> str:
    person = session.get(Staff, staff_id) if staff_id is not None else None
    return staff_rules.display_name(person.given_name, person.family_name, person.preferred_name) if person else "?"


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _audited(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k not in ("self_assessment", "reflections")}
