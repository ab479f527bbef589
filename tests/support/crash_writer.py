"""The process the crash-safety test kills: it saves staff records through the services, forever.

    python -m tests.support.crash_writer DATABASE

Importing the database layer takes longer than most of the moments worth killing it at, so
this runs as a fork server: it imports everything once, then on each `go SEED` line from stdin
forks a writer. The writer prints `start PID`, opens the database as the app does (then prints
`opened`), and loops:
add a person (every tenth one a new starter, whose induction checklist is written in the same
transaction) and now and then edit an earlier one. After each commit returns it prints
`id ID` or `version ID VERSION` with a single unbuffered write, so a printed line means a
committed change. Anything unexpected prints `error ...`. `ping` is answered with `pong`, after
everything a dead writer printed. Writers are reaped by the kernel (SIGCHLD ignored).
"""

from __future__ import annotations

import os
import random
import signal
import sys
import traceback
from datetime import date


def _say(line: str) -> None:
    os.write(1, (line + "\n").encode())


def write_forever(database: str, seed: int) -> None:
    from arrs_desk.services.actor import SYSTEM
    from arrs_desk.services.staff import StaffInput
    from arrs_desk.services.workspace import Workspace

    rng = random.Random(seed)
    _say(f"start {os.getpid()}")
    from arrs_desk.clock import FixedClock, parse_instant

    ws = Workspace.open(database, FixedClock(parse_instant(os.environ.get("ARRS_TEST_TODAY") or "2026-11-24")))
    practices = [c.value for c in ws.staff.form_choices(SYSTEM).practices]
    _say("opened")
    mine: list[int] = []
    n = 0
    while True:
        n += 1
        if mine and rng.random() < 0.3:
            staff_id = rng.choice(mine)
            record = ws.staff.get(SYSTEM, staff_id=staff_id)
            record.data.hours_per_week = rng.choice([15.0, 22.5, 30.0, 37.5])
            record.data.preferred_name = f"Edit {n}"
            saved = ws.staff.update(SYSTEM, staff_id=staff_id, data=record.data, expected_version=record.version)
            _say(f"version {staff_id} {saved.version}")
            continue
        practice = rng.choice(practices)
        starter = rng.random() < 0.1
        record = ws.staff.create(SYSTEM, data=StaffInput(
            given_name=f"Writer{seed}", family_name=f"Person{n}", role_code="SPLW", employer_id=practice,
            employment_model="practice", start_date=date(2026, 12, 1) if starter else date(2024, 4, 1),
            practice_ids=[practice], email=f"w{seed}.p{n}@nhs.net",
            status="pre_start" if starter else "active",
        ))
        mine.append(record.id)
        _say(f"id {record.id}")


def serve(database: str) -> None:
    import arrs_desk.services.workspace  # noqa: F401  (the slow imports, once, before any fork)
    import arrs_desk.services.staff  # noqa: F401

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    _say("ready")
    for line in sys.stdin:
        command, _, arg = line.strip().partition(" ")
        if command == "ping":
            _say("pong")
        elif command == "go":
            sys.stdout.flush()
            if os.fork() == 0:
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                try:
                    write_forever(database, int(arg))
                except BaseException:  # noqa: BLE001  (anything but a kill is a failure to report)
                    _say("error " + traceback.format_exc().replace("\n", " | "))
                os._exit(1)


if __name__ == "__main__":
    serve(sys.argv[1])
