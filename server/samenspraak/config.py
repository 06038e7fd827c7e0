"""Settings from SAMENSPRAAK_* environment variables, validated once at start-up."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

import msgspec


class ConfigError(Exception):
    """A setting has a value we cannot run with; the message says which and what is allowed."""


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    database: str = "./samenspraak.sqlite3"
    public_url: str = "http://127.0.0.1:8000"
    allowed_origins: tuple[str, ...] = ()
    min_group: int = 5
    k_anonymity: int = 5  # a canvassing area with fewer notes is never shown alone
    secret_key: str = ""
    retention_days: int = 90
    demo: bool = False
    session_idle_minutes: int = 8 * 60
    # permessage-deflate keeps a zlib window per socket: 76 → 32 KB RSS per phone without it
    # (docs/performance.md); the live messages are small JSON, so little bandwidth is lost.
    ws_deflate: bool = False
    join_budget_per_minute: int = 10_000
    bus: str | None = None  # redis://…: live events between several workers

    @property
    def public_origin(self) -> str:
        parts = urlsplit(self.public_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def origins(self) -> frozenset[str]:
        return frozenset((self.public_origin, *self.allowed_origins))

    @property
    def secure_cookies(self) -> bool:
        return self.public_url.startswith("https://")


def _int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(f"SAMENSPRAAK_{name}")
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(
            f"SAMENSPRAAK_{name}={raw!r} is not a whole number; use a number from {low} to {high}."
        ) from None
    if not low <= value <= high:
        raise ConfigError(f"SAMENSPRAAK_{name}={value} is out of range; use {low} to {high}.")
    return value


def _url(name: str, raw: str) -> str:
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(
            f"SAMENSPRAAK_{name}={raw!r} is not a web address; "
            "use e.g. https://samenspraak.example.nl (scheme http or https, with a host)."
        )
    return raw.rstrip("/")


def load_settings(env: Mapping[str, str] | None = None, *, demo: bool = False) -> Settings:
    env = os.environ if env is None else env
    database = env.get("SAMENSPRAAK_DATABASE", "./samenspraak.sqlite3").strip()
    if not database:
        raise ConfigError(
            "SAMENSPRAAK_DATABASE is empty; give a file path such as ./samenspraak.sqlite3."
        )
    if "://" in database and not database.startswith(("postgresql://", "postgres://")):
        raise ConfigError(
            f"SAMENSPRAAK_DATABASE={database!r}: use a file path for SQLite "
            "(postgresql://… is planned for scale-out)."
        )
    if "://" not in database:
        parent = Path(database).expanduser().resolve().parent
        if not parent.is_dir():
            raise ConfigError(
                f"SAMENSPRAAK_DATABASE={database!r}: the folder {parent} does not exist; create it first."
            )
    public_url = _url("PUBLIC_URL", env.get("SAMENSPRAAK_PUBLIC_URL", "http://127.0.0.1:8000"))
    origins = tuple(
        _url("ALLOWED_ORIGINS", o.strip())
        for o in env.get("SAMENSPRAAK_ALLOWED_ORIGINS", "").split(",")
        if o.strip()
    )
    bus = env.get("SAMENSPRAAK_BUS", "").strip() or None
    if bus is not None:
        if not bus.startswith(("redis://", "rediss://", "unix://")):
            raise ConfigError(
                f"SAMENSPRAAK_BUS={bus!r}: use a Redis address such as redis://127.0.0.1:6379/0"
            )
        if "://" not in database:
            raise ConfigError(
                "SAMENSPRAAK_BUS is for several workers, and they need one shared database: "
                "set SAMENSPRAAK_DATABASE to a postgresql:// address (SQLite is one process)."
            )
    secret = env.get("SAMENSPRAAK_SECRET_KEY", "")
    if not demo and len(secret) < 32:
        raise ConfigError(
            "SAMENSPRAAK_SECRET_KEY is missing or shorter than 32 characters; "
            'generate one with: python -c "import secrets; print(secrets.token_urlsafe(48))"'
        )
    return Settings(
        database=database,
        public_url=public_url,
        allowed_origins=origins,
        min_group=_int(env, "MIN_GROUP", 5, 1, 1000),
        k_anonymity=_int(env, "K_ANONYMITY", 5, 1, 1000),
        secret_key=secret,
        retention_days=_int(env, "RETENTION_DAYS", 90, 0, 3650),
        demo=demo,
        session_idle_minutes=_int(env, "SESSION_IDLE_MINUTES", 8 * 60, 5, 7 * 24 * 60),
        join_budget_per_minute=_int(env, "JOIN_BUDGET_PER_MINUTE", 10_000, 10, 1_000_000),
        ws_deflate=bool(_int(env, "WS_DEFLATE", 0, 0, 1)),
        bus=bus,
    )
