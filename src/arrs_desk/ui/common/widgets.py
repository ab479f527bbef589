"""Small controls every page builds the same way: each with the accessible name a screen reader
announces, so no page can forget it."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPushButton


def make_button(text: str, accessible: str, tip: str = "") -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(accessible)
    if tip:
        button.setToolTip(tip)
    return button


def make_combo(accessible: str) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(accessible)
    return combo


def make_search(placeholder: str, accessible: str) -> QLineEdit:
    """A search box that filters as you type, with a button to clear it."""
    search = QLineEdit()
    search.setPlaceholderText(placeholder)
    search.setClearButtonEnabled(True)
    search.setAccessibleName(accessible)
    return search


def arrs_only_checkbox() -> QCheckBox:
    """Lists start with the ARRS roles the contract is about; untick to see every role."""
    box = QCheckBox("ARRS roles only")
    box.setAccessibleName("Show ARRS roles only")
    box.setChecked(True)
    return box
