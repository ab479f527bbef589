"""One person's checklist as a CSV file, for a manager to keep or send on.

Rows are built from the same view the checklist window shows, so the file says what the screen
says; the file is written through `services.exports.save_audited`, which neutralises formula-like
cells and records the export in the audit trail.
"""

from __future__ import annotations

from pathlib import Path

from arrs_desk.clock import in_uk
from arrs_desk.domain.dates import format_uk
from arrs_desk.services.actor import Actor
from arrs_desk.services.exports import save_audited, write_csv
from arrs_desk.services.induction.views import ChecklistView, ItemRow
from arrs_desk.store.database import Database

CSV_HEADER = (
    "Staff member", "Role", "Section", "Item", "Due date", "Status", "Ticked by", "Ticked on", "Note",
    "Signed off by", "Signed off on", "Returned comment", "Not applicable reason", "Completed on",
    "Valid until", "Training status", "Evidence files",
)


def csv_rows(view: ChecklistView) -> list[tuple]:
    """The checklist as CSV rows (text cells), in the order of `CSV_HEADER`."""
    return [
        (view.display_name, view.role_title, i.section_title, i.title, format_uk(i.due_on), i.status.label,
         i.ticked_by, format_uk(i.ticked_at and in_uk(i.ticked_at)), i.note, _signed_by(i),
         format_uk(i.signed_on if i.signed_on_behalf else i.signed_at and in_uk(i.signed_at)), i.return_comment,
         i.na_reason, format_uk(i.completed_on), format_uk(i.expires_on), i.expiry.label if i.expiry else "",
         "; ".join(e.original_name for e in i.evidence))
        for i in view.items
    ]


def save_csv(db: Database, actor: Actor, view: ChecklistView, target: Path) -> int:
    """Write the checklist and record it in the audit trail; returns the row count."""
    rows = csv_rows(view)
    return save_audited(db, actor, target, record="induction_checklist",
                        what=f"the induction checklist of {view.display_name}", file_format="CSV", people=1,
                        write=lambda partial: write_csv(partial, CSV_HEADER, rows),
                        subject_staff_id=view.staff_id).rows


def _signed_by(item: ItemRow) -> str:
    behalf = item.signed_on_behalf
    if behalf is None:
        return item.signed_by
    return f"{item.signed_by} (recorded by {behalf.recorded_by or 'a former user'} from {behalf.source})"
