"""The Programmes and Induction lists on a 1366x768 laptop: every shown column in view, the
percentages readable, and the columns a person chooses kept for next time; the Supervision and
Training matrices, wider by nature, with their names kept in view.

Reported: both lists scrolled sideways (fifteen and eleven columns), and the percentage written on
each progress bar was cut by the bar's edge ("4|3%")."""

from __future__ import annotations

import importlib

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QStyleOptionViewItem, QWidget

from arrs_desk.ui.common.table_model import ROW_ROLE
from tests.support.qt import finish_loading


class SettingsWindow(QWidget):
    """A top-level window with settings, as the main window is to its pages."""

    def __init__(self, settings: QSettings, page: QWidget):
        super().__init__()
        self.settings = settings
        page.setParent(self)
        self.resize(1160, 680)  # a page's share of a 1366x768 window
        page.resize(self.size())


def _opened(qtbot, page, workspace, actor, settings):
    """`page` in a window with settings, sized as in a 1366x768 window, its data shown."""
    window = SettingsWindow(settings, page)
    qtbot.addWidget(window)
    page.set_context(workspace, actor)
    window.show()
    qtbot.waitExposed(window)
    page.refresh()
    finish_loading(page)
    qtbot.wait(30)
    page.held_by = window  # the window, kept while the test holds its page
    return page


def _opener(module: str, page: str):
    """Opens the page class `page` of `module` as `_opened` does."""

    def open_page(qtbot, workspace, actor, settings):
        return _opened(qtbot, getattr(importlib.import_module(module), page)(), workspace, actor, settings)

    return open_page


_programmes = _opener("arrs_desk.ui.programmes.programmes_page", "ProgrammesPage")
_induction = _opener("arrs_desk.ui.induction.induction_pages", "InductionPage")
_supervision = _opener("arrs_desk.ui.supervision.supervision_page", "SupervisionPage")
_training = _opener("arrs_desk.ui.training.page", "TrainingPage")


@pytest.mark.parametrize("opener", [_programmes, _induction], ids=["programmes", "induction"])
def test_the_list_fits_a_laptop_and_any_column_can_be_shown_again(qtbot, demo_workspace, system_actor, ui_settings,
                                                                   opener):
    page = opener(qtbot, demo_workspace, system_actor, ui_settings)
    table = page.table
    header = table.horizontalHeader()
    assert table.model().rowCount() > 5
    hidden = [c for c in range(header.count()) if header.isSectionHidden(c)]
    assert hidden and not header.isSectionHidden(0)
    assert table.horizontalScrollBar().maximum() == 0  # every shown column in view
    metrics = header.fontMetrics()
    for column in range(header.count()):
        if not header.isSectionHidden(column):  # no heading cut short
            assert metrics.horizontalAdvance(table.model().headerData(column, Qt.Orientation.Horizontal)) \
                <= header.sectionSize(column)

    from arrs_desk.ui.common.column_choice import ColumnChoice

    choice = table.findChild(ColumnChoice)
    menu = choice.menu()
    actions = [a for a in menu.actions() if a.isCheckable()]
    assert [a.text() for a in actions] == [table.model().headerData(c, Qt.Orientation.Horizontal)
                                           for c in range(header.count())]
    assert not actions[0].isEnabled()  # the name is always shown
    actions[hidden[0]].setChecked(True)  # as ticking it in the heading's menu does
    assert not header.isSectionHidden(hidden[0])
    actions[1].setChecked(False)
    assert header.isSectionHidden(1)
    menu.deleteLater()

    again = opener(qtbot, demo_workspace, system_actor, ui_settings)  # the next time the page is built
    again_header = again.table.horizontalHeader()
    assert not again_header.isSectionHidden(hidden[0]) and again_header.isSectionHidden(1)

    again.table.findChild(ColumnChoice).show_usual()
    assert [c for c in range(again_header.count()) if again_header.isSectionHidden(c)] == hidden
    third = opener(qtbot, demo_workspace, system_actor, ui_settings)
    third_header = third.table.horizontalHeader()
    assert [c for c in range(third_header.count()) if third_header.isSectionHidden(c)] == hidden


def test_a_percentage_is_written_beside_its_bar_not_across_its_edge(qtbot, demo_workspace, system_actor,
                                                                    ui_settings):
    from arrs_desk.ui.programmes.programmes_model import PROGRESS

    page = _programmes(qtbot, demo_workspace, system_actor, ui_settings)
    table = page.table
    progress = {r: page.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole + 1).progress
                for r in range(page.proxy.rowCount())}
    row = max(progress, key=progress.get)  # the fullest bar: written on it, its number met the bar
    assert 60 <= progress[row] < 100
    index = page.proxy.index(row, PROGRESS)
    option = QStyleOptionViewItem()
    option.initFrom(table)
    option.rect = table.visualRect(index).translated(-table.visualRect(index).topLeft())
    option.widget = table
    image = QImage(option.rect.size(), QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    table.itemDelegateForColumn(PROGRESS).paint(painter, option, index)
    painter.end()

    width = option.fontMetrics.horizontalAdvance("100%")
    bar_colour = table.palette().highlight().color()

    def bar_pixels(x_from: int, x_to: int) -> int:
        return sum(1 for x in range(x_from, x_to) for y in range(image.height())
                   if _near(QColor(image.pixel(x, y)), bar_colour))

    assert bar_pixels(0, image.width() - width - 4) > 0  # the bar is drawn, filled in part
    assert bar_pixels(image.width() - width, image.width()) == 0  # the number's room has none of the bar


def _near(a: QColor, b: QColor) -> bool:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue()) < 60


def test_the_retention_table_shows_every_column_and_whole_group_names_on_a_laptop(qtbot, demo_workspace, system_actor,
                                                                                   ui_settings):
    """Reported: beside its chart the table scrolled sideways (the leaving reasons out of view), two
    roles read "General practice…" alike, and the chart's labels were cut."""
    from arrs_desk.ui.admin.retention_page import RetentionPage

    page = _opened(qtbot, RetentionPage(), demo_workspace, system_actor, ui_settings)
    table = page.table
    assert table.model().rowCount() > 10
    assert table.horizontalScrollBar().maximum() == 0
    assert table.columnWidth(0) >= table.sizeHintForColumn(0)  # every group's name whole


def test_the_columns_can_be_chosen_from_the_view_menu_too(qtbot, main_window):
    """The heading's menu needs a mouse: View > Columns shown offers the same to the keyboard,
    greyed on a page whose list has no choice of columns."""
    from arrs_desk.ui.programmes.programmes_model import COMPETENCIES

    main_window.resize(1366, 740)
    main_window.show_page("Programmes")
    page = main_window.pages.currentWidget()
    finish_loading(page)
    qtbot.wait(30)
    main_window._offer_columns()  # as opening the View menu does
    menu = main_window.columns_menu
    assert menu.menuAction().isEnabled()
    ticks = {a.text(): a for a in menu.actions() if a.isCheckable()}
    assert not ticks["Competencies"].isChecked() and ticks["Status"].isChecked()
    ticks["Competencies"].setChecked(True)
    assert not page.table.horizontalHeader().isSectionHidden(COMPETENCIES)

    main_window.show_page("Reviews")
    qtbot.wait(30)
    main_window._offer_columns()
    assert not menu.menuAction().isEnabled() and not menu.actions()


# --- the matrices: wider than a laptop by nature, their names kept in view -------------------------
@pytest.mark.parametrize("opener", [_supervision, _training], ids=["supervision", "training"])
def test_a_matrix_keeps_its_names_in_view_when_scrolled_sideways(qtbot, demo_workspace, system_actor, ui_settings,
                                                                 opener):
    """Reported: scrolling the Supervision or Training matrix to its right-hand columns on a
    1366x768 laptop took the names with it, so nobody could tell whose row a red cell was on."""
    from arrs_desk.ui.common.frozen_column import names_overlay

    page = opener(qtbot, demo_workspace, system_actor, ui_settings)
    table = page.table
    names = names_overlay(table)
    assert names is not None and names.isVisible()
    bar = table.horizontalScrollBar()
    assert bar.maximum() > 0  # wider than the laptop's window: the reason for keeping names in view
    table.verticalScrollBar().setValue(table.verticalScrollBar().maximum() // 2)
    bar.setValue(bar.maximum())
    qtbot.wait(30)
    assert table.columnViewportPosition(0) < 0  # the table's own name column has scrolled away...
    assert names.geometry().left() <= table.viewport().geometry().left() + 1  # ...the overlay has not
    assert names.columnWidth(0) == table.columnWidth(0)
    assert names.horizontalHeader().height() == table.horizontalHeader().height()
    for row in (table.rowAt(5), table.rowAt(table.viewport().height() - 5)):  # rows line up, scrolled too
        assert names.rowViewportPosition(row) == table.rowViewportPosition(row)
        assert names.indexAt(QPoint(5, table.rowViewportPosition(row) + 2)).row() == row

    # A click on a name selects that person's row in the table, which keeps the keyboard.
    row = table.rowAt(table.viewport().height() // 2)
    names.clicked.emit(table.model().index(row, 0))
    assert table.currentIndex().row() == row

    # The cursor moved into a cell under the names is scrolled out from under them.
    bar.setValue(table.columnViewportPosition(2) + bar.value())  # column 2 now starts at the left edge, hidden
    table.setCurrentIndex(table.model().index(row, 2))
    qtbot.wait(10)
    assert table.columnViewportPosition(2) >= names.columnWidth(0)


def test_the_names_heading_sorts_as_the_tables_heading_does(qtbot, demo_workspace, system_actor, ui_settings):
    from arrs_desk.ui.common.frozen_column import names_overlay

    for opener in (_supervision, _training):
        page = opener(qtbot, demo_workspace, system_actor, ui_settings)
        table = page.table
        names = names_overlay(table)
        first = table.model().index(0, 0).data()
        names.horizontalHeader().sectionClicked.emit(0)  # as a click on the overlay's heading
        qtbot.wait(10)
        assert table.horizontalHeader().sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
        assert names.horizontalHeader().sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
        assert table.model().index(0, 0).data() != first
        names.horizontalHeader().sectionClicked.emit(0)
        qtbot.wait(10)
        assert table.model().index(0, 0).data() == first


def test_a_double_click_on_a_name_opens_as_the_table_does(qtbot, demo_workspace, system_actor, ui_settings,
                                                          monkeypatch):
    from arrs_desk.ui.common.frozen_column import names_overlay

    page = _supervision(qtbot, demo_workspace, system_actor, ui_settings)
    names = names_overlay(page.table)
    opened = []
    monkeypatch.setattr(page, "open_person", opened.append)  # the person's window, not opened here
    index = page.table.model().index(3, 0)
    names.activated.emit(index)
    assert opened == [index.data(ROW_ROLE).staff_id]
