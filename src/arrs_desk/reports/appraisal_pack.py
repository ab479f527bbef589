"""The appraisal pack as a PDF (ReportLab Platypus), from one `AppraisalPackData`.

Every page carries the person's name and "Confidential - staff record" at the top, and the date
printed and "Page N of M" at the foot; the page total is known only at the end, so pages are
held back and numbered when the document is saved. Every piece of user text is cleaned of
characters a PDF cannot hold and escaped, so markup typed into a note prints as typed. Tables
repeat their header row on each page and may split inside a row, so a very long note flows on
rather than stopping the build.
"""

from __future__ import annotations

import io
from datetime import date
from functools import cache
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import (
    BaseDocTemplate, CondPageBreak, Frame, KeepTogether, PageBreak, PageTemplate, Spacer, Table, TableStyle,
)

from arrs_desk.reports.fonts import BOLD, REGULAR, needs_fallback, register_fonts
from arrs_desk.reports.pack_blocks import (
    CONFIDENTIAL, Block, Bullets, Cover, Facts, Grid, Heading, LongText, Para, Rich, SignatureBlock, Strong, clean,
    pack_blocks, uk,
)
from arrs_desk.reports.pack_data import AppraisalPackData
from arrs_desk.reports.styles import (
    DARK_GREY, MARGIN, MID_GREY, NHS_BLUE, PALE_BLUE, PALE_GREY, TABLE_STYLE, draw_line, needs_shaping, para, stylesheet,
    text,
)

__all__ = ["AppraisalPackData", "build_appraisal_pack", "build_pack", "clean"]

PAGE = A4
WIDTH = PAGE[0] - 2 * MARGIN
TOP = 22 * mm
BOTTOM = 18 * mm


def _markup(content: Rich) -> str:
    if isinstance(content, str):
        return text(clean(content))
    parts = []
    for run in content:
        if isinstance(run, Strong):
            parts.append(f"<b>{text(clean(run.text))}</b>")
        else:
            parts.append(text(clean(run)))
    return "".join(parts)


@cache
def _styles() -> dict[str, ParagraphStyle]:
    sheet = stylesheet()
    return {
        "title": ParagraphStyle("PackCoverTitle", parent=sheet["Subtitle"], fontSize=14, leading=18,
                                textColor=NHS_BLUE, spaceAfter=4),
        "name": ParagraphStyle("PackCoverName", parent=sheet["Title"], fontSize=26, leading=32, spaceAfter=4),
        "subtitle": ParagraphStyle("PackCoverSubtitle", parent=sheet["Subtitle"], spaceAfter=14),
        "h1": ParagraphStyle("PackH1", parent=sheet["H1"], keepWithNext=1, spaceBefore=14, spaceAfter=8),
        "h2": ParagraphStyle("PackH2", parent=sheet["H2"], keepWithNext=1, spaceBefore=10),
        "body": ParagraphStyle("PackBody", parent=sheet["Body"], spaceAfter=6),
        "muted": ParagraphStyle("PackMuted", parent=sheet["Small"], spaceAfter=6),
        "empty": ParagraphStyle("PackEmpty", parent=sheet["Body"], textColor=DARK_GREY, spaceAfter=6,
                                fontName=REGULAR, leftIndent=6),
        "label": ParagraphStyle("PackLabel", parent=sheet["Body"], fontName=BOLD, textColor=DARK_GREY,
                                spaceBefore=6, spaceAfter=2, keepWithNext=1),
        "long": ParagraphStyle("PackLong", parent=sheet["Body"], leftIndent=8, spaceAfter=4),
        "cell": sheet["Cell"],
        "cell_bold": sheet["CellBold"],
        "cell_head": sheet["CellHead"],
        "contents": ParagraphStyle("PackContents", parent=sheet["Body"], leading=16),
        "notice": ParagraphStyle("PackNotice", parent=sheet["Body"], fontSize=9, leading=12.5),
        "header": ParagraphStyle("PackHeader", parent=sheet["Small"], fontName=BOLD, textColor=DARK_GREY),
        "sign_label": ParagraphStyle("PackSignLabel", parent=sheet["Cell"], fontName=BOLD, textColor=DARK_GREY),
    }


# --------------------------------------------------------------------------- blocks to flowables


CELL_FONT_SIZE = 9
CELL_PADDING = 12  # six points each side, ReportLab's default


def _cell(content: Rich, width: float, style: ParagraphStyle):
    """A table cell: short plain text as a string, which ReportLab draws without laying out a
    paragraph (most cells are dates, numbers and names, and a pack has hundreds of them);
    anything longer, bold, multi-line or needing shaping as a wrapping Paragraph."""
    if isinstance(content, str) and "\n" not in content and not needs_shaping(content) and not needs_fallback(content):
        value = clean(content)
        if stringWidth(value, style.fontName, CELL_FONT_SIZE) <= width - CELL_PADDING:
            return value
    return para(_markup(content), style)


def _table(rows, widths, *, header: bool, split_rows: bool = True) -> Table:
    table = Table(rows, colWidths=[w * WIDTH for w in widths], repeatRows=1 if header else 0,
                  splitInRow=1 if split_rows else 0,
                  hAlign="LEFT")
    style = list(TABLE_STYLE) + [("LEADING", (0, 0), (-1, -1), 11.5), ("FONT", (0, 0), (-1, -1), REGULAR, CELL_FONT_SIZE)]
    if not header:
        style = [
            ("FONT", (0, 0), (-1, -1), REGULAR, CELL_FONT_SIZE),
            ("FONT", (0, 0), (0, -1), BOLD, CELL_FONT_SIZE),
            ("LEADING", (0, 0), (-1, -1), 11.5),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, MID_GREY),
            ("LINEABOVE", (0, 0), (-1, 0), 0.25, MID_GREY),
            ("BACKGROUND", (0, 0), (0, -1), PALE_GREY),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]
    table.setStyle(TableStyle(style))
    return table


def _flowables(block: Block, first: bool, after_heading: bool = False) -> list:
    s = _styles()
    if isinstance(block, Cover):
        facts = [[para(text(clean(label)), s["cell_bold"]), para(_markup(value), s["cell"])]
                 for label, value in block.facts]
        notice = Table([[para(_markup(block.notice), s["notice"])]], colWidths=[WIDTH])
        notice.setStyle(TableStyle([
            ("BACKGROUND", (0, 0), (-1, -1), PALE_BLUE), ("BOX", (0, 0), (-1, -1), 0.75, NHS_BLUE),
            ("TOPPADDING", (0, 0), (-1, -1), 8), ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ("LEFTPADDING", (0, 0), (-1, -1), 10), ("RIGHTPADDING", (0, 0), (-1, -1), 10),
        ]))
        return [
            Spacer(1, 28 * mm),
            para(_markup(block.title), s["title"]),
            para(_markup(block.name), s["name"]),
            para(_markup(block.subtitle), s["subtitle"]) if block.subtitle else Spacer(1, 6),
            _table(facts, (0.28, 0.72), header=False),
            Spacer(1, 10 * mm),
            para("<b>Contents</b>", s["label"]),
            *(para(_markup(line), s["contents"]) for line in block.contents),
            Spacer(1, 10 * mm),
            notice,
        ]
    if isinstance(block, Heading):
        style = s["h1"] if block.level == 1 else s["h2"]
        if block.new_page and not first:
            lead = [PageBreak()]
        elif after_heading:
            lead = []  # a break here would split the chain that keeps both headings with the text below
        else:
            lead = [CondPageBreak(45 * mm if block.level == 1 else 25 * mm)]
        return lead + [para(_markup(block.text), style)]
    if isinstance(block, Para):
        return [para(_markup(block.content), s.get(block.style, s["body"]))]
    if isinstance(block, Facts):
        label_width, value_width = 0.24 * WIDTH, 0.76 * WIDTH
        rows = [[_cell(label, label_width, s["cell_bold"]), _cell(value, value_width, s["cell"])]
                for label, value in block.rows]
        return [_table(rows, (0.24, 0.76), header=False), Spacer(1, 4)]
    if isinstance(block, Grid):
        widths = [w * WIDTH for w in block.widths]
        rows = [[para(text(clean(h)), s["cell_head"]) for h in block.headers]]
        rows += [[_cell(cell, width, s["cell"]) for cell, width in zip(row, widths)] for row in block.rows]
        return [_table(rows, block.widths, header=True, split_rows=block.split_rows), Spacer(1, 6)]
    if isinstance(block, Bullets):
        return [para("• " + _markup(item), s["body"]) for item in block.items]
    if isinstance(block, LongText):
        label = para(_markup(block.label), s["label"])
        body = clean(block.text).strip()
        if not body:
            return [label, para(_markup(block.empty or "None recorded."), s["empty"])]
        pieces = [p for p in body.split("\n\n") if p.strip()]
        return [label, *(para(_markup(p.strip()), s["long"]) for p in pieces)]
    if isinstance(block, SignatureBlock):
        out = [para(_markup(block.statement), s["body"]), Spacer(1, 4)]
        if block.outcomes:
            out += [para("<b>Outcome</b> (tick one)", s["label"]),
                    *(para("☐&nbsp;&nbsp;" + _markup(o), s["body"]) for o in block.outcomes)]
        out.append(Spacer(1, 8))
        for role, name in block.parties:
            rows = [
                [para(_markup(role), s["sign_label"]), para(_markup(name) or "&nbsp;", s["cell"])],
                [para("Signature", s["sign_label"]), ""],
                [para("Date", s["sign_label"]), ""],
            ]
            table = Table(rows, colWidths=[0.24 * WIDTH, 0.76 * WIDTH], rowHeights=[None, 18 * mm, 10 * mm])
            table.setStyle(TableStyle([
                ("BOX", (0, 0), (-1, -1), 0.75, MID_GREY), ("INNERGRID", (0, 0), (-1, -1), 0.25, MID_GREY),
                ("BACKGROUND", (0, 0), (0, -1), PALE_GREY), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]))
            out += [KeepTogether([table]), Spacer(1, 8)]
        comments = Table([[para("Comments", s["sign_label"])], [""]], colWidths=[WIDTH], rowHeights=[None, 40 * mm])
        comments.setStyle(TableStyle([
            ("BOX", (0, 0), (-1, -1), 0.75, MID_GREY), ("BACKGROUND", (0, 0), (-1, 0), PALE_GREY),
            ("LINEBELOW", (0, 0), (-1, 0), 0.25, MID_GREY),
        ]))
        out.append(KeepTogether([comments]))
        return out
    raise TypeError(f"unknown block {type(block).__name__}")


# --------------------------------------------------------------------------- pages


def _numbered_canvas(printed: str):
    class NumberedCanvas(pdf_canvas.Canvas):
        """Holds each page until the end so the footer can say 'Page N of M'."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):  # noqa: N802
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self.saveState()
                self.setFont(REGULAR, 8)
                self.setFillColor(DARK_GREY)
                self.drawString(MARGIN, 10 * mm, f"Printed {printed} from ARRS Desk")
                self.drawRightString(PAGE[0] - MARGIN, 10 * mm, f"Page {number} of {total}")
                self.restoreState()
                super().showPage()
            super().save()

    return NumberedCanvas


def build_appraisal_pack(target: Path | str | io.BytesIO, data: AppraisalPackData) -> Path | io.BytesIO:
    """Write the pack to a file path (or a binary buffer) and return where it went."""
    return build_pack(target, pack_blocks(data), name=data.person.display_name,
                      title=f"Appraisal pack – {clean(data.person.display_name)}",
                      subject=f"{uk(data.period_start)} to {uk(data.period_end)}", printed=data.printed_on)


def build_pack(target: Path | str | io.BytesIO, blocks: list[Block], *, name: str, title: str, subject: str,
               printed: date) -> Path | io.BytesIO:
    """Lay out any pack's blocks (the appraisal pack, a regulator pack) with the same page: the
    person's name and the confidentiality line at the top, the date printed and 'Page N of M' below."""
    register_fonts()
    s = _styles()
    header_style = s["header"]

    def decorate(canvas, doc) -> None:
        canvas.saveState()
        # One line, cut with '…': a long name wrapped, ran through the rule below and into the page.
        draw_line(canvas, MARGIN, PAGE[1] - 12 * mm, clean(name), font=header_style.fontName,
                  size=header_style.fontSize, width=WIDTH * 0.62, color=header_style.textColor)
        canvas.setFont(BOLD, 8.5)
        canvas.setFillColor(DARK_GREY)
        canvas.drawRightString(PAGE[0] - MARGIN, PAGE[1] - 12 * mm, CONFIDENTIAL)
        canvas.setStrokeColor(MID_GREY)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, PAGE[1] - 15 * mm, PAGE[0] - MARGIN, PAGE[1] - 15 * mm)
        canvas.line(MARGIN, 14 * mm, PAGE[0] - MARGIN, 14 * mm)
        canvas.setFillColor(colors.black)
        canvas.restoreState()

    out = target if isinstance(target, io.BytesIO) else str(target)
    doc = BaseDocTemplate(
        out, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=TOP, bottomMargin=BOTTOM,
        title=title, author="ARRS Desk", subject=subject, creator="ARRS Desk",
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body", leftPadding=0, rightPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=decorate)])
    story: list = []
    previous: Block | None = None
    for index, block in enumerate(blocks):
        story.extend(_flowables(block, first=index == 0, after_heading=isinstance(previous, Heading)))
        previous = block
    doc.build(story, canvasmaker=_numbered_canvas(uk(printed)))
    return target if isinstance(target, io.BytesIO) else Path(target)
