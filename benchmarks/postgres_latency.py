"""Pages on a shared PostgreSQL server at a distance (issue 18, items 6 and 7): time, statements
and network round trips per page, with the server next door and 20 ms away.

Starts a throwaway PostgreSQL server (tests/support/postgres.py), builds the demo PCN on it at
each size through the services (dated from pages.py's fixed day), then reads every page as the
window does (pages.py's `pages`) through `latency_proxy.LatencyProxy` at 0 ms and at the given
delay each way. Per page it prints the median time of the repeats, the SQL statements sent (a
`before_cursor_execute` listener) and the round trips the proxy saw (each burst the client sends
waits for the server's last answer: statements, transaction begins and ends, connection set-up).
"Start-up" is the whole process to the staff list usable (startup.py's child), through the proxy.
"Sign-in to staff list" is the same child on a copy of the PCN with sign-in accounts: from pressing
Sign in (the dialog filled in as soon as it shows) to the staff list usable, as the clinical director.

    QT_QPA_PLATFORM=offscreen PYTHONPATH=src .venv/bin/python benchmarks/postgres_latency.py \
        [--sizes 250,500] [--delay-ms 10] [--repeats 5] [--runs 3] [--pages "Home,Audit trail"]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from latency_proxy import LatencyProxy
from pages import TODAY, StatementCounter, collection_pause, pages

PAGES = ("Staff list", "Home", "Home (its first cards)", "Reviews", "Reviews page usable", "Assurance",
         "Supervision matrix", "Audit trail", "Audit trail (an older page)")


SIGN_IN_AS = "samuel.okonkwo"
"""The demo's clinical director: a line manager, supervisor and appraiser who sees most of the staff
(3,952 of 5,013 at 5,000), and is not asked to set up two-step sign-in as an administrator of a
shared server is."""


def build(server_url: str, size: int, accounts: bool = False) -> str:
    """A database holding the demo PCN with `size` ARRS staff (single-user, or with the demo's
    sign-in accounts), its statistics gathered (`analyse`); its URL."""
    from arrs_desk.clock import FixedClock
    from arrs_desk.demo.pcn import build_demo
    from arrs_desk.services.workspace import Workspace
    from tests.support.postgres import create_database

    url = create_database(server_url, f"pcn_{size}" + ("_accounts" if accounts else ""))
    started = time.perf_counter()
    ws = Workspace.open(url, FixedClock.on(TODAY))
    if not accounts:
        ws.accounts.choose_single_user(display_name="Benchmark User")
    summary = build_demo(ws, arrs_staff=size, with_accounts=accounts)
    ws.close()
    analyse(url)
    print(f"  built {size:,} ARRS staff ({summary.staff:,} staff records) in {time.perf_counter() - started:.0f} s",
          flush=True)
    return url


def analyse(url: str) -> None:
    """Table statistics for the planner, as the server's autovacuum gathers them soon after a bulk
    load. Measured straight after the build, the planner may still be guessing: the audit trail's
    older page took 41-47 ms on a table it had no statistics for (a bitmap scan of 87,000 entries
    for a thousand), 0.6 ms once it had them."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("ANALYZE"))
    engine.dispose()


def measure(url: str, delay_ms: float, repeats: int, only: tuple[str, ...] = PAGES) -> dict[str, tuple]:
    """page -> (median ms, statements, round trips, sessions, median ms kept, round trips kept, round
    trips the first time, median ms after a save, round trips after a save, the same two after an
    edit of a staff record, and the median of the longest garbage collection after a fresh read),
    reading through a proxy `delay_ms` each way: worked out afresh (the first read in a process, or
    after a save that can touch anyone's figures), kept (nothing changed since the last read:
    `services.shared_reads`), and just after a save about one person (a training completion, and
    an edit of a staff record). `only`: the pages measured, of `PAGES`.

    Sessions are the pool's checkouts: each one cost a further round trip while every checkout
    was pinged (`pool_pre_ping`), before the engine pinged only after an idle spell.

    Garbage is collected as the app collects it (`pages.measure_pages`): never automatically during
    a read, but on the GUI thread between reads (`ui/common/garbage.py`). Left automatic, collection
    added about half to the big pages here (Home at 5,000 staff: 1,306 ms against 880), a cost the
    app does not have; the longest collection after a fresh read is printed beside it."""
    from PySide6.QtWidgets import QApplication
    from sqlalchemy import event

    from arrs_desk.clock import FixedClock
    from arrs_desk.services.actor import Actor
    from arrs_desk.services.shared_reads import shared_reads
    from arrs_desk.services.training.views import TrainingInput
    from arrs_desk.services.workspace import Workspace
    from arrs_desk.ui.common import garbage

    out = {}
    collector = garbage.install(QApplication.instance() or QApplication([]))
    with LatencyProxy.in_front_of(url, delay_ms) as proxy:
        ws = Workspace.open(proxy.url_for(url), FixedClock.on(TODAY))
        actor = Actor(1, "bench", "Benchmark User", frozenset({"administrator"}), None, sole_user=True)
        counter = StatementCounter(ws.db.engine)
        checkouts = [0]
        event.listen(ws.db.engine, "checkout", lambda *_args: checkouts.__setitem__(0, checkouts[0] + 1))
        kept = shared_reads(ws.db)
        training = ws.training.matrix(actor)
        people, subject, turn = [row.staff_id for row in training.rows], training.subjects[0], [0]
        for name, read in pages(ws, actor).items():
            if name not in only:
                continue

            def call(read=read, name=name):  # fresh, as after a save, in one session, as the page loader reads
                kept.clear()
                return ws.read_at_once(lambda _ws: read(), name)

            before = proxy.client_sends
            call()  # warm: compiled statements, the pool's connection, the page made, its reads remembered
            first_trips = proxy.client_sends - before
            trips_before, checkouts_before = proxy.client_sends, checkouts[0]
            with counter.counting() as statements:
                call()
            trips, sessions = proxy.client_sends - trips_before, checkouts[0] - checkouts_before
            times, again, pauses = [], [], []
            for _ in range(repeats):
                collection_pause(collector)  # start each read as the app would: nothing left to collect
                t0 = time.perf_counter()
                call()
                times.append((time.perf_counter() - t0) * 1000)
                pauses.append(collection_pause(collector))
                before = proxy.client_sends
                t0 = time.perf_counter()
                ws.read_at_once(lambda _ws: read(), name)  # kept: nothing changed since
                again.append((time.perf_counter() - t0) * 1000)
                kept_trips = proxy.client_sends - before
            saved, saved_trips = [], []
            for _ in range(repeats):  # just after a save about one person (`shared_reads.by_person`)
                turn[0] += 1
                ws.training.record(actor, data=TrainingInput(people[(turn[0] * 97) % len(people)], subject.code,
                                                             subject.levels[-1], TODAY))
                collection_pause(collector)
                before = proxy.client_sends
                t0 = time.perf_counter()
                ws.read_at_once(lambda _ws: read(), name)
                saved.append((time.perf_counter() - t0) * 1000)
                saved_trips.append(proxy.client_sends - before)
            edited, edited_trips = [], []
            for _ in range(repeats):  # just after an edit of someone's staff record (`change_scope`)
                turn[0] += 1
                record = ws.staff.get(actor, staff_id=people[(turn[0] * 97) % len(people)])
                record.data.preferred_name = f"Sam {delay_ms:g}-{turn[0]}"  # a new name each time: a real edit
                ws.staff.update(actor, staff_id=record.id, data=record.data, expected_version=record.version)
                collection_pause(collector)
                before = proxy.client_sends
                t0 = time.perf_counter()
                ws.read_at_once(lambda _ws: read(), name)
                edited.append((time.perf_counter() - t0) * 1000)
                edited_trips.append(proxy.client_sends - before)
            out[name] = (statistics.median(times), statements[0], trips, sessions, statistics.median(again), kept_trips,
                         first_trips, statistics.median(saved), int(statistics.median(saved_trips)),
                         statistics.median(edited), int(statistics.median(edited_trips)), statistics.median(pauses))
            print(f"    {delay_ms:g} ms each way  {name:<20} {out[name][0]:7.0f} ms  {statements[0]:3d} statements  "
                  f"{trips:3d} round trips ({first_trips} the first time)  {sessions:2d} sessions; "
                  f"kept {out[name][4]:5.0f} ms {kept_trips:2d} round trips; after a save {out[name][7]:5.0f} ms "
                  f"{out[name][8]:2d} round trips; after a staff record edit {out[name][9]:5.0f} ms "
                  f"{out[name][10]:2d} round trips; GC pause after {out[name][11]:4.0f} ms", flush=True)
        ws.close()
    return out


def measure_startup(url: str, delay_ms: float, runs: int, size: int) -> tuple[float, int] | None:
    """Median seconds from process start to the staff list usable, and round trips of one start."""
    return _timed_children(url, delay_ms, runs, "app", size, lambda marks: marks["usable"], {}, "start-up")


def measure_sign_in(url: str, delay_ms: float, runs: int) -> tuple[float, int] | None:
    """Median seconds from pressing Sign in to the staff list usable, and round trips of a whole run."""
    from arrs_desk.demo.pcn import DEMO_PASSWORD

    return _timed_children(url, delay_ms, runs, "app-sign-in", 1, lambda marks: marks["usable"] - marks["pressed"],
                           {"ARRS_BENCH_USERNAME": SIGN_IN_AS, "ARRS_BENCH_PASSWORD": DEMO_PASSWORD}, "sign-in")


def _timed_children(url: str, delay_ms: float, runs: int, mode: str, rows: int, wait, env: dict,
                    what: str) -> tuple[float, int] | None:
    """startup.py's child in `mode` through a proxy `delay_ms` each way: after one run to warm up,
    the median of `wait(marks)` over `runs` runs and the fewest round trips a run took; None (said)
    if the child fails."""
    from startup import run_child

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), "ARRS_DESK_ALLOW_UNENCRYPTED_POSTGRES": "1", **env}
    with LatencyProxy.in_front_of(url, delay_ms) as proxy:
        target = proxy.url_for(url).replace("postgresql+psycopg://", "postgresql://")
        try:
            run_child(mode, target, env, rows)
        except Exception as exc:  # noqa: BLE001  (reported, the page figures still stand)
            print(f"    {what} not measured: {exc}", flush=True)
            return None
        waits, trips = [], []
        for _ in range(runs):
            before = proxy.client_sends
            waits.append(wait(run_child(mode, target, env, rows)))
            trips.append(proxy.client_sends - before)
    return statistics.median(waits), min(trips)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="250,500")
    parser.add_argument("--delay-ms", type=float, default=10, help="delay each way (10: 20 ms round trips)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-startup", action="store_true")
    parser.add_argument("--no-sign-in", action="store_true", help="skip building the PCN with accounts")
    parser.add_argument("--pages", default="", help="only these pages, comma-separated (e.g. 'Audit trail,Home')")
    args = parser.parse_args()
    only = tuple(name for name in args.pages.split(",") if name) or PAGES
    unknown = set(only) - set(PAGES)
    if unknown:
        parser.error(f"no such page: {', '.join(sorted(unknown))} (the pages: {', '.join(PAGES)})")
    from tests.support.postgres import ThrowawayPostgres

    home = tempfile.mkdtemp(prefix="arrs-pg-latency-")
    os.environ["ARRS_DESK_HOME"] = home
    sizes = [int(s) for s in args.sizes.split(",")]
    delays = (0.0, args.delay_ms)
    server = ThrowawayPostgres(Path(home) / "pg")
    server_url = server.start()
    results: dict[tuple[int, float], dict[str, tuple]] = {}
    startup: dict[tuple[int, float], tuple[float, int] | None] = {}
    sign_in: dict[tuple[int, float], tuple[float, int] | None] = {}
    try:
        for size in sizes:
            print(f"{size:,} ARRS staff:", flush=True)
            url = build(server_url, size)
            for delay in delays:
                results[size, delay] = measure(url, delay, args.repeats, only)
                if not args.no_startup:
                    startup[size, delay] = measure_startup(url, delay, args.runs, size)
            if not args.no_sign_in:
                with_accounts = build(server_url, size, accounts=True)
                for delay in delays:
                    sign_in[size, delay] = measure_sign_in(with_accounts, delay, args.runs)
                    if sign_in[size, delay]:
                        print(f"    {delay:g} ms each way  sign-in to staff list {sign_in[size, delay][0] * 1000:.0f} ms",
                              flush=True)
    finally:
        server.stop()
    cells = [(size, delay) for size in sizes for delay in delays]
    print(f"\nMedian of {args.repeats} reads per page; statements (st); round trips seen by the proxy (rt); sessions "
          "(se: each cost one more round trip when every checkout was pinged); RTT = round-trip time added")
    print("| page | " + " | ".join(f"{s:,} staff, {2 * d:g} ms RTT" for s, d in cells) + " |")
    print("|---" * (len(cells) + 1) + "|")
    for name in only:
        row = [f"{results[c][name][0]:.0f} ms, {results[c][name][1]} st, {results[c][name][2]} rt (first {results[c][name][6]}), {results[c][name][3]} se; "
               f"kept {results[c][name][4]:.0f} ms, {results[c][name][5]} rt; after a save {results[c][name][7]:.0f} ms, "
               f"{results[c][name][8]} rt; after a staff record edit {results[c][name][9]:.0f} ms, "
               f"{results[c][name][10]} rt; GC {results[c][name][11]:.0f} ms" for c in cells]
        print(f"| {name} | " + " | ".join(row) + " |")
    if startup:
        row = [f"{startup[c][0] * 1000:.0f} ms, {startup[c][1]} rt" if startup.get(c) else "-" for c in cells]
        print("| Start-up to staff list usable (whole process) | " + " | ".join(row) + " |")
    if sign_in:
        row = [f"{sign_in[c][0] * 1000:.0f} ms" if sign_in.get(c) else "-" for c in cells]
        print(f"| Sign-in to staff list usable ({SIGN_IN_AS}, pressing Sign in to the list) | " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
