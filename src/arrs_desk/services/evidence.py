"""Evidence files: checked by their contents, copied into the evidence folder under their SHA-256.

A file is accepted only if its first bytes say it is one of the kinds below, whatever its name
ends with, and it is at most `MAX_EVIDENCE_BYTES`. It is copied (never moved) while being hashed,
into a temporary file beside its final place, then renamed: a half-copied file is never visible
under a hash name, and the same certificate attached twice is stored once.

When the database is encrypted, every file is kept sealed (`store.file_cipher`, AES-256-GCM) under
a key derived from the database's (`file_key`): the name is still the SHA-256 of the plain
content, so the same file is stored once whatever its protection. Reading is transparent: exports
get the plain content (`plain_bytes`), and opening one decrypts it into an owner-only copy
(`stored_path`). `convert_evidence` re-protects the whole folder when encryption is turned on,
off, or its passphrase changes.

A file is on one item, competency or entry once: `refuse_a_second_copy` turns away another copy of
the same content there (one that was taken off may be attached again).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import stat
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.sql import ColumnElement
from sqlmodel import Session

from arrs_desk.errors import NotFound, ValidationError
from arrs_desk.paths import private_folder
from arrs_desk.services import audit
from arrs_desk.services.actor import Actor
from arrs_desk.store import file_cipher
from arrs_desk.store.cipher import DatabaseKey

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
log = logging.getLogger(__name__)


def evidence_folder(evidence_root: Callable[[], Path] | None = None) -> Callable[[], Path]:
    """Where a service keeps attached files: the given folder (tests, a restore target), else the
    user's evidence folder, asked each time (so it follows `ARRS_DESK_HOME` and a test's patch).
    The one place the services choose it."""
    if evidence_root is not None:
        return evidence_root
    from arrs_desk.paths import evidence_dir

    return evidence_dir
_CHUNK = 1024 * 1024
_KEPT_NAME = re.compile(r"^[0-9a-f]{64}\.[a-z]{3,4}$")


@dataclass(frozen=True, slots=True)
class EvidenceKind:
    media_type: str
    extension: str
    label: str


PDF = EvidenceKind("application/pdf", ".pdf", "PDF")
PNG = EvidenceKind("image/png", ".png", "PNG image")
JPEG = EvidenceKind("image/jpeg", ".jpg", "JPEG image")
DOCX = EvidenceKind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", "Word document")
ODT = EvidenceKind("application/vnd.oasis.opendocument.text", ".odt", "OpenDocument text")
KINDS = (PDF, PNG, JPEG, DOCX, ODT)
_BY_EXTENSION = {".pdf": PDF, ".png": PNG, ".jpg": JPEG, ".jpeg": JPEG, ".docx": DOCX, ".odt": ODT}
ACCEPTED_TEXT = "a PDF, PNG or JPEG image, Word document (.docx) or OpenDocument text (.odt)"
FILE_DIALOG_FILTER = "Evidence files (*.pdf *.png *.jpg *.jpeg *.docx *.odt);;All files (*)"


@dataclass(frozen=True, slots=True)
class EvidenceRow:
    """A file attached to an induction item or a programme, as its screens list it."""

    id: int
    original_name: str
    media_type: str
    size: int
    added_by: str
    added_at: datetime


@dataclass(frozen=True, slots=True)
class StoredFile:
    sha256: str
    stored_name: str
    size: int
    kind: EvidenceKind
    original_name: str
    created: bool  # False when an identical file was already stored


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def sniff(path: Path, head: bytes) -> EvidenceKind | None:
    """The kind of file this is, from its contents; None for anything else."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                if "word/document.xml" in names and "[Content_Types].xml" in names:
                    types = _member_start(archive, "[Content_Types].xml", MAX_CONTENT_TYPES_BYTES)
                    # A macro-enabled document renamed .docx is not accepted: evidence never runs code.
                    # Nor is one whose list of parts is far beyond any real document's (a zip bomb).
                    return None if types is None or b"macroenabled" in types.lower() else DOCX
                if "mimetype" in names and (_member_start(archive, "mimetype", 60) or b"").strip() \
                        == ODT.media_type.encode():
                    return ODT
        except (zipfile.BadZipFile, OSError, KeyError, RuntimeError):
            return None
    return None


MAX_CONTENT_TYPES_BYTES = 256 * 1024
"""A Word document's list of its parts is a few kilobytes; one far larger is not a real document."""


def _member_start(archive: zipfile.ZipFile, name: str, limit: int) -> bytes | None:
    """A zip member's contents, read no further than `limit` bytes; None if it is longer. Never the
    whole member: a 20 MB file can unpack to gigabytes, and the PC it is attached on would run
    out of memory reading it."""
    with archive.open(name) as member:
        data = member.read(limit + 1)
    return data if len(data) <= limit else None


MAX_NAME_CHARS = 120
"""The longest name a file is listed under (the database holds 255; a longer one hid its extension)."""
_NOT_IN_FILE_NAMES = re.compile(r'[<>:"/\\|?*]+')
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3]|conin\$|conout\$)$",
                               re.IGNORECASE)


def clean_name(name: str, extension: str = "") -> str:
    """The name an attached file is kept, listed and audited under: safe as a file name anywhere.

    The one place a chosen file's name is cleaned on its way in. Control, bidi and other invisible
    characters go (an override can make "fdp.exe" show as "exe.pdf"); path separators and the
    other characters Windows refuses become "_"; leading dots (a hidden file) and trailing dots
    and spaces (which Windows drops) go; a Windows device name (CON, NUL, COM1...) gets a "_" in
    front; and a long name is shortened keeping its extension. Nothing left: "evidence" plus
    `extension`, the kind's own.
    """
    name = unicodedata.normalize("NFC", name)
    name = "".join(ch if ch.isprintable() else " " if ch.isspace() else "" for ch in name)
    name = re.sub(r" {2,}", " ", _NOT_IN_FILE_NAMES.sub("_", name)).lstrip(". ").rstrip(". ")
    stem, dot, suffix = name.rpartition(".")
    if not (dot and stem and 1 <= len(suffix) <= 8 and suffix.isalnum()):
        stem, suffix = name, ""
    suffix = f".{suffix}" if suffix else ""
    if len(name) > MAX_NAME_CHARS:
        stem = stem[:MAX_NAME_CHARS - len(suffix)].rstrip(". ")
        name = stem + suffix
    if not stem:
        return "evidence" + (suffix or extension)
    if _WINDOWS_RESERVED.match(name.split(".", 1)[0].rstrip(" ")):
        name = "_" + name
    return name


def _problem(message: str) -> ValidationError:
    return ValidationError.single("file", message)


def check_file(source: Path) -> tuple[int, EvidenceKind]:
    """Size and kind of a file a user chose, or a ValidationError saying what is wrong. Reads
    only the first bytes (and a zip's directory), so a huge file is refused at once."""
    name = clean_name(source.name)
    try:
        info = source.stat()
        if not stat.S_ISREG(info.st_mode):
            raise _problem(f"'{name}' is not a file that can be attached; choose a document or image.")
        size = info.st_size
        with source.open("rb") as handle:
            head = handle.read(16)
    except ValidationError:
        raise
    except OSError as exc:
        raise _problem(
            f"Cannot read '{name}' ({exc.strerror or exc}). Check that the file still exists, is not open in "
            "another program and that you may read it, then try again."
        ) from None
    if size == 0:
        raise _problem(f"'{name}' is empty (0 bytes), so there is nothing to keep as evidence.")
    if size > MAX_EVIDENCE_BYTES:
        raise _problem(
            f"'{name}' is {_megabytes(size)}; evidence files can be at most {_megabytes(MAX_EVIDENCE_BYTES)}. "
            "Save a smaller copy (for example, scan at a lower resolution) and attach that."
        )
    kind = sniff(source, head)
    if kind is None:
        claimed = _BY_EXTENSION.get(source.suffix.lower())
        lead = (f"'{name}' is named like a {claimed.label} but its contents are not one"
                if claimed else f"'{name}' is not a kind of file ARRS Desk keeps as evidence")
        raise _problem(f"{lead}. Attach {ACCEPTED_TEXT}.")
    return size, kind


def refuse_a_second_copy(session: Session, actor: Actor, model: Any, sha256: str, title: str,
                         *still_on_it: ColumnElement[bool]) -> None:
    """Refuse a file whose content (its SHA-256) is already on what it is being attached to: a second
    copy listed the same certificate twice, and whoever signed it off saw two files where there was
    one. `model` is the file table (with `sha256` and `original_name`); `still_on_it` picks its rows
    on the item, competency or entry `title` that have not been taken off, so one taken off may be
    attached again. Called in the transaction that writes the new row.

    The writer's account is checked first (`audit.check_writer`, which takes the audit chain's head
    the write's entry needs anyway, so no extra round trip): an account changed since sign-in learns
    nothing, not even that the file is there; and two PCs attaching the same file at once on one
    server queue on that head, so the second looks only after the first has committed, and sees its
    row. The file tables have no unique index to do this (copies made before this check would block one)."""
    audit.check_writer(session, actor)
    already = session.execute(select(model.original_name).where(model.sha256 == sha256, *still_on_it)
                              .limit(1)).scalar()
    if already is not None:
        raise _problem(f"This file is already attached to '{title}' (as '{already}'), so it is not added again.")


def file_key(key: DatabaseKey | None) -> bytes | None:
    """The key evidence files are sealed with, from the database's key; None for a plain database."""
    return key.subkey("evidence") if key is not None else None


def store_file(source: Path, root: Path, key: DatabaseKey | None = None) -> StoredFile:
    """Copy an accepted file into `root/<first two hex digits>/<sha256><ext>`, sealed when `key` is given
    (the plain content then never touches the disk)."""
    size, kind = check_file(source)
    shown = clean_name(source.name)
    private_folder(root)
    digest = hashlib.sha256()
    tmp = root / f".incoming-{os.getpid()}-{id(digest):x}.partial"
    copied = 0
    sealed = file_key(key)
    held = bytearray()
    try:
        fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0), 0o600)
        with os.fdopen(fd, "wb") as out, source.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                copied += len(chunk)
                if copied > MAX_EVIDENCE_BYTES:
                    raise _problem(
                        f"'{shown}' grew past {_megabytes(MAX_EVIDENCE_BYTES)} while it was being copied; "
                        "evidence files can be at most that size."
                    )
                digest.update(chunk)
                if sealed is None:
                    out.write(chunk)
                else:
                    held += chunk
            if sealed is not None:
                out.write(file_cipher.encrypt_bytes(bytes(held), sealed))
            out.flush()
            os.fsync(out.fileno())
    except ValidationError:
        tmp.unlink(missing_ok=True)
        raise
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _problem(f"Cannot copy '{shown}' into the evidence folder ({exc.strerror or exc}).") from None
    sha = digest.hexdigest()
    stored_name = sha + kind.extension
    final = root / sha[:2] / stored_name
    private_folder(final.parent)
    created = not final.exists()
    if created:
        os.replace(tmp, final)
    else:
        tmp.unlink(missing_ok=True)
    return StoredFile(sha, stored_name, copied or size, kind, clean_name(source.name, kind.extension), created)


def kept_path(root: Path, stored_name: str) -> Path:
    """Where the file is kept (sealed or not); NotFound when this computer does not hold it. A stored
    name is only ever a SHA-256 and an extension: anything else (a record edited in a shared
    database) is refused before it becomes a path, so opening never reads or writes outside the
    evidence folder."""
    if not _KEPT_NAME.match(stored_name):
        raise NotFound(f"The record names its evidence file {stored_name[:80]!r}, which is not a stored evidence "
                       "name, so it is not opened.")
    path = root / stored_name[:2] / stored_name
    if not path.is_file():
        raise NotFound(
            f"The evidence file is not in this computer's evidence folder ({root}). It may have been attached on "
            "another PC: copy that PC's evidence folder here, or attach the file again."
        )
    return path


def stored_path(root: Path, stored_name: str, key: DatabaseKey | None = None) -> Path:
    """A file to open in its usual program: the kept file itself when it is plain, else a decrypted
    owner-only copy in the private folder beside the evidence folder (`OPENED_FOLDER`, emptied of
    copies more than an hour old each time another is made, and of all when the database closes)."""
    path = kept_path(root, stored_name)
    if not file_cipher.file_is_sealed(path):
        return path
    content = file_cipher.read_plain(path, file_key(key))
    folder = private_folder(root.parent / OPENED_FOLDER)
    _sweep_opened(folder)
    copy = folder / stored_name
    file_cipher.write_atomic(copy, content)
    return copy


OPENED_FOLDER = "opened"
_OPENED_KEPT_SECONDS = 3600


def _sweep_opened(folder: Path, kept_seconds: float = _OPENED_KEPT_SECONDS) -> None:
    """Remove decrypted copies opened long enough ago that their program has read them. One still held
    open (Windows refuses) stays until the next time."""
    from arrs_desk import clock

    now = clock.now().timestamp()
    for old in folder.iterdir():
        try:
            if now - old.stat().st_mtime >= kept_seconds:
                old.unlink()
        except OSError:
            continue


def forget_opened(root: Path) -> None:
    """Remove every decrypted copy made for opening (when the database is closed), so no readable copy
    of an encrypted file outlives the session that opened it."""
    folder = root.parent / OPENED_FOLDER
    if folder.is_dir():
        _sweep_opened(folder, kept_seconds=float("-inf"))


def plain_bytes(path: Path, key: DatabaseKey | None) -> bytes:
    """A kept file's content as it was attached, for an export (decrypted when it is sealed)."""
    return file_cipher.read_plain(path, file_key(key))


def discard(root: Path, stored_name: str) -> None:
    """Remove a file this attempt stored, when the database refused the record of it."""
    (root / stored_name[:2] / stored_name).unlink(missing_ok=True)


def delete_stored(root: Callable[[], Path], digests: set[str]) -> None:
    """Delete the files stored under these SHA-256 digests, once no record points at them (the
    caller has checked, after its transaction committed). Best effort: the records are gone, so a
    file that cannot be deleted is logged and can be removed by hand."""
    if not digests:
        return
    try:
        folder = root()
    except OSError:
        return
    for sha in digests:
        for path in (folder / sha[:2]).glob(f"{sha}*"):
            try:
                path.unlink()
            except OSError as exc:
                log.warning("could not delete evidence file %s: %s", path, exc)


def convert_evidence(root: Path, old_key: DatabaseKey | None, new_key: DatabaseKey | None) -> tuple[int, list[Path]]:
    """Give every file in the evidence folder `root` the protection of `new_key` (None: plain).
    Returns (files converted, files left as they were).

    Each file is rewritten atomically (temporary copy, flushed, renamed over it), so a kill leaves it
    old or new, and one already as wanted is skipped: running it again finishes the job. A file that
    neither key opens, or whose content no longer matches its name, is left untouched and reported."""
    old, new = file_key(old_key), file_key(new_key)
    converted, left = 0, []
    if not root.is_dir():
        return 0, []
    for path in sorted(root.glob("??/*")):
        if not _KEPT_NAME.match(path.name) or not path.is_file():
            continue
        try:
            data = path.read_bytes()
            if file_cipher.is_sealed(data):
                if new is not None and _opens(data, new):
                    continue  # already under the new key
                plain = file_cipher.decrypt_bytes(data, old, where=path.name) if old is not None else None
            else:
                if new is None:
                    continue  # already plain
                plain = data
            if plain is None or hashlib.sha256(plain).hexdigest() != path.name[:64]:
                raise ValueError("its content does not match its name, or no key given opens it")
            file_cipher.write_atomic(path, plain if new is None else file_cipher.encrypt_bytes(plain, new))
            converted += 1
        except Exception as exc:  # noqa: BLE001  (one bad file must not stop the others)
            log.warning("evidence file %s left as it was: %s", path, getattr(exc, "message", exc))
            left.append(path)
    return converted, left


def _opens(data: bytes, key: bytes) -> bool:
    try:
        file_cipher.decrypt_bytes(data, key)
    except file_cipher.WrongKey:
        return False
    return True
