"""Counted words: "1 person", "2 people", "1,204 reviews", built in one place so no screen says
"1 people" or "1 items need" again."""

from __future__ import annotations

IRREGULAR = {"person": "people", "competency": "competencies", "entry": "entries", "is": "are", "was": "were",
             "needs": "need", "has": "have", "works": "work"}


def plural_word(count: int, singular: str, plural: str | None = None) -> str:
    """The word for `count` of them: `singular` for exactly one, otherwise `plural` (or the
    usual English plural: person/people, entry/entries, item/items)."""
    if count == 1:
        return singular
    if plural is not None:
        return plural
    if singular in IRREGULAR:
        return IRREGULAR[singular]
    if singular.endswith("y") and singular[-2:-1] not in "aeiou":
        return singular[:-1] + "ies"
    if singular.endswith(("s", "x", "ch", "sh")):
        return singular + "es"
    return singular + "s"


def plural(count: int, singular: str, plural: str | None = None) -> str:
    """`count` and its word, with thousands separated: plural(1, "person") == "1 person",
    plural(1204, "review") == "1,204 reviews"."""
    return f"{count:,} {plural_word(count, singular, plural)}"


def quoted_briefly(text: str, limit: int = 60) -> str:
    """What someone typed, quoted in a sentence: on one line, at most `limit` characters (cut with
    an ellipsis), and set apart so right-to-left text does not carry the words around it along. A
    search pasted from a whole document must not push a heading off both sides of the window."""
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return f"“\u2068{text}\u2069”"
