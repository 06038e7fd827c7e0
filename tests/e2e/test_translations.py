"""The two translation tables stay in step with each other and with the code."""

from __future__ import annotations

import json
import re
from pathlib import Path

PWA = Path(__file__).resolve().parents[2] / "pwa"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "protocol.md"


def table(lang: str) -> dict[str, str]:
    return dict(json.loads((PWA / "i18n" / f"{lang}.json").read_text(encoding="utf-8")))


def test_dutch_and_english_have_the_same_keys_and_no_empty_text() -> None:
    nl, en = table("nl"), table("en")
    assert sorted(nl) == sorted(en)
    assert [k for k, v in {**nl, **en}.items() if not v.strip()] == []


def test_every_key_the_code_uses_exists() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in (PWA / "js").glob("*.js"))
    used = set(re.findall(r"\bt\(\s*'([a-z0-9_.\-]+)'", source))
    used |= set(re.findall(r"'(console\.form\.error\.[a-z_]+)'", source))
    for one, other in re.findall(r"t\([\w.]+ \? '([a-z0-9_.\-]+)' : '([a-z0-9_.\-]+)'", source):
        used |= {one, other}
    plural = set(re.findall(r"\btn\(\s*'([a-z0-9_.\-]+)'", source))
    used |= {f"{key}.{form}" for key in plural for form in ("one", "other")}
    assert sorted(used - set(table("nl"))) == []


def test_every_error_code_of_the_protocol_has_a_sentence() -> None:
    codes = set(
        re.findall(r"^\| `([a-z_]+)` \| \d{3} \|", DOCS.read_text(encoding="utf-8"), re.MULTILINE)
    )
    assert codes, "the error table in docs/protocol.md was not found"
    nl = table("nl")
    assert (
        sorted(f"error.{c}" for c in codes | {"network", "unknown"} if f"error.{c}" not in nl) == []
    )
