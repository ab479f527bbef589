"""Backups and restores: a copy each day the app is opened, copies on request, and putting one back.

Only SQLite files are copied here. A PostgreSQL database belongs to its server, whose own
tools (pg_dump, pg_restore, the server's scheduled backups) are the only safe way to copy it;
every call says so rather than pretending. Restoring works without an open workspace too, for
the moment the database itself will not open.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from arrs_desk.domain.backups import automatic_backup_due
from arrs_desk.domain.permissions import Action
from arrs_desk.errors import BackupProblem, DatabaseBusy, DatabaseProblem, DatabaseUnwritable, ValidationError
from arrs_desk.services import audit
from arrs_desk.services._common import require
from arrs_desk.services.actor import SYSTEM, Actor
from arrs_desk.services.exports import export_audit_values
from arrs_desk.services.evidence import evidence_folder
from arrs_desk.store import backup as store
from arrs_desk.store import backup_settings
from arrs_desk.store.cipher import DatabaseKey
from arrs_desk.store.database import Database, open_database, to_url
from arrs_desk.store.models import Staff
from arrs_desk.store.schema import head_revision

log = logging.getLogger(__name__)

KIND_LABELS = {
    store.AUTO: "Automatic (daily)",
    store.MANUAL: "Made on request",
    store.BEFORE_RESTORE: "Kept when restoring",
}


@dataclass(frozen=True)
class Backup:
    """One backup file, as the restore list shows it."""

    path: Path
    kind: str
    made_at: datetime
    size: int

    @property
    def kind_label(self) -> str:
        if self.kind.startswith(store.BEFORE_UPGRADE):
            return f"Before upgrading (schema {self.kind.removeprefix(store.BEFORE_UPGRADE)})"
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def size_text(self) -> str:
        return size_text(self.size)

    @property
    def when_text(self) -> str:
        return self.made_at.strftime("%d/%m/%Y %H:%M")


@dataclass(frozen=True)
class RestoreResult:
    source: Path
    revision: str
    staff_count: int
    kept_copy: Path | None
    upgraded: bool  # the copy came from an older version and was brought up to date


def size_text(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    value, unit = size / 1024, "KB"
    for bigger in ("MB", "GB"):
        if value < 1024:
            break
        value, unit = value / 1024, bigger
    return f"{value:.1f} {unit}"


def _entry(backup: store.BackupFile) -> Backup:
    return Backup(backup.path, backup.kind, backup.made_at, backup.size)


def database_file(target: str | Path) -> Path | None:
    """The SQLite file behind a path or URL; None for a server database."""
    url = make_url(to_url(target))
    if not url.drivername.startswith("sqlite") or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def server_advice(target: str) -> str:
    display = make_url(to_url(target)).render_as_string(hide_password=True)
    return (
        f"This database is on a PostgreSQL server ({display}). ARRS Desk does not copy server databases "
        "itself, because only the server can make a consistent copy. Ask whoever runs the server to back "
        "it up with pg_dump (for example: pg_dump --format=custom --file=arrs-desk.dump DATABASE) and to "
        "restore with pg_restore; the server's own scheduled backups are the ones to rely on."
    )


def _file_or_advice(target: str | Path) -> Path:
    path = database_file(target)
    if path is None:
        raise BackupProblem(server_advice(str(target)))
    return path


def list_backups(target: str | Path) -> list[Backup]:
    """A database's backups, newest first: works when the database itself cannot be opened."""
    return [_entry(b) for b in store.list_backups(_file_or_advice(target))]


def newest_good_backup(target: str | Path, key: DatabaseKey | None = None) -> Backup | None:
    """The newest backup that passes every check, for the offer made when a database will not open."""
    path = database_file(target)
    if path is None:
        return None
    for backup in store.list_backups(path):
        try:
            store.check_backup(backup.path, key)
        except BackupProblem:
            continue
        return _entry(backup)
    return None


def backup_folder(target: str | Path) -> Path | None:
    """Where a database's new copies go on this PC; None for a server database."""
    path = database_file(target)
    return store.backup_folder(path) if path is not None else None


def check_backup_file(path: str | Path, key: DatabaseKey | None = None) -> store.BackupCheck:
    return store.check_backup(Path(path), key)


def restore_database(target: str | Path, source: str | Path, actor: Actor = SYSTEM,
                     key: DatabaseKey | None = None) -> RestoreResult:
    """Replace the database with a checked backup, keep what it replaced, bring it up to date, audit it.

    No permission check here: this is for the command line and for a database too damaged to
    open (whoever can reach the file can copy it anyway). Signed-in people go through
    `BackupService.restore`, which checks first.
    """
    path = _file_or_advice(target)
    outcome = store.restore_sqlite(path, Path(source), key=key)
    db = open_database(path, key=key)  # upgrades a copy from an older version, keeping a copy from before that too
    try:
        kept = f"; the database it replaced was kept as {outcome.kept_copy.name}" if outcome.kept_copy else ""
        with db.write() as session:
            audit.record(
                session, actor, "restore", "database", "",
                f"Restored from {Path(source).name} ({outcome.source.staff_count} staff records){kept}",
                {"source": [None, str(Path(source).resolve())],
                 "kept_copy": [None, str(outcome.kept_copy) if outcome.kept_copy else None],
                 "schema": [outcome.source.revision, head_revision()]},
            )
    finally:
        db.dispose()
    return RestoreResult(Path(source), outcome.source.revision, outcome.source.staff_count, outcome.kept_copy,
                         outcome.source.is_older_schema)


def _backup_facts(session, path: Path) -> dict:
    """What every saved file's audit entry says (`exports.export_audit_values`): a backup is a copy
    of the whole database, so it holds every member of staff."""
    people = session.execute(select(func.count()).select_from(Staff)).scalar_one()
    return export_audit_values(what="a copy of the whole database", people=people, file_format="SQLite", path=path)[1]


BACKUP_FILE = "backup_file"
BACKUP_FILE_LABEL = "Backup file"


def _new_backup_file(database: Path, chosen: str | Path) -> Path:
    """The file a copy on request is written to, checked: never the database or one of the files
    SQLite keeps beside it (a copy written as its `-wal` or `-journal` would be read back into the
    database as a journal), and never a file that is already there, which the copy would replace."""
    destination = Path(chosen).expanduser().resolve()

    def refuse(message: str) -> ValidationError:
        return ValidationError.single(BACKUP_FILE, f"{BACKUP_FILE_LABEL}: {message}")

    if destination.is_dir():  # once written beside the folder, as "folder.sqlite3"
        raise refuse(f"{destination} is a folder. Give the name of the backup file to make in it, "
                     f"for example {destination / 'pcn-backup.sqlite3'}.")
    if destination.suffix == "":
        destination = destination.with_suffix(".sqlite3")
    for side in ("", *store.SQLITE_SIDE_FILES):
        own = {os.path.normcase(str(d.with_name(d.name + side))) for d in (database.absolute(), database.resolve())}
        if os.path.normcase(str(destination)) in own:
            what = "the database itself" if not side else "a file SQLite keeps beside the database while it is in use"
            raise refuse(f"{destination.name} is {what}. Choose another file name, such as "
                         f"{database.stem}-backup.sqlite3.")
    if destination.exists():
        raise refuse(f"{destination} already exists. A backup never replaces a file: choose a new file name, "
                     "or delete or rename the old file first.")
    return destination


class BackupService:
    def __init__(self, db: Database, now: Callable[[], datetime],
                 evidence_root: Callable[[], Path] | None = None):
        self._db = db
        self._now = now
        self._evidence_root = evidence_folder(evidence_root)

    @property
    def available(self) -> bool:
        """False for a server database, which is backed up with the server's own tools."""
        return self._db.path is not None

    def advice(self) -> str:
        return "" if self.available else server_advice(self._db.url)

    def folder(self) -> Path | None:
        """Where new copies go: the folder chosen on this PC, else the default."""
        return store.backup_folder(self._db.path) if self._db.path else None

    def default_folder(self) -> Path | None:
        return store.default_backup_folder(self._db.path) if self._db.path else None

    def chosen_folder(self) -> Path | None:
        """The folder chosen on this PC, or None while the default is used."""
        return backup_settings.chosen_folder(self._db.path) if self._db.path else None

    def set_folder(self, actor: Actor, *, folder: str | Path | None) -> Path | None:
        """Choose where this PC puts this database's copies (blank: the default beside the database).

        Kept on this PC, not in the database, so a database too damaged to open can still be
        restored from its copies; the change is audited in the database too, since it decides
        where copies of everyone's records end up.
        """
        require(actor, Action.MANAGE_SETTINGS)
        path = self._path()
        new = backup_settings.validate_folder(folder, evidence=self._evidence_root())
        if new is not None and store.same_folder(new, store.default_backup_folder(path)):
            new = None  # the default, spelled out: remember nothing, so it follows the database
        old = backup_settings.chosen_folder(path)
        if old == new:
            return new
        where = str(new) if new else f"the default folder {store.default_backup_folder(path)}"
        with self._db.write() as session:  # a file that cannot be saved rolls the audit entry back
            audit.record(session, actor, "backup_folder", "database", "", f"Backups on this PC now go to {where}",
                         {"backup_folder": [str(old) if old else None, str(new) if new else None]})
            backup_settings.remember_folder(path, new)
        log.info("backup folder for %s on this PC changed by %s: %s -> %s", path, actor.display_name,
                 old or "(default)", new or "(default)")
        return new

    def _path(self) -> Path:
        if self._db.path is None:
            raise BackupProblem(server_advice(self._db.url))
        return self._db.path

    def list(self, actor: Actor) -> list[Backup]:
        require(actor, Action.MANAGE_SETTINGS)
        return [_entry(b) for b in store.list_backups(self._path())]

    def suggested_file(self) -> Path:
        path = self._path()
        return store.backup_folder(path) / f"{path.stem}-manual-{self._now():%Y%m%d-%H%M%S}.sqlite3"

    def back_up(self, actor: Actor, *, destination: str | Path | None = None, folder: str | Path | None = None) -> Backup:
        """A copy on request, to the backup folder, another folder this once, or a chosen file; never
        deleted by the rotation."""
        require(actor, Action.MANAGE_SETTINGS)
        path = self._path()
        into = backup_settings.validate_folder(folder, evidence=self._evidence_root()) if folder else None
        if destination is not None:
            destination = _new_backup_file(path, destination)
        backup = store.make_backup(path, store.MANUAL, into, destination=destination, now=self._now,
                                   key=self._db.key)
        if destination is not None:  # so it is listed with the backups, though not named as they are
            try:
                backup_settings.remember_copy(path, backup.path)
            except OSError as exc:
                log.warning("the copy %s is made but will not be listed with the backups: %s", backup.path, exc)
        with self._db.write() as session:
            audit.record(session, actor, "backup", "database", "",
                         f"Backed up to {backup.path} ({size_text(backup.size)})",
                         {"file": [None, str(backup.path)], **_backup_facts(session, backup.path)})
        return _entry(backup)

    def back_up_if_due(self) -> Backup | None:
        """The daily copy, made when the app opens; old automatic copies are thinned out after it.

        A damaged database raises DatabaseProblem (the copy's full integrity check found it).
        Anything else that stops the copy (a full disk, a busy file) is logged and tried again
        on the next open, without keeping anyone from their work.
        """
        if self._db.path is None:
            return None
        path = self._db.path
        try:
            autos = [b for b in store.list_backups(path) if b.kind == store.AUTO]
            if not automatic_backup_due(autos[0].made_at if autos else None, self._now()):
                return None
            backup = store.make_backup(path, store.AUTO, now=self._now, key=self._db.key)
            store.prune(path, backup.path.parent)
            with self._db.write() as session:
                audit.record(session, SYSTEM, "backup", "database", "",
                             f"Automatic daily backup to {backup.path.name} ({size_text(backup.size)})",
                             _backup_facts(session, backup.path))
        except DatabaseProblem:
            raise
        except (BackupProblem, DatabaseBusy, DatabaseUnwritable, OSError) as exc:
            log.warning("automatic backup of %s skipped: %s", path, getattr(exc, "message", exc))
            return None
        return _entry(backup)

    def restore(self, actor: Actor, *, source: str | Path) -> RestoreResult:
        """Put a backup back in place of this database. Reopen the workspace afterwards: the people,
        accounts and records are now the backup's."""
        require(actor, Action.MANAGE_SETTINGS)
        path = self._path()
        self._db.dispose()  # this PC's own connections out of the way; others' are handled by SQLite's locks
        try:
            return restore_database(path, source, actor, self._db.key)
        finally:
            self._db.dispose()
