"""The two induction pages: "My induction" (the signed-in person's own checklist) and "Induction"
(the manager's overview of their team, with what waits for their sign-off)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QLabel, QPushButton,
    QStackedWidget, QTableView, QTabWidget, QVBoxLayout,
)

from arrs_desk.ui.common.columns import share_width
from arrs_desk.ui.common.column_choice import offer_column_choice
from arrs_desk.ui.common.percent_bar import PercentBarDelegate
from arrs_desk.ui.common.list_page import FilterBar, empty_label, list_tab, list_table, show_rows
from arrs_desk.ui.common.text import plural
from arrs_desk.domain.induction import ExpiryStatus
from arrs_desk.domain.permissions import Action, denial
from arrs_desk.domain.staff import search_key
from arrs_desk.ui.common.icons import glyph_icon
from arrs_desk.ui.induction.induction_checklist import ChecklistDialog, ChecklistWidget, expiry_icon, expiry_text, uk
from arrs_desk.ui.common.changes import ORGANISATIONS, ROLES, STAFF
from arrs_desk.ui.common.page import Page
from arrs_desk.ui.common.widgets import make_search
from arrs_desk.ui.common.filter_proxy import FilterProxy
from arrs_desk.ui.common.table_model import ROW_ROLE, SORT_ROLE, RowTableModel

_Index = QModelIndex | QPersistentModelIndex


def _status_bar_message(widget, text: str) -> None:
    window = widget.window()
    if hasattr(window, "statusBar"):
        window.statusBar().showMessage(text, 6000)


# --------------------------------------------------------------------------- My induction


class MyInductionPage(Page):
    """What a new starter sees: only their own checklist."""

    title = "My induction"
    shows = frozenset({STAFF, ROLES, ORGANISATIONS})
    """The checklist reloads itself after its own changes, the only induction changes made here."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.checklist = ChecklistWidget(self, show_person=False)
        self.checklist.status_message.connect(lambda text: _status_bar_message(self, text))
        self.unlinked = QLabel(
            "Your sign-in is not linked to a staff record, so there is no checklist of your own to show.\n\n"
            "Line managers and administrators find their team's checklists under Induction. An administrator "
            "can link your account to your staff record under Users.")
        self.unlinked.setWordWrap(True)
        self.unlinked.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.checklist)
        self.stack.addWidget(self.unlinked)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)

    def set_context(self, workspace, actor) -> None:
        super().set_context(workspace, actor)
        self.checklist.set_context(workspace, actor)

    def refresh(self) -> None:
        if self.workspace is None:
            return
        if self.actor is None or self.actor.staff_id is None:
            self.stack.setCurrentWidget(self.unlinked)
            return
        self.stack.setCurrentWidget(self.checklist)
        self.checklist.load(self.actor.staff_id)


# --------------------------------------------------------------------------- the overview table


NAME, ROLE, PROGRESS, OVERDUE, AWAITING, RETURNED, TRAINING, REGISTRATION, START, PRACTICES, MANAGER = range(11)
HEADERS = ("Name", "Role", "Progress", "Overdue", "Awaiting sign-off", "Returned", "Training", "Registration",
           "Start date", "Practice(s)", "Line manager")
WIDTHS = (165, 150, 110, 112, 124, 76, 150, 170, 84, 170, 170)


def training_text(row) -> str:
    if not row.has_checklist:
        return ""
    parts = []
    if row.expired:
        parts.append(f"{row.expired} expired")
    if row.expiring:
        parts.append(f"{row.expiring} expiring soon")
    return ", ".join(parts) or "Up to date"


def registration_text(row) -> str:
    status, renewal = row.registration_status, uk(row.registration_renewal)
    if status is None:
        return "Not registered"
    return {ExpiryStatus.NOT_RECORDED: "No renewal date", ExpiryStatus.VALID: f"Valid to {renewal}",
            ExpiryStatus.EXPIRING: f"Renew by {renewal}", ExpiryStatus.EXPIRED: f"Expired {renewal}"}[status]


class OverviewModel(QAbstractTableModel):
    """The overview rows. Sorting happens here, on keys worked out once per row, rather than in
    the proxy (which would ask `data()` for two keys on every one of ~10,000 comparisons); that,
    and keeping the selection across a sort, is why it is not a `RowTableModel`."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list = []
        self._sort: tuple[int, Qt.SortOrder] = (NAME, Qt.SortOrder.AscendingOrder)

    def set_rows(self, rows: list) -> None:
        self.beginResetModel()
        self._rows = self._sorted(list(rows), *self._sort)
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        before = [self._rows[i.row()].staff_id for i in self.persistentIndexList()]
        old_columns = [i.column() for i in self.persistentIndexList()]
        self._rows = self._sorted(self._rows, column, order)
        position = {row.staff_id: n for n, row in enumerate(self._rows)}
        self.changePersistentIndexList(
            self.persistentIndexList(),
            [self.index(position[staff_id], column_) for staff_id, column_ in zip(before, old_columns)])
        self.layoutChanged.emit()

    @classmethod
    def _sorted(cls, rows: list, column: int, order: Qt.SortOrder) -> list:
        keyed = sorted(rows, key=lambda row: (row.search_key, row.staff_id))  # a stable tie-break
        return sorted(keyed, key=lambda row: cls.sort_key(row, column),
                      reverse=order == Qt.SortOrder.DescendingOrder)

    def rows(self) -> list:
        return self._rows

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == ROW_ROLE:
            return row
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.text(row, column, accessible=role == Qt.ItemDataRole.AccessibleTextRole)
        if role == SORT_ROLE:
            return self.sort_key(row, column)
        if role == Qt.ItemDataRole.DecorationRole:
            return self.icon(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == PROGRESS and row.has_checklist:
                return f"{row.done} of {row.applicable} items complete"
            if column == OVERDUE and row.next_due:
                return f"Earliest item still to do was due {uk(row.next_due)}" if row.overdue \
                    else f"Next item due {uk(row.next_due)}"
            if column == REGISTRATION and row.registration_status is not None:
                return expiry_text(row.registration_status, row.registration_renewal) or "No renewal date recorded"
        return None

    @staticmethod
    def text(row, column: int, accessible: bool = False) -> str:
        if column == NAME:
            return row.display_name
        if column == ROLE:
            return row.role_title
        if column == PRACTICES:
            return row.practices
        if column == START:
            return uk(row.start_date)
        if column == PROGRESS:
            if not row.has_checklist:
                return "No checklist"
            return f"{row.percent}% ({row.done} of {row.applicable})" if accessible else f"{row.percent}%"
        if not row.has_checklist and column in (OVERDUE, AWAITING, RETURNED):
            return ""
        if column == OVERDUE:
            return f"{row.overdue} overdue" if row.overdue else "None"
        if column == AWAITING:
            return f"{row.awaiting} waiting" if row.awaiting else "–"
        if column == RETURNED:
            return str(row.returned) if row.returned else "–"
        if column == TRAINING:
            return training_text(row)
        if column == REGISTRATION:
            return registration_text(row)
        if column == MANAGER:
            return row.line_manager
        return ""

    @staticmethod
    def sort_key(row, column: int):
        if column == NAME:
            return row.name_key
        if column == START:
            return row.start_date.toordinal()
        if column == PROGRESS:
            return row.percent if row.has_checklist else -1
        if column == OVERDUE:
            return row.overdue
        if column == AWAITING:
            return row.awaiting
        if column == RETURNED:
            return row.returned
        if column == TRAINING:
            return row.expired * 1000 + row.expiring
        if column == REGISTRATION:
            return row.registration_renewal.toordinal() if row.registration_renewal else 10**7
        return search_key(OverviewModel.text(row, column))

    @staticmethod
    def icon(row, column: int):
        if column == OVERDUE and row.overdue:
            return glyph_icon("!", "bad")
        if column == AWAITING and row.awaiting:
            return glyph_icon("…", "info")
        if column == RETURNED and row.returned:
            return glyph_icon("↩", "warn")
        if column == TRAINING and row.has_checklist:
            if row.expired:
                return expiry_icon(ExpiryStatus.EXPIRED)
            if row.expiring:
                return expiry_icon(ExpiryStatus.EXPIRING)
            return expiry_icon(ExpiryStatus.VALID)
        if column == REGISTRATION and row.registration_status is not None:
            return expiry_icon(row.registration_status)
        return None


def checklist_percent(index) -> float | None:
    """The checklist's progress for `PercentBarDelegate`; None for someone with no checklist."""
    row = index.data(ROW_ROLE)
    return row.percent if row is not None and row.has_checklist else None


SHOW_CHOICES = (
    ("Everyone with a checklist", "checklist"),
    ("Anything needing attention", "attention"),
    ("Overdue items", "overdue"),
    ("Waiting for sign-off", "awaiting"),
    ("Training expired or expiring", "training"),
    ("Registration renewal due", "registration"),
    ("Everyone, with or without a checklist", None),
)


class OverviewProxy(FilterProxy):
    """Filters in memory; sorting is passed to the source model, which keeps its rows in order."""

    SORT_IN_SOURCE = True

    def __init__(self, parent=None):
        super().__init__(parent)
        self._practice_id: int | None = None
        self._show: str | None = "checklist"

    def set_filters(self, *, words: str, practice_id: int | None, show: str | None) -> None:
        self.set_values(words=words, practice_id=practice_id, show=show)

    def accepts(self, row) -> bool:
        if self._practice_id is not None and self._practice_id not in row.practice_ids:
            return False
        show = self._show
        registration_due = row.registration_status in (ExpiryStatus.EXPIRED, ExpiryStatus.EXPIRING)
        if show == "checklist" and not row.has_checklist:
            return False
        if show == "overdue" and not row.overdue:
            return False
        if show == "awaiting" and not row.awaiting:
            return False
        if show == "training" and not (row.expired or row.expiring):
            return False
        if show == "registration" and not registration_due:
            return False
        if show == "attention" and not (row.overdue or row.awaiting or row.returned or row.expired or row.expiring
                                        or registration_due):
            return False
        return True


class SignOffModel(RowTableModel):
    """Items ticked and waiting for someone to sign them off."""

    HEADERS = ("Starter", "Item", "Section", "Ticked by", "Ticked on", "Note", "Files")

    def cell(self, row, column: int) -> str:
        return (row.display_name, row.title, row.section_title, row.ticked_by, uk(row.ticked_at), row.note,
                str(row.evidence_count) if row.evidence_count else "")[column]

    def decoration(self, row, column: int):
        return glyph_icon("…", "info") if column == 1 else None


# --------------------------------------------------------------------------- the Induction page


class InductionPage(Page):
    """Each starter's progress, overdue items and expiring training, and the sign-off queue."""

    title = "Induction"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.model = OverviewModel(self)
        self.proxy = OverviewProxy(self)
        self.proxy.setSourceModel(self.model)
        self.signoff_model = SignOffModel(self)
        self._widths_set = False

        heading = self.heading(self.title)
        self.count_label = QLabel()
        self.count_label.setAccessibleName("Number of people shown")
        self.templates_button = QPushButton("Edit templates…")
        self.templates_button.setToolTip("Add, reorder and retire checklist items (administrators)")
        self.templates_button.clicked.connect(self.edit_templates)
        self.open_button = QPushButton("Open checklist")
        self.open_button.clicked.connect(self.open_selected)
        self.search = make_search("Search by name, role or practice", "Search starters")
        self.practice_filter = QComboBox()
        self.practice_filter.setAccessibleName("Filter by practice")
        self.practice_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.show_filter = QComboBox()
        self.show_filter.setAccessibleName("Show")
        for text, value in SHOW_CHOICES:
            self.show_filter.addItem(text, value)

        self.table = list_table(self.proxy, "Starters", on_open=self._open_index)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(NAME, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        for column, width in enumerate(WIDTHS):
            self.table.setColumnWidth(column, width)
        self.table.setItemDelegateForColumn(PROGRESS, PercentBarDelegate(self.table, checklist_percent))
        share_width(self.table, keep=(NAME, PROGRESS, OVERDUE, AWAITING, TRAINING, REGISTRATION))
        offer_column_choice(self.table, "induction", hidden_at_first=(START, MANAGER))

        self.signoff_table = QTableView()
        self.signoff_table.setModel(self.signoff_model)
        self.signoff_table.setAccessibleName("Items waiting for sign-off")
        self.signoff_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.signoff_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.signoff_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.signoff_table.setAlternatingRowColors(True)
        self.signoff_table.verticalHeader().hide()
        self.signoff_table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((180, 300, 150, 160, 130, 260)):
            self.signoff_table.setColumnWidth(column, width)
        share_width(self.signoff_table)
        self.signoff_table.activated.connect(self._open_signoff)  # Enter and double-click (see list_table)

        self.empty = empty_label()
        self.tabs = QTabWidget()
        self.tabs.addTab(list_tab(None, None, self.table, self.empty, inset=False), "Starters")
        self.tabs.addTab(self.signoff_table, "Waiting for sign-off")

        self.legend = QLabel("Double-click a person to open their checklist. "
                             "Training and registration show as valid, expiring within 90 days, or expired. "
                             "Right-click a column heading to choose the columns shown.")
        self.legend.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(heading)
        top.addSpacing(12)
        top.addWidget(self.count_label, 1)
        top.addWidget(self.open_button)
        top.addWidget(self.templates_button)
        filters = self.filters = FilterBar(self.search, (self.practice_filter, self.show_filter), choice_stretch=1)
        filters.changed.connect(self._apply_filters)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.legend)

    # --- data ---------------------------------------------------------------------------
    def set_context(self, workspace, actor) -> None:
        super().set_context(workspace, actor)
        self.templates_button.setVisible(actor is not None and denial(actor.roles, Action.MANAGE_TEMPLATES) is None)

    def refresh(self) -> None:
        if self.workspace is None:
            return
        actor = self.actor
        self.load_data(lambda ws: (ws.induction.overview(actor), ws.induction.awaiting_signoff(actor)),
                       lambda found: self.set_rows(*found))

    def set_rows(self, rows: list, queue: list) -> None:
        selected = self.selected_staff_id()
        self.model.set_rows(rows)
        self._refill_practices(rows)
        self.signoff_model.set_rows(queue)
        self.tabs.setTabText(1, f"Waiting for sign-off ({len(queue)})" if queue else "Waiting for sign-off")
        if selected is not None:
            self.select_staff(selected)
        self._update_state()

    def _refill_practices(self, rows: list) -> None:
        current = self.practice_filter.currentData()
        practices: dict[int, str] = {}
        for row in rows:
            for pid, name in zip(row.practice_ids, row.practices.split(", ")):
                practices[pid] = name
        self.practice_filter.blockSignals(True)
        self.practice_filter.clear()
        self.practice_filter.addItem("All practices", None)
        for pid, name in sorted(practices.items(), key=lambda p: p[1]):
            self.practice_filter.addItem(name, pid)
        index = self.practice_filter.findData(current)
        self.practice_filter.setCurrentIndex(index if index >= 0 else 0)
        self.practice_filter.blockSignals(False)
        if self.practice_filter.currentData() != current:  # their practice has gone: filter again, once
            self._apply_filters()

    def _apply_filters(self) -> None:
        self.proxy.set_filters(words=self.search.text(), practice_id=self.practice_filter.currentData(),
                               show=self.show_filter.currentData())
        self._update_state()

    def _update_state(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        starters = sum(r.has_checklist for r in self.model.rows())
        self.count_label.setText(f"{shown:,} shown · {starters:,} with a checklist · {plural(total, 'person')} in "
                                 "your view")
        show_rows(self.table, self.empty, bool(shown))
        if shown:
            return
        if starters == 0:
            self.empty.setText("Nobody in your view has an induction checklist yet.\n\nNew starters get one when "
                               "they are added with the status Pre-start or In induction. To make one for someone "
                               "already in post, choose 'Everyone, with or without a checklist' under Show, then "
                               "open their record.")
        else:
            self.empty.setText(self.filters.no_match_text())

    # --- opening ------------------------------------------------------------------------
    def selected_staff_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isSelected(index):
            return None
        return index.data(ROW_ROLE).staff_id

    def select_staff(self, staff_id: int) -> bool:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(ROW_ROLE).staff_id == staff_id:
                self.table.selectRow(row)
                self.table.scrollTo(index)
                return True
        return False

    def _open_index(self, index: QModelIndex) -> None:
        self.open_checklist(index.data(ROW_ROLE).staff_id)

    def _open_signoff(self, index: QModelIndex) -> None:
        if index.isValid():
            row = index.data(ROW_ROLE)
            self.open_checklist(row.staff_id, item_id=row.item_id)

    def open_selected(self) -> None:
        if self.tabs.currentIndex() == 1:
            self._open_signoff(self.signoff_table.currentIndex())
            return
        staff_id = self.selected_staff_id()
        if staff_id is None:
            _status_bar_message(self, "Select a person in the list first.")
            return
        self.open_checklist(staff_id)

    def open_checklist(self, staff_id: int, item_id: int | None = None) -> None:
        dialog = ChecklistDialog(self.workspace, self.actor, staff_id, self)
        dialog.checklist.status_message.connect(lambda text: _status_bar_message(self, text))
        if item_id is not None:
            dialog.checklist.select_item(item_id)
        dialog.exec()  # what was changed there shows here when it closes (changes.INDUCTION)

    def edit_templates(self) -> None:
        from arrs_desk.ui.induction.template_editor import TemplateEditorDialog

        dialog = TemplateEditorDialog(self.workspace, self.actor, self)
        if not dialog.failed:
            dialog.exec()

