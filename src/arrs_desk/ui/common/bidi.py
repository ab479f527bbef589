"""Names from any script inside English sentences."""

from __future__ import annotations


def isolate(name: str) -> str:
    """A name set apart from the text around it, so an Arabic name at the start of a line does not
    turn the whole line right-to-left (first-strong-isolate ... pop-directional-isolate)."""
    return f"\u2068{name}\u2069"
