"""The organisation overview in the console: neighbourhoods over time, and one neighbourhood's
dialogue results beside the canvassing signals of the same area (k-anonymous)."""

from __future__ import annotations

import secrets
import string
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from ..api.test_canvass_api import a_note
from ..api.test_resident_api import all_answer, crowd
from ..conftest import Server, Staff
from .conftest import DESKTOP, PHONE, assert_accessible_in_both_languages, axe_violations, log_in

pytestmark = pytest.mark.e2e

DILEMMAS: list[dict[str, Any]] = [
    {
        "kind": "dilemma",
        "title": "Bij de opening",
        "left": "Opvang",
        "right": "Geen opvang",
        "pair": "kern",
    },
    {"kind": "dilemma", "title": "Te klein", "left": "Links", "right": "Rechts"},
    {
        "kind": "dilemma",
        "title": "Bij het slot",
        "left": "Opvang",
        "right": "Geen opvang",
        "pair": "kern",
    },
]


def word() -> str:
    return "".join(secrets.choice(string.ascii_lowercase) for _ in range(6)).capitalize()


def organiser(server: Server) -> tuple[dict[str, str], Staff]:
    creds = server.create_staff(role="facilitator")
    return creds, server.login(creds["email"], creds["password"])


def add_notes(api: Staff, rid: str, area: str, n: int, **fields: Any) -> None:
    for _ in range(n):
        r = api.http.put(
            f"/api/rounds/{rid}/notes/{uuid.uuid4()}", json=a_note(area=area, **fields)
        )
        assert r.status_code == 201, r.text


def a_neighbourhood(server: Server, api: Staff) -> dict[str, Any]:
    """A live dialogue with a before/after pair and a small dilemma in `main`, a round over
    `main` (5 notes) and `small` (2 notes: under k), a session linked to `small` and one whose
    neighbourhood is `small` in capitals (the round's spelling is used twice: it is shown)."""
    main, small = f"Wijk {word()}", f"Hof {word()}"
    live = api.new_live_session(
        template=None, prompts=DILEMMAS, neighbourhood=main, title="Buurtavond"
    )
    opening, few, closing = (p["id"] for p in live["prompts"])
    people = crowd(server, live, 6)
    for pid, values in (
        (opening, [0, 10, 20, 50, 90, 100]),
        (few, [50, 50, 50]),
        (closing, [40, 45, 50, 55, 60, 100]),
    ):
        api.show(live, {"id": pid})
        all_answer(people[: len(values)], pid, values)
    r = api.http.post("/api/rounds", json={"title": "Rondgang voorjaar", "areas": [main, small]})
    assert r.status_code == 201, r.text
    rnd = r.json()
    add_notes(api, rnd["id"], main, 3, concern=4, trust=2, topics=["safety", "housing"])
    add_notes(
        api, rnd["id"], main, 2, concern=2, trust=None, topics=["safety"], wants_dialogue="maybe"
    )
    add_notes(api, rnd["id"], small, 2)
    for body in (
        {"title": "Koffieochtend", "neighbourhood": small.upper()},
        {"title": "Spreekuur", "round_id": rnd["id"], "round_area": small},
    ):
        r = api.http.post("/api/sessions", json=body)
        assert r.status_code == 201, r.text
    return {"main": main, "small": small, "live": live, "round": rnd}


def hood_card(page: Page, name: str) -> Any:
    return page.locator(f'.overview-hood[data-hood="{name}"]')


def test_the_overview_lists_neighbourhoods_with_their_sessions_and_rounds(
    live_server: Server, new_context: Callable[..., BrowserContext], page_errors: list[str]
) -> None:
    creds, api = organiser(live_server)
    world = a_neighbourhood(live_server, api)
    page = log_in(new_context(viewport=DESKTOP), live_server, creds)
    page.get_by_role("link", name="Overzicht").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Overzicht per buurt")
    expect(page.get_by_role("link", name="Overzicht")).to_have_attribute("aria-current", "page")

    main = hood_card(page, world["main"])
    expect(main.get_by_role("heading", level=2)).to_have_text(world["main"])
    expect(main.locator(".overview-hood__meta")).to_contain_text("1 dialoog")
    expect(main.locator(".overview-hood__meta")).to_contain_text("1 huis-aan-huisronde")
    expect(main.locator(".overview-item--session")).to_contain_text("Buurtavond")
    expect(main.locator(".overview-item--session")).to_contain_text("6 deelnemers")
    expect(main.locator(".overview-item--round")).to_contain_text("5 notities in dit gebied")

    small = hood_card(page, world["small"])  # the round's spelling: 2 of 3 uses
    sessions = small.locator(".overview-item--session")
    expect(sessions).to_have_count(2)
    expect(sessions.filter(has_text="Koffieochtend")).to_have_count(1)
    expect(sessions.filter(has_text="Spreekuur")).to_have_count(1)
    expect(small.locator(".overview-item--round")).to_contain_text(
        "minder dan 5 notities in dit gebied"
    )
    expect(small.locator("[data-notes]")).to_have_attribute("data-notes", "")
    assert_accessible_in_both_languages(page, "overview")

    expect(page.get_by_role("heading", level=1)).to_have_text("Overzicht per buurt")
    main.get_by_role("link", name=world["main"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(world["main"])
    assert page_errors == []


def test_a_neighbourhood_shows_its_dialogues_beside_the_signals_at_the_door(
    live_server: Server, new_context: Callable[..., BrowserContext], page_errors: list[str]
) -> None:
    creds, api = organiser(live_server)
    world = a_neighbourhood(live_server, api)
    page = log_in(new_context(viewport=DESKTOP), live_server, creds)
    page.goto(f"{live_server.url}/console/overview/{quote(world['main'].lower(), safe='')}")
    expect(page.get_by_role("heading", level=1)).to_have_text(world["main"])
    dialogues = page.locator(".overview-column--dialogues")
    door = page.locator(".overview-column--door")
    expect(dialogues.get_by_role("heading", level=2)).to_have_text("Wat de dialogen lieten zien")
    expect(door.get_by_role("heading", level=2)).to_have_text("Wat we aan de deur hoorden")

    session = dialogues.locator(f'[data-session="{world["live"]["id"]}"]')
    expect(session.get_by_role("heading", level=3)).to_have_text("Buurtavond")
    closing, few = (
        session.locator(f'[data-prompt="{world["live"]["prompts"][i]["id"]}"]') for i in (2, 1)
    )
    expect(closing.locator('[data-stat="n"]')).to_have_text("6")
    expect(closing.locator('[data-stat="middle"]')).to_have_text("83%")
    expect(closing.locator('[data-stat="mean"]')).to_have_text("58")
    expect(closing.locator(".overview-dilemma__shift")).to_have_text(
        "Midden: 17% bij de opening → 83% bij de afsluiting"
    )
    expect(closing.get_by_role("img")).to_have_count(2)  # opening and close, each with a label
    expect(closing.get_by_role("img").nth(1)).to_have_attribute(
        "aria-label", "Afsluiting: 6 antwoorden, gemiddelde 58, 83% in het midden"
    )
    expect(few).to_have_attribute("data-hidden", "true")
    expect(few).to_contain_text("Te weinig antwoorden om te tonen (3; een verdeling vanaf 5).")
    expect(few.get_by_role("img")).to_have_count(0)

    numbers = closing.locator("details summary")
    numbers.focus()
    page.keyboard.press("Enter")
    table = closing.get_by_role("table")
    expect(table).to_be_visible()
    # 7 parts of the slider; 50 (opening) and 45, 50, 55 (close) fall in the fourth, 43–56
    expect(table.locator("tbody tr").nth(3).locator("th, td")).to_have_text(["43–56", "1", "3"])

    signals = door.locator(f'[data-round="{world["round"]["id"]}"]')
    expect(signals.get_by_role("heading", level=3)).to_have_text("Rondgang voorjaar")
    expect(signals.locator('[data-signal="notes"]')).to_have_text("5")
    expect(signals.locator('[data-signal="concern"]')).to_have_text("3,2")
    expect(signals.locator('[data-signal="trust"]')).to_have_text("2,0")
    expect(signals.locator('[data-signal="us_them"]')).to_have_text("100%")
    expect(signals.locator('[data-signal="wants"]')).to_have_text("3 ja, 2 misschien")
    expect(signals.locator('[data-signal="topics"] li')).to_have_text(
        ["Veiligheid (5)", "Wonen (3)"]
    )
    # Two columns on a laptop.
    left, right = dialogues.bounding_box(), door.bounding_box()
    assert left and right and right["x"] > left["x"] + left["width"] - 1
    assert_accessible_in_both_languages(page, "neighbourhood")
    assert page_errors == []


def test_an_area_under_k_shows_no_figures_and_the_columns_stack_on_a_phone(
    live_server: Server, new_context: Callable[..., BrowserContext], page_errors: list[str]
) -> None:
    creds, api = organiser(live_server)
    world = a_neighbourhood(live_server, api)
    page = log_in(new_context(viewport=PHONE), live_server, creds)
    page.goto(f"{live_server.url}/console/overview/{quote(world['small'], safe='')}")
    expect(page.get_by_role("heading", level=1)).to_have_text(world["small"])
    door = page.locator(".overview-column--door")
    hidden = door.locator(f'[data-round="{world["round"]["id"]}"]')
    expect(hidden).to_have_attribute("data-hidden-reason", "fewer_than_k")
    expect(hidden).to_contain_text("Te weinig notities (minder dan 5) om te tonen.")
    expect(hidden.locator("[data-signal]")).to_have_count(0)
    dialogues = page.locator(".overview-column--dialogues")
    expect(dialogues.locator(".overview-session")).to_have_count(2)
    expect(dialogues.locator(".overview-session h3")).to_have_text(["Koffieochtend", "Spreekuur"])
    expect(dialogues.locator(".overview-none")).to_have_text(["Deze sessie had geen dilemma."] * 2)
    left, right = dialogues.bounding_box(), door.bounding_box()
    assert left and right and right["y"] >= left["y"] + left["height"] - 1
    assert_accessible_in_both_languages(page, "neighbourhood under k (phone)")
    assert page_errors == []


def test_an_empty_overview_and_an_unknown_neighbourhood_explain_themselves(
    live_server: Server, new_context: Callable[..., BrowserContext], page_errors: list[str]
) -> None:
    creds, _ = organiser(live_server)
    page = log_in(new_context(viewport=DESKTOP, lang="en"), live_server, creds)
    page.goto(f"{live_server.url}/console/overview")
    expect(page.get_by_role("heading", name="Nothing to show yet")).to_be_visible()
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/console/overview/Nowhere")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "This neighbourhood is not in the overview"
    )
    assert axe_violations(page) == []
    page.get_by_role("link", name="Back to the overview").click()
    expect(page.get_by_role("heading", name="Nothing to show yet")).to_be_visible()
    assert page_errors == []
