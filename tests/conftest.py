"""Shared fixtures: a real `samenspraak serve` process on a free port with its own database."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.services import Postgres, Redis, have_postgres, have_redis, require

CLI = [sys.executable, "-m", "samenspraak"]
PASSWORD = "correct-horse-battery-staple"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    db_path: Path
    port: int = field(default_factory=free_port)
    secret: str = field(default_factory=lambda: secrets.token_urlsafe(48))
    proc: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None
    database: str | None = None  # a postgresql:// address; None: the SQLite file at db_path
    bus: str | None = None  # a redis:// address for several workers
    args: tuple[str, ...] = ()  # more `serve` options, e.g. ("--workers", "2")

    @property
    def backend(self) -> str:
        return "postgres" if self.database else "sqlite"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws"

    def env(self, **extra: str) -> dict[str, str]:
        return {
            **os.environ,
            "SAMENSPRAAK_DATABASE": self.database or str(self.db_path),
            **({"SAMENSPRAAK_BUS": self.bus} if self.bus else {}),
            "SAMENSPRAAK_SECRET_KEY": self.secret,
            "SAMENSPRAAK_PUBLIC_URL": self.url,
            **extra,
        }

    def sql(self, query: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Run one statement on this server's database (either store), committed; its rows."""
        if self.database is None:
            import sqlite3

            db = sqlite3.connect(self.db_path)
            try:
                with db:
                    return [tuple(r) for r in db.execute(query, params)]
            finally:
                db.close()
        import asyncio

        import asyncpg

        from samenspraak.store.pg import translate

        async def run() -> list[tuple[Any, ...]]:
            conn = await asyncpg.connect(self.database)
            try:
                return [tuple(r) for r in await conn.fetch(translate(query), *params)]
            finally:
                await conn.close()

        box: list[list[tuple[Any, ...]]] = []
        worker = threading.Thread(target=lambda: box.append(asyncio.run(run())))
        worker.start()  # its own loop: callers may be async tests with a loop running
        worker.join()
        return box[0]

    def start(self, **env: str) -> Server:
        """Start the server and wait for uvicorn to say it is up (an event, not a poll)."""
        self.log_path = self.db_path.with_suffix(".log")
        self.proc = subprocess.Popen(
            [*CLI, "serve", "--port", str(self.port), *self.args],
            env=self.env(**env),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        up = threading.Event()
        threading.Thread(target=self._copy_log, args=(self.proc, up), daemon=True).start()
        if not up.wait(30):
            self.stop(signal.SIGKILL)
            raise RuntimeError(f"server did not start within 30 s: {self.log_path.read_text()}")
        if self.proc.poll() is not None:
            raise RuntimeError(f"server exited: {self.log_path.read_text()}")
        return self

    def _copy_log(self, proc: subprocess.Popen[bytes], up: threading.Event) -> None:
        assert proc.stdout is not None and self.log_path is not None
        with self.log_path.open("ab") as log:
            for line in proc.stdout:
                log.write(line)
                log.flush()
                if b"Uvicorn running on" in line:
                    up.set()
        up.set()  # the process ended: start() reports it

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 10) -> int | None:
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        code = self.proc.returncode
        self.proc = None
        return code

    def create_staff(
        self,
        email: str | None = None,
        password: str = PASSWORD,
        *,
        role: str = "facilitator",
        org: str | None = None,
        name: str = "Test Facilitator",
    ) -> dict[str, str]:
        email = email or f"{secrets.token_hex(4)}@test.example"
        org = org or f"Gemeente {secrets.token_hex(3)}"
        subprocess.run(
            [
                *CLI,
                "user",
                "add",
                "--email",
                email,
                "--name",
                name,
                "--org",
                org,
                "--role",
                role,
                "--password-stdin",
            ],
            input=(password + "\n").encode(),
            env=self.env(),
            check=True,
            capture_output=True,
        )
        return {"email": email, "password": password, "org": org, "role": role}

    def api_token(self, email: str) -> str:
        """A new API token for a staff account, through the CLI (printed once)."""
        out = subprocess.run(
            [*CLI, "token", "create", "--email", email],
            env=self.env(),
            check=True,
            capture_output=True,
        )
        return out.stdout.decode().strip()

    def login(self, email: str | None = None, password: str = PASSWORD, **kw: Any) -> Staff:
        if email is None:
            email = self.create_staff(password=password, **kw)["email"]
        client = httpx.Client(base_url=self.url, timeout=10)
        r = client.post("/api/auth/login", json={"email": email, "password": password})
        assert r.status_code == 200, r.text
        client.headers["x-csrftoken"] = client.cookies["csrftoken"]
        return Staff(client, r.json()["user"])


@dataclass
class Staff:
    http: httpx.Client
    user: dict[str, Any]

    def new_live_session(
        self, template: str | None = "opvang-vluchtelingen", **body: Any
    ) -> dict[str, Any]:
        r = self.http.post(
            "/api/sessions", json={"title": "Buurtavond", "template": template, **body}
        )
        assert r.status_code == 201, r.text
        r = self.http.post(f"/api/sessions/{r.json()['id']}/start")
        assert r.status_code == 200, r.text
        return r.json()

    def prompt_of_kind(self, session: dict[str, Any], kind: str) -> dict[str, Any]:
        return next(p for p in session["prompts"] if p["kind"] == kind)

    def show(self, session: dict[str, Any], prompt: dict[str, Any]) -> None:
        r = self.http.post(f"/api/sessions/{session['id']}/show", json={"prompt_id": prompt["id"]})
        assert r.status_code == 200, r.text


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    """One real PostgreSQL for the whole run (Debian's package, a temporary cluster). Its folder
    is outside pytest's (which only root may enter), so the `postgres` user can own it."""
    require("PostgreSQL", have_postgres())
    root = Path(tempfile.mkdtemp(prefix="samenspraak-pg-"))
    pg = Postgres(root).init()
    yield pg
    pg.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Redis]:
    require("Redis", have_redis())
    redis = Redis(tmp_path_factory.mktemp("redis")).start()
    yield redis
    redis.stop()


# The API and live suites run twice: on SQLite (one process), and on PostgreSQL with the Redis
# bus on, as a worker of several would run. tests/e2e overrides `backend` (SQLite only).
@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _scale(request: pytest.FixtureRequest, backend: str) -> dict[str, Any]:
    if backend == "sqlite":
        return {}
    pg: Postgres = request.getfixturevalue("postgres")
    redis: Redis = request.getfixturevalue("redis_server")
    return {"database": pg.new_database(), "bus": redis.url}


@pytest.fixture(scope="session")
def live_server(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest, backend: str
) -> Iterator[Server]:
    server = Server(
        tmp_path_factory.mktemp("live") / "samenspraak.sqlite3", **_scale(request, backend)
    ).start()
    yield server
    server.stop()


@pytest.fixture
def fresh_server(tmp_path: Path, request: pytest.FixtureRequest, backend: str) -> Iterator[Server]:
    """A server of this test's own, for tests that kill or restart it."""
    server = Server(tmp_path / "samenspraak.sqlite3", **_scale(request, backend))
    yield server
    server.stop(signal.SIGKILL)


def sqlite_only(server: Server, why: str = "reads the SQLite file itself") -> None:
    """For a test that reads the SQLite file itself, or where the store plays no part (it
    runs once, not again on PostgreSQL)."""
    if server.backend != "sqlite":
        pytest.skip(why)


@pytest.fixture
def staff(live_server: Server) -> Staff:
    return live_server.login()


def assert_error(r: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """The protocol's error shape with the documented status and stable code."""
    assert r.status_code == status, r.text
    body = r.json()
    assert body["status_code"] == status
    assert isinstance(body["detail"], str) and body["detail"]
    assert isinstance(body["extra"], dict)
    assert body["extra"]["code"] == code, body
    return dict(body)


def join(server: Server, code: str) -> dict[str, Any]:
    r = httpx.post(f"{server.url}/api/join", json={"code": code}, timeout=10)
    assert r.status_code == 201, r.text
    return dict(r.json())
