"""Server-side strings from the same tables the PWA uses (pwa/i18n/*.json)."""

from __future__ import annotations

import json
from functools import cache

from .resources import pwa_dir

LANGUAGES = ("nl", "en")


@cache
def table(lang: str) -> dict[str, str]:
    path = pwa_dir() / "i18n" / f"{lang}.json"
    if not path.is_file():
        return {}
    data: dict[str, str] = json.loads(path.read_text("utf-8"))
    return data


def t(lang: str, key: str, default: str = "") -> str:
    return table(lang).get(key) or table("nl").get(key) or default or key


def prefer(accept_language: str | None) -> str:
    """Dutch unless the client clearly prefers English over Dutch."""
    if not accept_language:
        return "nl"
    for part in accept_language.split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in LANGUAGES:
            return tag
    return "nl"
