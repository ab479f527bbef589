"""Size and start-up time of the PyInstaller bundle against the app run from the source tree.

Builds the one-folder bundle (unless --bundle names one already built), then measures, as
medians of whole-process runs on a fresh database each time:
  - `--version`: process start, interpreter and argument parsing only,
  - `--self-check`: resources, a new database with every migration, the main window drawn
    offscreen and a PDF (the bundle test runs the same command).
Also reports the folder's size on disk and as a .tar.gz (what a download or installer carries).

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bundle.py [--runs 5] [--bundle dist/arrs-desk]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build(work: Path) -> tuple[Path, float]:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                    "--distpath", str(work / "dist"), "--workpath", str(work / "build"),
                    str(ROOT / "packaging" / "arrs_desk.spec")], check=True, cwd=ROOT)
    return work / "dist" / "arrs-desk", time.perf_counter() - started


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def compressed_size(folder: Path, scratch: Path) -> int:
    archive = scratch / "bundle.tar.gz"
    with tarfile.open(archive, "w:gz", compresslevel=6) as tar:
        tar.add(folder, arcname=folder.name)
    return archive.stat().st_size


def timed(cmd: list[str], runs: int, scratch: Path) -> float:
    times = []
    for run in range(runs):
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ARRS_DESK_HOME": str(scratch / f"home-{run}")}
        started = time.perf_counter()
        result = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=scratch)
        times.append(time.perf_counter() - started)
        if result.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed:\n{result.stdout}{result.stderr}")
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--bundle", type=Path, help="an already built dist/arrs-desk folder (default: build one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="arrs-bundle-bench-") as scratch_name:
        scratch = Path(scratch_name)
        if args.bundle:
            bundle, build_seconds = args.bundle.resolve(), None
        else:
            bundle, build_seconds = build(scratch)
        frozen = [str(bundle / "arrs-desk")]
        source = [sys.executable, "-m", "arrs_desk"]
        rows = []
        for label, extra in (("--version", ["--version"]), ("--self-check", ["--self-check"])):
            rows.append((label, timed(source + extra, args.runs, scratch), timed(frozen + extra, args.runs, scratch)))
        size, packed = folder_size(bundle), compressed_size(bundle, scratch)

    print(f"Bundle: {bundle}")
    if build_seconds is not None:
        print(f"  build time                 {build_seconds:8.1f} s")
    print(f"  size on disk               {size / 2**20:8.1f} MB")
    print(f"  as .tar.gz                 {packed / 2**20:8.1f} MB")
    print(f"Start-up, median of {args.runs} runs   source tree   bundle")
    for label, from_source, from_bundle in rows:
        print(f"  {label:<24} {1000 * from_source:9.0f} ms {1000 * from_bundle:7.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
