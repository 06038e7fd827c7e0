"""Reads for the organisation overview: every session and round of one organisation, and how
many notes each round has per area. Nothing here is shown as is: routes/overview.py applies
the k-anonymity and min_group rules."""

from __future__ import annotations

import msgspec

from .. import model as m
from .db import Database


class SessionBrief(msgspec.Struct, kw_only=True):
    id: str
    title: str
    neighbourhood: str | None
    state: m.SessionState
    created_at: str
    closed_at: str | None
    round_id: str | None
    round_area: str | None
    participants: int


async def sessions(db: Database, org_id: str) -> list[SessionBrief]:
    """The organisation's sessions, oldest first (in the order they were made)."""
    rows = await db.fetch(
        "SELECT s.id, s.title, s.neighbourhood, s.state, s.created_at, s.closed_at, "
        "s.round_id, s.round_area, "
        "(SELECT COUNT(*) FROM participants p WHERE p.session_id = s.id) AS participants "
        "FROM sessions s WHERE s.org_id = ? ORDER BY s.created_at, s.rowid",
        (org_id,),
    )
    return [SessionBrief(**{k: r[k] for k in r.keys()}) for r in rows]  # noqa: SIM118 - a Row iterates values


async def notes_per_area(db: Database, org_id: str) -> dict[tuple[str, str], int]:
    """(round id, area) -> number of notes, for the organisation's rounds."""
    rows = await db.fetch(
        "SELECT n.round_id, n.area, COUNT(*) AS notes FROM notes n "
        "JOIN rounds r ON r.id = n.round_id WHERE r.org_id = ? GROUP BY n.round_id, n.area",
        (org_id,),
    )
    return {(r["round_id"], r["area"]): int(r["notes"]) for r in rows}
