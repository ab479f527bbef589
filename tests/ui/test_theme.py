"""Light, dark and high-contrast palettes: readable pairs, chosen by setting or environment,
and no hard-coded text colours anywhere in the views."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor, QPalette

from arrs_desk.ui.common import theme

Role = QPalette.ColorRole
UI_DIR = Path(theme.__file__).resolve().parent


def contrast(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio."""

    def luminance(colour: QColor) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("name", sorted(theme.PALETTES))
def test_every_text_pair_meets_wcag_aa(name):
    palette = theme.PALETTES[name]()
    for text, background in ((Role.WindowText, Role.Window), (Role.Text, Role.Base), (Role.ButtonText, Role.Button),
                             (Role.HighlightedText, Role.Highlight), (Role.ToolTipText, Role.ToolTipBase),
                             (Role.Link, Role.Base), (Role.PlaceholderText, Role.Base)):
        ratio = contrast(palette.color(text), palette.color(background))
        assert ratio >= 4.5, f"{name}: {text.name} on {background.name} is only {ratio:.1f}:1"
    disabled = palette.color(QPalette.ColorGroup.Disabled, Role.Text)
    assert contrast(disabled, palette.color(Role.Base)) >= 3.0, f"{name}: disabled text unreadable"


def test_environment_wins_over_the_saved_setting(tmp_path, monkeypatch):
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    settings.setValue("appearance/theme", "dark")
    settings.setValue("appearance/text_scale", 125)
    monkeypatch.delenv(theme.THEME_ENV, raising=False)
    monkeypatch.delenv(theme.TEXT_SCALE_ENV, raising=False)
    assert theme.chosen_appearance(settings) == ("dark", 125)
    monkeypatch.setenv(theme.THEME_ENV, "high-contrast")
    monkeypatch.setenv(theme.TEXT_SCALE_ENV, "150")
    assert theme.chosen_appearance(settings) == ("high-contrast", 150)
    monkeypatch.setenv(theme.THEME_ENV, "purple")
    assert theme.chosen_appearance(None)[0] == "system"


def test_larger_text_widens_pixel_layouts(qtbot):
    from PySide6.QtWidgets import QWidget

    widget = QWidget()
    qtbot.addWidget(widget)
    font = widget.font()
    font.setPointSizeF(theme.BASE_POINT_SIZE)
    widget.setFont(font)
    assert theme.layout_scale(widget) == 1.0
    font.setPointSizeF(theme.BASE_POINT_SIZE * 1.5)
    widget.setFont(font)
    assert theme.layout_scale(widget) == pytest.approx(1.5)


def test_views_set_no_text_colour_of_their_own():
    """Fixed text colours vanish on one palette or another (dark text on a dark theme)."""
    offenders = []
    for path in UI_DIR.rglob("*.py"):
        if path.name == "theme.py" or "generated" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        for number, line in enumerate(source.splitlines(), start=1):
            if re.search(r"(?<![-\w])color\s*:\s*(#|rgb|[a-z]+\s*;)", line) or \
               re.search(r"ForegroundRole.*QColor\(\s*[\"']#", line) or \
               re.search(r"set(Color|Brush)\(\s*QPalette\.(ColorRole\.)?\w*Text\s*,\s*QColor\(\s*[\"']#", line):
                offenders.append(f"{path.name}:{number}: {line.strip()}")
    assert offenders == []
