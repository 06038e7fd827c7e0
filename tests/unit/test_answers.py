"""Validation and normalisation of residents' answers and of prompt definitions (answers.py).

Values follow shared/design/protocol.md (PromptIn / value per kind); a well-formed but invalid
value is `answers.InvalidValue` (a 422 `invalid_value` on the wire), never another exception.
"""

from __future__ import annotations

import unicodedata
from typing import Any

import msgspec
import pytest

from samenspraak import answers
from samenspraak import model as m

DILEMMA = m.DilemmaIn(title="Rust of welkom?", left="Rust", right="Welkom")
SCALE = m.ScaleIn(title="Hoe gaat het?", min=1, max=5)
NEGATIVE_SCALE = m.ScaleIn(title="Links of rechts?", min=-2, max=2)
OPTIONS = [m.Option(id="a", label="A"), m.Option(id="b", label="B"), m.Option(id="c", label="C")]
SINGLE = m.ChoiceIn(title="Wie beslist?", options=OPTIONS)
MULTI = m.ChoiceIn(title="Wat is belangrijk?", options=OPTIONS, multi=True, max_choices=2)
MULTI_UNLIMITED = m.ChoiceIn(title="Wat is belangrijk?", options=OPTIONS, multi=True)
WORDS = m.WordsIn(title="Eén woord", max_words=3)
OPEN = m.OpenIn(
    title="Zorgen en ideeën",
    categories=[m.Category(id="zorg", label="Zorg"), m.Category(id="idee", label="Idee")],
)
OPEN_NO_CATEGORIES = m.OpenIn(title="Vrij")
STATEMENTS = m.StatementsIn(
    title="Stellingen",
    statements=[m.Statement(id="s1", text="Een"), m.Statement(id="s2", text="Twee")],
)

ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]


def rejected(spec: m.PromptIn, raw: Any) -> None:
    with pytest.raises(answers.InvalidValue):
        answers.single(spec, raw)


# ---- dilemma ----
@pytest.mark.parametrize("value", [0, 1, 50, 99, 100])
def test_dilemma_accepts_whole_numbers_from_0_to_100(value: int) -> None:
    assert answers.single(DILEMMA, value) == ("", value)


@pytest.mark.parametrize("value", [-1, 101, 1000, -100])
def test_dilemma_rejects_values_outside_0_to_100(value: int) -> None:
    rejected(DILEMMA, value)


@pytest.mark.parametrize("value", [True, False])
def test_dilemma_rejects_booleans_although_they_are_ints_in_python(value: bool) -> None:
    rejected(DILEMMA, value)


@pytest.mark.parametrize("value", [50.0, 50.5, "50", None, [50], {"value": 50}])
def test_dilemma_rejects_non_integer_values(value: Any) -> None:
    rejected(DILEMMA, value)


# ---- scale ----
@pytest.mark.parametrize("value", [1, 3, 5])
def test_scale_accepts_every_step_from_min_to_max(value: int) -> None:
    assert answers.single(SCALE, value) == ("", value)


@pytest.mark.parametrize("value", [0, 6, -1, 100])
def test_scale_rejects_values_outside_min_to_max(value: int) -> None:
    rejected(SCALE, value)


@pytest.mark.parametrize("value", [True, False, 3.0, "3", None])
def test_scale_rejects_booleans_floats_and_text(value: Any) -> None:
    rejected(SCALE, value)


def test_scale_with_negative_minimum_accepts_negative_steps() -> None:
    assert answers.single(NEGATIVE_SCALE, -2) == ("", -2)
    assert answers.single(NEGATIVE_SCALE, 2) == ("", 2)
    rejected(NEGATIVE_SCALE, -3)
    rejected(NEGATIVE_SCALE, 3)


# ---- choice ----
def test_single_choice_accepts_a_known_option_id() -> None:
    assert answers.single(SINGLE, "b") == ("", "b")


@pytest.mark.parametrize("value", ["z", "", "A", ["a"], 1, None, True, {"id": "a"}])
def test_single_choice_rejects_unknown_ids_and_non_strings(value: Any) -> None:
    rejected(SINGLE, value)


def test_multi_choice_stores_a_sorted_list_without_duplicates() -> None:
    assert answers.single(MULTI, ["b", "a", "b"]) == ("", ["a", "b"])


def test_multi_choice_accepts_up_to_max_choices() -> None:
    assert answers.single(MULTI, ["c"]) == ("", ["c"])
    assert answers.single(MULTI, ["c", "a"]) == ("", ["a", "c"])


def test_multi_choice_rejects_more_than_max_choices() -> None:
    rejected(MULTI, ["a", "b", "c"])


def test_multi_choice_without_max_choices_accepts_every_option() -> None:
    assert answers.single(MULTI_UNLIMITED, ["c", "b", "a"]) == ("", ["a", "b", "c"])


@pytest.mark.parametrize("value", [[], ["z"], ["a", "z"], "a", [1], [None], [["a"]], None, True])
def test_multi_choice_rejects_empty_lists_unknown_ids_and_non_lists(value: Any) -> None:
    rejected(MULTI, value)


# ---- words ----
def test_words_are_trimmed_and_case_folded() -> None:
    assert answers.single(WORDS, ["  Fiets  ", "STRAAT"]) == ("", ["fiets", "straat"])


def test_words_are_case_folded_beyond_lowercase() -> None:
    assert answers.single(WORDS, ["Straße"]) == ("", ["strasse"])


def test_words_are_nfc_normalised() -> None:
    decomposed = "cafe\u0301"
    _, words = answers.single(WORDS, [decomposed])
    assert words == ["café"]
    assert unicodedata.is_normalized("NFC", words[0])


def test_words_that_differ_only_in_case_or_spacing_are_stored_once() -> None:
    assert answers.single(WORDS, ["Fiets", "fiets ", " FIETS"]) == ("", ["fiets"])


def test_words_that_differ_only_in_normal_form_are_stored_once() -> None:
    assert answers.single(WORDS, ["café", "cafe\u0301"]) == ("", ["café"])


def test_words_keep_the_order_in_which_they_were_given() -> None:
    assert answers.single(WORDS, ["zon", "appel", "maan"]) == ("", ["zon", "appel", "maan"])


@pytest.mark.parametrize("char", ZERO_WIDTH)
def test_zero_width_characters_are_removed_from_words(char: str) -> None:
    assert answers.single(WORDS, [f"fi{char}ets"]) == ("", ["fiets"])


@pytest.mark.parametrize("char", BIDI)
def test_bidi_control_characters_are_removed_from_words(char: str) -> None:
    _, words = answers.single(WORDS, [f"{char}fiets"])
    assert words == ["fiets"]


def test_words_accept_between_one_and_max_words() -> None:
    assert answers.single(WORDS, ["een"]) == ("", ["een"])
    assert answers.single(WORDS, ["een", "twee", "drie"]) == ("", ["een", "twee", "drie"])


def test_words_reject_an_empty_list() -> None:
    rejected(WORDS, [])


def test_words_reject_more_than_max_words() -> None:
    rejected(WORDS, ["een", "twee", "drie", "vier"])


def test_words_with_max_words_one_reject_two_words() -> None:
    rejected(m.WordsIn(title="t", max_words=1), ["een", "twee"])


def test_a_word_of_25_characters_is_accepted_and_26_rejected() -> None:
    assert answers.single(WORDS, ["a" * 25]) == ("", ["a" * 25])
    rejected(WORDS, ["a" * 26])


def test_the_word_length_limit_counts_characters_after_trimming() -> None:
    assert answers.single(WORDS, ["  " + "a" * 25 + "  "]) == ("", ["a" * 25])


@pytest.mark.parametrize("word", ["", "   ", "\u200b", "\t\n"])
def test_words_that_are_empty_after_cleaning_are_rejected(word: str) -> None:
    rejected(WORDS, [word])


@pytest.mark.parametrize("value", ["fiets", [1], [None], [["fiets"]], None, {"w": "fiets"}])
def test_words_reject_non_lists_and_non_text_items(value: Any) -> None:
    rejected(WORDS, value)


# ---- open cards ----
def test_card_text_is_trimmed_and_inner_whitespace_collapsed() -> None:
    assert answers.card(OPEN, {"text": "  Meer   licht\n in het park  "}) == (
        "Meer licht in het park",
        None,
    )


def test_card_keeps_its_case_and_is_nfc_normalised() -> None:
    text, _ = answers.card(OPEN, {"text": "Cafe\u0301 Zuid"})
    assert text == "Café Zuid"


@pytest.mark.parametrize("char", ZERO_WIDTH)
def test_zero_width_characters_are_stripped_from_cards(char: str) -> None:
    text, _ = answers.card(OPEN, {"text": f"Meer{char}licht"})
    assert char not in text
    assert text == "Meerlicht"


@pytest.mark.parametrize("char", BIDI)
def test_bidi_control_characters_are_stripped_from_cards(char: str) -> None:
    text, _ = answers.card(OPEN, {"text": f"Meer licht{char} graag"})
    assert char not in text
    assert all(unicodedata.category(ch) != "Cf" for ch in text)
    assert text.replace(" ", "") == "Meerlichtgraag"


def test_control_characters_are_stripped_from_cards() -> None:
    text, _ = answers.card(OPEN, {"text": "Meer\x00licht\x07"})
    assert all(unicodedata.category(ch) != "Cc" for ch in text)


def test_card_of_280_characters_is_accepted_and_281_rejected() -> None:
    assert answers.card(OPEN, {"text": "x" * 280}) == ("x" * 280, None)
    with pytest.raises(answers.InvalidValue):
        answers.card(OPEN, {"text": "x" * 281})


def test_card_length_counts_characters_after_cleaning() -> None:
    padded = "   " + "x" * 280 + "\u200b\u200b   "
    assert answers.card(OPEN, {"text": padded}) == ("x" * 280, None)


@pytest.mark.parametrize("text", ["", "   ", "\u200b\u200d", "\n\t"])
def test_card_that_is_empty_after_cleaning_is_rejected(text: str) -> None:
    with pytest.raises(answers.InvalidValue):
        answers.card(OPEN, {"text": text})


def test_card_with_a_known_category_keeps_it() -> None:
    assert answers.card(OPEN, {"text": "Hallo", "category": "idee"}) == ("Hallo", "idee")


def test_card_with_an_unknown_category_is_rejected() -> None:
    with pytest.raises(answers.InvalidValue):
        answers.card(OPEN, {"text": "Hallo", "category": "onbekend"})


def test_card_with_a_category_on_a_prompt_without_categories_is_rejected() -> None:
    with pytest.raises(answers.InvalidValue):
        answers.card(OPEN_NO_CATEGORIES, {"text": "Hallo", "category": "zorg"})


def test_card_may_carry_a_client_id() -> None:
    assert answers.card(OPEN, {"text": "Hallo", "id": "abc-123"}) == ("Hallo", None)


@pytest.mark.parametrize(
    "raw",
    [
        "Hallo",
        ["Hallo"],
        None,
        {},
        {"text": 5},
        {"text": None},
        {"text": ["Hallo"]},
        {"text": "Hallo", "extra": 1},
        {"tekst": "Hallo"},
    ],
)
def test_card_rejects_values_that_are_not_text_and_category(raw: Any) -> None:
    with pytest.raises(answers.InvalidValue):
        answers.card(OPEN, raw)


@pytest.mark.parametrize("category", [["zorg"], {"id": "zorg"}])
def test_card_with_an_unhashable_category_is_an_invalid_value(category: Any) -> None:
    with pytest.raises(answers.InvalidValue):
        answers.card(OPEN, {"text": "Hallo", "category": category})


def test_card_with_a_numeric_category_is_rejected() -> None:
    with pytest.raises(answers.InvalidValue):
        answers.card(OPEN, {"text": "Hallo", "category": 3})


def test_open_prompts_take_cards_not_single_answers() -> None:
    with pytest.raises(answers.InvalidValue):
        answers.single(OPEN, {"text": "Hallo"})


# ---- statements ----
@pytest.mark.parametrize("vote", ["agree", "disagree", "pass"])
def test_statement_votes_are_keyed_by_statement(vote: str) -> None:
    assert answers.single(STATEMENTS, {"statement_id": "s2", "vote": vote}) == ("s2", vote)


@pytest.mark.parametrize(
    "raw",
    [
        {"statement_id": "s9", "vote": "agree"},
        {"statement_id": "s1", "vote": "maybe"},
        {"statement_id": "s1", "vote": "AGREE"},
        {"statement_id": "s1", "vote": None},
        {"statement_id": "s1", "vote": True},
        {"statement_id": "s1", "vote": ["agree"]},
        {"statement_id": 1, "vote": "agree"},
        {"statement_id": None, "vote": "agree"},
        {"statement_id": "s1"},
        {"vote": "agree"},
        {"statement_id": "s1", "vote": "agree", "extra": 1},
        "agree",
        ["s1", "agree"],
        None,
    ],
)
def test_statement_votes_reject_unknown_statements_votes_and_shapes(raw: Any) -> None:
    rejected(STATEMENTS, raw)


@pytest.mark.parametrize("statement_id", [["s1"], {"id": "s1"}])
def test_statement_vote_with_an_unhashable_statement_id_is_an_invalid_value(
    statement_id: Any,
) -> None:
    rejected(STATEMENTS, {"statement_id": statement_id, "vote": "agree"})


# ---- definitions ----
def test_scale_definition_needs_min_below_max() -> None:
    for low, high in [(5, 1), (3, 3)]:
        with pytest.raises(answers.InvalidValue):
            answers.check_definition(m.ScaleIn(title="t", min=low, max=high))


def test_scale_definition_allows_at_most_20_steps_apart() -> None:
    answers.check_definition(m.ScaleIn(title="t", min=0, max=20))
    answers.check_definition(m.ScaleIn(title="t", min=-10, max=10))
    with pytest.raises(answers.InvalidValue):
        answers.check_definition(m.ScaleIn(title="t", min=0, max=21))


def test_choice_definition_rejects_duplicate_option_ids() -> None:
    spec = m.ChoiceIn(title="t", options=[m.Option(id="a", label="A"), m.Option(id="a", label="B")])
    with pytest.raises(answers.InvalidValue):
        answers.check_definition(spec)


def test_choice_definition_rejects_max_choices_above_the_number_of_options() -> None:
    with pytest.raises(answers.InvalidValue):
        answers.check_definition(m.ChoiceIn(title="t", options=OPTIONS, multi=True, max_choices=4))
    answers.check_definition(m.ChoiceIn(title="t", options=OPTIONS, multi=True, max_choices=3))


def test_open_definition_rejects_duplicate_category_ids() -> None:
    spec = m.OpenIn(
        title="t", categories=[m.Category(id="x", label="X"), m.Category(id="x", label="Y")]
    )
    with pytest.raises(answers.InvalidValue):
        answers.check_definition(spec)


def test_statements_definition_rejects_duplicate_statement_ids() -> None:
    spec = m.StatementsIn(
        title="t", statements=[m.Statement(id="s", text="a"), m.Statement(id="s", text="b")]
    )
    with pytest.raises(answers.InvalidValue):
        answers.check_definition(spec)


@pytest.mark.parametrize(
    "spec",
    [DILEMMA, SCALE, NEGATIVE_SCALE, SINGLE, MULTI, MULTI_UNLIMITED, WORDS, OPEN, STATEMENTS],
)
def test_valid_definitions_of_every_kind_pass_the_check(spec: m.PromptIn) -> None:
    answers.check_definition(spec)


@pytest.mark.parametrize(
    "raw",
    [
        {"kind": "dilemma", "title": "t", "left": "l", "right": "r", "bins": True},
        {"kind": "dilemma", "title": "t", "left": "l", "right": "r", "bins": 1},
        {"kind": "dilemma", "title": "t", "left": "l", "right": "r", "bins": 22},
        {"kind": "dilemma", "title": "t", "left": "l"},
        {"kind": "scale", "title": "t", "min": False, "max": 5},
        {"kind": "choice", "title": "t", "options": [{"id": "a", "label": "A"}]},
        {
            "kind": "choice",
            "title": "t",
            "options": [{"id": "a b", "label": "A"}, {"id": "c", "label": "C"}],
        },
        {"kind": "open", "title": "t", "max_cards": 0},
        {"kind": "words", "title": "t", "max_words": 6},
        {"kind": "statements", "title": "t", "statements": []},
        {"kind": "poll", "title": "t"},
        {"kind": "words", "title": ""},
        {"kind": "words", "title": "t", "colour": "red"},
    ],
)
def test_malformed_definitions_are_rejected_by_the_wire_types(raw: dict[str, Any]) -> None:
    with pytest.raises(msgspec.ValidationError):
        msgspec.convert(raw, m.PromptIn)
