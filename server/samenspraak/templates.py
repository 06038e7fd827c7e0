"""Session templates from `sessions/*.toml`: texts in Dutch and English side by side."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

import msgspec

from . import answers
from . import model as m
from .resources import sessions_dir

_TEXT_KEYS = {
    "title",
    "notes",
    "left",
    "right",
    "min_label",
    "max_label",
    "label",
    "text",
    "description",
}
_TOP_KEYS = {"title", "description", "duration_minutes", "prompts"}


class TemplateError(Exception):
    pass


def _localise(node: Any, lang: str, where: str) -> Any:
    if isinstance(node, dict):
        if set(node) == {"nl", "en"}:
            return node[lang]
        return {k: _localise(v, lang, f"{where}.{k}") for k, v in node.items()}
    if isinstance(node, list):
        return [_localise(v, lang, f"{where}[{i}]") for i, v in enumerate(node)]
    return node


def _load(path: Path, lang: m.Language) -> m.Template:
    raw = tomllib.loads(path.read_text("utf-8"))
    unknown = set(raw) - _TOP_KEYS
    if unknown:
        raise TemplateError(f"{path.name}: unknown keys {sorted(unknown)}")
    data = _localise(raw, lang, path.stem)
    try:
        prompts = msgspec.convert(data.get("prompts", []), list[m.PromptIn])
        for spec in prompts:
            answers.check_definition(spec)
    except (msgspec.ValidationError, answers.InvalidValue) as exc:
        raise TemplateError(f"{path.name}: {exc}") from None
    return m.Template(
        slug=path.stem,
        title=data["title"],
        description=data.get("description", ""),
        language=lang,
        duration_minutes=data.get("duration_minutes"),
        prompts=prompts,
    )


@cache
def all_templates(lang: m.Language) -> tuple[m.Template, ...]:
    return tuple(_load(p, lang) for p in sorted(sessions_dir().glob("*.toml")))


def by_slug(slug: str, lang: m.Language) -> m.Template | None:
    return next((t for t in all_templates(lang) if t.slug == slug), None)
