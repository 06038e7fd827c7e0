"""One connected socket: a bounded send queue, drained by a task only while the socket is behind.

A phone that cannot keep up is never buffered without bound: when its queue is full the
queue is dropped and the client gets one fresh `welcome` (resync) instead.

Fast path (the common case, e.g. a new prompt for 5,000 phones): nothing is queued or in
flight, so `send` writes the frame synchronously when the server allows it (`write_now`, see
live/direct.py), and otherwise runs the socket's send coroutine right away. It finishes without suspending
(the transport takes the bytes), so there is no task, no queue and no extra loop turn per
message. Only when it does suspend (the socket's write buffer is full) does a drain task take
it over and send whatever is queued behind it, in order."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Generator
from typing import Any, Literal

Role = Literal["resident", "presenter", "facilitator"]
QUEUE_LIMIT = 64
RESYNC = object()
log = logging.getLogger("samenspraak.live")


class _Queue(deque[object]):
    """The pending messages (at most QUEUE_LIMIT)."""

    def qsize(self) -> int:
        return len(self)

    def empty(self) -> bool:
        return not self


class _Resume:
    """A send that suspended inside `Client.send`, handed to the drain task: the task first waits
    for what the send was waiting for (the same object is yielded to it), then runs the rest of
    the send exactly as if the task had run it from the start (cancellation included)."""

    __slots__ = ("rest", "waiting")

    def __init__(self, rest: Generator[Any, None, Any], waiting: Any) -> None:
        self.rest = rest
        self.waiting = waiting

    def __await__(self) -> Generator[Any, None, None]:
        yield self.waiting
        yield from self.rest

    def close(self) -> None:
        self.rest.close()  # never resumed (cancelled first): let the send clean up


class Client:
    def __init__(
        self,
        role: Role,
        who: int | None,
        send_text: Callable[[str], Awaitable[None]],
        close: Callable[[int, str], Awaitable[None]],
        welcome: Callable[[Client], str],
        write_now: Callable[[str], bool] | None = None,
    ) -> None:
        self.role = role
        self.who = who
        self._send_text = send_text
        self._write_now = write_now  # synchronous, or False (see live/direct.py)
        self._close = close
        self._welcome = welcome
        self._queue = _Queue()
        self._task: asyncio.Task[None] | None = None  # alive only while there is a backlog
        self._stalled: _Resume | None = None  # the send the task finishes first
        self._started = False
        self.resyncs = 0
        self.closed = False

    @property
    def staff(self) -> bool:
        return self.role != "resident"

    def start(self) -> None:
        self._started = True
        self._drain_later()

    def send(self, text: str) -> None:
        """Never blocks, never raises."""
        if self.closed:
            return
        if self._task is not None or not self._started:
            if len(self._queue) >= QUEUE_LIMIT:
                self.resync()
            else:
                self._queue.append(text)
            return
        try:
            if self._write_now is not None and self._write_now(text):
                return  # sent: no coroutine at all
            steps = self._send_text(text).__await__()
            waiting = steps.send(None)
        except StopIteration:
            return  # sent
        except Exception as exc:  # noqa: BLE001 - a broken socket ends only this client
            self._failed(exc)
            return
        # the socket is behind: a task finishes this send, then drains what queues up meanwhile
        self._stalled = _Resume(steps, waiting)
        self._task = asyncio.get_running_loop().create_task(self._drain(self._stalled))

    def resync(self) -> None:
        self._queue.clear()
        self.resyncs += 1
        self._queue.append(RESYNC)
        self._drain_later()

    def _drain_later(self) -> None:
        if self._started and self._task is None and self._queue and not self.closed:
            self._task = asyncio.get_running_loop().create_task(self._drain(None))

    async def _drain(self, first: _Resume | None) -> None:
        try:
            if first is not None:
                await first
                self._stalled = None
            while self._queue:
                item = self._queue.popleft()
                text = self._welcome(self) if item is RESYNC else item
                assert isinstance(text, str)
                await self._send_text(text)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - a broken socket ends only this client
            self._failed(exc)
        finally:
            if self._task is asyncio.current_task():
                self._task = None  # caught up: the next send goes straight out again

    def _failed(self, exc: Exception) -> None:
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
        self._started = False  # from now on nothing is written (sends only queue, bounded)
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        stalled, self._stalled = self._stalled, None
        if stalled is not None:
            stalled.close()  # cancelled before the task resumed it: let the send clean up
