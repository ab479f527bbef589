"""The crash handler: an error escaping a slot is written to the log file and explained calmly."""

from __future__ import annotations

import logging
import os
import sys

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox

from arrs_desk.ui.shell.app import install_crash_handler


class Button(QObject):
    clicked = Signal()


@pytest.fixture
def fresh_log(tmp_path, monkeypatch):
    monkeypatch.setenv("ARRS_DESK_HOME", str(tmp_path / "home"))
    log = logging.getLogger("arrs_desk")
    saved = log.handlers[:]
    log.handlers.clear()
    yield tmp_path / "home" / "logs" / "arrs-desk.log"
    for handler in log.handlers:
        handler.close()
    log.handlers[:] = saved


def test_an_error_in_a_slot_is_logged_and_explained(qtbot, monkeypatch, fresh_log):
    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append((box.windowTitle(), box.text(),
                                                                        box.detailedText())) or 0)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # put pytest-qt's hook back afterwards
    install_crash_handler()

    def broken_slot():
        raise RuntimeError("Ōkubo's checklist could not be drawn")

    button = Button()
    button.clicked.connect(broken_slot)
    button.clicked.emit()

    assert fresh_log.is_file()
    logged = fresh_log.read_text(encoding="utf-8")
    assert "Unexpected error" in logged and "RuntimeError: Ōkubo's checklist could not be drawn" in logged
    assert "broken_slot" in logged  # the traceback, not just the message
    [(title, text, details)] = shown
    assert title == "Something went wrong"
    assert str(fresh_log) in text and "already saved is safe" in text
    assert "RuntimeError" in details
    if os.name != "nt":
        assert fresh_log.parent.stat().st_mode & 0o077 == 0  # the log folder is private
