"""Canvassing rules without a server: note validation, content equality, k-anonymous summary."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samenspraak import canvass
from samenspraak import model as m

TODAY = dt.date(2026, 11, 23)
RULES = canvass.RoundRules(
    areas=("Centrum", "Noord", "Zuid"),
    topics=("safety", "youth", "Speeltuin"),
    starts_on="2026-11-01",
    ends_on="2026-12-31",
)


def note(**fields: Any) -> m.NoteIn:
    body: dict[str, Any] = {
        "area": "Centrum",
        "day": "2026-11-23",
        "part_of_day": "morning",
        "outcome": "conversation",
    }
    body.update(fields)
    return msgspec.convert(body, m.NoteIn, strict=True)


def test_a_full_note_passes_and_its_text_is_cleaned() -> None:
    text = canvass.check_note(
        note(
            topics=["safety", "Speeltuin"],
            concern=4,
            trust=None,
            us_them=True,
            us_them_about=["newcomers"],
            incident="nuisance",
            wants_dialogue="maybe",
            text="  Veel overlast\u202e bij het plein  ",
        ),
        RULES,
        TODAY,
    )
    assert text == "Veel overlast bij het plein"


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"area": "Oost"}, "area"),
        ({"day": "2026-02-30"}, "YYYY-MM-DD"),
        ({"day": "23-11-2026"}, "YYYY-MM-DD"),
        ({"day": "2026-11-25"}, "future"),
        ({"day": "2026-10-31"}, "before the round"),
        ({"part_of_day": "14:30"}, "part_of_day"),
        ({"outcome": "asleep"}, "outcome"),
        ({"topics": ["housing"]}, "topics"),
        ({"topics": ["safety", "safety"]}, "twice"),
        ({"concern": 0}, "concern"),
        ({"trust": 6}, "trust"),
        ({"us_them_about": ["newcomers"]}, "us_them"),
        ({"us_them": True, "us_them_about": ["Jansen"]}, "us_them_about"),
        ({"incident": "murder"}, "incident"),
        ({"wants_dialogue": "perhaps"}, "wants_dialogue"),
        ({"text": "x" * 281}, "280"),
        ({"outcome": "not_home", "concern": 3}, "nobody was home"),
        ({"outcome": "not_home", "topics": ["youth"]}, "nobody was home"),
    ],
)
def test_a_note_that_breaks_a_rule_says_which(fields: dict[str, Any], reason: str) -> None:
    with pytest.raises(canvass.InvalidNote, match=reason):
        canvass.check_note(note(**fields), RULES, TODAY)


def test_not_home_may_carry_a_short_text_and_an_empty_text_is_none() -> None:
    assert canvass.check_note(note(outcome="not_home", text="folder"), RULES, TODAY) == "folder"
    assert canvass.check_note(note(text="   "), RULES, TODAY) is None


def test_content_equality_ignores_list_order_and_the_id_but_nothing_else() -> None:
    a = note(id="n1", topics=["safety", "youth"], us_them=True, us_them_about=["youth", "media"])
    b = note(id="n2", topics=["youth", "safety"], us_them=True, us_them_about=["media", "youth"])
    assert canvass.canonical(a) == canvass.canonical(b)
    assert canvass.canonical(a) != canvass.canonical(note(topics=["safety", "youth"]))
    assert canvass.canonical(note(text="a")) != canvass.canonical(note(text="a "))


def test_round_lists_refuse_addresses_repeats_and_blanks() -> None:
    areas, topics = canvass.check_round_lists([" Centrum ", "Dorpsstraat 1-40"], ["safety"])
    assert areas == ["Centrum", "Dorpsstraat 1-40"]  # a street segment, not a house
    numbered = ["Wijk 7", "Buurt 12a", "Deelgebied 3", "BU03630001", "2511"]
    assert canvass.check_round_lists(numbered, [])[0] == numbered  # area codes, not houses
    with pytest.raises(canvass.InvalidNote, match="personal data"):
        canvass.check_round_lists(["Dorpsstraat 12"], [])
    with pytest.raises(canvass.InvalidNote, match="twice"):
        canvass.check_round_lists(["Noord", "noord"], [])
    with pytest.raises(canvass.InvalidNote, match="empty"):
        canvass.check_round_lists(["\u200b "], [])


def stored(area: str, **fields: Any) -> m.NoteOut:
    base: dict[str, Any] = {
        "id": "x",
        "area": area,
        "day": "2026-11-23",
        "part_of_day": "morning",
        "outcome": "conversation",
        "topics": [],
        "concern": None,
        "trust": None,
        "us_them": False,
        "us_them_about": [],
        "incident": None,
        "wants_dialogue": None,
        "text": None,
        "redactions": [],
        "mine": False,
    }
    base.update(fields)
    return m.NoteOut(**base)


def test_summary_figures_of_a_shown_area() -> None:
    notes = [
        stored("Centrum", concern=c, trust=t, us_them=u, topics=["safety"], wants_dialogue=w)
        for c, t, u, w in [(5, 1, True, "yes"), (4, 2, False, "maybe"), (3, None, True, None)]
    ] + [stored("Centrum", outcome="not_home"), stored("Centrum", outcome="declined")]
    summary = canvass.summarize("r", ["Centrum"], ["safety", "youth"], notes, k=5)
    [area] = summary.areas
    assert area.area == "Centrum" and area.notes == 5
    assert area.concern_mean == 4.0 and area.concern == {"1": 0, "2": 0, "3": 1, "4": 1, "5": 1}
    assert area.trust_mean == 1.5
    assert area.us_them_share == round(2 / 3, 3)  # of the three notes with contact
    assert area.topics == {"safety": 3, "youth": 0}
    assert area.outcomes["not_home"] == 1 and area.outcomes["declined"] == 1
    assert area.wants_dialogue == 1 and area.wants_dialogue_maybe == 1
    assert summary.other is None


def test_small_areas_are_combined_and_hidden_when_still_too_small() -> None:
    notes = [stored("Centrum", concern=2)] * 6 + [stored("Noord", concern=5)] * 2
    notes += [stored("Zuid", concern=5)] * 2
    summary = canvass.summarize("r", ["Centrum", "Noord", "Zuid"], [], notes, k=5)
    assert [a.area for a in summary.areas] == ["Centrum"]
    assert summary.other is not None and summary.other.hidden
    assert summary.other.notes == 4 and summary.other.areas == 2
    assert summary.other.concern_mean is None and sum(summary.other.concern.values()) == 0
    more = canvass.summarize("r", ["Centrum", "Noord", "Zuid"], [], [*notes, notes[-1]], k=5)
    assert more.other is not None and not more.other.hidden
    assert more.other.notes == 5 and more.other.concern_mean == 5.0


@settings(max_examples=150, deadline=None)
@given(
    counts=st.dictionaries(
        st.sampled_from(["A", "B", "C", "D", "E", "F"]), st.integers(0, 12), min_size=1
    ),
    k=st.integers(1, 8),
)
def test_no_area_under_k_ever_appears_by_name(counts: dict[str, int], k: int) -> None:
    notes = [stored(area, concern=3) for area, n in counts.items() for _ in range(n)]
    summary = canvass.summarize("r", sorted(counts), [], notes, k)
    encoded = msgspec.json.encode(summary).decode()
    for area, n in counts.items():
        assert (f'"{area}"' in encoded) == (n >= k)
    shown = sum(a.notes for a in summary.areas)
    folded = summary.other.notes if summary.other else 0
    assert shown + folded == summary.notes == len(notes)
    if summary.other and summary.other.notes < k:
        assert summary.other.hidden and summary.other.concern_mean is None
