"""A paper signature sheet, for signers who have no ARRS Desk account.

An external supervisor or assessor signs and dates each line on paper; the line manager then
records the signature in ARRS Desk, where it is marked as entered by them. Lines already recorded
are printed filled in, so a sheet printed again shows what has been signed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from arrs_desk.domain.dates import format_uk
from arrs_desk.reports.styles import DARK_GREY, MARGIN, PALE_GREY, TABLE_STYLE, NumberedCanvas, draw_line, para, text


@dataclass(frozen=True)
class SheetSignature:
    """A signature already recorded for a line, printed in its cells instead of blanks."""

    name: str
    role: str  # role and organisation
    registration: str
    signed_on: date | None
    recorded: str  # e.g. "Recorded by Helen Whitfield from paper on 03/12/2026"


@dataclass(frozen=True)
class SheetLine:
    group: str
    item: str
    due: date | None
    signed: SheetSignature | None = None


@dataclass(frozen=True)
class SignatureSheet:
    organisation: str
    subject: str
    role: str
    purpose: str  # e.g. "Induction items that need sign-off"
    lines: tuple[SheetLine, ...]
    prepared_by: str
    prepared_on: date


def _footer(sheet: SignatureSheet):
    def draw(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("DejaVuSans", 8)
        canvas.setFillColor(DARK_GREY)
        width, _ = doc.pagesize
        draw_line(canvas, MARGIN, 10 * mm, f"{sheet.organisation} · Signature sheet for {sheet.subject} · "
                                           f"prepared by {sheet.prepared_by} on {format_uk(sheet.prepared_on)}",
                  font="DejaVuSans", size=8, width=width - 2 * MARGIN - 30 * mm)  # room for "Page 12 of 76"
        canvas.restoreState()
    return draw


def build_signature_sheet(path: Path | str, sheet: SignatureSheet) -> Path:
    doc = SimpleDocTemplate(str(path), pagesize=landscape(A4), leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN, bottomMargin=18 * mm, title=f"Signature sheet: {sheet.subject}",
                            author=sheet.organisation)
    story = [
        para("Signature sheet", "Title"),
        para(f"{text(sheet.subject)} · {text(sheet.role)}", "Subtitle"),
        para(f"{text(sheet.purpose)}. For a signer without an ARRS Desk account: print your name, role and "
             "organisation, and sign and date each line you have checked. The line manager then records your "
             "signature in ARRS Desk, where it is shown as entered by them. Lines already recorded are printed "
             "filled in and shaded.", "Body"),
        Spacer(0, 6 * mm),
    ]
    header = [para(h, "CellHead") for h in ("Item", "Due", "Signer's name (capitals)", "Role and organisation",
                                             "Registration number", "Date signed", "Signature")]
    rows = [header]
    signed_rows = []
    for line in sheet.lines:
        cells = [
            para(f"<b>{text(line.item)}</b><br/><font size='8' color='#425563'>{text(line.group)}</font>", "Cell"),
            para(format_uk(line.due), "Cell"),
        ]
        signed = line.signed
        if signed is None:
            cells += ["", "", "", "", ""]
        else:
            signed_rows.append(len(rows))
            cells += [para(text(signed.name), "Cell"), para(text(signed.role), "Cell"),
                      para(text(signed.registration), "Cell"),
                      para(format_uk(signed.signed_on), "Cell"),
                      para(f"<font size='8'>Signed. {text(signed.recorded)}</font>", "Cell")]
        rows.append(cells)
    if not sheet.lines:
        rows.append([para("Nothing is waiting for a signature.", "Cell"), "", "", "", "", "", ""])
    widths = [70 * mm, 24 * mm, 42 * mm, 44 * mm, 28 * mm, 24 * mm, 29 * mm]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle(TABLE_STYLE + [
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white]),  # no banding: shading marks the recorded lines
        ("GRID", (2, 1), (-1, -1), 0.5, DARK_GREY),
        ("VALIGN", (0, 1), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 1), (-1, -1), 12),
        ("BOTTOMPADDING", (0, 1), (-1, -1), 12),
    ] + [("BACKGROUND", (2, r), (-1, r), PALE_GREY) for r in signed_rows]))
    story.append(table)
    doc.build(story, onFirstPage=_footer(sheet), onLaterPages=_footer(sheet), canvasmaker=NumberedCanvas)
    return Path(path)
