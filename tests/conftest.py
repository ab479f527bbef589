"""Shared fixtures: offscreen Qt, a fresh database per test (copied from a migrated template),
and a fixed 'today' so date rules are repeatable."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pytest

# Qt aborts the whole run without a display unless told to draw offscreen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TODAY = date(2026, 11, 24)


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
def workspace(tmp_path, migrated_template):
    from arrs_desk.services.workspace import Workspace

    path = tmp_path / "arrs.sqlite3"
    shutil.copyfile(migrated_template, path)
    ws = Workspace.open(path, today=lambda: TODAY)
    yield ws
    ws.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory, migrated_template) -> Path:
    from arrs_desk.services.demo import build_demo
    from arrs_desk.services.workspace import Workspace

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    shutil.copyfile(migrated_template, path)
    ws = Workspace.open(path, today=lambda: TODAY)
    build_demo(ws)
    ws.close()
    return path


@pytest.fixture
def demo_workspace(tmp_path, demo_template):
    from arrs_desk.services.workspace import Workspace

    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_template, path)
    ws = Workspace.open(path, today=lambda: TODAY)
    yield ws
    ws.close()


@pytest.fixture
def system_actor():
    from arrs_desk.services.actor import SYSTEM

    return SYSTEM
