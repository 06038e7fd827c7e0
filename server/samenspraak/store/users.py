"""Organisations, staff users, staff login sessions and API tokens."""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime

import msgspec

from .. import model as m
from ..security import hash_password, new_id
from .db import Database


class StaffRow(msgspec.Struct):
    user: m.User
    org_id: str
    password_hash: str


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
    return _staff(
        await db.fetch_one(
            _USER_SQL
            + "JOIN api_tokens t ON t.user_id = u.id WHERE t.token_hash = ? AND t.revoked = 0",
            (token_hash,),
        )
    )


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


async def add_api_token(db: Database, user_id: str, token_hash: str, name: str) -> None:
    await db.write(
        lambda c: c.execute(
            "INSERT INTO api_tokens (token_hash, user_id, name, created_at) VALUES (?, ?, ?, ?)",
            (token_hash, user_id, name, now_iso()),
        )
    )
