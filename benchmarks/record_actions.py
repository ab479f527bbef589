"""A line manager's and an appraiser's everyday saves on a shared PostgreSQL server at a distance
(issue 18, item 6): opening a review, recording one, each party signing it, and a line manager's
edit of a staff record, as people with their own accounts (so every action checks a permission),
with the server next door and 20 ms away. Prints per action the median time, the statements sent and the round trips a user-space
proxy saw (`latency_proxy.LatencyProxy`), and the ratio of the far time to the near one.

Starts a throwaway PostgreSQL server (tests/support/postgres.py) and builds the small multi-user
PCN of the review tests (tests/review_support.py), with `--history` reviews already held for the
person, so that each new review carries objectives forward as it would in a PCN's second year.

    PYTHONPATH=src .venv/bin/python benchmarks/record_actions.py [--delay-ms 10] [--repeats 7] [--history 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from latency_proxy import LatencyProxy
from pages import StatementCounter

ACTIONS = ("Open a review", "Record a review", "Sign as the person appraised", "Sign as appraiser",
           "Edit a staff record")


def build(server_url: str, history: int):
    """The review tests' PCN on a new database; its URL and the team."""
    from arrs_desk.clock import FixedClock
    from arrs_desk.services.actor import SYSTEM
    from arrs_desk.services.workspace import Workspace
    from tests.conftest import TODAY
    from tests.review_support import make_review_team, review_input
    from tests.support.postgres import create_database

    url = create_database(server_url, "reviews")
    ws = Workspace.open(url, FixedClock.on(TODAY))
    team = make_review_team(ws, SYSTEM)
    for n in range(history):  # earlier reviews, a hundred days apart, each with an open objective
        held = TODAY - timedelta(days=100 * (history - n) + 50)
        ws.reviews.create_review(team.helen, data=review_input(team, outcome="agreed", meeting=held,
                                                               start=held - timedelta(days=99), end=held))
    ws.close()
    return url, team


def measure(url: str, team, delay_ms: float, repeats: int) -> dict[str, tuple[float, int, int]]:
    """action -> (median ms, statements, round trips), through a proxy `delay_ms` each way."""
    from arrs_desk.clock import FixedClock
    from arrs_desk.services.workspace import Workspace
    from tests.conftest import TODAY
    from tests.review_support import review_input

    timings: dict[str, list[float]] = {name: [] for name in ACTIONS}
    counts: dict[str, tuple[int, int]] = {}
    with LatencyProxy.in_front_of(url, delay_ms) as proxy:
        ws = Workspace.open(proxy.url_for(url), FixedClock.on(TODAY))
        counter = StatementCounter(ws.db.engine)

        def timed(name: str, work):
            before = proxy.client_sends
            with counter.counting() as statements:
                started = time.perf_counter()
                result = work()
                timings[name].append((time.perf_counter() - started) * 1000)
            counts[name] = (statements[0], proxy.client_sends - before)
            return result

        for turn in range(repeats + 1):  # the first turn warms the pool and the compiled statements
            held = TODAY - timedelta(days=turn % 40)
            review = timed("Record a review", lambda: ws.reviews.create_review(team.helen, data=review_input(
                team, outcome="agreed", meeting=held, start=held - timedelta(days=40), end=held)))
            opened = timed("Open a review", lambda: ws.reviews.review(team.helen, review_id=review.id))
            mine = timed("Sign as the person appraised", lambda: ws.reviews.sign(
                team.zoe, review_id=opened.id, party="appraisee", expected_version=opened.version))
            timed("Sign as appraiser", lambda: ws.reviews.sign(team.gp, review_id=mine.id, party="appraiser",
                                                                expected_version=mine.version))
            record = ws.staff.get(team.helen, staff_id=team.zoe_id)
            record.data.preferred_name = f"Zo {delay_ms:g}-{turn}"  # a new name each time: a real edit
            timed("Edit a staff record", lambda: ws.staff.update(team.helen, staff_id=record.id, data=record.data,
                                                                  expected_version=record.version))
            if turn == 0:
                for name in ACTIONS:
                    timings[name].clear()
        ws.close()
    return {name: (statistics.median(timings[name]), *counts[name]) for name in ACTIONS}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay-ms", type=float, default=10, help="delay each way (10: 20 ms round trips)")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--history", type=int, default=3, help="reviews already held for the person")
    args = parser.parse_args()
    from tests.support.postgres import ThrowawayPostgres

    home = tempfile.mkdtemp(prefix="arrs-record-actions-")
    os.environ["ARRS_DESK_HOME"] = home
    server = ThrowawayPostgres(Path(home) / "pg")
    server_url = server.start()
    try:
        url, team = build(server_url, args.history)
        near = measure(url, team, 0.0, args.repeats)
        far = measure(url, team, args.delay_ms, args.repeats)
    finally:
        server.stop()
    print(f"\nMedian of {args.repeats}; statements (st); round trips the proxy saw (rt); "
          f"far = {2 * args.delay_ms:g} ms round-trip time added")
    print("| action | same PC | far | far / same PC |")
    print("|---|---|---|---|")
    for name in ACTIONS:
        (n_ms, n_st, n_rt), (f_ms, f_st, f_rt) = near[name], far[name]
        print(f"| {name} | {n_ms:.0f} ms, {n_st} st, {n_rt} rt | {f_ms:.0f} ms, {f_st} st, {f_rt} rt | "
              f"{f_ms / n_ms:.1f}x |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
