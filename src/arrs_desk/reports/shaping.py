"""Shaping (HarfBuzz through ReportLab) made safe for any text a person may type.

ReportLab 5.1 shapes a paragraph's words only when the paragraph needs it (`styles.para`: Arabic,
Hebrew, Indic scripts), and then it makes three mistakes, each put right here once, before the
first shaped paragraph (`use_shaping`):

- It shapes a word with the font of the word's first piece, whatever fonts the rest is set in, so
  a word that mixes fonts (an emoji from the fallback font touching a letter: "Dr👩‍⚕️") drew the
  wrong glyphs and, where the first font lacked one, failed with "'TTFont' object has no
  attribute 'hbAddPrivate'": the whole appraisal pack was lost. `_shape_each_font_apart` shapes
  such a word one font at a time.
- A mark HarfBuzz raises or lowers (an Arabic vowel sign: "جداً") at the start of a wrapped line
  failed with IndexError in `setRise`, which looked at the previous text operator when there was
  none yet. `_rise_at_line_start` starts the line's operators instead.
- It applies DejaVu's optional ligatures, so Latin words beside an Arabic name printed as 'ﬆaff';
  Arabic needs only the ligatures HarfBuzz always applies (`_without_discretionary_ligatures`).
"""

from __future__ import annotations

from functools import cache
from itertools import groupby


@cache
def use_shaping() -> None:
    """Put ReportLab's shaping right, once per process."""
    _without_discretionary_ligatures()
    _rise_at_line_start()
    _shape_each_font_apart()


def _without_discretionary_ligatures() -> None:
    from reportlab.pdfbase import ttfonts

    defaults = getattr(ttfonts.shapeFragWord, "__defaults__", None) or ()
    if defaults and isinstance(defaults[0], dict):
        defaults[0]["dlig"] = False


def _rise_at_line_start() -> None:
    from reportlab.pdfgen.textobject import PDFTextObject

    original = PDFTextObject.setRise
    if getattr(original, "_arrs_desk", False):
        return

    def set_rise(self, rise):
        if not self._code:  # nothing on this line yet: there is no earlier rise to replace
            self._rise = rise
            self._y -= rise
            self._code.append(f"{_fp_str(rise)} Ts")
            return
        original(self, rise)

    set_rise._arrs_desk = True
    PDFTextObject.setRise = set_rise


def _fp_str(value) -> str:
    from reportlab.lib.rl_accel import fp_str

    return fp_str(value)


def _font_of(piece) -> str | None:
    return getattr(piece[0], "fontName", None)


def _shape_each_font_apart() -> None:
    from reportlab.pdfbase import ttfonts
    from reportlab.platypus import paragraph

    original = ttfonts.shapeFragWord
    if getattr(original, "_arrs_desk", False):
        return

    def shape(word, *args, **kwargs):
        """ReportLab's shaping, one font's run at a time when the word mixes fonts."""
        pieces = word[1:] if not isinstance(word, ttfonts.ShapedFragWord) else ()
        fonts = {_font_of(piece) for piece in pieces}
        if len(fonts) < 2:
            return original(word, *args, **kwargs)
        if any(hasattr(piece[0], "cbDefn") for piece in pieces):
            return word  # an inline image or index entry among the pieces: left as it was, unshaped
        kwargs["force"] = True  # every run comes back shaped, so the pieces joined are all alike
        width, joined = 0.0, []
        for _font, run in groupby(pieces, key=_font_of):
            shaped = original([0, *run], *args, **kwargs)
            width += shaped[0]
            joined.extend(shaped[1:])
        return ttfonts.makeShapedFragWord(word)([width, *joined])

    shape._arrs_desk = True
    ttfonts.shapeFragWord = shape
    paragraph.shapeFragWord = shape  # paragraph imported the function itself, not the module
