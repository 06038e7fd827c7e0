"""The garbage collector when thousands of sockets stay open.

Measured (`python -m bench live --phones 5000`, see docs/performance.md): every open socket keeps
about 115 objects alive (protocol state, ASGI scope, tasks, our client). CPython's full
(generation 2) collection walks every tracked object; at 723,000 objects it held the event loop for
388 ms in the middle of a vote burst, and every ack and projector update waited behind it. With the
default thresholds a full collection comes every time the old generation grew by a quarter, which
during voting (stored answers, tallies) was about once per 10 s.

The policy: while MANY or more sockets are open, the objects that survived a young collection are
moved out of the collector's reach every EVERY seconds (`gc.freeze`). Frozen objects are still
freed by reference counting when their socket closes; only reference cycles among them wait. Those
are reclaimed by a full collection (`gc.unfreeze`, `gc.collect`) as soon as fewer than FEW sockets
are open — then it is short; FEW is half of MANY, so a hall hovering around MANY does not get one
every few seconds — and at the latest every FULL_EVERY seconds. Young collections run as
usual throughout, so short-lived cycles (a message, a request) are collected at once.

Cycles are not rare, though: a closed socket leaves about 75 objects in reference cycles
(websockets' parser generator holds its connection; uvicorn's protocol and the ASGI scope hold
each other), about 20 KB. Measured (`python -m bench churn`, 600 sockets kept open, 5 × 900 phones coming and going):
18 MB more per round, 378,911 unreachable objects at the end. So a full collection also runs once
CHURN sockets have closed since the last one: at most ~40 MB waits, for one pause (about 0.5 s
with 5,000 sockets open) per CHURN reconnections instead of one per ~10 s of voting."""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from collections.abc import Callable

log = logging.getLogger("samenspraak.gc")

MANY = 500  # open sockets; below this a full collection takes a few tens of milliseconds
FEW = MANY // 2
CHURN = 2000  # sockets closed since the last full collection
EVERY = 2.0
FULL_EVERY = 30 * 60.0


class GcPolicy:
    def __init__(self, sockets: Callable[[], int], closed: Callable[[], int] = lambda: 0) -> None:
        self.sockets = sockets  # open now
        self.closed = closed  # closed since start
        self.closed_at_full = 0
        self.holding = False  # objects frozen because many sockets were open
        self.last_full = time.monotonic()
        self.fulls = 0

    def start(self) -> None:
        """What start-up loaded (modules, the app, the schema) lives as long as the process."""
        gc.collect()
        gc.freeze()

    def step(self, now: float) -> None:
        if (
            now - self.last_full >= FULL_EVERY
            or (self.holding and self.sockets() < FEW)
            or (self.holding and self.closed() - self.closed_at_full >= CHURN)
        ):
            self.full(now)
        elif self.sockets() >= MANY:
            gc.collect(1)  # young cycles go first: they must not be frozen
            gc.freeze()
            self.holding = True

    def full(self, now: float) -> int:
        started = time.perf_counter()
        gc.unfreeze()
        found = gc.collect()
        gc.freeze()
        self.holding = False
        self.last_full = now
        self.closed_at_full = self.closed()
        self.fulls += 1
        log.info(
            "full garbage collection: %d unreachable objects, %.0f ms, %d sockets open",
            found,
            (time.perf_counter() - started) * 1000,
            self.sockets(),
        )
        return found

    async def run(self) -> None:
        self.start()
        while True:
            await asyncio.sleep(EVERY)
            try:
                self.step(time.monotonic())
            except Exception:  # never let housekeeping end the server
                log.exception("garbage collection step failed")
