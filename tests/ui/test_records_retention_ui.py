"""The Records retention page: an administrator sees the leaver whose record is due, places a
hold, and anonymises after a confirmation that names what will go."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QInputDialog

from arrs_desk.ui.records_retention.page import RecordsRetentionPage
from tests.support.qt import answer_confirmations, finish_loading
from tests.retention_support import LEAVER, make_leaver_pcn


@pytest.fixture
def page(qtbot, workspace, system_actor, tmp_path):
    pcn = make_leaver_pcn(workspace, system_actor, tmp_path)
    widget = RecordsRetentionPage()
    qtbot.addWidget(widget)
    widget.set_context(workspace, pcn.actors["admin"])
    widget.resize(1100, 700)
    widget.show()
    widget.refresh()
    finish_loading(widget)  # it reads in the background
    return widget


def test_the_due_record_is_listed_held_and_then_anonymised_after_naming_what_goes(page, monkeypatch, qtbot):
    assert page.due_table.rowCount() == 1 and page.due_table.item(0, 0).text() == LEAVER
    assert page.due_table.isVisibleTo(page) and page.log_table.property("arrs_empty_line").text() \
        == "Nothing has been reduced, anonymised or destroyed."
    assert not page.anonymise_button.isEnabled() and page.anonymise_button.toolTip()
    page.due_table.selectRow(0)
    assert page.anonymise_button.isEnabled() and page.summary_button.isEnabled()

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("Tribunal claim 2026/001", True)))
    page.place_hold()
    page.refresh()
    finish_loading(page)  # it reads in the background
    assert page.due_table.item(0, 6).text() == "Tribunal claim 2026/001"
    page.due_table.selectRow(0)
    assert not page.anonymise_button.isEnabled() and page.lift_button.isEnabled()

    questions = answer_confirmations(monkeypatch)
    page.lift_hold()
    assert [title for title, _text in questions] == ["Lift legal hold"]
    page.refresh()
    finish_loading(page)  # it reads in the background
    page.due_table.selectRow(0)
    questions.clear()
    page.erase("anonymise")
    qtbot.waitUntil(lambda: page.due_table.rowCount() == 0, timeout=10_000)
    # No longer a blank box: the page says nothing is due.
    assert not page.due_table.isVisibleTo(page) and page.due_table.property("arrs_empty_line").isVisibleTo(page)
    asked = [text for _title, text in questions]
    assert LEAVER in asked[0] and "induction item" in asked[0] and "1 evidence file" in asked[0]
    assert page.log_table.rowCount() == 1 and "Erased person" in page.log_table.item(0, 3).text()
    assert LEAVER not in page.log_table.item(0, 3).text()


def test_the_periods_show_the_codes_and_an_administrators_change(page, monkeypatch):
    assert page.rules_table.item(0, 0).text() == "Staff record (personnel file)"
    assert page.rules_table.item(0, 2).text() == "6 years" and "checked on 04/12/2026" in page.source_label.text()
    page.rules_table.selectRow(0)
    assert page.period_button.isEnabled()
    monkeypatch.setattr(QInputDialog, "getInt", staticmethod(lambda *a, **k: (7, True)))
    page.change_period()
    page.refresh()
    finish_loading(page)  # it reads in the background
    assert page.rules_table.item(0, 1).text() == "7 years after the person leaves (changed here)"
    assert page.due_table.rowCount() == 0  # under seven years, due on 1 January next year


def test_an_administrator_saves_everything_held_about_someone(page, monkeypatch, qtbot, tmp_path):
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(
        lambda parent, title, label, items, *a, **k: (next(i for i in items if i.startswith("Rita Stays")), True)))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(tmp_path / "sar")))
    page.subject_access()
    qtbot.waitUntil(lambda: len(list((tmp_path / "sar").glob("rita-stays-subject-access-*"))) == 2
                    if (tmp_path / "sar").exists() else False, timeout=20_000)
