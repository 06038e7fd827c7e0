"""The collector policy: freeze while many sockets are open, a full collection once they are few."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from samenspraak import gcpolicy
from samenspraak.gcpolicy import GcPolicy


class Cycle:
    def __init__(self) -> None:
        self.me = self


@pytest.fixture(autouse=True)
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_many_sockets_freeze_survivors_and_few_sockets_reclaim_their_cycles() -> None:
    open_sockets = [gcpolicy.MANY]
    policy = GcPolicy(lambda: open_sockets[0])
    policy.start()
    kept = [Cycle() for _ in range(1000)]  # a socket's long-lived objects, in cycles
    policy.step(now=policy.last_full + 1)
    assert policy.holding
    frozen = gc.get_freeze_count()
    assert frozen >= 1000
    del kept  # the sockets close: their cycles are garbage, but frozen
    assert gc.collect() < 1000  # an ordinary full collection cannot see them
    open_sockets[0] = gcpolicy.MANY - 1  # hovering just under MANY: nothing yet
    policy.step(now=policy.last_full + 2)
    assert policy.holding and policy.fulls == 0
    open_sockets[0] = gcpolicy.FEW - 1
    policy.step(now=policy.last_full + 3)
    assert not policy.holding
    assert policy.fulls == 1
    assert gc.get_freeze_count() < frozen - 900  # reclaimed, and the rest frozen again


def test_few_sockets_leave_the_collector_alone_until_the_full_interval() -> None:
    policy = GcPolicy(lambda: 3)
    policy.start()
    start = policy.last_full
    policy.step(now=start + 10)
    assert not policy.holding and policy.fulls == 0
    policy.step(now=start + gcpolicy.FULL_EVERY)
    assert policy.fulls == 1


def test_many_sockets_still_get_a_full_collection_at_the_interval() -> None:
    policy = GcPolicy(lambda: gcpolicy.MANY * 10)
    policy.start()
    start = policy.last_full
    policy.step(now=start + 1)
    assert policy.holding
    garbage = [Cycle() for _ in range(10)]
    policy.step(now=start + 2)  # frozen with the rest
    del garbage
    assert policy.full(now=start + gcpolicy.FULL_EVERY) >= 10


def test_many_sockets_coming_and_going_bring_the_full_collection_forward() -> None:
    """A closed socket leaves its cycles frozen: after CHURN closes they are reclaimed, even
    while the hall stays full."""
    closed = [0]
    policy = GcPolicy(lambda: gcpolicy.MANY * 10, lambda: closed[0])
    policy.start()
    start = policy.last_full
    policy.step(now=start + 1)
    garbage = [Cycle() for _ in range(100)]
    policy.step(now=start + 2)
    del garbage
    closed[0] = gcpolicy.CHURN - 1
    policy.step(now=start + 3)
    assert policy.fulls == 0
    closed[0] = gcpolicy.CHURN
    policy.step(now=start + 4)
    assert policy.fulls == 1 and not policy.holding
    policy.step(now=start + 5)  # counted from the last full collection
    assert policy.fulls == 1 and policy.holding
