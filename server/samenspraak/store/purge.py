"""Retention: which sessions and rounds are due, and removing their raw free text."""

from __future__ import annotations

import sqlite3

import msgspec

from .. import model as m
from .db import Database
from .users import now_iso

FrozenTally = m.OpenTally | m.WordsTally  # the kinds with raw text; others need no freezing
_tally = msgspec.json.Decoder(FrozenTally)


async def due_sessions(db: Database, closed_before: str) -> list[str]:
    rows = await db.fetch(
        "SELECT id FROM sessions WHERE state = 'closed' AND closed_at IS NOT NULL "
        "AND closed_at <= ? AND purged_at IS NULL ORDER BY closed_at, id",
        (closed_before,),
    )
    return [r["id"] for r in rows]


async def due_rounds(db: Database, closed_before: str) -> list[str]:
    rows = await db.fetch(
        "SELECT id FROM rounds WHERE state = 'closed' AND closed_at IS NOT NULL "
        "AND closed_at <= ? AND purged_at IS NULL ORDER BY closed_at, id",
        (closed_before,),
    )
    return [r["id"] for r in rows]


async def purge_session(
    db: Database, sid: str, frozen: dict[str, bytes], words: list[str], cards: list[str]
) -> tuple[int, int]:
    """Keep the aggregates (frozen tallies), then delete the cards and the word answers.
    One transaction: either everything of this session is purged or nothing."""

    def write(conn: sqlite3.Connection) -> tuple[int, int]:
        for pid, tally in frozen.items():
            conn.execute(
                "INSERT INTO frozen_tallies (prompt_id, tally) VALUES (?, ?) "
                "ON CONFLICT (prompt_id) DO UPDATE SET tally = excluded.tally",
                (pid, tally.decode()),
            )
        removed_cards = sum(
            conn.execute("DELETE FROM cards WHERE prompt_id = ?", (pid,)).rowcount for pid in cards
        )
        removed_words = sum(
            conn.execute("DELETE FROM responses WHERE prompt_id = ?", (pid,)).rowcount
            for pid in words
        )
        conn.execute("UPDATE sessions SET purged_at = ? WHERE id = ?", (now_iso(), sid))
        return removed_cards, removed_words

    return await db.write(write)


async def purge_round(db: Database, rid: str) -> int:
    def write(conn: sqlite3.Connection) -> int:
        texts = conn.execute(
            "UPDATE notes SET text = NULL, redactions = '[]' "
            "WHERE round_id = ? AND (text IS NOT NULL OR redactions != '[]')",
            (rid,),
        ).rowcount
        conn.execute("UPDATE rounds SET purged_at = ? WHERE id = ?", (now_iso(), rid))
        return int(texts)

    return await db.write(write)


async def frozen_tallies(db: Database, sid: str) -> dict[str, m.OpenTally | m.WordsTally]:
    rows = await db.fetch(
        "SELECT f.prompt_id, f.tally FROM frozen_tallies f JOIN prompts p ON p.id = f.prompt_id "
        "WHERE p.session_id = ?",
        (sid,),
    )
    return {r["prompt_id"]: _tally.decode(r["tally"]) for r in rows}
