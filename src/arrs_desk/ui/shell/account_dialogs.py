"""Signing in, first-run set-up, and changing a password."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup, QCheckBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton,
    QRadioButton, QStackedWidget, QVBoxLayout, QWidget,
)

from arrs_desk.errors import ArrsDeskError, ValidationError
from arrs_desk.services.accounts import MAX_PASSWORD_LENGTH, PASSWORD_ADVICE
from arrs_desk.ui.common.changes import ACCOUNTS
from arrs_desk.ui.common.enabled import set_enabled_with_reason
from arrs_desk.ui.common.error_display import show_error
from arrs_desk.ui.common.operation import Operation
from arrs_desk.ui.common.secret_field import passphrase_field
from arrs_desk.ui.generated.ui_login_dialog import Ui_LoginDialog


def _bigger_bold(label: QLabel, factor: float = 1.4) -> None:
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * factor)
    font.setBold(True)
    label.setFont(font)


class LoginDialog(QDialog):
    """Asks for a username and password; once accepted, `actor` holds who signed in and `signed_in`
    what the window asks next (`AccountService.sign_in_at_window`)."""

    def __init__(self, workspace, *, locked_by: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.ui = Ui_LoginDialog()
        self.ui.setupUi(self)
        self._workspace = workspace
        self.actor = None
        self.signed_in = None
        _bigger_bold(self.ui.heading)
        pcn = workspace.organisations.pcn_name()
        where = f"{pcn}\n{workspace.location}" if pcn else workspace.location
        if locked_by:
            self.setWindowTitle("ARRS Desk is locked")
            self.ui.heading.setText("Locked")
            self.ui.context.setText(f"ARRS Desk was locked after a period without use ({locked_by} was signed in). "
                                    f"Sign in to carry on, or sign in as someone else.\n\n{where}")
        else:
            self.ui.context.setText(where)
        self.ui.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Sign in")
        self.ui.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Quit" if not locked_by else "Exit ARRS Desk")
        self.ui.buttons.accepted.connect(self.try_sign_in)
        self.ui.buttons.rejected.connect(self.reject)
        self.ui.message.hide()
        # The second step: shown only once the password was right for an account that uses it.
        self.code = QLineEdit()
        self.code.setAccessibleName("Code from your authenticator app")
        self.code.setPlaceholderText("six digits from your authenticator app")
        self.code.setMaxLength(9)
        self.code_label = QLabel("&Code")
        self.code_label.setBuddy(self.code)
        self.ui.form.addRow(self.code_label, self.code)
        self.code.hide()
        self.code_label.hide()
        self.ui.username.textEdited.connect(self._forget_code)
        self.ui.username.setMinimumWidth(300)
        self.ui.outer.setSizeConstraint(self.ui.outer.SizeConstraint.SetFixedSize)
        self.ui.username.setFocus()

    def try_sign_in(self) -> None:
        username, password = self.ui.username.text(), self.ui.password.text()
        code = self.code.text() if self.code.isVisibleTo(self) else None
        Operation(self, lambda ws: ws.accounts.sign_in_at_window(username=username, password=password, code=code)) \
            .failure(self._refused).success(self._signed_in).run()

    def _forget_code(self) -> None:
        """Another name typed: the code was for the one before."""
        self.code.clear()
        self.code.hide()
        self.code_label.hide()

    def _signed_in(self, signed_in) -> None:
        self.signed_in, self.actor = signed_in, signed_in.actor
        self.accept()

    def _refused(self, error: Exception) -> None:
        """Wrong password, locked out, account closed: said here, and the password typed again."""
        if not isinstance(error, ArrsDeskError):
            show_error(self, error)
            return
        from arrs_desk.services.accounts import SecondStepNeeded

        self.ui.message.setText("⚠ " + error.message)
        self.ui.message.show()
        if isinstance(error, SecondStepNeeded) or self.code.isVisibleTo(self):
            self.code.show()  # the password was right: keep it, and ask for (or again for) the code
            self.code_label.show()
            self.code.clear()
            self.code.setFocus()
            if not isinstance(error, SecondStepNeeded) and "code" not in error.message:
                self._forget_code()  # locked out, or the password changed meanwhile: start again
                self.ui.password.clear()
                self.ui.password.setFocus()
            return
        self.ui.password.clear()
        self.ui.password.setFocus()


class ChangePasswordDialog(QDialog):
    def __init__(self, workspace, actor, *, forced: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self._workspace, self._actor = workspace, actor
        self.setWindowTitle("Change your password")
        # The rules up front: a forced change said only "choose your own", and the length and name rules
        # came out one refusal at a time.
        intro = QLabel(("Your administrator set a temporary password. Choose your own before you carry on. "
                        if forced else "") + PASSWORD_ADVICE)
        intro.setWordWrap(True)
        self.current = passphrase_field("Current password", max_length=MAX_PASSWORD_LENGTH)
        self.new = passphrase_field("New password", max_length=MAX_PASSWORD_LENGTH)
        self.repeat = passphrase_field("New password again", max_length=MAX_PASSWORD_LENGTH)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()
        form = QFormLayout()
        form.addRow("&Current password", self.current)
        form.addRow("&New password", self.new)
        form.addRow("New password &again", self.repeat)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(460, self.sizeHint().height())

    def save(self) -> None:
        if self.new.text() != self.repeat.text():
            self._show("The two new passwords are different; type the same one twice.")
            return
        current, new = self.current.text(), self.new.text()
        Operation(self, lambda ws: ws.accounts.change_own_password(self._actor, current=current, new=new)) \
            .changes(ACCOUNTS).fields(lambda error: self._show(error.message)).success(lambda _done: self.accept()).run()

    def _show(self, text: str) -> None:
        self.message.setText("⚠ " + text)
        self.message.show()


class FirstRunDialog(QDialog):
    """The first time a database is opened: an administrator, single-user mode, the demo, or a full
    export from another installation (accounts come with it, so the person then signs in)."""

    ADMIN, SINGLE, DEMO, IMPORT = range(4)

    def __init__(self, workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self._workspace = workspace
        self.actor = None
        self.chosen = None
        self.setWindowTitle("Set up ARRS Desk")
        heading = QLabel("Welcome to ARRS Desk")
        _bigger_bold(heading, 1.6)
        intro = QLabel("This database is new. Choose how it will be used; you can add people's accounts later.")
        intro.setWordWrap(True)

        self.choice = QButtonGroup(self)
        options = QVBoxLayout()
        texts = [
            ("Set up for my PCN, with an account for each person (recommended on shared PCs)",
             "Create the administrator account now. Sign-offs are bound to the person who signs in."),
            ("Use it on my own (single-user mode)",
             "No passwords: for one person on their own computer. Everything is recorded under your name."),
            ("Explore a demonstration PCN",
             "Fills this database with a fictional PCN and sample accounts, to try ARRS Desk safely."),
            ("Load a full export from another ARRS Desk",
             "Moving to a new PC or server: brings back everything saved with File > Export all data, "
             "accounts included. You then sign in as before."),
        ]
        for index, (title, detail) in enumerate(texts):
            radio = QRadioButton(title)
            radio.setAccessibleName(title)
            radio.setAccessibleDescription(detail)
            note = QLabel(detail)
            note.setWordWrap(True)
            note.setIndent(24)
            self.choice.addButton(radio, index)
            options.addWidget(radio)
            options.addWidget(note)
        self.choice.button(self.ADMIN).setChecked(True)

        self.username = QLineEdit()
        self.username.setAccessibleName("Administrator username")
        self.username.setPlaceholderText("for example j.smith")
        self.display_name = QLineEdit()
        self.display_name.setAccessibleName("Your full name")
        self.password = passphrase_field("Password", max_length=MAX_PASSWORD_LENGTH)
        self.repeat = passphrase_field("Password again", max_length=MAX_PASSWORD_LENGTH)
        admin_form = QFormLayout()
        admin_form.addRow("&Username", self.username)
        admin_form.addRow("Your &name", self.display_name)
        admin_form.addRow("&Password", self.password)
        admin_form.addRow("Password &again", self.repeat)
        hint = QLabel("At least 10 characters. Three random words make a strong password that is easy to type.")
        hint.setWordWrap(True)
        admin_form.addRow("", hint)
        admin_page = QWidget()
        admin_page.setLayout(admin_form)
        self.single_name = QLineEdit()
        self.single_name.setAccessibleName("Your full name")
        single_form = QFormLayout()
        single_form.addRow("Your &full name", self.single_name)
        single_page = QWidget()
        single_page.setLayout(single_form)
        demo_page = QLabel("Sample accounts share the password shown after the data is created.")
        demo_page.setWordWrap(True)
        self.import_path = QLineEdit()
        self.import_path.setAccessibleName("Export file to load")
        self.import_path.setPlaceholderText("the .zip file made by Export all data")
        browse = QPushButton("&Choose file…")
        browse.clicked.connect(self._choose_export)
        import_row = QHBoxLayout()
        import_row.addWidget(self.import_path, 1)
        import_row.addWidget(browse)
        # Shown only when the file is not known to be unchanged (made on another PC, say): the
        # person loading it says why, and the reason is kept in the audit trail.
        self.import_reason = QLineEdit()
        self.import_reason.setAccessibleName("Reason for loading it anyway")
        self.import_reason.setPlaceholderText("e.g. I exported it from our old server on 3 December")
        self.import_reason_label = QLabel("&Reason for loading it anyway")
        self.import_reason_label.setBuddy(self.import_reason)
        reason_row = QHBoxLayout()
        reason_row.addWidget(self.import_reason_label)
        reason_row.addWidget(self.import_reason, 1)
        self.import_reason.hide()
        self.import_reason_label.hide()
        # Shown only for an encrypted export (every export now): the passphrase it was sealed with,
        # which for an encrypted database is that database's own.
        self.import_passphrase = passphrase_field("Passphrase of the export")
        self.import_passphrase_label = QLabel("Pa&ssphrase of the export")
        self.import_passphrase_label.setBuddy(self.import_passphrase)
        passphrase_row = QHBoxLayout()
        passphrase_row.addWidget(self.import_passphrase_label)
        passphrase_row.addWidget(self.import_passphrase, 1)
        self.import_path.textChanged.connect(self._show_passphrase)
        self._show_passphrase()
        import_column = QVBoxLayout()
        import_column.setContentsMargins(0, 0, 0, 0)
        import_column.addLayout(import_row)
        import_column.addLayout(passphrase_row)
        import_column.addLayout(reason_row)
        import_column.addStretch(1)  # rows at the top, however tall the tallest page makes the stack
        import_page = QWidget()
        import_page.setLayout(import_column)
        self.details = QStackedWidget()
        for page in (admin_page, single_page, demo_page, import_page):
            self.details.addWidget(page)
        self.choice.idToggled.connect(self._chose)

        self.encryption = self._encryption_choice(workspace)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.continue_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.continue_button.setText("Continue")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Quit")
        buttons.accepted.connect(self.go)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addLayout(options)
        layout.addWidget(self.details)
        if self.encryption is not None:
            layout.addWidget(self.encryption)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(600, self.sizeHint().height())

    def _chose(self, index: int, on: bool) -> None:
        """Another way to set up: its own fields, and no message left from the way chosen before."""
        if on:
            self.details.setCurrentIndex(index)
            self.message.hide()
            self.message.clear()

    def _encryption_choice(self, workspace) -> QWidget | None:
        """The set-up choice of encryption at rest, for a database file (a server encrypts its own)."""
        if not workspace.encryption.status().possible:
            return None
        from arrs_desk.ui.shell.encryption_dialogs import LOST_PASSPHRASE, REMEMBER_HINT, REMEMBER_TEXT

        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        self.encrypt = QCheckBox("&Encrypt the database with a passphrase (recommended on laptops and shared drives)")
        self.encrypt.setAccessibleDescription("A copied file cannot be read without the passphrase.")
        column.addWidget(self.encrypt)
        details = QWidget()
        form = QFormLayout(details)
        self.encrypt_passphrase = passphrase_field("Encryption passphrase")
        self.encrypt_confirm = passphrase_field("Encryption passphrase again")
        self.encrypt_remember = QCheckBox(REMEMBER_TEXT.replace("&R", "R"))
        self.encrypt_remember.setToolTip(REMEMBER_HINT)
        from arrs_desk.services.encryption_keys import can_remember

        self.encrypt_remember.setVisible(can_remember())
        form.addRow("Pa&ssphrase", self.encrypt_passphrase)
        form.addRow("Passphrase a&gain", self.encrypt_confirm)
        form.addRow("", self.encrypt_remember)
        warning = QLabel(LOST_PASSPHRASE)
        warning.setWordWrap(True)
        form.addRow("", warning)
        details.setVisible(False)
        self.encrypt.toggled.connect(details.setVisible)
        column.addWidget(details)
        return box

    def _encrypting(self) -> tuple[str, str, bool] | None:
        if self.encryption is None or not self.encrypt.isChecked():
            return None
        return self.encrypt_passphrase.text(), self.encrypt_confirm.text(), self.encrypt_remember.isChecked()

    def go(self) -> None:
        """Set up as chosen: accounts at once; a full export or the demo in the background."""
        choice = self.choice.checkedId()
        encrypting = self._encrypting()
        if encrypting is not None:
            from arrs_desk.services.encryption_keys import check_new_passphrase

            try:
                check_new_passphrase(encrypting[0], encrypting[1])
            except ValidationError as error:
                self._refused(error)
                self.encrypt_passphrase.setFocus()
                return
        if self.chosen is not None:  # set up already; only the encryption was left to do (or retry)
            self._encrypt(*encrypting) if encrypting is not None else self.accept()
            return
        if choice == self.ADMIN:
            if self.password.text() != self.repeat.text():
                self._refused(ValidationError.single("password", "The two passwords are different; type the same "
                                                                 "one twice."))
                return
            username, name, password = self.username.text(), self.display_name.text(), self.password.text()
            self._set_up(choice, Operation(self, lambda ws: ws.accounts.create_first_administrator(
                username=username, display_name=name, password=password)))
        elif choice == self.SINGLE:
            name = self.single_name.text()
            self._set_up(choice, Operation(self, lambda ws: ws.accounts.choose_single_user(display_name=name)))
        elif choice == self.IMPORT:
            path = self.import_path.text().strip()
            if not path:
                self._refused(ValidationError.single("file", "Choose the export file to load."))
                return
            reason = self.import_reason.text().strip() if self.import_reason.isVisibleTo(self) else None
            if reason == "":
                self._refused(ValidationError.single("override_reason", (
                    "Say why you are loading it anyway, for example where the file came from.")))
                self.import_reason.setFocus()
                return
            passphrase = self.import_passphrase.text() if self.import_passphrase.isVisibleTo(self) else None
            self._set_up(choice, Operation(self, lambda ws: ws.data_export.import_all(
                path=path, override_reason=reason, passphrase=passphrase))
                         .progress_dialog("Loading the export…", show_after_ms=300), background=True)
        else:
            from arrs_desk.demo.pcn import DEMO_PASSWORD, build_demo

            self.demo_password = DEMO_PASSWORD
            self._set_up(choice, Operation(self, lambda ws: build_demo(ws, with_accounts=True))
                         .progress_dialog("Creating a fictional PCN…"), background=True)

    def _set_up(self, choice: int, operation: Operation, *, background: bool = False) -> None:
        def done(result) -> None:
            if choice == self.IMPORT:
                self.imported = result
            elif choice in (self.ADMIN, self.SINGLE):
                self.actor = result
            self.chosen = choice
            encrypting = self._encrypting()
            if encrypting is None:
                self.accept()
            else:
                self._encrypt(*encrypting)

        def failed(error: Exception) -> None:
            set_enabled_with_reason(self.continue_button, True, "")
            self._refused(error)

        operation.failure(failed).success(done)
        if background:
            set_enabled_with_reason(self.continue_button, False, "Setting up ARRS Desk as you chose; wait for it to "
                                    "finish.")
            operation.run_in_background()
        else:
            operation.run()

    def _encrypt(self, passphrase: str, confirm: str, remember_here: bool) -> None:
        """Set up is done; the (still small) database is now encrypted before anyone uses it."""
        from arrs_desk.services.actor import SYSTEM

        actor = self.actor or SYSTEM

        def failed(error: Exception) -> None:
            set_enabled_with_reason(self.continue_button, True, "")
            self.encrypt.setChecked(False)  # set-up itself is done: Continue now goes on unencrypted
            self._refused(error)

        set_enabled_with_reason(self.continue_button, False, "Encrypting the database; wait for it to finish.")
        Operation(self, lambda ws: ws.encryption.turn_on(actor, passphrase=passphrase, confirm=confirm,
                                                         remember_here=remember_here)) \
            .progress_dialog("Encrypting the database…").failure(failed) \
            .success(lambda _result: self.accept()).run_in_background()

    def _refused(self, error: Exception) -> None:
        if not isinstance(error, ArrsDeskError):
            show_error(self, error)
            return
        text = error.message
        if isinstance(error, ValidationError) and "signature" in error.errors:
            # The file is not known to be unchanged: most often, it was made on the old PC, whose
            # signing key this new database has never seen. The person loading it may say so.
            said = error.errors["signature"].split(" Nothing was imported.")[0]
            text = (f"{said} If you made this file yourself on your old PC or server, or it came from someone you "
                    "trust, give the reason above and press Continue; the reason is kept in the audit trail.")
            self.import_reason.show()
            self.import_reason_label.show()
            self.import_reason.setFocus()
        if isinstance(error, ValidationError) and "passphrase" in error.errors and self.import_passphrase.isVisible():
            self.import_passphrase.selectAll()
            self.import_passphrase.setFocus()
        self.message.setText("⚠ " + text)
        self.message.show()
        # Grow to fit the message rather than squeeze the option notes above it.
        self.resize(self.width(), max(self.height(), self.layout().totalHeightForWidth(self.width())))

    def _show_passphrase(self) -> None:
        """The passphrase row, for an encrypted export (and only then: an older, plain one loads without)."""
        from arrs_desk.services.export_archive import is_encrypted_export

        path = self.import_path.text().strip()
        wanted = bool(path) and is_encrypted_export(path)
        self.import_passphrase.setVisible(wanted)
        self.import_passphrase_label.setVisible(wanted)

    def _choose_export(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Load a full export", "", "ARRS Desk exports (*.zip);;All files (*)")
        if path:
            self.import_path.setText(path)
