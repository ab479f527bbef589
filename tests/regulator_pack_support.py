"""Filled-in regulator packs for report tests and renders, independent of any database: the
requirement list comes from the built-in rules file, as the service builds it."""

from __future__ import annotations

from datetime import date, timedelta

from arrs_desk.domain.regulator_packs import pack_for
from arrs_desk.domain.regulators import EvidenceKind, builtin_rules
from arrs_desk.reports.pack_data import PackRequirement, PackRevalidation
from arrs_desk.reports.regulator_pack_data import PackCpd, PackEvidence, RegulatorPackData

PRINTED = date(2026, 11, 24)
CYCLE_START, CYCLE_END = date(2024, 6, 1), date(2027, 5, 31)
NAME = "Zoë Ó'Brien-Łukasiewicz"
LONG_TITLE = ("Advanced clinical assessment of the acutely unwell adult in primary care, including sepsis "
              "recognition, escalation pathways and safety-netting conversations with carers")
REGISTER = {"NMC": ("NMC register (nurses and nursing associates)", "Nursing and Midwifery Council", "09A1234E"),
            "HCPC": ("HCPC register: paramedics", "Health and Care Professions Council", "PA012345"),
            "GPHC": ("GPhC register: pharmacists", "General Pharmaceutical Council", "2081234"),
            "GMC": ("GMC register: physician associates", "General Medical Council", "A1234567")}


def sample_cpd(count: int = 40) -> tuple[PackCpd, ...]:
    return tuple(PackCpd(CYCLE_START + timedelta(days=20 * i), LONG_TITLE if i % 7 == 0 else f"Asthma update part {i}",
                         "Training hub" if i % 2 else "", "Course or study day" if i % 3 else "E-learning", 1.5,
                         i % 2 == 0, i % 3 == 0,
                         f"Reflection {i}: I now review inhaler technique at every visit." if i % 4 == 0 else "",
                         "Helen Whitfield" if i % 5 == 0 else "", CYCLE_START + timedelta(days=20 * i + 3)
                         if i % 5 == 0 else None) for i in range(count))


def sample_evidence() -> tuple[PackEvidence, ...]:
    found = []
    day = CYCLE_START + timedelta(days=10)
    for kind, count in (("practice-hours", 1), ("feedback", 3), ("reflective-account", 5), ("discussion", 1),
                        ("declaration", 1), ("confirmation", 1), ("quality-improvement", 1), ("patient-feedback", 2)):
        for i in range(count):
            partner = ("Sam Reid-Ørsted", "09B5678E") if kind in ("discussion", "confirmation") else ("", "")
            found.append(PackEvidence(kind, EvidenceKind(kind).label, day, f"{EvidenceKind(kind).label} {i + 1}",
                                      "I reflected on a missed referral and changed how I safety-net." if
                                      kind == "reflective-account" else "", 500.0 if kind == "practice-hours" else 0.0,
                                      *partner, "", None))
            day += timedelta(days=9)
    return tuple(found)


def requirements(code: str, cpd, evidence) -> tuple[PackRequirement, ...]:
    regulator = next(r for r in builtin_rules().regulators if r.code == code)
    found = []
    for r in regulator.requirements:
        if r.measure == "cpd-hours":
            have = sum(c.hours for c in cpd)
        elif r.measure == "participatory-hours":
            have = sum(c.hours for c in cpd if c.participatory)
        elif r.measure == "cpd-records":
            have = len(cpd)
        elif r.measure == "planned-cpd-records":
            have = sum(c.planned for c in cpd)
        elif r.measure == "evidence-count":
            have = sum(e.kind == r.evidence for e in evidence)
        else:
            have = sum(e.hours for e in evidence if e.kind == r.evidence)
        found.append(PackRequirement(r.code, r.label, have, r.at_least, have >= r.at_least, r.measure,
                                     r.evidence or "", r.note or ""))
    return tuple(found)


def sample_regulator_pack(code: str = "NMC", *, cpd_count: int = 40, name: str = NAME, evidence=None,
                          cpd=None) -> tuple[RegulatorPackData, tuple[PackRequirement, ...]]:
    register, regulator, number = REGISTER[code]
    cpd = sample_cpd(cpd_count) if cpd is None else cpd
    evidence = sample_evidence() if evidence is None else evidence
    reqs = requirements(code, cpd, evidence)
    revalidation = PackRevalidation(regulator, register, number, "On track",
                                    f"{regulator} revalidation due 01/05/2027 (in 158 days).", CYCLE_START, CYCLE_END,
                                    date(2027, 5, 1), reqs, len(cpd))
    data = RegulatorPackData(
        staff_id=7, regulator_code=code, title=pack_for(code).title, display_name=name, formal_name=name,
        role_title="General practice nurse", practices=("Riverside Medical Centre",), line_manager="Helen Whitfield",
        organisation="Riverside and Moorland PCN", printed_on=PRINTED, printed_by="Helen Whitfield",
        revalidation=revalidation, opens=date(2027, 3, 2), cycle_explained="Every three years.",
        cpd_from=CYCLE_START, cpd_to=CYCLE_END, cpd=cpd, evidence=evidence,
        audit_note="Not recorded in ARRS Desk." if code == "HCPC" else "")
    return data, reqs
