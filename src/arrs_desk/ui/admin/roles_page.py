"""The PCN's role catalogue, for administrators: rename or retire roles, add local ones."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton, QTableView, QVBoxLayout,
)

from arrs_desk.ui.common import changes
from arrs_desk.ui.common.error_display import show_status
from arrs_desk.ui.common.operation import Operation
from arrs_desk.ui.common.form_errors import FieldErrors
from arrs_desk.ui.common.icons import glyph_icon
from arrs_desk.ui.common.page import Page
from arrs_desk.ui.common.table_model import ROW_ROLE, RowTableModel

TITLE, CODE, KIND, REGISTERS, SOURCE, STAFF, STATE = range(7)
HEADERS = ("Title", "Code", "Kind", "Registers", "Source", "Staff", "State")


class RolesModel(RowTableModel):
    HEADERS = HEADERS

    def cell(self, row, column: int) -> str:
        kind = ("Clinical" if row.clinical else "Non-clinical") + (", ARRS" if row.arrs else ", not ARRS")
        return [row.title, row.code, kind, ", ".join(row.registers) or "None",
                "Built in" if row.builtin else "Added by the PCN", str(row.staff_count),
                "In use" if row.active else "Retired"][column]

    def decoration(self, row, column: int):
        if column == STATE:
            return glyph_icon("✓", "good") if row.active else glyph_icon("×", "neutral")
        return None

    def tooltip(self, row, column: int) -> str | None:
        return row.requirements or None


class RoleDialog(QDialog):
    def __init__(self, workspace, actor, role=None, parent=None):
        super().__init__(parent)
        from arrs_desk.domain.catalogue import builtin_catalogue

        self._workspace, self._actor, self._role = workspace, actor, role
        self.setWindowTitle(f"Role: {role.title}" if role else "Add a local role")
        self.code = QLineEdit()
        self.code.setAccessibleName("Role code")
        self.code.setMaxLength(24)
        self.code.setPlaceholderText("Short code in capitals, for example ANP")
        self.title = QLineEdit()
        self.title.setAccessibleName("Role title")
        self.title.setMaxLength(120)
        self.clinical = QCheckBox("Clinical role")
        self.arrs = QCheckBox("Reimbursed under ARRS (counted in assurance and retention)")
        self.required = QCheckBox("Professional registration required")
        self.registers = QListWidget()
        self.registers.setAccessibleName("Registers this role may be on")
        self.registers.setMaximumHeight(150)
        for register in builtin_catalogue().registers:
            item = QListWidgetItem(f"{register.name} ({register.code})")
            item.setData(Qt.ItemDataRole.UserRole, register.code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.registers.addItem(item)
        self.band = QLineEdit()
        self.band.setAccessibleName("Typical Agenda for Change band")
        self.band.setMaxLength(20)
        self.requirements = QPlainTextEdit()
        self.requirements.setAccessibleName("Minimum requirements")
        self.requirements.setMaximumHeight(110)
        self.active = QCheckBox("In use (untick to retire: existing records keep it, new staff cannot be given it)")
        form = QFormLayout()
        form.addRow("&Code", self.code)
        form.addRow("&Title", self.title)
        form.addRow("", self.clinical)
        form.addRow("", self.arrs)
        form.addRow("", self.required)
        form.addRow("&Registers", self.registers)
        form.addRow("Typical &band", self.band)
        form.addRow("Minimum re&quirements", self.requirements)
        form.addRow("", self.active)
        summary = QLabel()
        summary.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.errors = FieldErrors(self, {"code": self.code, "title": self.title, "registers": self.registers,
                                         "typical_band": self.band, "requirements": self.requirements}, summary)
        if role:
            self.code.setText(role.code)
            self.code.setEnabled(False)
            self.title.setText(role.title)
            self.clinical.setChecked(role.clinical)
            self.arrs.setChecked(role.arrs)
            self.required.setChecked(role.registration_required)
            for i in range(self.registers.count()):
                item = self.registers.item(i)
                if item.data(Qt.ItemDataRole.UserRole) in role.registers:
                    item.setCheckState(Qt.CheckState.Checked)
            self.band.setText(role.typical_band)
            self.requirements.setPlainText(role.requirements)
            self.active.setChecked(role.active)
        else:
            self.clinical.setChecked(True)
            self.arrs.setChecked(True)
            self.active.setChecked(True)
        self.resize(620, self.sizeHint().height())

    def save(self) -> None:
        registers = [self.registers.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.registers.count())
                     if self.registers.item(i).checkState() == Qt.CheckState.Checked]
        values = dict(code=self.code.text(), title=self.title.text(), clinical=self.clinical.isChecked(),
                      arrs=self.arrs.isChecked(), registers=registers, registration_required=self.required.isChecked(),
                      typical_band=self.band.text(), requirements=self.requirements.toPlainText(),
                      active=self.active.isChecked(), expected_version=self._role.version if self._role else None)
        Operation(self, lambda ws: ws.roles.save(self._actor, **values)).changes(changes.ROLES).fields(self.errors) \
            .success(lambda _saved: self.accept()).run()


class RolesPage(Page):
    title = "Roles"
    shows = frozenset({changes.ROLES, changes.STAFF})  # with how many staff hold each

    def __init__(self, parent=None):
        super().__init__(parent)
        intro = QLabel("The roles staff can hold. Built-in roles come from ARRS Desk's catalogue; rename them to "
                       "match your PCN's job titles, retire ones you do not use, or add local roles. Staff records "
                       "keep their role when it is renamed or retired.")
        intro.setWordWrap(True)
        self.model = RolesModel(self)
        self.table = QTableView()
        self.table.setAccessibleName("Roles")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.activated.connect(self.edit)
        self.add_button = QPushButton("Add a local role…")
        self.add_button.setAccessibleName("Add a local role")
        self.add_button.clicked.connect(self.add)
        self.edit_button = QPushButton("Edit…")
        self.edit_button.setAccessibleName("Edit the selected role")
        self.edit_button.clicked.connect(lambda: self.edit(self.table.currentIndex()))
        top = QHBoxLayout()
        top.addWidget(self.heading(self.title), 1)
        top.addWidget(self.add_button)
        top.addWidget(self.edit_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)

    def refresh(self) -> None:
        if self.workspace is None:
            return
        found = Operation(self, lambda ws: ws.roles.list(self.actor))
        if not found.run():
            return
        self.model.set_rows(found.result)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)

    def add(self) -> None:
        RoleDialog(self.workspace, self.actor, parent=self).exec()  # the list follows (changes.ROLES)

    def edit(self, index=None) -> None:
        index = index if index is not None and index.isValid() else self.table.currentIndex()
        role = self.model.index(index.row(), 0).data(ROW_ROLE) if index.isValid() else None
        if role is None:  # Edit… pressed with no row chosen: say so, rather than nothing happening
            show_status(self, "Choose the role in the list first.")
            return
        RoleDialog(self.workspace, self.actor, role, parent=self).exec()
