"""A slow phone is resynced, never buffered without bound."""

from __future__ import annotations

import asyncio

from samenspraak.live.client import QUEUE_LIMIT, Client


async def test_slow_client_queue_stays_bounded_and_gets_a_fresh_welcome() -> None:
    gate = asyncio.Event()
    sent: list[str] = []

    async def slow_send(text: str) -> None:
        await gate.wait()
        sent.append(text)

    async def close(code: int, reason: str) -> None:
        return None

    client = Client("resident", 1, slow_send, close, lambda c: "WELCOME")
    client.start()
    for i in range(10 * QUEUE_LIMIT):
        client.send(f"m{i}")
        assert client._queue.qsize() <= QUEUE_LIMIT
    assert client.resyncs >= 1
    gate.set()
    for _ in range(1000):
        if "WELCOME" in sent and client._queue.empty():
            break
        await asyncio.sleep(0)
    assert "WELCOME" in sent
    assert len(sent) <= QUEUE_LIMIT + 1
    await client.stop()
