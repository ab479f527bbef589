import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLabel

from arrs_desk.demo.pcn import DEMO_PASSWORD
from tests.support.qt import finish_loading


def actor_for(workspace, username: str):
    from sqlalchemy import select

    from arrs_desk.services.actor import Actor
    from arrs_desk.store.models import UserAccount

    with workspace.db.read() as session:
        user = session.execute(select(UserAccount).where(UserAccount.username == username)).scalar_one()
        return Actor(user.id, user.username, user.display_name, frozenset(user.roles), user.staff_id)


def when_dialog_opens(cls, act):
    """Run `act(dialog)` on the first visible dialog of `cls` once it is shown (modal exec)."""
    def poll():
        dialog = next((w for w in QApplication.topLevelWidgets() if isinstance(w, cls) and w.isVisible()), None)
        if dialog is None:
            QTimer.singleShot(20, poll)
        else:
            act(dialog)
    QTimer.singleShot(0, poll)


def sign_in_with(dialog, username, password):
    dialog.ui.username.setText(username)
    dialog.ui.password.setText(password)
    dialog.try_sign_in()


def test_login_dialog_rejects_wrong_password_then_signs_in(qtbot, demo_workspace):
    from arrs_desk.ui.shell.account_dialogs import LoginDialog

    dialog = LoginDialog(demo_workspace)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "Riverside and Moorland PCN" in dialog.ui.context.text()
    sign_in_with(dialog, "zoe.okubo", "not the password")
    assert dialog.isVisible() and "not right" in dialog.ui.message.text()
    assert dialog.ui.password.text() == ""
    sign_in_with(dialog, "zoe.okubo", DEMO_PASSWORD)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.actor.display_name == "Zoë Ōkubo"


def _opened_as_zoe(qtbot, workspace, ui_settings):
    """A new window opening the demo database, Zoë signing in at its dialog."""
    from arrs_desk.ui.shell.account_dialogs import LoginDialog
    from arrs_desk.ui.shell.main_window import MainWindow

    window = MainWindow(settings=ui_settings)
    qtbot.addWidget(window)
    window.show()
    when_dialog_opens(LoginDialog, lambda d: sign_in_with(d, "zoe.okubo", DEMO_PASSWORD))
    window._opened(workspace)
    assert window.actor.username == "zoe.okubo"
    return window


def test_opening_a_database_asks_who_you_are_and_limits_pages(qtbot, demo_workspace, ui_settings):
    window = _opened_as_zoe(qtbot, demo_workspace, ui_settings)
    assert window.user_label.text() == "Signed in: Zoë Ōkubo"
    visible = [window.nav.item(i).text() for i in range(window.nav.count()) if not window.nav.item(i).isHidden()]
    assert "User accounts" not in visible and "Audit trail" not in visible
    rows = window.staff_page.model.rows()
    assert [r.display_name for r in rows] == ["Zoë Ōkubo"]



def test_a_starter_is_not_offered_new_staff_member(qtbot, demo_workspace, ui_settings):
    """Zoë (a staff member) was offered New staff member…, filled in the whole form, and was then
    told only administrators and line managers can add staff: it is not offered to her now."""
    window = _opened_as_zoe(qtbot, demo_workspace, ui_settings)
    page = window.staff_page
    assert not window.new_action.isVisible() and not page.new_button.isVisibleTo(page)
    page.search.setText("nobody by this name")
    page._apply_filters()
    assert "New staff member…" not in page.empty.button_texts()
    page.set_rows([])  # an account that sees no record is not told to add the first person
    assert page.empty.button_texts() == [] and "New staff member" not in page.empty.body.text()

def test_lock_hides_data_and_lets_another_person_sign_in(qtbot, demo_workspace, ui_settings):
    from arrs_desk.ui.shell.account_dialogs import LoginDialog
    from arrs_desk.ui.shell.main_window import MainWindow

    window = MainWindow(settings=ui_settings)
    qtbot.addWidget(window)
    window.show()
    when_dialog_opens(LoginDialog, lambda d: sign_in_with(d, "zoe.okubo", DEMO_PASSWORD))
    window._opened(demo_workspace)
    seen = {}

    def at_lock(dialog):
        seen["rows_while_locked"] = window.staff_page.model.rowCount()
        seen["enabled_while_locked"] = window.pages.isEnabled()
        sign_in_with(dialog, "helen.whitfield", DEMO_PASSWORD)

    when_dialog_opens(LoginDialog, at_lock)
    window.lock_action.trigger()
    assert seen == {"rows_while_locked": 0, "enabled_while_locked": False}
    assert window.actor.username == "helen.whitfield"
    visible = [window.nav.item(i).text() for i in range(window.nav.count()) if not window.nav.item(i).isHidden()]
    assert "User accounts" in visible and "Audit trail" in visible
    assert window.staff_page.model.rowCount() > 40


def test_after_someone_else_signs_in_a_page_read_for_the_last_person_stays_covered_until_read_again(
        qtbot, demo_workspace, ui_settings):
    """A page reads in the background: until its read for the new person is shown, what it shows
    was read for the last one (a manager's whole PCN, where the next person may see only themselves)."""
    from arrs_desk.ui.shell.main_window import MainWindow

    helen, zoe = (actor_for(demo_workspace, name) for name in ("helen.whitfield", "zoe.okubo"))
    window = MainWindow(settings=ui_settings, workspace=demo_workspace, actor=helen)
    qtbot.addWidget(window)
    window.show()
    window.show_page("Supervision")
    page = finish_loading(window.page("Supervision"))
    assert not page.loader.concealed and page.model.rowCount() > 40
    window.set_workspace(demo_workspace, zoe)  # as after the lock screen: another person signed in
    assert page.loader.concealed and page.loader.cover.geometry() == page.rect()
    finish_loading(page)
    assert not page.loader.concealed and page.model.rowCount() == 1  # Zoë sees her own row only
    window.set_workspace(demo_workspace, zoe)  # the same person again: nothing to hide
    assert not page.loader.concealed


def test_idle_lock_triggers_sign_in(qtbot, demo_workspace, ui_settings):
    from arrs_desk.ui.shell.account_dialogs import LoginDialog
    from arrs_desk.ui.shell.main_window import MainWindow

    window = MainWindow(settings=ui_settings)
    qtbot.addWidget(window)
    window.show()
    when_dialog_opens(LoginDialog, lambda d: sign_in_with(d, "zoe.okubo", DEMO_PASSWORD))
    window._opened(demo_workspace)
    texts = {}

    def at_lock(dialog):
        texts["heading"] = dialog.ui.heading.text()
        texts["context"] = dialog.ui.context.text()
        dialog.reject()

    when_dialog_opens(LoginDialog, at_lock)
    window.idle_watcher.idle.emit()
    assert texts["heading"] == "Locked" and "Zoë Ōkubo was signed in" in texts["context"]
    assert window.actor is None


def test_first_run_creates_administrator(qtbot, workspace, ui_settings):
    from arrs_desk.ui.shell.account_dialogs import FirstRunDialog
    from arrs_desk.ui.shell.main_window import MainWindow

    window = MainWindow(settings=ui_settings)
    qtbot.addWidget(window)
    messages = {}

    def fill(dialog):
        dialog.username.setText("k.mensah")
        dialog.display_name.setText("Kwame Mensah")
        dialog.password.setText("three random words")
        dialog.repeat.setText("three random wordz")
        dialog.go()
        messages["mismatch"] = dialog.message.text()
        dialog.repeat.setText("three random words")
        dialog.go()

    when_dialog_opens(FirstRunDialog, fill)
    window._opened(workspace)
    assert "different" in messages["mismatch"]
    assert window.actor.display_name == "Kwame Mensah" and "administrator" in window.actor.roles
    assert window.staff_page.empty.button_texts() == ["Set up practices…", "Load demonstration data"]


def test_first_run_single_user(qtbot, workspace, ui_settings):
    from arrs_desk.ui.shell.account_dialogs import FirstRunDialog
    from arrs_desk.ui.shell.main_window import MainWindow

    window = MainWindow(settings=ui_settings)
    qtbot.addWidget(window)

    def fill(dialog):
        dialog.go()  # the administrator's fields, empty: refused with a message
        assert not dialog.message.isHidden() and dialog.message.text()
        dialog.choice.button(FirstRunDialog.SINGLE).setChecked(True)
        assert dialog.details.currentIndex() == FirstRunDialog.SINGLE
        assert dialog.message.isHidden() and not dialog.message.text()  # not the administrator's problem any more
        dialog.single_name.setText("Zoë " * 60)  # 240 characters: refused, never cut short
        dialog.go()
        assert "200 characters" in dialog.message.text()
        dialog.single_name.setText("Dr Chidi Eze")
        dialog.go()

    when_dialog_opens(FirstRunDialog, fill)
    window._opened(workspace)
    assert window.actor.display_name == "Dr Chidi Eze"
    assert not window.idle_watcher._timer.isActive()  # no one else to lock out


def test_users_page_creates_an_account(qtbot, demo_workspace, system_actor, ui_settings):
    from arrs_desk.ui.shell.main_window import MainWindow
    from arrs_desk.ui.admin.users_page import UserDialog

    window = MainWindow(settings=ui_settings, workspace=demo_workspace, actor=system_actor)
    qtbot.addWidget(window)
    window.show()
    window.show_page("User accounts")
    page = window.page("User accounts")
    assert page.model.rowCount() == 5

    def fill(dialog):
        dialog.username.setText("new.person")
        dialog.display_name.setText("Аня Петрова")
        dialog.password.setText("temporary words here")
        dialog.role_boxes["line_manager"].setChecked(True)
        dialog.save()

    when_dialog_opens(UserDialog, fill)
    page.add()
    assert page.model.rowCount() == 6
    names = [page.model.index(r, 1).data() for r in range(page.model.rowCount())]
    states = [page.model.index(r, 4).data() for r in range(page.model.rowCount())]
    assert "Аня Петрова" in names and "Active, must change password" in states


def test_audit_page_shows_and_filters(qtbot, demo_workspace, system_actor, ui_settings):
    from arrs_desk.ui.shell.main_window import MainWindow

    demo_workspace.accounts.sign_in(username="zoe.okubo", password=DEMO_PASSWORD)
    window = MainWindow(settings=ui_settings, workspace=demo_workspace, actor=system_actor)
    qtbot.addWidget(window)
    window.show()
    window.show_page("Audit trail")
    page = finish_loading(window.page("Audit trail"))
    assert page.model.rowCount() > 50
    page.action.setCurrentIndex(page.action.findData("login"))
    page.refresh()
    finish_loading(page)  # the page reads in the background
    rows = page.model.rows()
    assert [r.actor_name for r in rows] == ["Zoë Ōkubo"] and page.model.index(0, 2).data() == "Signed in"


def test_starter_ticks_manager_signs_off_and_the_audit_trail_names_both(qtbot, demo_workspace, ui_settings):
    """Issue 3's story, through the real window: each action is bound to the person signed in."""
    from arrs_desk.services.audit_log import AuditFilter
    from arrs_desk.ui.shell.account_dialogs import LoginDialog
    from arrs_desk.ui.induction.induction_checklist import ChecklistDialog
    from arrs_desk.ui.common.action_dialog import ItemActionDialog
    from arrs_desk.ui.shell.main_window import MainWindow

    def ok(dialog):
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()

    window = MainWindow(settings=ui_settings)
    qtbot.addWidget(window)
    window.show()
    when_dialog_opens(LoginDialog, lambda d: sign_in_with(d, "zoe.okubo", DEMO_PASSWORD))
    window._opened(demo_workspace)
    window.show_page("My induction")
    checklist = window.page("My induction").checklist
    item = next(i for i in checklist.view.items if i.can_tick and i.needs_signoff)
    checklist.select_item(item.id)
    when_dialog_opens(ItemActionDialog, ok)
    checklist.tick()
    assert checklist.item_by_key(item.key).ticked_by == "Zoë Ōkubo"
    zoe_staff_id = window.actor.staff_id

    when_dialog_opens(LoginDialog, lambda d: sign_in_with(d, "helen.whitfield", DEMO_PASSWORD))
    window.lock_action.trigger()
    assert window.actor.username == "helen.whitfield"
    window.show_page("Induction")
    overview = finish_loading(window.page("Induction"))
    assert overview.select_staff(zoe_staff_id)

    def sign(dialog):
        dialog.checklist.select_item(item.id)
        when_dialog_opens(ItemActionDialog, ok)
        dialog.checklist.sign_off()
        dialog.accept()

    when_dialog_opens(ChecklistDialog, sign)
    overview.open_selected()

    window.show_page("Audit trail")
    audit = finish_loading(window.page("Audit trail"))
    rows = audit.model.rows()
    tick = next(r for r in rows if r.action == "tick" and item.title in r.summary)
    sign_off = next(r for r in rows if r.action == "sign_off" and item.title in r.summary)
    assert tick.actor_name == "Zoë Ōkubo" and sign_off.actor_name == "Helen Whitfield-Amadi"
    assert rows.index(sign_off) < rows.index(tick)  # newest first
    names = [r.actor_name for r in demo_workspace.audit_log.entries(window.actor, flt=AuditFilter(action="login"))]
    assert names[:2] == ["Helen Whitfield-Amadi", "Zoë Ōkubo"]


def test_the_idle_lock_is_set_from_the_sign_in_without_asking_again(qtbot, demo_workspace, ui_settings, monkeypatch):
    """How soon the PC locks comes with the sign-in (`sign_in_at_window`): across sites a read of
    its own was more round trips before the staff list."""
    from arrs_desk.services.accounts import AccountService

    admin = demo_workspace.accounts.sign_in(username="helen.whitfield", password=DEMO_PASSWORD)
    _, version = demo_workspace.accounts.idle_lock_setting()
    demo_workspace.accounts.set_idle_lock_minutes(admin, minutes=7, expected_version=version)
    monkeypatch.setattr(AccountService, "idle_lock_minutes", lambda self: pytest.fail("asked again"))
    window = _opened_as_zoe(qtbot, demo_workspace, ui_settings)
    assert window.idle_watcher._limit_ms == 7 * 60_000


def test_editing_a_leavers_account_keeps_its_link_to_their_staff_record(qtbot, demo_workspace, system_actor):
    """A leaver is not offered as a staff record to link anew, but the account already linked to
    one must not fall back to 'Not linked' when its roles or name are edited."""
    from arrs_desk.ui.admin.users_page import UserDialog
    from tests.conftest import TODAY

    zoe = next(u for u in demo_workspace.accounts.list_users(system_actor) if u.username == "zoe.okubo")
    record = demo_workspace.staff.get(system_actor, staff_id=zoe.staff_id)
    record.data.status, record.data.end_date, record.data.leaving_reason = "left", TODAY, "Relocation"
    demo_workspace.staff.update(system_actor, staff_id=zoe.staff_id, data=record.data, expected_version=record.version)
    zoe = next(u for u in demo_workspace.accounts.list_users(system_actor) if u.username == "zoe.okubo")

    dialog = UserDialog(demo_workspace, system_actor, user=zoe)
    qtbot.addWidget(dialog)
    assert dialog.staff.currentData() == zoe.staff_id
    assert "has left" in dialog.staff.currentText() and zoe.staff_name in dialog.staff.currentText()
    fresh = UserDialog(demo_workspace, system_actor)  # a new account is not offered the leaver
    qtbot.addWidget(fresh)
    assert fresh.staff.findData(zoe.staff_id) < 0


@pytest.mark.parametrize(("title", "buttons", "said"), [
    ("User accounts", ("edit_button", "reset_button"), "Choose the account in the list first."),
    ("Roles", ("edit_button",), "Choose the role in the list first."),
])
def test_edit_with_no_row_chosen_says_to_choose_one(main_window, title, buttons, said):
    """On a first visit no row is chosen: Edit… (and Reset password…) did nothing at all when pressed."""
    main_window.show_page(title)
    page = main_window.page(title)
    assert not page.table.currentIndex().isValid()
    for name in buttons:
        main_window.statusBar().clearMessage()
        getattr(page, name).click()  # no dialog opens: it would wait here for an answer
        assert main_window.statusBar().currentMessage() == said


def test_a_forced_password_change_gives_the_rules_before_any_refusal(qtbot, workspace, system_actor):
    """It said only "Choose your own before you carry on"; the length and name rules came one refusal at a time."""
    from arrs_desk.ui.shell.account_dialogs import ChangePasswordDialog

    dialog = ChangePasswordDialog(workspace, system_actor, forced=True)
    qtbot.addWidget(dialog)
    intro = dialog.findChildren(QLabel)[0].text()
    assert intro.startswith("Your administrator set a temporary password.")
    assert "at least 10 characters, without your name or username" in intro
