"""Opening a database (SQLite file or PostgreSQL URL) safely.

On open: private file permissions for a new SQLite file, WAL and foreign keys on, a check of the
schema revision, a backup copy before any upgrade, and refusal to open a database written by a
newer ARRS Desk. SQLite's whole-file check runs here only when the last use of the file did not
end cleanly (`open_marker`); otherwise the app runs it in the background once its window is up
(`Database.checked` says which), so a large file never delays the first window. The open `Database` itself (engine and sessions) is in `engine`;
its names are re-exported here, where the services have always imported them from.
"""

from __future__ import annotations

import os
from pathlib import Path

from arrs_desk.errors import DatabaseDamaged, DatabaseProblem
from arrs_desk.store.cipher import DatabaseKey, KeyNeeded, encrypted_file
from arrs_desk.store.engine import BUSY_TIMEOUT_MS, Database, to_url
from arrs_desk.store.pg_tls import secure_url
from arrs_desk.store.schema import SchemaState

__all__ = ["BUSY_TIMEOUT_MS", "Database", "SchemaState", "damaged_message", "encrypted_file", "open_database",
           "to_url"]


def open_database(target: str | os.PathLike[str], *, backup_dir: Path | None = None,
                  key: DatabaseKey | None = None) -> Database:
    """Open, create or upgrade a database; raise DatabaseProblem with a way forward if it cannot.

    `key` opens an encrypted SQLite file (`cipher.WrongKey` if it does not, with nothing changed);
    it is ignored for a plain file, and an encrypted file without one raises `KeyNeeded`."""
    url = secure_url(to_url(target))  # a remote PostgreSQL only over TLS
    path = encrypted_file(url)
    if path is not None and key is None:
        raise KeyNeeded(f"{path} is encrypted. Enter its passphrase to open it.")
    # This module's BUSY_TIMEOUT_MS, read at each open: every database the app opens waits as
    # long as it says (a test shortens the wait here).
    marker = _marker_for(url)  # looked at before anything opens the file and rolls back a hot journal
    db = Database(url, busy_timeout_ms=BUSY_TIMEOUT_MS, key=key if path is not None else None)
    if marker is None and db.path is not None:  # a new file: marked now its folder exists
        marker = _marker_for(url)
    db.open_marker = marker
    try:
        return _open(db, backup_dir)
    except BaseException:
        db.dispose()
        raise


def _open(db: Database, backup_dir: Path | None) -> Database:
    state = db.schema_state()
    if state.is_newer_or_foreign:
        if state.revision:
            raise DatabaseProblem(
                f"{db.display_name} was written by a newer version of ARRS Desk (schema {state.revision}). "
                "Install the latest ARRS Desk to open it; this version will not change it."
            )
        raise DatabaseProblem(
            f"{db.display_name} is not an ARRS Desk database (it has tables but no ARRS Desk schema). "
            "Choose another file, or an empty one to start afresh."
        )
    marker = db.open_marker
    if state.is_empty:
        db.checked = True
    elif marker is not None and marker.must_check:
        problem = db.integrity_problem()
        if problem:
            raise DatabaseDamaged(damaged_message(db, problem))
        marker.forget_stale()
        db.checked = True
    if not state.is_current:
        from arrs_desk.store import migrate

        if state.is_older and db.path is not None:
            from arrs_desk.store.backup import backup_before_upgrade

            backup_before_upgrade(db, state.revision or "empty", backup_dir)
            db.checked = True  # the copy passed the full integrity check (`make_backup`)
        migrate.upgrade(db)
    from arrs_desk.store.audit_guard import ensure_guards

    db.unguarded = ensure_guards(db)  # put back any trigger dropped behind the app's back, audited
    return db


def damaged_message(db: Database, problem: str) -> str:
    return (f"{db.display_name} is damaged ({problem}). Restore it from a backup "
            "(File > Restore from backup, or `arrs-desk restore`).")


def _marker_for(url: str):
    """This open's marker beside a SQLite file (`open_marker`); None for a server or memory database."""
    from sqlalchemy.engine import make_url

    if not url.startswith("sqlite"):
        return None
    database = make_url(url).database
    if not database or database == ":memory:" or not Path(database).parent.is_dir():
        return None
    from arrs_desk.store.open_marker import OpenMarker

    return OpenMarker(Path(database))


