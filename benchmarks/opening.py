"""Opening benchmark (issue 18, item 5): from process start to a window where changes can be made.

Whole-process medians of repeated runs, beside a bare PySide6 window measured in the same run:
  - main window shown,
  - database open and editable (what used to wait for `PRAGMA quick_check` and the daily backup),
  - settled: the background check and backup finished too.
`--first-of-day` removes the automatic backups before each run, so every run is the day's first
open and makes the daily copy (the slow case); `--drop-caches` empties the OS page cache first,
where that is permitted (a cold start). Compare code versions with PYTHONPATH.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/opening.py --database X [--runs 5] [--first-of-day]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from startup import as_installed  # noqa: E402


def run_child(script: str, args: list[str], env: dict) -> dict[str, float]:
    start = time.time()
    out = subprocess.run([sys.executable, str(HERE / script), *args], capture_output=True, text=True, env=env,
                         timeout=900, check=True).stdout
    marks = {}
    for line in out.splitlines():
        name, _, stamp = line.partition(" ")
        if name in ("shown", "editable", "settled"):
            marks[name] = float(stamp) - start
    return marks


def forget_daily_backups(database: Path) -> None:
    for copy in (database.parent / "backups").glob(f"{database.stem}-auto-*"):
        copy.unlink()


def drop_caches() -> bool:
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
    except OSError:
        return False
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--first-of-day", action="store_true")
    parser.add_argument("--drop-caches", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    env = as_installed()  # as an installed app starts: from compiled bytecode
    database = args.database.resolve()
    run_child("_startup_child.py", ["bare"], env)  # warm-up: .pyc files written, the file in the OS cache
    run_child("_opening_child.py", [str(database)], env)
    bare, shown, editable, settled = [], [], [], []
    cold = False
    for _ in range(args.runs):
        bare.append(run_child("_startup_child.py", ["bare"], env)["shown"])
        if args.first_of_day:
            forget_daily_backups(database)
        if args.drop_caches:
            cold = drop_caches()
        marks = run_child("_opening_child.py", [str(database)], env)
        shown.append(marks["shown"])
        editable.append(marks["editable"])
        settled.append(marks["settled"])
    b, s, e, t = (statistics.median(x) for x in (bare, shown, editable, settled))
    size = database.stat().st_size / 1e6
    print(f"{database.name} ({size:,.0f} MB), {args.runs} runs of each, whole process, medians"
          f"{', first open of the day' if args.first_of_day else ''}{', cold cache' if cold else ''}")
    print(f"Bare PySide6 window shown:     {b * 1000:7.0f} ms")
    print(f"ARRS Desk main window shown:   {s * 1000:7.0f} ms  = {s / b:.2f}x bare")
    print(f"Database open and editable:    {e * 1000:7.0f} ms  = {e / b:.2f}x bare")
    print(f"Background check and backup:   {t * 1000:7.0f} ms  = {t / b:.2f}x bare (done)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
