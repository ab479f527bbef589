"""`after_first_paint`: start-up opens the database just after the staff list's first paint, and
never waits for a paint that does not come (a minimised or hidden window)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from arrs_desk.ui.common.first_paint import after_first_paint


def test_it_runs_once_just_after_the_first_paint(qtbot):
    label = QLabel("staff")
    qtbot.addWidget(label)
    calls = []
    after_first_paint(label, lambda: calls.append(label.isVisible()), at_most_ms=60_000)
    assert calls == []
    label.show()
    qtbot.waitUntil(lambda: calls == [True], timeout=5000)
    label.repaint()
    label.hide()
    label.show()
    qtbot.wait(50)
    assert calls == [True]  # once


def test_a_widget_never_painted_still_gets_it_after_the_wait(qtbot):
    label = QLabel("never shown")
    qtbot.addWidget(label)
    calls = []
    after_first_paint(label, lambda: calls.append(1), at_most_ms=100)
    qtbot.wait(20)
    assert calls == []
    qtbot.waitUntil(lambda: calls == [1], timeout=5000)
    qtbot.wait(150)
    assert calls == [1]
