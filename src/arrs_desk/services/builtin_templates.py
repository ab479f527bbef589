"""Copying templates that ship as files (`resources/`) into the database: one mechanism for every
kind, so induction templates and programmes are seeded, upgraded and protected the same way.

The files are copied in the first time a database is opened, and again only when a newer file
version ships for a template the PCN has not edited: the PCN's own versions are never
overwritten. A setting remembers the file versions last synchronised, so an ordinary start-up
costs one read. A malformed built-in file is logged and skipped so the rest of ARRS Desk still
opens; the screens then offer only what is stored.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import select
from sqlmodel import Session

from arrs_desk.errors import ResourceFileError
from arrs_desk.services import audit
from arrs_desk.services.actor import SYSTEM
from arrs_desk.store.models import Setting

log = logging.getLogger(__name__)

SOURCE_BUILTIN = "builtin"
"""A stored version copied from a built-in file."""
SOURCE_EDITED = "edited"
"""A stored version saved in the editor: the PCN's own, never overwritten by a file."""


class BuiltinFile(Protocol):
    """What a built-in template file says about itself (both kinds' pydantic models have these)."""

    code: str
    version: int


@dataclass(frozen=True)
class BuiltinKind:
    """One kind of template that ships as files."""

    model: Any
    """The stored table: has code, version, is_current, source and file_version columns."""
    version_key: str
    """The setting that holds {code: file version} last synchronised."""
    record_type: str
    """The audit trail's name for a stored version."""
    noun: str
    """For the log and the audit entry, e.g. 'induction template'."""
    note_noun: str
    """For the stored version's note: 'Built-in <note_noun>, file version N'."""
    load: Callable[[], Sequence[BuiltinFile]]
    """Reads every built-in file; raises ResourceFileError for a malformed one."""
    insert: Callable[[Session, Any, int, str], object]
    """Writes one file as the current version: (session, file, version number, note)."""


def _fingerprint(files: Sequence[BuiltinFile]) -> dict[str, int]:
    return {f.code: f.version for f in files}


def is_synchronised(kind: BuiltinKind, stored: Any) -> bool:
    """Whether `stored` (the value of `kind.version_key`, None if unset) says the built-in files
    are already in: then opening needs no write at all. A file that will not load is left to
    `sync_builtin`, which logs it."""
    try:
        return stored == _fingerprint(kind.load())
    except ResourceFileError:
        return False


def sync_builtin(session: Session, kind: BuiltinKind, files: Sequence[BuiltinFile] | None = None) -> int:
    """Copy in the built-in files the database lacks or holds an older unedited copy of.

    `files` replaces the files on disk (tests pass newer versions). Returns the number of
    versions added.
    """
    if files is None:
        try:
            files = kind.load()
        except ResourceFileError as exc:
            log.error("Built-in %ss not loaded: %s", kind.noun, exc.message)
            return 0
    fingerprint = _fingerprint(files)
    marker = session.get(Setting, kind.version_key)
    if marker is not None and marker.value == fingerprint:
        return 0
    model = kind.model
    current = {row.code: row for row in session.execute(select(model).where(model.is_current)).scalars()}
    added = 0
    for file in files:
        row = current.get(file.code)
        if row is not None and not (row.source == SOURCE_BUILTIN and (row.file_version or 0) < file.version):
            continue  # up to date, or the PCN's own edit: never overwritten
        if row is not None:
            row.is_current = False
            session.flush()
        kind.insert(session, file, (row.version + 1) if row else 1,
                    f"Built-in {kind.note_noun}, file version {file.version}")
        added += 1
    if marker is None:
        session.add(Setting(key=kind.version_key, value=fingerprint))
    else:
        marker.value = fingerprint
    if added:
        audit.record(session, SYSTEM, "seed", kind.record_type, "",
                     f"Added {added} {kind.noun} version(s) from the built-in files")
    return added
