"""Organisers run door-to-door rounds in the console: create, read per area (k-anonymous),
export, close, and link dialogue sessions to a round's area."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, Response, expect

from ..api.test_canvass_api import a_note
from ..conftest import Server, Staff, assert_error
from .conftest import (
    DESKTOP,
    assert_accessible_in_both_languages,
    log_in,
    open_page,
    submit_login,
)

pytestmark = pytest.mark.e2e

TEMPLATE = "check-in-check-out"


def organiser(server: Server, role: str = "facilitator") -> tuple[dict[str, str], Staff]:
    creds = server.create_staff(role=role)
    return creds, server.login(creds["email"], creds["password"])


def canvasser(server: Server, org: str) -> Staff:
    creds = server.create_staff(role="canvasser", org=org, name="Carla Canvas")
    return server.login(creds["email"], creds["password"])


def new_round(api: Staff, areas: list[str], title: str = "Rondgang") -> dict[str, Any]:
    r = api.http.post("/api/rounds", json={"title": title, "areas": areas})
    assert r.status_code == 201, r.text
    return dict(r.json())


def put_note(api: Staff, rid: str, area: str, **fields: Any) -> Any:
    return api.http.put(f"/api/rounds/{rid}/notes/{uuid.uuid4()}", json=a_note(area=area, **fields))


def add_notes(api: Staff, rid: str, area: str, n: int, **fields: Any) -> None:
    for _ in range(n):
        r = put_note(api, rid, area, **fields)
        assert r.status_code == 201, r.text


def open_round(page: Page, server: Server, rnd: dict[str, Any]) -> None:
    page.goto(f"{server.url}/console/rounds/{rnd['id']}")
    expect(page.get_by_role("heading", level=1)).to_have_text(rnd["title"])


def test_organiser_creates_a_round_and_an_address_as_area_is_refused(
    live_server: Server, new_context: Callable[..., BrowserContext], page_errors: list[str]
) -> None:
    creds, api = organiser(live_server)
    console = log_in(new_context(viewport=DESKTOP), live_server, creds)
    console.get_by_role("link", name="Huis-aan-huis").click()
    expect(console.get_by_role("heading", name="Nog geen rondes")).to_be_visible()
    assert_accessible_in_both_languages(console, "rounds: empty list")

    console.get_by_role("button", name="Nieuwe ronde").click()
    console.get_by_label("Naam van de ronde").fill("Rondgang Oost")
    areas = console.get_by_label("Gebieden (één per regel)")
    areas.fill("Centrum\nDorpsstraat 12\nDe Akkers")
    console.get_by_label("Jongeren").uncheck()
    console.get_by_label("Eigen onderwerpen (niet verplicht)").fill("Nieuwe moskee, Windmolens")
    console.get_by_role("button", name="Maak ronde").click()
    refusal = console.locator("#round-areas-error")
    expect(refusal).to_contain_text("“Dorpsstraat 12” lijkt een adres te bevatten")
    expect(refusal).to_contain_text("laat huisnummers, postcodes en namen weg")
    expect(areas).to_have_attribute("aria-invalid", "true")
    expect(areas).to_be_focused()
    assert api.http.get("/api/rounds").json() == []
    assert_accessible_in_both_languages(console, "rounds: new round with an error")

    areas.fill("Centrum\nDorpsstraat (noordkant)\n\nDe Akkers\n")
    console.get_by_role("button", name="Maak ronde").click()
    expect(console.get_by_role("status").filter(has_text="is gemaakt")).to_have_text(
        "De ronde “Rondgang Oost” is gemaakt."
    )
    item = console.locator(".round-list__item")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Rondgang Oost")
    expect(item).to_contain_text("Open")
    expect(item).to_contain_text("3 gebieden")
    expect(item).to_contain_text("0 notities")
    assert_accessible_in_both_languages(console, "rounds: list")

    [stored] = api.http.get("/api/rounds").json()
    assert stored["areas"] == ["Centrum", "Dorpsstraat (noordkant)", "De Akkers"]
    assert "youth" not in stored["topics"] and "safety" in stored["topics"]
    assert stored["topics"][-2:] == ["Nieuwe moskee", "Windmolens"]
    assert page_errors == []


def test_dashboard_names_only_areas_with_at_least_k_notes(
    live_server: Server, new_context: Callable[..., BrowserContext], page_errors: list[str]
) -> None:
    creds, api = organiser(live_server)
    door = canvasser(live_server, creds["org"])
    rnd = new_round(api, ["Centrum", "Vogelwijk", "Havenkwartier"], "Rondgang Noord")
    for level in (4, 4, 5, 3, 2, 4):
        assert put_note(door, rnd["id"], "Centrum", concern=level).status_code == 201
    add_notes(door, rnd["id"], "Vogelwijk", 2)
    add_notes(door, rnd["id"], "Havenkwartier", 1, text="Bel me op 06-12345678")

    console = log_in(new_context(viewport=DESKTOP), live_server, creds)
    open_round(console, live_server, rnd)
    expect(
        console.get_by_text("Gebieden met minder dan 5 notities worden samengevoegd.")
    ).to_be_visible()
    centrum = console.get_by_role("row", name=re.compile(r"^Centrum"))
    cells = centrum.get_by_role("cell")
    expect(cells.nth(0)).to_have_text("6")
    expect(cells.nth(1)).to_have_text("3,7")  # (4+4+5+3+2+4)/6
    expect(cells.nth(2)).to_have_text("2,0")
    expect(cells.nth(4)).to_have_text("6 ja, 0 misschien")
    other = console.get_by_role("row", name=re.compile(r"^Overige gebieden"))
    expect(other.get_by_role("rowheader")).to_have_text("Overige gebieden (2 samengevoegd)")
    expect(other).to_contain_text("te weinig notities om te tonen")
    expect(other.get_by_role("cell").first).to_have_text("3")
    concern = console.locator("[data-chart$='-concern'] .round-bars__row")
    expect(concern.nth(3)).to_have_text(re.compile(r"^4\s*3$"))
    expect(console.locator(".round-table--notes tbody tr")).to_have_count(9)
    expect(console.get_by_text("Bel me op [telefoon]")).to_be_visible()
    for hidden in ("Vogelwijk", "Havenkwartier"):
        assert hidden not in console.content()
    assert_accessible_in_both_languages(console, "round: other hidden")

    add_notes(door, rnd["id"], "Vogelwijk", 2)  # other: 4 + 1 = 5 notes, still no area with 5
    console.get_by_role("button", name="Ververs de cijfers").click()
    expect(other.get_by_role("cell").first).to_have_text("5")
    expect(other).not_to_contain_text("te weinig notities")
    expect(other.get_by_role("cell").nth(1)).to_have_text("4,0")
    console.get_by_label("Toon de grafieken van").select_option(
        label="Overige gebieden (2 samengevoegd)"
    )
    expect(
        console.get_by_role("heading", name="Grafieken van Overige gebieden (2 samengevoegd)")
    ).to_be_visible()
    for hidden in ("Vogelwijk", "Havenkwartier"):
        assert hidden not in console.content()
    assert_accessible_in_both_languages(console, "round: other shown")
    assert page_errors == []


def test_admin_exports_csv_then_closes_the_round_and_new_notes_are_refused(
    live_server: Server,
    new_context: Callable[..., BrowserContext],
    page_errors: list[str],
    tmp_path: Path,
) -> None:
    creds, api = organiser(live_server, role="admin")
    door = canvasser(live_server, creds["org"])
    rnd = new_round(api, ["Centrum"], "Rondgang Export")
    add_notes(door, rnd["id"], "Centrum", 2)

    console = log_in(new_context(viewport=DESKTOP), live_server, creds)
    open_round(console, live_server, rnd)
    with console.expect_download() as plain:
        console.get_by_role("link", name="Download CSV").click()
    header, *rows = plain.value.path().read_text(encoding="utf-8").splitlines()
    assert header.startswith("round_id,note_id,area")
    assert len(rows) == 2 and rows[0].startswith(f"{rnd['id']},")
    console.get_by_label("met namen van de medewerkers").check()
    with console.expect_download() as named:
        console.get_by_role("link", name="Download CSV").click()
    header, *rows = named.value.path().read_text(encoding="utf-8").splitlines()
    assert header.endswith(",canvasser") and rows[0].endswith(",Carla Canvas")

    console.get_by_role("button", name="Ronde bewerken").click()
    areas = console.get_by_label("Gebieden (één per regel)")
    areas.fill("Oost")
    console.get_by_role("button", name="Bewaar wijzigingen").click()
    expect(console.locator("#round-areas-error")).to_have_text(
        "Een gebied dat je hebt weggehaald of veranderd, staat al in notities."
        " Zet het terug; nieuwe gebieden toevoegen kan wel."
    )
    areas.fill("Centrum\nOost")
    console.get_by_role("button", name="Bewaar wijzigingen").click()
    expect(console.get_by_role("status").filter(has_text="opgeslagen")).to_have_text(
        "De wijzigingen zijn opgeslagen."
    )
    expect(console.locator(".round-meta")).to_contain_text("2 gebieden")

    close = console.get_by_role("button", name="Ronde afsluiten")
    close.click()
    dialog = console.get_by_role("dialog", name="“Rondgang Export” afsluiten?")
    expect(dialog.get_by_role("button", name="Annuleer")).to_be_focused()
    console.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(close).to_be_focused()
    console.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    assert_accessible_in_both_languages(console, "round: close confirm")
    dialog.get_by_role("button", name="Ja, sluit de ronde af").click()
    expect(dialog).to_have_count(0)
    expect(console.get_by_role("status").filter(has_text="afgesloten")).to_have_text(
        "De ronde is afgesloten."
    )
    expect(console.locator(".badge--round-closed")).to_have_text("Afgesloten")
    expect(console.get_by_role("button", name="Ronde afsluiten")).to_have_count(0)
    expect(console.get_by_role("button", name="Ronde bewerken")).to_have_count(0)

    assert api.http.get(f"/api/rounds/{rnd['id']}").json()["state"] == "closed"
    assert_error(put_note(door, rnd["id"], "Centrum"), 409, "round_closed")
    assert page_errors == []


def test_organiser_links_a_new_session_to_a_round_area_and_prints_cards_once_live(
    live_server: Server, new_context: Callable[..., BrowserContext], page_errors: list[str]
) -> None:
    creds, api = organiser(live_server)
    rnd = new_round(api, ["Centrum", "Oost"], "Rondgang Oost")
    old = new_round(api, ["Centrum"], "Oude ronde")
    assert api.http.post(f"/api/rounds/{old['id']}/close").status_code == 200

    console = log_in(new_context(viewport=DESKTOP), live_server, creds)
    console.get_by_role("button", name="Nieuwe sessie").click()
    console.get_by_label("Naam van de sessie").fill("Buurtavond Oost")
    round_select = console.get_by_label("Ronde", exact=True)
    expect(round_select.locator("option")).to_have_text(["Geen ronde", "Rondgang Oost"])
    round_select.select_option(label="Rondgang Oost")
    console.get_by_role("button", name="Maak sessie").click()
    expect(console.locator("#new-link-link-error")).to_have_text(
        "Kies ook een gebied van de ronde, of kies ‘Geen ronde’."
    )
    console.get_by_label("Gebied", exact=True).select_option("Oost")
    console.get_by_role("radio", name=re.compile("^Check-in en check-out")).check()
    console.get_by_role("button", name="Maak sessie").click()
    console.wait_for_url(re.compile(r"/console/sessions/"))
    expect(console.get_by_text("Gekoppeld aan huis-aan-huisgebied Oost.")).to_be_visible()
    session_id = console.url.rsplit("/", 1)[1]
    stored = api.http.get(f"/api/sessions/{session_id}").json()
    assert (stored["round_id"], stored["round_area"]) == (rnd["id"], "Oost")

    expect(console.locator(".handout-panel")).to_contain_text(
        "De kaartjes kun je afdrukken zodra de sessie gestart is"
    )
    expect(console.get_by_role("link", name=re.compile("QR-kaartjes afdrukken"))).to_have_count(0)
    console.get_by_role("button", name="Start sessie").click()
    cards = console.get_by_role("link", name=re.compile("QR-kaartjes afdrukken"))
    expect(cards).to_have_attribute("href", f"/api/sessions/{session_id}/handout.html")
    expect(cards).to_have_attribute("target", "_blank")
    sheet = console.request.get(f"{live_server.url}/api/sessions/{session_id}/handout.html")
    assert sheet.status == 200 and sheet.headers["content-type"].startswith("text/html")

    console.get_by_text("Naam, wijk en taal wijzigen").click()
    console.locator("#details-link-area").select_option("Centrum")
    console.get_by_role("button", name="Bewaar gegevens").click()
    expect(console.get_by_text("Gekoppeld aan huis-aan-huisgebied Centrum.")).to_be_visible()
    assert api.http.get(f"/api/sessions/{session_id}").json()["round_area"] == "Centrum"

    console.get_by_role("link", name="Bekijk de ronde “Rondgang Oost”").click()
    linked = console.locator("section[aria-labelledby=round-sessions-title] .session-list__item")
    expect(linked).to_have_count(1)
    expect(linked.get_by_role("link", name="Buurtavond Oost", exact=True)).to_be_visible()
    expect(linked.get_by_role("link", name=re.compile("^QR-kaartjes van"))).to_be_visible()
    expect(linked).to_contain_text("Gebied: Centrum")
    assert page_errors == []


def test_a_canvasser_in_the_console_is_sent_to_the_notes_app(
    live_server: Server, new_context: Callable[..., BrowserContext], page_errors: list[str]
) -> None:
    org = organiser(live_server)[0]["org"]
    creds = live_server.create_staff(role="canvasser", org=org)
    context = new_context(viewport=DESKTOP)
    page = open_page(context, f"{live_server.url}/login")
    submit_login(page, creds["email"], creds["password"], "/(console|canvass)")
    refused: list[str] = []

    def watch(response: Response) -> None:
        if response.status == 403:
            refused.append(response.url)

    page.on("response", watch)
    page.goto(f"{live_server.url}/console/rounds")
    expect(page.get_by_role("heading", level=1)).to_have_text("Deze console is voor organisatoren")
    expect(page.get_by_role("link", name="Naar Notities maken")).to_have_attribute(
        "href", "/canvass"
    )
    expect(page.get_by_role("navigation", name="Onderdelen van de console")).to_have_count(0)
    assert refused == []
    assert page_errors == []
