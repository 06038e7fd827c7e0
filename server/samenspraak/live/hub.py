"""All rooms of this process, the participant-token cache and the coalescing ticker."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from ..config import Settings
from ..store import responses as store_responses
from ..store.db import Database
from .room import Room

TICK_SECONDS = 0.1  # presenters get results at most 10×/s
log = logging.getLogger("samenspraak.live")


class Hub:
    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings
        self.rooms: dict[str, Room] = {}
        self._loading: dict[str, asyncio.Lock] = {}
        self._participants: dict[str, tuple[int, str]] = {}
        self._ticker: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._ticker = asyncio.create_task(self._tick_forever())

    async def room(self, sid: str) -> Room | None:
        room = self.rooms.get(sid)
        if room is not None:
            return room
        lock = self._loading.setdefault(sid, asyncio.Lock())
        async with lock:
            room = self.rooms.get(sid)
            if room is None:
                room = await Room.load(
                    self.db,
                    sid,
                    min_group=self.settings.min_group,
                    public_url=self.settings.public_url,
                )
                if room is not None:
                    self.rooms[sid] = room
        return room

    def forget(self, sid: str) -> None:
        self.rooms.pop(sid, None)

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
        if room is None:
            return None
        return found[0], room

    async def _tick_forever(self) -> None:
        while True:
            await asyncio.sleep(TICK_SECONDS)
            now = time.monotonic()
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
