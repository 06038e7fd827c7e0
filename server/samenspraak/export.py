"""Aggregate-only exports of a session: JSON, CSV and a printable HTML report. Never per person."""

from __future__ import annotations

import csv
import html
import io
from typing import Any

import msgspec

from . import i18n
from . import model as m
from .live.room import Room

CSV_COLUMNS = [
    "session_id",
    "session_title",
    "prompt_position",
    "prompt_id",
    "prompt_kind",
    "prompt_title",
    "n",
    "hidden",
    "item",
    "label",
    "count",
    "mean",
    "middle_share",
    "polarisation",
]


def as_json(room: Room) -> dict[str, Any]:
    s = room.session
    return {
        "session": {
            "id": s.id,
            "title": s.title,
            "neighbourhood": s.neighbourhood,
            "language": s.language,
            "state": s.state,
            "created_at": s.created_at,
            "participants": s.participants,
            "min_group": room.min_group,
        },
        "prompts": [
            {
                "id": r.id,
                "position": r.position,
                "kind": r.kind,
                "title": r.spec.title,
                "phase": r.spec.phase,
                "tally": msgspec.to_builtins(room.tally(r.id)),
            }
            for r in room.ordered()
        ],
    }


def _items(spec: m.PromptIn, tally: dict[str, Any]) -> list[tuple[str, str, int]]:
    """(item, label, count) rows of one tally."""
    kind = tally["kind"]
    if kind == "dilemma":
        width = 100 / len(tally["bins"])
        return [
            (f"bin{i}", f"{round(i * width)}-{round((i + 1) * width)}", c)
            for i, c in enumerate(tally["bins"])
        ]
    if kind == "scale":
        return [(k, k, c) for k, c in tally["counts"].items()]
    if kind == "choice":
        labels = {o.id: o.label for o in spec.options} if isinstance(spec, m.ChoiceIn) else {}
        return [(k, labels.get(k, k), c) for k, c in tally["counts"].items()]
    if kind == "words":
        return [(w["word"], w["word"], w["count"]) for w in tally["words"]]
    if kind == "statements":
        return [
            (f"{s['id']}:{vote}", s["text"], s[vote])
            for s in tally["statements"]
            for vote in ("agree", "disagree", "pass")
        ]
    if kind == "open":
        return [(c["id"], c["text"], 1) for c in tally["cards"]]
    return []


def _cell(value: object) -> object:
    """No formula injection: a text cell a spreadsheet would run as a formula gets a leading quote."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def as_csv(room: Room) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for r in room.ordered():
        tally = msgspec.to_builtins(room.tally(r.id))
        hidden = bool(tally.get("hidden"))
        base = [
            room.session.id,
            room.session.title,
            r.position,
            r.id,
            r.kind,
            r.spec.title,
            tally["n"],
            int(hidden),
        ]
        stats = [tally.get("mean"), tally.get("middle_share"), tally.get("polarisation")]
        rows = [] if hidden else _items(r.spec, tally)
        if not rows:
            writer.writerow([_cell(v) for v in [*base, "", "", "", *stats]])
        for item, label, count in rows:
            writer.writerow([_cell(v) for v in [*base, item, label, count, *stats]])
    return out.getvalue()


def as_html(room: Room) -> str:
    lang = room.session.language

    def t(key: str, fallback: str) -> str:
        return html.escape(i18n.t(lang, key, fallback))

    s = room.session
    parts = [
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">',
        f'<title>{html.escape(s.title)}</title><link rel="stylesheet" href="/app/css/report.css"></head><body><main>',
        f"<h1>{html.escape(s.title)}</h1>",
        f"<p>{t('report.neighbourhood', 'Wijk')}: {html.escape(s.neighbourhood or '-')} · {t('report.date', 'Datum')}: {html.escape(s.created_at[:10])} · {t('report.participants', 'Deelnemers')}: {s.participants}</p>",
    ]
    for r in room.ordered():
        tally = msgspec.to_builtins(room.tally(r.id))
        parts.append(f"<section><h2>{html.escape(r.spec.title)}</h2><p>n = {tally['n']}</p>")
        if tally.get("hidden"):
            parts.append(
                f"<p>{t('report.hidden', 'Te weinig antwoorden om te tonen.')}</p></section>"
            )
            continue
        parts.append(
            f'<table><thead><tr><th scope="col">{t("report.item", "Antwoord")}</th><th scope="col">{t("report.count", "Aantal")}</th></tr></thead><tbody>'
        )
        for _item, label, count in _items(r.spec, tally):
            parts.append(f"<tr><td>{html.escape(str(label))}</td><td>{count}</td></tr>")
        parts.append("</tbody></table></section>")
    parts.append("</main></body></html>")
    return "".join(parts)
