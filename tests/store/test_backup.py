"""Backups and restores: daily copies with rotation, copies on request, checked restores that keep
what they replace, the command line, and plain advice for PostgreSQL."""

import os
import shutil
import sqlite3
import stat
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from arrs_desk.cli import main
from arrs_desk.errors import BackupProblem, DatabaseProblem, PermissionDenied, ValidationError
from arrs_desk.services import backups
from arrs_desk.services.actor import Actor
from arrs_desk.services.backups import BackupService
from arrs_desk.services.staff import StaffInput
from arrs_desk.services.workspace import Workspace
from arrs_desk.store import backup as store
from arrs_desk.store.models import AuditEntry
from arrs_desk.store.schema import head_revision

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
FILE_ONLY = "backups copy SQLite files; PostgreSQL is backed up with the server's tools"


def staff_count(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT count(*) FROM staff").fetchone()[0]


def add_person(workspace, actor, given: str = "Ada", email: str = "") -> int:
    practice = next(p for p in workspace.staff.form_choices(actor).practices)
    return workspace.staff.create(actor, data=StaffInput(
        given_name=given, family_name="Lovelace", role_code="SPLW", employer_id=practice.value,
        employment_model="practice", start_date=date(2025, 1, 6), practice_ids=[practice.value], email=email,
    )).id


def corrupt(path: Path) -> None:
    """Overwrite everything after the first page with noise: the header still says SQLite."""
    size = path.stat().st_size
    with open(path, "r+b") as handle:
        handle.seek(4096)
        handle.write(os.urandom(size - 4096))


@pytest.fixture
def clock():
    """A settable clock for the backup service, starting on TODAY at 09:00."""
    class Clock:
        now = datetime(2026, 11, 24, 9, 0)

        def __call__(self):
            return self.now
    return Clock()


# --- making copies ------------------------------------------------------------------------


@pytest.mark.sqlite_only(FILE_ONLY)
def test_backup_on_request_is_a_private_checked_copy_and_is_audited(demo_workspace, system_actor):
    made = demo_workspace.backups.back_up(system_actor)
    assert made.path.parent == demo_workspace.db.path.parent / "backups"
    assert made.kind == "manual" and made.kind_label == "Made on request"
    assert made.size == made.path.stat().st_size > 0 and made.size_text.endswith(("KB", "MB"))
    assert store.integrity_problem(made.path) is None
    assert staff_count(made.path) == staff_count(demo_workspace.db.path) > 40
    if sys.platform != "win32":
        assert stat.S_IMODE(made.path.stat().st_mode) == 0o600
    with demo_workspace.db.read() as session:
        entry = session.execute(select(AuditEntry).where(AuditEntry.action == "backup")).scalar_one()
    assert str(made.path) in entry.summary
    assert [b.path for b in demo_workspace.backups.list(system_actor)] == [made.path]


@pytest.mark.sqlite_only(FILE_ONLY)
def test_backup_to_a_chosen_file(workspace, system_actor, tmp_path):
    made = workspace.backups.back_up(system_actor, destination=tmp_path / "elsewhere" / "copy")
    assert made.path == (tmp_path / "elsewhere" / "copy.sqlite3").resolve()
    assert store.check_backup(made.path).revision == head_revision()
    with pytest.raises(ValidationError, match="Backup file: .* is the database itself"):
        workspace.backups.back_up(system_actor, destination=workspace.db.path)
    before = sorted(tmp_path.iterdir())
    with pytest.raises(ValidationError, match="is a folder. Give the name of the backup file"):
        workspace.backups.back_up(system_actor, destination=tmp_path / "elsewhere")  # not "elsewhere.sqlite3" beside it
    assert sorted(tmp_path.iterdir()) == before


@pytest.mark.sqlite_only(FILE_ONLY)
@pytest.mark.parametrize("name", ["arrs.sqlite3-wal", "arrs.sqlite3-shm", "arrs.sqlite3-journal"])
def test_a_copy_is_never_written_over_the_files_sqlite_keeps_beside_the_database(workspace, system_actor, name):
    """Back up now… to the database's own -wal file replaced it with the copy; a copy named as its
    -journal, even one not there yet, would be rolled back into the database when it next opens."""
    side = workspace.db.path.with_name(name)
    before = side.read_bytes() if side.exists() else None
    with pytest.raises(ValidationError) as caught:
        workspace.backups.back_up(system_actor, destination=side)
    message = caught.value.errors["backup_file"]
    assert message.startswith("Backup file: ") and "beside the database" in message
    assert (side.read_bytes() if side.exists() else None) == before


@pytest.mark.sqlite_only(FILE_ONLY)
def test_a_copy_never_replaces_a_file_that_is_already_there(workspace, system_actor, tmp_path, migrated_template):
    letter, other_pcn = tmp_path / "letter.docx", tmp_path / "other-pcn.sqlite3"
    letter.write_text("Dear Dr Patel", encoding="utf-8")
    shutil.copyfile(migrated_template, other_pcn)
    for existing in (letter, other_pcn):
        before = existing.read_bytes()
        with pytest.raises(ValidationError) as caught:
            workspace.backups.back_up(system_actor, destination=existing)
        assert "already exists" in caught.value.errors["backup_file"]
        assert existing.read_bytes() == before
    assert not any(p.name.endswith(".partial") for p in tmp_path.iterdir())


def test_only_an_administrator_backs_up_or_restores(workspace, tmp_path):
    manager = Actor(5, "lm", "Line Manager", frozenset({"line_manager"}))
    with pytest.raises(PermissionDenied):
        workspace.backups.back_up(manager)
    with pytest.raises(PermissionDenied):
        workspace.backups.list(manager)
    with pytest.raises(PermissionDenied):
        workspace.backups.restore(manager, source=tmp_path / "x.sqlite3")


@pytest.mark.sqlite_only(FILE_ONLY)
def test_daily_copy_is_made_once_a_day_and_old_ones_are_thinned_out(workspace, clock):
    service = BackupService(workspace.db, now=clock)
    first = service.back_up_if_due()
    assert first is not None and first.kind == "auto"
    assert service.back_up_if_due() is None  # same day
    for _ in range(59):
        clock.now += timedelta(days=1)
        assert service.back_up_if_due() is not None
    autos = [b for b in store.list_backups(workspace.db.path) if b.kind == "auto"]
    days = sorted(b.made_at.date() for b in autos)
    # 60 days of copies: the last 7 days, the newest of the last 4 weeks and of the last 3 months.
    assert days[-7:] == [date(2027, 1, 16) + timedelta(days=i) for i in range(7)]
    assert date(2026, 11, 30) in days and date(2026, 12, 31) in days  # month ends
    assert date(2026, 12, 30) not in days and len(autos) <= 7 + 4 + 12
    with workspace.db.read() as session:
        assert session.execute(select(func.count()).where(AuditEntry.action == "backup")).scalar() == 60


@pytest.mark.sqlite_only(FILE_ONLY)
def test_copies_made_on_request_are_never_thinned_out(workspace, system_actor, clock):
    service = BackupService(workspace.db, now=clock)
    manual = service.back_up(system_actor)
    for _ in range(30):
        clock.now += timedelta(days=1)
        service.back_up_if_due()
    assert manual.path.exists()


@pytest.mark.sqlite_only(FILE_ONLY)
def test_only_this_databases_own_copies_are_listed_and_thinned(workspace, system_actor, clock, migrated_template):
    """A backup folder shared with other databases (another PCN's file, one a person keeps there, the
    database itself when its own folder is the backup folder) listed them all as this database's copies;
    a copy this PC saved there under a name of its own is listed."""
    path = workspace.db.path
    folder = store.backup_folder(path)
    folder.mkdir(parents=True, exist_ok=True)
    others = [folder / "other-pcn.sqlite3", folder / "notes.sqlite3", folder / "arrs-east.db",
              folder / "other-pcn-auto-20200101-090000.sqlite3", folder / "arrs-auto-20200101-090000.sqlite3-wal"]
    for other in others:
        shutil.copyfile(migrated_template, other)
    before = {other: other.read_bytes() for other in others}
    service = BackupService(workspace.db, now=clock)
    made = [service.back_up_if_due()]
    for _ in range(20):  # enough days for the rotation to thin out
        clock.now += timedelta(days=1)
        made.append(service.back_up_if_due())
    made.append(service.back_up(system_actor, destination=folder / "before-changes.sqlite3"))  # a name of its own
    listed = {b.path for b in service.list(system_actor)}
    assert listed and listed <= {m.path for m in made} and folder / "before-changes.sqlite3" in listed
    assert {b.path for b in store.list_backups(path, path.parent)} == set()  # not the database itself
    assert all(other.read_bytes() == before[other] for other in others)  # never thinned out nor touched


def test_opening_for_the_app_makes_the_daily_copy(tmp_path, migrated_template):
    path = tmp_path / "app.sqlite3"
    shutil.copyfile(migrated_template, path)
    Workspace.open(path).close()
    assert store.list_backups(path) == []
    Workspace.open(path, backup_if_due=True).close()
    Workspace.open(path, backup_if_due=True).close()
    assert [b.kind for b in store.list_backups(path)] == ["auto"]


def test_damage_only_the_full_check_finds_is_caught_by_the_daily_copy(tmp_path, migrated_template):
    """quick_check on open misses a damaged index; the copy's integrity_check does not, and no bad copy is kept."""
    path = tmp_path / "app.sqlite3"
    shutil.copyfile(migrated_template, path)
    ws = Workspace.open(path)
    add_person(ws, ws_admin(ws), "Ada", "ada@nhs.net")
    add_person(ws, ws_admin(ws), "Bea", "bea@nhs.net")
    ws.close()
    with sqlite3.connect(path) as conn:  # make the email index disagree with the table
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("UPDATE sqlite_master SET sql = 'CREATE INDEX ix_staff_email ON staff (given_name)' "
                     "WHERE name = 'ix_staff_email'")
    with pytest.raises(DatabaseProblem, match="damaged"):
        Workspace.open(path, backup_if_due=True)
    assert store.list_backups(path) == []


def ws_admin(ws):
    from arrs_desk.services.actor import SYSTEM

    if not ws.staff.form_choices(SYSTEM).practices:
        ws.organisations.create(SYSTEM, kind="pcn", name="Test PCN", ods_code="U11111")
        ws.organisations.create(SYSTEM, kind="practice", name="Alpha Surgery", ods_code="A11111")
    return SYSTEM


# --- restoring ------------------------------------------------------------------------------


@pytest.mark.sqlite_only(FILE_ONLY)
def test_restore_puts_the_copy_back_and_keeps_what_it_replaced(workspace, system_actor):
    ws_admin(workspace)
    kept_id = add_person(workspace, system_actor, "Before")
    made = workspace.backups.back_up(system_actor)
    later_id = add_person(workspace, system_actor, "After")
    other = Workspace.open(workspace.db.path)  # a second window (or PC) with the file open
    try:
        assert {r.id for r in other.staff.list_rows(system_actor)} == {kept_id, later_id}
        result = workspace.backups.restore(system_actor, source=made.path)
        assert result.staff_count == 1 and not result.upgraded
        assert {r.id for r in other.staff.list_rows(system_actor)} == {kept_id}  # sees the restored records
        reopened = Workspace.open(workspace.db.path)
        try:
            assert {r.id for r in reopened.staff.list_rows(system_actor)} == {kept_id}
            with reopened.db.read() as session:
                entry = session.execute(select(AuditEntry).where(AuditEntry.action == "restore")).scalar_one()
            assert made.path.name in entry.summary and result.kept_copy.name in entry.summary
        finally:
            reopened.close()
    finally:
        other.close()
    assert result.kept_copy.name.startswith("arrs-before-restore-")
    assert staff_count(result.kept_copy) == 2  # nothing is lost by restoring the wrong copy
    assert store.integrity_problem(workspace.db.path) is None


@pytest.mark.sqlite_only(FILE_ONLY)
@pytest.mark.parametrize(("make", "message"), [
    (lambda p: p.write_bytes(b"name,email\nAda,ada@nhs.net\n"), "not a SQLite database"),
    (lambda p: (shutil.copyfile(FIXTURES / "schema-0001.sqlite3", p), corrupt(p)), "damaged"),
    (lambda p: sqlite3.connect(p).execute("CREATE TABLE recipes (id INTEGER)").connection.commit(), "not an ARRS Desk one"),
    (lambda p: (shutil.copyfile(FIXTURES / "schema-0001.sqlite3", p),
                sqlite3.connect(p).execute("UPDATE alembic_version SET version_num = '9999'").connection.commit()),
     "newer version of ARRS Desk"),
])
def test_restore_refuses_a_bad_file_and_changes_nothing(workspace, system_actor, tmp_path, make, message):
    bad = tmp_path / "bad.sqlite3"
    make(bad)
    before = workspace.db.path.read_bytes()
    with pytest.raises(BackupProblem, match=message):
        workspace.backups.restore(system_actor, source=bad)
    assert workspace.db.path.read_bytes() == before
    assert not (workspace.db.path.parent / "backups").exists() or not any(
        p.name.startswith("arrs-before-restore") for p in (workspace.db.path.parent / "backups").iterdir())


@pytest.mark.sqlite_only(FILE_ONLY)
def test_a_copy_from_an_older_version_is_brought_up_to_date(workspace, system_actor):
    result = workspace.backups.restore(system_actor, source=FIXTURES / "schema-0001.sqlite3")
    assert result.upgraded and result.revision == "0001"
    reopened = Workspace.open(workspace.db.path)
    try:
        with reopened.db.read() as session:
            assert session.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
        assert [r.display_name for r in reopened.staff.list_rows(system_actor)] == ["Siobhán Ní Bhriain"]
    finally:
        reopened.close()


def test_a_database_that_will_not_open_is_restored_from_its_newest_good_backup(tmp_path, migrated_template):
    path = tmp_path / "arrs-desk.sqlite3"
    shutil.copyfile(migrated_template, path)
    ws = Workspace.open(path)
    add_person(ws, ws_admin(ws), "Ada")
    good = ws.backups.back_up(ws_admin(ws))
    ws.close()
    newer_but_bad = path.parent / "backups" / "arrs-desk-auto-29991231-000000.sqlite3"
    shutil.copyfile(good.path, newer_but_bad)
    corrupt(newer_but_bad)
    corrupt(path)
    with pytest.raises(DatabaseProblem) as caught:
        Workspace.open(path)
    assert "arrs-desk.sqlite3" in caught.value.message
    assert backups.newest_good_backup(str(path)).path == good.path
    result = backups.restore_database(str(path), good.path)
    assert result.kept_copy.exists()  # the damaged file's bytes, kept as they were
    ws = Workspace.open(path)
    try:
        assert [r.display_name for r in ws.staff.list_rows(ws_admin(ws))] == ["Ada Lovelace"]
    finally:
        ws.close()


# --- PostgreSQL -----------------------------------------------------------------------------


def test_postgresql_backups_point_to_the_servers_tools(workspace, system_actor, backend, tmp_path):
    if backend == "sqlite":
        assert workspace.backups.available and workspace.backups.advice() == ""
        return
    assert not workspace.backups.available
    assert workspace.backups.back_up_if_due() is None
    for call in (lambda: workspace.backups.back_up(system_actor), lambda: workspace.backups.list(system_actor),
                 lambda: workspace.backups.restore(system_actor, source=tmp_path / "x.sqlite3"),
                 lambda: backups.list_backups(workspace.db.url)):
        with pytest.raises(BackupProblem) as caught:
            call()
        assert "pg_dump" in caught.value.message and "pg_restore" in caught.value.message


# --- the command line -----------------------------------------------------------------------


def test_command_line_backup_list_and_restore(tmp_path, migrated_template, capsys):
    path = tmp_path / "cli.sqlite3"
    shutil.copyfile(migrated_template, path)
    assert main(["--database", str(path), "backups"]) == 0
    assert "No backups" in capsys.readouterr().out
    assert main(["--database", str(path), "backup"]) == 0
    made = store.list_backups(path)[0].path
    assert str(made) in capsys.readouterr().out
    assert main(["--database", str(path), "backup", "--to", str(tmp_path / "copy.sqlite3")]) == 0
    assert (tmp_path / "copy.sqlite3").exists()
    capsys.readouterr()
    assert main(["--database", str(path), "backups"]) == 0
    listing = capsys.readouterr().out
    assert made.name in listing and "Made on request" in listing
    corrupt(path)
    assert main(["--database", str(path), "restore", str(tmp_path / "nothing.sqlite3")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["--database", str(path), "restore", str(made)]) == 0
    out = capsys.readouterr().out
    assert "Restored" in out and "kept as" in out
    assert main(["--database", str(path), "info"]) == 0
