"""WebSocket `/ws`: hello within 5 s, Origin check, then respond/ping; close codes per protocol."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, cast

import msgspec
from litestar import WebSocket, websocket
from litestar.exceptions import WebSocketDisconnect

from .. import i18n
from .. import model as m
from ..answers import has_nul
from ..errors import ApiError, invalid
from ..live.client import Client, Role
from ..live.direct import DirectWriter
from ..live.room import Room, text
from ..store import sessions as store_sessions
from ..store.db import StoreUnavailable
from .context import Parts

HELLO_SECONDS = 5.0
MAX_FRAME = 16 * 1024
RATE_PER_SECOND = 10.0
RATE_BURST = 40.0
log = logging.getLogger("samenspraak.ws")
SERVER_SEND = "samenspraak.server_send"  # set by app.App for WebSocket scopes


class Closed(Exception):
    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


class Bucket:
    """Messages per participant (or ticket holder), not per address: a hall shares one address."""

    def __init__(self) -> None:
        self.tokens = RATE_BURST
        self.at = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(RATE_BURST, self.tokens + (now - self.at) * RATE_PER_SECOND)
        self.at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


def _decode(raw: str) -> m.ClientFrame:
    if len(raw) > MAX_FRAME:
        raise Closed(4400, "frame too large")
    try:
        frame: m.ClientFrame = m.client_frame_decoder.decode(raw)
        return frame
    except (msgspec.DecodeError, RecursionError):
        raise Closed(4400, "malformed frame") from None


async def _identify(p: Parts, hello: m.Hello) -> tuple[Role, int | None, Room]:
    if hello.token is not None:
        found = await p.hub.participant(p.hash_token(hello.token))
        if found is None:
            raise Closed(4401, "unknown token")
        return "resident", found[0], found[1]
    if hello.ticket is None or hello.role not in ("presenter", "facilitator"):
        raise Closed(4401, "token or ticket with role required")
    used = await store_sessions.use_ticket(p.db, p.hash_token(hello.ticket))
    if used is None:
        raise Closed(4401, "unknown or used ticket")
    sid, roles = used
    if hello.role not in roles:
        raise Closed(4403, "role not allowed")
    room = await p.hub.room(sid)
    if room is None:
        raise Closed(4401, "unknown session")
    return hello.role, None, room


async def _receive(socket: WebSocket[Any, Any, Any], timeout: float | None = None) -> str:
    raw: Any = await asyncio.wait_for(socket.receive_data(mode="text"), timeout)
    return raw if isinstance(raw, str) else raw.decode("utf-8", "replace")


async def _serve(socket: WebSocket[Any, Any, Any], p: Parts) -> None:
    try:
        first = _decode(await _receive(socket, HELLO_SECONDS))
    except TimeoutError:
        raise Closed(4401, "no hello within 5 s") from None
    if not isinstance(first, m.Hello):
        raise Closed(4401, "hello first")
    role, who, room = await _identify(p, first)

    send = cast(Callable[[Any], Awaitable[None]], socket.scope.get(SERVER_SEND) or socket.send)

    def send_text(payload: str) -> Awaitable[None]:
        # the server's ASGI send itself (see app.App): Litestar's wrappers have nothing to do
        # here, and no coroutine of our own around it (this runs once per phone per fan-out)
        return send({"type": "websocket.send", "bytes": None, "text": payload})

    async def close(code: int, reason: str) -> None:
        await socket.close(code=code, reason=reason)

    direct = DirectWriter.of(send)
    client = Client(role, who, send_text, close, room.welcome, direct.write if direct else None)
    client.start()
    room.attach(client)
    # one budget per participant, shared by all its sockets (a reconnect does not refill it)
    bucket = room.buckets.setdefault(who, Bucket()) if who is not None else Bucket()
    try:
        while True:
            frame = _decode(await _receive(socket))
            if not bucket.take():
                raise Closed(4429, "too many messages")
            if isinstance(frame, m.Ping):
                client.send('{"type":"pong"}')
            elif isinstance(frame, m.Hello):
                client.resync()
            else:
                await _respond(room, client, frame)
    finally:
        room.detach(client)
        p.hub.detached += 1
        await client.stop()


async def _respond(room: Room, client: Client, frame: m.Respond) -> None:
    try:
        if client.who is None:
            raise ApiError(403, "forbidden")
        if has_nul(frame.value):
            raise invalid("text must not contain NUL")
        stored = await room.respond(client.who, frame.prompt_id, frame.value)
    except StoreUnavailable:
        _error(client, frame.ref, room, ApiError(503, "unavailable"))
    except ApiError as exc:
        _error(client, frame.ref, room, exc)
    else:
        ack: dict[str, Any] = {"type": "ack", "ref": frame.ref, "prompt_id": frame.prompt_id}
        if "card" in stored:
            ack["card"] = stored["card"]
        client.send(text(ack))


def _error(client: Client, ref: str, room: Room, exc: ApiError) -> None:
    detail = i18n.t(room.session.language, f"error.{exc.code}", exc.code)
    message = {
        "type": "error",
        "ref": ref,
        "status_code": exc.status,
        "detail": detail,
        "code": exc.code,
    }
    client.send(text(message))


@websocket("/ws")
async def ws_endpoint(socket: WebSocket[Any, Any, Any]) -> None:
    p: Parts = socket.app.state.parts
    origin = socket.headers.get("origin")
    await socket.accept()
    try:
        if origin is not None and origin.rstrip("/") not in p.settings.origins:
            raise Closed(4403, "origin not allowed")
        await _serve(socket, p)
    except Closed as closed:
        with contextlib.suppress(Exception):
            await socket.close(code=closed.code, reason=closed.reason)
    except WebSocketDisconnect:
        pass
