"""Small QPainter charts drawn from the palette, every bar or point labelled with its number so
the chart never relies on colour alone."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget


class BarChart(QWidget):
    """Horizontal bars, one per group: value 0..1 with a label such as "75% (3 of 4)"."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._bars: list[tuple[str, float | None, str]] = []
        self._title = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setAccessibleName("Retention chart")

    def set_bars(self, title: str, bars: list[tuple[str, float | None, str]]) -> None:
        self._title, self._bars = title, list(bars)
        self.setAccessibleDescription("; ".join(f"{name}: {label}" for name, _, label in self._bars))
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(520, 40 + 26 * max(len(self._bars), 1))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(300, 40 + 26 * max(len(self._bars), 1))

    def paintEvent(self, event) -> None:  # noqa: N802
        palette = self.palette()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = painter.fontMetrics()
        painter.setPen(palette.color(QPalette.ColorRole.WindowText))
        bold = painter.font()
        bold.setBold(True)
        painter.setFont(bold)
        painter.drawText(QRectF(0, 0, self.width(), 24), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         self._title)
        painter.setFont(self.font())
        if not self._bars:
            painter.drawText(QRectF(0, 30, self.width(), 24), Qt.AlignmentFlag.AlignLeft, "Nothing to show yet.")
            painter.end()
            return
        name_width = min(max(metrics.horizontalAdvance(name) for name, _, _ in self._bars) + 12, self.width() // 3)
        label_width = max(metrics.horizontalAdvance(label) for _, _, label in self._bars) + 12
        bar_left = name_width
        bar_space = max(self.width() - name_width - label_width - 8, 40)
        row_h = 26
        text = palette.color(QPalette.ColorRole.WindowText)
        fill = palette.color(QPalette.ColorRole.Highlight)
        track = palette.color(QPalette.ColorRole.Mid)
        for index, (name, value, label) in enumerate(self._bars):
            top = 30 + index * row_h
            painter.setPen(text)
            elided = metrics.elidedText(name, Qt.TextElideMode.ElideRight, name_width - 8)
            painter.drawText(QRectF(0, top, name_width - 8, row_h - 6),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, elided)
            painter.setPen(QPen(track, 1))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(bar_left, top + 2, bar_space, row_h - 10))
            if value is not None:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(fill)
                painter.drawRect(QRectF(bar_left, top + 2, bar_space * max(0.0, min(1.0, value)), row_h - 10))
            painter.setPen(text)
            painter.drawText(QRectF(bar_left + bar_space + 8, top, label_width, row_h - 6),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, label)
        painter.end()


class TrendChart(QWidget):
    """A person's average answer (1 to 5) at each check-in, joined by a line, each point labelled."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._points: list[tuple[str, float]] = []
        self.setMinimumHeight(180)
        self.setAccessibleName("My check-in trend")

    def set_points(self, points: list[tuple[str, float]]) -> None:
        self._points = list(points)
        self.setAccessibleDescription("; ".join(f"{label}: {value:.1f} of 5" for label, value in self._points))
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(420, 200)

    def paintEvent(self, event) -> None:  # noqa: N802
        palette = self.palette()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text = palette.color(QPalette.ColorRole.WindowText)
        line = palette.color(QPalette.ColorRole.Highlight)
        grid = palette.color(QPalette.ColorRole.Mid)
        metrics = painter.fontMetrics()
        left, right, top, bottom = metrics.horizontalAdvance("5 ") + 8, 20, 12, metrics.height() + 10
        plot = QRectF(left, top, max(self.width() - left - right, 10), max(self.height() - top - bottom, 10))
        for level in range(1, 6):
            y = plot.bottom() - (level - 1) / 4 * plot.height()
            painter.setPen(QPen(grid, 1, Qt.PenStyle.DotLine))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(text)
            painter.drawText(QRectF(0, y - 8, left - 6, 16), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             str(level))
        if not self._points:
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, "Your answers will show here after your first check-in.")
            painter.end()
            return
        plot = plot.adjusted(34, 0, -34, 0)  # room for the end labels, clear of the axis numbers
        step = plot.width() / max(len(self._points) - 1, 1)
        spots = []
        for index, (label, value) in enumerate(self._points):
            x = plot.left() + (index * step if len(self._points) > 1 else plot.width() / 2)
            y = plot.bottom() - (value - 1) / 4 * plot.height()
            spots.append(QPointF(x, y))
            painter.setPen(text)
            painter.drawText(QRectF(x - 40, plot.bottom() + 4, 80, metrics.height()), Qt.AlignmentFlag.AlignHCenter, label)
        painter.setPen(QPen(line, 2))
        for a, b in zip(spots, spots[1:]):
            painter.drawLine(a, b)
        painter.setBrush(line)
        for spot, (_, value) in zip(spots, self._points):
            painter.setPen(QPen(line, 2))
            painter.drawEllipse(spot, 4, 4)
            painter.setPen(text)
            above = spot.y() - 20 >= plot.top() - 4
            painter.drawText(QRectF(spot.x() - 30, spot.y() - 20 if above else spot.y() + 6, 60, 16),
                             Qt.AlignmentFlag.AlignHCenter, f"{value:.1f}")
        painter.end()


class CheckCountsChart(QWidget):
    """One stacked bar per contract check: met, not met and N/A, each segment with its number
    beside the bar in words, and not met hatched as well as coloured, so nothing rests on colour."""

    ROW = 24
    TOP = 6
    MET = QColor("#007f3b")
    NOT_MET = QColor("#c0002a")

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[tuple[str, int, int, int]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Counts per check")

    def set_counts(self, rows: list[tuple[str, int, int, int]]) -> None:
        """(check title, met, not met, N/A) per check, in the checks file's order."""
        self._rows = list(rows)
        self.setAccessibleDescription("; ".join(f"{title}: {self.label(m, n, a)}" for title, m, n, a in self._rows))
        self.setToolTip("\n".join(f"{title}: {self.label(m, n, a)}" for title, m, n, a in self._rows))
        self.updateGeometry()
        self.update()

    @staticmethod
    def label(met: int, not_met: int, not_applicable: int) -> str:
        return f"{met} met · {not_met} not met · {not_applicable} N/A"

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(640, self.TOP * 2 + self.ROW * max(len(self._rows), 1))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(360, self.sizeHint().height())

    def paintEvent(self, event) -> None:  # noqa: N802
        palette = self.palette()
        painter = QPainter(self)
        metrics = painter.fontMetrics()
        text = palette.color(QPalette.ColorRole.WindowText)
        track = palette.color(QPalette.ColorRole.Mid)
        if not self._rows:
            painter.setPen(text)
            painter.drawText(QRectF(0, 0, self.width(), self.ROW), Qt.AlignmentFlag.AlignLeft, "No one to count yet.")
            painter.end()
            return
        name_width = min(max(metrics.horizontalAdvance(row[0]) for row in self._rows) + 12, self.width() // 3)
        label_width = max(metrics.horizontalAdvance(self.label(*row[1:])) for row in self._rows) + 12
        bar_left = name_width
        bar_space = max(self.width() - name_width - label_width - 8, 60)
        for index, (title, met, not_met, not_applicable) in enumerate(self._rows):
            top = self.TOP + index * self.ROW
            bar = QRectF(bar_left, top + 3, bar_space, self.ROW - 9)
            painter.setPen(text)
            painter.drawText(QRectF(0, top, name_width - 8, self.ROW - 3),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             metrics.elidedText(title, Qt.TextElideMode.ElideRight, name_width - 8))
            total = met + not_met + not_applicable
            if total:  # met solid, not met solid and hatched, N/A the empty rest of the track
                met_width, not_met_width = bar.width() * met / total, bar.width() * not_met / total
                painter.fillRect(QRectF(bar.left(), bar.top(), met_width, bar.height()), self.MET)
                segment = QRectF(bar.left() + met_width, bar.top(), not_met_width, bar.height())
                painter.fillRect(segment, self.NOT_MET)
                painter.fillRect(segment, QBrush(QColor("white"), Qt.BrushStyle.BDiagPattern))
            painter.setPen(QPen(track, 1))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(bar)
            painter.setPen(text)
            painter.drawText(QRectF(bar.right() + 8, top, label_width, self.ROW - 3),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             self.label(met, not_met, not_applicable))
        painter.end()
