"""Issue 15: locking a shared PC hides every window's content and works from any dialog; the same
person signing in again finds their unsaved edits, anyone else gets them discarded (and audited)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from arrs_desk.demo.pcn import DEMO_PASSWORD
from arrs_desk.store.models import AuditEntry
from arrs_desk.ui.shell.lock_screen import LOCKED_TITLE, Cover
from tests.ui.test_accounts_ui import sign_in_with, when_dialog_opens


def signed_in_window(qtbot, workspace, ui_settings, username="helen.whitfield"):
    from arrs_desk.ui.shell.account_dialogs import LoginDialog
    from arrs_desk.ui.shell.main_window import MainWindow

    window = MainWindow(settings=ui_settings)
    qtbot.addWidget(window)
    window.show()
    when_dialog_opens(LoginDialog, lambda d: sign_in_with(d, username, DEMO_PASSWORD))
    window._opened(workspace)
    assert window.actor.username == username
    return window


def press_lock_keys(widget) -> None:
    from PySide6.QtTest import QTest

    QTest.keyClick(widget, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)


def visible_text_of(window) -> str:
    """Everything a person could read in a window: every visible label, field and cell."""
    from PySide6.QtWidgets import QAbstractItemView, QLabel, QLineEdit

    parts = [window.windowTitle()]
    for widget in window.findChildren(QLabel) + window.findChildren(QLineEdit):
        if widget.isVisible() and not isinstance(widget, Cover) and not _under_cover(widget):
            parts.append(widget.text())
    for view in window.findChildren(QAbstractItemView):
        if view.isVisible() and not _under_cover(view) and view.model() is not None:
            model = view.model()
            parts += [str(model.index(r, 0).data() or "") for r in range(min(model.rowCount(), 50))]
    return "\n".join(parts)


def _under_cover(widget) -> bool:
    window = widget.window()
    cover = window.findChild(Cover)
    return cover is not None and cover.isVisible() and cover.geometry().contains(
        widget.mapTo(window, widget.rect().center()))


def open_editor_and(qtbot, window, act):
    """Open Zoë's staff editor (modal) and run `act(editor)` once it shows."""
    from arrs_desk.ui.staff.staff_editor import StaffEditor

    def poll():
        editor = next((w for w in QApplication.topLevelWidgets() if isinstance(w, StaffEditor) and w.isVisible()), None)
        if editor is None:
            QTimer.singleShot(20, poll)
        else:
            act(editor)

    zoe = next(r.id for r in window.staff_page.model.rows() if r.display_name == "Zoë Ōkubo")
    QTimer.singleShot(0, poll)
    window.edit_staff(zoe)


def test_ctrl_shift_l_in_an_open_dialog_covers_every_window_and_the_same_person_resumes(
        qtbot, demo_workspace, ui_settings):
    from arrs_desk.ui.shell.account_dialogs import LoginDialog

    window = signed_in_window(qtbot, demo_workspace, ui_settings)
    seen = {}

    def in_editor(editor):
        editor.ui.preferred_name.setText("Zozo (typed, not saved)")
        editor.ui.preferred_name.setFocus()

        def at_sign_in(login):
            seen["main"] = visible_text_of(window)
            seen["editor"] = visible_text_of(editor)
            seen["titles"] = (window.windowTitle(), editor.windowTitle())
            sign_in_with(login, "helen.whitfield", DEMO_PASSWORD)

        def after_resume():
            seen["resumed_text"] = editor.ui.preferred_name.text()
            seen["resumed_title"] = editor.windowTitle()
            seen["editor_enabled"] = editor.isEnabled()
            editor.reject()

        when_dialog_opens(LoginDialog, at_sign_in)
        QTimer.singleShot(0, lambda: (press_lock_keys(editor.ui.preferred_name), after_resume()))

    open_editor_and(qtbot, window, in_editor)
    assert seen["titles"] == (LOCKED_TITLE, LOCKED_TITLE)
    for text in (seen["main"], seen["editor"]):
        assert "Ōkubo" not in text and "Zozo" not in text and "Whitfield" not in text, text
    assert seen["resumed_text"] == "Zozo (typed, not saved)" and seen["resumed_title"] == "Zoë Ōkubo: staff record"
    assert seen["editor_enabled"]
    assert window.actor.username == "helen.whitfield" and window.windowTitle() != LOCKED_TITLE


def test_someone_else_signing_in_discards_the_open_edits_and_the_audit_says_so(qtbot, demo_workspace, ui_settings):
    from arrs_desk.services.actor import SYSTEM
    from arrs_desk.ui.shell.account_dialogs import LoginDialog

    from arrs_desk.services.shared_reads import shared_reads

    window = signed_in_window(qtbot, demo_workspace, ui_settings)
    helen, kept = window.actor, shared_reads(demo_workspace.db)
    demo_workspace.supervision.matrix(helen)
    assert kept.holds(helen)
    seen = {}

    def in_editor(editor):
        editor.ui.preferred_name.setText("Not to be saved")
        when_dialog_opens(LoginDialog, lambda login: sign_in_with(login, "samuel.okonkwo", DEMO_PASSWORD))
        QTimer.singleShot(0, lambda: (press_lock_keys(editor.ui.preferred_name),
                                      seen.update(editor_open=editor.isVisible())))

    open_editor_and(qtbot, window, in_editor)
    assert seen["editor_open"] is False
    assert window.actor.username == "samuel.okonkwo"
    assert not kept.holds(helen)  # what Helen could see is not held while Samuel uses the window
    zoe = demo_workspace.staff.get(SYSTEM, staff_id=next(r.id for r in demo_workspace.staff.list_rows(SYSTEM)
                                                if r.display_name == "Zoë Ōkubo"))
    assert zoe.data.preferred_name != "Not to be saved"
    with demo_workspace.db.read() as session:
        discard = session.execute(select(AuditEntry).where(AuditEntry.action == "discard")).scalars().all()
    assert len(discard) == 1
    assert "Helen Whitfield-Amadi" in discard[0].summary and "Samuel Okonkwo" in discard[0].summary
    assert "Zoë Ōkubo: staff record" in discard[0].summary


def test_the_menu_lock_covers_the_pages_too(qtbot, demo_workspace, ui_settings):
    from arrs_desk.ui.shell.account_dialogs import LoginDialog

    window = signed_in_window(qtbot, demo_workspace, ui_settings)
    window.show_page("Supervision")
    seen = {}

    def at_sign_in(login):
        cover = window.findChild(Cover)
        seen["covered"] = cover is not None and cover.isVisible() and cover.geometry() == window.rect()
        seen["text"] = visible_text_of(window)
        seen["menu"] = window.menuBar().isEnabled()
        sign_in_with(login, "helen.whitfield", DEMO_PASSWORD)

    when_dialog_opens(LoginDialog, at_sign_in)
    window.lock_action.trigger()
    assert seen["covered"] and not seen["menu"]
    assert "Overdue" not in seen["text"] and "Ōkubo" not in seen["text"]
    assert window.findChild(Cover) is None or not window.findChild(Cover).isVisible()


def test_the_next_person_does_not_find_the_last_ones_search(qtbot, demo_workspace, ui_settings):
    """Helen looked up "Abrahams"; the PC locked and Zoë signed in to a staff list still searching
    for "Abrahams" ("No one matches 'Abrahams'"): who Helen was looking up, shown to the next person."""
    from arrs_desk.ui.shell.account_dialogs import LoginDialog

    window = signed_in_window(qtbot, demo_workspace, ui_settings)
    window.staff_page.search.setText("Abrahams")
    when_dialog_opens(LoginDialog, lambda login: sign_in_with(login, "zoe.okubo", DEMO_PASSWORD))
    window.lock()
    assert window.actor.username == "zoe.okubo"
    assert window.staff_page.search.text() == ""


def test_the_next_person_finds_no_search_or_choice_left_on_any_page(qtbot, demo_workspace, ui_settings):
    """Helen looked up "Abrahams" on Supervision, Reviews, Induction, Programmes and the audit trail;
    Samuel signing in at the locked PC found her searches in every one of them."""
    from arrs_desk.ui.shell.account_dialogs import LoginDialog

    window = signed_in_window(qtbot, demo_workspace, ui_settings)
    pages = {}
    for title in ("Supervision", "Reviews", "Induction", "Programmes", "Audit trail"):
        window.show_page(title)
        page = pages[title] = window.pages.currentWidget()
        qtbot.waitUntil(lambda page=page: not page.loader.loading)
        page.search.setText("Abrahams")
        choice = page.filters.choices[0] if title != "Audit trail" else page.action
        choice.setCurrentIndex(choice.count() - 1)
    window.pages.currentWidget().use_dates.setChecked(True)
    window.show_page("Supervision")
    window.pages.currentWidget().arrs_only.setChecked(False)
    qtbot.wait(50)
    when_dialog_opens(LoginDialog, lambda login: sign_in_with(login, "samuel.okonkwo", DEMO_PASSWORD))
    window.lock()
    assert window.actor.username == "samuel.okonkwo"
    for title, page in pages.items():
        assert page.search.text() == "", title
        choices = page.filters.choices if title != "Audit trail" else (page.person, page.action, page.entity)
        assert [c.currentIndex() for c in choices] == [0] * len(choices), title
    assert pages["Supervision"].arrs_only.isChecked() and not pages["Audit trail"].use_dates.isChecked()


def test_a_leavers_window_locks_at_the_first_save_after_the_last_day(qtbot, demo_workspace, ui_settings, clock,
                                                                     no_dialogs):
    """Sign-in is refused from the day after the last day; a window signed in before went on saving.
    The save is refused now, and once the person has read why, the window locks: only someone
    else can sign in there (she cannot, she has left)."""
    from datetime import timedelta

    from arrs_desk.services.actor import SYSTEM
    from arrs_desk.ui.common.operation import Operation
    from arrs_desk.ui.shell.account_dialogs import LoginDialog

    window = signed_in_window(qtbot, demo_workspace, ui_settings, username="samuel.okonkwo")
    samuel = window.actor
    record = demo_workspace.staff.get(SYSTEM, staff_id=samuel.staff_id)
    record.data.end_date = clock.today()
    demo_workspace.staff.update(SYSTEM, staff_id=samuel.staff_id, data=record.data, expected_version=record.version)
    clock.advance(timedelta(days=1))
    seen = {}

    def at_sign_in(login):
        seen["locked"] = window.windowTitle() == LOCKED_TITLE and window.actor is None
        sign_in_with(login, "samuel.okonkwo", DEMO_PASSWORD)
        seen["his_refusal"] = login.ui.message.text()
        sign_in_with(login, "helen.whitfield", DEMO_PASSWORD)

    when_dialog_opens(LoginDialog, at_sign_in)
    saved = Operation(window.staff_page, lambda ws: ws.accounts.record_discarded_work(
        samuel, previous_name="Samuel Okonkwo", windows=["A note"])).run()
    assert not saved and no_dialogs[-1][2].startswith("Your staff record says you left on ")
    qtbot.waitUntil(lambda: "locked" in seen)
    assert seen["locked"] and "no longer signs in" in seen["his_refusal"]
    assert window.actor.username == "helen.whitfield"


def _take_role_away(workspace, username: str, role: str) -> None:
    from arrs_desk.services.actor import SYSTEM

    row = next(r for r in workspace.accounts.list_users(SYSTEM) if r.username == username)
    workspace.accounts.update_user(SYSTEM, user_id=row.id, display_name=row.display_name,
                                   roles=[r for r in row.roles if r != role], staff_id=row.staff_id, active=row.active,
                                   expected_version=row.version)


def test_a_window_whose_account_lost_a_role_locks_and_signs_in_again_with_what_it_has_now(
        qtbot, demo_workspace, ui_settings, no_dialogs):
    """An administrator took a role away on another PC: the open window's next save is refused, as
    before, and now the window also locks, as for a leaver, so signing in again (the refusal says
    to) is what it offers, and the window then works with the roles the account has now."""
    from arrs_desk.ui.common.operation import Operation
    from arrs_desk.ui.shell.account_dialogs import LoginDialog

    window = signed_in_window(qtbot, demo_workspace, ui_settings, username="samuel.okonkwo")
    samuel = window.actor
    assert "supervisor" in samuel.roles
    _take_role_away(demo_workspace, "samuel.okonkwo", "supervisor")
    seen = {}

    def at_sign_in(login):
        seen["locked"] = window.windowTitle() == LOCKED_TITLE and window.actor is None
        sign_in_with(login, "samuel.okonkwo", DEMO_PASSWORD)

    when_dialog_opens(LoginDialog, at_sign_in)
    saved = Operation(window.staff_page, lambda ws: ws.accounts.record_discarded_work(
        samuel, previous_name="Samuel Okonkwo", windows=["A note"])).run()
    assert not saved and "changed after you signed in" in no_dialogs[-1][2]
    qtbot.waitUntil(lambda: "locked" in seen)
    assert seen["locked"] and window.actor.username == "samuel.okonkwo"
    assert window.actor.roles == samuel.roles - {"supervisor"}


def test_a_dialog_open_when_a_role_was_taken_away_goes_when_the_same_person_signs_in_again(
        qtbot, demo_workspace, ui_settings):
    """The dialog holds the access of the old sign-in: it shows what that access read, and any save
    from it is refused as "changed after you signed in". So it is discarded (and the audit says so),
    as when someone else signs in, not handed back as to the same person."""
    from arrs_desk.ui.shell.account_dialogs import LoginDialog

    window = signed_in_window(qtbot, demo_workspace, ui_settings)
    seen = {}

    def in_editor(editor):
        editor.ui.preferred_name.setText("Not to be saved")
        _take_role_away(demo_workspace, "helen.whitfield", "line_manager")
        when_dialog_opens(LoginDialog, lambda login: sign_in_with(login, "helen.whitfield", DEMO_PASSWORD))
        QTimer.singleShot(0, lambda: (press_lock_keys(editor.ui.preferred_name),
                                      seen.update(editor_open=editor.isVisible()),
                                      editor.reject()))  # if it was handed back, so the test ends

    open_editor_and(qtbot, window, in_editor)
    assert seen["editor_open"] is False
    assert window.actor.username == "helen.whitfield" and "line_manager" not in window.actor.roles
    with demo_workspace.db.read() as session:
        discard = session.execute(select(AuditEntry).where(AuditEntry.action == "discard")).scalars().all()
    assert len(discard) == 1 and "Zoë Ōkubo: staff record" in discard[0].summary


@pytest.mark.parametrize("page", ["Supervision", "Practices and employers"])
def test_a_leavers_window_locks_at_the_first_page_shown_after_the_last_day(qtbot, demo_workspace, ui_settings, clock,
                                                                          no_dialogs, page):
    """It stopped saving, but switching pages still showed the PCN's records. Now a page's read is
    refused as a save is (one read in the background, one on the window's own thread), and the
    window locks."""
    from datetime import timedelta

    from arrs_desk.services.actor import SYSTEM
    from arrs_desk.ui.shell.account_dialogs import LoginDialog

    window = signed_in_window(qtbot, demo_workspace, ui_settings)
    helen = window.actor
    record = demo_workspace.staff.get(SYSTEM, staff_id=helen.staff_id)
    record.data.end_date = clock.today()
    demo_workspace.staff.update(SYSTEM, staff_id=helen.staff_id, data=record.data, expected_version=record.version)
    demo_workspace.accounts.create_user(SYSTEM, username="next.admin", display_name="Next Admin",
                                        password=DEMO_PASSWORD, roles=["administrator"], must_change_password=False)
    clock.advance(timedelta(days=1))
    seen = {}

    def at_sign_in(login):
        seen["locked"] = window.windowTitle() == LOCKED_TITLE and window.actor is None
        sign_in_with(login, "samuel.okonkwo", DEMO_PASSWORD)

    when_dialog_opens(LoginDialog, at_sign_in)
    window.show_page(page)
    qtbot.waitUntil(lambda: "locked" in seen)
    assert seen["locked"] and no_dialogs[-1][2].startswith("Your staff record says you left on ")
    assert "this page was not shown" in no_dialogs[-1][2]
    assert window.actor.username == "samuel.okonkwo"
