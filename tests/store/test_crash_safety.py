"""Killing ARRS Desk (SIGKILL, as a power cut or Task Manager would) at any moment loses nothing
already saved and leaves a database that opens and passes SQLite's full integrity check.

A writer process saves staff records through the services and prints each committed change;
it is killed at a random moment, many times over (fixed seed, bounded count and time). After
every kill, everything printed before it must be in the database and the file must be sound.
"""

import os
import random
import shutil
import signal
import sqlite3
import time

import pytest

from arrs_desk.services.actor import SYSTEM
from arrs_desk.services.workspace import Workspace
from tests.support.fork_server import ForkServer, dead

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(os, "fork"), reason="the writer is a fork server (POSIX only)"),
]

KILLS = 200
TIME_LIMIT = 75.0  # seconds; the kill count stops first on an ordinary machine
OPENING_SHARE = 0.25  # a quarter of the kills land while the writer is still opening the database
MAX_DELAY = 0.2  # seconds: the rest come at a random moment this soon after it has opened


def test_killing_the_app_at_random_moments_loses_nothing_saved(tmp_path, migrated_template):
    database = tmp_path / "crash.sqlite3"
    shutil.copyfile(migrated_template, database)
    ws = Workspace.open(database)
    ws.organisations.create(SYSTEM, kind="pcn", name="Crash Test PCN", ods_code="U99999")
    for i, code in enumerate(("A10001", "A10002")):
        ws.organisations.create(SYSTEM, kind="practice", name=f"Practice {i}", ods_code=code)
    ws.close()

    rng = random.Random(20261124)
    committed: dict[int, int] = {}  # staff id -> lowest version it must have
    kills = kills_before_first_commit = 0
    started = time.monotonic()
    writer = ForkServer("tests.support.crash_writer", database)
    try:
        while kills < KILLS and time.monotonic() - started < TIME_LIMIT:
            writer.send(f"go {kills}")
            printed = []
            line = writer.next_line()
            while not line.startswith("start "):
                printed.append(line)
                line = writer.next_line()
            pid = int(line.split()[1])
            if rng.random() < OPENING_SHARE:
                time.sleep(rng.uniform(0, 0.05))
            else:
                while (line := writer.next_line()) != "opened":
                    printed.append(line)
                time.sleep(rng.uniform(0, MAX_DELAY))
            os.kill(pid, signal.SIGKILL)
            while not dead(pid):
                time.sleep(0.001)
            writer.send("ping")  # everything the dead writer printed comes before the answer
            while (line := writer.next_line()) != "pong":
                if line != "opened":
                    printed.append(line)
            kills += 1
            errors = [p for p in printed if p.startswith("error")]
            assert errors == [], errors
            new_ids = [int(p.split()[1]) for p in printed if p.startswith("id ")]
            kills_before_first_commit += not new_ids
            for staff_id in new_ids:
                committed[staff_id] = 1
            for p in printed:
                if p.startswith("version "):
                    _, staff_id, version = p.split()
                    committed[int(staff_id)] = max(committed[int(staff_id)], int(version))

            conn = sqlite3.connect(database)
            try:
                assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)], f"after kill {kills}"
                versions = dict(conn.execute("SELECT id, version FROM staff"))
            finally:
                conn.close()
            lost = [i for i in committed if i not in versions]
            assert lost == [], f"kill {kills}: committed staff {lost} are missing"
            older = [i for i, v in committed.items() if versions[i] < v]
            assert older == [], f"kill {kills}: committed edits to {older} are missing"
    finally:
        writer.close()
    elapsed = time.monotonic() - started
    print(f"\n{kills} kills in {elapsed:.1f} s; {len(committed)} staff records committed; "
          f"{kills_before_first_commit} kills came before the writer's first commit")
    assert kills >= 50, f"only {kills} kills in {elapsed:.0f} s: too few to mean much"
    assert len(committed) > kills  # most writers got well into their work before being killed
    assert kills_before_first_commit > 0  # and some were killed while still opening

    ws = Workspace.open(database)  # the app itself opens what is left, and sees everything
    try:
        assert {r.id for r in ws.staff.list_rows(SYSTEM)} >= set(committed)
    finally:
        ws.close()
