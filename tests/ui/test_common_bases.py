"""The shared ui bases: the table model, the filter proxy, the date helpers (ui/common)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt

from arrs_desk.ui.common.dates import pydate, qdate, uk_date
from arrs_desk.ui.common.filter_proxy import FilterProxy
from arrs_desk.ui.common.table_model import ROW_ROLE, SORT_ROLE, Column, RowsModel, RowTableModel, sort_text


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    due: date
    practice: int

    @property
    def search_key(self) -> str:
        return self.name.casefold()


class People(RowTableModel):
    HEADERS = ("Name", "Due")
    COL_NAME, COL_DUE = range(2)

    def __init__(self):
        super().__init__()
        self.cells_worked_out = 0

    def cell(self, row, column: int) -> str:
        self.cells_worked_out += 1
        return row.name if column == self.COL_NAME else uk_date(row.due)

    def sort_key(self, row, column: int):
        return row.due.toordinal() if column == self.COL_DUE else sort_text(row.name.casefold(), row.id)


class ByPractice(FilterProxy):
    def __init__(self):
        super().__init__()
        self._practice = None

    def accepts(self, row) -> bool:
        return self._practice is None or row.practice == self._practice


PEOPLE = [Person(1, "Zoë", date(2028, 2, 29), 1), Person(2, "adam", date(2026, 12, 31), 2),
          Person(3, "Bea", date(2027, 1, 1), 1)]


@pytest.mark.parametrize("day", [date(2024, 2, 29), date(2026, 12, 31), date(2027, 1, 1), date(2026, 11, 30)])
def test_dates_go_to_qt_and_back_unchanged(day):
    assert qdate(day) == QDate(day.year, day.month, day.day)
    assert pydate(qdate(day)) == day
    assert uk_date(day) == day.strftime("%d/%m/%Y") and uk_date(None) == ""


def test_sort_text_orders_as_the_tuple_of_its_parts():
    parts = [(-3, 0, "b"), (-3, 738000, "a"), (0, 5, ""), (0, 5, "a"), (0, 5, "ab"), (2, -7, "z"), (10, 0, "a")]
    for a, b in itertools.permutations(parts, 2):
        assert (sort_text(*a) < sort_text(*b)) == (a < b), (a, b)
    with pytest.raises(TypeError):
        sort_text(date(2026, 1, 1))  # type: ignore[arg-type]


def test_cells_are_worked_out_once_when_first_shown_and_the_row_is_behind_every_index(qtbot):
    model = People()
    model.set_rows(PEOPLE)
    assert model.cells_worked_out == 0, "no text is worked out for rows nobody has looked at"
    for _ in range(3):
        assert model.index(0, 1).data() == "29/02/2028"
    assert model.cells_worked_out == 2, "the first row's two cells, once"
    assert model.index(2, 0).data(ROW_ROLE) is PEOPLE[2]
    assert model.cells_worked_out == 2, "the row behind an index needs no text"
    model.update_row(PEOPLE[0])
    assert model.index(0, 0).data() == "Zoë"
    assert model.cells_worked_out == 4, "a changed row's text is worked out again"
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Due"


def test_one_changed_row_is_one_data_change_not_a_reset(qtbot):
    model = People()
    model.set_rows(PEOPLE)
    model.index(0, 0).data(SORT_ROLE)  # sort keys made before the change are made again for the row
    resets, changes = [], []
    model.modelReset.connect(lambda: resets.append(1))
    model.dataChanged.connect(lambda top, bottom, _roles: changes.append((top.row(), bottom.row(), bottom.column())))
    assert model.update_row(Person(3, "Beatrix", date(2027, 1, 1), 1))
    assert (resets, changes) == ([], [(2, 2, 1)])
    assert model.index(2, 0).data() == "Beatrix"
    assert model.index(2, 0).data(SORT_ROLE) == sort_text("beatrix", 3)
    assert not model.update_row(Person(99, "Nobody", date(2027, 1, 1), 1))


def test_appended_rows_are_inserted_after_the_last_without_a_reset(qtbot):
    model = People()
    model.set_rows(PEOPLE[:2])
    assert model.index(1, 0).data(SORT_ROLE) == sort_text("adam", 2)  # keys made before the rows came
    assert model.position_of(2) == 1  # positions too
    resets, inserted = [], []
    model.modelReset.connect(lambda: resets.append(1))
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
    model.append_rows([PEOPLE[2], Person(4, "Cy", date(2029, 3, 1), 2)])
    model.append_rows([])  # nothing to add: no signal
    assert (resets, inserted) == ([], [(2, 3)])
    assert [model.index(n, 0).data() for n in range(model.rowCount())] == ["Zoë", "adam", "Bea", "Cy"]
    assert model.index(3, 0).data(SORT_ROLE) == sort_text("cy", 4)
    assert model.index(2, 1).data(SORT_ROLE) == date(2027, 1, 1).toordinal()  # a column first sorted now
    assert model.position_of(4) == 3
    assert model.update_row(Person(4, "Cyrus", date(2029, 3, 1), 2))
    assert model.index(3, 0).data() == "Cyrus"


def test_the_proxy_sorts_on_the_sort_role_and_filters_on_words_and_values(qtbot):
    model = People()
    model.set_rows(PEOPLE)
    proxy = ByPractice()
    proxy.setSourceModel(model)
    proxy.sort(1, Qt.SortOrder.AscendingOrder)
    assert [r.id for r in proxy.shown_rows()] == [2, 3, 1]  # by due date, year end first
    proxy.sort(0, Qt.SortOrder.DescendingOrder)
    assert [r.id for r in proxy.shown_rows()] == [1, 3, 2]  # names folded: Zoë, Bea, adam
    proxy.set_values(practice=1)
    assert [r.id for r in proxy.shown_rows()] == [1, 3]
    proxy.set_search("BE")
    assert [r.id for r in proxy.shown_rows()] == [3]
    proxy.set_values(words="", practice=None)
    assert len(proxy.shown_rows()) == 3


def _mapped(proxy) -> list[int]:
    """The rows shown, each mapped through Qt: what `shown_rows` must always agree with."""
    rows = proxy.sourceModel().rows()
    return [rows[proxy.mapToSource(proxy.index(r, 0)).row()].id for r in range(proxy.rowCount())]


class SortsItself(ByPractice):
    SORT_IN_SOURCE = True


def test_the_rows_shown_are_those_qt_shows_in_its_order_whether_picked_or_mapped(qtbot):
    from arrs_desk.ui.common.sorted_rows import SortedRowsModel

    class SortedPeople(SortedRowsModel):
        HEADERS = People.HEADERS

        def cell(self, row, column: int) -> str:
            return row.name if column == 0 else uk_date(row.due)

        def sort_key(self, row, column: int):
            return row.due.toordinal() if column == 1 else sort_text(row.name.casefold(), row.id)

    people = [Person(n, f"Person {n:02d}", date(2027, 1, 1 + n % 28), n % 3) for n in range(1, 40)]
    for model, proxy in ((People(), ByPractice()), (SortedPeople(), SortsItself())):
        proxy.setSourceModel(model)
        model.set_rows(people)
        assert [r.id for r in proxy.shown_rows()] == _mapped(proxy) == [p.id for p in model.rows()]
        proxy.set_values(words="person 1", practice=1)  # picked from the rows kept: nothing reorders them
        assert [r.id for r in proxy.shown_rows()] == _mapped(proxy) == [1, 10, 13, 16, 19, 31]
        proxy.sort(1, Qt.SortOrder.DescendingOrder)  # the proxy reorders (mapped) or the model does (picked)
        assert [r.id for r in proxy.shown_rows()] == _mapped(proxy)
        assert [r.due for r in proxy.shown_rows()] == sorted((r.due for r in proxy.shown_rows()), reverse=True)
        model.update_row(Person(13, "Renamed", date(2030, 1, 1), 1))  # not filtered again until a filter changes
        assert [r.id for r in proxy.shown_rows()] == _mapped(proxy)
        proxy.set_values(words="", practice=None)
        assert [r.id for r in proxy.shown_rows()] == _mapped(proxy) and proxy.rowCount() == len(people)


class Counting(ByPractice):
    FOLDED_WHEN_IDLE = 2

    def __init__(self):
        super().__init__()
        self.folded = []

    def search_text(self, row) -> str:
        self.folded.append(row.id)
        return super().search_text(row)


def test_search_texts_are_folded_once_in_idle_slices_and_at_once_for_a_search_that_comes_first(qtbot):
    many = [Person(n, f"Person {n} {'Zoe' if n % 3 else 'Adam'}", date(2027, 1, 1), 1) for n in range(1, 8)]
    model, proxy = People(), Counting()
    proxy.setSourceModel(model)
    model.set_rows(many)
    assert proxy.folded == [], "nothing is folded while the new rows are shown"
    proxy.set_search("zoe")  # before the window was idle: everything folded now, once
    assert sorted(proxy.folded) == [r.id for r in many]
    assert [r.id for r in proxy.shown_rows()] == [r.id for r in many if r.id % 3]
    proxy.set_search("adam")
    assert len(proxy.folded) == len(many), "a second search folds nothing again"
    model.set_rows(many[:5])  # a reload forgets them; idle slices of two fold them again
    proxy.folded.clear()
    qtbot.waitUntil(lambda: len(proxy.folded) == 5)
    assert proxy.folded == [1, 2, 3, 4, 5]
    proxy.set_search("zoe")
    assert len(proxy.folded) == 5 and [r.id for r in proxy.shown_rows()] == [1, 2, 4, 5]


def test_a_changed_row_is_searched_by_its_new_text(qtbot):
    model, proxy = People(), Counting()
    proxy.setSourceModel(model)
    model.set_rows(PEOPLE)
    proxy.set_search("bea")
    assert [r.id for r in proxy.shown_rows()] == [3]
    model.update_row(Person(3, "Beatrix Quinn", date(2027, 1, 1), 1))
    proxy.set_search("quinn")
    assert [r.id for r in proxy.shown_rows()] == [3]
    assert proxy.folded.count(3) == 2, "the changed row folded again, the others not"
    assert proxy.folded.count(1) == 1


def test_a_column_described_model_reads_sorts_and_aligns_from_its_columns(qtbot):
    model = RowsModel([Column("Name", lambda r: r.name), Column("Due", lambda r: uk_date(r.due),
                                                             sort=lambda r: r.due.toordinal(), align_right=True)])
    model.set_rows(PEOPLE)
    assert model.columnCount() == 2 and model.headerData(0, Qt.Orientation.Horizontal) == "Name"
    assert model.index(1, 0).data(SORT_ROLE) == "adam"
    assert model.index(1, 1).data(SORT_ROLE) == date(2026, 12, 31).toordinal()
    assert model.index(1, 1).data(Qt.ItemDataRole.TextAlignmentRole) is not None
    assert model.index(1, 0).data(Qt.ItemDataRole.ToolTipRole) == "adam"


def test_the_staff_lists_filters_show_exactly_the_rows_each_filter_names(qtbot):
    """The staff proxy judges all rows in one pass (`keep`): checked against the rule read plainly,
    for every combination of status, role, practice and search words, and after the rows change."""
    from arrs_desk.domain.staff import StaffStatus
    from arrs_desk.services.staff_rows import StaffRow
    from arrs_desk.ui.staff.staff_model import CURRENT, StaffFilterProxy, StaffTableModel

    def person(n: int) -> StaffRow:
        status = list(StaffStatus)[n % len(StaffStatus)].value
        practices = ((1,), (2,), (1, 2), ())[n % 4]
        given, family = ("Jo", "Ana", "Zoë")[n % 3], ("Smith", "Okafor")[n % 2]
        return StaffRow(n, f"{given} {family}", family, "CP" if n % 5 else "SPLW", "Role", practices, "", "", "pcn",
                        status, date(2026, 1, 1), None, "", "", "", f"{family} {given} {family}".casefold(), given,
                        "", "")

    model, proxy = StaffTableModel(), StaffFilterProxy()
    proxy.setSourceModel(model)
    rows = [person(n) for n in range(40)]
    model.set_rows(rows)
    for status, role, practice, words in itertools.product(
            (CURRENT, None, StaffStatus.LEFT.value, StaffStatus.ACTIVE.value), (None, "CP"), (None, 1, 2),
            ("", "smith", "zoe okafor")):
        proxy.set_filters(practice_id=practice, role_code=role, status=status)
        proxy.set_search(words)
        expected = [r.id for r in rows
                    if (status is None or (r.status != "left" if status == CURRENT else r.status == status))
                    and (role is None or r.role_code == role) and (practice is None or practice in r.practice_ids)
                    and all(w in r.sort_name.replace("ë", "e") for w in words.split())]
        assert sorted(r.id for r in proxy.shown_rows()) == expected, (status, role, practice, words)
    proxy.set_filters(practice_id=1, role_code=None, status=CURRENT)
    proxy.set_search("jo")
    model.set_rows(rows[:12])  # new rows under the same filters: judged afresh
    shown = sorted(r.id for r in proxy.shown_rows())
    assert shown and shown == [r.id for r in rows[:12] if r.status != "left" and 1 in r.practice_ids
                               and "jo" in r.search_key]


def test_an_empty_list_says_what_narrows_it_and_how_to_see_more(qtbot):
    """`FilterBar.no_match_text`: the search, each choice not at its widest (the item holding None,
    which need not come first) and each tick ticked, and nothing that is not narrowing the list."""
    from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit

    from arrs_desk.ui.common.list_page import FilterBar

    search, practice, status, tick = QLineEdit(), QComboBox(), QComboBox(), QCheckBox("&ARRS roles only")
    practice.addItem("All practices", None)
    practice.addItem("Canal Street", 3)
    status.addItem("Any status", None)
    status.addItem("Overdue", "overdue")
    show = QComboBox()
    show.addItem("Everyone with a checklist", "checklist")
    show.addItem("Everyone, with or without a checklist", None)
    bar = FilterBar(search, (practice, status, show), (tick,))
    assert bar.no_match_text() == ("No one matches these filters. To see more, choose “Everyone, with or without a "
                                   "checklist”.")
    show.setCurrentIndex(1)
    assert bar.no_match_text() == "No one matches these filters."
    tick.setChecked(True)
    assert bar.no_match_text() == "No one matches these filters. To see more, untick “ARRS roles only”."
    search.setText("  Álvarez ")
    status.setCurrentIndex(1)
    assert bar.no_match_text() == ("No one matches “\u2068Álvarez\u2069”. To see more, clear the search, choose "
                                   "“Any status” or untick “ARRS roles only”.")
    search.setText("x" * 5000)  # a pasted page is quoted briefly
    assert "x…\u2069”. To see more" in bar.no_match_text() and len(bar.no_match_text()) < 200


def test_a_matrix_sizes_its_word_columns_from_their_words_and_headings_and_caps_the_others(qtbot):
    from PySide6.QtWidgets import QTableView

    from arrs_desk.ui.common.list_page import SIZED_BY_ROWS, size_columns_once, sized_by_first_rows

    class Asked(People):
        HEADERS = ("Name", "Due", "A very long heading for a check")

        def cell(self, row, column: int) -> str:
            self.cells_worked_out += 1
            return (row.name, uk_date(row.due), "Met")[column]

    model = Asked()
    model.set_rows([Person(n, "Name " * (n % 7 + 1), date(2027, 1, 1), 1) for n in range(500)])
    table = sized_by_first_rows(QTableView())
    qtbot.addWidget(table)
    table.setModel(model)
    size_columns_once(table, {0: 90}, ("Met", "Not met", "N/A"), 1)
    metrics, header = table.fontMetrics(), table.horizontalHeader()
    assert table.columnWidth(0) == 90, "the name column fits its rows up to its cap"
    assert table.columnWidth(1) >= metrics.horizontalAdvance("Not met") + 16
    assert table.columnWidth(2) >= header.sectionSizeHint(2) > table.columnWidth(1), "a long heading is not cut"
    # A row's texts are worked out together, once: only the first rows were asked, for the capped column.
    assert model.cells_worked_out == SIZED_BY_ROWS * len(Asked.HEADERS) < len(model.rows()) * len(Asked.HEADERS)
    table.setColumnWidth(1, 300)  # the reader drags a column wider; the rows are read again
    model.set_rows(model.rows()[:10])
    size_columns_once(table, {0: 90}, ("Met", "Not met", "N/A"), 1)
    assert table.columnWidth(1) == 300, "rows read again keep the widths"
    empty = sized_by_first_rows(QTableView())
    qtbot.addWidget(empty)
    empty.setModel(Asked())
    size_columns_once(empty, {0: 90}, ("Met",), 1)  # no rows yet: sized when they come
    before = empty.columnWidth(0)
    empty.model().set_rows(model.rows())
    size_columns_once(empty, {0: 90}, ("Met",), 1)
    assert empty.columnWidth(0) == 90 != before


def test_the_empty_lines_show_a_quoted_search_as_typed_never_as_markup(qtbot):
    from arrs_desk.ui.common.list_page import empty_label
    from arrs_desk.ui.staff.staff_page import EmptyState

    label, state = empty_label(), EmptyState()
    qtbot.addWidget(label)
    qtbot.addWidget(state)
    state.show_message("No one matches “<b>x</b>”", "<i>body</i>", [])
    assert label.textFormat() == state.title.textFormat() == state.body.textFormat() == Qt.TextFormat.PlainText


def test_a_list_sized_once_fits_its_first_rows_with_no_cap_where_none_is_given(qtbot):
    from PySide6.QtWidgets import QTableView

    from arrs_desk.ui.common.list_page import size_columns_once, sized_by_first_rows

    model = People()
    model.set_rows([Person(n, "Bartholomew-Featherstonehaugh " * 2, date(2027, 1, 1), 1) for n in range(50)])
    table = sized_by_first_rows(QTableView())
    qtbot.addWidget(table)
    table.setModel(model)
    before = table.columnWidth(1)
    size_columns_once(table, {0: None})  # no word columns: only the name, to its rows' width
    assert table.columnWidth(0) >= table.fontMetrics().horizontalAdvance(model.rows()[0].name)
    assert table.columnWidth(1) == before, "a column not named is left as it was"
