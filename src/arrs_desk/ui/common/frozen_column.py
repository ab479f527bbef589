"""A matrix whose first column (the person's name) stays put while the rest scrolls sideways.

The Supervision matrix (nine supervision types) and the Training matrix (ten subjects) are wider
than a 1366x768 laptop's window: scrolling to the right-hand columns took the names out of view,
so nobody could tell whose row a red cell was on. Qt has no frozen column of its own; its
"Frozen Column" example lays a second view over the first, showing only column 0, sharing the
model and the selection, with the vertical scrolling kept in step. That is what this does, from
outside the view, so any `QTableView` can have it:

    keep_first_column_in_view(table)

The overlay takes no focus (the keyboard stays in the table, whose screen-reader text is
unchanged); a click on a name selects it in the table; a double-click or Enter opens what the
table opens; a click on the name's heading sorts as the table's own heading does. When the
cursor moves to a cell under the overlay, the table scrolls it out from under the name.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QFrame, QHeaderView, QTableView

_OVERLAY = "namesKeptInView"
"""The overlay's object name, by which `names_overlay` finds it."""


def keep_first_column_in_view(view: QTableView) -> QTableView:
    """Lay a view of `view`'s first column over it; returns the overlay (tests read it).

    Call after the model is set; a later model reset or new columns are followed."""
    return _FirstColumnKept(view).names  # a child of the table: it lives as long as the table


def names_overlay(view: QTableView) -> QTableView | None:
    """The overlay `keep_first_column_in_view` laid over `view`, if any."""
    return view.findChild(QTableView, _OVERLAY)


class _FirstColumnKept(QObject):
    def __init__(self, view: QTableView):
        super().__init__(view)
        self.view = view
        names = self.names = QTableView(view)
        names.setObjectName(_OVERLAY)
        names.setModel(view.model())
        names.setSelectionModel(view.selectionModel())
        names.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        names.setAccessibleName(f"{view.accessibleName()}: names kept in view")
        names.setFrameShape(QFrame.Shape.NoFrame)
        names.setWordWrap(view.wordWrap())
        names.setTextElideMode(view.textElideMode())
        names.setIconSize(view.iconSize())
        names.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        names.setSelectionBehavior(view.selectionBehavior())
        names.setSelectionMode(view.selectionMode())
        names.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        names.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        names.verticalHeader().setVisible(view.verticalHeader().isVisible())
        names.verticalHeader().setSectionResizeMode(view.verticalHeader().sectionResizeMode(0)
                                                    if view.verticalHeader().count() else QHeaderView.ResizeMode.Fixed)
        names.verticalHeader().setDefaultSectionSize(view.verticalHeader().defaultSectionSize())
        heading = names.horizontalHeader()
        heading.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        heading.setDefaultAlignment(view.horizontalHeader().defaultAlignment())
        heading.setSectionsClickable(True)
        heading.setSortIndicatorShown(view.horizontalHeader().isSortIndicatorShown())
        heading.sectionClicked.connect(self._sort_as_the_table_does)
        # Both views scroll by pixel, so a row is at the same height in each whatever the scroll.
        view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        names.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        view.viewport().stackUnder(names)

        view.horizontalHeader().sectionResized.connect(self._column_resized)
        view.horizontalHeader().geometriesChanged.connect(self._place)  # two-line headings arrive with the rows
        view.horizontalHeader().sortIndicatorChanged.connect(self._follow_sort_indicator)
        view.verticalHeader().sectionResized.connect(lambda row, _old, new: names.setRowHeight(row, new))
        names.verticalScrollBar().valueChanged.connect(view.verticalScrollBar().setValue)
        view.verticalScrollBar().valueChanged.connect(names.verticalScrollBar().setValue)
        names.doubleClicked.connect(view.doubleClicked.emit)
        names.activated.connect(view.activated.emit)
        names.clicked.connect(self._click_selects)
        view.selectionModel().currentChanged.connect(self._uncover)
        model = view.model()
        model.modelReset.connect(self._show_only_the_first_column)
        model.columnsInserted.connect(self._show_only_the_first_column)
        model.columnsRemoved.connect(self._show_only_the_first_column)
        model.layoutChanged.connect(self._show_only_the_first_column)
        view.installEventFilter(self)
        self._show_only_the_first_column()
        names.show()

    # --- keeping the two views alike ------------------------------------------------------
    def _show_only_the_first_column(self, *_args) -> None:
        model, names = self.view.model(), self.names
        for column in range(1, model.columnCount()):
            names.setColumnHidden(column, True)
        names.setColumnHidden(0, False)
        names.setColumnWidth(0, self.view.columnWidth(0))
        self._place()

    def _column_resized(self, column: int, _old: int, new: int) -> None:
        if column == 0:
            self.names.setColumnWidth(0, new)
            self._place()

    def _follow_sort_indicator(self, column: int, order: Qt.SortOrder) -> None:
        heading = self.names.horizontalHeader()
        heading.blockSignals(True)
        heading.setSortIndicator(column if column == 0 else -1, order)
        heading.blockSignals(False)

    def _place(self) -> None:
        """Over the table's first column, from its heading to the bottom of its rows."""
        view = self.view
        frame = view.frameWidth()
        self.names.horizontalHeader().setFixedHeight(view.horizontalHeader().height())
        self.names.setGeometry(view.verticalHeader().width() + frame, frame, view.columnWidth(0),
                               view.viewport().height() + view.horizontalHeader().height())
        self.names.setVisible(view.isColumnHidden(0) is False and view.columnWidth(0) > 0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self.view and event.type() in (QEvent.Type.Resize, QEvent.Type.Show,
                                                     QEvent.Type.LayoutRequest):
            self._place()
        return False

    # --- what a click or the cursor does ------------------------------------------------
    def _sort_as_the_table_does(self, column: int) -> None:
        """A click on the name's heading, as if on the table's: its sort indicator turns over
        and whatever the table does on a heading click (its own sorting, or the page's) follows."""
        heading = self.view.horizontalHeader()
        if heading.sortIndicatorSection() == column:
            order = (Qt.SortOrder.DescendingOrder if heading.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
                     else Qt.SortOrder.AscendingOrder)
        else:
            order = Qt.SortOrder.AscendingOrder
        heading.setSortIndicator(column, order)  # sorts, where the table sorts itself
        if not self.view.isSortingEnabled():
            heading.sectionClicked.emit(column)

    def _click_selects(self, index: QModelIndex) -> None:
        """The keyboard stays with the table: a click on a name is a click on the table's cell."""
        self.view.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.view.setFocus(Qt.FocusReason.MouseFocusReason)

    def _uncover(self, current: QModelIndex, _previous: QModelIndex = QModelIndex()) -> None:
        """A cell the cursor moved to that lies under the names is scrolled out from under them."""
        if not current.isValid() or current.column() == 0:
            return
        view = self.view
        left = view.columnViewportPosition(current.column())
        covered = view.columnWidth(0) - left
        if covered > 0:
            bar = view.horizontalScrollBar()
            bar.setValue(bar.value() - covered)
