"""The PCN itself, its member practices, and other employers (trusts, federations)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from arrs_desk.domain.permissions import Action
from arrs_desk.domain.staff import OrganisationKind
from arrs_desk.domain.staff import ods_code_problem
from arrs_desk.domain.staff_import import name_key
from arrs_desk.errors import ValidationError
from arrs_desk.services import audit
from arrs_desk.services._common import apply_update, clean_text, get_or_404, require
from arrs_desk.services.actor import Actor
from arrs_desk.store.database import Database
from arrs_desk.store.models import Organisation, Staff


@dataclass(frozen=True, slots=True)
class OrganisationRow:
    id: int
    kind: str
    name: str
    ods_code: str
    active: bool
    version: int
    staff_count: int

    @property
    def kind_label(self) -> str:
        return OrganisationKind(self.kind).label


class OrganisationService:
    def __init__(self, db: Database):
        self._db = db

    def list(self, actor: Actor) -> list[OrganisationRow]:
        with self._db.read() as session:
            counts = dict(session.execute(select(Staff.employer_id, func.count()).group_by(Staff.employer_id)).all())
            orgs = session.execute(select(Organisation).order_by(Organisation.kind, Organisation.name)).scalars().all()
            return [
                OrganisationRow(o.id, o.kind, o.name, o.ods_code, o.active, o.version, counts.get(o.id, 0))
                for o in orgs
            ]

    def pcn_name(self) -> str:
        with self._db.read() as session:
            return session.execute(
                select(Organisation.name).where(Organisation.kind == OrganisationKind.PCN.value)
            ).scalars().first() or ""

    def create(self, actor: Actor, *, kind: str, name: str, ods_code: str) -> OrganisationRow:
        require(actor, Action.MANAGE_ORGANISATIONS)
        with self._db.write() as session:
            values = self._validated(session, kind, name, ods_code, None)
            org = Organisation(**values)
            session.add(org)
            session.flush()
            audit.record(session, actor, "create", "organisation", org.id, f"Added {org.name} ({org.ods_code})",
                         audit.diff({}, values))
            return OrganisationRow(org.id, org.kind, org.name, org.ods_code, org.active, org.version, 0)

    def update(self, actor: Actor, *, org_id: int, name: str, ods_code: str, active: bool,
               expected_version: int) -> OrganisationRow:
        """Change an organisation; returns its row as the list shows it now."""
        require(actor, Action.MANAGE_ORGANISATIONS)
        with self._db.write() as session:
            org = get_or_404(session, Organisation, org_id, "organisation")
            values = self._validated(session, org.kind, name, ods_code, org_id)
            values["active"] = active
            before = {k: getattr(org, k) for k in values}
            apply_update(session, org, values, expected_version, "organisation")
            audit.record(session, actor, "update", "organisation", org_id, f"Updated {org.name}", audit.diff(before, values))
        return next(o for o in self.list(actor) if o.id == org_id)

    @staticmethod
    def _validated(session, kind: str, name: str, ods_code: str, org_id: int | None) -> dict:
        errors = {}
        try:
            kind_enum = OrganisationKind(kind)
        except ValueError:
            raise ValidationError.single("kind", "Choose the kind of organisation.") from None
        name = clean_text(name)
        code = "".join(clean_text(ods_code).split()).upper()
        if not name:
            errors["name"] = "Name is required."
        elif len(name) > 200:
            errors["name"] = "Name is too long; 200 characters is the most."
        else:
            # Names are what people pick from lists and write in import files: two organisations of
            # one name could not be told apart there, and an import took whichever was added first.
            key = name_key(name)
            same = next((f"{other} ({other_code})" for other, other_code in session.execute(
                select(Organisation.name, Organisation.ods_code).where(Organisation.id != (org_id or -1)))
                if name_key(other) == key), None)
            if same:
                errors["name"] = (f"{same} already has this name. Add something that tells them apart, such as "
                                  "the town or the partners' names.")
        problem = ods_code_problem(kind_enum, code) if code else "ODS code is required."
        if problem:
            errors["ods_code"] = problem
        else:
            clash = session.execute(
                select(Organisation.name).where(Organisation.ods_code == code, Organisation.id != (org_id or -1))
            ).scalar()
            if clash:
                errors["ods_code"] = f"ODS code {code} is already used by {clash}."
        if kind_enum is OrganisationKind.PCN and org_id is None:
            if session.execute(select(Organisation.id).where(Organisation.kind == OrganisationKind.PCN.value)).first():
                errors["kind"] = "This database already has its PCN; add practices or other employers instead."
        if errors:
            raise ValidationError(errors)
        return {"kind": kind_enum.value, "name": name, "ods_code": code}
