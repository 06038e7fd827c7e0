"""What residents (and canvassers) write never runs and never breaks a screen: a corpus of
script, markup, template and Unicode tricks goes in as cards, words, residents' statements and
canvassing notes, and comes out as plain text on the projector, the console, a phone with the
results revealed, the report and the canvassing dashboard (docs/security.md, "What residents
write"). Words that differ only by Unicode normalisation or case are counted as one."""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from ..api.test_canvass_api import a_note
from ..conftest import Server, Staff, join
from .conftest import DESKTOP, PHONE, PROJECTOR, log_in, open_page
from .test_csp import Guard, guarded

pytestmark = pytest.mark.e2e

A4 = {"width": 794, "height": 1123}
GROUPS = 15_000  # ms: opinion groups are computed in the background every ~2 s
AREA = "Sluiskwartier"
# Every payload tries to set this and to open a dialog; neither may ever happen.
RUN = "window.__pwned=1;alert(1)"
CORPUS = [
    f"<script>{RUN}</script>",
    f'<img src=x onerror="{RUN}">',
    f'<b onmouseover="{RUN}" onclick="{RUN}">klik hier</b>',
    f'<a href="javascript:{RUN}">link</a> javascript:{RUN}',
    f'<svg onload="{RUN}"><circle r="40"/></svg>',
    f'<svg><script>{RUN}</script><foreignObject><iframe src="javascript:{RUN}">',
    f"</textarea><script>{RUN}</script><textarea>",
    f"</title></style><style>body{{display:none}}</style><script>{RUN}</script>",
    "${alert(1)} ${window.__pwned=1} `${document.cookie}`",
    "<${'img'} src=x onerror=${() => alert(1)} /> ${html`<b>vet</b>`}",
    '"><img src=x onerror=alert(1)> \'"; alert(1); //',
    "{{constructor.constructor('alert(1)')()}}",
    "\u202etxt.exe\u202c \u2067omgekeerd\u2069 \u200fRLM",
    "ko\u200dffie met zero\u200bwidth en\ufeffBOM",
    "pаypal.nl — met een Cyrillische а",
    "Gezellige buurt, één koffie en crème brûlée voor iedereen",
    "Mahallede ağaç dikelim; İstanbul’daki gibi şöyle güzel olsun",
    "مرحبا بالجيران، نريد حديقة أكثر أماناً للأطفال",
    "w" * 200,
]
CARD_ONLY = ["x" * 280, "<" * 280]  # the longest card the API accepts, without a break
TOO_LONG = "z" * 10_000
# A resident may send up to five words (max_words); each at most 25 characters.
WORD_LISTS = [
    ["Café", "straße", "ko\u200dffie", "<script>", "w" * 25],
    ["cafe\u0301", "STRASSE", "koffie", "javascript:alert(1)", "${alert(1)}"],
    ["CAFÉ", "Koffie", "<svg onload=alert(1)>", "</textarea>", "kоffie"],  # Cyrillic о
    [" café ", "\u202ekoffie", "<img src=x onerror=a()>", "مرحبا", "ağaç"],
    ["Café", "ağaç", "İyi", "{{1-1}}", "\u202ecafé"],
    ["cafe\u0301", "AĞAÇ", "x" * 25, "onerror=alert(1)", "een"],
]
# The same words after clean-up (NFC, no control/bidi/zero-width characters, case folded).
# (one resident's repeated word counts once: row 5 has "Café" and "\u202ecafé")
EXPECTED_COUNTS = {"café": 6, "koffie": 4, "straße": 2, "ağaç": 3, "kоffie": 1}
PROMPTS: list[dict[str, Any]] = [
    {
        "kind": "open",
        "title": "Wat wilt u kwijt?",
        "moderated": False,
        "max_cards": 10,
        "categories": [{"id": "zorg", "label": "Zorg"}, {"id": "idee", "label": "Idee"}],
    },
    {"kind": "words", "title": "Vijf woorden", "max_words": 5},
    {
        "kind": "statements",
        "title": "Stellingen van de buurt",
        "statements": [{"id": "s1", "text": "Het plein is te stenig"}],
        "resident_statements": True,
    },
]
MARKERS = ("onerror=", "<script>")
INJECTED = (
    "[onerror], [onload], [onmouseover], [onclick], script:not([src]), iframe, object, embed,"
    " foreignObject, a[href^='javascript' i], img[src='x'], circle[r='40']"
)
PAGE_STATE = """(injected) => ({
  pwned: window.__pwned ?? null,
  injected: document.querySelectorAll(injected).length,
  scroll: document.documentElement.scrollWidth,
  width: window.innerWidth,
  wide: (() => {
    const found = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const range = document.createRange();
      range.selectNodeContents(node);
      if (range.getBoundingClientRect().right > window.innerWidth + 1) {
        const el = node.parentElement;
        found.push(`${el.tagName}.${el.getAttribute('class')} < ${el.parentElement?.getAttribute('class')}`);
      }
    }
    return found.slice(0, 8);
  })(),
})"""


@dataclass
class World:
    server: Server
    creds: dict[str, str]
    api: Staff
    session: dict[str, Any]
    round: dict[str, Any]
    tokens: list[str]

    @property
    def sid(self) -> str:
        return str(self.session["id"])

    def prompt(self, kind: str) -> dict[str, Any]:
        return dict(next(p for p in self.session["prompts"] if p["kind"] == kind))

    def results(self) -> dict[str, dict[str, Any]]:
        r = self.api.http.get(f"/api/sessions/{self.sid}/results")
        assert r.status_code == 200, r.text
        return {p["prompt_id"]: p["tally"] for p in r.json()["prompts"]}


def as_resident(http: httpx.Client, token: str, method: str, path: str, body: Any) -> Any:
    return http.request(method, path, json=body, headers={"Authorization": f"Bearer {token}"})


def fill_the_room(server: Server, api: Staff, session: dict[str, Any]) -> list[str]:
    """Six residents write the corpus into every surface; the facilitator approves every
    proposed statement; everyone votes, so each result is past the minimum group."""
    open_, words, statements = (session["prompts"][i]["id"] for i in range(3))
    tokens = [join(server, session["code"])["token"] for _ in WORD_LISTS]
    with httpx.Client(base_url=server.url, timeout=10) as http:
        for i, text in enumerate(CORPUS + CARD_ONLY):
            card = {"id": uuid.uuid4().hex, "prompt_id": open_, "text": text}
            card["category"] = ["zorg", "idee", None][i % 3]
            r = as_resident(http, tokens[i % len(tokens)], "POST", "/api/me/cards", card)
            assert r.status_code == 201, r.text
        for token, listed in zip(tokens, WORD_LISTS, strict=True):
            r = as_resident(http, token, "PUT", f"/api/me/responses/{words}", {"value": listed})
            assert r.status_code == 200, r.text
        proposed = [t for t in CORPUS if len(t) <= 200][: 3 * len(tokens)]
        for i, text in enumerate(proposed):
            body = {"id": uuid.uuid4().hex, "prompt_id": statements, "text": text}
            r = as_resident(http, tokens[i % len(tokens)], "POST", "/api/me/statements", body)
            assert r.status_code == 201, r.text
            moderated = api.http.post(
                f"/api/sessions/{session['id']}/cards/{r.json()['id']}/moderate",
                json={"status": "approved"},
            )
            assert moderated.status_code == 200, moderated.text
        # too long for any field: refused as a 422, never stored, never a 5xx
        for method, path, body in (
            ("POST", "/api/me/cards", {"id": "lang", "prompt_id": open_, "text": TOO_LONG}),
            ("PUT", f"/api/me/responses/{words}", {"value": [TOO_LONG]}),
            ("POST", "/api/me/statements", {"id": "l", "prompt_id": statements, "text": TOO_LONG}),
        ):
            r = as_resident(http, tokens[0], method, path, body)
            assert r.status_code in (400, 422), r.text
        shown = api.http.get(f"/api/sessions/{session['id']}").json()
        ids = [s["id"] for s in next(p for p in shown["prompts"] if p["id"] == statements)[
            "statements"
        ]]  # fmt: skip
        assert len(ids) == 1 + len(proposed)
        # two camps of six that agree only on s1: two opinion groups, each statement shown
        # in the groups' panels too
        voters = tokens + [join(server, session["code"])["token"] for _ in range(6)]
        for i, token in enumerate(voters):
            for j, sid in enumerate(ids):
                agree = j == 0 or (j + i) % 2 == 0
                vote = {"statement_id": sid, "vote": "agree" if agree else "disagree"}
                r = as_resident(
                    http, token, "PUT", f"/api/me/responses/{statements}", {"value": vote}
                )
                assert r.status_code == 200, r.text
    return tokens


@pytest.fixture(scope="module")
def world(live_server: Server) -> World:
    creds = live_server.create_staff()
    api = live_server.login(creds["email"], creds["password"])
    made = api.http.post("/api/rounds", json={"title": "Ronde <b>vet</b>", "areas": [AREA]})
    assert made.status_code == 201, made.text
    round_ = made.json()
    for text in [*CORPUS, "n" * 280]:
        note = a_note(area=AREA, text=text[:280])
        r = api.http.put(f"/api/rounds/{round_['id']}/notes/{uuid.uuid4()}", json=note)
        assert r.status_code == 201, r.text
    too_long = api.http.put(
        f"/api/rounds/{round_['id']}/notes/{uuid.uuid4()}", json=a_note(area=AREA, text=TOO_LONG)
    )
    assert too_long.status_code in (400, 422), too_long.text
    session = api.new_live_session(None, title="Avond aan de sluis", prompts=PROMPTS)
    for prompt in session["prompts"]:
        api.show(session, prompt)
    tokens = fill_the_room(live_server, api, session)
    for prompt in session["prompts"]:
        r = api.http.post(
            f"/api/sessions/{session['id']}/prompts/{prompt['id']}/reveal", json={"visible": True}
        )
        assert r.status_code == 200, r.text
    return World(live_server, creds, api, session, round_, tokens)


def assert_harmless(page: Page, guard: Guard, page_errors: list[str], screen: str) -> None:
    """No payload ran, none became markup, the page is no wider than the window."""
    state = page.evaluate(PAGE_STATE, INJECTED)
    assert state["pwned"] is None, screen
    assert state["injected"] == 0, f"{screen}: {state['injected']} injected elements"
    assert state["scroll"] <= state["width"], f"{screen}: {state['scroll']} px: {state['wide']}"
    guard.assert_clean(page_errors)


def expect_payload_as_text(page: Page, screen: str, markers: tuple[str, ...] = MARKERS) -> None:
    """The markup is shown as the characters that were typed."""
    text = page.locator("body").inner_text()
    for marker in markers:
        assert marker in text, f"{screen}: no {marker!r} in {text[:300]!r}"


def test_the_projector_shows_the_corpus_as_text(
    world: World, new_context: Callable[..., BrowserContext], page_errors: list[str]
) -> None:
    guard = Guard()
    link = world.api.http.post(f"/api/sessions/{world.sid}/projector-link")
    assert link.status_code == 201, link.text
    projector = open_page(guarded(new_context, guard, viewport=PROJECTOR), link.json()["url"])
    for kind in ("open", "words", "statements"):
        world.api.show(world.session, world.prompt(kind))
        expect(projector.locator(f".projector__prompt--{kind}")).to_be_visible()
        if kind == "open":  # the room sees the latest six cards of each category
            expect(projector.locator(".card-note")).to_have_count(3 * 6)
        elif kind == "statements":  # the opinion groups, with what binds the room
            room = projector.locator("[data-kind=statements-insight]")
            expect(room.locator(".opinion-map svg[role=img]")).to_be_visible(timeout=GROUPS)
            expect(room.locator(".group-card")).to_have_count(2)
        else:
            expect(projector.locator(f"figure[data-kind={kind}]")).to_be_visible()
        # the room shows the statements that mark each group: some of the payloads
        markers = ("<",) if kind == "statements" else MARKERS
        expect_payload_as_text(projector, f"projector: {kind}", markers)
        assert_harmless(projector, guard, page_errors, f"projector: {kind}")


def test_the_console_shows_the_corpus_as_text(
    world: World, new_context: Callable[..., BrowserContext], page_errors: list[str]
) -> None:
    guard = Guard()
    for viewport in (DESKTOP, PHONE):
        console = log_in(guarded(new_context, guard, viewport=viewport), world.server, world.creds)
        console.goto(f"{world.server.url}/console/sessions/{world.sid}")
        for kind in ("open", "words", "statements"):
            world.api.show(world.session, world.prompt(kind))
            current = console.locator(".prompt-item--current")
            expect(current.locator(f"figure[data-kind={kind}]")).to_be_visible()
            if kind == "statements":
                insight = current.locator(
                    "[data-kind=statements-insight] .opinion-map svg[role=img]"
                )
                expect(insight).to_be_visible(timeout=GROUPS)
            expect_payload_as_text(console, f"console: {kind}")
            assert_harmless(console, guard, page_errors, f"console {viewport['width']}: {kind}")


def test_a_phone_with_the_results_revealed_shows_the_corpus_as_text(
    world: World, new_context: Callable[..., BrowserContext], page_errors: list[str]
) -> None:
    guard = Guard()
    world.api.show(world.session, world.prompt("open"))
    phone = open_page(guarded(new_context, guard), f"{world.server.url}/j/{world.session['code']}")
    phone.get_by_role("button", name="Doe mee").click()
    # the phone's own card, typed into the form, comes back in "my cards" as text
    mine = f'</textarea><img src=x onerror="{RUN}">'
    phone.get_by_label("Jouw kaartje").fill(mine)
    phone.locator("form button[type=submit]").click()
    expect(phone.locator(".my-cards .card-note__text")).to_have_text(mine)
    for kind in ("open", "words", "statements"):
        world.api.show(world.session, world.prompt(kind))
        expect(phone.locator(f".results figure[data-kind={kind}]")).to_be_visible()
        expect_payload_as_text(phone, f"phone: {kind}")
        assert_harmless(phone, guard, page_errors, f"phone: {kind}")


def test_the_report_shows_the_corpus_as_text(
    world: World, new_context: Callable[..., BrowserContext], page_errors: list[str]
) -> None:
    guard = Guard()
    console = log_in(guarded(new_context, guard, viewport=DESKTOP), world.server, world.creds)
    for viewport in (A4, PHONE):
        report = console.context.new_page()
        report.set_viewport_size(viewport)
        response = report.goto(f"{world.server.url}/api/sessions/{world.sid}/report.html")
        assert response is not None and response.status == 200
        expect(report.locator("section.prompt")).to_have_count(len(PROMPTS))
        expect_payload_as_text(report, "report")
        assert_harmless(report, guard, page_errors, f"report {viewport['width']}")
        report.close()


def test_the_canvassing_dashboard_shows_the_notes_as_text(
    world: World, new_context: Callable[..., BrowserContext], page_errors: list[str]
) -> None:
    guard = Guard()
    for viewport in (DESKTOP, PHONE):
        console = log_in(guarded(new_context, guard, viewport=viewport), world.server, world.creds)
        console.goto(f"{world.server.url}/console/rounds/{world.round['id']}")
        expect(console.get_by_role("heading", level=1)).to_have_text(world.round["title"])
        expect(console.locator(".round-table--notes tbody tr").first).to_be_visible()
        expect_payload_as_text(console, "dashboard")
        assert_harmless(console, guard, page_errors, f"dashboard {viewport['width']}")


def key(word: str) -> str:
    return unicodedata.normalize("NFC", word).casefold()


def test_words_that_differ_only_by_normalisation_or_case_are_counted_together(
    world: World,
) -> None:
    tally = world.results()[world.prompt("words")["id"]]
    assert not tally.get("hidden"), tally
    counts = {w["word"]: w["count"] for w in tally["words"]}
    for word, count in EXPECTED_COUNTS.items():
        assert counts.get(key(word)) == count, (word, counts)
    # one entry per word: no copy with a zero-width or bidi character, or in other case
    assert len(counts) == len({key(w) for w in counts})
    for word in counts:
        assert word == key(word)
        assert not any(unicodedata.category(ch) == "Cf" for ch in word), repr(word)
    assert "kоffie" in counts and "koffie" in counts  # a homoglyph is another word
