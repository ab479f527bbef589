"""File > Two-step sign-in…: set up an authenticator app by its QR code, or turn it off.

The QR code is drawn here from the set-up's otpauth address (segno makes the code's modules; Qt
paints them), large enough for a phone camera at arm's length and with the quiet border readers
need. The secret is also shown in groups of four for apps that are typed into. Nothing is kept
until the person types a code their app made from it (`TwoStepService.turn_on`).
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget,
)

from arrs_desk.services.accounts import MAX_PASSWORD_LENGTH
from arrs_desk.domain.dates import format_uk
from arrs_desk.ui.common.changes import ACCOUNTS
from arrs_desk.ui.common.form_errors import FieldErrors
from arrs_desk.ui.common.operation import Operation
from arrs_desk.ui.common.secret_field import passphrase_field

QUIET_MODULES = 4
"""The white border a QR reader needs, in modules."""


def qr_pixmap(text: str, size: int) -> QPixmap:
    """A QR code of `text`, dark on white, `size` pixels square (rounded down to whole modules)."""
    import segno

    matrix = [list(row) for row in segno.make(text, error="m", micro=False).matrix]
    modules = len(matrix) + 2 * QUIET_MODULES
    scale = max(1, size // modules)
    image = QImage(modules * scale, modules * scale, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("black"))
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                painter.drawRect(QRectF((x + QUIET_MODULES) * scale, (y + QUIET_MODULES) * scale, scale, scale))
    painter.end()
    return QPixmap.fromImage(image)


class TwoStepDialog(QDialog):
    """Set up (QR code, secret, code) when it is off; say since when, and offer to turn it off, when on."""

    def __init__(self, workspace, actor, *, forced: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self._workspace, self._actor = workspace, actor
        self.setWindowTitle("Two-step sign-in")
        self.status = workspace.two_step.status(actor)
        self.setup = None
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.buttons = QDialogButtonBox()
        if self.status.enabled:
            self._build_on(layout)
        else:
            self._build_setup(layout, forced)
        layout.addWidget(self.buttons)

    # --- when it is off: set up ---------------------------------------------------------------
    def _build_setup(self, layout: QVBoxLayout, forced: bool) -> None:
        self.setup = self._workspace.two_step.new_setup(self._actor)
        self.summary.setText(
            ("Administrators of this shared database sign in with a code from an authenticator app as well as "
             "their password. Set it up now to carry on.\n\n" if forced else
             "After your password, ARRS Desk will ask for the six-digit code your phone shows, so a password "
             "seen or guessed is not enough to sign in as you.\n\n")
            + "1. Open an authenticator app on your phone (Microsoft Authenticator, Google Authenticator or any "
              "other) and add an account by scanning this code.")
        self.qr = QLabel()
        picture = qr_pixmap(self.setup.uri, 250)
        self.qr.setPixmap(picture)
        self.qr.setFixedSize(picture.size())  # never squeezed: a clipped code does not scan
        self.qr.setAccessibleName("QR code to scan with your authenticator app")
        layout.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignHCenter)
        typed = QLabel(f"Or type this key into the app: <b>{self.setup.grouped_secret}</b> (time-based).")
        typed.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        typed.setAccessibleName("Key to type into the app")
        typed.setWordWrap(True)
        layout.addWidget(typed)
        layout.addWidget(QLabel("2. Type the code the app now shows for ARRS Desk:"))
        self.code = QLineEdit()
        self.code.setAccessibleName("Code from your authenticator app")
        self.code.setPlaceholderText("six digits")
        self.code.setMaxLength(9)
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        form = QFormLayout()
        form.addRow("&Code", self.code)
        layout.addWidget(self.problems)
        layout.addLayout(form)
        self.errors = FieldErrors(self, {"code": self.code}, self.problems)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Ok).setText("Turn &on")
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel).setText(
            "Sign &out" if forced else "Cancel")
        self.buttons.accepted.connect(self.turn_on)
        self.buttons.rejected.connect(self.reject)
        self.code.setFocus()

    def turn_on(self) -> None:
        actor, secret, code = self._actor, self.setup.secret, self.code.text()
        Operation(self, lambda ws: ws.two_step.turn_on(actor, secret=secret, code=code)) \
            .changes(ACCOUNTS).fields(self.errors).success(lambda _status: self.accept()).run()

    # --- when it is on: say so, and offer to turn it off ------------------------------------------
    def _build_on(self, layout: QVBoxLayout) -> None:
        since = format_uk(self.status.enabled_at.date()) if self.status.enabled_at else ""
        self.summary.setText(
            f"Two-step sign-in is on (since {since}): after your password, ARRS Desk asks for the code your "
            "authenticator app shows.\n\nNew phone? Turn it off here with your password, then set it up again. "
            "Lost your phone? Ask an administrator to turn it off for you."
            + ("\n\nAs an administrator of this shared database you must keep it on; set it up again to move it "
               "to a new phone." if self.status.required else ""))
        self.password = passphrase_field("Your password", max_length=MAX_PASSWORD_LENGTH)
        self.problems = QLabel()  # a plain line, as the change-password dialog has: not a field message
        self.problems.setWordWrap(True)  # (which sets the accessible description, kept off password fields)
        self.problems.hide()
        form = QFormLayout()
        form.addRow("Your &password", self.password)
        layout.addLayout(form)
        layout.addWidget(self.problems)
        self.off_button = QPushButton("Turn &off", self)  # owned by the dialog (its button box takes it)
        self.off_button.clicked.connect(self.turn_off)
        self.buttons.addButton(self.off_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        if self.status.required:
            self.password.setEnabled(False)
            from arrs_desk.ui.common.enabled import set_enabled_with_reason

            set_enabled_with_reason(self.off_button, False, "Administrators of a shared database must keep it on.")

    def turn_off(self) -> None:
        actor, password = self._actor, self.password.text()
        Operation(self, lambda ws: ws.two_step.turn_off(actor, user_id=actor.user_id, password=password)) \
            .changes(ACCOUNTS).fields(self._refused).success(lambda _done: self.accept()).run()

    def _refused(self, error) -> None:
        self.problems.setText("⚠ " + error.message)
        self.problems.show()
        self.password.clear()
        self.password.setFocus()
