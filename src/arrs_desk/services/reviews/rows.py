"""Reviews as the screens show them: a row per review, its objectives, and one review in full.

`RowContext` holds what many rows share (names, roles, practices and the review facts), read once
for a whole list; `detail` adds what one review's window needs, including what the viewer may do
with it. Who may see the self-assessment is decided here, so no screen ever receives it unasked.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from arrs_desk.domain import reviews as rules
from arrs_desk.domain import staff as staff_rules
from arrs_desk.domain.dates import format_uk
from arrs_desk.domain.permissions import Action, Relationship, denial
from arrs_desk.domain.review_dates import previous_review
from arrs_desk.domain.reviews import ObjectiveStatus, Outcome, Party, PdpStatus
from arrs_desk.services import reference
from arrs_desk.services.actor import Actor
from arrs_desk.services.reviews.facts import (
    ReviewCounts, ReviewFacts, read_facts, review_label, user_names, with_accounts,
)
from arrs_desk.services.reviews.views import ObjectiveRow, PdpRow, ReviewDetail, ReviewRow, SignatureRow
from arrs_desk.store.models import Review, Staff


@dataclass(slots=True)
class RowContext:
    names: dict[int, str]
    roles: dict[str, tuple[str, bool]]
    org_names: dict[int, str]
    practices: dict[int, tuple[int, ...]]
    facts: ReviewFacts | ReviewCounts
    today: date
    people: dict[int, tuple] = field(default_factory=dict)
    """staff id -> (name, sort key, practice ids, practices): worked out once per person, who may
    have many reviews in a list."""
    shown_practices: dict[tuple[int, ...], tuple[tuple[int, ...], str]] = field(default_factory=dict)
    """A person's practices -> their ids in name order and their names: a PCN's thousands of
    people work at a few dozen sets of practices, each sorted and named once."""

    def person(self, staff_id: int) -> tuple[str, str, tuple[int, ...], str]:
        found = self.people.get(staff_id)
        if found is None:
            name = self.names.get(staff_id, "")
            practice_ids, practices = self._practices_shown(self.practices.get(staff_id, ()))
            found = self.people[staff_id] = (name, staff_rules.search_key(name), practice_ids, practices)
        return found

    def _practices_shown(self, orgs: tuple[int, ...]) -> tuple[tuple[int, ...], str]:
        found = self.shown_practices.get(orgs)
        if found is None:
            ids = tuple(sorted(orgs, key=lambda i: self.org_names.get(i, "")))
            found = self.shown_practices[orgs] = (ids, ", ".join(self.org_names.get(i, "") for i in ids))
        return found

    def row(self, review: Review, staff) -> ReviewRow:
        name, sort_key, practice_ids, practices = self.person(review.staff_id)
        role_title, arrs = self.roles.get(staff.role_code, (staff.role_code, False))
        signatures = self.facts.signatures.get(review.id, {})
        appraiser_signed = Party.APPRAISER.value in signatures
        appraisee_signed = Party.APPRAISEE.value in signatures
        state = rules.review_state(review.meeting_date, self.today, appraiser_signed=appraiser_signed,
                                   appraisee_signed=appraisee_signed)
        return ReviewRow(
            id=review.id, version=review.version, staff_id=review.staff_id, display_name=name,
            sort_key=sort_key, role_code=staff.role_code, role_title=role_title, arrs=arrs,
            practice_ids=practice_ids, practices=practices,
            kind=review.kind, probation_month=review.probation_month,
            kind_label=rules.kind_label(review.kind, review.probation_month),
            period_start=review.period_start, period_end=review.period_end, meeting_date=review.meeting_date,
            appraiser_staff_id=review.appraiser_staff_id, appraiser_external_id=review.appraiser_external_id,
            appraiser_name=review.appraiser_name, outcome=review.outcome, outcome_label=Outcome(review.outcome).label,
            state=state, state_label=rules.state_label(state, appraiser_signed=appraiser_signed, appraisee_signed=appraisee_signed),
            appraiser_signed=appraiser_signed, appraisee_signed=appraisee_signed,
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
                carried_from=f"Carried forward from the {self._review_named(source.review_id)}" if source else "",
                carried_to=f"Carried forward to the {self._review_named(copy.review_id)}" if copy else "",
            ))
        return tuple(rows)

    def _review_named(self, review_id: int) -> str:
        review = self.facts.reviews.get(review_id)
        if review is None:
            return "another review"
        return f"{review_label(review)} of {format_uk(review.meeting_date or review.period_end)}"


def roles_and_practices(session: Session, staff_ids: list[int] | None
                        ) -> tuple[dict[str, tuple[str, bool]], dict[int, str], dict[int, tuple[int, ...]]]:
    """Role titles (and whether each is an ARRS role), practice names, and each person's practices
    (everyone's when `staff_ids` is None), as `reference` holds them: tuples, kept as they are."""
    roles = {code: (role.title, role.arrs) for code, role in reference.roles(session).items()}
    if staff_ids is not None:
        return roles, reference.practice_names(session), reference.practices_of(session, staff_ids)
    return roles, reference.practice_names(session), reference.practices_by_staff(session)


def row_context(session: Session, staff_ids: list[int], reviews: list[Review], today: date, *,
                loaded: Sequence[Staff] = (), known: Iterable[Review] = ()) -> RowContext:
    """Everything the rows of these people's reviews need, with the reviews' parts loaded.
    `loaded`: those of the people already read (their names need no query); `known`: reviews
    already read (those the objectives belong to need no query when they are all among them).
    Across sites every query is a round trip, and one review's window asks for one person."""
    names = {p.id: staff_rules.display_name(p.given_name, p.family_name, p.preferred_name)
             for p in loaded if p.id in staff_ids}
    missing = [staff_id for staff_id in staff_ids if staff_id not in names]
    if missing:
        names |= {p.id: staff_rules.display_name(p.given_name, p.family_name, p.preferred_name)
                  for p in session.execute(select(Staff.id, Staff.given_name, Staff.family_name, Staff.preferred_name)
                                           .where(Staff.id.in_(missing)))}
    roles, org_names, practices = roles_and_practices(session, staff_ids)
    facts = read_facts(session, [r.id for r in reviews], set(staff_ids), known)
    return RowContext(names, roles, org_names, practices, facts, today)


@dataclass(slots=True)
class SharedDetails:
    """What the details of one person's reviews share: the row context, every review of theirs,
    and who has an account, each read once."""

    context: RowContext
    reviews: list
    accounts: dict[int, bool]
    user_names: dict[int, str]
    staff: Staff | None = None
    """The person whose reviews they are, held here: the session keeps only what something holds."""

    def has_account(self, session: Session, staff_id: int | None) -> bool:
        if staff_id is None:
            return False
        if staff_id not in self.accounts:
            self.know_accounts(session, {staff_id})
        return self.accounts[staff_id]

    def know_accounts(self, session: Session, staff_ids: Iterable[int | None]) -> None:
        """Whether each of these people signs in themself, asked of the database at once."""
        missing = {i for i in staff_ids if i is not None and i not in self.accounts}
        if missing:
            signing_in = with_accounts(session, missing)
            self.accounts |= {staff_id: staff_id in signing_in for staff_id in missing}


def detail(session: Session, actor: Actor, rel: Relationship, review: Review, today: date,
           shared: SharedDetails | None = None) -> ReviewDetail:
    """One review as a view shows it. `shared` carries what several reviews of one person have
    in common (read once), so a whole history costs a handful of queries."""
    if shared is None:
        staff = session.get(Staff, review.staff_id)
        siblings = list(session.execute(select(Review).where(Review.staff_id == review.staff_id)).scalars())
        shared = SharedDetails(row_context(session, [review.staff_id], [review], today, loaded=[staff], known=siblings),
                               siblings, {}, {}, staff)
    if shared.staff is None or shared.staff.id != review.staff_id:
        shared.staff = session.get(Staff, review.staff_id)
    staff = shared.staff
    shared.know_accounts(session, (review.appraiser_staff_id, review.staff_id))
    context = shared.context
    row = context.row(review, staff)
    signatures = context.facts.signatures.get(review.id, {})
    can_read = denial(actor.roles, Action.READ_REFLECTIONS, rel) is None
    can = rules.review_actions(
        may_write=denial(actor.roles, Action.WRITE_REVIEW, rel) is None,
        may_reflect=denial(actor.roles, Action.WRITE_REFLECTIONS, rel) is None,
        may_read=can_read, is_self=rel.is_self,
        is_appraiser=actor.staff_id is not None and actor.staff_id == review.appraiser_staff_id,
        signed=signatures, held=rules.is_held(review.meeting_date, today),
        appraiser_on_paper=review.appraiser_external_id is not None or (
            review.appraiser_staff_id is not None and not shared.has_account(session, review.appraiser_staff_id)),
        appraisee_on_paper=not shared.has_account(session, review.staff_id),
    )
    previous_open = 0
    if can.edit:
        previous = previous_review(shared.reviews, review, started=staff.start_date)
        if previous is not None:
            previous_open = sum(1 for o in context.facts.objectives.get(previous.id, ())
                                if o.status in rules.OPEN_OBJECTIVE_STATUSES and context.facts.carried_to(o.id) is None)
    wanted = {s.recorded_by_user_id for s in signatures.values()} - shared.user_names.keys()
    shared.user_names.update(user_names(session, wanted))
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
        locked=rules.both_signed(signatures), can=can, previous_open=previous_open,
    )
