"""`arrs-desk export` and `arrs-desk import`: an administrator exports, an empty database takes it."""

from __future__ import annotations

import json
import logging
import shutil
import zipfile

import pytest

from arrs_desk.cli import main
from arrs_desk.demo.pcn import DEMO_PASSWORD
from tests.support.exports import PASSPHRASE, members
from tests.support.pcn import build_northfield_pcn


@pytest.fixture
def demo_file(demo_template, tmp_path):
    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_template, path)
    return path


def test_export_then_import_into_a_new_database(demo_file, tmp_path, monkeypatch, capsys, caplog):
    """The file of a database that is not encrypted is sealed with the passphrase in
    ARRS_DESK_PASSPHRASE (it carries password hashes and two-step secrets); import reads it there."""
    monkeypatch.setenv("ARRS_DESK_PASSWORD", DEMO_PASSWORD)
    monkeypatch.setenv("ARRS_DESK_PASSPHRASE", PASSPHRASE)
    out = tmp_path / "everything.zip"
    assert main(["--database", str(demo_file), "export", "--out", str(out), "--user", "helen.whitfield"]) == 0
    printed = capsys.readouterr().out
    assert "Exported" in printed and "encrypted: it loads with the passphrase chosen for it" in printed
    assert not zipfile.is_zipfile(out)
    manifest = json.loads(members(out)["manifest.json"])
    assert manifest["exported_by"]["username"] == "helen.whitfield"

    target = tmp_path / "new.sqlite3"
    with caplog.at_level(logging.INFO, logger="arrs_desk.services.data_export"):
        assert main(["--database", str(target), "import", str(out)]) == 0
    assert "Imported" in capsys.readouterr().out
    assert any(str(out) in r.getMessage() and "SHA-256" in r.getMessage() for r in caplog.records)
    # The imported accounts sign in with their old passwords, so export works from the new database too.
    # A command checks the password without recording a sign-in, so the data reads back byte for byte.
    again = tmp_path / "again.zip"
    assert main(["--database", str(target), "export", "--out", str(again), "--user", "helen.whitfield"]) == 0
    a, b = members(out), members(again)
    assert a["data.json"] == b["data.json"]
    first, second = json.loads(a["manifest.json"]), json.loads(b["manifest.json"])
    assert {k: v for k, v in first.items() if k != "exported_at"} == {k: v for k, v in second.items() if k != "exported_at"}


def test_export_needs_an_administrator(demo_file, tmp_path, monkeypatch, capsys):
    out = tmp_path / "everything.zip"
    assert main(["--database", str(demo_file), "export", "--out", str(out)]) == 2
    assert "--user" in capsys.readouterr().err
    monkeypatch.setenv("ARRS_DESK_PASSWORD", "wrong")
    assert main(["--database", str(demo_file), "export", "--out", str(out), "--user", "helen.whitfield"]) == 2
    assert not out.exists()


def test_an_export_of_a_plain_database_needs_a_passphrase(demo_file, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ARRS_DESK_PASSWORD", DEMO_PASSWORD)
    monkeypatch.delenv("ARRS_DESK_PASSPHRASE", raising=False)
    monkeypatch.setattr("sys.stdin", None)
    out = tmp_path / "everything.zip"
    assert main(["--database", str(demo_file), "export", "--out", str(out), "--user", "helen.whitfield"]) == 2
    assert "put it in ARRS_DESK_PASSPHRASE" in capsys.readouterr().err and not out.exists()
    monkeypatch.setenv("ARRS_DESK_PASSPHRASE", "short")
    assert main(["--database", str(demo_file), "export", "--out", str(out), "--user", "helen.whitfield"]) == 2
    assert "at least 10 characters" in capsys.readouterr().err and not out.exists()


def test_import_refuses_a_database_with_records(demo_file, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ARRS_DESK_PASSWORD", DEMO_PASSWORD)
    monkeypatch.setenv("ARRS_DESK_PASSPHRASE", PASSPHRASE)
    out = tmp_path / "everything.zip"
    assert main(["--database", str(demo_file), "export", "--out", str(out), "--user", "helen.whitfield"]) == 0
    capsys.readouterr()
    assert main(["--database", str(demo_file), "import", str(out)]) == 2
    assert "already holds records" in capsys.readouterr().err


def test_a_record_bundle_moves_between_databases(demo_file, tmp_path, monkeypatch, capsys):
    from arrs_desk.services.actor import SYSTEM
    from arrs_desk.services.workspace import Workspace

    monkeypatch.setenv("ARRS_DESK_PASSWORD", DEMO_PASSWORD)
    ws = Workspace.open(demo_file)
    staff_id = ws.staff.list_rows(SYSTEM)[0].id
    ws.close()
    out = tmp_path / "bundle.zip"
    assert main(["--database", str(demo_file), "export-bundle", "--staff", str(staff_id), "--out", str(out),
                 "--user", "helen.whitfield"]) == 0
    assert "Saved the record bundle" in capsys.readouterr().out

    other = tmp_path / "other.sqlite3"
    ws = Workspace.open(other)
    build_northfield_pcn(ws, SYSTEM)
    ws.accounts.choose_single_user(display_name="Nadia Khan")
    ws.close()
    assert main(["--database", str(other), "import-bundle", str(out), "--employer", "N22222",
                 "--practice", "N22222", "--start", "31/02/2027"]) == 2
    assert "not a date" in capsys.readouterr().err
    assert main(["--database", str(other), "import-bundle", str(out), "--employer", "X00000",
                 "--practice", "N22222", "--start", "04/01/2027"]) == 2
    assert "No organisation here has the ODS code 'X00000'" in capsys.readouterr().err
    assert main(["--database", str(other), "import-bundle", str(out), "--employer", "n22222",
                 "--practice", "N22222", "--start", "04/01/2027"]) == 0
    assert "(pre-start)" in capsys.readouterr().out
    ws = Workspace.open(other)
    assert [r.id for r in ws.staff.list_rows(SYSTEM)] and ws.organisations.list(SYSTEM)[-1].staff_count == 1
    ws.close()


def test_an_encrypted_export_imports_with_the_passphrase_in_the_environment(demo_file, tmp_path, monkeypatch, capsys):
    from arrs_desk.store.cipher import DatabaseKey
    from arrs_desk.store.cipher_convert import convert_file

    from arrs_desk.services.actor import SYSTEM
    from arrs_desk.services.workspace import Workspace

    passphrase = "correct horse battery staple"
    key = DatabaseKey.from_passphrase(passphrase, bytes(16))
    convert_file(demo_file, None, key)
    ws = Workspace.open(demo_file, key=key)
    out = tmp_path / "everything.zip"
    try:
        ws.data_export.export_all(SYSTEM, path=out)
    finally:
        ws.close()
    assert not zipfile.is_zipfile(out)

    target = tmp_path / "new.sqlite3"
    monkeypatch.setenv("ARRS_DESK_PASSPHRASE", "not the passphrase")
    assert main(["--database", str(target), "import", str(out)]) == 2
    assert "does not open everything.zip" in capsys.readouterr().err
    monkeypatch.setenv("ARRS_DESK_PASSPHRASE", passphrase)
    assert main(["--database", str(target), "import", str(out)]) == 0
    assert "Imported" in capsys.readouterr().out


@pytest.mark.parametrize("command", [["info"], ["verify"], ["backup", "--to", "copy.sqlite3"], ["pack", "--all", "--out", "packs"],
                                     ["export", "--out", "all.zip"]])
def test_a_mistyped_database_path_is_refused_not_made_and_reported_on(tmp_path, capsys, command):
    """`verify` on a path with a typo once made the folders and an empty database, then said "The audit
    trail is intact: all 3 entries checked"."""
    missing = tmp_path / "typo" / "pcn.sqlite3"
    assert main(["--database", str(missing), *command]) == 2
    assert f"there is no database at {missing}" in capsys.readouterr().err
    assert not (tmp_path / "typo").exists()


def test_info_says_what_the_database_is_and_nothing_of_what_it_holds(demo_file, tmp_path, capsys):
    """`info` asks nobody to sign in (a diagnostic for whoever looks after the PC), so it no longer
    prints the PCN's name or how many staff and leavers there are; `export` and `pack`, which read
    records, ask for a sign-in."""
    assert main(["--database", str(demo_file), "info"]) == 0
    printed = capsys.readouterr().out
    assert f"Database: {demo_file}" in printed and "Kind: SQLite file" in printed and "Encrypted: no" in printed
    assert "Schema: revision " in printed and "Set up: yes, with personal accounts" in printed
    assert "Riverside" not in printed and "Staff" not in printed and "leaver" not in printed
