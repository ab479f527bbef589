"""Every file the app writes is readable by its owner only (issue 20 item 4).

The writers all go through `arrs_desk.paths` (`private_folder`, `create_private_file`,
`make_private`); the per-kind checks of exports sit with their audit tests
(tests/services/test_export_audit.py `recorded`) and the appraisal-pack folder with its batch test.
Here: the helpers themselves, under a permissive umask, and a database restored into a new path.
Tests run as root, but stat() still reports the mode, which is what another user would meet.
"""

from __future__ import annotations

import os
import shutil

import pytest

from arrs_desk.paths import create_private_file, is_private, make_private, private_folder
from arrs_desk.store import backup as store

pytestmark = pytest.mark.skipif(os.name == "nt", reason="Windows files inherit the profile's access list")


@pytest.fixture
def open_umask():
    """A umask that lets everyone read what is made, so only the app's own care keeps files private."""
    old = os.umask(0o002)
    try:
        yield
    finally:
        os.umask(old)


def test_a_new_folder_chain_is_private_and_a_chosen_one_is_left_alone(tmp_path, open_umask):
    chosen = tmp_path / "shared"
    chosen.mkdir(mode=0o755)
    os.chmod(chosen, 0o755)
    made = private_folder(chosen / "packs" / "2026")
    assert made.is_dir() and is_private(chosen / "packs") and is_private(made)
    assert chosen.stat().st_mode & 0o777 == 0o755  # the user's own folder keeps what they gave it
    assert private_folder(made) == made  # again: nothing to do


def test_a_file_is_private_before_anything_is_written_and_stays_so_when_reused(tmp_path, open_umask):
    fresh = create_private_file(tmp_path / "report.pdf")
    assert fresh.stat().st_size == 0 and is_private(fresh)
    old = tmp_path / "old.csv"
    old.write_text("name\nAda\n")
    os.chmod(old, 0o644)
    create_private_file(old)
    assert old.stat().st_size == 0 and is_private(old)  # emptied and narrowed before the new content
    other = tmp_path / "copied.xlsx"
    other.write_bytes(b"PK")
    os.chmod(other, 0o666)
    assert is_private(make_private(other))


def test_a_folder_that_is_a_file_is_refused(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises((NotADirectoryError, FileExistsError)):
        private_folder(tmp_path / "f")


def test_a_database_restored_into_a_new_path_is_private(tmp_path, migrated_template, open_umask):
    source = tmp_path / "backup.sqlite3"
    shutil.copyfile(migrated_template, source)
    target = tmp_path / "new place" / "restored.sqlite3"
    store.restore_sqlite(target, source, folder=tmp_path / "kept")
    assert target.is_file() and store.integrity_problem(target) is None
    assert is_private(target) and is_private(target.parent)
    for suffix in ("-wal", "-shm"):
        side = target.with_name(target.name + suffix)
        assert not side.exists() or is_private(side)


def test_a_backup_copy_and_its_folder_are_private(tmp_path, migrated_template, open_umask):
    source = tmp_path / "live.sqlite3"
    shutil.copyfile(migrated_template, source)
    made = store.make_backup(source, store.MANUAL, tmp_path / "copies" / "today")
    assert is_private(made.path) and is_private(tmp_path / "copies") and is_private(made.path.parent)
