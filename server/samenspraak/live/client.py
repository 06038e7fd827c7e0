"""One connected socket: a bounded send queue drained by its own task.

A phone that cannot keep up is never buffered without bound: when its queue is full the
queue is dropped and the client gets one fresh `welcome` (resync) instead."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Literal

Role = Literal["resident", "presenter", "facilitator"]
QUEUE_LIMIT = 64
RESYNC = object()
log = logging.getLogger("samenspraak.live")


class Client:
    def __init__(
        self,
        role: Role,
        who: int | None,
        send_text: Callable[[str], Awaitable[None]],
        close: Callable[[int, str], Awaitable[None]],
        welcome: Callable[[Client], str],
    ) -> None:
        self.role = role
        self.who = who
        self._send_text = send_text
        self._close = close
        self._welcome = welcome
        self._queue: asyncio.Queue[object] = asyncio.Queue(QUEUE_LIMIT)
        self._task: asyncio.Task[None] | None = None
        self.resyncs = 0
        self.closed = False

    @property
    def staff(self) -> bool:
        return self.role != "resident"

    def start(self) -> None:
        self._task = asyncio.create_task(self._drain())

    def send(self, text: str) -> None:
        if self.closed:
            return
        try:
            self._queue.put_nowait(text)
        except asyncio.QueueFull:
            self.resync()

    def resync(self) -> None:
        while not self._queue.empty():
            self._queue.get_nowait()
        self.resyncs += 1
        self._queue.put_nowait(RESYNC)

    async def _drain(self) -> None:
        try:
            while True:
                item = await self._queue.get()
                text = self._welcome(self) if item is RESYNC else item
                assert isinstance(text, str)
                await self._send_text(text)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - a broken socket ends only this client
            log.debug("send failed: %s", type(exc).__name__)
            self.closed = True

    async def close(self, code: int, reason: str = "") -> None:
        if self.closed:
            return
        self.closed = True
        await self.stop()
        with contextlib.suppress(Exception):
            await self._close(code, reason)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
