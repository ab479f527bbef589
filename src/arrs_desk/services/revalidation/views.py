"""What the revalidation screens send (inputs) and get back (read shapes): plain data, no rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from arrs_desk.domain.revalidation import CycleDates, Progress, cycle_choices, default_cycle
from arrs_desk.services.evidence import EvidenceRow


@dataclass(frozen=True, slots=True)
class CpdInput:
    staff_id: int
    occurred_on: date | None
    title: str
    method: str
    hours: float | None
    provider: str = ""
    participatory: bool = False
    planned: bool = False
    reflection: str = ""
    source_kind: str = ""  # "", "supervision", "programme", "induction" or "training"
    source_id: int | None = None
    counts_towards: date | None = None  # the last day of the cycle it counts towards; None: by its date


@dataclass(frozen=True, slots=True)
class EvidenceInput:
    staff_id: int
    kind: str
    occurred_on: date | None
    title: str
    details: str = ""
    hours: float = 0.0
    partner_name: str = ""
    partner_registration: str = ""
    counts_towards: date | None = None


@dataclass(frozen=True, slots=True)
class CpdRow:
    id: int
    version: int
    staff_id: int
    occurred_on: date
    title: str
    provider: str
    method: str
    method_label: str
    hours: float
    participatory: bool
    planned: bool
    reflection: str
    source_kind: str
    source_id: int | None
    counts_towards: date | None
    recorded_by: str
    verified_by: str
    verified_on: date | None
    files: tuple[EvidenceRow, ...] = ()  # certificates, reflection documents
    source_label: str = ""  # where it came from, in words ("Supervision session on 05/03/2025")


@dataclass(frozen=True, slots=True)
class RevalidationEvidenceRow:
    id: int
    version: int
    staff_id: int
    kind: str
    kind_label: str
    occurred_on: date
    title: str
    details: str
    hours: float
    partner_name: str
    partner_registration: str
    counts_towards: date | None
    recorded_by: str
    verified_by: str
    verified_on: date | None
    files: tuple[EvidenceRow, ...] = ()


@dataclass(frozen=True, slots=True)
class CpdSource:
    """One of the person's own records a CPD entry can be filled from, so nothing is typed twice."""

    kind: str  # one of domain.revalidation.CPD_SOURCES
    id: int
    occurred_on: date
    title: str
    hours: float | None
    label: str  # what the picker shows


@dataclass(frozen=True, slots=True)
class StatusRow:
    """One person's revalidation at a glance (the list, Home warnings, assurance)."""

    staff_id: int
    name: str
    register_code: str
    regulator: str
    status: str
    status_label: str
    reason: str
    due: date | None
    days_to_due: int | None
    warning: int | None
    line_manager_id: int | None
    regulator_short: str = ""
    """The regulator as people name it ("GPhC", "NMC"): the list's Register column, where the register's
    code ("GPHC-TECHNICIAN") meant nothing to a reader."""


@dataclass(frozen=True, slots=True)
class PersonRevalidation:
    summary: StatusRow
    cycle: CycleDates | None
    progress: tuple[Progress, ...]
    cpd: tuple[CpdRow, ...]
    evidence: tuple[RevalidationEvidenceRow, ...]
    can_record: bool
    can_verify: bool
    cycle_explained: str
    pack_problem: str = ""
    """Why the reader cannot print this person's regulator pack ('' when they can)."""
    previous_cycle: CycleDates | None = None  # what an entry dated before the current cycle may count towards

    def cycle_choices(self, occurred_on: date | None) -> tuple[CycleDates, ...]:
        """What the form offers an entry dated `occurred_on` to count towards (current first)."""
        return cycle_choices(self.cycle, self.previous_cycle, occurred_on)

    def cycle_by_date(self, occurred_on: date | None) -> CycleDates | None:
        """The offered cycle the date falls in: the form's default."""
        return default_cycle(self.cycle_choices(occurred_on), occurred_on)
