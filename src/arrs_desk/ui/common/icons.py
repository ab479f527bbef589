"""Icons drawn from the palette, so they stay visible in light, dark and high-contrast themes."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from arrs_desk.paths import resource_path


def app_icon() -> QIcon:
    return QIcon(str(resource_path("icons", "arrs-desk.svg")))


@cache
def glyph_icon(glyph: str, tone: str = "neutral") -> QIcon:
    """A round badge with a symbol: shape and symbol carry the meaning, colour only helps.

    Tones map to fixed, mid-luminance colours with white symbols, readable on any background.
    """
    # Imported here: touching these classes costs ~20 ms of start-up, and the first icon is
    # only drawn once there are rows to show.
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPixmap

    colours = {
        "good": QColor("#007f3b"),
        "warn": QColor("#a35200"),
        "bad": QColor("#c0002a"),
        "info": QColor("#005eb8"),
        "neutral": QColor("#5c6670"),
    }
    icon = QIcon()
    for size in (16, 24, 32):
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colours[tone])
        path = QPainterPath()
        path.addEllipse(QRectF(0.5, 0.5, size - 1, size - 1))
        painter.drawPath(path)
        font = QFont()
        font.setBold(True)
        font.setPixelSize(int(size * 0.7))
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, glyph)
        painter.end()
        icon.addPixmap(pixmap)
    return icon


STATUS_ICONS = {
    "pre_start": ("…", "info"),
    "induction": ("i", "info"),
    "active": ("✓", "good"),
    "on_leave": ("‖", "neutral"),
    "left": ("×", "neutral"),
}


def status_icon(status: str) -> QIcon:
    glyph, tone = STATUS_ICONS.get(status, ("?", "neutral"))
    return glyph_icon(glyph, tone)
