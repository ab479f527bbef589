"""A quick, read-only look at a SQLite database using only the standard library.

Importing SQLAlchemy and SQLModel costs about 0.3 s, longer than the whole start-up budget.
When nobody has to sign in (single-user mode), the staff list is filled from this read while
the full database layer loads in the background; the full layer then re-reads and takes over.
Any doubt (another schema revision, an unexpected layout, a locked file) returns None, and the
app simply waits for the full layer.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from arrs_desk.store.schema import head_revision

if TYPE_CHECKING:
    from arrs_desk.store.cipher import DatabaseKey


@dataclass(frozen=True)
class SingleUserSnapshot:
    user: tuple[int, str, str, tuple[str, ...], int | None]  # id, username, display name, roles, staff id
    staff: list[list]  # STAFF_LIST_COLUMNS' values, a list per person
    org_names: dict[int, str]
    role_titles: dict[str, str]
    practice_links: list[tuple[int, int]]


def read_single_user_snapshot(path: Path, staff_columns: tuple[str, ...],
                              key: DatabaseKey | None = None) -> SingleUserSnapshot | None:
    """`key`: an encrypted file's (read through SQLCipher, which is then loaded; a plain file is not)."""
    if not path.is_file():
        return None
    if key is not None:
        from arrs_desk.store import cipher

        try:
            conn = cipher.connect(path, key, read_only=True, timeout=0.5)
        except (cipher.WrongKey, *cipher.Error):
            return None
        errors = cipher.Error
    else:
        try:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=0.5)
        except sqlite3.Error:
            return None
        errors = (sqlite3.Error,)
    try:
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        mode = conn.execute("SELECT value FROM setting WHERE key = 'accounts.mode'").fetchone()
        if not revision or revision[0] != head_revision() or not mode or json.loads(mode[0]) != "single":
            return None
        user = conn.execute("SELECT id, username, display_name, roles, staff_id FROM user_account "
                            "WHERE active ORDER BY id LIMIT 1").fetchone()
        if user is None:
            return None
        # One JSON text made inside SQLite and parsed in C: a fifth faster than a tuple per row from
        # the driver at 10,000 staff. Dates stay ISO text: `build_staff_rows` reads them as it goes.
        staff = json.loads(conn.execute(
            f"SELECT json_group_array(json_array({', '.join(staff_columns)})) FROM staff").fetchone()[0])
        return SingleUserSnapshot(
            user=(user[0], user[1], user[2], tuple(json.loads(user[3])), user[4]),
            staff=staff,
            org_names=dict(conn.execute("SELECT id, name FROM organisation")),
            role_titles=dict(conn.execute("SELECT code, title FROM role")),
            practice_links=list(conn.execute("SELECT staff_id, organisation_id FROM staff_practice")),
        )
    except (*errors, ValueError, TypeError):
        return None
    finally:
        conn.close()
