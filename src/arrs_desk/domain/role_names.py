"""Reading a role from the way an HR export writes it: "Care Co-ordinator", "SPLW", "FCP Physio".

A role is found by its code, its title or one of its other names (kept as data in the role
catalogue, each list with its source), compared without regard to case, accents, hyphens,
spacing, punctuation or "&"/"and". If nothing matches, the words that only say how the post is
funded or who employs it ("PCN", "ARRS"…, also catalogue data) are dropped and the comparison
tried again. A name that could mean two roles matches neither: the importer is asked to choose.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache


@lru_cache(maxsize=8192)
def role_words(text: str, *, keep_brackets: bool = True) -> tuple[str, ...]:
    """'Health & Well-being Coach (PCN)' -> ('health', 'and', 'well', 'being', 'coach', 'pcn')."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    folded = folded.replace("&", " and ").replace("+", " and ")
    if not keep_brackets:
        folded = re.sub(r"\(.*?\)|\[.*?\]", " ", folded)
    return tuple(re.sub(r"[^a-z0-9]+", " ", folded).split())


def role_key(text: str) -> str:
    """The form names are compared in: words run together, so 'co-ordinator' meets 'coordinator'."""
    return "".join(role_words(text))


def without_words(words: tuple[str, ...], ignored: Iterable[tuple[str, ...]]) -> tuple[str, ...]:
    """`words` with every run of words in `ignored` taken out (longest runs first)."""
    result = list(words)
    for phrase in sorted(ignored, key=len, reverse=True):
        if not phrase:
            continue
        i = 0
        while i <= len(result) - len(phrase):
            if tuple(result[i:i + len(phrase)]) == phrase:
                del result[i:i + len(phrase)]
            else:
                i += 1
    return tuple(result)


@dataclass(frozen=True)
class RoleMatch:
    code: str
    title: str
    written: str  # as the file wrote it

    @property
    def exact(self) -> bool:
        """Written as the title or code, give or take case and spacing: nothing worth pointing out."""
        written = " ".join(self.written.casefold().split())
        return written in (" ".join(self.title.casefold().split()), self.code.casefold())

    def describe(self) -> str:
        return self.title if self.exact else f"{self.written} → {self.title}"


class RoleNames:
    """Finds roles by code, title or other name. Codes and titles win over other names."""

    def __init__(self, roles: Iterable[tuple[str, str]], other_names: Mapping[str, Iterable[str]] | None = None,
                 ignored_words: Iterable[str] = ()):
        self._titles: dict[str, str] = {}
        self._primary: dict[str, set[str]] = {}
        self._secondary: dict[str, set[str]] = {}
        for code, title in roles:
            self._titles[code] = title
            for text in (code, title):
                self._primary.setdefault(role_key(text), set()).add(code)
        for code, names in (other_names or {}).items():
            if code in self._titles:
                for name in names:
                    self._secondary.setdefault(role_key(name), set()).add(code)
        self._ignored = tuple(role_words(w) for w in ignored_words)

    def match(self, text: str) -> RoleMatch:
        """The role `text` names; ValueError saying why when none, or more than one, fits."""
        written = " ".join(text.split())
        if not written:
            raise ValueError("Role is empty; every row needs one.")
        words = role_words(written)
        tries = [words, role_words(written, keep_brackets=False)]
        tries += [without_words(w, self._ignored) for w in tries]
        for attempt in tries:
            key = "".join(attempt)
            if not key:
                continue
            for index in (self._primary, self._secondary):
                codes = index.get(key)
                if codes and len(codes) == 1:
                    code = next(iter(codes))
                    return RoleMatch(code, self._titles[code], written)
                if codes:
                    titles = " or ".join(sorted(self._titles[c] for c in codes))
                    raise ValueError(f"'{written}' could be {titles}; write the role's title or code instead.")
        raise ValueError(self._unknown(written))

    def _unknown(self, written: str) -> str:
        by_key = {role_key(title): title for title in self._titles.values()}
        close = difflib.get_close_matches(role_key(written), list(by_key), n=1, cutoff=0.75)
        hint = f" Did you mean {by_key[close[0]]}?" if close else ""
        return (f"'{written}' is not a role in ARRS Desk's catalogue.{hint} Use the role's title "
                "(e.g. Paramedic, Clinical pharmacist) or its code (e.g. PARA, CPH).")
