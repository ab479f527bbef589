"""The programme editor (administrators): change a programme's title, roles, length and protected
time, add, remove and retitle its milestones and competencies, and save it as a new version; or
start a new programme by copying one, or load one from a programme file.

The dialog edits a draft in memory; nothing is written until "Save as new version", and a refused
save lists every problem and writes nothing. People already enrolled keep their own copy.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout,
    QHeaderView, QInputDialog, QLabel, QLineEdit, QListWidget, QListWidgetItem, QMessageBox, QPlainTextEdit,
    QSplitter, QTableWidget, QTableWidgetItem, QTreeWidget, QTreeWidgetItem, QVBoxLayout,
)

from arrs_desk.ui.common.text import plural
from arrs_desk.ui.common.form_errors import ERROR_PREFIX
from arrs_desk.ui.common.changes import PROGRAMMES
from arrs_desk.ui.common.error_display import show_error, show_status
from arrs_desk.ui.common.operation import Operation
from arrs_desk.ui.common.widgets import make_button

KINDS = (("meeting", "Meeting"), ("review", "Review"), ("assessment", "Assessment"), ("sign-off", "Sign-off"))
KEY_ROLE = Qt.ItemDataRole.UserRole + 1
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 2


class ProgrammeEditorDialog(QDialog):
    def __init__(self, workspace, actor, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Programmes")
        self._workspace, self._actor = workspace, actor
        self.draft = None
        self.failed = False
        self._loading = False
        self._detail_item: QTreeWidgetItem | None = None

        intro = QLabel("Saving writes a new version of the programme. People already enrolled keep the copy they "
                       "were enrolled on; new enrolments use the latest version.")
        intro.setWordWrap(True)
        self.programme_choice = QComboBox()
        self.programme_choice.setAccessibleName("Programme")
        self.copy_button = make_button("Copy as new programme…", "Copy this programme as a new programme",
                                   "Start a programme of your own from this one")
        self.import_button = make_button("Import from file…", "Import a programme file",
                                     "Load a programme file (JSON) for checking; it is saved only when you save")
        self.export_button = make_button("Export to file…", "Export this programme to a file",
                                     "Save the current version as a programme file to share")
        self.copy_button.clicked.connect(self.copy_programme)
        self.import_button.clicked.connect(self.import_file)
        self.export_button.clicked.connect(self.export_file)
        self.version_label = QLabel()
        self.version_label.setWordWrap(True)
        self.version_label.setAccessibleName("Version")

        # General.
        self.code_label = QLabel()
        self.code_label.setAccessibleName("Programme code")
        self.title_edit = QLineEdit()
        self.title_edit.setAccessibleName("Programme title")
        self.title_edit.setMaxLength(400)
        self.length_edit = QLineEdit()
        self.length_edit.setAccessibleName("Length in weeks")
        self.length_edit.setPlaceholderText("weeks, for example 12")
        self.hours_edit = QLineEdit()
        self.hours_edit.setAccessibleName("Protected hours a week")
        self.hours_edit.setPlaceholderText("hours a week, for example 7.5 for one day")
        self.roles_list = QListWidget()
        self.roles_list.setAccessibleName("Roles the programme is for")
        self.roles_list.setMinimumHeight(120)
        self.description_edit = QPlainTextEdit()
        self.description_edit.setAccessibleName("Description")
        self.description_edit.setTabChangesFocus(True)
        general = QGroupBox("Programme")
        form = QFormLayout(general)
        form.addRow("Code", self.code_label)
        form.addRow("&Title", self.title_edit)
        for label, edit, unit in (("&Length", self.length_edit, "weeks"),
                                  ("&Protected time", self.hours_edit, "hours a week (7.5 is one day)")):
            row = QHBoxLayout()
            row.addWidget(edit, 1)
            row.addWidget(QLabel(unit))
            caption = QLabel(label)
            caption.setBuddy(edit)
            form.addRow(caption, row)
        form.addRow("&Roles", self.roles_list)
        form.addRow("&Description", self.description_edit)

        # Milestones.
        self.milestones = QTableWidget(0, 3)
        self.milestones.setHorizontalHeaderLabels(["Week", "Milestone", "Kind"])
        self.milestones.setAccessibleName("Milestones")
        self.milestones.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.milestones.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.milestones.verticalHeader().hide()
        header = self.milestones.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.milestones.setColumnWidth(0, 60)
        self.milestones.setColumnWidth(2, 120)
        self.add_milestone_button = make_button("Add milestone", "Add a milestone")
        self.remove_milestone_button = make_button("Remove milestone", "Remove the selected milestone")
        self.add_milestone_button.clicked.connect(self.add_milestone)
        self.remove_milestone_button.clicked.connect(self.remove_milestone)
        milestones_box = QGroupBox("Milestones (double-click to retitle or change the week)")
        box = QVBoxLayout(milestones_box)
        box.addWidget(self.milestones, 1)
        row = QHBoxLayout()
        row.addWidget(self.add_milestone_button)
        row.addWidget(self.remove_milestone_button)
        row.addStretch(1)
        box.addLayout(row)

        # Competencies.
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Competency groups and competencies"])
        self.tree.setAccessibleName("Competencies")
        self.tree.currentItemChanged.connect(self._tree_selected)
        self.tree.itemChanged.connect(self._tree_edited)
        self.add_group_button = make_button("Add group", "Add a competency group")
        self.add_competency_button = make_button("Add competency", "Add a competency to the selected group")
        self.remove_competency_button = make_button("Remove", "Remove the selected competency or empty group")
        self.add_group_button.clicked.connect(self.add_group)
        self.add_competency_button.clicked.connect(self.add_competency)
        self.remove_competency_button.clicked.connect(self.remove_tree_item)
        self.c_description = QPlainTextEdit()
        self.c_description.setAccessibleName("What the competency involves")
        self.c_description.setTabChangesFocus(True)
        self.c_description.setMaximumHeight(90)
        self.c_evidence = QPlainTextEdit()
        self.c_evidence.setAccessibleName("Evidence expected")
        self.c_evidence.setTabChangesFocus(True)
        self.c_evidence.setMaximumHeight(70)
        self.c_description.textChanged.connect(self._detail_edited)
        self.c_evidence.textChanged.connect(self._detail_edited)
        detail = QFormLayout()
        detail.addRow("What it &involves", self.c_description)
        detail.addRow("&Evidence expected", self.c_evidence)
        competencies_box = QGroupBox("Competencies (double-click to retitle)")
        box = QVBoxLayout(competencies_box)
        box.addWidget(self.tree, 1)
        box.addLayout(detail)
        row = QHBoxLayout()
        for b in (self.add_group_button, self.add_competency_button, self.remove_competency_button):
            row.addWidget(b)
        row.addStretch(1)
        box.addLayout(row)

        self.note = QLineEdit()
        self.note.setAccessibleName("What changed")
        self.note.setPlaceholderText("What changed and why (kept with the version)")
        self.note.setMaxLength(500)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Problems")
        font = self.summary.font()
        font.setBold(True)
        self.summary.setFont(font)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Save as new version")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        choose = QHBoxLayout()
        label = QLabel("Pro&gramme:")
        label.setBuddy(self.programme_choice)
        choose.addWidget(label)
        choose.addWidget(self.programme_choice, 1)
        for b in (self.copy_button, self.import_button, self.export_button):
            choose.addWidget(b)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(milestones_box)
        right.addWidget(competencies_box)
        right.setSizes([260, 420])
        split = QSplitter()
        split.addWidget(general)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([460, 740])
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(choose)
        layout.addWidget(self.version_label)
        layout.addWidget(split, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self.resize(1280, 820)

        roles = Operation(self, lambda ws: ws.staff.form_choices(actor))
        summaries = Operation(self, lambda ws: ws.programmes.templates.list_current(actor))
        if not (roles.run() and summaries.run()):
            self.failed = True
            return
        roles, summaries = roles.result, summaries.result
        for role in roles.roles:
            item = QListWidgetItem(f"{role.label} ({role.value})")
            item.setData(KEY_ROLE, role.value)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.roles_list.addItem(item)
        self._fill_choice(summaries)
        self.programme_choice.currentIndexChanged.connect(self._choose)
        if summaries:
            self.load(self.programme_choice.currentData())

    # --- loading --------------------------------------------------------------------------
    def _fill_choice(self, summaries, select: str | None = None) -> None:
        self.programme_choice.blockSignals(True)
        self.programme_choice.clear()
        for s in summaries:
            self.programme_choice.addItem(f"{s.title} ({s.code}, version {s.version})", s.code)
        if select is not None:
            self.programme_choice.setCurrentIndex(max(self.programme_choice.findData(select), 0))
        self.programme_choice.blockSignals(False)

    def _choose(self) -> None:
        code = self.programme_choice.currentData()
        if code:
            self.load(code)

    def load(self, code: str) -> None:
        Operation(self, lambda ws: ws.programmes.templates.draft(self._actor, code=code)).success(self.show_draft).run()

    def show_draft(self, draft, *, origin: str = "") -> None:
        self._loading = True
        self.draft = draft
        self.code_label.setText(draft.code)
        self.title_edit.setText(draft.title)
        self.length_edit.setText(str(draft.length_weeks))
        self.hours_edit.setText(f"{draft.protected_hours_per_week:g}" if isinstance(
            draft.protected_hours_per_week, (int, float)) else str(draft.protected_hours_per_week))
        self.description_edit.setPlainText(draft.description)
        for i in range(self.roles_list.count()):
            item = self.roles_list.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(KEY_ROLE) in draft.roles else Qt.CheckState.Unchecked)
        self.milestones.setRowCount(0)
        for m in draft.milestones:
            self._add_milestone_row(m.key, str(m.week), m.title, m.kind)
        self.tree.clear()
        for d in draft.domains:
            group = self._group_item(d.code, d.title)
            for c in d.competencies:
                self._competency_item(group, c.key, c.title, c.description, c.evidence)
        self.tree.expandAll()
        self._loading = False
        version = (f"Editing version {draft.based_on_version}; saving makes version {draft.based_on_version + 1}."
                   if draft.based_on_version else "A new programme: saving makes version 1.")
        self.version_label.setText(f"{origin} {version}".strip())
        self.summary.hide()
        first = self.tree.topLevelItem(0)
        if first is not None and first.childCount():
            self.tree.setCurrentItem(first.child(0))

    def _add_milestone_row(self, key: str, week: str, title: str, kind: str) -> int:
        row = self.milestones.rowCount()
        self.milestones.insertRow(row)
        week_item = QTableWidgetItem(week)
        week_item.setData(KEY_ROLE, key)
        week_item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.milestones.setItem(row, 0, week_item)
        self.milestones.setItem(row, 1, QTableWidgetItem(title))
        combo = QComboBox()
        combo.setAccessibleName(f"Kind of milestone {row + 1}")
        for value, label in KINDS:
            combo.addItem(label, value)
        combo.setCurrentIndex(max(combo.findData(kind), 0))
        self.milestones.setCellWidget(row, 2, combo)
        return row

    def _group_item(self, code: str, title: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem([title])
        item.setData(0, KEY_ROLE, code)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        font = item.font(0)
        font.setBold(True)
        item.setFont(0, font)
        self.tree.addTopLevelItem(item)
        return item

    def _competency_item(self, group: QTreeWidgetItem, key: str, title: str, description: str,
                         evidence: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem([title])
        item.setData(0, KEY_ROLE, key)
        item.setData(0, DETAIL_ROLE, (description, evidence))
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        group.addChild(item)
        return item

    # --- editing --------------------------------------------------------------------------
    def add_milestone(self) -> None:
        weeks = [self.milestones.item(r, 0).text() for r in range(self.milestones.rowCount())]
        last = max((int(w) for w in weeks if w.strip().isdigit()), default=0)
        row = self._add_milestone_row("", str(last), "New milestone", "review")
        self.milestones.setCurrentCell(row, 1)
        self.milestones.editItem(self.milestones.item(row, 1))

    def remove_milestone(self) -> None:
        row = self.milestones.currentRow()
        if row >= 0:
            self.milestones.removeRow(row)

    def add_group(self) -> None:
        group = self._group_item("", "New competency group")
        competency = self._competency_item(group, "", "New competency", "", "")
        group.setExpanded(True)
        self.tree.setCurrentItem(competency)
        self.tree.editItem(group, 0)

    def add_competency(self) -> None:
        current = self.tree.currentItem()
        group = current.parent() or current if current is not None else self.tree.topLevelItem(0)
        if group is None:
            self.add_group()
            return
        item = self._competency_item(group, "", "New competency", "", "")
        group.setExpanded(True)
        self.tree.setCurrentItem(item)
        self.tree.editItem(item, 0)

    def remove_tree_item(self) -> None:
        item = self.tree.currentItem()
        if item is None:
            return
        if item.parent() is None and item.childCount():
            QMessageBox.information(self, "Remove group", "Remove the competencies in this group first, or move "
                                    "them by adding them to another group.")
            return
        (item.parent() or self.tree.invisibleRootItem()).removeChild(item)

    def _tree_selected(self, current, _previous=None) -> None:
        self._detail_item = None
        is_competency = current is not None and current.parent() is not None
        self._loading = True
        description, evidence = current.data(0, DETAIL_ROLE) if is_competency else ("", "")
        self.c_description.setPlainText(description or "")
        self.c_evidence.setPlainText(evidence or "")
        self._loading = False
        self.c_description.setEnabled(is_competency)
        self.c_evidence.setEnabled(is_competency)
        self._detail_item = current if is_competency else None

    def _detail_edited(self) -> None:
        if self._loading or self._detail_item is None:
            return
        self._detail_item.setData(0, DETAIL_ROLE, (self.c_description.toPlainText(), self.c_evidence.toPlainText()))

    def _tree_edited(self, *_args) -> None:
        self.summary.hide()

    # --- collecting and saving ------------------------------------------------------------
    def collect(self):
        from arrs_desk.services.programme_templates import CompetencyDraft, DomainDraft, MilestoneDraft

        draft = self.draft
        draft.title = self.title_edit.text()
        draft.description = self.description_edit.toPlainText()
        draft.length_weeks = self.length_edit.text()
        draft.protected_hours_per_week = self.hours_edit.text()
        draft.roles = [self.roles_list.item(i).data(KEY_ROLE) for i in range(self.roles_list.count())
                       if self.roles_list.item(i).checkState() == Qt.CheckState.Checked]
        draft.milestones = [
            MilestoneDraft(key=self.milestones.item(r, 0).data(KEY_ROLE) or "", week=self.milestones.item(r, 0).text(),
                           title=self.milestones.item(r, 1).text(), kind=self.milestones.cellWidget(r, 2).currentData())
            for r in range(self.milestones.rowCount())
        ]
        domains = []
        for g in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(g)
            competencies = []
            for c in range(group.childCount()):
                item = group.child(c)
                description, evidence = item.data(0, DETAIL_ROLE) or ("", "")
                competencies.append(CompetencyDraft(key=item.data(0, KEY_ROLE) or "", title=item.text(0),
                                                    description=description, evidence=evidence))
            domains.append(DomainDraft(code=group.data(0, KEY_ROLE) or "", title=group.text(0),
                                       competencies=competencies))
        draft.domains = domains
        return draft

    def save(self):
        if self.draft is None:
            return None
        draft, note = self.collect(), self.note.text()

        def refused(error: Exception) -> None:
            show_error(self, error)
            self.load(draft.code)  # as it is stored now

        saved = Operation(self, lambda ws: ws.programmes.templates.save(self._actor, draft=draft, note=note)) \
            .changes(PROGRAMMES).fields(lambda error: self.show_errors(error.errors)).failure(refused)
        if not saved.run():
            return None
        result = saved.result
        summaries = Operation(self, lambda ws: ws.programmes.templates.list_current(self._actor))
        if summaries.run():
            self._fill_choice(summaries.result, select=result.code)
        self.note.clear()
        self.load(result.code)
        self.version_label.setText(f"Saved version {result.version} of {result.title}. " + self.version_label.text())
        show_status(self, f"Saved version {result.version} of {result.title}", 6000)
        return result

    def show_errors(self, errors: dict[str, str]) -> None:
        count = len(errors)
        lines = [f"{ERROR_PREFIX}Nothing has been saved. Please fix the {plural(count, 'problem')} below:"] + [f"• {message}" for message in errors.values()]
        self.summary.setText("\n".join(lines))
        self.summary.show()
        first = next(iter(errors))
        widget = {"title": self.title_edit, "length_weeks": self.length_edit, "roles": self.roles_list,
                  "protected_hours_per_week": self.hours_edit, "description": self.description_edit,
                  "milestones": self.milestones, "domains": self.tree}.get(first)
        if first.startswith("milestones."):
            row = int(first.split(".")[1])
            self.milestones.setCurrentCell(row, 0 if first.endswith("week") else 1)
            widget = self.milestones
        elif first.startswith("domains."):
            parts = first.split(".")
            group = self.tree.topLevelItem(int(parts[1]))
            if group is not None:
                target = group.child(int(parts[3])) if len(parts) > 3 and parts[2] == "competencies" else group
                self.tree.setCurrentItem(target or group)
            widget = self.tree
        for name, target in (("title", self.title_edit), ("length_weeks", self.length_edit),
                             ("protected_hours_per_week", self.hours_edit), ("roles", self.roles_list),
                             ("description", self.description_edit)):
            target.setAccessibleDescription(errors.get(name, ""))
        (widget or self.summary).setFocus()

    # --- copying, importing, exporting ----------------------------------------------------
    def copy_programme(self):
        if self.draft is None:
            return None
        code, ok = QInputDialog.getText(self, "Copy as new programme",
                                        "Code for the new programme (capital letters, digits and hyphens):",
                                        text=f"{self.draft.code}-LOCAL"[:24])
        if not ok:
            return None
        title, ok = QInputDialog.getText(self, "Copy as new programme", "Title of the new programme:",
                                         text=f"{self.draft.title} (local)"[:120])
        if not ok:
            return None
        source = self.draft.code
        copied = Operation(self, lambda ws: ws.programmes.templates.copy_draft(self._actor, code=source, new_code=code,
                                                                               new_title=title))
        if not copied.run():
            return None
        self.show_draft(copied.result, origin=f"Copied from {self.draft.code if self.draft else ''}.")
        return copied.result

    def import_file(self, path: str | None = None):
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "Import a programme file", "", "Programme files (*.json)")
            if not path:
                return None
        loaded = Operation(self, lambda ws: ws.programmes.templates.draft_from_file(self._actor, path=path))
        if not loaded.run():
            return None
        self.show_draft(loaded.result, origin="Loaded from a file: check it, then save it.")
        return loaded.result

    def export_file(self, path: str | None = None) -> str | None:
        code = self.programme_choice.currentData()
        if not code:
            return None
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Export the programme", f"{code.lower()}.json",
                                                  "Programme files (*.json)")
            if not path:
                return None
        actor = self._actor
        Operation(self, lambda ws: ws.exports.programme_file(actor, path=path, code=code)) \
            .success(lambda saved: show_status(self, f"Saved the programme to {saved.path}", 6000)).run_in_background()
        return path
