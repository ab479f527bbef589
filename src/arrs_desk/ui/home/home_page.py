"""Home: what needs attention today for the person signed in, with a way straight to it.

The figures come from services.dashboard (the same rules as the pages they link to). Each
card says its state in words and with an icon shape; the chart repeats the counts for a quick
comparison and reads them out to screen readers as text.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import (
    QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QScrollArea, QSizePolicy, QVBoxLayout, QWidget,
)

from arrs_desk.ui.common.icons import glyph_icon
from arrs_desk.ui.common.page import Page
from arrs_desk.ui.common.page_loader import BUSY_AFTER_MS

TONE_GLYPHS = {"bad": "!", "warn": "!", "info": "…", "good": "✓"}
TONE_WORDS = {"bad": "Needs action", "warn": "Due soon", "info": "Waiting", "good": "All clear"}
"""Said before each card's detail. "Due soon" for warn, not "Coming up": a check-in open now until a
day, a registration expiring, read as not yet begun."""
CARD_WIDTH = 320
"""The narrowest a card can be and still read well; the page fits as many columns as this allows."""
STAFF = "Staff"
"""The staff list: the window's first page, not one of its feature pages."""


class AttentionChart(QWidget):
    """Horizontal bars, one per figure, drawn from the palette so they suit every theme."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.items: tuple = ()
        self.setAccessibleName("Chart of what needs attention")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_items(self, items) -> None:
        self.items = tuple(items)
        self.setAccessibleDescription("; ".join(f"{item.title}: {item.count}" for item in self.items))
        self.updateGeometry()
        self.update()

    def _row_height(self) -> int:
        return int(self.fontMetrics().height() * 1.8)

    def sizeHint(self) -> QSize:
        return QSize(480, max(1, len(self.items)) * self._row_height() + 8)

    def minimumSizeHint(self) -> QSize:
        return QSize(240, self.sizeHint().height())

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if not self.items:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        metrics = self.fontMetrics()
        row = self._row_height()
        label_width = min(max(metrics.horizontalAdvance(i.title) for i in self.items) + 12, self.width() // 2)
        number_width = metrics.horizontalAdvance("0000") + 8
        track = self.width() - label_width - number_width
        biggest = max(max(i.count for i in self.items), 1)
        for index, item in enumerate(self.items):
            top = 4 + index * row
            painter.setPen(palette.color(QPalette.ColorRole.WindowText))
            painter.drawText(QRectF(0, top, label_width - 8, row), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                             metrics.elidedText(item.title, Qt.TextElideMode.ElideRight, label_width - 8))
            bar = QRectF(label_width, top + row * 0.2, max(track * item.count / biggest, 2 if item.count else 0), row * 0.6)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(palette.color(QPalette.ColorRole.Mid))
            painter.drawRect(QRectF(label_width, top + row * 0.2, track, row * 0.6).adjusted(0, row * 0.25, 0, -row * 0.25))
            painter.setBrush(palette.color(QPalette.ColorRole.Highlight))
            painter.drawRoundedRect(bar, 2, 2)
            painter.setPen(palette.color(QPalette.ColorRole.WindowText))
            painter.drawText(QRectF(label_width + track + 6, top, number_width, row), Qt.AlignmentFlag.AlignVCenter,
                             str(item.count))
        painter.end()


class AttentionCard(QFrame):
    def __init__(self, item, can_open: bool, open_page, parent=None):
        super().__init__(parent)
        self.item = item
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("attentionCard")  # outlined in the high-contrast theme
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        icon = QLabel()
        icon.setPixmap(glyph_icon(TONE_GLYPHS[item.tone], item.tone).pixmap(24, 24))
        icon.setAccessibleName(TONE_WORDS[item.tone])
        title = QLabel(f"<b>{item.title}</b>")
        title.setWordWrap(True)
        top.addWidget(icon)
        top.addWidget(title, 1)
        layout.addLayout(top)
        self.count_label = QLabel(str(item.count))
        font = self.count_label.font()
        font.setPointSizeF(font.pointSizeF() * 2)
        font.setBold(True)
        self.count_label.setFont(font)
        status = QLabel(f"{TONE_WORDS[item.tone]} · {item.detail}")
        status.setWordWrap(True)
        layout.addWidget(self.count_label)
        layout.addWidget(status)
        self.setAccessibleName(f"{item.title}: {item.count}. {TONE_WORDS[item.tone]}, {item.detail}")
        if can_open:
            label = "Open the programme" if item.enrolment_id is not None else f"Open {item.page}"
            self.button = QPushButton(label)
            self.button.setAccessibleName(f"{label} for {item.title.lower()}")
            self.button.clicked.connect(lambda: open_page(item))
            row = QHBoxLayout()
            row.addStretch(1)
            row.addWidget(self.button)
            layout.addLayout(row)
        layout.addStretch(1)


class FirstStepCard(QFrame):
    """One first step in a PCN with no staff yet: numbered, said in words, with buttons to do it."""

    def __init__(self, number: int, step, buttons, parent=None):
        super().__init__(parent)
        self.step = step
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("attentionCard")  # outlined in the high-contrast theme, as the other cards
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        icon = QLabel()
        icon.setPixmap(glyph_icon(str(number), "info").pixmap(24, 24))
        icon.setAccessibleName(f"Step {number}")
        title = QLabel(f"<b>{step.title}</b>")
        title.setWordWrap(True)
        top.addWidget(icon)
        top.addWidget(title, 1)
        layout.addLayout(top)
        detail = QLabel(step.detail)
        detail.setWordWrap(True)
        layout.addWidget(detail)
        self.setAccessibleName(f"Step {number}: {step.title}. {step.detail}")
        self.buttons = []
        row = QHBoxLayout()
        row.addStretch(1)
        for text, slot in buttons:
            button = QPushButton(text)
            button.clicked.connect(slot)
            self.buttons.append(button)
            row.addWidget(button)
        layout.addLayout(row)
        layout.addStretch(1)


class HomePage(Page):
    title = "Home"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.dashboard = None
        self._first_look = None  # the first cards, read and waiting to be shown (`_first_look_read`)
        self._refreshed_at = 0.0
        self._first_look_timer = QTimer(self)
        self._first_look_timer.setSingleShot(True)
        self._first_look_timer.timeout.connect(self._show_first_look)
        self._cards: list[AttentionCard] = []
        self._columns = 0
        self.heading_label = self.heading("Today")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.chart = AttentionChart()
        self.cards = QWidget()
        self.grid = QGridLayout(self.cards)
        self.grid.setContentsMargins(0, 0, 0, 0)
        body = QWidget()
        inner = QVBoxLayout(body)
        inner.addWidget(self.summary)
        inner.addWidget(self.cards)
        inner.addWidget(self.chart)
        inner.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading_label)
        layout.addWidget(scroll, 1)

    def refresh(self) -> None:
        """Read the cards in two steps (`DashboardService.first_look`, then `attention`): for a
        federation of thousands the PCN-wide cards take most of the time, and on a first visit
        the person's own and their team's cards are shown meanwhile (`_first_look_read`)."""
        from arrs_desk.services.dashboard import DashboardService

        if self.workspace is None or self.actor is None:
            return
        actor = self.actor
        self._refreshed_at = time.monotonic()
        self.load_data(lambda ws: DashboardService(ws).first_look(actor), self._first_look_read)

    def _first_look_read(self, first) -> None:
        """Read every card next; meanwhile show the first ones if Home shows nothing yet (or another
        person's cards, covered), once BUSY_AFTER_MS have passed, when a page says it is busy: a PCN
        of a hundred staff has every card by then, and its Home is drawn once, not twice."""
        from arrs_desk.services.dashboard import DashboardService

        actor = self.actor
        self.load_data(lambda ws: DashboardService(ws).attention(actor), self.show_dashboard)
        if self.dashboard is not None and not self.loader.concealed:
            return  # what is shown stays until every card is read again (after a save, a new day)
        self._first_look = first
        wait = BUSY_AFTER_MS - (time.monotonic() - self._refreshed_at) * 1000
        if wait <= 0 or self.loader.concealed:  # covered: show this person's cards, not wait
            self._show_first_look()
        else:
            self._first_look_timer.start(int(wait))

    def _show_first_look(self) -> None:
        first, self._first_look = self._first_look, None
        if first is not None and self.loader.loading:  # not once every card has come
            self.show_dashboard(first)
            self.loader.show_busy()  # the rest is on its way: said at once, not after its own delay

    def show_dashboard(self, dashboard) -> None:
        if dashboard.complete:
            self._first_look_timer.stop()
            self._first_look = None
        self.dashboard = dashboard
        self.heading_label.setText(dashboard.greeting)
        self.heading_label.setAccessibleName(dashboard.greeting)
        today = f"{dashboard.today:%A %d %B %Y}"
        needing = [item for item in dashboard.items if item.count and item.tone != "good"]
        if not dashboard.complete:
            self.summary.setText(f"{today}. Still working out mandatory training, supervision, reviews and the "
                                 "Network Contract checks for everyone; "
                                 + (f"so far {len(needing)} of these need{'s' if len(needing) == 1 else ''} your "
                                    "attention." if needing else "nothing so far needs your attention."))
        elif needing:
            self.summary.setText(f"{today}. {len(needing)} of these need{'s' if len(needing) == 1 else ''} "
                                 "your attention; each card opens the page with the details.")
        elif dashboard.first_steps:
            self.summary.setText(f"{today}. No one is on the staff list yet, so there is nothing to follow up. "
                                 "To get started, take these steps in order:")
        else:
            self.summary.setText(f"{today}. Nothing needs your attention today.")
        while self.grid.count():
            widget = self.grid.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        self._cards = [FirstStepCard(number, step, self._step_buttons(step))
                       for number, step in enumerate(dashboard.first_steps, start=1)]
        self._cards += [AttentionCard(item, self._can_open(item.page), self._open) for item in dashboard.items]
        self._columns = 0
        self._arrange()
        self.chart.set_items(dashboard.items)
        self.chart.setVisible(bool(dashboard.items) and dashboard.complete)  # bars scaled to every card, or none

    def _arrange(self) -> None:
        """Cards in as many columns as fit (two to three on a laptop), so more of them show at once."""
        columns = max(1, min(3, self.cards.width() // CARD_WIDTH)) if self.cards.width() > 0 else 2
        if columns == self._columns:
            return
        self._columns = columns
        for card in self._cards:
            self.grid.removeWidget(card)
        for index, card in enumerate(self._cards):
            self.grid.addWidget(card, index // columns, index % columns)
        for column in range(3):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._arrange()

    def _step_buttons(self, step) -> list[tuple[str, object]]:
        """A first step's buttons: adding staff offers the window's own New staff member and Import
        staff (as the File menu does, to those who may), any other step opens its page."""
        window = self.window()
        if step.page == STAFF:
            actions = [getattr(window, name, None) for name in ("new_action", "import_action")]
            return [(action.text().replace("&", ""), action.trigger) for action in actions
                    if action is not None and action.isVisible() and action.isEnabled()]
        if not self._can_open(step.page):
            return []
        return [(f"Open {step.page}", lambda: window.show_page(step.page))]

    def _can_open(self, title: str) -> bool:
        window = self.window()
        specs = getattr(window, "specs", ())
        rows = [row for row, spec in enumerate(specs, start=1) if spec.title == title]
        return bool(rows) and not window.nav.item(rows[0]).isHidden()

    def _open(self, item) -> None:
        """Go to the item's page, showing first what the card was about."""
        window = self.window()
        window.show_page(item.page)
        page = window.page(item.page)
        if item.enrolment_id is not None and hasattr(page, "open_enrolment"):
            page.open_enrolment(item.enrolment_id)
        elif item.show == "behind" and hasattr(page, "show_filter"):
            page.show_filter.setCurrentIndex(max(page.show_filter.findData("behind"), 0))
        elif item.show == "unmet" and hasattr(page, "unmet_only"):
            page.unmet_only.setChecked(True)
