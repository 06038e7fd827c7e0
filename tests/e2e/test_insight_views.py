"""The projector and the console show opinion groups, what binds the room and how a dilemma
pair moved: two planted blocs of residents, and the same dilemma asked at the opening and the close."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from ..conftest import Server, Staff, join
from .conftest import DESKTOP, PROJECTOR, assert_accessible, log_in

pytestmark = pytest.mark.e2e

GROUPS_TIMEOUT = 15_000  # opinion groups are recomputed in the background every ~2 s
STATEMENTS = [
    ("s1", "Iedereen moet zich veilig voelen in de buurt."),
    ("s2", "Er moeten meer agenten op straat komen."),
    ("s3", "Camera's in het park zijn een goed idee."),
    ("s4", "Het buurthuis moet 's avonds eerder dicht."),
    ("s5", "Jongeren hebben een eigen plek nodig in de wijk."),
    ("s6", "Het buurthuis moet langer open blijven."),
    ("s7", "Boetes lossen de overlast niet op."),
    ("s8", "De gemeente moet vaker komen praten."),
]
# Two blocs that agree only on s1: it is the one statement that binds the room.
BLOC_A = {"s1": "agree", "s2": "agree", "s3": "agree", "s4": "agree"}
BLOC_A |= {"s5": "disagree", "s6": "disagree", "s7": "disagree", "s8": "pass"}
BLOC_B = {"s1": "agree", "s2": "disagree", "s3": "disagree", "s4": "disagree"}
BLOC_B |= {"s5": "agree", "s6": "agree", "s7": "agree", "s8": "disagree"}
BLOC_SIZES = (7, 6)
# The same dilemma at the opening and the close, answered by the same six people: in the
# middle band (40..60) 2 of 6 before and 4 of 6 after; two people moved into the middle.
BEFORE = [10, 20, 50, 80, 90, 45]
AFTER = [40, 20, 50, 55, 90, 45]
PAIRED = {
    "nl": "Van de 6 mensen die beide keren antwoordden, schoven er 2 naar het midden.",
    "en": "Of the 6 people who answered both times, 2 moved to the middle.",
}


def respond(http: httpx.Client, token: str, prompt_id: str, value: Any) -> None:
    r = http.put(
        f"/api/me/responses/{prompt_id}",
        json={"value": value},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 200, r.text


def statements_room(server: Server, api: Staff, language: str) -> dict[str, Any]:
    prompt = {
        "kind": "statements",
        "title": "Wat vindt u van deze zinnen over de buurt?",
        "statements": [{"id": sid, "text": text} for sid, text in STATEMENTS],
    }
    session = api.new_live_session(None, prompts=[prompt], language=language)
    statements = api.prompt_of_kind(session, "statements")
    api.show(session, statements)
    with httpx.Client(base_url=server.url, timeout=10) as http:
        for bloc, size in zip((BLOC_A, BLOC_B), BLOC_SIZES, strict=True):
            for _ in range(size):
                token = join(server, session["code"])["token"]
                for sid, vote in bloc.items():
                    respond(http, token, statements["id"], {"statement_id": sid, "vote": vote})
    return session


def pair_room(server: Server, api: Staff, language: str) -> dict[str, Any]:
    session = api.new_live_session("opvang-vluchtelingen", language=language)
    dilemmas = sorted(
        (p for p in session["prompts"] if p["kind"] == "dilemma"), key=lambda p: p["position"]
    )
    opening, closing = dilemmas[0], dilemmas[-1]
    tokens = [join(server, session["code"])["token"] for _ in BEFORE]
    with httpx.Client(base_url=server.url, timeout=10) as http:
        for prompt, values in ((opening, BEFORE), (closing, AFTER)):
            api.show(session, prompt)
            for token, value in zip(tokens, values, strict=True):
                respond(http, token, prompt["id"], value)
    return session


def projector_for(api: Staff, session: dict[str, Any], page: Page) -> None:
    link = api.http.post(f"/api/sessions/{session['id']}/projector-link")
    assert link.status_code == 201, link.text
    page.goto(link.json()["url"])


FITS = """() => {
  const box = (s) => document.querySelector(s).getBoundingClientRect();
  const text = document.querySelector('.insight-room__text');
  const map = box('.insight-room__map');
  return map.right <= box('.insight-room__text').left && map.bottom <= innerHeight
    && text.scrollHeight <= text.clientHeight + 1
    && document.querySelector('.projector').scrollHeight <= innerHeight;
}"""


def assert_fits_one_screen(page: Page) -> None:
    """The map and the text beside it do not overlap, and nothing runs off the screen (the
    text column steps its type down after a resize, so this waits for it)."""
    page.wait_for_function(FITS, timeout=5_000)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_projector_and_console_show_groups_what_binds_and_the_shift_of_the_pair(
    live_server: Server,
    new_context: Callable[..., BrowserContext],
    page_errors: list[str],
    lang: str,
) -> None:
    creds = live_server.create_staff()
    api = live_server.login(creds["email"], creds["password"])
    statements = statements_room(live_server, api, lang)
    pair = pair_room(live_server, api, lang)

    projector = new_context(viewport=PROJECTOR, lang=lang).new_page()
    projector_for(api, statements, projector)
    room = projector.locator("[data-kind=statements-insight]")
    expect(room.locator(".opinion-map svg[role=img]")).to_be_visible(timeout=GROUPS_TIMEOUT)
    legend = room.locator(".opinion-legend__item:not([data-group='-1'])")
    expect(legend).to_have_count(2)
    sizes = sorted(int(s or 0) for s in legend.evaluate_all("els => els.map(e => e.dataset.size)"))
    assert sizes == sorted(BLOC_SIZES)
    expect(room.locator(".opinion-map")).to_have_attribute("data-points", str(sum(BLOC_SIZES)))
    binding = room.locator(".binding__item")
    expect(binding.first).to_have_attribute("data-statement", "s1")
    expect(binding.first).to_contain_text(STATEMENTS[0][1])
    expect(binding.first).to_contain_text("100%")
    expect(room.locator(".group-card")).to_have_count(2)
    assert_fits_one_screen(projector)
    assert_accessible(projector, "projector: opinion groups")
    if lang == "nl":
        expect(room.locator(".binding")).to_contain_text("Wat de zaal bindt")
        projector.set_viewport_size({"width": 1280, "height": 720})
        assert_fits_one_screen(projector)

    console = log_in(new_context(viewport=DESKTOP, lang=lang), live_server, creds)
    console.goto(f"{live_server.url}/console/sessions/{statements['id']}")
    panel = console.locator(".prompt-item--current [data-kind=statements-insight]")
    expect(panel.locator(".opinion-map svg[role=img]")).to_be_visible(timeout=GROUPS_TIMEOUT)
    expect(panel.locator(".binding__item").first).to_have_attribute("data-statement", "s1")
    assert_accessible(console, "console: opinion groups")

    projector_for(api, pair, projector)
    shift = projector.locator("[data-kind=dilemma-insight] .before-after")
    expect(shift.locator(".shift__line--middle")).to_have_text(re.compile(r"33%\s*→\s*67%"))
    expect(shift.locator(".before-after__paired")).to_have_text([PAIRED[lang]])
    expect(shift.get_by_role("img")).to_be_visible()
    assert_accessible(projector, "projector: before and after")

    console.goto(f"{live_server.url}/console/sessions/{pair['id']}")
    compared = console.locator(".prompt-item--current [data-kind=dilemma-insight]")
    expect(compared.locator(".before-after__middle")).to_contain_text("33%")
    expect(compared.locator(".before-after__middle")).to_contain_text("67%")
    assert_accessible(console, "console: before and after")
    assert page_errors == []
