"""The completion certificate for a preceptorship or training pathway: one landscape A4 page.

Built from plain data (`CertificateData`, which the programme service fills in), so nothing here
reaches the database. Every name goes through `styles.para`, which shapes Arabic where it
appears, and `styles.text`, so a name typed with markup prints as typed. The border is drawn in
the page callback; the text sits in one frame inside it and is shrunk to fit, however long a
programme title or name is.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate, Flowable, Frame, FrameBreak, KeepInFrame, PageTemplate, Spacer, Table, TableStyle,
)

from arrs_desk.domain.dates import format_uk
from arrs_desk.reports.certificate_data import CertificateData
from arrs_desk.reports.fonts import register_fonts
from arrs_desk.reports.fonts import draw_text
from arrs_desk.reports.styles import DARK_GREY, MID_GREY, NHS_BLUE, para, stylesheet, text

PAGE = landscape(A4)
BORDER = 11 * mm
"""From the paper's edge to the outer rule: inside what office printers can reach."""
INSET = 20 * mm
"""From the paper's edge to the text frame."""


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _styles() -> dict[str, ParagraphStyle]:
    base = stylesheet()
    regular, bold = register_fonts()

    def style(name: str, **kw) -> ParagraphStyle:
        return ParagraphStyle(f"Certificate{name}", parent=base["Body"], alignment=TA_CENTER, **kw)

    return {
        "pcn": style("Pcn", fontName=bold, fontSize=13, leading=17, textColor=NHS_BLUE),
        "title": style("Title", fontName=bold, fontSize=32, leading=38, textColor=NHS_BLUE),
        "lead": style("Lead", fontSize=12.5, leading=17, textColor=DARK_GREY),
        "name": style("Name", fontName=bold, fontSize=28, leading=36, spaceAfter=4, textColor=colors.black),
        "role": style("Role", fontSize=12, leading=16, textColor=DARK_GREY),
        "programme": style("Programme", fontName=bold, fontSize=17, leading=22, textColor=NHS_BLUE),
        "detail": style("Detail", fontSize=11, leading=15, textColor=colors.black),
        "sign": ParagraphStyle("CertificateSign", parent=base["Body"], fontSize=11, leading=14),
        "sign_small": ParagraphStyle("CertificateSignSmall", parent=base["Body"], fontSize=8.5, leading=11,
                                     textColor=DARK_GREY),
    }


def _border(canvas, doc) -> None:
    width, height = PAGE
    canvas.saveState()
    canvas.setStrokeColor(NHS_BLUE)
    canvas.setLineWidth(3.2)
    canvas.rect(BORDER, BORDER, width - 2 * BORDER, height - 2 * BORDER)
    canvas.setLineWidth(0.8)
    gap = 2.6 * mm
    canvas.rect(BORDER + gap, BORDER + gap, width - 2 * (BORDER + gap), height - 2 * (BORDER + gap))
    # Small squares at the inner corners: a quiet finish that survives black-and-white copying.
    canvas.setFillColor(NHS_BLUE)
    size = 2.4 * mm
    for x in (BORDER + gap - size / 2, width - BORDER - gap - size / 2):
        for y in (BORDER + gap - size / 2, height - BORDER - gap - size / 2):
            canvas.rect(x, y, size, size, fill=1, stroke=0)
    canvas.setFillColor(MID_GREY)
    canvas.setFont("DejaVuSans", 7.5)
    draw_text(canvas, width / 2, BORDER + gap + 3.4 * mm, getattr(doc, "footer_text", ""), "DejaVuSans", 7.5,
              align="centre")
    canvas.restoreState()


class _Rule(Flowable):
    """A short centred line under the title."""

    def __init__(self, width: float, thickness: float = 1.6):
        super().__init__()
        self.rule_width, self.thickness = width, thickness

    def wrap(self, available_width, available_height):
        self._available = available_width
        return available_width, self.thickness + 2

    def draw(self) -> None:
        self.canv.setStrokeColor(NHS_BLUE)
        self.canv.setLineWidth(self.thickness)
        left = (self._available - self.rule_width) / 2
        self.canv.line(left, 1, left + self.rule_width, 1)


def certificate_story(data, styles: dict[str, ParagraphStyle]) -> list:
    """The flowables of the certificate's body, top to bottom (the signatures come after)."""
    span = (f"from {_long_date(data.start_date)} to {_long_date(data.completed_on)}"
            if data.start_date <= data.completed_on else f"on {_long_date(data.completed_on)}")
    facts = [f"{data.competencies_signed} competenc{'y' if data.competencies_signed == 1 else 'ies'} "
             "signed off by the assessor"]
    if data.milestones_held:
        facts.append(f"{data.milestones_held} progress meeting{'s' if data.milestones_held != 1 else ''} "
                     "and reviews held")
    if data.protected_hours:
        facts.append(f"{data.protected_hours:g} hours of protected learning time")
    return [
        para(text(data.pcn_name) if data.pcn_name else "&nbsp;", styles["pcn"]),
        Spacer(1, 7 * mm),
        para("Certificate of completion", styles["title"]),
        Spacer(1, 3 * mm),
        _Rule(60 * mm),
        Spacer(1, 9 * mm),
        para("This is to certify that", styles["lead"]),
        Spacer(1, 3 * mm),
        para(text(data.person_name), styles["name"]),
        para(text(data.role_title), styles["role"]) if data.role_title else Spacer(1, 1),
        Spacer(1, 7 * mm),
        para("has completed", styles["lead"]),
        Spacer(1, 3 * mm),
        para(text(data.programme_title), styles["programme"]),
        para(f"{text(data.programme_code)} · version {data.programme_version}", styles["role"]),
        Spacer(1, 7 * mm),
        para(text(span), styles["detail"]),
        para(text(" · ".join(facts)), styles["detail"]),
    ]


def signature_block(data, styles: dict[str, ParagraphStyle], width: float) -> Table:
    rows = [
        [para(text(data.assessor_name), styles["sign"]), "", para(_long_date(data.completed_on), styles["sign"])],
        [para("Assessor" + (f" · {text(data.assessor_detail)}" if data.assessor_detail else ""), styles["sign_small"]),
         "", para("Date of completion", styles["sign_small"])],
    ]
    table = Table(rows, colWidths=[width * 0.42, width * 0.2, width * 0.38 - 1])
    table.setStyle(TableStyle([
        ("LINEABOVE", (0, 1), (0, 1), 0.7, DARK_GREY),
        ("LINEABOVE", (2, 1), (2, 1), 0.7, DARK_GREY),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 1), (-1, 1), 3),
    ]))
    return table


def build_certificate_pdf(path: Path | str, data: CertificateData) -> Path:
    """Write the certificate to `path` (one page) and return the path."""
    register_fonts()
    styles = _styles()
    width, height = PAGE
    doc = BaseDocTemplate(
        str(path), pagesize=PAGE, leftMargin=INSET, rightMargin=INSET, topMargin=INSET, bottomMargin=INSET,
        title=f"Certificate of completion: {data.programme_title}", author="ARRS Desk", subject=data.person_name,
    )
    # Drawn on the canvas, so only text we make ourselves: names stay in shaped paragraphs.
    doc.footer_text = f"Certificate reference {data.reference} · issued {format_uk(data.issued_on)} by ARRS Desk"
    inner = width - 2 * INSET
    signature_bottom, signature_height = 24 * mm, 24 * mm
    body_bottom = signature_bottom + signature_height + 4 * mm
    body_height = height - INSET - body_bottom
    body = Frame(INSET, body_bottom, inner, body_height, id="body", leftPadding=0, rightPadding=0,
                 topPadding=0, bottomPadding=0)
    signature = Frame(INSET + 12 * mm, signature_bottom, inner - 24 * mm, signature_height, id="signature",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="certificate", frames=[body, signature], onPage=_border)])
    # Shrink rather than spill onto a second page when a title or name is very long, and sit the
    # body in the middle of its space.
    flowables = certificate_story(data, styles)
    used = sum(f.wrap(inner, body_height)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in flowables)
    content = KeepInFrame(inner, body_height, flowables, mode="shrink")
    story = [Spacer(1, max(0.0, (body_height - used) / 2 - 2 * mm)), content, FrameBreak(),
             Spacer(1, 6 * mm), signature_block(data, styles, inner - 24 * mm)]
    doc.build(story)
    return Path(path)
