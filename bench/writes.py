"""Durable acked answers per second: the group-commit writer versus one commit per answer."""

from __future__ import annotations

import asyncio
import sqlite3
import tempfile
import time
from pathlib import Path

import click

from samenspraak.store import responses as store_responses
from samenspraak.store.db import _connect, migrate
from samenspraak.store.pg import open_database, translate

from .report import save


async def _group(where: str, answers: int, concurrency: int) -> float:
    db = open_database(where)
    await db.open()
    gate = asyncio.Semaphore(concurrency)

    async def one(i: int) -> None:
        async with gate:
            await db.write(lambda c: store_responses.put_answer(c, "p1", i, "", i % 101))

    start = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(answers)))
    elapsed = time.perf_counter() - start
    await db.close()
    return answers / elapsed


def _one_by_one(path: Path, answers: int) -> float:
    conn = _connect(str(path))
    migrate(conn)
    start = time.perf_counter()
    for i in range(answers):
        conn.execute("BEGIN IMMEDIATE")
        store_responses.put_answer(conn, "p1", i, "", i % 101)
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return answers / elapsed


async def _pg_one_by_one(dsn: str, answers: int) -> float:
    """PostgreSQL: the same statement, each in its own transaction (autocommit)."""
    import asyncpg

    db = open_database(dsn)
    await db.open()  # creates the schema
    await db.close()
    conn = await asyncpg.connect(dsn)
    sql = translate(
        "INSERT INTO responses (prompt_id, participant_id, key, value) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (prompt_id, participant_id, key) DO UPDATE SET value = excluded.value"
    )
    start = time.perf_counter()
    for i in range(answers):
        await conn.execute(sql, "p0", i, "", str(i % 101))
    elapsed = time.perf_counter() - start
    await conn.close()
    return answers / elapsed


@click.command()
@click.option("--answers", default=5000, show_default=True)
@click.option(
    "--concurrency", default=500, show_default=True, help="answers in flight at once (phones)"
)
@click.option(
    "--database",
    default=None,
    help="a postgresql:// address of an EMPTY database to measure PostgreSQL instead of SQLite",
)
def writes(answers: int, concurrency: int, database: str | None) -> None:
    """Acked durable answers/s through the writer, against one commit per answer, same run."""
    if database:
        baseline = asyncio.run(_pg_one_by_one(database, max(500, answers // 5)))
        grouped = asyncio.run(_group(database, answers, concurrency))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            baseline = _one_by_one(Path(tmp) / "one.sqlite3", max(500, answers // 5))
            grouped = asyncio.run(_group(str(Path(tmp) / "group.sqlite3"), answers, concurrency))
    sqlite3.connect(":memory:").close()
    save(
        "writes-postgres" if database else "writes",
        {
            "store": "postgresql" if database else "sqlite",
            "answers": answers,
            "concurrency": concurrency,
            "group_commit_per_s": round(grouped),
            "one_commit_per_answer_per_s": round(baseline),
            "ratio": round(grouped / baseline, 2),
        },
    )
