"""Encryption at rest on screen: the passphrase asked for when an encrypted database opens, the
administrator's dialog that turns encryption on or off or changes the passphrase, and the part
of set-up and Settings that offers them. The work is `services.encryption`'s; these only ask.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton,
    QVBoxLayout, QWidget,
)

from arrs_desk.errors import ArrsDeskError
from arrs_desk.ui.common.changes import SETTINGS
from arrs_desk.ui.common.error_display import show_error
from arrs_desk.ui.common.operation import Operation
from arrs_desk.ui.common.secret_field import passphrase_field

LOST_PASSPHRASE = ("Nobody can open the records without the passphrase: not ARRS Desk, not its makers. Write it "
                   "down and keep it somewhere safe and separate from this PC (the practice safe, say).")
REMEMBER_TEXT = "&Remember it on this PC (staff here are not asked for it at each start)"
REMEMBER_HINT = ("Kept in this PC's credential store (Windows Credential Manager), for this database only. "
                 "Anyone who can sign in to this PC's account can then open the database.")


def _message_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


class PassphrasePrompt(QDialog):
    """Asked before an encrypted database opens; `key` holds the key once accepted. `restoring`: the
    damaged database whose encrypted backup `target` is, asked for to restore it."""

    def __init__(self, target: str, parent: QWidget | None = None, *, restoring: str = ""):
        super().__init__(parent)
        from arrs_desk.services.encryption_keys import can_remember

        self._target = target
        self.key = None
        self.setWindowTitle("Restore from an encrypted backup" if restoring else "Open an encrypted database")
        heading = QLabel("Its backups are encrypted" if restoring else "This database is encrypted")
        font = heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        heading.setFont(font)
        where = QLabel(f"{restoring} cannot be opened. Enter its passphrase to check its backups and restore one "
                       f"(the newest encrypted backup is {target})." if restoring
                       else f"Enter the passphrase for {target} to open it.")
        where.setWordWrap(True)
        where.setTextFormat(Qt.TextFormat.PlainText)
        self.passphrase = passphrase_field("Passphrase")
        self.remember = QCheckBox(REMEMBER_TEXT)
        self.remember.setToolTip(REMEMBER_HINT)
        self.remember.setVisible(can_remember())
        form = QFormLayout()
        form.addRow("&Passphrase", self.passphrase)
        form.addRow("", self.remember)
        self.message = _message_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Continue" if restoring else "&Open")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("&Cancel" if restoring else "&Quit")
        buttons.accepted.connect(self.try_open)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(where)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 70)

    def try_open(self) -> None:
        from arrs_desk.services.encryption_keys import remember, unlock

        passphrase, target = self.passphrase.text(), self._target
        if not passphrase:
            self._say("Enter the passphrase.")
            return
        opening = Operation(self, lambda _none: unlock(target, passphrase), workspace=None) \
            .failure(lambda error: self._say(error.message if isinstance(error, ArrsDeskError) else str(error)))
        if not opening.run():
            self.passphrase.selectAll()
            self.passphrase.setFocus()
            return
        self.key = opening.result
        if self.remember.isVisible() and self.remember.isChecked():
            remember(self.key)
        self.accept()

    def _say(self, text: str) -> None:
        self.message.setText("⚠ " + text)
        self.message.show()


class EncryptionDialog(QDialog):
    """Turn encryption on, change the passphrase, or turn it off (administrators)."""

    TURN_ON, CHANGE, TURN_OFF = "on", "change", "off"
    _TITLES = {TURN_ON: "Encrypt the database", CHANGE: "Change the encryption passphrase",
               TURN_OFF: "Turn off encryption"}
    _INTROS = {
        TURN_ON: ("The database file and every backup of it will be encrypted: a copied file (a lost laptop, a "
                  "shared drive, a memory stick) cannot be read without the passphrase. A backup is made first. "
                  "Everyone else using this database must close ARRS Desk while it is converted."),
        CHANGE: ("The database and its backups will be encrypted again with the new passphrase; the old one will "
                 "no longer open them. Everyone else must close ARRS Desk while it is converted."),
        TURN_OFF: ("The database and its backups will be stored as plain SQLite files again, readable by anyone "
                   "who can copy them. Only do this if the computer's disk is encrypted in some other way."),
    }

    def __init__(self, workspace, actor, mode: str, parent: QWidget | None = None):
        super().__init__(parent)
        from arrs_desk.services.encryption_keys import can_remember

        self.workspace, self.actor, self.mode = workspace, actor, mode
        self.outcome = None
        self.setWindowTitle(self._TITLES[mode])
        intro = QLabel(self._INTROS[mode])
        intro.setWordWrap(True)
        form = QFormLayout()
        self.current = passphrase_field("Current passphrase")
        self.passphrase = passphrase_field("New passphrase")
        self.confirm = passphrase_field("New passphrase again")
        self.remember = QCheckBox(REMEMBER_TEXT)
        self.remember.setToolTip(REMEMBER_HINT)
        if mode in (self.CHANGE, self.TURN_OFF):
            form.addRow("&Current passphrase", self.current)
        if mode in (self.TURN_ON, self.CHANGE):
            form.addRow("&New passphrase", self.passphrase)
            form.addRow("New passphrase &again", self.confirm)
            hint = QLabel("At least 10 characters; a few ordinary words strung together are strong and easy to type.")
            hint.setWordWrap(True)
            form.addRow("", hint)
            if can_remember():
                form.addRow("", self.remember)
        warning = QLabel(LOST_PASSPHRASE if mode != self.TURN_OFF else "")
        warning.setWordWrap(True)
        warning.setVisible(mode != self.TURN_OFF)
        self.message = _message_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.go_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.go_button.setText({self.TURN_ON: "&Encrypt", self.CHANGE: "C&hange", self.TURN_OFF: "&Turn off"}[mode])
        buttons.accepted.connect(self.go)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(warning)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 72)

    def go(self) -> None:
        actor, mode = self.actor, self.mode
        current, new, again = self.current.text(), self.passphrase.text(), self.confirm.text()
        keep = self.remember.isChecked()

        def convert(ws):
            if mode == self.TURN_ON:
                return ws.encryption.turn_on(actor, passphrase=new, confirm=again, remember_here=keep)
            if mode == self.CHANGE:
                return ws.encryption.change_passphrase(actor, current=current, passphrase=new, confirm=again,
                                                       remember_here=keep)
            return ws.encryption.turn_off(actor, current=current)

        def done(result) -> None:
            self.outcome = result
            self.accept()

        self.go_button.setEnabled(False)
        Operation(self, convert, workspace=self.workspace).changes(SETTINGS) \
            .fields(lambda error: self._say(error.message)) \
            .failure(self._failed).success(done) \
            .progress_dialog("Converting the database and its backups…").run_in_background()

    def _failed(self, error: Exception) -> None:
        self.go_button.setEnabled(True)
        if isinstance(error, ArrsDeskError):
            self._say(error.message)
        else:
            show_error(self, error)

    def _say(self, text: str) -> None:
        self.go_button.setEnabled(True)
        self.message.setText("⚠ " + text)
        self.message.show()


class EncryptionGroup(QGroupBox):
    """Settings' part for encryption: what holds now, and the buttons that change it."""

    def __init__(self, workspace, actor, parent: QWidget | None = None):
        super().__init__("Encryption of this database", parent)
        self.workspace, self.actor = workspace, actor
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        self.turn_on = QPushButton("&Encrypt…")
        self.change = QPushButton("Change &passphrase…")
        self.turn_off = QPushButton("Turn o&ff…")
        self.remembered = QCheckBox("Re&member the key on this PC")
        self.remembered.setToolTip(REMEMBER_HINT)
        self.turn_on.clicked.connect(lambda: self._open(EncryptionDialog.TURN_ON))
        self.change.clicked.connect(lambda: self._open(EncryptionDialog.CHANGE))
        self.turn_off.clicked.connect(lambda: self._open(EncryptionDialog.TURN_OFF))
        self.remembered.toggled.connect(self._remember)
        buttons = QHBoxLayout()
        buttons.addWidget(self.remembered)
        buttons.addStretch(1)
        for button in (self.turn_on, self.change, self.turn_off):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.state)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        status = self.workspace.encryption.status()
        if not status.possible:
            self.state.setText("A PostgreSQL database is encrypted by its server: ask whoever runs it to encrypt its "
                               "disks and to require TLS connections (ARRS Desk refuses an unencrypted connection to "
                               "another computer unless told otherwise).")
        elif status.encrypted:
            self.state.setText("Encrypted (SQLCipher, AES-256). The database and the backups ARRS Desk makes cannot be "
                               "read without the passphrase."
                               + (" This PC remembers the key." if status.remembered else
                                  " Everyone is asked for the passphrase when ARRS Desk starts."))
        else:
            self.state.setText("Not encrypted: anyone who copies the file (a lost laptop, a shared drive) can read "
                               "it. Encrypting it is recommended wherever the disk itself is not encrypted.")
        self.turn_on.setVisible(status.possible and not status.encrypted)
        self.change.setVisible(status.encrypted)
        self.turn_off.setVisible(status.encrypted)
        self.remembered.blockSignals(True)
        self.remembered.setChecked(status.remembered)
        self.remembered.blockSignals(False)
        self.remembered.setVisible(status.encrypted and status.can_remember)

    def _open(self, mode: str) -> None:
        dialog = EncryptionDialog(self.workspace, self.actor, mode, self.window())
        if dialog.exec() and dialog.outcome is not None:
            window = self.window().parent() or self.window()
            bar = getattr(window, "statusBar", None)
            if callable(bar):
                bar().showMessage(dialog.outcome.summary, 15000)
        self.refresh()

    def _remember(self, on: bool) -> None:
        actor = self.actor
        Operation(self, lambda ws: ws.encryption.remember_here(actor) if on else ws.encryption.forget_here(actor),
                  workspace=self.workspace).run()
        self.refresh()
