"""The word cloud's filter: insults and slurs are held back, ordinary words are not."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samenspraak.wordfilter import WordFilter, bundled, fold

DEFAULT = WordFilter.for_org()


@pytest.mark.parametrize(
    "word",
    [
        "kanker",
        "KANKER",
        "kankerlijer",
        "k4nk3r",
        "kankerrrr",
        "kánker",
        "tyfus",
        "klootzak",
        "neger",
        "hoer",
        "faggot",
        "Nigger",
        "rot op",
        "kut",
        "aap",
        "fuck",
    ],
)
def test_insults_and_slurs_are_held(word: str) -> None:
    assert DEFAULT.holds(word), word


@pytest.mark.parametrize(
    "word",
    [
        "veiligheid",
        "samen",
        "negeren",
        "hoera",
        "catering",
        "voertuig",
        "wapens",
        "Pakistaans",
        "buurthuis",
        "pesten",
        "die",
        "nicht",
        "kinderen",
        "skills",
        "sterfte",
        "mongolië",
        "groen",
    ],
)
def test_ordinary_words_pass(word: str) -> None:
    assert not DEFAULT.holds(word), word


def test_an_organisation_adds_and_allows_words() -> None:
    mine = WordFilter.for_org(added=["rotbuurt"], allowed=["aap", "kanker"])
    assert mine.holds("rotbuurt") and mine.holds("ROTBUURTJE")
    assert not mine.holds("aap") and not mine.holds("kanker")
    assert mine.holds("tyfus")  # the rest of the default list stays


def test_the_bundled_list_is_dutch_and_english_and_loads_from_the_package() -> None:
    words = bundled()
    assert "kanker" in words and "faggot" in words and len(words) > 80


@given(st.text(max_size=60))
def test_fold_is_idempotent_and_never_fails(text: str) -> None:
    assert fold(fold(text)) == fold(text)
    DEFAULT.holds(text)
