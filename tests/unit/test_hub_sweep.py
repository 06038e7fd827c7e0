"""Idle rooms leave memory; the database keeps everything, and a room reloads on use."""

from __future__ import annotations

import time
from pathlib import Path

from samenspraak import model as m
from samenspraak.config import load_settings
from samenspraak.live.hub import IDLE_SECONDS, Hub
from samenspraak.store import responses as store_responses
from samenspraak.store import sessions as store_sessions
from samenspraak.store import users as store_users
from samenspraak.store.db import Database


async def test_idle_room_is_dropped_and_reloads_with_its_answers(tmp_path: Path) -> None:
    db = Database(str(tmp_path / "hub.sqlite3"))
    await db.open()
    try:
        await store_users.add_user(
            db, email="a@b.nl", name="A", org="O", role="facilitator", password="x" * 12
        )
        staff = await store_users.by_email(db, "a@b.nl")
        assert staff is not None
        sid = await store_sessions.create(
            db,
            org_id=staff.org_id,
            title="T",
            neighbourhood=None,
            language="nl",
            prompts=[m.ScaleIn(title="Hoe gaat het?")],
        )
        await store_sessions.start(db, sid, 1)
        hub = Hub(db, load_settings({}, demo=True))
        room = await hub.room(sid)
        assert room is not None
        pid = next(iter(room.prompts))
        await room.show(pid)
        who, _ = await store_responses.join(db, sid, "hash-1", count=False)
        hub.remember_participant("hash-1", who, sid)
        await room.respond(who, pid, 4)

        hub.sweep(now=10**9)
        assert sid not in hub.rooms
        again = await hub.participant("hash-1")
        assert again is not None and again[1] is not room
        assert again[1].tallies[pid].snapshot().counts == {"1": 0, "2": 0, "3": 0, "4": 1, "5": 0}
        assert again[1].session.current_prompt_id == pid

        hub.sweep(now=time.monotonic() + IDLE_SECONDS / 2)  # touched just now: stays
        assert sid in hub.rooms
    finally:
        await db.close()
