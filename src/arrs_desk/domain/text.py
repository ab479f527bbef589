"""Facts about text that every layer needs: which characters change the order text is shown in, and
how a name becomes part of a file name."""

from __future__ import annotations

import re

BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Marks, embeddings, overrides and isolates (UAX #9). Inside a name an override makes "Override"
show as "edirrevO" and can make one name pass for another, so names never keep them (issue 15)."""


def has_visible_text(value: str | None) -> bool:
    """Whether anything in `value` shows: not only spaces, controls or zero-width and other
    format characters ("\u200b\u200b" passes `strip()` yet reads as nothing in a list)."""
    return any(ch.isprintable() and not ch.isspace() for ch in value or "")


def without_bidi_controls(value: str) -> str:
    return "".join(ch for ch in value if ch not in BIDI_CONTROLS) if any(ch in BIDI_CONTROLS for ch in value) else value


def file_slug(name: str, empty: str = "staff") -> str:
    """A name as part of a file name safe everywhere: letters of any script kept, the rest as hyphens."""
    return re.sub(r"[^\w]+", "-", name, flags=re.UNICODE).strip("-_").lower()[:60] or empty
