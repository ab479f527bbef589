"""File > Export all data…: administrators only, runs in a worker, says where the file went."""

from __future__ import annotations

import json
import zipfile

from PySide6.QtWidgets import QFileDialog

from arrs_desk.services.actor import Actor


def test_export_all_data_saves_a_zip_off_the_gui_thread(main_window, no_dialogs, qtbot, tmp_path, monkeypatch):
    target = tmp_path / "everything"  # ".zip" is added
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    assert main_window.export_action.isVisible()
    task = main_window.export_all_data()
    qtbot.waitUntil(lambda: bool(no_dialogs), timeout=30000)
    assert task is not None
    kind, title, text = no_dialogs[-1]
    assert (kind, title) == ("information", "Export made") and "everything.zip" in text
    with zipfile.ZipFile(tmp_path / "everything.zip") as archive:
        assert json.loads(archive.read("manifest.json"))["format"] == "arrs-desk-export"


def test_export_is_hidden_from_people_who_are_not_administrators(main_window):
    main_window.actor = Actor(1, "helen", "Helen", frozenset({"line_manager", "staff"}), None)
    main_window._apply_permissions()
    assert not main_window.export_action.isVisible()


def test_cancelling_the_file_dialog_does_nothing(main_window, no_dialogs, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    assert main_window.export_all_data() is None
    assert no_dialogs == []
