"""Training matrix benchmark (issue 19): what a manager waits for when the Training page opens.

For each size it builds a PCN (people inserted in bulk, with 20 completions per person on
average across the eleven subjects: 20,000 at 1,000 staff), then measures, as the median of
repeats, the service call (`TrainingService.matrix` for everyone), the model filled from it, and
both together (time to usable). The staff list read in the same run is the baseline, so the
ratio says what the matrix costs beside a page everyone already waits for. Python's garbage
collector runs as in the app (`ui.garbage`: from a timer between events), so a collection is never
counted inside one page load.

Target: the matrix for 1,000 staff x 11 subjects with 20,000 completions usable in <= 200 ms.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/training_matrix.py [--repeats 7] [--sizes 250,500,1000]
"""

from __future__ import annotations

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
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

TODAY = date(2026, 11, 24)
PER_PERSON = 20
TARGET_MS = 200.0


def build(path: Path, people: int) -> None:
    from sqlalchemy import insert, select

    from arrs_desk.clock import FixedClock
    from arrs_desk.domain.training import training_subjects
    from arrs_desk.services.actor import SYSTEM
    from arrs_desk.services.workspace import Workspace
    from arrs_desk.store.models import Role, Staff, StaffPractice, TrainingRecord, utcnow

    rng = random.Random(people)
    ws = Workspace.open(path, FixedClock.on(TODAY))
    ws.organisations.create(SYSTEM, kind="pcn", name="Bench PCN", ods_code="U99999")
    practices = [ws.organisations.create(SYSTEM, kind="practice", name=f"Practice {i}", ods_code=f"P{i:05d}").id
                 for i in range(8)]
    now = utcnow()
    tracked = {"created_at": now, "updated_at": now, "version": 1}
    subjects = training_subjects().subjects
    with ws.db.write() as session:
        roles = list(session.execute(select(Role.code).where(Role.arrs)).scalars())
        staff = [{"given_name": f"Given{i}", "family_name": f"Family{i}", "preferred_name": "", "title": "",
                  "role_code": rng.choice(roles), "employer_id": rng.choice(practices), "employment_model": "practice",
                  "start_date": TODAY - timedelta(days=rng.randint(30, 3000)), "status": "active", "email": "",
                  "leaving_reason": "", "afc_band": "", "register_code": "", "registration_number": "", **tracked}
                 for i in range(people)]
        ids = list(session.execute(insert(Staff).returning(Staff.id), staff).scalars())
        session.execute(insert(StaffPractice), [{"staff_id": sid, "organisation_id": rng.choice(practices)}
                                                for sid in ids])
        records = []
        for sid in ids:
            for _ in range(PER_PERSON):
                subject = rng.choice(subjects)
                records.append({"staff_id": sid, "subject_code": subject.code, "level": rng.choice(subject.levels).level,
                                "completed_on": TODAY - timedelta(days=rng.randint(0, 1600)), "provider": "e-LfH",
                                "evidence": "", "source": "imported", "recorded_by_user_id": None, **tracked})
        session.execute(insert(TrainingRecord), records)
    ws.close()


def median_ms(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure(path: Path, repeats: int) -> dict[str, float]:
    from PySide6.QtWidgets import QApplication

    from arrs_desk.clock import FixedClock
    from arrs_desk.services.actor import SYSTEM
    from arrs_desk.services.workspace import Workspace
    from arrs_desk.ui.training.model import TrainingMatrixModel

    from arrs_desk.ui.common import garbage

    app = QApplication.instance() or QApplication([])
    garbage.install(app)  # as the app runs: collection between events on the GUI thread, not inside a page load
    ws = Workspace.open(path, FixedClock.on(TODAY))
    model = TrainingMatrixModel()
    matrix = ws.training.matrix(SYSTEM)  # warm the caches (the subjects file, the first statements)
    figures = {
        "staff list (baseline)": median_ms(lambda: ws.staff.list_rows(SYSTEM), repeats),
        "matrix service": median_ms(lambda: ws.training.matrix(SYSTEM), repeats),
        "model filled": median_ms(lambda: model.set_matrix(matrix), repeats),
        "usable (both)": median_ms(lambda: model.set_matrix(ws.training.matrix(SYSTEM)), repeats),
        "cells": float(len(matrix.rows) * len(matrix.subjects)),
    }
    ws.close()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--sizes", default="250,500,1000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"Training matrix, medians of {args.repeats} runs, {PER_PERSON} completions per person")
    print(f"{'staff':>6} {'records':>8} {'cells':>7} {'baseline':>9} {'service':>8} {'model':>7} {'usable':>7} "
          f"{'x baseline':>10}")
    usable_at_1000 = None
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            path = Path(folder) / f"training-{size}.sqlite3"
            build(path, size)
            f = measure(path, args.repeats)
            print(f"{size:>6} {size * PER_PERSON:>8,} {int(f['cells']):>7,} {f['staff list (baseline)']:>7.1f}ms "
                  f"{f['matrix service']:>6.1f}ms {f['model filled']:>5.1f}ms {f['usable (both)']:>5.1f}ms "
                  f"{f['usable (both)'] / f['staff list (baseline)']:>9.2f}x")
            if size == 1000:
                usable_at_1000 = f["usable (both)"]
    if usable_at_1000 is not None:
        verdict = "met" if usable_at_1000 <= TARGET_MS else "MISSED"
        print(f"Target: usable <= {TARGET_MS:.0f} ms at 1,000 staff and 20,000 completions: {usable_at_1000:.1f} ms, "
              f"{verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
