"""Staff import benchmark (issue 8): a 5,000-row CSV, as an HR export would give, into the demo PCN.

Times what the person waits for after choosing Import: reading the file, checking every row by
the staff editor's rules (duplicates against the database and within the file included), and
writing all of them in one transaction with their practices, starter checklists and audit
entries. Each repeat imports into a fresh copy of the same database. Prints the median.
Target: median <= 5 s.

    .venv/bin/python benchmarks/import_staff.py [--rows 5000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

TARGET_S = 5.0
TODAY = date(2026, 11, 24)
ROLES = [("Social prescribing link worker", "", ""), ("Care coordinator", "", ""),
         ("Health and wellbeing coach", "", ""), ("Paramedic", "HCPC", "PA{:06d}"),
         ("Clinical pharmacist", "", "2{:06d}"), ("First contact physiotherapist", "", "PH{:06d}"),
         ("Pharmacy technician", "GPhC", "5{:06d}")]


def write_file(path: Path, rows: int, practices: list[tuple[str, str]]) -> None:
    rng = random.Random(8)
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["Employee number", "Surname", "Forename", "E-mail address", "Job title", "Employing organisation",
                      "Base site", "Date started", "Contracted hours", "Pay band", "Regulator",
                      "Registration number", "Status"])
        for i in range(rows):
            title, regulator, number = rng.choice(ROLES)
            employer, practice = rng.choice(practices)
            started = date(2019, 4, 1) + timedelta(days=rng.randrange(2500))
            sites = practice if rng.random() < 0.8 else f"{practice}; {rng.choice(practices)[0]}"
            out.writerow([
                f"E{i:06d}", f"Surname{i}", f"Forename{i}", f"forename{i}.surname{i}@nhs.net", title, employer, sites,
                started.strftime("%d/%m/%Y") if i % 2 else started.isoformat(), rng.choice(["37.5", "30", "22.5"]),
                f"Band {rng.choice(['4', '5', '6', '7', '8a'])}", regulator, number.format(100000 + i) if number else "",
                "In induction" if rng.random() < 0.02 else "Active",
            ])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="arrs-bench-") as tmp:
        folder = Path(tmp)
        os.environ["ARRS_DESK_HOME"] = tmp
        from arrs_desk.services.actor import SYSTEM
        from arrs_desk.services.demo import build_demo
        from arrs_desk.services.workspace import Workspace

        base = folder / "base.sqlite3"
        ws = Workspace.open(base, today=lambda: TODAY)
        build_demo(ws, with_accounts=False)
        orgs = ws.organisations.list(SYSTEM)
        ws.close()
        practices = [(o.ods_code, o.name) for o in orgs if o.kind == "practice"]
        source = folder / "hr-export.csv"
        write_file(source, args.rows, practices)
        print(f"{args.rows:,} rows, {source.stat().st_size / 1e6:.1f} MB CSV, into a PCN of {len(practices)} practices")

        timings = []
        for run in range(args.repeats):
            target = folder / f"run{run}.sqlite3"
            shutil.copyfile(base, target)
            ws = Workspace.open(target, today=lambda: TODAY)
            started = time.perf_counter()
            table = ws.staff_import.read(source)
            read = time.perf_counter()
            from arrs_desk.services.staff_import import ImportOptions

            result = ws.staff_import.import_rows(SYSTEM, table, ImportOptions(mapping=table.guess_mapping()))
            done = time.perf_counter()
            ws.close()
            assert result.created == args.rows, result
            timings.append(done - started)
            print(f"run {run + 1}: {done - started:.2f} s (reading {read - started:.2f} s, checking and writing "
                  f"{done - read:.2f} s)")
    median = statistics.median(timings)
    verdict = "meets" if median <= TARGET_S else "MISSES"
    print(f"staff import of {args.rows:,} rows: median {median:.2f} s (target <= {TARGET_S:.0f} s): {verdict} the target")
    return 0 if median <= TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
