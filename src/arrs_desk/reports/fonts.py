"""The embedded Unicode fonts every PDF uses, registered once, and fallback for what DejaVu lacks.

ReportLab's built-in Helvetica has no Ō, Cyrillic or Arabic; DejaVu Sans (shipped in
resources/fonts, free licence) covers Latin, Cyrillic and Arabic, and Arabic is shaped with
HarfBuzz when `uharfbuzz` is installed so names read the right way round.

ReportLab has no font fallback of its own, so a Chinese, Japanese or Korean name, or an emoji,
printed as empty boxes and was missing from the text layer (issue 15). `font_runs` splits text
into runs by the first font that has each character (DejaVu, then Droid Sans Fallback for
Chinese and Japanese, Nanum Gothic for Korean, Symbola for emoji and symbols); `styles.text`
wraps the runs in <font> tags for paragraphs and `draw_text` draws them on a canvas.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
FALLBACKS = (
    ("ARRSFallbackCJK", "DroidSansFallbackFull.ttf"),  # Chinese, Japanese kana and kanji
    ("ARRSFallbackHangul", "NanumGothic.ttf"),  # Korean
    ("ARRSFallbackSymbols", "Symbola.ttf"),  # emoji and symbols
)
"""Tried in order for a character DejaVu Sans lacks; licences in resources/fonts/LICENSE-fallback-fonts.txt."""
_JOINERS = frozenset({0x200D, 0xFE0E, 0xFE0F, 0x20E3})
"""Zero-width joiner and variation selectors: they belong to the character before them."""


def _to_unicode_cmap(fontname, subset):
    """ReportLab's ToUnicode map, with characters beyond U+FFFF written as UTF-16 surrogate pairs.

    ReportLab 5.1 writes an emoji's code point as five hex digits (`<1F642>`), which PDF readers
    reject, so emoji vanished from the text layer (copy, search, screen readers). The PDF
    reference wants the UTF-16BE of the character, which for these is a surrogate pair.
    """
    def utf16(code: int) -> str:
        return "%04X" % code if code <= 0xFFFF else chr(code).encode("utf-16-be").hex().upper()

    return "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CIDSystemInfo",
        "<< /Registry (%s)" % fontname, "/Ordering (%s)" % fontname, "/Supplement 0", ">> def",
        "/CMapName /%s def" % fontname, "/CMapType 2 def", "1 begincodespacerange",
        "<00> <%02X>" % (len(subset) - 1), "endcodespacerange", "%d beginbfchar" % len(subset),
        *("<%02X> <%s>" % (i, utf16(v)) for i, v in enumerate(subset)),
        "endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end",
    ])


@cache
def register_fonts() -> tuple[str, str]:
    from reportlab.pdfbase import ttfonts

    from arrs_desk.paths import resource_path

    ttfonts.makeToUnicodeCMap = _to_unicode_cmap

    pdfmetrics.registerFont(TTFont(REGULAR, str(resource_path("fonts", "DejaVuSans.ttf"))))
    pdfmetrics.registerFont(TTFont(BOLD, str(resource_path("fonts", "DejaVuSans-Bold.ttf"))))
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)
    for name, file_name in FALLBACKS:
        pdfmetrics.registerFont(TTFont(name, str(resource_path("fonts", file_name))))
        for bold in (0, 1):  # no bold cuts: <b> in a fallback run keeps the regular face
            for italic in (0, 1):
                addMapping(name, bold, italic, name)
    return REGULAR, BOLD


@cache
def _coverage(font_name: str) -> frozenset[int]:
    register_fonts()
    return frozenset(pdfmetrics.getFont(font_name).face.charToGlyph)


def font_for(char: str) -> str | None:
    """The first font that draws `char` (None: DejaVu, the base font, is fine or nobody has it)."""
    code = ord(char)
    if code in _coverage(REGULAR):
        return None
    for name, _file in FALLBACKS:
        if code in _coverage(name):
            return name
    return None


def font_runs(text: str) -> list[tuple[str | None, str]]:
    """`text` cut into (font, run) pieces; font None means the paragraph's own font.

    Marks, joiners, variation selectors and emoji modifiers stay with the character before them,
    so an accented letter or a skin-toned emoji is never split across two fonts.
    """
    runs: list[tuple[str | None, str]] = []
    for char in text:
        attached = runs and (ord(char) in _JOINERS or unicodedata.combining(char)
                             or 0x1F3FB <= ord(char) <= 0x1F3FF)
        font = runs[-1][0] if attached else font_for(char)
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + char)
        else:
            runs.append((font, char))
    return runs


def needs_fallback(text: str) -> bool:
    return any(font_for(char) is not None for char in text if ord(char) > 0x2FF)


def draw_text(canvas, x: float, y: float, text: str, font: str, size: float, *, align: str = "left") -> None:
    """canvas.drawString with fallback fonts: `align` is left, right (x is the right edge) or centre."""
    runs = [(f or font, piece) for f, piece in font_runs(text)]
    width = sum(pdfmetrics.stringWidth(piece, f, size) for f, piece in runs)
    start = x - width if align == "right" else x - width / 2 if align == "centre" else x
    for f, piece in runs:
        canvas.setFont(f, size)
        canvas.drawString(start, y, piece)
        start += pdfmetrics.stringWidth(piece, f, size)
    canvas.setFont(font, size)


@cache
def shaping_available() -> bool:
    try:
        import uharfbuzz  # noqa: F401
    except ImportError:
        return False
    return True
