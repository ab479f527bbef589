"""Each page's read worked out afresh, for the people who use ARRS Desk, not only its administrator.

`pages.py` measures every page as the sole user of the whole PCN sees it: the most a read can
cost, and the figure issue 18's targets are held to. Most people who sign in see far fewer: a
line manager their team, a supervisor their supervisees, a starter their own record. This prints,
per size, the median of fresh reads (the figures shared between pages forgotten before each, as
after a save) for an administrator, the line manager of the demo's smallest team, a supervisor and
a starter, with how many people each may see, so that what most users wait for shows beside the
administrator's figure. Reads someone may not make are marked "-".

    PYTHONPATH=src .venv/bin/python benchmarks/by_role.py [--sizes 1000,5000,10000] [--repeats 5]
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

READS = ("Home", "Assurance", "Supervision matrix", "Reviews", "Training", "Induction overview", "Programmes",
         "Revalidation", "Check-ins")


def actors(ws, today: date) -> dict[str, object]:
    """Who is measured: the whole PCN's administrator, the line manager of the smallest team, a
    supervisor with supervisees, and a starter who sees only their own record."""
    from sqlalchemy import func, select

    from arrs_desk.services.actor import Actor
    from arrs_desk.store.models import Staff, SupervisionArrangement

    with ws.db.read() as session:
        teams = session.execute(select(Staff.line_manager_id, func.count()).where(Staff.line_manager_id.is_not(None))
                                .group_by(Staff.line_manager_id).order_by(func.count(), Staff.line_manager_id)).all()
        supervisor = session.execute(select(SupervisionArrangement.supervisor_staff_id)
                                     .where(SupervisionArrangement.supervisor_staff_id.is_not(None))
                                     .group_by(SupervisionArrangement.supervisor_staff_id)
                                     .order_by(func.count(), SupervisionArrangement.supervisor_staff_id)).scalars().first()
        starter = session.execute(select(Staff.id).where(Staff.start_date <= today, Staff.end_date.is_(None))
                                  .order_by(Staff.start_date.desc(), Staff.id)).scalars().first()
    return {
        "administrator": Actor(1, "bench", "Benchmark User", frozenset({"administrator"}), None, sole_user=True),
        "line manager": Actor(90001, "bench.manager", "Line Manager", frozenset({"line_manager"}), teams[0][0]),
        "supervisor": Actor(90002, "bench.supervisor", "Supervisor", frozenset({"supervisor"}), supervisor),
        "starter": Actor(90003, "bench.starter", "Starter", frozenset({"staff"}), starter),
    }


def reads(ws, actor) -> dict[str, object]:
    from pages import pages

    every = pages(ws, actor)
    return {name: every[name] for name in READS}


def main() -> int:
    from pages import TODAY, cached_database

    from arrs_desk.clock import FixedClock
    from arrs_desk.errors import PermissionDenied
    from arrs_desk.services.relationships import visible_staff_ids
    from arrs_desk.services.shared_reads import shared_reads
    from arrs_desk.services.workspace import Workspace

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000,10000")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    for size in (int(s) for s in args.sizes.split(",")):
        ws = Workspace.open(cached_database(size), FixedClock.on(TODAY))
        who = actors(ws, TODAY)
        kept = shared_reads(ws.db)
        table: dict[tuple[str, str], float | None] = {}
        seen = {}
        gc.disable()  # as the app reads: collection runs on the GUI thread between events
        try:
            for label, actor in who.items():
                with ws.db.read() as session:
                    visible = visible_staff_ids(session, actor, TODAY)
                seen[label] = "everyone" if visible is None else f"{len(visible):,}"
                for name, read in reads(ws, actor).items():
                    times = []
                    try:
                        ws.read_at_once(lambda _ws: read())  # warm: SQLite's pages, compiled statements
                        for _ in range(args.repeats):
                            kept.clear()
                            started = time.perf_counter()
                            ws.read_at_once(lambda _ws: read())
                            times.append((time.perf_counter() - started) * 1000)
                    except PermissionDenied:
                        times = []
                    table[(label, name)] = statistics.median(times) if times else None
                    gc.collect()
        finally:
            gc.enable()
            ws.close()
        print(f"\n{size:,} ARRS staff: medians of {args.repeats} fresh reads, ms (people each may see in brackets)")
        print("| page | " + " | ".join(f"{label} ({seen[label]})" for label in who) + " |")
        print("|---" * (len(who) + 1) + "|")
        for name in READS:
            cells = [table[(label, name)] for label in who]
            print(f"| {name} | " + " | ".join("-" if c is None else f"{c:.0f}" for c in cells) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
