"""Encryption at rest for a SQLite database file: SQLCipher, with a key made from a passphrase.

The key is 32 bytes from argon2id (memory-hard, so a stolen file cannot be guessed at cheaply)
over the passphrase and a random 16-byte salt. SQLCipher keeps that salt, in clear, as the first
16 bytes of the file, so an encrypted database needs nothing beside it to be opened with its
passphrase: a backup copied to another PC opens there with the same passphrase. The raw key is
handed to SQLCipher (`x'<key><salt>'`), which then skips its own, weaker PBKDF2.

A plain SQLite file starts with "SQLite format 3"; anything else of a non-trivial size is taken
for an encrypted one. Plain files are opened with the standard `sqlite3` module as before;
`sqlcipher3` is imported only when a key is in play, and `hashlib` and `secrets` only when a key is
made or used: the window asks `encrypted_file` of every database it opens, plain ones included.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from arrs_desk.errors import DatabaseProblem

SQLITE_HEADER = b"SQLite format 3\x00"
SALT_BYTES = 16
KEY_BYTES = 32
KDF_TIME_COST = 3
KDF_MEMORY_KIB = 64 * 1024
KDF_PARALLELISM = 4
"""argon2id at 64 MiB and 3 passes: about 0.2 s on a practice PC, once per start. Changing these
would make every existing passphrase open nothing, so they are fixed for key version 1."""
MIN_PASSPHRASE = 10


class WrongKey(DatabaseProblem):
    """The passphrase (or remembered key) does not open this file. Nothing was changed."""

    title = "Wrong passphrase"


class KeyNeeded(DatabaseProblem):
    """The file is encrypted and no key was given."""

    title = "Passphrase needed"


def _cipher():
    import sqlcipher3.dbapi2 as dbapi

    return dbapi


def __getattr__(name: str):
    """`Error`, `OperationalError`, `DatabaseError`: either module's exceptions, for code that copies
    or checks files and must catch both. Looked up when first used, so a plain start-up never loads
    SQLCipher (an `except` clause reads them only when an exception is being matched)."""
    if name in ("Error", "OperationalError", "DatabaseError"):
        return (getattr(sqlite3, name), getattr(_cipher(), name))
    raise AttributeError(name)


@dataclass(frozen=True, repr=False)
class DatabaseKey:
    """The raw SQLCipher key of one encrypted file and the salt it was made with. Never printed."""

    key: bytes
    salt: bytes

    def __post_init__(self) -> None:
        if len(self.key) != KEY_BYTES or len(self.salt) != SALT_BYTES:
            raise ValueError("a database key is 32 bytes with a 16-byte salt")

    def __repr__(self) -> str:  # keeps the key out of logs, tracebacks and crash reports
        return f"DatabaseKey(salt={self.salt.hex()[:8]}…)"

    @classmethod
    def from_passphrase(cls, passphrase: str, salt: bytes) -> DatabaseKey:
        from argon2.low_level import Type, hash_secret_raw

        raw = hash_secret_raw(passphrase.encode("utf-8"), salt, time_cost=KDF_TIME_COST,
                              memory_cost=KDF_MEMORY_KIB, parallelism=KDF_PARALLELISM,
                              hash_len=KEY_BYTES, type=Type.ID)
        return cls(raw, salt)

    @classmethod
    def new(cls, passphrase: str) -> DatabaseKey:
        """A key for a file about to be encrypted, with a fresh salt."""
        import secrets

        return cls.from_passphrase(passphrase, secrets.token_bytes(SALT_BYTES))

    @property
    def secret(self) -> str:
        """The form kept in the operating system's credential store."""
        return (self.key + self.salt).hex()

    @classmethod
    def from_secret(cls, secret: str) -> DatabaseKey:
        raw = bytes.fromhex(secret)
        return cls(raw[:KEY_BYTES], raw[KEY_BYTES:])

    @property
    def pragma(self) -> str:
        return f"PRAGMA key = \"x'{self.key.hex()}{self.salt.hex()}'\""

    @property
    def attach_clause(self) -> str:
        return f"KEY \"x'{self.key.hex()}{self.salt.hex()}'\""

    def subkey(self, purpose: str) -> bytes:
        """A separate key for another use of the same secret (evidence files), so neither reveals the other."""
        import hashlib

        return hashlib.blake2b(self.key, key=purpose.encode("utf-8"), digest_size=KEY_BYTES).digest()


def passphrase_problem(passphrase: str, confirm: str | None = None) -> str | None:
    """Why a new passphrase cannot be used, in words; None when it can."""
    if len(passphrase) < MIN_PASSPHRASE:
        return (f"The passphrase must be at least {MIN_PASSPHRASE} characters; a few ordinary words "
                "strung together are easier to remember and harder to guess than a short password.")
    if passphrase != passphrase.strip():
        return "The passphrase cannot begin or end with a space."
    if confirm is not None and passphrase != confirm:
        return "The two passphrases are not the same."
    return None


def is_encrypted(path: Path | str) -> bool:
    """Whether `path` is a SQLCipher file (not a plain SQLite one, and not empty or missing)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
            size = os.fstat(handle.fileno()).st_size
    except OSError:
        return False
    # SQLCipher writes whole pages (512 bytes at the least): any other size is damage, not encryption.
    return head != SQLITE_HEADER and size >= 512 and size % 512 == 0


def encrypted_file(target: str | os.PathLike[str]) -> Path | None:
    """The file behind `target` (a path or a database URL) when it is an encrypted SQLite
    database; None otherwise. A plain path needs no SQLAlchemy: the window asks this first."""
    text = os.fspath(target)
    if "://" not in text:
        return Path(text).expanduser().resolve() if is_encrypted(Path(text).expanduser()) else None
    if not text.startswith("sqlite"):
        return None
    from sqlalchemy.engine import make_url

    database = make_url(text).database
    if not database or database == ":memory:":
        return None
    return Path(database) if is_encrypted(database) else None


def file_salt(path: Path | str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(SALT_BYTES)


def key_for_file(path: Path | str, passphrase: str) -> DatabaseKey:
    """The key `passphrase` makes for this file (its salt is in the file)."""
    return DatabaseKey.from_passphrase(passphrase, file_salt(path))


def connect(path: Path | str, key: DatabaseKey | None = None, *, read_only: bool = False,
            timeout: float = 5.0, sqlcipher: bool = False):
    """A DB-API connection to a plain (`key` None) or encrypted file; raises WrongKey for a bad key.

    `sqlcipher`: open a plain file with SQLCipher's module all the same, to copy pages between it and
    an encrypted one (the backup API wants both ends from the same module)."""
    target = Path(path)
    if read_only:
        address, uri = f"{target.resolve().as_uri()}?mode=ro", True
    else:
        address, uri = str(target), False
    if key is None and not sqlcipher:
        return sqlite3.connect(address, uri=uri, timeout=timeout)
    if key is None:
        return _cipher().connect(address, uri=uri, timeout=timeout)
    conn = _cipher().connect(address, uri=uri, timeout=timeout)
    try:
        unlock(conn, key, str(target))
    except BaseException:
        conn.close()
        raise
    return conn


def unlock(conn, key: DatabaseKey, where: str) -> None:
    """Give a fresh SQLCipher connection its key and prove it opens the file (WrongKey if not)."""
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(key.pragma)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except _cipher().DatabaseError as exc:
        if "not a database" in str(exc):
            raise WrongKey(wrong_key_message(where)) from exc
        raise


def wrong_key_message(where: str) -> str:
    return (f"That passphrase does not open {where}. Nothing was changed. Check Caps Lock and the "
            "keyboard layout, and try again; without the right passphrase the records cannot be read, "
            "by ARRS Desk or anyone else.")


def key_opens(path: Path | str, key: DatabaseKey) -> bool:
    try:
        connect(path, key, read_only=True).close()
    except WrongKey:
        return False
    return True
