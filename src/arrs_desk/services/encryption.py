"""Encryption at rest for a SQLite database (issue 20 item 1): turning it on, off, changing the
passphrase, and finding the key when the app starts.

The key comes from a passphrase (`store.cipher`). So that staff on a practice PC are not asked
for it at every start, an administrator may let this PC remember the key in the operating
system's credential store (Windows Credential Manager, macOS Keychain, the Secret Service on
Linux) through `keyring`; it is filed under the file's own salt, so a moved or renamed database
still finds it, and another database never gets it. Nothing is remembered unless asked.

Finding the key when the app starts is `encryption_keys`, which the window reads before the
database layer has loaded. A conversion makes a backup first, rewrites the file (`store.cipher_convert`: atomic, checked,
survives a kill), then rewrites every backup of it the same way, so no readable copy is left in
the backup folder and every copy opens with the database's passphrase. A backup that cannot be
converted (made with an older passphrase, damaged) is left as it was and reported.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from arrs_desk.domain.permissions import Action
from arrs_desk.errors import ValidationError
from arrs_desk.services import audit, evidence
from arrs_desk.services._common import require
from arrs_desk.services.actor import Actor
from arrs_desk.store import backup as store_backup
from arrs_desk.store import cipher
from arrs_desk.services.encryption_keys import can_remember, check_new_passphrase, forget, remember, remembered_key
from arrs_desk.store.cipher import DatabaseKey
from arrs_desk.store.cipher_convert import convert_file
from arrs_desk.store.database import Database

log = logging.getLogger(__name__)

BEFORE_KEY_CHANGE = "manual"
"""The copy made before a conversion is kept like one made on request: never thinned out."""


# --- switching it on and off --------------------------------------------------------------------
@dataclass(frozen=True)
class EncryptionStatus:
    possible: bool  # False for a PostgreSQL server, which encrypts (or not) on its own side
    encrypted: bool
    remembered: bool  # this PC keeps the key, so nobody is asked at start
    can_remember: bool
    location: str


@dataclass(frozen=True)
class ConversionResult:
    action: str  # "encrypt", "rekey" or "decrypt"
    encrypted: bool
    rows: int
    backups_converted: int
    backups_left: tuple[Path, ...]  # copies that could not be converted, with their old protection
    remembered: bool
    evidence_converted: int = 0
    evidence_left: tuple[Path, ...] = ()  # evidence files neither key opens, or damaged: as they were

    @property
    def summary(self) -> str:
        state = {"encrypt": "now encrypted", "rekey": "now encrypted with the new passphrase"}.get(
            self.action, "no longer encrypted")
        text = f"The database is {state} ({self.rows:,} records checked before and after)"
        if self.backups_converted:
            text += f"; {self.backups_converted} backup(s) converted the same way"
        if self.backups_left:
            text += (f". {len(self.backups_left)} backup(s) could not be converted and keep their old protection: "
                     + ", ".join(p.name for p in self.backups_left))
        if self.evidence_converted:
            text += f"; {self.evidence_converted} evidence file(s) converted"
        if self.evidence_left:
            text += f"; {len(self.evidence_left)} evidence file(s) could not be converted and were left as they were"
        return text


class EncryptionService:
    def __init__(self, db: Database):
        self._db = db

    @property
    def key(self) -> DatabaseKey | None:
        """The open database's key, to open it again after a restore (which keeps it)."""
        return self._db.key

    def status(self) -> EncryptionStatus:
        possible = self._db.path is not None
        key = self._db.key
        remembered = False
        if key is not None and self._db.path is not None:
            found = remembered_key(self._db.path)
            remembered = found is not None and found.key == key.key
        return EncryptionStatus(possible, key is not None, remembered, can_remember(), self._db.display_name)

    def turn_on(self, actor: Actor, *, passphrase: str, confirm: str, remember_here: bool) -> ConversionResult:
        require(actor, Action.MANAGE_SETTINGS)
        self._require_file()
        if self._db.key is not None:
            raise ValidationError.single("passphrase", "This database is already encrypted; change its passphrase instead.")
        check_new_passphrase(passphrase, confirm)
        return self._convert(actor, DatabaseKey.new(passphrase), remember_here, "encrypt",
                             "Turned on encryption at rest for the database and its backups")

    def change_passphrase(self, actor: Actor, *, current: str, passphrase: str, confirm: str,
                          remember_here: bool) -> ConversionResult:
        require(actor, Action.MANAGE_SETTINGS)
        self._require_file()
        self._check_current(current)
        check_new_passphrase(passphrase, confirm)
        if passphrase == current:
            raise ValidationError.single("passphrase", "The new passphrase is the same as the current one.")
        return self._convert(actor, DatabaseKey.new(passphrase), remember_here, "rekey",
                             "Changed the encryption passphrase of the database and its backups")

    def turn_off(self, actor: Actor, *, current: str) -> ConversionResult:
        require(actor, Action.MANAGE_SETTINGS)
        self._require_file()
        self._check_current(current)
        return self._convert(actor, None, False, "decrypt",
                             "Turned off encryption at rest: the database and its backups are plain SQLite again")

    def forget_here(self, actor: Actor) -> None:
        """Stop this PC remembering the key: everyone is asked for the passphrase at start."""
        require(actor, Action.MANAGE_SETTINGS)
        if self._db.key is not None:
            forget(self._db.key)

    def remember_here(self, actor: Actor) -> bool:
        require(actor, Action.MANAGE_SETTINGS)
        return self._db.key is not None and remember(self._db.key)

    # ------------------------------------------------------------------------------------------
    def _require_file(self) -> None:
        if self._db.path is None:
            raise ValidationError.single("database", (
                "A PostgreSQL database is encrypted by its server, not by ARRS Desk: ask whoever runs it to "
                "encrypt its disks and to require TLS connections."))

    def _check_current(self, current: str) -> None:
        key = self._db.key
        if key is None:
            raise ValidationError.single("current", "This database is not encrypted.")
        if cipher.DatabaseKey.from_passphrase(current, key.salt).key != key.key:
            raise ValidationError.single("current", "That is not the database's current passphrase; nothing was changed.")

    def _convert(self, actor: Actor, new_key: DatabaseKey | None, remember_here: bool, action: str,
                 summary: str) -> ConversionResult:
        path = self._db.path
        assert path is not None
        old_key = self._db.key
        store_backup.make_backup(path, BEFORE_KEY_CHANGE, key=old_key)  # a whole copy before anything changes
        remembered = bool(new_key is not None and remember_here and remember(new_key))  # before: a kill keeps it
        converted = self._db.change_key(new_key)
        done, left = _convert_backups(path, old_key, new_key)
        files, files_left = evidence.convert_evidence(evidence.evidence_folder()(), old_key, new_key)
        if old_key is not None:
            # Only now: a PC switched off part-way leaves backups and evidence files under the old
            # key, which this PC then still opens by itself rather than needing a passphrase
            # that was just replaced.
            forget(old_key)
        with self._db.write() as session:
            audit.record(session, actor, action, "database", "", summary,
                         {"encrypted": [old_key is not None, new_key is not None],
                          "records_checked": [None, converted.rows],
                          "backups_converted": [None, done],
                          "backups_left_as_they_were": [None, [p.name for p in left]],
                          "evidence_files_converted": [None, files],
                          "evidence_files_left_as_they_were": [None, [p.name for p in files_left]],
                          "key_remembered_on_this_pc": [None, remembered]})
        log.info("%s: %s by %s", path, summary, actor.display_name)
        return ConversionResult(action, new_key is not None, converted.rows, done, tuple(left), remembered,
                                files, tuple(files_left))


def _convert_backups(database: Path, old_key: DatabaseKey | None,
                     new_key: DatabaseKey | None) -> tuple[int, list[Path]]:
    """Give every backup of `database` the same protection as the database; (converted, left as they were)."""
    done, left = 0, []
    for backup in store_backup.list_backups(database):
        encrypted = cipher.is_encrypted(backup.path)
        if (encrypted and new_key is not None and old_key is None) or (not encrypted and new_key is None):
            continue  # already as wanted (e.g. a plain copy when turning encryption off)
        file_key = old_key if encrypted else None
        try:
            convert_file(backup.path, file_key, new_key)
            done += 1
        except Exception as exc:  # noqa: BLE001  (one bad copy must not undo the others)
            log.warning("backup %s left as it was: %s", backup.path, getattr(exc, "message", exc))
            left.append(backup.path)
    return done, left
