"""A full export doctored with values that JSON holds but the database cannot (a 400-digit whole
number, 1e400, a lone surrogate, `roles` that is a number) or a zip bomb for its data file is
refused by name, with nothing written, on SQLite and PostgreSQL; before, each of these either
crashed half-way or was imported and broke every later export or sign-in."""

from __future__ import annotations

import tracemalloc
from datetime import date
from pathlib import Path

import pytest

from arrs_desk.errors import ValidationError
from arrs_desk.services.data_export import DataExportService
from arrs_desk.services.workspace import Workspace
from tests.hostile import make_corpus as corpus
from tests.support.exports import export_plain
from tests.support.pcn import Member, build_small_pcn


@pytest.fixture
def small_export(workspace, system_actor, tmp_path) -> Path:
    """A real export of a small PCN with one signed-in member (so it has a `roles` list)."""
    build_small_pcn(workspace, system_actor, members=[
        Member("ada", "Ada", "Lovelace", date(2025, 3, 3), roles=("staff",), number="E100"),
        Member("bo", "Bo", "Tanaka", date(2025, 4, 1))], admin="Helen Whitfield")
    path = tmp_path / "export.zip"
    export_plain(DataExportService(workspace.db, evidence_root=lambda: tmp_path / "evidence"), system_actor, path)
    return path


@pytest.fixture
def empty_target(backend, request, tmp_path):
    if backend == "postgres":
        databases = request.getfixturevalue("postgres_databases")
        url = databases.fresh("migrated")
        ws = Workspace.open(url)
        yield ws
        ws.close()
        databases.drop(url)
        return
    ws = Workspace.open(tmp_path / "target.sqlite3")
    yield ws
    ws.close()


def refused(target: Workspace, path: Path, tmp_path: Path, match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        DataExportService(target.db, evidence_root=lambda: tmp_path / "target-evidence").import_all(path=path)
    assert target.data_export.emptiness_problem() is None  # nothing written
    assert not (tmp_path / "target-evidence").exists() or not any((tmp_path / "target-evidence").rglob("*.*"))


def first_staff(data: dict) -> dict:
    return data["tables"]["staff"][0]


@pytest.mark.parametrize(("name", "change", "match"), [
    ("huge-integer", lambda d: first_staff(d).update(id=int("9" * 400)), r"table staff .*column id.*400 digits"),
    ("roles-123", lambda d: d["tables"]["user_account"][0].update(roles=123), r"user_account.*column roles.*list of text"),
    ("surrogate", lambda d: first_staff(d).update(given_name="Ada\ud800"), r"table staff .*column given_name.*not text"),
    ("json-surrogate", lambda d: d["tables"]["audit_entry"][0].update(changes={"x": ["\udfff"]}),
     r"audit_entry.*column changes.*not text"),
])
def test_values_the_database_cannot_hold_are_named(small_export, empty_target, tmp_path, name, change, match):
    bad = corpus.tampered_export(small_export, tmp_path / f"{name}.zip", change)
    refused(empty_target, bad, tmp_path, match)


def test_1e400_is_refused_not_stored_as_infinity(small_export, empty_target, tmp_path):
    bad = corpus.replace_in_json(small_export, tmp_path / "1e400.zip", '"hours_per_week": null',
                                 '"hours_per_week": 1e400')
    refused(empty_target, bad, tmp_path, r"table staff .*column hours_per_week.*infinity")


def test_a_zip_bomb_is_refused_without_expanding_it(small_export, empty_target, tmp_path):
    bomb = corpus.zip_bomb(small_export, tmp_path / "bomb.zip", 64 * 1024 * 1024)
    assert bomb.stat().st_size < 1024 * 1024
    tracemalloc.start()
    try:
        refused(empty_target, bomb, tmp_path, r"data.json .*expands to more than .*zip bomb")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 32 * 1024 * 1024  # the bomb is 64 MiB expanded: it was never read whole
