"""Per-kind tallies (tally.py) against the definitions in shared/design/protocol.md.

`replace(who, key, old, new)` is the incremental update; the snapshot must always equal the
tally rebuilt from only the answers that are stored in the end (the database is the truth).
"""

from __future__ import annotations

import statistics
from collections import Counter
from typing import Any

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samenspraak import answers, tally
from samenspraak import model as m

OPTIONS = [m.Option(id="a", label="A"), m.Option(id="b", label="B"), m.Option(id="c", label="C")]
STATEMENTS = [
    m.Statement(id="s1", text="Een"),
    m.Statement(id="s2", text="Twee"),
    m.Statement(id="s3", text="Drie"),
]


def wire(t: tally.PromptTally) -> dict[str, Any]:
    """The snapshot as it travels (JSON builtins)."""
    out: dict[str, Any] = msgspec.to_builtins(t.snapshot())
    return out


def fill(spec: m.PromptIn, values: list[Any]) -> tally.PromptTally:
    """One answer per person: person i answered values[i]."""
    t = tally.new_tally(spec)
    for who, value in enumerate(values):
        t.replace(str(who), "", None, value)
    return t


def dilemma(bins: int = 7) -> m.DilemmaIn:
    return m.DilemmaIn(title="Rust of welkom?", left="Rust", right="Welkom", bins=bins)


def card(
    cid: str, status: str = "pending", text: str = "Meer licht", category: str | None = None
) -> m.Card:
    return m.Card(id=cid, prompt_id="p", text=text, category=category, status=status)  # type: ignore[arg-type]


# ---- dilemma ----
def test_dilemma_without_answers_has_empty_bins_and_null_floats() -> None:
    assert wire(fill(dilemma(7), [])) == {
        "kind": "dilemma",
        "n": 0,
        "bins": [0] * 7,
        "mean": None,
        "middle_share": None,
        "polarisation": None,
    }


@pytest.mark.parametrize("bins", [2, 5, 7, 21])
def test_dilemma_has_as_many_bins_as_its_definition(bins: int) -> None:
    assert len(wire(fill(dilemma(bins), [0, 50, 100]))["bins"]) == bins


def test_dilemma_bins_split_0_to_100_into_equal_widths() -> None:
    # 7 bins of width 100/7 ≈ 14.29: 14 is in the first, 15 in the second, 100 in the last.
    result = wire(fill(dilemma(7), [0, 14, 15, 57, 58, 85, 86, 100]))
    assert result["bins"] == [2, 1, 0, 1, 1, 1, 2]
    assert sum(result["bins"]) == result["n"] == 8


def test_dilemma_value_100_falls_in_the_last_bin() -> None:
    assert wire(fill(dilemma(5), [100]))["bins"] == [0, 0, 0, 0, 1]


def test_dilemma_mean_is_the_average_value() -> None:
    assert wire(fill(dilemma(), [10, 20, 60]))["mean"] == pytest.approx(30.0)


def test_dilemma_middle_share_counts_40_to_60_inclusive() -> None:
    result = wire(fill(dilemma(), [39, 40, 50, 60, 61]))
    assert result["middle_share"] == pytest.approx(3 / 5)


def test_dilemma_middle_share_excludes_values_just_outside_the_middle() -> None:
    assert wire(fill(dilemma(), [39, 61]))["middle_share"] == 0


def test_dilemma_two_camps_at_the_extremes_have_polarisation_1() -> None:
    result = wire(fill(dilemma(), [0, 100, 0, 100]))
    assert result["polarisation"] == pytest.approx(1.0)
    assert result["mean"] == pytest.approx(50.0)
    assert result["middle_share"] == 0


def test_dilemma_consensus_has_polarisation_0() -> None:
    result = wire(fill(dilemma(), [70, 70, 70]))
    assert result["polarisation"] == 0
    assert result["mean"] == pytest.approx(70.0)


def test_dilemma_polarisation_is_variance_of_fractions_over_a_quarter() -> None:
    values = [0, 25, 25, 80, 100, 33]
    expected = statistics.pvariance([v / 100 for v in values]) / 0.25
    assert wire(fill(dilemma(), values))["polarisation"] == pytest.approx(expected, abs=1e-4)


def test_dilemma_single_answer_has_zero_polarisation_and_its_value_as_mean() -> None:
    result = wire(fill(dilemma(), [42]))
    assert result == {
        "kind": "dilemma",
        "n": 1,
        "bins": [0, 0, 1, 0, 0, 0, 0],
        "mean": pytest.approx(42.0),
        "middle_share": pytest.approx(1.0),
        "polarisation": 0,
    }


def test_dilemma_replacement_moves_the_answer_and_keeps_n() -> None:
    t = fill(dilemma(), [0, 100])
    t.replace("0", "", 0, 100)
    result = wire(t)
    assert result["n"] == 2
    assert result["bins"] == [0, 0, 0, 0, 0, 0, 2]
    assert result["mean"] == pytest.approx(100.0)
    assert result["polarisation"] == 0


def test_dilemma_back_to_no_answers_has_null_floats_again() -> None:
    t = fill(dilemma(), [30])
    t.replace("0", "", 30, None)
    assert wire(t) == wire(fill(dilemma(), []))


# ---- scale ----
def test_scale_counts_every_step_as_a_string_key_even_when_zero() -> None:
    result = wire(fill(m.ScaleIn(title="t", min=1, max=5), [1, 5, 5, 4]))
    assert result == {
        "kind": "scale",
        "n": 4,
        "counts": {"1": 1, "2": 0, "3": 0, "4": 1, "5": 2},
        "mean": pytest.approx(3.75),
    }


def test_scale_with_negative_steps_counts_and_averages_them() -> None:
    result = wire(fill(m.ScaleIn(title="t", min=-2, max=2), [-2, -1, 2]))
    assert result["counts"] == {"-2": 1, "-1": 1, "0": 0, "1": 0, "2": 1}
    assert result["mean"] == pytest.approx(-1 / 3, abs=1e-4)


def test_scale_without_answers_has_null_mean() -> None:
    assert wire(fill(m.ScaleIn(title="t"), [])) == {
        "kind": "scale",
        "n": 0,
        "counts": {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0},
        "mean": None,
    }


def test_scale_replacement_moves_the_count() -> None:
    t = fill(m.ScaleIn(title="t"), [2, 2])
    t.replace("1", "", 2, 4)
    result = wire(t)
    assert result["counts"] == {"1": 0, "2": 1, "3": 0, "4": 1, "5": 0}
    assert result["n"] == 2
    assert result["mean"] == pytest.approx(3.0)


# ---- choice ----
def test_single_choice_counts_each_option_and_people() -> None:
    result = wire(fill(m.ChoiceIn(title="t", options=OPTIONS), ["a", "c", "a"]))
    assert result == {"kind": "choice", "n": 3, "counts": {"a": 2, "b": 0, "c": 1}}


def test_multi_choice_counts_people_as_n_not_ticks() -> None:
    spec = m.ChoiceIn(title="t", options=OPTIONS, multi=True)
    result = wire(fill(spec, [["a", "b"], ["a", "b", "c"], ["c"]]))
    assert result == {"kind": "choice", "n": 3, "counts": {"a": 2, "b": 2, "c": 2}}


def test_choice_replacement_moves_the_counts_and_keeps_n() -> None:
    spec = m.ChoiceIn(title="t", options=OPTIONS, multi=True)
    t = fill(spec, [["a", "b"]])
    t.replace("0", "", ["a", "b"], ["c"])
    assert wire(t) == {"kind": "choice", "n": 1, "counts": {"a": 0, "b": 0, "c": 1}}


def test_choice_without_answers_lists_every_option_with_zero() -> None:
    assert wire(fill(m.ChoiceIn(title="t", options=OPTIONS), [])) == {
        "kind": "choice",
        "n": 0,
        "counts": {"a": 0, "b": 0, "c": 0},
    }


# ---- words ----
def test_words_that_differ_only_in_case_are_counted_together() -> None:
    spec = m.WordsIn(title="t", max_words=3)
    stored = [answers.single(spec, raw)[1] for raw in (["Fiets"], ["fiets", "Auto"], ["FIETS "])]
    result = wire(fill(spec, stored))
    assert result == {
        "kind": "words",
        "n": 3,
        "words": [{"word": "fiets", "count": 3}, {"word": "auto", "count": 1}],
    }


def test_words_are_ordered_by_count_descending() -> None:
    spec = m.WordsIn(title="t", max_words=3)
    result = wire(fill(spec, [["b"], ["a", "b"], ["c", "b", "a"], ["c"], ["c"], ["c"]]))
    assert [(w["word"], w["count"]) for w in result["words"]] == [("c", 4), ("b", 3), ("a", 2)]


def test_words_show_only_the_top_50() -> None:
    vocabulary = [f"w{i:02d}" for i in range(60)]
    # person p said every word w_i with i >= p, so w_i has count i + 1 (all distinct).
    people = [vocabulary[p:] for p in range(60)]
    result = wire(fill(m.WordsIn(title="t"), people))
    assert result["n"] == 60
    assert len(result["words"]) == 50
    assert [w["word"] for w in result["words"]] == [f"w{i:02d}" for i in range(59, 9, -1)]
    counts = [w["count"] for w in result["words"]]
    assert counts == sorted(counts, reverse=True)
    assert counts[0] == 60 and counts[-1] == 11


def test_a_replaced_word_disappears_when_nobody_says_it_any_more() -> None:
    t = fill(m.WordsIn(title="t"), [["zon"], ["maan"]])
    t.replace("0", "", ["zon"], ["maan"])
    assert wire(t) == {"kind": "words", "n": 2, "words": [{"word": "maan", "count": 2}]}


# ---- open ----
def test_moderated_open_shows_only_approved_cards() -> None:
    t = tally.new_tally(m.OpenIn(title="t", moderated=True))
    t.replace("1", "c1", None, card("c1", "pending", "Wacht"))
    t.replace("2", "c2", None, card("c2", "approved", "Goed", "zorg"))
    t.replace("3", "c3", None, card("c3", "hidden", "Weg"))
    assert wire(t) == {
        "kind": "open",
        "n": 3,
        "cards": [{"id": "c2", "text": "Goed", "category": "zorg"}],
        "categories": {"zorg": 1},
    }


def test_moderated_card_appears_once_approved_and_disappears_when_hidden() -> None:
    t = tally.new_tally(m.OpenIn(title="t", moderated=True))
    pending = card("c1", "pending")
    t.replace("1", "c1", None, pending)
    assert wire(t)["cards"] == []
    approved = msgspec.structs.replace(pending, status="approved")
    t.replace("1", "c1", pending, approved)
    assert [c["id"] for c in wire(t)["cards"]] == ["c1"]
    hidden = msgspec.structs.replace(approved, status="hidden")
    t.replace("1", "c1", approved, hidden)
    assert wire(t)["cards"] == []
    assert wire(t)["n"] == 1


def test_unmoderated_open_shows_cards_that_were_not_hidden() -> None:
    t = tally.new_tally(m.OpenIn(title="t", moderated=False))
    t.replace("1", "c1", None, card("c1", "approved", "Een"))
    t.replace("1", "c2", None, card("c2", "pending", "Twee"))
    t.replace("2", "c3", None, card("c3", "hidden", "Drie"))
    assert [c["text"] for c in wire(t)["cards"]] == ["Een", "Twee"]


def test_open_n_counts_people_not_cards() -> None:
    t = tally.new_tally(m.OpenIn(title="t", moderated=False))
    for i in range(3):
        t.replace("1", f"c{i}", None, card(f"c{i}", "approved"))
    t.replace("2", "c9", None, card("c9", "approved"))
    assert wire(t)["n"] == 2
    assert len(wire(t)["cards"]) == 4


def test_moderation_does_not_change_open_n() -> None:
    t = tally.new_tally(m.OpenIn(title="t"))
    pending = card("c1")
    t.replace("1", "c1", None, pending)
    t.replace("1", "c1", pending, msgspec.structs.replace(pending, status="hidden"))
    assert t.people() == 1


# ---- statements ----
def test_statements_count_votes_per_statement_in_definition_order() -> None:
    t = tally.new_tally(m.StatementsIn(title="t", statements=STATEMENTS))
    t.replace("1", "s1", None, "agree")
    t.replace("2", "s1", None, "disagree")
    t.replace("2", "s3", None, "pass")
    assert wire(t) == {
        "kind": "statements",
        "n": 2,
        "statements": [
            {"id": "s1", "text": "Een", "agree": 1, "disagree": 1, "pass": 0},
            {"id": "s2", "text": "Twee", "agree": 0, "disagree": 0, "pass": 0},
            {"id": "s3", "text": "Drie", "agree": 0, "disagree": 0, "pass": 1},
        ],
    }


def test_statements_n_is_distinct_voters_not_votes() -> None:
    t = tally.new_tally(m.StatementsIn(title="t", statements=STATEMENTS))
    for s in ("s1", "s2", "s3"):
        t.replace("1", s, None, "agree")
    assert wire(t)["n"] == 1


def test_changing_a_statement_vote_moves_it() -> None:
    t = tally.new_tally(m.StatementsIn(title="t", statements=STATEMENTS))
    t.replace("1", "s2", None, "agree")
    t.replace("1", "s2", "agree", "disagree")
    s2 = wire(t)["statements"][1]
    assert (s2["agree"], s2["disagree"], s2["pass"]) == (0, 1, 0)
    assert wire(t)["n"] == 1


# ---- public() ----
@pytest.mark.parametrize(
    ("spec", "value"),
    [
        (dilemma(), 50),
        (m.ScaleIn(title="t"), 3),
        (m.ChoiceIn(title="t", options=OPTIONS), "a"),
        (m.WordsIn(title="t"), ["zon"]),
    ],
)
def test_public_hides_the_distribution_below_min_group(spec: m.PromptIn, value: Any) -> None:
    t = fill(spec, [value] * 4)
    kind = str(spec.__struct_config__.tag)
    assert msgspec.to_builtins(tally.public(t, kind, 5)) == {"kind": kind, "n": 4, "hidden": True}


def test_public_shows_the_distribution_at_exactly_min_group() -> None:
    t = fill(dilemma(), [50] * 5)
    shown = msgspec.to_builtins(tally.public(t, "dilemma", 5))
    assert "hidden" not in shown
    assert shown == wire(t)


def test_public_hides_an_empty_tally() -> None:
    t = fill(m.ScaleIn(title="t"), [])
    assert msgspec.to_builtins(tally.public(t, "scale", 5)) == {
        "kind": "scale",
        "n": 0,
        "hidden": True,
    }


def test_public_counts_people_for_statements_and_cards_not_answers() -> None:
    t = tally.new_tally(m.StatementsIn(title="t", statements=STATEMENTS))
    for who in range(4):
        for s in ("s1", "s2", "s3"):
            t.replace(str(who), s, None, "agree")
    assert msgspec.to_builtins(tally.public(t, "statements", 5)) == {
        "kind": "statements",
        "n": 4,
        "hidden": True,
    }
    cards = tally.new_tally(m.OpenIn(title="t", moderated=False))
    for i in range(6):
        cards.replace("only-one", f"c{i}", None, card(f"c{i}", "approved"))
    assert msgspec.to_builtins(tally.public(cards, "open", 5)) == {
        "kind": "open",
        "n": 1,
        "hidden": True,
    }


def test_public_with_min_group_1_shows_a_single_answer() -> None:
    t = fill(m.ChoiceIn(title="t", options=OPTIONS), ["b"])
    assert msgspec.to_builtins(tally.public(t, "choice", 1)) == wire(t)


# ---- property: incremental == rebuilt from the final stored answers ----
PEOPLE = st.integers(min_value=0, max_value=7)
VOCABULARY = ["zon", "maan", "fiets", "park", "buurt", "school", "rust"]

SPECS: dict[str, m.PromptIn] = {
    "dilemma": dilemma(7),
    "dilemma-3-bins": dilemma(3),
    "scale": m.ScaleIn(title="t", min=-3, max=4),
    "choice": m.ChoiceIn(title="t", options=OPTIONS),
    "choice-multi": m.ChoiceIn(title="t", options=OPTIONS, multi=True, max_choices=2),
    "words": m.WordsIn(title="t", max_words=3),
    "statements": m.StatementsIn(title="t", statements=STATEMENTS),
    "open-moderated": m.OpenIn(
        title="t", moderated=True, categories=[m.Category(id="zorg", label="Zorg")]
    ),
    "open-unmoderated": m.OpenIn(title="t", moderated=False),
}

# An operation is (who, key, value-or-None); None withdraws the stored answer.
VALUES: dict[str, st.SearchStrategy[Any]] = {
    "dilemma": st.integers(0, 100),
    "dilemma-3-bins": st.integers(0, 100),
    "scale": st.integers(-3, 4),
    "choice": st.sampled_from(["a", "b", "c"]),
    "choice-multi": st.lists(
        st.sampled_from(["a", "b", "c"]), min_size=1, max_size=2, unique=True
    ).map(sorted),
    "words": st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=3, unique=True),
}


def single_ops(kind: str) -> st.SearchStrategy[list[tuple[int, str, Any]]]:
    value = VALUES[kind]
    return st.lists(st.tuples(PEOPLE, st.just(""), st.one_of(value, value, st.none())), max_size=60)


def statement_ops() -> st.SearchStrategy[list[tuple[int, str, Any]]]:
    vote = st.sampled_from(["agree", "disagree", "pass"])
    op = st.tuples(PEOPLE, st.sampled_from(["s1", "s2", "s3"]), st.one_of(vote, vote, st.none()))
    return st.lists(op, max_size=60)


def card_ops() -> st.SearchStrategy[list[tuple[str, int, int, Any]]]:
    """("post", who, n, text) adds card n of who once; ("moderate", who, n, status) changes it."""
    post = st.tuples(
        st.just("post"), PEOPLE, st.integers(0, 3), st.sampled_from(["Een", "Twee", "Drie"])
    )
    moderate = st.tuples(
        st.just("moderate"),
        PEOPLE,
        st.integers(0, 3),
        st.sampled_from(["pending", "approved", "hidden"]),
    )
    return st.lists(st.one_of(post, moderate), max_size=60)


def apply(
    t: tally.PromptTally, stored: dict[tuple[str, str], Any], who: str, key: str, new: Any
) -> None:
    """What the room does: look up the stored answer, store the new one, tell the tally."""
    old = stored.get((who, key))
    if new is None:
        stored.pop((who, key), None)
    else:
        stored[(who, key)] = new
    t.replace(who, key, old, new)


def rebuilt(spec: m.PromptIn, stored: dict[tuple[str, str], Any]) -> tally.PromptTally:
    t = tally.new_tally(spec)
    for (who, key), value in stored.items():
        t.replace(who, key, None, value)
    return t


def reference(spec: m.PromptIn, stored: dict[tuple[str, str], Any]) -> dict[str, Any]:
    """The tally straight from the protocol's definitions, independent of tally.py."""
    people = {who for who, _ in stored}
    values = list(stored.values())
    n = len(people)
    if isinstance(spec, m.DilemmaIn):
        bins = [0] * spec.bins
        for v in values:
            bins[min(v * spec.bins // 100, spec.bins - 1)] += 1
        if not values:
            return {
                "kind": "dilemma",
                "n": 0,
                "bins": bins,
                "mean": None,
                "middle_share": None,
                "polarisation": None,
            }
        return {
            "kind": "dilemma",
            "n": n,
            "bins": bins,
            "mean": pytest.approx(statistics.fmean(values), abs=1e-4),
            "middle_share": pytest.approx(sum(40 <= v <= 60 for v in values) / n, abs=1e-4),
            "polarisation": pytest.approx(
                statistics.pvariance([v / 100 for v in values]) / 0.25, abs=1e-4
            ),
        }
    if isinstance(spec, m.ScaleIn):
        counts = {str(s): sum(v == s for v in values) for s in range(spec.min, spec.max + 1)}
        mean = pytest.approx(statistics.fmean(values), abs=1e-4) if values else None
        return {"kind": "scale", "n": n, "counts": counts, "mean": mean}
    if isinstance(spec, m.ChoiceIn):
        chosen = [[v] if isinstance(v, str) else v for v in values]
        return {
            "kind": "choice",
            "n": n,
            "counts": {o.id: sum(o.id in c for c in chosen) for o in spec.options},
        }
    if isinstance(spec, m.WordsIn):
        counts = Counter(w for v in values for w in set(v))
        top = sorted(counts.items(), key=lambda wc: (-wc[1], wc[0]))[:50]
        return {"kind": "words", "n": n, "words": [{"word": w, "count": c} for w, c in top]}
    if isinstance(spec, m.StatementsIn):
        rows = []
        for s in spec.statements:
            votes = [v for (_, key), v in stored.items() if key == s.id]
            rows.append(
                {
                    "id": s.id,
                    "text": s.text,
                    **{k: votes.count(k) for k in ("agree", "disagree", "pass")},
                }
            )
        return {"kind": "statements", "n": n, "statements": rows}
    assert isinstance(spec, m.OpenIn)
    shown = [
        {"id": c.id, "text": c.text, "category": c.category}
        for c in values
        if c.status == "approved" or (not spec.moderated and c.status == "pending")
    ]
    categories: dict[str, int] = {}
    for c in shown:
        categories[c["category"] or ""] = categories.get(c["category"] or "", 0) + 1
    return {"kind": "open", "n": n, "cards": shown, "categories": dict(sorted(categories.items()))}


def check(
    spec: m.PromptIn, incremental: tally.PromptTally, stored: dict[tuple[str, str], Any]
) -> None:
    again = rebuilt(spec, stored)
    assert wire(incremental) == wire(again)
    assert incremental.people() == again.people() == len({who for who, _ in stored})
    assert wire(again) == reference(spec, stored)


@pytest.mark.parametrize("kind", sorted(VALUES))
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_incremental_tally_equals_tally_rebuilt_from_final_answers(
    kind: str, data: st.DataObject
) -> None:
    spec = SPECS[kind]
    ops = data.draw(single_ops(kind))
    t = tally.new_tally(spec)
    stored: dict[tuple[str, str], Any] = {}
    for who, key, value in ops:
        apply(t, stored, str(who), key, value)
    check(spec, t, stored)


@settings(max_examples=150, deadline=None)
@given(ops=statement_ops())
def test_incremental_statement_tally_equals_tally_rebuilt_from_final_votes(
    ops: list[tuple[int, str, Any]],
) -> None:
    spec = SPECS["statements"]
    t = tally.new_tally(spec)
    stored: dict[tuple[str, str], Any] = {}
    for who, key, vote in ops:
        apply(t, stored, str(who), key, vote)
    check(spec, t, stored)


@pytest.mark.parametrize("kind", ["open-moderated", "open-unmoderated"])
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_incremental_card_tally_equals_tally_rebuilt_from_final_cards_and_moderation(
    kind: str, data: st.DataObject
) -> None:
    spec = SPECS[kind]
    assert isinstance(spec, m.OpenIn)
    t = tally.new_tally(spec)
    stored: dict[tuple[str, str], Any] = {}
    for action, who_n, n, arg in data.draw(card_ops()):
        who, cid = str(who_n), f"c{who_n}-{n}"
        existing = stored.get((who, cid))
        if action == "post":
            if existing is None:  # a resend of a stored card changes nothing
                status = "pending" if spec.moderated else "approved"
                apply(t, stored, who, cid, card(cid, status, arg, "zorg" if n % 2 else None))
        elif existing is not None:
            apply(t, stored, who, cid, msgspec.structs.replace(existing, status=arg))
    check(spec, t, stored)
