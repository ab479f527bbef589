"""An open database with every service bound to it: the one object the UI and CLI hold."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from os import PathLike

from sqlalchemy import exists, select

from arrs_desk.services.accounts import AccountService
from arrs_desk.services.audit_log import AuditLogService
from arrs_desk.services.external_people import ExternalPeopleService
from arrs_desk.services.induction import InductionService
from arrs_desk.services.induction_templates import sync_builtin_templates
from arrs_desk.services.organisations import OrganisationService
from arrs_desk.services.roles import sync_builtin_roles
from arrs_desk.services.staff import StaffService
from arrs_desk.services.supervision import SupervisionService
from arrs_desk.store.database import Database, open_database
from arrs_desk.store.models import Organisation


class Workspace:
    def __init__(self, db: Database, today: Callable[[], date] = date.today):
        self.db = db
        self.today = today
        self.staff = StaffService(db, today)
        self.organisations = OrganisationService(db)
        self.induction = InductionService(db, today)
        self.accounts = AccountService(db)
        self.audit_log = AuditLogService(db)
        self.external_people = ExternalPeopleService(db)
        self.supervision = SupervisionService(db, today)

    @classmethod
    def open(cls, target: str | PathLike[str], today: Callable[[], date] = date.today) -> "Workspace":
        db = open_database(target)
        with db.write() as session:
            sync_builtin_roles(session)
            sync_builtin_templates(session)
        return cls(db, today)

    @property
    def location(self) -> str:
        return self.db.display_name

    def is_empty(self) -> bool:
        """True for a brand-new database: nothing set up yet, so offer demo data or setup."""
        with self.db.read() as session:
            return not session.execute(select(exists().where(Organisation.id.is_not(None)))).scalar()

    def close(self) -> None:
        self.db.dispose()
