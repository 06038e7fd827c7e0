"""Semantic validation of prompt definitions and of residents' answers, per kind.

msgspec checks shapes and ranges; this checks what depends on the prompt itself
(an option id that exists, a value inside the scale) and normalises free text."""

from __future__ import annotations

import unicodedata
from collections.abc import Collection
from typing import Any

from . import model as m

CARD_MAX = 280
STATEMENT_MAX = 200  # a proposed statement: like a statement written by staff (Label)
MAX_PROPOSALS = 3  # statements one resident may propose per prompt
WORD_MAX = 25


class InvalidValue(ValueError):
    """Well-formed but not a valid answer or definition: a 422."""


def clean_text(text: str) -> str:
    """NFC, no control or bidi-override characters, single spaces, trimmed."""
    text = unicodedata.normalize("NFC", text)
    kept = "".join(
        ch if unicodedata.category(ch) not in ("Cc", "Cf") else " "
        for ch in text
        if ch not in "\u200b\u200c\u200d\u2060\ufeff"
    )
    return " ".join(kept.split())


def has_nul(value: Any) -> bool:
    """A NUL character anywhere in a decoded JSON value (keys too). Never valid input: PostgreSQL
    cannot store it in text, and no one types it. A loop, not recursion: a value nested a
    thousand deep must not exhaust the stack (the WebSocket fuzzer found that)."""
    todo = [value]
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, list):
            todo.extend(item)
        elif isinstance(item, dict):
            todo.extend(item.keys())
            todo.extend(item.values())
    return False


def _unique(ids: list[str], what: str) -> None:
    if len(set(ids)) != len(ids):
        raise InvalidValue(f"{what} ids must be unique")


def check_definition(spec: m.PromptIn) -> None:
    if isinstance(spec, m.ScaleIn):
        if spec.min >= spec.max or spec.max - spec.min > 20:
            raise InvalidValue("scale: min must be below max, at most 20 steps apart")
    elif isinstance(spec, m.ChoiceIn):
        _unique([o.id for o in spec.options], "option")
        if spec.max_choices is not None and spec.max_choices > len(spec.options):
            raise InvalidValue("choice: max_choices is larger than the number of options")
    elif isinstance(spec, m.OpenIn):
        _unique([c.id for c in spec.categories], "category")
    elif isinstance(spec, m.StatementsIn):
        _unique([s.id for s in spec.statements], "statement")


def _int_in(raw: Any, low: int, high: int) -> int:
    if not isinstance(raw, int) or isinstance(raw, bool) or not low <= raw <= high:
        raise InvalidValue(f"value must be a whole number from {low} to {high}")
    return raw


def _choice(spec: m.ChoiceIn, raw: Any) -> str | list[str]:
    ids = {o.id for o in spec.options}
    if not spec.multi:
        if not isinstance(raw, str) or raw not in ids:
            raise InvalidValue("value must be one of the option ids")
        return raw
    if (
        not isinstance(raw, list)
        or not raw
        or not all(isinstance(x, str) and x in ids for x in raw)
    ):
        raise InvalidValue("value must be a non-empty list of option ids")
    chosen = sorted(set(raw))
    if spec.max_choices is not None and len(chosen) > spec.max_choices:
        raise InvalidValue(f"choose at most {spec.max_choices} options")
    return chosen


def _words(spec: m.WordsIn, raw: Any) -> list[str]:
    if not isinstance(raw, list) or not 1 <= len(raw) <= spec.max_words:
        raise InvalidValue(f"value must be a list of 1 to {spec.max_words} words")
    words: list[str] = []
    for item in raw:
        if not isinstance(item, str):
            raise InvalidValue("every word must be text")
        cleaned = clean_text(item)
        if not 1 <= len(cleaned) <= WORD_MAX:  # as typed: case-folding may lengthen (ß → ss)
            raise InvalidValue(f"every word must be 1 to {WORD_MAX} characters")
        word = cleaned.casefold()
        if word not in words:
            words.append(word)
    return words


def card(spec: m.OpenIn, raw: Any) -> tuple[str, str | None]:
    """An `open` answer: (clean text, category)."""
    if not isinstance(raw, dict) or not isinstance(raw.get("text"), str):
        raise InvalidValue("value must be {text, category?}")
    if set(raw) - {"text", "category", "id"}:
        raise InvalidValue("value has unknown fields")
    text = clean_text(raw["text"])
    if not 1 <= len(text) <= CARD_MAX:
        raise InvalidValue(f"text must be 1 to {CARD_MAX} characters")
    category = raw.get("category")
    if category is not None and (
        not isinstance(category, str) or category not in {c.id for c in spec.categories}
    ):
        raise InvalidValue("category is not one of this prompt's categories")
    return text, category


def statement(raw: Any) -> str:
    """A statement a resident proposes (`resident_statements`): its clean text."""
    if not isinstance(raw, dict) or not isinstance(raw.get("text"), str):
        raise InvalidValue("value must be {text}")
    if set(raw) - {"text", "id"}:
        raise InvalidValue("value has unknown fields")
    text = clean_text(raw["text"])
    if not 1 <= len(text) <= STATEMENT_MAX:
        raise InvalidValue(f"text must be 1 to {STATEMENT_MAX} characters")
    return text


def _vote(spec: m.StatementsIn, raw: Any, also: Collection[str] = ()) -> tuple[str, str]:
    if not isinstance(raw, dict) or set(raw) != {"statement_id", "vote"}:
        raise InvalidValue("value must be {statement_id, vote}")
    if not isinstance(raw["statement_id"], str) or (
        raw["statement_id"] not in {s.id for s in spec.statements}
        and raw["statement_id"] not in also
    ):
        raise InvalidValue("statement_id is not one of this prompt's statements")
    if not isinstance(raw["vote"], str) or raw["vote"] not in ("agree", "disagree", "pass"):
        raise InvalidValue("vote must be agree, disagree or pass")
    return raw["statement_id"], raw["vote"]


def single(spec: m.PromptIn, raw: Any, also: Collection[str] = ()) -> tuple[str, Any]:
    """A replaceable answer, as (key, normalised value). Statements key by statement id;
    `also`: ids of residents' statements approved for this prompt."""
    if isinstance(spec, m.DilemmaIn):
        return "", _int_in(raw, 0, 100)
    if isinstance(spec, m.ScaleIn):
        return "", _int_in(raw, spec.min, spec.max)
    if isinstance(spec, m.ChoiceIn):
        return "", _choice(spec, raw)
    if isinstance(spec, m.WordsIn):
        return "", _words(spec, raw)
    if isinstance(spec, m.StatementsIn):
        return _vote(spec, raw, also)
    raise InvalidValue("open prompts take cards")
