"""Two-step sign-in in the window: set up by QR code, the code asked for at sign-in, an administrator
turning it off for someone who lost their phone, and an administrator required to set it up."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDialog

from arrs_desk.demo.pcn import DEMO_PASSWORD
from tests.support.qt import answer_confirmations
from tests.ui.test_accounts_ui import sign_in_with

pytestmark = pytest.mark.sqlite_only("about the window; the service is tested on both backends")


def _zoe(demo_workspace):
    return demo_workspace.accounts.sign_in(username="zoe.okubo", password=DEMO_PASSWORD)


def _turn_on(workspace, actor, clock) -> str:  # noqa: ANN001
    setup = workspace.two_step.new_setup(actor)
    workspace.two_step.turn_on(actor, secret=setup.secret, code=pyotp.TOTP(setup.secret).at(clock.now()))
    clock.advance(timedelta(seconds=30))
    return setup.secret


def test_the_qr_code_drawn_is_the_code_segno_makes(qapp):
    import segno

    from arrs_desk.ui.shell.two_step_dialog import QUIET_MODULES, qr_pixmap

    text = "otpauth://totp/ARRS%20Desk:zoe.okubo?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=ARRS%20Desk"
    matrix = segno.make(text, error="m", micro=False).matrix
    image = qr_pixmap(text, 220).toImage()
    modules = len(matrix) + 2 * QUIET_MODULES
    scale = image.width() // modules
    assert image.width() == image.height() == modules * scale and scale >= 4  # big enough for a phone camera
    for y in range(modules):
        for x in range(modules):
            inside = QUIET_MODULES <= x < modules - QUIET_MODULES and QUIET_MODULES <= y < modules - QUIET_MODULES
            dark = inside and bool(matrix[y - QUIET_MODULES][x - QUIET_MODULES])
            colour = QColor(image.pixel(x * scale + scale // 2, y * scale + scale // 2))
            assert (colour.lightness() < 128) is dark, (x, y)


def test_setting_it_up_from_the_file_menu(qtbot, demo_workspace, clock):
    from arrs_desk.ui.shell.two_step_dialog import TwoStepDialog

    zoe = _zoe(demo_workspace)
    dialog = TwoStepDialog(demo_workspace, zoe)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.qr.pixmap().isNull() and dialog.qr.pixmap().width() >= 200
    secret = dialog.setup.secret
    assert dialog.setup.grouped_secret in " ".join(w.text() for w in dialog.findChildren(type(dialog.summary)))
    dialog.code.setText("123 456" if pyotp.TOTP(secret).at(clock.now()) != "123456" else "654321")
    dialog.turn_on()
    assert dialog.isVisible() and dialog.errors.labels["code"].isVisible()
    assert not demo_workspace.two_step.status(zoe).enabled
    dialog.code.setText(pyotp.TOTP(secret).at(clock.now()))
    dialog.turn_on()
    assert dialog.result() == QDialog.DialogCode.Accepted and demo_workspace.two_step.status(zoe).enabled

    again = TwoStepDialog(demo_workspace, zoe)  # on: it says so and offers to turn it off with the password
    qtbot.addWidget(again)
    again.show()
    assert "Two-step sign-in is on (since" in again.summary.text() and again.off_button.isEnabled()
    again.password.setText("not it")
    again.turn_off()
    assert again.isVisible() and "password is not right" in again.problems.text()
    again.password.setText(DEMO_PASSWORD)
    again.turn_off()
    assert again.result() == QDialog.DialogCode.Accepted and not demo_workspace.two_step.status(zoe).enabled


def test_signing_in_asks_for_the_code_once_the_password_is_right(qtbot, demo_workspace, clock):
    from arrs_desk.ui.shell.account_dialogs import LoginDialog

    secret = _turn_on(demo_workspace, _zoe(demo_workspace), clock)
    dialog = LoginDialog(demo_workspace)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.code.isVisible()
    sign_in_with(dialog, "zoe.okubo", DEMO_PASSWORD)
    assert dialog.isVisible() and dialog.code.isVisible() and dialog.focusWidget() is dialog.code
    assert "six-digit code" in dialog.ui.message.text() and dialog.ui.password.text() == DEMO_PASSWORD
    dialog.code.setText("000000" if pyotp.TOTP(secret).at(clock.now()) != "000000" else "111111")
    dialog.try_sign_in()
    assert dialog.isVisible() and "code is not right" in dialog.ui.message.text() and dialog.code.text() == ""
    dialog.code.setText(pyotp.TOTP(secret).at(clock.now()))
    dialog.try_sign_in()
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.actor.username == "zoe.okubo"


def test_an_administrator_turns_it_off_for_someone_who_lost_their_phone(main_window, qtbot, demo_workspace, clock,
                                                                          monkeypatch):
    zoe = _zoe(demo_workspace)
    _turn_on(demo_workspace, zoe, clock)
    main_window.show_page("User accounts")
    page = main_window.page("User accounts")
    qtbot.waitUntil(lambda: page.model.rowCount() > 0)
    row = next(r for r in range(page.model.rowCount()) if page.model.rows()[r].username == "zoe.okubo")
    page.table.selectRow(row)
    questions = answer_confirmations(monkeypatch)
    page.two_step_button.click()
    assert [title for title, _text in questions] == ["Turn off two-step sign-in"]
    assert not demo_workspace.two_step.status(zoe).enabled
    assert "Two-step sign-in turned off for Zoë Ōkubo" in main_window.statusBar().currentMessage()


def test_the_accounts_list_says_who_uses_it_and_turning_it_off_for_someone_without_it_asks_nothing(
        main_window, qtbot, demo_workspace, clock, monkeypatch):
    """The page never showed who uses two-step sign-in, and "Turn off two-step…" for someone without
    it asked "are you sure?" first and only then said there was nothing to turn off."""
    from arrs_desk.ui.admin.users_page import TWO_STEP

    zoe = _zoe(demo_workspace)
    _turn_on(demo_workspace, zoe, clock)
    main_window.show_page("User accounts")
    page = main_window.page("User accounts")
    qtbot.waitUntil(lambda: page.model.rowCount() > 0)
    shown = {page.model.rows()[r].username: page.model.index(r, TWO_STEP).data() for r in range(page.model.rowCount())}
    assert shown["zoe.okubo"] == "On" and shown["samuel.okonkwo"] == "Off"
    page.table.selectRow(next(r for r in range(page.model.rowCount())
                              if page.model.rows()[r].username == "samuel.okonkwo"))
    questions = answer_confirmations(monkeypatch)
    page.two_step_button.click()
    assert questions == []
    assert main_window.statusBar().currentMessage() == ("Samuel Okonkwo does not use two-step sign-in: there is "
                                                        "nothing to turn off.")


def test_an_administrator_turning_off_their_own_is_asked_for_their_password(qtbot, demo_workspace, ui_settings,
                                                                              clock, monkeypatch):
    """Not refused with "Your password is not right" for a password never asked for."""
    from arrs_desk.ui.shell.main_window import MainWindow
    from arrs_desk.ui.shell.two_step_dialog import TwoStepDialog
    from tests.ui.test_accounts_ui import when_dialog_opens

    helen = demo_workspace.accounts.sign_in(username="helen.whitfield", password=DEMO_PASSWORD)
    main_window = MainWindow(settings=ui_settings, workspace=demo_workspace, actor=helen)
    qtbot.addWidget(main_window)
    main_window.show()
    _turn_on(demo_workspace, helen, clock)
    main_window.show_page("User accounts")
    page = main_window.page("User accounts")
    qtbot.waitUntil(lambda: page.model.rowCount() > 0)
    row = next(r for r in range(page.model.rowCount()) if page.model.rows()[r].id == helen.user_id)
    page.table.selectRow(row)
    questions = answer_confirmations(monkeypatch, "No")
    asked = []

    def with_password(dialog):
        asked.append(dialog.summary.text())
        dialog.password.setText(DEMO_PASSWORD)
        dialog.turn_off()

    when_dialog_opens(TwoStepDialog, with_password)
    page.two_step_button.click()
    assert asked and asked[0].startswith("Two-step sign-in is on")
    assert questions == [], "asked as for someone else"
    assert not demo_workspace.two_step.status(helen).enabled


def test_an_administrator_required_to_use_it_is_asked_to_set_it_up_before_anything_else(
        qtbot, demo_workspace, ui_settings, monkeypatch):
    from arrs_desk.ui.shell.account_dialogs import LoginDialog
    from arrs_desk.ui.shell.main_window import MainWindow
    from arrs_desk.ui.shell.two_step_dialog import TwoStepDialog
    from tests.ui.test_accounts_ui import when_dialog_opens

    monkeypatch.setattr("arrs_desk.services.two_step.required", lambda actor, db: True)  # as on PostgreSQL
    window = MainWindow(settings=ui_settings)
    qtbot.addWidget(window)
    window.show()
    seen = []

    def refuse(dialog):
        seen.append(dialog.summary.text())
        dialog.reject()

    when_dialog_opens(LoginDialog, lambda d: sign_in_with(d, "helen.whitfield", DEMO_PASSWORD))
    when_dialog_opens(TwoStepDialog, refuse)
    window._opened(demo_workspace)
    assert seen and seen[0].startswith("Administrators of this shared database sign in with a code")
    assert window.actor is None  # not set up: signed out again


def test_every_password_box_is_the_one_secret_field_holding_the_longest_password_kept(qtbot, demo_workspace, clock,
                                                                                     system_actor):
    """The sign-in, first-run and change-password dialogs had their own copy of the passphrase box
    (256 characters), and the two-step and users-page password boxes took any length: now each is
    `secret_field.passphrase_field`, hidden, named, and holding what `password_problem` allows."""
    from PySide6.QtWidgets import QLineEdit

    from arrs_desk.services.accounts import MAX_PASSWORD_LENGTH
    from arrs_desk.ui.admin.users_page import ResetPasswordDialog, UserDialog
    from arrs_desk.ui.shell.account_dialogs import ChangePasswordDialog, FirstRunDialog, LoginDialog
    from arrs_desk.ui.shell.two_step_dialog import TwoStepDialog

    zoe = _zoe(demo_workspace)
    _turn_on(demo_workspace, zoe, clock)
    dialogs = [LoginDialog(demo_workspace), ChangePasswordDialog(demo_workspace, zoe), FirstRunDialog(demo_workspace),
               TwoStepDialog(demo_workspace, zoe), UserDialog(demo_workspace, system_actor),
               ResetPasswordDialog(demo_workspace, system_actor, zoe)]
    boxes = {}
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        for box in dialog.findChildren(QLineEdit):
            if box.echoMode() is QLineEdit.EchoMode.Password:
                boxes[f"{type(dialog).__name__}: {box.accessibleName() or box.objectName()}"] = box.maxLength()
    passwords = {name: length for name, length in boxes.items() if "assphrase" not in name}
    assert {"TwoStepDialog: Your password", "UserDialog: Temporary password", "ResetPasswordDialog: Temporary password",
            "ChangePasswordDialog: New password"} <= passwords.keys()
    assert set(passwords.values()) == {MAX_PASSWORD_LENGTH}, passwords
    assert {length for name, length in boxes.items() if "assphrase" in name} == {1024}
