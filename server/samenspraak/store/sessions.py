"""Dialogue sessions, their prompts, presenter tickets and projector keys."""

from __future__ import annotations

import sqlite3
import time
from typing import Any

import msgspec

from .. import model as m
from ..security import new_id, new_join_code
from .db import Database
from .users import now_iso

_spec_decoder = msgspec.json.Decoder(m.PromptIn)


class SessionRow(msgspec.Struct, kw_only=True):
    id: str
    org_id: str
    title: str
    neighbourhood: str | None
    language: m.Language
    state: m.SessionState
    code: str | None
    current_prompt_id: str | None
    seq: int
    created_at: str
    participants: int
    round_id: str | None = None
    round_area: str | None = None


class PromptRow(msgspec.Struct, kw_only=True):
    id: str
    session_id: str
    position: int
    spec: m.PromptIn
    state: m.PromptState
    revealed: bool

    @property
    def kind(self) -> str:
        return str(self.spec.__struct_config__.tag)


_SESSION_SQL = (
    "SELECT s.id, s.org_id, s.title, s.neighbourhood, s.language, s.state, s.code, "
    "s.current_prompt_id, s.seq, s.created_at, s.round_id, s.round_area, "
    "(SELECT COUNT(*) FROM participants p WHERE p.session_id = s.id) AS participants "
    "FROM sessions s "
)


def _session(row: sqlite3.Row) -> SessionRow:
    return SessionRow(**{k: row[k] for k in row.keys()})  # noqa: SIM118 - iterating a Row yields values


def _prompt(row: sqlite3.Row) -> PromptRow:
    return PromptRow(
        id=row["id"],
        session_id=row["session_id"],
        position=row["position"],
        spec=_spec_decoder.decode(row["spec"]),
        state=row["state"],
        revealed=bool(row["revealed"]),
    )


def _insert_prompt(
    conn: sqlite3.Connection, session_id: str, position: int, spec: m.PromptIn
) -> str:
    pid = new_id()
    conn.execute(
        "INSERT INTO prompts (id, session_id, position, kind, spec) VALUES (?, ?, ?, ?, ?)",
        (pid, session_id, position, spec.__struct_config__.tag, msgspec.json.encode(spec)),
    )
    return pid


async def create(
    db: Database,
    *,
    org_id: str,
    title: str,
    neighbourhood: str | None,
    language: str,
    prompts: list[m.PromptIn],
    round_id: str | None = None,
    round_area: str | None = None,
) -> str:
    sid = new_id()

    def write(conn: sqlite3.Connection) -> None:
        conn.execute(
            "INSERT INTO sessions (id, org_id, title, neighbourhood, language, created_at, "
            "round_id, round_area) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (sid, org_id, title, neighbourhood, language, now_iso(), round_id, round_area),
        )
        for position, spec in enumerate(prompts):
            _insert_prompt(conn, sid, position, spec)

    await db.write(write)
    return sid


async def list_for_org(db: Database, org_id: str) -> list[SessionRow]:
    rows = await db.fetch(
        _SESSION_SQL + "WHERE s.org_id = ? ORDER BY s.created_at DESC, s.id", (org_id,)
    )
    return [_session(r) for r in rows]


async def get(db: Database, sid: str) -> SessionRow | None:
    row = await db.fetch_one(_SESSION_SQL + "WHERE s.id = ?", (sid,))
    return _session(row) if row else None


async def by_live_code(db: Database, code: str) -> SessionRow | None:
    row = await db.fetch_one(_SESSION_SQL + "WHERE s.code = ? AND s.state = 'live'", (code,))
    return _session(row) if row else None


async def prompts(db: Database, sid: str) -> list[PromptRow]:
    rows = await db.fetch(
        "SELECT * FROM prompts WHERE session_id = ? ORDER BY position, id", (sid,)
    )
    return [_prompt(r) for r in rows]


async def answered(db: Database, pid: str) -> bool:
    row = await db.fetch_one(
        "SELECT EXISTS (SELECT 1 FROM responses WHERE prompt_id = ?) "
        "OR EXISTS (SELECT 1 FROM cards WHERE prompt_id = ?) AS used",
        (pid, pid),
    )
    return bool(row and row["used"])


async def update(db: Database, sid: str, fields: dict[str, Any]) -> None:
    allowed = {"title", "neighbourhood", "language", "round_id", "round_area"}
    assert set(fields) <= allowed
    if not fields:
        return
    assignments = ", ".join(f"{k} = ?" for k in fields)
    await db.write(
        lambda c: c.execute(
            f"UPDATE sessions SET {assignments} WHERE id = ?", (*fields.values(), sid)
        )
    )


async def add_prompt(db: Database, sid: str, spec: m.PromptIn) -> str:
    def write(conn: sqlite3.Connection) -> str:
        last = conn.execute(
            "SELECT COALESCE(MAX(position), -1) FROM prompts WHERE session_id = ?", (sid,)
        )
        return _insert_prompt(conn, sid, last.fetchone()[0] + 1, spec)

    return await db.write(write)


def _no_answers(conn: sqlite3.Connection, pid: str) -> None:
    used = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM responses WHERE prompt_id = ?) OR EXISTS (SELECT 1 FROM cards WHERE prompt_id = ?)",
        (pid, pid),
    ).fetchone()[0]
    if used:
        raise PromptInUse(pid)


class PromptInUse(Exception):
    """The prompt already has answers: its definition is frozen (409)."""


async def replace_spec(db: Database, pid: str, spec: m.PromptIn) -> None:
    def write(conn: sqlite3.Connection) -> None:
        _no_answers(conn, pid)
        conn.execute("UPDATE prompts SET spec = ? WHERE id = ?", (msgspec.json.encode(spec), pid))

    await db.write(write)


async def delete_prompt(db: Database, sid: str, pid: str) -> None:
    def write(conn: sqlite3.Connection) -> None:
        _no_answers(conn, pid)
        conn.execute("DELETE FROM prompts WHERE id = ?", (pid,))
        conn.execute(
            "UPDATE sessions SET current_prompt_id = NULL WHERE id = ? AND current_prompt_id = ?",
            (sid, pid),
        )

    await db.write(write)


async def reorder(db: Database, sid: str, ordered: list[str]) -> None:
    def write(conn: sqlite3.Connection) -> None:
        conn.executemany(
            "UPDATE prompts SET position = ? WHERE id = ? AND session_id = ?",
            [(pos, pid, sid) for pos, pid in enumerate(ordered)],
        )

    await db.write(write)


class NotDraft(Exception):
    """Only a draft can start (a second, concurrent start finds it live already)."""


# The next seq: past both the stored one and this worker's (several workers share a session).
_NEXT_SEQ = "seq = CASE WHEN seq > ? THEN seq ELSE ? END + 1"


async def start(db: Database, sid: str, seq: int) -> tuple[str, int]:
    """Give the session a join code unique among live sessions and make it live; (code, seq)."""

    def write(conn: sqlite3.Connection) -> tuple[str, int]:
        for _ in range(20):
            code = new_join_code()
            # its own savepoint: on PostgreSQL a failed statement spoils the transaction around it
            conn.execute("SAVEPOINT code")
            try:
                row = conn.execute(
                    f"UPDATE sessions SET state = 'live', code = ?, {_NEXT_SEQ} "
                    "WHERE id = ? AND state = 'draft' RETURNING seq",
                    (code, seq, seq, sid),
                ).fetchone()
            except sqlite3.IntegrityError:
                conn.execute("ROLLBACK TO SAVEPOINT code")
                conn.execute("RELEASE SAVEPOINT code")
                continue  # that code is live elsewhere: draw another
            conn.execute("RELEASE SAVEPOINT code")
            if row is None:
                raise NotDraft(sid)
            return code, int(row[0])
        raise RuntimeError("no free join code after 20 tries")

    return await db.write(write)


async def save_live_state(
    db: Database,
    sid: str,
    *,
    seq: int,
    current: str | None,
    prompt_states: dict[str, tuple[str, bool]],
    state: str,
) -> int:
    """Persist what a live room changed: current prompt, prompt states, session state; the
    new seq (past `seq`, this worker's, and the stored one)."""

    def write(conn: sqlite3.Connection) -> int:
        row = conn.execute(
            f"UPDATE sessions SET {_NEXT_SEQ}, current_prompt_id = ?, state = ?, "
            "closed_at = CASE WHEN ? = 'closed' AND closed_at IS NULL THEN ? ELSE closed_at END "
            "WHERE id = ? RETURNING seq",
            (seq, seq, current, state, state, now_iso(), sid),
        ).fetchone()
        conn.executemany(
            "UPDATE prompts SET state = ?, revealed = ? WHERE id = ?",
            [(st, int(rev), pid) for pid, (st, rev) in prompt_states.items()],
        )
        if state == "closed":
            conn.execute("DELETE FROM projector_keys WHERE session_id = ?", (sid,))
            conn.execute("DELETE FROM tickets WHERE session_id = ?", (sid,))
            # residents' tokens expire: their hashes are overwritten, so a token kept on a
            # phone (or a seized one) no longer leads to its answers
            conn.execute(
                "UPDATE participants SET token_hash = 'closed:' || id WHERE session_id = ?",
                (sid,),
            )
        return int(row[0])

    return await db.write(write)


TICKET_SECONDS = 60


async def add_ticket(db: Database, sid: str, ticket_hash: str, roles: str) -> None:
    expires = time.time() + TICKET_SECONDS
    await db.write(
        lambda c: c.execute(
            "INSERT INTO tickets (ticket_hash, session_id, roles, expires_at) VALUES (?, ?, ?, ?)",
            (ticket_hash, sid, roles, expires),
        )
    )


async def use_ticket(db: Database, ticket_hash: str) -> tuple[str, set[str]] | None:
    """Single use: the ticket is deleted in the same transaction that reads it."""

    def write(conn: sqlite3.Connection) -> tuple[str, set[str]] | None:
        conn.execute("DELETE FROM tickets WHERE expires_at < ?", (time.time(),))
        row = conn.execute(
            "DELETE FROM tickets WHERE ticket_hash = ? RETURNING session_id, roles", (ticket_hash,)
        ).fetchone()
        return (row["session_id"], set(row["roles"].split(","))) if row else None

    return await db.write(write)


async def add_projector_key(db: Database, sid: str, key_hash: str) -> None:
    await db.write(
        lambda c: c.execute(
            "INSERT INTO projector_keys (key_hash, session_id) VALUES (?, ?)", (key_hash, sid)
        )
    )


async def projector_session(db: Database, key_hash: str) -> str | None:
    row = await db.fetch_one(
        "SELECT session_id FROM projector_keys WHERE key_hash = ?", (key_hash,)
    )
    return row["session_id"] if row else None


async def linked_to_round(db: Database, round_id: str) -> list[SessionRow]:
    rows = await db.fetch(
        _SESSION_SQL + "WHERE s.round_id = ? ORDER BY s.created_at DESC, s.id", (round_id,)
    )
    return [_session(r) for r in rows]
