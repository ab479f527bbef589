"""How much of each page's per-person figures a new day changes (issue 18: Home and Assurance).

A page read worked out afresh costs the rules for everyone: at 5,000 staff Home takes about
0.7 s and Assurance 0.5 s, against a 0.3 s target, and the rules themselves are already lean
(no statement per person, no hot spot left in a profile). What would meet the target is keeping
each person's rows in the database and, on a new day, working out again only those whose rows
the day can change. This measures how many that is: it reads every per-person read Home and
the Reviews page make (`shared_reads.by_person`) on a day, the day after and a week after, on
the benchmark's cached PCN, and prints per read how many people's rows differ and in which
fields. A field that changes every day for someone (a count of days overdue, a reason that says
"due in 45 days") makes their row new every morning: such a count belongs to the screen, worked
out from a date the row keeps, if rows are to be kept across days.

    PYTHONPATH=src .venv/bin/python benchmarks/overnight.py [--sizes 1000,5000] [--day 2026-11-24]
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

LATER = (1, 7)  # days after the first on which the rows are read again


def rows_by_read(database: Path, day: date) -> dict[str, dict[int, object]]:
    """Every per-person read's rows (by read name, then person) as Home and the Reviews page make
    them on `day`, for an administrator of the whole PCN."""
    from arrs_desk.clock import FixedClock
    from arrs_desk.services import shared_reads
    from arrs_desk.services.actor import Actor
    from arrs_desk.services.dashboard import DashboardService
    from arrs_desk.services.workspace import Workspace

    found: dict[str, dict[int, object]] = {}
    keep = shared_reads.SharedReads._by_person

    def noting(self, key, read):  # each read's rows as `by_person` hands them over
        frame, rows = keep(self, key, read)
        found[key[0]] = dict(rows)
        return frame, rows

    shared_reads.SharedReads._by_person = noting
    ws = Workspace.open(database, FixedClock.on(day))
    try:
        actor = Actor(1, "bench", "Benchmark User", frozenset({"administrator"}), None, sole_user=True)
        ws.read_at_once(lambda _ws: DashboardService(ws).attention(actor))
        ws.read_at_once(lambda _ws: ws.reviews.held(actor))
    finally:
        ws.close()
        shared_reads.SharedReads._by_person = keep
    return found


def _fields(value) -> dict[str, object]:
    if hasattr(value, "_fields"):
        return {name: getattr(value, name) for name in value._fields}
    if hasattr(value, "__dataclass_fields__"):
        return {name: getattr(value, name) for name in value.__dataclass_fields__}
    return {"": value}


def changed_fields(before, after) -> set[str]:
    """The fields that differ between two rows of one person, one level into tuples of rows
    (a supervision row's cells, an assurance row's check results): "cells.days_overdue"."""
    out = set()
    old, new = _fields(before), _fields(after)
    for name, value in old.items():
        other = new.get(name)
        if value == other:
            continue
        if isinstance(value, tuple) and isinstance(other, tuple) and value and \
                all(hasattr(v, "_fields") or hasattr(v, "__dataclass_fields__") for v in value):
            out.update(f"{name}.{inner}" for a, b in zip(value, other) for inner in changed_fields(a, b))
            if len(value) != len(other):
                out.add(name)
        else:
            out.add(name)
    return out


def main() -> int:
    from pages import cached_database

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5000")
    parser.add_argument("--day", default="2026-11-24", help="the first day (the cached PCN is built for 2026-11-24)")
    args = parser.parse_args()
    first = date.fromisoformat(args.day)
    for size in (int(s) for s in args.sizes.split(",")):
        database = cached_database(size)
        days = [first] + [first + timedelta(days=n) for n in LATER]
        read = {day: rows_by_read(database, day) for day in days}
        print(f"\n{size:,} ARRS staff, from {first:%d/%m/%Y}: people whose rows differ "
              f"{' and '.join(f'{n} day(s)' for n in LATER)} later, and the fields that differ most the next day")
        print("| read | people | " + " | ".join(f"+{n} day(s)" for n in LATER) + " | fields (next day) |")
        print("|---" * (len(LATER) + 3) + "|")
        anyone: dict[int, set[int]] = {n: set() for n in LATER}
        everyone: set[int] = set()
        for name, rows in read[first].items():
            counts = []
            for n, day in zip(LATER, days[1:]):
                later = read[day].get(name, {})
                differ = {i for i in rows.keys() | later.keys() if rows.get(i) != later.get(i)}
                anyone[n] |= differ
                counts.append(len(differ))
            nxt = read[days[1]].get(name, {})
            fields = Counter(f for i in rows.keys() & nxt.keys() if rows[i] != nxt[i]
                             for f in changed_fields(rows[i], nxt[i]))
            everyone |= rows.keys()
            shown = ", ".join(f"{f} {c:,}" for f, c in fields.most_common(4)) or "-"
            print(f"| {name} | {len(rows):,} | " + " | ".join(f"{c:,}" for c in counts) + f" | {shown} |")
        print(f"| any read | {len(everyone):,} | " + " | ".join(f"{len(anyone[n]):,}" for n in LATER) + " | |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
