"""Where the PWA and the session templates are: inside the wheel, or beside server/ in a checkout."""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    for candidate in (_HERE / name, _HERE.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the {name}/ folder is missing from this installation")


def pwa_dir() -> Path:
    return _find("pwa")


def sessions_dir() -> Path:
    return _find("sessions")
