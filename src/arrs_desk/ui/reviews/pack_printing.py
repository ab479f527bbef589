"""Printing an appraisal pack straight to a printer chosen in Qt's print dialog.

PySide6-Essentials has no QtPdf, so the saved PDF cannot be drawn onto a printer from inside
the app, and sending a PDF file to a printer is done differently on every system. Instead the
pack's content (the same blocks the PDF is made from, as HTML) is laid out by Qt's rich-text
engine on the printer's own pages, with the same header and footer as the PDF: the staff
member's name and "Confidential - staff record" at the top, the date printed and "Page N of M"
at the foot. The same code prints to a PDF file, which is how it is tested without a printer.
"""

from __future__ import annotations

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPen, QTextDocument
from PySide6.QtPrintSupport import QPrinter

from arrs_desk.reports.pack_blocks import CONFIDENTIAL, clean, uk
from arrs_desk.reports.pack_html import pack_html


def a4_printer() -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                      QMarginsF(18, 14, 18, 12), QPageLayout.Unit.Millimeter))
    return printer


def print_pack(data, printer: QPrinter) -> int:
    """Lay the pack out on the printer's pages and print it; returns the number of pages."""
    printer.setDocName(f"Appraisal pack – {clean(data.person.display_name)}")
    dpi = printer.resolution()
    page = printer.pageRect(QPrinter.Unit.DevicePixel)
    width, height = page.width(), page.height()
    header = dpi * 0.42
    footer = dpi * 0.38
    body = QSizeF(width, height - header - footer)

    document = QTextDocument()
    document.documentLayout().setPaintDevice(printer)
    font = QFont()
    font.setPointSizeF(10)
    document.setDefaultFont(font)
    document.setDocumentMargin(0)
    document.setHtml(pack_html(data))
    document.setPageSize(body)
    total = document.pageCount()

    small = QFont(font)
    small.setPointSizeF(8)
    bold = QFont(small)
    bold.setBold(True)
    name = clean(data.person.display_name)
    printed = f"Printed {uk(data.printed_on)} from ARRS Desk"
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("The printer could not be opened.")
    try:
        for number in range(1, total + 1):
            if number > 1:
                printer.newPage()
            painter.setPen(QPen(Qt.GlobalColor.black))
            painter.setFont(bold)
            line = header * 0.62
            painter.drawText(QRectF(0, 0, width * 0.65, line), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                             name)
            painter.drawText(QRectF(width * 0.5, 0, width * 0.5, line),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom, CONFIDENTIAL)
            painter.setPen(QPen(Qt.GlobalColor.darkGray, max(1.0, dpi / 150)))
            painter.drawLine(QPointF(0, header * 0.75), QPointF(width, header * 0.75))
            painter.drawLine(QPointF(0, height - footer * 0.7), QPointF(width, height - footer * 0.7))
            painter.setPen(QPen(Qt.GlobalColor.black))
            painter.setFont(small)
            foot = QRectF(0, height - footer * 0.6, width, footer * 0.6)
            painter.drawText(foot, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, printed)
            painter.drawText(foot, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             f"Page {number} of {total}")
            painter.save()
            painter.translate(0, header - (number - 1) * body.height())
            document.drawContents(painter, QRectF(0, (number - 1) * body.height(), body.width(), body.height()))
            painter.restore()
    finally:
        painter.end()
    return total
