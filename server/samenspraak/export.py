"""Aggregate-only exports of a session (docs/data.md): one document, three forms.

`build` gathers what may leave the server: the session's facts, each prompt's definition
without facilitator notes, the staff tally (hidden below min_group, only shown cards) and the
before/after pairs. The JSON, the CSV and the report are all made from that one document, so
they cannot disagree. Per-person map coordinates (`points`) go into the report's picture only,
never into a data file. No participant id or token is ever part of the document."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import msgspec
from msgspec import Struct

from . import model as m
from .insight import compare
from .insight.report import bin_label, render

if TYPE_CHECKING:
    from .live.room import Room

SCHEMA = "samenspraak.session/1"
_NOT_DEFINITION = ("kind", "title", "phase", "notes")  # facilitator notes never leave the server


class SessionInfo(Struct, kw_only=True):
    id: str
    title: str
    neighbourhood: str | None
    language: m.Language
    state: m.SessionState
    created_at: str
    closed_at: str | None
    participants: int
    min_group: int


class PromptExport(Struct, kw_only=True):
    id: str
    position: int
    kind: str
    phase: str | None
    title: str
    definition: dict[str, Any]
    tally: m.Tally


class PairExport(Struct, kw_only=True):
    pair: str
    before_prompt_id: str
    after_prompt_id: str
    overall_before: m.DilemmaSide
    overall_after: m.DilemmaSide
    mean_shift: float | None
    middle_shift: float | None
    paired: m.PairedShift | None


class SessionExport(Struct, kw_only=True):
    schema: str
    session: SessionInfo
    prompts: list[PromptExport]
    pairs: list[PairExport]


async def closed_at(room: Room) -> str | None:
    """When the session closed (the live room does not keep it)."""
    row = await room.db.fetch_one("SELECT closed_at FROM sessions WHERE id = ?", (room.session.id,))
    return None if row is None else row["closed_at"]


def _definition(spec: m.PromptIn) -> dict[str, Any]:
    fields: dict[str, Any] = msgspec.to_builtins(spec)
    return {k: v for k, v in fields.items() if k not in _NOT_DEFINITION}


def _side(tally: m.Tally) -> m.DilemmaSide:
    if isinstance(tally, m.DilemmaTally):
        return m.DilemmaSide(
            n=tally.n, bins=tally.bins, mean=tally.mean, middle_share=tally.middle_share
        )
    return m.DilemmaSide(n=getattr(tally, "n", 0), hidden=True)


def _pair(room: Room, key: str, before: str, after: str, tally: m.Tally) -> PairExport:
    if isinstance(tally, m.DilemmaTally) and tally.before is not None:
        shift = tally.before
    else:  # the later prompt is hidden: its staff tally has no comparison, compute what may show
        spec = room.prompts[after].spec
        bins = spec.bins if isinstance(spec, m.DilemmaIn) else 7
        earlier = {who: v for (who, _), v in room.answers.get(before, {}).items()}
        later = {who: v for (who, _), v in room.answers.get(after, {}).items()}
        shift = compare.shift(key, before, earlier, later, bins, room.min_group)
    return PairExport(
        pair=key,
        before_prompt_id=before,
        after_prompt_id=after,
        overall_before=shift.overall_before,
        overall_after=_side(tally),
        mean_shift=shift.mean_shift,
        middle_shift=shift.middle_shift,
        paired=shift.paired,
    )


def build(room: Room, closed: str | None, *, points: bool = False) -> SessionExport:
    """The export document. `points=True` keeps the opinion map's dots (for the report only)."""
    s = room.session
    prompts: list[PromptExport] = []
    tallies: dict[str, m.Tally] = {}
    for row in room.ordered():
        tally = room.staff_tally(row.id)
        if isinstance(tally, m.StatementsTally) and not points:
            tally = msgspec.structs.replace(tally, points=None)
        tallies[row.id] = tally
        prompts.append(
            PromptExport(
                id=row.id,
                position=row.position,
                kind=row.kind,
                phase=row.spec.phase,
                title=row.spec.title,
                definition=_definition(row.spec),
                tally=tally,
            )
        )
    pairs = [
        _pair(room, key, before, after, tallies[after])
        for key, (before, after) in sorted(room.pairs.items())
        if before in tallies and after in tallies
    ]
    return SessionExport(
        schema=SCHEMA,
        session=SessionInfo(
            id=s.id,
            title=s.title,
            neighbourhood=s.neighbourhood,
            language=s.language,
            state=s.state,
            created_at=s.created_at,
            closed_at=closed,
            participants=s.participants,
            min_group=room.min_group,
        ),
        prompts=prompts,
        pairs=pairs,
    )


def as_html(doc: SessionExport) -> str:
    """The printable report (insight/report.py); build the document with `points=True`."""
    return render(doc)


def as_json(doc: SessionExport) -> dict[str, Any]:
    """The document as JSON values. model.py leaves out fields equal to their default (a group
    numbered 0, `hidden: false`); a data file states them, so every row has the same keys."""
    out: dict[str, Any] = msgspec.to_builtins(doc)
    for p, prompt in zip(out["prompts"], doc.prompts, strict=True):
        tally = prompt.tally
        if isinstance(tally, m.DilemmaTally):
            for g, group in zip(
                p["tally"].get("by_group") or [], tally.by_group or [], strict=True
            ):
                g["group"] = group.group
                g.setdefault("hidden", False)
            if "before" in p["tally"]:
                _sides(p["tally"]["before"], "overall_before", "paired")
    for pair in out["pairs"]:
        _sides(pair, "overall_before", "overall_after", "paired")
    return out


def _sides(shift: dict[str, Any], *keys: str) -> None:
    for key in keys:
        if shift.get(key) is not None:
            shift[key].setdefault("hidden", False)


# ---- CSV: one tidy long table (docs/data.md lists every column) ----
CSV_COLUMNS = [
    "section",
    "session_id",
    "prompt_position",
    "prompt_id",
    "prompt_kind",
    "prompt_phase",
    "prompt_title",
    "n",
    "hidden",
    "group",
    "item_type",
    "item",
    "label",
    "category",
    "count",
    "agree",
    "disagree",
    "pass",
    "mean",
    "middle_share",
    "polarisation",
    "grouped",
    "groups_reason",
    "direction",
    "share_in_group",
    "share_elsewhere",
    "z",
    "score",
    "agree_share",
    "pair",
    "before_prompt_id",
    "value",
]
Row = dict[str, Any]


def _bins(bins: list[int]) -> Iterator[Row]:
    for i, count in enumerate(bins):
        yield {"item_type": "bin", "item": i, "label": bin_label(i, len(bins)), "count": count}


def _result_rows(p: dict[str, Any]) -> Iterator[Row]:
    tally, definition = p["tally"], p["definition"]
    kind = tally["kind"]
    if kind == "dilemma":
        stats = {k: tally[k] for k in ("mean", "middle_share", "polarisation")}
        for row in _bins(tally["bins"]):
            yield {**row, **stats}
    elif kind == "scale":
        for value, count in tally["counts"].items():
            yield {
                "item_type": "value",
                "item": value,
                "label": value,
                "count": count,
                "mean": tally["mean"],
            }
    elif kind == "choice":
        labels = {o["id"]: o["label"] for o in definition.get("options", [])}
        for option, count in tally["counts"].items():
            yield {
                "item_type": "option",
                "item": option,
                "label": labels.get(option, option),
                "count": count,
            }
    elif kind == "words":
        for w in tally["words"]:
            yield {"item_type": "word", "item": w["word"], "label": w["word"], "count": w["count"]}
    elif kind == "open":
        labels = {c["id"]: c["label"] for c in definition.get("categories", [])}
        for category, count in tally["categories"].items():
            yield {
                "item_type": "category",
                "item": category,
                "label": labels.get(category, ""),
                "count": count,
            }
        for card in tally["cards"]:
            yield {
                "item_type": "card",
                "item": card["id"],
                "label": card["text"],
                "category": card["category"],
            }
    elif kind == "statements":
        extra = {"grouped": tally.get("grouped"), "groups_reason": tally.get("groups_reason")}
        for s in tally["statements"]:
            yield {
                "item_type": "statement",
                "item": s["id"],
                "label": s["text"],
                "agree": s["agree"],
                "disagree": s["disagree"],
                "pass": s["pass"],
                **extra,
            }


def _group_rows(p: dict[str, Any]) -> Iterator[Row]:
    texts = {s["id"]: s["text"] for s in p["tally"].get("statements", [])}
    for g in p["tally"].get("groups") or []:
        if not g["statements"]:
            yield {"section": "group", "group": g["id"], "n": g["size"]}
        for s in g["statements"]:
            yield {
                "section": "group",
                "group": g["id"],
                "n": g["size"],
                "item_type": "statement",
                "item": s["statement_id"],
                "label": texts.get(s["statement_id"], ""),
                **{k: s[k] for k in ("direction", "share_in_group", "share_elsewhere", "z")},
            }
    for b in p["tally"].get("bridging") or []:
        yield {
            "section": "bridging",
            "n": p["tally"]["n"],
            "item_type": "statement",
            "item": b["statement_id"],
            "label": texts.get(b["statement_id"], ""),
            "score": b["score"],
            "agree_share": b["agree_share"],
        }


def _by_group_rows(p: dict[str, Any]) -> Iterator[Row]:
    for g in p["tally"].get("by_group") or []:
        base = {"section": "by_group", "group": g["group"], "n": g["n"]}
        if g.get("hidden"):
            yield {**base, "hidden": 1}
            continue
        stats = {"mean": g.get("mean"), "middle_share": g.get("middle_share")}
        for row in _bins(g.get("bins") or []):
            yield {**base, **row, **stats}


def _measures(prefix: str, side: dict[str, Any] | None) -> Iterator[tuple[str, Any, bool]]:
    if side is None:
        return
    hidden = bool(side.get("hidden"))
    for key, value in side.items():
        if key == "hidden" or value is None:
            continue
        if key == "bins":
            for i, count in enumerate(value):
                yield f"{prefix}.bin{i}", count, hidden
        else:
            yield f"{prefix}.{key}", value, hidden


def _pair_rows(pair: dict[str, Any]) -> Iterator[Row]:
    measures = [
        *_measures("overall_before", pair["overall_before"]),
        *_measures("overall_after", pair["overall_after"]),
        *((k, pair[k], False) for k in ("mean_shift", "middle_shift") if pair[k] is not None),
        *_measures("paired", pair["paired"]),
    ]
    for name, value, hidden in measures:
        yield {
            "section": "pair",
            "hidden": int(hidden),
            "item_type": "measure",
            "item": name,
            "value": value,
            "pair": pair["pair"],
            "before_prompt_id": pair["before_prompt_id"],
        }


def csv_cell(value: object) -> object:
    """No formula injection: a text cell that a spreadsheet would run gets a leading quote."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_rows(doc: dict[str, Any]) -> Iterator[Row]:
    """Every CSV row as a dict (before cell quoting), from the JSON form of the document."""
    after_of = {pair["after_prompt_id"]: pair for pair in doc["pairs"]}
    for p in doc["prompts"]:
        tally = p["tally"]
        prompt = {
            "session_id": doc["session"]["id"],
            "prompt_position": p["position"],
            "prompt_id": p["id"],
            "prompt_kind": p["kind"],
            "prompt_phase": p["phase"],
            "prompt_title": p["title"],
        }
        head = {"section": "result", "n": tally["n"], "hidden": int(bool(tally.get("hidden")))}
        rows = [] if tally.get("hidden") else list(_result_rows(p))
        for row in rows or [{}]:
            yield {**prompt, **head, **row}
        for row in (*_group_rows(p), *_by_group_rows(p)):
            yield {**prompt, "hidden": 0, **row}
        if p["id"] in after_of:
            for row in _pair_rows(after_of[p["id"]]):
                yield {**prompt, **row}


def as_csv(doc: SessionExport) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in csv_rows(as_json(doc)):
        writer.writerow([csv_cell(row.get(column)) for column in CSV_COLUMNS])
    return out.getvalue()
