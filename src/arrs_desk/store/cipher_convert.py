"""Turning encryption on or off, or changing the passphrase, for a closed SQLite file, safely.

SQLCipher cannot encrypt a file in place, so the records are exported into a new file beside it
(`<name>.converting`) under the new key, the copy is checked against the original (every table's
rows and the whole schema, by digest), flushed to disk, and only then swapped in with one atomic
rename. The original is never written: a power cut or a killed app at any moment leaves either
the old file or the new one, whole. A `.converting` file left by a killed conversion is swept up
by the next one.

The conversion holds the write lock from the export to the swap, so nothing saved elsewhere can be
missed: a copy of ARRS Desk saving or reading at that moment makes it wait and then refuse
(DatabaseBusy), and Windows refuses to swap a file another program holds open. A copy left open elsewhere on Linux or macOS would go on writing into the old, unlinked file;
`engine.Database.write` checks the file is still the one it opened and refuses (`DatabaseReplaced`),
so nothing saved there is silently lost.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from arrs_desk.errors import DatabaseBusy, DatabaseProblem
from arrs_desk.paths import create_private_file, make_private
from arrs_desk.store import cipher
from arrs_desk.store.cipher import DatabaseKey

CONVERTING_SUFFIX = ".converting"


@dataclass(frozen=True)
class Converted:
    path: Path
    tables: int
    rows: int
    digest: str  # of the records, equal before and after


def converting_copy(path: Path) -> Path:
    return path.with_name(path.name + CONVERTING_SUFFIX)


def convert_file(path: Path, old_key: DatabaseKey | None, new_key: DatabaseKey | None, *,
                 timeout: float = 5.0) -> Converted:
    """Rewrite the database `path` from `old_key` to `new_key` (None: plain SQLite).

    Other copies of the app may have it open but must not be saving: the write lock is held from
    the export to the swap, so nothing committed elsewhere can miss the new file."""
    path = Path(path)
    tmp = converting_copy(path)
    tmp.unlink(missing_ok=True)
    source = _hold_writes(path, old_key, timeout)
    try:
        version = source.execute("PRAGMA data_version").fetchone()[0]
        before = content_digest(source)
        source.execute("COMMIT")  # ATTACH and the export's own commit cannot be inside a transaction
        create_private_file(tmp)
        target_key = new_key.attach_clause if new_key else "KEY ''"
        source.execute(f"ATTACH DATABASE ? AS converted {target_key}", (str(tmp),))
        # A throwaway file until it is flushed and checked below: no journal, no flush per statement.
        source.execute("PRAGMA converted.journal_mode = OFF")
        source.execute("PRAGMA converted.synchronous = OFF")
        source.execute("SELECT sqlcipher_export('converted')")
        source.execute("DETACH DATABASE converted")
        _begin_immediate(source, path)  # from here to the swap nobody else can save
        if source.execute("PRAGMA data_version").fetchone()[0] != version:
            raise DatabaseBusy(_busy_message(path))  # someone saved while it was copied: try again
        after_conn = cipher.connect(tmp, new_key)
        try:
            after = content_digest(after_conn)
            check = after_conn.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            after_conn.close()
        if after != before or check != "ok":
            raise DatabaseProblem(f"The converted copy of {path.name} did not match the original; "
                                  "nothing was changed.")
        _fsync(tmp)
        wal = path.with_name(path.name + "-wal")
        if wal.exists() and wal.stat().st_size > 0:  # a commit slipped in before the lock: its frames
            raise DatabaseBusy(_busy_message(path))   # must not meet the new file; try again
        if os.name == "nt":  # Windows will not rename an open file, ours included
            source.close()
        os.replace(tmp, path)
    except PermissionError as exc:  # Windows: another program has the file open
        source.close()
        tmp.unlink(missing_ok=True)
        raise DatabaseBusy(_busy_message(path)) from exc
    except BaseException:
        source.close()
        tmp.unlink(missing_ok=True)
        raise
    source.close()
    for suffix in ("-wal", "-shm"):  # empty, or the old file's: the new file makes its own
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    make_private(path)
    _fsync_folder(path.parent)
    return Converted(path, before[1], before[2], before[0])


def _hold_writes(path: Path, key: DatabaseKey | None, timeout: float):
    """A SQLCipher connection to `path` with its WAL written back and the write lock held."""
    dbapi = cipher._cipher()
    conn = dbapi.connect(str(path), timeout=timeout, isolation_level=None)
    try:
        if key is not None:
            cipher.unlock(conn, key, str(path))
        try:
            busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        except dbapi.OperationalError as exc:
            raise DatabaseBusy(_busy_message(path)) from exc
        if busy:
            raise DatabaseBusy(_busy_message(path))
        _begin_immediate(conn, path)
    except BaseException:
        conn.close()
        raise
    return conn


def _begin_immediate(conn, path: Path) -> None:
    try:
        conn.execute("BEGIN IMMEDIATE")
    except cipher._cipher().OperationalError as exc:
        raise DatabaseBusy(_busy_message(path)) from exc


def _busy_message(path: Path) -> str:
    return (f"{path.name} is in use in another copy of ARRS Desk (on this PC or another). Close it there "
            "and try again; nothing was changed.")


def content_digest(conn) -> tuple[str, int, int]:
    """(digest, tables, rows) of every table's rows in rowid order and the schema that holds them."""
    digest = hashlib.sha256()
    schema = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master "
                          "WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").fetchall()
    tables = rows = 0
    for kind, name, _table, sql in schema:
        digest.update(repr((kind, name, sql)).encode())
        if kind != "table":
            continue
        tables += 1
        quoted = '"' + name.replace('"', '""') + '"'
        for row in conn.execute(f"SELECT * FROM {quoted} ORDER BY rowid"):
            digest.update(repr(row).encode())
            rows += 1
    return digest.hexdigest(), tables, rows


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable; Windows has no directory handles to flush and needs none."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
