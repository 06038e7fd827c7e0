"""Before/after shifts and the dilemma split by group: figures right, small groups hidden."""

from __future__ import annotations

from samenspraak import model as m
from samenspraak.insight import compare


def test_a_pair_is_the_earliest_and_latest_dilemma_with_the_same_key() -> None:
    d = m.DilemmaIn(title="t", left="l", right="r", pair="kern")
    other = m.DilemmaIn(title="t", left="l", right="r", pair="ander")
    rows = [("close", 9, d), ("open", 1, d), ("lonely", 3, other), ("x", 2, m.WordsIn(title="w"))]
    assert compare.pairs_of(rows) == {"kern": ("open", "close")}


def test_shift_overall_and_paired() -> None:
    before = {1: 0, 2: 10, 3: 50, 4: 90, 5: 100, 6: 45}
    after = {1: 40, 2: 50, 3: 50, 4: 95, 5: 60, 6: 20}
    out = compare.shift("kern", "p1", before, after, bins=5, min_group=5)
    assert out.overall_before.n == 6 and not out.overall_before.hidden
    assert out.mean_shift == round(315 / 6 - 295 / 6, 4)
    paired = out.paired
    assert paired is not None and paired.n == 6 and not paired.hidden
    assert paired.mean_before == round(295 / 6, 4) and paired.mean_after == 52.5
    assert paired.middle_before == round(2 / 6, 4) and paired.middle_after == round(4 / 6, 4)
    assert (paired.to_middle, paired.from_middle) == (3, 1)  # 1, 2, 5 in; 6 out
    assert (paired.toward_centre, paired.away_from_centre) == (3, 1)


def test_small_groups_and_small_pairs_are_hidden() -> None:
    out = compare.shift("kern", "p1", {1: 10, 2: 20}, {1: 50, 2: 60, 3: 70}, bins=7, min_group=5)
    assert out.overall_before.hidden and out.overall_before.bins is None
    assert out.mean_shift is None and out.paired is not None and out.paired.hidden
    assert out.paired.mean_shift is None


def test_paired_figures_hide_when_a_few_answered_only_once() -> None:
    """20 before, 19 of them after: the paired mean beside the overall one would give away
    the one person who answered only before."""
    before = {i: i * 5 for i in range(20)}
    after = {i: 50 for i in range(19)}
    out = compare.shift("kern", "p1", before, after, bins=5, min_group=5)
    assert out.paired is not None and out.paired.hidden and out.paired.mean_before is None
    more = compare.shift("kern", "p1", before, {i: 50 for i in range(15)}, bins=5, min_group=5)
    assert more.paired is not None and not more.paired.hidden  # 5 unpaired: enough


def test_the_split_by_group_hides_all_groups_when_one_part_is_small() -> None:
    answers = {i: i * 10 for i in range(12)}
    two_big = {str(i): int(i >= 6) for i in range(12)}
    split = compare.by_group(answers, two_big, 2, 5, 5)
    assert [(g.group, g.n, g.hidden) for g in split] == [(0, 6, False), (1, 6, False)]
    assert split[0].mean == 25.0
    one_small = {str(i): int(i >= 9) for i in range(12)}
    assert all(g.hidden for g in compare.by_group(answers, one_small, 2, 5, 5))
    two_outside = {k: v for k, v in two_big.items() if k not in ("0", "11")}
    assert all(g.hidden for g in compare.by_group(answers, two_outside, 2, 5, 5))
