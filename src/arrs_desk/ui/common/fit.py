"""Every window fits the screen it opens on: the one place that sizes and places windows.

The commonest practice PC is a 1366x768 laptop with the taskbar along the bottom (about 728
pixels to spare), often with text made bigger. Dialogs laid out on a large monitor then opened
with their title bar above the top of the screen, or pushed their Save button below the bottom
once a problem message appeared under a field. `ScreenFitter`, installed once on the
application (`install`), watches every top-level window as it is shown and whenever it grows:

* it is never larger than the screen's free area, with room left for the title bar (a platform
  that has not yet drawn its frame is assumed to draw a Windows-sized one);
* where the content cannot be that small, drop-downs sized to their longest choice may be
  narrower (`narrow_drop_downs`), and past that the content scrolls while the row of buttons at
  the bottom stays in view (`make_scrollable`);
* a window too short for its wrapped text is given the height the text needs, so labels and
  buttons are never squashed into each other;
* it opens centred on the window it belongs to (or on the screen), entirely on the screen.

Windows keep the sizes they ask for wherever those fit: nothing is restyled.
"""

from __future__ import annotations

import logging
import weakref

import shiboken6

from PySide6.QtCore import QEvent, QMargins, QObject, QPoint, QRect, QSize, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractScrollArea, QApplication, QBoxLayout, QComboBox, QDialogButtonBox, QFrame, QLabel,
    QLayout, QScrollArea, QVBoxLayout, QWidget,
)

ASSUMED_FRAME = QMargins(2, 31, 2, 2)
"""The frame a window is assumed to get until the platform says: Windows 10/11 draws a title bar
of about 31 px and a one-pixel border at 100%."""

FITTED = "arrsFitted"
"""Dynamic property set once a window has been placed, so later shows keep the user's position."""
SCROLL_NAME = "fitScroll"
"""Object name of the scroll area `make_scrollable` puts a window's content into."""

_WINDOW_TYPES = (Qt.WindowType.Window, Qt.WindowType.Dialog)


def is_fittable(widget) -> bool:
    """Top-level windows and dialogs; not menus, tooltips, combo lists or maximised windows."""
    return (isinstance(widget, QWidget) and widget.isWindow() and widget.windowType() in _WINDOW_TYPES
            and not widget.windowState() & (Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen
                                            | Qt.WindowState.WindowMinimized)
            and widget.property("fitToScreen") is not False)


def _owner(window: QWidget) -> QWidget | None:
    parent = window.parentWidget()
    return parent.window() if parent is not None else None


def available_area(window: QWidget) -> QRect:
    """The free part of the screen the window belongs on: its owner's screen, else its own."""
    owner = _owner(window)
    screen = (owner.screen() if owner is not None and owner.isVisible() else None) or window.screen() \
        or QApplication.primaryScreen()
    return screen.availableGeometry()


def frame_margins(window: QWidget) -> QMargins:
    """The frame around the window's content: what the platform reports, but never less than a
    Windows title bar and border (X11 and the offscreen platform report theirs late, or thin)."""
    frame, inner = window.frameGeometry(), window.geometry()
    actual = QMargins(inner.left() - frame.left(), inner.top() - frame.top(),
                      frame.right() - inner.right(), frame.bottom() - inner.bottom())
    if window.windowFlags() & Qt.WindowType.FramelessWindowHint:
        return actual
    return QMargins(max(actual.left(), ASSUMED_FRAME.left()), max(actual.top(), ASSUMED_FRAME.top()),
                    max(actual.right(), ASSUMED_FRAME.right()), max(actual.bottom(), ASSUMED_FRAME.bottom()))


def content_area(window: QWidget) -> QRect:
    """Where the window's content may lie so that its frame, title bar included, is on the screen."""
    return available_area(window).marginsRemoved(frame_margins(window))


def needed_size(window: QWidget) -> QSize:
    """The least size its layout accepts (wrapped text is checked after layout: `squashed_by`)."""
    return window.minimumSizeHint().expandedTo(window.minimumSize()).expandedTo(QSize(0, 0))


def _scrolls(widget: QWidget, window: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def squashed_by(window: QWidget) -> int:
    """How many pixels short the window is where wrapped text or a button got less height than it
    needs. Qt sizes a window from its layout's minimum, which leaves out how tall wrapped text
    becomes at the width it is given: at larger text sizes labels then ran into the buttons below."""
    worst = 0
    for widget in window.findChildren(QWidget):
        if widget.isWindow() or not widget.isVisibleTo(window) or _scrolls(widget, window):
            continue
        if isinstance(widget, QLabel) and widget.wordWrap() and widget.text():
            need = widget.heightForWidth(widget.width())
        elif isinstance(widget, QAbstractButton):
            need = widget.minimumSizeHint().height()
            parent = widget.parentWidget()
            if parent is not None and widget.geometry().bottom() > parent.rect().bottom():
                worst = max(worst, widget.geometry().bottom() - parent.rect().bottom())  # a row wrapped out of sight
        else:
            continue
        worst = max(worst, need - widget.height())
    return worst


def fits(window: QWidget) -> bool:
    """True when the window and its frame lie wholly within the screen's free area."""
    return content_area(window).contains(window.geometry())


def _comfortable(window: QWidget) -> bool:
    """On the screen, and nothing in it squashed: nothing to do."""
    return fits(window) and squashed_by(window) <= 0


def fit_window(window: QWidget, *, place: bool | None = None) -> None:
    """Size the window within the screen (its content scrolling if it must) and put it on the
    screen: centred on its owner the first time (`place`), otherwise only moved as far as needed."""
    area = content_area(window)
    if area.width() <= 0 or area.height() <= 0:
        return
    want = window.size()
    if window.isVisible() and window.property(FITTED):
        want.setHeight(want.height() + max(0, squashed_by(window)))  # laid out already: room for wrapped text
    needed = needed_size(window)
    if needed.width() > area.width() and narrow_drop_downs(window):
        needed = needed_size(window)
    if (needed.width() > area.width() or needed.height() > area.height()) and make_scrollable(window):
        want = want.expandedTo(_scrolled_size(window))  # as large as the form would like, within the screen
        needed = needed_size(window)
    width = min(max(want.width(), needed.width()), area.width())
    height = min(max(want.height(), needed.height()), area.height())
    if needed.width() > area.width() or needed.height() > area.height():
        # Nothing left to scroll (a wizard, or a window without a layout): never off the screen.
        QWidget.setMinimumSize(window, min(window.minimumWidth(), area.width()),
                               min(window.minimumHeight(), area.height()))
    if QSize(width, height) != window.size():
        QWidget.resize(window, width, height)  # QWidget's own: a dialog may name a method resize or move
    first = not window.property(FITTED)
    if place if place is not None else (first and not _placed_by_someone(window)):
        _centre(window, area)
    _move_inside(window, area)
    window.setProperty(FITTED, True)


DROP_DOWN_CHARS = 22
"""How many characters a drop-down shows at least once it no longer sizes itself to its longest choice."""


def narrow_drop_downs(window: QWidget) -> bool:
    """Let drop-downs that size themselves to their longest choice (a colleague's name and role,
    a supervisor and their organisation) be narrower, showing the choice cut short, when that is
    what makes the window too wide for the screen; their lists still open at full width.
    Returns True when any was changed."""
    changed = False
    for combo in window.findChildren(QComboBox):
        if combo.sizeAdjustPolicy() != QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon:
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(max(combo.minimumContentsLength(), DROP_DOWN_CHARS))
            combo.view().setMinimumWidth(combo.view().sizeHintForColumn(0) + 24)
            QApplication.sendEvent(combo, QEvent(QEvent.Type.StyleChange))  # drops its remembered size
            changed = True
    if changed and window.layout() is not None:
        for layout in window.findChildren(QLayout):  # measured again now, not at the next event
            layout.invalidate()
        window.layout().invalidate()
        window.layout().activate()
    return changed


def _scrolled_size(window: QWidget) -> QSize:
    """The size at which a scrolled form would need no scrolling: its content, the scroll bar, the buttons."""
    scroll = window.findChild(QScrollArea, SCROLL_NAME)
    outer = window.layout()
    if scroll is None or scroll.widget() is None or outer is None:
        return window.size()
    body = scroll.widget()
    bar = scroll.verticalScrollBar().sizeHint().width()
    footer = sum(outer.itemAt(i).sizeHint().height() + outer.spacing() for i in range(1, outer.count()))
    width = max(body.sizeHint().width(), body.minimumSizeHint().width()) + bar
    return QSize(width, body.sizeHint().height() + footer)


def _placed_by_someone(window: QWidget) -> bool:
    """A window moved on purpose (a restored main window) keeps its place if it fits there."""
    return window.testAttribute(Qt.WidgetAttribute.WA_Moved) and not window.inherits("QDialog")


def _centre(window: QWidget, area: QRect) -> None:
    owner = _owner(window)
    centre = owner.geometry().center() if owner is not None and owner.isVisible() else area.center()
    _move_content_to(window, QPoint(centre.x() - window.width() // 2, centre.y() - window.height() // 2))


def _move_inside(window: QWidget, area: QRect) -> None:
    inner = window.geometry()
    x = min(max(inner.x(), area.left()), area.right() - inner.width() + 1)
    y = min(max(inner.y(), area.top()), area.bottom() - inner.height() + 1)
    if (x, y) != (inner.x(), inner.y()):
        _move_content_to(window, QPoint(x, y))


def _move_content_to(window: QWidget, point: QPoint) -> None:
    """move() places the frame; put the content's top-left at `point` whatever the frame is now."""
    offset = window.geometry().topLeft() - window.frameGeometry().topLeft()
    QWidget.move(window, point - offset)


# --- scrolling content -----------------------------------------------------------------------

def _is_button_row(item) -> bool:
    widget = item.widget()
    if widget is not None:
        return isinstance(widget, (QDialogButtonBox, QAbstractButton))
    layout = item.layout()
    if layout is None:
        return item.spacerItem() is not None
    parts = [layout.itemAt(i) for i in range(layout.count())]
    return bool(parts) and all(_is_button_row(p) for p in parts) and any(p.widget() is not None for p in parts)


def make_scrollable(window: QWidget) -> bool:
    """Put everything but the row of buttons at the bottom into a scroll area, so a window taller
    than the screen scrolls its form while Save and Cancel stay where they can be pressed.
    The window's own layout moves, whole, into the scrolled part (every widget and stretch as it
    was); only the trailing button rows are taken out of it. Returns False when the window's
    layout is not a column (nothing is changed then)."""
    layout = window.layout()
    if not isinstance(layout, QBoxLayout) or layout.direction() != QBoxLayout.Direction.TopToBottom \
            or window.findChild(QScrollArea, SCROLL_NAME) is not None:
        return False
    count = layout.count()
    footer_from = count
    while footer_from > 0 and _is_button_row(layout.itemAt(footer_from - 1)):
        footer_from -= 1
    while footer_from < count and layout.itemAt(footer_from).spacerItem() is not None:
        footer_from += 1  # a stretch above the buttons stays with the content it pushed up
    if footer_from == 0:
        return False
    margins, spacing = layout.contentsMargins(), layout.spacing()
    footer = QVBoxLayout()
    footer.setContentsMargins(margins.left(), 0, margins.right(), margins.bottom())
    footer.setSpacing(spacing)
    for _ in range(footer_from, count):
        item = layout.itemAt(footer_from)
        if item.widget() is not None:
            widget = item.widget()
            layout.removeWidget(widget)
            footer.addWidget(widget)
        elif item.layout() is not None:
            row = item.layout()
            layout.removeItem(row)
            footer.addLayout(row)
        else:
            layout.removeItem(item)  # a spacer between button rows
    body = QWidget()
    body.setObjectName("fitBody")
    body.setLayout(layout)  # the whole form, as laid out, now scrolls
    layout.setContentsMargins(margins.left(), margins.top(), margins.right(), 0)
    scroll = QScrollArea()
    scroll.setObjectName(SCROLL_NAME)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidget(body)
    scroll.setAccessibleName(window.windowTitle() or "Form")
    outer = QVBoxLayout(window)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.setSpacing(spacing)
    outer.addWidget(scroll, 1)
    outer.addLayout(footer)
    scroll.show()  # added while the window is being shown: Qt shows it only when asked
    return True


def scroll_area_of(widget: QWidget) -> QScrollArea | None:
    """The scroll area showing `widget`, if any: its own, or the one `make_scrollable` added."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            return parent
        parent = parent.parentWidget()
    return None


# --- keeping windows on the screen -----------------------------------------------------------

def make_room(window: QWidget) -> None:
    """After something appeared in a shown window (a problem under a field): grow the window only
    as much as the new content needs and the screen allows, scroll past that, keep it on the screen."""
    if not window.isVisible() or not is_fittable(window):
        return
    if window.layout() is not None:
        window.layout().activate()
    fit_window(window, place=False)
    fitter = QApplication.instance().findChild(ScreenFitter) if QApplication.instance() else None
    if fitter is not None:
        fitter.check_later(window)  # wrapped messages measured once laid out
    else:
        _check_squash_later(window)


def _check_squash_later(window: QWidget) -> None:
    ref = weakref.ref(window)

    def run() -> None:
        target = ref()
        if target is not None and target.isVisible() and not _comfortable(target):
            fit_window(target, place=False)

    QTimer.singleShot(0, run)


class ScreenFitter(QObject):
    """The application-wide watcher: fits each window as it is shown, and again if it grows
    (a layout needing more room resizes its window) until it would leave the screen."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._pending: set[int] = set()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        kind = event.type()
        try:
            if kind == QEvent.Type.Show:
                if is_fittable(watched):
                    fit_window(watched)
                    self.check_later(watched)  # wrapped text measured once laid out at this size
            elif kind in (QEvent.Type.Resize, QEvent.Type.LayoutRequest) and isinstance(watched, QWidget) \
                    and watched.property(FITTED) and watched.isVisible() and is_fittable(watched):
                self.check_later(watched)  # something appeared: check once the layout has settled
        except Exception:  # noqa: BLE001  (a window placed less well must never stop it opening)
            logging.getLogger("arrs_desk").exception("Could not fit %s to the screen", type(watched).__name__)
        return False

    def check_later(self, window: QWidget) -> None:
        """Once events have settled, refit the window if it has left the screen or squashes something."""
        key = id(window)
        if key in self._pending:
            return
        self._pending.add(key)
        ref = weakref.ref(window)

        def run() -> None:
            self._pending.discard(key)
            target = ref()
            # The window may have been closed and deleted since (a dialog saved and gone): its
            # Python wrapper can outlive it, and asking a deleted window anything raises.
            if target is not None and shiboken6.isValid(target) and target.isVisible() and is_fittable(target) \
                    and not _comfortable(target):
                fit_window(target, place=False)

        QTimer.singleShot(0, self, run)


def install(app: QApplication) -> ScreenFitter:
    """Start fitting every window of `app`, fitting at once those already shown; idempotent."""
    existing = app.findChild(ScreenFitter)
    if existing is not None:
        return existing
    fitter = ScreenFitter(app)
    app.installEventFilter(fitter)
    for window in app.topLevelWidgets():
        if window.isVisible() and not window.property(FITTED) and is_fittable(window):
            fit_window(window)  # as its Show event would have
            fitter.check_later(window)
    return fitter

