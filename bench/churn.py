"""Phones coming and going while a hall stays full: how much memory waits for the garbage
collector (server/samenspraak/gcpolicy.py), and the full collections the server logged."""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import click
import httpx
import websockets

from .live import PASSWORD, _wait_up, start_server
from .procinfo import rss_bytes
from .report import save


@click.command()
@click.option("--kept", default=600, show_default=True, help="phones connected throughout")
@click.option("--phones", default=900, show_default=True, help="phones that come and go per round")
@click.option("--rounds", default=5, show_default=True)
def churn(kept: int, phones: int, rounds: int) -> None:
    """`--kept` phones stay; per round `--phones` more join, vote twice and leave. Prints the
    server's RSS after each round and its `full garbage collection` log lines."""
    log_path = Path(tempfile.mkdtemp()) / "server.log"
    with log_path.open("w") as log:
        server, port = start_server({"SAMENSPRAAK_JOIN_BUDGET_PER_MINUTE": "1000000"}, log)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_up(f"{base}/health", server)
            figures = asyncio.run(_run(base, port, server.pid, kept, phones, rounds))
        finally:
            server.terminate()
            server.wait(10)
    figures["full_collections_logged"] = [
        line.split("gcpolicy - ", 1)[-1].strip()
        for line in log_path.read_text().splitlines()
        if "full garbage collection" in line
    ]
    save(
        "churn",
        {
            "params": {"kept": kept, "phones": phones, "rounds": rounds},
            "command": " ".join(["python -m bench", *sys.argv[1:]]),
            **figures,
        },
    )


async def _run(
    base: str, port: int, pid: int, kept: int, phones: int, rounds: int
) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        (
            await http.post("/api/auth/login", json={"email": "bench@x.nl", "password": PASSWORD})
        ).raise_for_status()
        http.headers["x-csrftoken"] = http.cookies["csrftoken"]
        made = (
            await http.post(
                "/api/sessions", json={"title": "churn", "template": "opvang-vluchtelingen"}
            )
        ).json()
        session = (await http.post(f"/api/sessions/{made['id']}/start")).json()
        dilemma = next(p for p in session["prompts"] if p["kind"] == "dilemma")
        shown = await http.post(
            f"/api/sessions/{made['id']}/show", json={"prompt_id": dilemma["id"]}
        )
        shown.raise_for_status()
        gate = asyncio.Semaphore(50)

        async def join() -> str:
            async with gate:
                joined = await http.post("/api/join", json={"code": session["code"]})
                return str(joined.json()["token"])

        tokens = await asyncio.gather(*(join() for _ in range(kept + phones)))

    async def phone(token: str, votes: int) -> Any:
        ws = await websockets.connect(f"ws://127.0.0.1:{port}/ws")
        await ws.send(json.dumps({"type": "hello", "token": token}))
        await ws.recv()
        for i in range(votes):
            vote = {
                "type": "respond",
                "ref": str(i),
                "prompt_id": dilemma["id"],
                "value": i * 37 % 100,
            }
            await ws.send(json.dumps(vote))
            while json.loads(await ws.recv()).get("type") != "ack":
                pass
        return ws

    staying = await asyncio.gather(*(phone(t, 1) for t in tokens[:kept]))
    mb = [round(rss_bytes(pid) / 2**20)]
    print(f"{kept} phones connected: RSS {mb[0]} MB", flush=True)
    for r in range(rounds):
        passing = await asyncio.gather(*(phone(t, 2) for t in tokens[kept:]))
        for ws in passing:
            await ws.close()
        await asyncio.sleep(2.5)  # the policy looks every 2 s
        mb.append(round(rss_bytes(pid) / 2**20))
        print(
            f"round {r + 1}: {phones} phones came, voted twice, left: RSS {mb[-1]} MB", flush=True
        )
    for ws in staying:
        await ws.close()
    await asyncio.sleep(5)
    mb.append(round(rss_bytes(pid) / 2**20))
    return {"rss_mb_start_rounds_end": mb}
