"""Every screen works under the strict Content-Security-Policy (docs/security.md): Debian's
chromium opens each one with the server's headers on and reports no CSP violation, no
Permissions-Policy complaint, no script error and no dialog; axe finds nothing on the screens
no other test checks (the start page and the resident's prompts other than the dilemma)."""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from ..api.test_canvass_api import a_note
from ..conftest import Server, Staff, join
from .conftest import (
    DESKTOP,
    PHONE,
    PROJECTOR,
    assert_accessible,
    log_in,
    open_page,
)

pytestmark = pytest.mark.e2e

AREA = "Kanaalbuurt"
PROMPTS: list[dict[str, Any]] = [
    {"kind": "dilemma", "title": "Rust of welkom?", "left": "Rust", "right": "Welkom"},
    {"kind": "scale", "title": "Hoe veilig voelt u zich?", "min": 1, "max": 5},
    {
        "kind": "choice",
        "title": "Wie beslist?",
        "options": [{"id": "a", "label": "De buurt"}, {"id": "b", "label": "De gemeente"}],
    },
    {
        "kind": "open",
        "title": "Wat zijn uw zorgen?",
        "moderated": False,
        "categories": [{"id": "zorg", "label": "Zorg"}, {"id": "idee", "label": "Idee"}],
    },
    {"kind": "words", "title": "Drie woorden voor de buurt", "max_words": 3},
    {
        "kind": "statements",
        "title": "Wat vindt u hiervan?",
        "statements": [{"id": "s1", "text": "Het plein is te stenig"}],
        "resident_statements": True,
    },
]
ANSWERS: dict[str, list[Any]] = {
    "dilemma": [10, 30, 50, 70, 90],
    "scale": [1, 2, 3, 4, 5],
    "choice": ["a", "a", "b", "a", "b"],
    "words": [["koffie", "rust"], ["koffie"], ["groen"], ["rust", "groen"], ["koffie"]],
    "statements": [{"statement_id": "s1", "vote": v} for v in ("agree",) * 3 + ("disagree",) * 2],
}

# Runs before any script of every page (also after a navigation): reports every CSP
# violation to the test through an exposed binding, so none is lost when the page goes away.
TRAP = """
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolation(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'}`
    + ` at ${e.sourceFile}:${e.lineNumber} «${e.sample}»`);
});
"""
COMPLAINTS = re.compile(r"Content.Security.Policy|Permissions.Policy|Refused to", re.I)


@dataclass
class Guard:
    """What went wrong in the pages of one browser context."""

    violations: list[str] = field(default_factory=list)  # securitypolicyviolation events
    complaints: list[str] = field(default_factory=list)  # console lines about CSP or policies
    dialogs: list[str] = field(default_factory=list)  # alert/confirm/prompt that opened

    def assert_clean(self, page_errors: list[str]) -> None:
        assert self.violations == [], self.violations
        assert self.complaints == [], self.complaints
        assert self.dialogs == [], self.dialogs
        assert page_errors == [], page_errors


def guarded(
    new_context: Callable[..., BrowserContext], guard: Guard, **options: Any
) -> BrowserContext:
    """A browser context of the suite's kind whose pages report to `guard`."""
    context = new_context(**options)

    def report(source: dict[str, Any], detail: str) -> None:
        guard.violations.append(f"{source['page'].url}: {detail}")

    def on_dialog(dialog: Any) -> None:
        guard.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def watch(page: Page) -> None:
        page.on("dialog", on_dialog)
        page.on(
            "console",
            lambda msg: (
                guard.complaints.append(f"{page.url}: {msg.type}: {msg.text}")
                if COMPLAINTS.search(msg.text)
                else None
            ),
        )

    context.expose_binding("__cspViolation", report)
    context.add_init_script(TRAP)
    context.on("page", watch)
    return context


def assert_within_viewport(page: Page, screen: str) -> None:
    found = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert found[0] <= found[1], f"{screen}: {found[0]} px wide in a {found[1]} px window"


@dataclass
class Evening:
    """A live session with a prompt of every kind, answered by five residents; a draft; a
    canvassing round over the same neighbourhood with notes; an organiser and a canvasser."""

    server: Server
    creds: dict[str, str]
    api: Staff
    canvasser: dict[str, str]
    session: dict[str, Any]
    draft: dict[str, Any]
    round: dict[str, Any]

    @property
    def sid(self) -> str:
        return str(self.session["id"])

    def prompt(self, kind: str) -> dict[str, Any]:
        return dict(next(p for p in self.session["prompts"] if p["kind"] == kind))

    def reveal(self, prompt: dict[str, Any]) -> None:
        r = self.api.http.post(
            f"/api/sessions/{self.sid}/prompts/{prompt['id']}/reveal", json={"visible": True}
        )
        assert r.status_code == 200, r.text


def answer_everything(server: Server, session: dict[str, Any], tokens: list[str]) -> None:
    with httpx.Client(base_url=server.url, timeout=10) as http:
        for prompt in session["prompts"]:
            for i, token in enumerate(tokens):
                auth = {"Authorization": f"Bearer {token}"}
                if prompt["kind"] == "open":
                    r = http.post(
                        "/api/me/cards",
                        json={
                            "id": uuid.uuid4().hex,
                            "prompt_id": prompt["id"],
                            "text": f"Kaartje {i}: meer bankjes bij de sluis",
                            "category": ["zorg", "idee", None][i % 3],
                        },
                        headers=auth,
                    )
                    assert r.status_code == 201, r.text
                    continue
                value = ANSWERS[prompt["kind"]][i]
                r = http.put(
                    f"/api/me/responses/{prompt['id']}", json={"value": value}, headers=auth
                )
                assert r.status_code == 200, r.text


@pytest.fixture(scope="module")
def evening(live_server: Server) -> Evening:
    org = f"Gemeente {secrets.token_hex(3)}"
    creds = live_server.create_staff(org=org)
    api = live_server.login(creds["email"], creds["password"])
    canvasser = live_server.create_staff(role="canvasser", org=org, name="Kees")
    made = api.http.post("/api/rounds", json={"title": "Rondgang Kanaal", "areas": [AREA]})
    assert made.status_code == 201, made.text
    round_ = made.json()
    for i in range(6):
        note = a_note(area=AREA, text=f"Bewoner {i} wil meer licht op het pad")
        r = api.http.put(f"/api/rounds/{round_['id']}/notes/{uuid.uuid4()}", json=note)
        assert r.status_code == 201, r.text
    draft = api.http.post("/api/sessions", json={"title": "Concept", "prompts": PROMPTS})
    assert draft.status_code == 201, draft.text
    session = api.new_live_session(
        None, title="Kanaalavond", prompts=PROMPTS, neighbourhood=AREA, round_id=round_["id"],
        round_area=AREA,
    )  # fmt: skip
    for prompt in session["prompts"]:
        api.show(session, prompt)  # each prompt open, so the residents can answer it
    tokens = [join(live_server, session["code"])["token"] for _ in range(5)]
    answer_everything(live_server, session, tokens)
    return Evening(live_server, creds, api, canvasser, session, draft.json(), round_)


def test_the_start_and_login_pages(
    live_server: Server, new_context: Callable[..., BrowserContext], page_errors: list[str]
) -> None:
    guard = Guard()
    context = guarded(new_context, guard)
    start = open_page(context, f"{live_server.url}/")
    expect(start.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(start, "resident: start")
    start.goto(f"{live_server.url}/login")
    expect(start.locator("#login-email")).to_be_visible()
    start.goto(f"{live_server.url}/console")  # not logged in: back to the login form
    expect(start.locator("#login-email")).to_be_visible()
    # the service worker registered and took over (it runs under worker-src 'self')
    start.goto(f"{live_server.url}/")
    start.wait_for_function(
        "navigator.serviceWorker && navigator.serviceWorker.controller !== null"
    )
    guard.assert_clean(page_errors)


def test_the_resident_sees_every_kind_of_prompt_and_its_results(
    evening: Evening, new_context: Callable[..., BrowserContext], page_errors: list[str]
) -> None:
    guard = Guard()
    api, session = evening.api, evening.session
    api.show(session, evening.prompt("dilemma"))
    phone = open_page(guarded(new_context, guard), f"{evening.server.url}/j/{session['code']}")
    expect(phone.get_by_role("button", name="Doe mee")).to_be_visible()
    phone.get_by_role("button", name="Doe mee").click()
    for prompt in session["prompts"]:
        kind = prompt["kind"]
        api.show(session, prompt)
        expect(phone.get_by_role("heading", name=prompt["title"])).to_be_visible()
        expect(phone.locator("form, .statement").first).to_be_visible()
        if kind != "dilemma":  # the dilemma is checked in test_accessibility
            assert_accessible(phone, f"resident: {kind}")
        evening.reveal(prompt)
        expect(phone.locator(f".results figure[data-kind={kind}]")).to_be_visible()
        assert_within_viewport(phone, f"resident: {kind} results")
        if kind != "dilemma":
            assert_accessible(phone, f"resident: {kind} results")
    # a resident's own card and vote go out over the WebSocket and come back acknowledged
    api.show(session, evening.prompt("open"))
    phone.get_by_label("Jouw kaartje").fill("Meer licht bij de brug")
    phone.locator("form button[type=submit]").click()
    mine = phone.locator(".my-cards li").filter(has_text="Meer licht bij de brug")
    expect(mine.locator(".badge--approved")).to_be_visible()  # acked: unmoderated prompt
    guard.assert_clean(page_errors)


def test_the_projector_shows_every_kind_of_prompt(
    evening: Evening, new_context: Callable[..., BrowserContext], page_errors: list[str]
) -> None:
    guard = Guard()
    api, session = evening.api, evening.session
    link = api.http.post(f"/api/sessions/{evening.sid}/projector-link")
    assert link.status_code == 201, link.text
    projector = open_page(guarded(new_context, guard, viewport=PROJECTOR), link.json()["url"])
    expect(projector.locator(".projector__prompt")).to_be_visible()
    for prompt in session["prompts"]:
        api.show(session, prompt)
        expect(projector.locator(f".projector__prompt--{prompt['kind']}")).to_be_visible()
        expect(projector.locator(f"figure[data-kind={prompt['kind']}]")).to_be_visible()
        assert_within_viewport(projector, f"projector: {prompt['kind']}")
    guard.assert_clean(page_errors)


def test_the_console_screens(
    evening: Evening, new_context: Callable[..., BrowserContext], page_errors: list[str]
) -> None:
    guard = Guard()
    server = evening.server
    console = log_in(guarded(new_context, guard, viewport=DESKTOP), server, evening.creds)
    expect(console.locator(".session-list__item")).to_have_count(2)

    console.goto(f"{server.url}/console/sessions/{evening.sid}")
    expect(console.locator(".prompt-item--current")).to_be_visible()
    expect(console.locator(".prompt-item--current figure").first).to_be_visible()

    console.goto(f"{server.url}/console/sessions/{evening.draft['id']}")
    console.locator(".prompt-item").first.locator(".button-row button").nth(2).click()
    expect(console.locator(".prompt-form")).to_be_visible()

    console.goto(f"{server.url}/console/overview")
    expect(console.get_by_role("heading", level=1)).to_be_visible()
    expect(console.get_by_text(AREA).first).to_be_visible()
    console.goto(f"{server.url}/console/overview/{AREA}")
    expect(console.get_by_role("heading", level=1)).to_contain_text(AREA)

    console.goto(f"{server.url}/console/rounds")
    expect(console.locator(".round-list__item")).to_have_count(1)
    console.goto(f"{server.url}/console/rounds/{evening.round['id']}")
    expect(console.get_by_role("heading", level=1)).to_have_text(evening.round["title"])
    expect(console.locator(".round-table--notes tbody tr").first).to_be_visible()

    # the printable pages open from the console, with its cookie
    for page_name, ready in (("report.html", "h1"), ("handout.html", ".card")):
        printable = console.context.new_page()
        response = printable.goto(f"{server.url}/api/sessions/{evening.sid}/{page_name}")
        assert response is not None and response.status == 200
        expect(printable.locator(ready).first).to_be_visible()
        assert printable.evaluate("document.styleSheets.length") >= 2  # tokens.css + its own
        printable.close()
    guard.assert_clean(page_errors)


def test_the_canvassing_app(
    evening: Evening, new_context: Callable[..., BrowserContext], page_errors: list[str]
) -> None:
    guard = Guard()
    page = log_in(
        guarded(new_context, guard, viewport=PHONE),
        evening.server,
        evening.canvasser,
        landing="/canvass",
    )
    page.get_by_role("radio", name=evening.round["title"]).check()
    page.locator("#canvass-pick-area").select_option(AREA)
    page.locator(".canvass-pick button[type=submit]").click()
    expect(page.locator(".canvass-form")).to_be_visible()
    page.locator("#canvass-outcome-conversation").check()
    page.locator("#canvass-text").fill("Wil graag meepraten over het plein")
    page.locator(".canvass-save__button").click()
    expect(page.get_by_role("status").filter(has_text="Notitie bewaard")).to_be_visible()
    expect(page.locator(".outbox__count")).to_have_attribute("data-unsent", "0")

    # the QR view only shows a code (an <img> of the server's SVG); no camera is asked for
    page.locator(".door-sessions button").click()
    expect(page.locator(".qr-dialog__code")).to_have_text(evening.session["code"])
    expect(page.locator(".qr-dialog img, .qr-dialog svg").first).to_be_visible()
    page.keyboard.press("Escape")
    assert_within_viewport(page, "canvass")
    guard.assert_clean(page_errors)


def test_the_policy_is_enforced_and_the_guard_sees_it(
    live_server: Server, new_context: Callable[..., BrowserContext], page_errors: list[str]
) -> None:
    """A control for the tests above: markup that slipped in would not run, and the guard
    would have said so."""
    guard = Guard()
    page = open_page(guarded(new_context, guard), f"{live_server.url}/login")
    expect(page.locator("#login-email")).to_be_visible()
    page.evaluate(
        """() => {
          const box = document.createElement('div');
          box.innerHTML = '<img src="/app/icons/icon-192.png" onload="window.__pwned = 1">'
            + '<span style="color: red">x</span>';
          document.body.append(box);
          const script = document.createElement('script');
          script.textContent = 'window.__pwned = 2';
          document.body.append(script);
        }"""
    )
    expect(page.locator("img[onload]")).to_have_count(1)
    page.wait_for_function("document.querySelector('img[onload]').complete")
    assert page.evaluate("window.__pwned") is None
    page.wait_for_function("true")  # one more round trip: the bindings' calls have arrived
    directives = {v.split(": ", 1)[1].split(" ")[0] for v in guard.violations}
    assert {"script-src-attr", "script-src-elem", "style-src-attr"} <= directives, guard.violations
    assert any("Content Security Policy" in c for c in guard.complaints), guard.complaints
    assert page_errors == []
