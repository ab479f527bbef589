"""Files on a CPD entry or a piece of revalidation evidence: a certificate, a reflection document.

As with induction evidence (`services.induction.attachments`), the file is checked and stored
(`services.evidence`) before its record is written, and a newly stored file is discarded if the
record cannot be written. Whoever may record on the person's revalidation (`RECORD_CPD`) attaches
and removes; whoever may see the person opens. Files are shared by content, so a file on disk is
deleted only when no record points at it any more, after the transaction that removed the last
one has committed. The same content is on one entry once: a second copy there is refused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from arrs_desk.domain.permissions import Action
from arrs_desk.services import audit, evidence
from arrs_desk.services._common import get_or_404, require
from arrs_desk.services.actor import Actor
from arrs_desk.services.evidence import EvidenceRow
from arrs_desk.services.relationships import relationship
from arrs_desk.services.retention.erasure import digests_in_use
from arrs_desk.services.reviews.facts import person_name
from arrs_desk.store.database import Database
from arrs_desk.store.models import CpdEntry, RevalidationEvidence, RevalidationFile

OWNERS = {"cpd_entry": (CpdEntry, "CPD entry", "cpd_entry_id"),
          "revalidation_evidence": (RevalidationEvidence, "evidence", "evidence_id")}


def file_row(row: RevalidationFile) -> EvidenceRow:
    return EvidenceRow(row.id, row.original_name, row.media_type, row.size, row.added_by_name, row.added_at)


def files_of(session: Session, staff_id: int) -> tuple[dict[int, list[EvidenceRow]], dict[int, list[EvidenceRow]]]:
    """The person's files, by CPD entry id and by evidence id."""
    cpd: dict[int, list[EvidenceRow]] = {}
    other: dict[int, list[EvidenceRow]] = {}
    for row in session.execute(select(RevalidationFile).where(RevalidationFile.staff_id == staff_id)
                               .order_by(RevalidationFile.id)).scalars():
        if row.cpd_entry_id is not None:
            cpd.setdefault(row.cpd_entry_id, []).append(file_row(row))
        elif row.evidence_id is not None:
            other.setdefault(row.evidence_id, []).append(file_row(row))
    return cpd, other


def _owner(session: Session, actor: Actor, today, table: str, row_id: int) -> Any:
    model, what, _column = OWNERS[table]
    owner = get_or_404(session, model, row_id, what)
    require(actor, Action.RECORD_CPD, relationship(session, actor, owner.staff_id, today))
    return owner


def attach(db: Database, evidence_root: Callable[[], Path], actor: Actor, today, *, table: str, row_id: int,
           source: Path) -> int:
    """Attach the file; returns the person's staff id."""
    with db.read() as session:
        _owner(session, actor, today, table, row_id)
    root = evidence_root()
    stored = evidence.store_file(Path(source), root, db.key)  # checks size and contents before anything is written
    try:
        with db.write() as session:
            owner = _owner(session, actor, today, table, row_id)
            # A file taken off is deleted (not marked removed), so every row on the entry is still on it.
            evidence.refuse_a_second_copy(session, actor, RevalidationFile, stored.sha256, owner.title,
                                          getattr(RevalidationFile, OWNERS[table][2]) == owner.id)
            row = RevalidationFile(staff_id=owner.staff_id, **{OWNERS[table][2]: owner.id}, sha256=stored.sha256,
                                   stored_name=stored.stored_name, original_name=stored.original_name,
                                   media_type=stored.kind.media_type, size=stored.size,
                                   added_by_user_id=actor.user_id, added_by_name=actor.display_name)
            session.add(row)
            session.flush()
            audit.record(session, actor, "attach", "revalidation_file", row.id,
                         f"Attached '{stored.original_name}' to '{owner.title}' for "
                         f"{person_name(session, owner.staff_id)}",
                         {"sha256": stored.sha256, "size": stored.size, "media_type": stored.kind.media_type},
                         subject_staff_id=owner.staff_id)
            return owner.staff_id
    except BaseException:
        if stored.created:
            evidence.discard(root, stored.stored_name)
        raise


def stored_file(db: Database, evidence_root: Callable[[], Path], actor: Actor, today, file_id: int) -> Path:
    with db.read() as session:
        row = get_or_404(session, RevalidationFile, file_id, "file")
        require(actor, Action.VIEW_STAFF, relationship(session, actor, row.staff_id, today))
        stored_name = row.stored_name
    return evidence.stored_path(evidence_root(), stored_name, db.key)


def remove(session: Session, actor: Actor, today, file_id: int) -> tuple[int, str]:
    """Take one file off its entry. Returns (staff id, the digest to delete once committed)."""
    row = get_or_404(session, RevalidationFile, file_id, "file")
    table = "cpd_entry" if row.cpd_entry_id is not None else "revalidation_evidence"
    owner = _owner(session, actor, today, table, row.cpd_entry_id or row.evidence_id)
    session.delete(row)
    audit.record(session, actor, "remove", "revalidation_file", row.id,
                 f"Removed '{row.original_name}' from '{owner.title}' for {person_name(session, owner.staff_id)}",
                 {"sha256": [row.sha256, None]}, subject_staff_id=owner.staff_id)
    return owner.staff_id, row.sha256


def remove_all(session: Session, table: str, row_id: int) -> set[str]:
    """Delete the files' records of an entry being removed (its own audit entry names it).
    Returns their digests, to delete once committed."""
    column = getattr(RevalidationFile, OWNERS[table][2])
    rows = session.execute(select(RevalidationFile).where(column == row_id)).scalars().all()
    for row in rows:
        session.delete(row)
    session.flush()
    return {row.sha256 for row in rows}


def unused(session: Session, digests: Iterable[str]) -> set[str]:
    """Of these digests, those no record points at any more (files are shared by content)."""
    digests = set(digests)
    return digests - digests_in_use(session, digests)
