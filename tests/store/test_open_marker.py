"""Opening runs SQLite's whole-file check only after an unclean shutdown (issue 18, item 5): a
clean open leaves it to the background, an open after a crash runs it before anyone can write."""

import os
import shutil
import subprocess
import sys

import pytest

from arrs_desk.errors import DatabaseDamaged
from arrs_desk.services.workspace import Workspace
from arrs_desk.store.engine import Database
from arrs_desk.store.open_marker import OpenMarker


@pytest.fixture
def checks(monkeypatch):
    """Every whole-file check run, by database path."""
    seen = []
    real = Database.integrity_problem

    def spy(self):
        seen.append(self.path)
        return real(self)

    monkeypatch.setattr(Database, "integrity_problem", spy)
    return seen


@pytest.fixture
def database(tmp_path, migrated_template):
    path = tmp_path / "pcn.sqlite3"
    shutil.copyfile(migrated_template, path)
    return path


def markers(path):
    return sorted(path.parent.glob(f".{path.name}.open-*"))


def test_a_clean_open_does_not_check_the_whole_file_and_leaves_it_to_later(database, checks):
    Workspace.open(database).close()
    workspace = Workspace.open(database)
    try:
        assert checks == [] and not workspace.db.checked
        assert len(markers(database)) == 1 and oct(markers(database)[0].stat().st_mode & 0o777) == "0o600"
        workspace.check_integrity()  # what the window runs in the background
        assert checks == [database] and workspace.db.checked
        workspace.check_integrity()
        assert checks == [database]  # once is enough
    finally:
        workspace.close()
    assert markers(database) == []  # a clean close takes the marker away


def test_an_open_after_a_crash_checks_first_and_then_trusts_the_file_again(database, checks):
    # A program that dies holding the database open: its marker stays, its lock goes with it.
    child = subprocess.run([sys.executable, "-c", (
        "import os, sys\n"
        "from arrs_desk.services.workspace import Workspace\n"
        "Workspace.open(sys.argv[1])\n"
        "os._exit(0)\n"), str(database)], env={**os.environ}, check=True, timeout=120)
    assert child.returncode == 0 and len(markers(database)) == 1
    workspace = Workspace.open(database)
    try:
        assert checks == [database] and workspace.db.checked
        assert len(markers(database)) == 1  # the crashed one forgotten once the file passed, ours kept
    finally:
        workspace.close()
    Workspace.open(database).close()
    assert checks == [database]


def test_a_copy_still_running_is_not_taken_for_a_crash(database, checks):
    running = Workspace.open(database)  # another copy of the app, on this PC or another
    try:
        Workspace.open(database).close()
        assert checks == []
    finally:
        running.close()


def test_a_hot_journal_left_by_a_cut_off_write_means_a_check(database, checks):
    database.with_name(database.name + "-journal").write_bytes(b"")  # an empty one is no hot journal
    Workspace.open(database).close()
    assert checks == []
    marker = OpenMarker(database)
    try:
        database.with_name(database.name + "-journal").write_bytes(b"\0" * 512)
        assert OpenMarker(database).reason == "a change to this database was cut short"
    finally:
        marker.release()
        database.with_name(database.name + "-journal").unlink()


def test_a_damaged_file_after_a_crash_is_refused_before_anything_is_written(database, checks):
    left = database.with_name(f".{database.name}.open-crashed")
    left.write_bytes(b"ARRS Desk has this database open.\n")  # nobody holds its lock
    size = database.stat().st_size
    with open(database, "r+b") as handle:  # damage a page past the schema: quick_check finds it
        handle.seek(size - 4096)
        handle.write(b"\xff" * 4096)
    with pytest.raises(DatabaseDamaged, match="damaged"):
        Workspace.open(database)
    assert checks == [database] and left.exists()  # still unclean: the next open checks again
    assert markers(database) == [left]


def test_where_no_marker_can_be_kept_every_open_checks(database, checks, monkeypatch):
    monkeypatch.setattr("arrs_desk.store.open_marker._lock", lambda fd: False)  # a folder without locks
    Workspace.open(database).close()
    Workspace.open(database).close()
    assert checks == [database, database] and markers(database) == []
