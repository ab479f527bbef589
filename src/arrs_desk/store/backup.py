"""Consistent copies of a SQLite database, made with SQLite's online backup API."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from arrs_desk.store.database import Database


def copy_sqlite(source: Path, destination: Path) -> Path:
    """Copy a live database without stopping writers, into a file only its owner can read."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    tmp = destination.with_name(destination.name + ".partial")
    tmp.unlink(missing_ok=True)
    tmp.touch(mode=0o600)
    src = sqlite3.connect(str(source))
    try:
        dst = sqlite3.connect(str(tmp))
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    tmp.replace(destination)
    return destination


def backup_before_upgrade(db: Database, from_revision: str, folder: Path | None = None) -> Path:
    assert db.path is not None
    if folder is None:
        folder = db.path.parent / "backups"
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return copy_sqlite(db.path, folder / f"{db.path.stem}-before-upgrade-from-{from_revision}-{stamp}.sqlite3")
