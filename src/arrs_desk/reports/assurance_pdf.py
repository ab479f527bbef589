"""The assurance report a clinical director hands to the commissioner: how many ARRS staff meet each
Network Contract check, then every check not met, check by check, with the person and the reason
in words, then what each check means and where the requirement comes from. Plain data in
(`services.assurance.AssuranceReport` or anything shaped like it), no Qt, no database."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate, CondPageBreak, Frame, KeepTogether, PageTemplate, Spacer, Table, TableStyle,
)

from arrs_desk.domain.dates import format_uk
from arrs_desk.reports.fonts import register_fonts
from arrs_desk.reports.styles import DARK_GREY, MARGIN, MID_GREY, TABLE_STYLE, NumberedCanvas, draw_line, para, text

TITLE = "ARRS role requirements: assurance"


def _not_met_table(title: str, people: list, width: float) -> list:
    """One check's "not met": who, their role and practices, and why, in words."""
    heading = para(f"{text(title)}: {len(people)} not met", "H2")
    # Name, role and reason in separate cells: a name in a script that needs shaping must not drag
    # the Latin text beside it into HarfBuzz (which adds ligatures and breaks text search).
    rows = [[para(h, "CellHead") for h in ("Name", "Role and practice", "Why not met")]]
    for person, reason in people:
        where = text(person.role) + (f" · {text(person.practices)}" if person.practices else "")
        rows.append([para(text(person.name), "CellBold"), para(where, "Cell"), para(text(reason), "Cell")])
    table = Table(rows, colWidths=[width * 0.24, width * 0.32, width * 0.44], repeatRows=1)
    table.setStyle(TableStyle(TABLE_STYLE))
    # A new page unless the heading and a few lines fit: never a heading alone at the foot of a page.
    return [CondPageBreak(40 * mm), heading, table, Spacer(1, 3 * mm)]


def build_assurance_pdf(path: Path | str, report) -> int:
    """Write the report; returns the number of people with at least one unmet check."""
    register_fonts()
    page = A4

    def decorate(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("DejaVuSans-Bold", 9)
        canvas.setFillColor(DARK_GREY)
        draw_line(canvas, MARGIN, page[1] - 12 * mm, f"{report.pcn_name} – ARRS assurance", font="DejaVuSans-Bold",
                  size=9, width=page[0] - 2 * MARGIN - 35 * mm)  # room for "As at 24/11/2026"
        canvas.setFont("DejaVuSans", 8)
        canvas.drawRightString(page[0] - MARGIN, page[1] - 12 * mm, f"As at {format_uk(report.today)}")
        canvas.setStrokeColor(MID_GREY)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, page[1] - 14 * mm, page[0] - MARGIN, page[1] - 14 * mm)
        canvas.setFillColor(colors.black)
        canvas.drawString(MARGIN, 10 * mm, "Produced by ARRS Desk. Contains personal data: store and share securely.")
        canvas.restoreState()

    doc = BaseDocTemplate(str(path), pagesize=page, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=20 * mm,
                          bottomMargin=18 * mm, title=TITLE, author="ARRS Desk", subject=report.pcn_name)
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=decorate)])
    width = doc.width

    story: list = [
        para(text(TITLE), "Title"),
        para(f"{text(report.pcn_name)} · {text(report.scope)} · {report.people} people in post · "
             f"as at {format_uk(report.today)}", "Subtitle"),
        para("Each check is worked out from the records held in ARRS Desk (supervision, reviews, training "
             "pathways, induction and the staff record). <b>N/A</b> means the check does not apply to the person "
             "yet or to their role, for example a review for someone in post less than a year; the reason is "
             "recorded for each person. Every check not met is listed after the summary with its reason.", "Small"),
        Spacer(1, 4 * mm),
        para("Summary by check", "H1"),
    ]
    head = [para(h, "CellHead") for h in ("Check", "Met", "Not met", "N/A", "Met of those it applies to")]
    rows = [head]
    for line in report.summary:
        applies = line.met + line.not_met
        share = f"{round(100 * line.met / applies)}% ({line.met} of {applies})" if applies else "not applicable to anyone"
        rows.append([para(text(line.title), "Cell"), para(str(line.met), "Cell"),
                     para(f"<b>{line.not_met}</b>" if line.not_met else "0", "Cell"),
                     para(str(line.not_applicable), "Cell"), para(share, "Cell")])
    summary = Table(rows, colWidths=[width * 0.42, width * 0.1, width * 0.1, width * 0.1, width * 0.28], repeatRows=1)
    summary.setStyle(TableStyle(TABLE_STYLE))
    story.append(summary)
    story.append(Spacer(1, 6 * mm))
    story.append(CondPageBreak(50 * mm))
    story.append(para("Checks not met", "H1"))
    if not report.people:  # never an all-clear for a scope with nobody in it (a practice or role with no one)
        story.append(para("Nobody is in post in this report, so no check was made.", "Body"))
    elif not report.unmet:
        story.append(para("Every check is met or not applicable for everyone in this report.", "Body"))
    for line in report.summary:
        people = [(person, reason) for person in report.unmet for title, reason in person.unmet if title == line.title]
        if people:
            story += _not_met_table(line.title, people, width)
    about = [line for line in report.summary if line.description or line.source]
    if about:
        story.append(CondPageBreak(50 * mm))
        story.append(para("About the checks", "H1"))
        story.append(para("What each check looks for, when it does not apply, and where the requirement comes "
                          "from.", "Small"))
        for line in about:
            block = [para(text(line.title), "H2")]
            if line.description:
                block.append(para(text(line.description), "Body"))
            if line.source:
                block.append(para(f"<b>Source:</b> {text(line.source)}", "Small"))
            story.append(KeepTogether(block))
    doc.build(story, canvasmaker=NumberedCanvas)
    return len(report.unmet)
