"""User accounts, for administrators: who can sign in, as what, linked to which staff record."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QHeaderView,
    QLabel, QLineEdit, QPushButton, QTableView, QVBoxLayout,
)

from arrs_desk.services.accounts import MAX_PASSWORD_LENGTH
from arrs_desk.domain.permissions import AccessRole
from arrs_desk.ui.common.icons import glyph_icon
from arrs_desk.ui.common import changes
from arrs_desk.ui.common.confirm import confirmed
from arrs_desk.ui.common.operation import Operation
from arrs_desk.ui.common.error_display import show_status
from arrs_desk.ui.common.form_errors import shown_in
from arrs_desk.ui.common.page import Page
from arrs_desk.ui.common.secret_field import passphrase_field
from arrs_desk.ui.common.table_model import ROW_ROLE, RowTableModel
from arrs_desk.clock import in_uk

USERNAME, NAME, ROLES, STAFF, STATE, TWO_STEP, LAST = range(7)
HEADERS = ("Username", "Name", "Roles", "Staff record", "State", "Two-step", "Last signed in")


class UsersModel(RowTableModel):
    HEADERS = HEADERS

    def cell(self, row, column: int) -> str:
        return [row.username, row.display_name, row.roles_text, row.staff_name or "Not linked", self.state(row),
                "On" if row.two_step else "Off", in_uk(row.last_login_at).strftime("%d/%m/%Y %H:%M") if row.last_login_at else "Never"][column]

    def decoration(self, row, column: int):
        if column != STATE:
            return None
        if not row.active:
            return glyph_icon("×", "neutral")
        if row.locked or row.staff_left:
            return glyph_icon("!", "bad")
        return glyph_icon("✓", "good")

    @staticmethod
    def state(row) -> str:
        if not row.active:
            return "Deactivated"
        if row.staff_left:
            return "Has left: no longer signs in (turn it off)"
        if row.locked:
            return "Locked (wrong passwords)"
        if row.must_change_password:
            return "Active, must change password"
        return "Active"


class UserDialog(QDialog):
    """Create an account (with a temporary password) or change one's name, roles and link."""

    def __init__(self, workspace, actor, user=None, parent=None):
        super().__init__(parent)
        self._workspace, self._actor, self._user = workspace, actor, user
        self.setWindowTitle(f"Account: {user.username}" if user else "New account")
        self.username = QLineEdit()
        self.username.setAccessibleName("Username")
        self.username.setPlaceholderText("for example j.smith")
        self.display_name = QLineEdit()
        self.display_name.setAccessibleName("Display name")
        self.password = passphrase_field("Temporary password", max_length=MAX_PASSWORD_LENGTH)
        self.staff = QComboBox()
        self.staff.setAccessibleName("Linked staff record")
        self.staff.addItem("Not linked to a staff record", None)
        for choice in workspace.staff.form_choices(actor).managers:
            self.staff.addItem(f"{choice.label} – {choice.hint}", choice.value)
        if user is not None and user.staff_id is not None and self.staff.findData(user.staff_id) < 0:
            # Leavers are not offered for a new link, but an account linked to one keeps its link:
            # without it here, editing the account's roles or name unlinked it from the record.
            self.staff.addItem(f"{user.staff_name or 'Staff record'} – has left", user.staff_id)
        self.role_boxes = {}
        roles_row = QVBoxLayout()
        for role in AccessRole:
            box = QCheckBox(role.label)
            box.setAccessibleName(f"Role: {role.label}")
            self.role_boxes[role.value] = box
            roles_row.addWidget(box)
        self.active = QCheckBox("Account is active (untick to stop this person signing in)")
        self.active.setChecked(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()
        form = QFormLayout()
        form.addRow("&Username", self.username)
        form.addRow("&Display name", self.display_name)
        if user is None:
            form.addRow("&Temporary password", self.password)
        form.addRow("&Staff record", self.staff)
        form.addRow("Roles", roles_row)
        if user is not None:
            form.addRow("", self.active)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        if user:
            self.username.setText(user.username)
            self.username.setEnabled(False)
            self.display_name.setText(user.display_name)
            self.staff.setCurrentIndex(max(self.staff.findData(user.staff_id), 0))
            for role in user.roles:
                self.role_boxes[role].setChecked(True)
            self.active.setChecked(user.active)
        else:
            self.role_boxes[AccessRole.STAFF.value].setChecked(True)
        self.resize(520, self.sizeHint().height())

    def save(self) -> None:
        roles = [value for value, box in self.role_boxes.items() if box.isChecked()]
        actor, user, name, staff_id = self._actor, self._user, self.display_name.text(), self.staff.currentData()
        if user is None:
            username, password = self.username.text(), self.password.text()
            operation = Operation(self, lambda ws: ws.accounts.create_user(
                actor, username=username, display_name=name, password=password, roles=roles, staff_id=staff_id))
        else:
            active = self.active.isChecked()
            operation = Operation(self, lambda ws: ws.accounts.update_user(
                actor, user_id=user.id, display_name=name, roles=roles, staff_id=staff_id, active=active,
                expected_version=user.version))
        operation.changes(changes.ACCOUNTS).fields(shown_in(self.message)).success(lambda _saved: self.accept()).run()


class ResetPasswordDialog(QDialog):
    def __init__(self, workspace, actor, user, parent=None):
        super().__init__(parent)
        self._workspace, self._actor, self._user = workspace, actor, user
        self.setWindowTitle(f"Reset password: {user.username}")
        intro = QLabel(f"Set a temporary password for {user.display_name}. Tell them in person; they must change it "
                       "when they next sign in. This also clears any lock-out.")
        intro.setWordWrap(True)
        self.password = passphrase_field("Temporary password", max_length=MAX_PASSWORD_LENGTH)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("&Temporary password", self.password)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def save(self) -> None:
        password = self.password.text()
        Operation(self, lambda ws: ws.accounts.reset_password(self._actor, user_id=self._user.id, new_password=password)) \
            .changes(changes.ACCOUNTS).fields(shown_in(self.message)).success(lambda _saved: self.accept()).run()


class UsersPage(Page):
    title = "User accounts"
    shows = frozenset({changes.ACCOUNTS, changes.STAFF})  # with the staff record each is linked to

    def __init__(self, parent=None):
        super().__init__(parent)
        intro = QLabel("Each person signs in with their own account, so every tick, sign-off and change is bound to "
                       "them. Roles decide what they can do: staff members see and tick their own records; line "
                       "managers look after their team; supervisors and appraisers see the people they work with.")
        intro.setWordWrap(True)
        self.model = UsersModel(self)
        self.table = QTableView()
        self.table.setAccessibleName("User accounts")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.activated.connect(self.edit)
        self.new_button = QPushButton("New account…")
        self.new_button.clicked.connect(self.add)
        self.edit_button = QPushButton("Edit…")
        self.edit_button.clicked.connect(lambda: self.edit(self.table.currentIndex()))
        self.reset_button = QPushButton("Reset password…")
        self.reset_button.clicked.connect(self.reset)
        self.two_step_button = QPushButton("Turn off two-step…")
        self.two_step_button.setToolTip("For someone who lost the phone their authenticator app was on; they are "
                                        "told at their next sign-in")
        self.two_step_button.clicked.connect(self.turn_off_two_step)
        top = QHBoxLayout()
        top.addWidget(self.heading(self.title), 1)
        for button in (self.new_button, self.edit_button, self.reset_button, self.two_step_button):
            button.setAccessibleName(button.text().rstrip("…"))
            top.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)

    def refresh(self) -> None:
        if self.workspace is None:
            return
        found = Operation(self, lambda ws: ws.accounts.list_users(self.actor))
        if not found.run():
            return
        self.model.set_rows(found.result)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(ROLES, QHeaderView.ResizeMode.Stretch)

    def _selected(self, index=None):
        index = index if index is not None and index.isValid() else self.table.currentIndex()
        return self.model.index(index.row(), 0).data(ROW_ROLE) if index.isValid() else None

    def add(self) -> None:
        UserDialog(self.workspace, self.actor, parent=self).exec()  # the list follows (changes.ACCOUNTS)

    def edit(self, index=None) -> None:
        user = self._selected(index)
        if user is None:  # Edit… pressed with no row chosen: say so, rather than nothing happening
            show_status(self, "Choose the account in the list first.")
            return
        UserDialog(self.workspace, self.actor, user, parent=self).exec()

    def reset(self) -> None:
        user = self._selected()
        if user is None:
            show_status(self, "Choose the account in the list first.")
            return
        ResetPasswordDialog(self.workspace, self.actor, user, parent=self).exec()

    def turn_off_two_step(self) -> None:
        """Someone lost their phone: their account goes back to the password alone, and they are told."""
        user = self._selected()
        if user is None:
            show_status(self, "Choose the account in the list first.")
            return
        if user.id == self.actor.user_id:  # one's own: with the password, as from the File menu
            self.window().two_step()
            return
        if not user.two_step:  # said before asking "are you sure?", not after
            show_status(self, f"{user.display_name} does not use two-step sign-in: there is nothing to turn off.")
            return
        if not confirmed(
                self, "Turn off two-step sign-in",
                f"Turn off two-step sign-in for {user.display_name}? They then sign in with their password alone "
                "until they set it up again, and are told at their next sign-in that you did this."):
            return
        actor = self.actor
        Operation(self, lambda ws: ws.two_step.turn_off(actor, user_id=user.id)).changes(changes.ACCOUNTS) \
            .success(lambda _done: show_status(self, f"Two-step sign-in turned off for {user.display_name}.")).run()
