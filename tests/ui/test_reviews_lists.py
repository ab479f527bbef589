"""The Reviews page's lists at the size of a federation (issue 18): the list of who is due keeps
itself sorted on keys worked out once per row (no Python call per comparison, the selection
following its row), searching folds each row once, and the list of every review held is read
only once its tab is opened."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from PySide6.QtCore import QPersistentModelIndex, Qt

from arrs_desk.domain import reviews as rules
from arrs_desk.domain.staff import search_key
from arrs_desk.services.reviews import DueRow, ReviewService
from arrs_desk.ui.common.table_model import ROW_ROLE, SORT_ROLE
from arrs_desk.ui.reviews.reviews_model import DUE, NAME, DueFilterProxy, DueModel
from tests.conftest import TODAY
from tests.review_support import make_review_team, review_input
from tests.support.qt import finish_loading

STATUSES = list(rules.DueStatus)


def due_row(n: int, rng: random.Random) -> DueRow:
    status = rng.choice(STATUSES)
    due_on = TODAY + timedelta(days=rng.randint(-400, 400))
    item = rules.DueReview("annual", None, "Annual appraisal", due_on, status, None, 0)
    name = rng.choice(["Zoë Ōkubo", "adam Byrne", "Bea Ngata", "محمد الحسن", "Аня Петрова"]) + f" {n % 7}"
    return DueRow(staff_id=n, display_name=name, sort_key=search_key(name), role_code="SPLW",
                  role_title="Social prescribing link worker", arrs=n % 5 != 0, practice_ids=(1 + n % 2,),
                  practices=("Alpha Surgery", "Beta Practice")[n % 2], line_manager="Helen Whitfield",
                  start_date=TODAY - timedelta(days=700), due=(item,), next=item, status=status,
                  last_review="", last_review_on=None, appraiser=rng.choice(["", "Dr Yusuf Adeyemi"]),
                  open_objectives=rng.randint(0, 4), can_print=True)


class CountingDueModel(DueModel):
    """Counts every `data()` Qt asks of the model."""

    def __init__(self):
        super().__init__()
        self.asked = 0

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        self.asked += 1
        return super().data(index, role)


@pytest.fixture
def due_list(qtbot):
    rows = [due_row(n, random.Random(n)) for n in range(1, 401)]
    model = CountingDueModel()
    proxy = DueFilterProxy()
    proxy.set_filters(arrs_only=False)
    proxy.setSourceModel(model)
    model.set_rows(rows, TODAY)
    return model, proxy, rows


def test_the_due_list_sorts_itself_without_a_python_call_per_comparison(due_list):
    model, proxy, rows = due_list
    # Arrived in the default order: by status (most urgent first), then due date, then name.
    severity = {"overdue": 0, "due-soon": 1, "booked": 2, "up-to-date": 3, "not-started": 4}
    by_status = sorted(rows, key=lambda r: (severity[str(r.status)], r.next.due_on, r.sort_key))
    assert [r.staff_id for r in proxy.shown_rows()] == [r.staff_id for r in by_status]
    held = QPersistentModelIndex(proxy.index(17, NAME))  # a selected row, say
    chosen = held.data(ROW_ROLE)
    model.asked = 0
    proxy.sort(DUE, Qt.SortOrder.DescendingOrder)
    assert model.asked == 0  # keys worked out once per row, compared in C; nothing asked per pair
    by_due = sorted(rows, key=lambda r: (r.next.due_on, r.sort_key), reverse=True)
    assert [r.staff_id for r in proxy.shown_rows()] == [r.staff_id for r in by_due]
    assert held.isValid() and held.data(ROW_ROLE) is chosen  # the selection follows its row
    proxy.sort(NAME, Qt.SortOrder.AscendingOrder)
    assert [r.sort_key for r in proxy.shown_rows()] == sorted(r.sort_key for r in rows)
    # The sort role still answers the keys the rows are in order of.
    keys = [proxy.index(r, NAME).data(SORT_ROLE) for r in range(proxy.rowCount())]
    assert keys == sorted(keys)
    model.set_rows(list(reversed(rows)), TODAY)  # a reload keeps the order last chosen
    assert [r.sort_key for r in proxy.shown_rows()] == sorted(r.sort_key for r in rows)


def test_searching_the_due_list_folds_each_row_once_and_matches_as_the_rule_does(due_list, monkeypatch):
    model, proxy, rows = due_list
    folded = []
    original = DueFilterProxy.search_text
    monkeypatch.setattr(DueFilterProxy, "search_text",
                        lambda self, row: folded.append(row.staff_id) or original(self, row))
    model.set_rows(list(rows), TODAY)  # a reload: its texts are folded afresh, as they are asked for
    for text in ("zoe", "zoe ok", "BETA adeyemi", "петрова", ""):
        proxy.set_filters(words=text, arrs_only=False)
        expected = [r for r in rows if all(w in rules_search(r) for w in rules_search_words(text))]
        assert sorted(r.staff_id for r in proxy.shown_rows()) == sorted(r.staff_id for r in expected), text
    assert sorted(folded) == sorted(r.staff_id for r in rows)  # once each, however many searches
    proxy.set_filters(words="", status="overdue", arrs_only=True)
    assert all(str(r.status) == "overdue" and r.arrs for r in proxy.shown_rows()) and proxy.rowCount()


def rules_search(row) -> str:
    return search_key(row.display_name, row.role_title, row.practices, row.appraiser)


def rules_search_words(text: str) -> list[str]:
    return search_key(text).split()


def test_the_reviews_held_are_read_only_once_their_tab_is_opened(qtbot, workspace, system_actor, monkeypatch):
    from arrs_desk.ui.reviews.reviews_page import ReviewsPage

    team = make_review_team(workspace, system_actor)
    workspace.reviews.create_review(team.helen, data=review_input(team))
    workspace.reviews.create_review(team.helen, data=review_input(team, team.newbie_id, kind="probation",
                                                                   probation_month=3, meeting=None))
    reads = []
    original = ReviewService.held
    monkeypatch.setattr(ReviewService, "held", lambda self, actor: reads.append(1) or original(self, actor))
    page = ReviewsPage()
    qtbot.addWidget(page)
    page.set_context(workspace, team.helen)
    page.resize(1366, 768)
    page.show()
    page.refresh()
    finish_loading(page)
    assert page.model.rowCount() == 3 and reads == [] and page.held_model.rowCount() == 0
    page.tabs.setCurrentIndex(1)
    assert reads == [1] and page.held_proxy.rowCount() == 2
    assert page.held_summary.text() == "2 reviews"
    page.held_search.setText("probation")
    assert page.held_proxy.rowCount() == 1 and page.held_summary.text() == "1 review"
    page.held_state.setCurrentIndex(page.held_state.findData("booked"))
    assert page.held_proxy.index(0, 1).data() == "محمد الحسن"
    page.tabs.setCurrentIndex(0)
    page.refresh()  # once opened, a refresh reads both lists
    finish_loading(page)
    assert reads == [1, 1]
    assert page.index_for(team.zoe_id).data(ROW_ROLE).staff_id == team.zoe_id
    page.status_filter.setCurrentIndex(page.status_filter.findData("booked"))
    assert not page.index_for(team.zoe_id).isValid() or str(page.index_for(team.zoe_id).data(ROW_ROLE).status) == "booked"


def test_the_due_list_on_a_laptop_shows_every_status_whole_and_every_cut_cell_on_hover(qtbot, demo_workspace,
                                                                                     system_actor):
    """At 1366x768 the status column cut every booking date ("Booked for 17/12/2…"), and a last
    review or practice cut short could not be read at all: each row's summary tooltip hid it."""
    from arrs_desk.ui.common.columns import shortened_cell_tip
    from arrs_desk.ui.reviews.reviews_model import STATUS
    from arrs_desk.ui.reviews.reviews_page import ReviewsPage

    page = ReviewsPage()
    qtbot.addWidget(page)
    page.set_context(demo_workspace, system_actor)
    page.resize(1160, 680)  # the page's share of a 1366x768 window
    page.show()
    qtbot.waitExposed(page)
    page.refresh()
    finish_loading(page)
    qtbot.wait(20)
    table, proxy = page.table, page.proxy
    assert any(proxy.index(r, STATUS).data().startswith("Booked for") for r in range(proxy.rowCount()))
    assert table.horizontalScrollBar().maximum() == 0  # every column in view
    metrics = table.fontMetrics()
    for row in range(proxy.rowCount()):
        status = proxy.index(row, STATUS)
        assert metrics.horizontalAdvance(status.data()) + table.iconSize().width() + 12 <= table.columnWidth(STATUS)
        for column in range(proxy.columnCount()):
            index = proxy.index(row, column)
            tip = shortened_cell_tip(table, index)
            assert tip is None or all(part in tip for line in index.data().splitlines() for part in line.split("; "))
