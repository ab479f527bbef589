"""The processes the kill tests kill: a fork server (`python -m MODULE DATABASE`) started once, whose
printed lines a thread reads into a queue, and the test's check that a killed child is gone.

The server imports the slow parts once and forks a child per attempt (`tests.support.crash_writer`,
`tests.support.convert_worker`); the child prints as it goes, so a printed line is a fact the test
can hold the database to after the kill."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class ForkServer:
    def __init__(self, module: str, database: Path):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", module, str(database)], cwd=ROOT,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        assert self.next_line(120) == "ready", self.proc.stderr.read()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def next_line(self, timeout: float = 30) -> str:
        return self.lines.get(timeout=timeout)

    def send(self, command: str) -> None:
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def dead(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False
