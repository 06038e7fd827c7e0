"""live/direct.py against the pinned uvicorn: the synchronous frame path must really be taken
(an upgrade that renames what it relies on would otherwise make every fan-out slower, silently),
and it must step aside whenever the server's own send would do anything but write."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from typing import Any

import uvicorn
import websockets

from samenspraak.live.direct import DirectWriter


async def _serve(app: Any) -> tuple[uvicorn.Server, asyncio.Task[None], int]:
    config = uvicorn.Config(app, ws="websockets-sansio", lifespan="off", log_level="error")
    server = uvicorn.Server(config)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()  # connections wait in the backlog until the server accepts them
    task = asyncio.create_task(server.serve(sockets=[sock]))
    return server, task, sock.getsockname()[1]


async def test_uvicorn_websockets_sansio_frames_are_written_without_a_coroutine() -> None:
    seen: dict[str, Any] = {}

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        assert scope["type"] == "websocket"
        await receive()  # websocket.connect
        writer = DirectWriter.of(send)
        seen["before_accept"] = writer.write("too early") if writer else None
        await send({"type": "websocket.accept"})
        seen["writer"] = writer
        seen["wrote"] = [writer.write(f"frame {i}") for i in range(3)] if writer else []
        await send({"type": "websocket.send", "text": "by ASGI"})  # in order after them
        await send({"type": "websocket.close", "code": 1000})
        seen["after_close"] = writer.write("too late") if writer else None
        with contextlib.suppress(Exception):
            await receive()

    server, task, port = await _serve(app)
    try:
        async with websockets.connect(f"ws://127.0.0.1:{port}/") as ws:
            got = [await ws.recv() for _ in range(4)]
    finally:
        server.should_exit = True
        await task
    assert seen["writer"] is not None, "uvicorn changed: live/direct.py no longer applies"
    assert seen["before_accept"] is False  # not accepted yet: the ASGI path decides
    assert seen["wrote"] == [True, True, True]
    assert got == ["frame 0", "frame 1", "frame 2", "by ASGI"]
    assert seen["after_close"] is False  # closing: nothing is written any more


def test_any_other_send_gets_the_asgi_path() -> None:
    async def send(message: Any) -> None:
        pass

    class WebSocketsSansIOProtocol:  # the right name, but not the attributes relied on
        async def send(self, message: Any) -> None:
            pass

    assert DirectWriter.of(send) is None
    assert DirectWriter.of(WebSocketsSansIOProtocol().send) is None
