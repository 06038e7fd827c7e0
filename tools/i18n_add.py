"""Add or replace translation keys in pwa/i18n/nl.json and en.json, keeping the files' order.

Usage: python tools/i18n_add.py KEYS.json   where KEYS.json is {"key": {"nl": "…", "en": "…"}, …}
New keys go after the last existing key with the same prefix (text before the last dot), or
at the end. Both languages must be given for every key. Run it under `flock` when several
people edit the tables at once:  flock .i18n.lock python tools/i18n_add.py KEYS.json"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "pwa" / "i18n"


def add(table: dict[str, str], key: str, value: str) -> dict[str, str]:
    if key in table:
        table[key] = value
        return table
    prefix = key.rsplit(".", 1)[0]
    items = list(table.items())
    at = len(items)
    for i, (k, _) in enumerate(items):
        if k.rsplit(".", 1)[0] == prefix or k.startswith(prefix + "."):
            at = i + 1
    items.insert(at, (key, value))
    return dict(items)


def main(path: str) -> None:
    keys = json.loads(Path(path).read_text(encoding="utf-8"))
    for lang in ("nl", "en"):
        missing = [k for k, v in keys.items() if not isinstance(v, dict) or not v.get(lang)]
        if missing:
            sys.exit(f"no {lang} text for: {', '.join(missing)}")
    for lang in ("nl", "en"):
        file = ROOT / f"{lang}.json"
        table = json.loads(file.read_text(encoding="utf-8"))
        for key, texts in keys.items():
            table = add(table, key, texts[lang])
        file.write_text(json.dumps(table, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(keys)} keys written to nl.json and en.json")


if __name__ == "__main__":
    main(sys.argv[1])
