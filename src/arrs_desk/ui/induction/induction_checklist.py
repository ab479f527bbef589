"""One person's induction checklist: items grouped by section with progress, the selected item's
details and history, and what the viewer may do to it.

The same widget serves the starter ("My induction") and their line manager (opened from the
Induction overview); the service says per item what this viewer may do, and the buttons follow.

Why it is longer than ~600 lines: `ChecklistWidget` is one screen whose item list, detail panel,
history and action buttons all follow the same selected item and the same per-item permissions
from the service; split across modules, each half would need the other's private state. Its
model (`ChecklistModel`, a tree of sections and items, which is why it is a QStandardItemModel
and not the flat `RowTableModel`) and its dialogs (induction_dialogs.py, induction_prior.py,
ui/common/action_dialog.py) are already apart.
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFrame, QGridLayout, QHBoxLayout,
    QHeaderView, QLabel, QListWidget, QListWidgetItem, QProgressBar, QPushButton, QScrollArea, QSplitter,
    QTreeView, QVBoxLayout, QWidget,
)

from arrs_desk.clock import in_uk
from arrs_desk.domain.dates import format_uk
from arrs_desk.services.induction import ChecklistView
from arrs_desk.ui.common.text import plural
from arrs_desk.ui.common.open_file import open_file
from arrs_desk.ui.common.enabled import set_enabled_with_reason
from arrs_desk.domain.induction import ExpiryStatus, ItemStatus
from arrs_desk.ui.common.icons import glyph_icon
from arrs_desk.ui.common.action_dialog import ItemActionDialog
from arrs_desk.ui.induction.induction_dialogs import ValidityDialog
from arrs_desk.ui.common.changes import INDUCTION
from arrs_desk.ui.common.operation import Operation
from arrs_desk.ui.induction.induction_prior import PriorInductionPanel

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1

STATUS_GLYPHS = {
    ItemStatus.COMPLETE: ("✓", "good"),
    ItemStatus.AWAITING_SIGNOFF: ("…", "info"),
    ItemStatus.RETURNED: ("↩", "warn"),
    ItemStatus.OVERDUE: ("!", "bad"),
    ItemStatus.DUE: ("•", "warn"),
    ItemStatus.NOT_DUE_YET: ("○", "neutral"),
    ItemStatus.NOT_APPLICABLE: ("–", "neutral"),
}
EXPIRY_GLYPHS = {
    ExpiryStatus.VALID: ("✓", "good"),
    ExpiryStatus.EXPIRING: ("!", "warn"),
    ExpiryStatus.EXPIRED: ("×", "bad"),
    ExpiryStatus.NOT_RECORDED: ("?", "neutral"),
}
COMPLETED_BY_TEXT = {"starter": "the starter", "manager": "the line manager", "either": "the starter or the line manager"}

FILTERS = (
    ("Everything", None),
    ("Still to do", {ItemStatus.OVERDUE, ItemStatus.DUE, ItemStatus.NOT_DUE_YET, ItemStatus.RETURNED}),
    ("Overdue", {ItemStatus.OVERDUE}),
    ("Waiting for sign-off", {ItemStatus.AWAITING_SIGNOFF}),
    ("Done or not applicable", {ItemStatus.COMPLETE, ItemStatus.NOT_APPLICABLE}),
)

ITEM, DUE, STATUS, FILES = range(4)
HEADERS = ("Item", "Due", "Status", "Files")


def status_icon(status: ItemStatus):
    return glyph_icon(*STATUS_GLYPHS[status])


def expiry_icon(status: ExpiryStatus):
    return glyph_icon(*EXPIRY_GLYPHS[status])


def uk(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return in_uk(value).strftime("%d/%m/%Y %H:%M")  # England's time, whatever this PC's zone
    return format_uk(value)


def expiry_text(status: ExpiryStatus | None, until: date | None) -> str:
    if status is None:
        return ""
    if status is ExpiryStatus.EXPIRED:
        return f"Expired on {uk(until)}"
    if status is ExpiryStatus.EXPIRING:
        return f"Expiring soon: valid until {uk(until)}"
    if status is ExpiryStatus.VALID:
        return f"Valid until {uk(until)}"
    return "Not recorded"


def status_text(item) -> str:
    """The status as words, with the date that matters."""
    status = item.status
    if status is ItemStatus.OVERDUE:
        return f"Overdue (was due {uk(item.due_on)})"
    if status is ItemStatus.COMPLETE and item.expiry in (ExpiryStatus.EXPIRED, ExpiryStatus.EXPIRING):
        return f"Complete – {expiry_text(item.expiry, item.expires_on).lower()}"
    return status.label


def _bold(label: QLabel, factor: float = 1.0) -> QLabel:
    font = label.font()
    font.setBold(True)
    if factor != 1.0:
        font.setPointSizeF(font.pointSizeF() * factor)
    label.setFont(font)
    return label


class ChecklistModel(QStandardItemModel):
    """Sections as parents, items as children; `ITEM_ROLE` returns the service's ItemRow."""

    def __init__(self, parent=None):
        super().__init__(0, len(HEADERS), parent)
        self.setHorizontalHeaderLabels(list(HEADERS))

    def load(self, view, wanted: set[ItemStatus] | None) -> None:
        self.removeRows(0, self.rowCount())
        for section in view.sections:
            items = [i for i in section.items if wanted is None or i.status in wanted]
            if not items:
                continue
            progress = section.progress
            head = QStandardItem(f"{section.title}")
            _font = head.font()
            _font.setBold(True)
            head.setFont(_font)
            head.setAccessibleText(f"Section {section.title}: {progress.done} of {progress.applicable} done")
            summary = QStandardItem(f"{progress.done} of {progress.applicable} done")
            summary.setFont(_font)
            row = [head, QStandardItem(""), summary, QStandardItem("")]
            for cell in row:
                cell.setEditable(False)
                cell.setSelectable(False)
            for entry in items:
                cells = [
                    QStandardItem(entry.title + ("  (re-induction)" if entry.reinduction else "")),
                    QStandardItem(uk(entry.due_on)),
                    QStandardItem(entry.status.label if entry.expiry not in (ExpiryStatus.EXPIRED, ExpiryStatus.EXPIRING)
                                  else entry.expiry.label),
                    QStandardItem(str(len(entry.evidence)) if entry.evidence else ""),
                ]
                cells[STATUS].setIcon(status_icon(entry.status))
                if entry.expiry in (ExpiryStatus.EXPIRED, ExpiryStatus.EXPIRING):
                    cells[STATUS].setIcon(expiry_icon(entry.expiry))
                cells[STATUS].setAccessibleText(status_text(entry))
                cells[FILES].setAccessibleText(plural(len(entry.evidence), "evidence file"))
                cells[ITEM].setToolTip(entry.guidance)
                for cell in cells:
                    cell.setEditable(False)
                    cell.setData(entry, ITEM_ROLE)
                head.appendRow(cells)
            self.appendRow(row)
        if self.rowCount() == 0:
            note = QStandardItem("Nothing to show here. Choose 'Everything' under Show to see every item.")
            note.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.appendRow([note] + [QStandardItem("") for _ in HEADERS[1:]])


class ChecklistWidget(QWidget):
    """Shows `staff_id`'s checklist for `actor`; emits `changed` after every saved change."""

    changed = Signal()
    status_message = Signal(str)

    def __init__(self, parent=None, *, show_person: bool = True):
        super().__init__(parent)
        self.workspace = None
        self.actor = None
        self.staff_id: int | None = None
        self.view = None
        self._show_person = show_person

        self.title = _bold(QLabel(), 1.35)
        self.title.setAccessibleName("Whose checklist")
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Induction progress")
        self.progress.setMinimumWidth(220)
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        self.counts.setAccessibleName("Induction summary")
        self.counts.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        # Room for the usual summary on one line and a second line kept free, so the checklist
        # below stays put when a tick adds "· 1 waiting for sign-off" and the summary wraps.
        metrics = self.counts.fontMetrics()
        self.counts.setMinimumWidth(metrics.horizontalAdvance("00 of 00 done · 00 overdue · 00 waiting for sign-off"))
        self.counts.setMinimumHeight(metrics.lineSpacing() * 2)

        self.banner = QFrame()
        self.banner.setFrameShape(QFrame.Shape.StyledPanel)
        self.banner_text = QLabel()
        self.banner_text.setWordWrap(True)
        self.banner_button = QPushButton("Add these items…")
        self.banner_button.clicked.connect(self.add_reinduction)
        banner_layout = QHBoxLayout(self.banner)
        banner_icon = QLabel()
        banner_icon.setPixmap(glyph_icon("i", "info").pixmap(24, 24))
        banner_layout.addWidget(banner_icon)
        banner_layout.addWidget(self.banner_text, 1)
        banner_layout.addWidget(self.banner_button)
        self.banner.hide()

        self.filter = QComboBox()
        self.filter.setAccessibleName("Show items")
        for text, value in FILTERS:
            self.filter.addItem(text, value)
        self.filter.currentIndexChanged.connect(self._fill)
        self.export_button = QPushButton("Export to CSV…")
        self.export_button.setToolTip("Save this checklist as a spreadsheet file")
        self.export_button.clicked.connect(self.export_csv)
        self.sheet_button = QPushButton("Signature sheet…")
        self.sheet_button.setAccessibleName("Print a signature sheet")
        self.sheet_button.setToolTip("A PDF listing the items still waiting for a sign-off, for a signer "
                                     "without an ARRS Desk account to sign on paper, and those already "
                                     "signed that way")
        self.sheet_button.clicked.connect(self.signature_sheet)

        self.model = ChecklistModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setAccessibleName("Checklist items")
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setAllColumnsShowFocus(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(ITEM, QHeaderView.ResizeMode.Stretch)
        for column, width in ((DUE, 88), (STATUS, 150), (FILES, 48)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.tree.setColumnWidth(column, width)
        self.tree.selectionModel().currentRowChanged.connect(self._show_current)
        QShortcut(QKeySequence(Qt.Key.Key_Space), self.tree, activated=self._space)

        self.empty = QLabel()
        self.empty.setTextFormat(Qt.TextFormat.PlainText)  # it names the person: a name is never markup
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()
        self.create_button = QPushButton("Make an induction checklist")
        self.create_button.clicked.connect(self.create_checklist)
        self.create_button.hide()
        self.prior = PriorInductionPanel(self)  # an induction completed before records began
        self.prior.changed.connect(lambda: self._after(True))

        self._build_details()

        top = QGridLayout()
        top.addWidget(self.title, 0, 0)
        top.addWidget(self.progress, 0, 1)
        top.addWidget(self.subtitle, 1, 0)
        top.addWidget(self.counts, 1, 1)
        top.setColumnStretch(0, 1)
        tools = QHBoxLayout()
        tools.addWidget(QLabel("Show:"))
        tools.addWidget(self.filter)
        tools.addStretch(1)
        tools.addWidget(self.sheet_button)
        tools.addWidget(self.export_button)
        self.splitter = QSplitter()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(tools)
        left_layout.addWidget(self.tree, 1)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.details_scroll)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.create_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.prior)
        # No item until the checklist has loaded: without this every action (sign off, return, record a
        # paper signature…) showed, to a starter too, while their checklist was being read.
        self._show_item(None)

    # --- the detail panel ---------------------------------------------------------------
    def _build_details(self) -> None:
        panel = QWidget()
        self.item_title = _bold(QLabel(), 1.15)
        self.item_title.setWordWrap(True)
        self.item_title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.item_status = QLabel()
        self.item_status.setAccessibleName("Item status")
        self.item_status_icon = QLabel()
        self.item_meta = QLabel()
        self.item_meta.setWordWrap(True)
        self.item_guidance = QLabel()
        self.item_guidance.setWordWrap(True)
        self.item_guidance.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.history = QLabel()
        self.history.setWordWrap(True)
        self.history.setTextFormat(Qt.TextFormat.PlainText)
        self.history.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.history.setAccessibleName("Who did what, and when")
        self.training = QLabel()
        self.training.setWordWrap(True)
        self.training.setAccessibleName("Training validity")
        self.evidence = QListWidget()
        self.evidence.setAccessibleName("Evidence files")
        self.evidence.setMaximumHeight(110)
        self.evidence.itemActivated.connect(lambda _item: self.open_evidence())
        self.evidence.currentRowChanged.connect(lambda _row: self._sync_evidence_buttons())

        def button(text: str, slot, tip: str = "") -> QPushButton:
            b = QPushButton(text)
            b.setToolTip(tip)
            b.clicked.connect(slot)
            return b

        self.tick_button = button("Tick as done…", self.tick, "Record that this item is done (Space)")
        self.untick_button = button("Untick", self.untick, "Undo the tick; it has not been signed off yet")
        self.sign_button = button("Sign off…", self.sign_off, "Confirm the item is done")
        self.return_button = button("Return…", self.return_item, "Send it back to the starter with a comment")
        self.paper_button = button("Record signature on paper…", self.record_paper_signature,
                                   "Signed off on a printed signature sheet or by e-mail by someone without an "
                                   "ARRS Desk account: enter their signature")
        self.na_button = button("Not applicable…", self.mark_not_applicable, "Say why this item does not apply")
        self.reopen_button = button("Put back on the list", self.reopen)
        self.renew_button = button("Record renewal…", self.renew, "The training has been done again")
        self.validity_button = button("Change validity…", self.change_validity, "How long the training stays valid")
        self.attach_button = button("Attach evidence…", self.attach_evidence,
                                    "Add a certificate, PDF or image (at most 20 MB)")
        self.open_button = button("Open", self.open_evidence, "Open in the system viewer")
        self.remove_button = button("Remove", self.remove_evidence, "Take this file off the item")
        self.action_buttons = [self.tick_button, self.untick_button, self.sign_button, self.return_button,
                               self.paper_button, self.na_button, self.reopen_button, self.renew_button, self.validity_button]

        status_row = QHBoxLayout()
        status_row.addWidget(self.item_status_icon)
        status_row.addWidget(_bold(self.item_status), 1)
        actions = self.actions = QGridLayout()
        self._pack_actions()
        files_row = QHBoxLayout()
        files_row.addWidget(self.attach_button)
        files_row.addWidget(self.open_button)
        files_row.addWidget(self.remove_button)
        files_row.addStretch(1)
        self.evidence_heading = _bold(QLabel("Evidence"))
        self.history_heading = _bold(QLabel("Record"))

        layout = QVBoxLayout(panel)
        layout.addWidget(self.item_title)
        layout.addLayout(status_row)
        layout.addWidget(self.item_meta)
        layout.addLayout(actions)
        layout.addSpacing(6)
        layout.addWidget(self.item_guidance)
        layout.addSpacing(6)
        layout.addWidget(self.history_heading)
        layout.addWidget(self.history)
        layout.addWidget(self.training)
        layout.addSpacing(6)
        layout.addWidget(self.evidence_heading)
        layout.addWidget(self.evidence)
        layout.addLayout(files_row)
        layout.addStretch(1)
        self.details_scroll = QScrollArea()
        self.details_scroll.setWidgetResizable(True)
        self.details_scroll.setWidget(panel)
        self.details_scroll.setMinimumWidth(320)
        self.details_panel = panel

    # --- loading ------------------------------------------------------------------------
    def set_context(self, workspace, actor) -> None:
        self.workspace, self.actor = workspace, actor

    def load(self, staff_id: int | None) -> None:
        self.staff_id = staff_id
        self.reload()

    def reload(self) -> None:
        if self.workspace is None or self.staff_id is None:
            return
        staff_id = self.staff_id
        Operation(self, lambda ws: ws.induction.checklist(self.actor, staff_id=staff_id)).success(self.show_view).run()

    def show_view(self, view) -> None:
        selected = self.current_item()
        self.view = view
        self.title.setText(view.display_name if self._show_person else "My induction")
        self.title.setVisible(True)
        started = view.start_date <= self.workspace.today()
        bits = [view.role_title, f"{'started' if started else 'starts'} {uk(view.start_date)}"]
        if view.line_manager:
            bits.append(f"line manager {view.line_manager}")
        if view.registration:
            reg = f"registration {view.registration}"
            if view.registration_status is not None and view.registration_renewal:
                reg += f" ({expiry_text(view.registration_status, view.registration_renewal).lower()})"
            bits.append(reg)
        self.subtitle.setText(" · ".join(bits))
        has = view.has_checklist
        self.splitter.setVisible(has)
        self.progress.setVisible(has)
        self.counts.setVisible(has)
        self.empty.setVisible(not has)
        self.sheet_button.setVisible(has and not view.viewer_is_self)
        self.create_button.setVisible(not has and view.viewer_can_create)
        if has:
            self.prior.hide()
        else:
            self.prior.load(self.workspace, self.actor, view.staff_id, started=started)
        if not has:
            self.banner.hide()
            earlier = self.prior.form is not None and self.prior.form.record is not None
            if earlier:
                self.empty.setText(("You have" if view.viewer_is_self else f"{view.display_name} has")
                                   + " no induction checklist here: the induction was completed before records began.")
                return
            self.empty.setText(
                "You do not have an induction checklist yet. Your line manager makes one when you join."
                if view.viewer_is_self else
                f"{view.display_name} has no induction checklist yet."
                + (" Make one from the current templates, with due dates counted from the start date."
                   if view.viewer_can_create else ""))
            return
        p = view.progress
        self.progress.setRange(0, 100)
        self.progress.setValue(p.percent)
        self.progress.setFormat(f"{p.percent}% complete")
        self.progress.setAccessibleDescription(f"{p.done} of {p.applicable} items complete")
        parts = [f"{p.done} of {p.applicable} done"]
        for number, text in ((view.overdue, "overdue"), (view.awaiting, "waiting for sign-off"),
                             (view.returned, "returned"), (view.expired, "training expired"),
                             (view.expiring, "training expiring soon")):
            if number:
                parts.append(f"{number} {text}")
        self.counts.setText(" · ".join(parts))
        self.banner.setVisible(bool(view.reinduction_titles))
        if view.reinduction_titles:
            shown = ", ".join(view.reinduction_titles[:4]) + ("…" if len(view.reinduction_titles) > 4 else "")
            self.banner_text.setText(
                f"Role changed to {view.reinduction_role}: {plural(len(view.reinduction_titles), 'item')} from that role's "
                f"induction are not on this checklist yet ({shown}). What is already done stays done.")
            self.banner_button.setVisible(view.viewer_can_create)
        self._fill()
        if selected is not None:
            self.select_item(selected.id)
        elif not self.tree.currentIndex().isValid():
            self._select_first_actionable()

    def _fill(self) -> None:
        if self.view is None:
            return
        selected = self.current_item()
        self.model.load(self.view, self.filter.currentData())
        self.tree.expandAll()
        if selected is not None and self.select_item(selected.id):
            return
        self._show_item(None)

    def _select_first_actionable(self) -> None:
        for wanted in (lambda i: i.can_sign_off or i.can_record_signature, lambda i: i.can_tick and i.status is ItemStatus.RETURNED,
                       lambda i: i.can_tick and i.status is ItemStatus.OVERDUE, lambda i: i.can_tick, lambda i: True):
            for entry in self.view.items:
                if wanted(entry) and self.select_item(entry.id):
                    return

    def select_item(self, item_id: int) -> bool:
        for s in range(self.model.rowCount()):
            parent = self.model.index(s, 0)
            for r in range(self.model.rowCount(parent)):
                index = self.model.index(r, 0, parent)
                if index.data(ITEM_ROLE).id == item_id:
                    self.tree.setCurrentIndex(index)
                    self.tree.selectionModel().select(
                        index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
                    self.tree.scrollTo(index)
                    self._show_item(index.data(ITEM_ROLE))
                    return True
        return False

    def current_item(self):
        index = self.tree.currentIndex()
        return index.data(ITEM_ROLE) if index.isValid() else None

    def item_by_key(self, key: str):
        return next((i for i in self.view.items if i.key == key), None) if self.view else None

    def _show_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_item(current.data(ITEM_ROLE) if current.isValid() else None)

    def _show_item(self, entry) -> None:
        self.details_panel.setEnabled(entry is not None)
        self._entry = entry
        if entry is None:
            self.item_title.setText("Choose an item to see its details.")
            for widget in (self.item_status, self.item_meta, self.item_guidance, self.history, self.training):
                widget.setText("")
            self.item_status_icon.clear()
            for b in self.action_buttons + [self.attach_button, self.open_button, self.remove_button]:
                b.hide()
            self.evidence.clear()
            return
        self.item_title.setText(entry.title)
        self.item_status.setText(status_text(entry))
        self.item_status_icon.setPixmap(status_icon(entry.status).pixmap(20, 20))
        meta = [f"{entry.section_title} · due {uk(entry.due_on)}", f"Completed by {COMPLETED_BY_TEXT[entry.completed_by]}"]
        if entry.needs_signoff:
            meta[-1] += "; the line manager signs it off"
        if entry.evidence_expected:
            meta.append("Evidence expected: attach a certificate or document.")
        self.item_meta.setText("\n".join(meta))
        self.item_guidance.setText(entry.guidance)
        self.item_guidance.setVisible(bool(entry.guidance))
        history = []
        if entry.ticked_at:
            # The day it was done is said when it is not the day ticked in England (as the time
            # beside it), not by this PC's calendar, which may be a day either side.
            history.append(f"Ticked by {entry.ticked_by} on {uk(entry.ticked_at)}"
                           + (f" (done {uk(entry.completed_on)})" if entry.completed_on and entry.completed_on
                              != in_uk(entry.ticked_at).date() else ""))
            if entry.note:
                history.append(f"Note: {entry.note}")
        if entry.returned_at:
            history.append(f"Returned by {entry.returned_by} on {uk(entry.returned_at)}: {entry.return_comment}")
        if entry.signed_on_behalf is not None:
            behalf = entry.signed_on_behalf
            history.append(behalf.summary("Signed off"))
            history.append("  " + " · ".join(p for p in (behalf.credentials, f"entered {uk(behalf.recorded_at)}") if p))
        elif entry.signed_at:
            history.append(f"Signed off by {entry.signed_by} on {uk(entry.signed_at)}"
                           + (f": {entry.signoff_comment}" if entry.signoff_comment else ""))
        if entry.na_at:
            history.append(f"Marked not applicable by {entry.na_by} on {uk(entry.na_at)}. Reason: {entry.na_reason}")
        self.history.setText("\n".join(history) or "Nothing recorded yet.")
        if entry.validity_months:
            years = entry.validity_months / 12
            span = plural(int(years), "year") if entry.validity_months % 12 == 0 \
                else f"{entry.validity_months} months"
            text = f"Training valid for {span} from the day it is done."
            if entry.expiry is not None:
                text += f" {expiry_text(entry.expiry, entry.expires_on)}."
            self.training.setText(text)
        else:
            self.training.setText("")
        self.training.setVisible(bool(entry.validity_months))
        self.validity_button.setText("Change validity…" if entry.validity_months else "Set validity…")
        visible = {
            self.tick_button: entry.can_tick, self.untick_button: entry.can_untick,
            self.sign_button: entry.can_sign_off, self.return_button: entry.can_sign_off,
            self.paper_button: entry.can_record_signature,
            self.na_button: entry.can_mark_na, self.reopen_button: entry.can_reopen,
            self.renew_button: entry.can_renew,
            self.validity_button: entry.can_edit_validity,
        }
        for b, show in visible.items():
            b.setVisible(show)
        self._pack_actions()
        self.evidence.clear()
        for file in entry.evidence:
            row = QListWidgetItem(f"{file.original_name}  ·  {file.size / 1024:,.0f} KB  ·  {file.added_by}, "
                                  f"{uk(file.added_at)}")
            row.setData(Qt.ItemDataRole.UserRole, file.id)
            self.evidence.addItem(row)
        if not entry.evidence:
            placeholder = QListWidgetItem("No files attached.")
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.evidence.addItem(placeholder)
        self.attach_button.setVisible(entry.can_attach)
        self.open_button.setVisible(bool(entry.evidence))
        self.remove_button.setVisible(bool(entry.evidence) and entry.can_attach)
        self._sync_evidence_buttons()

    def _pack_actions(self) -> None:
        """The item's buttons two to a row, in their usual order, the ones it offers first: each had
        a fixed cell, so a hidden one left a hole ("Untick" alone on the right, "Set validity…"
        below on the left) and the buttons jumped about from one item to the next."""
        for b in self.action_buttons:
            self.actions.removeWidget(b)
        ordered = [b for b in self.action_buttons if not b.isHidden()] + [b for b in self.action_buttons if b.isHidden()]
        for index, b in enumerate(ordered):
            self.actions.addWidget(b, index // 2, index % 2)

    def _sync_evidence_buttons(self) -> None:
        chosen = self._chosen_evidence() is not None
        for button in (self.open_button, self.remove_button):
            set_enabled_with_reason(button, chosen, "Select a file in the evidence list first.")

    def _chosen_evidence(self) -> int | None:
        row = self.evidence.currentItem()
        return row.data(Qt.ItemDataRole.UserRole) if row is not None else None

    # --- changes --------------------------------------------------------------------------
    def _after(self, succeeded: bool) -> None:
        """After a change here: show the checklist as it now is (after a refusal too)."""
        self.reload()
        if succeeded:
            self.changed.emit()

    def _run(self, write) -> None:
        """`write(induction_service)`: a change to this checklist, then show it as it now is. The
        write returns the refreshed checklist, shown as it is; attaching a file returns the file's
        row and a refusal returns nothing, so those read the checklist again."""
        returned: list = []
        succeeded = Operation(self, lambda ws: write(ws.induction)).changes(INDUCTION).success(returned.append).run()
        if succeeded and isinstance(returned[0], ChecklistView):
            self.show_view(returned[0])
            self.changed.emit()
        else:
            self._after(succeeded)

    def _space(self) -> None:
        entry = self.current_item()
        if entry is not None and entry.can_tick:
            self.tick()

    def tick(self) -> None:
        entry = self.current_item()
        if entry is None or not entry.can_tick:
            return
        today = self.workspace.today()
        intro = ("Record that this is done. It then waits for your line manager's sign-off."
                 if entry.needs_signoff and self.view.viewer_is_self else "Record that this is done.")
        if entry.validity_months:
            intro += " Enter the day the training was done: the expiry date is counted from it."
        dialog = ItemActionDialog(
            f"Tick: {entry.title}", intro, "Tick as done",
            lambda v: self.workspace.induction.tick(self.actor, item_id=entry.id, expected_version=entry.version, note=v["note"],
                                                    completed_on=v["completed_on"]),
            self, changes=(INDUCTION,))
        dialog.add_date("completed_on", "&Done on", today, maximum=today)
        # Addressed to whoever ticks: a line manager ticking for their starter was asked for "anything
        # your manager should know".
        dialog.add_text("note", "&Note (optional)", placeholder="Anything your manager should know"
                        if self.view.viewer_is_self else "Anything worth keeping with this item")
        if dialog.exec():
            self._after(True)
        else:
            self.reload()

    def untick(self) -> None:
        entry = self.current_item()
        if entry is not None and entry.can_untick:
            self._run(lambda induction: induction.untick(self.actor, item_id=entry.id, expected_version=entry.version))

    def sign_off(self) -> None:
        entry = self.current_item()
        if entry is None or not entry.can_sign_off:
            return
        dialog = ItemActionDialog(
            f"Sign off: {entry.title}",
            f"Confirm that {self.view.display_name} has done this. Your name and the time are recorded.",
            "Sign off",
            lambda v: self.workspace.induction.sign_off(self.actor, item_id=entry.id, expected_version=entry.version, comment=v["comment"]), self,
            changes=(INDUCTION,))
        dialog.add_text("comment", "&Comment (optional)")
        if dialog.exec():
            self._after(True)
        else:
            self.reload()

    def record_paper_signature(self) -> None:
        from arrs_desk.ui.common.signature_dialog import item_signature_dialog

        entry = self.current_item()
        if entry is None or not entry.can_record_signature:
            return
        dialog = item_signature_dialog(self.workspace, self.actor, self.view, entry, self)
        if dialog is not None and dialog.exec():
            self._after(True)
        else:
            self.reload()

    def return_item(self) -> None:
        entry = self.current_item()
        if entry is None or not entry.can_sign_off:
            return
        dialog = ItemActionDialog(
            f"Return: {entry.title}",
            f"Send this back to {self.view.display_name}, saying what is needed before you can sign it off.",
            "Return to starter",
            lambda v: self.workspace.induction.return_item(self.actor, item_id=entry.id, expected_version=entry.version, comment=v["comment"]), self,
            changes=(INDUCTION,))
        dialog.add_text("comment", "&What is needed", placeholder="For example: please attach the certificate")
        if dialog.exec():
            self._after(True)
        else:
            self.reload()

    def mark_not_applicable(self) -> None:
        entry = self.current_item()
        if entry is None or not entry.can_mark_na:
            return
        dialog = ItemActionDialog(
            f"Not applicable: {entry.title}",
            "Say why this item does not apply. The reason is kept with the checklist for anyone who checks it later.",
            "Mark not applicable",
            lambda v: self.workspace.induction.mark_not_applicable(self.actor, item_id=entry.id, expected_version=entry.version, reason=v["reason"]),
            self, changes=(INDUCTION,))
        dialog.add_text("reason", "&Reason", placeholder="For example: Unregistered role, so no register to check")
        if dialog.exec():
            self._after(True)
        else:
            self.reload()

    def reopen(self) -> None:
        entry = self.current_item()
        if entry is not None and entry.can_reopen:
            self._run(lambda induction: induction.reopen(self.actor, item_id=entry.id, expected_version=entry.version))

    def renew(self) -> None:
        entry = self.current_item()
        if entry is None or not entry.can_renew:
            return
        today = self.workspace.today()
        dialog = ItemActionDialog(
            f"Renewal: {entry.title}", "Enter the day the training was done again; it stays valid from then.",
            "Record renewal",
            lambda v: self.workspace.induction.record_renewal(self.actor, item_id=entry.id, expected_version=entry.version, completed_on=v["completed_on"]),
            self, changes=(INDUCTION,))
        dialog.add_date("completed_on", "&Done again on", today, maximum=today)
        if dialog.exec():
            self._after(True)
        else:
            self.reload()

    def change_validity(self) -> None:
        entry = self.current_item()
        if entry is None:
            return
        dialog = ValidityDialog(
            entry.title, entry.validity_months,
            lambda v: self.workspace.induction.set_validity(self.actor, item_id=entry.id, expected_version=entry.version, months=v["months"]), self,
            changes=(INDUCTION,))
        if dialog.exec():
            self._after(True)
        else:
            self.reload()

    def attach_evidence(self) -> None:
        entry = self.current_item()
        if entry is None or not entry.can_attach:
            return
        from arrs_desk.services.evidence import FILE_DIALOG_FILTER

        path, _ = QFileDialog.getOpenFileName(self, f"Attach evidence to '{entry.title}'", "", FILE_DIALOG_FILTER)
        if path:
            self._run(lambda induction: induction.attach_evidence(self.actor, item_id=entry.id, source=path))

    def open_evidence(self) -> None:
        evidence_id = self._chosen_evidence()
        if evidence_id is None:
            return
        Operation(self, lambda ws: ws.induction.evidence_file(self.actor, evidence_id=evidence_id)) \
            .success(lambda path: open_file(self, path)).run()

    def remove_evidence(self) -> None:
        evidence_id = self._chosen_evidence()
        if evidence_id is not None:
            self._run(lambda induction: induction.remove_evidence(self.actor, evidence_id=evidence_id))

    def create_checklist(self) -> None:
        if self.staff_id is not None:
            staff_id = self.staff_id
            self._run(lambda induction: induction.create_checklist(self.actor, staff_id=staff_id))

    def add_reinduction(self) -> None:
        if self.view is None or not self.view.reinduction_titles:
            return
        today = self.workspace.today()
        dialog = ItemActionDialog(
            f"Re-induction for {self.view.reinduction_role}",
            f"Add {plural(len(self.view.reinduction_titles), 'item')} from the {self.view.reinduction_role} induction. "
            "Their due dates count from the day the new role started; everything already done stays done.",
            "Add items",
            lambda v: self.workspace.induction.add_reinduction(self.actor, staff_id=self.staff_id, change_date=v["changed_on"]), self,
            changes=(INDUCTION,))
        dialog.add_date("changed_on", "New role &started on", today)
        if dialog.exec():
            self._after(True)

    def export_csv(self) -> None:
        if self.view is None:
            return
        from arrs_desk.domain.staff import search_key

        suggested = "induction-" + "-".join(search_key(self.view.display_name).split()) + ".csv"
        path, _ = QFileDialog.getSaveFileName(self, "Export checklist to CSV", suggested, "CSV files (*.csv)")
        if not path:
            return
        actor, staff_id = self.actor, self.staff_id
        Operation(self, lambda ws: ws.induction.export_csv(actor, staff_id=staff_id, target=path)) \
            .progress_dialog("Saving the checklist…") \
            .success(lambda count: self.status_message.emit(f"Saved {count} items to {path}")).run_in_background()


    def signature_sheet(self) -> None:
        if self.view is None:
            return
        from arrs_desk.domain.staff import search_key

        suggested = "signature-sheet-" + "-".join(search_key(self.view.display_name).split()) + ".pdf"
        path, _ = QFileDialog.getSaveFileName(self, "Save signature sheet", suggested, "PDF files (*.pdf)")
        if not path:
            return
        def saved(sheet) -> None:
            self.status_message.emit(f"Saved the signature sheet to {path}")
            open_file(self, sheet, what="The signature sheet")

        actor, staff_id = self.actor, self.staff_id
        Operation(self, lambda ws: ws.signature_sheets.induction_sheet(actor, staff_id=staff_id, target=path)) \
            .progress_dialog("Making the signature sheet…").success(saved).run_in_background()


class ChecklistDialog(QDialog):
    """A team member's checklist, opened by their line manager from the Induction overview."""

    def __init__(self, workspace, actor, staff_id: int, parent=None):
        super().__init__(parent)
        self.checklist = ChecklistWidget(self)
        self.checklist.set_context(workspace, actor)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.checklist, 1)
        layout.addWidget(buttons)
        self.checklist.load(staff_id)
        name = self.checklist.view.display_name if self.checklist.view else "Induction"
        self.setWindowTitle(f"{name}: induction checklist")
        self.resize(1180, 720)
