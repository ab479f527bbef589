"""Records retention (issue 20 item 2), for administrators only: leavers' records that fall due
under the Records Management Code, legal holds, reducing a record to its summary or anonymising
it after a confirmation that names what will go, the periods (editable, each with its source),
the destruction log, and the backups that still hold erased records.

Not the "Retention" page, which shows whether staff stay in post (retention statistics)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QFileDialog, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QMessageBox, QPushButton, QTableWidget,
    QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget,
)

from arrs_desk.services.retention import ACTIONS, ANONYMISE, SUMMARY
from arrs_desk.ui.common.changes import SETTINGS, STAFF
from arrs_desk.ui.common.enabled import set_enabled_with_reason
from arrs_desk.ui.common.error_display import show_status
from arrs_desk.ui.common.list_page import empty_label
from arrs_desk.ui.common.confirm import confirmed, confirmed_for_good
from arrs_desk.ui.common.operation import Operation
from arrs_desk.ui.common.page import Page
from arrs_desk.domain.dates import format_uk
from arrs_desk.clock import in_uk

DUE_HEADERS = ("Name", "Role", "Started", "Left", "Due since", "Stage", "Legal hold")
RULE_HEADERS = ("Records", "Kept", "The Code says", "Then", "Source")
TRAINING_HEADERS = ("Name", "Training", "Done on", "Rule", "Due since", "Legal hold")
LOG_HEADERS = ("When", "By", "What", "Whose", "Rule", "Removed")
THEN = {"summary": "Reduce to a summary", "anonymise": "Anonymise", "destroy": "Destroy"}


def _table(headers: tuple[str, ...], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setAccessibleName(name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.setWordWrap(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


def _with_empty_line(table: QTableWidget, text: str) -> QWidget:
    """The table, and the line said instead of it while it has no rows (`_fill` shows one or the
    other): two blank boxes with greyed buttons left an administrator wondering whether the page
    had loaded at all."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    empty = empty_label(f"{table.accessibleName()}: none")
    empty.setText(text)
    empty.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    layout.addWidget(table, 1)
    layout.addWidget(empty, 1)
    table.setProperty(_EMPTY_LINE, empty)
    return box


_EMPTY_LINE = "arrs_empty_line"


def _fill(table: QTableWidget, rows: list[tuple[str, ...]], keys: list | None = None) -> None:
    empty = table.property(_EMPTY_LINE)
    if empty is not None:
        table.setVisible(bool(rows))
        empty.setVisible(not rows)
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            item = QTableWidgetItem(value)
            item.setToolTip(value)
            if keys is not None and c == 0:
                item.setData(Qt.ItemDataRole.UserRole, keys[r])
            table.setItem(r, c, item)


class RecordsRetentionPage(Page):
    title = "Records retention"
    shows = frozenset({STAFF, SETTINGS})

    def __init__(self, parent=None):
        super().__init__(parent)
        self._due: list = []
        self._training: list = []
        self._rules = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading("Records retention"))
        intro = QLabel("How long staff records are kept under the Records Management Code of Practice, and what "
                       "to do with those past their time. A record under legal hold is never reduced or erased.")
        intro.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(intro, 1)
        self.sar_button = QPushButton("Everything we hold about…")
        self.sar_button.setToolTip("Save one person's records as a PDF to read and a ZIP of data, for a subject "
                                   "access request")
        self.sar_button.clicked.connect(self.subject_access)
        top.addWidget(self.sar_button)
        layout.addLayout(top)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)

        due = QWidget()
        due_layout = QVBoxLayout(due)
        due_layout.addWidget(QLabel("Leavers' staff records"))
        self.due_table = _table(DUE_HEADERS, "Records that fall due")
        self.due_table.itemSelectionChanged.connect(self._selection_changed)
        due_layout.addWidget(_with_empty_line(
            self.due_table, "No leaver's record is due: each falls due when its retention period has passed."), 1)
        buttons = QHBoxLayout()
        self.hold_button = QPushButton("Place legal hold…")
        self.lift_button = QPushButton("Lift hold")
        self.summary_button = QPushButton("Reduce to summary…")
        self.anonymise_button = QPushButton("Anonymise…")
        for button, slot in ((self.hold_button, self.place_hold), (self.lift_button, self.lift_hold),
                             (self.summary_button, lambda: self.erase(SUMMARY)),
                             (self.anonymise_button, lambda: self.erase(ANONYMISE))):
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        due_layout.addLayout(buttons)
        due_layout.addWidget(QLabel("Training records past their period"))
        self.training_table = _table(TRAINING_HEADERS, "Training records past their period")
        self.training_table.itemSelectionChanged.connect(self._selection_changed)
        due_layout.addWidget(_with_empty_line(
            self.training_table, "No training record is past its retention period."), 1)
        training_buttons = QHBoxLayout()
        self.destroy_button = QPushButton("Destroy training record…")
        self.destroy_button.clicked.connect(self.destroy_training)
        training_buttons.addWidget(self.destroy_button)
        training_buttons.addStretch(1)
        due_layout.addLayout(training_buttons)
        self.backups_label = QLabel()
        self.backups_label.setWordWrap(True)
        self.backups_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        due_layout.addWidget(self.backups_label)
        self.tabs.addTab(due, "Falling due")

        rules = QWidget()
        rules_layout = QVBoxLayout(rules)
        self.source_label = QLabel()
        self.source_label.setWordWrap(True)
        self.source_label.setOpenExternalLinks(True)
        rules_layout.addWidget(self.source_label)
        self.rules_table = _table(RULE_HEADERS, "Retention periods")
        self.rules_table.itemSelectionChanged.connect(self._selection_changed)
        rules_layout.addWidget(self.rules_table, 1)
        rule_buttons = QHBoxLayout()
        self.period_button = QPushButton("Change period…")
        self.period_button.clicked.connect(self.change_period)
        rule_buttons.addWidget(self.period_button)
        rule_buttons.addStretch(1)
        rules_layout.addLayout(rule_buttons)
        self.tabs.addTab(rules, "Periods")

        log = QWidget()
        log_layout = QVBoxLayout(log)
        note = QLabel("Each reduction or erasure: what class of record, whose, when, by whom, under which rule and "
                      "how many rows went. It keeps nothing that was removed.")
        note.setWordWrap(True)
        log_layout.addWidget(note)
        self.log_table = _table(LOG_HEADERS, "Destruction log")
        log_layout.addWidget(_with_empty_line(self.log_table, "Nothing has been reduced, anonymised or destroyed."), 1)
        self.tabs.addTab(log, "Destruction log")
        self._selection_changed()

    # ------------------------------------------------------------------ reading
    def refresh(self) -> None:
        if self.workspace is None or self.actor is None:
            return
        actor = self.actor

        def read(ws):
            service = ws.records_retention
            return (service.due(actor), service.training_due(actor), service.rules(actor),
                    service.destruction_log(actor), service.backups_still_holding(actor))
        self.load_data(read, self._show)

    def _show(self, result) -> None:
        due, training, rules, log, backups = result
        self._due, self._training, self._rules = due, training, rules
        _fill(self.training_table, [(t.name, t.title, format_uk(t.done_on), t.rule_title, format_uk(t.due_on),
                                     t.hold_reason or "No") for t in training])
        _fill(self.due_table, [(d.name, d.role, format_uk(d.started_on), format_uk(d.left_on), format_uk(d.due_on), d.stage,
                                d.hold_reason or "No") for d in due], [d.staff_id for d in due])
        if not due:
            self.due_table.setRowCount(0)
        _fill(self.rules_table, [(r.title, r.period + (" (changed here)" if r.years != r.default_years else ""),
                                  r.period if r.default_years is None else
                                  f"{r.default_years} year{'s' if r.default_years != 1 else ''}",
                                  THEN.get(r.after, r.after), r.source)
                                 for r in rules.rules], [r.code for r in rules.rules])
        self.source_label.setText(
            f"Source: <a href=\"{rules.source_url}\">{rules.source_title}</a>, checked on {format_uk(rules.checked_on)}. "
            f"{rules.period_start} {rules.legal_hold}")
        _fill(self.log_table, [(f"{in_uk(e.at):%d/%m/%Y %H:%M}", e.actor_name, f"{e.action}: {e.record_class}", e.subject,
                                f"{e.rule_code} ({e.rule_text})",
                                ", ".join(f"{n} {what}" for what, n in e.removed.items())) for e in log])
        if backups.backups:
            listed = "; ".join(f"{b.path.name} ({b.made_at:%d/%m/%Y %H:%M})" for b in backups.backups[:5])
            more = len(backups.backups) - 5
            self.backups_label.setText(f"<b>{len(backups.backups)} backup(s) still hold erased records:</b> {listed}"
                                       f"{f' and {more} more' if more > 0 else ''}. {backups.advice}")
        else:
            self.backups_label.setText(backups.advice)
        self._selection_changed()

    def _selected(self):
        row = self.due_table.currentRow()
        if row < 0 or row >= len(self._due) or not self.due_table.selectionModel().hasSelection():
            return None
        return self._due[row]

    def _selected_training(self):
        row = self.training_table.currentRow()
        if row < 0 or row >= len(self._training) or not self.training_table.selectionModel().hasSelection():
            return None
        return self._training[row]

    def _selection_changed(self) -> None:
        chosen = self._selected()
        held = chosen is not None and chosen.on_hold
        training = self._selected_training()
        for button, enabled, why in (
                (self.hold_button, chosen is not None and not held, "Choose a record that is not held"),
                (self.lift_button, held, "Choose a record under legal hold"),
                (self.summary_button, chosen is not None and not held and chosen.stage == "full record",
                 "Choose a full record that is not held"),
                (self.anonymise_button, chosen is not None and not held, "Choose a record that is not held"),
                (self.destroy_button, training is not None and not training.on_hold,
                 "Choose a training record that is not held"),
                (self.period_button, self.rules_table.currentRow() >= 0, "Choose a period in the list")):
            set_enabled_with_reason(button, enabled, why)

    # ------------------------------------------------------------------ writing
    def place_hold(self) -> None:
        chosen = self._selected()
        if chosen is None:
            return
        reason, ok = QInputDialog.getText(self, "Place legal hold",
                                          f"Why must the records of {chosen.name} be kept (the claim, inquiry or "
                                          "request)?")
        if not ok:
            return
        actor = self.actor
        Operation(self, lambda ws: ws.records_retention.set_hold(actor, staff_id=chosen.staff_id, reason=reason)) \
            .changes(STAFF).run()

    def lift_hold(self) -> None:
        chosen = self._selected()
        if chosen is None:
            return
        if not confirmed(self, "Lift legal hold", f"Lift the legal hold on the records of {chosen.name} "
                         f"({chosen.hold_reason})? They can then be reduced or erased."):
            return
        actor = self.actor
        Operation(self, lambda ws: ws.records_retention.lift_hold(actor, staff_id=chosen.staff_id)) \
            .changes(STAFF).run()

    def erase(self, action: str) -> None:
        chosen = self._selected()
        if chosen is None:
            return
        actor = self.actor
        asking = Operation(self, lambda ws: ws.records_retention.preview(actor, staff_id=chosen.staff_id,
                                                                         action=action))
        if not asking.run():
            return
        preview = asking.result
        if not confirmed_for_good(self, ACTIONS[action], confirmation_text(preview)):
            return
        Operation(self, lambda ws: ws.records_retention.erase(actor, staff_id=chosen.staff_id, action=action)) \
            .changes(STAFF).run_in_background()

    def destroy_training(self) -> None:
        chosen = self._selected_training()
        if chosen is None:
            return
        text = (f"Destroy the training record '{chosen.title}' of {chosen.name}, done on {format_uk(chosen.done_on)}? "
                f"{chosen.rule_title} are kept until {format_uk(chosen.due_on)}. The record, its evidence files and the "
                "details of its audit trail entries go; the destruction log says that it happened. This cannot be "
                "undone.")
        if not confirmed_for_good(self, "Destroy training record", text):
            return
        actor = self.actor
        Operation(self, lambda ws: ws.records_retention.destroy_training(actor, kind=chosen.kind,
                                                                         record_id=chosen.record_id)) \
            .changes(STAFF).run_in_background()

    def subject_access(self) -> None:
        """An administrator answers a subject access request for anyone on the staff list."""
        actor = self.actor
        listing = Operation(self, lambda ws: ws.staff.list_rows(actor))
        if not listing.run() or not listing.result:
            return
        people = sorted(listing.result, key=lambda r: (r.display_name.casefold(), r.id))
        labels = [f"{r.display_name} ({r.role_title}, staff id {r.id})" for r in people]
        chosen, ok = QInputDialog.getItem(self, "Everything we hold about…", "Whose records?", labels, 0, False)
        if not ok or chosen not in labels:
            return
        person = people[labels.index(chosen)]
        folder = QFileDialog.getExistingDirectory(self, f"Save everything held about {person.display_name} into")
        if not folder:
            return
        Operation(self, lambda ws: ws.subject_access.export(actor, staff_id=person.id, folder=folder)) \
            .success(lambda made: show_status(self, f"Saved {made.pdf.name} and {made.archive.name} in {made.pdf.parent}: "
                                                    "they hold personal data, give them to the person securely.")) \
            .run_in_background()

    def change_period(self) -> None:
        row = self.rules_table.currentRow()
        if self._rules is None or row < 0:
            return
        rule = self._rules.rules[row]
        if rule.years is None:
            QMessageBox.information(self, "Change period", f"'{rule.title}' runs {rule.period}: there is no number of "
                                    "years to change.")
            return
        years, ok = QInputDialog.getInt(self, "Change period", f"Keep '{rule.title}' for how many years? (The Code "
                                        f"says {rule.default_years}.)", rule.years, 0, 100)
        if not ok:
            return
        actor = self.actor
        Operation(self, lambda ws: ws.records_retention.set_rule_years(actor, code=rule.code, years=years)) \
            .changes(SETTINGS).run()


def confirmation_text(preview) -> str:
    """The confirmation names what will go, row counts per class, and what stays."""
    lines = [f"{ACTIONS[preview.action]} the record of {preview.name}? This cannot be undone.", "", "This removes:"]
    lines += [f"  • {n} {what}" for what, n in sorted(preview.records.items())] or ["  • no other records"]
    if preview.evidence_files:
        lines.append(f"  • {preview.evidence_files} evidence file(s) from the evidence folder")
    if preview.audit_entries:
        lines.append(f"  • the details of {preview.audit_entries} audit trail entries about them (the entries "
                     "stay, saying what happened, when and by whom)")
    if preview.action == ANONYMISE:
        lines.append("  • their name, e-mail and user name wherever they are written, including notes others wrote")
    lines += ["", preview.kept]
    return "\n".join(lines)
