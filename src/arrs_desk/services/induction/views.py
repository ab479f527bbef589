"""What the induction screens receive: a checklist with its items, the manager overview, and
the items waiting for sign-off.

Plain frozen data, so the screens and the tests can hold a checklist without a database session.
Each item row carries what the viewer may do with it, so a screen never offers a move the service
would refuse.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from arrs_desk.domain.induction import ExpiryStatus, ItemStatus, Progress
from arrs_desk.domain.signatures import SignedOnBehalf
from arrs_desk.services.evidence import EvidenceRow  # noqa: F401  (part of this package's read shapes)

@dataclass(frozen=True, slots=True)
class ItemRow:
    """One checklist item as a view shows it, with what the viewer may do to it."""

    id: int
    version: int
    key: str
    section: str
    section_title: str
    title: str
    guidance: str
    due_on: date
    completed_by: str
    needs_signoff: bool
    evidence_expected: bool
    state: str
    status: ItemStatus
    ticked_by: str
    ticked_at: datetime | None
    note: str
    signed_by: str
    signed_at: datetime | None
    signed_on: date | None
    """The date signed: the day of an in-app sign-off, or the date on a paper or e-mail signature."""
    signed_on_behalf: SignedOnBehalf | None
    """Set when the sign-off was given on paper or by e-mail and recorded on the signer's behalf."""
    signoff_comment: str
    returned_by: str
    returned_at: datetime | None
    return_comment: str
    na_reason: str
    na_by: str
    na_at: datetime | None
    validity_months: int | None
    completed_on: date | None
    expires_on: date | None
    expiry: ExpiryStatus | None
    evidence: tuple[EvidenceRow, ...]
    reinduction: bool
    can_tick: bool
    can_untick: bool
    can_sign_off: bool
    can_record_signature: bool
    """Waiting for sign-off, and the actor may record a signature given on paper or by e-mail."""
    can_mark_na: bool
    can_reopen: bool
    can_attach: bool
    can_edit_validity: bool
    can_renew: bool


@dataclass(frozen=True, slots=True)
class SectionRow:
    code: str
    title: str
    items: tuple[ItemRow, ...]
    progress: Progress


@dataclass(frozen=True)
class ChecklistView:
    staff_id: int
    display_name: str
    role_code: str
    role_title: str
    start_date: date
    line_manager: str
    registration: str
    registration_renewal: date | None
    registration_status: ExpiryStatus | None
    has_checklist: bool
    sections: tuple[SectionRow, ...]
    progress: Progress
    overdue: int
    awaiting: int
    returned: int
    expired: int
    expiring: int
    viewer_is_self: bool
    viewer_can_create: bool
    reinduction_role: str  # the current role's title when it brings items the checklist lacks
    reinduction_titles: tuple[str, ...]

    @property
    def items(self) -> list[ItemRow]:
        return [item for section in self.sections for item in section.items]


class OverviewRow(NamedTuple):
    """One person's line in the overview. A NamedTuple rather than a frozen dataclass: one is made
    per person in post (4,500 at 5,000 staff) and a tuple is made in a quarter of the time a frozen
    dataclass sets 24 fields; it reads, compares and prints the same."""

    staff_id: int
    display_name: str
    family_name: str
    role_code: str
    role_title: str
    practice_ids: tuple[int, ...]
    practices: str
    start_date: date
    status: str
    line_manager: str
    has_checklist: bool
    applicable: int
    done: int
    percent: int
    overdue: int
    awaiting: int
    returned: int
    next_due: date | None
    expired: int
    expiring: int
    registration_renewal: date | None
    registration_status: ExpiryStatus | None
    search_key: str
    name_key: str  # folded family name then display name: the list's natural order


@dataclass(frozen=True, slots=True)
class SignOffRow:
    item_id: int
    item_version: int
    staff_id: int
    display_name: str
    title: str
    section_title: str
    ticked_by: str
    ticked_at: datetime | None
    note: str
    evidence_count: int
    yours: bool = True
    """The viewer line-manages the starter, so it is theirs to sign: an administrator is shown every
    waiting item, and one who is also a line manager was told their own starters' were for others."""
