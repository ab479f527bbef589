"""Encryption at rest (issue 20 item 1): an encrypted file cannot be read without its key, and
turning encryption on, off or to a new passphrase loses nothing and never harms the file."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from arrs_desk.errors import BackupProblem, DatabaseBusy, DatabaseReplaced
from arrs_desk.services.actor import SYSTEM
from arrs_desk.services.workspace import Workspace
from arrs_desk.store import backup as store_backup
from arrs_desk.store import cipher
from arrs_desk.store.cipher import DatabaseKey, KeyNeeded, WrongKey
from arrs_desk.store.cipher_convert import (
    CONVERTING_SUFFIX,
    content_digest,
    convert_file,
)
from arrs_desk.store.database import open_database

SALT = bytes(range(16))


@pytest.fixture(scope="module")
def key() -> DatabaseKey:
    return DatabaseKey.from_passphrase("correct horse battery", SALT)


@pytest.fixture
def demo_copy(demo_template, tmp_path) -> Path:
    path = tmp_path / "pcn.sqlite3"
    shutil.copyfile(demo_template, path)
    return path


def _digest(path: Path, key: DatabaseKey | None = None) -> tuple[str, int, int]:
    conn = cipher.connect(path, key)
    try:
        return content_digest(conn)
    finally:
        conn.close()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _a_name(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT family_name FROM staff ORDER BY id LIMIT 1").fetchone()[0]


def test_an_encrypted_database_cannot_be_read_without_its_key(demo_copy, key):
    name = _a_name(demo_copy)
    assert name.encode() in demo_copy.read_bytes()
    convert_file(demo_copy, None, key)
    assert cipher.is_encrypted(demo_copy)
    assert name.encode() not in demo_copy.read_bytes()
    with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
        sqlite3.connect(demo_copy).execute("SELECT count(*) FROM staff").fetchone()
    with pytest.raises(KeyNeeded):
        open_database(demo_copy)


def test_turning_encryption_on_and_off_loses_nothing(demo_copy, key):
    before = _digest(demo_copy)
    assert before[2] > 1000  # the demo, not an empty file
    on = convert_file(demo_copy, None, key)
    assert (on.digest, on.tables, on.rows) == before
    assert _digest(demo_copy, key) == before
    other = DatabaseKey.from_passphrase("another passphrase here", bytes(16))
    convert_file(demo_copy, key, other)
    assert _digest(demo_copy, other) == before
    assert not cipher.key_opens(demo_copy, key)
    convert_file(demo_copy, other, None)
    assert not cipher.is_encrypted(demo_copy)
    assert _digest(demo_copy) == before
    with sqlite3.connect(demo_copy) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_wrong_key_changes_nothing(demo_copy, key):
    convert_file(demo_copy, None, key)
    sha = _sha(demo_copy)
    wrong = cipher.key_for_file(demo_copy, "not the passphrase")
    with pytest.raises(WrongKey, match="does not open"):
        open_database(demo_copy, key=wrong)
    with pytest.raises(WrongKey):
        convert_file(demo_copy, wrong, None)
    with pytest.raises(WrongKey):
        Workspace.open(demo_copy, key=wrong)
    assert _sha(demo_copy) == sha
    assert not demo_copy.with_name(demo_copy.name + CONVERTING_SUFFIX).exists()
    ws = Workspace.open(demo_copy, key=cipher.key_for_file(demo_copy, "correct horse battery"))
    try:
        assert not ws.is_empty()
    finally:
        ws.close()


def test_the_key_comes_from_the_passphrase_and_the_salt_in_the_file(demo_copy, key):
    convert_file(demo_copy, None, key)
    assert cipher.file_salt(demo_copy) == SALT
    again = cipher.key_for_file(demo_copy, "correct horse battery")
    assert again.key == key.key
    assert "correct" not in repr(again) and again.key.hex() not in repr(again)


_HOLDER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("held", flush=True)
sys.stdin.readline()
conn.execute("ROLLBACK")
"""


def test_a_conversion_waits_for_a_copy_of_the_app_that_is_saving(demo_copy, key):
    """Another process (SQLite's locks are per process) in the middle of saving."""
    sha = _sha(demo_copy)
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER, str(demo_copy)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(DatabaseBusy, match="in use in another copy"):
            convert_file(demo_copy, None, key, timeout=0.2)
    finally:
        holder.communicate("done\n", timeout=30)
    assert not cipher.is_encrypted(demo_copy)
    assert _sha(demo_copy) == sha
    assert not demo_copy.with_name(demo_copy.name + CONVERTING_SUFFIX).exists()


def test_a_copy_of_the_app_left_open_during_a_conversion_saves_nothing_into_the_old_file(demo_copy, key):
    elsewhere = Workspace.open(demo_copy)
    try:
        people = len(elsewhere.staff.list_rows(SYSTEM))
        convert_file(demo_copy, None, key)
        with pytest.raises(DatabaseReplaced, match="Nothing was saved"):
            with elsewhere.db.write() as session:
                session.exec(text("UPDATE organisation SET name = name"))
    finally:
        elsewhere.close()
    ws = Workspace.open(demo_copy, key=key)
    try:
        assert len(ws.staff.list_rows(SYSTEM)) == people
    finally:
        ws.close()


def test_a_copy_left_by_a_killed_conversion_is_swept_by_the_next(demo_copy, key):
    leftover = demo_copy.with_name(demo_copy.name + CONVERTING_SUFFIX)
    leftover.write_bytes(b"half a file")
    convert_file(demo_copy, None, key)
    assert not leftover.exists()
    assert cipher.key_opens(demo_copy, key)


def test_backups_of_an_encrypted_database_are_encrypted_and_restore(demo_copy, key, tmp_path):
    name = _a_name(demo_copy)
    plain_copy = store_backup.make_backup(demo_copy, store_backup.MANUAL, tmp_path / "old")
    convert_file(demo_copy, None, key)
    backup = store_backup.make_backup(demo_copy, store_backup.MANUAL, tmp_path / "copies", key=key)
    assert cipher.is_encrypted(backup.path)
    assert name.encode() not in backup.path.read_bytes()
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(backup.path).execute("SELECT 1 FROM staff").fetchone()
    with pytest.raises(BackupProblem, match="encrypted"):
        store_backup.check_backup(backup.path)
    assert store_backup.check_backup(backup.path, key).staff_count > 0
    before = _digest(demo_copy, key)
    outcome = store_backup.restore_sqlite(demo_copy, backup.path, tmp_path / "copies", key=key)
    assert cipher.is_encrypted(outcome.kept_copy)
    assert _digest(demo_copy, key) == before
    # a copy made before encryption goes back in encrypted: the restore never leaves a readable file
    store_backup.restore_sqlite(demo_copy, plain_copy.path, tmp_path / "copies", key=key)
    assert cipher.is_encrypted(demo_copy) and cipher.key_opens(demo_copy, key)
    assert _digest(demo_copy, key)[2] == before[2]


def test_a_workspace_carries_on_after_its_key_changes(demo_copy, key):
    convert_file(demo_copy, None, key)
    ws = Workspace.open(demo_copy, key=key)
    try:
        people = len(ws.staff.list_rows(SYSTEM))
        ws.db.change_key(None)
        assert not cipher.is_encrypted(demo_copy)
        assert len(ws.staff.list_rows(SYSTEM)) == people
        ws.db.change_key(key)
        assert cipher.is_encrypted(demo_copy) and len(ws.staff.list_rows(SYSTEM)) == people
    finally:
        ws.close()
