"""The printable report of a session (GET /api/sessions/{id}/report.html).

Plain HTML and inline SVG, no script, no inline styles (styles: pwa/css/report.css), texts
from the session language's i18n table (`report.*`). It is rendered from the export document
(export.build), so it shows exactly the figures of export.json. Every text a resident or a
facilitator wrote is escaped, cleared of bidi controls and, inside SVG, wrapped and clipped:
SVG text does not wrap by itself and a long word must not run off the page. Charts read in
grey-scale: shades and patterns plus direct text labels, and each has a table or text next
to it with the same numbers."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from html import escape
from typing import TYPE_CHECKING

from .. import i18n
from .. import model as m

if TYPE_CHECKING:  # export.py imports this module to render its document
    from ..export import PairExport, PromptExport, SessionExport

_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
SHAPES = ("circle", "square", "triangle", "diamond", "cross")
MIDDLE = (40, 60)
TOP_BRIDGING = 5
MAX_TEXT = 600  # characters of one text in the page (titles ≤ 300, cards ≤ 280 by the API)
CHAR_WIDTH = 0.58  # average glyph width in em, to wrap SVG text before it runs out of its box


def bin_label(i: int, bins: int) -> str:
    """The slider values (0–100) in bin i of `bins`, as tally.DilemmaCount bins them: '0–14'."""
    low = -(-i * 100 // bins)
    high = 100 if i == bins - 1 else -(-(i + 1) * 100 // bins) - 1
    return f"{low}–{high}"


def clean(text: str) -> str:
    """User text without bidi embedding/override/isolate controls (they could flip the page)."""
    return _BIDI_CONTROLS.sub("", text)


def esc(text: object) -> str:
    return escape(clean(str(text)), quote=True)


def wrap(text: str, width: int, lines: int) -> list[str]:
    """Text in at most `lines` lines of at most `width` characters; words longer than a line
    are cut, and what does not fit ends in an ellipsis."""
    out: list[str] = []
    line = ""
    for word in clean(text).split():
        while word:
            if not line and len(word) <= width:
                line, word = word, ""
            elif line and len(line) + 1 + len(word) <= width:
                line, word = f"{line} {word}", ""
            elif line:
                out.append(line)
                line = ""
            else:  # a word longer than a whole line
                out.append(word[:width])
                word = word[width:]
            if len(out) > lines:
                break
        if len(out) > lines:
            break
    if line:
        out.append(line)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: max(1, width - 1)].rstrip() + "…"
    return out


def clip(text: str, width: int) -> str:
    text = " ".join(clean(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def user(text: str) -> str:
    """Someone's text in the page: escaped, isolated from the text around it (bidi), and cut
    far above any length the API accepts, so that no input can fill pages."""
    return f"<bdi>{esc(text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + '…')}</bdi>"


class Page:
    """What every part of one report needs: the language, min_group and unique element ids."""

    def __init__(self, lang: str, min_group: int) -> None:
        self.lang = lang
        self.min_group = min_group
        self._ids = 0

    def text(self, key: str, default: str = "", /, **values: object) -> str:
        """A translated sentence with its {placeholders} filled in, not yet escaped."""
        out = i18n.t(self.lang, key, default)
        for name, value in values.items():
            out = out.replace("{" + name + "}", str(value))
        return out

    def t(self, key: str, /, **values: object) -> str:
        return esc(self.text(key, **values))

    def text_n(self, key: str, n: int, /, **values: object) -> str:
        """`key.one` or `key.other` with {n} filled in, not yet escaped."""
        return self.text(f"{key}.{'one' if n == 1 else 'other'}", n=self.num(n, 0), **values)

    def tn(self, key: str, n: int, /, **values: object) -> str:
        return esc(self.text_n(key, n, **values))

    def id(self, stem: str) -> str:
        self._ids += 1
        return f"{stem}-{self._ids}"

    def num(self, x: float | None, digits: int = 1) -> str:
        if x is None:
            return "–"
        out = f"{x:.{digits}f}"
        return out.replace(".", ",") if self.lang == "nl" else out

    def pct(self, share: float | None) -> str:
        return "–" if share is None else f"{round(share * 100)}%"

    def signed(self, x: float, digits: int = 1) -> str:
        out = self.num(abs(x), digits)
        return ("+" if x > 0 else "−" if x < 0 else "±") + out

    @staticmethod
    def letter(gid: int) -> str:
        return chr(65 + gid) if 0 <= gid < 26 else str(gid + 1)

    def group(self, gid: int) -> str:
        return self.text("report.group.name", letter=self.letter(gid))


# ---- small HTML pieces ----
def data(value: float | int | None, shown: str, cls: str) -> str:
    """A figure with its exact value machine-readable (tests and screen scrapers use it)."""
    raw = "" if value is None else repr(value)
    return f'<data class="{cls}" value="{esc(raw)}">{esc(shown)}</data>'


def table(caption: str, head: Sequence[str], rows: Iterable[Sequence[str]], cls: str = "") -> str:
    """A data table; `caption`, `head` and cells are HTML already escaped."""
    ths = "".join(f'<th scope="col">{h}</th>' for h in head)
    body = "".join(
        "<tr>"
        + "".join(
            (f'<th scope="row">{c}</th>' if i == 0 else f"<td>{c}</td>") for i, c in enumerate(r)
        )
        + "</tr>"
        for r in rows
    )
    return (
        f'<table class="data {cls}"><caption>{caption}</caption>'
        f"<thead><tr>{ths}</tr></thead><tbody>{body}</tbody></table>"
    )


def svg_open(page: Page, width: int, height: int, title: str, desc: str, cls: str) -> str:
    """An SVG chart's opening tag with its accessible name (title) and description."""
    tid, did = page.id("chart-title"), page.id("chart-desc")
    return (
        f'<svg class="chart {cls}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{tid} {did}" focusable="false" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{tid}">{esc(title)}</title><desc id="{did}">{esc(desc)}</desc>'
    )


def text_box(
    lines: Sequence[str],
    x: float,
    top: float,
    width: float,
    step: float,
    cls: str,
    anchor: str = "start",
) -> str:
    """Lines of text in a box that clips them: the server can only estimate glyph widths, so
    a line wider than guessed is cut at the box instead of running over a bar or the page."""
    tx = {"start": 0.0, "middle": width / 2, "end": width}[anchor]
    spans = "".join(
        f'<tspan x="{tx:.1f}" y="{step * (i + 0.8):.1f}">{esc(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return (
        f'<svg class="clip" x="{x:.1f}" y="{top:.1f}" width="{width:.1f}" '
        f'height="{step * (len(lines) + 0.3):.1f}"><text class="{cls}" text-anchor="{anchor}">'
        f"{spans}</text></svg>"
    )


def hatch(pattern_id: str, cls: str) -> str:
    return (
        f'<pattern id="{pattern_id}" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect class="{cls}-bg" width="6" height="6"/>'
        f'<line class="{cls}-line" x1="0" y1="0" x2="0" y2="6"/></pattern>'
    )


def stats(items: Sequence[tuple[str, str]]) -> str:
    """Key figures as a description list: (label, value HTML)."""
    inner = "".join(f"<div><dt>{label}</dt><dd>{value}</dd></div>" for label, value in items)
    return f'<dl class="stats">{inner}</dl>'


def hidden_note(page: Page) -> str:
    text = page.t("report.hidden", min_group=page.min_group)
    return f'<p class="hidden-note" data-hidden="true">{text}</p>'


TICKS = ((0, "start"), (MIDDLE[0], "middle"), (MIDDLE[1], "middle"), (100, "end"))


# ---- dilemma ----
def _x(v: float, x0: float, width: float) -> float:
    return x0 + max(0.0, min(100.0, v)) * width / 100


def histogram(page: Page, title: str, tally: m.DilemmaTally, left: str, right: str) -> str:
    """Bars per part of the slider, the middle band hatched, the mean dashed, poles labelled."""
    w, h, x0, pw, top, base = 640, 244, 20.0, 600.0, 40.0, 180.0
    hatch_id = page.id("hatch")
    bins = tally.bins
    peak = max(bins) or 1
    desc = page.text(
        "report.dilemma.desc",
        n=page.num(tally.n, 0),
        mean=page.num(tally.mean),
        middle=page.pct(tally.middle_share),
    )
    parts = [
        svg_open(page, w, h, page.text("report.dilemma.chart", title=title), desc, "histogram"),
        f"<defs>{hatch(hatch_id, 'hatch')}</defs>",
        f'<rect class="band" x="{_x(MIDDLE[0], x0, pw):.1f}" y="{top - 10:.1f}" '
        f'width="{pw * (MIDDLE[1] - MIDDLE[0]) / 100:.1f}" height="{base - top + 10:.1f}" '
        f'fill="url(#{hatch_id})"/>',
    ]
    slot = pw / len(bins)
    labels = []
    for i, count in enumerate(bins):
        bar = (base - top) * count / peak
        x = x0 + i * slot
        parts.append(
            f'<rect class="bar" x="{x + 2:.1f}" y="{base - bar:.1f}" '
            f'width="{max(1.0, slot - 4):.1f}" height="{bar:.1f}"/>'
        )
        labels.append(
            f'<text class="value" x="{x + slot / 2:.1f}" y="{base - bar - 4:.1f}" '
            f'text-anchor="middle">{count}</text>'
        )
    parts.append(f'<line class="axis" x1="{x0}" x2="{x0 + pw}" y1="{base}" y2="{base}"/>')
    if tally.mean is not None:
        mx = _x(tally.mean, x0, pw)
        label_x = min(max(mx, x0 + 70), x0 + pw - 70)
        parts.append(
            f'<line class="mean" x1="{mx:.1f}" x2="{mx:.1f}" y1="22" y2="{base}"/>'
            f'<text class="mean-label" x="{label_x:.1f}" y="16" text-anchor="middle">'
            f"{page.t('report.dilemma.mean_mark', mean=page.num(tally.mean))}</text>"
        )
    parts.extend(labels)  # over the mean line, with a halo (report.css)
    for v, anchor in TICKS:
        parts.append(
            f'<text class="tick" x="{_x(v, x0, pw):.1f}" y="{base + 15}" '
            f'text-anchor="{anchor}">{v}</text>'
        )
    parts.append(
        f'<text class="band-label" x="{_x(50, x0, pw):.1f}" y="{base + 15}" '
        f'text-anchor="middle">{page.t("report.dilemma.middle")}</text>'
    )
    poles = ((f"← {left}", x0, "start"), (f"{right} →", x0 + pw / 2 + 10, "end"))
    for text, x, anchor in poles:
        parts.append(text_box(wrap(text, 44, 2), x, base + 22, pw / 2 - 10, 14, "pole", anchor))
    parts.append("</svg>")
    return "".join(parts)


def dilemma_stats(page: Page, tally: m.DilemmaTally) -> str:
    return stats(
        [
            (page.t("report.stats.n"), data(tally.n, page.num(tally.n, 0), "stat-n")),
            (page.t("report.stats.mean"), data(tally.mean, page.num(tally.mean), "stat-mean")),
            (
                page.t("report.stats.middle"),
                data(tally.middle_share, page.pct(tally.middle_share), "stat-middle"),
            ),
            (
                page.t("report.stats.polarisation"),
                data(tally.polarisation, page.num(tally.polarisation, 2), "stat-polarisation"),
            ),
        ],
    )


def bins_table(page: Page, title: str, bins: list[int]) -> str:
    rows = [
        (esc(bin_label(i, len(bins))), data(c, page.num(c, 0), "bin-count"))
        for i, c in enumerate(bins)
    ]
    return table(
        page.t("report.dilemma.table", title=title),
        [page.t("report.table.range"), page.t("report.table.count")],
        rows,
    )


def side_summary(page: Page, side: m.DilemmaSide) -> str:
    if side.hidden:
        return page.text("report.side.hidden", n=side.n)
    return page.text(
        "report.side.summary",
        n=side.n,
        mean=page.num(side.mean),
        middle=page.pct(side.middle_share),
    )


def distribution_rows(page: Page, title: str, rows: Sequence[tuple[str, m.DilemmaSide]]) -> str:
    """Several distributions of one dilemma above each other (groups, before and after). Bars
    are shares of each row's people on one common scale, so rows of different size compare."""
    w, x0, pw, row_h, lead = 640, 170.0, 450.0, 64, 22
    h = lead + row_h * len(rows) + 4
    hatch_id = page.id("hatch")
    desc = "; ".join(f"{name}: {side_summary(page, side)}" for name, side in rows)
    shares = [[c / side.n for c in side.bins] if side.bins and side.n else [] for _, side in rows]
    peak = max((x for row in shares for x in row), default=0) or 1
    parts = [
        svg_open(page, w, h, title, desc, "distributions"),
        f"<defs>{hatch(hatch_id, 'hatch')}</defs>",
    ]
    for v, anchor in TICKS:
        parts.append(
            f'<text class="tick" x="{_x(v, x0, pw):.1f}" y="13" text-anchor="{anchor}">{v}</text>'
        )
    for r, (name, side) in enumerate(rows):
        y = lead + r * row_h
        base = y + 38.0
        parts.append(text_box(wrap(name, 24, 2), 0, y + 9, x0 - 12, 14, "row-label"))
        parts.append(
            f'<rect class="band" x="{_x(MIDDLE[0], x0, pw):.1f}" y="{y:.1f}" '
            f'width="{pw * (MIDDLE[1] - MIDDLE[0]) / 100:.1f}" height="{base - y:.1f}" '
            f'fill="url(#{hatch_id})"/>'
            f'<line class="axis" x1="{x0}" x2="{x0 + pw}" y1="{base}" y2="{base}"/>'
        )
        note_y = y + 13 if side.hidden or not side.bins else base + 4
        if not side.hidden and side.bins:
            slot = pw / len(side.bins)
            for i, share in enumerate(shares[r]):
                bar = (base - y - 4) * share / peak
                parts.append(
                    f'<rect class="bar" x="{x0 + i * slot + 1.5:.1f}" y="{base - bar:.1f}" '
                    f'width="{max(1.0, slot - 3):.1f}" height="{bar:.1f}"/>'
                )
            if side.mean is not None:
                mx = _x(side.mean, x0, pw)
                parts.append(
                    f'<line class="mean" x1="{mx:.1f}" x2="{mx:.1f}" y1="{y:.1f}" '
                    f'y2="{base + 3:.1f}"/>'
                )
        anchor = "middle" if side.hidden or not side.bins else "start"
        summary = wrap(side_summary(page, side), 80, 1)
        parts.append(text_box(summary, x0, note_y, pw, 15, "row-note", anchor))
    parts.append("</svg>")
    return "".join(parts)


def sides_table(
    page: Page, caption: str, first: str, rows: Sequence[tuple[str, m.DilemmaSide]]
) -> str:
    out = []
    for name, side in rows:
        if side.hidden:
            note = esc(page.text("report.side.hidden", n=side.n))
            out.append((esc(name), data(side.n, page.num(side.n, 0), "side-n"), note, "", ""))
            continue
        out.append(
            (
                esc(name),
                data(side.n, page.num(side.n, 0), "side-n"),
                data(side.mean, page.num(side.mean), "side-mean"),
                data(side.middle_share, page.pct(side.middle_share), "side-middle"),
                esc(" · ".join(str(c) for c in side.bins or [])),
            )
        )
    head = [
        first,
        page.t("report.table.people"),
        page.t("report.stats.mean"),
        page.t("report.stats.middle"),
        page.t("report.table.distribution"),
    ]
    return table(caption, head, out, "sides")


def by_group(page: Page, title: str, groups: list[m.GroupDilemma]) -> str:
    caption = page.text("report.by_group.chart", title=title)
    rows = [(page.group(g.group), g) for g in groups]
    return (
        f'<section class="sub by-group">'
        f"<h3>{page.t('report.by_group.heading')}</h3>"
        f'<p class="note">{page.t("report.by_group.note")}</p>'
        f"{distribution_rows(page, caption, rows)}"
        f"{sides_table(page, esc(caption), page.t('report.table.group'), rows)}</section>"
    )


def pair_section(page: Page, title: str, pair: PairExport, before_number: int) -> str:
    when = page.t("report.pair.when")
    rows = [
        (page.text("report.pair.before"), pair.overall_before),
        (page.text("report.pair.after"), pair.overall_after),
    ]
    measures: list[tuple[str, str]] = []
    if pair.mean_shift is not None:
        shown = page.text("report.pair.points", n=page.signed(pair.mean_shift))
        measures.append(
            (page.t("report.pair.mean_shift"), data(pair.mean_shift, shown, "shift-mean"))
        )
    if pair.middle_shift is not None:
        shown = page.text("report.pair.percent_points", n=page.signed(pair.middle_shift * 100, 0))
        measures.append(
            (page.t("report.pair.middle_shift"), data(pair.middle_shift, shown, "shift-middle"))
        )
    figures = (
        stats(measures)
        if measures
        else f'<p class="note">{page.t("report.pair.compare_hidden")}</p>'
    )
    return (
        f'<section class="sub pair" data-pair="{esc(pair.pair)}">'
        f"<h3>{page.t('report.pair.heading')}</h3>"
        f"<p>{page.t('report.pair.intro', n=before_number)}</p>"
        f"{distribution_rows(page, page.text('report.pair.chart', title=title), rows)}"
        f"{sides_table(page, page.t('report.pair.table', title=title), when, rows)}"
        f"{figures}{paired(page, pair.paired)}</section>"
    )


def paired(page: Page, p: m.PairedShift | None) -> str:
    if p is None:
        return ""
    head = f"<h4>{page.t('report.pair.paired.heading')}</h4>"
    if p.hidden:
        note = page.t("report.pair.paired.hidden", min_group=page.min_group, n=p.n)
        return f'<div class="paired">{head}<p class="note">{note}</p></div>'
    arrow = " → "
    items = [
        (page.t("report.pair.paired.n"), data(p.n, page.num(p.n, 0), "paired-n")),
        (
            page.t("report.pair.paired.mean"),
            data(p.mean_before, page.num(p.mean_before), "paired-mean-before")
            + esc(arrow)
            + data(p.mean_after, page.num(p.mean_after), "paired-mean-after"),
        ),
        (
            page.t("report.pair.paired.middle"),
            data(p.middle_before, page.pct(p.middle_before), "paired-middle-before")
            + esc(arrow)
            + data(p.middle_after, page.pct(p.middle_after), "paired-middle-after"),
        ),
    ]
    for key in ("to_middle", "from_middle", "toward_centre", "away_from_centre"):
        value = getattr(p, key)
        items.append(
            (page.t(f"report.pair.paired.{key}"), data(value, page.num(value, 0), f"paired-{key}"))
        )
    return f'<div class="paired">{head}{stats(items)}</div>'


def dilemma(page: Page, p: PromptExport, tally: m.DilemmaTally) -> str:
    left, right = str(p.definition.get("left", "")), str(p.definition.get("right", ""))
    poles = (
        '<dl class="poles">'
        f"<div><dt>{page.t('report.dilemma.left')}</dt><dd>{user(left)}</dd></div>"
        f"<div><dt>{page.t('report.dilemma.right')}</dt><dd>{user(right)}</dd></div>"
        "</dl>"
    )
    return (
        f'{poles}<figure class="figure">{histogram(page, p.title, tally, left, right)}</figure>'
        f"{dilemma_stats(page, tally)}{bins_table(page, p.title, tally.bins)}"
    )


# ---- scale, choice ----
def bars(page: Page, title: str, desc: str, items: Sequence[tuple[str, int]]) -> str:
    """Horizontal bars with the label left and the count right of each bar."""
    w, x0, pw, row_h = 640, 200.0, 380.0, 36
    h = row_h * len(items) + 6
    peak = max((c for _, c in items), default=0) or 1
    parts = [svg_open(page, w, h, title, desc, "bars")]
    for r, (label, count) in enumerate(items):
        y = 4 + r * row_h
        bar = pw * count / peak
        parts.append(text_box(wrap(label, 28, 2), 0, y + 2, x0 - 10, 13, "row-label"))
        parts.append(
            f'<rect class="track" x="{x0}" y="{y + 6}" width="{pw}" height="18"/>'
            f'<rect class="bar" x="{x0}" y="{y + 6}" width="{bar:.1f}" height="18"/>'
            f'<text class="value" x="{x0 + bar + 6:.1f}" y="{y + 20}">{count}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def scale(page: Page, p: PromptExport, tally: m.ScaleTally) -> str:
    items = list(tally.counts.items())
    desc = "; ".join(f"{k}: {c}" for k, c in items)
    d = p.definition
    ends = ""
    if d.get("min_label") or d.get("max_label"):
        ends = (
            '<p class="note">'
            + page.t(
                "report.scale.ends",
                min=d.get("min", ""),
                min_label=d.get("min_label") or "–",
                max=d.get("max", ""),
                max_label=d.get("max_label") or "–",
            )
            + "</p>"
        )
    figures = stats(
        [
            (page.t("report.stats.n"), data(tally.n, page.num(tally.n, 0), "stat-n")),
            (
                page.t("report.stats.scale_mean"),
                data(tally.mean, page.num(tally.mean), "stat-mean"),
            ),
        ],
    )
    rows = [(esc(k), data(c, page.num(c, 0), "item-count")) for k, c in items]
    return (
        f'{ends}<figure class="figure">'
        f"{bars(page, page.text('report.scale.chart', title=p.title), desc, items)}</figure>"
        f"{figures}"
        + table(
            page.t("report.scale.chart", title=p.title),
            [page.t("report.table.value"), page.t("report.table.count")],
            rows,
        )
    )


def choice(page: Page, p: PromptExport, tally: m.ChoiceTally) -> str:
    labels = {o["id"]: o["label"] for o in p.definition.get("options", [])}
    items = [(str(labels.get(k, k)), c) for k, c in tally.counts.items()]
    desc = "; ".join(f"{clip(label, 60)}: {c}" for label, c in items)
    multi = (
        f'<p class="note">{page.t("report.choice.multi")}</p>' if p.definition.get("multi") else ""
    )
    rows = [(user(label), data(c, page.num(c, 0), "item-count")) for label, c in items]
    return (
        f'<figure class="figure">'
        f"{bars(page, page.text('report.choice.chart', title=p.title), desc, items)}</figure>"
        f"{multi}"
        + table(
            page.t("report.choice.chart", title=p.title),
            [page.t("report.table.option"), page.t("report.table.count")],
            rows,
        )
    )


# ---- words ----
WORD_SIZES = (14, 18, 22, 26, 32, 38)  # px of .word--s0 … .word--s5 in report.css


def cloud(page: Page, title: str, words: list[m.WordCount]) -> str:
    """Words in centred lines, sized by count in six steps (the larger also darker). Each word
    sits in its own clipping box, so a word wider than the layout guessed is cut, never drawn
    over another one."""
    w, gap = 640.0, 14.0
    counts = [wc.count for wc in words]
    low, high = min(counts), max(counts)
    lines: list[list[tuple[str, int, float]]] = [[]]
    used = 0.0
    for wc in words:
        step = 2 if high == low else round(5 * (wc.count - low) / (high - low))
        size = WORD_SIZES[step]
        text = clip(wc.word, 24)
        width = min(w, len(text) * size * CHAR_WIDTH + size * 0.4)
        if lines[-1] and used + gap + width > w:
            lines.append([])
            used = 0.0
        used += (gap if lines[-1] else 0) + width
        lines[-1].append((text, step, width))
    parts: list[str] = []
    y = 4.0
    for line in lines:
        tallest = max(WORD_SIZES[step] for _, step, _ in line)
        x = (w - sum(width for _, _, width in line) - gap * (len(line) - 1)) / 2
        for text, step, width in line:
            size = WORD_SIZES[step]
            parts.append(
                f'<svg class="clip" x="{x:.1f}" y="{y + (tallest - size) * 0.8:.1f}" '
                f'width="{width:.1f}" height="{size * 1.35:.1f}"><text class="word word--s{step}" '
                f'x="{size * 0.2:.1f}" y="{size:.1f}">{esc(text)}</text></svg>'
            )
            x += width + gap
        y += tallest * 1.4
    desc = "; ".join(f"{clip(wc.word, 40)}: {wc.count}" for wc in words[:20])
    return (
        svg_open(page, int(w), int(math.ceil(y + 4)), title, desc, "cloud")
        + "".join(parts)
        + "</svg>"
    )


def words_part(page: Page, p: PromptExport, tally: m.WordsTally) -> str:
    if not tally.words:
        return f'<p class="note">{page.t("report.words.none")}</p>'
    rows = [(user(x.word), data(x.count, page.num(x.count, 0), "item-count")) for x in tally.words]
    return (
        f'<figure class="figure">'
        f"{cloud(page, page.text('report.words.chart', title=p.title), tally.words)}"
        "</figure>"
        + table(
            page.t("report.words.table", title=p.title),
            [page.t("report.table.word"), page.t("report.table.count")],
            rows,
            "words",
        )
    )


# ---- open cards: the polarity map ----
def open_part(page: Page, p: PromptExport, tally: m.OpenTally) -> str:
    """Shown cards under their categories: four categories make the polarity map's quadrants
    (upsides and downsides of each pole), other numbers columns; cards without one come last."""
    categories = [(str(c["id"]), str(c["label"])) for c in p.definition.get("categories", [])]
    layout = "quad" if len(categories) == 4 else "cols"
    known = {cid for cid, _ in categories}
    if (
        not categories
        or "" in tally.categories
        or any((c.category or "") not in known for c in tally.cards)
    ):
        categories.append(("", page.text("report.open.uncategorised")))
    cells = []
    for cid, label in categories:
        cards = [c for c in tally.cards if (c.category or "") == cid]
        count = tally.categories.get(cid, len(cards))
        items = "".join(f"<li>{user(c.text)}</li>" for c in cards)
        none = " polarity__cell--none" if cid == "" else ""
        listed = f'<ul class="cards">{items}</ul>' if items else ""
        cells.append(
            f'<section class="polarity__cell{none}" data-category="{esc(cid)}">'
            f'<h4>{user(label)} <span class="count">({page.tn("report.open.cards", count)})</span>'
            f"</h4>{listed}</section>"
        )
    purged = not tally.cards and sum(tally.categories.values()) > 0
    note = "report.open.purged" if purged else "report.open.moderated"
    if not tally.cards and not purged:
        note = "report.open.none"
    return (
        f'<section class="sub"><h3>'
        f'{page.t("report.open.heading")}</h3><p class="note">{page.t(note)}</p>'
        f'<div class="polarity polarity--{layout}">{"".join(cells)}</div></section>'
    )


# ---- statements: votes, groups, what binds, the map ----
VOTES = ("agree", "disagree", "pass")


def votes_chart(page: Page, title: str, statements: list[m.StatementCount]) -> str:
    w, lh = 640, 15
    hatch_id = page.id("hatch")
    fills = {"agree": "", "disagree": f' fill="url(#{hatch_id})"', "pass": ""}
    legend_y = 14
    parts = [f"<defs>{hatch(hatch_id, 'hatch-vote')}</defs>"]
    lx = 0.0
    for vote in VOTES:
        label = page.text(f"report.vote.{vote}")
        parts.append(
            f'<rect class="vote vote--{vote}" x="{lx:.1f}" y="{legend_y - 10}" width="14" '
            f'height="12"{fills[vote]}/><text class="legend" x="{lx + 19:.1f}" y="{legend_y}">'
            f"{esc(label)}</text>"
        )
        lx += 30 + len(label) * 13 * CHAR_WIDTH
    y = 34.0
    desc = []
    for s in statements:
        lines = wrap(s.text, 84, 3)
        parts.append(text_box(lines, 0, y, w, lh, "statement"))
        y += len(lines) * lh
        total = s.agree + s.disagree + s.pass_
        x = 0.0
        counts = {"agree": s.agree, "disagree": s.disagree, "pass": s.pass_}
        parts.append(f'<rect class="track" x="0" y="{y:.1f}" width="{w}" height="16"/>')
        for vote in VOTES:
            part = w * counts[vote] / total if total else 0.0
            if part:
                parts.append(
                    f'<rect class="vote vote--{vote}" x="{x:.1f}" y="{y:.1f}" '
                    f'width="{part:.1f}" height="16"{fills[vote]}/>'
                )
            x += part
        summary = " · ".join(f"{page.text(f'report.vote.{v}')} {counts[v]}" for v in VOTES)
        parts.append(f'<text class="row-note" x="0" y="{y + 30:.1f}">{esc(summary)}</text>')
        desc.append(f"{clip(s.text, 60)}: {summary}")
        y += 44
    return svg_open(page, w, int(y), title, "; ".join(desc), "votes") + "".join(parts) + "</svg>"


def statements_part(page: Page, p: PromptExport, tally: m.StatementsTally) -> str:
    texts = {s.id: s.text for s in tally.statements}
    rows = [
        (
            user(s.text),
            data(s.agree, page.num(s.agree, 0), "vote-agree"),
            data(s.disagree, page.num(s.disagree, 0), "vote-disagree"),
            data(s.pass_, page.num(s.pass_, 0), "vote-pass"),
        )
        for s in tally.statements
    ]
    votes_table = table(
        page.t("report.statements.table", title=p.title),
        [page.t("report.table.statement"), *(page.t(f"report.vote.{v}") for v in VOTES)],
        rows,
        "votes",
    )
    chart = votes_chart(page, page.text("report.statements.chart", title=p.title), tally.statements)
    return (
        f'<figure class="figure">{chart}</figure>{votes_table}{groups_part(page, p, tally, texts)}'
    )


def groups_part(
    page: Page, p: PromptExport, tally: m.StatementsTally, texts: dict[str, str]
) -> str:
    head = f"<h3>{page.t('report.groups.heading')}</h3>"
    if not tally.groups:
        reason = tally.groups_reason or "other"
        key = f"report.groups.reason.{reason}"
        if i18n.t(page.lang, key, "") in ("", key):
            key = "report.groups.reason.other"
        note = f'<p class="note" data-reason="{esc(reason)}">{page.t(key)}</p>'
        return f'<section class="sub groups">{head}{note}</section>'
    grouped = (
        f'<p class="note">{page.tn("report.groups.grouped", tally.grouped)}</p>'
        if tally.grouped is not None
        else ""
    )
    rows = []
    for g in tally.groups:
        lines = []
        for s in g.statements:
            direction = page.t(f"report.groups.more_{s.direction}")
            share = page.t(
                "report.groups.share",
                **{"in": page.pct(s.share_in_group), "out": page.pct(s.share_elsewhere)},
            )
            lines.append(
                f"<li>{user(texts.get(s.statement_id, s.statement_id))} "
                f'<span class="direction">({direction}: {share})</span></li>'
            )
        listed = f"<ul>{''.join(lines)}</ul>" if lines else page.t("report.groups.nothing")
        rows.append(
            (esc(page.group(g.id)), data(g.size, page.num(g.size, 0), "group-size"), listed)
        )
    groups_table = table(
        page.t("report.groups.table", title=p.title),
        [
            page.t("report.table.group"),
            page.t("report.table.people"),
            page.t("report.groups.statements"),
        ],
        rows,
        "groups",
    )
    return (
        f'<section class="sub groups">{head}{grouped}'
        f"{opinion_map(page, p.title, tally)}{groups_table}</section>"
        f"{binds(page, tally, texts)}"
    )


def binding(tally: m.StatementsTally) -> list[m.BridgingOut]:
    """The statements that bind: `bridging` ranks every statement, also those that divide the
    groups; the server marks with `binds` those that most people in every group support."""
    return [b for b in tally.bridging or [] if b.binds][:TOP_BRIDGING]


def binds(page: Page, tally: m.StatementsTally, texts: dict[str, str]) -> str:
    items = []
    for b in binding(tally):
        if b.statement_id in texts:
            share = page.text("report.binds.agree", share=page.pct(b.agree_share))
            items.append(
                f'<li data-statement="{esc(b.statement_id)}">{user(texts[b.statement_id])} '
                f'<span class="share">({data(b.agree_share, share, "bridging-agree")})</span></li>'
            )
    if items:
        body = f'<ol class="binds">{"".join(items)}</ol>'
    else:
        body = f'<p class="note">{page.t("report.binds.none")}</p>'
    return (
        f'<section class="sub binds-section">'
        f"<h3>{page.t('report.binds.heading')}</h3>{body}</section>"
    )


def mark(group: int, x: float, y: float, r: float) -> str:
    """One dot of the map: each group its own shape and shade (hollow or filled)."""
    tone = "none" if group < 0 else str(group % len(SHAPES))
    cls = f'class="dot dot--{tone}"'
    shape = "circle" if group < 0 else SHAPES[group % len(SHAPES)]
    if group < 0:
        return f'<circle {cls} cx="{x:.1f}" cy="{y:.1f}" r="{r * 0.7:.1f}"/>'
    if shape == "square":
        s = r * 0.9
        box = f'x="{x - s:.1f}" y="{y - s:.1f}" width="{2 * s:.1f}" height="{2 * s:.1f}"'
        return f"<rect {cls} {box}/>"
    if shape == "triangle":
        s = r * 1.25
        pts = [(x, y - s), (x + s * 0.95, y + s * 0.7), (x - s * 0.95, y + s * 0.7)]
    elif shape == "diamond":
        s = r * 1.2
        pts = [(x, y - s), (x + s, y), (x, y + s), (x - s, y)]
    elif shape == "cross":
        a, b = r * 1.1, r * 0.4
        offsets = [(-b, -a), (b, -a), (b, -b), (a, -b), (a, b), (b, b), (b, a), (-b, a),
                   (-b, b), (-a, b), (-a, -b), (-b, -b)]  # fmt: skip
        pts = [(x + dx, y + dy) for dx, dy in offsets]
    else:
        return f'<circle {cls} cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}"/>'
    return f'<polygon {cls} points="{" ".join(f"{px:.1f},{py:.1f}" for px, py in pts)}"/>'


def opinion_map(page: Page, title: str, tally: m.StatementsTally) -> str:
    size, pad = 400.0, 26.0
    points = tally.points or []
    groups = tally.groups or []

    def place(v: float) -> float:
        return pad + (max(-1.0, min(1.0, v)) + 1) / 2 * (size - 2 * pad)

    r = max(4.0, min(9.0, 70 / math.sqrt(max(1, len(points)))))
    dots = "".join(mark(g, place(x), size - place(y), r) for x, y, g in points)
    labels = []
    for g in groups:
        mine = [(place(x), size - place(y)) for x, y, gg in points if gg == g.id]
        if mine:
            cx = sum(p[0] for p in mine) / len(mine)
            cy = sum(p[1] for p in mine) / len(mine)
            cy = cy - r * 1.6 - 14 if cy > 60 else cy + r * 1.6 + 14  # beside the dots
            labels.append(
                f'<text class="map-label" x="{min(max(cx, 20), size - 20):.1f}" y="{cy:.1f}" '
                f'text-anchor="middle" dominant-baseline="middle">'
                f"{esc(page.letter(g.id))}</text>"
            )
    ungrouped = sum(1 for _, _, g in points if g < 0)
    legend_parts = [f"{page.group(g.id)}: {g.size}" for g in groups]
    if ungrouped:
        legend_parts.append(f"{page.text('report.map.ungrouped')}: {ungrouped}")
    desc = page.text("report.map.desc", n=len(points), groups="; ".join(legend_parts) + ".")
    svg = (
        svg_open(
            page, int(size), int(size), page.text("report.map.title", title=title), desc, "map"
        )
        + f'<rect class="map-frame" x="2" y="2" width="{size - 4}" height="{size - 4}" rx="8"/>'
        + f'<line class="map-cross" x1="{size / 2}" x2="{size / 2}" y1="10" y2="{size - 10}"/>'
        + f'<line class="map-cross" y1="{size / 2}" y2="{size / 2}" x1="10" x2="{size - 10}"/>'
        + f"<g>{dots}</g><g>{''.join(labels)}</g></svg>"
    )
    legend = "".join(
        f'<li data-group="{g.id}"><svg class="swatch" viewBox="0 0 20 20" aria-hidden="true" '
        f'focusable="false">{mark(g.id, 10, 10, 6)}</svg>'
        f"{esc(page.group(g.id))}: {data(g.size, page.num(g.size, 0), 'group-size')}</li>"
        for g in groups
    )
    if ungrouped:
        legend += (
            '<li data-group="-1"><svg class="swatch" viewBox="0 0 20 20" aria-hidden="true" '
            f'focusable="false">{mark(-1, 10, 10, 6)}</svg>'
            f"{page.t('report.map.ungrouped')}: {ungrouped}</li>"
        )
    legend_name = page.t("report.legend")
    return (
        f'<figure class="figure map-figure">{svg}<figcaption><p class="note">{esc(desc)}</p>'
        f'<ul class="legend" aria-label="{legend_name}">{legend}</ul></figcaption></figure>'
    )


# ---- the page ----
def prompt_section(
    page: Page, number: int, p: PromptExport, pair: PairExport | None, numbers: dict[str, int]
) -> str:
    kind = page.text(f"kind.{p.kind}", p.kind)
    meta = [page.text("report.question", n=number)]
    if p.phase:
        meta.append(page.text(f"phase.{p.phase}", p.phase))
    meta.append(kind)
    tally = p.tally
    n = int(getattr(tally, "n", 0))
    body: list[str] = [
        f'<p class="answered">{data(n, page.text_n("report.answered", n), "answered")}</p>'
    ]
    if isinstance(tally, m.HiddenTally):
        body.append(hidden_note(page))
    elif isinstance(tally, m.DilemmaTally):
        body.append(dilemma(page, p, tally))
        if tally.by_group:
            body.append(by_group(page, p.title, tally.by_group))
    elif isinstance(tally, m.ScaleTally):
        body.append(scale(page, p, tally))
    elif isinstance(tally, m.ChoiceTally):
        body.append(choice(page, p, tally))
    elif isinstance(tally, m.WordsTally):
        body.append(words_part(page, p, tally))
    elif isinstance(tally, m.OpenTally):
        body.append(open_part(page, p, tally))
    elif isinstance(tally, m.StatementsTally):
        body.append(statements_part(page, p, tally))
    if pair is not None:
        body.append(pair_section(page, p.title, pair, numbers.get(pair.before_prompt_id, 0)))
    return (
        f'<section class="prompt" data-prompt-id="{esc(p.id)}" '
        f'data-kind="{esc(p.kind)}"><p class="prompt-meta">{esc(" · ".join(meta))}</p>'
        f"<h2>{user(p.title)}</h2>{''.join(body)}</section>"
    )


def guide(page: Page, doc: SessionExport) -> str:
    """How to read the report: only the paragraphs for the kinds of result it holds."""
    kinds = {p.kind for p in doc.prompts}
    keys = ["anonymous", "hidden"]
    keys += ["dilemma"] if "dilemma" in kinds else []
    keys += ["groups", "binds"] if "statements" in kinds else []
    keys += ["pair"] if doc.pairs else []
    paragraphs = "".join(
        f"<p>{page.t(f'report.guide.{key}', min_group=page.min_group)}</p>" for key in keys
    )
    return (
        '<section class="guide" aria-labelledby="guide-heading">'
        f'<h2 id="guide-heading">{page.t("report.guide.heading")}</h2>{paragraphs}</section>'
    )


def header(page: Page, doc: SessionExport) -> str:
    s = doc.session
    date = (s.closed_at or s.created_at)[:10]
    none = page.t("report.meta.none")
    items = [
        (
            page.t("report.meta.neighbourhood"),
            user(s.neighbourhood) if s.neighbourhood else none,
        ),
        (page.t("report.meta.date"), f'<time datetime="{esc(date)}">{esc(date)}</time>'),
        (
            page.t("report.meta.participants"),
            data(s.participants, page.num(s.participants, 0), "participants"),
        ),
        (page.t("report.meta.prompts"), esc(len(doc.prompts))),
        (
            page.t("report.meta.min_group"),
            page.t("report.meta.people", n=s.min_group),
        ),
    ]
    meta = "".join(f"<div><dt>{label}</dt><dd>{value}</dd></div>" for label, value in items)
    return (
        f'<header class="report-head"><p class="kicker">{page.t("report.kicker")}</p>'
        f'<h1>{user(s.title)}</h1><dl class="meta">{meta}</dl></header>'
    )


def render(doc: SessionExport) -> str:
    lang = doc.session.language
    page = Page(lang, doc.session.min_group)
    numbers = {p.id: i + 1 for i, p in enumerate(doc.prompts)}
    pairs = {pair.after_prompt_id: pair for pair in doc.pairs}
    sections = "".join(
        prompt_section(page, numbers[p.id], p, pairs.get(p.id), numbers) for p in doc.prompts
    )
    return (
        f'<!doctype html><html lang="{esc(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{page.t('report.title', title=clip(doc.session.title, 120))}</title>"
        '<link rel="icon" type="image/png" href="/app/icons/icon-192.png">'
        '<link rel="stylesheet" href="/app/css/tokens.css">'
        '<link rel="stylesheet" href="/app/css/report.css"></head><body>'
        f"{header(page, doc)}<main>{guide(page, doc)}{sections}</main>"
        f'<footer class="report-foot"><p>{page.t("report.footer")}</p></footer></body></html>'
    )
