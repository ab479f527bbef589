"""The audit trail page reads a page of entries at a time: the newest first, then older ones as the
list is scrolled to its end, in the background, without losing the rows or the place already shown
(issue 18: lists that grow past ~10,000 rows)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import QApplication

from arrs_desk.services.actor import SYSTEM
from arrs_desk.services.audit_log import AuditFilter
from arrs_desk.ui.audit import audit_page
from tests.support.qt import finish_loading

PAGE = 40


@pytest.fixture
def page(main_window, monkeypatch):
    monkeypatch.setattr(audit_page, "PAGE", PAGE)  # the demo's few thousand entries make many pages
    main_window.resize(1366, 768)
    main_window.show_page("Audit trail")
    return finish_loading(main_window.page("Audit trail"))


def trail(workspace, **filters) -> list[int]:
    return [row.id for row in workspace.audit_log.entries(SYSTEM, flt=AuditFilter(limit=1_000_000, **filters))]


def scroll_to_the_end(page) -> None:
    """As a person drags the scroll bar to the bottom: Qt asks the model for more (`fetchMore`)."""
    page.table.scrollToBottom()
    bar = page.table.verticalScrollBar()
    bar.setValue(bar.maximum())
    QApplication.processEvents()
    finish_loading(page)


def test_the_newest_page_shows_first_and_older_pages_follow_as_the_list_is_scrolled(page, demo_workspace):
    everything = trail(demo_workspace)
    assert [row.id for row in page.model.rows()] == everything[:PAGE]
    assert page.count_label.text() == f"{PAGE} newest entries; older ones load as you scroll down"
    page.table.selectRow(3)
    scroll_to_the_end(page)
    assert [row.id for row in page.model.rows()] == everything[:2 * PAGE]
    assert page.table.currentIndex().row() == 3, "rows added below keep the selection"
    assert page.count_label.text() == f"{2 * PAGE} newest entries; older ones load as you scroll down"
    for _ in range(len(everything) // PAGE + 1):
        if not page.model.canFetchMore():
            break
        scroll_to_the_end(page)
    assert [row.id for row in page.model.rows()] == everything, "every entry, each once, in the trail's order"
    assert page.count_label.text() == f"{len(everything):,} entries"
    page.model.fetchMore()  # nothing older: no read
    assert not page.loader.loading


def choose(page, qtbot, combo, value, wanted: list[int]) -> None:
    """Pick a filter as a person does: the page reads again once typing and choosing pause."""
    combo.setCurrentIndex(combo.findData(value))
    qtbot.waitUntil(lambda: [row.id for row in finish_loading(page).model.rows()] == wanted[:PAGE], timeout=10_000)


def test_older_pages_continue_the_filters_the_list_was_read_with(page, demo_workspace, qtbot):
    wanted = trail(demo_workspace, entity_type="training")
    choose(page, qtbot, page.entity, "training", wanted)
    assert len(wanted) > 2 * PAGE
    scroll_to_the_end(page)
    assert [row.id for row in page.model.rows()] == wanted[:2 * PAGE]


def test_a_new_filter_drops_an_older_page_still_being_read(page, demo_workspace):
    page.model.fetchMore()  # an older page asked for...
    assert page.loader.loading and not page.model.canFetchMore(), "one read at a time"
    with QSignalBlocker(page.action):  # no pause for typing: the new read starts now, while the page is read
        page.action.setCurrentIndex(page.action.findData("sign_off"))
    page.refresh()  # ...and the filters changed before it came
    finish_loading(page)
    QApplication.processEvents()  # the older page arrives now, too late
    assert [row.id for row in page.model.rows()] == trail(demo_workspace, action="sign_off")[:PAGE]


def test_no_match_says_so_and_the_changes_keep_their_heading(page, qtbot):
    changes = page.table.columnWidth(audit_page.CHANGES)
    assert page.table.horizontalHeader().sectionSize(audit_page.CHANGES) == changes
    assert page.table.viewport().width() > 1000 and changes >= audit_page.MIN_CHANGES
    page.search.setText("x" * 3000)  # a search nothing matches
    qtbot.waitUntil(lambda: finish_loading(page).model.rowCount() == 0 and page.empty.isVisible(), timeout=10_000)
    assert not page.table.isVisible() and "No entries match these filters" in page.empty.text()
    assert page.count_label.text() == "0 entries"
    page.search.setText("Аня")
    qtbot.waitUntil(lambda: finish_loading(page).model.rowCount() > 0 and page.table.isVisible(), timeout=10_000)
    assert not page.empty.isVisible()
