"""Killing ARRS Desk (SIGKILL, as a power cut or Task Manager would) while it turns encryption on or
off, 100 times at random moments: the file is always either the old one or the new one, whole, with
every record in it, and the next conversion carries on as if nothing had happened."""

import os
import random
import shutil
import signal
import time
from pathlib import Path

import pytest

from arrs_desk.store import cipher
from arrs_desk.store.cipher_convert import CONVERTING_SUFFIX, content_digest
from tests.support.convert_worker import worker_key
from tests.support.fork_server import ForkServer, dead

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(os, "fork"), reason="the worker is a fork server (POSIX only)"),
]

KILLS = 100
TIME_LIMIT = 150.0  # seconds; the kill count stops first on an ordinary machine


def _state(path: Path, key) -> tuple[bool, tuple]:
    encrypted = cipher.is_encrypted(path)
    conn = cipher.connect(path, key if encrypted else None)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return encrypted, content_digest(conn)
    finally:
        conn.close()


def _conversion_time(worker: ForkServer, direction: str) -> float:
    started = time.monotonic()
    worker.send(f"go {direction}")
    assert worker.next_line().startswith("start ")
    line = worker.next_line()
    assert line == "done", line
    return time.monotonic() - started


def _span(worker: ForkServer, database: Path) -> float:
    """How long a whole conversion takes now, either way (the file ends as it began)."""
    first = "off" if cipher.is_encrypted(database) else "on"
    return max(_conversion_time(worker, first), _conversion_time(worker, "on" if first == "off" else "off"))


RESPAN = 20
"""Kills between measurements of a whole conversion: on a machine whose load changes (CI beside
other work) a span measured once drifts, and the kills bunch at one end of the conversion."""


def test_killing_a_conversion_at_any_moment_leaves_the_old_file_or_the_new_one(tmp_path, migrated_template):
    database = tmp_path / "convert.sqlite3"
    shutil.copyfile(migrated_template, database)
    key = worker_key()
    _, original = _state(database, key)
    rng = random.Random(20261204)
    worker = ForkServer("tests.support.convert_worker", database)
    outcomes = {"old": 0, "new": 0}
    kills = 0
    started = time.monotonic()
    try:
        span = _span(worker, database)  # whole runs work
        while kills < KILLS and time.monotonic() - started < TIME_LIMIT:
            if kills and kills % RESPAN == 0:
                span = _span(worker, database)
            was_encrypted = cipher.is_encrypted(database)
            worker.send("go off" if was_encrypted else "go on")
            line = worker.next_line()
            assert line.startswith("start "), line
            pid = int(line.split()[1])
            time.sleep(rng.uniform(0, span * 1.1))
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:  # it finished first: that moment counts too
                pass
            while not dead(pid):
                time.sleep(0.001)
            worker.send("ping")
            while (line := worker.next_line()) != "pong":
                assert not line.startswith("error"), line
            kills += 1
            encrypted, digest = _state(database, key)
            assert digest == original, f"kill {kills}: the records changed"
            outcomes["new" if encrypted != was_encrypted else "old"] += 1
    finally:
        worker.close()
    print(f"\n{kills} kills in {time.monotonic() - started:.1f} s (a whole conversion {span * 1000:.0f} ms): "
          f"{outcomes['old']} left the old file, {outcomes['new']} the new one")
    assert kills == KILLS, f"only {kills} kills in {TIME_LIMIT:.0f} s"
    assert outcomes["old"] > 10 and outcomes["new"] > 10  # the kills landed all through the conversion
    leftover = database.with_name(database.name + CONVERTING_SUFFIX)
    if leftover.exists():  # a killed conversion's copy: the next conversion sweeps it
        from arrs_desk.store.cipher_convert import convert_file

        convert_file(database, key if cipher.is_encrypted(database) else None, None)
        assert not leftover.exists()
