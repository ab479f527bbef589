"""A percentage drawn in a table cell as a bar in the style's own colours, its number beside it.

Written on the bar, the number was cut by the bar's edge whenever the two met ("4|3%", half
white on blue, half black on white) and could hardly be read. Beside the bar it is always in the
table's own text colour, and the bars of one column still line up to compare at a glance.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QRect, Qt
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionProgressBar

WIDEST = "100%"
GAP = 6


class PercentBarDelegate(QStyledItemDelegate):
    """Paints `percent(index)` (0 to 100, or None to paint the cell as usual) as a bar and a number."""

    def __init__(self, parent, percent: Callable[[QModelIndex], float | None]):
        super().__init__(parent)
        self._percent = percent

    def paint(self, painter, option, index) -> None:
        value = self._percent(index)
        if value is None:
            super().paint(painter, option, index)
            return
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.fillRect(option.rect, option.palette.highlight())
        area = option.rect.adjusted(4, 5, -4, -5)
        number_width = option.fontMetrics.horizontalAdvance(WIDEST) + GAP
        bar = QStyleOptionProgressBar()
        bar.rect = QRect(area.left(), area.top(), max(area.width() - number_width, 8), area.height())
        bar.minimum, bar.maximum, bar.progress = 0, 100, max(0, min(100, round(value)))
        bar.textVisible = False
        bar.state = option.state | QStyle.StateFlag.State_Horizontal
        bar.palette = option.palette
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter, option.widget)
        painter.save()
        painter.setPen(option.palette.highlightedText().color() if selected else option.palette.text().color())
        number = QRect(area.right() - number_width + 1, option.rect.top(), number_width, option.rect.height())
        painter.drawText(number, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), f"{value:.0f}%")
        painter.restore()
