#!/usr/bin/env python3
"""Set up, run and test ARRS Desk from a fresh checkout.

    python3 scripts/bootstrap.py setup                 # everything a developer needs
    python3 scripts/bootstrap.py run [app args...]     # set up, then start the app
    python3 scripts/bootstrap.py test [pytest args...] # set up, then run the whole suite
                                                       # and the date-sensitive tests on hard days

On Windows use ``py -3 scripts\\bootstrap.py ...`` (or ``scripts\\bootstrap.ps1 ...``).

Standard library only, so it runs with the system Python (3.11 or newer) before
anything is installed. What it does:

1. Linux with apt-get: installs the missing OS packages (python3-venv when the
   interpreter cannot make a venv, the shared libraries Qt needs, PostgreSQL for
   the tests). Already-installed machines do no apt work at all.
2. Creates ``.venv`` next to pyproject.toml when missing.
3. ``pip install -e .[extras]`` into it, unless ``.venv/.bootstrap-stamp`` says
   the same pyproject.toml was already installed with those extras.

Options before the subcommand: ``-v``/``--verbose`` shows pip's output (it is
also shown when CI is set); ``--no-apt`` (or ARRS_BOOTSTRAP_NO_APT=1) skips the
OS package step.

``test`` with no arguments runs the whole suite, as two pytest processes side by side (one
per core, FIRST_LANE_FOLDERS in one), and the date-sensitive folders again on each of DATE_SENSITIVE_DAYS (see there for
which days and why the PostgreSQL half runs on one of them only); it passes when all of them
pass. ``test`` with arguments runs just what was asked.
"""

from __future__ import annotations

import glob
import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import NamedTuple

MIN_PYTHON = (3, 11)
ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STAMP = VENV / ".bootstrap-stamp"
WINDOWS = os.name == "nt"
BIN = VENV / ("Scripts" if WINDOWS else "bin")
VENV_PYTHON = BIN / ("python.exe" if WINDOWS else "python")
APP = BIN / ("arrs-desk-gui.exe" if WINDOWS else "arrs-desk")

# --- Debian/Ubuntu packages ---------------------------------------------------
# Each entry is a tuple of alternative package names: it is satisfied when any of
# them is installed; when none is, the first one apt knows is installed (the
# "t64" names are Ubuntu 24.04 / Debian 13's, the plain ones Debian 12's).
#
# Found with `readelf -d` (NEEDED entries) on the PySide6-Essentials wheel's
# Qt/lib/*.so.6, the Python modules and the plugins, minus the libraries the
# wheel bundles and those every Debian system has (libc6, libstdc++6, zlib1g,
# libzstd1, ...), then `dpkg -S` on each library to get its package.

# QtCore/QtGui/QtWidgets/QtSvg/QtTest/QtPrintSupport and the offscreen platform
# plugin (what the tests use). Without a font text renders as nothing.
QT_BASE_PACKAGES = [
    ("libegl1",),
    ("libgl1",),
    ("libx11-6",),
    ("libxkbcommon0",),
    ("libfontconfig1",),
    ("libfreetype6",),
    ("libdbus-1-3",),
    ("libglib2.0-0t64", "libglib2.0-0"),
    ("fonts-dejavu-core",),
]
# A real window: the xcb platform plugin (libqxcb.so, libQt6XcbQpa.so.6, the xcb
# GL integrations), the wayland one (a Wayland session falls back to xcb without
# it) and CUPS for the print support plugin.
QT_WINDOW_PACKAGES = [
    ("libx11-xcb1",),
    ("libxcb1",),
    ("libxcb-cursor0",),
    ("libxcb-glx0",),
    ("libxcb-icccm4",),
    ("libxcb-image0",),
    ("libxcb-keysyms1",),
    ("libxcb-randr0",),
    ("libxcb-render0",),
    ("libxcb-render-util0",),
    ("libxcb-shape0",),
    ("libxcb-shm0",),
    ("libxcb-sync1",),
    ("libxcb-util1",),
    ("libxcb-xfixes0",),
    ("libxcb-xkb1",),
    ("libxkbcommon-x11-0",),
    ("libwayland-client0",),
    ("libwayland-cursor0",),
    ("libwayland-egl1",),
    ("libcups2t64", "libcups2"),
]
# The tests start a throwaway PostgreSQL server (tests/support/postgres.py).
POSTGRES_PACKAGES = [("postgresql",)]

# PyInstaller on Linux reads shared libraries with ldd (libc-bin) and objdump (binutils).
PACKAGING_PACKAGES = [("binutils",)]

# What each subcommand needs: (pip extras, OS package groups).
# "package" (PyInstaller): tests/packaging/test_bundle.py builds and runs the real bundle.
MODES = {
    "run": ((), QT_BASE_PACKAGES + QT_WINDOW_PACKAGES),
    "test": (("test", "package"), QT_BASE_PACKAGES + POSTGRES_PACKAGES + PACKAGING_PACKAGES),
    "setup": (("test", "package"), QT_BASE_PACKAGES + QT_WINDOW_PACKAGES + POSTGRES_PACKAGES + PACKAGING_PACKAGES),
}

VERBOSE = bool(os.environ.get("CI"))

# --- the suite on other days, in two lanes ----------------------------------------------
# Date rules go wrong on particular days, so besides the whole suite on its usual "today"
# (24/11/2026, tests/conftest.py) the folders whose tests depend on the date run again with the
# suite's clock (ARRS_TEST_TODAY) on each of these:
DATE_SENSITIVE_FOLDERS = ("tests/domain", "tests/reports", "tests/services")
DATE_SENSITIVE_DAYS = (
    "2028-02-29",  # a leap day: 12 months back is 28/02, a year on is 28/02 too
    "2027-12-31T23:30",  # the last half hour of a year (UK time): year ends, 31st after a 30-day month
    "2027-03-28T00:30",  # the night the clocks go forward, before the change: a 23-hour day
)
POSTGRES_DAYS = ("2028-02-29",)
"""Days the PostgreSQL half of tests/services runs on as well; the other days run on SQLite only.
The date rules are the same Python on either backend, and every test runs on both backends on the
usual day. Tests marked slow are left out on the extra days: they are the demo builds
(tests/services/test_demo_any_day.py), which already build on each of these days as their own
parameters, and PostgreSQL-only storage checks that do not depend on the date."""

FIRST_LANE_FOLDERS = ("tests/store", "tests/packaging")
"""The suite runs as two pytest processes side by side, one per core: these folders, then the hard
days (`FIRST_LANE_DAYS`), in one; everything else, tests/ui last as in a single run, in the other.
In one process the suite took 18.4 min on 2 quiet cores (22 with the days beside it).

tests/ui stays after the services tests, in their process, although alone it runs in 3.5 min
instead of 9.8 (every collection walks the heap the services tests leave): run on its own, the
intermittent segfault in a QWidget's constructor seen in long tests/ui runs in earlier sessions
came back, in 2 of 7 runs (04-05/12/2026), both while building the My induction page in
tests/ui/test_induction_ui.py; it has not been seen in single-process runs for several sessions.
Until it is found, the UI tests run where they have kept passing."""
FIRST_LANE_DAYS = DATE_SENSITIVE_DAYS
"""The days that follow the first lane's folders; any others follow the rest of the suite."""


class Run(NamedTuple):
    """One pytest process: what the report calls it, its day (None: the usual one), its arguments."""

    label: str
    day: str | None
    args: list[str]


def date_sensitive_runs() -> list[tuple[str, list[str]]]:
    """(day, pytest arguments) for each extra day the date-sensitive folders run on."""
    runs = []
    for day in DATE_SENSITIVE_DAYS:
        marks = "not slow" if day in POSTGRES_DAYS else "not slow and not postgres"
        runs.append((day, ["-q", "-m", marks, *DATE_SENSITIVE_FOLDERS]))
    return runs


def lanes() -> list[list[Run]]:
    """The whole test run as two lanes of pytest processes, each lane's runs one after another:
    part of the suite, then its share of the hard days."""
    first = [Run(f"the suite's {', '.join(FIRST_LANE_FOLDERS)}", None, ["-q", *FIRST_LANE_FOLDERS])]
    rest = [Run("the rest of the suite", None,
                ["-q", "tests", *(f"--ignore={folder}" for folder in FIRST_LANE_FOLDERS)])]
    for day, args in date_sensitive_runs():
        (first if day in FIRST_LANE_DAYS else rest).append(Run(f"date-sensitive tests on {day}", day, args))
    return [first, rest]


def say(message: str) -> None:
    print(f"[bootstrap] {message}", flush=True)


class BootstrapError(Exception):
    pass


def run_checked(cmd: list[str], what: str, quiet: bool = False, **kwargs) -> None:
    """Run cmd; raise BootstrapError naming `what` when it fails.

    quiet hides the command's output unless it fails (then it is printed).
    """
    if VERBOSE:
        say("$ " + " ".join(cmd))
    if quiet and not VERBOSE:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kwargs)
        if proc.returncode != 0:
            sys.stdout.write(proc.stdout)
    else:
        proc = subprocess.run(cmd, **kwargs)
    if proc.returncode != 0:
        raise BootstrapError(f"{what} failed (exit code {proc.returncode}): {' '.join(cmd)}")


# --- OS packages ----------------------------------------------------------------


def installed_debs(names: list[str]) -> set[str]:
    """The subset of `names` that dpkg reports as fully installed."""
    proc = subprocess.run(
        ["dpkg-query", "-W", "-f=${Package} ${Status}\\n", *names],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # "no packages found matching X" for unknown names
        text=True,
    )
    found = set()
    for line in proc.stdout.splitlines():
        parts = line.split()
        # "${Status}" is e.g. "install ok installed" or "deinstall ok config-files".
        if len(parts) >= 2 and parts[-1] == "installed":
            found.add(parts[0])
    return found


def apt_candidates(names: list[str]) -> set[str]:
    """The subset of `names` apt could install (real packages with a candidate)."""
    proc = subprocess.run(["apt-cache", "policy", *names], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    available, current = set(), None
    for line in proc.stdout.splitlines():
        if line and not line[0].isspace() and line.endswith(":"):
            current = line[:-1].split(":")[0]  # "libfoo:" or "libfoo:amd64:"
        elif current and line.strip().startswith("Candidate:") and "(none)" not in line:
            available.add(current)
    return available


def postgres_server_installed() -> bool:
    """True when initdb and pg_ctl are present (Debian's layout or on PATH)."""
    if glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        return True
    return bool(shutil.which("initdb") and shutil.which("pg_ctl"))


def missing_groups(groups: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    installed = installed_debs(sorted({name for group in groups for name in group}))
    missing = []
    for group in groups:
        if any(name in installed for name in group):
            continue
        if group == ("postgresql",) and postgres_server_installed():
            continue  # e.g. postgresql-15 installed without the "postgresql" metapackage
        missing.append(group)
    return missing


def needs_venv_package() -> bool:
    """Debian's Python cannot make a venv with pip until python3-venv is installed."""
    return not VENV_PYTHON.exists() and importlib.util.find_spec("ensurepip") is None


def ensure_os_packages(groups: list[tuple[str, ...]]) -> None:
    if os.environ.get("ARRS_BOOTSTRAP_NO_APT") or not sys.platform.startswith("linux"):
        return
    groups = list(groups)
    if needs_venv_package():
        this_python = f"python{sys.version_info.major}.{sys.version_info.minor}-venv"
        groups.insert(0, (this_python, "python3-venv"))
    if not shutil.which("apt-get") or not shutil.which("dpkg-query"):
        if not VENV_PYTHON.exists():  # say it once, on the first setup
            say("no apt-get here: make sure Qt 6's X11/EGL libraries (and PostgreSQL for the tests) are installed")
        if needs_venv_package():
            raise BootstrapError(f"{sys.executable} cannot create virtual environments (no ensurepip)")
        return
    missing = missing_groups(groups)
    if not missing:
        return

    prefix: list[str] = []
    if os.geteuid() != 0:
        if not shutil.which("sudo"):
            names = " ".join(group[-1] for group in missing)
            raise BootstrapError(
                f"missing OS packages and no sudo: as root run `apt-get install {names}` "
                "(or rerun with --no-apt to skip this step)"
            )
        prefix = ["sudo"]
    # `env` so the variable survives sudo's environment reset; the lock timeout
    # waits for a running unattended-upgrade instead of failing at once.
    apt = [*prefix, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "-o", "DPkg::Lock::Timeout=300"]

    say("updating the apt package lists")
    try:
        run_checked([*apt, "update"], "apt-get update", quiet=True)
    except BootstrapError as error:
        # One broken third-party source fails the update; the install may still work.
        say(f"warning: {error}")

    # One name per group: the first alternative apt can install (else the last).
    alternatives = [name for group in missing if len(group) > 1 for name in group]
    available = apt_candidates(alternatives) if alternatives else set()
    packages = [next((name for name in group if name in available), group[-1]) for group in missing]

    say("installing OS packages: " + " ".join(packages))
    run_checked(
        [*apt, "install", "-y", "--no-install-recommends", *packages],
        "apt-get install",
        quiet=True,
    )


# --- virtual environment -----------------------------------------------------------


def stamp_for(extras: tuple[str, ...]) -> dict:
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    return {"pyproject_sha256": digest, "extras": sorted(extras)}


def read_stamp() -> dict | None:
    try:
        return json.loads(STAMP.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def venv_has_pip() -> bool:
    return (
        subprocess.run(
            [str(VENV_PYTHON), "-m", "pip", "--version"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        ).returncode
        == 0
    )


def create_venv() -> None:
    say(f"creating {VENV.relative_to(ROOT)} with Python {sys.version.split()[0]} ({sys.executable})")
    try:
        # --clear: a half-made or broken .venv (e.g. its Python was removed) is rebuilt.
        run_checked([sys.executable, "-m", "venv", "--clear", str(VENV)], "creating the virtual environment")
        say("upgrading pip")
        run_checked(
            [str(VENV_PYTHON), "-m", "pip", "install", "--disable-pip-version-check", "-q", "--upgrade", "pip"],
            "upgrading pip",
        )
    except BootstrapError:
        shutil.rmtree(VENV, ignore_errors=True)  # so the next attempt starts clean
        raise


def ensure_venv(extras: tuple[str, ...]) -> None:
    wanted = stamp_for(extras)
    old = read_stamp() if VENV_PYTHON.exists() else None
    if (
        old
        and old.get("pyproject_sha256") == wanted["pyproject_sha256"]
        and set(wanted["extras"]) <= set(old.get("extras", []))
    ):
        return  # up to date: the fast path of every later run

    if not VENV_PYTHON.exists() or not venv_has_pip():
        create_venv()
    elif old and old.get("pyproject_sha256") == wanted["pyproject_sha256"]:
        # Same pyproject.toml, more extras asked for: keep what is already there too.
        wanted["extras"] = sorted(set(wanted["extras"]) | set(old.get("extras", [])))

    target = "." + (f"[{','.join(wanted['extras'])}]" if wanted["extras"] else "")
    say(f'installing the project: pip install -e "{target}" (the first time takes a few minutes)')
    STAMP.unlink(missing_ok=True)
    cmd = [str(VENV_PYTHON), "-m", "pip", "install", "--disable-pip-version-check", "--progress-bar", "off"]
    if not VERBOSE:
        cmd.append("-q")
    run_checked([*cmd, "-e", target], "pip install", cwd=ROOT)
    STAMP.write_text(json.dumps(wanted) + "\n", encoding="utf-8")


def setup(mode: str) -> None:
    started = time.monotonic()
    extras, packages = MODES[mode]
    ensure_os_packages(packages)
    ensure_venv(extras)
    say(f"environment ready ({time.monotonic() - started:.1f} s)")


# --- subcommands ---------------------------------------------------------------------


def wait_for(cmd: list[str], **kwargs) -> int:
    """Run cmd to completion; Ctrl+C reaches the child too, so just wait for it."""
    proc = subprocess.Popen(cmd, **kwargs)
    while True:
        try:
            return proc.wait()
        except KeyboardInterrupt:
            continue


def cmd_run(args: list[str]) -> int:
    setup("run")
    if not APP.exists():
        raise BootstrapError(f"{APP} is missing: delete {STAMP} and try again")
    say("starting ARRS Desk")
    return wait_for([str(APP), *args])


def junit_counts(path: Path) -> dict[str, int]:
    """passed, failed, errors and skipped from a pytest --junitxml report."""
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    root = ElementTree.parse(path).getroot()
    for suite in root.iter("testsuite"):
        for key in counts:
            counts[key] += int(suite.get(key, 0))
    return {"passed": counts["tests"] - counts["failures"] - counts["errors"] - counts["skipped"],
            "failed": counts["failures"], "errors": counts["errors"], "skipped": counts["skipped"]}


def describe(counts: dict[str, int]) -> str:
    parts = [f"{counts[key]:,} {key}" for key in ("failed", "errors") if counts[key]]
    parts.append(f"{counts['passed']:,} passed")
    if counts["skipped"]:
        parts.append(f"{counts['skipped']:,} skipped")
    return ", ".join(parts)


def run_one(run: Run, env: dict[str, str]) -> tuple[bool, str]:
    """Run one pytest process with its output kept in a file; (passed, its one-line verdict, after
    the output's tail when it failed). A run that reports no test passed has failed."""
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="arrs-tests-") as folder:
        report, log = Path(folder) / "report.xml", Path(folder) / "output.txt"
        run_env = {**env, "ARRS_TEST_TODAY": run.day} if run.day else env
        with open(log, "w", encoding="utf-8") as out:
            code = wait_for([str(VENV_PYTHON), "-m", "pytest", *run.args, f"--junitxml={report}",
                             f"--basetemp={Path(folder) / 'tmp'}", "-p", "no:cacheprovider"],
                            cwd=ROOT, env=run_env, stdout=out, stderr=subprocess.STDOUT)
        try:
            counts = junit_counts(report)
        except (OSError, ElementTree.ParseError):
            counts = None
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-150:] if log.exists() else []
    minutes, seconds = divmod(round(time.monotonic() - started), 60)
    if counts is None:
        return False, "\n".join([*tail, f"{run.label}: pytest stopped with exit code {code} before reporting – FAILED"])
    ok = code == 0 and counts["passed"] > 0 and not counts["failed"] and not counts["errors"]
    line = (f"{run.label}: {describe(counts)} ({minutes}m{seconds:02d}s)"
            + ("" if ok else f" – FAILED (exit code {code})"))
    return ok, line if ok else "\n".join([*tail, line])


def run_lanes(env: dict[str, str]) -> list[str]:
    """Every lane at once, each on its own thread; a verdict is printed as each run ends (a failed
    run's output tail with it). Returns the labels of the runs that failed."""
    failed: list[str] = []
    printing = threading.Lock()

    def lane(runs: list[Run]) -> None:
        for run in runs:
            ok, verdict = run_one(run, env)
            *output, line = verdict.splitlines()
            with printing:
                if output:
                    print("\n".join(output), flush=True)
                say(line)
                if not ok:
                    failed.append(run.label)

    threads = [threading.Thread(target=lane, args=(runs,), daemon=True) for runs in lanes()]
    for thread in threads:
        thread.start()
    for thread in threads:
        while thread.is_alive():
            try:
                thread.join()
            except KeyboardInterrupt:  # reaches the pytest processes too: wait for them to stop
                continue
    return failed


def cmd_test(args: list[str]) -> int:
    setup("test")
    env = dict(os.environ)
    # No display in CI: Qt aborts without a platform. A caller's choice (e.g. xcb
    # under Xvfb) wins.
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    if args:  # just what was asked, its output as it comes
        say(f"running pytest (QT_QPA_PLATFORM={env['QT_QPA_PLATFORM']})")
        # From the repository root so pytest reads pyproject.toml's settings.
        code = wait_for([str(VENV_PYTHON), "-m", "pytest", *args], cwd=ROOT, env=env)
        if code == 5:
            say("pytest collected no tests: counting that as a failure")
            code = 1
        return code
    backends = ", ".join(f"{day} ({'SQLite and PostgreSQL' if day in POSTGRES_DAYS else 'SQLite'})"
                         for day in DATE_SENSITIVE_DAYS)
    say(f"running the whole suite (QT_QPA_PLATFORM={env['QT_QPA_PLATFORM']}) as two pytest processes side "
        f"by side, then {' '.join(DATE_SENSITIVE_FOLDERS)} again on {backends}; a line as each run ends")
    failed = run_lanes(env)
    if failed:
        say(f"failed: {'; '.join(failed)}")
        return 1
    say(f"the whole suite passed, and the date-sensitive tests on all {len(DATE_SENSITIVE_DAYS)} extra days")
    return 0


def cmd_setup(args: list[str]) -> int:
    if args:
        raise BootstrapError(f"setup takes no arguments (got {' '.join(args)})")
    setup("setup")
    return 0


COMMANDS = {"run": cmd_run, "test": cmd_test, "setup": cmd_setup}


def main(argv: list[str]) -> int:
    global VERBOSE
    # Hand-rolled parsing: everything after the subcommand goes to the app or to
    # pytest untouched (argparse would try to interpret "-k", "--help", ...).
    while argv and argv[0].startswith("-"):
        option = argv.pop(0)
        if option in ("-v", "--verbose"):
            VERBOSE = True
        elif option == "--no-apt":
            os.environ["ARRS_BOOTSTRAP_NO_APT"] = "1"
        elif option in ("-h", "--help"):
            print(__doc__)
            return 0
        else:
            print(f"unknown option {option}\n{__doc__}", file=sys.stderr)
            return 2
    if not argv or argv[0] not in COMMANDS:
        print(__doc__, file=sys.stderr)
        return 2
    if sys.version_info < MIN_PYTHON:
        print(
            f"[bootstrap] Python {'.'.join(map(str, MIN_PYTHON))} or newer is needed; "
            f"this is {sys.version.split()[0]} ({sys.executable})",
            file=sys.stderr,
        )
        return 1
    try:
        return COMMANDS[argv[0]](argv[1:])
    except BootstrapError as error:
        print(f"[bootstrap] error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
