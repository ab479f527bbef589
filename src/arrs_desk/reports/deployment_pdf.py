"""'Where deployed': one page per practice listing its ARRS staff and who supervises them there.

Built from the supervision service's `DeploymentReport` (plain dataclasses); nothing here
touches the database. Statuses that need action are printed in bold words, never colour alone,
so the page still reads when photocopied in black and white.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Frame, PageBreak, PageTemplate, Spacer, Table, TableStyle

from arrs_desk.domain.dates import format_uk
from arrs_desk.reports.fonts import register_fonts
from arrs_desk.reports.styles import (
    DARK_GREY, MARGIN, MID_GREY, TABLE_STYLE, NumberedCanvas, draw_line, para as _styled_para, stylesheet, text,
)

NEEDS_ACTION = frozenset({"overdue", "never-held", "supervisor-left", "not-arranged"})
COLUMNS = ("clinical", "line-management", "safeguarding")
"""Supervision types with a column of their own; the rest share 'Other supervision'."""


def _item(item, *, with_type: bool = False) -> str:
    label = text(item.status_label)
    label = f"<b>{label}</b>" if item.status in NEEDS_ACTION else f"<font color='#425563'>{label}</font>"
    prefix = f"{text(item.type_title.split()[0])}: " if with_type else ""
    return f"{prefix}{text(item.supervisor)} · {label}"


def practice_story(practice, styles) -> list:
    """The flowables for one practice's page: a summary line and a compact table, sized so a
    practice of fifteen people fits on one landscape page."""

    para = _styled_para

    count = len(practice.people)
    missing = practice.without_clinical_supervisor
    summary = (f"{count} ARRS staff member{'s' if count != 1 else ''} work{'s' if count == 1 else ''} here. "
               + (f"<b>{missing} need{'s' if missing == 1 else ''} a clinical supervisor named.</b>" if missing else
                  "Everyone who needs clinical supervision has a supervisor named."))
    story = [
        para(f"{text(practice.name)} <font size=11 color='#425563'>({text(practice.ods_code)})</font>", styles["H1"]),
        para(summary + " Bold marks supervision that needs action.", styles["Body"]),
        Spacer(1, 3 * mm),
    ]
    if not practice.people:
        story.append(para("No ARRS staff are recorded as working at this practice.", styles["Body"]))
        return story
    size = 8 if count <= 12 else 7.5 if count <= 16 else 7
    cell = ParagraphStyle(f"DeployCell{size}", parent=styles["Cell"], fontSize=size, leading=size + 1.4)
    head = ParagraphStyle(f"DeployHead{size}", parent=styles["CellHead"], fontSize=size, leading=size + 1.4)
    titles = ("Clinical supervision", "Line management", "Safeguarding")
    rows = [[para(h, head) for h in ("Name and role", *titles, "Other supervision")]]
    for person in practice.people:
        detail = " · ".join(x for x in (person.employment, f"also at {person.other_practices}"
                                        if person.other_practices else "") if x)
        items = person.clinical + person.other
        columns = []
        for code in COLUMNS:
            found = "<br/>".join(_item(i) for i in items if i.type_code == code)
            if not found:
                found = "<b>Not arranged</b>" if code in person.not_arranged else "<font color='#768692'>Not required</font>"
            columns.append(found)
        other = [_item(i, with_type=True) for i in items if i.type_code not in COLUMNS]
        other += [f"{text(code.replace('-', ' ').capitalize())}: <b>Not arranged</b>"
                  for code in person.not_arranged if code not in COLUMNS]
        rows.append([
            para(f"<b>{text(person.display_name)}</b> · {text(person.role_title)}"
                 + (f"<br/><font size={size - 1.5} color='#425563'>{text(detail)}</font>" if detail else ""), cell),
            *(para(c, cell) for c in columns),
            para("<br/>".join(other) or "–", cell),
        ])
    width = landscape(A4)[0] - 2 * MARGIN
    table = Table(rows, colWidths=[w * width for w in (0.30, 0.18, 0.18, 0.15, 0.19)], repeatRows=1)
    table.setStyle(TableStyle(TABLE_STYLE + [
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]))
    story.append(table)
    return story


def build_deployment_pdf(path: Path | str, report, practices: Iterable | None = None) -> int:
    """Write the report (all practices, or those given); returns the number of practices."""
    register_fonts()
    styles = stylesheet()
    chosen = list(practices) if practices is not None else list(report.practices)
    page = landscape(A4)

    def decorate(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("DejaVuSans-Bold", 9)
        canvas.setFillColor(DARK_GREY)
        draw_line(canvas, MARGIN, page[1] - 12 * mm, f"{report.pcn_name} – where ARRS staff are deployed"
                  if report.pcn_name else "Where ARRS staff are deployed", font="DejaVuSans-Bold", size=9,
                  width=page[0] - 2 * MARGIN - 35 * mm)  # room for "As at 24/11/2026"
        canvas.setFont("DejaVuSans", 8)
        canvas.drawRightString(page[0] - MARGIN, page[1] - 12 * mm, f"As at {format_uk(report.generated_on)}")
        canvas.setStrokeColor(MID_GREY)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, page[1] - 14 * mm, page[0] - MARGIN, page[1] - 14 * mm)
        canvas.setFillColor(colors.black)
        canvas.drawString(MARGIN, 10 * mm, "Produced by ARRS Desk. Contains personal data: store and share securely.")
        canvas.restoreState()

    doc = BaseDocTemplate(str(path), pagesize=page, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=18 * mm,
                          bottomMargin=15 * mm, title="Where ARRS staff are deployed", author="ARRS Desk",
                          subject=report.pcn_name)
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=decorate)])
    story: list = []
    for index, practice in enumerate(chosen):
        if index:
            story.append(PageBreak())
        story.extend(practice_story(practice, styles))
    if not story:
        story.append(_styled_para("There are no active practices to report on.", styles["Body"]))
    doc.build(story, canvasmaker=NumberedCanvas)  # "Page N of M"
    return len(chosen)
