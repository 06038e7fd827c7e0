"""A small WebSocket client for tests: hello, respond, wait for a message that matches."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable
from typing import Any

import websockets

TIMEOUT = 15.0


class Phone:
    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.seen: list[dict[str, Any]] = []

    @classmethod
    async def connect(cls, url: str, hello: dict[str, Any], origin: str | None = None) -> Phone:
        conn = await websockets.connect(url, origin=origin, open_timeout=TIMEOUT)  # type: ignore[arg-type]
        phone = cls(conn)
        with contextlib.suppress(websockets.ConnectionClosed):  # the server may refuse before hello
            await phone.send({"type": "hello", **hello})
        return phone

    async def send(self, message: dict[str, Any]) -> None:
        await self.conn.send(json.dumps(message))

    async def until(
        self, match: Callable[[dict[str, Any]], bool], timeout: float = TIMEOUT
    ) -> dict[str, Any]:
        async def wait() -> dict[str, Any]:
            while True:
                message = json.loads(await self.conn.recv())
                self.seen.append(message)
                if match(message):
                    return message

        return await asyncio.wait_for(wait(), timeout)

    async def respond(self, ref: str, prompt_id: str, value: Any) -> dict[str, Any]:
        await self.send({"type": "respond", "ref": ref, "prompt_id": prompt_id, "value": value})
        return await self.until(lambda m: m.get("ref") == ref)

    async def close_code(self, timeout: float = TIMEOUT) -> int | None:
        async def wait() -> int | None:
            try:
                while True:
                    await self.conn.recv()
            except websockets.ConnectionClosed as closed:
                return closed.rcvd.code if closed.rcvd else None

        return await asyncio.wait_for(wait(), timeout)

    async def close(self) -> None:
        await self.conn.close()


def of_type(kind: str) -> Callable[[dict[str, Any]], bool]:
    return lambda m: m.get("type") == kind
