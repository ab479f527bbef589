"""What a regulator pack shows, as plain frozen data: the one input of `regulator_pack`.

`services.revalidation.packs` fills it from one person's revalidation record; the requirement
list (the rules file's counts against what is recorded) travels with it in `revalidation`. Kept
free of ReportLab so the service can import it without loading the PDF machinery.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from arrs_desk.reports.pack_data import PackRevalidation


@dataclass(frozen=True, slots=True)
class PackCpd:
    occurred_on: date
    title: str
    provider: str
    method: str
    hours: float
    participatory: bool
    planned: bool
    reflection: str
    verified_by: str
    verified_on: date | None


@dataclass(frozen=True, slots=True)
class PackEvidence:
    kind: str
    kind_label: str
    occurred_on: date
    title: str
    details: str
    hours: float
    partner_name: str
    partner_registration: str
    verified_by: str
    verified_on: date | None


@dataclass(frozen=True)
class RegulatorPackData:
    """Everything one person's regulator pack shows; only that person's records."""

    staff_id: int
    regulator_code: str
    """Which pack: NMC, HCPC, GPHC or GMC (`domain.regulator_packs`)."""
    title: str
    display_name: str
    formal_name: str
    role_title: str
    practices: tuple[str, ...]
    line_manager: str
    organisation: str
    printed_on: date
    printed_by: str
    revalidation: PackRevalidation
    opens: date | None
    cycle_explained: str
    cpd_from: date | None
    cpd_to: date | None
    cpd: tuple[PackCpd, ...]
    """Oldest first: the cycle's CPD, or the last `cpd_months` for a profile."""
    evidence: tuple[PackEvidence, ...]
    """Oldest first: the evidence counting towards the cycle."""
    audit_note: str = ""
    """What the rules say about being picked for audit, and whether ARRS Desk knows (HCPC)."""
