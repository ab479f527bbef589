"""The Programmes page: everyone on a preceptorship or training pathway, who is behind and why.

Each person sees the enrolments they may: their own, their team's, and any they precept or
assess. Double-click opens the person's programme page.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from arrs_desk.ui.common.columns import share_width
from arrs_desk.ui.common.list_page import FilterBar, empty_label, list_tab, list_table, show_rows
from arrs_desk.ui.common.text import plural
from arrs_desk.domain.permissions import Action, denial
from arrs_desk.domain.programmes import EnrolmentStatus
from arrs_desk.ui.common.operation import Operation
from arrs_desk.ui.common.page import Page
from arrs_desk.ui.programmes.programmes_model import (
    ELAPSED, HIDDEN_AT_FIRST, MILESTONES, NAME, PROGRESS, PROGRESS_TIP, ROW_ROLE, SHOW_CHOICES, STATUS, WIDTHS, OverviewModel, OverviewProxy,
    shown_percent,
)
from arrs_desk.ui.common.column_choice import offer_column_choice
from arrs_desk.ui.common.percent_bar import PercentBarDelegate
from arrs_desk.ui.common.widgets import make_search


def _status_message(widget, text: str) -> None:
    window = widget.window()
    if hasattr(window, "statusBar"):
        window.statusBar().showMessage(text, 6000)


class ProgrammesPage(Page):
    title = "Programmes"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.model = OverviewModel(self)
        self.proxy = OverviewProxy(self)
        self.proxy.setSourceModel(self.model)

        self.count_label = QLabel()
        self.count_label.setAccessibleName("Number of people shown")
        self.enrol_button = QPushButton("Enrol…")
        self.enrol_button.setAccessibleName("Enrol someone on a programme")
        self.open_button = QPushButton("Open")
        self.open_button.setAccessibleName("Open the selected person's programme")
        self.csv_button = QPushButton("CSV…")
        self.csv_button.setAccessibleName("Export the list shown as CSV")
        self.editor_button = QPushButton("Edit programmes…")
        self.editor_button.setAccessibleName("Edit programmes (administrators)")
        self.editor_button.setToolTip("Create a programme by copying one, change milestones and competencies, "
                                      "import a programme file")
        self.enrol_button.clicked.connect(lambda: self.enrol())
        self.open_button.clicked.connect(self.open_selected)
        self.csv_button.clicked.connect(lambda: self.export_csv())
        self.editor_button.clicked.connect(self.edit_programmes)

        self.search = make_search("Search by name, role, programme, practice or assessor", "Search people on programmes")
        self.programme_filter = QComboBox()
        self.programme_filter.setAccessibleName("Filter by programme")
        self.programme_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.practice_filter = QComboBox()
        self.practice_filter.setAccessibleName("Filter by practice")
        self.practice_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.show_filter = QComboBox()
        self.show_filter.setAccessibleName("Show")
        for text, value in SHOW_CHOICES:
            self.show_filter.addItem(text, value)

        self.summary = QLabel()
        self.summary.setAccessibleName("Summary")
        self.summary.setWordWrap(True)

        self.table = list_table(self.proxy, "People on programmes", on_open=self._open_index)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(NAME, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        for column, width in enumerate(WIDTHS):
            self.table.setColumnWidth(column, width)
        delegate = PercentBarDelegate(self.table, shown_percent)
        self.table.setItemDelegateForColumn(PROGRESS, delegate)
        self.table.setItemDelegateForColumn(ELAPSED, delegate)
        share_width(self.table, keep=(NAME, STATUS, PROGRESS, ELAPSED, MILESTONES))
        offer_column_choice(self.table, "programmes", hidden_at_first=HIDDEN_AT_FIRST)

        self.empty = empty_label()

        self.legend = QLabel(f"{PROGRESS_TIP} Protected time is counted in whole weeks, leaving out paused weeks. "
                             "Double-click a person to open their programme; right-click a column heading to choose "
                             "the columns shown.")
        self.legend.setWordWrap(True)
        self.legend.setAccessibleName("How to read this list")

        top = QHBoxLayout()
        top.addWidget(self.heading(self.title))
        top.addSpacing(12)
        top.addWidget(self.count_label, 1)
        for button in (self.enrol_button, self.open_button, self.csv_button, self.editor_button):
            top.addWidget(button)
        filters = self.filters = FilterBar(self.search, (self.programme_filter, self.practice_filter, self.show_filter))
        filters.changed.connect(self._apply_filters)
        summary = QHBoxLayout()
        summary.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(list_tab(filters, summary, self.table, self.empty, inset=False), 1)
        layout.addWidget(self.legend)

    # --- data -----------------------------------------------------------------------------
    def set_context(self, workspace, actor) -> None:
        super().set_context(workspace, actor)
        if actor is None:
            return
        self.editor_button.setVisible(denial(actor.roles, Action.MANAGE_TEMPLATES) is None)
        self.enrol_button.setVisible(actor.sole_user or denial(actor.roles, Action.MANAGE_PROGRAMME) is None
                                     or "line_manager" in actor.roles)

    def refresh(self) -> None:
        if self.workspace is None:
            return
        rows = Operation(self, lambda ws: ws.programmes.overview(self.actor))
        if rows.run():
            self.set_rows(rows.result)

    def set_rows(self, rows: list) -> None:
        selected = self.selected_enrolment_id()
        self.model.set_rows(rows)
        self._refill(self.programme_filter, "All programmes",
                     sorted({(r.programme_title, r.programme_code) for r in rows}))
        practices: dict[int, str] = {}
        for row in rows:
            for pid, name in zip(row.practice_ids, row.practices.split(", ")):
                practices[pid] = name
        self._refill(self.practice_filter, "All practices", sorted((n, i) for i, n in practices.items()))
        self._apply_filters()
        if selected is not None:
            self.select_enrolment(selected)

    @staticmethod
    def _refill(combo: QComboBox, all_text: str, items) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(all_text, None)
        for text, value in items:
            combo.addItem(text, value)
        combo.setCurrentIndex(max(combo.findData(current), 0))
        combo.blockSignals(False)

    def _apply_filters(self) -> None:
        self.proxy.set_filters(words=self.search.text(), programme=self.programme_filter.currentData(),
                               practice_id=self.practice_filter.currentData(), show=self.show_filter.currentData())
        self._update_state()

    def _update_state(self) -> None:
        rows = self.model.rows()
        shown = self.proxy.rowCount()
        current = [r for r in rows if r.status not in (EnrolmentStatus.COMPLETED, EnrolmentStatus.WITHDRAWN)]
        self.count_label.setText(f"{shown} shown · {len(current)} on a programme now · {len(rows)} in all")
        counts = {s: sum(r.status is s for r in current) for s in EnrolmentStatus}
        if current:
            parts = [f"<b>{counts[EnrolmentStatus.BEHIND]} behind</b>" if counts[EnrolmentStatus.BEHIND]
                     else "nobody behind",
                     f"{counts[EnrolmentStatus.ON_TRACK]} on track"]
            if counts[EnrolmentStatus.PAUSED]:
                parts.append(f"{counts[EnrolmentStatus.PAUSED]} paused")
            if counts[EnrolmentStatus.NOT_STARTED]:
                parts.append(f"{counts[EnrolmentStatus.NOT_STARTED]} not started yet")
            completed = sum(r.status is EnrolmentStatus.COMPLETED for r in rows)
            if completed:
                parts.append(f"{completed} completed")
            self.summary.setText("On programmes now: " + " · ".join(parts) + ".")
        else:
            self.summary.setText("")
        show_rows(self.table, self.empty, bool(shown))
        if shown:
            return
        if not rows:
            can_enrol = self.enrol_button.isVisible()
            self.empty.setText("Nobody in your view is on a programme yet.\n\n" + (
                "Choose Enrol… to put someone on a preceptorship or training pathway, such as the 12-week paramedic "
                "preceptorship or the pharmacy education pathway." if can_enrol else
                "Line managers enrol people; programmes you follow, precept or assess appear here."))
        else:
            self.empty.setText(self.filters.no_match_text())

    # --- selection and opening ------------------------------------------------------------
    def selected_enrolment_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isSelected(index):
            return None
        return index.data(ROW_ROLE).enrolment_id

    def select_enrolment(self, enrolment_id: int) -> bool:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(ROW_ROLE).enrolment_id == enrolment_id:
                self.table.selectRow(row)
                self.table.scrollTo(index)
                return True
        return False

    def index_for(self, enrolment_id: int, column: int = NAME) -> QModelIndex:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, column)
            if index.data(ROW_ROLE).enrolment_id == enrolment_id:
                return index
        return QModelIndex()

    def _open_index(self, index: QModelIndex) -> None:
        self.open_enrolment(index.data(ROW_ROLE).enrolment_id)

    def open_selected(self) -> None:
        enrolment_id = self.selected_enrolment_id()
        if enrolment_id is None:
            _status_message(self, "Select a person in the list first.")
            return
        self.open_enrolment(enrolment_id)

    def open_enrolment(self, enrolment_id: int):
        from arrs_desk.ui.programmes.programme_dialog import ProgrammeDialog

        dialog = ProgrammeDialog(self.workspace, self.actor, enrolment_id, parent=self)
        if dialog.view is None:
            return None
        dialog.exec()  # what it changed shows here already (changes.PROGRAMMES)
        if dialog.changed:
            self.select_enrolment(enrolment_id)
        return dialog

    def enrol(self, staff_id: int | None = None):
        from arrs_desk.ui.programmes.programme_enrolment import EnrolmentDialog

        found = Operation(self, lambda ws: ws.programmes.enrolment_choices(self.actor))
        if not found.run():
            return None
        choices = found.result
        if not choices.people:
            _status_message(self, "There is nobody you can enrol: line managers enrol the people they manage.")
            return None
        dialog = EnrolmentDialog(self.workspace, self.actor, choices, staff_id=staff_id, parent=self)
        if dialog.exec() and dialog.saved is not None:  # the list has followed (changes.PROGRAMMES)
            self.select_enrolment(dialog.saved.id)
            _status_message(self, f"Enrolled {dialog.saved.display_name} on {dialog.saved.title}")
        return dialog

    def edit_programmes(self) -> None:
        from arrs_desk.ui.programmes.programme_editor import ProgrammeEditorDialog

        dialog = ProgrammeEditorDialog(self.workspace, self.actor, self)
        if not dialog.failed:
            dialog.exec()

    def export_csv(self, path: str | None = None) -> str | None:
        rows = self.proxy.shown_rows()
        if not rows:
            _status_message(self, "Nobody is shown, so there is nothing to export.")
            return None
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Export people on programmes",
                                                  f"programmes-{self.workspace.today():%Y-%m-%d}.csv",
                                                  "CSV files (*.csv)")
            if not path:
                return None
        actor, shown = self.actor, [r.enrolment_id for r in rows]
        Operation(self, lambda ws: ws.programmes.export_overview(actor, path=path, enrolment_ids=shown)) \
            .progress_dialog("Saving the list…") \
            .success(lambda count: _status_message(self, f"Saved {plural(count, 'row')} to {path}")).run_in_background()
        return path
