"""Parts of the CPD and evidence dialogs: the files on an entry, and the picker that fills a CPD
entry from one of the person's own records (a supervision session, a training record...).

Every write goes through `Operation`; the files box hands the person's record as it reads after
the change to `on_record`, so the dialog and the page show the new list at once.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
    QPushButton, QSizePolicy, QVBoxLayout, QWidget,
)

from arrs_desk.domain.dates import format_uk
from arrs_desk.services.evidence import FILE_DIALOG_FILTER
from arrs_desk.ui.common.changes import STAFF
from arrs_desk.ui.common.enabled import set_enabled_with_reason
from arrs_desk.ui.common.list_page import list_table
from arrs_desk.ui.common.open_file import open_file
from arrs_desk.ui.common.confirm import confirmed
from arrs_desk.ui.common.operation import Operation

FILE_ID = Qt.ItemDataRole.UserRole + 3


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:,.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


class FilesBox(QWidget):
    """The files on one entry (`kind` "cpd" or "evidence"), with Attach, Open and Remove."""

    def __init__(self, parent, *, kind: str, on_record):
        super().__init__(parent)
        self.owner = parent
        self.kind = kind
        self.entry = None
        self.on_record = on_record
        self.list = QListWidget()
        self.list.setAccessibleName("Files on this entry")
        self.list.setMaximumHeight(64)
        self.list.itemActivated.connect(lambda _item: self.open_chosen())
        self.attach = QPushButton("&Attach file…")
        self.open = QPushButton("Op&en")
        self.remove = QPushButton("Remo&ve file")
        for button, action in ((self.attach, self.attach_file), (self.open, self.open_chosen),
                               (self.remove, self.remove_chosen)):
            button.setAutoDefault(False)  # Enter in the dialog saves; it never attaches or removes
            button.clicked.connect(action)
        buttons = QHBoxLayout()
        for button in (self.attach, self.open, self.remove):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)  # never stretched by the dialog
        self.list.currentRowChanged.connect(lambda _row: self._enable())
        self.show_entry(None)

    def show_entry(self, entry) -> None:
        """The entry as it now reads (None before it is first saved)."""
        self.entry = entry
        self.list.clear()
        for file in entry.files if entry else ():
            item = QListWidgetItem(f"{file.original_name}  ({_size(file.size)}, added by {file.added_by})")
            item.setData(FILE_ID, file.id)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        self._enable()

    def _enable(self) -> None:
        saved = self.entry is not None
        set_enabled_with_reason(self.attach, saved, "Save the entry first, then attach its certificate or reflection.")
        chosen = self.list.currentItem() is not None
        set_enabled_with_reason(self.open, chosen, "Choose a file in the list first.")
        set_enabled_with_reason(self.remove, chosen, "Choose a file in the list first.")

    def _chosen(self) -> int | None:
        item = self.list.currentItem()
        return item.data(FILE_ID) if item is not None else None

    def attach_file(self) -> None:
        if self.entry is None:
            return
        path, _ = QFileDialog.getOpenFileName(self, f"Attach a file to '{self.entry.title}'", "", FILE_DIALOG_FILTER)
        if path:
            actor, kind, entry_id = self.owner.actor, self.kind, self.entry.id
            Operation(self, lambda ws: ws.revalidation.attach_file(actor, kind=kind, entry_id=entry_id, source=path)) \
                .changes(STAFF).success(self.on_record).run()

    def open_chosen(self) -> None:
        file_id, actor = self._chosen(), self.owner.actor
        if file_id is not None:
            Operation(self, lambda ws: ws.revalidation.file_path(actor, file_id=file_id)) \
                .success(lambda path: open_file(self, path)).run()

    def remove_chosen(self) -> None:
        file_id, actor = self._chosen(), self.owner.actor
        if file_id is None:
            return
        name = self.list.currentItem().text().split("  (")[0]
        if confirmed(self, "Remove the file",
                     f"Take '{name}' off '{self.entry.title}'? The audit trail keeps a note that it was attached."):
            Operation(self, lambda ws: ws.revalidation.remove_file(actor, file_id=file_id)) \
                .changes(STAFF).success(self.on_record).run()


class SourcePicker(QDialog):
    """Choose one of the person's own records to fill a CPD entry from. Enter or a double-click
    chooses; `chosen` is the `CpdSource` afterwards."""

    def __init__(self, parent, sources):
        super().__init__(parent)
        self.setWindowTitle("Fill from a supervision session or training record")
        self.sources = list(sources)
        self.chosen = None
        model = QStandardItemModel(0, 3)
        model.setHorizontalHeaderLabels(("Date", "Kind", "Title"))
        for source in self.sources:
            kind = source.label.split(":")[0].split("  ")[-1]
            cells = [QStandardItem(format_uk(source.occurred_on)), QStandardItem(kind), QStandardItem(source.title)]
            for cell in cells:
                cell.setEditable(False)
                cell.setToolTip(source.label)
            model.appendRow(cells)
        self.table = list_table(model, "The person's records", on_open=lambda index: self._choose(index.row()))
        self.table.setColumnWidth(0, 90)
        self.table.setColumnWidth(1, 160)
        empty = QLabel("This person has no supervision sessions, training records, programmes or completed induction "
                       "items to fill an entry from.")
        empty.setWordWrap(True)
        empty.setVisible(not self.sources)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(lambda: self._choose(self.table.currentIndex().row()))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(empty)
        layout.addWidget(buttons)
        self.resize(640, 360)
        if self.sources:
            self.table.selectRow(0)
            self.table.setCurrentIndex(model.index(0, 0))
        self.table.setFocus()

    def _choose(self, row: int) -> None:
        if 0 <= row < len(self.sources):
            self.chosen = self.sources[row]
            self.accept()
