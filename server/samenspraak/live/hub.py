"""All rooms of this process, the participant-token cache and the coalescing ticker."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

from ..config import Settings
from ..store import responses as store_responses
from ..store.db import Database
from .bus import Bus, Event
from .room import Room

TICK_SECONDS = 0.1  # presenters get results at most 10×/s
IDLE_SECONDS = 15 * 60  # a room without sockets or requests for this long is dropped from memory
SWEEP_EVERY = 60.0
log = logging.getLogger("samenspraak.live")


class Hub:
    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings
        self.rooms: dict[str, Room] = {}
        self._loading: dict[str, asyncio.Lock] = {}
        self._participants: dict[str, tuple[int, str]] = {}
        self._ticker: asyncio.Task[None] | None = None
        self._touched: dict[str, float] = {}
        self._last_sweep = time.monotonic()
        self.bus = Bus(settings.bus, self._on_events, self._rebuild_all) if settings.bus else None
        self._early: dict[str, list[Event]] = {}  # events for rooms being loaded now
        self._tasks: set[asyncio.Task[None]] = set()
        self.detached = 0  # sockets closed since start (gcpolicy.py)

    def bus_state(self) -> str:
        """For /health: "none" (one worker), "ok" or "down"."""
        if self.bus is None:
            return "none"
        return "ok" if self.bus.ok else "down"

    async def start_bus(self) -> None:
        if self.bus is not None:
            await self.bus.start()

    def _on_events(self, events: list[Event]) -> None:
        for event in events:
            if event["t"] == "rebuild":
                for sid in event["s"]:
                    room = self.rooms.get(sid)
                    if room is not None:
                        self._spawn(room.rebuild())
                continue
            sid = event["s"]
            room = self.rooms.get(sid)
            if room is None:
                early = self._early.get(sid)
                if early is not None:
                    early.append(event)  # replayed once the room is loaded (replays are harmless)
                continue
            self._dispatch(room, event)

    def _dispatch(self, room: Room, event: Event) -> None:
        try:
            if event["t"] == "st":
                self._spawn(room.remote_change(int(event["seq"]), event.get("fx")))
            else:
                room.remote(event)
        except Exception:  # noqa: BLE001 - one bad event must not stop the others
            log.exception("a live event could not be applied")

    def _spawn(self, work: Any) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _rebuild_all(self) -> None:
        for room in list(self.rooms.values()):
            try:
                await room.rebuild()
            except Exception:  # noqa: BLE001 - the next outage or use retries it
                log.exception("a room could not be rebuilt")

    def start(self) -> None:
        self._ticker = asyncio.create_task(self._tick_forever())

    async def room(self, sid: str) -> Room | None:
        room = self.rooms.get(sid)
        if room is None:
            lock = self._loading.setdefault(sid, asyncio.Lock())
            async with lock:
                room = self.rooms.get(sid)
                if room is None:
                    self._early[sid] = []
                    try:
                        room = await Room.load(
                            self.db,
                            sid,
                            min_group=self.settings.min_group,
                            public_url=self.settings.public_url,
                        )
                    finally:
                        early = self._early.pop(sid, [])
                    if room is not None:
                        room.bus = self.bus
                        if self.bus is not None:
                            room.seq = room.session.seq  # workers share the stored seq
                        self.rooms[sid] = room
                        for event in early:
                            self._dispatch(room, event)
            if self._loading.get(sid) is lock and not lock.locked():
                del self._loading[sid]  # unknown ids leave nothing behind
        if room is not None:
            self._touched[sid] = time.monotonic()
        return room

    def sockets(self) -> int:
        """Sockets open on this process, in every room."""
        return sum(len(room.clients) for room in self.rooms.values())

    def closed_sockets(self) -> int:
        """Sockets closed on this process since it started."""
        return self.detached

    def forget(self, sid: str) -> None:
        """Drop a room from memory (after a purge); it reloads from the database on next use."""
        self.rooms.pop(sid, None)
        self._touched.pop(sid, None)
        self._loading.pop(sid, None)

    def sweep(self, now: float) -> None:
        """Drop idle rooms and their cached tokens; the database is the truth, a room reloads on use."""
        idle = [
            sid
            for sid, room in self.rooms.items()
            if not room.clients and now - self._touched.get(sid, now) > IDLE_SECONDS
        ]
        for sid in idle:
            del self.rooms[sid]
            self._touched.pop(sid, None)
            self._loading.pop(sid, None)
        if idle:
            gone = set(idle)
            self._participants = {k: v for k, v in self._participants.items() if v[1] not in gone}

    def remember_participant(self, token_hash: str, who: int, sid: str) -> None:
        self._participants[token_hash] = (who, sid)

    async def participant(self, token_hash: str) -> tuple[int, Room] | None:
        """The participant of a token and its room (whatever the session's state); None when unknown."""
        found = self._participants.get(token_hash)
        if found is None:
            found = await store_responses.participant(self.db, token_hash)
            if found is None:
                return None
            self._participants[token_hash] = found
        room = await self.room(found[1])
        if room is None or room.session.state == "closed":
            self._participants.pop(token_hash, None)  # tokens expire when the session closes
            return None
        return found[0], room

    async def _tick_forever(self) -> None:
        while True:
            await asyncio.sleep(TICK_SECONDS)
            now = time.monotonic()
            if now - self._last_sweep > SWEEP_EVERY:
                self._last_sweep = now
                self.sweep(now)
            for room in list(self.rooms.values()):
                try:
                    room.tick(now)
                except Exception:
                    log.exception("tick failed for a room")

    async def shutdown(self, code: int = 1012) -> None:
        """Close every socket with `code` (1012: service restart) so a deploy takes seconds."""
        if self._ticker is not None:
            self._ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ticker
            self._ticker = None
        clients = [c for room in self.rooms.values() for c in room.clients]
        await asyncio.gather(
            *(c.close(code, "service restart") for c in clients), return_exceptions=True
        )
        if self.bus is not None:
            await self.bus.stop()
