"""The read shapes of the DSPT evidence report: plain frozen data that the page shows and the PDF
and CSV builders in `reports.dspt_report` print, nothing that needs the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class StorageFacts:
    """Where the personal data lives and how it is protected (DSPT 1.1.2)."""

    kind: str  # "SQLite file on this computer" or "PostgreSQL server"
    location: str
    encryption: str  # in words, including what it means for a copied file
    permissions: str  # who on this computer can read the database file
    backup_folder: str
    backup_permissions: str
    backups_held: int
    newest_backup: str  # "04/12/2026 08:05 (automatic)" or "none yet"
    transport: str  # for a server: whether the connection is encrypted; "" for a file


@dataclass(frozen=True)
class AccountRow:
    username: str
    display_name: str
    roles: str
    active: bool
    last_sign_in: str  # dd/mm/yyyy hh:mm, UK time, or "Never"
    person: str  # the staff record the account belongs to, or ""
    person_left_on: str  # dd/mm/yyyy when that person has left, else ""
    flag: str  # what needs doing, in words, or ""


@dataclass(frozen=True)
class MovementRow:
    """A joiner, mover or leaver in the period, and what happened to their account (DSPT 4.2)."""

    kind: str  # "Joined", "Moved" or "Left"
    person: str
    role: str
    on: date
    detail: str  # for a mover: what changed
    account: str  # "username (active)", "username (disabled)" or "No account"
    flag: str


@dataclass(frozen=True)
class AdminActionRow:
    when: str
    who: str
    action: str
    summary: str


@dataclass(frozen=True)
class RestoreTestRow:
    when: str
    who: str
    backup: str
    passed: bool
    detail: str


@dataclass(frozen=True)
class ReviewRow:
    """A recorded access review: who looked at every account, and when."""

    when: str
    who: str
    accounts: int
    note: str


@dataclass(frozen=True)
class EvidenceItemRow:
    id: str
    title: str
    shows: str


@dataclass(frozen=True)
class DsptReport:
    pcn: str
    made_at: str
    period_start: date
    period_end: date
    next_submission: date
    items: tuple[EvidenceItemRow, ...]
    source: str  # the Toolkit page the item numbers come from, with the date checked
    storage: StorageFacts
    accounts: tuple[AccountRow, ...]
    movements: tuple[MovementRow, ...]
    admin_actions: tuple[AdminActionRow, ...]
    sign_ins: int  # sign-ins in the period (not listed one by one)
    restore_tests: tuple[RestoreTestRow, ...]
    reviews: tuple[ReviewRow, ...]
    access_review_due: str  # "dd/mm/yyyy" or "now (never recorded)"
    restore_test_due: str
    attention: tuple[str, ...]  # every flag in words, first thing the IG lead reads

    @property
    def period_text(self) -> str:
        return f"{self.period_start:%d/%m/%Y} to {self.period_end:%d/%m/%Y}"
