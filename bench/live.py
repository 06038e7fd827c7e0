"""N phones over real WebSockets against a real server, and the same load client against a bare
`websockets` broadcast server (the baseline), in one run. Ratios are what count: the machine is shared."""

from __future__ import annotations

import asyncio
import json
import multiprocessing as mp
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import click
import httpx
import websockets

from .phones import worker
from .procinfo import cpu_seconds, rss_bytes
from .report import ms, save

PASSWORD = "bench-password-long-enough"


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

    def close(self) -> None:
        self.ask(("close",))
        for proc in self.procs:
            proc.join(10)


def _fanout(times: list[list[float | None]], t0: float) -> tuple[list[float], int]:
    flat = [t for chunk in times for t in chunk]
    return [t - t0 for t in flat if t is not None], sum(t is None for t in flat)


async def _probe(
    url: str, presenter: Any, token: str, prompt_id: str, lo: int, hi: int, seconds: float
) -> list[float]:
    """A probe phone flips its answer; latency until the presenter's tally shows the flip."""
    latencies: list[float] = []
    async with websockets.connect(url) as phone:
        await phone.send(json.dumps({"type": "hello", "token": token}))
        await phone.recv()
        end = time.perf_counter() + seconds
        value = lo
        while time.perf_counter() < end:
            value = hi if value == lo else lo
            sent = time.perf_counter()
            await phone.send(
                json.dumps(
                    {"type": "respond", "ref": "probe", "prompt_id": prompt_id, "value": value}
                )
            )
            while True:
                message = json.loads(await asyncio.wait_for(presenter.recv(), 10))
                if (
                    message.get("type") == "results"
                    and message["prompt_id"] == prompt_id
                    and message["tally"].get("counts", {}).get(str(value)) == 1
                ):
                    latencies.append(time.perf_counter() - sent)
                    break
            await asyncio.sleep(0.2)
    return latencies


def _ours(
    phones: int, processes: int, rate: float, seconds: float, min_group: int
) -> dict[str, Any]:
    tmp = Path(tempfile.mkdtemp())
    port = _port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "SAMENSPRAAK_DATABASE": str(tmp / "bench.sqlite3"),
        "SAMENSPRAAK_SECRET_KEY": secrets.token_urlsafe(48),
        "SAMENSPRAAK_PUBLIC_URL": base,
        "SAMENSPRAAK_MIN_GROUP": str(min_group),
    }
    cli = [sys.executable, "-m", "samenspraak"]
    subprocess.run(
        [
            *cli,
            "user",
            "add",
            "--email",
            "bench@x.nl",
            "--name",
            "B",
            "--org",
            "Bench",
            "--password-stdin",
        ],
        input=(PASSWORD + "\n").encode(),
        env=env,
        check=True,
        capture_output=True,
    )
    server = subprocess.Popen(
        [*cli, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
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
        dilemma = next(p for p in session["prompts"] if p["kind"] == "dilemma")
        scale = next(p for p in session["prompts"] if p["kind"] == "scale")
        http.post(f"/api/sessions/{sid}/show", json={"prompt_id": scale["id"]}).raise_for_status()

        async def joins() -> list[str]:
            async with httpx.AsyncClient(
                base_url=base, timeout=30, limits=httpx.Limits(max_connections=50)
            ) as c:
                gate = asyncio.Semaphore(50)

                async def one() -> str:
                    async with gate:
                        return str(
                            (await c.post("/api/join", json={"code": session["code"]})).json()[
                                "token"
                            ]
                        )

                return list(await asyncio.gather(*(one() for _ in range(phones + 1))))

        tokens = asyncio.run(joins())
        rss0 = rss_bytes(server.pid)
        fleet = Fleet(f"ws://127.0.0.1:{port}/ws", [{"token": t} for t in tokens[1:]], processes)
        rss1 = rss_bytes(server.pid)
        ticket = http.post(f"/api/sessions/{sid}/ws-ticket").json()["ticket"]

        async def run() -> dict[str, Any]:
            async with websockets.connect(
                f"ws://127.0.0.1:{port}/ws", max_size=1 << 22
            ) as presenter:
                await presenter.send(
                    json.dumps({"type": "hello", "ticket": ticket, "role": "presenter"})
                )
                await presenter.recv()
                loop = asyncio.get_running_loop()
                t0 = time.time()
                await loop.run_in_executor(
                    None,
                    lambda: http.post(
                        f"/api/sessions/{sid}/show", json={"prompt_id": dilemma["id"]}
                    ),
                )
                fan, missed = _fanout(
                    await loop.run_in_executor(None, lambda: _gather_prompt_times(fleet)), t0
                )
                cpu0, wall0 = cpu_seconds(server.pid), time.perf_counter()
                votes = loop.run_in_executor(
                    None, fleet.ask, ("vote", dilemma["id"], rate / phones, seconds)
                )
                probe = await _probe(
                    f"ws://127.0.0.1:{port}/ws",
                    presenter,
                    tokens[0],
                    scale["id"],
                    scale["min"],
                    scale["max"],
                    seconds,
                )
                answers = await votes
                cpu = (cpu_seconds(server.pid) - cpu0) / (time.perf_counter() - wall0)
                acks = [lat for chunk, _ in answers for lat in chunk]
                errors = sum(err for _, err in answers)
                return {
                    "fanout": fan,
                    "missed": missed,
                    "probe": probe,
                    "acks": acks,
                    "errors": errors,
                    "cpu": cpu,
                }

        got = asyncio.run(run())
        fleet.close()
        return {
            "phones": phones,
            "rss_per_phone_kb": round((rss1 - rss0) / phones / 1024, 1),
            "new_prompt_to_all_phones_ms": ms(got["fanout"]),
            "phones_missing_prompt": got["missed"],
            "vote_to_projector_ms": ms(got["probe"]),
            "ack_ms": ms(got["acks"]),
            "acked_votes_per_s": round(len(got["acks"]) / seconds),
            "errors": got["errors"],
            "server_cpu_share": round(got["cpu"], 2),
        }
    finally:
        server.terminate()
        server.wait(10)


def _gather_prompt_times(fleet: Fleet) -> list[list[float | None]]:
    time.sleep(
        3
    )  # the fan-out target is 1 s; phones still without the prompt after 3 s count as missed
    return fleet.ask(("prompt_times",))


def _baseline(phones: int, processes: int, rate: float, seconds: float) -> dict[str, Any]:
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

        async def show() -> float:
            async with websockets.connect(url) as control:
                await control.send(json.dumps({"type": "hello", "role": "control"}))
                await control.recv()
                t0 = time.time()
                await control.send(json.dumps({"type": "show"}))
                return t0

        t0 = asyncio.run(show())
        time.sleep(2)
        fan, missed = _fanout(fleet.ask(("prompt_times",)), t0)
        answers = fleet.ask(("vote", "p", rate / phones, seconds))
        fleet.close()
        return {
            "phones": phones,
            "rss_per_phone_kb": round((rss1 - rss0) / phones / 1024, 1),
            "new_prompt_to_all_phones_ms": ms(fan),
            "phones_missing_prompt": missed,
            "ack_ms": ms([lat for chunk, _ in answers for lat in chunk]),
        }
    finally:
        server.terminate()
        server.wait(10)


@click.command()
@click.option("--phones", default=1000, show_default=True)
@click.option("--processes", default=2, show_default=True, help="load-client processes")
@click.option(
    "--rate", default=200.0, show_default=True, help="votes per second, all phones together"
)
@click.option("--seconds", default=10.0, show_default=True)
@click.option(
    "--min-group",
    default=1,
    show_default=True,
    help="1 so the probe prompt (one voter) shows its tally",
)
def live(phones: int, processes: int, rate: float, seconds: float, min_group: int) -> None:
    """Phones join, a prompt is shown to all, they vote at --rate; the same client against a bare websockets server."""
    base = _baseline(phones, processes, rate, seconds)
    ours = _ours(phones, processes, rate, seconds, min_group)
    ratio = {}
    for key in ("rss_per_phone_kb",):
        ratio[key] = round(ours[key] / base[key], 2) if base[key] else None
    for key in ("new_prompt_to_all_phones_ms", "ack_ms"):
        b, o = base[key]["p99"], ours[key]["p99"]
        ratio[f"{key}_p99"] = round(o / b, 2) if b else None
    save(
        f"live-{phones}",
        {
            "params": {"phones": phones, "processes": processes, "rate": rate, "seconds": seconds},
            "samenspraak": ours,
            "baseline_websockets": base,
            "ratio_ours_to_baseline": ratio,
        },
    )
