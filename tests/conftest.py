"""Shared fixtures: offscreen Qt, a fresh database per test (copied from a migrated template),
and a frozen clock so date rules are repeatable.

The suite's "today" is 24/11/2026 at noon UK time unless ARRS_TEST_TODAY says otherwise
(a day, `2028-02-29`, or an instant, `2027-12-31T23:30`, UK time unless it has an offset):
`python3 scripts/bootstrap.py test` runs the date-sensitive folders again on hard days. Every
test gets a fresh `FixedClock` at that instant through the autouse `clock` fixture; tests that
need time to pass move it (`clock.advance(...)`) instead of sleeping or patching.

Tests in tests/services and tests/store that use `workspace` or `demo_workspace` run twice:
on a SQLite file and on a throwaway PostgreSQL server started once per session (ids "sqlite"
and "postgres"). Each PostgreSQL test gets its own database cloned from a migrated (or demo)
template. Mark a test `@pytest.mark.sqlite_only("why")` when it is about SQLite files
themselves: it then runs on SQLite alone. Without a server the PostgreSQL runs are skipped
with the reason, except in CI (CI=true), where they fail: the shared-database mode must never
go untested there.
"""

from __future__ import annotations

import os
import shutil

from pathlib import Path

import pytest

# Qt aborts the whole run without a display unless told to draw offscreen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from arrs_desk import clock as app_clock  # noqa: E402  (after the Qt platform is chosen)

DEFAULT_TODAY = "2026-11-24"
NOW = app_clock.parse_instant(os.environ.get("ARRS_TEST_TODAY") or DEFAULT_TODAY)
"""The instant the suite's clock stands at."""
TODAY = NOW.astimezone(app_clock.UK).date()
"""The suite's today, in England."""
TESTS_DIR = Path(__file__).resolve().parent
BOTH_BACKENDS = ("services", "store")
"""Folders under tests/ whose workspace fixtures run on SQLite and on PostgreSQL."""


def pytest_configure(config):
    # Session fixtures (the migrated and demo templates) are built on the suite's clock too.
    app_clock.install(app_clock.FixedClock(NOW))
    config.addinivalue_line("markers", "sqlite_only(reason): run this test on SQLite alone, giving the reason")
    config.addinivalue_line("markers", "postgres_only(reason): run this test on PostgreSQL alone, giving the reason")


def pytest_generate_tests(metafunc):
    if "backend" not in metafunc.fixturenames:
        return
    folder = Path(str(metafunc.definition.path)).resolve().parent
    if folder.parent != TESTS_DIR or folder.name not in BOTH_BACKENDS:
        return
    if metafunc.definition.get_closest_marker("postgres_only") is not None:
        metafunc.parametrize("backend", [pytest.param("postgres", marks=[pytest.mark.postgres])], indirect=True)
        return
    if metafunc.definition.get_closest_marker("sqlite_only") is not None:
        # About SQLite files themselves (the marker gives the reason): there is no PostgreSQL
        # run to skip, so the report's skip count stays a real signal.
        metafunc.parametrize("backend", ["sqlite"], indirect=True)
        return
    metafunc.parametrize("backend", ["sqlite", pytest.param("postgres", marks=[pytest.mark.postgres])], indirect=True)


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


@pytest.fixture
def backend(request) -> str:
    """"sqlite" or "postgres"; tests outside tests/services and tests/store always get "sqlite"."""
    return getattr(request, "param", "sqlite")


def _build_migrated(url: str) -> None:
    from arrs_desk.services.workspace import Workspace

    Workspace.open(url).close()


def _build_demo(url: str) -> None:
    from arrs_desk.demo.pcn import build_demo
    from arrs_desk.services.workspace import Workspace

    ws = Workspace.open(url)
    try:
        build_demo(ws)
    finally:
        ws.close()


@pytest.fixture(scope="session")
def postgres_databases(tmp_path_factory):
    from tests.support.postgres import ThrowawayPostgres, postgres_available

    reason = postgres_available()
    server = None
    if reason is None:
        server = ThrowawayPostgres(tmp_path_factory.mktemp("pg"))
        try:
            server.start()
        except Exception as exc:  # noqa: BLE001  (reported below, loudly in CI)
            reason = f"the throwaway server did not start: {exc}"
    if reason:
        if in_ci():
            pytest.fail(f"PostgreSQL tests must run in CI, but {reason}", pytrace=False)
        pytest.skip(f"PostgreSQL not available here ({reason}); in CI this fails")
    from tests.support.postgres_pool import PostgresDatabases

    databases = PostgresDatabases(server, tmp_path_factory.mktemp("pg-home"),
                                  {"empty": (None, lambda url: None), "migrated": (None, _build_migrated),
                                   "demo": ("migrated", _build_demo)})
    yield databases
    databases.close()
    server.stop()


def _postgres_workspace(request, kind: str):
    from arrs_desk.services.workspace import Workspace

    databases = request.getfixturevalue("postgres_databases")
    url = databases.fresh(kind)
    ws = Workspace.open(url)
    yield ws
    ws.close()
    databases.drop(url)


@pytest.fixture(autouse=True)
def clock():
    """The one clock every test runs on, frozen at NOW; move it with `clock.advance(...)`."""
    frozen = app_clock.FixedClock(NOW)
    previous = app_clock.install(frozen)
    yield frozen
    app_clock.install(previous)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Never touch the real per-user data folder from a test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("ARRS_DESK_HOME", str(home))
    monkeypatch.delenv("ARRS_DESK_DATABASE", raising=False)
    return home


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory) -> Path:
    from arrs_desk.services.workspace import Workspace

    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    workspace = Workspace.open(path)
    workspace.close()
    return path


@pytest.fixture
def workspace(backend, request, tmp_path):
    from arrs_desk.services.workspace import Workspace

    if backend == "postgres":
        yield from _postgres_workspace(request, "migrated")
        return
    path = tmp_path / "arrs.sqlite3"
    shutil.copyfile(request.getfixturevalue("migrated_template"), path)
    ws = Workspace.open(path)
    yield ws
    ws.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory, migrated_template) -> Path:
    from arrs_desk.demo.pcn import build_demo
    from arrs_desk.services.workspace import Workspace

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    shutil.copyfile(migrated_template, path)
    ws = Workspace.open(path)
    build_demo(ws)
    ws.close()
    return path


@pytest.fixture
def demo_people(demo_workspace):
    """The demo PCN's accounts as signed-in people, by username (helen.whitfield, zoe.okubo...)."""
    from sqlalchemy import select

    from arrs_desk.services.actor import Actor
    from arrs_desk.store.models import UserAccount

    with demo_workspace.db.read() as session:
        users = session.execute(select(UserAccount)).scalars().all()
    return {u.username: Actor(u.id, u.username, u.display_name, frozenset(u.roles), u.staff_id) for u in users}


@pytest.fixture
def demo_workspace(backend, request, tmp_path):
    from arrs_desk.services.workspace import Workspace

    if backend == "postgres":
        yield from _postgres_workspace(request, "demo")
        return
    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(request.getfixturevalue("demo_template"), path)
    ws = Workspace.open(path)
    yield ws
    ws.close()


@pytest.fixture
def system_actor():
    from arrs_desk.services.actor import SYSTEM

    return SYSTEM
