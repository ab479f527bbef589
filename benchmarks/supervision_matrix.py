"""Supervision matrix benchmark (issue 5).

Builds a PCN of 1,000 ARRS staff (the demo builder, so arrangements and recent sessions are
realistic), then adds ten years of history in bulk so every person has an arrangement of six
supervision types and the log holds about 100,000 sessions. It then measures, as the median of
repeated runs, what a manager waits for when opening the Supervision page:

    service call (matrix for everyone) + model reset + view shown and painted offscreen

Target: median <= 300 ms. Also printed: the SQL aggregate alone, and the service and view parts.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/supervision_matrix.py [--repeats 7]
        [--database PATH]   reuse (or keep) the generated database instead of a temporary one
"""

from __future__ import annotations

from arrs_desk.clock import FixedClock
import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TODAY = date(2026, 11, 24)
YEARS = 10
TARGET_SESSIONS = 100_000
TYPES = ("clinical", "professional", "line-management", "peer-group", "safeguarding", "educational")
TARGET_MS = 300.0


def build_database(path: Path) -> None:
    from sqlalchemy import func, insert, select

    from arrs_desk.demo.pcn import build_demo
    from arrs_desk.services.workspace import Workspace
    from arrs_desk.store.models import (
        Role, Staff, SupervisionArrangement, SupervisionAttendance, SupervisionSession, utcnow,
    )

    started = time.perf_counter()
    ws = Workspace.open(path, FixedClock.on(TODAY))
    build_demo(ws, arrs_staff=1000, with_accounts=False)
    print(f"  demo PCN built through the services in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    rng = random.Random(5)
    with ws.db.write() as session:
        arrs_roles = set(session.execute(select(Role.code).where(Role.arrs)).scalars())
        people = [(sid, start, role) for sid, start, role in session.execute(
            select(Staff.id, Staff.start_date, Staff.role_code).where(Staff.status != "left"))]
        arrs_people = [p for p in people if p[2] in arrs_roles]
        supervisors = [sid for sid, _s, role in people if role in ("GPP", "SGP", "PCNM", "PM")]
        have = set(session.execute(select(SupervisionArrangement.staff_id, SupervisionArrangement.type_code)).all())
        existing = session.execute(select(func.count()).select_from(SupervisionSession)).scalar()
        now = utcnow()
        first_day = TODAY - timedelta(days=365 * YEARS)
        arrangements, pairs = [], []
        for sid, start, _role in arrs_people:
            begin = max(start, first_day)
            for type_code in TYPES:
                pairs.append((sid, type_code, begin))
                if (sid, type_code) not in have:
                    arrangements.append(dict(
                        staff_id=sid, type_code=type_code, supervisor_staff_id=rng.choice(supervisors),
                        frequency_code="", start_date=begin, notes="", agreement_sha256="", agreement_filename="",
                        agreement_media_type="", agreement_added_by_name="", created_by_name="Benchmark",
                        created_at=now, updated_at=now, version=1))
        if arrangements:
            session.execute(insert(SupervisionArrangement), arrangements)
        # History: about the same number of sessions for every (person, type), spread evenly over
        # the person's time in post, ending in the last few months so statuses stay mixed.
        spans = [(sid, type_code, begin, (TODAY - timedelta(days=rng.randint(5, 120)) - begin).days)
                 for sid, type_code, begin in pairs]
        spans = [p for p in spans if p[3] >= 30]  # people who started in the last month have no history
        per_pair = max(1, -(-(TARGET_SESSIONS - existing) // len(spans)))
        sessions, attendances = [], []
        next_id = (session.execute(select(func.max(SupervisionSession.id))).scalar() or 0) + 1
        for sid, type_code, begin, span in spans:
            count = min(per_pair + rng.randint(-3, 3), span)
            for k in range(count):
                day = begin + timedelta(days=span * k // count)
                sessions.append(dict(
                    id=next_id, type_code=type_code, held_on=day, supervisor_staff_id=rng.choice(supervisors),
                    supervisor_name="Benchmark supervisor", duration_minutes=60, format="one-to-one", topics="",
                    actions_agreed="", logged_by_name="Benchmark", logged_at=now, signed_by_name="",
                    created_at=now, updated_at=now, version=1))
                attendances.append(dict(
                    session_id=next_id, staff_id=sid, type_code=type_code, held_on=day, reflective_notes="",
                    signed_by_name="", created_at=now, updated_at=now, version=1))
                next_id += 1
        for chunk in range(0, len(sessions), 20_000):
            session.execute(insert(SupervisionSession), sessions[chunk:chunk + 20_000])
            session.execute(insert(SupervisionAttendance), attendances[chunk:chunk + 20_000])
    with ws.db.write() as session:
        session.connection().exec_driver_sql("ANALYZE")  # as a long-used database would have statistics
    ws.close()
    print(f"  {len(arrangements):,} arrangements and {len(sessions):,} sessions added in bulk in "
          f"{time.perf_counter() - started:.1f} s")


def measure(path: Path, repeats: int) -> int:
    from PySide6.QtWidgets import QApplication
    from sqlalchemy import func, select

    from arrs_desk.services.actor import SYSTEM
    from arrs_desk.services.supervision import latest_sessions_query
    from arrs_desk.services.workspace import Workspace
    from arrs_desk.store.models import Staff, SupervisionArrangement, SupervisionAttendance, SupervisionSession
    from arrs_desk.ui.supervision.supervision_page import SupervisionPage

    app = QApplication.instance() or QApplication(sys.argv[:1])
    ws = Workspace.open(path, FixedClock.on(TODAY))
    with ws.db.read() as session:
        counts = {
            "staff": session.execute(select(func.count()).select_from(Staff)).scalar(),
            "arrangements": session.execute(select(func.count()).select_from(SupervisionArrangement)).scalar(),
            "sessions": session.execute(select(func.count()).select_from(SupervisionSession)).scalar(),
            "attendances": session.execute(select(func.count()).select_from(SupervisionAttendance)).scalar(),
        }
        plan = session.connection().exec_driver_sql(
            "EXPLAIN QUERY PLAN " + str(latest_sessions_query(TODAY).compile(compile_kwargs={"literal_binds": True}))
        ).fetchall()
    print(f"Database: {counts['staff']:,} staff, {counts['arrangements']:,} arrangements, "
          f"{counts['sessions']:,} sessions ({counts['attendances']:,} attendances)")
    print("Latest-session query plan: " + "; ".join(str(row[-1]) for row in plan))

    sql_times, service_times, view_times, totals = [], [], [], []
    page = None
    matrix = None
    for repeat in range(repeats + 1):  # the first run warms caches and imports, and is not counted
        with ws.db.read() as session:
            t0 = time.perf_counter()
            session.execute(latest_sessions_query(TODAY)).all()
            sql_ms = (time.perf_counter() - t0) * 1000
        page = SupervisionPage()
        page.set_context(ws, SYSTEM)
        page.resize(1280, 800)
        t0 = time.perf_counter()
        matrix = ws.supervision.matrix(SYSTEM)
        t1 = time.perf_counter()
        page.set_matrix(matrix)
        page.show()
        app.processEvents()
        page.table.viewport().repaint()
        t2 = time.perf_counter()
        if repeat:
            sql_times.append(sql_ms)
            service_times.append((t1 - t0) * 1000)
            view_times.append((t2 - t1) * 1000)
            totals.append((t2 - t0) * 1000)
        page.close()
        page.deleteLater()
        app.processEvents()
    cells = sum(len(r.cells) for r in matrix.rows)
    print(f"Matrix: {len(matrix.rows):,} people x {len(matrix.types)} types = {cells:,} cells")

    def line(name: str, values: list[float]) -> str:
        return (f"  {name:<34} median {statistics.median(values):7.1f} ms   "
                f"min {min(values):7.1f}   max {max(values):7.1f}")

    print(f"Over {repeats} repeats:")
    print(line("latest-session SQL aggregate", sql_times))
    print(line("service call (matrix)", service_times))
    print(line("model reset + view shown", view_times))
    print(line("total", totals))
    median = statistics.median(totals)
    verdict = "PASS" if median <= TARGET_MS else "FAIL"
    print(f"{verdict}: median {median:.1f} ms against a target of {TARGET_MS:.0f} ms")
    ws.close()
    return 0 if median <= TARGET_MS else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--database", type=Path, help="reuse or keep the generated database at this path")
    args = parser.parse_args()
    if args.repeats < 5:
        parser.error("use at least 5 repeats")
    with tempfile.TemporaryDirectory() as folder:
        path = args.database or Path(folder) / "supervision-bench.sqlite3"
        if not path.exists():
            print(f"Building the benchmark database ({path})…")
            build_database(path)
        return measure(path, args.repeats)


if __name__ == "__main__":
    raise SystemExit(main())
