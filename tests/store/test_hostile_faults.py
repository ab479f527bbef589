"""Faults under the database and its backups: a read-only database, a full disk, a restore onto a
folder and backups killed half-way. Each is refused with a message that says what happened, with
nothing written and nothing lost.

The tests run as root on CI, and root ignores file modes, so a read-only file cannot be made by
chmod: each fault is injected where the operating system or SQLite would report it (SQLite's own
read-only and full-disk errors through `PRAGMA query_only` and `max_page_count`, PostgreSQL's
through `default_transaction_read_only`, and `OSError(ENOSPC/EACCES)` where Python meets the file).
"""

from __future__ import annotations

import errno
import hashlib
import os
import sqlite3
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from arrs_desk.errors import BackupProblem, DatabaseUnwritable
from arrs_desk.services.backups import BackupService
from arrs_desk.services.staff import StaffInput
from arrs_desk.store import backup as store
from arrs_desk.store.models import AuditEntry, Staff
from tests.support.pcn import ALPHA, build_small_pcn

FILE_ONLY = "backups and restores copy SQLite files; PostgreSQL is backed up with the server's tools"


def person(practice_id: int) -> StaffInput:
    return StaffInput(given_name="Ada", family_name="Lovelace", role_code="SPLW", employer_id=practice_id,
                      employment_model="practice", start_date=date(2025, 1, 6), practice_ids=[practice_id])


def counts(workspace) -> tuple[int, int]:
    with workspace.db.read() as session:
        return (session.execute(select(func.count()).select_from(Staff)).scalar(),
                session.execute(select(func.count()).select_from(AuditEntry)).scalar())


def on_every_connection(workspace, statement: str) -> None:
    """Run `statement` on each new connection of the workspace's engines (pools emptied first)."""
    engines = {id(e): e for e in (workspace.db.engine, getattr(workspace.db, "_write_engine", workspace.db.engine))}
    def run(conn, _record):  # noqa: ANN001
        conn.cursor().execute(statement)
        conn.commit()  # psycopg runs it in a transaction the pool would otherwise roll back

    for engine in engines.values():
        event.listen(engine, "connect", run)
        engine.dispose()


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_read_only_database_refuses_a_save_by_name(workspace, system_actor, backend):
    practice = build_small_pcn(workspace, system_actor, practices=(ALPHA,)).practice_ids[0]
    before = counts(workspace)
    on_every_connection(workspace, "PRAGMA query_only = ON" if backend == "sqlite"
                        else "SET default_transaction_read_only = on")
    with pytest.raises(DatabaseUnwritable, match="is read-only here.*Nothing was saved"):
        workspace.staff.create(system_actor, data=person(practice))
    assert counts(workspace) == before


@pytest.mark.sqlite_only("SQLite's own full-disk error, made by capping the file's pages")
def test_a_full_disk_refuses_a_save_and_loses_nothing(workspace, system_actor):
    practice = build_small_pcn(workspace, system_actor, practices=(ALPHA,)).practice_ids[0]
    before = counts(workspace)
    with sqlite3.connect(workspace.db.path) as conn:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    on_every_connection(workspace, f"PRAGMA max_page_count = {pages}")
    with pytest.raises(DatabaseUnwritable, match="is full. Nothing was saved and nothing was lost"):
        for n in range(200):  # until the capped file has no page left
            workspace.staff.create(system_actor, data=StaffInput(**{**person(practice).__dict__, "given_name": f"Ada{n}"}))
    assert counts(workspace)[0] >= before[0]
    with sqlite3.connect(workspace.db.path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.sqlite_only(FILE_ONLY)
def test_backing_up_a_read_only_database_says_so(workspace, system_actor):
    """The copy is made (reading is allowed) but recording it in the audit trail is not."""
    on_every_connection(workspace, "PRAGMA query_only = ON")
    with pytest.raises(DatabaseUnwritable, match="read-only"):
        workspace.backups.back_up(system_actor)
    service = BackupService(workspace.db, workspace.backups._now)  # noqa: SLF001  (the same clock)
    assert service.back_up_if_due() is None  # the daily copy is skipped with a log line, never a crash


@pytest.mark.sqlite_only(FILE_ONLY)
def test_a_full_disk_during_a_backup_leaves_no_partial_copy(workspace, system_actor, monkeypatch):
    def full(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(store.os, "fsync", full)
    with pytest.raises(BackupProblem, match="is full. No copy was made"):
        workspace.backups.back_up(system_actor)
    folder = store.backup_folder(workspace.db.path)
    assert [p.name for p in folder.iterdir()] == []


@pytest.mark.sqlite_only(FILE_ONLY)
def test_restore_onto_a_folder_is_refused(workspace, system_actor, tmp_path):
    good = workspace.backups.back_up(system_actor).path
    folder = tmp_path / "not-a-database"
    folder.mkdir()
    with pytest.raises(BackupProblem, match="is a folder, not a database file; nothing was restored"):
        store.restore_sqlite(folder, good)
    assert list(folder.iterdir()) == []


@pytest.mark.sqlite_only(FILE_ONLY)
def test_restore_onto_a_read_only_database_changes_nothing(workspace, system_actor, monkeypatch):
    good = workspace.backups.back_up(system_actor).path
    practice = build_small_pcn(workspace, system_actor, practices=(ALPHA,)).practice_ids[0]
    workspace.staff.create(system_actor, data=person(practice))
    workspace.db.dispose()
    database = workspace.db.path
    before = sha(database)
    real_connect, real_open = sqlite3.connect, os.open

    def read_only_connect(target, *args, **kwargs):  # SQLite opens a file it may not write read-only
        if str(target) == str(database):
            return real_connect(f"{database.resolve().as_uri()}?mode=ro", *args, uri=True,
                                **{k: v for k, v in kwargs.items() if k != "uri"})
        return real_connect(target, *args, **kwargs)

    def no_writing(path, flags, *args, **kwargs):
        if str(path) == str(database) and flags & (os.O_RDWR | os.O_WRONLY):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    from arrs_desk.store import cipher  # every plain connection the backups make goes through it

    monkeypatch.setattr(cipher.sqlite3, "connect", read_only_connect)
    monkeypatch.setattr(store.os, "open", no_writing)
    with pytest.raises(BackupProblem, match="is read-only here.*Nothing was restored"):
        store.restore_sqlite(database, good)
    assert sha(database) == before  # not swapped from under its owner


@pytest.mark.sqlite_only(FILE_ONLY)
def test_half_written_copies_of_killed_backups_are_removed_at_the_next_backup(workspace, system_actor):
    folder = store.backup_folder(workspace.db.path)
    folder.mkdir(parents=True, exist_ok=True)
    stale = [folder / f"{workspace.db.path.stem}-auto-2026110{n}-020000.sqlite3.partial" for n in range(1, 4)]
    fresh = folder / f"{workspace.db.path.stem}-manual-20261204-085959.sqlite3.partial"  # another PC, writing now
    kept = folder / "notes.partial"  # not a copy ARRS Desk makes
    hour_ago = time.time() - 3600
    for path in [*stale, fresh, kept]:
        path.write_bytes(b"half a database")
        os.utime(path, (hour_ago, hour_ago))
    os.utime(fresh)
    made = workspace.backups.back_up(system_actor)
    left = sorted(p.name for p in folder.iterdir())
    assert left == sorted([made.path.name, fresh.name, kept.name])


@pytest.mark.sqlite_only("about the folder an SQLite file is in")
def test_a_database_in_a_read_only_folder_says_so_not_cannot_read(tmp_path, migrated_template, monkeypatch):
    """SQLite cannot make the WAL's shared-memory file in a read-only folder, so the file will not open;
    that is said as it is, never "Cannot read" (which sends people to restore a backup)."""
    import shutil

    from arrs_desk.errors import DatabaseDamaged, DatabaseProblem
    from arrs_desk.store import engine
    from arrs_desk.store.engine import Database, to_url

    path = tmp_path / "shared" / "arrs.sqlite3"
    path.parent.mkdir()
    shutil.copyfile(migrated_template, path)
    db = Database(to_url(path))
    real_access = os.access
    monkeypatch.setattr(engine.os, "access", lambda p, mode: False if Path(p) == path.parent and mode == os.W_OK
                        else real_access(p, mode))

    def cannot_open(*_args, **_kwargs):  # what SQLite says when it cannot create arrs.sqlite3-shm
        raise sqlite3.OperationalError("unable to open database file")
    monkeypatch.setattr(db.engine.dialect, "connect", cannot_open)
    db.engine.dispose()
    try:
        with pytest.raises(DatabaseProblem, match="the folder .*shared is read-only here") as caught:
            db.schema_state()
        assert not isinstance(caught.value, DatabaseDamaged)
    finally:
        db.dispose()
