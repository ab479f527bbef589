"""Issue 15: opening the staff editor on a large database must not free Python's None.

PySide6 6.12 drops a reference to None on every call that returns nothing (addItem, setText,
...). From Python 3.12 None is immortal and that is harmless; on 3.11 the editor's ~3,000 combo
items per opening brought None's count to zero and the process aborted on exit ("none_dealloc").
pyproject.toml keeps PySide6 below 6.12 on Python 3.11. The child process below opens and
closes the editor many times on a database of a few thousand staff and reports how far None's
count fell; run in its own process so a regression fails this test instead of aborting the suite.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

CHILD = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication
    from arrs_desk.clock import FixedClock, parse_instant
    from arrs_desk.services.actor import SYSTEM
    from arrs_desk.services.workspace import Workspace
    from arrs_desk.ui.staff.staff_editor import StaffEditor

    app = QApplication([])
    workspace = Workspace.open(Path(sys.argv[1]), FixedClock(parse_instant(sys.argv[2])))
    rows = workspace.staff.list_rows(SYSTEM)
    record = workspace.staff.get(SYSTEM, staff_id=rows[len(rows) // 2].id)
    before = sys.getrefcount(None)
    for _ in range(int(sys.argv[3])):
        editor = StaffEditor(workspace, SYSTEM, record)
        editor.show()
        app.processEvents()
        editor.reject()
        editor.deleteLater()
        app.processEvents()
    after = sys.getrefcount(None)
    workspace.close()
    print(f"staff={len(rows)} none_before={before} none_after={after}", flush=True)
""")


@pytest.fixture(scope="module")
def large_database(tmp_path_factory, demo_template) -> Path:
    """The demo PCN plus 3,000 people imported from an HR system's CSV export."""
    import shutil

    from tests.support.large_pcn import add_imported_staff

    path = tmp_path_factory.mktemp("large") / "large.sqlite3"
    shutil.copyfile(demo_template, path)
    add_imported_staff(path, 3000)
    return path


@pytest.mark.slow
def test_opening_the_staff_editor_many_times_on_a_large_database_keeps_none_alive(large_database, tmp_path):
    from tests.conftest import NOW

    result = subprocess.run([sys.executable, "-c", CHILD, str(large_database), NOW.isoformat(), "20"],
                            capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert result.returncode == 0, f"the child aborted ({result.returncode}):\n{result.stderr[-2000:]}"
    line = result.stdout.strip().splitlines()[-1]
    figures = dict(part.split("=") for part in line.split())
    assert int(figures["staff"]) > 3000
    fell = int(figures["none_before"]) - int(figures["none_after"])
    # Twenty editors fill ~60,000 combo items; a correct binding leaves None's count where it was
    # (within what the editors themselves still hold while Python tidies up).
    assert fell < 200, f"None's reference count fell by {fell} over 20 editors: {line}"
