"""A double-click on a row opens what it stands for once, on every list that opens something.

Qt reports a double-click twice: as `doubleClicked` and as `activated` (the platform's "open",
which Enter also gives). Lists that listened to both opened each record twice, the second window
appearing as soon as the first was closed; list pages now listen to `activated` alone
(ui/common/list_page.list_table). These tests double-click as a user does, in the viewport."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from tests.support.qt import double_click

pytestmark = pytest.mark.sqlite_only("about the window, not the database")


@pytest.fixture
def opened(monkeypatch) -> list[str]:
    """The class of every dialog opened modally, instead of showing it."""
    seen: list[str] = []
    monkeypatch.setattr(QDialog, "exec", lambda self: seen.append(type(self).__name__) or 0)
    return seen


def _first_row(table):
    model = table.model()
    assert model.rowCount() > 0, f"{table.accessibleName()} is empty in the demonstration PCN"
    return model.index(0, 0)


@pytest.mark.parametrize(("title", "table", "tab"), [
    ("Induction", "table", 0),
    ("Induction", "signoff_table", 1),
    ("Programmes", "table", None),
    ("Reviews", "table", None),
    ("Roles", "table", None),
    ("Practices and employers", "table", None),
    ("User accounts", "table", None),
])
def test_a_double_click_opens_the_row_once(main_window, qtbot, opened, title, table, tab):
    main_window.show_page(title)
    page = main_window.page(title)
    if tab is not None:
        page.tabs.setCurrentIndex(tab)
    view = getattr(page, table)
    qtbot.waitUntil(lambda: view.isVisible() and view.model().rowCount() > 0)
    double_click(qtbot, view, _first_row(view))
    assert len(opened) == 1, f"{title}: a double-click opened {opened}"
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert len(opened) == 2 and opened[0] == opened[1], f"{title}: Enter opened {opened[1:]}"


def test_a_double_click_in_the_supervision_matrix_opens_the_person_once(main_window, qtbot, opened):
    main_window.show_page("Supervision")
    page = main_window.page("Supervision")
    qtbot.waitUntil(lambda: page.table.isVisible() and page.proxy.rowCount() > 0)
    double_click(qtbot, page.table, page.proxy.index(0, 0))
    assert opened == ["PersonSupervisionDialog"]


def test_a_double_click_on_a_review_held_opens_the_person_once(main_window, qtbot, opened):
    main_window.show_page("Reviews")
    page = main_window.page("Reviews")
    page.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: page.held_table.isVisible() and page.held_table.model().rowCount() > 0)
    double_click(qtbot, page.held_table, page.held_table.model().index(0, 0))
    assert opened == ["PersonReviewsDialog"]
