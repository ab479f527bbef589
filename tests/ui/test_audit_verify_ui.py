"""The Verify button on the Audit trail page, and the warning administrators get on opening
when the audit trail was changed behind the app's back (and nobody else gets)."""

from __future__ import annotations

from sqlalchemy import text

from arrs_desk.services import audit
from arrs_desk.services.actor import SYSTEM, Actor


def _window(qtbot, workspace, actor, ui_settings):
    from arrs_desk.ui.shell.main_window import MainWindow

    window = MainWindow(settings=ui_settings, workspace=workspace, actor=actor)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _tamper(workspace) -> int:
    with workspace.db.write() as session:
        entry = audit.record(session, SYSTEM, "update", "staff", 1, "Changed a start date")
    with workspace.db.engine.begin() as conn:
        conn.execute(text("DROP TRIGGER audit_entry_no_update"))
        conn.execute(text(f"UPDATE audit_entry SET summary = 'Nothing' WHERE id = {entry.id}"))
    return entry.id


def test_verify_button_says_the_trail_holds_then_names_the_changed_entry(qtbot, workspace, ui_settings, no_dialogs):
    window = _window(qtbot, workspace, SYSTEM, ui_settings)
    qtbot.waitUntil(lambda: not window.property("operationsRunning"), timeout=5000)
    no_dialogs.clear()
    window.show_page("Audit trail")
    button = window.page("Audit trail").verify_button
    button.click()
    qtbot.waitUntil(lambda: len(no_dialogs) == 1, timeout=5000)
    assert no_dialogs[0][:2] == ("information", "Audit trail intact")
    changed = _tamper(workspace)
    button.click()
    qtbot.waitUntil(lambda: len(no_dialogs) == 2, timeout=5000)
    kind, title, message = no_dialogs[1]
    assert (kind, title) == ("warning", "Audit trail changed")
    assert message.startswith(f"The audit trail breaks at entry {changed} ")
    assert button.last_check.broken_entry_id == changed and button.isEnabled()


def test_administrators_are_warned_on_opening_and_nobody_else_is(qtbot, workspace, ui_settings, no_dialogs):
    changed = _tamper(workspace)
    clerk = Actor(None, "clerk", "A Clerk", frozenset({"line_manager"}))
    from arrs_desk.ui.audit_verify import check_on_open

    assert check_on_open(None, workspace, clerk) is None
    _window(qtbot, workspace, SYSTEM, ui_settings)
    qtbot.waitUntil(lambda: any(kind == "warning" for kind, _, _ in no_dialogs), timeout=5000)
    warning = next(m for kind, _, m in no_dialogs if kind == "warning")
    assert f"breaks at entry {changed} " in warning
