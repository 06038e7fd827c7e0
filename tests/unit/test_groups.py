"""Polis-style opinion groups (groups.py) on synthetic rooms with planted blocs.

A room: blocs of residents; statement j belongs to bloc j % blocs. A resident agrees with
probability 0.85 with their own bloc's statements and disagrees with probability 0.85 with the
others', plus 10 % random votes and 30 % missing votes. Seeds are fixed.
"""

from __future__ import annotations

import random
from collections import Counter

import msgspec
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import adjusted_rand_score

from samenspraak.insight.groups import NO_VARIANCE, TOO_FEW, Opinions, opinion_groups

Votes = dict[str, dict[str, str]]
CHOICES = ("agree", "disagree", "pass")


def room(
    sizes: list[int], statements: int, seed: int, missing: float = 0.3, noise: float = 0.1
) -> tuple[Votes, dict[str, int], list[str]]:
    """Votes, the planted bloc of every participant, and the statement ids."""
    rng = np.random.default_rng(seed)
    ids = [f"s{j:02d}" for j in range(statements)]
    votes: Votes = {}
    bloc: dict[str, int] = {}
    for b, size in enumerate(sizes):
        for _ in range(size):
            pid = str(len(votes) + 1)
            mine: dict[str, str] = {}
            for j, sid in enumerate(ids):
                if rng.random() < missing:
                    continue
                if rng.random() < noise:
                    mine[sid] = CHOICES[int(rng.integers(3))]
                    continue
                own = j % len(sizes) == b
                r = rng.random()
                likely, unlikely = ("agree", "disagree") if own else ("disagree", "agree")
                mine[sid] = likely if r < 0.85 else ("pass" if r < 0.925 else unlikely)
            votes[pid] = mine
            bloc[pid] = b
    return votes, bloc, ids


def ari(result: Opinions, bloc: dict[str, int]) -> float:
    """Adjusted Rand index of the recovered groups against the planted blocs."""
    ids = sorted(result.membership)
    return float(adjusted_rand_score([bloc[p] for p in ids], [result.membership[p] for p in ids]))


def group_of_bloc(result: Opinions, bloc: dict[str, int], b: int) -> int:
    """The recovered group that holds most of planted bloc b."""
    found = Counter(g for p, g in result.membership.items() if bloc[p] == b)
    return found.most_common(1)[0][0]


def as_json(result: Opinions) -> bytes:
    return msgspec.json.encode(result)


def check_invariants(result: Opinions, min_group: int) -> None:
    """What holds for every result, whatever the votes."""
    assert len(result.points) == result.participants
    assert all(-1 <= p.x <= 1 and -1 <= p.y <= 1 for p in result.points)
    assert (result.groups == []) == (result.reason is not None)
    assert [g.id for g in result.groups] == list(range(len(result.groups)))
    sizes = [g.size for g in result.groups]
    assert sizes == sorted(sizes, reverse=True)
    assert all(size >= min_group for size in sizes)
    assert Counter(result.membership.values()) == {g.id: g.size for g in result.groups}
    assert Counter(p.group for p in result.points if p.group >= 0) == Counter(
        result.membership.values()
    )
    if result.groups:
        assert len(result.membership) == result.participants
    scores = [(-b.score, b.statement_id) for b in result.bridging]
    assert scores == sorted(scores)


# --- planted blocs -------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_two_blocs_are_recovered(seed: int) -> None:
    votes, bloc, ids = room([50, 50], 24, seed)
    result = opinion_groups(votes, ids, min_group=5)
    check_invariants(result, 5)
    assert len(result.groups) == 2
    assert ari(result, bloc) >= 0.9


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_three_blocs_are_recovered(seed: int) -> None:
    votes, bloc, ids = room([40, 50, 60], 30, seed)
    result = opinion_groups(votes, ids, min_group=5)
    check_invariants(result, 5)
    assert len(result.groups) == 3
    assert [g.size for g in result.groups] == [60, 50, 40]  # numbered by size, largest first
    assert ari(result, bloc) >= 0.9


@pytest.mark.parametrize("sizes", [[50, 50], [40, 50, 60]])
def test_representative_statements_are_the_blocs_own(sizes: list[int]) -> None:
    votes, bloc, ids = room(sizes, 30, 7)
    result = opinion_groups(votes, ids, min_group=5)
    blocs = len(sizes)
    for b in range(blocs):
        group = result.groups[group_of_bloc(result, bloc, b)]
        assert group.statements, f"bloc {b} has no representative statements"
        assert len(group.statements) <= 5
        for s in group.statements:
            own = int(s.statement_id[1:]) % blocs == b
            assert s.z >= 1.645
            # agreeing with its own statements, or disagreeing with another bloc's
            assert s.direction == ("agree" if own else "disagree"), s
            assert s.share_in_group > s.share_elsewhere
        assert any(s.direction == "agree" for s in group.statements)
        zs = [s.z for s in group.statements]
        assert zs == sorted(zs, reverse=True)


def test_bridging_puts_consensus_first_and_division_last() -> None:
    votes, bloc, ids = room([40, 50, 60], 24, 11)
    for pid, mine in votes.items():
        mine["consensus"] = "agree" if int(pid) % 10 else "pass"
        mine["divisive"] = "agree" if bloc[pid] == 0 else "disagree"
    result = opinion_groups(votes, [*ids, "consensus", "divisive"], min_group=5)
    assert len(result.groups) == 3
    assert result.bridging[0].statement_id == "consensus"
    assert result.bridging[0].agree_share == 0.9
    assert result.bridging[-1].statement_id == "divisive"
    assert len(result.bridging) == len(ids) + 2


# --- determinism ---------------------------------------------------------------------------


def shuffled(votes: Votes, seed: int) -> Votes:
    """The same votes, arriving in another order (participants and each person's votes)."""
    rng = random.Random(seed)
    people = list(votes.items())
    rng.shuffle(people)
    out: Votes = {}
    for pid, mine in people:
        items = list(mine.items())
        rng.shuffle(items)
        out[pid] = dict(items)
    return out


@pytest.mark.parametrize("sizes", [[50, 50], [40, 50, 60]])
def test_arrival_order_changes_nothing(sizes: list[int]) -> None:
    votes, _, ids = room(sizes, 24, 5)
    expected = as_json(opinion_groups(votes, ids, min_group=5))
    for seed in range(3):
        assert as_json(opinion_groups(shuffled(votes, seed), ids[::-1], min_group=5)) == expected


vote = st.sampled_from(CHOICES)
ballots = st.dictionaries(
    st.integers(1, 40).map(str),
    st.dictionaries(st.sampled_from([f"s{j}" for j in range(8)]), vote, min_size=2, max_size=8),
    min_size=4,
    max_size=40,
)


@settings(max_examples=40, deadline=None)
@given(ballots, st.integers(1, 4), st.randoms(use_true_random=False))
def test_any_votes_any_order(votes: Votes, min_group: int, rng: random.Random) -> None:
    """Random rooms: no crash, the invariants hold, and arrival order changes nothing."""
    ids = [f"s{j}" for j in range(8)]
    result = opinion_groups(votes, ids, min_group=min_group)
    check_invariants(result, min_group)
    again = opinion_groups(shuffled(votes, rng.randrange(1000)), ids, min_group=min_group)
    assert as_json(again) == as_json(result)


# --- small groups, few votes, edge cases ---------------------------------------------------


def test_a_bloc_under_min_group_is_never_a_group() -> None:
    votes, bloc, ids = room([40, 40, 3], 24, 3, missing=0.1, noise=0.0)
    small = {p for p, b in bloc.items() if b == 2}
    lenient = opinion_groups(votes, ids, min_group=2)
    assert sorted(g.size for g in lenient.groups) == [3, 40, 40]  # the 3 are clearly apart
    strict = opinion_groups(votes, ids, min_group=5)
    check_invariants(strict, 5)
    assert all(g.size >= 5 for g in strict.groups)
    assert len(strict.groups) == 2
    assert len({strict.membership[p] for p in small}) <= 2


def test_fewer_than_two_min_groups_of_people_gives_no_groups() -> None:
    votes, _, ids = room([5, 4], 12, 1, missing=0.0, noise=0.0)
    result = opinion_groups(votes, ids, min_group=5)
    check_invariants(result, 5)
    assert result.groups == []
    assert result.reason == TOO_FEW
    assert result.membership == {}
    assert {p.group for p in result.points} == {-1}
    assert len(result.points) == 9
    assert result.bridging  # consensus is still shown, with everyone as one group


def test_people_with_under_three_votes_are_left_out() -> None:
    votes, _, ids = room([30, 30], 12, 2, missing=0.0)
    votes["1001"] = {"s00": "agree", "s01": "agree"}
    votes["1002"] = {"s00": "disagree"}
    votes["1003"] = {"s00": "pass", "s01": "pass", "s02": "pass"}  # passes count as votes
    votes["1004"] = {"s00": "agree", "unknown": "agree", "s01": "maybe"}  # 1 valid vote
    result = opinion_groups(votes, ids, min_group=5)
    assert result.participants == 61
    assert len(result.points) == 61
    assert "1001" not in result.membership
    assert "1002" not in result.membership
    assert "1004" not in result.membership
    assert "1003" in result.membership


def test_no_votes() -> None:
    for votes in ({}, {"1": {}, "2": {"x": "agree"}}):
        result = opinion_groups(votes, ["s1", "s2"], min_group=5)
        assert result == Opinions(
            participants=0, groups=[], bridging=[], points=[], membership={}, reason=TOO_FEW
        )


def test_one_statement() -> None:
    votes = {str(i): {"s1": "agree" if i % 2 else "disagree"} for i in range(40)}
    result = opinion_groups(votes, ["s1"], min_group=5)
    assert result.participants == 0
    assert result.reason == TOO_FEW
    assert [(b.statement_id, b.agree_share) for b in result.bridging] == [("s1", 0.5)]
    loose = opinion_groups(votes, ["s1"], min_group=5, min_votes=1)
    check_invariants(loose, 5)
    assert loose.participants == 40
    assert ari(loose, {str(i): i % 2 for i in range(40)}) == 1.0


def test_everyone_identical() -> None:
    votes = {str(i): {"s1": "agree", "s2": "disagree", "s3": "pass"} for i in range(30)}
    result = opinion_groups(votes, ["s1", "s2", "s3"], min_group=5)
    check_invariants(result, 5)
    assert result.groups == []
    assert result.reason == NO_VARIANCE
    assert result.participants == 30
    assert {(p.x, p.y, p.group) for p in result.points} == {(0.0, 0.0, -1)}
    assert [b.statement_id for b in result.bridging] == ["s1", "s2", "s3"]
    assert result.bridging[0].agree_share == 1.0


def test_points_are_anonymous_arrays_in_unit_square() -> None:
    votes, _, ids = room([50, 50], 24, 1)
    result = opinion_groups(votes, ids, min_group=5)
    wire = msgspec.to_builtins(result)
    assert all(isinstance(p, list) and len(p) == 3 for p in wire["points"])
    assert max(max(abs(p.x), abs(p.y)) for p in result.points) == 1.0
