"""The app's one box for typing a secret: hidden as typed, long enough for a sentence, named for
screen readers. Used to open an encrypted database, to choose one, to seal an export, and for every
password (signing in, choosing or changing one, turning two-step sign-in off)."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit

PASSPHRASE_MAX_LENGTH = 1024


def passphrase_field(accessible: str, *, max_length: int = PASSPHRASE_MAX_LENGTH) -> QLineEdit:
    """A password box passes `domain.accounts.MAX_PASSWORD_LENGTH` (256), the longest password kept,
    so that what is typed and what is checked are the same text."""
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMaxLength(max_length)
    field.setAccessibleName(accessible)
    return field
