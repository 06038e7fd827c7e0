"""Settings: safe defaults for the demo, and a sentence naming the variable for bad values."""

from __future__ import annotations

import subprocess
import sys

import pytest

from samenspraak.config import ConfigError, load_settings

KEY = "k" * 40


def test_demo_runs_without_a_secret_key_but_serve_does_not() -> None:
    assert load_settings({}, demo=True).min_group == 5
    with pytest.raises(ConfigError, match="SAMENSPRAAK_SECRET_KEY"):
        load_settings({})


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SAMENSPRAAK_MIN_GROUP", "vijf"),
        ("SAMENSPRAAK_MIN_GROUP", "0"),
        ("SAMENSPRAAK_PUBLIC_URL", "samenspraak.nl"),
        ("SAMENSPRAAK_ALLOWED_ORIGINS", "ftp://x"),
        ("SAMENSPRAAK_DATABASE", "/no/such/folder/db.sqlite3"),
        ("SAMENSPRAAK_RETENTION_DAYS", "-1"),
    ],
)
def test_bad_value_names_the_variable(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        load_settings({"SAMENSPRAAK_SECRET_KEY": KEY, name: value})


def test_public_url_origin_is_allowed_for_websockets() -> None:
    settings = load_settings(
        {"SAMENSPRAAK_SECRET_KEY": KEY, "SAMENSPRAAK_PUBLIC_URL": "https://dialoog.gemeente.nl/"}
    )
    assert settings.public_url == "https://dialoog.gemeente.nl"
    assert "https://dialoog.gemeente.nl" in settings.origins
    assert settings.secure_cookies


def test_serve_refuses_to_start_with_a_sentence_not_a_traceback() -> None:
    env = {"PATH": "/usr/bin:/bin", "SAMENSPRAAK_MIN_GROUP": "many"}
    done = subprocess.run(
        [sys.executable, "-m", "samenspraak", "serve"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "SAMENSPRAAK_" in done.stderr and "Traceback" not in done.stderr


PG = "postgresql://u@127.0.0.1/db"


def test_the_bus_needs_a_redis_address_and_a_shared_database() -> None:
    with pytest.raises(ConfigError, match="SAMENSPRAAK_BUS"):
        load_settings({"SAMENSPRAAK_BUS": "http://x", "SAMENSPRAAK_DATABASE": PG}, demo=True)
    with pytest.raises(ConfigError, match="postgresql://"):
        load_settings({"SAMENSPRAAK_BUS": "redis://127.0.0.1:6379/0"}, demo=True)
    settings = load_settings(
        {"SAMENSPRAAK_BUS": "redis://127.0.0.1:6379/0", "SAMENSPRAAK_DATABASE": PG}, demo=True
    )
    assert settings.bus == "redis://127.0.0.1:6379/0" and settings.database == PG


def test_serve_with_workers_but_no_bus_refuses_with_a_sentence() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "samenspraak", "serve", "--workers", "2"],
        env={"SAMENSPRAAK_SECRET_KEY": "k" * 40, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "SAMENSPRAAK_BUS" in done.stderr and "Traceback" not in done.stderr
