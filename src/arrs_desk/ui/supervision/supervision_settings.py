"""Administrators' settings for supervision: how often each role is expected to have each kind,
and how many days ahead supervision shows as due soon."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QHBoxLayout,
    QHeaderView, QLabel, QLineEdit, QPushButton, QSpinBox, QTableView, QVBoxLayout, QWidget,
)

from arrs_desk.services.supervision import MAX_DUE_SOON_DAYS
from arrs_desk.ui.common.enabled import set_enabled_with_reason
from arrs_desk.ui.common.changes import SETTINGS, SUPERVISION
from arrs_desk.ui.common.operation import Operation
from arrs_desk.ui.common.form_errors import shown_in
from arrs_desk.ui.common.table_model import ROW_ROLE, Column, RowsModel

RULE_COLUMNS = (
    Column("Role", lambda r: r.role_title),
    Column("Expected", lambda r: r.summary),
    Column("Changed here", lambda r: "Yes" if r.edited else ""),
)


def _labelled(text: str, widget: QWidget) -> QWidget:
    widget.setAccessibleName(text)
    return widget


class ExpectedFrequenciesDialog(QDialog):
    def __init__(self, workspace, actor, parent=None):
        super().__init__(parent)
        self._workspace, self._actor = workspace, actor
        self.setWindowTitle("Supervision settings")
        service = workspace.supervision
        self._frequencies = service.frequency_choices()
        self._rows: list = []
        self._setting = None

        self.due_soon = _labelled("Days before the due date to show 'due soon'", QSpinBox())
        self.due_soon.setRange(0, MAX_DUE_SOON_DAYS)  # the rule's limit, which the service checks
        self.due_soon.setSuffix(" days before the due date")
        self.save_due_soon = QPushButton("Save")
        self.save_due_soon.setAccessibleName("Save the due soon warning")
        self.due_soon_error = QLabel()
        self.due_soon_error.hide()
        due_box = QGroupBox("Due soon warning")
        due_row = QHBoxLayout(due_box)
        due_row.addWidget(QLabel("Show supervision as due soon"))
        due_row.addWidget(self.due_soon)
        due_row.addWidget(self.save_due_soon)
        due_row.addWidget(self.due_soon_error)
        due_row.addStretch(1)

        self.type_code = _labelled("Supervision type", QComboBox())
        self.rules = RowsModel(RULE_COLUMNS, self)
        self.table = QTableView()
        self.table.setModel(self.rules)
        self.table.setAccessibleName("Expected frequency by role")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)

        self.required = _labelled("Required for this role", QCheckBox("Required: missing it shows as a gap"))
        self.frequency = _labelled("Expected frequency", QComboBox())
        self.step_down = _labelled("Frequency changes with time in post", QCheckBox("Then, from month"))
        self.step_month = _labelled("Month in post the frequency changes", QSpinBox())
        self.step_month.setRange(1, 600)
        self.step_frequency = _labelled("Frequency after the change", QComboBox())
        self.ends = _labelled("Requirement ends", QCheckBox("Ends after"))
        self.until_month = _labelled("Months in post the requirement ends", QSpinBox())
        self.until_month.setRange(1, 600)
        self.until_month.setSuffix(" months in post")
        self.note = _labelled("Note", QLineEdit())
        self.note.setMaxLength(500)
        for combo in (self.frequency, self.step_frequency):
            for choice in self._frequencies:
                combo.addItem(choice.label, choice.value)
        self.rule_error = QLabel()
        self.rule_error.setWordWrap(True)
        self.rule_error.setAccessibleName("Problem with the expected frequency")
        self.rule_error.hide()
        self.save_rule = QPushButton("Save for this role")
        self.save_rule.setAccessibleName("Save the expected frequency for this role")
        self.reset_rule = QPushButton("Restore built-in")
        self.reset_rule.setAccessibleName("Restore the built-in expected frequency for this role")
        step_row = QHBoxLayout()
        for w in (self.step_down, self.step_month, self.step_frequency):
            step_row.addWidget(w)
        step_row.addStretch(1)
        end_row = QHBoxLayout()
        end_row.addWidget(self.ends)
        end_row.addWidget(self.until_month)
        end_row.addStretch(1)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(self.save_rule)
        buttons_row.addWidget(self.reset_rule)
        buttons_row.addStretch(1)
        self.editor = QGroupBox("Expected for the selected role")
        form = QFormLayout(self.editor)
        form.addRow("", self.required)
        form.addRow("&Frequency", self.frequency)
        form.addRow("", step_row)
        form.addRow("", end_row)
        form.addRow("&Note", self.note)
        form.addRow("", self.rule_error)
        form.addRow("", buttons_row)

        top = QHBoxLayout()
        top.addWidget(QLabel("&Type of supervision"))
        top.itemAt(0).widget().setBuddy(self.type_code)
        top.addWidget(self.type_code, 1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        intro = QLabel("How often each role is expected to have each kind of supervision. A change applies to "
                       "everyone in the role whose arrangement follows the role default; the built-in values come "
                       "from national guidance and can be restored at any time.")
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(due_box)
        layout.addLayout(top)
        body = QHBoxLayout()
        body.addWidget(self.table, 3)
        body.addWidget(self.editor, 2)
        layout.addLayout(body, 1)
        layout.addWidget(close)

        self.save_due_soon.clicked.connect(self.save_setting)
        self.type_code.currentIndexChanged.connect(self._show_type)
        self.table.selectionModel().selectionChanged.connect(self._load_rule)
        self.step_down.toggled.connect(self._enable_steps)
        self.ends.toggled.connect(self._enable_steps)
        self.save_rule.clicked.connect(self.save)
        self.reset_rule.clicked.connect(self.reset)
        self.resize(1080, 640)
        self.reload()

    def reload(self, *, keep: tuple[str, str] | None = None) -> None:
        setting = Operation(self, lambda ws: ws.supervision.due_soon_setting(self._actor))
        rows = Operation(self, lambda ws: ws.supervision.requirements(self._actor))
        if not (setting.run() and rows.run()):
            return
        setting, rows = self._setting, self._rows = setting.result, rows.result
        self.due_soon.setValue(setting.days)
        if not self.type_code.count():
            seen = {}
            for row in rows:
                seen.setdefault(row.type_code, row.type_title)
            for code, title in seen.items():
                self.type_code.addItem(title, code)
        self._show_type(keep=keep)

    def _show_type(self, *_args, keep: tuple[str, str] | None = None) -> None:
        code = self.type_code.currentData()
        rows = [r for r in self._rows if r.type_code == code]
        rows.sort(key=lambda r: (not r.has_rule, r.role_title))
        self.rules.set_rows(rows)
        self.table.resizeColumnToContents(0)
        target = keep[1] if keep else (rows[0].role_code if rows else None)
        for r, row in enumerate(rows):
            if row.role_code == target:
                self.table.selectRow(r)
                break
        self._load_rule()

    def selected(self):
        index = self.table.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def _load_rule(self, *_args) -> None:
        row = self.selected()
        self.rule_error.hide()
        set_enabled_with_reason(self.editor, row is not None, "Select a role in the list to see and change what is "
                                "expected of it.")
        if row is None:
            return
        role = row.role_title.lower()
        self.editor.setTitle(f"Expected for {'an' if role[:1] in 'aeiou' else 'a'} {role}")
        steps = row.steps or ((0, "monthly"),)
        self.required.setChecked(row.required if row.has_rule else False)
        self.frequency.setCurrentIndex(max(self.frequency.findData(steps[0][1]), 0))
        self.step_down.setChecked(len(steps) > 1)
        if len(steps) > 1:
            self.step_month.setValue(steps[1][0])
            self.step_frequency.setCurrentIndex(max(self.step_frequency.findData(steps[1][1]), 0))
        self.ends.setChecked(row.until_month is not None)
        if row.until_month is not None:
            self.until_month.setValue(row.until_month)
        self.note.setText(row.note)
        self.note.setCursorPosition(0)
        self.note.setToolTip(row.note)
        set_enabled_with_reason(self.reset_rule, row.edited, "This role already follows the built-in expected "
                                "frequency; there is nothing to restore.")
        self._enable_steps()

    def _enable_steps(self, *_args) -> None:
        self.step_month.setEnabled(self.step_down.isChecked())
        self.step_frequency.setEnabled(self.step_down.isChecked())
        self.until_month.setEnabled(self.ends.isChecked())

    def save(self) -> None:
        row = self.selected()
        if row is None:
            return
        steps = [(0, self.frequency.currentData())]
        if self.step_down.isChecked():
            steps.append((self.step_month.value(), self.step_frequency.currentData()))
        required, note = self.required.isChecked(), self.note.text()
        until = self.until_month.value() if self.ends.isChecked() else None
        Operation(self, lambda ws: ws.supervision.set_requirement(
            self._actor, type_code=row.type_code, role_code=row.role_code, required=required, steps=steps,
            until_month=until, note=note, expected_version=row.version)) \
            .changes(SUPERVISION).fields(shown_in(self.rule_error)) \
            .success(lambda _saved: self.reload(keep=(row.type_code, row.role_code))).run()

    def reset(self) -> None:
        row = self.selected()
        if row is None or not row.edited:
            return
        Operation(self, lambda ws: ws.supervision.reset_requirement(
            self._actor, type_code=row.type_code, role_code=row.role_code, expected_version=row.version)) \
            .changes(SUPERVISION).success(lambda _reset: self.reload(keep=(row.type_code, row.role_code))).run()

    def save_setting(self) -> None:
        days, version = self.due_soon.value(), self._setting.version if self._setting else None
        Operation(self, lambda ws: ws.supervision.set_due_soon_days(self._actor, days=days, expected_version=version)) \
            .changes(SETTINGS, SUPERVISION).fields(shown_in(self.due_soon_error)) \
            .success(self._due_soon_saved).run()

    def _due_soon_saved(self, setting) -> None:
        self._setting = setting
        self.due_soon_error.setText("Saved.")
        self.due_soon_error.show()
