"""File > Settings…: this PC's appearance for everyone, and for administrators the PCN's shared
settings (PCN name, the 'due soon' warning, the idle lock), where this PC keeps the backups, and
whether the database is encrypted (`encryption_dialogs`; its changes are made at once, not on OK).

Appearance is a per-user, per-PC preference (ui.ini) and takes effect when ARRS Desk next
starts; the PCN settings are records in the database, saved through their services (checked,
audited) when OK is pressed, and only those that changed. The backup folder is kept on this PC
for this database file, outside the database, so a damaged database's copies can still be found.
"""

from __future__ import annotations

from PySide6.QtCore import QDir, Qt
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
    QPushButton, QSpinBox, QVBoxLayout,
)

from arrs_desk.ui.common.changes import ORGANISATIONS, SETTINGS, SUPERVISION
from arrs_desk.ui.common.operation import Operation
from arrs_desk.ui.common.theme import TEXT_SCALES, THEMES


class SettingsDialog(QDialog):
    def __init__(self, workspace, actor, settings, parent=None):
        super().__init__(parent)
        self.workspace, self.actor, self.settings = workspace, actor, settings
        self.setWindowTitle("Settings")
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 75)  # room for a long PCN name at any text size
        layout = QVBoxLayout(self)

        appearance = QGroupBox("Appearance on this PC")
        form = QFormLayout(appearance)
        self.theme = QComboBox()
        for value, label in THEMES.items():
            self.theme.addItem(label, value)
        self.theme.setCurrentIndex(max(0, self.theme.findData(str(settings.value("appearance/theme", "system")))))
        self.text_size = QComboBox()
        for scale in TEXT_SCALES:
            self.text_size.addItem(f"{scale}%", scale)
        saved_scale = int(settings.value("appearance/text_scale", 100) or 100)
        self.text_size.setCurrentIndex(max(0, self.text_size.findData(saved_scale)))
        form.addRow("&Colours:", self.theme)
        form.addRow("&Text size:", self.text_size)
        note = QLabel("Takes effect the next time ARRS Desk starts. \"Follow Windows\" uses Windows' own "
                      "contrast theme and text size.")
        note.setWordWrap(True)
        form.addRow(note)
        layout.addWidget(appearance)

        self.pcn_group = QGroupBox("The PCN (shared by everyone using this database)")
        pcn = QFormLayout(self.pcn_group)
        self.pcn_name = QLineEdit()
        self.due_soon = QSpinBox()
        self.due_soon.setRange(0, 180)
        self.due_soon.setSuffix(" days before")
        self.idle_lock = QSpinBox()
        self.idle_lock.setRange(0, 240)
        self.idle_lock.setSuffix(" minutes")
        self.idle_lock.setSpecialValueText("Never")
        pcn.addRow("PCN &name:", self.pcn_name)
        pcn.addRow("Show '&due soon':", self.due_soon)
        pcn.addRow("&Lock after no use for:", self.idle_lock)
        layout.addWidget(self.pcn_group)
        self._load_pcn()

        self.backup_group = QGroupBox("Backups on this PC")
        self._build_backup_group()
        layout.addWidget(self.backup_group)
        self._load_backups()
        self.encryption_group = None
        if self._backups_allowed:  # administrators, as for the backups
            from arrs_desk.ui.shell.encryption_dialogs import EncryptionGroup

            self.encryption_group = EncryptionGroup(workspace, actor, self)
            layout.addWidget(self.encryption_group)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _load_pcn(self) -> None:
        from arrs_desk.domain.permissions import Action, denial

        admin = self.workspace is not None and denial(self.actor.roles, Action.MANAGE_SETTINGS) is None
        self.pcn_group.setVisible(admin)
        if not admin:
            return
        orgs = Operation(self, lambda ws: ws.organisations.list(self.actor))
        self._pcn = next((o for o in orgs.result if o.kind == "pcn"), None) if orgs.run() else None
        self.pcn_name.setText(self._pcn.name if self._pcn else "")
        self.pcn_name.setEnabled(self._pcn is not None)
        if self._pcn is None:
            self.pcn_name.setPlaceholderText("Add the PCN under Practices and employers first")
        due = Operation(self, lambda ws: ws.supervision.due_soon_setting(self.actor))
        self._due = due.result if due.run() else None
        if self._due is not None:
            self.due_soon.setValue(self._due.days)
        self._idle, self._idle_version = self.workspace.accounts.idle_lock_setting()
        self.idle_lock.setValue(self._idle)

    def _build_backup_group(self) -> None:
        self._backups_allowed, self._backup_initial = False, ""
        self._default_text = self._last_text = ("", "")  # (words, path): only the path is shortened to fit
        box = QVBoxLayout(self.backup_group)
        self.backup_folder = QLineEdit()
        self.backup_folder.setAccessibleName("Backup folder")
        self.backup_folder.setPlaceholderText("The default folder, beside the database")
        self.backup_folder.textChanged.connect(lambda text: self.backup_folder.setToolTip(text))
        label = QLabel("Backup &folder:")
        label.setBuddy(self.backup_folder)
        self.choose_backup_folder = QPushButton("C&hoose…")
        self.choose_backup_folder.setAccessibleName("Choose the backup folder")
        self.choose_backup_folder.setToolTip("A folder on this PC or a mapped drive or share, e.g. the practice's "
                                             "backed-up shared drive")
        self.choose_backup_folder.clicked.connect(self._choose_backup_folder)
        self.default_backup_folder = QPushButton("&Use default")
        self.default_backup_folder.setAccessibleName("Use the default backup folder")
        self.default_backup_folder.clicked.connect(self.backup_folder.clear)
        row = QHBoxLayout()  # the path gets the whole width; the buttons go below it
        row.addWidget(label)
        row.addWidget(self.backup_folder, 1)
        box.addLayout(row)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.choose_backup_folder)
        buttons.addWidget(self.default_backup_folder)
        box.addLayout(buttons)
        self.backup_default_note = QLabel()
        self.backup_last_note = QLabel()
        self.backup_advice = QLabel()
        self.backup_advice.setWordWrap(True)
        for note in (self.backup_default_note, self.backup_last_note, self.backup_advice):
            note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            note.setTextFormat(Qt.TextFormat.PlainText)
            box.addWidget(note)
        self.backup_default_note.setMinimumWidth(1)  # long paths are elided to fit, not widening the dialog
        self.backup_last_note.setMinimumWidth(1)

    def _load_backups(self) -> None:
        """Only those who may make backups may say where they go (the rule File > Back up now follows)."""
        from arrs_desk.domain.permissions import Action, denial

        backups = self.workspace.backups if self.workspace is not None else None
        allowed = backups is not None and denial(self.actor.roles, Action.MANAGE_SETTINGS) is None
        self.backup_group.setVisible(allowed)
        self._backups_allowed = allowed
        if not allowed:
            return
        available = backups.available
        for widget in (self.backup_folder, self.choose_backup_folder, self.default_backup_folder):
            widget.setEnabled(available)
        self.backup_advice.setText(backups.advice())
        self.backup_advice.setVisible(not available)
        self.backup_default_note.setVisible(available)
        self.backup_last_note.setVisible(available)
        if not available:
            return
        chosen = backups.chosen_folder()
        self._backup_initial = QDir.toNativeSeparators(str(chosen)) if chosen else ""
        self.backup_folder.setText(self._backup_initial)
        self._default_text = ("Default: ", QDir.toNativeSeparators(str(backups.default_folder())))
        listed = Operation(self, lambda ws: ws.backups.list(self.actor))
        found = listed.result if listed.run() else None
        if not found:
            self._last_text = ("Last backup: none yet", "")
        else:
            newest = found[0]
            self._last_text = (f"Last backup: {newest.when_text}, {newest.kind_label.lower()}, in ",
                               QDir.toNativeSeparators(str(newest.path.parent)))
        self._show_backup_notes()

    def _show_backup_notes(self) -> None:
        """Long paths keep their start and end (drive and last folders) and lose the middle."""
        width = max(self.backup_group.contentsRect().width() - 24, self.fontMetrics().averageCharWidth() * 40)
        for note, (words, path) in ((self.backup_default_note, self._default_text),
                                    (self.backup_last_note, self._last_text)):
            metrics = note.fontMetrics()
            room = max(width - metrics.horizontalAdvance(words), metrics.averageCharWidth() * 12)
            shown = metrics.elidedText(path, Qt.TextElideMode.ElideMiddle, room)
            note.setText(words + shown)
            note.setToolTip(words + path if shown != path else "")

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._show_backup_notes()

    def _choose_backup_folder(self) -> None:
        start = self.backup_folder.text().strip() or str(self.workspace.backups.folder() or "")
        folder = QFileDialog.getExistingDirectory(self, "Choose the backup folder", start)
        if folder:
            self.backup_folder.setText(QDir.toNativeSeparators(folder))

    def _save_backup_folder(self) -> bool:
        text = self.backup_folder.text().strip()
        if text == self._backup_initial:
            return True
        if not Operation(self, lambda ws: ws.backups.set_folder(self.actor, folder=text)).changes(SETTINGS).run():
            self.backup_folder.setFocus()
            self.backup_folder.selectAll()
            return False
        self._backup_initial = text
        return True

    def accept(self) -> None:
        if self._backups_allowed and self.backup_folder.isEnabled() and not self._save_backup_folder():
            return
        if self.pcn_group.isVisible() and not self._save_pcn():
            return
        self.settings.setValue("appearance/theme", self.theme.currentData())
        self.settings.setValue("appearance/text_scale", self.text_size.currentData())
        self.settings.sync()
        super().accept()

    def _save_pcn(self) -> bool:
        actor, pcn, due = self.actor, self._pcn, self._due
        name, days, minutes = self.pcn_name.text().strip(), self.due_soon.value(), self.idle_lock.value()
        if pcn is not None and name != pcn.name:
            if not Operation(self, lambda ws: ws.organisations.update(
                    actor, org_id=pcn.id, name=name, ods_code=pcn.ods_code, active=pcn.active,
                    expected_version=pcn.version)).changes(ORGANISATIONS).run():
                return False
        if due is not None and days != due.days:
            if not Operation(self, lambda ws: ws.supervision.set_due_soon_days(
                    actor, days=days, expected_version=due.version)).changes(SETTINGS, SUPERVISION).run():
                return False
        if minutes != self._idle:
            if not Operation(self, lambda ws: ws.accounts.set_idle_lock_minutes(
                    actor, minutes=minutes, expected_version=self._idle_version)) \
                    .changes(SETTINGS).run():
                return False
        return True
