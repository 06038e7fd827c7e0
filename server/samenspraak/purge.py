"""Retention: raw open text (cards, word answers) and canvass free text are deleted
`SAMENSPRAAK_RETENTION_DAYS` after their session or round closed; aggregates stay.

Run by `samenspraak purge` and once a day by `samenspraak serve`. Logs counts only."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import sqlite3
from collections.abc import Callable

import msgspec

from . import model as m
from .config import Settings
from .live.room import Room
from .store import purge as store
from .store.db import Database
from .store.users import now_iso

log = logging.getLogger("samenspraak.purge")
EVERY = 24 * 3600.0


class Purged(msgspec.Struct):
    sessions: int = 0
    cards: int = 0
    word_answers: int = 0
    rounds: int = 0
    note_texts: int = 0
    session_ids: list[str] = msgspec.field(default_factory=list)


def _without_text(tally: m.Tally) -> m.Tally:
    """The aggregate of an open prompt keeps its counts per category, not the cards' text."""
    if isinstance(tally, m.OpenTally):
        tally.cards = []
    return tally


async def purge(db: Database, settings: Settings, now: dt.datetime | None = None) -> Purged:
    now = now or dt.datetime.now(dt.UTC)
    cutoff = now_iso(now - dt.timedelta(days=settings.retention_days))
    done = Purged()
    for sid in await store.due_sessions(db, cutoff):
        room = await Room.load(
            db, sid, min_group=settings.min_group, public_url=settings.public_url
        )
        if room is None:
            continue
        texts = [r for r in room.ordered() if r.kind in ("open", "words")]
        frozen = {
            r.id: msgspec.json.encode(_without_text(room.tallies[r.id].snapshot())) for r in texts
        }
        cards, words = await store.purge_session(
            db,
            sid,
            frozen,
            words=[r.id for r in texts if r.kind == "words"],
            cards=[r.id for r in texts if r.kind == "open"],
        )
        done.sessions += 1
        done.session_ids.append(sid)
        done.cards += cards
        done.word_answers += words
    for rid in await store.due_rounds(db, cutoff):
        done.note_texts += await store.purge_round(db, rid)
        done.rounds += 1
    if (done.sessions or done.rounds) and db.dialect == "sqlite":
        # PostgreSQL: deleted rows go with VACUUM (autovacuum); see docs/deploy.md
        await asyncio.to_thread(_checkpoint, db.path)
    log.log(
        logging.INFO if done.sessions or done.rounds else logging.DEBUG,  # quiet when idle
        "purge: %d sessions (%d cards, %d word answers), %d rounds (%d note texts)",
        done.sessions,
        done.cards,
        done.word_answers,
        done.rounds,
        done.note_texts,
    )
    return done


async def every_day(db: Database, settings: Settings, forget: Callable[[str], None]) -> None:
    """`serve`'s daily purge: once at start-up, then every 24 hours; a failure is logged and
    retried the next day (the server keeps running)."""
    while True:
        try:
            done = await purge(db, settings)
            for sid in done.session_ids:
                forget(sid)  # the room reloads from the frozen aggregates on its next use
        except Exception as exc:  # noqa: BLE001 - logged by type only; never stops the server
            log.error("purge failed: %s", type(exc).__name__)
        await asyncio.sleep(EVERY)


def _checkpoint(path: str) -> None:
    """Copy the WAL into the database and empty it, so deleted text is not left in the WAL."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
