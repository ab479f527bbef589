"""After signing in, the holder of an account an administrator reset sees it, once."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from arrs_desk.ui.sign_in.notices import TITLE, show_account_notices
from tests.supervision_support import make_team

TEMPORARY = "temporary pass phrase 1"


def test_reset_is_shown_once_after_sign_in(qtbot, workspace, system_actor, monkeypatch):
    team = make_team(workspace, system_actor)
    workspace.accounts.reset_password(team.admin, user_id=team.zoe.user_id, new_password=TEMPORARY)
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append((title, text)))
    parent = QWidget()
    qtbot.addWidget(parent)
    for _ in range(2):
        signed_in = workspace.accounts.sign_in_at_window(username=team.zoe.username, password=TEMPORARY)
        show_account_notices(parent, signed_in.notices)
    assert len(shown) == 1 and shown[0][0] == TITLE and "PCN Administrator reset your password" in shown[0][1]
