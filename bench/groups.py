"""Opinion groups (samenspraak.insight.groups) on a large room: time per computation, and how late a
10 ms ticker on the event loop fires while it runs in a thread, in a warm worker process, or
(for scale) right on the loop, against an idle period of the same length in the same run.

`thread_omp2` is the thread variant with k-means on 2 OpenMP threads (sklearn's default on a
2-core machine) instead of the module's 1, to show why the module limits it."""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import statistics
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import click
import numpy as np

from samenspraak.insight import groups as groups_module
from samenspraak.insight.groups import Opinions, opinion_groups

from .report import pct, save

TICK = 0.010
CHOICES = np.array(["agree", "disagree", "pass"])


def _room(
    participants: int, statements: int, blocs: int, missing: float, seed: int
) -> tuple[dict[str, dict[str, str]], list[str]]:
    """Planted blocs: 0.85 agree with the bloc's own statements, 0.85 disagree with the others',
    10 % random votes, `missing` of the votes absent."""
    rng = np.random.default_rng(seed)
    ids = [f"s{j:03d}" for j in range(statements)]
    bloc = np.arange(participants) % blocs
    own = (np.arange(statements)[None, :] % blocs) == bloc[:, None]
    r = rng.random((participants, statements))
    likely = np.where(own, 0, 1)  # agree on own, disagree on others'
    choice = np.where(r < 0.85, likely, np.where(r < 0.925, 2, 1 - likely))
    noisy = rng.random((participants, statements)) < 0.1
    choice = np.where(noisy, rng.integers(0, 3, (participants, statements)), choice)
    present = rng.random((participants, statements)) >= missing
    names = CHOICES[choice]
    votes = {
        str(i + 1): {ids[j]: str(names[i, j]) for j in np.flatnonzero(present[i])}
        for i in range(participants)
    }
    return votes, ids


def _lag(samples: list[float]) -> dict[str, float | None]:
    """p50 / p99 / max of the ticker's lateness, in ms."""
    out: dict[str, float | None] = {}
    for name, p in (("p50", 50.0), ("p99", 99.0), ("max", 100.0)):
        v = pct(samples, p)
        out[name] = round(v * 1000, 2) if v is not None else None
    out["ticks"] = len(samples)
    return out


def _times(samples: list[float]) -> dict[str, float]:
    return {
        "median_ms": round(statistics.median(samples) * 1000, 1),
        "max_ms": round(max(samples) * 1000, 1),
    }


class Ticker:
    """A 10 ms ticker on the loop recording how late each tick fires."""

    def __init__(self) -> None:
        self.samples: list[float] = []
        self.task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            due = loop.time() + TICK
            await asyncio.sleep(TICK)
            self.samples.append(max(0.0, loop.time() - due))

    def start(self) -> None:
        self.task = asyncio.create_task(self._run())

    async def measure(self, work: Callable[[], Awaitable[None]]) -> list[float]:
        """Ticker lateness while `work` runs."""
        await asyncio.sleep(TICK * 3)  # let the previous phase settle
        self.samples = []
        await work()
        return list(self.samples)


def _compute(votes: dict[str, dict[str, str]], ids: list[str], min_group: int) -> Opinions:
    return opinion_groups(votes, ids, min_group=min_group)


async def _phases(
    votes: dict[str, dict[str, str]], ids: list[str], min_group: int, runs: int
) -> dict[str, Any]:
    loop = asyncio.get_running_loop()
    ticker = Ticker()
    ticker.start()
    spans: dict[str, list[float]] = {"thread": [], "thread_omp2": [], "process": [], "on_loop": []}

    def in_thread(name: str) -> Callable[[], Awaitable[None]]:
        async def work() -> None:
            for _ in range(runs):
                t0 = time.perf_counter()
                await asyncio.to_thread(_compute, votes, ids, min_group)
                spans[name].append(time.perf_counter() - t0)

        return work

    thread_lag = await ticker.measure(in_thread("thread"))
    groups_module.KMEANS_THREADS = 2  # sklearn's default on a 2-core machine
    omp2_lag = await ticker.measure(in_thread("thread_omp2"))
    groups_module.KMEANS_THREADS = 1
    busy = sum(spans["thread"])

    async def idle() -> None:
        await asyncio.sleep(busy)

    idle_lag = await ticker.measure(idle)

    with ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("spawn")) as pool:
        t0 = time.perf_counter()
        await loop.run_in_executor(pool, _compute, votes, ids, min_group)
        cold = time.perf_counter() - t0

        async def in_process() -> None:
            for _ in range(runs):
                t0 = time.perf_counter()
                await loop.run_in_executor(pool, _compute, votes, ids, min_group)
                spans["process"].append(time.perf_counter() - t0)

        process_lag = await ticker.measure(in_process)

    async def on_loop() -> None:
        for _ in range(runs):
            t0 = time.perf_counter()
            _compute(votes, ids, min_group)  # blocks the loop: what not to do, for scale
            spans["on_loop"].append(time.perf_counter() - t0)
            await asyncio.sleep(TICK)  # let the ticker fire between computations

    loop_lag = await ticker.measure(on_loop)
    assert ticker.task is not None
    ticker.task.cancel()
    return {
        "idle": {"seconds": round(busy, 3), "lag_ms": _lag(idle_lag)},
        "thread": {**_times(spans["thread"]), "lag_ms": _lag(thread_lag)},
        "thread_omp2": {**_times(spans["thread_omp2"]), "lag_ms": _lag(omp2_lag)},
        "process": {
            **_times(spans["process"]),
            "first_call_ms": round(cold * 1000, 1),
            "lag_ms": _lag(process_lag),
        },
        "on_loop": {**_times(spans["on_loop"]), "lag_ms": _lag(loop_lag)},
    }


def _table(direct: dict[str, float], phases: dict[str, Any]) -> None:
    print(f"opinion_groups, direct: median {direct['median_ms']} ms, max {direct['max_ms']} ms")
    print(
        f"{'variant':<12}{'median ms':>11}{'max ms':>9}{'lag p50':>9}{'lag p99':>9}{'lag max':>9}"
    )
    for name in ("idle", "thread", "thread_omp2", "process", "on_loop"):
        row = phases[name]
        lag = row["lag_ms"]
        print(
            f"{name:<12}{row.get('median_ms', '-'):>11}{row.get('max_ms', '-'):>9}"
            f"{lag['p50']:>9}{lag['p99']:>9}{lag['max']:>9}"
        )


@click.command()
@click.option("--participants", default=2000, show_default=True)
@click.option("--statements", default=60, show_default=True)
@click.option("--blocs", default=3, show_default=True)
@click.option("--missing", default=0.3, show_default=True, help="share of votes not cast")
@click.option("--runs", default=5, show_default=True)
@click.option("--min-group", default=5, show_default=True)
def groups(
    participants: int, statements: int, blocs: int, missing: float, runs: int, min_group: int
) -> None:
    """Time of opinion_groups, and event-loop lag with it in a thread vs a process."""
    votes, ids = _room(participants, statements, blocs, missing, seed=0)
    _compute(votes, ids, min_group)  # warm-up (imports, first allocation)
    direct = []
    for _ in range(runs):
        t0 = time.perf_counter()
        result = _compute(votes, ids, min_group)
        direct.append(time.perf_counter() - t0)
    phases = asyncio.run(_phases(votes, ids, min_group, runs))
    _table(_times(direct), phases)
    save(
        "groups",
        {
            "params": {
                "participants": participants,
                "statements": statements,
                "blocs": blocs,
                "missing": missing,
                "runs": runs,
                "min_group": min_group,
                "tick_ms": TICK * 1000,
            },
            "result": {
                "participants": result.participants,
                "groups": [g.size for g in result.groups],
            },
            "direct": _times(direct),
            **phases,
        },
    )
