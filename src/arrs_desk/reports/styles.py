"""One stylesheet for every ARRS Desk document, so packs, certificates and reports match."""

from __future__ import annotations

import re

from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from arrs_desk.domain.text import without_bidi_controls
from arrs_desk.reports.fonts import font_runs, needs_fallback, register_fonts, shaping_available
from arrs_desk.reports.shaping import use_shaping

NHS_BLUE = colors.HexColor("#005eb8")
DARK_GREY = colors.HexColor("#425563")
MID_GREY = colors.HexColor("#768692")
PALE_GREY = colors.HexColor("#e8edee")
PALE_BLUE = colors.HexColor("#e6f0f9")

MARGIN = 18 * mm


@cache
def stylesheet() -> StyleSheet1:
    regular, bold = register_fonts()
    sheet = StyleSheet1()

    def add(name: str, **kw) -> None:
        parent = kw.pop("parent", None)
        base = dict(fontName=regular, fontSize=10, leading=13.5, textColor=colors.black, shaping=0)
        if parent is not None:
            sheet.add(ParagraphStyle(name, parent=sheet[parent], **kw))
        else:
            sheet.add(ParagraphStyle(name, **{**base, **kw}))

    add("Body")
    add("Small", parent="Body", fontSize=8.5, leading=11, textColor=DARK_GREY)
    add("Title", parent="Body", fontName=bold, fontSize=22, leading=27, textColor=NHS_BLUE, spaceAfter=6)
    add("Subtitle", parent="Body", fontSize=13, leading=17, textColor=DARK_GREY, spaceAfter=12)
    add("H1", parent="Body", fontName=bold, fontSize=15, leading=19, textColor=NHS_BLUE, spaceBefore=10, spaceAfter=6)
    add("H2", parent="Body", fontName=bold, fontSize=11.5, leading=15, textColor=DARK_GREY, spaceBefore=8, spaceAfter=4)
    add("Cell", parent="Body", fontSize=9, leading=11.5)
    add("CellBold", parent="Cell", fontName=bold)
    add("CellHead", parent="Cell", fontName=bold, textColor=colors.white)
    return sheet


def needs_shaping(value: str) -> bool:
    """Right-to-left and Indic scripts need HarfBuzz. Latin text must not get it: ReportLab then
    applies DejaVu's discretionary ligatures (a joined 'st' in 'staff') and breaks text search."""
    return any("\u0590" <= ch <= "\u0dff" or "\ufb1d" <= ch <= "\ufeff" for ch in value)


@cache
def _shaped(style: ParagraphStyle) -> ParagraphStyle:
    use_shaping()
    return ParagraphStyle(f"{style.name}-shaped", parent=style, shaping=1)


def para(markup: str, style: ParagraphStyle | str = "Body") -> Paragraph:
    """A Paragraph whose text is shaped only when it contains a script that needs it.

    `markup` must already be escaped (see `text`) apart from the tags the caller adds.
    """
    if isinstance(style, str):
        style = stylesheet()[style]
    if needs_shaping(markup) and shaping_available():
        style = _shaped(style)
    return Paragraph(markup, style)


_NO_COLOUR_IN_PRINT = re.compile("[\U0001F3FB-\U0001F3FF\uFE0F]")
"""Skin-tone modifiers and the emoji-style selector: a one-colour font draws them as swatches."""


def text(value: object) -> str:
    """Escape user text for a Paragraph, so markup in a note can never alter the document; letters
    DejaVu Sans lacks (Chinese, Japanese, Korean, emoji) are set in a fallback font that has them."""
    value = without_bidi_controls("" if value is None else str(value))  # ReportLab would not honour them
    value = _NO_COLOUR_IN_PRINT.sub("", value) if value and not value.isascii() else value
    if not needs_fallback(value):
        return escape(value).replace("\n", "<br/>")
    return "".join(escape(piece) if font is None else f'<font name="{font}">{escape(piece)}</font>'
                   for font, piece in font_runs(value)).replace("\n", "<br/>")


@cache
def _line_style(font: str, size: float, align: str, color) -> ParagraphStyle:
    return ParagraphStyle(f"Line-{font}-{size}-{align}", fontName=font, fontSize=size, leading=size * 1.2,
                          textColor=color, alignment={"left": TA_LEFT, "right": TA_RIGHT, "centre": TA_CENTER}[align])


def draw_line(canvas, x: float, y: float, value: str, *, font: str, size: float, width: float,
              align: str = "left", color=DARK_GREY) -> None:
    """One line of a running header or footer on the canvas, from text that can hold a name or the
    PCN's name. canvas.drawString printed a Chinese or Korean name and emoji as empty boxes and an
    Arabic name backwards with its letters unjoined, and a long name ran off the page or over the
    date or page number beside it. This sets the line as a paragraph (fallback fonts, shaping) and
    cuts it short with '…' to fit `width`. `y` is the baseline; `x` is the left edge, or the right
    edge for align="right"."""
    style = _line_style(font, size, align, color)

    def line(shown: str) -> Paragraph | None:
        paragraph = para(text(shown), style)
        paragraph.wrap(width, size * 100)
        lines = paragraph.blPara.lines  # one line, not over the width (ReportLab lets a line run a point or two over)
        spare = (lines[0][0] if isinstance(lines[0], tuple) else lines[0].extraSpace) if lines else 0
        return paragraph if len(lines) <= 1 and spare >= 0 else None

    value = " ".join(without_bidi_controls(value or "").split())
    paragraph = line(value)
    if paragraph is None:  # the longest start of the text that fits on the line with an ellipsis
        low, high = 0, len(value)
        while low < high:
            middle = (low + high + 1) // 2
            low, high = (middle, high) if line(value[:middle].rstrip() + "…") else (low, middle - 1)
        paragraph = line(value[:low].rstrip() + "…")
    left = x - width if align == "right" else x - width / 2 if align == "centre" else x
    paragraph.drawOn(canvas, left, y - (paragraph.height - size))


TABLE_STYLE = [
    ("FONT", (0, 0), (-1, -1), "DejaVuSans", 9),
    ("BACKGROUND", (0, 0), (-1, 0), NHS_BLUE),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, PALE_GREY]),
    ("LINEBELOW", (0, 0), (-1, -1), 0.25, MID_GREY),
    ("TOPPADDING", (0, 0), (-1, -1), 3),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
]


def column_widths(header, rows, width: float, size: float = 9.0) -> list[float]:
    """Each column at least as wide as its longest word (a date, a name, "complete" never break),
    then the rest of the width shared by how much text each column holds. A heading's words are
    measured in the heading's bold font: counted as characters, an empty column's "Completed" and
    "Notes" were given less than the bold word took and broke ("Complete / d", "Note / s")."""
    char = 0.6 * size  # about one character of the cell font, in points
    bold, regular = stylesheet()["CellHead"].fontName, stylesheet()["Cell"].fontName
    floors, weights = [], []
    for i, heading in enumerate(header):
        longest = max((w for row in rows for w in str(row[i]).split()), key=len, default="")
        cells = min(stringWidth(longest, regular, size), 16 * char) if longest else 4 * char
        title = max((stringWidth(w, bold, size) for w in heading.split()), default=0.0)
        # plus the cell's padding, and a point to spare: a word exactly as wide as its column broke ("Summar y")
        floors.append(max(cells, min(title, 16 * char)) + 13)
        lengths = sorted(len(str(row[i])) for row in rows) or [0]
        weights.append(min(60, lengths[int((len(lengths) - 1) * 0.8)]))
    spare = max(0.0, width - sum(floors))
    total = sum(weights) or 1
    widths = [floor + spare * weight / total for floor, weight in zip(floors, weights)]
    scale = width / sum(widths)
    return [w * scale for w in widths]


class NumberedCanvas(Canvas):
    """Holds every page until the end so the footer can say "Page N of M": a reader can tell a
    printout is complete (a 76-page signature sheet said only "Page 12")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self):  # noqa: N802 (ReportLab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.saveState()
            self.setFont("DejaVuSans", 8)
            self.setFillColor(colors.black)
            self.drawRightString(self._pagesize[0] - MARGIN, 10 * mm, f"Page {self._pageNumber} of {total}")
            self.restoreState()
            super().showPage()
        super().save()
