"""Inductions completed before the PCN's records began: recorded, changed, removed and read.

People in post before ARRS Desk was used have no induction checklist. Their line manager (or an
administrator) records that the induction was done: when, who attests it (name and role, and
their account if they have one), an optional scanned record kept in the evidence store, and a
note. The contract checks and the appraisal pack then show "Induction completed before records
began (dd/mm/yyyy), attested by X, role" instead of failing for ever.

Rules, and why:
* Only for someone without a checklist: a checklist is the record of an induction done since.
* Nobody records or attests their own induction: the point is that someone else vouches for it.
* The completion date is not in the future, not before the person started (the induction
  includes day-one items), and at most `MAX_MONTHS_AFTER_START` months after starting: an
  induction takes the first weeks in post, so a date later than that is a typing slip or not
  an induction (the window still covers a slow one, such as a part-time starter's).
Every change is audited in the same transaction as the record; an evidence file is stored
before the transaction and discarded again if the record is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from arrs_desk.domain import staff as staff_rules
from arrs_desk.domain.assurance import PriorInduction
from arrs_desk.domain.dates import add_months, format_uk
from arrs_desk.domain.permissions import Action, denial
from arrs_desk.errors import NotFound, PermissionDenied, StaleEdit, ValidationError
from arrs_desk.services import audit, evidence
from arrs_desk.services._common import apply_update, clean_text, get_or_404, require
from arrs_desk.services.actor import Actor
from arrs_desk.services.relationships import relationship
from arrs_desk.services.evidence import evidence_folder
from arrs_desk.store.database import Database
from arrs_desk.store.models import InductionChecklist, InductionPriorRecord, Role, Staff, UserAccount

MAX_MONTHS_AFTER_START = 12
MAX_NAME = 200
MAX_ROLE = 120
MAX_NOTE = 2000


@dataclass(frozen=True, slots=True)
class PriorInductionInput:
    completed_on: date | None
    attested_by_name: str = ""
    attested_by_role: str = ""
    attested_by_user_id: int | None = None
    """The attester's account, when they have one; their name is then taken from it."""
    note: str = ""


@dataclass(frozen=True, slots=True)
class PriorInductionView:
    staff_id: int
    version: int
    completed_on: date
    attested_by_name: str
    attested_by_role: str
    attested_by_user_id: int | None
    note: str
    evidence_filename: str
    evidence_media_type: str
    evidence_size: int | None
    recorded_by: str
    recorded_at: datetime

    @property
    def text(self) -> str:
        """'Induction completed before records began (dd/mm/yyyy), attested by X, role'."""
        return PriorInduction(self.completed_on, self.attested_by_name, self.attested_by_role).text

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence_filename)


@dataclass(frozen=True, slots=True)
class Attester:
    """An account that may attest: the person recording it, or the person's line manager."""

    user_id: int
    name: str
    role: str


@dataclass(frozen=True)
class PriorInductionForm:
    """What the dialog needs about one person."""

    staff_id: int
    display_name: str
    start_date: date
    has_checklist: bool
    record: PriorInductionView | None
    attesters: tuple[Attester, ...]
    can_record: bool
    """The actor may record, change or remove it (line manager or administrator, not themself)."""
    earliest: date
    latest: date
    """The completion dates the service accepts."""


def _view(row: InductionPriorRecord) -> PriorInductionView:
    return PriorInductionView(
        staff_id=row.staff_id, version=row.version, completed_on=row.completed_on,
        attested_by_name=row.attested_by_name, attested_by_role=row.attested_by_role,
        attested_by_user_id=row.attested_by_user_id, note=row.note, evidence_filename=row.evidence_filename,
        evidence_media_type=row.evidence_media_type, evidence_size=row.evidence_size,
        recorded_by=row.recorded_by_name, recorded_at=row.updated_at,
    )


def person_name(person: Staff) -> str:
    """The name as the person is known: shown in the record and its audit lines."""
    return staff_rules.display_name(person.given_name, person.family_name, person.preferred_name)


def date_bounds(start_date: date, today: date) -> tuple[date, date]:
    """The completion dates accepted for someone who started on `start_date`."""
    return start_date, min(today, add_months(start_date, MAX_MONTHS_AFTER_START))


class InductionPriorService:
    def __init__(self, db: Database, today: Callable[[], date],
                 evidence_root: Callable[[], Path] | None = None):
        self._db = db
        self._today = today
        self._evidence_root = evidence_folder(evidence_root)

    # ======================================================================= reading
    def get(self, actor: Actor, *, staff_id: int) -> PriorInductionView | None:
        with self._db.read() as session:
            require(actor, Action.VIEW_STAFF, relationship(session, actor, staff_id, self._today()))
            get_or_404(session, Staff, staff_id, "staff member")
            row = session.get(InductionPriorRecord, staff_id)
            return _view(row) if row is not None else None

    def form(self, actor: Actor, *, staff_id: int) -> PriorInductionForm:
        today = self._today()
        with self._db.read() as session:
            rel = relationship(session, actor, staff_id, today)
            require(actor, Action.VIEW_STAFF, rel)
            person = get_or_404(session, Staff, staff_id, "staff member")
            row = session.get(InductionPriorRecord, staff_id)
            has_checklist = self._has_checklist(session, staff_id)
            attesters = self._attesters(session, actor, person)
        earliest, latest = date_bounds(person.start_date, today)
        return PriorInductionForm(
            staff_id=staff_id, display_name=person_name(person), start_date=person.start_date,
            has_checklist=has_checklist, record=_view(row) if row is not None else None, attesters=attesters,
            can_record=not rel.is_self and denial(actor.roles, Action.EDIT_STAFF, rel) is None,
            earliest=earliest, latest=latest,
        )

    def evidence_file(self, actor: Actor, *, staff_id: int) -> Path:
        """The stored scan of the earlier induction record, for opening in the system viewer."""
        with self._db.read() as session:
            require(actor, Action.VIEW_STAFF, relationship(session, actor, staff_id, self._today()))
            row = session.get(InductionPriorRecord, staff_id)
            if row is None or not row.evidence_sha256:
                raise NotFound("No file is attached to this induction record.")
            stored_name = row.evidence_sha256 + self._extension(row.evidence_media_type)
        return evidence.stored_path(self._evidence_root(), stored_name, self._db.key)

    # ======================================================================= writing
    def record(self, actor: Actor, *, staff_id: int, data: PriorInductionInput,
               evidence_file: Path | None = None) -> PriorInductionView:
        """Record that this person's induction was completed before records began."""
        return self._save(actor, staff_id, data, None, evidence_file, remove_evidence=False)

    def change(self, actor: Actor, *, staff_id: int, data: PriorInductionInput, expected_version: int,
               evidence_file: Path | None = None, remove_evidence: bool = False) -> PriorInductionView:
        """Correct the record; a new file replaces the old one, `remove_evidence` drops it."""
        return self._save(actor, staff_id, data, expected_version, evidence_file, remove_evidence=remove_evidence)

    def remove(self, actor: Actor, *, staff_id: int, expected_version: int) -> None:
        """Take the record away (recorded in error); the audit trail keeps what it said."""
        with self._db.write() as session:
            person = self._person_for_writing(session, actor, staff_id)
            row = get_or_404(session, InductionPriorRecord, staff_id, "record of an earlier induction")
            if row.version != expected_version:
                raise StaleEdit("Someone else changed this record after you opened it, so it was not removed. "
                                "Close it, reopen it to see their changes, and try again.")
            before = self._values(row)
            session.delete(row)
            audit.record(session, actor, "delete", "induction_prior_record", staff_id,
                         f"Removed the record that {person_name(person)}'s induction was completed before records began",
                         audit.diff(before, {}), subject_staff_id=staff_id)

    def _save(self, actor: Actor, staff_id: int, data: PriorInductionInput, expected_version: int | None,
              evidence_file: Path | None, *, remove_evidence: bool) -> PriorInductionView:
        with self._db.read() as session:  # refuse before copying a file anywhere
            person = self._person_for_writing(session, actor, staff_id)
            self.clean(session, person=person, data=data)
            self._existing(session, person, expected_version)
        root = self._evidence_root()
        stored = evidence.store_file(Path(evidence_file), root, self._db.key) if evidence_file is not None else None
        try:
            with self._db.write() as session:
                person = self._person_for_writing(session, actor, staff_id)
                values = self.clean(session, person=person, data=data)
                row = self._existing(session, person, expected_version)
                if stored is not None:
                    values.update(evidence_sha256=stored.sha256, evidence_filename=stored.original_name,
                                  evidence_media_type=stored.kind.media_type, evidence_size=stored.size)
                elif remove_evidence:
                    values.update(evidence_sha256="", evidence_filename="", evidence_media_type="",
                                  evidence_size=None)
                values.update(recorded_by_user_id=actor.user_id, recorded_by_name=actor.display_name)
                if row is None:
                    row = InductionPriorRecord(staff_id=staff_id, **values)
                    session.add(row)
                    session.flush()
                    audit.record(session, actor, "create", "induction_prior_record", staff_id,
                                 f"Recorded that {person_name(person)}'s induction was completed before records began "
                                 f"({format_uk(values['completed_on'])}), attested by {values['attested_by_name']}",
                                 audit.diff({}, self._values(row)), subject_staff_id=staff_id)
                else:
                    before = self._values(row)
                    apply_update(session, row, values, expected_version, "record of an earlier induction")
                    audit.record(session, actor, "update", "induction_prior_record", staff_id,
                                 f"Changed the record of {person_name(person)}'s induction completed before records began",
                                 audit.diff(before, self._values(row)), subject_staff_id=staff_id)
                if stored is not None:
                    audit.record(session, actor, "attach", "induction_prior_record", staff_id,
                                 f"Attached '{stored.original_name}' to the record of {person_name(person)}'s earlier "
                                 "induction", {"sha256": stored.sha256, "size": stored.size,
                                               "media_type": stored.kind.media_type}, subject_staff_id=staff_id)
                return _view(row)
        except BaseException:
            if stored is not None and stored.created:
                evidence.discard(root, stored.stored_name)
            raise

    # ======================================================================= rules
    def _person_for_writing(self, session: Session, actor: Actor, staff_id: int) -> Staff:
        rel = relationship(session, actor, staff_id, self._today())
        if rel.is_self:
            raise PermissionDenied("You cannot record your own induction; your line manager or an administrator "
                                   "records it.")
        require(actor, Action.EDIT_STAFF, rel)
        return get_or_404(session, Staff, staff_id, "staff member")

    def _existing(self, session: Session, person: Staff, expected_version: int | None) -> InductionPriorRecord | None:
        """The record a change applies to (None for a new one), refusing what cannot be saved."""
        row = session.get(InductionPriorRecord, person.id)
        if expected_version is not None:
            if row is None:
                raise NotFound("That record of an earlier induction no longer exists; it may have been removed by "
                               "someone else.")
            return row
        if row is not None:
            raise ValidationError.single("staff_id", f"An earlier induction is already recorded for {person_name(person)}; "
                                                     "change that record instead.")
        if self._has_checklist(session, person.id):
            raise ValidationError.single("staff_id", (
                f"{person_name(person)} has an induction checklist, which is the record of their induction; tick and sign "
                "off the items there instead."))
        return None

    def clean(self, session: Session, *, person: Staff, data: PriorInductionInput) -> dict[str, Any]:
        """The values to store, or a ValidationError naming every field that is wrong."""
        today = self._today()
        errors: dict[str, str] = {}
        earliest, latest = date_bounds(person.start_date, today)
        day = data.completed_on
        if person.start_date > today:
            errors["staff_id"] = (f"{person_name(person)} starts on {format_uk(person.start_date)}, so their induction is "
                                  "recorded on their checklist, not as one completed before records began.")
        elif day is None:
            errors["completed_on"] = "Enter the date the induction was completed."
        elif day > today:
            errors["completed_on"] = f"The date ({format_uk(day)}) is in the future; enter the day it was completed."
        elif day < earliest:
            errors["completed_on"] = (f"The date ({format_uk(day)}) is before {person_name(person)} started on "
                                      f"{format_uk(earliest)}; an induction finishes after the first day.")
        elif day > latest:
            errors["completed_on"] = (f"The date ({format_uk(day)}) is more than {MAX_MONTHS_AFTER_START} months after "
                                      f"{person_name(person)} started ({format_uk(person.start_date)}); an induction is "
                                      f"done in the first weeks in post. Enter a date up to {format_uk(latest)}.")
        name = clean_text(data.attested_by_name)
        user_id = data.attested_by_user_id
        if user_id is not None:
            account = session.get(UserAccount, user_id)
            if account is None or not account.active:
                errors["attested_by_user_id"] = "That account no longer exists or is switched off; choose another."
            elif account.staff_id == person.id:
                errors["attested_by_user_id"] = (f"{person_name(person)} cannot attest their own induction; choose someone "
                                                 "who knows it was done, such as their line manager at the time.")
            else:
                name = account.display_name
        if not name:
            errors["attested_by_name"] = "Enter the name of the person who attests that the induction was done."
        elif len(name) > MAX_NAME:
            errors["attested_by_name"] = f"Keep the name under {MAX_NAME} characters."
        elif user_id is None and staff_rules.search_key(name) in {
                staff_rules.search_key(person_name(person)), staff_rules.search_key(person.given_name, person.family_name)}:
            errors["attested_by_name"] = (f"{person_name(person)} cannot attest their own induction; name someone who knows "
                                          "it was done, such as their line manager at the time.")
        role = clean_text(data.attested_by_role)
        if not role:
            errors["attested_by_role"] = "Enter the attester's role, for example 'Practice manager'."
        elif len(role) > MAX_ROLE:
            errors["attested_by_role"] = f"Keep the role under {MAX_ROLE} characters."
        note = clean_text(data.note, multiline=True)
        if len(note) > MAX_NOTE:
            errors["note"] = f"Keep the note under {MAX_NOTE:,} characters."
        if errors:
            raise ValidationError(errors)
        return dict(completed_on=day, attested_by_name=name, attested_by_role=role, attested_by_user_id=user_id,
                    note=note)

    @staticmethod
    def _has_checklist(session: Session, staff_id: int) -> bool:
        return session.execute(select(InductionChecklist.id).where(InductionChecklist.staff_id == staff_id)
                               .limit(1)).first() is not None

    @staticmethod
    def _attesters(session: Session, actor: Actor, person: Staff) -> tuple[Attester, ...]:
        """The actor and the person's line manager, when they have accounts (never the person)."""
        wanted: list[tuple[str, int]] = []
        if actor.user_id is not None:
            wanted.append(("user", actor.user_id))
        if person.line_manager_id is not None:
            wanted.append(("staff", person.line_manager_id))
        found: list[Attester] = []
        titles = dict(session.execute(select(Role.code, Role.title)).all())
        for kind, key in wanted:
            column = UserAccount.id if kind == "user" else UserAccount.staff_id
            account = session.execute(select(UserAccount).where(column == key, UserAccount.active)
                                      .order_by(UserAccount.id)).scalars().first()
            if account is None or account.staff_id == person.id or any(a.user_id == account.id for a in found):
                continue
            staff = session.get(Staff, account.staff_id) if account.staff_id else None
            found.append(Attester(account.id, account.display_name, titles.get(staff.role_code, "") if staff else ""))
        return tuple(found)

    @staticmethod
    def _values(row: InductionPriorRecord) -> dict[str, Any]:
        return {name: getattr(row, name) for name in (
            "completed_on", "attested_by_name", "attested_by_role", "attested_by_user_id", "note",
            "evidence_filename", "evidence_sha256")}

    @staticmethod
    def _extension(media_type: str) -> str:
        return next((k.extension for k in evidence.KINDS if k.media_type == media_type), "")


# --------------------------------------------------------------------------- demo data
