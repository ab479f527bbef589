"""The import contracts in pyproject.toml ([tool.importlinter]) hold, no exception in them has
outlived its reason, and they would catch a wrong-way import.

import-linter reads the source without importing it. It runs in a child process with the
package's src/ folder first on the path, so it checks these files whatever else is installed,
and on a copy of the package with one wrong import added to show that each kind is caught.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
PYPROJECT = ROOT / "pyproject.toml"


def lint(src: Path) -> str:
    """lint-imports with this project's contracts on the arrs_desk package under `src`; its report."""
    assert importlib.util.find_spec("importlinter"), (
        "import-linter is missing: install the test extra (python3 scripts/bootstrap.py setup)")
    path = os.pathsep.join(p for p in (str(src), os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, "PYTHONPATH": path, "COLUMNS": "400", "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command; lint_imports_command()",
         "--no-cache", "--no-logo", str(PYPROJECT)],
        cwd=src, env=env, capture_output=True, text=True, timeout=300)
    report = done.stdout + done.stderr
    assert ("0 broken" in report) == (done.returncode == 0), report  # a crash is not a verdict
    return report


def broken_contracts(report: str) -> set[str]:
    return set(re.findall(r"^(.+) BROKEN\b", report, flags=re.MULTILINE))


def test_the_import_contracts_hold():
    report = lint(SRC)
    kept = re.search(r"Contracts: (\d+) kept, 0 broken", report)
    assert kept, report
    assert int(kept.group(1)) >= 6, report  # every contract in pyproject.toml was read and checked


def test_no_exception_in_the_contracts_outlives_its_reason():
    """An ignore_imports line that matches nothing is stale: delete it. The one exception waits for
    the arrs_desk.demo package: until that exists, its TODO line has nothing to match."""
    stale = re.findall(r"No matches for ignored import (.+?)\.?$", lint(SRC), flags=re.MULTILINE)
    waiting = not (SRC / "arrs_desk" / "demo").exists()
    assert [line for line in stale if not (waiting and "-> arrs_desk.demo." in line)] == []


WRONG_WAY = {
    "a report reaching up into the services": (
        "reports/supervision_tables.py", "import arrs_desk.services.exports",
        "Layers:", "arrs_desk.reports.supervision_tables -> arrs_desk.services.exports"),
    "a report opening the store": (
        "reports/styles.py", "from arrs_desk.store import models",
        "Layers:", "arrs_desk.reports is not allowed to import arrs_desk.store"),
    "a service importing a view": (
        "services/audit.py", "from arrs_desk.ui.common import operation",
        "Layers:", "arrs_desk.services.audit -> arrs_desk.ui.common.operation"),
    "a cycle inside the store": (
        "store/engine.py", "from arrs_desk.store import database",
        "No import cycles", "No cycles are allowed in arrs_desk.store"),
    "a domain rule reading the clock": (
        "domain/dates.py", "from arrs_desk import clock",
        "Domain rules and reports work on plain data", "arrs_desk.domain.dates -> arrs_desk.clock"),
    "a service importing Qt": (
        "services/audit.py", "from PySide6 import QtCore",
        "Services, the store and the command-line tools run without Qt", "arrs_desk.services.audit -> PySide6"),
    "a view opening the database": (
        "ui/staff/staff_page.py", "import sqlalchemy",
        "Views reach the database only through the services", "arrs_desk.ui.staff.staff_page -> sqlalchemy"),
    "a view deciding with a domain rule": (
        "ui/staff/staff_page.py", "from arrs_desk.domain import supervision",
        "Views take from domain only", "arrs_desk.ui.staff.staff_page -> arrs_desk.domain.supervision"),
    "a ui feature importing another feature": (
        "ui/staff/staff_page.py", "from arrs_desk.ui.reviews import reviews_model",
        "ui feature packages do not import each other", "arrs_desk.ui.staff.staff_page -> arrs_desk.ui.reviews.reviews_model"),
}


@pytest.mark.parametrize(("module", "line", "contract", "named"), WRONG_WAY.values(), ids=WRONG_WAY.keys())
def test_a_wrong_way_import_breaks_a_contract(tmp_path, module, line, contract, named):
    copy = tmp_path / "src"
    shutil.copytree(SRC / "arrs_desk", copy / "arrs_desk", ignore=shutil.ignore_patterns("__pycache__"))
    target = copy / "arrs_desk" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}  # added by the test\n", encoding="utf-8")

    report = lint(copy)

    assert any(name.startswith(contract) for name in broken_contracts(report)), report
    assert named in report, report
