"""Consistent copies of a SQLite database, made with SQLite's online backup API, and restoring them.

Copies live in a `backups` folder beside the database, named `<database>-<kind>-<YYYYmmdd-HHMMSS>.sqlite3`,
so every PC that opens a shared file finds the same copies, unless this PC was given another folder
(File > Settings…, kept by `backup_settings`); copies left in earlier folders and the default stay
listed. The online backup API copies a consistent snapshot while other copies of the app keep
working, and restoring writes through the same API, so another PC with the file open sees the
restored records instead of a file swapped from under it.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from arrs_desk import clock
from arrs_desk.domain.backups import DEFAULT_POLICY, RetentionPolicy, backups_to_remove, safety_copies_to_remove
from arrs_desk.errors import BackupProblem, DatabaseBusy, DatabaseDamaged
from arrs_desk.paths import create_private_file, make_private, private_folder
from arrs_desk.store import backup_settings, cipher
from arrs_desk.store.cipher import DatabaseKey
from arrs_desk.store.engine import BUSY_TIMEOUT_MS, Database, storage_refusal
from arrs_desk.store.schema import head_revision, known_revisions

log = logging.getLogger(__name__)

AUTO = "auto"
MANUAL = "manual"
BEFORE_RESTORE = "before-restore"
BEFORE_UPGRADE = "before-upgrade-from-"
ROTATED_KINDS = (AUTO, BEFORE_UPGRADE, BEFORE_RESTORE)
"""Copies the app makes by itself are thinned out; copies a person asked for are never deleted."""

SQLITE_HEADER = cipher.SQLITE_HEADER
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")
"""What SQLite keeps beside a database file in use, named after it."""
REQUIRED_TABLES = frozenset({"alembic_version", "organisation", "staff", "audit_entry"})
_STAMP = "%Y%m%d-%H%M%S"
STALE_PARTIAL_SECONDS = 15 * 60
"""A `.partial` copy not touched for this long belongs to a backup that was killed (power cut, app
ended): no copy takes this long to write, so it is safe to delete even in a folder shared by PCs."""
_NAME = re.compile(r"^(?P<kind>auto|manual|before-restore|before-upgrade-from-\w+?)-(?P<stamp>\d{8}-\d{6})(?:-\d+)?\.sqlite3$")


@dataclass(frozen=True)
class BackupFile:
    path: Path
    kind: str  # AUTO, MANUAL, BEFORE_RESTORE or "before-upgrade-from-NNNN"
    made_at: datetime  # local time, from the file name
    size: int

    @property
    def pool(self) -> str:
        return BEFORE_UPGRADE if self.kind.startswith(BEFORE_UPGRADE) else self.kind


@dataclass(frozen=True)
class BackupCheck:
    """A file that passed every check before a restore."""

    path: Path
    revision: str
    staff_count: int
    is_older_schema: bool


@dataclass(frozen=True)
class RestoreOutcome:
    source: BackupCheck
    kept_copy: Path | None  # what the restore replaced, or None when there was nothing to keep


def default_backup_folder(database: Path) -> Path:
    return Path(database).parent / "backups"


def backup_folder(database: Path) -> Path:
    """Where new copies go: the folder chosen on this PC, else the default beside the database."""
    return backup_settings.chosen_folder(database) or default_backup_folder(database)


def backup_folders(database: Path) -> list[Path]:
    """Every folder to look in: the one in use, those chosen before it, then the default, so copies
    made before the folder was changed are still offered."""
    folders: list[Path] = []
    for folder in [backup_folder(database), *backup_settings.earlier_folders(database),
                   default_backup_folder(database)]:
        if not any(same_folder(folder, f) for f in folders):
            folders.append(folder)
    return folders


def same_folder(a: Path, b: Path) -> bool:
    try:
        return os.path.normcase(str(a.resolve())) == os.path.normcase(str(b.resolve()))
    except OSError:
        return os.path.normcase(str(a)) == os.path.normcase(str(b))


def _private_folder(folder: Path) -> Path:
    try:
        private_folder(folder)
    except OSError as exc:
        raise BackupProblem(f"Could not reach the backup folder {folder} ({exc.strerror or exc}).") from exc
    return folder


def _writable_folder(database: Path, folder: Path | None) -> Path:
    """The folder to write into. A chosen folder that cannot be reached today (a share that is not
    connected) gives way to the default beside the database, so a copy is still made; a folder the
    caller named explicitly does not."""
    if folder is not None:
        return _private_folder(folder)
    chosen = backup_folder(database)
    try:
        return _private_folder(chosen)
    except BackupProblem as exc:
        default = default_backup_folder(database)
        if same_folder(chosen, default):
            raise
        log.warning("%s; using %s instead", exc.message, default)
        return _private_folder(default)


def _free_name(folder: Path, stem: str, kind: str, when: datetime) -> Path:
    base = f"{stem}-{kind}-{when.strftime(_STAMP)}"
    path, n = folder / f"{base}.sqlite3", 2
    while path.exists() or path.with_name(path.name + ".partial").exists():
        path, n = folder / f"{base}-{n}.sqlite3", n + 1
    return path


def copy_sqlite(source: Path, destination: Path, key: DatabaseKey | None = None) -> Path:
    """Copy a live database without stopping writers, into a file only its owner can read. The copy
    of an encrypted database is encrypted with the same key, so its passphrase opens both."""
    private_folder(destination.parent)
    tmp = destination.with_name(destination.name + ".partial")
    tmp.unlink(missing_ok=True)
    create_private_file(tmp)
    try:
        src = cipher.connect(source, key, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            dst = cipher.connect(tmp, key)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode = DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        _fsync(tmp)
        tmp.replace(destination)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return destination


def _fsync(path: Path) -> None:
    """A backup that is lost with the power cut it was meant to survive is no backup."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _folder_time(folder: Path) -> float | None:
    """The time stamp a file written in `folder` gets now, or None if nothing can be written there."""
    import tempfile

    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".arrs-clock-", suffix=".tmp") as probe:
            return os.stat(probe.name).st_mtime
    except OSError:
        return None


def make_backup(database: Path, kind: str, folder: Path | None = None, *, destination: Path | None = None,
                now: Callable[[], datetime] = clock.local_now, key: DatabaseKey | None = None) -> BackupFile:
    """Copy `database`, check the copy is sound, and return it. A copy that fails the check is deleted."""
    when = now()
    if destination is None:
        folder = _writable_folder(database, folder)
        remove_stale_partials(folder)
        destination = _free_name(folder, database.stem, kind, when)
    elif destination.is_dir():
        raise BackupProblem(f"{destination} is a folder; choose a file name for the copy.")
    try:
        copy_sqlite(database, destination, key)
    except cipher.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise DatabaseBusy("The database was busy for too long to copy; nothing was backed up. Try again.") from exc
        refusal = storage_refusal(exc, str(destination.parent))
        raise BackupProblem(refusal or f"Could not back up {database.name}: {exc}") from exc
    except (*cipher.DatabaseError, OSError) as exc:
        refusal = storage_refusal(exc, str(destination.parent))
        if refusal:
            raise BackupProblem(f"Could not back up {database.name}: {refusal.replace('Nothing was saved', 'No copy was made')}") from exc
        raise BackupProblem(f"Could not back up {database.name} to {destination}: {exc}") from exc
    problem = integrity_problem(destination, key)
    if problem:
        destination.unlink(missing_ok=True)  # a damaged copy must never push a good one out of the rotation
        raise DatabaseDamaged(
            f"{database} is damaged ({problem}). Restore it from a backup "
            "(File > Restore from backup, or `arrs-desk restore`)."
        )
    return BackupFile(destination, kind, when.replace(microsecond=0), destination.stat().st_size)


def remove_stale_partials(folder: Path, now: Callable[[], float] | None = None) -> list[Path]:
    """Delete the half-written copies killed backups left in `folder` (`*.sqlite3.partial` and
    `*.restoring` untouched for STALE_PARTIAL_SECONDS), so they do not fill the folder for ever.
    A copy still being written (by this PC or another sharing the folder) is younger and stays.

    Ages are measured on the folder's own clock (the time stamp of a file written there now), not
    the app's: file times are the file server's, which on a shared drive need not match this PC,
    and the app's clock may be set to another day (a demo, a test)."""
    moment = now() if now is not None else _folder_time(folder)
    if moment is None:
        return []
    removed = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for path in entries:
        if not (path.name.endswith(".sqlite3.partial") or path.name.endswith(".restoring")):
            continue
        try:
            if path.is_file() and moment - path.stat().st_mtime > STALE_PARTIAL_SECONDS:
                path.unlink()
                removed.append(path)
        except OSError as exc:  # another PC's, or not ours to delete: try again next time
            log.warning("could not remove the half-written copy %s: %s", path, exc)
    if removed:
        log.info("removed %d half-written backup(s) from %s", len(removed), folder)
    return removed


def backup_before_upgrade(db: Database, from_revision: str, folder: Path | None = None) -> Path:
    assert db.path is not None
    backup = make_backup(db.path, f"{BEFORE_UPGRADE}{from_revision}", folder, key=db.key)
    prune(db.path, backup.path.parent)
    return backup.path


def _stamp_of(stamp: str) -> datetime | None:
    try:
        return datetime.strptime(stamp, _STAMP)
    except ValueError:
        return None


def list_backups(database: Path, folder: Path | None = None) -> list[BackupFile]:
    """This database's copies in `folder`, or else in every folder of `backup_folders`, newest first.

    Only the app's own copies of this database are listed: those named `<database>-<kind>-<time>.sqlite3`,
    and those this PC saved under a name of their own (`backup_settings.copies_on_request`), dated
    by their modification time. A backup folder may also hold other databases (another PCN's file,
    the database itself when the folder is the database's own, anything a person keeps there), and
    whatever is listed may be restored, thinned out or encrypted.
    """
    own_names = {_file_key(p) for p in backup_settings.copies_on_request(database)}
    found = []
    for each in [folder] if folder is not None else backup_folders(database):
        found += _backups_in(database, each, own_names)
    found.sort(key=lambda b: (b.made_at, b.path.name), reverse=True)
    return found


def _file_key(path: Path) -> str:
    try:
        return os.path.normcase(str(path.resolve()))
    except OSError:
        return os.path.normcase(str(path))


def _backups_in(database: Path, folder: Path, own_names: set[str]) -> list[BackupFile]:
    try:
        entries = list(folder.iterdir()) if folder.is_dir() else []
    except OSError as exc:  # a share that is not connected, or not ours to read
        log.warning("could not look for backups in %s: %s", folder, exc)
        return []
    found = []
    prefix = database.stem + "-"
    for path in entries:
        match = _NAME.match(path.name[len(prefix):]) if path.name.startswith(prefix) else None
        made_at = _stamp_of(match.group("stamp")) if match else None
        if made_at is None and (not own_names or _file_key(path) not in own_names):
            continue
        try:
            if not path.is_file():
                continue
            stat = path.stat()
        except OSError:
            continue
        if made_at is None:  # saved under a name of its own
            found.append(BackupFile(path, MANUAL, datetime.fromtimestamp(stat.st_mtime).replace(microsecond=0),
                                    stat.st_size))
        else:
            found.append(BackupFile(path, match.group("kind"), made_at, stat.st_size))
    return found


def prune(database: Path, folder: Path | None = None, policy: RetentionPolicy = DEFAULT_POLICY) -> list[Path]:
    """Delete the automatic copies the retention policy no longer keeps; each kind is thinned on its own.
    Only the folder in use is thinned: a folder left behind keeps its copies as they were."""
    removed = []
    backups = list_backups(database, folder or backup_folder(database))
    for pool in ROTATED_KINDS:
        members = [b for b in backups if b.pool == pool]
        thin = safety_copies_to_remove if pool == BEFORE_RESTORE else backups_to_remove
        drop = thin((b.made_at for b in members), policy)
        for backup in members:
            if backup.made_at in drop:
                try:
                    backup.path.unlink()
                    removed.append(backup.path)
                except OSError as exc:  # e.g. another PC is reading it; try again next time
                    log.warning("could not remove old backup %s: %s", backup.path, exc)
    return removed


def integrity_problem(path: Path, key: DatabaseKey | None = None) -> str | None:
    """SQLite's full integrity check of a file, read-only; None when it is sound."""
    try:
        conn = cipher.connect(path, key, read_only=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except cipher.WrongKey:
        return "it is encrypted with another passphrase"
    except cipher.Error as exc:
        return str(exc)
    try:
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
    except cipher.Error as exc:
        return str(exc)
    finally:
        conn.close()
    return None if rows == ["ok"] else "; ".join(rows[:3])


def check_backup(path: Path, key: DatabaseKey | None = None) -> BackupCheck:
    """Everything that must hold before a file may replace the database; BackupProblem says what does not.
    `key`: the database's own key; an encrypted copy must open with it."""
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise BackupProblem(f"{path} does not exist or is not a file.")
    with open(path, "rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    encrypted = cipher.is_encrypted(path)
    if header != SQLITE_HEADER and not (encrypted and key is not None):
        if encrypted:
            raise BackupProblem(f"{name} is encrypted (or is not a database at all). An encrypted backup is "
                                "restored into the encrypted database it came from: open that database with its "
                                "passphrase first, then restore.")
        raise BackupProblem(f"{name} is not an ARRS Desk backup (it is not a SQLite database file).")
    file_key = key if encrypted else None
    if file_key is not None and not cipher.key_opens(path, file_key):
        raise BackupProblem(f"{name} is encrypted with another passphrase than this database's, or is not a "
                            "database at all; nothing was restored.")
    problem = integrity_problem(path, file_key)
    if problem:
        raise BackupProblem(f"{name} is damaged ({problem}); choose another backup.")
    conn = cipher.connect(path, file_key, read_only=True)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not REQUIRED_TABLES <= tables:
            raise BackupProblem(f"{name} is a SQLite database but not an ARRS Desk one.")
        revision = (conn.execute("SELECT version_num FROM alembic_version").fetchone() or (None,))[0]
        staff = conn.execute("SELECT count(*) FROM staff").fetchone()[0]
    except cipher.Error as exc:
        raise BackupProblem(f"{name} cannot be read as an ARRS Desk database: {exc}") from exc
    finally:
        conn.close()
    if revision not in known_revisions():
        if revision and revision > head_revision():
            raise BackupProblem(
                f"{name} was made by a newer version of ARRS Desk (schema {revision}); this version cannot use it. "
                "Install the latest ARRS Desk, or choose an older backup."
            )
        raise BackupProblem(f"{name} has a schema this version of ARRS Desk does not know ({revision or 'none'}).")
    return BackupCheck(path, revision, staff, revision != head_revision())


def restore_sqlite(database: Path, source: Path, folder: Path | None = None,
                   now: Callable[[], datetime] = clock.local_now, key: DatabaseKey | None = None) -> RestoreOutcome:
    """Replace `database` with the checked copy `source`, keeping a copy of what it replaces first.
    `key`: the database's; a plain copy restored into an encrypted database is encrypted on the way."""
    checked = check_backup(source, key)
    database = Path(database)
    if database.exists() and not database.is_file():
        raise BackupProblem(f"{database} is a folder, not a database file; nothing was restored. "
                            "Choose the database file itself.")
    if source.resolve() == database.resolve():
        raise BackupProblem("That is the database itself, not a backup of it.")
    folder = _writable_folder(database, folder)
    kept = None
    if database.exists() and database.stat().st_size > 0:
        kept = _free_name(folder, database.stem, BEFORE_RESTORE, now())
        try:
            copy_sqlite(database, kept, key)
        except cipher.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise DatabaseBusy("Another copy of ARRS Desk kept the database busy; nothing was restored. "
                                   "Try again when others have finished saving.") from exc
            _raw_copy(database, kept)
        except (*cipher.DatabaseError, cipher.WrongKey):
            _raw_copy(database, kept)  # too damaged for SQLite to read: keep its bytes as they are
    if not database.exists():  # restored into a new path: SQLite would create it readable by all
        private_folder(database.parent)
        create_private_file(database)
    source_key = key if cipher.is_encrypted(checked.path) else None
    try:
        _write_through_sqlite(checked.path, database, source_key, key)
    except cipher.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise DatabaseBusy("Another copy of ARRS Desk kept the database busy; nothing was restored. "
                               "Try again when others have finished saving.") from exc
        refusal = storage_refusal(exc, str(database))
        if refusal and not _can_write(database):  # never swap a read-only file from under its owner
            raise BackupProblem(refusal.replace("Nothing was saved", "Nothing was restored")) from exc
        if refusal and "full" in refusal:
            raise BackupProblem(refusal.replace("Nothing was saved", "Nothing was restored")) from exc
        _replace_file(checked.path, database, source_key, key)  # e.g. "readonly" for a WAL file of another page size
    except (*cipher.DatabaseError, cipher.WrongKey):
        _replace_file(checked.path, database, source_key, key)
    make_private(database)
    problem = integrity_problem(database, key)
    if problem:
        raise BackupProblem(f"The restored database failed its check ({problem}). The previous one was kept as {kept}.")
    return RestoreOutcome(checked, kept)


def _raw_copy(database: Path, destination: Path) -> None:
    tmp = destination.with_name(destination.name + ".partial")
    create_private_file(tmp)
    shutil.copyfile(database, tmp)
    make_private(tmp)
    tmp.replace(destination)
    wal = database.with_name(database.name + "-wal")
    if wal.exists():
        wal_copy = create_private_file(destination.with_name(destination.name + "-wal"))
        shutil.copyfile(wal, wal_copy)
        make_private(wal_copy)


def _write_through_sqlite(source: Path, database: Path, source_key: DatabaseKey | None = None,
                          key: DatabaseKey | None = None) -> None:
    """Copy pages into the live file under SQLite's own locks, so open connections stay coherent."""
    either = source_key is not None or key is not None
    src = cipher.connect(source, source_key, read_only=True, sqlcipher=either)
    try:
        dst = cipher.connect(database, key, timeout=BUSY_TIMEOUT_MS / 1000, sqlcipher=either)
        try:
            dst.execute("PRAGMA schema_version").fetchone()  # fails at once on a file SQLite cannot read
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def _can_write(path: Path) -> bool:
    """Whether this user may change the file and make files beside it: SQLite says "readonly" both
    for a file it may not write and for a backup between WAL files of different page sizes."""
    try:
        os.close(os.open(path, os.O_RDWR))
    except OSError:
        return False
    return os.access(path.parent, os.W_OK)


def _replace_file(source: Path, database: Path, source_key: DatabaseKey | None = None,
                  key: DatabaseKey | None = None) -> None:
    """For a file SQLite cannot open: swap in a fresh copy and drop the old file's journal."""
    tmp = database.with_name(database.name + ".restoring")
    try:
        copy_sqlite(source, tmp, source_key)
        if source_key != key:  # a plain copy going into an encrypted database's place
            from arrs_desk.store.cipher_convert import convert_file

            convert_file(tmp, source_key, key)
    except (OSError, *cipher.Error) as exc:
        refusal = storage_refusal(exc, str(database.parent))
        raise BackupProblem((refusal or f"Could not write beside {database} ({exc}).")
                            .replace("Nothing was saved", "Nothing was restored")) from exc
    for suffix in SQLITE_SIDE_FILES:
        database.with_name(database.name + suffix).unlink(missing_ok=True)
    tmp.replace(database)
