"""The key of an encrypted database on this PC (issue 20 item 1): whether a file needs one, the
key the PC remembers for it, the key from a passphrase, and what a new passphrase must be.

Apart from `services.encryption` (turning encryption on and off) because the window asks these
before it has loaded the database layer: this module and `store.cipher` import no ORM, so an
encrypted database starts as quickly as a plain one.
"""

from __future__ import annotations

import logging
import os

from arrs_desk.errors import ValidationError
from arrs_desk.store import cipher, key_fit
from arrs_desk.store.cipher import DatabaseKey, WrongKey, encrypted_file

log = logging.getLogger(__name__)

KEYRING_SERVICE = "ARRS Desk database key"
PASSPHRASE_ENV = "ARRS_DESK_PASSPHRASE"
"""For the command line and scheduled jobs: the passphrase of an encrypted database."""


def _keyring():
    """The credential store, or None where there is none usable (a server with no desktop session)."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:  # noqa: BLE001  (a broken store is only "not available")
        return None
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 1) <= 0:
        return None
    return keyring


def can_remember() -> bool:
    return _keyring() is not None


def remembered_key(target: str | os.PathLike[str]) -> DatabaseKey | None:
    """The key this PC keeps for the encrypted database at `target`, if it keeps one that opens it."""
    path = encrypted_file(target)
    ring = _keyring()
    if path is None or ring is None:
        return None
    try:
        secret = ring.get_password(KEYRING_SERVICE, cipher.file_salt(path).hex())
    except Exception as exc:  # noqa: BLE001
        log.warning("the credential store could not be read: %s", exc)
        return None
    if not secret:
        return None
    try:
        key = DatabaseKey.from_secret(secret)
    except ValueError:
        return None
    return key if key_fit.key_fits(path, key) else None


def remember(key: DatabaseKey) -> bool:
    ring = _keyring()
    if ring is None:
        return False
    try:
        ring.set_password(KEYRING_SERVICE, key.salt.hex(), key.secret)
    except Exception as exc:  # noqa: BLE001
        log.warning("the credential store would not keep the key: %s", exc)
        return False
    return True


def forget(key: DatabaseKey) -> None:
    ring = _keyring()
    if ring is None:
        return
    try:
        ring.delete_password(KEYRING_SERVICE, key.salt.hex())
    except Exception:  # noqa: BLE001  (nothing kept is nothing to forget)
        pass


def needs_key(target: str | os.PathLike[str]) -> bool:
    """Whether `target` is an encrypted database, so a key must be found before it opens."""
    return encrypted_file(target) is not None


def unlock(target: str | os.PathLike[str], passphrase: str) -> DatabaseKey:
    """The key for the encrypted database at `target` from its passphrase; WrongKey if it does not open it."""
    path = encrypted_file(target)
    if path is None:
        raise ValidationError.single("passphrase", f"{target} is not an encrypted database.")
    key = cipher.key_for_file(path, passphrase)
    if not key_fit.key_fits(path, key):
        raise WrongKey(cipher.wrong_key_message(str(path)))
    return key


def key_for_command_line(target: str | os.PathLike[str]) -> DatabaseKey | None:
    """For `arrs-desk` commands: None for a plain database; else the remembered key or the passphrase
    in ARRS_DESK_PASSPHRASE (a KeyNeeded error saying so when neither is there)."""
    if encrypted_file(target) is None:
        return None
    key = remembered_key(target)
    if key is not None:
        return key
    passphrase = os.environ.get(PASSPHRASE_ENV)
    if not passphrase:
        raise cipher.KeyNeeded(f"{target} is encrypted. Put its passphrase in {PASSPHRASE_ENV} to use it from "
                               "the command line, or let this PC remember it (File > Settings… in the app).")
    return unlock(target, passphrase)


def check_new_passphrase(passphrase: str, confirm: str) -> None:
    """ValidationError naming the field when a new passphrase cannot be used (set-up asks early)."""
    problem = cipher.passphrase_problem(passphrase)
    if problem:
        raise ValidationError.single("passphrase", problem)
    if passphrase != confirm:
        raise ValidationError.single("confirm", "The two passphrases are not the same.")
