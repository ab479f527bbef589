import os
import shutil
import sqlite3
import stat
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from arrs_desk.errors import DatabaseProblem
from arrs_desk.services.actor import SYSTEM
from arrs_desk.services.workspace import Workspace
from arrs_desk.store import migrate
from arrs_desk.store.database import open_database
from arrs_desk.store.schema import head_revision, known_revisions

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def test_schema_constant_matches_the_newest_migration():
    assert migrate.head_revision() == head_revision()
    assert tuple(migrate.all_revisions()) == known_revisions()


def test_new_database_is_private_wal_with_foreign_keys(tmp_path):
    ws = Workspace.open(tmp_path / "new.sqlite3")
    with ws.db.read() as session:
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
    ws.close()
    if sys.platform != "win32":
        assert stat.S_IMODE(os.stat(tmp_path / "new.sqlite3").st_mode) == 0o600


def test_roles_are_seeded_once_and_user_edits_survive(tmp_path):
    ws = Workspace.open(tmp_path / "db.sqlite3")
    with ws.db.write() as session:
        session.execute(text("UPDATE role SET title = 'Paramedic (primary care)' WHERE code = 'PARA'"))
    ws.close()
    ws = Workspace.open(tmp_path / "db.sqlite3")
    with ws.db.read() as session:
        assert session.execute(text("SELECT title FROM role WHERE code = 'PARA'")).scalar() == "Paramedic (primary care)"
        assert session.execute(text("SELECT count(*) FROM role")).scalar() >= 21
    ws.close()


@pytest.mark.parametrize("revision", [r for r in known_revisions() if (FIXTURES / f"schema-{r}.sqlite3").exists()])
def test_database_saved_by_an_older_revision_opens_and_keeps_its_data(tmp_path, revision):
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(FIXTURES / f"schema-{revision}.sqlite3", path)
    ws = Workspace.open(path)
    with ws.db.read() as session:
        assert session.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
    rows = ws.staff.list_rows(SYSTEM)
    assert [(r.display_name, r.registration, r.practices) for r in rows] == [("Siobhán Ní Bhriain", "HCPC PA012345", "Old Town Surgery")]
    ws.close()
    backups = list((tmp_path / "backups").glob("old-before-upgrade-from-*.sqlite3"))
    if revision != head_revision():
        assert len(backups) == 1
        with sqlite3.connect(backups[0]) as conn:
            assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == revision


def test_first_fixture_exists():
    assert (FIXTURES / "schema-0001.sqlite3").exists()


def test_a_database_from_a_newer_version_is_refused_untouched(tmp_path):
    path = tmp_path / "newer.sqlite3"
    Workspace.open(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    before = path.read_bytes()
    with pytest.raises(DatabaseProblem, match="newer version of ARRS Desk"):
        open_database(path)
    assert path.read_bytes() == before


def test_a_foreign_database_is_refused(tmp_path):
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE recipes (id INTEGER)")
    with pytest.raises(DatabaseProblem, match="not an ARRS Desk database"):
        open_database(path)


def test_a_file_that_is_not_a_database_gives_a_way_forward(tmp_path):
    path = tmp_path / "junk.sqlite3"
    path.write_bytes(b"this is not sqlite" * 1000)
    with pytest.raises(DatabaseProblem) as caught:
        open_database(path)
    assert "junk.sqlite3" in caught.value.message


@pytest.mark.parametrize("where", ["a-file/pcn.sqlite3", "folder", "x" * 300 + ".sqlite3"])
def test_a_path_where_no_database_can_be_is_refused_with_a_way_forward(tmp_path, where):
    """Under a file, a folder itself, a name too long: each once reached the person as an OSError's
    traceback (the command line) or its raw text (the window)."""
    (tmp_path / "a-file").write_text("not a folder")
    (tmp_path / "folder").mkdir()
    with pytest.raises(DatabaseProblem) as refused:
        open_database(tmp_path / where)
    assert "database" in refused.value.message and "Errno" not in refused.value.message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "folder"]  # nothing made


@pytest.mark.skipif(sys.platform == "win32", reason="a device file")
def test_a_device_is_not_taken_for_a_database():
    with pytest.raises(DatabaseProblem, match="is not a database file"):
        open_database("/dev/null")


@pytest.mark.parametrize("address", ["notascheme://x", "mysql://u@x/y", "postgresql://u:secret@h:notaport/x"])
def test_an_address_of_another_kind_of_database_is_refused_without_its_password(address):
    with pytest.raises(DatabaseProblem) as refused:
        open_database(address)
    assert "postgresql://" in refused.value.message and "secret" not in refused.value.message


def test_audit_rows_cannot_be_changed_even_with_sql(workspace):
    with workspace.db.write() as session:
        session.execute(text("INSERT INTO audit_entry (at, actor_name, action, entity_type, entity_id, summary, changes)"
                             " VALUES ('2026-01-01', 'x', 'create', 'staff', '1', '', '{}')"))
    with pytest.raises(Exception, match="cannot be changed"):
        with workspace.db.write() as session:
            session.execute(text("UPDATE audit_entry SET actor_name = 'someone else'"))
    with pytest.raises(Exception, match="cannot be changed"):
        with workspace.db.write() as session:
            session.execute(text("DELETE FROM audit_entry"))
