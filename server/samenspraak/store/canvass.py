"""Canvassing rounds and their notes."""

from __future__ import annotations

import json
import sqlite3
from typing import Any, Literal

import msgspec

from .. import model as m
from ..security import new_id
from .db import Database
from .users import now_iso


class RoundClosed(Exception):
    """The round is closed: no new notes (a resend of a stored note is still fine)."""


class NoteConflict(Exception):
    """This note id is stored with other content (or by another canvasser)."""


class InUse(Exception):
    """An area or topic that notes use cannot be removed from the round."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


class RoundRow(msgspec.Struct, kw_only=True):
    id: str
    org_id: str
    title: str
    areas: list[str]
    topics: list[str]
    starts_on: str | None
    ends_on: str | None
    state: m.RoundState
    created_at: str
    closed_at: str | None
    notes: int = 0
    my_notes: int = 0
    purged_at: str | None = None  # free text removed by the retention purge


class StoredNote(msgspec.Struct, kw_only=True):
    """What is written for a note that passed the rules: text already redacted."""

    id: str
    author_id: str
    digest: str
    note: m.NoteIn
    text: str | None
    redactions: list[m.RedactionOut]


_ROUND_SQL = (
    "SELECT r.*, "
    "(SELECT COUNT(*) FROM notes n WHERE n.round_id = r.id) AS notes, "
    "(SELECT COUNT(*) FROM notes n WHERE n.round_id = r.id AND n.author_id = ?) AS my_notes "
    "FROM rounds r "
)


def _round(row: sqlite3.Row) -> RoundRow:
    data: dict[str, Any] = {k: row[k] for k in row.keys()}  # noqa: SIM118 - a Row iterates values
    data["areas"] = json.loads(data["areas"])
    data["topics"] = json.loads(data["topics"])
    return RoundRow(**data)


async def create_round(
    db: Database,
    org_id: str,
    title: str,
    areas: list[str],
    topics: list[str],
    starts_on: str | None,
    ends_on: str | None,
) -> str:
    rid = new_id()
    await db.write(
        lambda c: c.execute(
            "INSERT INTO rounds (id, org_id, title, areas, topics, starts_on, ends_on, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                rid,
                org_id,
                title,
                json.dumps(areas),
                json.dumps(topics),
                starts_on,
                ends_on,
                now_iso(),
            ),
        )
    )
    return rid


async def list_rounds(db: Database, org_id: str, user_id: str) -> list[RoundRow]:
    rows = await db.fetch(
        _ROUND_SQL + "WHERE r.org_id = ? ORDER BY r.state = 'closed', r.created_at DESC, r.id",
        (user_id, org_id),
    )
    return [_round(r) for r in rows]


async def get_round(db: Database, rid: str, user_id: str) -> RoundRow | None:
    row = await db.fetch_one(_ROUND_SQL + "WHERE r.id = ?", (user_id, rid))
    return _round(row) if row else None


async def update_round(db: Database, rid: str, fields: dict[str, Any]) -> None:
    """Change title, dates, areas or topics; removing an area/topic that a note uses: InUse."""
    allowed = {"title", "areas", "topics", "starts_on", "ends_on"}
    assert set(fields) <= allowed
    if not fields:
        return

    def write(conn: sqlite3.Connection) -> None:
        if "areas" in fields:
            used = {
                r[0]
                for r in conn.execute("SELECT DISTINCT area FROM notes WHERE round_id = ?", (rid,))
            }
            if used - set(fields["areas"]):
                raise InUse("areas")
        if "topics" in fields:
            used = set()
            for (topics,) in conn.execute("SELECT topics FROM notes WHERE round_id = ?", (rid,)):
                used.update(json.loads(topics))
            if used - set(fields["topics"]):
                raise InUse("topics")
        values = [json.dumps(v) if k in ("areas", "topics") else v for k, v in fields.items()]
        assignments = ", ".join(f"{k} = ?" for k in fields)
        conn.execute(f"UPDATE rounds SET {assignments} WHERE id = ?", (*values, rid))

    await db.write(write)


async def close_round(db: Database, rid: str) -> None:
    await db.write(
        lambda c: c.execute(
            "UPDATE rounds SET state = 'closed', closed_at = ? WHERE id = ? AND state = 'open'",
            (now_iso(), rid),
        )
    )


def _put(conn: sqlite3.Connection, rid: str, stored: StoredNote) -> Literal["created", "same"]:
    old = conn.execute(
        "SELECT author_id, digest FROM notes WHERE round_id = ? AND id = ?", (rid, stored.id)
    ).fetchone()
    if old is not None:
        if old["author_id"] == stored.author_id and old["digest"] == stored.digest:
            return "same"
        raise NoteConflict(stored.id)
    state, areas = conn.execute("SELECT state, areas FROM rounds WHERE id = ?", (rid,)).fetchone()
    if state != "open":
        raise RoundClosed(rid)
    note = stored.note
    if note.area not in json.loads(areas):  # the round was edited since the note was checked
        raise NoteConflict(stored.id)
    conn.execute(
        "INSERT INTO notes (round_id, id, author_id, digest, area, day, part_of_day, outcome, "
        "topics, concern, trust, us_them, us_them_about, incident, wants_dialogue, text, "
        "redactions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            rid,
            stored.id,
            stored.author_id,
            stored.digest,
            note.area,
            note.day,
            note.part_of_day,
            note.outcome,
            json.dumps(note.topics),
            note.concern,
            note.trust,
            int(note.us_them),
            json.dumps(note.us_them_about),
            note.incident,
            note.wants_dialogue,
            stored.text,
            msgspec.json.encode(stored.redactions).decode(),
        ),
    )
    return "created"


async def put_note(db: Database, rid: str, stored: StoredNote) -> Literal["created", "same"]:
    """Store a note once. Raises NoteConflict or RoundClosed (checked inside the write)."""
    return await db.write(lambda conn: _put(conn, rid, stored))


_redactions = msgspec.json.Decoder(list[m.RedactionOut])


def _note(row: sqlite3.Row, user_id: str | None) -> m.NoteOut:
    return m.NoteOut(
        id=row["id"],
        area=row["area"],
        day=row["day"],
        part_of_day=row["part_of_day"],
        outcome=row["outcome"],
        topics=json.loads(row["topics"]),
        concern=row["concern"],
        trust=row["trust"],
        us_them=bool(row["us_them"]),
        us_them_about=json.loads(row["us_them_about"]),
        incident=row["incident"],
        wants_dialogue=row["wants_dialogue"],
        text=row["text"],
        redactions=_redactions.decode(row["redactions"]),
        mine=row["author_id"] == user_id,
    )


async def notes(
    db: Database, rid: str, user_id: str, only_mine: bool
) -> list[tuple[m.NoteOut, str]]:
    """The round's notes (with the author's id, for an admin's export), oldest day first."""
    sql = "SELECT * FROM notes WHERE round_id = ?"
    params: tuple[str, ...] = (rid,)
    if only_mine:
        sql += " AND author_id = ?"
        params = (rid, user_id)
    order = " ORDER BY day, CASE part_of_day WHEN 'morning' THEN 0 WHEN 'afternoon' THEN 1 ELSE 2 END, id"
    rows = await db.fetch(sql + order, params)
    return [(_note(r, user_id), r["author_id"]) for r in rows]
