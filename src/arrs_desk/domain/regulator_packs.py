"""Which regulators ARRS Desk prints a revalidation pack for, and what CPD each pack covers.

A pack is the record a registrant takes to their confirmer, appraiser or the regulator's audit:
NMC confirmation, HCPC CPD profile, GPhC revalidation record, GMC supporting information. What
each regulator asks for (the counts) stays in resources/regulators/rules.json; this only says
which of those regulators has a pack, its title, and whether its CPD table is the cycle's CPD or
the last N months (the HCPC audits the two years before renewal).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PackKind:
    regulator: str
    """The regulator's code in the rules file."""
    title: str
    cpd_months: int | None = None
    """None: the CPD counting towards the current cycle; otherwise everything in the last N months."""


PACKS = {kind.regulator: kind for kind in (
    PackKind("NMC", "NMC revalidation confirmation pack"),
    PackKind("HCPC", "HCPC CPD profile for audit", cpd_months=24),
    PackKind("GPHC", "GPhC revalidation record"),
    PackKind("GMC", "GMC supporting information summary"),
)}


def pack_for(regulator_code: str | None) -> PackKind | None:
    return PACKS.get(regulator_code or "")


def no_pack_reason(name: str, register_code: str, regulator_name: str) -> str:
    """Why there is nothing to print, in words for the person asking."""
    if not register_code:
        return (f"{name} is not on a professional register in ARRS Desk, so there is no regulator pack to print. "
                "Add their register and number to the staff record if they are registered.")
    if not regulator_name:
        return f"ARRS Desk holds no revalidation rules for the {register_code} register, so it has no pack to print."
    return (f"ARRS Desk has no printed pack for {regulator_name}. The Revalidation page lists {name}'s CPD and "
            "evidence for the current cycle.")
