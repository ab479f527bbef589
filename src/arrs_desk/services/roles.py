"""The PCN's role catalogue: seeded from the built-in catalogue, then the PCN's to edit."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from arrs_desk.domain.catalogue import RoleCatalogue, builtin_catalogue
from arrs_desk.services import audit
from arrs_desk.services.actor import SYSTEM
from arrs_desk.store.models import Role, Setting

CATALOGUE_VERSION_KEY = "catalogue.roles.version"


def sync_builtin_roles(session: Session, catalogue: RoleCatalogue | None = None) -> int:
    """Add roles a newer built-in catalogue brings; never overwrite a role the PCN already has.

    Returns the number of roles added. Cheap when the database is up to date: one row read.
    """
    catalogue = catalogue or builtin_catalogue()
    marker = session.get(Setting, CATALOGUE_VERSION_KEY)
    if marker is not None and isinstance(marker.value, int) and marker.value >= catalogue.version:
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
