"""What the window can show before the full database layer has loaded (see store.snapshot)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from arrs_desk import clock
from arrs_desk.services.actor import Actor
from arrs_desk.services.staff_rows import STAFF_LIST_COLUMNS, StaffRow, build_staff_rows


@dataclass(frozen=True)
class QuickStart:
    actor: Actor
    rows: list[StaffRow]


def single_user_quick_start(target: str, key=None) -> QuickStart | None:
    """The single user and the staff list, for a local SQLite file in single-user mode; else None.

    Only single-user mode qualifies: it needs no sign-in and its one user sees every record, so
    no permission rule has to be repeated here. The full layer re-reads everything moments later.
    `key`: an encrypted database's key (`services.encryption`), found before anything opens it.
    """
    if "://" in target:
        return None
    from arrs_desk.store.snapshot import read_single_user_snapshot

    snap = read_single_user_snapshot(Path(target).expanduser(), STAFF_LIST_COLUMNS, key)
    if snap is None:
        return None
    user_id, username, display_name, roles, staff_id = snap.user
    actor = Actor(user_id, username, display_name, frozenset(roles), staff_id, sole_user=True)
    return QuickStart(actor, build_staff_rows(snap.staff, snap.org_names, snap.role_titles, snap.practice_links,
                                              today=clock.today()))
