"""The backup folder chosen on this PC: kept outside the database per database file, written in one
step, checked before it is used, and honoured by every copy, listing, thinning and restore, while
copies left in the default folder stay in view."""

import json
import logging
import os
import shutil
import stat
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from arrs_desk.cli import main
from arrs_desk.errors import BackupProblem, PermissionDenied, ValidationError
from arrs_desk.paths import config_dir
from arrs_desk.services import backups
from arrs_desk.services.actor import Actor
from arrs_desk.services.backups import BackupService
from arrs_desk.services.workspace import Workspace
from arrs_desk.store import backup as store
from arrs_desk.store import backup_settings
from arrs_desk.store.models import AuditEntry

FILE_ONLY = "backups copy SQLite files; PostgreSQL is backed up with the server's tools"


@pytest.fixture
def database(tmp_path, migrated_template) -> Path:
    path = tmp_path / "pcn" / "arrs.sqlite3"
    path.parent.mkdir()
    shutil.copyfile(migrated_template, path)
    return path


def message_of(caught) -> str:
    assert list(caught.value.errors) == ["backup_folder"]
    message = caught.value.errors["backup_folder"]
    assert message.startswith("Backup folder: ")
    return message


# --- the settings file ---------------------------------------------------------------------


def test_nothing_chosen_means_the_default_beside_the_database(database):
    assert backup_settings.chosen_folder(database) is None
    assert store.backup_folder(database) == database.parent / "backups"
    assert not backup_settings.settings_file().exists()


def test_a_choice_is_remembered_in_a_private_file_in_the_config_folder_and_can_be_forgotten(database, tmp_path):
    backup_settings.remember_folder(database, tmp_path / "elsewhere")
    file = backup_settings.settings_file()
    assert file.parent == config_dir()
    assert backup_settings.chosen_folder(database) == tmp_path / "elsewhere"
    assert store.backup_folder(database) == tmp_path / "elsewhere"
    key = backup_settings.database_key(database)
    saved = json.loads(file.read_text(encoding="utf-8"))
    assert saved == {"backup_folders": {key: str(tmp_path / "elsewhere")}, "earlier_backup_folders": {}}
    if sys.platform != "win32":
        assert stat.S_IMODE(file.stat().st_mode) == 0o600
    backup_settings.remember_folder(database, None)
    assert backup_settings.chosen_folder(database) is None
    assert json.loads(file.read_text(encoding="utf-8")) == {
        "backup_folders": {}, "earlier_backup_folders": {key: [str(tmp_path / "elsewhere")]}}


def test_each_database_file_has_its_own_folder_whatever_its_path_is_spelled(database, tmp_path, monkeypatch):
    other = tmp_path / "other.sqlite3"
    shutil.copyfile(database, other)
    backup_settings.remember_folder(database, tmp_path / "a")
    backup_settings.remember_folder(other, tmp_path / "b")
    assert backup_settings.chosen_folder(database) == tmp_path / "a"
    assert backup_settings.chosen_folder(other) == tmp_path / "b"
    monkeypatch.chdir(database.parent)
    assert backup_settings.chosen_folder(Path(database.name)) == tmp_path / "a"
    assert backup_settings.chosen_folder(database.parent / ".." / "pcn" / database.name) == tmp_path / "a"


def test_a_failed_save_leaves_the_previous_file_whole_and_no_temporary_file(database, tmp_path, monkeypatch):
    backup_settings.remember_folder(database, tmp_path / "first")
    before = backup_settings.settings_file().read_bytes()

    def refuse(*args):
        raise OSError("disk full")

    monkeypatch.setattr(backup_settings.os, "replace", refuse)
    with pytest.raises(OSError, match="disk full"):
        backup_settings.remember_folder(database, tmp_path / "second")
    assert backup_settings.settings_file().read_bytes() == before
    assert [p.name for p in config_dir().iterdir()] == [backup_settings.SETTINGS_FILE]


def test_a_damaged_settings_file_falls_back_to_the_default_and_is_replaced_on_the_next_save(database, tmp_path):
    backup_settings.settings_file().write_text("{not json", encoding="utf-8")
    assert backup_settings.chosen_folder(database) is None
    assert store.backup_folder(database) == database.parent / "backups"
    backup_settings.remember_folder(database, tmp_path / "x")
    assert backup_settings.chosen_folder(database) == tmp_path / "x"


# --- checking a folder ---------------------------------------------------------------------


def test_blank_means_the_default_and_a_missing_folder_is_created(tmp_path):
    assert backup_settings.validate_folder("", evidence=tmp_path / "evidence") is None
    assert backup_settings.validate_folder("   ", evidence=tmp_path / "evidence") is None
    wanted = tmp_path / "new" / "backups"
    assert backup_settings.validate_folder(f"  {wanted}  ", evidence=tmp_path / "evidence") == wanted
    assert wanted.is_dir() and list(wanted.iterdir()) == []  # the write test left nothing behind


def test_a_relative_folder_is_refused(tmp_path):
    with pytest.raises(ValidationError) as caught:
        backup_settings.validate_folder("backups", evidence=tmp_path / "evidence")
    assert "full path" in message_of(caught) and '"backups"' in message_of(caught)


def test_a_folder_inside_the_evidence_folder_is_refused(tmp_path):
    evidence = tmp_path / "evidence"
    evidence.mkdir()
    for folder in (evidence, evidence / "copies"):
        with pytest.raises(ValidationError) as caught:
            backup_settings.validate_folder(str(folder), evidence=evidence)
        assert "inside the evidence folder" in message_of(caught)
    assert not (evidence / "copies").exists()
    assert backup_settings.validate_folder(str(tmp_path / "evidence-copies"), evidence=evidence) is not None


def test_a_file_or_a_folder_that_cannot_be_created_is_refused(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(ValidationError) as caught:
        backup_settings.validate_folder(str(blocker), evidence=tmp_path / "evidence")
    assert "is a file, not a folder" in message_of(caught)
    with pytest.raises(ValidationError) as caught:
        backup_settings.validate_folder(str(blocker / "below"), evidence=tmp_path / "evidence")
    assert "could not be created" in message_of(caught)


def test_a_folder_that_cannot_be_written_to_is_refused(tmp_path, monkeypatch):
    folder = tmp_path / "read-only"
    folder.mkdir()

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(backup_settings.tempfile, "mkstemp", refuse)
    with pytest.raises(ValidationError) as caught:
        backup_settings.validate_folder(str(folder), evidence=tmp_path / "evidence")
    assert "cannot save files in" in message_of(caught) and "Permission denied" in message_of(caught)


# --- copies, listing, thinning and restoring use the chosen folder ---------------------------


def test_copies_go_to_the_chosen_folder_and_earlier_copies_in_the_default_stay_listed(database, tmp_path):
    old = store.make_backup(database, store.MANUAL, now=lambda: datetime(2026, 11, 1, 9, 0))
    assert old.path.parent == database.parent / "backups"
    backup_settings.remember_folder(database, tmp_path / "share")
    new = store.make_backup(database, store.AUTO, now=lambda: datetime(2026, 11, 2, 9, 0))
    assert new.path.parent == tmp_path / "share"
    assert store.backup_folders(database) == [tmp_path / "share", database.parent / "backups"]
    assert [b.path for b in store.list_backups(database)] == [new.path, old.path]
    assert [b.path for b in backups.list_backups(database)] == [new.path, old.path]
    assert store.list_backups(database, tmp_path / "share") == [new]
    assert backups.backup_folder(database) == tmp_path / "share"


def test_copies_in_every_folder_used_before_stay_listed_newest_first(database, tmp_path):
    made = []
    for day, folder in enumerate([None, tmp_path / "a", tmp_path / "b", None, tmp_path / "a"]):
        backup_settings.remember_folder(database, folder)
        made.append(store.make_backup(database, store.MANUAL, now=lambda d=day: datetime(2026, 11, 1 + d, 9, 0)))
    assert backup_settings.earlier_folders(database) == [tmp_path / "b"]  # the default is searched anyway
    assert store.backup_folders(database) == [tmp_path / "a", tmp_path / "b", database.parent / "backups"]
    assert [b.path for b in store.list_backups(database)] == [b.path for b in reversed(made)]
    for n in range(backup_settings.EARLIER_KEPT + 2):
        backup_settings.remember_folder(database, tmp_path / f"later-{n}")
    assert len(backup_settings.earlier_folders(database)) == backup_settings.EARLIER_KEPT
    assert database.parent / "backups" in store.backup_folders(database)  # the default is always searched


def test_the_default_chosen_by_name_is_listed_once(database):
    backup_settings.remember_folder(database, database.parent / "backups")
    made = store.make_backup(database, store.MANUAL)
    assert store.backup_folders(database) == [database.parent / "backups"]
    assert [b.path for b in store.list_backups(database)] == [made.path]


def test_only_the_folder_in_use_is_thinned(database, tmp_path):
    start = datetime(2026, 1, 1, 9, 0)
    left_behind = [store.make_backup(database, store.AUTO, now=lambda d=d: start + timedelta(days=d)).path
                   for d in range(10)]
    backup_settings.remember_folder(database, tmp_path / "share")
    for d in range(10, 20):
        store.make_backup(database, store.AUTO, now=lambda d=d: start + timedelta(days=d))
    removed = store.prune(database)
    assert removed and all(p.parent == tmp_path / "share" for p in removed)
    assert all(p.exists() for p in left_behind)


def test_an_unreachable_chosen_folder_gives_way_to_the_default_for_automatic_copies(database, tmp_path):
    blocker = tmp_path / "not-a-share"
    blocker.write_text("x")
    backup_settings.remember_folder(database, blocker / "backups")  # cannot be created, like a share that is offline
    made = store.make_backup(database, store.AUTO)
    assert made.path.parent == database.parent / "backups"
    with pytest.raises(BackupProblem, match="Could not reach the backup folder"):
        store.make_backup(database, store.MANUAL, blocker / "backups")  # a folder named on purpose is not swapped


def test_newest_good_backup_of_a_damaged_database_is_found_in_the_default_folder(database, tmp_path):
    good = store.make_backup(database, store.AUTO)
    backup_settings.remember_folder(database, tmp_path / "share")
    database.write_bytes(b"not a database at all")
    newest = backups.newest_good_backup(database)
    assert newest is not None and newest.path == good.path
    result = backups.restore_database(database, good.path)
    assert result.kept_copy is not None and result.kept_copy.parent == tmp_path / "share"


# --- the service and the command line --------------------------------------------------------


@pytest.mark.sqlite_only(FILE_ONLY)
def test_an_administrator_sets_the_folder_it_is_audited_and_backups_go_there(workspace, system_actor, tmp_path,
                                                                              caplog):
    caplog.set_level(logging.INFO, logger="arrs_desk.services.backups")
    ticks = iter(range(100))
    service = BackupService(workspace.db, now=lambda: datetime(2026, 11, 24, 9, 0) + timedelta(minutes=next(ticks)))
    assert service.folder() == service.default_folder() and service.chosen_folder() is None
    before = service.back_up(system_actor)
    assert service.set_folder(system_actor, folder=str(tmp_path / "share")) == tmp_path / "share"
    assert service.folder() == tmp_path / "share" and service.chosen_folder() == tmp_path / "share"
    assert service.suggested_file().parent == tmp_path / "share"
    made = service.back_up(system_actor)
    assert made.path.parent == tmp_path / "share"
    assert [b.path for b in service.list(system_actor)] == [made.path, before.path]
    assert service.set_folder(system_actor, folder=str(tmp_path / "share")) == tmp_path / "share"  # unchanged: not audited
    assert service.set_folder(system_actor, folder="") is None
    assert service.folder() == service.default_folder()
    assert [b.path for b in service.list(system_actor)] == [made.path, before.path]  # the share is still searched
    with workspace.db.read() as session:
        entries = session.execute(select(AuditEntry).where(AuditEntry.action == "backup_folder")
                                  .order_by(AuditEntry.id)).scalars().all()
    assert [e.changes["backup_folder"] for e in entries] == [[None, str(tmp_path / "share")],
                                                             [str(tmp_path / "share"), None]]
    assert "now go to" in entries[0].summary
    logged = [r.getMessage() for r in caplog.records if "backup folder for" in r.getMessage()]
    assert len(logged) == 2 and logged[0].endswith(f"(default) -> {tmp_path / 'share'}")


@pytest.mark.sqlite_only(FILE_ONLY)
def test_a_refused_folder_changes_nothing(workspace, system_actor, tmp_path):
    service = BackupService(workspace.db, workspace.clock.local_now, evidence_root=lambda: tmp_path / "evidence")
    with pytest.raises(ValidationError, match="Backup folder: .*evidence folder"):
        service.set_folder(system_actor, folder=str(tmp_path / "evidence" / "backups"))
    with pytest.raises(PermissionDenied):
        service.set_folder(Actor(5, "lm", "Line Manager", frozenset({"line_manager"})), folder=str(tmp_path / "share"))
    assert service.chosen_folder() is None and not (tmp_path / "share").exists()


@pytest.mark.postgres_only("a server database has no file to copy")
def test_a_server_database_has_no_folder_to_choose(workspace, system_actor, tmp_path):
    assert workspace.backups.folder() is None
    with pytest.raises(BackupProblem, match="pg_dump"):
        workspace.backups.set_folder(system_actor, folder=str(tmp_path / "share"))


def test_command_line_shows_and_honours_the_folder(database, tmp_path, capsys):
    assert main(["--database", str(database), "backups"]) == 0
    assert f"Backup folder: {database.parent / 'backups'}" in capsys.readouterr().out
    assert main(["--database", str(database), "backup", "--folder", str(tmp_path / "once")]) == 0
    assert str(tmp_path / "once") in capsys.readouterr().out
    assert backup_settings.chosen_folder(database) is None
    assert main(["--database", str(database), "backup", "--folder", str(tmp_path / "share"), "--remember"]) == 0
    assert backup_settings.chosen_folder(database) == tmp_path / "share"
    capsys.readouterr()
    assert main(["--database", str(database), "backup"]) == 0
    made = [b.path for b in store.list_backups(database, tmp_path / "share")]
    out = capsys.readouterr().out
    assert len(made) == 2 and any(f"to {p} (" in out for p in made)
    assert main(["--database", str(database), "backups"]) == 0
    assert f"Backup folder: {tmp_path / 'share'}" in capsys.readouterr().out
    assert main(["--database", str(database), "backup", "--folder", "relative"]) == 2
    assert "Backup folder: give the full path" in capsys.readouterr().err
    assert main(["--database", str(database), "backup", "--remember"]) == 2


def test_opening_for_the_app_puts_the_daily_copy_in_the_chosen_folder(database, tmp_path):
    backup_settings.remember_folder(database, tmp_path / "share")
    Workspace.open(database, backup_if_due=True).close()
    assert [b.kind for b in store.list_backups(database, tmp_path / "share")] == ["auto"]
    assert not (database.parent / "backups").exists() or not os.listdir(database.parent / "backups")


def test_two_copies_kept_before_restores_on_one_day_both_survive_the_next_days_thinning(database):
    """A restore, more work, a second restore the same day: the next day's automatic backup thinned
    the copies kept before restoring to one per day and deleted the only copy of that work."""
    day = datetime(2026, 3, 2, 9, 0)
    first = store.make_backup(database, store.BEFORE_RESTORE, now=lambda: day.replace(hour=10)).path
    second = store.make_backup(database, store.BEFORE_RESTORE, now=lambda: day.replace(hour=15)).path
    store.make_backup(database, store.AUTO, now=lambda: day + timedelta(days=1))
    store.prune(database)
    assert first.exists() and second.exists()
