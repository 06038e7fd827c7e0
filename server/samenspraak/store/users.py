"""Organisations, staff users, staff login sessions and API tokens."""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime

import msgspec

from .. import model as m
from ..security import check_password, hash_password, new_id
from .db import Database


class StaffRow(msgspec.Struct):
    user: m.User
    org_id: str
    password_hash: str
    # set when the request came with an API token: what that token may do (context.py)
    token_scope: m.TokenScope | None = None


def now_iso(moment: datetime | None = None) -> str:
    """A moment (default: now) as the RFC 3339 UTC text stored everywhere: seconds, "Z"."""
    moment = datetime.now(UTC) if moment is None else moment.astimezone(UTC)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


_USER_SQL = (
    "SELECT u.id, u.email, u.name, u.role, o.name AS org, u.org_id, u.password_hash "
    "FROM users u JOIN orgs o ON o.id = u.org_id "
)


def _staff(row: sqlite3.Row | None) -> StaffRow | None:
    if row is None:
        return None
    user = m.User(
        id=row["id"], email=row["email"], name=row["name"], role=row["role"], org=row["org"]
    )
    return StaffRow(user=user, org_id=row["org_id"], password_hash=row["password_hash"])


async def add_user(
    db: Database, *, email: str, name: str, org: str, role: str, password: str
) -> m.User:
    """Create or update a staff account. A weak password raises security.WeakPassword."""
    check_password(password)
    hashed = hash_password(password)

    def write(conn: sqlite3.Connection) -> None:
        row = conn.execute("SELECT id FROM orgs WHERE name = ?", (org,)).fetchone()
        org_id = row["id"] if row else new_id()
        if row is None:
            conn.execute(
                "INSERT INTO orgs (id, name, created_at) VALUES (?, ?, ?)", (org_id, org, now_iso())
            )
        conn.execute(
            "INSERT INTO users (id, org_id, email, name, role, password_hash, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(email) DO UPDATE SET name = excluded.name, role = excluded.role, "
            "password_hash = excluded.password_hash, org_id = excluded.org_id",
            (new_id(), org_id, email, name, role, hashed, now_iso()),
        )

    await db.write(write)
    staff = await by_email(db, email)
    assert staff is not None
    return staff.user


async def by_email(db: Database, email: str) -> StaffRow | None:
    return _staff(await db.fetch_one(_USER_SQL + "WHERE u.email = ?", (email,)))


class LoginSession(msgspec.Struct):
    staff: StaffRow
    csrf: str
    seen_at: float


async def by_login_session(db: Database, id_hash: str, idle_seconds: float) -> LoginSession | None:
    row = await db.fetch_one(
        _USER_SQL.replace("SELECT ", "SELECT s.csrf, s.seen_at, ")
        + "JOIN staff_sessions s ON s.user_id = u.id WHERE s.id_hash = ?",
        (id_hash,),
    )
    if row is None or time.time() - row["seen_at"] > idle_seconds:
        return None
    staff = _staff(row)
    assert staff is not None
    return LoginSession(staff=staff, csrf=row["csrf"], seen_at=row["seen_at"])


async def touch_login_session(db: Database, id_hash: str) -> None:
    stamp = time.time()
    await db.write(
        lambda c: c.execute(
            "UPDATE staff_sessions SET seen_at = ? WHERE id_hash = ?", (stamp, id_hash)
        )
    )


async def by_api_token(db: Database, token_hash: str) -> StaffRow | None:
    row = await db.fetch_one(
        _USER_SQL.replace("SELECT ", "SELECT t.scope, ")
        + "JOIN api_tokens t ON t.user_id = u.id WHERE t.token_hash = ? AND t.revoked = 0",
        (token_hash,),
    )
    staff = _staff(row)
    if staff is not None and row is not None:
        staff.token_scope = row["scope"]
    return staff


async def open_login_session(
    db: Database, user_id: str, id_hash: str, csrf: str, idle_seconds: float
) -> None:
    """A new login; expired logins of anyone are deleted on the way (they are refused anyway)."""
    stamp = time.time()

    def write(conn: sqlite3.Connection) -> None:
        conn.execute("DELETE FROM staff_sessions WHERE seen_at < ?", (stamp - idle_seconds,))
        conn.execute(
            "INSERT INTO staff_sessions (id_hash, user_id, csrf, created_at, seen_at) VALUES (?, ?, ?, ?, ?)",
            (id_hash, user_id, csrf, stamp, stamp),
        )

    await db.write(write)


async def end_login_session(db: Database, id_hash: str) -> None:
    await db.write(lambda c: c.execute("DELETE FROM staff_sessions WHERE id_hash = ?", (id_hash,)))


async def end_all_login_sessions(db: Database, user_id: str) -> int:
    """Log a user out everywhere: every staff session of theirs is deleted; how many."""

    def write(conn: sqlite3.Connection) -> int:
        return int(
            conn.execute("DELETE FROM staff_sessions WHERE user_id = ?", (user_id,)).rowcount
        )

    return await db.write(write)


async def set_password(db: Database, user_id: str, password: str, keep_session: str) -> int:
    """A new password (security.WeakPassword when weak); every other login of the user ends
    (the session whose hash is `keep_session` stays). How many logins were ended."""
    check_password(password)
    hashed = hash_password(password)

    def write(conn: sqlite3.Connection) -> int:
        conn.execute("UPDATE users SET password_hash = ? WHERE id = ?", (hashed, user_id))
        return int(
            conn.execute(
                "DELETE FROM staff_sessions WHERE user_id = ? AND id_hash <> ?",
                (user_id, keep_session),
            ).rowcount
        )

    return await db.write(write)


async def add_api_token(
    db: Database, user_id: str, token_hash: str, name: str, scope: m.TokenScope = "run"
) -> str:
    """Store a new token's keyed hash; its id (for listing and revoking)."""
    token_id = new_id()
    await db.write(
        lambda c: c.execute(
            "INSERT INTO api_tokens (token_hash, user_id, name, created_at, id, scope) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (token_hash, user_id, name, now_iso(), token_id, scope),
        )
    )
    return token_id


async def api_tokens(db: Database, user_id: str) -> list[m.ApiToken]:
    rows = await db.fetch(
        "SELECT id, name, scope, created_at, revoked FROM api_tokens WHERE user_id = ? "
        "ORDER BY created_at, id",
        (user_id,),
    )
    return [
        m.ApiToken(
            id=r["id"],
            name=r["name"],
            scope=r["scope"],
            created_at=r["created_at"],
            revoked=bool(r["revoked"]),
        )
        for r in rows
    ]


async def revoke_api_tokens(db: Database, user_id: str, id_or_name: str) -> list[str] | None:
    """Revoke the user's token with this id, or else every one of theirs with this name. The ids
    revoked now ([] when they were revoked already); None when no token of theirs matches."""

    def write(conn: sqlite3.Connection) -> list[str] | None:
        rows = conn.execute(
            "SELECT id, revoked FROM api_tokens WHERE user_id = ? AND id = ?",
            (user_id, id_or_name),
        ).fetchall()
        if not rows:
            rows = conn.execute(
                "SELECT id, revoked FROM api_tokens WHERE user_id = ? AND name = ?",
                (user_id, id_or_name),
            ).fetchall()
        if not rows:
            return None
        ids = [r["id"] for r in rows if not r["revoked"]]
        for token_id in ids:
            conn.execute(
                "UPDATE api_tokens SET revoked = 1 WHERE user_id = ? AND id = ?",
                (user_id, token_id),
            )
        return ids

    return await db.write(write)
