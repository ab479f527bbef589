"""Notices about an account, shown once right after its holder signs in.

An administrator who reset this person's password, or unlinked their account from their staff
record, left a notice (taken with the sign-in, `AccountService.sign_in_at_window`): the person
should know, because it is how someone else could have signed in as them.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

TITLE = "Changes to your account"


def notices_text(notices: list[str]) -> str:
    lead = "While you were away, an administrator changed your account:" if len(notices) > 1 else \
        "While you were away, an administrator changed your account."
    return lead + "\n\n" + "\n\n".join(f"• {text}" for text in notices)


def show_account_notices(parent: QWidget, notices: tuple[str, ...]) -> None:
    """The account's notices taken at sign-in, in one message, if there are any."""
    if notices:
        QMessageBox.warning(parent, TITLE, notices_text(list(notices)))
