"""The word cloud's filter: an organisation's own list, and per prompt the approved words."""

from __future__ import annotations

import json
import sqlite3

from .db import Database


async def org_filter(db: Database, org_id: str) -> tuple[list[str], list[str]]:
    """(added, allowed) for an organisation; empty lists when it never changed the default."""
    row = await db.fetch_one("SELECT added, allowed FROM word_filters WHERE org_id = ?", (org_id,))
    if row is None:
        return [], []
    return list(json.loads(row["added"])), list(json.loads(row["allowed"]))


async def set_org_filter(db: Database, org_id: str, added: list[str], allowed: list[str]) -> None:
    await db.write(
        lambda c: c.execute(
            "INSERT INTO word_filters (org_id, added, allowed) VALUES (?, ?, ?) "
            "ON CONFLICT (org_id) DO UPDATE SET added = excluded.added, allowed = excluded.allowed",
            (org_id, json.dumps(added), json.dumps(allowed)),
        )
    )


async def approvals(db: Database, sid: str) -> dict[str, set[str]]:
    rows = await db.fetch(
        "SELECT a.prompt_id, a.word FROM word_approvals a JOIN prompts p ON p.id = a.prompt_id "
        "WHERE p.session_id = ?",
        (sid,),
    )
    found: dict[str, set[str]] = {}
    for row in rows:
        found.setdefault(row["prompt_id"], set()).add(row["word"])
    return found


async def approve(db: Database, pid: str, word: str) -> None:
    def write(conn: sqlite3.Connection) -> None:
        conn.execute(
            "INSERT INTO word_approvals (prompt_id, word) VALUES (?, ?) ON CONFLICT DO NOTHING",
            (pid, word),
        )

    await db.write(write)
