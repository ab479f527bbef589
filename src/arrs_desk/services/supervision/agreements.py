"""Signed supervision agreements: stored by their content before a transaction, checked before opening.

A signed agreement is copied into the evidence folder under its SHA-256 before the database is
touched, so a slow copy never holds a write transaction; if the write then fails, the copy this
attempt made is removed again. Opening checks the stored copy still has the recorded SHA-256.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from arrs_desk.errors import NotFound, ValidationError
from arrs_desk.services import evidence
from arrs_desk.services.actor import Actor
from arrs_desk.store.cipher import DatabaseKey
from arrs_desk.store.models import utcnow


def checked_agreement(path: str | None, key: DatabaseKey | None = None) -> evidence.StoredFile | str | None:
    """Check a signed agreement by its content and size, and store it under its SHA-256,
    before any transaction starts. A message says what is wrong instead; the caller reports
    it with the other field problems, so the person sees everything at once."""
    if not path:
        return None
    from arrs_desk.paths import evidence_dir

    try:
        return evidence.store_file(Path(path), evidence_dir(), key)
    except ValidationError as exc:
        return exc.message


def agreement_values(actor: Actor, stored: evidence.StoredFile) -> dict:
    return {"agreement_sha256": stored.sha256, "agreement_size": stored.size,
            "agreement_media_type": stored.kind.media_type, "agreement_filename": stored.original_name,
            "agreement_added_at": utcnow(), "agreement_added_by_name": actor.display_name}


def discard_agreement(agreement) -> None:
    """Remove a file this attempt stored when the database refused the record of it."""
    if isinstance(agreement, evidence.StoredFile) and agreement.created:
        from arrs_desk.paths import evidence_dir

        evidence.discard(evidence_dir(), agreement.stored_name)


def verified_agreement(sha: str, filename: str, media_type: str, key: DatabaseKey | None = None) -> Path:
    """Where the agreement with this SHA-256 is stored (a decrypted copy when it is kept encrypted),
    once its content is checked against it."""
    from arrs_desk.paths import evidence_dir

    extension = next((k.extension for k in evidence.KINDS if k.media_type == media_type), "")
    path = evidence.stored_path(evidence_dir(), sha + extension, key)
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    if digest.hexdigest() != sha:
        raise NotFound(
            f"The stored copy of {filename} has changed since it was attached, so it is not opened. "
            "Attach the signed agreement again."
        )
    return path
