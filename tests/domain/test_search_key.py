"""The staff list's search key (`domain.staff.search_key`): folded part by part, it must equal
folding the whole joined text at once, for any text: accents, other scripts, ligatures, Greek
sigma, combining marks at the start of a part."""

from __future__ import annotations

import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from arrs_desk.domain import staff
from arrs_desk.domain.staff import search_key


def folded_whole(*parts: str) -> str:
    """The definition: join, case-fold, decompose, drop the combining marks."""
    text = " ".join(p for p in parts if p)
    if text.isascii():
        return text.lower()
    return "".join(ch for ch in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(ch))


@settings(max_examples=500)
@given(st.lists(st.text(max_size=12), max_size=8))
@example(["Zoë", "Okubo", "", "Paramedic"])
@example(["ΟΔΟΣ", "straße", "ﬁona", "\u0301Ana", "Аня"])
@example(["한국 이름", "Ǆemal ㎒", "a \u0301\u0327b", "İstanbul", "\U0001d400ssa"])
def test_folding_part_by_part_equals_folding_the_whole(parts):
    assert search_key(*parts) == folded_whole(*parts)


def test_a_search_without_accents_finds_a_name_with_them():
    assert "zoe" in search_key("Zoë", "Okubo") and "sinead" in search_key("Sinéad", "Abrahams")
    assert search_key("Аня") == "аня"  # other scripts keep their letters


@settings(max_examples=200)
@given(st.text(min_size=1, max_size=20))
def test_folding_is_the_same_once_the_kept_characters_are_full(text):
    """Past its limit the table of folded characters keeps nothing more and folds each new one afresh."""
    limit = staff._FoldedCharacters.LIMIT
    staff._FoldedCharacters.LIMIT = 0
    try:
        fresh = staff._FoldedCharacters()
        assert text.translate(fresh) == folded_whole(text)
        assert not fresh
    finally:
        staff._FoldedCharacters.LIMIT = limit
