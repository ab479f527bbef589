"""People without an account who supervise, assess or sign: recorded once, reused everywhere."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from arrs_desk.domain.catalogue import builtin_catalogue
from arrs_desk.domain.permissions import AccessRole
from arrs_desk.domain.registration import normalise_registration_number, registration_problem
from arrs_desk.domain.staff import email_problem
from arrs_desk.errors import PermissionDenied, ValidationError
from arrs_desk.services import audit
from arrs_desk.services._common import clean_text
from arrs_desk.services.actor import Actor
from arrs_desk.store.database import Database
from arrs_desk.store.models import ExternalPerson


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


_MAY_RECORD = frozenset({AccessRole.ADMINISTRATOR, AccessRole.LINE_MANAGER, AccessRole.SUPERVISOR, AccessRole.APPRAISER})


class ExternalPeopleService:
    def __init__(self, db: Database):
        self._db = db

    def list(self, actor: Actor) -> list[ExternalPersonRow]:
        with self._db.read() as session:
            people = session.execute(select(ExternalPerson).where(ExternalPerson.active).order_by(ExternalPerson.name)).scalars()
            return [ExternalPersonRow(p.id, p.name, p.job_title, p.organisation, p.register_code,
                                      p.registration_number, p.email, p.phone) for p in people]

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
