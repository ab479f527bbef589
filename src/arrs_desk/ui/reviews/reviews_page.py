"""The Reviews page: who is due a probation review, interim review or appraisal, and every review
held. Double-click a person to open their reviews, objectives, development plan and impact log;
make appraisal packs for one person or a selection.

Built for thousands of people (issue 18): the list of who is due is read first and alone; the
list of every review held (several per person) is read when its tab is first opened, and again
on a refresh only once it has been opened. Both lists filter in a proxy and neither recomputes
a cell per paint or per comparison (see `reviews_model`)."""

from __future__ import annotations

from collections import Counter
from operator import attrgetter

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QLabel, QMessageBox, QStyle, QTableView, QTabWidget, QVBoxLayout,
    QWidget,
)

from arrs_desk.ui.common.columns import share_width
from arrs_desk.ui.common.text import plural, plural_word
from arrs_desk.ui.common.enabled import set_enabled_with_reason
from arrs_desk.ui.common.operation import Operation
from arrs_desk.ui.common.page import Page
from arrs_desk.ui.reviews.reviews_model import (
    HELD_COLUMNS, LAST, NAME, NEEDS_ACTION, NEXT, ROW_ROLE, STATUS, WIDTHS, DueFilterProxy, DueModel, HeldFilterProxy,
)
from arrs_desk.ui.common.table_model import RowsModel
from arrs_desk.ui.common.list_page import FilterBar, empty_label, list_tab, list_table, sized_by_first_rows
from arrs_desk.ui.common.widgets import arrs_only_checkbox, make_button, make_combo, make_search

ALL = None
_STATUS = attrgetter("status")


class ReviewsPage(Page):
    title = "Reviews"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.overview = None
        self.model = DueModel(self)
        self.proxy = DueFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.held_model = RowsModel(HELD_COLUMNS, self)
        self.held_proxy = HeldFilterProxy(self)
        self.held_proxy.setSourceModel(self.held_model)
        self._held_loaded = False

        self.count_label = QLabel()
        self.count_label.setAccessibleName("Number of people shown")
        top = QHBoxLayout()
        top.addWidget(self.heading("Reviews and appraisals"))
        top.addSpacing(12)
        top.addWidget(self.count_label, 1)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Review lists")
        self.tabs.addTab(self._due_tab(), "Due")
        self.tabs.addTab(self._held_tab(), "Held and booked")
        self.tabs.currentChanged.connect(self._tab_shown)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)

    # --- building -----------------------------------------------------------------------
    def _due_tab(self) -> QWidget:
        self.search = make_search("Search by name, role, practice or appraiser", "Search people due a review")
        self.practice_filter = make_combo("Filter by practice")
        self.status_filter = make_combo("Filter by status")
        self.kind_filter = make_combo("Filter by next review")
        self.arrs_only = arrs_only_checkbox()
        filters = self.filters = FilterBar(self.search, (self.practice_filter, self.status_filter, self.kind_filter),
                                           (self.arrs_only,))

        self.summary = QLabel()
        self.summary.setAccessibleName("Summary of reviews needing action")
        self.summary.setWordWrap(True)
        self.open_button = make_button("Open…", "Open the selected person's reviews")
        self.pack_button = make_button("Appraisal pack…", "Make the selected person's appraisal pack")
        self.batch_button = make_button("Packs for several…", "Make appraisal packs for the selected people, or everyone shown")
        actions = QHBoxLayout()
        actions.addWidget(self.summary, 1)
        for button in (self.open_button, self.pack_button, self.batch_button):
            actions.addWidget(button)

        self.table = list_table(self.proxy, "People and the review due next", two_lines=True, several=True,
                                on_open=self._open_index)
        header = self.table.horizontalHeader()
        header.setSortIndicator(STATUS, Qt.SortOrder.AscendingOrder)
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)
        header.sectionClicked.connect(self._sort_by)
        for column, width in enumerate(WIDTHS):
            self.table.setColumnWidth(column, width)
        share_width(self.table, keep=(NAME, STATUS))  # the status and its date whole; the rest share (`_fit_columns`)

        self.empty = empty_label()

        filters.changed.connect(self._apply_filters)
        self.open_button.clicked.connect(self._open_selected)
        self.pack_button.clicked.connect(self._pack_for_selected)
        self.batch_button.clicked.connect(self.make_packs)
        return list_tab(filters, actions, self.table, self.empty)

    def _held_tab(self) -> QWidget:
        self.held_search = make_search("Search by name, review or appraiser", "Search reviews held and booked")
        self.held_state = make_combo("Filter reviews by state")
        self.held_summary = QLabel()
        self.held_summary.setAccessibleName("Reviews shown")
        row = QHBoxLayout()
        row.addWidget(self.held_search, 3)
        row.addWidget(self.held_state, 2)
        row.addWidget(self.held_summary, 2)
        self.held_table = sized_by_first_rows(QTableView())
        self.held_table.setModel(self.held_proxy)
        self.held_table.setAccessibleName("Reviews held and booked")
        self.held_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.held_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.held_table.setAlternatingRowColors(True)
        self.held_table.verticalHeader().hide()
        self.held_table.horizontalHeader().setStretchLastSection(True)
        share_width(self.held_table)
        self.held_table.activated.connect(self._open_index)  # Enter and double-click (see list_table)
        for text, value in (("Any state", ALL), ("Booked", "booked"), ("Held, awaiting signatures", "held"),
                            ("Signed by both", "signed")):
            self.held_state.addItem(text, value)
        self.held_search.textChanged.connect(self._filter_held)
        self.held_state.currentIndexChanged.connect(self._filter_held)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addLayout(row)
        layout.addWidget(self.held_table, 1)
        return tab

    # --- data ---------------------------------------------------------------------------
    def refresh(self) -> None:
        if self.workspace is None:
            return
        actor = self.actor
        self.load_data(lambda ws: ws.reviews.overview(actor, held=False), self.set_overview)
        if self._held_loaded or self.tabs.currentIndex() == 1:
            self._load_held()

    def set_overview(self, overview) -> None:
        """Show what is due (and the reviews held, when the overview carries them)."""
        selected = self.selected_staff_ids()
        self.overview = overview
        header = self.table.horizontalHeader()
        self.model.set_order(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self.model.set_rows(overview.due_rows, overview.today)
        self._fit_columns(overview.due_rows)
        self._refill_filters(overview)
        self._apply_filters()
        if overview.held_rows:
            self.set_held(overview.held_rows)
        if selected:
            self.select_staff(selected[0])

    _columns_fitted = False

    def _fit_columns(self, rows) -> None:
        """The next review, its status and the last review as wide as their words, once the first
        rows arrive. Fixed widths suited one font: at 1366x768 in another every booking date was cut
        ("Booked for 17/12/2…") and the last review's name could not be read even on hover. The status
        keeps its width; the two reviews share the table's width with the names and practices
        (`share_width`), shortened no more than they are. Measured from the labels and a date, not every row."""
        if self._columns_fitted or not rows:
            return
        self._columns_fitted = True
        metrics, header = self.table.fontMetrics(), self.table.horizontalHeader()
        badge = self.table.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize) + 4
        date = "00/00/0000"
        longest_overdue = max((row.next.days_overdue or 0 for row in rows if row.next), default=0)
        labels = {
            NEXT: {row.next.label for row in rows if row.next} | {date},
            LAST: {row.last_review for row in rows if row.last_review} | {"None recorded", date},
            STATUS: {f"Booked for {date}", "Booked, no date yet", f"Overdue by {plural(longest_overdue, 'day')}"}
            | {row.next.status_label for row in rows if row.next},
        }
        for column, words in labels.items():
            width = max(metrics.horizontalAdvance(word) for word in words) + (badge if column == STATUS else 0) + 16
            self.table.setColumnWidth(column, max(width, header.sectionSizeHint(column)))

    def _tab_shown(self, index: int) -> None:
        if index == 1 and not self._held_loaded and self.workspace is not None:
            self._load_held()

    def _load_held(self) -> None:
        Operation(self, lambda ws: ws.reviews.held(self.actor)).success(self.set_held).run()

    def set_held(self, rows) -> None:
        first = not self._held_loaded
        self._held_loaded = True
        self.held_model.set_rows(rows)
        self._filter_held()
        if first:  # sized once, from the first rows (SIZED_BY_ROWS), not from every review held
            self.held_table.resizeColumnsToContents()

    def _refill_filters(self, overview) -> None:
        def refill(combo: QComboBox, all_text: str, items) -> None:
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(all_text, ALL)
            for text, value in items:
                combo.addItem(text, value)
            index = combo.findData(current)
            combo.setCurrentIndex(index if index >= 0 else 0)
            combo.blockSignals(False)

        practices: dict[int, str] = {}
        for row in overview.due_rows:
            for pid, name in zip(row.practice_ids, row.practices.split(", ")):
                practices[pid] = name
        refill(self.practice_filter, "All practices", sorted((n, i) for i, n in practices.items()))
        refill(self.status_filter, "Any status", [
            ("Needs action (overdue or due soon)", NEEDS_ACTION), ("Overdue", "overdue"), ("Due soon", "due-soon"),
            ("Booked", "booked"), ("Up to date", "up-to-date")])
        refill(self.kind_filter, "Any review", [("Probation reviews", "probation"), ("Interim reviews", "interim"),
                                                ("Annual appraisals", "annual")])

    def _apply_filters(self) -> None:
        self.proxy.set_filters(words=self.search.text(), practice_id=self.practice_filter.currentData(),
                               status=self.status_filter.currentData(), kind=self.kind_filter.currentData(),
                               arrs_only=self.arrs_only.isChecked())
        self._update_summary()

    def _sort_by(self, column: int) -> None:
        self.proxy.sort(column, self.table.horizontalHeader().sortIndicatorOrder())  # the model sorts itself

    def _update_summary(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count_label.setText(f"{shown:,} of {plural(total, 'person')} shown" if shown != total
                                 else plural(total, "person"))
        shown_rows = self.proxy.shown_rows()
        counts = {str(status): n for status, n in Counter(map(_STATUS, shown_rows)).items()}  # counted in C
        parts = [f"{counts[s]} {label}" for s, label in (("overdue", "overdue"), ("due-soon", "due soon"),
                                                           ("booked", "booked"), ("up-to-date", "up to date"))
                 if counts.get(s)]
        action = counts.get("overdue", 0) + counts.get("due-soon", 0)
        if not shown:
            self.summary.setText("")
        elif action:
            self.summary.setText(f"<b>{plural(action, 'person')} {plural_word(action, 'needs')} a review soon or "
                                 f"now</b>: " + " · ".join(parts))
        else:
            self.summary.setText("Nobody shown is overdue: " + " · ".join(parts))
        if shown:
            self.empty.hide()
            self.table.show()
        else:
            self.empty.setText("No one to show yet. Staff in post appear here with the review due next."
                               if total == 0 else self.filters.no_match_text())
            self.table.hide()
            self.empty.show()
        set_enabled_with_reason(self.batch_button, any(r.can_print for r in shown_rows),
                                "None of the people shown are yours to make packs for: packs are for people you "
                                "appraise or manage, or your own." if shown_rows else
                                "Nobody is shown, so there are no packs to make.")

    def _filter_held(self, *_args) -> None:
        self.held_proxy.set_values(words=self.held_search.text(), state=self.held_state.currentData())
        self.held_summary.setText(plural(self.held_proxy.rowCount(), "review"))

    # --- selection and opening ----------------------------------------------------------
    def selected_rows(self) -> list:
        rows = {index.row(): index.data(ROW_ROLE) for index in self.table.selectionModel().selectedRows()}
        return [rows[r] for r in sorted(rows)]

    def selected_staff_ids(self) -> list[int]:
        return [r.staff_id for r in self.selected_rows()]

    def select_staff(self, staff_id: int) -> None:
        index = self.index_for(staff_id)
        if index.isValid():
            self.table.selectRow(index.row())
            self.table.scrollTo(index)

    def index_for(self, staff_id: int) -> QModelIndex:
        """The person's row as shown (invalid when filtered out or not listed)."""
        position = self.model.position_of(staff_id)
        if position is None:
            return QModelIndex()
        return self.proxy.mapFromSource(self.model.index(position, NAME))

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_person(index.data(ROW_ROLE).staff_id)

    def _open_selected(self) -> None:
        ids = self.selected_staff_ids()
        if not ids:
            QMessageBox.information(self, "Reviews", "Select a person in the list first.")
            return
        self.open_person(ids[0])

    def open_person(self, staff_id: int):
        from arrs_desk.ui.reviews.review_person import PersonReviewsDialog

        dialog = PersonReviewsDialog(self.workspace, self.actor, staff_id, parent=self)
        if dialog.person is None:
            return None
        dialog.exec()  # what it changed shows here already (changes.REVIEWS)
        if dialog.changed:
            self.select_staff(staff_id)
        return dialog

    # --- packs --------------------------------------------------------------------------
    def _pack_for_selected(self) -> None:
        rows = self.selected_rows()
        if not rows:
            QMessageBox.information(self, "Appraisal pack", "Select a person in the list first.")
            return
        row = rows[0]
        if not row.can_print:
            QMessageBox.information(self, "Appraisal pack", f"You cannot make an appraisal pack for {row.display_name}: "
                                    "packs are for people you appraise or manage, or your own.")
            return
        from arrs_desk.ui.reviews.appraisal_pack_dialogs import PackDialog

        PackDialog(self.workspace, self.actor, row.staff_id, row.display_name, parent=self).exec()

    def make_packs(self):
        """Packs for the selected people, or for everyone shown when nobody is selected."""
        chosen = self.selected_rows() or self.proxy.shown_rows()
        allowed = [r for r in chosen if r.can_print]
        if not allowed:
            QMessageBox.information(self, "Appraisal packs", "None of these people's packs are yours to make: packs "
                                    "are for people you appraise or manage, or your own.")
            return None
        from arrs_desk.ui.reviews.appraisal_pack_dialogs import BatchPackDialog

        dialog = BatchPackDialog(self.workspace, self.actor, [(r.staff_id, r.display_name) for r in allowed],
                                 skipped=len(chosen) - len(allowed), parent=self)
        dialog.exec()
        return dialog
