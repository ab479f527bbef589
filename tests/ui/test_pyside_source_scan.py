"""PySide reads the source of every module imported after it, looking for opt-in features ARRS Desk
never selects (`ui.shell.app.skip_pysides_source_scan`): the app tells it no module uses them, so
no file is read, and does nothing if PySide no longer works that way."""

from __future__ import annotations

import inspect
import sys
import types

from arrs_desk.ui.shell import app


def test_a_module_imported_after_the_app_is_not_read_for_pyside_features(monkeypatch, tmp_path):
    read = []
    original = inspect.getsource
    monkeypatch.setattr(inspect, "getsource", lambda thing: read.append(thing) or original(thing))
    (tmp_path / "freshly_made_page.py").write_text(
        "from PySide6.QtWidgets import QLabel\n\ndef label(text):\n    return QLabel(text)\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    import freshly_made_page  # noqa: PLC0415  (imported here: after the app, as every page is)

    assert freshly_made_page.label("Staff").text() == "Staff"
    assert not [thing for thing in read if getattr(thing, "__name__", "") == "freshly_made_page"]


def test_nothing_is_changed_where_pyside_has_no_such_scan(monkeypatch):
    stand_in = types.ModuleType("shibokensupport.feature")  # a PySide without the private scan
    monkeypatch.setitem(sys.modules, "shibokensupport.feature", stand_in)
    app.skip_pysides_source_scan()
    assert not hasattr(stand_in, "_mod_uses_pyside")
