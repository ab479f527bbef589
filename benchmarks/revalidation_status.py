"""Revalidation status benchmark (issue 19).

Makes a database with 1,000 registered staff spread over every register (NMC, GPhC, HCPC, GMC,
Social Work England) with renewal dates across the next three years, 10 CPD entries and 8 pieces
of evidence each (inserted in bulk: the point is reading, not building), then measures as the
median of repeated runs:

    the rules alone: 1,000 cycles, tallies and statuses worked out from facts in memory
    the service: RevalidationService.statuses() for an administrator (two queries + the rules)

Target: the rules for 1,000 people in <= 100 ms (median); the service figure is printed beside it.

    PYTHONPATH=src .venv/bin/python benchmarks/revalidation_status.py [--repeats 9] [--database PATH]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from arrs_desk.clock import FixedClock

TODAY = date(2026, 12, 4)
PEOPLE = 1000
TARGET_MS = 100.0
REGISTERS = (("GPN", "NMC"), ("NA", "NMC"), ("CPH", "GPHC-PHARMACIST"), ("PTECH", "GPHC-TECHNICIAN"),
             ("PARA", "HCPC-PA"), ("FCPP", "HCPC-PH"), ("OT", "HCPC-OT"), ("DIET", "HCPC-DT"), ("POD", "HCPC-CH"),
             ("PA", "GMC-PA"), ("GP", "GMC-DOCTOR"), ("MHP", "SWE"))
EVIDENCE = ("feedback", "reflective-account", "discussion", "declaration", "practice-hours", "quality-improvement",
            "patient-feedback", "colleague-feedback")


def build(path: Path):
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
        for n in range(PEOPLE):
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
            for n in range(PEOPLE) for _ in range(10)])
        session.execute(insert(RevalidationEvidence), [
            dict(**stamp, staff_id=n + 1, kind=rng.choice(EVIDENCE), occurred_on=TODAY - timedelta(days=rng.randint(0, 1000)),
                 title="Evidence", details="", hours=rng.choice((0.0, 150.0)), partner_name="", partner_registration="",
                 recorded_by_name="bench", verified_by_name="")
            for n in range(PEOPLE) for _ in range(8)])
    return ws


def median_ms(fn, repeats: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--database", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.database or Path(folder) / "bench.sqlite"
        started = time.perf_counter()
        ws = build(path)
        print(f"  {PEOPLE} people, {PEOPLE * 10} CPD entries, {PEOPLE * 8} evidence rows in "
              f"{time.perf_counter() - started:.1f} s")

        from sqlalchemy import select

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

        def rules_only():
            return [judge(rules, register, renewal, cpd.get(sid, ()), evidence.get(sid, ()), TODAY)
                    for sid, register, renewal in people]

        rules_ms, verdicts = median_ms(rules_only, args.repeats)
        service_ms, rows = median_ms(lambda: ws.revalidation.statuses(SYSTEM), args.repeats)
        counts: dict[str, int] = {}
        for v in verdicts:
            counts[v.status.value] = counts.get(v.status.value, 0) + 1
        print(f"  statuses: {dict(sorted(counts.items()))}")
        print(f"rules for {len(verdicts)} people: median {rules_ms:.1f} ms (target <= {TARGET_MS:.0f} ms)")
        print(f"service statuses() for {len(rows)} people, with its queries: median {service_ms:.1f} ms")
        ws.close()
    return 0 if rules_ms <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
