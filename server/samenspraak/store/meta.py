"""Key/value facts about this database (e.g. the demo's token key)."""

from __future__ import annotations

import secrets
import sqlite3

from .db import Database


async def token_key(db: Database) -> str:
    """The key for hashing tokens when no SAMENSPRAAK_SECRET_KEY is set (demo only): made once, kept."""

    def write(conn: sqlite3.Connection) -> str:
        conn.execute(
            "INSERT INTO meta (key, value) VALUES ('token_key', ?) ON CONFLICT (key) DO NOTHING",
            (secrets.token_urlsafe(48),),
        )
        return str(conn.execute("SELECT value FROM meta WHERE key = 'token_key'").fetchone()[0])

    return await db.write(write)
