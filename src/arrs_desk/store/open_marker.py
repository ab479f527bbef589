"""Did the last use of a SQLite file end cleanly? The cheap test that decides whether opening must
check the whole file before anyone may change it.

Every open of a file leaves a small owner-only marker beside it, `.<file name>.open-<random>`, and
holds an operating-system lock on it until the database is closed, when the marker is removed. The
lock, not the file, says whether its owner is still at work: the system releases it whatever
way a program ends, so a marker that can be locked by someone else belongs to a program that
crashed, was killed or lost its power. No host names or process numbers are compared, which
would be fooled by a reused number after a restart, and several PCs sharing one file (on a
network share whose locks reach the server) each keep their own marker: one PC's crash is seen by
whichever PC opens the file next, while markers of copies still running are left alone.

A hot journal (`-journal`, or a non-empty `-wal` when no one else has the file open) says the
same for a write cut short by a program that kept no marker (an older ARRS Desk). Where no marker
can be written or the folder takes no locks, a crash could not be noticed next time, so the file
is checked on every open there: a needless check costs seconds, a missed one could let a damaged
file be written to.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from arrs_desk.paths import create_private_file

log = logging.getLogger(__name__)


def _markers(database: Path) -> list[Path]:
    try:
        return sorted(database.parent.glob(f".{database.name}.open-*"))
    except OSError:
        return []


def _lock(fd: int) -> bool:
    """Take the marker's lock without waiting; False when someone holds it (or locks are refused)."""
    try:
        if os.name == "nt":
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _abandoned(marker: Path) -> bool:
    """True when no running program holds `marker`'s lock."""
    try:
        fd = os.open(marker, os.O_RDWR)
    except FileNotFoundError:
        return False  # closed cleanly while we looked
    except OSError:
        return True  # cannot even look: assume the worst
    try:
        return _lock(fd)
    finally:
        os.close(fd)  # closing drops the lock we may have taken


def _has_content(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except OSError:
        return False


class OpenMarker:
    """This program's marker for one open database: held from open to `release`."""

    def __init__(self, database: Path):
        self.database = database
        self.path: Path | None = None
        self._fd: int | None = None
        self.stale: list[Path] = []  # markers left by programs that did not close cleanly
        self.reason = self._look()
        self._claim()

    def _look(self) -> str | None:
        """Why the file must be checked before use; None when every earlier use ended cleanly."""
        markers = _markers(self.database)
        self.stale = [m for m in markers if _abandoned(m)]
        if self.stale:
            return "ARRS Desk did not close properly the last time this database was open"
        if _has_content(self.database.with_name(self.database.name + "-journal")):
            return "a change to this database was cut short"
        if not markers and _has_content(self.database.with_name(self.database.name + "-wal")):
            return "a change to this database may not have been finished"
        return None

    def _claim(self) -> None:
        path = self.database.with_name(f".{self.database.name}.open-{secrets.token_hex(6)}")
        try:
            create_private_file(path)
            fd = os.open(path, os.O_RDWR)
        except OSError as exc:
            log.warning("cannot mark %s as open (%s): it is checked in full on every open", self.database, exc)
            return
        if not _lock(fd):  # this folder takes no locks, so no marker here can be trusted
            os.close(fd)
            path.unlink(missing_ok=True)
            log.warning("%s is in a folder without file locks: it is checked in full on every open", self.database)
            return
        os.write(fd, b"ARRS Desk has this database open.\n")
        self.path, self._fd = path, fd

    @property
    def must_check(self) -> bool:
        """Check the whole file before use: an earlier use ended badly, or this one could not be
        marked (so a crash now would go unnoticed next time)."""
        return self.reason is not None or self._fd is None

    def forget_stale(self) -> None:
        """Remove the markers of earlier crashed uses, once the file has passed its check."""
        for marker in self.stale:
            marker.unlink(missing_ok=True)
        self.stale = []

    def release(self) -> None:
        """The database is closed cleanly: take the marker away (closing it drops the lock)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        if self.path is not None:
            try:
                self.path.unlink(missing_ok=True)
            except OSError as exc:  # noticed as an unclean close next time: a needless check, nothing worse
                log.warning("could not remove %s: %s", self.path, exc)
            self.path = None
