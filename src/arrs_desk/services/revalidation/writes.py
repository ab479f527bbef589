"""Writing the CPD log and revalidation evidence: permission, validation and audit in the
caller's transaction.

The person or their line manager records (`RECORD_CPD`); the line manager or an administrator
verifies (`VERIFY_CPD`), never the person themself, and an entry changed after it was verified
loses the verification, since what was verified is no longer what is recorded.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session

from arrs_desk.domain.dates import format_uk
from arrs_desk.domain.permissions import Action
from arrs_desk.domain.regulators import EvidenceKind, Regulator, RegulatorRules
from arrs_desk.domain.revalidation import (
    CPD_SOURCES, CpdMethod, CycleDates, counts_towards_problem, current_cycle, previous_cycle,
)
from arrs_desk.errors import StaleEdit, ValidationError
from arrs_desk.services import audit
from arrs_desk.services._common import apply_update, clean_text, get_or_404, require
from arrs_desk.services.actor import Actor
from arrs_desk.services.relationships import relationship
from arrs_desk.services.reviews.facts import person_name
from arrs_desk.services.revalidation import files
from arrs_desk.services.revalidation.views import CpdInput, EvidenceInput
from arrs_desk.store.models import (
    CpdEntry, InductionItem, ProgrammeEnrolment, RevalidationEvidence, Staff, SupervisionAttendance, TrainingRecord,
)

MAX_TEXT = 8000
SOURCE_TABLES = {"supervision": SupervisionAttendance, "programme": ProgrammeEnrolment, "induction": InductionItem,
                 "training": TrainingRecord}
_TABLES = {"cpd_entry": (CpdEntry, "CPD entry"), "revalidation_evidence": (RevalidationEvidence, "evidence")}


def _date_problem(day: date | None, today: date, what: str) -> str | None:
    if day is None:
        return f"Enter the date of the {what} (dd/mm/yyyy)."
    if day > today:
        return f"The {what} cannot be dated in the future ({format_uk(day)})."
    if day < today - timedelta(days=366 * 10):
        return f"{format_uk(day)} is more than ten years ago; check the year."
    return None


def _title(value: str, errors: dict[str, str]) -> str:
    title = clean_text(value)
    if sum(ch.isalnum() for ch in title) < 3:
        errors["title"] = "Give it a short title, such as the course or topic."
    elif len(title) > 200:
        errors["title"] = f"The title is too long ({len(title)} characters); 200 is the most."
    return title


def _long(value: str, field: str, errors: dict[str, str]) -> str:
    text = clean_text(value, multiline=True)
    if len(text) > MAX_TEXT:
        errors[field] = f"This is too long ({len(text):,} characters); {MAX_TEXT:,} is the most."
    return text


def person_cycles(session: Session, rules: RegulatorRules, staff_id: int, today: date) -> tuple[CycleDates, ...]:
    """The person's current cycle and the one before it (none when no cycle is known)."""
    person = _staff(session, staff_id)
    regulator = rules.for_register(person.register_code)
    current = current_cycle(regulator, person.register_code, person.registration_renewal, today) if regulator else None
    return () if current is None else (current, previous_cycle(regulator, person.register_code, current))


def _counts_towards(data: Any, cycles: tuple[CycleDates, ...], errors: dict[str, str]) -> None:
    if "occurred_on" not in errors and (problem := counts_towards_problem(data.counts_towards, data.occurred_on,
                                                                           cycles)):
        errors["counts_towards"] = problem


def validated_cpd(session: Session, data: CpdInput, today: date, cycles: tuple[CycleDates, ...] = ()) -> dict[str, Any]:
    errors: dict[str, str] = {}
    title = _title(data.title, errors)
    provider = clean_text(data.provider)
    if len(provider) > 200:
        errors["provider"] = "Keep the provider to 200 characters or fewer."
    try:
        method = CpdMethod(data.method).value
    except ValueError:
        errors["method"] = "Choose how the learning was done, such as a course, e-learning or a workshop."
        method = ""
    hours = data.hours
    if hours is None or not math.isfinite(hours) or hours <= 0:
        errors["hours"] = "Enter the hours spent, more than 0 (e.g. 1.5)."
    elif hours > 200:
        errors["hours"] = f"{hours:g} hours is more than one entry can hold (200); split it into several entries."
    if problem := _date_problem(data.occurred_on, today, "learning"):
        errors["occurred_on"] = problem
    source_kind = data.source_kind or ""
    if source_kind and source_kind not in CPD_SOURCES:
        errors["source_kind"] = ("Choose where it came from: a supervision session, a programme, an induction item "
                                 "or a training record.")
    elif source_kind:
        source = session.get(SOURCE_TABLES[source_kind], data.source_id) if data.source_id is not None else None
        if source is None or source.staff_id != data.staff_id:
            errors["source_id"] = f"Choose one of this person's own {source_kind} records."
    elif data.source_id is not None:
        errors["source_kind"] = "Say what kind of record it came from."
    reflection = _long(data.reflection, "reflection", errors)
    _counts_towards(data, cycles, errors)
    if errors:
        raise ValidationError(errors)
    return dict(occurred_on=data.occurred_on, title=title, provider=provider, method=method, hours=round(hours, 2),
                participatory=bool(data.participatory), planned=bool(data.planned), reflection=reflection,
                source_kind=source_kind, source_id=data.source_id if source_kind else None,
                counts_towards=data.counts_towards)


AUDIT_KINDS = (EvidenceKind.AUDIT_SELECTION, EvidenceKind.CPD_PROFILE_SENT)


def validated_evidence(data: EvidenceInput, today: date, cycles: tuple[CycleDates, ...] = (),
                       regulator: Regulator | None = None) -> dict[str, Any]:
    """The evidence's fields, checked. An audit letter or profile is refused for someone whose
    regulator audits no one; whether they were registered long enough to be picked is not
    checked, as the staff record holds no first registration date (the regulator picked them)."""
    errors: dict[str, str] = {}
    try:
        kind = EvidenceKind(data.kind)
    except ValueError:
        errors["kind"] = "Choose the kind of evidence, such as feedback, a reflective account or a discussion."
        kind = None
    if kind in AUDIT_KINDS and (regulator is None or regulator.audit is None):
        errors["kind"] = (f"{kind.label} is for a register whose regulator audits CPD (the HCPC's); "
                          f"{regulator.short if regulator else 'this person’s register'} does not.")
    title = _title(data.title, errors)
    details = _long(data.details, "details", errors)
    hours = data.hours or 0.0
    if not math.isfinite(hours) or hours < 0 or hours > 5000:
        errors["hours"] = "Enter the hours as a number from 0 to 5,000."
    elif kind is EvidenceKind.PRACTICE_HOURS and hours <= 0:
        errors["hours"] = "Enter the practice hours this record covers."
    partner = clean_text(data.partner_name)
    number = "".join(clean_text(data.partner_registration).split()).upper()
    if kind in (EvidenceKind.DISCUSSION, EvidenceKind.CONFIRMATION) and not partner:
        errors["partner_name"] = "Name the other registrant (the discussion partner or the confirmer)."
    if len(partner) > 200:
        errors["partner_name"] = "Keep the name to 200 characters or fewer."
    if len(number) > 30:
        errors["partner_registration"] = "Keep the registration number to 30 characters or fewer."
    if problem := _date_problem(data.occurred_on, today, "evidence"):
        errors["occurred_on"] = problem
    _counts_towards(data, cycles, errors)
    if errors:
        raise ValidationError(errors)
    return dict(kind=kind.value, occurred_on=data.occurred_on, title=title, details=details, hours=round(hours, 2),
                partner_name=partner, partner_registration=number, counts_towards=data.counts_towards)


def _lower_first(label: str) -> str:
    """A label inside a sentence: 'Picked for CPD audit (HCPC letter)' keeps its acronyms."""
    return label[:1].lower() + label[1:]


def _staff(session: Session, staff_id: int) -> Staff:
    return get_or_404(session, Staff, staff_id, "staff member")


def _permitted_staff(session: Session, actor: Actor, today: date, staff_id: int) -> Staff:
    """The person to record for, the permission checked first: looked up first, someone with no
    right to the person learnt whether the staff id exists ("no longer exists" against a refusal)."""
    require(actor, Action.RECORD_CPD, relationship(session, actor, staff_id, today))
    return _staff(session, staff_id)


def add_cpd(session: Session, actor: Actor, today: date, data: CpdInput, rules: RegulatorRules) -> CpdEntry:
    staff = _permitted_staff(session, actor, today, data.staff_id)
    values = validated_cpd(session, data, today, person_cycles(session, rules, staff.id, today))
    entry = CpdEntry(**values, staff_id=staff.id, recorded_by_user_id=actor.user_id, recorded_by_name=actor.display_name)
    session.add(entry)
    session.flush()
    audit.record(session, actor, "create", "cpd_entry", entry.id,
                 f"Recorded CPD '{entry.title}' ({entry.hours:g} h) for {person_name(session, staff.id)}",
                 audit.diff({}, values), subject_staff_id=staff.id)
    return entry


def add_evidence(session: Session, actor: Actor, today: date, data: EvidenceInput,
                 rules: RegulatorRules) -> RevalidationEvidence:
    staff = _permitted_staff(session, actor, today, data.staff_id)
    values = validated_evidence(data, today, person_cycles(session, rules, staff.id, today),
                                rules.for_register(staff.register_code))
    item = RevalidationEvidence(**values, staff_id=staff.id, recorded_by_user_id=actor.user_id,
                                recorded_by_name=actor.display_name)
    session.add(item)
    session.flush()
    audit.record(session, actor, "create", "revalidation_evidence", item.id,
                 f"Recorded {_lower_first(EvidenceKind(item.kind).label)} '{item.title}' for {person_name(session, staff.id)}",
                 audit.diff({}, values), subject_staff_id=staff.id)
    return item


def update_cpd(session: Session, actor: Actor, today: date, rules: RegulatorRules, *, entry_id: int, data: CpdInput,
               expected_version: int) -> CpdEntry:
    entry = get_or_404(session, CpdEntry, entry_id, "CPD entry")
    require(actor, Action.RECORD_CPD, relationship(session, actor, entry.staff_id, today))
    values = validated_cpd(session, CpdInput(**{**_fields(data), "staff_id": entry.staff_id}), today,
                           person_cycles(session, rules, entry.staff_id, today))
    return _update(session, actor, entry, values, expected_version, "cpd_entry")


def update_evidence(session: Session, actor: Actor, today: date, rules: RegulatorRules, *, evidence_id: int,
                    data: EvidenceInput, expected_version: int) -> RevalidationEvidence:
    item = get_or_404(session, RevalidationEvidence, evidence_id, "evidence")
    require(actor, Action.RECORD_CPD, relationship(session, actor, item.staff_id, today))
    register = session.get(Staff, item.staff_id).register_code
    values = validated_evidence(data, today, person_cycles(session, rules, item.staff_id, today),
                                rules.for_register(register))
    return _update(session, actor, item, values, expected_version, "revalidation_evidence")


def _fields(data: Any) -> dict[str, Any]:
    return {name: getattr(data, name) for name in data.__slots__}


def _update(session: Session, actor: Actor, row: Any, values: dict[str, Any], expected_version: int, table: str):
    before = {k: getattr(row, k) for k in values}
    changes = audit.diff(before, values)
    if changes and row.verified_on is not None:  # what was verified is no longer what is recorded
        values = {**values, "verified_by_user_id": None, "verified_by_name": "", "verified_on": None}
        changes["verified_by_name"] = [row.verified_by_name, ""]
    apply_update(session, row, values, expected_version, _TABLES[table][1])
    if changes:
        audit.record(session, actor, "update", table, row.id,
                     f"Updated '{row.title}' for {person_name(session, row.staff_id)}: " + ", ".join(changes),
                     changes, subject_staff_id=row.staff_id)
    return row


def verify(session: Session, actor: Actor, today: date, *, table: str, row_id: int, expected_version: int):
    """Confirm a CPD entry or piece of evidence as the line manager or an administrator."""
    model, what = _TABLES[table]
    row = get_or_404(session, model, row_id, what)
    require(actor, Action.VERIFY_CPD, relationship(session, actor, row.staff_id, today))
    if row.verified_on is not None:
        raise ValidationError.single("verified", f"This was already verified by {row.verified_by_name} on "
                                                 f"{format_uk(row.verified_on)}.")
    values = {"verified_by_user_id": actor.user_id, "verified_by_name": actor.display_name, "verified_on": today}
    apply_update(session, row, values, expected_version, what)
    audit.record(session, actor, "verify", table, row.id,
                 f"Verified '{row.title}' for {person_name(session, row.staff_id)}",
                 {"verified_by_name": ["", actor.display_name], "verified_on": [None, today.isoformat()]},
                 subject_staff_id=row.staff_id)
    return row


def delete(session: Session, actor: Actor, today: date, *, table: str, row_id: int, expected_version: int) -> set[str]:
    """Remove the entry and its files' records. Returns the digests of its files, to delete from
    the evidence folder once committed (when nothing else points at them)."""
    model, what = _TABLES[table]
    row = get_or_404(session, model, row_id, what)
    require(actor, Action.RECORD_CPD, relationship(session, actor, row.staff_id, today))
    if row.version != expected_version:
        raise StaleEdit(f"Someone else changed this {what} after you opened it, so it was not removed. "
                        "Reopen the revalidation record to see their change.")
    digests = files.remove_all(session, table, row_id)
    session.delete(row)
    audit.record(session, actor, "delete", table, row_id,
                 f"Removed '{row.title}' ({format_uk(row.occurred_on)}) from the revalidation record of "
                 f"{person_name(session, row.staff_id)}",
                 {"title": [row.title, None], "occurred_on": [row.occurred_on.isoformat(), None],
                  **({"files": [len(digests), 0]} if digests else {})},
                 subject_staff_id=row.staff_id)
    return digests
