"""Every page's data at three sizes (issue 18, item 7): time, statements and memory per page.

For each size (1,000, 5,000 and 10,000 ARRS staff by default) this builds the demo PCN through
the services (years of supervision sessions, reviews, inductions, programmes and the audit
entries they write), dated from a fixed day so the figures compare between runs, and caches the
file under ~/.cache/arrs-desk-bench keyed by size, day and builder version: building 10,000 staff
takes minutes, measuring takes seconds. It then prints, per page and size:

  - the median (and worst) time of the service read behind the page, in-process, over repeats,
    worked out afresh (the first visit in a process), and just after a save about one person (a
    copy of the database, a training completion recorded before each read);
  - the SQL statements it issues (a SQLAlchemy `before_cursor_execute` listener);
  - the peak Python allocation during one call (tracemalloc, measured in a separate, untimed call);
  - the longest garbage collection the GUI thread makes to catch up after a fresh read: reads run
    with automatic collection off, as in the app (`ui/common/garbage.py`);

and, per size, whole-process start-up beside a bare PySide6 window measured in the same run
(`_startup_child.py`, which exits through the event loop): window shown and staff list usable,
as medians and ratios, and the real app's peak resident memory once it has shown every page of its
navigation with its data, and per page how long from the click until its data was shown and the
longest the window stood still meanwhile (`_startup_child.py app-every-page`, a process of its own:
a heartbeat timer on the GUI thread; its read runs in the background, so only building the page
and showing the rows can hold the window up). This process's
own peak is printed too, but tracemalloc's bookkeeping (every block traced while it runs) inflates it
by over a third, so it is not the app's figure.

    QT_QPA_PLATFORM=offscreen PYTHONPATH=src .venv/bin/python benchmarks/pages.py \
        [--sizes 1000,5000] [--repeats 5] [--runs 3] [--no-startup] [--rebuild] [--pages Reviews,Home]
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from contextlib import contextmanager
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

TODAY = date(2026, 11, 24)
BUILDER_VERSION = 3  # bump when the demo builder's output changes, so stale caches are rebuilt
CACHE = Path(os.environ.get("ARRS_DESK_BENCH_CACHE", Path.home() / ".cache" / "arrs-desk-bench"))


def cached_database(size: int, rebuild: bool = False) -> Path:
    """The demo PCN with `size` ARRS staff, built once and reused while the builder is unchanged."""
    from arrs_desk.clock import FixedClock
    from arrs_desk.demo.pcn import build_demo
    from arrs_desk.services.workspace import Workspace

    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"pcn-{size}-{TODAY.isoformat()}-v{BUILDER_VERSION}.sqlite3"
    if path.exists() and not rebuild:
        return path
    partial = path.with_suffix(".building")
    partial.unlink(missing_ok=True)
    started = time.perf_counter()
    ws = Workspace.open(partial, FixedClock.on(TODAY))
    ws.accounts.choose_single_user(display_name="Benchmark User")
    summary = build_demo(ws, arrs_staff=size, with_accounts=False)
    ws.close()
    partial.rename(path)
    print(f"  built {size:,} ARRS staff ({summary.staff:,} staff records) in {time.perf_counter() - started:.0f} s, "
          f"{path.stat().st_size / 1e6:.0f} MB", flush=True)
    return path


class StatementCounter:
    """Counts the statements an engine sends, through SQLAlchemy's `before_cursor_execute` event."""

    def __init__(self, engine):
        from sqlalchemy import event

        self.count = 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args) -> None:
        self.count += 1

    @contextmanager
    def counting(self):
        start = self.count
        box = [0]
        yield box
        box[0] = self.count - start


def pages(ws, actor) -> dict[str, Callable[[], object]]:
    """The service read behind each page, as the page calls it."""
    from arrs_desk.services.audit_log import AuditFilter
    from arrs_desk.services.dashboard import DashboardService
    from arrs_desk.ui.audit.audit_page import PAGE

    trail = AuditFilter(limit=PAGE)

    return {
        "Staff list": lambda: ws.staff.list_rows(actor),
        "Home": lambda: DashboardService(ws).attention(actor),
        "Home (its first cards)": lambda: DashboardService(ws).first_look(actor),  # shown while the rest is read
        "Reviews": lambda: ws.reviews.overview(actor, held=False),  # what the page reads first
        "Reviews held (tab)": lambda: ws.reviews.held(actor),  # read when its tab is opened
        "Reviews page usable": reviews_page(ws, actor),
        "Assurance": lambda: ws.assurance.matrix(actor),
        "Supervision matrix": lambda: ws.supervision.matrix(actor),
        "Audit trail": lambda: ws.audit_log.entries(actor, flt=trail),  # the newest page
        "Audit trail (an older page)": older_audit_page(ws, actor, trail),  # scrolled halfway back
        "Induction overview": lambda: ws.induction.overview(actor),
        "Programmes": lambda: ws.programmes.overview(actor),
        "Training": lambda: ws.training.matrix(actor),
        "Revalidation": lambda: ws.revalidation.statuses(actor),
        "Check-ins": lambda: (ws.checkins.schedule(), ws.checkins.checkins_due(actor)),
        "Records retention": lambda: records_retention(ws, actor),
        "Retention (starters, leavers)": lambda: ws.assurance.retention(actor, by="role"),
        "DSPT evidence": lambda: ws.dspt.report(actor),
    }


def older_audit_page(ws, actor, trail) -> Callable[[], object]:
    """The page of entries the audit trail reads when scrolled halfway back through the whole trail
    (`AuditFilter.older_than`): it costs what the newest page costs, however far back it is. The
    entry it follows is found here, in a read of its own: inside the page's read, its statements
    would be taken for the page's and sent ahead with them every time (`store.read_ahead`)."""
    from dataclasses import replace

    from sqlalchemy import func, select

    from arrs_desk.store.models import AuditEntry

    with ws.db.read() as session:
        half = session.execute(select(func.count()).select_from(AuditEntry)).scalar_one() // 2
        after = tuple(session.execute(select(AuditEntry.at, AuditEntry.id).order_by(
            AuditEntry.at.desc(), AuditEntry.id.desc()).offset(half).limit(1)).one())
    older = replace(trail, older_than=after)
    return lambda: ws.audit_log.entries(actor, flt=older)


def records_retention(ws, actor) -> tuple:
    """The five reads the Records retention page makes on opening."""
    service = ws.records_retention
    return (service.due(actor), service.training_due(actor), service.rules(actor), service.destruction_log(actor),
            service.backups_still_holding(actor))


def reviews_page(ws, actor) -> Callable[[], object]:
    """The Reviews page's refresh as the window runs it: the read, then its table filled, filtered
    and sorted (until then nothing on it can be clicked). The page is made on the first call."""
    from PySide6.QtWidgets import QApplication

    made = []

    def refresh():
        if not made:
            from arrs_desk.ui.reviews.reviews_page import ReviewsPage

            QApplication.instance() or QApplication([])
            made.append(ReviewsPage())
            made[0].set_context(ws, actor)
            made[0].resize(1366, 768)
            made[0].show()
        made[0].refresh()
        made[0]._loader.wait()  # its read runs in the background (`Page.load_data`): until it is shown
        QApplication.processEvents()
        return made[0]

    return refresh


def collection_pause(collector) -> float:
    """The longest single step, in ms, the app's garbage collector takes on the GUI thread to catch
    up after a read, one per tick (`ui/common/garbage.py`): since 6 December a freeze of what the
    read made (well under a millisecond), now and then a full collection."""
    worst = 0.0
    for _ in range(3):
        before = gc.get_count()
        t0 = time.perf_counter()
        collector.check()
        took = (time.perf_counter() - t0) * 1000
        if gc.get_count() == before:
            break  # nothing was due
        worst = max(worst, took)
    return worst


def measure_pages(database: Path, repeats: int,
                  only: set[str] | None = None) -> tuple[list[tuple[str, float, float, int, float, float, float]], float]:
    """(page, median ms, worst ms, statements, peak MB, median ms when kept, median GC pause ms) per
    page, and this process's peak RSS in MB.

    The first four are the page's read worked out afresh, as after any save: the figures shared
    between pages (`services.shared_reads`) are forgotten before each call. The fifth is the same
    read when nothing changed since another page read them (opening Assurance after Home).

    Garbage is collected as the app collects it: never automatically during a read (which would
    add about a third to the big pages' times here), but on the GUI thread from a timer, a step
    at a time (`ui/common/garbage.py`); the longest such step after each fresh read is the last
    figure, a pause the window would show between two events."""
    from PySide6.QtWidgets import QApplication

    from arrs_desk.clock import FixedClock
    from arrs_desk.services.actor import Actor
    from arrs_desk.services.shared_reads import shared_reads
    from arrs_desk.services.workspace import Workspace
    from arrs_desk.ui.common import garbage

    collector = garbage.install(QApplication.instance() or QApplication([]))
    ws = Workspace.open(database, FixedClock.on(TODAY))
    actor = Actor(1, "bench", "Benchmark User", frozenset({"administrator"}), None, sole_user=True)
    counter = StatementCounter(ws.db.engine)
    kept = shared_reads(ws.db)
    out = []
    for name, read in pages(ws, actor).items():
        if only and name not in only:
            continue

        def call(read=read):  # in one session, as the page loader reads
            return ws.read_at_once(lambda _ws: read())

        call()  # warm caches (SQLite pages, compiled statements), as a second visit would be
        kept.clear()
        with counter.counting() as statements:
            call()
        kept.clear()
        tracemalloc.start()
        call()
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        times, again, pauses = [], [], []
        for _ in range(repeats):
            kept.clear()
            collection_pause(collector)  # start each read as the app would: nothing left to collect
            t0 = time.perf_counter()
            call()
            times.append((time.perf_counter() - t0) * 1000)
            pauses.append(collection_pause(collector))
            t0 = time.perf_counter()
            call()
            again.append((time.perf_counter() - t0) * 1000)
        out.append((name, statistics.median(times), max(times), statements[0], peak, statistics.median(again),
                    statistics.median(pauses)))
        print(f"    {name:<20} {out[-1][1]:8.0f} ms  {statements[0]:4d} statements; kept {out[-1][5]:6.0f} ms; "
              f"GC pause after {out[-1][6]:4.0f} ms", flush=True)
    ws.close()
    return out, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_after_save(database: Path, repeats: int, only: set[str] | None = None) -> dict[str, tuple[float, float]]:
    """Median ms of each page's read just after a save about one person, on a copy of the database:
    what someone waits for after recording something and going to the page. Two kinds of save, for
    a different person each time: a training completion (the figures kept person by person,
    `shared_reads.by_person`, are worked out again for that person only) and an edit of a staff
    record (that person and everyone whose rows name them: `change_scope`)."""
    import shutil
    import tempfile

    from arrs_desk.clock import FixedClock
    from arrs_desk.services.actor import Actor
    from arrs_desk.services.training.views import TrainingInput
    from arrs_desk.services.workspace import Workspace

    out: dict[str, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / database.name
        shutil.copyfile(database, copy)
        ws = Workspace.open(copy, FixedClock.on(TODAY))
        actor = Actor(1, "bench", "Benchmark User", frozenset({"administrator"}), None, sole_user=True)
        training = ws.training.matrix(actor)
        people, subject = [row.staff_id for row in training.rows], training.subjects[0]
        turn = 0

        def record_training(person: int) -> None:
            ws.training.record(actor, data=TrainingInput(person, subject.code, subject.levels[-1], TODAY))

        def edit_staff_record(person: int) -> None:
            record = ws.staff.get(actor, staff_id=person)
            record.data.preferred_name = f"Sam {turn}"
            ws.staff.update(actor, staff_id=person, data=record.data, expected_version=record.version)

        for name, read in pages(ws, actor).items():
            if only and name not in only:
                continue
            medians = []
            for save in (record_training, edit_staff_record):
                ws.read_at_once(lambda _ws, read=read: read())  # everyone's figures, kept as after any first visit
                times = []
                for _ in range(repeats):
                    turn += 1
                    save(people[(turn * 97) % len(people)])
                    gc.collect()
                    t0 = time.perf_counter()
                    ws.read_at_once(lambda _ws, read=read: read())
                    times.append((time.perf_counter() - t0) * 1000)
                medians.append(statistics.median(times))
            out[name] = (medians[0], medians[1])
            print(f"    {name:<20} {medians[0]:8.0f} ms after a training completion, {medians[1]:6.0f} ms after a "
                  "staff record edit", flush=True)
        ws.close()
    return out


def measure_startup(database: Path, runs: int) -> tuple[float, float, float]:
    """Medians of whole-process bare window, app window shown and staff list usable, in seconds."""
    from startup import as_installed, run_child

    env = {**as_installed(), "PYTHONPATH": os.pathsep.join(sys.path)}
    run_child("bare", "", env)
    run_child("app", str(database), env)
    bare, shown, usable = [], [], []
    for _ in range(runs):
        bare.append(run_child("bare", "", env)["shown"])
        marks = run_child("app", str(database), env)
        shown.append(marks["shown"])
        usable.append(marks["usable"])
    return statistics.median(bare), statistics.median(shown), statistics.median(usable)


def measure_app_pages(database: Path) -> tuple[float, float, dict[str, tuple[float, float]]]:
    """The real app clicked through every page of its navigation (`_startup_child.py app-every-page`,
    a process of its own, one run): its peak resident memory in MB once every page has shown its
    data, the seconds from launch until then, and each page's milliseconds from the click until its
    data is on screen (built on first showing, its read in the background, garbage collected as the
    app collects it) with the longest the window stood still meanwhile. Home shows its first cards
    while the PCN-wide ones are read, when those take a while: "Home (its first cards)" is when."""
    from startup import as_installed

    env = {**as_installed(), "PYTHONPATH": os.pathsep.join(sys.path)}
    started = time.time()
    out = subprocess.run([sys.executable, str(Path(__file__).parent / "_startup_child.py"), "app-every-page",
                          str(database)], capture_output=True, text=True, env=env, timeout=600, check=True).stdout
    peak, total, shown = 0.0, 0.0, {}
    for line in out.splitlines():
        word, _, rest = line.partition(" ")
        if word == "page":
            ms, still, title = rest.split(" ", 2)
            shown[title] = (float(ms), float(still))
        elif word == "every-page":
            total = float(rest) - started
        elif word == "peak-mb":
            peak = float(rest)
    return peak, total, shown


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000,10000")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-startup", action="store_true")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--pages", default="", help="only these pages, comma-separated (e.g. 'Reviews,Reviews page usable')")
    args = parser.parse_args()
    os.environ.setdefault("ARRS_DESK_HOME", str(CACHE / "home"))
    sizes = [int(s) for s in args.sizes.split(",")]
    table: dict[int, list] = {}
    startup: dict[int, tuple[float, float, float]] = {}
    rss: dict[int, float] = {}
    after: dict[int, dict[str, tuple[float, float]]] = {}
    app_pages: dict[int, tuple[float, float, dict[str, tuple[float, float]]]] = {}
    for size in sizes:
        print(f"{size:,} ARRS staff:", flush=True)
        database = cached_database(size, args.rebuild)
        table[size], rss[size] = measure_pages(database, args.repeats, {p for p in args.pages.split(",") if p})
        after[size] = measure_after_save(database, args.repeats, {p for p in args.pages.split(",") if p})
        if not args.no_startup:
            startup[size] = measure_startup(database, args.runs)
            app_pages[size] = measure_app_pages(database)
    print(f"\nMedians of {args.repeats} in-process calls worked out afresh (worst in brackets), after a save about "
          "one person (a training completion / an edit of their staff record), and kept (nothing changed since "
          "another page read them); peak Python MB per call; the longest GUI-thread collection after a fresh read; "
          "statements")
    header = "| page | " + " | ".join(f"{s:,} staff" for s in sizes) + " | statements |"
    print(header)
    print("|---" * (len(sizes) + 2) + "|")
    for i, (name, *_rest) in enumerate(table[sizes[0]]):
        saved = [after[s].get(name, (0, 0)) for s in sizes]
        cells = [f"{table[s][i][1]:.0f} ms ({table[s][i][2]:.0f}), after a save {saved[n][0]:.0f} / {saved[n][1]:.0f} ms, "
                 f"kept {table[s][i][5]:.0f} ms, {table[s][i][4]:.0f} MB, GC {table[s][i][6]:.0f} ms" for n, s in enumerate(sizes)]
        statements = "/".join(str(table[s][i][3]) for s in sizes)
        print(f"| {name} | " + " | ".join(cells) + f" | {statements} |")
    print("| this benchmark's peak RSS (tracemalloc's bookkeeping included) | "
          + " | ".join(f"{rss[s]:.0f} MB" for s in sizes) + " | |")
    if app_pages:
        print("| the app's peak RSS after showing every page (whole process, one run) | "
              + " | ".join(f"{app_pages[s][0]:.0f} MB ({app_pages[s][1]:.1f} s from launch)" for s in sizes)
              + " | |")
        print("\nThe app itself clicked through every page (one run; ms from the click until the data is shown, "
              "and the longest the window stood still meanwhile):")
        print("| page | " + " | ".join(f"{s:,} staff: shown / stood still" for s in sizes) + " |")
        print("|---" * (len(sizes) + 1) + "|")
        for title in app_pages[sizes[0]][2]:
            print(f"| {title} | " + " | ".join("{:.0f} / {:.0f} ms".format(*app_pages[s][2].get(title, (0, 0)))
                                               for s in sizes) + " |")
    for size, (bare, shown, usable) in startup.items():
        print(f"Start-up at {size:,} ({args.runs} runs, whole process, medians): bare window {bare * 1000:.0f} ms; "
              f"main window shown {shown * 1000:.0f} ms = {shown / bare:.2f}x; "
              f"staff list usable {usable * 1000:.0f} ms = {usable / bare:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
