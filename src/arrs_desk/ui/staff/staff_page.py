"""The staff list: search as you type, filter by practice, role and status, open a record."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from arrs_desk.ui.common.columns import share_width
from arrs_desk.ui.common.list_page import FilterBar, list_tab, list_table, show_rows
from arrs_desk.ui.common.text import plural, quoted_briefly
from arrs_desk.domain.staff import StaffStatus
from arrs_desk.ui.staff.staff_model import (
    CURRENT, NAME, REGISTRATION, ROW_ROLE, START, STATUS, StaffFilterProxy, StaffTableModel,
)
from arrs_desk.ui.common.widgets import make_search

ALL = None


class EmptyState(QWidget):
    """A friendly panel saying why the list is empty and what to do next."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # it quotes the search as typed, markup and all
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)
        # Never wider than the page gives it: a heading quoting a long search with nowhere to wrap
        # is cut at the page's edge rather than widening the page and squeezing the navigation.
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.body = QLabel()
        self.body.setTextFormat(Qt.TextFormat.PlainText)
        self.body.setWordWrap(True)
        self.body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._actions = QWidget()
        self._layout.addStretch(1)
        self._layout.addWidget(self.title)
        self._layout.addWidget(self.body)
        self._layout.addSpacing(12)
        self._layout.addWidget(self._actions)
        self._layout.addStretch(2)

    def show_message(self, title: str, body: str, actions: list[tuple[str, object]]) -> None:
        self.title.setText(title)
        self.body.setText(body)
        replacement = QWidget()
        row = QHBoxLayout(replacement)
        row.addStretch(1)
        for text, slot in actions:
            button = QPushButton(text)
            button.clicked.connect(slot)
            row.addWidget(button)
        row.addStretch(1)
        self._layout.replaceWidget(self._actions, replacement)
        self._actions.deleteLater()
        self._actions = replacement

    def button_texts(self) -> list[str]:
        return [b.text() for b in self._actions.findChildren(QPushButton)]


class StaffPage(QWidget):
    open_requested = Signal(int)
    new_requested = Signal()
    demo_requested = Signal()
    setup_requested = Signal()
    export_bundle_requested = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.model = StaffTableModel(self)
        self.proxy = StaffFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self._database_empty = False
        self._may_add = True

        self.heading = QLabel("Staff")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.heading.setFont(font)
        self.count_label = QLabel()
        self.count_label.setAccessibleName("Number of staff shown")

        self.search = make_search("Search by name, role, practice, registration number or email", "Search staff")
        self.practice_filter = QComboBox()
        self.practice_filter.setAccessibleName("Filter by practice")
        self.role_filter = QComboBox()
        self.role_filter.setAccessibleName("Filter by role")
        self.status_filter = QComboBox()
        self.status_filter.setAccessibleName("Filter by status")
        self.status_filter.addItem("Current staff", CURRENT)
        self.status_filter.addItem("Everyone, including leavers", ALL)
        for status in StaffStatus:
            self.status_filter.addItem(status.label, status.value)
        self.new_button = QPushButton("New staff member…")
        self.new_button.setAccessibleName("Add a new staff member")
        self.new_button.clicked.connect(self.new_requested)

        # `activated` is the platform's "open" (list_table): a double-click and Enter open one editor.
        self.table = list_table(self.proxy, "Staff list", on_open=self._open_index)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(NAME, Qt.SortOrder.AscendingOrder)
        self.table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        # Column widths from a sample of rows: measuring all 1,000 costs a third of a second.
        self.table.horizontalHeader().setResizeContentsPrecision(60)
        share_width(self.table, keep=(NAME, STATUS, START, REGISTRATION))  # within the width, widest giving way first
        self.export_bundle_action = QAction("E&xport record bundle…", self.table)
        self.export_bundle_action.setToolTip("Save this person's record and evidence for their new PCN")
        self.export_bundle_action.triggered.connect(
            lambda: (sid := self.selected_staff_id()) is not None and self.export_bundle_requested.emit(sid))
        self.table.addAction(self.export_bundle_action)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

        self.empty = EmptyState()
        self.empty.hide()

        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addSpacing(12)
        top.addWidget(self.count_label, 1)
        top.addWidget(self.new_button)
        # Filtering 1,000 rows takes a few milliseconds: run it on every keystroke, but let a
        # burst of typing coalesce into one pass so the field never lags (FilterBar does).
        filters = FilterBar(self.search, (self.practice_filter, self.role_filter, self.status_filter), choice_stretch=1)
        filters.changed.connect(self._apply_filters)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(list_tab(filters, None, self.table, self.empty, inset=False), 1)

        self.setTabOrder(self.search, self.practice_filter)
        self.setTabOrder(self.practice_filter, self.role_filter)
        self.setTabOrder(self.role_filter, self.status_filter)
        self.setTabOrder(self.status_filter, self.table)
        self.setTabOrder(self.table, self.new_button)

    # --- data ---------------------------------------------------------------------------
    def set_rows(self, rows: list, *, database_empty: bool = False) -> None:
        selected = self.selected_staff_id()
        self._database_empty = database_empty
        self.model.set_rows(rows)
        self._refill_filter_choices(rows)
        self.proxy.sort(self.table.horizontalHeader().sortIndicatorSection(), self.table.horizontalHeader().sortIndicatorOrder())
        if not self._column_widths_set and rows:
            self.table.resizeColumnsToContents()
            for column in range(self.model.columnCount()):
                self.table.setColumnWidth(column, min(self.table.columnWidth(column) + 16, 320))
            self._column_widths_set = True
        if selected is not None:
            self.select_staff(selected)
        self._update_state()

    _column_widths_set = False

    def _refill_filter_choices(self, rows: list) -> None:
        def refill(combo: QComboBox, all_text: str, items: list[tuple[str, object]]) -> None:
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(all_text, ALL)
            for text, value in items:
                combo.addItem(text, value)
            index = combo.findData(current)
            combo.setCurrentIndex(index if index >= 0 else 0)
            combo.blockSignals(False)

        practices = {}
        for ids, names in {(row.practice_ids, row.practices) for row in rows}:  # a few dozen combinations
            for pid, name in zip(ids, names.split(", ")):
                practices[pid] = name
        refill(self.practice_filter, "All practices", sorted(((n, i) for i, n in practices.items()), key=lambda p: p[0]))
        roles = sorted({(row.role_title, row.role_code) for row in rows})
        refill(self.role_filter, "All roles", roles)

    def _apply_filters(self) -> None:
        self.proxy.set_values(words=self.search.text(), practice_id=self.practice_filter.currentData(),
                              role_code=self.role_filter.currentData(), status=self.status_filter.currentData())
        self._update_state()

    def clear_filters(self) -> None:
        self.search.clear()
        for combo in (self.practice_filter, self.role_filter):
            combo.setCurrentIndex(0)
        self.status_filter.setCurrentIndex(0)
        self._apply_filters()

    def _update_state(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count_label.setText(f"{shown:,} of {total:,} shown" if shown != total else plural(total, "person"))
        show_rows(self.table, self.empty, bool(shown))
        if shown:
            return
        if total == 0 and self._database_empty:
            self.empty.show_message(
                "Welcome to ARRS Desk",
                "This database is empty. Set up your PCN's practices first, then add staff; "
                "or load a fictional demonstration PCN to try things out.",
                [("Set up practices…", self.setup_requested.emit), ("Load demonstration data", self.demo_requested.emit)],
            )
        elif total == 0 and self._may_add:
            self.empty.show_message(
                "No staff yet",
                "Add the first person with File > New staff member (Ctrl+N), or everyone at once from a "
                "CSV or Excel file (such as an HR export) with File > Import staff.",
                [("New staff member…", self.new_requested.emit), *self._import_button()],
            )
        elif total == 0:
            self.empty.show_message(
                "No staff records for you to see",
                "Your account is not linked to a staff record, or no one's record is yours to see yet. "
                "Ask your administrator to link your account to your staff record.",
                [],
            )
        else:
            query = self.search.text().strip()
            what = f"No one matches {quoted_briefly(query)}" if query else "No one matches these filters"
            self.empty.show_message(what, "Check the spelling, or clear the search and filters to see everyone.",
                                    [("Clear search and filters", self.clear_filters)])

    def _import_button(self) -> list[tuple[str, object]]:
        """The window's own Import staff action, as the File menu and Home's first steps offer it:
        the empty list offered only New staff member, though most PCNs start from an HR export."""
        action = getattr(self.window(), "import_action", None)
        if action is None or not action.isVisible() or not action.isEnabled():
            return []
        return [(action.text().replace("&", ""), action.trigger)]

    def set_may_add(self, may_add: bool) -> None:
        """Offer "New staff member" only to someone who may add staff (administrators and line
        managers): a starter was offered it, filled in the whole form, and was then refused."""
        self._may_add = may_add
        self.new_button.setVisible(may_add)
        self._update_state()

    # --- selection ----------------------------------------------------------------------
    def selected_staff_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isSelected(index):
            return None
        return index.data(ROW_ROLE).id

    def select_staff(self, staff_id: int) -> None:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(ROW_ROLE).id == staff_id:
                self.table.setCurrentIndex(index)
                self.table.selectionModel().select(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
                self.table.scrollTo(index)
                return

    def _open_index(self, index: QModelIndex) -> None:
        self.open_requested.emit(index.data(ROW_ROLE).id)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()
