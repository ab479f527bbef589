"""An open database with every service bound to it: the one object the UI and CLI hold."""

from __future__ import annotations

from collections.abc import Callable
from os import PathLike
from typing import TypeVar

from sqlalchemy import exists, select

from arrs_desk import clock as clock_module
from arrs_desk.clock import Clock
from arrs_desk.clock import current as current_clock
from arrs_desk.clock import install as install_clock
from arrs_desk.errors import DatabaseDamaged
from arrs_desk.services import audit, evidence
from arrs_desk.services.actor import Actor
from arrs_desk.services.accounts import AccountService
from arrs_desk.services.two_step import TwoStepService
from arrs_desk.services.appraisal_packs import AppraisalPackService
from arrs_desk.services.assurance import AssuranceService
from arrs_desk.services.audit_log import AuditLogService
from arrs_desk.services.audit_verify import AuditVerifyService
from arrs_desk.services.checkins import CheckinService
from arrs_desk.services.backups import Backup, BackupService
from arrs_desk.services.data_export import DataExportService
from arrs_desk.services.dspt import DsptService
from arrs_desk.services.encryption import EncryptionService
from arrs_desk.services.external_people import ExternalPeopleService
from arrs_desk.services.file_exports import FileExportService
from arrs_desk.services.signature_sheets import SignatureSheetService
from arrs_desk.services.induction import InductionService
from arrs_desk.services.induction_prior import InductionPriorService
from arrs_desk.services import induction_templates, programme_templates
from arrs_desk.services.builtin_templates import is_synchronised
from arrs_desk.services.organisations import OrganisationService
from arrs_desk.services.programmes import ProgrammeService
from arrs_desk.services.record_bundle import RecordBundleService
from arrs_desk.services.retention import RecordsRetentionService
from arrs_desk.services.subject_access import SubjectAccessService
from arrs_desk.services.reviews import ReviewService
from arrs_desk.services.revalidation import RevalidationService
from arrs_desk.services.revalidation.packs import RegulatorPackService
from arrs_desk.services.roles import CATALOGUE_VERSION_KEY, RoleService, roles_synchronised, sync_builtin_roles
from arrs_desk.services.staff import StaffService
from arrs_desk.services.staff_import import StaffImportService
from arrs_desk.services.supervision import SupervisionService
from arrs_desk.services.training import TrainingService
from arrs_desk.store.cipher import DatabaseKey
from arrs_desk.store.database import Database, damaged_message, open_database
from arrs_desk.store.models import Organisation, Setting, Staff

T = TypeVar("T")


class Workspace:
    """Every service bound to one database and to the application's one clock.

    The services read the clock installed in `arrs_desk.clock` each time they ask, never a copy,
    so the audit stamps the store writes and the dates the services reason with cannot disagree,
    and a long job can pin the day (`clock.pinned_to_today`). Passing `clock` installs it.
    """

    def __init__(self, db: Database, clock: Clock | None = None):
        if clock is not None:
            install_clock(clock)
        today = self.today = clock_module.today
        self.db = db
        self.staff = StaffService(db, today)
        self.organisations = OrganisationService(db)
        self.roles = RoleService(db)
        self.induction = InductionService(db, today)
        self.induction_prior = InductionPriorService(db, today)
        self.accounts = AccountService(db, clock_module.now)
        self.two_step = TwoStepService(db, clock_module.now)
        self.audit_log = AuditLogService(db)
        self.audit_verify = AuditVerifyService(db)
        self.external_people = ExternalPeopleService(db)
        self.signature_sheets = SignatureSheetService(db, self, today)
        self.supervision = SupervisionService(db, today)
        self.programmes = ProgrammeService(db, today)
        self.backups = BackupService(db, clock_module.local_now)
        self.encryption = EncryptionService(db)
        self.staff_import = StaffImportService(db, today)
        self.reviews = ReviewService(db, today)
        self.appraisal_packs = AppraisalPackService(db, today, self)
        self.checkins = CheckinService(db, today)
        self.assurance = AssuranceService(db, self, today)
        self.data_export = DataExportService(db)
        self.record_bundles = RecordBundleService(db, today)
        self.revalidation = RevalidationService(db, today)
        self.regulator_packs = RegulatorPackService(db, today, self)
        self.exports = FileExportService(db, self)
        self.dspt = DsptService(db, today)
        self.training = TrainingService(db, today)
        self.records_retention = RecordsRetentionService(db, today, clock_module.now)
        self.subject_access = SubjectAccessService(db, today)

    @classmethod
    def open(cls, target: str | PathLike[str], clock: Clock | None = None, *,
             backup_if_due: bool = False, key: DatabaseKey | None = None) -> "Workspace":
        """Open (creating or upgrading). `backup_if_due` makes the daily backup before returning, for
        the command line; the app opens without it and calls `after_opening` in the background.
        `key` opens an encrypted database (`services.encryption` finds or makes it)."""
        db = open_database(target, key=key)
        _bring_in_builtin_content(db)
        workspace = cls(db, clock)
        if backup_if_due:
            try:
                workspace.backups.back_up_if_due()
            except BaseException:
                workspace.close()
                raise
        return workspace

    def check_integrity(self) -> None:
        """SQLite's whole-file check, unless opening already ran it (after an unclean shutdown);
        raises DatabaseDamaged with the way forward when the file is damaged."""
        db = self.db
        if db.checked:
            return
        problem = db.integrity_problem()
        if problem:
            raise DatabaseDamaged(damaged_message(db, problem))
        db.checked = True

    def after_opening(self) -> Backup | None:
        """What opening leaves until the window is usable, for a worker: the whole-file check, then
        the daily backup if it is due (skipped with a log line if it cannot be made). A damaged file
        raises DatabaseDamaged and is not copied."""
        self.check_integrity()
        return self.backups.back_up_if_due()

    def read_at_once(self, read: Callable[[Workspace], T], name: str | None = None, *,
                     reader: Actor | None = None) -> T:
        """`read(self)` with every read in it sharing one session (`Database.one_read`): a page that
        asks several services opens one session (on SQLite one transaction, so it sees them all as of
        one moment). `name`: the page, whose reads a PostgreSQL server is then sent together
        (`store.read_ahead`). `reader`: who the page is read for: their account is checked as a
        save checks it, in the read's first statement, and a window whose holder has left or whose
        account was turned off or changed since signing in is refused (`SessionEnded`: it locks)."""
        with self.db.one_read(name, reader=audit.account_to_check(reader)):
            return read(self)

    def forget_figures_of(self, actor) -> None:
        """Drop the figures kept for `actor` (`shared_reads`): someone else now uses this window, so
        what the last person could see is not held for them any longer than it must be."""
        from arrs_desk.services.shared_reads import shared_reads

        shared_reads(self.db).forget(actor)

    def forget_figures_of_other_days(self, today) -> None:
        """Drop the figures kept for any day but `today`: the day has changed while the window was
        open, and every verdict is reckoned from today (`ui.shell.day_watcher`)."""
        from arrs_desk.services.shared_reads import shared_reads

        shared_reads(self.db).forget_other_days(today)

    @property
    def clock(self) -> Clock:
        """The clock the application runs on (the installed one)."""
        return current_clock()

    @property
    def location(self) -> str:
        return self.db.display_name

    def is_empty(self) -> bool:
        """True for a brand-new database: nothing set up yet, so offer demo data or setup."""
        with self.db.read() as session:
            return not session.execute(select(exists().where(Organisation.id.is_not(None)))).scalar()

    def has_staff(self) -> bool:
        """Whether anyone is on the staff list yet, whatever their status (Home's first steps)."""
        with self.db.read() as session:
            return bool(session.execute(select(exists().where(Staff.id.is_not(None)))).scalar())

    def close(self) -> None:
        if self.db.key is not None:  # decrypted copies opened from an encrypted database go with it
            evidence.forget_opened(evidence.evidence_folder()())
        self.db.dispose()


def _bring_in_builtin_content(db: Database) -> None:
    """Roles, induction templates and programmes that ship with the app, copied in when the
    database lacks them or holds older ones. Every start but the first after an upgrade finds
    them in: one read of their three markers, and no write transaction (on a server across sites
    the write's BEGIN, reads and COMMIT were five round trips on every start)."""
    kinds = (induction_templates.BUILTIN, programme_templates.BUILTIN)
    with db.read() as session:
        stored = dict(session.execute(select(Setting.key, Setting.value).where(
            Setting.key.in_([CATALOGUE_VERSION_KEY, *(kind.version_key for kind in kinds)]))).all())
    if roles_synchronised(stored.get(CATALOGUE_VERSION_KEY)) and all(
            is_synchronised(kind, stored.get(kind.version_key)) for kind in kinds):
        return
    with db.write() as session:
        sync_builtin_roles(session)
        induction_templates.sync_builtin_templates(session)
        programme_templates.sync_builtin_programmes(session)
