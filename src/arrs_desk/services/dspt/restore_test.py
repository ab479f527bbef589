"""Testing a backup by restoring it (DSPT 7.3.4): the newest backup is copied into a private
temporary folder, checked, opened the way ARRS Desk opens any database (which brings an older copy
up to date), counted, and thrown away. The live database is never touched; the result, pass or
fail, goes into the audit trail, which is where the report reads it from.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from arrs_desk.errors import BackupProblem, DatabaseProblem
from arrs_desk.services.backups import Backup, check_backup_file
from arrs_desk.store.cipher import DatabaseKey, is_encrypted
from arrs_desk.store.database import open_database
from arrs_desk.store.models import AuditEntry, Staff, UserAccount


@dataclass(frozen=True)
class RestoreTestResult:
    backup: Backup
    passed: bool
    staff: int
    accounts: int
    audit_entries: int
    problem: str  # why it failed, in words; "" when it passed

    @property
    def summary(self) -> str:
        made = f"{self.backup.path.name} (made {self.backup.when_text})"
        if not self.passed:
            return f"Restore test of {made} failed: {self.problem}"
        return (f"Restore test of {made} passed: it opened and holds {self.staff} staff records, "
                f"{self.accounts} accounts and {self.audit_entries} audit entries")


def restore_into_temporary_copy(backup: Backup, key: DatabaseKey | None = None) -> RestoreTestResult:
    """Restore `backup` into a throwaway private folder and read it back; never raises for a bad
    backup (a failed test is a result to record), only for a folder that cannot be made."""
    folder = Path(tempfile.mkdtemp(prefix="arrs-restore-test-"))  # owner-only (0700) on every platform
    try:
        copy = folder / "restored.sqlite3"
        try:
            check_backup_file(backup.path, key)
            shutil.copyfile(backup.path, copy)
            db = open_database(copy, key=key if is_encrypted(copy) else None)
            try:
                with db.read() as session:
                    def count(model) -> int:
                        return session.execute(select(func.count()).select_from(model)).scalar_one()
                    staff, accounts, entries = count(Staff), count(UserAccount), count(AuditEntry)
            finally:
                db.dispose()
        except (BackupProblem, DatabaseProblem) as exc:
            return RestoreTestResult(backup, False, 0, 0, 0, exc.message)
        except OSError as exc:
            return RestoreTestResult(backup, False, 0, 0, 0, f"it could not be copied ({exc.strerror or exc})")
        return RestoreTestResult(backup, True, staff, accounts, entries, "")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
