"""The induction template editor (administrators): add, reorder, retire and reword items, then
save the template as a new version. Checklists already made keep their own copy of every item.

The dialog edits a draft in memory; nothing is written until "Save as new version", and a
refused save marks each problem beside its field and writes nothing.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout,
    QHeaderView, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton,
    QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from arrs_desk.ui.common.text import plural
from arrs_desk.ui.common.enabled import set_enabled_with_reason
from arrs_desk.domain.induction import TAGS, CompletedBy
from arrs_desk.ui.common.changes import INDUCTION
from arrs_desk.ui.common.error_display import problem, show_error
from arrs_desk.ui.common.confirm import confirmed
from arrs_desk.ui.common.operation import Operation
from arrs_desk.ui.common.icons import glyph_icon
from arrs_desk.ui.induction.induction_checklist import uk

ERROR_PREFIX = "⚠ "
COMPLETED_BY_LABELS = {
    CompletedBy.STARTER.value: "The starter",
    CompletedBy.MANAGER.value: "The line manager",
    CompletedBy.EITHER.value: "Either",
}
COLUMNS = ("#", "Item", "Section", "Due (days)", "Completed by", "Sign-off", "Valid for", "State")
FIELDS = ("title", "section", "due_offset_days", "completed_by", "validity_months", "guidance", "tags")


def _months_text(value) -> str:
    if value in (None, ""):
        return ""
    try:
        months = int(value)
    except (TypeError, ValueError):
        return str(value)
    return plural(months // 12, "year") if months % 12 == 0 else plural(months, "month")


class TemplateEditorDialog(QDialog):
    def __init__(self, workspace, actor, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Induction templates")
        self._workspace, self._actor = workspace, actor
        self.draft = None
        self.dirty = False
        self.errors: dict[str, str] = {}
        self._loading = False
        self.failed = False

        intro = QLabel("Each template is saved as a new version. Checklists already made keep the items they were "
                       "made with; new checklists use the latest version. Retired items stay in the history.")
        intro.setWordWrap(True)
        self.template_choice = QComboBox()
        self.template_choice.setAccessibleName("Template")
        self.version_label = QLabel()
        self.version_label.setWordWrap(True)
        self.import_button = QPushButton("Import from file…")
        self.import_button.setToolTip("Load a template file (JSON) into the editor; it is saved only when you save")
        self.import_button.clicked.connect(self.import_file)
        self.template_title = QLineEdit()
        self.template_title.setAccessibleName("Template title")
        self.template_title.textEdited.connect(self._title_edited)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setAccessibleName("Template items")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 32), (2, 124), (3, 76), (4, 116), (5, 62), (6, 72), (7, 82)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed if column == 0
                                        else QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(column, width)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.currentCellChanged.connect(lambda row, *_: self._show_item(row))

        self.add_button = QPushButton("Add item")
        self.add_button.clicked.connect(self.add_item)
        self.up_button = QPushButton("Move up")
        self.up_button.clicked.connect(lambda: self.move(-1))
        self.down_button = QPushButton("Move down")
        self.down_button.clicked.connect(lambda: self.move(1))
        self.retire_button = QPushButton("Retire")
        self.retire_button.setToolTip("Stop giving this item to new starters; it stays on existing checklists")
        self.retire_button.clicked.connect(self.toggle_retired)
        item_buttons = QHBoxLayout()
        for b in (self.add_button, self.up_button, self.down_button, self.retire_button):
            item_buttons.addWidget(b)
        item_buttons.addStretch(1)

        self._build_form()

        self.note = QLineEdit()
        self.note.setAccessibleName("What changed")
        self.note.setPlaceholderText("What changed and why (kept with the version), for example: added our local "
                                     "lone-working procedure")
        self.note.setMaxLength(500)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Problems")
        font = self.summary.font()
        font.setBold(True)
        self.summary.setFont(font)
        self.summary.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Save as new version")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        choose = QHBoxLayout()
        choose.addWidget(QLabel("&Template:"))
        choose.itemAt(0).widget().setBuddy(self.template_choice)
        choose.addWidget(self.template_choice, 1)
        choose.addWidget(self.import_button)
        title_row = QHBoxLayout()
        title_row.addWidget(QLabel("Title:"))
        title_row.addWidget(self.template_title, 1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(title_row)
        left_layout.addWidget(self.table, 1)
        left_layout.addLayout(item_buttons)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.form_panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([800, 460])
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(choose)
        layout.addWidget(self.version_label)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self.resize(1280, 760)

        found = Operation(self, lambda ws: ws.induction.templates.list_current(actor))
        if not found.run():
            self.failed = True
            return
        summaries = found.result
        for s in summaries:
            label = "All roles (generic)" if s.is_generic else s.applies_to
            self.template_choice.addItem(f"{label} – {s.title}", s.code)
        self.template_choice.currentIndexChanged.connect(self._choose)
        self._previous_index = 0
        if summaries:
            self.load(summaries[0].code)

    # --- the item form ------------------------------------------------------------------
    def _build_form(self) -> None:
        self.form_panel = QWidget()
        self.f_title = QLineEdit()
        self.f_title.setMaxLength(400)
        self.f_section = QComboBox()
        self.f_due = QLineEdit()
        self.f_due.setPlaceholderText("days from the start date; negative for before, e.g. -7, 0, 14")
        self.f_completed_by = QComboBox()
        for value, label in COMPLETED_BY_LABELS.items():
            self.f_completed_by.addItem(label, value)
        self.f_signoff = QCheckBox("The line manager signs it off")
        self.f_validity = QLineEdit()
        self.f_validity.setPlaceholderText("months, e.g. 12 or 36; blank if it does not expire")
        self.f_evidence = QCheckBox("Evidence expected (a certificate or document)")
        self.f_guidance = QPlainTextEdit()
        self.f_guidance.setTabChangesFocus(True)
        self.f_guidance.setMinimumHeight(90)
        self.f_guidance.setMaximumHeight(150)
        self.f_tags = QListWidget()
        self.f_tags.setMaximumHeight(130)
        self.f_tags.setWordWrap(True)
        self.f_tags.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for tag, meaning in TAGS.items():
            row = QListWidgetItem(f"{meaning} ({tag})")
            row.setData(Qt.ItemDataRole.UserRole, tag)
            row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            row.setCheckState(Qt.CheckState.Unchecked)
            self.f_tags.addItem(row)
        self.field_errors: dict[str, QLabel] = {}
        form = QFormLayout(self.form_panel)
        for name, label, widget in (
            ("title", "Tit&le", self.f_title), ("section", "&Section", self.f_section),
            ("due_offset_days", "&Due", self.f_due), ("completed_by", "Completed &by", self.f_completed_by),
            (None, "", self.f_signoff), ("validity_months", "&Valid for", self.f_validity),
            (None, "", self.f_evidence), ("guidance", "&Guidance", self.f_guidance), ("tags", "Ta&gs", self.f_tags),
        ):
            widget.setAccessibleName(label.replace("&", "") or (widget.text() if hasattr(widget, "text") else ""))
            form.addRow(label, widget)
            if name:
                error = QLabel()
                error.setWordWrap(True)
                error.setObjectName(f"{name}_error")
                error.setAccessibleName(f"Problem with {label.replace('&', '').lower()}")
                bold = error.font()
                bold.setBold(True)
                error.setFont(bold)
                error.hide()
                form.addRow("", error)
                self.field_errors[name] = error
        self.f_title.textChanged.connect(self._form_edited)
        self.f_due.textChanged.connect(self._form_edited)
        self.f_validity.textChanged.connect(self._form_edited)
        self.f_guidance.textChanged.connect(self._form_edited)
        for combo in (self.f_section, self.f_completed_by):
            combo.currentIndexChanged.connect(self._form_edited)
        for box in (self.f_signoff, self.f_evidence):
            box.toggled.connect(self._form_edited)
        self.f_tags.itemChanged.connect(self._form_edited)

    # --- loading ------------------------------------------------------------------------
    def _choose(self, index: int) -> None:
        if index == self._previous_index:
            return
        if self.dirty and not confirmed(
                self, "Discard changes?", "This template has changes that are not saved. Discard them?"):
            self.template_choice.blockSignals(True)
            self.template_choice.setCurrentIndex(self._previous_index)
            self.template_choice.blockSignals(False)
            return
        self._previous_index = index
        self.load(self.template_choice.currentData())

    def load(self, code: str) -> None:
        draft = Operation(self, lambda ws: ws.induction.templates.draft(self._actor, code=code))
        if not draft.run():
            return
        self._set_draft(draft.result, self._history(code))

    def _history(self, code: str) -> list:
        history = Operation(self, lambda ws: ws.induction.templates.history(self._actor, code=code))
        return history.result if history.run() else []

    def _set_draft(self, draft, history, *, dirty: bool = False) -> None:
        self.draft = draft
        self.dirty = dirty
        self.errors = {}
        self.summary.hide()
        self._loading = True
        self.template_title.setText(draft.title)
        self.f_section.clear()
        for section in draft.sections:
            self.f_section.addItem(section.title, section.code)
        self._loading = False
        if history:
            latest = history[0]
            earlier = f"; {plural(len(history) - 1, 'earlier version')}" if len(history) > 1 else ""
            self.version_label.setText(
                f"Version {latest.version}, saved by {latest.saved_by} on {uk(latest.saved_at)}"
                + (f" – {latest.note}" if latest.note else "") + earlier)
        else:
            self.version_label.setText("A new template: it is saved as version 1.")
        self._fill_table()
        self.table.setCurrentCell(0, 1)
        self._show_item(0)

    def _fill_table(self) -> None:
        self.table.setRowCount(len(self.draft.items))
        for row in range(len(self.draft.items)):
            self._fill_row(row)

    def _fill_row(self, row: int) -> None:
        entry = self.draft.items[row]
        sections = {s.code: s.title for s in self.draft.sections}
        has_error = any(k.startswith(f"items.{row}.") for k in self.errors)
        texts = (str(row + 1), entry.title or "(no title yet)", sections.get(entry.section, entry.section),
                 str(entry.due_offset_days), COMPLETED_BY_LABELS.get(entry.completed_by, entry.completed_by),
                 "Yes" if entry.needs_signoff else "", _months_text(entry.validity_months),
                 "Retired" if entry.retired else ("Problem" if has_error else "Active"))
        for column, text in enumerate(texts):
            cell = self.table.item(row, column)
            if cell is None:
                cell = QTableWidgetItem()
                self.table.setItem(row, column, cell)
            cell.setText(text)
            font = QFont(self.table.font())
            font.setItalic(entry.retired)
            cell.setFont(font)
        state = self.table.item(row, 7)
        state.setIcon(glyph_icon("!", "bad") if has_error else glyph_icon("–", "neutral") if entry.retired
                      else glyph_icon("✓", "good"))

    def _show_item(self, row: int) -> None:
        if self.draft is None or not 0 <= row < len(self.draft.items):
            self.form_panel.setEnabled(False)
            return
        entry = self.draft.items[row]
        self.form_panel.setEnabled(True)
        self._loading = True
        self.f_title.setText(entry.title)
        self.f_section.setCurrentIndex(max(self.f_section.findData(entry.section), 0))
        self.f_due.setText("" if entry.due_offset_days is None else str(entry.due_offset_days))
        self.f_completed_by.setCurrentIndex(max(self.f_completed_by.findData(entry.completed_by), 0))
        self.f_signoff.setChecked(entry.needs_signoff)
        self.f_validity.setText("" if entry.validity_months in (None, "") else str(entry.validity_months))
        self.f_evidence.setChecked(entry.evidence_expected)
        self.f_guidance.setPlainText(entry.guidance)
        for i in range(self.f_tags.count()):
            tag_row = self.f_tags.item(i)
            tag_row.setCheckState(Qt.CheckState.Checked if tag_row.data(Qt.ItemDataRole.UserRole) in entry.tags
                                  else Qt.CheckState.Unchecked)
        self._loading = False
        for name, label in self.field_errors.items():
            message = self.errors.get(f"items.{row}.{name}", "")
            label.setText(ERROR_PREFIX + message if message else "")
            label.setVisible(bool(message))
        self.retire_button.setText("Restore" if entry.retired else "Retire")
        set_enabled_with_reason(self.up_button, row > 0, "This item is first in the template already.")
        set_enabled_with_reason(self.down_button, row < len(self.draft.items) - 1,
                                "This item is last in the template already.")

    def current_row(self) -> int:
        return self.table.currentRow()

    # --- editing ------------------------------------------------------------------------
    def _mark_dirty(self) -> None:
        self.dirty = True

    def _title_edited(self, text: str) -> None:
        if self.draft is not None:
            self.draft.title = text
            self._mark_dirty()

    def _form_edited(self, *_args) -> None:
        row = self.current_row()
        if self._loading or self.draft is None or not 0 <= row < len(self.draft.items):
            return
        entry = self.draft.items[row]
        entry.title = self.f_title.text()
        entry.section = self.f_section.currentData() or ""
        entry.due_offset_days = self.f_due.text()
        entry.completed_by = self.f_completed_by.currentData()
        entry.needs_signoff = self.f_signoff.isChecked()
        entry.validity_months = self.f_validity.text()
        entry.evidence_expected = self.f_evidence.isChecked()
        entry.guidance = self.f_guidance.toPlainText()
        entry.tags = [self.f_tags.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.f_tags.count())
                      if self.f_tags.item(i).checkState() == Qt.CheckState.Checked]
        self._mark_dirty()
        self._fill_row(row)

    def add_item(self) -> None:
        from arrs_desk.services.induction_templates import ItemDraft

        if self.draft is None:
            return
        row = self.current_row()
        section = self.draft.items[row].section if 0 <= row < len(self.draft.items) else self.draft.sections[0].code
        insert_at = row + 1 if row >= 0 else len(self.draft.items)
        self.draft.items.insert(insert_at, ItemDraft(section=section, due_offset_days="", completed_by="either"))
        self._shift_errors(insert_at, 1)
        self._mark_dirty()
        self._fill_table()
        self.table.setCurrentCell(insert_at, 1)
        self._show_item(insert_at)
        self.f_title.setFocus()

    def move(self, step: int) -> None:
        row = self.current_row()
        target = row + step
        if self.draft is None or not (0 <= row < len(self.draft.items) and 0 <= target < len(self.draft.items)):
            return
        items = self.draft.items
        items[row], items[target] = items[target], items[row]
        self.errors = {}
        self._mark_dirty()
        self._fill_row(row)
        self._fill_row(target)
        self.table.setCurrentCell(target, 1)
        self._show_item(target)

    def toggle_retired(self) -> None:
        row = self.current_row()
        if self.draft is None or not 0 <= row < len(self.draft.items):
            return
        entry = self.draft.items[row]
        entry.retired = not entry.retired
        self._mark_dirty()
        self._fill_row(row)
        self._show_item(row)

    def _shift_errors(self, from_row: int, by: int) -> None:
        shifted = {}
        for key, message in self.errors.items():
            parts = key.split(".")
            if len(parts) == 3 and parts[0] == "items" and int(parts[1]) >= from_row:
                key = f"items.{int(parts[1]) + by}.{parts[2]}"
            shifted[key] = message
        self.errors = shifted

    # --- import and save ----------------------------------------------------------------
    def import_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import an induction template", "",
                                              "Induction templates (*.json);;All files (*)")
        if not path:
            return
        found = Operation(self, lambda ws: ws.induction.templates.draft_from_file(self._actor, path=path))
        if not found.run():
            return
        draft = found.result
        index = self.template_choice.findData(draft.code)
        if index < 0:
            show_error(self, problem("Not imported", (
                f"The file is a template with the code {draft.code}, which this database does not have. "
                "Import files that update one of the templates listed here.")))
            return
        self.template_choice.blockSignals(True)
        self.template_choice.setCurrentIndex(index)
        self.template_choice.blockSignals(False)
        self._previous_index = index
        self._set_draft(draft, self._history(draft.code), dirty=True)
        self.version_label.setText(self.version_label.text() + f"\nLoaded from {path}: check the items, then save "
                                   "it as a new version.")

    def save(self) -> None:
        if self.draft is None:
            return
        draft, note = self.draft, self.note.text()
        saved = Operation(self, lambda ws: ws.induction.templates.save(self._actor, draft=draft, note=note)) \
            .changes(INDUCTION).fields(lambda error: self.show_errors(error.errors))
        if not saved.run():
            return
        result = saved.result
        self.note.clear()
        self.load(self.draft.code)
        self.summary.setText(f"✓ Saved version {result.version}. New checklists use it from now on; "
                             "existing checklists are unchanged.")
        self.summary.show()

    def show_errors(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        count = len(errors)
        first = next(iter(errors.values()))
        self.summary.setText(f"{ERROR_PREFIX}Nothing has been saved. Please fix the {plural(count, 'problem')} "
                             f"marked: {first}")
        self.summary.show()
        self._fill_table()
        first_item = next((int(k.split(".")[1]) for k in errors if k.startswith("items.") and k.count(".") == 2), None)
        if first_item is not None:
            self.table.setCurrentCell(first_item, 1)
            self._show_item(first_item)
            field = next(k.split(".")[2] for k in errors if k.startswith(f"items.{first_item}."))
            widget = {"title": self.f_title, "section": self.f_section, "due_offset_days": self.f_due,
                      "completed_by": self.f_completed_by, "validity_months": self.f_validity,
                      "guidance": self.f_guidance, "tags": self.f_tags}.get(field)
            if widget is not None:
                widget.setFocus()
        elif "title" in errors:
            self.template_title.setFocus()

    def error_text(self, field: str) -> str:
        label = self.field_errors.get(field)
        return label.text().removeprefix(ERROR_PREFIX) if label is not None and label.text() else ""

    def reject(self) -> None:
        if self.dirty and not confirmed(
                self, "Discard changes?", "This template has changes that are not saved. Close without saving?"):
            return
        super().reject()
