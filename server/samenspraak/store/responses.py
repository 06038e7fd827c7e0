"""Participants (token hash only), their answers and their cards."""

from __future__ import annotations

import sqlite3
from typing import Any

import msgspec

from .. import model as m
from ..security import new_id
from .db import Database, as_bytes
from .pg import lock_for_share


class CardRow(msgspec.Struct):
    card: m.Card
    participant_id: int
    client_id: str


async def join(db: Database, sid: str, token_hash: str, count: bool) -> tuple[int, int]:
    """A new participant: (its id, the session's participants counted in the same commit, or
    0 when not asked: one worker counts in memory, several need the database's count)."""

    def write(conn: sqlite3.Connection) -> tuple[int, int]:
        row = conn.execute(
            "INSERT INTO participants (session_id, token_hash) VALUES (?, ?) RETURNING id",
            (sid, token_hash),
        ).fetchone()
        if not count:
            return int(row[0]), 0
        total = conn.execute(
            "SELECT COUNT(*) FROM participants WHERE session_id = ?", (sid,)
        ).fetchone()
        return int(row[0]), int(total[0])

    return await db.write(write)


def remove_participant_answers(conn: sqlite3.Connection, who: int) -> int:
    """A resident's "remove my answers": every answer and card (participant ids are unique
    across sessions). The participant stays counted as joined."""
    removed = conn.execute("DELETE FROM responses WHERE participant_id = ?", (who,)).rowcount
    return int(
        removed + conn.execute("DELETE FROM cards WHERE participant_id = ?", (who,)).rowcount
    )


async def participant(db: Database, token_hash: str) -> tuple[int, str] | None:
    row = await db.fetch_one(
        "SELECT id, session_id FROM participants WHERE token_hash = ?", (token_hash,)
    )
    return (row["id"], row["session_id"]) if row else None


class PromptGone(Exception):
    """Since the answer was checked, its prompt was deleted, closed or changed: do not store it."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def still_open(conn: sqlite3.Connection, pid: str, spec: m.PromptIn) -> None:
    """Inside the writer's transaction, so staff edits, deletes and closes are ordered with it."""
    row = conn.execute(
        "SELECT p.state, p.spec, s.state AS session_state FROM prompts p "
        "JOIN sessions s ON s.id = p.session_id WHERE p.id = ?" + lock_for_share(conn),
        (pid,),
    ).fetchone()
    if row is None:
        raise PromptGone("deleted")
    if row["state"] != "open" or row["session_state"] != "live":
        raise PromptGone("closed")
    if as_bytes(row["spec"]) != msgspec.json.encode(spec):
        raise PromptGone("changed")


def put_answer(conn: sqlite3.Connection, pid: str, who: int, key: str, value: Any) -> None:
    conn.execute(
        "INSERT INTO responses (prompt_id, participant_id, key, value) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (prompt_id, participant_id, key) DO UPDATE SET value = excluded.value",
        (pid, who, key, msgspec.json.encode(value)),
    )


class CardClash(Exception):
    """The same client card id was stored before with other content."""


def put_card(
    conn: sqlite3.Connection,
    pid: str,
    who: int,
    client_id: str,
    text: str,
    category: str | None,
    status: str,
) -> tuple[m.Card, bool]:
    """Insert a card; (card, created). Same client id + same content again → the stored card."""
    row = conn.execute(
        "SELECT id, prompt_id, text, category, status FROM cards WHERE participant_id = ? AND client_id = ?",
        (who, client_id),
    ).fetchone()
    if row is not None:
        if (row["prompt_id"], row["text"], row["category"]) != (pid, text, category):
            raise CardClash(client_id)
        return m.Card(
            id=row["id"],
            prompt_id=pid,
            text=row["text"],
            category=row["category"],
            status=row["status"],
        ), False
    card_id = new_id()
    conn.execute(
        "INSERT INTO cards (id, prompt_id, participant_id, client_id, text, category, status) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (card_id, pid, who, client_id, text, category, status),
    )
    return m.Card(id=card_id, prompt_id=pid, text=text, category=category, status=status), True  # type: ignore[arg-type]


def count_cards(conn: sqlite3.Connection, pid: str, who: int) -> int:
    return int(
        conn.execute(
            "SELECT COUNT(*) FROM cards WHERE prompt_id = ? AND participant_id = ?", (pid, who)
        ).fetchone()[0]
    )


async def moderate(db: Database, card_id: str, status: str) -> None:
    await db.write(
        lambda c: c.execute("UPDATE cards SET status = ? WHERE id = ?", (status, card_id))
    )


async def answers_for_session(db: Database, sid: str) -> list[tuple[str, int, str, Any]]:
    rows = await db.fetch(
        "SELECT r.prompt_id, r.participant_id, r.key, r.value FROM responses r "
        "JOIN prompts p ON p.id = r.prompt_id WHERE p.session_id = ?",
        (sid,),
    )
    return [
        (r["prompt_id"], r["participant_id"], r["key"], msgspec.json.decode(r["value"]))
        for r in rows
    ]


async def cards_for_session(db: Database, sid: str) -> list[CardRow]:
    rows = await db.fetch(
        "SELECT c.* FROM cards c JOIN prompts p ON p.id = c.prompt_id WHERE p.session_id = ? ORDER BY c.rowid",
        (sid,),
    )
    return [
        CardRow(
            card=m.Card(
                id=r["id"],
                prompt_id=r["prompt_id"],
                text=r["text"],
                category=r["category"],
                status=r["status"],
            ),
            participant_id=r["participant_id"],
            client_id=r["client_id"],
        )
        for r in rows
    ]


async def participant_tokens(db: Database, sid: str) -> dict[str, int]:
    rows = await db.fetch("SELECT id, token_hash FROM participants WHERE session_id = ?", (sid,))
    return {r["token_hash"]: r["id"] for r in rows}
