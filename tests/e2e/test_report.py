"""The printable session report in Debian's chromium: no axe violations in Dutch and English,
the figures of /results, residents' texts that never run, and one A4 page wide in print."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, Route

from samenspraak import export
from samenspraak import model as m

from ..api.test_exports import AFTER, BEFORE, STATEMENTS, XSS_CARDS, World, build_world
from ..conftest import Server
from .conftest import axe_violations

A4 = {"width": 794, "height": 1123}  # 210 × 297 mm at 96 px per inch
XSS_TITLE = '<script>alert("titel")</script> \u202eomgekeerd <img src=x onerror=alert(2)>'
LONG_WORD = "x" * 10_000

# Everything on the page that is not inside an SVG chart (charts clip their own content), plus
# the charts themselves, must end within the page.
TOO_WIDE = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.ownerSVGElement) continue;
    const box = el.getBoundingClientRect();
    const name = `${el.tagName}.${el.getAttribute('class')}`;
    if (box.left < -1 || box.right > width + 1) wide.push(name);
  }
  return {width, scroll: document.documentElement.scrollWidth, wide: wide.slice(0, 10)};
}"""

FIGURES = """() => [...document.querySelectorAll('section.prompt')].map((s) => {
  const one = (c) => {
    const d = s.querySelector(`data.${c}`);
    return d ? [d.value, d.textContent] : null;
  };
  const all = (sel) => [...s.querySelectorAll(sel)].map((d) => d.value);
  return {
    id: s.dataset.promptId,
    hidden: s.querySelector('[data-hidden]') !== null,
    answered: one('answered'), n: one('stat-n'), mean: one('stat-mean'),
    middle: one('stat-middle'), polarisation: one('stat-polarisation'),
    bins: all('table data.bin-count'), items: all('table data.item-count'),
    agree: all('data.vote-agree'), disagree: all('data.vote-disagree'), pass: all('data.vote-pass'),
    groups: all('table.groups data.group-size'), by_group: all('.by-group table data.side-n'),
    shift: one('shift-mean'),
  };
})"""


@dataclass
class Watched:
    page: Page
    dialogs: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # responses of 400 and up (a missing CSS…)


def watched_page(context: BrowserContext) -> Watched:
    page = context.new_page()
    watched = Watched(page)

    def on_dialog(dialog: Any) -> None:
        watched.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("response", lambda r: watched.failed.append(r.url) if r.status >= 400 else None)
    page.on(
        "console",
        lambda msg: watched.console_errors.append(msg.text) if msg.type == "error" else None,
    )
    return watched


def open_report(
    new_context: Callable[..., BrowserContext], world: World, **options: Any
) -> Watched:
    context = new_context(viewport=options.pop("viewport", A4), **options)
    context.add_cookies(
        [
            {"name": name, "value": value, "url": world.server.url}
            for name, value in world.staff.http.cookies.items()
        ]
    )
    watched = watched_page(context)
    response = watched.page.goto(f"{world.server.url}/api/sessions/{world.sid}/report.html")
    assert response is not None and response.status == 200
    return watched


def assert_quiet(watched: Watched, page_errors: list[str]) -> None:
    assert watched.failed == []
    assert watched.dialogs == [] and watched.console_errors == [] and page_errors == []
    assert watched.page.evaluate("document.scripts.length") == 0
    assert watched.page.evaluate("document.images.length") == 0
    styled = "document.querySelectorAll('[style], style, [onload], [onerror]').length"
    assert watched.page.evaluate(styled) == 0  # ready for a strict CSP; no handler got in


def assert_one_a4_page_wide(page: Page) -> None:
    page.set_viewport_size(A4)
    page.emulate_media(media="print")
    found = page.evaluate(TOO_WIDE)
    assert found["wide"] == [] and found["scroll"] <= found["width"], found
    assert page.pdf(format="A4")[:5] == b"%PDF-"


@pytest.fixture(scope="module")
def world(live_server: Server) -> World:
    return build_world(live_server, title=XSS_TITLE)


def test_the_report_has_no_axe_violations_in_dutch_and_in_english(
    world: World, new_context: Callable[..., BrowserContext], page_errors: list[str]
) -> None:
    watched = open_report(new_context, world, viewport={"width": 1280, "height": 900})
    assert watched.page.locator("html").get_attribute("lang") == "nl"
    assert watched.page.locator("h2", has_text="Zo leest u dit verslag").count() == 1
    assert axe_violations(watched.page) == []
    assert_quiet(watched, page_errors)
    r = world.staff.http.patch(f"/api/sessions/{world.sid}", json={"language": "en"})
    assert r.status_code == 200, r.text
    try:
        english = open_report(new_context, world, viewport={"width": 1280, "height": 900})
        assert english.page.locator("html").get_attribute("lang") == "en"
        assert english.page.locator("h2", has_text="How to read this report").count() == 1
        assert axe_violations(english.page) == []
        assert_quiet(english, page_errors)
    finally:
        world.staff.http.patch(f"/api/sessions/{world.sid}", json={"language": "nl"})


def dutch(x: float, digits: int = 1) -> str:
    return f"{x:.{digits}f}".replace(".", ",")


def test_the_figures_shown_are_the_tallies_of_results(
    world: World, new_context: Callable[..., BrowserContext]
) -> None:
    results = world.results()
    watched = open_report(new_context, world)
    shown = {s["id"]: s for s in watched.page.evaluate(FIGURES)}
    assert list(shown) == [p["id"] for p in world.session["prompts"]]
    for pid, tally in results.items():
        figures = shown[pid]
        assert int(figures["answered"][0]) == tally["n"]
        assert figures["hidden"] == bool(tally.get("hidden"))
        if tally.get("hidden"):
            assert figures["bins"] == figures["items"] == figures["agree"] == []
            continue
        if tally["kind"] == "dilemma":
            assert [int(v) for v in figures["bins"]] == tally["bins"]
            assert float(figures["mean"][0]) == tally["mean"]
            assert figures["mean"][1] == dutch(tally["mean"])
            assert float(figures["middle"][0]) == tally["middle_share"]
            assert figures["middle"][1] == f"{round(tally['middle_share'] * 100)}%"
            assert float(figures["polarisation"][0]) == tally["polarisation"]
            assert [int(v) for v in figures["by_group"]] == [g["n"] for g in tally["by_group"]]
        elif tally["kind"] in ("scale", "choice"):
            assert [int(v) for v in figures["items"]] == list(tally["counts"].values())
        elif tally["kind"] == "words":
            assert [int(v) for v in figures["items"]] == [w["count"] for w in tally["words"]]
        elif tally["kind"] == "statements":
            for vote in ("agree", "disagree", "pass"):
                assert [int(v) for v in figures[vote]] == [s[vote] for s in tally["statements"]]
            assert [int(v) for v in figures["groups"]] == [g["size"] for g in tally["groups"]]
    assert float(shown[world.prompt(AFTER)["id"]]["shift"][0]) == pytest.approx(
        results[world.prompt(AFTER)["id"]]["before"]["mean_shift"]
    )
    assert shown[world.prompt(BEFORE)["id"]]["shift"] is None
    dots = watched.page.locator(
        f'section[data-prompt-id="{world.prompt(STATEMENTS)["id"]}"] svg.map .dot'
    )
    assert dots.count() == len(results[world.prompt(STATEMENTS)["id"]]["points"])


def test_residents_texts_never_run_and_the_page_stays_one_a4_page_wide(
    world: World, new_context: Callable[..., BrowserContext], page_errors: list[str]
) -> None:
    watched = open_report(new_context, world)
    page = watched.page
    for text in (
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "javascript:alert(1)",
    ):
        assert page.get_by_text(text, exact=False).count() >= 1, text
    assert page.locator("h1").inner_text().startswith('<script>alert("titel")</script>')
    assert page.locator("a, iframe, object, embed, foreignObject").count() == 0
    assert_one_a4_page_wide(page)
    assert_quiet(watched, page_errors)


def long_document() -> export.SessionExport:
    """Texts longer than the API accepts, in every place the report shows one."""
    xss = [*XSS_CARDS, LONG_WORD]
    words = [m.WordCount(word=w, count=9 - i) for i, w in enumerate(xss)]
    statements = [m.StatementCount(f"s{i}", t, 5, 3, 1) for i, t in enumerate(xss)]
    cards = [
        m.CardOut(id=f"c{i}", text=t, category="a" if i % 2 else None) for i, t in enumerate(xss)
    ]
    points = [(i / 10 - 0.5, 0.5 - i / 20, i % 2) for i in range(10)]
    prompts = [
        export.PromptExport(
            id="d", position=0, kind="dilemma", phase="dilemma", title=LONG_WORD,
            definition={"left": LONG_WORD, "right": XSS_CARDS[3], "bins": 7},
            tally=m.DilemmaTally(
                n=20, bins=[3, 3, 3, 2, 3, 3, 3], mean=50.0, middle_share=0.2, polarisation=0.5,
                by_group=[m.GroupDilemma(group=0, n=10, bins=[1] * 7, mean=50.0, middle_share=0.2),
                          m.GroupDilemma(group=1, n=2, hidden=True)],
            ),
        ),
        export.PromptExport(
            id="c", position=1, kind="choice", phase=None, title="Keuze",
            definition={"options": [{"id": "a", "label": LONG_WORD},
                                    {"id": "b", "label": XSS_CARDS[1]}]},
            tally=m.ChoiceTally(n=9, counts={"a": 5, "b": 4}),
        ),
        export.PromptExport(
            id="w", position=2, kind="words", phase=None, title="Woorden", definition={},
            tally=m.WordsTally(n=9, words=words),
        ),
        export.PromptExport(
            id="o", position=3, kind="open", phase=None, title="Kaartjes",
            definition={"categories": [{"id": "a", "label": LONG_WORD}]},
            tally=m.OpenTally(n=9, cards=cards, categories={"": 4, "a": 4}),
        ),
        export.PromptExport(
            id="s", position=4, kind="statements", phase=None, title="Stellingen",
            definition={}, tally=m.StatementsTally(
                n=10, statements=statements, grouped=10, points=points,
                groups=[m.GroupOut(0, 5, [m.GroupStatementOut("s7", "agree", 0.9, 0.1, 3.0)]),
                        m.GroupOut(1, 5, [])],
                bridging=[m.BridgingOut("s7", 0.5, 0.6)],
            ),
        ),
    ]  # fmt: skip
    session = export.SessionInfo(
        id="x", title=LONG_WORD, neighbourhood=LONG_WORD, language="nl", state="closed",
        created_at="2024-01-01T19:00:00Z", closed_at="2024-01-01T21:00:00Z", participants=20,
        min_group=5,
    )  # fmt: skip
    return export.SessionExport(schema=export.SCHEMA, session=session, prompts=prompts, pairs=[])


def test_a_10000_character_word_is_wrapped_or_clipped_and_nothing_runs(
    live_server: Server, new_context: Callable[..., BrowserContext], page_errors: list[str]
) -> None:
    html = export.as_html(long_document())
    url = f"{live_server.url}/report-with-long-texts.html"  # same origin: report.css loads
    context = new_context(viewport=A4)
    watched = watched_page(context)

    def fulfil(route: Route) -> None:
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)

    watched.page.route(url, fulfil)
    watched.page.goto(url)
    assert watched.page.locator("link[href='/app/css/report.css']").count() == 1
    assert watched.page.evaluate("getComputedStyle(document.body).overflowWrap") == "anywhere"
    assert_one_a4_page_wide(watched.page)
    assert_quiet(watched, page_errors)
