"""Encrypted files beside an encrypted database: evidence files and full exports, AES-256-GCM.

The database itself is SQLCipher (`store.cipher`); the files kept or written beside it are sealed
with keys derived from the same secret (`DatabaseKey.subkey`), so one passphrase opens them all
and no file's key reveals another's. Both formats say what they are in their first bytes, so a
reader needs no other record of whether a file is sealed, and a plain file stays readable:

- an evidence file: ``ARRSEV1\\0``, a 12-byte random nonce, then the ciphertext and its 16-byte tag
  (the whole file at once: evidence is at most 20 MB);
- a full export: ``ARRSEX1\\0``, the 16-byte salt of its key in clear (the database's, or that of
  the passphrase chosen for the export of a plain database: either way the export opens on another
  PC with that passphrase alone), a 7-byte random nonce prefix, then the ZIP in 1 MiB
  chunks, each sealed with the prefix, its number and a last-chunk flag as nonce (the "STREAM"
  construction), so a file cut short or with chunks reordered is refused, never half-read.

Every write goes to an owner-only temporary file beside the target, is flushed to disk, then
renamed over it: a kill leaves the old file or the new one, never a mixture.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from arrs_desk.paths import make_private
from arrs_desk.store.cipher import SALT_BYTES, WrongKey

EVIDENCE_MAGIC = b"ARRSEV1\x00"
EXPORT_MAGIC = b"ARRSEX1\x00"
NONCE_BYTES = 12
TAG_BYTES = 16
_PREFIX_BYTES = 7
CHUNK_BYTES = 1 << 20
_EXPORT_HEADER = len(EXPORT_MAGIC) + SALT_BYTES + _PREFIX_BYTES


# ================================================================================ one-shot (evidence)
def is_sealed(data: bytes) -> bool:
    return data.startswith(EVIDENCE_MAGIC)


def file_is_sealed(path: Path | str) -> bool:
    try:
        with open(path, "rb") as handle:
            return is_sealed(handle.read(len(EVIDENCE_MAGIC)))
    except OSError:
        return False


def encrypt_bytes(data: bytes, key: bytes) -> bytes:
    nonce = secrets.token_bytes(NONCE_BYTES)
    return EVIDENCE_MAGIC + nonce + AESGCM(key).encrypt(nonce, data, EVIDENCE_MAGIC)


def decrypt_bytes(blob: bytes, key: bytes, *, where: str = "the file") -> bytes:
    """The plaintext of a sealed blob; WrongKey when the key does not open it (or it was changed)."""
    if not is_sealed(blob) or len(blob) < len(EVIDENCE_MAGIC) + NONCE_BYTES + TAG_BYTES:
        raise WrongKey(f"{where} is not an encrypted ARRS Desk file.")
    start = len(EVIDENCE_MAGIC)
    try:
        return AESGCM(key).decrypt(blob[start:start + NONCE_BYTES], blob[start + NONCE_BYTES:], EVIDENCE_MAGIC)
    except InvalidTag:
        raise WrongKey(f"{where} does not open with this database's key: it was encrypted under another "
                       "passphrase, or it has been changed or damaged. Nothing was changed.") from None


def read_plain(path: Path | str, key: bytes | None) -> bytes:
    """A file's content, decrypted when it is sealed (which needs `key`), as it is when it is not."""
    data = Path(path).read_bytes()
    if not is_sealed(data):
        return data
    if key is None:
        raise WrongKey(f"{Path(path).name} is encrypted, and this database has no key to open it: open the "
                       "encrypted database it belongs to.")
    return decrypt_bytes(data, key, where=Path(path).name)


@contextmanager
def _replacing(path: Path) -> Iterator[BinaryIO]:
    """A file to write that replaces `path` once the block ends: owner-only, beside it, flushed to
    disk, then renamed over it; removed again if the block fails."""
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        make_private(tmp_name)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def write_atomic(path: Path | str, data: bytes) -> None:
    """Replace `path` with `data`, atomically (`_replacing`)."""
    with _replacing(Path(path)) as out:
        out.write(data)


# ================================================================================ streamed (exports)
def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    return prefix + counter.to_bytes(4, "big") + (b"\x01" if last else b"\x00")


def export_salt(path: Path | str) -> bytes | None:
    """The database salt an encrypted export carries, or None when the file is not one."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(EXPORT_MAGIC) + SALT_BYTES)
    except OSError:
        return None
    if not head.startswith(EXPORT_MAGIC) or len(head) < len(EXPORT_MAGIC) + SALT_BYTES:
        return None
    return head[len(EXPORT_MAGIC):]


def _chunks(handle, size: int) -> Iterator[tuple[bytes, bool]]:
    """Each chunk of `size` bytes with whether it is the last (an empty file is one empty chunk)."""
    current = handle.read(size)
    while True:
        following = handle.read(size)
        yield current, not following
        if not following:
            return
        current = following


def seal_export(source: Path, target: Path, key: bytes, salt: bytes) -> None:
    """Write the encrypted form of the file `source` to `target` (atomically, owner-only)."""
    prefix = secrets.token_bytes(_PREFIX_BYTES)
    header = EXPORT_MAGIC + salt + prefix
    aead = AESGCM(key)
    with _replacing(target) as out, open(source, "rb") as handle:
        out.write(header)
        for counter, (chunk, last) in enumerate(_chunks(handle, CHUNK_BYTES)):
            out.write(aead.encrypt(_nonce(prefix, counter, last), chunk, header))


def open_export(source: Path, target: Path, key: bytes) -> None:
    """Decrypt the encrypted export `source` into `target` (owner-only); WrongKey if `key` does not
    open it or it was cut short or changed. `target` is removed again on any failure."""
    aead = AESGCM(key)
    try:
        fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0), 0o600)
        with os.fdopen(fd, "wb") as out, open(source, "rb") as handle:
            header = handle.read(_EXPORT_HEADER)
            if len(header) < _EXPORT_HEADER or not header.startswith(EXPORT_MAGIC):
                raise WrongKey(f"{source.name} is not an encrypted ARRS Desk export.")
            prefix = header[len(EXPORT_MAGIC) + SALT_BYTES:]
            for counter, (chunk, last) in enumerate(_chunks(handle, CHUNK_BYTES + TAG_BYTES)):
                try:
                    out.write(aead.decrypt(_nonce(prefix, counter, last), chunk, header))
                except InvalidTag:
                    raise WrongKey(_export_refused(source, first=counter == 0)) from None
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def _export_refused(source: Path, *, first: bool) -> str:
    if first:
        return (f"That passphrase does not open {source.name}. It is the passphrase chosen when the export was "
                "made, or, for an encrypted database, that database's passphrase (when it was made). Check Caps "
                "Lock and the keyboard layout, and try again. Nothing was imported.")
    return f"{source.name} has been cut short or changed since it was made, so it cannot be read. Nothing was imported."
