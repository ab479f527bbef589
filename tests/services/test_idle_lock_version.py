"""The idle-lock setting is saved like every other write: against the version it was read at, so of
two administrators saving from windows opened together the second is told, not silently lost."""

from __future__ import annotations

import pytest

from arrs_desk.errors import StaleEdit


def test_a_second_save_from_a_stale_read_is_refused(workspace, system_actor):
    minutes, version = workspace.accounts.idle_lock_setting()
    assert version is None  # never set: the default applies
    workspace.accounts.set_idle_lock_minutes(system_actor, minutes=5, expected_version=version)
    with pytest.raises(StaleEdit, match="idle lock"):  # the other window read it before that save
        workspace.accounts.set_idle_lock_minutes(system_actor, minutes=30, expected_version=version)
    assert workspace.accounts.idle_lock_minutes() == 5
    minutes, version = workspace.accounts.idle_lock_setting()
    workspace.accounts.set_idle_lock_minutes(system_actor, minutes=30, expected_version=version)
    with pytest.raises(StaleEdit):
        workspace.accounts.set_idle_lock_minutes(system_actor, minutes=10, expected_version=version)
    assert workspace.accounts.idle_lock_setting() == (30, version + 1)
