"""Load-client worker process: many phones over real WebSockets, driven through a Pipe."""

from __future__ import annotations

import asyncio
import json
import random
import time
from multiprocessing.connection import Connection
from typing import Any

import websockets


class Phone:
    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.prompt_at: float | None = None
        self.acks: dict[str, float] = {}
        self.ack_latency: list[float] = []
        self.errors = 0

    async def read(self) -> None:
        try:
            async for raw in self.conn:
                message = json.loads(raw)
                kind = message.get("type")
                if kind == "prompt" and self.prompt_at is None:
                    self.prompt_at = time.time()
                elif kind == "ack":
                    sent = self.acks.pop(message["ref"], None)
                    if sent is not None:
                        self.ack_latency.append(time.perf_counter() - sent)
                elif kind == "error":
                    self.errors += 1
        except websockets.ConnectionClosed:
            self.errors += 1


async def _run(url: str, hellos: list[dict[str, Any]], pipe: Connection) -> None:
    phones: list[Phone] = []
    readers = []
    for hello in hellos:
        conn = await websockets.connect(url, open_timeout=60, max_size=1 << 20, ping_interval=None)
        await conn.send(json.dumps({"type": "hello", **hello}))
        json.loads(await conn.recv())  # welcome
        phone = Phone(conn)
        phones.append(phone)
        readers.append(asyncio.create_task(phone.read()))
    loop = asyncio.get_running_loop()
    pipe.send(("ready", len(phones)))
    while True:
        command = await loop.run_in_executor(None, pipe.recv)
        if command[0] == "prompt_times":
            pipe.send([p.prompt_at for p in phones])
            for p in phones:
                p.prompt_at = None
        elif command[0] == "vote":
            _, prompt_id, per_phone_rate, seconds = command
            await _vote(phones, prompt_id, per_phone_rate, seconds)
            pipe.send(
                ([lat for p in phones for lat in p.ack_latency], sum(p.errors for p in phones))
            )
        elif command[0] == "close":
            for p in phones:
                await p.conn.close()
            pipe.send("closed")
            return


async def _vote(phones: list[Phone], prompt_id: str, rate: float, seconds: float) -> None:
    end = time.perf_counter() + seconds

    async def one(i: int, phone: Phone) -> None:
        await asyncio.sleep(random.random() / rate)
        n = 0
        while time.perf_counter() < end:
            ref = f"{i}-{n}"
            n += 1
            phone.acks[ref] = time.perf_counter()
            await phone.conn.send(
                json.dumps(
                    {
                        "type": "respond",
                        "ref": ref,
                        "prompt_id": prompt_id,
                        "value": random.randint(0, 100),
                    }
                )
            )
            await asyncio.sleep(1 / rate)

    await asyncio.gather(*(one(i, p) for i, p in enumerate(phones)))
    await asyncio.sleep(1.0)  # let the last acks arrive


def worker(url: str, hellos: list[dict[str, Any]], pipe: Connection) -> None:
    asyncio.run(_run(url, hellos, pipe))
