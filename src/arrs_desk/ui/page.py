"""What every page in the main window's navigation provides."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget


class Page(QWidget):
    """A navigation page. The main window calls `set_context` when a database is opened or the
    signed-in person changes, and `refresh` when the page is shown or F5 is pressed."""

    title = ""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.workspace = None
        self.actor = None

    def set_context(self, workspace, actor) -> None:
        self.workspace, self.actor = workspace, actor

    def refresh(self) -> None:
        """Reload from the services; pages keep no state the database does not have."""

    @staticmethod
    def heading(text: str) -> QLabel:
        label = QLabel(text)
        font = label.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        label.setFont(font)
        label.setAccessibleName(text)
        return label
