"""The impact log: case studies and measures that show what a person's work changed.

Entries are evidence for appraisal (the pack prints them for the period), recorded by the person
or by whoever may record impact for them; each change is audited like a review's.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from arrs_desk.domain import reviews as rules
from arrs_desk.domain.dates import format_uk
from arrs_desk.domain.permissions import Action, Relationship, denial
from arrs_desk.domain.review_dates import impact_date_problem
from arrs_desk.domain.reviews import ImpactKind
from arrs_desk.errors import StaleEdit, ValidationError
from arrs_desk.services import audit
from arrs_desk.services._common import apply_update, clean_text, get_or_404, require
from arrs_desk.services.actor import Actor
from arrs_desk.services.relationships import relationship
from arrs_desk.services.reviews.facts import person_name, staff_for
from arrs_desk.services.reviews.views import ImpactInput, ImpactRow
from arrs_desk.store.models import ImpactEntry, Staff


def impact_row(entry: ImpactEntry, rel: Relationship, actor: Actor) -> ImpactRow:
    return ImpactRow(entry.id, entry.version, entry.staff_id, entry.kind, ImpactKind(entry.kind).label, entry.title,
                     entry.description, entry.measure, entry.value, entry.occurred_on, entry.recorded_by_name,
                     can_edit=denial(actor.roles, Action.RECORD_IMPACT, rel) is None)


def impact_rows(session: Session, actor: Actor, rel: Relationship, staff_id: int,
                start: date | None, end: date | None) -> list[ImpactRow]:
    """One person's entries, newest first, optionally within a period (both days included)."""
    stmt = select(ImpactEntry).where(ImpactEntry.staff_id == staff_id)
    if start is not None:
        stmt = stmt.where(ImpactEntry.occurred_on >= start)
    if end is not None:
        stmt = stmt.where(ImpactEntry.occurred_on <= end)
    entries = session.execute(stmt.order_by(ImpactEntry.occurred_on.desc(), ImpactEntry.id.desc())).scalars()
    return [impact_row(e, rel, actor) for e in entries]


def read_log(session: Session, actor: Actor, today: date, *, staff_id: int, start: date | None,
             end: date | None) -> list[ImpactRow]:
    rel = relationship(session, actor, staff_id, today)
    require(actor, Action.VIEW_STAFF, rel)
    get_or_404(session, Staff, staff_id, "staff member")
    return impact_rows(session, actor, rel, staff_id, start, end)


def add(session: Session, actor: Actor, today: date, data: ImpactInput) -> ImpactEntry:
    """Record an entry within the caller's transaction (the demonstration data writes a person's
    whole history in one)."""
    staff = staff_for(session, data.staff_id)
    require(actor, Action.RECORD_IMPACT, relationship(session, actor, staff.id, today))
    values = validated(data, today)
    entry = ImpactEntry(**values, staff_id=staff.id, recorded_by_user_id=actor.user_id,
                        recorded_by_name=actor.display_name)
    session.add(entry)
    session.flush()
    audit.record(session, actor, "create", "impact_entry", entry.id, *added_audit(values, person_name(session, staff.id)),
                 subject_staff_id=staff.id)
    return entry


def added_audit(values: dict[str, Any], name: str) -> tuple[str, dict[str, Any]]:
    """The summary and changes of the entry for an impact entry (`values` as validated) just
    recorded for `name`; shared with the writer of the demonstration PCN's histories."""
    return (f"Recorded {ImpactKind(values['kind']).label.lower()} '{values['title']}' for {name}",
            audit.diff({}, values))


def update(session: Session, actor: Actor, today: date, *, entry_id: int, data: ImpactInput,
           expected_version: int) -> ImpactRow:
    entry = get_or_404(session, ImpactEntry, entry_id, "impact entry")
    rel = relationship(session, actor, entry.staff_id, today)
    require(actor, Action.RECORD_IMPACT, rel)
    values = validated(data, today)
    before = {k: getattr(entry, k) for k in values}
    changes = audit.diff(before, values)
    apply_update(session, entry, values, expected_version, "impact entry")
    if changes:
        audit.record(session, actor, "update", "impact_entry", entry.id,
                     f"Updated '{entry.title}' in the impact log of {person_name(session, entry.staff_id)}: "
                     + ", ".join(changes), changes, subject_staff_id=entry.staff_id)
    return impact_row(entry, rel, actor)


def delete(session: Session, actor: Actor, today: date, *, entry_id: int, expected_version: int) -> None:
    entry = get_or_404(session, ImpactEntry, entry_id, "impact entry")
    require(actor, Action.RECORD_IMPACT, relationship(session, actor, entry.staff_id, today))
    if entry.version != expected_version:
        raise StaleEdit("Someone else changed this impact entry after you opened it, so it was not removed. "
                        "Reopen the impact log to see their change.")
    session.delete(entry)
    audit.record(session, actor, "delete", "impact_entry", entry_id,
                 f"Removed '{entry.title}' ({format_uk(entry.occurred_on)}) from the impact log of "
                 f"{person_name(session, entry.staff_id)}",
                 {"title": [entry.title, None], "occurred_on": [entry.occurred_on.isoformat(), None]},
                 subject_staff_id=entry.staff_id)


def validated(data: ImpactInput, today: date) -> dict[str, Any]:
    """The entry's stored values; every problem reported at once, by field."""
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
    if problem := impact_date_problem(data.occurred_on, today):
        errors["occurred_on"] = problem
    if errors:
        raise ValidationError(errors)
    return dict(kind=kind.value, title=title, description=description, measure=measure, value=value,
                occurred_on=data.occurred_on)
