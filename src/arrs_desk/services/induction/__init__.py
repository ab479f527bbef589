"""Induction checklists: making them, following them, signing them off, and the manager overview.

A checklist copies its items from the current templates when it is made, so later template edits
never touch it. Each tick, sign-off, return and not-applicable records who and when on the item
and in the audit trail, in the same transaction. Rules about dates, states and who may do what
live in `arrs_desk.domain.induction` and `arrs_desk.domain.induction_items`; this package applies
them to stored rows.

Where to look:
  views.py        what the screens receive (a checklist and its items, the overview, sign-offs)
  creation.py     making checklists, and the hooks the staff service calls
  access.py       the viewer's rights over an item's person; an item fetched for a change
  reading.py      one person's checklist as the window shows it
  overview.py     everyone's progress, and the items waiting for sign-off
  ticking.py      ticking, not applicable, validity and renewals
  signoff.py      signing off, returning, and sign-offs recorded on a signer's behalf
  attachments.py  evidence files on items
  export.py       the checklist as a CSV file
  service.py      InductionService, the door to all of it

This module only re-exports the names callers import from `arrs_desk.services.induction`.
"""

from arrs_desk.domain.induction import DUE_SOON_DAYS
from arrs_desk.domain.induction_items import MAX_PAST_COMPLETION_YEARS
from arrs_desk.services.induction.creation import (
    AUTO_CHECKLIST_STATUSES, KIND_INDUCTION, KIND_REINDUCTION, make_checklist, make_starter_checklists,
    on_staff_created, on_start_date_changed,
)
from arrs_desk.services.induction.service import InductionService
from arrs_desk.services.induction.signoff import MIN_RETURN_COMMENT
from arrs_desk.services.induction.ticking import MAX_NOTE
from arrs_desk.services.induction.views import (
    ChecklistView, EvidenceRow, ItemRow, OverviewRow, SectionRow, SignOffRow,
)

__all__ = [
    "AUTO_CHECKLIST_STATUSES", "DUE_SOON_DAYS", "KIND_INDUCTION", "KIND_REINDUCTION", "MAX_NOTE",
    "MAX_PAST_COMPLETION_YEARS", "MIN_RETURN_COMMENT",
    "ChecklistView", "EvidenceRow", "InductionService", "ItemRow", "OverviewRow", "SectionRow", "SignOffRow",
    "make_checklist", "make_starter_checklists", "on_staff_created", "on_start_date_changed",
]
