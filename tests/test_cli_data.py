"""`arrs-desk export` and `arrs-desk import`: an administrator exports, an empty database takes it."""

from __future__ import annotations

import json
import logging
import shutil
import zipfile

import pytest

from arrs_desk.cli import main
from arrs_desk.services.demo import DEMO_PASSWORD


@pytest.fixture
def demo_file(demo_template, tmp_path):
    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_template, path)
    return path


def test_export_then_import_into_a_new_database(demo_file, tmp_path, monkeypatch, capsys, caplog):
    monkeypatch.setenv("ARRS_DESK_PASSWORD", DEMO_PASSWORD)
    out = tmp_path / "everything.zip"
    assert main(["--database", str(demo_file), "export", "--out", str(out), "--user", "helen.whitfield"]) == 0
    printed = capsys.readouterr().out
    assert "Exported" in printed and "password hashes" in printed
    with zipfile.ZipFile(out) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["exported_by"]["username"] == "helen.whitfield"

    target = tmp_path / "new.sqlite3"
    with caplog.at_level(logging.INFO, logger="arrs_desk.services.data_export"):
        assert main(["--database", str(target), "import", str(out)]) == 0
    assert "Imported" in capsys.readouterr().out
    assert any(str(out) in r.getMessage() and "SHA-256" in r.getMessage() for r in caplog.records)
    # The imported accounts sign in with their old passwords, so export works from the new database too;
    # that sign-in is itself a change, so only the tables it does not touch read the same.
    again = tmp_path / "again.zip"
    assert main(["--database", str(target), "export", "--out", str(again), "--user", "helen.whitfield"]) == 0
    with zipfile.ZipFile(out) as a, zipfile.ZipFile(again) as b:
        first, second = json.loads(a.read("data.json"))["tables"], json.loads(b.read("data.json"))["tables"]
    assert first["staff"] == second["staff"] and first["review"] == second["review"]
    assert len(second["audit_entry"]) > len(first["audit_entry"])


def test_export_needs_an_administrator(demo_file, tmp_path, monkeypatch, capsys):
    out = tmp_path / "everything.zip"
    assert main(["--database", str(demo_file), "export", "--out", str(out)]) == 2
    assert "--user" in capsys.readouterr().err
    monkeypatch.setenv("ARRS_DESK_PASSWORD", "wrong")
    assert main(["--database", str(demo_file), "export", "--out", str(out), "--user", "helen.whitfield"]) == 2
    assert not out.exists()


def test_import_refuses_a_database_with_records(demo_file, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ARRS_DESK_PASSWORD", DEMO_PASSWORD)
    out = tmp_path / "everything.zip"
    assert main(["--database", str(demo_file), "export", "--out", str(out), "--user", "helen.whitfield"]) == 0
    capsys.readouterr()
    assert main(["--database", str(demo_file), "import", str(out)]) == 2
    assert "already holds records" in capsys.readouterr().err
