"""Encryption at rest (issue 20 item 1): what it costs to open an encrypted database, and start-up
with encryption on beside the same database unencrypted, both against a bare window in this run.

  - opening (`Workspace.open`, in-process): plain vs encrypted, at 250 and 1,000 ARRS staff;
  - the key from the passphrase (argon2id, once per start when the PC does not remember it);
  - turning encryption on for the whole file (conversion, checked by digest);
  - start-up, whole process, medians: main window shown and staff list usable, plain and encrypted
    (key remembered on the PC, as on a practice PC). Targets with encryption: window <= 1.6x bare,
    list usable <= 3.5x bare.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/encryption.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from startup import as_installed, run_child  # noqa: E402

PASSPHRASE = "benchmark passphrase, long enough"


def build(folder: Path, staff: int) -> Path:
    from arrs_desk.demo.pcn import build_demo
    from arrs_desk.services.workspace import Workspace

    path = folder / f"bench-{staff}.sqlite3"
    ws = Workspace.open(path)
    ws.accounts.choose_single_user(display_name="Benchmark User")
    build_demo(ws, arrs_staff=staff, with_accounts=False)
    ws.close()
    return path


def encrypted_copy(path: Path):
    from arrs_desk.store.cipher import DatabaseKey
    from arrs_desk.store.cipher_convert import convert_file

    copy = path.with_name(path.stem + "-encrypted.sqlite3")
    shutil.copyfile(path, copy)
    key = DatabaseKey.new(PASSPHRASE)
    started = time.perf_counter()
    converted = convert_file(copy, None, key)
    return copy, key, time.perf_counter() - started, converted.rows


def open_times(path: Path, key, repeats: int) -> float:
    from arrs_desk.services.workspace import Workspace

    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        ws = Workspace.open(path, key=key)
        times.append(time.perf_counter() - started)
        ws.close()
    return statistics.median(times)


def kdf_time(path: Path, repeats: int) -> float:
    from arrs_desk.services.encryption_keys import unlock

    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        unlock(path, PASSPHRASE)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["ARRS_DESK_HOME"] = tmp
        folder = Path(tmp)
        print("Opening the database (Workspace.open, in-process, medians of "
              f"{args.runs}):")
        big = None
        for staff in (250, 1000):
            plain = build(folder, staff)
            secret, key, convert_s, rows = encrypted_copy(plain)
            p, e = open_times(plain, None, args.runs), open_times(secret, key, args.runs)
            print(f"  {staff:>5,} staff ({rows:,} rows, {plain.stat().st_size / 1e6:.1f} MB): plain {p * 1000:6.0f} ms, "
                  f"encrypted {e * 1000:6.0f} ms = {e / p:.2f}x; turning encryption on took {convert_s * 1000:.0f} ms")
            big = (plain, secret, key)
        plain, secret, key = big
        print(f"  The key from the passphrase (argon2id, 64 MiB): {kdf_time(secret, 3) * 1000:.0f} ms, once per start "
              "when the PC does not remember it")
        env = as_installed()
        keyed = {**env, "ARRS_BENCH_KEY": key.secret, "ARRS_BENCH_SALT": key.salt.hex()}
        run_child("bare", "", env)
        run_child("app", str(plain), env)
        run_child("app-keyring", str(secret), keyed)
        bare, shown, usable, shown_e, usable_e = [], [], [], [], []
        for _ in range(args.runs):
            bare.append(run_child("bare", "", env)["shown"])
            marks = run_child("app", str(plain), env)
            shown.append(marks["shown"])
            usable.append(marks["usable"])
            marks = run_child("app-keyring", str(secret), keyed)
            shown_e.append(marks["shown"])
            usable_e.append(marks["usable"])
    b, s, u, se, ue = (statistics.median(x) for x in (bare, shown, usable, shown_e, usable_e))
    print(f"Start-up, 1,000 ARRS staff, whole process, medians of {args.runs} (interleaved):")
    print(f"  Bare PySide6 window shown:          {b * 1000:6.0f} ms")
    print(f"  Main window shown:   plain {s * 1000:6.0f} ms = {s / b:.2f}x   encrypted {se * 1000:6.0f} ms = "
          f"{se / b:.2f}x bare (target <= 1.6x)")
    print(f"  Staff list usable:   plain {u * 1000:6.0f} ms = {u / b:.2f}x   encrypted {ue * 1000:6.0f} ms = "
          f"{ue / b:.2f}x bare (target <= 3.5x)")
    ok = se / b <= 1.6 and ue / b <= 3.5
    print("Encryption targets met." if ok else "Some encryption targets missed.")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
