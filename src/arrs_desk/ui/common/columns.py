"""Table columns that share the table's width instead of running off its right-hand side.

Pages give their columns the widths they would like (or size them to their contents). On a
1366x768 laptop, or with larger text, those add up to more than the table's width and the last
columns (a start date, a registration, an appraiser) were cut off at the edge where nobody looks
for a scroll bar. `share_width(view)` keeps each column at the width it would like when they all
fit, gives the room left over to one column, and when they do not all fit takes the difference
from the widest first, never making a column narrower than its heading, nor narrower than two
thirds of what it would like or sixteen characters (a shortened cell shows its whole text on hover). A table too wide even then scrolls
sideways, as little as it can: a few columns out of view beat every column unreadable.
Columns named in `keep` (a name, a status) and those the user drags keep their width.
"""

from __future__ import annotations

import weakref

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QToolTip

SHRINK = 0.35
"""A column gives up at most this share of the width it would like..."""
ROOM_CHARS = 16
"""...or down to this many average characters, whichever is wider: room for a name or a practice."""
_PRESSES = (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick)


def shared_widths(wanted: list[int], floors: list[int], available: int, stretch: int | None) -> list[int]:
    """The widths to give: `wanted` when they fit (the spare going to column `stretch`), else
    the widest brought down to a common cap (no lower than their `floors`) until they fit."""
    widths = list(wanted)
    total = sum(widths)
    if total <= available:
        if stretch is not None and 0 <= stretch < len(widths):
            widths[stretch] += available - total
        return widths
    floors = [min(f, w) for f, w in zip(floors, wanted)]
    if sum(floors) >= available:
        return floors  # too wide however it is shared: as narrow as readable, the rest scrolls sideways
    low, high = 0, max(wanted)
    while low < high:  # the largest cap at which everything fits
        cap = (low + high + 1) // 2
        if sum(max(f, min(w, cap)) for w, f in zip(wanted, floors)) <= available:
            low = cap
        else:
            high = cap - 1
    widths = [max(f, min(w, low)) for w, f in zip(wanted, floors)]
    spare = available - sum(widths)
    for i in sorted(range(len(widths)), key=lambda i: wanted[i] - widths[i], reverse=True):
        if spare <= 0:
            break
        give = min(spare, wanted[i] - widths[i])
        widths[i] += give
        spare -= give
    return widths


def shortened_cell_tip(view: QAbstractItemView, index) -> str | None:
    """The hover text of a cell shortened to fit ("Advanced practiti…"): its whole text, above the
    page's own tooltip for the cell when that does not already hold it (the Reviews list gives every
    cell of a row the person's summary, which hid a practice or a booking date cut short).
    None when the cell shows all of its text: the page's tooltip, if any, is shown as usual."""
    text = index.data(Qt.ItemDataRole.DisplayRole)
    if not isinstance(text, str) or not text.strip():
        return None
    lines = text.splitlines()
    icon = view.iconSize().width() + 4 if index.data(Qt.ItemDataRole.DecorationRole) is not None else 0
    widest = max(view.fontMetrics().horizontalAdvance(line) for line in lines)  # a two-line cell: its wider line
    if widest + icon + 8 <= view.visualRect(index).width():
        return None
    own = index.data(Qt.ItemDataRole.ToolTipRole)
    own = own if isinstance(own, str) and own.strip() else ""
    parts = [part.strip() for line in lines for part in line.split("; ")]  # a list of reasons joined by "; "
    if own and all(part in own for part in parts if part):
        return own
    return f"{text}\n\n{own}" if own else text


class WidthSharer(QObject):
    """Watches one table: refits when its viewport changes size or a column is given a new width.

    A column is the user's own once they drag its edge in the heading: the sharer watches the
    heading for a press and its release, rather than asking whether a mouse button is down
    anywhere (a person holding the button on a row while the list refilled had every column
    resized by the page pinned, as if dragged)."""

    def __init__(self, view: QAbstractItemView, stretch: int | None, keep: tuple[int, ...] = ()):
        super().__init__(view)
        self._view = weakref.ref(view)
        self._stretch = stretch
        self._wanted: dict[int, int] = {}
        self._pinned: set[int] = set(keep)
        self._adjusting = False
        self._queued = False
        self._heading_held = False  # the left button is down on the heading: a resize now is by hand
        header = view.horizontalHeader()
        header.setStretchLastSection(False)
        header.sectionResized.connect(self._resized)
        self._heading = header.viewport()  # a plain widget, held so the same wrapper comes to eventFilter
        self._heading.installEventFilter(self)
        view.viewport().installEventFilter(self)

    @property
    def view(self) -> QAbstractItemView | None:
        return self._view()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        # The kind first: while the table is torn down its widgets still send events here, and this
        # object's attributes may already be gone.
        kind = event.type()
        if kind in _PRESSES:
            if watched is self._heading:
                self._heading_held = bool(event.buttons() & Qt.MouseButton.LeftButton)
        elif kind == QEvent.Type.MouseButtonRelease:
            if watched is self._heading:
                self._heading_held = False
        elif kind == QEvent.Type.Resize:
            if watched is not self._heading:
                self.refit()
        elif kind == QEvent.Type.ToolTip:
            return self._whole_text_tip(event)
        return False

    def _whole_text_tip(self, event) -> bool:
        view = self.view
        index = view.indexAt(event.pos()) if view is not None else None
        if index is None or not index.isValid():
            return False
        tip = shortened_cell_tip(view, index)
        if tip is None:
            return False
        QToolTip.showText(event.globalPos(), tip, view.viewport(), view.visualRect(index))
        return True

    def _resized(self, column: int, _old: int, new: int) -> None:
        if self._adjusting:
            return
        self._wanted[column] = new  # the page (or the user) chose this width: it is what the column wants
        if self._heading_held:
            self._pinned.add(column)  # dragged by hand: never taken back
        self._later()

    def _later(self) -> None:
        if not self._queued:
            self._queued = True
            QTimer.singleShot(0, self, self._run_later)

    def _run_later(self) -> None:
        self._queued = False
        self.refit()

    def refit(self) -> None:
        view = self.view
        if view is None or not view.isVisible():
            return
        header = view.horizontalHeader()
        columns = [c for c in range(header.count()) if not header.isSectionHidden(c)]
        if not columns:
            return
        for column in columns:
            self._wanted.setdefault(column, header.sectionSize(column))
        metrics = header.fontMetrics()
        floors = []
        for column in columns:
            heading = str(view.model().headerData(column, Qt.Orientation.Horizontal) or "") if view.model() else ""
            widest_line = max((metrics.horizontalAdvance(line) for line in heading.splitlines()), default=0)
            floor = max(widest_line + 24, min(int(self._wanted[column] * (1 - SHRINK) + 0.5),
                                              metrics.averageCharWidth() * ROOM_CHARS))
            floors.append(self._wanted[column] if column in self._pinned else floor)
        stretch = self._stretch if self._stretch is not None else columns[-1]
        widths = shared_widths([self._wanted[c] for c in columns], floors, view.viewport().width(),
                               columns.index(stretch) if stretch in columns else None)
        self._adjusting = True
        try:
            for column, width in zip(columns, widths):
                if header.sectionSize(column) != width:
                    header.resizeSection(column, width)
        finally:
            self._adjusting = False


def share_width(view: QAbstractItemView, *, stretch: int | None = None, keep: tuple[int, ...] = ()) -> WidthSharer:
    """Keep `view`'s columns within its width (see the module's note); `stretch` is the column
    that takes the room left over (the last by default), `keep` the columns never shortened.
    Returns the watcher (kept by the view)."""
    existing = view.findChild(WidthSharer)
    if existing is not None:
        return existing
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return WidthSharer(view, stretch, keep)
