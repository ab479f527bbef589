"""Backing up and restoring from the window: File > Back up now…, File > Restore from backup…, and the
offer to restore when a database will not open.

Copies and restores run in a worker while a busy indicator shows; they are not cancellable,
because a half-written copy helps nobody and the restore is one SQLite operation. After a
restore everyone signs in again, since accounts come back with the records.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QMessageBox,
    QPushButton, QTableView, QVBoxLayout, QWidget,
)

from arrs_desk.ui.common.enabled import set_enabled_with_reason
from arrs_desk.ui.common.error_display import show_error
from arrs_desk.ui.common.confirm import confirmed
from arrs_desk.ui.common.operation import FROM_PARENT, Operation
from arrs_desk.ui.common.table_model import ROW_ROLE, RowTableModel

BACKUP_FILES = "ARRS Desk backups (*.sqlite3 *.sqlite *.db);;All files (*)"


class BackupModel(RowTableModel):
    HEADERS = ("Made", "Kind", "Size", "File")

    def cell(self, row, column: int) -> str:
        return (row.when_text, row.kind_label, row.size_text, row.path.name)[column]

    def tooltip(self, row, column: int) -> str | None:
        return str(row.path)

    def sort_key(self, row, column: int):
        return (row.made_at, row.kind_label, row.size, row.path.name)[column]


class BackupListDialog(QDialog):
    """The backups of one database, newest first; `chosen` is the file to restore after accept()."""

    def __init__(self, backups, folder: Path | None, parent: QWidget | None = None, *, intro: str = ""):
        super().__init__(parent)
        self.setWindowTitle("Restore from backup")
        self.chosen: Path | None = None
        text = QLabel(intro or "Choose the copy to put back. The database as it is now is kept as a backup first, "
                               "so a restore can itself be undone.")
        text.setWordWrap(True)
        self.model = BackupModel(self)
        self.model.set_rows(backups)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Backups, newest first")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setTabKeyNavigation(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _index: self._restore_selected())
        self.empty = QLabel("There are no backups of this database in its backups folder yet.")
        self.empty.setWordWrap(True)
        self.empty.setVisible(not backups)
        self.table.setVisible(bool(backups))
        where = QLabel(f"Backups folder: {folder}" if folder else "")
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.restore_button = QPushButton("&Restore selected…")
        set_enabled_with_reason(self.restore_button, bool(backups), "There is no backup in the folder to restore; "
                                "choose a backup file kept elsewhere instead.")
        self.restore_button.clicked.connect(self._restore_selected)
        self.browse_button = QPushButton("Choose another &file…")
        self.browse_button.setToolTip("Restore from a backup kept somewhere else, e.g. a USB stick or a shared drive")
        self.browse_button.clicked.connect(self._browse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.restore_button)
        row.addWidget(self.browse_button)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(where)
        layout.addLayout(row)
        if backups:
            self.table.selectRow(0)
        self.resize(760, 420)

    def _restore_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.chosen = rows[0].data(ROW_ROLE).path
            self.accept()

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Restore from a backup file", "", BACKUP_FILES)
        if path:
            self.chosen = Path(path)
            self.accept()


class DatabaseProblemDialog(QDialog):
    """Why the database did not open, and the ways forward: the newest good backup, another backup,
    or another database. `choice` says which after exec()."""

    RESTORE_NEWEST, CHOOSE_BACKUP, OPEN_ANOTHER = "restore-newest", "choose-backup", "open-another"

    def __init__(self, message: str, newest=None, parent: QWidget | None = None, *, can_restore: bool = True):
        super().__init__(parent)
        self.setWindowTitle("Cannot open the database")
        self.choice: str | None = None
        self.newest = newest
        heading = QLabel("⚠ ARRS Desk cannot open this database.")
        font = heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        heading.setFont(font)
        self.message = QLabel(message)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if newest is not None:
            offer = (f"The newest backup that passes every check was made on {newest.when_text} "
                     f"({newest.kind_label.lower()}, {newest.size_text}). Restoring it brings back the records as they "
                     "were then; the damaged file is kept beside the backups, in case it is needed.")
        elif can_restore:
            offer = "No sound backup of this database was found in its backups folder. You can choose a backup file " \
                    "kept elsewhere, or open another database."
        else:
            offer = ""
        self.offer = QLabel(offer)
        self.offer.setWordWrap(True)
        self.restore_button = QPushButton("&Restore the newest backup")
        self.restore_button.setVisible(newest is not None)
        self.restore_button.clicked.connect(lambda: self._choose(self.RESTORE_NEWEST))
        self.choose_button = QPushButton("Choose a &backup…")
        self.choose_button.setVisible(can_restore)
        self.choose_button.clicked.connect(lambda: self._choose(self.CHOOSE_BACKUP))
        self.other_button = QPushButton("&Open another database…")
        self.other_button.clicked.connect(lambda: self._choose(self.OPEN_ANOTHER))
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        row = QHBoxLayout()
        for button in (self.restore_button, self.choose_button, self.other_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.message)
        layout.addWidget(self.offer)
        layout.addLayout(row)
        (self.restore_button if newest is not None else self.other_button).setDefault(True)
        self.setMinimumWidth(620)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()


def back_up_now(window) -> None:
    """File > Back up now…: a copy to the backups folder, or wherever the person chooses."""
    workspace, actor = window.workspace, window.actor
    if workspace is None:
        return
    if not workspace.backups.available:
        QMessageBox.information(window, "Back up now", workspace.backups.advice())
        return
    suggested = workspace.backups.suggested_file()
    suggested.parent.mkdir(parents=True, exist_ok=True)
    # Not "replace it?": a copy never replaces a file that is there (BackupService.back_up says why).
    path, _ = QFileDialog.getSaveFileName(window, "Back up the database to…", str(suggested), BACKUP_FILES,
                                          options=QFileDialog.Option.DontConfirmOverwrite)
    if not path:
        return

    def done(backup) -> None:
        window.statusBar().showMessage(f"Backed up to {backup.path} ({backup.size_text})", 10000)
        QMessageBox.information(window, "Backup made",
                                f"A checked copy of the database was saved to:\n{backup.path}\n\nSize: {backup.size_text}. "
                                "Keep a copy somewhere other than this PC too (the practice's backed-up shared drive).")

    Operation(window, lambda ws: ws.backups.back_up(actor, destination=path)).progress_dialog("Backing up…", show_after_ms=300) \
        .success(done).run_in_background()


def restore_from_backup(window) -> None:
    """File > Restore from backup…: pick a copy, confirm, restore, then everyone signs in again."""
    workspace, actor = window.workspace, window.actor
    if workspace is None:
        return
    found = Operation(window, lambda ws: ws.backups.list(actor))
    if not found.run():
        return
    dialog = BackupListDialog(found.result, workspace.backups.folder(), window)
    if not dialog.exec() or dialog.chosen is None:
        return
    chosen = dialog.chosen
    if not confirmed(
            window, "Restore from backup",
            f"Replace everything in {workspace.location} with the backup {chosen.name}?\n\n"
            "The database as it is now is kept as a backup first. Anyone else using this database will see the "
            "restored records, and everyone, you included, signs in again afterwards.", default_no=True):
        return
    target = workspace.location
    _restore(window, lambda ws: ws.backups.restore(actor, source=chosen), target)


def offer_restore(window, target: str, message: str, *, key=None) -> None:
    """The 'Cannot open the database' dialog with its ways forward; runs the one chosen. `key`: an
    encrypted database's, when it is known (opening found it, or the file was open when its damage
    was found); else, when its backups are encrypted, found as opening finds it (`_key_for_backups`)."""
    from arrs_desk.services import backups

    is_file = backups.database_file(target) is not None
    found = backups.list_backups(target) if is_file else []
    if key is None:
        key = _key_for_backups(window, target, found)
    newest = backups.newest_good_backup(target, key) if is_file else None
    dialog = DatabaseProblemDialog(message, newest, window, can_restore=is_file)
    if not dialog.exec():
        return
    if dialog.choice == DatabaseProblemDialog.OPEN_ANOTHER:
        window.choose_database()
        return
    if dialog.choice == DatabaseProblemDialog.RESTORE_NEWEST:
        chosen = newest.path
    else:
        listing = BackupListDialog(
            found, backups.backup_folder(target), window,
            intro="Choose the copy to put back. The damaged file is kept beside the backups first.")
        if not listing.exec() or listing.chosen is None:
            return
        chosen = listing.chosen
    _restore(window, lambda _none: backups.restore_database(target, chosen, key=key), target, workspace=None,
             key=key)


def _key_for_backups(window, target: str, found):
    """The key an encrypted database's backups are restored with, when opening did not find one (the
    damaged file no longer reads as encrypted): the one this PC remembers, or the passphrase asked
    for as opening asks, checked against the newest encrypted backup. None if no backup is
    encrypted or the person gives no passphrase (plain backups can still be restored)."""
    from arrs_desk.services import encryption_keys

    encrypted = [b.path for b in found if encryption_keys.needs_key(b.path)]
    if not encrypted:
        return None
    key = encryption_keys.remembered_key(encrypted[0])
    if key is not None:
        return key
    return window.ask_restore_passphrase(str(encrypted[0]), target)


def _restore(window, call, target: str, *, workspace=FROM_PARENT, key=None) -> None:
    """Restore in a worker (`call(workspace)`), then open the restored database (with `key`, the
    encrypted database's, when known) and sign in again."""

    def done(result) -> None:
        kept = f"\n\nThe database it replaced was kept as:\n{result.kept_copy}" if result.kept_copy else ""
        upgraded = "\n\nThe backup came from an older version of ARRS Desk and has been brought up to date." \
            if result.upgraded else ""
        QMessageBox.information(window, "Restored",
                                f"Restored from {result.source.name} ({result.staff_count} staff records).{kept}{upgraded}")
        window.reopen(target, key)

    def failed(exc) -> None:
        show_error(window, exc)
        if window.workspace is not None:
            window.refresh()

    Operation(window, call, workspace=workspace).progress_dialog("Restoring…", show_after_ms=300) \
        .success(done).failure(failed).run_in_background()
