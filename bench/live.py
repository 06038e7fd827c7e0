"""N phones and P projectors over real WebSockets against a real server, and the same load client
against a bare `websockets` broadcast server (the baseline), in one run. Ratios are what count:
the machine is shared.

One run of our server:
1. N phones join over HTTP and connect (bench/phones.py, --processes worker processes), then
   --presenters projector sockets with one-use tickets.
2. Idle fan-out, --fanouts times: a facilitator shows a new prompt (HTTP POST); time from just
   before the POST until each phone has the `prompt` frame.
3. Votes: the phones send --rate votes/s (open loop) for --seconds on one prompt. Meanwhile a
   probe phone flips its answer on another prompt every 0.2 s and we time until every projector
   shows the flip (vote → projector), and half-way a new prompt is shown (fan-out under load).
The baseline run does 1–3 with the same client (without projectors: it has no tallies).
Client and server CPU are read from /proc, so a saturated load client shows in the figures."""

from __future__ import annotations

import asyncio
import json
import multiprocessing as mp
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import Any

import click
import httpx
import websockets

from .phones import worker
from .procinfo import cpu_pressure_us, cpu_seconds, rss_bytes, sys_seconds
from .report import pct, save

PASSWORD = "bench-password-long-enough"
FANOUT_WAIT = 3.0  # phones still without the prompt after 3 s count as missed (target: 1 s)
PY_SPY = Path(sys.executable).with_name("py-spy")
Arrivals = tuple[list[float | None], list[float | None]]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_up(url: str, proc: subprocess.Popen[bytes]) -> None:
    for _ in range(600):
        if proc.poll() is not None:
            raise SystemExit("server exited during start-up")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.05)
    raise SystemExit("server did not start")


def _ms(values: list[float]) -> dict[str, float | None]:
    out: dict[str, float | None] = {"min": round(min(values) * 1000, 2) if values else None}
    for p in (50, 95, 99):
        v = pct(values, p)
        out[f"p{p}"] = round(v * 1000, 2) if v is not None else None
    out["max"] = round(max(values) * 1000, 2) if values else None
    return out


class Fleet:
    """Worker processes holding the phones."""

    def __init__(self, url: str, hellos: list[dict[str, Any]], processes: int) -> None:
        self.pipes = []
        self.procs = []
        ctx = mp.get_context("spawn")
        for i in range(processes):
            parent, child = ctx.Pipe()
            proc = ctx.Process(target=worker, args=(url, hellos[i::processes], child), daemon=True)
            proc.start()
            self.pipes.append(parent)
            self.procs.append(proc)
        for pipe in self.pipes:
            assert pipe.recv()[0] == "ready"

    def ask(self, command: tuple[Any, ...]) -> list[Any]:
        for pipe in self.pipes:
            pipe.send(command)
        return [pipe.recv() for pipe in self.pipes]

    def cpu(self) -> list[float]:
        return [cpu_seconds(proc.pid) for proc in self.procs if proc.pid is not None]

    def prompt_times(self, pid: str) -> tuple[Arrivals, int]:
        """When each phone's socket got the prompt (kernel timestamp), and when the load client
        read it; the largest prompt frame seen."""
        answers = self.ask(("prompt_times", pid))
        arrived = [t for a in answers for t in a["arrived"]]
        read = [t for a in answers for t in a["read"]]
        return (arrived, read), max(a["bytes"] for a in answers)

    def close(self) -> None:
        self.ask(("close",))
        for proc in self.procs:
            proc.join(10)


class Meter:
    """CPU seconds of the server and of each client process over one phase."""

    def __init__(self, server: int, fleet: Fleet) -> None:
        self.server, self.fleet = server, fleet
        self.s0, self.c0, self.w0 = cpu_seconds(server), fleet.cpu(), time.perf_counter()
        self.p0 = cpu_pressure_us()

    def read(self) -> dict[str, Any]:
        wall = time.perf_counter() - self.w0
        server = cpu_seconds(self.server) - self.s0
        clients = [b - a for a, b in zip(self.c0, self.fleet.cpu(), strict=True)]
        return {
            "wall_s": round(wall, 2),
            "server_cpu_s": round(server, 3),
            "server_cpu_share": round(server / wall, 2),
            "client_cpu_s": [round(c, 3) for c in clients],
            "client_cpu_share": [round(c / wall, 2) for c in clients],
            # the machine is shared: the share of the phase in which a runnable task waited
            "machine_cpu_pressure": round((cpu_pressure_us() - self.p0) / 1e6 / wall, 2),
        }


FANOUT_CPU_WINDOW = 1.0  # a fan-out's server CPU is read over the 1 s from the show on


class FanoutCpu:
    """Server and client CPU in the FANOUT_CPU_WINDOW after each show (both servers also answer
    keepalive pings every 20 s: over 1 s that is a few ms at most)."""

    def __init__(self, server: int, fleet: Fleet) -> None:
        self.server, self.fleet = server, fleet
        self.server_s: list[float] = []
        self.server_sys_s: list[float] = []
        self.client_s: list[float] = []

    async def around(self, show: Callable[[], Awaitable[float]]) -> float:
        s0, k0, c0 = cpu_seconds(self.server), sys_seconds(self.server), sum(self.fleet.cpu())
        t0 = float(await show())
        await asyncio.sleep(max(0.0, t0 + FANOUT_CPU_WINDOW - time.time()))
        self.server_s.append(cpu_seconds(self.server) - s0)
        self.server_sys_s.append(sys_seconds(self.server) - k0)
        self.client_s.append(sum(self.fleet.cpu()) - c0)
        return t0

    def read(self) -> dict[str, Any]:
        n = len(self.server_s) or 1
        return {
            "server_cpu_per_fanout_ms": round(sum(self.server_s) / n * 1000, 1),
            "server_kernel_cpu_per_fanout_ms": round(sum(self.server_sys_s) / n * 1000, 1),
            "clients_cpu_per_fanout_ms": round(sum(self.client_s) / n * 1000, 1),
        }


class Spy:
    """py-spy on the server for one phase (optional): raw collapsed stacks, for reading as text."""

    def __init__(self, pid: int, out: str | None) -> None:
        self.proc = None
        if out:
            self.proc = subprocess.Popen(
                [str(PY_SPY), "record", "-r", "500", "-f", "raw"] + ["-o", out, "--pid", str(pid)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(1.0)  # py-spy attaches

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.send_signal(signal.SIGINT)
            self.proc.wait(30)


def _fanout(times: list[float | None], t0: float) -> tuple[list[float], int]:
    return [t - t0 for t in times if t is not None], sum(t is None for t in times)


def _fanouts(runs: list[tuple[Arrivals, float]]) -> dict[str, Any]:
    """Several fan-outs: the pooled latencies to the phones' sockets, each fan-out's p99, the
    phones that missed one, and (for comparison) the p99 of when the load client read them."""
    pooled: list[float] = []
    read: list[float] = []
    each: list[float | None] = []
    missed = 0
    for (arrived, seen), t0 in runs:
        lat, miss = _fanout(arrived, t0)
        pooled += lat
        read += _fanout(seen, t0)[0]
        missed += miss
        p99 = pct(lat, 99)
        each.append(round(p99 * 1000, 2) if p99 is not None else None)
    client = pct(read, 99)
    return {
        **_ms(pooled),
        "each_p99": each,
        "phones_missing_prompt": missed,
        "read_by_client_p99": round(client * 1000, 2) if client is not None else None,
    }


def _per_second(samples: list[tuple[float, float]], t0: float) -> list[int]:
    """The slowest latency (ms) among the samples taken in each second after t0."""
    worst: dict[int, float] = {}
    for at, lat in samples:
        second = max(0, int(at - t0))
        worst[second] = max(worst.get(second, 0.0), lat)
    return [round(worst.get(i, 0) * 1000) for i in range(max(worst, default=-1) + 1)]


def _votes(answers: list[dict[str, Any]]) -> dict[str, Any]:
    acks = [lat for a in answers for lat in a["ack_latency"]]
    first = min(a["first_send"] for a in answers)
    last = max(a["last_ack"] for a in answers)
    acked = sum(a["acked"] for a in answers)
    return {
        "ack_ms": _ms(acks),
        "slowest_ack_ms_per_second": _per_second(
            [
                (t, lat)
                for a in answers
                for t, lat in zip(a["ack_sent"], a["ack_latency"], strict=True)
            ],
            first,
        ),
        "sent": sum(a["sent"] for a in answers),
        "acked": acked,
        "unacked": sum(a["unacked"] for a in answers),
        # durable acks over the time from the first vote sent to the last ack received
        "acked_votes_per_s": round(acked / (last - first)) if last > first else 0,
        "messages_to_phones_per_s": round(sum(a["messages_per_s"] for a in answers)),
        "error_frames": sum(a["errors"] for a in answers),
        "resyncs": sum(a["resyncs"] for a in answers),
        "sockets_closed": sum(a["closed"] for a in answers),
    }


class Projectors:
    """Presenter sockets: read everything, time the probe's flips on every one of them."""

    def __init__(self, sockets: list[Any]) -> None:
        self.sockets = sockets
        self.expect: tuple[str, int, float, list[asyncio.Future[float]]] | None = None
        self.messages = 0
        self.resyncs = 0
        self.closed = 0
        self.when: list[tuple[float, float]] = []  # (flip sent, latency) per projector
        self.tasks = [asyncio.create_task(self._read(i, ws)) for i, ws in enumerate(sockets)]

    async def _read(self, i: int, ws: Any) -> None:
        try:
            async for raw in ws:
                self.messages += 1
                message = json.loads(raw)
                kind = message.get("type")
                if kind == "welcome":  # the first one was read before: this is a resync
                    self.resyncs += 1
                elif kind == "results" and self.expect is not None:
                    pid, value, sent, futures = self.expect
                    counts = message["tally"].get("counts", {})
                    if (
                        message["prompt_id"] == pid
                        and counts.get(str(value)) == 1
                        and not futures[i].done()
                    ):
                        futures[i].set_result(time.perf_counter() - sent)
        except websockets.ConnectionClosed:
            self.closed += 1

    async def probe(
        self, url: str, token: str, prompt_id: str, lo: int, hi: int, seconds: float
    ) -> tuple[list[float], int]:
        """A probe phone flips its answer every 0.2 s; latency until each projector shows it."""
        latencies: list[float] = []
        missed = 0
        loop = asyncio.get_running_loop()
        async with websockets.connect(url) as phone:
            await phone.send(json.dumps({"type": "hello", "token": token}))
            await phone.recv()
            end = time.perf_counter() + seconds
            value = lo
            while time.perf_counter() < end:
                value = hi if value == lo else lo
                futures = [loop.create_future() for _ in self.sockets]
                self.expect = (prompt_id, value, time.perf_counter(), futures)
                await phone.send(
                    json.dumps(
                        {"type": "respond", "ref": "probe", "prompt_id": prompt_id, "value": value}
                    )
                )
                at = time.time()
                done, _ = await asyncio.wait(futures, timeout=5)
                latencies += [f.result() for f in done]
                self.when += [(at, f.result()) for f in done]
                missed += len(futures) - len(done)
                self.expect = None
                await asyncio.sleep(0.2)
        return latencies, missed

    async def close(self) -> None:
        for ws in self.sockets:
            await ws.close()
        for task in self.tasks:
            task.cancel()


async def _in_thread(fn: Callable[[], Any]) -> Any:
    return await asyncio.get_running_loop().run_in_executor(None, fn)


def start_server(extra: dict[str, str], output: Any) -> tuple[subprocess.Popen[bytes], int]:
    """Our server on a fresh SQLite file, with the bench's staff account (bench@x.nl, PASSWORD);
    its output to `output`. Wait for it with `_wait_up`."""
    tmp = Path(tempfile.mkdtemp())
    port = _port()
    env = {
        **os.environ,
        "SAMENSPRAAK_DATABASE": str(tmp / "bench.sqlite3"),
        "SAMENSPRAAK_SECRET_KEY": secrets.token_urlsafe(48),
        "SAMENSPRAAK_PUBLIC_URL": f"http://127.0.0.1:{port}",
        **extra,
    }
    cli = [sys.executable, "-m", "samenspraak"]
    subprocess.run(
        [*cli, "user", "add", "--email", "bench@x.nl", "--name", "B", "--org", "Bench"]
        + ["--password-stdin"],
        input=(PASSWORD + "\n").encode(),
        env=env,
        check=True,
        capture_output=True,
    )
    server = subprocess.Popen(
        [*cli, "serve", "--port", str(port)], env=env, stdout=output, stderr=output
    )
    return server, port


def _ours(
    phones: int,
    processes: int,
    presenters: int,
    rate: float,
    seconds: float,
    fanouts: int,
    min_group: int,
    spy: str | None,
) -> dict[str, Any]:
    server, port = start_server({"SAMENSPRAAK_MIN_GROUP": str(min_group)}, subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_up(f"{base}/health", server)
        http = httpx.Client(base_url=base, timeout=30)
        http.post(
            "/api/auth/login", json={"email": "bench@x.nl", "password": PASSWORD}
        ).raise_for_status()
        http.headers["x-csrftoken"] = http.cookies["csrftoken"]
        session = http.post(
            "/api/sessions", json={"title": "bench", "template": "opvang-vluchtelingen"}
        ).json()
        sid = session["id"]
        session = http.post(f"/api/sessions/{sid}/start").json()
        prompts = session["prompts"]
        scale = next(p for p in prompts if p["kind"] == "scale")  # the probe's
        dilemma = next(p for p in prompts if p["kind"] == "dilemma")  # the votes'
        others = [p for p in prompts if p["id"] not in (scale["id"], dilemma["id"])]
        assert len(others) >= fanouts, f"the template has {len(others) + 1} prompts to show"
        idle_shows = [*others[: fanouts - 1], dilemma]  # the dilemma last: it is voted on
        under_load = others[fanouts - 1]
        http.post(f"/api/sessions/{sid}/show", json={"prompt_id": scale["id"]}).raise_for_status()

        async def joins() -> list[str]:
            async with httpx.AsyncClient(
                base_url=base, timeout=30, limits=httpx.Limits(max_connections=50)
            ) as c:
                gate = asyncio.Semaphore(50)

                async def one() -> str:
                    async with gate:
                        joined = await c.post("/api/join", json={"code": session["code"]})
                        return str(joined.json()["token"])

                return list(await asyncio.gather(*(one() for _ in range(phones + 1))))

        tokens = asyncio.run(joins())
        rss0 = rss_bytes(server.pid)
        url = f"ws://127.0.0.1:{port}/ws"
        fleet = Fleet(url, [{"token": t} for t in tokens[1:]], processes)
        rss1 = rss_bytes(server.pid)
        tickets = [
            http.post(f"/api/sessions/{sid}/ws-ticket").json()["ticket"] for _ in range(presenters)
        ]

        def show(pid: str) -> float:
            t0 = time.time()
            http.post(f"/api/sessions/{sid}/show", json={"prompt_id": pid}).raise_for_status()
            return t0

        async def run() -> dict[str, Any]:
            sockets = []
            for ticket in tickets:
                ws = await websockets.connect(url, max_size=1 << 22)
                await ws.send(json.dumps({"type": "hello", "ticket": ticket, "role": "presenter"}))
                json.loads(await ws.recv())
                sockets.append(ws)
            projectors = Projectors(sockets)
            size = 0
            per_show = FanoutCpu(server.pid, fleet)
            spy_fan = Spy(server.pid, f"{spy}-fanout.txt" if spy else None)
            meter = Meter(server.pid, fleet)
            idle = []
            for row in idle_shows:
                t0 = await per_show.around(partial(_in_thread, partial(show, row["id"])))
                await asyncio.sleep(FANOUT_WAIT - (time.time() - t0))
                times, size = await _in_thread(partial(fleet.prompt_times, row["id"]))
                idle.append((times, t0))
            fan_cpu = {**meter.read(), **per_show.read()}
            spy_fan.stop()

            spy_votes = Spy(server.pid, f"{spy}-votes.txt" if spy else None)
            meter = Meter(server.pid, fleet)
            votes = asyncio.ensure_future(
                _in_thread(lambda: fleet.ask(("vote", dilemma["id"], rate / processes, seconds)))
            )

            async def later() -> float:
                await asyncio.sleep(seconds / 2)
                return float(await _in_thread(lambda: show(under_load["id"])))

            shown = asyncio.ensure_future(later())
            probing = asyncio.ensure_future(
                projectors.probe(url, tokens[0], scale["id"], scale["min"], scale["max"], seconds)
            )
            answers = await votes
            vote_cpu = meter.read()
            spy_votes.stop()
            probe, probe_missed = await probing
            t1 = await shown
            loaded, _ = await _in_thread(lambda: fleet.prompt_times(under_load["id"]))
            rss2 = rss_bytes(server.pid)
            await projectors.close()
            return {
                "idle": idle,
                "loaded": (loaded, t1),
                "size": size,
                "fan_cpu": fan_cpu,
                "probe": probe,
                "probe_missed": probe_missed,
                "answers": answers,
                "vote_cpu": vote_cpu,
                "rss2": rss2,
                "probe_when": projectors.when,
                "projector_messages": projectors.messages,
                "projector_resyncs": projectors.resyncs,
                "projectors_closed": projectors.closed,
            }

        got = asyncio.run(run())
        fleet.close()
        return {
            "phones": phones,
            "projectors": presenters,
            "rss_per_phone_kb": round((rss1 - rss0) / phones / 1024, 1),
            "rss_after_run_per_phone_kb": round((got["rss2"] - rss0) / phones / 1024, 1),
            "rss_total_mb": round(got["rss2"] / 2**20),
            "new_prompt_to_all_phones_ms": _fanouts(got["idle"]),
            "new_prompt_under_load_ms": {
                **_fanouts([got["loaded"]]),
                "shown_at_s": round(
                    got["loaded"][1] - min(a["first_send"] for a in got["answers"]), 1
                ),
            },
            "prompt_frame_bytes": got["size"],
            "fanout_phase": got["fan_cpu"],
            "vote_to_projector_ms": {
                **_ms(got["probe"]),
                "missed": got["probe_missed"],
                "slowest_per_second": _per_second(
                    got["probe_when"], min(a["first_send"] for a in got["answers"])
                ),
            },
            "votes": _votes(got["answers"]),
            "vote_phase": got["vote_cpu"],
            "projector_messages": got["projector_messages"],
            "projector_resyncs": got["projector_resyncs"],
            "projectors_closed": got["projectors_closed"],
        }
    finally:
        server.terminate()
        server.wait(10)


def _baseline(
    phones: int,
    processes: int,
    rate: float,
    seconds: float,
    fanouts: int,
    size: int,
    spy: str | None,
) -> dict[str, Any]:
    port = _port()
    server = subprocess.Popen(
        [sys.executable, "-m", "bench.baseline", str(port)],
        cwd=Path(__file__).resolve().parent.parent,
    )
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        url = f"ws://127.0.0.1:{port}"
        rss0 = rss_bytes(server.pid)
        fleet = Fleet(url, [{"token": "x"}] * phones, processes)
        rss1 = rss_bytes(server.pid)

        async def run() -> dict[str, Any]:
            async with websockets.connect(url) as control:
                await control.send(json.dumps({"type": "hello", "role": "control"}))
                await control.recv()

                async def show(pid: str) -> float:
                    t0 = time.time()
                    await control.send(json.dumps({"type": "show", "id": pid, "size": size}))
                    return t0

                per_show = FanoutCpu(server.pid, fleet)
                spy_fan = Spy(server.pid, f"{spy}-baseline-fanout.txt" if spy else None)
                meter = Meter(server.pid, fleet)
                idle = []
                for i in range(fanouts):
                    t0 = await per_show.around(partial(show, f"idle-{i}"))
                    await asyncio.sleep(FANOUT_WAIT - (time.time() - t0))
                    times, _ = await _in_thread(partial(fleet.prompt_times, f"idle-{i}"))
                    idle.append((times, t0))
                fan_cpu = {**meter.read(), **per_show.read()}
                spy_fan.stop()
                meter = Meter(server.pid, fleet)
                votes = asyncio.ensure_future(
                    _in_thread(lambda: fleet.ask(("vote", "p", rate / processes, seconds)))
                )
                await asyncio.sleep(seconds / 2)
                t1 = await show("loaded")
                answers = await votes
                vote_cpu = meter.read()
                loaded, _ = await _in_thread(lambda: fleet.prompt_times("loaded"))
                return {
                    "idle": idle,
                    "loaded": (loaded, t1),
                    "fan_cpu": fan_cpu,
                    "answers": answers,
                    "vote_cpu": vote_cpu,
                }

        got = asyncio.run(run())
        fleet.close()
        return {
            "phones": phones,
            "rss_per_phone_kb": round((rss1 - rss0) / phones / 1024, 1),
            "new_prompt_to_all_phones_ms": _fanouts(got["idle"]),
            "new_prompt_under_load_ms": {
                **_fanouts([got["loaded"]]),
                "shown_at_s": round(
                    got["loaded"][1] - min(a["first_send"] for a in got["answers"]), 1
                ),
            },
            "prompt_frame_bytes": size,
            "fanout_phase": got["fan_cpu"],
            "votes": _votes(got["answers"]),
            "vote_phase": got["vote_cpu"],
        }
    finally:
        server.terminate()
        server.wait(10)


RATIOS = {
    "rss_per_phone_kb": ("rss_per_phone_kb",),
    "new_prompt_to_all_phones_p99": ("new_prompt_to_all_phones_ms", "p99"),
    "new_prompt_to_all_phones_p50": ("new_prompt_to_all_phones_ms", "p50"),
    "new_prompt_under_load_p99": ("new_prompt_under_load_ms", "p99"),
    "server_cpu_per_fanout": ("fanout_phase", "server_cpu_per_fanout_ms"),
    "ack_p99": ("votes", "ack_ms", "p99"),
    "vote_phase_server_cpu_s": ("vote_phase", "server_cpu_s"),
}


def _get(d: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        d = d[key]
    return d


def _ratios(ours: dict[str, Any], base: dict[str, Any]) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for name, path in RATIOS.items():
        o, b = _get(ours, path), _get(base, path)
        out[name] = round(o / b, 2) if o is not None and b else None
    return out


def _median(items: list[Any]) -> Any:
    """The median of every number in a list of same-shaped results (lists: element-wise)."""
    first = items[0]
    if isinstance(first, dict):
        return {k: _median([i[k] for i in items]) for k in first}
    if isinstance(first, list):
        if all(len(i) == len(first) for i in items):
            return [_median([i[k] for i in items]) for k in range(len(first))]
        return first
    if isinstance(first, bool) or not isinstance(first, int | float):
        return first
    values = [i for i in items if i is not None]
    if not values:
        return None
    m = statistics.median(values)
    return round(m, 2) if isinstance(m, float) else m


@click.command()
@click.option("--phones", default=1000, show_default=True)
@click.option("--processes", default=2, show_default=True, help="load-client processes")
@click.option("--presenters", default=3, show_default=True, help="projector sockets")
@click.option(
    "--rate", default=200.0, show_default=True, help="votes per second, all phones together"
)
@click.option("--seconds", default=10.0, show_default=True)
@click.option("--fanouts", default=1, show_default=True, help="idle fan-outs (new prompts) per run")
@click.option(
    "--repeat", default=1, show_default=True, help="runs; the file has each and the medians"
)
@click.option(
    "--min-group",
    default=1,
    show_default=True,
    help="1 so the probe prompt (one voter) shows its tally",
)
@click.option("--name", default=None, help="result file name [default: live-PHONES]")
@click.option("--py-spy", "spy", default=None, help="record the servers to PREFIX-*.txt (raw)")
def live(
    phones: int,
    processes: int,
    presenters: int,
    rate: float,
    seconds: float,
    fanouts: int,
    repeat: int,
    min_group: int,
    name: str | None,
    spy: str | None,
) -> None:
    """Phones join, prompts are shown to all, they vote at --rate; the same client against a bare
    websockets server. Prints and saves every figure, with the ratios to the baseline."""
    runs = []
    for i in range(repeat):
        ours = _ours(phones, processes, presenters, rate, seconds, fanouts, min_group, spy)
        base = _baseline(phones, processes, rate, seconds, fanouts, ours["prompt_frame_bytes"], spy)
        run = {
            "samenspraak": ours,
            "baseline_websockets": base,
            "ratio_ours_to_baseline": _ratios(ours, base),
        }
        print(f"run {i + 1}/{repeat}:", json.dumps(run["ratio_ours_to_baseline"]), flush=True)
        runs.append(run)
    save(
        name or f"live-{phones}",
        {
            "params": {
                "phones": phones,
                "processes": processes,
                "presenters": presenters,
                "rate": rate,
                "seconds": seconds,
                "fanouts": fanouts,
                "repeat": repeat,
                "command": " ".join(["python -m bench", *sys.argv[1:]]),
            },
            "median_of_runs": _median(runs),
            "runs": runs,
        },
    )
