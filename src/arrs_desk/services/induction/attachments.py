"""Evidence files on checklist items: a certificate or a scanned form attached to show an item
was done, opened from the checklist, and taken off again if attached by mistake.

The file is checked and stored (`services.evidence`) before its record is written; if the
record cannot be written, a newly stored file is discarded, so nothing is left half-done. A file
on an item when it was signed off stays: it is what the sign-off was given on. One attached since
(a renewal's certificate, or the wrong file) was not, and can be taken off again.

The same content (by SHA-256) is attached to an item once: a second copy is refused.

Attaching or removing a file is a change to the item (its version moves on), so a line manager
who opened the checklist before the files changed is told so rather than signing off, or
returning, evidence they have not seen.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlmodel import Session

from arrs_desk.domain.induction import ItemState
from arrs_desk.domain.permissions import Action
from arrs_desk.errors import ValidationError
from arrs_desk.services import audit, evidence
from arrs_desk.services._common import apply_update, get_or_404, require
from arrs_desk.services.actor import Actor
from arrs_desk.services.induction.access import as_relationship, item_for
from arrs_desk.services.induction.views import EvidenceRow
from arrs_desk.services.relationships import relationship
from arrs_desk.store.database import Database
from arrs_desk.store.models import InductionEvidence, InductionItem, utcnow


def attach(db: Database, evidence_root: Callable[[], Path], actor: Actor, item_id: int, source: Path) -> EvidenceRow:
    source = Path(source)
    with db.read() as session:
        _item, rights, _ = item_for(session, actor, item_id)
        require(actor, Action.TICK_INDUCTION, as_relationship(rights))
    root = evidence_root()
    stored = evidence.store_file(source, root, db.key)  # checks size and contents before anything is written
    try:
        with db.write() as session:
            item, _rights, name = item_for(session, actor, item_id)
            if item.state == ItemState.NOT_APPLICABLE:
                raise ValidationError.single("file", "This item is marked not applicable; put it back first.")
            evidence.refuse_a_second_copy(session, actor, InductionEvidence, stored.sha256, item.title,
                                          InductionEvidence.item_id == item.id,
                                          InductionEvidence.removed_at.is_(None))
            row = InductionEvidence(
                item_id=item.id, staff_id=item.staff_id, sha256=stored.sha256, stored_name=stored.stored_name,
                original_name=stored.original_name, media_type=stored.kind.media_type, size=stored.size,
                added_by_user_id=actor.user_id, added_by_name=actor.display_name, removed_by_name="",
            )
            session.add(row)
            session.flush()
            _files_changed(session, item)
            audit.record(session, actor, "attach", "induction_evidence", row.id,
                         f"Attached '{stored.original_name}' to '{item.title}' for {name}",
                         {"sha256": stored.sha256, "size": stored.size, "media_type": stored.kind.media_type},
                         subject_staff_id=item.staff_id)
            return EvidenceRow(row.id, row.original_name, row.media_type, row.size, row.added_by_name, row.added_at)
    except BaseException:
        if stored.created:
            evidence.discard(root, stored.stored_name)
        raise


def evidence_file(db: Database, evidence_root: Callable[[], Path], actor: Actor, evidence_id: int) -> Path:
    with db.read() as session:
        row = get_or_404(session, InductionEvidence, evidence_id, "evidence file")
        require(actor, Action.VIEW_STAFF, relationship(session, actor, row.staff_id))
        stored_name = row.stored_name
    return evidence.stored_path(evidence_root(), stored_name, db.key)


def remove(session: Session, actor: Actor, evidence_id: int) -> None:
    row = get_or_404(session, InductionEvidence, evidence_id, "evidence file")
    item, rights, name = item_for(session, actor, row.item_id)
    require(actor, Action.TICK_INDUCTION, as_relationship(rights))
    if row.removed_at is not None:
        return
    if _signed_with(row, item):
        raise ValidationError.single("file", "This item has been signed off with this evidence, so the file stays.")
    row.removed_at = utcnow()
    row.removed_by_name = actor.display_name
    _files_changed(session, item)
    audit.record(session, actor, "remove", "induction_evidence", row.id,
                 f"Removed '{row.original_name}' from '{item.title}' for {name}", subject_staff_id=item.staff_id)


def _files_changed(session: Session, item: InductionItem) -> None:
    """Move the item's version on: a sign-off or return made on the version read before the files
    changed is then refused as stale (it passed, vouching for files the signer never saw)."""
    apply_update(session, item, {}, item.version, "checklist item")


def _signed_with(row: InductionEvidence, item: InductionItem) -> bool:
    """Whether the item's sign-off was given with this file on it. A file attached after the
    sign-off was not vouched for: refusing its removal kept a wrongly attached file for ever,
    with a message saying it had been signed off with it."""
    if item.state != ItemState.COMPLETE or not item.needs_signoff:
        return False
    return item.signed_at is None or row.added_at <= item.signed_at
