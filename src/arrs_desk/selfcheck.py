"""`arrs-desk --self-check`: prove that this copy of ARRS Desk works, end to end, in seconds.

Run after building or installing the bundle (and by the bundle test): it creates or opens a
database, runs the migrations, shows the main window offscreen and writes a PDF whose names
need the embedded DejaVu font and Arabic shaping. Each step is timed; the first failure is
reported in plain words and gives a non-zero exit code. Frozen builds fail here, not on a
practice PC, when a migration file, resource, hidden import or Qt plugin is missing.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from arrs_desk import clock
from arrs_desk.domain.dates import format_uk

SAMPLE_NAMES = "Zoë Ōkubo Аня محمد"


class SelfCheckFailed(Exception):
    pass


def run_self_check(database: str | None = None, out=sys.stdout) -> int:
    """Run every step; 0 when all passed, 1 with a message on the first failure."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="arrs-desk-self-check-") as scratch:
        folder = Path(scratch)
        # Logs, settings and backups of a throwaway check never land in the user's real folders.
        os.environ.setdefault("ARRS_DESK_HOME", str(folder / "home"))
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        target = database or str(folder / "self-check.sqlite3")
        steps = (
            ("resources", lambda: _resources()),
            ("today in England (time zone data)", lambda: _clock()),
            ("open database and run migrations", lambda: _open(target)),
            ("main window offscreen", lambda: _window(_state["workspace"])),
            ("Qt bindings keep Python's None alive", lambda: _none_kept()),
            ("PDF with DejaVu Sans and shaping", lambda: _pdf(folder / "self-check.pdf")),
        )
        _state.clear()
        try:
            print(f"ARRS Desk self-check ({_describe_build()})", file=out)
            for name, step in steps:
                step_started = time.perf_counter()
                detail = step()
                print(f"  ok  {name:<36} {1000 * (time.perf_counter() - step_started):7.0f} ms  {detail}", file=out)
        except Exception as exc:  # noqa: BLE001  (any failure is the answer)
            print(f"  FAILED  {name}: {type(exc).__name__}: {exc}", file=out)
            return 1
        finally:
            workspace = _state.pop("workspace", None)
            if workspace is not None:
                workspace.close()
        print(f"Self-check passed in {1000 * (time.perf_counter() - started):.0f} ms.", file=out)
        return 0


_state: dict = {}


def _describe_build() -> str:
    from arrs_desk import __version__

    kind = "bundle" if getattr(sys, "frozen", False) else "Python " + sys.version.split()[0]
    return f"version {__version__}, {kind}, {sys.platform}"


def _clock() -> str:
    from zoneinfo import ZoneInfo

    ZoneInfo("Europe/London")  # raises ZoneInfoNotFoundError where the tzdata files are missing
    return f"{format_uk(clock.today())}"


def _resources() -> str:
    from arrs_desk.paths import resource_path, resources_root
    from arrs_desk.store.schema import VERSIONS_DIR, known_revisions

    for part in (("fonts", "DejaVuSans.ttf"), ("icons", "arrs-desk.svg"), ("help", "guide.md")):
        if not resource_path(*part).is_file():
            raise SelfCheckFailed(f"{'/'.join(part)} is missing from {resources_root()}")
    if not known_revisions():
        raise SelfCheckFailed(f"no migration files in {VERSIONS_DIR}")
    return f"{resources_root()}; {len(known_revisions())} schema revisions"


def _open(target: str) -> str:
    from arrs_desk.services.workspace import Workspace
    from arrs_desk.store.schema import head_revision

    workspace = Workspace.open(target)
    _state["workspace"] = workspace
    return f"{workspace.location} at revision {head_revision()}"


def _none_kept() -> str:
    """PySide6 6.12 on Python 3.11 frees None after a few thousand calls (issue 15): refuse such a build."""
    from PySide6 import __version__ as pyside_version
    from PySide6.QtWidgets import QLabel

    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("ARRS Desk")
    fell = before - sys.getrefcount(None)
    label.deleteLater()
    if fell > 100:
        raise SelfCheckFailed(f"PySide6 {pyside_version} on Python {sys.version.split()[0]} drops references to None "
                              f"({fell} in 2,000 calls) and would abort: use Python 3.12 or newer, or PySide6 below 6.12")
    return f"PySide6 {pyside_version}, Python {sys.version.split()[0]}"


def _window(workspace) -> str:
    from PySide6.QtCore import QSettings

    from arrs_desk.services.actor import SYSTEM
    from arrs_desk.ui.shell.app import make_application
    from arrs_desk.ui.shell.main_window import MainWindow

    app = make_application()
    settings = QSettings(str(Path(os.environ["ARRS_DESK_HOME"]) / "self-check-ui.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings, workspace=workspace, actor=SYSTEM)
    try:
        window.resize(1000, 700)
        window.show()
        app.processEvents()
        image = window.grab().toImage()
        if image.isNull() or image.width() < 100:
            raise SelfCheckFailed("the main window drew nothing")
        if window.windowIcon().isNull():
            raise SelfCheckFailed("the application icon did not load (SVG icon engine missing?)")
        return f"{image.width()}x{image.height()} px, platform {app.platformName()}"
    finally:
        window.workspace = None  # the check closes the workspace itself
        window.close()
        window.deleteLater()
        app.processEvents()


def _pdf(path: Path) -> str:
    from arrs_desk.reports.fonts import shaping_available
    from arrs_desk.reports.signature_sheet import SheetLine, SignatureSheet, build_signature_sheet

    sheet = SignatureSheet(
        organisation="ARRS Desk self-check", subject=SAMPLE_NAMES, role="Clinical pharmacist",
        purpose="A test page", lines=(SheetLine("Self-check", f"Signed by {SAMPLE_NAMES}", clock.today()),),
        prepared_by="ARRS Desk", prepared_on=clock.today(),
    )
    build_signature_sheet(path, sheet)
    data = path.read_bytes()
    if not data.startswith(b"%PDF") or b"DejaVuSans" not in data:
        raise SelfCheckFailed("the PDF was written without the embedded DejaVu Sans font")
    if not shaping_available():
        raise SelfCheckFailed("uharfbuzz is missing, so Arabic names would print in the wrong form")
    return f"{len(data) // 1024} KB"
