"""The app's one box for typing a passphrase: hidden as typed, long enough for a sentence, named
for screen readers. Used to open an encrypted database, to choose one, and to seal an export."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit


def passphrase_field(accessible: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMaxLength(1024)
    field.setAccessibleName(accessible)
    return field
