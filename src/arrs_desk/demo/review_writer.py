"""Writing the demonstration PCN's review histories in bulk: the rows and audit entries the review
service would write, a few statements per table rather than some thirty per review.

Why: made review by review through the service (`services.reviews.writing`, `signatures`,
`impact`), each review cost about thirty statements (its permission checks, reads, version
checks and audit entries), and reviews were two thirds of the time to build a 10,000-staff demo.
Here a plan (`demo.reviews`) says what each person's history is, step by step and as whom; this
writes what those steps leave behind: each review in its final state, its objectives (those
carried forward linked to the ones they copy), plan items, signatures, the impact log, and one
audit entry per step, in the order the steps happen, worded by the service's own functions and
with the same signed hashes. Values are checked by the service's own rules
(`validation.checked`, `impact.validated`). A test builds the same plan through the service and
compares every row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, update
from sqlmodel import Session

from arrs_desk.domain.reviews import Party
from arrs_desk.services import audit, sign_off_fields
from arrs_desk.services._common import clean_text
from arrs_desk.services.actor import SYSTEM, Actor
from arrs_desk.services.reviews import ImpactInput, ReviewInput
from arrs_desk.services.reviews import impact as impact_log
from arrs_desk.services.reviews import signatures, validation, writing
from arrs_desk.store import signed_content
from arrs_desk.store.bulk import insert_with_ids
from arrs_desk.store.models import ImpactEntry, Review, ReviewObjective, ReviewPdpItem, ReviewSignOff, utcnow

OBJECTIVE_FIELDS = writing.OBJECTIVE_FIELDS


@dataclass(eq=False)
class PlannedObjective:
    """One objective of a review, as the history leaves it. A copy carried forward from an earlier
    review names it (`carried_from`) and is recorded with its status and no progress; the manager
    may then record progress (`updated`)."""

    description: str
    measure: str
    due_date: date
    status: str
    progress: str = ""
    carried_from: PlannedObjective | None = None
    updated: bool = False


@dataclass(frozen=True)
class PlannedSignature:
    """A signature made in the app by `by` at `signed_at`, or entered from paper by `by` for
    the review's appraiser, signed on `on_paper`."""

    party: Party
    by: Actor
    signed_at: datetime | None = None
    on_paper: date | None = None


@dataclass(eq=False)
class PlannedReview:
    """One review, in the order its steps happen: recorded by `recorded_by` with the new
    objectives and plan in `data` (open objectives of the previous review carried forward with
    them), progress on the carried ones recorded, the person's self-assessment, signatures."""

    data: ReviewInput
    recorded_by: Actor
    appraiser_name: str
    objectives: list[PlannedObjective]
    """The new ones (as in `data`), then those carried forward."""
    self_assessment: tuple[str, str] | None = None
    """The person's self-assessment and reflections."""
    signatures: list[PlannedSignature] = field(default_factory=list)

    @property
    def meeting_date(self) -> date | None:
        return self.data.meeting_date

    @property
    def period_end(self) -> date | None:
        return self.data.period_end


@dataclass(eq=False)
class PersonHistory:
    """One person's reviews, then their impact log, each entry by whoever records it."""

    staff_id: int
    name: str
    start_date: date
    me: Actor
    reviews: list[PlannedReview] = field(default_factory=list)
    impact: list[tuple[Actor, ImpactInput]] = field(default_factory=list)


def write_histories(session: Session, today: date, histories: list[PersonHistory]) -> None:
    """Write these histories in the caller's write transaction: rows table by table, then the
    audit entries of every step in the order the steps happen."""
    reviews = [(h, r) for h in histories for r in h.reviews]
    checked = [validation.checked(r.data, h.start_date, today, r.appraiser_name, None, set(), set())
               for h, r in reviews]
    now = utcnow()
    review_rows = _inserted(session, Review, [_review_row(h, r, values, now)
                                              for (h, r), (values, _new, _pdp) in zip(reviews, checked)])
    objectives = _write_objectives(session, reviews, checked, review_rows)
    plans = [[{"review_id": review["id"], "staff_id": review["staff_id"], "position": position, "need": p.need,
               "action": p.action, "support": p.support, "target_date": p.target_date, "status": p.status}
              for position, p in enumerate(pdp)] for (_values, _new, pdp), review in zip(checked, review_rows)]
    _inserted(session, ReviewPdpItem, [row for rows in plans for row in rows])
    signed = [[_sign_off_row(review, s) for s in r.signatures] for (_h, r), review in zip(reviews, review_rows)]
    _inserted(session, ReviewSignOff, [row for rows in signed for row in rows])
    impact = [[(actor, impact_log.validated(data, today)) for actor, data in h.impact] for h in histories]
    impact_rows = iter(_inserted(session, ImpactEntry, [
        {**values, "staff_id": h.staff_id, "recorded_by_user_id": actor.user_id, "recorded_by_name": actor.display_name,
         "created_at": now, "updated_at": now, "version": 1}
        for h, entries in zip(histories, impact) for actor, values in entries]))

    entries: list[dict[str, Any]] = []
    steps = iter(zip(reviews, checked, review_rows, plans, signed))
    for h, impact_entries in zip(histories, impact):
        for (_h, r), (values, new, pdp), review, plan, signatures_made in (next(steps) for _ in h.reviews):
            entries += _review_entries(h, r, review, values, len(new), [objectives[o] for o in r.objectives], plan,
                                       signatures_made)
        entries += [audit.entry_values(actor, "create", "impact_entry", next(impact_rows)["id"],
                                       *impact_log.added_audit(values, h.name), subject_staff_id=h.staff_id)
                    for actor, values in impact_entries]
    audit.record_many(session, entries, by=SYSTEM)  # the demo's many people: no account to check


def _inserted(session: Session, model, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`rows`, written, each given its new id."""
    for row, row_id in zip(rows, insert_with_ids(session, model.__table__, rows)):
        row["id"] = row_id
    return rows


def _write_objectives(session: Session, reviews: list, checked: list, review_rows: list[dict]
                      ) -> dict[PlannedObjective, dict[str, Any]]:
    """Each review's objectives as they end: the new ones as checked, then copies of those carried
    forward, linked to the originals once every objective has its id. Returns the rows by objective."""
    rows: dict[PlannedObjective, dict[str, Any]] = {}
    for (_h, r), (_values, new, _pdp), review in zip(reviews, checked, review_rows):
        for position, planned in enumerate(r.objectives):
            if position < len(new):
                item = new[position]
                values = {"description": item.description, "measure": item.measure, "due_date": item.due_date}
            else:
                values = {k: rows[planned.carried_from][k] for k in ("description", "measure", "due_date")}
            rows[planned] = {"review_id": review["id"], "staff_id": review["staff_id"], "position": position,
                             "carried_from_id": None, **values, "status": planned.status,
                             "progress": clean_text(planned.progress, multiline=True)}
    _inserted(session, ReviewObjective, list(rows.values()))
    for planned, row in rows.items():
        if planned.carried_from is not None:
            row["carried_from_id"] = rows[planned.carried_from]["id"]
    links = [{"b_id": row["id"], "b_from": row["carried_from_id"]} for row in rows.values() if row["carried_from_id"]]
    if links:
        session.execute(update(ReviewObjective.__table__).where(ReviewObjective.id == bindparam("b_id"))
                        .values(carried_from_id=bindparam("b_from")), links)
    return rows


def _review_row(history: PersonHistory, review: PlannedReview, values: dict[str, Any], now: datetime) -> dict:
    assessment, reflections = (clean_text(text, multiline=True) for text in review.self_assessment or ("", ""))
    steps = (1 + any(o.updated for o in review.objectives) + (review.self_assessment is not None)
             + len(review.signatures))  # each step the service takes saves the review at its next version
    return {**values, "staff_id": history.staff_id, "created_by_user_id": review.recorded_by.user_id,
            "created_by_name": review.recorded_by.display_name, "self_assessment": assessment,
            "reflections": reflections, "created_at": now, "updated_at": now, "version": steps}


def _sign_off_row(review: dict[str, Any], signature: PlannedSignature) -> dict[str, Any]:
    if signature.on_paper is not None:
        values = {**sign_off_fields.cleared(), **signatures.on_paper_values(
            signature.by, _Review(review), signature.party, review["appraiser_name"], signature.on_paper)}
    else:
        values = {"party": signature.party.value,
                  **sign_off_fields.signed_in_app(signature.by, signed_at=signature.signed_at)}
    return {"review_id": review["id"], "comment": "", "created_at": utcnow(), **values}


def _review_entries(history: PersonHistory, planned: PlannedReview, review: dict[str, Any], values: dict[str, Any],
                    new: int, objectives: list[dict], pdp_items: list[dict],
                    signed: list[dict]) -> list[dict[str, Any]]:
    """The audit entries of one review's steps, in order. `objectives`: its rows as they end,
    the `new` ones first."""
    shown = _Review(review)
    entries = [audit.entry_values(planned.recorded_by, "create", "review", review["id"],
                                  *writing.created_audit(shown, history.name, values, new, len(pdp_items),
                                                         len(objectives) - new),
                                  subject_staff_id=history.staff_id)]
    changes = {}
    for position, (objective, row) in enumerate(zip(planned.objectives, objectives)):
        if objective.updated:  # recorded as carried forward (the original's status, no progress), then updated
            after = {k: row[k] for k in OBJECTIVE_FIELDS}
            changes[f"objective {position + 1}"] = writing.item_change(
                {**after, "status": objective.carried_from.status, "progress": ""}, after)
    if changes:
        entries.append(audit.entry_values(planned.recorded_by, "update", "review", review["id"],
                                          *writing.updated_audit(shown, history.name, changes, []),
                                          subject_staff_id=history.staff_id))
    if planned.self_assessment is not None:
        changed = [k for k in ("self_assessment", "reflections") if review[k]]
        entries.append(audit.entry_values(history.me, "update", "review_self_assessment", review["id"],
                                          *writing.self_assessed_audit(shown, history.name, changed, []),
                                          subject_staff_id=history.staff_id))
    children = {ReviewObjective: objectives, ReviewPdpItem: pdp_items}
    for count, (signature, row) in enumerate(zip(planned.signatures, signed), start=1):
        signed_hash = signed_content.values_hash("review", review, {**children, ReviewSignOff: signed[:count]})
        said = (signatures.on_paper_audit(shown, history.name, signature.party, row["signed_by_name"],
                                          signature.on_paper, signed_hash)
                if signature.on_paper is not None else
                signatures.signed_audit(signature.by, shown, history.name, signature.party, "", signed_hash))
        entries.append(audit.entry_values(signature.by, "sign_off", "review", review["id"], *said,
                                          subject_staff_id=history.staff_id))
    return entries


class _Review:
    """A review row's values read as attributes, the way the service's wording functions read a review."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)
