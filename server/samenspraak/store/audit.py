"""The audit log of staff actions: who, what, which session or round, when.

Written after an action succeeded, by the route handlers and the command line. A row holds ids
and one action word, never resident data, free text or an address; titles and names are looked
up when the log is read. A failed audit write is logged and never turns a done action into an
error."""

from __future__ import annotations

import logging
import sqlite3
from typing import Literal, get_args

from .. import model as m
from .db import Database, StoreUnavailable
from .users import StaffRow, now_iso

log = logging.getLogger("samenspraak")

Action = Literal[
    "login",
    "logout",
    "logout_all",
    "password_changed",
    "create",
    "start",
    "show",
    "close_prompt",
    "reveal",
    "close",
    "moderate",
    "export",
    "purge",
    "user_added",
    "token_created",
    "token_revoked",
]
ACTIONS: tuple[str, ...] = get_args(Action)  # create, close and export: of a session or a round
MAX_LIMIT = 500


async def record(
    db: Database,
    staff: StaffRow | None,
    action: Action,
    *,
    org_id: str | None = None,
    session_id: str | None = None,
    round_id: str | None = None,
    target_id: str | None = None,
) -> None:
    """One row. `staff` None: the server's command line (then `org_id` says whose it is, or
    None for the whole server)."""
    values = (
        staff.org_id if staff is not None else org_id,
        staff.user.id if staff is not None else None,
        staff.user.name if staff is not None else None,
        action,
        session_id,
        round_id,
        target_id,
        now_iso(),
    )

    def write(conn: sqlite3.Connection) -> None:
        conn.execute(
            "INSERT INTO audit_log (org_id, user_id, user_name, action, session_id, round_id, "
            "target_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            values,
        )

    try:
        await db.write(write)
    except (StoreUnavailable, sqlite3.Error) as exc:
        log.warning("audit row for %s not written: %s", action, type(exc).__name__)


_READ = (
    "SELECT a.id, a.created_at, a.user_id, a.user_name, a.action, a.session_id, "
    "s.title AS session_title, a.round_id, r.title AS round_title, a.target_id, "
    "COALESCE(tu.name, tt.name) AS target_name "
    "FROM audit_log a "
    "LEFT JOIN sessions s ON s.id = a.session_id AND s.org_id = a.org_id "
    "LEFT JOIN rounds r ON r.id = a.round_id AND r.org_id = a.org_id "
    "LEFT JOIN users tu ON a.action = 'user_added' AND tu.id = a.target_id "
    "AND tu.org_id = a.org_id "
    "LEFT JOIN api_tokens tt ON a.action IN ('token_created', 'token_revoked') "
    "AND tt.id = a.target_id "
)


async def for_org(
    db: Database, org_id: str, limit: int, before: int | None = None
) -> list[m.AuditEntry]:
    """The organisation's rows and those of the whole server, newest first."""
    where = "WHERE (a.org_id = ? OR a.org_id IS NULL)"
    params: list[object] = [org_id]
    if before is not None:
        where += " AND a.id < ?"
        params.append(before)
    rows = await db.fetch(
        _READ + where + " ORDER BY a.id DESC LIMIT ?", (*params, min(limit, MAX_LIMIT))
    )
    return [
        m.AuditEntry(
            id=str(r["id"]),
            created_at=r["created_at"],
            user_id=r["user_id"],
            user_name=r["user_name"],
            action=r["action"],
            session_id=r["session_id"],
            session_title=r["session_title"],
            round_id=r["round_id"],
            round_title=r["round_title"],
            target_id=r["target_id"],
            target_name=r["target_name"],
        )
        for r in rows
    ]
