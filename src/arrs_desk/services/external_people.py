"""People without an account who supervise, assess or sign: recorded once, reused everywhere.

Also the shared half of recording a signature on someone's behalf (a supervision session
confirmed on paper, an induction item signed off by e-mail): checking what was typed from the
signature, finding or adding the signer, and the sign-off values every such table stores.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from arrs_desk.domain.catalogue import builtin_catalogue
from arrs_desk.domain.permissions import AccessRole, Action, Relationship
from arrs_desk.domain.registration import normalise_registration_number, registration_problem
from arrs_desk.domain.signatures import ReceivedVia, SignedOnBehalf, received_via_problem, signed_date_problem
from arrs_desk.domain.staff import email_problem
from arrs_desk.errors import PermissionDenied, ValidationError
from arrs_desk.services import audit, sign_off_fields
from arrs_desk.services._common import clean_text, require
from arrs_desk.services.actor import Actor
from arrs_desk.services.choices import Choice
from arrs_desk.store.database import Database
from arrs_desk.store.models import ExternalPerson, UserAccount, utcnow


@dataclass(frozen=True, slots=True)
class ExternalPersonRow:
    id: int
    name: str
    job_title: str
    organisation: str
    register_code: str
    registration_number: str
    email: str
    phone: str

    @property
    def label(self) -> str:
        extra = ", ".join(p for p in (self.job_title, self.organisation) if p)
        return f"{self.name} ({extra})" if extra else self.name


@dataclass
class ExternalSignatureInput:
    """What the recorder copies from a signature given on paper or by e-mail."""

    name: str = ""
    role: str = ""
    organisation: str = ""
    register_code: str = ""
    registration_number: str = ""
    signed_on: date | None = None
    received_via: str = ReceivedVia.PAPER.value
    external_person_id: int | None = None
    """The signer chosen from those already recorded; None finds them by name and organisation,
    or adds them."""


@dataclass(frozen=True)
class SignatureChoices:
    """What the signature form offers: known signers to pre-fill from, registers, how it arrived."""

    people: tuple[ExternalPersonRow, ...]
    registers: tuple[Choice, ...]
    """value: register code; label: its name; hint: the expected format."""
    received_via: tuple[Choice, ...]


_MAY_RECORD = frozenset({AccessRole.ADMINISTRATOR, AccessRole.LINE_MANAGER, AccessRole.SUPERVISOR, AccessRole.APPRAISER})


class ExternalPeopleService:
    def __init__(self, db: Database):
        self._db = db

    def list(self, actor: Actor) -> list[ExternalPersonRow]:
        with self._db.read() as session:
            people = session.execute(select(ExternalPerson).where(ExternalPerson.active).order_by(ExternalPerson.name)).scalars()
            return [ExternalPersonRow(p.id, p.name, p.job_title, p.organisation, p.register_code,
                                      p.registration_number, p.email, p.phone) for p in people]

    def signature_choices(self, actor: Actor) -> SignatureChoices:
        """For the form that records a signature on someone's behalf, so only for those who may."""
        require(actor, Action.RECORD_SIGNATURE, Relationship(manages=True))
        return SignatureChoices(
            people=tuple(self.list(actor)),
            registers=tuple(Choice(r.code, r.name, r.expected) for r in builtin_catalogue().registers),
            received_via=tuple(Choice(v.value, v.label) for v in ReceivedVia),
        )

    def create(self, actor: Actor, *, name: str, job_title: str = "", organisation: str = "", register_code: str = "",
               registration_number: str = "", email: str = "", phone: str = "") -> ExternalPersonRow:
        if not actor.roles & _MAY_RECORD:
            raise PermissionDenied("Only administrators, managers, supervisors and appraisers can record external signers.")
        errors = {}
        values = {
            "name": clean_text(name), "job_title": clean_text(job_title), "organisation": clean_text(organisation),
            "register_code": clean_text(register_code), "email": clean_text(email).lower(), "phone": clean_text(phone),
            "registration_number": normalise_registration_number(registration_number or ""),
        }
        if not values["name"]:
            errors["name"] = "Name is required."
        if not values["organisation"]:
            errors["organisation"] = "Organisation is required, so the signature can be traced (for example the trust or practice)."
        if values["register_code"]:
            register = builtin_catalogue().register(values["register_code"])
            problem = registration_problem(register, registration_number) if register else "Unknown register."
            if problem:
                errors["registration_number"] = problem
        elif values["registration_number"]:
            errors["register_code"] = "Choose the register this number belongs to."
        problem = email_problem(values["email"])
        if problem:
            errors["email"] = problem
        for field, limit in (("name", 200), ("job_title", 120), ("organisation", 200), ("phone", 40)):
            if len(values[field]) > limit:
                errors[field] = f"{field.replace('_', ' ').capitalize()} is too long; {limit} characters is the most."
        if errors:
            raise ValidationError(errors)
        with self._db.write() as session:
            person = ExternalPerson(**values)
            session.add(person)
            session.flush()
            audit.record(session, actor, "create", "external_person", person.id,
                         f"Recorded external signer {person.name} ({person.organisation}), entered by {actor.display_name}",
                         audit.diff({}, values))
            return ExternalPersonRow(person.id, *(values[k] for k in ("name", "job_title", "organisation", "register_code",
                                                                      "registration_number", "email", "phone")))


# --------------------------------------------------------------------------- signatures on someone's behalf

_SIGNATURE_LIMITS = (("name", 200), ("role", 120), ("organisation", 200))


def signature_values(session: Session, actor: Actor, data: ExternalSignatureInput, *, today: date,
                     earliest: date | None, earliest_what: str,
                     signer: ExternalPerson | None = None) -> tuple[ExternalPerson, dict]:
    """Check a signature typed in from paper or an e-mail and return (signer, the sign-off values).

    `signer` is the person it must come from (a session's external supervisor); otherwise the
    one chosen, or the recorded person of that name and organisation, or a new one. Details
    missing from the signer's record (role, registration) are filled in from the signature, so
    the next form is pre-filled. Every problem is raised at once, each under its field's name.
    """
    values = {"name": clean_text(data.name), "role": clean_text(data.role),
              "organisation": clean_text(data.organisation), "register_code": clean_text(data.register_code),
              "registration_number": normalise_registration_number(data.registration_number or "")}
    errors: dict[str, str] = {}
    if signer is None and data.external_person_id is not None:
        signer = session.get(ExternalPerson, data.external_person_id)
        if signer is None:
            errors["external_person_id"] = "The chosen signer is no longer recorded; type their details instead."
    if not values["name"]:
        errors["name"] = "Enter the signer's name as written on the signature."
    if not values["organisation"]:
        errors["organisation"] = "Enter the organisation the signer works for (for example the trust or practice)."
    for field, limit in _SIGNATURE_LIMITS:
        if len(values[field]) > limit:
            errors[field] = f"{field.capitalize()} is too long; {limit} characters is the most."
    register = None
    if values["register_code"]:
        register = builtin_catalogue().register(values["register_code"])
        if register is None:
            errors["register_code"] = "Choose the register from the list."
        else:
            problem = registration_problem(register, data.registration_number or "")
            if problem:
                errors["registration_number"] = problem
    elif values["registration_number"]:
        errors["register_code"] = "Choose the register this registration number belongs to."
    problem = signed_date_problem(data.signed_on, today=today, earliest=earliest, earliest_what=earliest_what)
    if problem:
        errors["signed_on"] = problem
    problem = received_via_problem(data.received_via)
    if problem:
        errors["received_via"] = problem
    if errors:
        raise ValidationError(errors)
    signer = signer or _find_signer(session, values["name"], values["organisation"])
    if signer is None:
        signer = _add_signer(session, actor, values)
    else:
        _fill_blanks(session, actor, signer, values)
    registration = f"{register.regulator} {values['registration_number']}" if register else ""
    return signer, {
        **sign_off_fields.signed_by_external(actor, external_id=signer.id, name=values["name"],
                                             signed_on=data.signed_on, signed_at=utcnow()),
        "signed_by_role": values["role"], "signed_by_organisation": values["organisation"],
        "signed_by_registration": registration, "received_via": data.received_via,
    }


def signature_audit(values: dict) -> dict:
    """The audit entry's changes for a signature recorded on someone's behalf."""
    shown = ("signed_by_name", "signed_by_role", "signed_by_organisation", "signed_by_registration",
             "signed_on", "received_via", "signed_by_external_id")
    changes = audit.diff({}, {k: values[k] for k in shown if values[k] not in ("", None)})
    changes["on_behalf_of_signer"] = [None, True]
    return changes


def received_text(values: dict) -> str:
    """'received on paper' / 'received by e-mail', for audit summaries."""
    return "received on paper" if values["received_via"] == ReceivedVia.PAPER else "received by e-mail"


def recorder_names(session: Session, user_ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in user_ids if i is not None}
    if not wanted:
        return {}
    return dict(session.execute(select(UserAccount.id, UserAccount.display_name)
                                .where(UserAccount.id.in_(wanted))).all())


def on_behalf(row, recorders: dict[int, str]) -> SignedOnBehalf | None:
    """The signature on a row with sign-off fields, when it was recorded on the signer's behalf."""
    if row.signed_at is None or row.signed_by_external_id is None:
        return None
    return SignedOnBehalf(
        name=row.signed_by_name, role=row.signed_by_role, organisation=row.signed_by_organisation,
        registration=row.signed_by_registration, signed_on=row.signed_on, received_via=row.received_via,
        recorded_by=recorders.get(row.recorded_by_user_id, ""), recorded_at=row.signed_at,
    )


def _find_signer(session: Session, name: str, organisation: str) -> ExternalPerson | None:
    """The recorded person of this name and organisation, whatever the case or accents typed.
    Compared here rather than in SQL: SQLite's lower() leaves 'Ō' alone, PostgreSQL's does not."""
    wanted = (_fold(name), _fold(organisation))
    people = session.execute(select(ExternalPerson).order_by(ExternalPerson.active.desc(), ExternalPerson.id)).scalars()
    return next((p for p in people if (_fold(p.name), _fold(p.organisation)) == wanted), None)


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _add_signer(session: Session, actor: Actor, values: dict) -> ExternalPerson:
    person = ExternalPerson(name=values["name"], job_title=values["role"], organisation=values["organisation"],
                            register_code=values["register_code"], registration_number=values["registration_number"])
    session.add(person)
    session.flush()
    audit.record(session, actor, "create", "external_person", person.id,
                 f"Recorded external signer {person.name} ({person.organisation}) from their signature",
                 audit.diff({}, {k: getattr(person, k) for k in ("name", "job_title", "organisation", "register_code",
                                                                 "registration_number")}))
    return person


def _fill_blanks(session: Session, actor: Actor, person: ExternalPerson, values: dict) -> None:
    before = {"job_title": person.job_title, "register_code": person.register_code,
              "registration_number": person.registration_number}
    after = dict(before)
    if not person.job_title and values["role"]:
        after["job_title"] = values["role"]
    if not person.registration_number and values["registration_number"]:
        after["register_code"], after["registration_number"] = values["register_code"], values["registration_number"]
    changes = audit.diff(before, after)
    if not changes:
        return
    for key, value in after.items():
        setattr(person, key, value)
    person.version += 1
    person.updated_at = utcnow()
    audit.record(session, actor, "update", "external_person", person.id,
                 f"Added {', '.join(k.replace('_', ' ') for k in changes)} to {person.name}'s details from their signature",
                 changes)
