"""`when_shown` (tests/support/qt.py), the one way screen tests answer a modal dialog: it acts on
the dialog that opens, closes what it leaves open, and stops looking when none comes."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog

from tests.support.qt import when_shown


class Confirm(QDialog):
    pass


class Other(QDialog):
    pass


def test_the_dialog_that_opens_is_answered_and_closed(qtbot):
    dialog = Confirm()
    qtbot.addWidget(dialog)
    titles = []
    seen = when_shown(Confirm, lambda d: titles.append(d.windowTitle()))
    dialog.setWindowTitle("Sign off the item?")
    assert dialog.exec() == QDialog.DialogCode.Rejected  # left open by the test, so closed for it
    assert seen == [dialog] and titles == ["Sign off the item?"]


def test_what_the_test_does_with_the_dialog_stands(qtbot):
    dialog = Confirm()
    qtbot.addWidget(dialog)
    seen = when_shown(Confirm, QDialog.accept)
    assert dialog.exec() == QDialog.DialogCode.Accepted
    assert seen == [dialog]


def test_a_dialog_opened_from_a_dialog_is_answered_by_its_own_class(qtbot):
    outer, inner = Other(), Confirm()
    qtbot.addWidget(outer)
    qtbot.addWidget(inner)
    results = []
    inner_seen = when_shown(Confirm, QDialog.accept)

    def open_inner(dialog):
        results.append(inner.exec())
        dialog.accept()

    outer_seen = when_shown(Other, open_inner)
    assert outer.exec() == QDialog.DialogCode.Accepted
    assert (outer_seen, inner_seen, results) == ([outer], [inner], [QDialog.DialogCode.Accepted])


def test_it_stops_looking_when_no_dialog_comes(qtbot):
    seen = when_shown(Confirm, QDialog.accept, tries=3)
    qtbot.wait(300)  # long past three looks, 20 ms apart
    late = Confirm()
    qtbot.addWidget(late)
    late.open()
    qtbot.wait(100)
    assert seen == [] and late.isVisible()  # nobody was still polling to answer it
    late.reject()
