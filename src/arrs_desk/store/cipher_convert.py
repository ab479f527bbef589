"""Turning encryption on or off, or changing the passphrase, for a closed SQLite file, safely.

SQLCipher cannot encrypt a file in place, so the records are exported into a new file beside it
(`<name>.converting`) under the new key, the copy is checked against the original (every table's
rows and the whole schema, by digest), flushed to disk, and only then swapped in with one atomic
rename. The original is never written: a power cut or a killed app at any moment leaves either
the old file or the new one, whole. A `.converting` file left by a killed conversion is swept up
by the next one.

The conversion needs the file to itself: other copies of ARRS Desk (on this PC or another) must
close it first; that is checked by leaving WAL mode, which SQLite allows only to a lone connection.
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


def convert_file(path: Path, old_key: DatabaseKey | None, new_key: DatabaseKey | None) -> Converted:
    """Rewrite the closed database `path` from `old_key` to `new_key` (None: plain SQLite)."""
    path = Path(path)
    tmp = converting_copy(path)
    tmp.unlink(missing_ok=True)
    source = _open_alone(path, old_key)
    try:
        before = content_digest(source)
        create_private_file(tmp)
        target_key = new_key.attach_clause if new_key else "KEY ''"
        source.execute(f"ATTACH DATABASE ? AS converted {target_key}", (str(tmp),))
        source.execute("SELECT sqlcipher_export('converted')")
        source.execute("DETACH DATABASE converted")
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
    except BaseException:
        source.close()
        tmp.unlink(missing_ok=True)
        raise
    source.close()
    for suffix in ("-wal", "-shm", "-journal"):  # none after leaving WAL; never let one meet the new file
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    os.replace(tmp, path)
    make_private(path)
    _fsync_folder(path.parent)
    return Converted(path, before[1], before[2], before[0])


def _open_alone(path: Path, key: DatabaseKey | None):
    """A SQLCipher connection holding `path` exclusively, out of WAL mode; DatabaseBusy if shared."""
    dbapi = cipher._cipher()
    conn = dbapi.connect(str(path), timeout=1.0, isolation_level=None)
    try:
        if key is not None:
            cipher.unlock(conn, key, str(path))
        try:
            mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
            conn.execute("PRAGMA locking_mode = EXCLUSIVE")
            conn.execute("BEGIN EXCLUSIVE")
            conn.execute("COMMIT")
        except dbapi.OperationalError as exc:
            raise DatabaseBusy(_busy_message(path)) from exc
        if str(mode).lower() != "delete":
            raise DatabaseBusy(_busy_message(path))
    except BaseException:
        conn.close()
        raise
    return conn


def _busy_message(path: Path) -> str:
    return (f"{path.name} is open in another copy of ARRS Desk (on this PC or another). Close it there "
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
