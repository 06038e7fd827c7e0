"""A bare `websockets` broadcast server speaking just enough of our protocol for the load client.

`show` broadcasts one prompt (padded to `size` bytes, so it carries as many bytes as our server's
prompt message) to every phone with `websockets.broadcast`: one encode, then a synchronous write
per socket. That is the cheapest fan-out this stack can do; our server is compared against it."""

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


def _dumps(message: dict[str, Any]) -> str:
    return json.dumps(message, separators=(",", ":"))


async def handler(ws: ServerConnection) -> None:
    global seq
    hello = json.loads(await ws.recv())
    await ws.send(_dumps({"type": "welcome", "seq": seq}))
    if hello.get("role") != "control":
        phones.add(ws)
    try:
        async for raw in ws:
            message: dict[str, Any] = json.loads(raw)
            if message["type"] == "show":
                seq += 1
                body = {"id": message["id"], "pad": ""}
                prompt = {"type": "prompt", "seq": seq, "prompt": body}
                body["pad"] = "x" * max(0, int(message.get("size", 0)) - len(_dumps(prompt)))
                broadcast(phones, _dumps(prompt))
            elif message["type"] == "respond":
                await ws.send(
                    _dumps(
                        {"type": "ack", "ref": message["ref"], "prompt_id": message["prompt_id"]}
                    )
                )
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
