"""The word cloud's filter for insults and slurs: matching words are held back from every view
(phones, projector, console chart, exports, report) until a facilitator approves them for
that prompt. The default list (data/held-words.txt, Dutch and English) can be extended and
relaxed per organisation. Pure: no I/O but reading the bundled file once."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable
from importlib import resources

MAX_WORD = 40
MAX_ENTRIES = 500
SUBSTRING_FROM = 4  # shorter entries match whole words only
_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)


def fold(word: str) -> str:
    """Case, accents, letter-for-digit swaps and repeated letters do not hide a word:
    'KÄNKERRR', 'k4nker' and 'kanker' fold alike."""
    # compatibility forms first (ᴬ, ｋ, ¹ …), then case, then once more (ß → ss → …)
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", word).casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).translate(_LEET)
    out: list[str] = []
    for ch in text:
        if not ch.isalnum() and ch != " ":
            continue
        if len(out) >= 2 and out[-1] == ch and out[-2] == ch:
            continue  # "kankerrrr" → "kankerr"
        out.append(ch)
    squeezed = "".join(out)
    # a doubled letter left at the end or in the middle still matches the single one
    return " ".join(squeezed.split())


@functools.cache
def bundled() -> tuple[str, ...]:
    text = resources.files("samenspraak").joinpath("data/held-words.txt").read_text("utf-8")
    return tuple(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def clean_entries(words: Iterable[str]) -> list[str]:
    """An organisation's list as stored: trimmed, case-folded, unique, in order."""
    seen: dict[str, None] = {}
    for word in words:
        word = " ".join(word.split()).casefold()
        if word:
            seen.setdefault(word, None)
    return list(seen)


class WordFilter:
    """`holds(word)`: is this word held back until approved? Answers are cached."""

    def __init__(self, entries: Iterable[str]) -> None:
        self.exact: set[str] = set()
        self.inside: list[str] = []
        for entry in entries:
            whole = entry.startswith("=")
            term = fold(entry[1:] if whole else entry)
            if not term:
                continue
            if whole or len(term) < SUBSTRING_FROM:
                self.exact.add(term)
            else:
                self.inside.append(term)
        self._seen: dict[str, bool] = {}

    @classmethod
    def for_org(cls, added: Iterable[str] = (), allowed: Iterable[str] = ()) -> WordFilter:
        """The default list plus the organisation's own words, minus the ones it allows."""
        skip = {fold(w.lstrip("=")) for w in allowed}
        entries = [w for w in (*bundled(), *added) if fold(w.lstrip("=")) not in skip]
        return cls(entries)

    def holds(self, word: str) -> bool:
        found = self._seen.get(word)
        if found is None:
            folded = fold(word)
            variants = {folded, _undouble(folded)}
            found = any(v in self.exact for v in variants) or any(
                term in v for term in self.inside for v in variants
            )
            found = found or any(part in self.exact for part in folded.split())
            if len(self._seen) > 50_000:
                self._seen.clear()
            self._seen[word] = found
        return found


def _undouble(text: str) -> str:
    out: list[str] = []
    for ch in text:
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)
