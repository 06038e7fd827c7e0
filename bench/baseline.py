"""A bare `websockets` broadcast server speaking just enough of our protocol for the load client."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from typing import Any

import websockets
from websockets.asyncio.server import ServerConnection, broadcast, serve

phones: set[ServerConnection] = set()
seq = 0


async def handler(ws: ServerConnection) -> None:
    global seq
    hello = json.loads(await ws.recv())
    await ws.send(json.dumps({"type": "welcome", "seq": seq}))
    if hello.get("role") != "control":
        phones.add(ws)
    try:
        async for raw in ws:
            message: dict[str, Any] = json.loads(raw)
            if message["type"] == "show":
                seq += 1
                broadcast(phones, json.dumps({"type": "prompt", "seq": seq, "prompt": {"id": "p"}}))
            elif message["type"] == "respond":
                await ws.send(json.dumps({"type": "ack", "ref": message["ref"]}))
    except websockets.ConnectionClosed:
        pass
    finally:
        phones.discard(ws)


async def main(port: int) -> None:
    # like for like: compress only when the server under test does (SAMENSPRAAK_WS_DEFLATE)
    compression = "deflate" if os.environ.get("SAMENSPRAAK_WS_DEFLATE") == "1" else None
    async with serve(handler, "127.0.0.1", port, max_size=64 * 1024, compression=compression):
        await asyncio.Future()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
