"""Real PostgreSQL and Redis servers for the tests: Debian's packages, started on free ports in
temporary folders (no system service is touched). Skipped locally when absent; under CI=true
a missing one is a failure (`.ci/run` installs both)."""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

CI = os.environ.get("CI") == "true"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_port(port: int, seconds: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen on {port} within {seconds} s: {log.read_text()}")


def pg_bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


def require(what: str, present: bool) -> None:
    if present:
        return
    message = f"{what} is not installed (Debian package); `.ci/run` installs it"
    if CI:
        pytest.fail(message + ": under CI=true this is a failure, not a skip")
    pytest.skip(message)


class Postgres:
    """One PostgreSQL cluster; every test server gets a database of its own in it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.data = root / "data"
        self.port = free_port()
        self.log = root / "postgres.log"
        self.proc: subprocess.Popen[bytes] | None = None
        # PostgreSQL refuses to run as root: as root, run it as the package's `postgres` user
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def init(self) -> Postgres:
        initdb = pg_bin("initdb")
        assert initdb is not None
        self.root.mkdir(parents=True, exist_ok=True)
        if self.as_user:
            shutil.chown(self.root, "postgres", "postgres")
        subprocess.run(
            [*self.as_user, initdb, "-D", str(self.data), "-U", "postgres", "--auth=trust"]
            + ["-E", "UTF8", "--locale=C.UTF-8"],
            check=True,
            capture_output=True,
        )
        return self.start()

    def start(self) -> Postgres:
        postgres = pg_bin("postgres")
        assert postgres is not None
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [*self.as_user, postgres, "-D", str(self.data), "-p", str(self.port)]
                + ["-c", "listen_addresses=127.0.0.1", "-c", f"unix_socket_directories={self.root}"]
                + ["-c", "max_connections=300", "-c", "shared_buffers=32MB"],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        _wait_port(self.port, 30, "PostgreSQL", self.log)
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            done = subprocess.run(
                ["psql", self.dsn("postgres"), "-c", "SELECT 1"], capture_output=True
            )
            if done.returncode == 0:
                return
            time.sleep(0.1)
        raise RuntimeError(f"PostgreSQL not ready: {self.log.read_text()}")

    def dsn(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        name = f"t_{secrets.token_hex(6)}"
        subprocess.run(
            ["psql", self.dsn("postgres"), "-c", f"CREATE DATABASE {name}"],
            check=True,
            capture_output=True,
        )
        return self.dsn(name)

    def stop(self) -> None:
        """Fast shutdown (clients are disconnected at once), through pg_ctl: a signal to
        `runuser` would not reach the server."""
        if self.proc is not None and self.proc.poll() is None:
            pg_ctl = pg_bin("pg_ctl")
            assert pg_ctl is not None
            subprocess.run(
                [*self.as_user, pg_ctl, "stop", "-D", str(self.data), "-m", "fast", "-w"],
                capture_output=True,
                timeout=60,
            )
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


class Redis:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = free_port()
        self.log = root / "redis.log"
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> Redis:
        server = shutil.which("redis-server")
        assert server is not None
        self.root.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [server, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
                + ["--appendonly", "no", "--dir", str(self.root)],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        _wait_port(self.port, 15, "Redis", self.log)
        return self

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


def have_postgres() -> bool:
    return pg_bin("initdb") is not None and pg_bin("postgres") is not None


def have_redis() -> bool:
    return shutil.which("redis-server") is not None
