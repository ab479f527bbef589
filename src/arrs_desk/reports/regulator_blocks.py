"""The four regulator packs as plain blocks, from one `RegulatorPackData` and its requirement list.

Each pack is a layout (below, as data): a list of sections of a few kinds, the cycle, the
requirements against what is recorded, the CPD table, one kind of evidence, and so on. One
function per kind turns a section into blocks, so NMC, HCPC, GPhC and GMC share every line of
code and differ only in their layouts. The counts come from the requirement list (the rules
file), never from here; `appraisal_pack.build_pack` lays the blocks out as the appraisal pack's pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from arrs_desk.reports.pack_blocks import (
    Block, Cover, Facts, Grid, Heading, LongText, Para, Rich, SignatureBlock, Strong, uk,
)
from arrs_desk.reports.pack_data import PackRequirement
from arrs_desk.reports.regulator_pack_data import PackCpd, PackEvidence, RegulatorPackData

CPD_MEASURES = ("cpd-hours", "participatory-hours", "cpd-records", "planned-cpd-records")


@dataclass(frozen=True, slots=True)
class Section:
    kind: str
    """'cycle', 'requirements', 'cpd', 'evidence', 'methods', 'reflections', 'summary', 'supporting' or 'sign'."""
    heading: str
    intro: str = ""
    evidence: str = ""
    """For 'evidence': the kind of evidence listed."""
    columns: tuple[str, ...] = ()
    """For 'cpd' and 'evidence': which columns (see CPD_COLUMNS and EVIDENCE_COLUMNS)."""
    details: bool = False
    """For 'evidence' and 'cpd': print each record's own words (details, reflection) below the table."""
    parties: tuple[str, ...] = ()
    """For 'sign': who signs; 'confirmer' is filled from the recorded confirmation."""
    marks: tuple[str, str] = ("Met", "Not met")
    """How a requirement met, and one not met, are marked (the GMC says 'covered' and 'not yet')."""


def _yes(value: bool) -> str:
    return "Yes" if value else "No"


def _verified(by: str, on) -> str:
    return f"{by} ({uk(on)})" if on else "Not verified"


def _hours(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


# (heading, share of the width, cell). The title takes whatever width the other columns leave,
# which are sized to hold a date, "Participatory" and a verifier's name without breaking a word.
CPD_COLUMNS: dict[str, tuple[str, float, Callable[[PackCpd], Rich]]] = {
    "date": ("Date", 0.14, lambda c: uk(c.occurred_on)),
    "title": ("Title", 0.0, lambda c: c.title + (f"\n{c.provider}" if c.provider else "")),
    "method": ("Method", 0.15, lambda c: c.method),
    "hours": ("Hours", 0.1, lambda c: _hours(c.hours)),
    "participatory": ("Participatory", 0.17, lambda c: _yes(c.participatory)),
    "planned": ("Planned", 0.12, lambda c: _yes(c.planned)),
    "verified": ("Verified by", 0.19, lambda c: _verified(c.verified_by, c.verified_on)),
}
EVIDENCE_COLUMNS: dict[str, tuple[str, float, Callable[[PackEvidence], Rich]]] = {
    "date": ("Date", 0.14, lambda e: uk(e.occurred_on)),
    "kind": ("Kind", 0.2, lambda e: e.kind_label),
    "title": ("Title", 0.0, lambda e: e.title),
    "hours": ("Hours", 0.1, lambda e: _hours(e.hours)),
    "partner": ("With (name)", 0.24, lambda e: e.partner_name or "Not named"),
    "pin": ("Their PIN", 0.15, lambda e: e.partner_registration or "Not recorded"),
    "verified": ("Verified by", 0.24, lambda e: _verified(e.verified_by, e.verified_on)),
}


def _grid(columns: tuple[str, ...], table: dict, records) -> Grid:
    fixed = sum(table[c][1] for c in columns)
    widths = tuple(table[c][1] or 1.0 - fixed for c in columns)
    return Grid(tuple(table[c][0] for c in columns), tuple(tuple(table[c][2](r) for c in columns) for r in records),
                widths, split_rows=False)


def _evidence_section(kind: str, heading: str, intro: str = "", details: bool = False,
                      columns: tuple[str, ...] = ("date", "title", "verified")) -> Section:
    return Section("evidence", heading, intro, evidence=kind, columns=columns, details=details)


# Headings of the HCPC's five standards for CPD (HCPC, "Standards of continuing professional
# development"; the same five each registrant's profile is audited against).
HCPC_STANDARDS = (
    "Standard 1: a continuous, up-to-date and accurate record of CPD activities",
    "Standard 2: a mixture of learning activities relevant to current or future practice",
    "Standards 3 and 4: how CPD improved the quality of practice and service delivery, and benefited service users",
    "Standard 5: the written profile, the registrant's own work, supported by evidence",
)

LAYOUTS: dict[str, tuple[Section, ...]] = {
    "NMC": (
        Section("cycle", "Registration and cycle"),
        Section("requirements", "Requirements at a glance",
                "Each requirement with what is recorded for this cycle against what the NMC asks for."),
        _evidence_section("practice-hours", "Practice hours", columns=("date", "title", "hours", "verified")),
        Section("cpd", "Continuing professional development",
                columns=("date", "title", "method", "hours", "participatory", "verified")),
        _evidence_section("feedback", "Practice-related feedback"),
        _evidence_section("reflective-account", "Written reflective accounts", details=True),
        _evidence_section("discussion", "Reflective discussion", columns=("date", "title", "partner", "pin")),
        _evidence_section("declaration", "Health and character"),
        _evidence_section("indemnity", "Professional indemnity arrangement"),
        _evidence_section("confirmation", "Confirmation", columns=("date", "title", "partner", "pin")),
        Section("sign", "Confirmation and signatures",
                "I have seen the evidence listed in this pack and confirm that the registrant has demonstrated that "
                "they have met the revalidation requirements.", parties=("registrant", "confirmer")),
    ),
    "HCPC": (
        Section("cycle", "Registration and renewal"),
        Section("requirements", "Requirements at a glance"),
        Section("summary", "Summary of practice",
                "Up to 500 words on the registrant's role, the people they work with and the service users they "
                "see. ARRS Desk does not hold this text: write it here or attach it."),
        Section("cpd", HCPC_STANDARDS[0], columns=("date", "title", "method", "hours", "verified")),
        Section("methods", HCPC_STANDARDS[1]),
        Section("reflections", HCPC_STANDARDS[2],
                "In the registrant's own words, from the reflections recorded with each CPD activity."),
        Section("evidence", HCPC_STANDARDS[3],
                "The evidence recorded for this renewal, listed to accompany the profile.",
                columns=("date", "kind", "title", "verified")),
        Section("sign", "Declaration",
                "This profile is my own work and the evidence listed supports it.", parties=("registrant",)),
    ),
    "GPHC": (
        Section("cycle", "Registration and renewal"),
        Section("requirements", "Requirements at a glance"),
        Section("cpd", "CPD records", columns=("date", "title", "planned", "method", "hours", "verified"),
                details=True),
        _evidence_section("discussion", "Peer discussion", columns=("date", "title", "partner", "pin")),
        _evidence_section("reflective-account", "Reflective account", details=True),
        Section("sign", "Declaration", "The records in this pack are my own and a true account of my practice.",
                parties=("registrant",)),
    ),
    "GMC": (
        Section("cycle", "Registration and revalidation"),
        Section("requirements", "Supporting information at a glance",
                "The kinds of supporting information the GMC asks for in each revalidation cycle, with what is "
                "recorded in this one.", marks=("Covered", "Not yet")),
        Section("supporting", "Supporting information recorded", marks=("Covered", "Not yet")),
        Section("sign", "Signatures", "We have discussed the supporting information summarised in this pack.",
                parties=("registrant", "appraiser")),
    ),
}


def has_layout(regulator_code: str) -> bool:
    return regulator_code in LAYOUTS


def _mark(r: PackRequirement, marks: tuple[str, str]) -> tuple[str | Strong, ...]:
    """Met or not in words, never by colour alone; 'not met' in bold."""
    return (f"✓ {marks[0]}",) if r.met else (Strong(f"✗ {marks[1]}"),)


def _progress(r: PackRequirement, marks: tuple[str, str] = ("Met", "Not met")) -> Rich:
    noun = " hours" if r.measure.endswith("hours") else ""
    return (f"{r.label}: {_hours(r.have)}{noun} recorded of {_hours(r.need)}{noun} required · ", *_mark(r, marks))


def _cycle(data: RegulatorPackData, _section: Section, _reqs) -> list[Block]:
    rv = data.revalidation
    rows: list[tuple[str, Rich]] = [
        ("Name", data.formal_name or data.display_name),
        ("Register", f"{rv.regulator} · {rv.register}"),
        ("Registration number", rv.registration_number or "Not recorded"),
        ("Cycle", f"{uk(rv.cycle_start)} to {uk(rv.cycle_end)}" if rv.cycle_start else "Not known"),
        ("Application due", uk(rv.due) or "Not known"),
    ]
    if data.opens:
        rows.append(("Can be made from", uk(data.opens)))
    rows.append(("Status", (Strong(rv.status_label), f". {rv.reason}")))
    if data.audit_note:
        rows.append(("Audit", data.audit_note))
    blocks: list[Block] = [Facts(tuple(rows))]
    if data.cycle_explained:
        blocks.append(Para(data.cycle_explained, "muted"))
    return blocks


def _requirements(_data: RegulatorPackData, section: Section, reqs: tuple[PackRequirement, ...]) -> list[Block]:
    rows = tuple((r.label + (f"\n{r.note}" if r.note else ""), _hours(r.have), _hours(r.need), _mark(r, section.marks))
                 for r in reqs)
    met = sum(r.met for r in reqs)
    return [Para(f"{met} of {len(reqs)} requirements {section.marks[0].lower()}."),
            Grid(("Requirement", "Recorded", "Required", section.marks[0]), rows, (0.56, 0.13, 0.13, 0.18),
                 split_rows=False)]


def _cpd(data: RegulatorPackData, section: Section, reqs: tuple[PackRequirement, ...]) -> list[Block]:
    span = f"from {uk(data.cpd_from)} to {uk(data.cpd_to)}" if data.cpd_from else "in this cycle"
    blocks: list[Block] = []
    if not data.cpd:
        return [Para(f"No CPD is recorded {span}.", "empty")]
    total = sum(c.hours for c in data.cpd)
    blocks.append(Para(f"{len(data.cpd)} CPD {'activity' if len(data.cpd) == 1 else 'activities'} recorded {span}, "
                       f"{_hours(total)} hours in all."))
    blocks.append(_grid(section.columns, CPD_COLUMNS, data.cpd))
    rv = data.revalidation
    if data.cpd_from and rv.cycle_start and data.cpd_from != rv.cycle_start:
        blocks.append(Para(f"The requirements count only the CPD in the current cycle, {uk(rv.cycle_start)} to "
                           f"{uk(rv.cycle_end)}.", "muted"))
    blocks += [Para(_progress(r)) for r in reqs if r.measure in CPD_MEASURES]
    if section.details:
        blocks += _reflections(data, section, reqs)
    return blocks


def _evidence(data: RegulatorPackData, section: Section, reqs: tuple[PackRequirement, ...]) -> list[Block]:
    items = [e for e in data.evidence if not section.evidence or e.kind == section.evidence]
    blocks: list[Block] = [Para(_progress(r)) for r in reqs if section.evidence and r.evidence == section.evidence]
    if not items:
        return blocks + [Para("Nothing of this kind is recorded for this cycle.", "empty")]
    blocks.append(_grid(section.columns, EVIDENCE_COLUMNS, items))
    if section.details:
        blocks += [LongText(f"{e.title} · {uk(e.occurred_on)}", e.details, "No account written in ARRS Desk.")
                   for e in items]
    return blocks


def _methods(data: RegulatorPackData, _section: Section, _reqs) -> list[Block]:
    if not data.cpd:
        return [Para("No CPD is recorded, so there is no mix of activities to show.", "empty")]
    by_method: dict[str, list[PackCpd]] = {}
    for entry in data.cpd:
        by_method.setdefault(entry.method, []).append(entry)
    rows = tuple((method, str(len(found)), _hours(sum(e.hours for e in found)),
                  _hours(sum(e.hours for e in found if e.participatory)))
                 for method, found in sorted(by_method.items(), key=lambda kv: (-len(kv[1]), kv[0])))
    kinds = len(by_method)
    return [Para(f"{kinds} kind{'' if kinds == 1 else 's'} of learning activity recorded."),
            Grid(("Kind of activity", "Activities", "Hours", "With others"), rows, (0.46, 0.18, 0.18, 0.18))]


def _reflections(data: RegulatorPackData, _section: Section, _reqs) -> list[Block]:
    written = [e for e in data.cpd if e.reflection.strip()]
    if not written:
        return [Para("No reflection is recorded with the CPD in this period; write how it changed your practice and "
                     "benefited service users.", "empty")]
    blocks: list[Block] = [Heading("Reflections", 2)]
    if len(written) < len(data.cpd):
        blocks.append(Para(f"{len(written)} of {len(data.cpd)} CPD activities have a reflection recorded; the others "
                           "are listed in the table above.", "muted"))
    return blocks + [LongText(f"{e.title} · {uk(e.occurred_on)}", e.reflection) for e in written]


def _summary(data: RegulatorPackData, _section: Section, _reqs) -> list[Block]:
    return [Facts((("Role", data.role_title or "Not recorded"),
                   ("Practice(s)", ", ".join(data.practices) or "None recorded"),
                   ("Organisation", data.organisation or "Not recorded"))),
            LongText("Written summary", "", "Not written in ARRS Desk.")]


def _supporting(data: RegulatorPackData, section: Section, reqs: tuple[PackRequirement, ...]) -> list[Block]:
    blocks: list[Block] = []
    for r in reqs:
        # The mark and count go in the heading, which is kept with the table below it.
        mark = section.marks[0] if r.met else section.marks[1]
        blocks.append(Heading(f"{r.label} · {'✓' if r.met else '✗'} {mark} ({_hours(r.have)} recorded)", 2))
        if r.measure in CPD_MEASURES:
            if data.cpd:
                blocks.append(_grid(("date", "title", "hours", "verified"), CPD_COLUMNS, data.cpd))
            continue
        items = [e for e in data.evidence if e.kind == r.evidence]
        if items:
            blocks.append(_grid(("date", "title", "verified"), EVIDENCE_COLUMNS, items))
    return blocks


def _sign(data: RegulatorPackData, section: Section, _reqs) -> list[Block]:
    confirmer = next((e.partner_name for e in reversed(data.evidence) if e.kind == "confirmation"), "")
    names = {"registrant": ("Registrant", data.formal_name or data.display_name),
             "confirmer": ("Confirmer", confirmer), "appraiser": ("Appraiser", "")}
    return [SignatureBlock(statement=section.intro, outcomes=(), parties=tuple(names[p] for p in section.parties))]


_KINDS: dict[str, Callable[[RegulatorPackData, Section, tuple[PackRequirement, ...]], list[Block]]] = {
    "cycle": _cycle, "requirements": _requirements, "cpd": _cpd, "evidence": _evidence, "methods": _methods,
    "reflections": _reflections, "summary": _summary, "supporting": _supporting, "sign": _sign,
}


def regulator_blocks(data: RegulatorPackData, requirements: tuple[PackRequirement, ...]) -> list[Block]:
    layout = LAYOUTS[data.regulator_code]
    rv = data.revalidation
    headings = [s.heading for s in layout]
    blocks: list[Block] = [Cover(
        title=data.title,
        name=data.formal_name or data.display_name,
        subtitle=" · ".join(x for x in (data.role_title, f"{rv.regulator} {rv.registration_number}".strip()) if x),
        facts=(("Cycle", f"{uk(rv.cycle_start)} to {uk(rv.cycle_end)}" if rv.cycle_start else "Not known"),
               ("Due", uk(rv.due) or "Not known"),
               ("Status", rv.status_label),
               ("Line manager", data.line_manager or "Not recorded"),
               ("Organisation", data.organisation or "Not recorded"),
               ("Printed", f"{uk(data.printed_on)} by {data.printed_by}")),
        contents=tuple(f"{i}. {h}" for i, h in enumerate(headings, start=1)),
        notice=(f"This pack holds personal information about one registrant, drawn from ARRS Desk for their "
                f"{rv.regulator} revalidation. Share it only with the people who confirm or check it, keep it "
                "securely, and destroy printed copies once the application is made."),
    )]
    for number, section in enumerate(layout, start=1):
        blocks.append(Heading(f"{number}. {section.heading}", 1, new_page=number == 1 or section.kind == "sign"))
        if section.intro and section.kind != "sign":  # a signature block says its statement itself
            blocks.append(Para(section.intro, "muted"))
        blocks += _KINDS[section.kind](data, section, requirements)
    return blocks
