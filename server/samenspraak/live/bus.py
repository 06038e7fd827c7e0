"""Live events between several `samenspraak serve` workers over Redis pub/sub
(`SAMENSPRAAK_BUS=redis://…`).

Every worker keeps its own copy of each room it serves. The database is the truth: a worker
commits first, changes its own copy, then publishes what changed; the other workers change
their copies the same way (answers and cards are replayed, structural changes are re-read
from the database, so their order does not matter). `seq` is allocated in the database.

While the bus is down a worker reports unhealthy on /health and refuses live writes with 503
(never an ack another worker's projector would not see). When it is back, the worker rebuilds
its rooms from the database and resyncs its sockets, and asks the others to do the same for
the rooms whose events it could not publish, so nothing acknowledged is missed."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

import msgspec

CHANNEL = "samenspraak:live"
BACKOFF_FIRST = 0.1
BACKOFF_MOST = 2.0
MAX_EVENTS = 500  # per published message
log = logging.getLogger("samenspraak.bus")
_encode = msgspec.json.encode
_decode = msgspec.json.decode

Event = dict[str, Any]


class Bus:
    def __init__(
        self,
        url: str,
        on_events: Callable[[list[Event]], None],
        on_reconnect: Callable[[], Awaitable[None]],
    ) -> None:
        self.url = url
        self.worker = secrets.token_hex(6)
        self._on_events = on_events
        self._on_reconnect = on_reconnect
        self._pending: list[Event] = []
        self._wake = asyncio.Event()
        self._lost: set[str] = set()  # rooms whose events could not be published
        self._listening = False
        self._publishing = True
        self._tasks: list[asyncio.Task[None]] = []
        self._up = asyncio.Event()

    @property
    def ok(self) -> bool:
        return self._listening and self._publishing

    async def start(self, wait: float = 5.0) -> None:
        self._tasks = [
            asyncio.create_task(self._listen_forever()),
            asyncio.create_task(self._publish_forever()),
        ]
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._up.wait(), wait)
        if not self.ok:
            log.error("the live bus is not reachable yet; retrying")

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks = []

    def publish(self, event: Event) -> None:
        """Never blocks: the publisher task sends everything waiting as one message."""
        event["w"] = self.worker
        self._pending.append(event)
        self._wake.set()

    def _client(self) -> Any:
        import redis.asyncio as aioredis

        return aioredis.from_url(
            self.url, socket_connect_timeout=2, socket_keepalive=True, health_check_interval=5
        )

    async def _listen_forever(self) -> None:
        import redis.exceptions

        backoff = BACKOFF_FIRST
        first = True
        while True:
            client = self._client()
            pubsub = client.pubsub()
            try:
                await pubsub.subscribe(CHANNEL)
                await client.ping()
                self._listening = True
                self._up.set()
                backoff = BACKOFF_FIRST
                if not first:
                    log.warning("live bus back: rebuilding rooms from the database")
                    await self._on_reconnect()
                first = False
                while True:
                    message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=5)
                    if message is None:
                        await pubsub.ping()  # a dead connection shows up here, not in silence
                        continue
                    if message.get("type") != "message":
                        continue
                    events = [e for e in _decode(message["data"]) if e.get("w") != self.worker]
                    if events:
                        self._on_events(events)
            except asyncio.CancelledError:
                raise
            except (redis.exceptions.RedisError, OSError, TimeoutError) as exc:
                if self._listening:
                    log.error("live bus lost: %s", type(exc).__name__)
                self._listening = False
            except Exception:  # noqa: BLE001 - a bad event must not end the listener
                log.exception("live bus listener failed")
                self._listening = False
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()
                with contextlib.suppress(Exception):
                    await client.aclose()
            await asyncio.sleep(backoff)
            backoff = min(BACKOFF_MOST, backoff * 2)

    async def _publish_forever(self) -> None:
        import redis.exceptions

        client = self._client()
        backoff = BACKOFF_FIRST
        try:
            while True:
                if not self._pending and not self._lost:
                    self._wake.clear()
                    await self._wake.wait()
                batch, self._pending = self._pending[:MAX_EVENTS], self._pending[MAX_EVENTS:]
                if self._lost:
                    # after an outage: the others rebuild what they may have missed from us
                    batch = [{"t": "rebuild", "s": sorted(self._lost), "w": self.worker}, *batch]
                try:
                    await client.publish(CHANNEL, _encode(batch))
                except (redis.exceptions.RedisError, OSError, TimeoutError) as exc:
                    if self._publishing:
                        log.error("live bus publish failed: %s", type(exc).__name__)
                    self._publishing = False
                    self._lost.update(
                        s for e in batch for s in (e["s"] if e["t"] == "rebuild" else [e["s"]])
                    )
                    with contextlib.suppress(Exception):
                        await client.aclose()
                    await asyncio.sleep(backoff)
                    backoff = min(BACKOFF_MOST, backoff * 2)
                    client = self._client()
                    continue
                self._lost.clear()
                self._publishing = True
                backoff = BACKOFF_FIRST
        finally:
            with contextlib.suppress(Exception):
                await client.aclose()
