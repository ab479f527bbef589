"""Recording training completions: validated field by field, permitted for the person themself,
their line manager or an administrator, and audited in the same transaction."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, select
from sqlmodel import Session

from arrs_desk.domain.permissions import Action
from arrs_desk.domain.staff import display_name
from arrs_desk.domain.training import SubjectsFile
from arrs_desk.errors import StaleEdit, ValidationError
from arrs_desk.services import audit
from arrs_desk.services._common import clean_text, get_or_404, require
from arrs_desk.services.actor import Actor
from arrs_desk.services.relationships import relationship, relationships
from arrs_desk.services.training.views import TrainingInput
from arrs_desk.store.bulk import insert_with_ids
from arrs_desk.store.models import Staff, TrainingRecord, utcnow

PROVIDER_LIMIT, EVIDENCE_LIMIT = 200, 500


def checked(data: TrainingInput, rules: SubjectsFile, today: date) -> dict:
    """The values to store, or ValidationError naming each field that is wrong."""
    errors: dict[str, str] = {}
    subject = rules.subject(data.subject_code)
    if subject is None:
        errors["subject_code"] = "Choose a training subject from the list."
    elif data.level not in {level.level for level in subject.levels}:
        levels = ", ".join(str(level.level) for level in subject.levels)
        errors["level"] = f"{subject.title} has level {levels}; choose one of those."
    if data.completed_on is None:
        errors["completed_on"] = "Enter the date the training was completed."
    elif data.completed_on > today:
        errors["completed_on"] = (f"{data.completed_on:%d/%m/%Y} is in the future; record training once it has "
                                  "been completed.")
    elif data.completed_on.year < 1950:
        errors["completed_on"] = "Check the year: that date is too long ago."
    provider = clean_text(data.provider)
    evidence = clean_text(data.evidence)
    if len(provider) > PROVIDER_LIMIT:
        errors["provider"] = f"Keep the provider to {PROVIDER_LIMIT} characters or fewer."
    if len(evidence) > EVIDENCE_LIMIT:
        errors["evidence"] = f"Keep the evidence note to {EVIDENCE_LIMIT} characters or fewer."
    if errors:
        raise ValidationError(errors)
    return {"subject_code": data.subject_code, "level": data.level, "completed_on": data.completed_on,
            "provider": provider, "evidence": evidence}


def add(session: Session, actor: Actor, data: TrainingInput, rules: SubjectsFile, today: date, *,
        source: str = "entered") -> TrainingRecord:
    require(actor, Action.RECORD_TRAINING, relationship(session, actor, data.staff_id))
    staff = get_or_404(session, Staff, data.staff_id, "staff member")
    values = checked(data, rules, today)
    record = TrainingRecord(staff_id=staff.id, source=source, recorded_by_user_id=actor.user_id, **values)
    session.add(record)
    session.flush()
    subject = rules.subject(data.subject_code)
    audit.record(session, actor, "record", "training", record.id,
                 f"Recorded {subject.title} level {data.level} completed {data.completed_on:%d/%m/%Y} for "
                 f"{display_name(staff.given_name, staff.family_name, staff.preferred_name)}",
                 {key: [None, value.isoformat() if isinstance(value, date) else value] for key, value in values.items()},
                 subject_staff_id=staff.id)
    return record


def add_many(session: Session, actor: Actor, items: list[TrainingInput], rules: SubjectsFile, today: date, *,
             source: str, origin: str = "") -> list[int]:
    """Many completions in one batched INSERT and one batched audit write (an import, the demo):
    each is checked as `add` checks it, and the permission once per person. Returns the new ids."""
    allowed = {item.staff_id for item in items}
    for rel in relationships(session, actor, allowed, today).values():  # everyone in one statement
        require(actor, Action.RECORD_TRAINING, rel)
    rows = []
    now = utcnow()
    for item in items:
        rows.append({"staff_id": item.staff_id, "source": source, "recorded_by_user_id": actor.user_id,
                     "created_at": now, "updated_at": now, "version": 1, **checked(item, rules, today)})
    if not rows:
        return []
    ids = insert_with_ids(session, TrainingRecord.__table__, rows)  # in the order given: each entry names its row
    names = {sid: display_name(g, f, p) for sid, g, f, p in session.execute(
        select(Staff.id, Staff.given_name, Staff.family_name, Staff.preferred_name).where(Staff.id.in_(allowed)))}
    action = "import" if source == "imported" else "record"
    verb = "Imported" if source == "imported" else "Recorded"
    audit.record_many(session, [
        audit.entry_values(actor, action, "training", record_id,
                           f"{verb} {rules.subject(row['subject_code']).title} level {row['level']} completed "
                           f"{row['completed_on']:%d/%m/%Y} for {names.get(row['staff_id'], '')}"
                           + (f" from {origin}" if origin else ""),
                           {"subject_code": [None, row["subject_code"]], "level": [None, row["level"]],
                            "completed_on": [None, row["completed_on"].isoformat()]},
                           subject_staff_id=row["staff_id"])
        for record_id, row in zip(ids, rows)], by=actor)
    return ids


def remove(session: Session, actor: Actor, record_id: int, expected_version: int, rules: SubjectsFile) -> int:
    """Remove a completion recorded in error; returns whose record it was."""
    record = get_or_404(session, TrainingRecord, record_id, "training record")
    require(actor, Action.RECORD_TRAINING, relationship(session, actor, record.staff_id))
    gone = session.execute(delete(TrainingRecord).where(TrainingRecord.id == record_id,
                                                        TrainingRecord.version == expected_version)
                           .execution_options(synchronize_session=False))
    if gone.rowcount != 1:
        raise StaleEdit("Someone else changed this training record after you opened it, so it was not removed. "
                        "Reopen the person's training to see their change, then try again.")
    staff = session.get(Staff, record.staff_id)
    subject = rules.subject(record.subject_code)
    audit.record(session, actor, "remove", "training", record.id,
                 f"Removed {subject.title if subject else record.subject_code} level {record.level} completed "
                 f"{record.completed_on:%d/%m/%Y} for {display_name(staff.given_name, staff.family_name, staff.preferred_name)}",
                 {"subject_code": [record.subject_code, None], "completed_on": [record.completed_on.isoformat(), None]},
                 subject_staff_id=record.staff_id)
    return record.staff_id
