"""How long a refused sign-in takes, for a real account and for a name that does not exist.

Issue 16: a wrong password for a real account took 230-350 ms (argon2) and an unknown name
1-5 ms, so timing told anyone which usernames exist. Both now run one argon2 verification.
Prints the median and spread of each, on a fresh SQLite database (or --database URL, e.g. a
throwaway PostgreSQL). Each name is reset after every attempt so that no lock-out cuts in.

    PYTHONPATH=src .venv/bin/python benchmarks/sign_in_timing.py [--runs 15] [--database URL]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import update

from arrs_desk.services.accounts import SignInFailed
from arrs_desk.services.workspace import Workspace
from arrs_desk.store.models import SignInThrottle, UserAccount

PASSWORD = "correct horse battery staple"


def attempt(workspace: Workspace, name: str, password: str) -> float:
    started = time.perf_counter()
    try:
        workspace.accounts.sign_in(username=name, password=password, record_sign_in=False)
    except SignInFailed:
        pass
    elapsed = time.perf_counter() - started
    with workspace.db.write() as session:  # no lock-out between measurements
        session.execute(update(UserAccount).values(failed_attempts=0, locked_until=None))
        session.execute(update(SignInThrottle).values(failed_attempts=0, locked_until=None))
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--database", help="an empty database URL (default: a new SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="arrs-sign-in-bench-") as scratch:
        workspace = Workspace.open(args.database or str(Path(scratch) / "bench.sqlite3"))
        try:
            workspace.accounts.create_first_administrator(username="admin.one", display_name="Adaeze Admin",
                                                          password=PASSWORD)
            cases = (("real account, wrong password", "admin.one", "wrong password!"),
                     ("unknown name", "nobody.here", "wrong password!"),
                     ("real account, right password", "admin.one", PASSWORD))
            attempt(workspace, "warm.up", "x")  # the decoy hash is made once per process
            results = {label: [] for label, _, _ in cases}
            for _ in range(args.runs):  # interleaved, so drift in the machine's load hits all alike
                for label, name, password in cases:
                    results[label].append(attempt(workspace, name, password))
        finally:
            workspace.close()
    print(f"Sign-in timing, {args.runs} runs each (milliseconds)")
    for label, times in results.items():
        ms = sorted(t * 1000 for t in times)
        print(f"  {label:<30} median {statistics.median(ms):7.1f}   min {ms[0]:7.1f}   max {ms[-1]:7.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
