"""The PCN, its member practices and other employers: the places staff work for and in."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout,
    QHeaderView, QLabel, QLineEdit, QPushButton, QTableView, QVBoxLayout,
)

from arrs_desk.domain.staff import OrganisationKind
from arrs_desk.errors import ValidationError
from arrs_desk.ui.operations import Failed, run_service
from arrs_desk.ui.page import Page

ORG_ROLE = Qt.ItemDataRole.UserRole + 1


class OrganisationDialog(QDialog):
    def __init__(self, workspace, actor, organisation=None, parent=None):
        super().__init__(parent)
        self._workspace, self._actor, self._org = workspace, actor, organisation
        self.setWindowTitle("Edit organisation" if organisation else "Add an organisation")
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind of organisation")
        for kind in (OrganisationKind.PRACTICE, OrganisationKind.PCN, OrganisationKind.OTHER):
            self.kind.addItem(kind.label, kind.value)
        self.name = QLineEdit()
        self.name.setAccessibleName("Organisation name")
        self.name.setMaxLength(200)
        self.ods_code = QLineEdit()
        self.ods_code.setAccessibleName("ODS code")
        self.ods_code.setPlaceholderText("e.g. B86001 for a practice, U12345 for a PCN")
        self.active = QCheckBox("Active (uncheck when a practice leaves the PCN)")
        self.active.setChecked(True)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.hide()
        form = QFormLayout()
        form.addRow("&Kind", self.kind)
        form.addRow("&Name", self.name)
        form.addRow("&ODS code", self.ods_code)
        form.addRow("", self.active)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        if organisation:
            self.kind.setCurrentIndex(self.kind.findData(organisation.kind))
            self.kind.setEnabled(False)
            self.name.setText(organisation.name)
            self.ods_code.setText(organisation.ods_code)
            self.active.setChecked(organisation.active)
        else:
            self.active.hide()
        self.resize(520, self.sizeHint().height())

    def save(self) -> None:
        service = self._workspace.organisations
        if self._org is None:
            result = run_service(self, service.create, self._actor, kind=self.kind.currentData(),
                                 name=self.name.text(), ods_code=self.ods_code.text(), show_validation=False)
        else:
            result = run_service(self, service.update, self._actor, self._org.id, name=self.name.text(),
                                 ods_code=self.ods_code.text(), active=self.active.isChecked(),
                                 expected_version=self._org.version, show_validation=False)
        if isinstance(result, Failed):
            if isinstance(result.error, ValidationError):
                self.error.setText("⚠ " + result.error.message)
                self.error.show()
            return
        self.accept()


class OrganisationsPage(Page):
    title = "Practices and employers"
    HEADERS = ("Name", "Kind", "ODS code", "Staff employed", "Active")

    def __init__(self, parent=None):
        super().__init__(parent)
        heading = self.heading(self.title)
        intro = QLabel("The PCN, its member practices, and other organisations that employ staff working in "
                       "the PCN (for example a mental health trust or a GP federation).")
        intro.setWordWrap(True)
        self.add_button = QPushButton("Add organisation…")
        self.add_button.clicked.connect(self.add)
        self.model = QStandardItemModel(0, len(self.HEADERS), self)
        self.model.setHorizontalHeaderLabels(list(self.HEADERS))
        self.table = QTableView()
        self.table.setAccessibleName("Organisations")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self.edit)
        self.table.doubleClicked.connect(self.edit)
        top = QHBoxLayout()
        top.addWidget(heading, 1)
        top.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)

    def refresh(self) -> None:
        if self.workspace is None:
            return
        self.model.removeRows(0, self.model.rowCount())
        for org in self.workspace.organisations.list(self.actor):
            cells = [org.name, org.kind_label, org.ods_code, str(org.staff_count), "Yes" if org.active else "No"]
            items = [QStandardItem(text) for text in cells]
            items[0].setData(org, ORG_ROLE)
            self.model.appendRow(items)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    def add(self) -> None:
        if OrganisationDialog(self.workspace, self.actor, parent=self).exec():
            self.refresh()

    def edit(self, index) -> None:
        org = self.model.index(index.row(), 0).data(ORG_ROLE)
        if org and OrganisationDialog(self.workspace, self.actor, org, parent=self).exec():
            self.refresh()
