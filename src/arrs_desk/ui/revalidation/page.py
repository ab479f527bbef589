"""Revalidation: everyone the reader may see who is on a register, with their cycle's status
and the reason in words; below, the chosen person's cycle, what is still needed, their CPD log
and evidence, and the buttons to add and verify.

Statuses come worked out from the service (`RevalidationService.statuses`); the page keeps no
state of its own. Keyboard: the list has focus first; the arrows choose a person, Alt+C adds
CPD, Alt+E adds evidence, Alt+V verifies the chosen CPD entry, Alt+P prints the regulator pack.
In the CPD log or the evidence list, Enter (or a double-click) opens the chosen entry to edit and
Delete removes it, after asking.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton, QSplitter, QTableView, QVBoxLayout,
    QWidget,
)

from arrs_desk.domain.dates import format_uk
from arrs_desk.ui.common.changes import STAFF
from arrs_desk.ui.common.enabled import set_enabled_with_reason
from arrs_desk.ui.common.error_display import problem, show_error
from arrs_desk.ui.common.list_page import list_table, size_columns_once, sized_by_first_rows
from arrs_desk.ui.common.confirm import confirmed
from arrs_desk.ui.common.operation import Operation
from arrs_desk.ui.common.page import Page
from arrs_desk.ui.common.sorted_rows import SortedRowsModel
from arrs_desk.ui.common.table_model import ROW_ROLE
from arrs_desk.ui.revalidation.dialogs import CpdDialog, EvidenceDialog
from arrs_desk.ui.revalidation.regulator_pack import print_regulator_pack

SORT = Qt.ItemDataRole.UserRole + 1
ID = Qt.ItemDataRole.UserRole + 2
PEOPLE_HEADERS = ("Name", "Register", "Status", "Due", "Why")
CPD_HEADERS = ("Date", "Title", "Method", "Hours", "Participatory", "Verified by")
EVIDENCE_HEADERS = ("Date", "Kind", "Title", "With", "Verified by")
MAX_COLUMN = 150  # pixels: the widest a column other than the title starts (the rest is elided, and in its tip)
NAME, REGISTER, STATUS, DUE, WHY = range(len(PEOPLE_HEADERS))


class PeopleModel(SortedRowsModel):
    """Everyone on a register (`StatusRow`s), soonest due first until a heading is clicked.

    A row model rather than a `QStandardItemModel`: at 10,000 staff that one was 26,000 items made
    one by one on the GUI thread, the window standing still for a fifth of a second (issue 18)."""

    HEADERS = PEOPLE_HEADERS

    def __init__(self, parent=None):
        super().__init__(parent, order=(DUE, Qt.SortOrder.AscendingOrder))

    def cell(self, row, column: int) -> str:
        if column == DUE:
            return format_uk(row.due, "not known")
        return (row.name, row.regulator_short or row.register_code, row.status_label, "", row.reason)[column]

    def sort_key(self, row, column: int):
        if column == NAME:
            return row.name.casefold()
        if column == DUE:
            return row.due.isoformat() if row.due else "9999"
        return self.cell(row, column)

    def tooltip(self, row, column: int) -> str:
        return self.cell(row, column)


def _item(text: str, sort=None, ident=None) -> QStandardItem:
    item = QStandardItem(text)
    item.setEditable(False)
    item.setData(text if sort is None else sort, SORT)
    if ident is not None:
        item.setData(ident, ID)
    item.setToolTip(text)
    return item


def _titled(entry) -> QStandardItem:
    """The entry's title, saying how many files it has (named in the tip)."""
    count = len(entry.files)
    item = _item(entry.title + (f" ({count} file{'s' if count != 1 else ''})" if count else ""))
    if count:
        item.setToolTip(entry.title + "\nFiles: " + ", ".join(f.original_name for f in entry.files))
    return item


def _table(name: str) -> QTableView:
    view = QTableView()
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setTabKeyNavigation(False)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    return view


class RevalidationPage(Page):
    title = "Revalidation"
    shows = frozenset({STAFF})

    def __init__(self, parent=None):
        super().__init__(parent)
        self.record = None
        self._wanted: int | None = None
        """A person asked for from elsewhere (`select_person`), chosen whenever the list is filled
        until the reader chooses someone else."""
        self._filling = False
        self.people_model = PeopleModel(self)
        self.people = sized_by_first_rows(_table("People on a professional register"))
        self.people.setModel(self.people_model)  # sorts itself (`SortedRowsModel`): no proxy
        self.people.setSortingEnabled(True)
        self.people.sortByColumn(DUE, Qt.SortOrder.AscendingOrder)  # soonest first
        self.people.horizontalHeader().setStretchLastSection(True)
        self.people.selectionModel().currentRowChanged.connect(lambda *_: self._chosen_changed())

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setAccessibleName("Cycle and status")
        self.needs = QLabel()
        self.needs.setWordWrap(True)
        self.needs.setTextFormat(Qt.TextFormat.PlainText)
        self.needs.setAccessibleName("What the regulator asks for")
        self.cpd_model = QStandardItemModel(0, len(CPD_HEADERS))
        self.cpd_model.setHorizontalHeaderLabels(CPD_HEADERS)
        self.cpd = self._entries_table(self.cpd_model, "CPD log")
        self.evidence_model = QStandardItemModel(0, len(EVIDENCE_HEADERS))
        self.evidence_model.setHorizontalHeaderLabels(EVIDENCE_HEADERS)
        self.evidence = self._entries_table(self.evidence_model, "Revalidation evidence")
        self.entries = self.cpd  # the list Edit and Remove act on: the one used last
        self.edit_entry = QPushButton("Edit… (Enter)")
        self.remove_entry = QPushButton("Remove… (Del)")
        self.edit_entry.clicked.connect(lambda: self._open_entry(self.entries))
        self.remove_entry.clicked.connect(lambda: self._remove_entry(self.entries))
        self.add_cpd = QPushButton("Add CPD… (Alt+C)")
        self.add_evidence = QPushButton("Add evidence… (Alt+E)")
        self.verify = QPushButton("Verify CPD (Alt+V)")
        self.print_pack = QPushButton("Print regulator pack… (Alt+P)")
        # Explicit shortcuts rather than & mnemonics: the same keys on every platform, and they
        # reach the button whichever part of the page has the focus.
        for button, action, keys in ((self.add_cpd, self._add_cpd, "Alt+C"),
                                     (self.add_evidence, self._add_evidence, "Alt+E"),
                                     (self.verify, self._verify, "Alt+V"),
                                     (self.print_pack, self._print_pack, "Alt+P")):
            button.clicked.connect(action)
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(lambda b=button: b.isEnabled() and b.click())

        detail = QWidget()
        left = QVBoxLayout()
        left.addWidget(self.summary)
        left.addWidget(self.needs)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(QLabel("CPD log"))
        right.addWidget(self.cpd, 1)
        right.addWidget(QLabel("Other evidence"))
        right.addWidget(self.evidence, 1)
        entry_buttons = QHBoxLayout()
        entry_buttons.addWidget(QLabel("The chosen entry:"))
        entry_buttons.addWidget(self.edit_entry)
        entry_buttons.addWidget(self.remove_entry)
        entry_buttons.addStretch(1)
        right.addLayout(entry_buttons)
        buttons = QHBoxLayout()
        for button in (self.add_cpd, self.add_evidence, self.verify, self.print_pack):
            buttons.addWidget(button)
        buttons.addStretch(1)
        right.addLayout(buttons)
        row = QHBoxLayout(detail)
        row.setContentsMargins(0, 0, 0, 0)
        row.addLayout(left, 1)
        row.addLayout(right, 2)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.people)
        split.addWidget(detail)
        split.setSizes([260, 420])
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading("Revalidation"))
        layout.addWidget(split, 1)
        self._enable()

    def _entries_table(self, model, name: str) -> QTableView:
        """A list of entries: Enter or a double-click edits the chosen one, Delete removes it."""
        made: list[QTableView] = []
        table = list_table(model, name, on_open=lambda _index: self._open_entry(made[0]))
        made.append(table)
        table.setTabKeyNavigation(False)
        remove = QShortcut(QKeySequence(Qt.Key.Key_Delete), table)
        remove.setContext(Qt.ShortcutContext.WidgetShortcut)
        remove.activated.connect(lambda: self._remove_entry(table))
        table.selectionModel().currentRowChanged.connect(lambda *_: self._use(table))
        return table

    def _use(self, table: QTableView) -> None:
        self.entries = table
        self._enable()

    # ------------------------------------------------------------------ reading
    def refresh(self) -> None:
        if self.workspace is None:
            return
        chosen = self.chosen_staff_id()
        actor = self.actor
        self.load_data(lambda ws: ws.revalidation.statuses(actor), lambda rows: self._fill(rows, chosen))

    def select_person(self, staff_id: int) -> bool:
        """Show this person's cycle, evidence and CPD (the Assurance page's "Open their revalidation"):
        the list is read again and the person chosen in it, whichever read arrives last."""
        self._wanted = staff_id
        self.refresh()
        return True

    def _chosen_changed(self) -> None:
        if self._filling:
            return  # `_fill` shows the chosen person once the list is whole (it read them twice before)
        if self._wanted is not None and self.chosen_staff_id() != self._wanted:
            self._wanted = None  # the reader has moved on to someone else
        self._show_person()

    def _fill(self, rows, chosen) -> None:
        self._filling = True
        try:
            self._fill_rows(rows, self._wanted if self._wanted is not None else chosen)
        finally:
            self._filling = False
        self._show_person()

    def _fill_rows(self, rows, chosen) -> None:
        if self.record is not None and all(r.staff_id != self.record.summary.staff_id for r in rows):
            self._clear_person()  # not in the list now (another person signed in): their record goes at once
        self.people_model.set_rows(rows)  # in the order last chosen by a click on a heading
        # From the first rows (SIZED_BY_ROWS); not Why, which fills what is left and shows the rest of a
        # long reason in its tooltip: sized to its text it ran far past the window, its heading with it.
        size_columns_once(self.people, dict.fromkeys(range(WHY)))
        target = self.people_model.position_of(chosen) if chosen is not None else None
        target = 0 if target is None else target
        if self.people_model.rowCount():
            self.people.selectRow(target)
            self.people.setCurrentIndex(self.people_model.index(target, 0))
            self.people.scrollTo(self.people_model.index(target, 0))
        else:
            self._clear_person()
            self.summary.setText("Nobody you can see is on a professional register.")

    def _clear_person(self) -> None:
        """Nothing of the person last shown: their CPD log and evidence stayed on screen for the
        next person to sign in at a shared PC, who could see nobody on a register."""
        self.record = None
        self.summary.clear()
        self.needs.clear()
        for model in (self.cpd_model, self.evidence_model):
            model.removeRows(0, model.rowCount())
        self._enable()

    def chosen_staff_id(self) -> int | None:
        index = self.people.currentIndex()
        return index.data(ROW_ROLE).staff_id if index.isValid() else None

    def _show_person(self) -> None:
        staff_id = self.chosen_staff_id()
        if staff_id is None or self.workspace is None:
            self._enable()
            return
        actor = self.actor
        Operation(self, lambda ws: ws.revalidation.person(actor, staff_id=staff_id)).success(self._show_record).run()

    def _show_record(self, record) -> None:
        """Show one person's cycle, CPD and evidence; the entry chosen in either list stays chosen
        when the same person's record is shown again (a save, or the list read again behind it)."""
        same = self.record is not None and self.record.summary.staff_id == record.summary.staff_id
        chosen = {table: model.index(table.currentIndex().row(), 0).data(ID) if table.currentIndex().isValid()
                  else None for table, model in ((self.cpd, self.cpd_model), (self.evidence, self.evidence_model))}
        self.record = record
        s, cycle = record.summary, record.cycle
        lines = [f"{s.name}: {s.regulator or s.register_code}", f"Status: {s.status_label}. {s.reason}"]
        if cycle is not None:
            lines.append(f"Cycle {format_uk(cycle.start)} to {format_uk(cycle.end)}; due {format_uk(cycle.due)}; "
                         f"{'window opens' if cycle.from_window else 'the regulator writes from'} "
                         f"{format_uk(cycle.opens)}.")
        if record.cycle_explained:
            lines.append(record.cycle_explained)
        self.summary.setText("\n\n".join(lines))
        self.needs.setText("What this cycle needs:\n" + "\n".join(
            f"{'✓' if p.met else '✗'} {p.describe()}" + ("" if p.met else " (still needed)") for p in record.progress)
            if record.progress else "")
        self.cpd_model.removeRows(0, self.cpd_model.rowCount())
        for e in record.cpd:
            self.cpd_model.appendRow([_item(format_uk(e.occurred_on), e.occurred_on.isoformat(), e.id), _titled(e),
                                      _item(e.method_label), _item(f"{e.hours:g}"),
                                      _item("Yes" if e.participatory else "No"),
                                      _item(f"{e.verified_by} ({format_uk(e.verified_on)})" if e.verified_on
                                            else "Not verified")])
        self.evidence_model.removeRows(0, self.evidence_model.rowCount())
        for e in record.evidence:
            self.evidence_model.appendRow([_item(format_uk(e.occurred_on), e.occurred_on.isoformat(), e.id),
                                           _item(e.kind_label), _titled(e), _item(e.partner_name),
                                           _item(f"{e.verified_by} ({format_uk(e.verified_on)})" if e.verified_on
                                                 else "Not verified")])
        for table, headers in ((self.cpd, CPD_HEADERS), (self.evidence, EVIDENCE_HEADERS)):
            table.resizeColumnsToContents()
            title = headers.index("Title")
            for column in range(len(headers)):  # the title takes what is left; nothing is pushed out of sight
                table.setColumnWidth(column, min(table.columnWidth(column), MAX_COLUMN))
            table.horizontalHeader().setStretchLastSection(False)
            table.horizontalHeader().setSectionResizeMode(title, QHeaderView.ResizeMode.Stretch)
        if same:
            for (table, entry_id), model in zip(chosen.items(), (self.cpd_model, self.evidence_model)):
                row = next((r for r in range(model.rowCount()) if model.index(r, 0).data(ID) == entry_id), None)
                if entry_id is not None and row is not None:
                    table.setCurrentIndex(model.index(row, 0))
                    table.selectRow(row)
        self._enable()

    def _enable(self) -> None:
        record = self.record
        can_record = bool(record and record.can_record)
        why = ("Choose a person in the list first." if record is None else
               "Only the person or their line manager can add to their record.")
        set_enabled_with_reason(self.add_cpd, can_record, why)
        set_enabled_with_reason(self.add_evidence, can_record, why)
        set_enabled_with_reason(self.print_pack, bool(record and not record.pack_problem),
                                record.pack_problem if record else "Choose a person in the list first.")
        chosen = self._chosen_entry(self.entries) is not None
        for button in (self.edit_entry, self.remove_entry):
            set_enabled_with_reason(button, can_record and chosen, why if not can_record else
                                    "Choose an entry in the CPD log or the evidence list first.")
        can_verify = bool(record and record.can_verify and record.cpd)
        set_enabled_with_reason(self.verify, can_verify, "Choose a person in the list first." if record is None else
                                "No CPD to verify yet." if record.can_verify else
                                "Only the person's line manager or an administrator verifies their CPD.")

    # ------------------------------------------------------------------ writing
    def _add_cpd(self) -> None:
        methods, _kinds = self.workspace.revalidation.choices()
        dialog = CpdDialog(self, staff_id=self.record.summary.staff_id, methods=methods, record=self.record)
        if dialog.exec() and dialog.result_record is not None:
            self._show_record(dialog.result_record)

    def _add_evidence(self) -> None:
        _methods, kinds = self.workspace.revalidation.choices()
        dialog = EvidenceDialog(self, staff_id=self.record.summary.staff_id, kinds=kinds, record=self.record)
        if dialog.exec() and dialog.result_record is not None:
            self._show_record(dialog.result_record)

    def _print_pack(self) -> None:
        print_regulator_pack(self, self.record.summary.staff_id)

    def _chosen_entry(self, table: QTableView):
        """The entry (a CpdRow or a RevalidationEvidenceRow) chosen in `table`, or None."""
        index = table.currentIndex()
        if self.record is None or not index.isValid():
            return None
        ident = table.model().index(index.row(), 0).data(ID)
        rows = self.record.cpd if table is self.cpd else self.record.evidence
        return next((e for e in rows if e.id == ident), None)

    def _open_entry(self, table: QTableView) -> None:
        entry = self._chosen_entry(table)
        if entry is None or not self.record.can_record:
            return
        methods, kinds = self.workspace.revalidation.choices()
        staff_id = self.record.summary.staff_id
        dialog = (CpdDialog(self, staff_id=staff_id, methods=methods, record=self.record, entry=entry)
                  if table is self.cpd else
                  EvidenceDialog(self, staff_id=staff_id, kinds=kinds, record=self.record, entry=entry))
        if dialog.exec() and dialog.result_record is not None:
            self._show_record(dialog.result_record)
        table.setFocus()

    def _remove_entry(self, table: QTableView) -> None:
        entry = self._chosen_entry(table)
        if entry is None or not self.record.can_record:
            return
        what = "CPD entry" if table is self.cpd else "evidence"
        count = len(entry.files)
        files = f" and its {count} attached file{'s' if count != 1 else ''}" if count else ""
        if not confirmed(
                self, f"Remove the {what}",
                f"Remove the {what} '{entry.title}' ({format_uk(entry.occurred_on)}){files} from "
                f"{self.record.summary.name}'s revalidation record? The audit trail keeps a note that it was removed."):
            return
        actor, staff_id = self.actor, self.record.summary.staff_id
        if table is self.cpd:
            def call(ws):
                ws.revalidation.delete_cpd(actor, entry_id=entry.id, expected_version=entry.version)
                return ws.revalidation.person(actor, staff_id=staff_id)
        else:
            def call(ws):
                ws.revalidation.delete_evidence(actor, evidence_id=entry.id, expected_version=entry.version)
                return ws.revalidation.person(actor, staff_id=staff_id)
        Operation(self, call).changes(STAFF).success(self._show_record).run()

    def _verify(self) -> None:
        index = self.cpd.currentIndex()
        if not index.isValid():
            self.cpd.setFocus()
            show_error(self, problem("Choose an entry", "Choose the CPD entry to verify in the CPD log first."))
            return
        entry_id = self.cpd_model.index(index.row(), 0).data(ID)
        entry = next(e for e in self.record.cpd if e.id == entry_id)
        actor = self.actor
        Operation(self, lambda ws: ws.revalidation.verify_cpd(actor, entry_id=entry.id,
                                                              expected_version=entry.version)) \
            .changes(STAFF).success(self._show_record).run()
