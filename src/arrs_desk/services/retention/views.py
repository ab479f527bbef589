"""What the Records retention tab shows: records that fall due, holds, the rules, the log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

SUMMARY = "summary"
ANONYMISE = "anonymise"
ACTIONS = {SUMMARY: "Reduce to summary", ANONYMISE: "Anonymise"}


@dataclass(frozen=True, slots=True)
class DueRecord:
    """A leaver's staff record: due (its period is over), held, or already a summary."""

    staff_id: int
    name: str
    role: str
    started_on: date
    left_on: date
    rule_code: str
    due_on: date
    stage: str  # "full record" or "summary kept"
    hold_reason: str  # "" when not held

    @property
    def on_hold(self) -> bool:
        return bool(self.hold_reason)


@dataclass(frozen=True, slots=True)
class TrainingDue:
    """One training record past its period: a completed induction item that expires (statutory
    and mandatory training) or a completed programme (other training)."""

    kind: str  # TRAINING_ITEM or TRAINING_PROGRAMME
    record_id: int
    staff_id: int
    name: str
    title: str
    done_on: date
    rule_code: str
    rule_title: str
    due_on: date
    hold_reason: str

    @property
    def on_hold(self) -> bool:
        return bool(self.hold_reason)


TRAINING_ITEM = "induction_item"
TRAINING_PROGRAMME = "programme_enrolment"


@dataclass(frozen=True, slots=True)
class RuleView:
    code: str
    title: str
    period: str
    years: int | None
    default_years: int | None
    after: str
    description: str
    source: str


@dataclass(frozen=True, slots=True)
class RulesView:
    rules: tuple[RuleView, ...]
    source_title: str
    source_url: str
    checked_on: date
    note: str
    period_start: str
    legal_hold: str


@dataclass(frozen=True, slots=True)
class ErasurePreview:
    """What an action on one person's record will remove, for the confirmation to name."""

    staff_id: int
    name: str
    action: str
    records: dict[str, int]  # {class of record: rows}
    evidence_files: int
    audit_entries: int
    kept: str  # what remains afterwards, in words


@dataclass(frozen=True, slots=True)
class DestructionView:
    at: datetime
    actor_name: str
    action: str
    record_class: str
    subject: str
    rule_code: str
    rule_text: str
    removed: dict[str, int]


@dataclass(frozen=True, slots=True)
class BackupStillHolding:
    path: Path
    made_at: datetime


@dataclass(frozen=True, slots=True)
class BackupWarning:
    """Backups made before the latest erasure still hold what it removed."""

    last_erasure: datetime | None
    backups: tuple[BackupStillHolding, ...]
    advice: str
