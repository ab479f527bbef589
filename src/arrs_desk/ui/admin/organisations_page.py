"""The PCN, its member practices and other employers: the places staff work for and in."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout,
    QHeaderView, QLabel, QLineEdit, QPushButton, QTableView, QVBoxLayout,
)

from arrs_desk.domain.staff import OrganisationKind
from arrs_desk.ui.common.changes import ORGANISATIONS, STAFF
from arrs_desk.ui.common.operation import Operation
from arrs_desk.ui.common.form_errors import shown_in
from arrs_desk.ui.common.page import Page

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
        actor, org, kind = self._actor, self._org, self.kind.currentData()
        name, ods_code, active = self.name.text(), self.ods_code.text(), self.active.isChecked()
        if org is None:
            operation = Operation(self, lambda ws: ws.organisations.create(actor, kind=kind, name=name,
                                                                           ods_code=ods_code))
        else:
            operation = Operation(self, lambda ws: ws.organisations.update(
                actor, org_id=org.id, name=name, ods_code=ods_code, active=active, expected_version=org.version))
        operation.changes(ORGANISATIONS).fields(shown_in(self.error)).success(lambda _saved: self.accept()).run()


class OrganisationsPage(Page):
    title = "Practices and employers"
    shows = frozenset({ORGANISATIONS, STAFF})  # with how many staff each employs
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
        found = Operation(self, lambda ws: ws.organisations.list(self.actor))
        if not found.run():
            return
        self.model.removeRows(0, self.model.rowCount())
        for org in found.result:
            cells = [org.name, org.kind_label, org.ods_code, str(org.staff_count), "Yes" if org.active else "No"]
            items = [QStandardItem(text) for text in cells]
            items[0].setData(org, ORG_ROLE)
            self.model.appendRow(items)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    def add(self) -> None:
        OrganisationDialog(self.workspace, self.actor, parent=self).exec()  # the list follows (changes.ORGANISATIONS)

    def edit(self, index) -> None:
        org = self.model.index(index.row(), 0).data(ORG_ROLE)
        if org:
            OrganisationDialog(self.workspace, self.actor, org, parent=self).exec()
