"""Dilemma results split by opinion group, and the shift of a before/after dilemma pair.

Pure functions over answers (participant -> value on the 0–100 dilemma scale); every figure
of fewer than `min_group` people is hidden, like every other result."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .. import model as m
from ..tally import DilemmaCount

MIDDLE = (40, 60)  # the middle band of a dilemma, as in tally.DilemmaCount
MOVED = 5  # points a person must move to count as moving toward or away from the centre


def side(values: Iterable[int], bins: int, min_group: int) -> m.DilemmaSide:
    count = DilemmaCount(m.DilemmaIn(title="-", left="-", right="-", bins=bins))
    for v in values:
        count.replace("", "", None, v)
    if count.n < min_group:
        return m.DilemmaSide(n=count.n, hidden=True)
    snap = count.snapshot()
    return m.DilemmaSide(n=snap.n, bins=snap.bins, mean=snap.mean, middle_share=snap.middle_share)


def by_group(
    answers: Mapping[int, int],
    membership: Mapping[str, int],
    groups: int,
    bins: int,
    min_group: int,
) -> list[m.GroupDilemma]:
    """The dilemma's distribution per opinion group (people outside every group are left out).

    All groups are hidden together when one is small, or when the people outside every group
    are fewer than min_group (but not none): otherwise the whole result minus the shown parts
    would give away the small part."""
    values: list[list[int]] = [[] for _ in range(groups)]
    outside = 0
    for who, value in answers.items():
        group = membership.get(str(who))
        if group is not None and 0 <= group < groups:
            values[group].append(value)
        else:
            outside += 1
    small = any(len(v) < min_group for v in values) or 0 < outside < min_group
    out = []
    for group, vals in enumerate(values):
        s = side(vals, bins, min_group) if not small else m.DilemmaSide(n=len(vals), hidden=True)
        out.append(
            m.GroupDilemma(
                group=group,
                n=s.n,
                hidden=s.hidden,
                bins=s.bins,
                mean=s.mean,
                middle_share=s.middle_share,
            )
        )
    return out


def _in_middle(v: int) -> bool:
    return MIDDLE[0] <= v <= MIDDLE[1]


def shift(
    pair: str,
    before_prompt_id: str,
    before: Mapping[int, int],
    after: Mapping[int, int],
    bins: int,
    min_group: int,
) -> m.PairShift:
    """Overall: each prompt's own respondents. Paired: only people who answered both."""
    overall_before = side(before.values(), bins, min_group)
    overall_after = side(after.values(), bins, min_group)
    out = m.PairShift(pair=pair, before_prompt_id=before_prompt_id, overall_before=overall_before)
    if not overall_before.hidden and not overall_after.hidden:
        mean_after = sum(after.values()) / len(after)
        out.mean_shift = round(mean_after - sum(before.values()) / len(before), 4)
        if overall_before.middle_share is not None and overall_after.middle_share is not None:
            out.middle_shift = round(overall_after.middle_share - overall_before.middle_share, 4)
    both = sorted(set(before) & set(after))
    # paired figures beside the overall ones must not give away the few who answered once
    unpaired = (len(before) - len(both), len(after) - len(both))
    if len(both) < min_group or any(0 < u < min_group for u in unpaired):
        out.paired = m.PairedShift(n=len(both), hidden=True)
        return out
    pairs = [(before[w], after[w]) for w in both]
    n = len(pairs)
    mean_before = sum(b for b, _ in pairs) / n
    mean_after = sum(a for _, a in pairs) / n
    out.paired = m.PairedShift(
        n=n,
        mean_before=round(mean_before, 4),
        mean_after=round(mean_after, 4),
        mean_shift=round(mean_after - mean_before, 4),
        middle_before=round(sum(_in_middle(b) for b, _ in pairs) / n, 4),
        middle_after=round(sum(_in_middle(a) for _, a in pairs) / n, 4),
        to_middle=sum(not _in_middle(b) and _in_middle(a) for b, a in pairs),
        from_middle=sum(_in_middle(b) and not _in_middle(a) for b, a in pairs),
        toward_centre=sum(abs(a - 50) < abs(b - 50) - MOVED for b, a in pairs),
        away_from_centre=sum(abs(a - 50) > abs(b - 50) + MOVED for b, a in pairs),
    )
    return out


BINDS_PER_GROUP = 0.6


def binds(score: float, agree_share: float, groups: int) -> bool:
    """A statement binds the room when most of every group agrees: the per-group mean of the
    bridging score (its geometric mean over the groups) is at least 0.6, and a majority of all
    voters agrees. The bridging list itself ranks every statement, also divisive ones."""
    return agree_share >= 0.5 and score ** (1 / max(1, groups)) >= BINDS_PER_GROUP


def pairs_of(rows: Iterable[tuple[str, int, m.PromptIn]]) -> dict[str, tuple[str, str]]:
    """pair key -> (before prompt id, after prompt id) from (id, position, spec) of a session:
    the earliest and the latest dilemma with that key (a key on one prompt only: no pair)."""
    found: dict[str, list[tuple[int, str]]] = {}
    for pid, position, spec in rows:
        if isinstance(spec, m.DilemmaIn) and spec.pair:
            found.setdefault(spec.pair, []).append((position, pid))
    out = {}
    for key, members in found.items():
        if len(members) >= 2:
            members.sort()
            out[key] = (members[0][1], members[-1][1])
    return out
