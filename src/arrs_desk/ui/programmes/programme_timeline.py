"""A programme drawn on one line: weeks along the top, the planned span, pauses and extensions,
each milestone where it falls, and today.

Every milestone's status is carried three ways, so it reads without colour: the marker's shape
(filled circle held, diamond due, triangle overdue, hollow circle upcoming, hollow square not
recorded), a symbol inside it, and the status written in its label. Text and lines use the
palette, so the drawing follows light, dark and high-contrast themes; only the status markers
use the fixed badge colours the rest of ARRS Desk uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from datetime import date, timedelta

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from arrs_desk.domain.programmes import MilestoneStatus
from arrs_desk.ui.programmes.programmes_model import uk

TONES = {"good": "#007f3b", "warn": "#a35200", "bad": "#c0002a", "info": "#005eb8", "neutral": "#5c6670"}
MARKER = 15.0
LABEL_ROWS = 4
MARGIN = 18


@dataclass(frozen=True)
class _Placed:
    milestone: object
    x: float
    label: str
    label_rect: QRectF
    marker_rect: QRectF


def marker_kind(status: MilestoneStatus, finished: bool) -> str:
    if status is MilestoneStatus.HELD:
        return "held"
    if finished:
        return "not-recorded"
    return {MilestoneStatus.DUE: "due", MilestoneStatus.OVERDUE: "overdue"}.get(status, "upcoming")


KIND_TEXT = {"held": "Held", "due": "Due now", "overdue": "Overdue", "upcoming": "Upcoming",
             "not-recorded": "Not recorded"}


def _short(title: str, limit: int = 30) -> str:
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


class TimelineWidget(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.view = None
        self._placed: list[_Placed] = []
        self._pause_rects: list[tuple[QRectF, object]] = []
        self.setAccessibleName("Programme timeline")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # reachable by keyboard; the description reads it out

    def set_view(self, view) -> None:
        self.view = view
        self.setAccessibleDescription(self.describe())
        self.setToolTip("")
        self.updateGeometry()
        self.update()

    # --- words for screen readers and tests -----------------------------------------------
    def describe(self) -> str:
        v = self.view
        if v is None:
            return ""
        finished = not v.active
        parts = [f"{v.title}: starts {uk(v.start_date)}, expected end {uk(v.expected_end)}."]
        for p in v.pauses:
            parts.append(f"Paused {uk(p.start_date)} to {uk(p.end_date) if p.end_date else 'now'} ({p.reason}).")
        if v.extension_days:
            parts.append(f"Extended by {v.extension_days} days.")
        for m in v.milestones:
            kind = marker_kind(m.status, finished)
            when = uk(m.held_on) if m.held_on else uk(m.due)
            parts.append(f"{m.title}: {KIND_TEXT[kind].lower()} {when}.")
        parts.append(f"Today is {uk(v.today)}.")
        return " ".join(parts)

    # --- geometry -------------------------------------------------------------------------
    def sizeHint(self) -> QSize:  # noqa: N802
        line = QFontMetrics(self.font()).lineSpacing()
        return QSize(900, self._bar_top() + 36 + LABEL_ROWS * (line + 6) + 2 * line + 30)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(420, self.sizeHint().height())

    def _bar_top(self) -> int:
        """Week labels and their dates, then a line for pause captions, then the bar."""
        line = QFontMetrics(self.font()).lineSpacing()
        return 3 * line + 26

    def _range(self) -> tuple[date, date]:
        v = self.view
        first = min([v.start_date] + [m.held_on for m in v.milestones if m.held_on])
        last = max([v.expected_end, v.as_of if v.active else v.expected_end]
                   + [m.held_on for m in v.milestones if m.held_on] + [m.due for m in v.milestones])
        return first, max(last, first + timedelta(days=7))

    def _x(self, day: date) -> float:
        first, last = self._range()
        width = self.width() - 2 * MARGIN - MARKER
        return MARGIN + MARKER / 2 + (day - first).days / max(1, (last - first).days) * width

    # --- painting -------------------------------------------------------------------------
    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        faint = palette.color(QPalette.ColorRole.PlaceholderText)
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        if self.view is None:
            painter.end()
            return
        v = self.view
        metrics = QFontMetrics(self.font())
        line = metrics.lineSpacing()
        bar_top = self._bar_top()
        bar = QRectF(self._x(v.start_date), bar_top, self._x(v.expected_end) - self._x(v.start_date), 14)
        self._paint_weeks(painter, metrics, text, faint, bar_top)

        # The planned span, the extension at its end, then pauses over it.
        painter.setPen(QPen(faint, 1))
        painter.setBrush(palette.color(QPalette.ColorRole.AlternateBase))
        painter.drawRoundedRect(bar, 4, 4)
        if v.extension_days:
            start = v.expected_end - timedelta(days=v.extension_days)
            rect = QRectF(self._x(start), bar.top(), self._x(v.expected_end) - self._x(start), bar.height())
            painter.setBrush(QBrush(faint, Qt.BrushStyle.Dense6Pattern))
            painter.drawRect(rect)
            self._caption(painter, rect, "Extension", text, above=False)
        self._pause_rects = []
        for p in v.pauses:
            end = p.end_date or max(p.start_date, v.as_of)
            rect = QRectF(self._x(p.start_date), bar.top() - 6, max(3.0, self._x(end + timedelta(days=1))
                                                                    - self._x(p.start_date)), bar.height() + 12)
            shade = QColor(faint)
            shade.setAlpha(70)
            painter.setPen(QPen(faint, 1, Qt.PenStyle.DashLine))
            painter.setBrush(shade)
            painter.drawRect(rect)
            painter.setBrush(QBrush(text, Qt.BrushStyle.BDiagPattern))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawRect(rect)
            label = f"Paused: {_short(p.reason, 24)}" + (" (ongoing)" if p.ongoing else f" ({p.days} days)")
            self._caption(painter, rect, label, text, above=True)
            self._pause_rects.append((rect, p))

        # Today: a line through everything, labelled at its foot, clear of the week labels.
        if v.active and self._range()[0] <= v.today <= self._range()[1]:
            x = self._x(v.today)
            highlight = palette.color(QPalette.ColorRole.Highlight)
            foot = self.height() - 2 * line - 20
            painter.setPen(QPen(highlight, 2, Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(x, 2 * line + 8), QPointF(x, foot))
            label = f"Today {uk(v.today)}"
            width = metrics.horizontalAdvance(label) + 10
            left = min(max(2.0, x - width / 2), self.width() - width - 2)
            box = QRectF(left, foot, width, line + 2)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(highlight)
            painter.drawRoundedRect(box, 3, 3)
            painter.setPen(palette.color(QPalette.ColorRole.HighlightedText))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, label)

        self._paint_milestones(painter, metrics, text, faint, bar)
        self._paint_legend(painter, metrics, text, faint)
        painter.end()

    def _paint_weeks(self, painter: QPainter, metrics: QFontMetrics, text: QColor, faint: QColor, bar_top: int) -> None:
        v = self.view
        first, last = self._range()
        weeks = max(1, (last - v.start_date).days // 7 + 1)
        pixels_per_week = max(1.0, self._x(v.start_date + timedelta(weeks=1)) - self._x(v.start_date))
        step = next(s for s in (1, 2, 4, 8, 13, 26, 52, 104) if s * pixels_per_week >= metrics.horizontalAdvance("Wk 000 ") + 8)
        line = metrics.lineSpacing()
        small = QFont(self.font())
        small.setPointSizeF(max(6.5, self.font().pointSizeF() * 0.85))
        for week in range(0, weeks + 1):
            day = v.start_date + timedelta(weeks=week)
            if day > last:
                break
            x = self._x(day)
            major = week % step == 0
            painter.setPen(QPen(faint if not major else text, 1))
            painter.drawLine(QPointF(x, 2 * line + 4), QPointF(x, 2 * line + (12 if major else 8)))
            if major:
                painter.setFont(self.font())
                painter.drawText(QRectF(x - 40, 2, 80, line), Qt.AlignmentFlag.AlignCenter, f"Wk {week}")
                painter.setFont(small)
                painter.setPen(faint)
                painter.drawText(QRectF(x - 40, 2 + line, 80, line), Qt.AlignmentFlag.AlignCenter, f"{day:%d/%m}")
                painter.setFont(self.font())

    def _caption(self, painter: QPainter, rect: QRectF, label: str, colour: QColor, *, above: bool) -> None:
        metrics = QFontMetrics(self.font())
        width = metrics.horizontalAdvance(label) + 6
        left = min(max(2.0, rect.center().x() - width / 2), self.width() - width - 2)
        top = rect.top() - metrics.lineSpacing() - 1 if above else rect.bottom() + 2
        painter.setPen(colour)
        painter.drawText(QRectF(left, top, width, metrics.lineSpacing()), Qt.AlignmentFlag.AlignCenter, label)

    def _paint_milestones(self, painter: QPainter, metrics: QFontMetrics, text: QColor, faint: QColor,
                          bar: QRectF) -> None:
        v = self.view
        finished = not v.active
        line = metrics.lineSpacing()
        first_row = bar.bottom() + 22 + (line if v.extension_days else 0)
        ends: list[float] = [-1e9] * LABEL_ROWS
        self._placed = []
        items = sorted(v.milestones, key=lambda m: (m.held_on or m.due, m.week))
        for m in items:
            kind = marker_kind(m.status, finished)
            x = self._x(m.held_on or m.due)
            # The whole title where there is room for it, a shortened one where there is not.
            for label in (f"{m.title} · {KIND_TEXT[kind]}", f"{_short(m.title)} · {KIND_TEXT[kind]}",
                          f"{_short(m.title, 18)} · {KIND_TEXT[kind]}"):
                width = metrics.horizontalAdvance(label) + 10
                left = min(max(2.0, x - 6), self.width() - width - 2)
                row = next((r for r in range(LABEL_ROWS) if ends[r] < left - 6), None)
                if row is not None:
                    break
            if row is None:
                row = min(range(LABEL_ROWS), key=lambda r: ends[r])
            ends[row] = left + width
            rect = QRectF(left, first_row + row * (line + 6), width, line + 2)
            self._placed.append(_Placed(m, x, label, rect,
                                        QRectF(x - MARKER / 2, bar.center().y() - MARKER / 2, MARKER, MARKER)))
        for placed in self._placed:  # leader lines first, so markers and labels sit on top
            painter.setPen(QPen(faint, 1, Qt.PenStyle.DotLine))
            painter.drawLine(QPointF(placed.x, bar.bottom() + MARKER / 2 - 4),
                             QPointF(placed.x, placed.label_rect.top()))
        backing = self.palette().color(QPalette.ColorRole.Base)
        backing.setAlpha(220)
        for placed in self._placed:
            kind = marker_kind(placed.milestone.status, finished)
            self._marker(painter, placed.marker_rect, kind, text)
            painter.fillRect(placed.label_rect, backing)  # keeps labels readable over the today line
            painter.setPen(text)
            painter.drawText(placed.label_rect.adjusted(4, 0, 0, 0),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, placed.label)

    def _marker(self, painter: QPainter, rect: QRectF, kind: str, text: QColor) -> None:
        """Shape and symbol per status; the colour only repeats what they say."""
        tone = QColor(TONES[{"held": "good", "due": "warn", "overdue": "bad", "upcoming": "info",
                             "not-recorded": "neutral"}[kind]])
        painter.save()
        path = QPainterPath()
        c = rect.center()
        r = rect.width() / 2
        if kind == "held":
            path.addEllipse(rect)
        elif kind == "due":
            path.addPolygon(QPolygonF([QPointF(c.x(), c.y() - r - 1), QPointF(c.x() + r + 1, c.y()),
                                       QPointF(c.x(), c.y() + r + 1), QPointF(c.x() - r - 1, c.y())]))
            path.closeSubpath()
        elif kind == "overdue":
            path.addPolygon(QPolygonF([QPointF(c.x(), c.y() - r - 2), QPointF(c.x() + r + 2, c.y() + r),
                                       QPointF(c.x() - r - 2, c.y() + r)]))
            path.closeSubpath()
        elif kind == "not-recorded":
            path.addRect(rect.adjusted(1, 1, -1, -1))
        else:
            path.addEllipse(rect.adjusted(1, 1, -1, -1))
        hollow = kind in ("upcoming", "not-recorded")
        painter.setPen(QPen(tone, 2.2 if hollow else 1))
        painter.setBrush(self.palette().color(QPalette.ColorRole.Base) if hollow else tone)
        painter.drawPath(path)
        glyph = {"held": "✓", "due": "…", "overdue": "!"}.get(kind)
        if glyph:
            font = QFont(self.font())
            font.setBold(True)
            font.setPixelSize(int(rect.height() * 0.72))
            painter.setFont(font)
            painter.setPen(QColor("white"))
            painter.drawText(rect.adjusted(0, 2 if kind == "overdue" else 0, 0, 0), Qt.AlignmentFlag.AlignCenter, glyph)
        painter.restore()

    def _paint_legend(self, painter: QPainter, metrics: QFontMetrics, text: QColor, faint: QColor) -> None:
        y = self.height() - metrics.lineSpacing() - 8
        x = float(MARGIN)
        entries = [("held", "Held"), ("due", "Due now"), ("overdue", "Overdue"), ("upcoming", "Upcoming")]
        if not self.view.active:
            entries.append(("not-recorded", "Not recorded"))
        for kind, label in entries:
            self._marker(painter, QRectF(x, y + (metrics.lineSpacing() - 12) / 2, 12, 12), kind, text)
            painter.setPen(text)
            painter.drawText(QPointF(x + 17, y + metrics.ascent()), label)
            x += 17 + metrics.horizontalAdvance(label) + 20
        rect = QRectF(x, y + 2, 22, metrics.lineSpacing() - 4)
        shade = QColor(faint)
        shade.setAlpha(70)
        painter.setPen(QPen(faint, 1, Qt.PenStyle.DashLine))
        painter.setBrush(shade)
        painter.drawRect(rect)
        painter.setBrush(QBrush(text, Qt.BrushStyle.BDiagPattern))
        painter.drawRect(rect)
        painter.setPen(text)
        painter.drawText(QPointF(x + 28, y + metrics.ascent()), "Paused")
        x += 28 + metrics.horizontalAdvance("Paused") + 20
        painter.setPen(QPen(faint, 1))
        painter.setBrush(QBrush(faint, Qt.BrushStyle.Dense6Pattern))
        painter.drawRect(QRectF(x, y + 2, 22, metrics.lineSpacing() - 4))
        painter.setPen(text)
        painter.drawText(QPointF(x + 28, y + metrics.ascent()), "Extension")

    # --- tooltips -------------------------------------------------------------------------
    def tooltip_at(self, point: QPointF) -> str:
        v = self.view
        if v is None:
            return ""
        for placed in self._placed:
            if placed.marker_rect.adjusted(-4, -4, 4, 4).contains(point) or placed.label_rect.contains(point):
                m = placed.milestone
                kind = marker_kind(m.status, not v.active)
                lines = [m.title, f"{m.kind_label}, week {m.week}", f"Due {uk(m.due)}", f"Status: {KIND_TEXT[kind]}"]
                if m.held_on:
                    lines.append(f"Held {uk(m.held_on)}" + (f" (recorded by {m.recorded_by})" if m.recorded_by else ""))
                if m.notes:
                    lines.append(m.notes)
                return "\n".join(lines)
        for rect, p in self._pause_rects:
            if rect.contains(point):
                return (f"Paused {uk(p.start_date)} to {uk(p.end_date) if p.end_date else 'now (ongoing)'}: "
                        f"{p.reason}\nLater dates move by the days paused.")
        return ""

    def event(self, event) -> bool:
        if event.type() == event.Type.ToolTip:
            tip = self.tooltip_at(QPointF(event.pos()))
            if tip:  # as rich text built from escaped words, so typed markup shows as typed
                QToolTip.showText(event.globalPos(), escape(tip).replace("\n", "<br>"), self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)
