"""Arranging supervision: who supervises whom, for which type, how often, from when, with what agreement.

Every write checks permission and every field (all problems at once, so the form can mark each),
writes the arrangement and any new external supervisor, and records the audit entry in the same
transaction. A signed agreement is stored before the transaction (see `agreements`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from collections.abc import Iterable

from sqlalchemy import select
from sqlmodel import Session

from arrs_desk.domain import staff as staff_rules
from arrs_desk.domain.dates import format_uk
from arrs_desk.domain.permissions import Action
from arrs_desk.domain.supervision import SupervisionCatalogue, builtin_supervision_catalogue
from arrs_desk.errors import NotFound, ValidationError
from arrs_desk.services import audit, evidence
from arrs_desk.services._common import apply_update, clean_text, get_or_404, require
from arrs_desk.services.actor import Actor
from arrs_desk.services.relationships import has_left, relationship, relationships
from arrs_desk.services.supervision.agreements import (
    agreement_values, checked_agreement, discard_agreement, verified_agreement,
)
from arrs_desk.services.supervision.base import SupervisionServiceBase
from arrs_desk.services.supervision.compliance import one_arrangement
from arrs_desk.services.supervision.facts import load_catalogue, load_staff, staff_name, supervisor_name
from arrs_desk.services.supervision.views import (
    FOLLOW_ROLE, ArrangementInput, ArrangementRow, ExternalSupervisorInput,
)
from arrs_desk.store.bulk import insert_with_ids
from arrs_desk.store.models import ExternalPerson, Staff, SupervisionArrangement

_ARRANGEMENT_FIELDS = (
    "staff_id", "type_code", "supervisor_staff_id", "supervisor_external_id", "frequency_code",
    "start_date", "end_date", "notes",
)


class SupervisionArrangements(SupervisionServiceBase):
    def agreement_file(self, actor: Actor, *, arrangement_id: int) -> Path:
        """The stored signed agreement, checked against its recorded SHA-256 before it is opened."""
        today = self._today()
        with self._db.read() as session:
            row = get_or_404(session, SupervisionArrangement, arrangement_id, "supervision arrangement")
            require(actor, Action.VIEW_STAFF, relationship(session, actor, row.staff_id, today))
            sha, filename, media_type = row.agreement_sha256, row.agreement_filename, row.agreement_media_type
        if not sha:
            raise NotFound("No signed agreement is attached to this arrangement.")
        return verified_agreement(sha, filename, media_type, self._db.key)

    def create_arrangement(self, actor: Actor, *, data: ArrangementInput) -> ArrangementRow:
        agreement = checked_agreement(data.agreement_path, self._db.key)
        try:
            return self._create_arrangement(actor, data, agreement)
        except BaseException:
            discard_agreement(agreement)
            raise

    def create_arrangements(self, actor: Actor, *, items: Iterable[ArrangementInput]) -> list[int]:
        """Several arrangements all-or-nothing, when a PCN sets up its supervision from a list.
        Signed agreements are attached afterwards, one arrangement at a time. Everyone's permission
        and their arrangements already recorded are read once for the list (an arrangement in it
        that repeats an earlier one of the list is refused as one already recorded would be), and the
        rows and their audit entries are written in batched statements."""
        today = self._today()
        items = [replace(data, agreement_path=None) for data in items]
        with self._db.write() as session, session.no_autoflush:
            catalogue = load_catalogue(session)
            staff_ids = {d.staff_id for d in items if d.staff_id is not None}
            _held = load_staff(session, staff_ids | {d.supervisor_staff_id for d in items
                                                     if d.supervisor_staff_id is not None})
            rels = relationships(session, actor, staff_ids, today)
            existing = _by_pair(session.execute(_CLASH_COLUMNS.where(
                SupervisionArrangement.staff_id.in_(staff_ids), SupervisionArrangement.supervisor_staff_id.is_not(None))))
            prepared = []
            for data in items:
                rel = rels[data.staff_id] if data.staff_id in rels else relationship(session, actor, data.staff_id, today)
                require(actor, Action.ARRANGE_SUPERVISION, rel)
                values, external = arrangement_values(session, data, arrangement_id=None, agreement=None, today=today,
                                                      catalogue=catalogue, existing=existing)
                if external is not None:
                    values["supervisor_external_id"] = self._add_external(session, actor, external)
                existing.setdefault((values["staff_id"], values["type_code"], values["supervisor_staff_id"]), []) \
                    .append((values["start_date"], values["end_date"], None))
                prepared.append(values)
            ids = insert_with_ids(session, SupervisionArrangement.__table__, [
                {**values, "created_by_user_id": actor.user_id, "created_by_name": actor.display_name}
                for values in prepared])
            audit.record_many(session, [_arrangement_entry(session, actor, arrangement_id, values)
                                        for arrangement_id, values in zip(ids, prepared)], by=actor)
            return ids

    def _create_arrangement(self, actor: Actor, data: ArrangementInput, agreement) -> ArrangementRow:
        today = self._today()
        with self._db.write() as session:
            row, values = self._prepare_arrangement(session, actor, data, agreement, today)
            session.flush()
            self._audit_arrangement(session, actor, row, values)
            return one_arrangement(session, row, today)

    def _prepare_arrangement(self, session: Session, actor: Actor, data: ArrangementInput, agreement,
                             today: date) -> tuple[SupervisionArrangement, dict]:
        """Check permission and every field, then add the row (and any new external supervisor)."""
        require(actor, Action.ARRANGE_SUPERVISION, relationship(session, actor, data.staff_id, today))
        values, external = arrangement_values(session, data, arrangement_id=None, agreement=agreement, today=today)
        if external is not None:
            values["supervisor_external_id"] = self._add_external(session, actor, external)
        row = SupervisionArrangement(**values, created_by_user_id=actor.user_id, created_by_name=actor.display_name)
        if isinstance(agreement, evidence.StoredFile):
            row.sqlmodel_update(agreement_values(actor, agreement))
        session.add(row)
        return row, values

    @staticmethod
    def _add_external(session: Session, actor: Actor, external: ExternalPerson) -> int:
        """A new external supervisor typed into the arrangement form: recorded, and its id."""
        session.add(external)
        session.flush()
        audit.record(session, actor, "create", "external_person", external.id,
                     f"Recorded external supervisor {external.name} ({external.organisation})",
                     audit.diff({}, {k: getattr(external, k) for k in ("name", "job_title", "organisation", "email", "phone")}))
        return external.id

    def _audit_arrangement(self, session: Session, actor: Actor, row: SupervisionArrangement, values: dict) -> None:
        audit.record_many(session, [_arrangement_entry(session, actor, row.id, values,
                                                       row.agreement_filename if row.agreement_sha256 else None)], by=actor)

    def update_arrangement(
        self, actor: Actor, *, arrangement_id: int, data: ArrangementInput, expected_version: int
    ) -> ArrangementRow:
        agreement = checked_agreement(data.agreement_path, self._db.key)
        try:
            return self._update_arrangement(actor, arrangement_id, data, expected_version, agreement)
        except BaseException:
            discard_agreement(agreement)
            raise

    def _update_arrangement(self, actor: Actor, arrangement_id: int, data: ArrangementInput, expected_version: int,
                            agreement) -> ArrangementRow:
        today = self._today()
        with self._db.write() as session:
            row = get_or_404(session, SupervisionArrangement, arrangement_id, "supervision arrangement")
            require(actor, Action.ARRANGE_SUPERVISION, relationship(session, actor, row.staff_id, today))
            data = replace(data, staff_id=row.staff_id)
            before = {name: getattr(row, name) for name in _ARRANGEMENT_FIELDS}
            before["agreement"] = row.agreement_filename
            values, external = arrangement_values(session, data, arrangement_id=row.id, agreement=agreement,
                                                  today=today)
            if external is not None:
                session.add(external)
                session.flush()
                values["supervisor_external_id"] = external.id
            if isinstance(agreement, evidence.StoredFile):
                values.update(agreement_values(actor, agreement))
            apply_update(session, row, values, expected_version, "supervision arrangement")
            changes = audit.diff(before, {**{k: values[k] for k in _ARRANGEMENT_FIELDS}, "agreement": row.agreement_filename})
            if changes:
                audit.record(session, actor, "update", "supervision_arrangement", row.id,
                             f"Updated supervision arrangement for {staff_name(session, row.staff_id)}: "
                             + ", ".join(changes), changes, subject_staff_id=row.staff_id)
            return one_arrangement(session, row, today)


def arrangement_values(session: Session, data: ArrangementInput, *, arrangement_id: int | None, agreement,
                       today: date, catalogue: SupervisionCatalogue | None = None,
                       existing: dict[tuple, list[tuple]] | None = None) -> tuple[dict, ExternalPerson | None]:
    """Check every field of an arrangement; collect all problems so the form can mark each one.
    `existing`: arrangements with colleagues already read, by pair (`_by_pair`), for a batch;
    otherwise this person's are read here. Who has left is asked of the dates as well as the saved
    status (`has_left`): a last day of yesterday, still saved as Active, has left."""
    errors: dict[str, str] = {}
    catalogue = catalogue or load_catalogue(session)
    staff = session.get(Staff, data.staff_id) if data.staff_id is not None else None
    if staff is None:
        errors["staff_id"] = "Choose the member of staff to be supervised."
    elif arrangement_id is None and has_left(staff.status, staff.start_date, staff.end_date, today):
        errors["staff_id"] = "This person has left; supervision cannot be arranged for them."
    if catalogue.type(data.type_code) is None:
        errors["type_code"] = "Choose the type of supervision."
    chosen = sum(x is not None for x in (data.supervisor_staff_id, data.supervisor_external_id, data.new_external))
    external: ExternalPerson | None = None
    if chosen == 0:
        errors["supervisor"] = "Choose the supervisor: a colleague, or an external supervisor."
    elif chosen > 1:
        errors["supervisor"] = "Choose one supervisor only: a colleague or an external supervisor."
    elif data.supervisor_staff_id is not None:
        supervisor = session.get(Staff, data.supervisor_staff_id)
        if supervisor is None:
            errors["supervisor"] = "The chosen supervisor is not on the staff list."
        elif supervisor.id == data.staff_id:
            errors["supervisor"] = "A person cannot supervise themself; choose someone else."
        elif (has_left(supervisor.status, supervisor.start_date, supervisor.end_date, today)
              and (arrangement_id is None or data.end_date is None)):
            errors["supervisor"] = (
                f"{staff_rules.display_name(supervisor.given_name, supervisor.family_name, supervisor.preferred_name)} "
                "has left. Choose a current supervisor, or give this arrangement an end date.")
    elif data.supervisor_external_id is not None:
        person = session.get(ExternalPerson, data.supervisor_external_id)
        if person is None or not person.active:
            errors["supervisor"] = "The chosen external supervisor is no longer recorded; choose another."
    else:
        external = new_external(data.new_external, errors)
    if data.frequency_code and catalogue.frequency(data.frequency_code) is None:
        errors["frequency_code"] = "Choose how often sessions should be held, or 'as expected for the role'."
    if data.start_date is None:
        errors["start_date"] = "Enter the date the arrangement starts."
    elif staff is not None and data.start_date.year < 1990:
        errors["start_date"] = "The start date is too far in the past; check the year."
    if data.end_date is not None and data.start_date is not None and data.end_date < data.start_date:
        errors["end_date"] = (f"The end date ({format_uk(data.end_date)}) is before "
                              f"the start date ({format_uk(data.start_date)}).")
    notes = clean_text(data.notes, multiline=True)
    if len(notes) > 4000:
        errors["notes"] = f"Agreement notes are too long ({len(notes)} characters); 4,000 is the most."
    if isinstance(agreement, str):
        errors["agreement"] = agreement
    if (not errors and data.supervisor_staff_id is not None):
        if existing is None:
            existing = _by_pair(session.execute(_CLASH_COLUMNS.where(
                SupervisionArrangement.staff_id == data.staff_id, SupervisionArrangement.type_code == data.type_code,
                SupervisionArrangement.supervisor_staff_id == data.supervisor_staff_id)))
        clash = _clashing_start(existing.get((data.staff_id, data.type_code, data.supervisor_staff_id), ()),
                                data, arrangement_id)
        if clash is not None and (data.end_date is None or data.end_date >= clash):
            errors["supervisor"] = (
                "This supervisor already has an arrangement of this type with this person "
                f"(from {format_uk(clash)}). Edit that one instead, or end it first.")
    if errors:
        raise ValidationError(errors)
    values = {
        "staff_id": data.staff_id, "type_code": data.type_code,
        "supervisor_staff_id": data.supervisor_staff_id, "supervisor_external_id": data.supervisor_external_id,
        "frequency_code": data.frequency_code or FOLLOW_ROLE, "start_date": data.start_date,
        "end_date": data.end_date, "notes": notes,
    }
    return values, external


_CLASH_COLUMNS = select(
    SupervisionArrangement.staff_id, SupervisionArrangement.type_code, SupervisionArrangement.supervisor_staff_id,
    SupervisionArrangement.start_date, SupervisionArrangement.end_date, SupervisionArrangement.id)


def _by_pair(rows: Iterable[tuple]) -> dict[tuple, list[tuple]]:
    """Arrangements as `_CLASH_COLUMNS` reads them, by (person, type, supervisor): (start, end, id)."""
    found: dict[tuple, list[tuple]] = {}
    for staff_id, type_code, supervisor_id, start, end, row_id in rows:
        found.setdefault((staff_id, type_code, supervisor_id), []).append((start, end, row_id))
    return found


def _clashing_start(rows: Iterable[tuple], data: ArrangementInput, arrangement_id: int | None) -> date | None:
    """The start of another arrangement of the same type between the same two people (`rows`:
    theirs, as `_by_pair` holds them) that is still running on the new one's start date, if any."""
    for start, end, row_id in rows:
        if row_id != (arrangement_id or -1) and (end is None or end >= data.start_date):
            return start
    return None


def _arrangement_entry(session: Session, actor: Actor, arrangement_id: int, values: dict,
                       agreement_filename: str | None = None) -> dict:
    """The audit entry of a new arrangement."""
    stype = builtin_supervision_catalogue().type(values["type_code"])
    return audit.entry_values(
        actor, "create", "supervision_arrangement", arrangement_id,
        f"Arranged {stype.title.lower()} for {staff_name(session, values['staff_id'])} "
        f"with {supervisor_name(session, values['supervisor_staff_id'], values['supervisor_external_id'])}",
        audit.diff({}, {**values, **({"agreement": agreement_filename} if agreement_filename else {})}),
        subject_staff_id=values["staff_id"])


def new_external(data: ExternalSupervisorInput, errors: dict[str, str]) -> ExternalPerson | None:
    name = clean_text(data.name)
    organisation = clean_text(data.organisation)
    profession = clean_text(data.profession)
    email = clean_text(data.email).lower()
    phone = clean_text(data.phone)
    if not name:
        errors["external_name"] = "Enter the external supervisor's name."
    elif len(name) > 200:
        errors["external_name"] = "Name is too long; 200 characters is the most."
    if not organisation:
        errors["external_organisation"] = "Enter the organisation the external supervisor works for (for example the trust)."
    elif len(organisation) > 200:
        errors["external_organisation"] = "Organisation is too long; 200 characters is the most."
    if len(profession) > 120:
        errors["external_profession"] = "Profession is too long; 120 characters is the most."
    problem = staff_rules.email_problem(email)
    if problem:
        errors["external_email"] = problem
    if len(phone) > 40 or (phone and not all(c.isdigit() or c in " +()-" for c in phone)):
        errors["external_phone"] = "Enter a phone number using digits, spaces, + and brackets only (at most 40)."
    if not email and not phone and "external_email" not in errors:
        errors["external_email"] = "Give an email address or a phone number, so the supervisor can be contacted."
    if any(k.startswith("external_") for k in errors):
        return None
    return ExternalPerson(name=name, organisation=organisation, job_title=profession, email=email, phone=phone)
