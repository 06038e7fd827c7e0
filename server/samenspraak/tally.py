"""Pure per-kind tallies. Each answer change is `replace(who, key, old, new)` in O(1);
`snapshot()` builds the wire form. The database is the truth; these are rebuilt from it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any, Protocol

from . import model as m


class PromptTally(Protocol):
    def replace(self, who: str, key: str, old: Any, new: Any) -> None: ...
    def people(self) -> int: ...
    def snapshot(self) -> m.Tally: ...


def _round(x: float) -> float:
    return round(x, 4)


class DilemmaCount:
    def __init__(self, spec: m.DilemmaIn) -> None:
        self.bins = [0] * spec.bins
        self.n = 0
        self.total = 0
        self.total_sq = 0
        self.middle = 0

    def _bin(self, v: int) -> int:
        return min(v * len(self.bins) // 100, len(self.bins) - 1)

    def _add(self, v: int, sign: int) -> None:
        self.bins[self._bin(v)] += sign
        self.n += sign
        self.total += sign * v
        self.total_sq += sign * v * v
        self.middle += sign * (40 <= v <= 60)

    def replace(self, who: str, key: str, old: Any, new: Any) -> None:
        if old is not None:
            self._add(old, -1)
        if new is not None:
            self._add(new, 1)

    def people(self) -> int:
        return self.n

    def snapshot(self) -> m.DilemmaTally:
        if self.n == 0:
            return m.DilemmaTally(
                n=0, bins=list(self.bins), mean=None, middle_share=None, polarisation=None
            )
        mean = self.total / self.n
        # variance of v/100, exact from integer sums; /0.25 maps two camps at 0 and 100 to 1.
        variance = (self.total_sq / self.n - mean * mean) / 10_000
        return m.DilemmaTally(
            n=self.n,
            bins=list(self.bins),
            mean=_round(mean),
            middle_share=_round(self.middle / self.n),
            polarisation=_round(max(0.0, variance) / 0.25),
        )


class ScaleCount:
    def __init__(self, spec: m.ScaleIn) -> None:
        self.counts = {str(v): 0 for v in range(spec.min, spec.max + 1)}
        self.n = 0
        self.total = 0

    def replace(self, who: str, key: str, old: Any, new: Any) -> None:
        for v, sign in ((old, -1), (new, 1)):
            if v is not None:
                self.counts[str(v)] += sign
                self.n += sign
                self.total += sign * v

    def people(self) -> int:
        return self.n

    def snapshot(self) -> m.ScaleTally:
        mean = _round(self.total / self.n) if self.n else None
        return m.ScaleTally(n=self.n, counts=dict(self.counts), mean=mean)


class ChoiceCount:
    def __init__(self, spec: m.ChoiceIn) -> None:
        self.counts = {o.id: 0 for o in spec.options}
        self.n = 0

    def replace(self, who: str, key: str, old: Any, new: Any) -> None:
        for v, sign in ((old, -1), (new, 1)):
            if v is None:
                continue
            self.n += sign
            for option in [v] if isinstance(v, str) else v:
                self.counts[option] += sign

    def people(self) -> int:
        return self.n

    def snapshot(self) -> m.ChoiceTally:
        return m.ChoiceTally(n=self.n, counts=dict(self.counts))


class WordsCount:
    def __init__(self, spec: m.WordsIn) -> None:
        self.counts: Counter[str] = Counter()
        self.n = 0

    def replace(self, who: str, key: str, old: Any, new: Any) -> None:
        for v, sign in ((old, -1), (new, 1)):
            if v is None:
                continue
            self.n += sign
            for word in set(v):
                self.counts[word] += sign
                if self.counts[word] == 0:
                    del self.counts[word]

    def people(self) -> int:
        return self.n

    def snapshot(self, skip: Callable[[str], bool] | None = None) -> m.WordsTally:
        """The 50 most given words; `skip`: words held back (the word filter) are left out
        before the top 50 is taken."""
        items = (
            self.counts.items()
            if skip is None
            else [i for i in self.counts.items() if not skip(i[0])]
        )
        top = sorted(items, key=lambda wc: (-wc[1], wc[0]))[:50]
        return m.WordsTally(n=self.n, words=[m.WordCount(word=w, count=c) for w, c in top])


class _PerPerson:
    """Counts people with at least one answer when a person can give several (cards, votes)."""

    def __init__(self) -> None:
        self.per_person: Counter[str] = Counter()

    def _person(self, who: str, old: Any, new: Any) -> None:
        delta = (new is not None) - (old is not None)
        if delta:
            self.per_person[who] += delta
            if self.per_person[who] == 0:
                del self.per_person[who]

    def people(self) -> int:
        return len(self.per_person)


class OpenCards(_PerPerson):
    """Cards keyed by card id; a card value is a `m.Card` (status decides visibility)."""

    def __init__(self, spec: m.OpenIn) -> None:
        super().__init__()
        self.moderated = spec.moderated
        self.cards: dict[str, m.Card] = {}

    def replace(self, who: str, key: str, old: Any, new: Any) -> None:
        self._person(who, old, new)
        if new is None:
            self.cards.pop(key, None)
        else:
            self.cards[key] = new

    def visible(self, card: m.Card) -> bool:
        return card.status == "approved" or (not self.moderated and card.status == "pending")

    def snapshot(self) -> m.OpenTally:
        shown = [
            m.CardOut(id=c.id, text=c.text, category=c.category)
            for c in self.cards.values()
            if self.visible(c)
        ]
        categories = Counter(c.category or "" for c in shown)
        return m.OpenTally(
            n=self.people(), cards=shown, categories=dict(sorted(categories.items()))
        )


class StatementVotes(_PerPerson):
    """Votes per statement; residents' proposed statements arrive as cards (`m.Card` values)
    and count as statements only while approved."""

    def __init__(self, spec: m.StatementsIn) -> None:
        super().__init__()
        self.texts = {s.id: s.text for s in spec.statements}
        self.fixed = set(self.texts)
        self.votes = {s.id: {"agree": 0, "disagree": 0, "pass": 0} for s in spec.statements}

    def replace(self, who: str, key: str, old: Any, new: Any) -> None:
        if isinstance(new, m.Card):
            self._proposal(new)
            return
        if isinstance(old, m.Card):  # a resident removed their answers, their statement too
            if old.id not in self.fixed:
                self.texts.pop(old.id, None)
            return
        self._person(who, old, new)
        counts = self.votes.setdefault(key, {"agree": 0, "disagree": 0, "pass": 0})
        if old is not None:
            counts[old] -= 1
        if new is not None:
            counts[new] += 1

    def _proposal(self, card: m.Card) -> None:
        if card.status == "approved":
            self.texts[card.id] = card.text
            self.votes.setdefault(card.id, {"agree": 0, "disagree": 0, "pass": 0})
        elif card.id not in self.fixed:
            self.texts.pop(card.id, None)  # its votes stay stored, but it is not shown

    def snapshot(self) -> m.StatementsTally:
        return m.StatementsTally(
            n=self.people(),
            statements=[
                m.StatementCount(
                    id=sid,
                    text=self.texts[sid],
                    agree=v["agree"],
                    disagree=v["disagree"],
                    pass_=v["pass"],
                )
                for sid, v in self.votes.items()
                if sid in self.texts
            ],
        )


_BY_KIND: dict[type[Any], Any] = {
    m.DilemmaIn: DilemmaCount,
    m.ScaleIn: ScaleCount,
    m.ChoiceIn: ChoiceCount,
    m.OpenIn: OpenCards,
    m.WordsIn: WordsCount,
    m.StatementsIn: StatementVotes,
}


class Frozen:
    """A tally kept only as its aggregate after the retention purge (the raw text is gone)."""

    def __init__(self, snapshot: m.Tally) -> None:
        self._snapshot = snapshot
        self._n = getattr(snapshot, "n", 0)

    def replace(self, who: str, key: str, old: Any, new: Any) -> None:
        pass  # a purged session is closed: nothing can change it

    def people(self) -> int:
        return int(self._n)

    def snapshot(self) -> m.Tally:
        return self._snapshot


def new_tally(spec: m.PromptIn) -> PromptTally:
    tally: PromptTally = _BY_KIND[type(spec)](spec)
    return tally


def public(tally: PromptTally, kind: str, min_group: int) -> m.Tally:
    """What residents and projectors may see: nothing but n while fewer than min_group answered."""
    n = tally.people()
    if n < min_group:
        return m.HiddenTally(kind=kind, n=n)
    return tally.snapshot()
