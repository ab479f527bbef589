"""Appearance: the system's look by default, or a light, dark or high-contrast palette, and a
larger text size, for people who need them (or who use a PC whose theme Qt cannot read).

Every widget takes its colours from the palette (no hard-coded text colours anywhere), so
one palette switch re-colours the whole app, and status icons redraw from it too. Chosen with
`arrs-desk --theme dark` / ARRS_DESK_THEME, or saved in the per-user settings (ui.ini,
[appearance] theme=..., text_scale=...).
"""

from __future__ import annotations

import os

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

THEME_ENV = "ARRS_DESK_THEME"
TEXT_SCALE_ENV = "ARRS_DESK_TEXT_SCALE"
THEMES = {
    "system": "Follow Windows (or the desktop)",
    "light": "Light",
    "dark": "Dark",
    "high-contrast": "High contrast (white on black)",
}
TEXT_SCALES = (100, 125, 150, 200)
BASE_POINT_SIZE = 9.0
"""The default UI font size on Windows (Segoe UI 9 pt) and most Linux desktops; layouts in pixels were made at it."""


def layout_scale(widget) -> float:
    """How much larger than the default this widget's text is (Windows' "Make text bigger" or
    ARRS Desk's text size), so column widths and row heights set in pixels can grow with it."""
    size = widget.font().pointSizeF()
    return max(1.0, size / BASE_POINT_SIZE) if size > 0 else 1.0

_Role = QPalette.ColorRole
_Group = QPalette.ColorGroup


def _palette(colours: dict[_Role, str], disabled: dict[_Role, str]) -> QPalette:
    palette = QPalette()
    for role, value in colours.items():
        palette.setColor(role, QColor(value))
    for role, value in disabled.items():
        palette.setColor(_Group.Disabled, role, QColor(value))
    return palette


def light_palette() -> QPalette:
    return _palette({
        _Role.Window: "#efefef", _Role.WindowText: "#1b1b1b", _Role.Base: "#ffffff", _Role.AlternateBase: "#f5f7f8",
        _Role.ToolTipBase: "#ffffdc", _Role.ToolTipText: "#1b1b1b", _Role.PlaceholderText: "#5f6b75",
        _Role.Text: "#1b1b1b", _Role.Button: "#efefef", _Role.ButtonText: "#1b1b1b", _Role.BrightText: "#ffffff",
        _Role.Light: "#ffffff", _Role.Midlight: "#e3e3e3", _Role.Mid: "#a0a0a0", _Role.Dark: "#7a7a7a",
        _Role.Shadow: "#505050", _Role.Highlight: "#005eb8", _Role.HighlightedText: "#ffffff",
        _Role.Link: "#004a94", _Role.LinkVisited: "#5b2a86",
    }, {_Role.WindowText: "#7a7a7a", _Role.Text: "#7a7a7a", _Role.ButtonText: "#7a7a7a"})


def dark_palette() -> QPalette:
    """Qt's usual Fusion dark set, with link and highlight colours that pass contrast checks."""
    return _palette({
        _Role.Window: "#2d2d2d", _Role.WindowText: "#f0f0f0", _Role.Base: "#1e1e1e", _Role.AlternateBase: "#262626",
        _Role.ToolTipBase: "#3c3c3c", _Role.ToolTipText: "#f0f0f0", _Role.PlaceholderText: "#a8a8a8",
        _Role.Text: "#f0f0f0", _Role.Button: "#353535", _Role.ButtonText: "#f0f0f0", _Role.BrightText: "#ffffff",
        _Role.Light: "#505050", _Role.Midlight: "#404040", _Role.Mid: "#5a5a5a", _Role.Dark: "#1a1a1a",
        _Role.Shadow: "#000000", _Role.Highlight: "#3d8fd6", _Role.HighlightedText: "#000000",
        _Role.Link: "#8cc4ff", _Role.LinkVisited: "#c8a6f0",
    }, {_Role.WindowText: "#8a8a8a", _Role.Text: "#8a8a8a", _Role.ButtonText: "#8a8a8a"})


def high_contrast_palette() -> QPalette:
    """Like Windows' "High Contrast Black": white on black, cyan selection, yellow links,
    green disabled text (shape, not shade, tells disabled from enabled there)."""
    return _palette({
        _Role.Window: "#000000", _Role.WindowText: "#ffffff", _Role.Base: "#000000", _Role.AlternateBase: "#000000",
        _Role.ToolTipBase: "#000000", _Role.ToolTipText: "#ffffff", _Role.PlaceholderText: "#d0d0d0",
        _Role.Text: "#ffffff", _Role.Button: "#000000", _Role.ButtonText: "#ffffff", _Role.BrightText: "#ffffff",
        _Role.Light: "#ffffff", _Role.Midlight: "#ffffff", _Role.Mid: "#ffffff", _Role.Dark: "#ffffff",
        _Role.Shadow: "#ffffff", _Role.Highlight: "#1aebff", _Role.HighlightedText: "#000000",
        _Role.Link: "#ffff00", _Role.LinkVisited: "#ffff00",
    }, {_Role.WindowText: "#3ff23f", _Role.Text: "#3ff23f", _Role.ButtonText: "#3ff23f"})


PALETTES = {"light": light_palette, "dark": dark_palette, "high-contrast": high_contrast_palette}

# Fusion draws field and button outlines a shade darker than the window, which is invisible on
# black: outline every control in the text colour and show focus as a thick highlight border.
# Colours come from the palette (palette(...)), never fixed values.
HIGH_CONTRAST_SHEET = """
QLineEdit, QComboBox, QAbstractSpinBox, QTextEdit, QPlainTextEdit, QAbstractItemView, QPushButton, QToolButton {
    border: 1px solid palette(window-text);
}
QFrame#attentionCard { border: 1px solid palette(window-text); }
QPushButton, QToolButton { padding: 3px 10px; }
QLineEdit, QComboBox, QAbstractSpinBox { padding: 2px 4px; }
QLineEdit:focus, QComboBox:focus, QAbstractSpinBox:focus, QTextEdit:focus, QPlainTextEdit:focus,
QAbstractItemView:focus, QPushButton:focus, QToolButton:focus, QCheckBox:focus, QRadioButton:focus {
    border: 2px solid palette(highlight);
}
QPushButton:disabled, QToolButton:disabled { border-style: dashed; }
"""


def apply_appearance(app: QApplication, theme: str = "system", text_scale: int = 100) -> None:
    """Switch palette and text size; 'system' leaves Qt's own reading of the desktop alone."""
    if theme in PALETTES:
        app.setStyle("Fusion")  # draws every control from the palette, so the palette is honoured
        app.setPalette(PALETTES[theme]())
        app.setStyleSheet(HIGH_CONTRAST_SHEET if theme == "high-contrast" else "")
    if text_scale and text_scale != 100:
        font = app.font()
        font.setPointSizeF(font.pointSizeF() * text_scale / 100)
        app.setFont(font)


def chosen_appearance(settings=None) -> tuple[str, int]:
    """The environment wins over the saved setting, so a shortcut or a test can force a look."""
    saved = (lambda key, default: settings.value(key, default)) if settings is not None else (lambda key, default: default)
    theme = os.environ.get(THEME_ENV) or str(saved("appearance/theme", "system"))
    try:
        scale = int(os.environ.get(TEXT_SCALE_ENV) or saved("appearance/text_scale", 100))
    except (TypeError, ValueError):
        scale = 100
    return (theme if theme in THEMES else "system"), max(50, min(scale, 300))
