"""Notices about an account, shown once right after its holder signs in.

An administrator who reset this person's password, or unlinked their account from their staff
record, left a notice (`AccountService.take_notices`): the person should know, because it is how
someone else could have signed in as them.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from arrs_desk.ui.common.operation import Operation

TITLE = "Changes to your account"


def notices_text(notices: list[str]) -> str:
    lead = "While you were away, an administrator changed your account:" if len(notices) > 1 else \
        "While you were away, an administrator changed your account."
    return lead + "\n\n" + "\n\n".join(f"• {text}" for text in notices)


def show_account_notices(parent: QWidget, workspace, actor) -> None:
    """Fetch (and mark as seen) this account's notices; show them in one message if there are any."""
    fetch = Operation(parent, lambda ws: ws.accounts.take_notices(actor), workspace=workspace)
    if fetch.run() and fetch.result:
        QMessageBox.warning(parent, TITLE, notices_text(fetch.result))
