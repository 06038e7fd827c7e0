"""SQLite in WAL mode: ONE writer thread with group commit, a small pool of aiosqlite readers.

Every write is a function handed to the writer. The writer runs every function that is
waiting, each inside its own SAVEPOINT (one failing write never sinks the others), commits
the batch once (one fsync for many answers) and only then resolves each caller's future:
an `ack` after `await db.write(...)` means committed."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import sqlite3
import threading
from collections.abc import AsyncIterator, Callable, Iterable
from typing import Any, TypeVar

import aiosqlite

from .schema import MIGRATIONS

T = TypeVar("T")
log = logging.getLogger("samenspraak.db")
MAX_BATCH = 512
READERS = 3


def as_bytes(value: str | bytes) -> bytes:
    """A stored JSON document: SQLite hands back the bytes written, PostgreSQL text."""
    return value.encode() if isinstance(value, str) else bytes(value)


class StoreUnavailable(Exception):
    """The database cannot take writes now (closed, disk full): answer 503, never ack."""


def _connect(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    # FULL: a commit survives power loss too, not only a killed process; group commit pays for it.
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=5000")
    # deleted rows (purged free text) are overwritten with zeros, not left in free pages
    conn.execute("PRAGMA secure_delete=ON")
    return conn


def migrate(conn: sqlite3.Connection) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in script.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version={number}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        log.info("database migrated to version %d", number)


_Job = tuple[Callable[[sqlite3.Connection], Any], asyncio.Future[Any]]


class Writer:
    def __init__(self, path: str, loop: asyncio.AbstractEventLoop) -> None:
        self._conn = _connect(path)
        migrate(self._conn)
        self._loop = loop
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="samenspraak-writer", daemon=True)
        self._closed = False
        self.batches = 0
        self.writes = 0
        self._thread.start()

    def submit(self, fn: Callable[[sqlite3.Connection], T]) -> asyncio.Future[T]:
        if self._closed:
            raise StoreUnavailable("the database is closed")
        fut: asyncio.Future[T] = self._loop.create_future()
        self._jobs.put((fn, fut))
        return fut

    def _take_batch(self, first: _Job) -> tuple[list[_Job], bool]:
        batch = [first]
        while len(batch) < MAX_BATCH:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                break
            if job is None:
                return batch, True
            batch.append(job)
        return batch, False

    def _run(self) -> None:
        self._serve()
        self._conn.close()

    def _serve(self) -> None:
        """Take every waiting write, commit them as one batch, settle their futures; until closed."""
        stop = False
        while not stop:
            first = self._jobs.get()
            if first is None:
                break
            batch, stop = self._take_batch(first)
            outcomes = self._commit(batch)
            self._loop.call_soon_threadsafe(_settle, batch, outcomes)

    def _commit(self, batch: list[_Job]) -> list[tuple[bool, Any]]:
        outcomes: list[tuple[bool, Any]] = []
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            for fn, _ in batch:
                conn.execute("SAVEPOINT job")
                try:
                    outcomes.append((True, fn(conn)))
                    conn.execute("RELEASE job")
                except Exception as exc:  # noqa: BLE001 - handed to that caller only
                    conn.execute("ROLLBACK TO job")
                    conn.execute("RELEASE job")
                    outcomes.append((False, exc))
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            log.error("group commit failed: %s", type(exc).__name__)
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            failed = StoreUnavailable("the database could not commit")
            return [(False, failed)] * len(batch)
        self.batches += 1
        self.writes += len(batch)
        return outcomes

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._jobs.put(None)
            self._thread.join(timeout=10)
            late: list[
                _Job
            ] = []  # submitted while closing: fail them rather than leave them waiting
            while True:
                try:
                    job = self._jobs.get_nowait()
                except queue.Empty:
                    break
                if job is not None:
                    late.append(job)
            if late:
                failed = StoreUnavailable("the database is closed")
                self._loop.call_soon_threadsafe(_settle, late, [(False, failed)] * len(late))


def _settle(batch: list[_Job], outcomes: list[tuple[bool, Any]]) -> None:
    for (_, fut), (ok, value) in zip(batch, outcomes, strict=True):
        if fut.done():
            continue
        if ok:
            fut.set_result(value)
        else:
            fut.set_exception(value)


class Database:
    """The store's one entry point: `write(fn)` for writes, `fetch`/`fetch_one` for reads.
    This is SQLite; store/pg.py has the same interface on PostgreSQL."""

    dialect = "sqlite"

    def __init__(self, path: str) -> None:
        self.path = path
        self._writer: Writer | None = None
        self._readers: asyncio.Queue[aiosqlite.Connection] = asyncio.Queue()
        self._all_readers: list[aiosqlite.Connection] = []

    async def open(self) -> None:
        self._writer = Writer(self.path, asyncio.get_running_loop())
        for _ in range(READERS):
            conn = await aiosqlite.connect(self.path)
            conn.row_factory = aiosqlite.Row
            await conn.execute("PRAGMA busy_timeout=5000")
            await conn.execute("PRAGMA query_only=ON")
            self._all_readers.append(conn)
            self._readers.put_nowait(conn)

    async def close(self) -> None:
        if self._writer is not None:
            await asyncio.get_running_loop().run_in_executor(None, self._writer.close)
        for conn in self._all_readers:
            await conn.close()
        self._all_readers.clear()

    @property
    def writer(self) -> Writer:
        if self._writer is None:
            raise StoreUnavailable("the database is not open")
        return self._writer

    async def write(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        return await self.writer.submit(fn)

    @contextlib.asynccontextmanager
    async def _reader(self) -> AsyncIterator[aiosqlite.Connection]:
        conn = await self._readers.get()
        try:
            yield conn
        finally:
            self._readers.put_nowait(conn)

    async def fetch(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        async with self._reader() as conn, conn.execute(sql, tuple(params)) as cur:
            return list(await cur.fetchall())

    async def healthy(self) -> bool:
        """For /health: the writer takes writes and a reader answers."""
        if self._writer is None or self._writer._closed:
            return False
        try:
            await self.fetch("SELECT 1")
        except (sqlite3.Error, ValueError):
            return False
        return True

    async def fetch_one(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Row | None:
        rows = await self.fetch(sql, params)
        return rows[0] if rows else None
