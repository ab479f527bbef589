"""Appraisal pack benchmark (issue 7).

Builds the demonstration PCN scaled to 120 ARRS staff through the services (so every person has
induction, supervision sessions, programmes, probation reviews or appraisals with objectives and
development plans, an impact log and the audit trail all of that leaves), then measures, as the
median of repeated runs:

    one pack:   assembling the data from the services + building the PDF, for the person with
                the most recorded in the last twelve months            target <= 0.5 s
    100 packs:  the batch the "Appraisal packs…" button and `arrs-desk pack` run, one PDF each
                into a folder                                          target <= 30 s

    .venv/bin/python benchmarks/appraisal_pack.py [--repeats 7] [--batch-repeats 3]
        [--database PATH]   reuse (or keep) the generated database instead of a temporary one
        [--postgres [--delay-ms 10]]
                            on a throwaway PostgreSQL server (tests/support/postgres.py) read through
                            `latency_proxy.LatencyProxy`, 10 ms each way: a server across sites, 20 ms
                            round trips; the round trips the proxy saw are printed too
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from arrs_desk.clock import FixedClock

TODAY = date(2026, 11, 24)
ARRS_STAFF = 120
BATCH = 100
TARGET_ONE = 0.5
TARGET_BATCH = 30.0


def build_database(path: Path | str) -> None:
    from arrs_desk.demo.pcn import build_demo
    from arrs_desk.services.workspace import Workspace

    started = time.perf_counter()
    ws = Workspace.open(path, FixedClock.on(TODAY))
    if not ws.db.is_sqlite:
        ws.accounts.choose_single_user(display_name="Benchmark User")
    build_demo(ws, arrs_staff=ARRS_STAFF)
    print(f"  demo PCN with {ARRS_STAFF} ARRS staff built through the services in {time.perf_counter() - started:.1f} s")
    enrich(ws, everyone_actor())
    ws.close()


def enrich(ws, actor) -> None:
    """Give one person a full year: weekly clinical supervision, a measure every month and a few
    case studies, on top of their demo reviews. The single-pack figure is for them."""
    from datetime import timedelta

    from arrs_desk.services.reviews import ImpactInput
    from arrs_desk.services.supervision import SessionInput

    overview = ws.reviews.overview(actor)
    person = next(r for r in overview.due_rows if r.arrs and r.last_review == "Annual appraisal"
                  and (TODAY - r.start_date).days > 730)
    gp = next(r for r in ws.staff.list_rows(actor) if r.role_code in ("GPP", "SGP") and r.status != "left")
    held = {s.held_on for s in ws.supervision.person(actor, staff_id=person.staff_id).sessions}
    days = [TODAY - timedelta(days=7 * week + 2) for week in range(52)]
    ws.supervision.record_sessions(actor, items=[SessionInput(
        type_code="clinical", held_on=day, attendee_ids=[person.staff_id], supervisor_staff_id=gp.id,
        duration_minutes=60, format="one-to-one",
        topics=f"Case review week {n}: frail patients, falls risk and medication review; referrals to the community team.",
        actions_agreed="Follow up the two referrals and bring the audit results.") for n, day in enumerate(days)
        if day not in held])
    for month in range(12):
        ws.reviews.add_impact(actor, data=ImpactInput(
            staff_id=person.staff_id, kind="process-measure", title=f"Structured medication reviews, month {month + 1}",
            measure="Reviews completed", value=str(20 + month), occurred_on=TODAY - timedelta(days=30 * month + 1)))
    for n in range(3):
        ws.reviews.add_impact(actor, data=ImpactInput(
            staff_id=person.staff_id, kind="case-study", title=f"Case study {n + 1}",
            description="A frail woman on fourteen medicines had two falls. " * 12,
            occurred_on=TODAY - timedelta(days=90 * n + 10)))
    print(f"  added a full year for {person.display_name}: {len(days)} weekly sessions, 15 impact entries")


def everyone_actor():
    """Someone who may make every pack: the single-user mode owner, who looks after everyone."""
    from arrs_desk.domain.permissions import AccessRole
    from arrs_desk.services.actor import Actor

    roles = frozenset(r.value for r in AccessRole if r is not AccessRole.STAFF)
    return Actor(None, "benchmark", "Benchmark", roles, None, sole_user=True)


def richest(ws, actor, people) -> tuple[int, dict]:
    """The person with the most recorded in the period, and what that is."""
    best, best_score, best_counts = None, -1, {}
    for person in people:
        data = ws.appraisal_packs.pack_data(actor, staff_id=person.staff_id)
        counts = {
            "supervision sessions": len(data.supervision.sessions),
            "reviews": len(data.earlier_reviews) + (1 if data.current_review else 0),
            "objectives": len(data.previous_objectives) + len(data.current_objectives),
            "development plan items": len(data.previous_pdp) + len(data.current_pdp),
            "impact entries": len(data.impact),
            "programmes": len(data.programmes),
            "audit lines": len(data.audit),
        }
        score = sum(counts.values())
        if score > best_score:
            best, best_score, best_counts = person, score, counts
    return best, best_counts


def measure(path: Path | str, repeats: int, batch_repeats: int, trips=None) -> int:
    """`trips`: the latency proxy's round-trip count, for a server across the network."""
    from pypdf import PdfReader

    from arrs_desk.services.workspace import Workspace

    ws = Workspace.open(path, FixedClock.on(TODAY))
    actor = everyone_actor()
    people = ws.appraisal_packs.printable(actor)
    print(f"Database: {len(people)} people in post who can have a pack")
    person, counts = richest(ws, actor, people)  # the person enriched above
    print(f"One pack for {person.display_name} ({person.role_title}): "
          + ", ".join(f"{n} {what}" for what, n in counts.items()))

    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "one.pdf"
        before = trips() if trips else 0
        ws.appraisal_packs.save_pack(actor, staff_id=person.staff_id, path=target)  # warm-up: imports, fonts
        if trips:
            print(f"  one pack: {trips() - before} round trips to the server")
        assemble, total = [], []
        for _ in range(repeats):
            t0 = time.perf_counter()
            ws.appraisal_packs.pack_data(actor, staff_id=person.staff_id)
            t1 = time.perf_counter()
            ws.appraisal_packs.save_pack(actor, staff_id=person.staff_id, path=target)
            t2 = time.perf_counter()
            assemble.append(t1 - t0)
            total.append(t2 - t1)
        pages = len(PdfReader(str(target)).pages)

        ids = [p.staff_id for p in people][:BATCH]
        if len(ids) < BATCH:
            ids = (ids * (BATCH // len(ids) + 1))[:BATCH]  # a smaller PCN: the same people again
        batches = []
        for repeat in range(batch_repeats):
            out = Path(folder) / f"batch-{repeat}"
            before = trips() if trips else 0
            t0 = time.perf_counter()
            batch = ws.appraisal_packs.save_packs(actor, staff_ids=ids, folder=out)
            batches.append(time.perf_counter() - t0)
            if trips and repeat == 0:
                print(f"  {len(ids)} packs: {trips() - before} round trips to the server")
            if batch.failed:
                print(f"  {len(batch.failed)} packs failed: {batch.failed[:3]}")
        made = len(list((Path(folder) / "batch-0").glob("*.pdf")))
    ws.close()

    def line(name: str, values: list[float]) -> str:
        return (f"  {name:<36} median {statistics.median(values):7.3f} s   "
                f"min {min(values):7.3f}   max {max(values):7.3f}")

    print(f"Over {repeats} repeats (the pack has {pages} pages):")
    print(line("assembling the data (services)", assemble))
    print(line("one pack: assemble + build + save", total))
    print(f"Over {batch_repeats} repeats, {made} distinct PDFs per batch of {len(ids)}:")
    print(line(f"{len(ids)} packs (batch)", batches))
    one, many = statistics.median(total), statistics.median(batches)
    ok_one, ok_many = one <= TARGET_ONE, many <= TARGET_BATCH
    print(f"{'PASS' if ok_one else 'FAIL'}: one pack median {one:.3f} s against a target of {TARGET_ONE} s")
    print(f"{'PASS' if ok_many else 'FAIL'}: {len(ids)} packs median {many:.1f} s against a target of {TARGET_BATCH:.0f} s "
          f"({many / len(ids):.3f} s a pack)")
    return 0 if ok_one and ok_many else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--batch-repeats", type=int, default=3)
    parser.add_argument("--database", type=Path, help="reuse or keep the generated database at this path")
    parser.add_argument("--postgres", action="store_true", help="on a throwaway PostgreSQL server at a distance")
    parser.add_argument("--delay-ms", type=float, default=10, help="with --postgres: delay each way")
    args = parser.parse_args()
    if args.repeats < 3 or args.batch_repeats < 1:
        parser.error("use at least 3 repeats and 1 batch repeat")
    if args.postgres:
        return on_postgres(args)
    with tempfile.TemporaryDirectory() as folder:
        path = args.database or Path(folder) / "appraisal-bench.sqlite3"
        if not path.exists():
            print(f"Building the benchmark database ({path})…")
            build_database(path)
        return measure(path, args.repeats, args.batch_repeats)


def on_postgres(args) -> int:
    """Build on a throwaway server, then measure through a proxy adding `--delay-ms` each way."""
    import os

    here = Path(__file__).resolve().parent
    sys.path[:0] = [str(here), str(here.parent)]
    from latency_proxy import LatencyProxy

    from tests.support.postgres import ThrowawayPostgres

    with tempfile.TemporaryDirectory() as home:
        os.environ["ARRS_DESK_HOME"] = home
        server = ThrowawayPostgres(Path(home) / "pg")
        try:
            server.start()
            url = server.create_database("packs")
            print(f"Building the benchmark database on PostgreSQL ({ARRS_STAFF} ARRS staff)…")
            build_database(url)
            with LatencyProxy.in_front_of(url, args.delay_ms) as proxy:
                print(f"Reading through a proxy adding {args.delay_ms:g} ms each way ({2 * args.delay_ms:g} ms round trips)")
                return measure(proxy.url_for(url), args.repeats, args.batch_repeats, lambda: proxy.client_sends)
        finally:
            server.stop()


if __name__ == "__main__":
    sys.exit(main())
