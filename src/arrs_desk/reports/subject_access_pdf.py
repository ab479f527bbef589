"""'Everything we hold about this person' (issue 20 item 3, subject access): plain data in, PDF out.

Each section is one kind of record, each row its fields as "label: value" lines, so nothing the
database holds about the person is summarised away; the machine-readable ZIP beside it has the
same rows as JSON."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate, Spacer

from arrs_desk.reports.fonts import register_fonts
from arrs_desk.reports.styles import MARGIN, para, stylesheet, text


@dataclass(frozen=True, slots=True)
class SarSection:
    title: str
    rows: tuple[tuple[tuple[str, str], ...], ...]  # each row: (field label, value) pairs


@dataclass(frozen=True, slots=True)
class SarData:
    person_name: str
    organisation: str
    printed_on: date
    printed_by: str
    notes: tuple[str, ...]  # what is and is not included, and why
    sections: tuple[SarSection, ...]


def build_subject_access_pdf(path: Path | str, data: SarData) -> int:
    """Write the document; returns the number of records listed."""
    register_fonts()
    styles = stylesheet()
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN, title=f"Everything we hold about {data.person_name}",
                            author="ARRS Desk", subject=data.organisation)
    story: list = [para(text(f"Everything we hold about {data.person_name}"), styles["Title"]),
                   para(text(f"{data.organisation} · printed on {data.printed_on:%d/%m/%Y} by {data.printed_by}"),
                        styles["Subtitle"])]
    story += [para(text(note), styles["Small"]) for note in data.notes]
    count = 0
    for section in data.sections:
        story.append(para(text(f"{section.title} ({len(section.rows)})"), styles["H1"]))
        if not section.rows:
            story.append(para("None held.", styles["Small"]))
        for row in section.rows:  # one paragraph per record: a record's fields stay together and build fast
            count += 1
            lines = "<br/>".join(f"<b>{text(label)}</b>: {text(value)}" for label, value in row if value)
            story += [para(lines or "(no details)", styles["Cell"]), Spacer(1, 6)]
    doc.build(story)
    return count
