"""Facts about text that every layer needs: which characters change the order text is shown in."""

from __future__ import annotations

BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Marks, embeddings, overrides and isolates (UAX #9). Inside a name an override makes "Override"
show as "edirrevO" and can make one name pass for another, so names never keep them (issue 15)."""


def without_bidi_controls(value: str) -> str:
    return "".join(ch for ch in value if ch not in BIDI_CONTROLS) if any(ch in BIDI_CONTROLS for ch in value) else value
