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
from arrs_desk.store.cipher import DatabaseKey, KeyNeeded, WrongKey, encrypted_file
from arrs_desk.store.key_fit import key_fits
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
    url = secure_url(_usable_url(target))  # a remote PostgreSQL only over TLS
    path = encrypted_file(url)
    if path is not None and key is None:
        raise KeyNeeded(f"{path} is encrypted. Enter its passphrase to open it.")
    # This module's BUSY_TIMEOUT_MS, read at each open: every database the app opens waits as
    # long as it says (a test shortens the wait here).
    marker = _marker_for(url)  # looked at before anything opens the file and rolls back a hot journal
    try:
        db = Database(url, busy_timeout_ms=BUSY_TIMEOUT_MS, key=key if path is not None else None)
    except OSError as exc:  # a folder that cannot be made or written to, a path too long, a missing drive
        raise DatabaseProblem(
            f"ARRS Desk cannot create or open a database at {target} ({exc.strerror or exc}). Choose a folder "
            "that exists and that you may write to.") from None
    if marker is None and db.path is not None:  # a new file: marked now its folder exists
        marker = _marker_for(url)
    db.open_marker = marker
    try:
        return _open(db, backup_dir)
    except WrongKey:
        db.dispose()
        if path is not None and key is not None and key_fits(path, key):  # the right key: the file is damaged
            raise DatabaseDamaged(damaged_message(db, "its first page cannot be read with its passphrase, "
                                                      "which opens its backups")) from None
        raise
    except BaseException:
        db.dispose()
        raise


def _usable_url(target: str | os.PathLike[str]) -> str:
    """The URL of a SQLite file or a PostgreSQL server; DatabaseProblem for anything else, and for a
    path that names something other than a file (a folder, a device), before anything opens it."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    text = os.fspath(target)
    try:
        url = to_url(text)
        parsed = make_url(url)
        parsed.port  # noqa: B018  a port that is not a number is refused here, not deep in the driver
    except (ArgumentError, ValueError):
        raise DatabaseProblem(f"“{_shown(text)}” is not a database address ARRS Desk can read: give the path of a "
                              "database file, or a postgresql:// address for a shared server.") from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise DatabaseProblem(f"ARRS Desk keeps its records in a database file or on a PostgreSQL server, not in "
                              f"{parsed.get_backend_name()}: give the path of a file, or a postgresql:// address.")
    where = Path(parsed.database) if parsed.get_backend_name() == "sqlite" and parsed.database else None
    try:
        elsewhere = where is not None and where.exists() and not where.is_file()
    except OSError as exc:  # a name too long for the file system
        raise DatabaseProblem(f"ARRS Desk cannot create or open a database at {text} ({exc.strerror or exc}). "
                              "Choose a shorter name, in a folder that you may write to.") from None
    if elsewhere:
        raise DatabaseProblem(f"{where} is not a database file (it is a folder or a device). Give the path of a "
                              "database file; a new one is made if none is there.")
    return url


def _shown(text: str) -> str:
    """`text` as it may be shown: an address without its password."""
    if "://" in text and "@" in text:
        scheme, rest = text.split("://", 1)
        return f"{scheme}://***@{rest.rsplit('@', 1)[1]}"
    return text


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


