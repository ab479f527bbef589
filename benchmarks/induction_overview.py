"""Manager overview benchmark for induction checklists (issue 4).

Builds the demonstration PCN with 1,000 ARRS staff, gives every one of them a checklist from the
templates (about 56 items each) with believable progress, then times what a manager waits for
when the Induction page is refreshed: the overview and sign-off queries, the model reset and
re-sort, and the view painted, offscreen. Prints the median of the repeats.
Target: median <= 200 ms.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/induction_overview.py [--repeats 7] [--staff 1000]
"""

from __future__ import annotations

from arrs_desk.clock import FixedClock
import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

TARGET_MS = 200.0
TODAY = date(2026, 11, 24)


def build(folder: Path, staff: int):
    from sqlalchemy import func, select

    from arrs_desk.demo.pcn import build_demo
    from arrs_desk.demo.induction import add_progress, make_checklists
    from arrs_desk.services.workspace import Workspace
    from arrs_desk.store.models import InductionChecklist, InductionItem, Staff

    ws = Workspace.open(folder / "bench-induction.sqlite3", FixedClock.on(TODAY))
    started = time.perf_counter()
    build_demo(ws, arrs_staff=staff, with_accounts=False)
    with ws.db.read() as session:
        have = set(session.execute(select(InductionChecklist.staff_id)).scalars())
        everyone = list(session.execute(select(Staff.id)).scalars())
    fresh = [sid for sid in everyone if sid not in have]
    make_checklists(ws, fresh)
    add_progress(ws, seed=11, staff_ids=fresh)
    with ws.db.read() as session:
        people = session.execute(select(func.count(func.distinct(InductionItem.staff_id)))).scalar()
        items = session.execute(select(func.count()).select_from(InductionItem)).scalar()
    print(f"built {people} checklists, {items} items ({items / people:.1f} per person) "
          f"in {time.perf_counter() - started:.1f} s")
    return ws


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=7, help="timed refreshes (at least 5; default 7)")
    parser.add_argument("--staff", type=int, default=1000, help="ARRS staff in the demo PCN (default 1000)")
    args = parser.parse_args()
    repeats = max(args.repeats, 5)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    with tempfile.TemporaryDirectory(prefix="arrs-bench-") as tmp:
        os.environ["ARRS_DESK_HOME"] = tmp
        ws = build(Path(tmp), args.staff)

        from PySide6.QtWidgets import QApplication

        from arrs_desk.services.actor import SYSTEM, Actor
        from arrs_desk.ui.shell.app import make_application
        from arrs_desk.ui.induction.induction_pages import InductionPage

        app = make_application()
        page = InductionPage()
        page.set_context(ws, SYSTEM)
        page.resize(1280, 800)
        page.show()
        QApplication.processEvents()

        with ws.db.read() as session:
            from sqlalchemy import select

            from arrs_desk.store.models import Staff

            manager_id = session.execute(
                select(Staff.id).where(Staff.role_code == "PCNM")).scalars().first()
        manager = Actor(None, "bench.manager", "PCN manager", frozenset({"line_manager"}), manager_id)

        def refresh(actor) -> tuple[float, float, float, int]:
            t0 = time.perf_counter()
            rows = ws.induction.overview(actor)
            queue = ws.induction.awaiting_signoff(actor)
            t1 = time.perf_counter()
            page.actor = actor
            page.set_rows(rows, queue)
            t2 = time.perf_counter()
            page.repaint()
            QApplication.processEvents()
            t3 = time.perf_counter()
            return (t1 - t0) * 1000, (t2 - t1) * 1000, (t3 - t2) * 1000, page.proxy.rowCount()

        results = {}
        for label, actor in (("administrator (whole PCN)", SYSTEM), ("line manager (their team)", manager)):
            refresh(actor)  # warm-up: first paint, imports, SQLite page cache
            runs = [refresh(actor) for _ in range(repeats)]
            totals = [sum(r[:3]) for r in runs]
            results[label] = statistics.median(totals)
            print(f"{label}: {runs[0][3]} people shown; median of {repeats}: {statistics.median(totals):.1f} ms "
                  f"(queries {statistics.median(r[0] for r in runs):.1f} ms, model reset and sort "
                  f"{statistics.median(r[1] for r in runs):.1f} ms, paint {statistics.median(r[2] for r in runs):.1f} ms;"
                  f" min {min(totals):.1f}, max {max(totals):.1f})")
        page.close()
        ws.close()
        del app

    worst = max(results.values())
    verdict = "meets" if worst <= TARGET_MS else "MISSES"
    print(f"induction overview: median {worst:.1f} ms (target <= {TARGET_MS:.0f} ms): {verdict} the target")
    return 0 if worst <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
