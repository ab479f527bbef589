"""Checking the audit trail's hash chain from the window.

`VerifyButton` sits on the Audit trail page and walks the whole chain in the background, then
says whether it holds or names the first entry where it breaks. `check_on_open` runs the quick
check (the latest links, the counts, the guard triggers) in the background after an
administrator signs in, and warns them only when it fails: nobody else may read the trail, so
nobody else is told about it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from arrs_desk.domain.permissions import Action, denial
from arrs_desk.ui.common.operation import Operation

FULL_CHECK_HINT = ("Open the Audit trail and press Verify for the full check; keep the database and its backups "
                   "as they are and tell whoever looks after your information governance.")


class VerifyButton(QPushButton):
    """'Verify': walk the whole chain and report what it found."""

    def __init__(self, actor_of: Callable[[], object], parent: QWidget | None = None):
        super().__init__("Verify", parent)
        self.setAccessibleName("Verify the audit trail has not been changed")
        self.setToolTip("Check every entry's hash chain and name the first entry where it breaks")
        self._actor_of = actor_of
        self.last_check = None
        self.clicked.connect(self.verify)

    def verify(self) -> Operation:
        actor = self._actor_of()
        self.setEnabled(False)
        return (Operation(self, lambda ws: ws.audit_verify.verify(actor))
                .success(self._show).failure(self._failed).run_in_background())

    def _failed(self, exc: Exception) -> None:
        from arrs_desk.ui.common.error_display import show_error

        self.setEnabled(True)
        show_error(self, exc)

    def _show(self, check) -> None:  # noqa: ANN001
        self.setEnabled(True)
        self.last_check = check
        if check.ok:
            QMessageBox.information(self, "Audit trail intact", check.message)
        else:
            QMessageBox.warning(self, "Audit trail changed", f"{check.message}\n\n{FULL_CHECK_HINT}")


def check_on_open(window: QWidget, workspace, actor, shown: Callable[[object], None] | None = None) -> Operation | None:
    """The quick check in the background, for administrators only; a warning if it fails."""
    if denial(actor.roles, Action.VIEW_AUDIT) is not None:
        return None

    def done(check) -> None:  # noqa: ANN001
        if shown is not None:
            shown(check)
        if not check.ok:
            QMessageBox.warning(window, "The audit trail may have been changed",
                                f"{check.message}\n\n{FULL_CHECK_HINT}")

    return (Operation(window, lambda ws: ws.audit_verify.quick_check(actor), workspace=workspace)
            .success(done).run_in_background())
