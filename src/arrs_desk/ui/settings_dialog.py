"""File > Settings…: this PC's appearance for everyone, and the PCN's shared settings for
administrators (PCN name, the 'due soon' warning, the idle lock).

Appearance is a per-user, per-PC preference (ui.ini) and takes effect when ARRS Desk next
starts; the PCN settings are records in the database, saved through their services (checked,
audited) when OK is pressed, and only those that changed.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QLabel, QLineEdit, QSpinBox, QVBoxLayout,
)

from arrs_desk.ui.operations import Failed, run_service
from arrs_desk.ui.theme import TEXT_SCALES, THEMES


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
        orgs = run_service(self, self.workspace.organisations.list, self.actor)
        self._pcn = next((o for o in orgs if o.kind == "pcn"), None) if not isinstance(orgs, Failed) else None
        self.pcn_name.setText(self._pcn.name if self._pcn else "")
        self.pcn_name.setEnabled(self._pcn is not None)
        if self._pcn is None:
            self.pcn_name.setPlaceholderText("Add the PCN under Practices and employers first")
        self._due = run_service(self, self.workspace.supervision.due_soon_setting, self.actor)
        if not isinstance(self._due, Failed):
            self.due_soon.setValue(self._due.days)
        self._idle = self.workspace.accounts.idle_lock_minutes()
        self.idle_lock.setValue(self._idle)

    def accept(self) -> None:
        if self.pcn_group.isVisible() and not self._save_pcn():
            return
        self.settings.setValue("appearance/theme", self.theme.currentData())
        self.settings.setValue("appearance/text_scale", self.text_size.currentData())
        self.settings.sync()
        super().accept()

    def _save_pcn(self) -> bool:
        ws, actor = self.workspace, self.actor
        name = self.pcn_name.text().strip()
        if self._pcn is not None and name != self._pcn.name:
            done = run_service(self, ws.organisations.update, actor, self._pcn.id, name=name,
                               ods_code=self._pcn.ods_code, active=self._pcn.active, expected_version=self._pcn.version)
            if isinstance(done, Failed):
                return False
        if not isinstance(self._due, Failed) and self.due_soon.value() != self._due.days:
            done = run_service(self, ws.supervision.set_due_soon_days, actor, days=self.due_soon.value(),
                               expected_version=self._due.version)
            if isinstance(done, Failed):
                return False
        if self.idle_lock.value() != self._idle:
            done = run_service(self, ws.accounts.set_idle_lock_minutes, actor, self.idle_lock.value())
            if isinstance(done, Failed):
                return False
        return True
