"""Revalidation status benchmark (issue 19).

For each size (250, 500, 1,000 and 2,000 registered staff, spread over every register: NMC, GPhC,
HCPC, GMC, Social Work England, with renewal dates across the next three years, 10 CPD entries
and 8 pieces of evidence each, inserted in bulk: the point is reading, not building) it measures,
as the median of repeated runs:

    baseline: the staff list (`StaffService.list_rows`), a page everyone already waits for
    rules one by one: each person judged alone (`records.judge`: regulator, cycle, tally, status)
    rules, one judge: everyone judged by one `domain.revalidation.Judge` for the day
    service: `RevalidationService.statuses()` for an administrator (two queries + the rules)
    assurance: `AssuranceService.matrix()`, whose registration check reads the same statuses

and prints each beside the baseline of the same run. Python's garbage collector runs as in the
app (switched off, and run between repeats as `ui.garbage` runs it between events), so no
collection of the whole heap is counted inside one read; `--gc auto` measures with automatic
collection instead, the worst case of a run that allocates across a collection threshold.

Target: the service for 1,000 people in <= 100 ms (median).

    PYTHONPATH=src .venv/bin/python benchmarks/revalidation_status.py [--repeats 9] [--sizes 250,500,1000,2000]
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from arrs_desk.clock import FixedClock

TODAY = date(2026, 12, 4)
TARGET_MS = 100.0
REGISTERS = (("GPN", "NMC"), ("NA", "NMC"), ("CPH", "GPHC-PHARMACIST"), ("PTECH", "GPHC-TECHNICIAN"),
             ("PARA", "HCPC-PA"), ("FCPP", "HCPC-PH"), ("OT", "HCPC-OT"), ("DIET", "HCPC-DT"), ("POD", "HCPC-CH"),
             ("PA", "GMC-PA"), ("GP", "GMC-DOCTOR"), ("MHP", "SWE"))
EVIDENCE = ("feedback", "reflective-account", "discussion", "declaration", "practice-hours", "quality-improvement",
            "patient-feedback", "colleague-feedback")


def build(path: Path, people: int):
    from sqlalchemy import insert

    from arrs_desk.services.workspace import Workspace
    from arrs_desk.store.models import CpdEntry, Organisation, RevalidationEvidence, Staff, utcnow

    ws = Workspace.open(path, FixedClock.on(TODAY))
    rng = random.Random(19)
    stamp = {"created_at": utcnow(), "updated_at": utcnow(), "version": 1}
    with ws.db.write() as session:
        org = Organisation(kind="practice", name="Bench Surgery", ods_code="B99999")
        session.add(org)
        session.flush()
        staff = []
        for n in range(people):
            role, register = REGISTERS[n % len(REGISTERS)]
            staff.append(dict(id=n + 1, **stamp, given_name=f"Person{n}", family_name="Bench", role_code=role,
                              employer_id=org.id, employment_model="practice", start_date=date(2022, 1, 1),
                              register_code=register, registration_number="X",
                              registration_renewal=TODAY + timedelta(days=rng.randint(-20, 3 * 365)),
                              status="active"))
        session.execute(insert(Staff), staff)
        session.execute(insert(CpdEntry), [
            dict(**stamp, staff_id=n + 1, occurred_on=TODAY - timedelta(days=rng.randint(0, 1000)), title="Update",
                 provider="", method="course", hours=rng.choice((1.0, 2.5, 6.0)), participatory=rng.random() < .6,
                 planned=rng.random() < .5, reflection="", source_kind="", recorded_by_name="bench",
                 verified_by_name="")
            for n in range(people) for _ in range(10)])
        session.execute(insert(RevalidationEvidence), [
            dict(**stamp, staff_id=n + 1, kind=rng.choice(EVIDENCE), occurred_on=TODAY - timedelta(days=rng.randint(0, 1000)),
                 title="Evidence", details="", hours=rng.choice((0.0, 150.0)), partner_name="", partner_registration="",
                 recorded_by_name="bench", verified_by_name="")
            for n in range(people) for _ in range(8)])
    return ws


def median_ms(fn, repeats: int, collect: bool) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        if collect:
            gc.collect()  # between reads, as the app collects between events
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def measure(ws, repeats: int, collect: bool) -> dict[str, float]:
    from sqlalchemy import select

    from arrs_desk.domain.revalidation import Judge
    from arrs_desk.services.actor import SYSTEM
    from arrs_desk.services.revalidation.records import cpd_fact, evidence_fact, judge
    from arrs_desk.store.models import CpdEntry, RevalidationEvidence, Staff

    rules = ws.revalidation.rules
    with ws.db.read() as session:
        people = [(p.id, p.register_code, p.registration_renewal) for p in session.execute(select(Staff)).scalars()]
        cpd, evidence = {}, {}
        for e in session.execute(select(CpdEntry)).scalars():
            cpd.setdefault(e.staff_id, []).append(cpd_fact(e))
        for e in session.execute(select(RevalidationEvidence)).scalars():
            evidence.setdefault(e.staff_id, []).append(evidence_fact(e))

    def one_by_one():
        return [judge(rules, register, renewal, cpd.get(sid, ()), evidence.get(sid, ()), TODAY)
                for sid, register, renewal in people]

    def one_judge():
        judge_all = Judge(rules, TODAY)
        return [judge_all(register, renewal, cpd.get(sid, ()), evidence.get(sid, ())) for sid, register, renewal in people]

    ws.revalidation.statuses(SYSTEM)  # warm the statement caches
    ws.assurance.matrix(SYSTEM)
    figures = {"baseline": median_ms(lambda: ws.staff.list_rows(SYSTEM), repeats, collect)[0]}
    figures["one by one"], slow = median_ms(one_by_one, repeats, collect)
    figures["one judge"], fast = median_ms(one_judge, repeats, collect)
    if slow != fast:
        raise SystemExit("one judge for everyone gave other statuses than judging one by one")
    figures["service"], rows = median_ms(lambda: ws.revalidation.statuses(SYSTEM), repeats, collect)
    figures["assurance"] = median_ms(lambda: ws.assurance.matrix(SYSTEM), repeats, collect)[0]
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    figures["statuses"] = dict(sorted(counts.items()))  # type: ignore[assignment]
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--sizes", default="250,500,1000,2000")
    parser.add_argument("--gc", choices=("app", "auto"), default="app",
                        help="app: collection between reads, as the app; auto: Python's automatic collection")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    collect = args.gc == "app"
    if collect:
        gc.disable()
    print(f"Revalidation statuses, medians of {args.repeats} runs, 10 CPD entries and 8 pieces of evidence per "
          f"person, garbage collection: {args.gc}")
    print(f"{'people':>6} {'baseline':>9} {'1 by 1':>8} {'1 judge':>8} {'service':>8} {'x base':>7} "
          f"{'assurance':>9} {'x base':>7}")
    service_at_1000 = None
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            ws = build(Path(folder) / f"revalidation-{size}.sqlite3", size)
            f = measure(ws, args.repeats, collect)
            ws.close()
            base = f["baseline"]
            print(f"{size:>6} {base:>7.1f}ms {f['one by one']:>6.1f}ms {f['one judge']:>6.1f}ms "
                  f"{f['service']:>6.1f}ms {f['service'] / base:>6.2f}x {f['assurance']:>7.1f}ms "
                  f"{f['assurance'] / base:>6.2f}x   {f['statuses']}")
            if size == 1000:
                service_at_1000 = f["service"]
    if service_at_1000 is None:
        return 0
    verdict = "met" if service_at_1000 <= TARGET_MS else "MISSED"
    print(f"Target: statuses of 1,000 people <= {TARGET_MS:.0f} ms: {service_at_1000:.1f} ms, {verdict}")
    return 0 if service_at_1000 <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
