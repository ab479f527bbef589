"""The PCN's role catalogue: seeded from the built-in catalogue, then the PCN's to edit."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlmodel import Session

from arrs_desk.domain.catalogue import RoleCatalogue, builtin_catalogue
from arrs_desk.domain.permissions import Action
from arrs_desk.errors import ValidationError
from arrs_desk.services import audit
from arrs_desk.services._common import apply_update, clean_text, require
from arrs_desk.services.actor import SYSTEM, Actor
from arrs_desk.store.database import Database
from arrs_desk.store.models import Role, Setting, Staff

CATALOGUE_VERSION_KEY = "catalogue.roles.version"


def roles_synchronised(stored, catalogue: RoleCatalogue | None = None) -> bool:
    """Whether `stored` (the value of CATALOGUE_VERSION_KEY, None if unset) says this catalogue's
    roles are already in."""
    return isinstance(stored, int) and stored >= (catalogue or builtin_catalogue()).version


def sync_builtin_roles(session: Session, catalogue: RoleCatalogue | None = None) -> int:
    """Add roles a newer built-in catalogue brings; never overwrite a role the PCN already has.

    Returns the number of roles added. Cheap when the database is up to date: one row read.
    """
    catalogue = catalogue or builtin_catalogue()
    marker = session.get(Setting, CATALOGUE_VERSION_KEY)
    if marker is not None and roles_synchronised(marker.value, catalogue):
        return 0
    existing = set(session.execute(select(Role.code)).scalars())
    added = 0
    for definition in catalogue.roles:
        if definition.code in existing:
            continue
        session.add(Role(
            code=definition.code, title=definition.title, clinical=definition.clinical, arrs=definition.arrs,
            registers=list(definition.registers), registration_required=definition.registration_required,
            typical_band=definition.typical_band, requirements=definition.requirements,
            builtin=True, catalogue_version=catalogue.version,
        ))
        added += 1
    if marker is None:
        session.add(Setting(key=CATALOGUE_VERSION_KEY, value=catalogue.version))
    else:
        marker.value = catalogue.version
    if added:
        audit.record(session, SYSTEM, "seed", "role", "", f"Added {added} role(s) from built-in catalogue version {catalogue.version}")
    return added


@dataclass(frozen=True, slots=True)
class RoleRow:
    code: str
    title: str
    clinical: bool
    arrs: bool
    registers: tuple[str, ...]
    registration_required: bool
    typical_band: str
    requirements: str
    builtin: bool
    active: bool
    version: int
    staff_count: int


class RoleService:
    """The PCN's role catalogue. Built-in roles can be renamed or retired, never deleted, and a
    PCN can add its own local roles; staff records keep pointing at the role's code."""

    def __init__(self, db: Database):
        self._db = db

    def list(self, actor: Actor) -> list[RoleRow]:
        with self._db.read() as session:
            counts = dict(session.execute(select(Staff.role_code, func.count()).group_by(Staff.role_code)).all())
            roles = session.execute(select(Role).order_by(Role.title)).scalars().all()
            return [RoleRow(r.code, r.title, r.clinical, r.arrs, tuple(r.registers), r.registration_required,
                            r.typical_band, r.requirements, r.builtin, r.active, r.version, counts.get(r.code, 0))
                    for r in roles]

    def save(self, actor: Actor, *, code: str, title: str, clinical: bool, arrs: bool, registers: list[str],
             registration_required: bool, typical_band: str = "", requirements: str = "", active: bool = True,
             expected_version: int | None = None) -> RoleRow:
        """Create a local role (expected_version None) or change an existing one; returns its row as
        the list shows it now."""
        require(actor, Action.MANAGE_TEMPLATES)
        errors: dict[str, str] = {}
        code = clean_text(code).upper()
        values = {
            "title": clean_text(title), "clinical": bool(clinical), "arrs": bool(arrs),
            "registers": sorted(set(registers)), "registration_required": bool(registration_required),
            "typical_band": clean_text(typical_band), "requirements": clean_text(requirements, multiline=True),
            "active": bool(active),
        }
        if not re.fullmatch(r"[A-Z][A-Z0-9-]{0,23}", code):
            errors["code"] = "Codes are 1 to 24 capital letters, digits or hyphens, starting with a letter (for example ANP)."
        if not values["title"]:
            errors["title"] = "Title is required."
        elif len(values["title"]) > 120:
            errors["title"] = "Title is too long; 120 characters is the most."
        known = {r.code for r in builtin_catalogue().registers}
        unknown = set(values["registers"]) - known
        if unknown:
            errors["registers"] = f"Unknown register(s): {', '.join(sorted(unknown))}."
        if values["registration_required"] and not values["registers"]:
            errors["registers"] = "Choose the register(s) this role is registered with, or untick 'Registration required'."
        if len(values["typical_band"]) > 20:
            errors["typical_band"] = "Band is too long; 20 characters is the most."
        if len(values["requirements"]) > 2000:
            errors["requirements"] = "Requirements are too long; 2,000 characters is the most."
        with self._db.write() as session:
            existing = session.get(Role, code) if "code" not in errors else None
            if expected_version is None and existing is not None:
                errors["code"] = f"The code {code} is already used by {existing.title}."
            if errors:
                raise ValidationError(errors)
            if expected_version is None:
                role = Role(code=code, builtin=False, catalogue_version=0, **values)
                session.add(role)
                audit.record(session, actor, "create", "role", code, f"Added the local role {values['title']} ({code})",
                             audit.diff({}, values))
            else:
                if existing is None:
                    raise ValidationError.single("code", "That role no longer exists.")
                before = {k: getattr(existing, k) for k in values}
                apply_update(session, existing, values, expected_version, "role")
                audit.record(session, actor, "update", "role", code, f"Changed the role {values['title']} ({code})",
                             audit.diff(before, values))
        return next(r for r in self.list(actor) if r.code == code)
