"""The facilitator edits a session's own fields and clears optional prompt fields in the console."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from ..conftest import Server, Staff
from .conftest import DESKTOP, log_in

pytestmark = pytest.mark.e2e

TEMPLATE = "opvang-vluchtelingen"


def open_session(
    server: Server, new_context: Callable[..., BrowserContext], **body: Any
) -> tuple[Staff, dict[str, Any], Page]:
    """A draft session made over the API, opened in the console of the same facilitator."""
    creds = server.create_staff()
    api = server.login(creds["email"], creds["password"])
    created = api.http.post(
        "/api/sessions", json={"title": "Buurtavond", "template": TEMPLATE, **body}
    )
    assert created.status_code == 201, created.text
    console = log_in(new_context(viewport=DESKTOP), server, creds)
    console.goto(f"{server.url}/console/sessions/{created.json()['id']}")
    expect(console.get_by_role("heading", level=1)).to_have_text(created.json()["title"])
    return api, created.json(), console


def test_facilitator_renames_a_session_and_changes_its_neighbourhood(
    live_server: Server, new_context: Callable[..., BrowserContext], page_errors: list[str]
) -> None:
    api, session, console = open_session(live_server, new_context, neighbourhood="Centrum")

    console.get_by_text("Naam, wijk en taal wijzigen").click()
    console.get_by_label("Naam van de sessie").fill("Avond over de opvang")
    console.get_by_label("Wijk of buurt (niet verplicht)").fill("Oost")
    console.get_by_label("Taal van de vragen").select_option("en")
    console.get_by_role("button", name="Bewaar gegevens").click()
    expect(console.get_by_role("status").filter(has_text="zijn opgeslagen")).to_have_text(
        "De gegevens van de sessie zijn opgeslagen."
    )
    expect(console.get_by_role("heading", level=1)).to_have_text("Avond over de opvang")

    console.reload()
    expect(console.get_by_role("heading", level=1)).to_have_text("Avond over de opvang")
    expect(console.locator(".lead")).to_have_text("Oost")
    expect(console).to_have_title(re.compile(r"^Avond over de opvang — "))
    console.get_by_text("Naam, wijk en taal wijzigen").click()
    expect(console.get_by_label("Naam van de sessie")).to_have_value("Avond over de opvang")
    expect(console.get_by_label("Wijk of buurt (niet verplicht)")).to_have_value("Oost")
    expect(console.get_by_label("Taal van de vragen")).to_have_value("en")

    stored = api.http.get(f"/api/sessions/{session['id']}").json()
    assert (stored["title"], stored["neighbourhood"], stored["language"]) == (
        "Avond over de opvang",
        "Oost",
        "en",
    )
    assert page_errors == []


def test_saving_the_details_of_a_session_closed_meanwhile_says_why_it_failed(
    live_server: Server, new_context: Callable[..., BrowserContext], page_errors: list[str]
) -> None:
    api, session, console = open_session(live_server, new_context)
    console.get_by_text("Naam, wijk en taal wijzigen").click()
    console.get_by_label("Naam van de sessie").fill("Te laat")

    # Another tab ends the session before this one saves.
    assert api.http.post(f"/api/sessions/{session['id']}/start").status_code == 200
    assert api.http.post(f"/api/sessions/{session['id']}/close").status_code == 200
    console.get_by_role("button", name="Bewaar gegevens").click()
    expect(console.get_by_role("alert").filter(has_text="Niet opgeslagen.")).to_have_text(
        "Niet opgeslagen. Dat kan nu niet in deze fase van de sessie."
        " Laad de pagina opnieuw om de laatste stand te zien."
    )
    assert api.http.get(f"/api/sessions/{session['id']}").json()["title"] == "Buurtavond"
    assert page_errors == []


def test_facilitator_clears_the_notes_of_a_prompt_and_they_stay_gone_after_reload(
    live_server: Server, new_context: Callable[..., BrowserContext], page_errors: list[str]
) -> None:
    api, session, console = open_session(live_server, new_context)
    prompt = next(p for p in session["prompts"] if p.get("notes"))
    item = console.locator(".prompt-item").filter(
        has=console.get_by_text(prompt["title"], exact=True)
    )
    expect(item.locator(".notes")).to_have_count(1)

    item.get_by_role("button", name=f"Bewerk: {prompt['title']}").click()
    notes = item.get_by_label("Notities voor de gespreksleider (niet verplicht)")
    expect(notes).to_have_value(prompt["notes"])
    notes.fill("")
    item.get_by_role("button", name="Bewaar vraag").click()
    expect(console.get_by_role("status").filter(has_text="De vraag is opgeslagen.")).to_be_visible()

    console.reload()
    expect(item.locator(".prompt-item__title")).to_have_text(prompt["title"])
    expect(item.locator(".notes")).to_have_count(0)
    item.get_by_role("button", name=f"Bewerk: {prompt['title']}").click()
    expect(item.get_by_label("Notities voor de gespreksleider (niet verplicht)")).to_have_value("")

    stored = api.http.get(f"/api/sessions/{session['id']}").json()
    again = next(p for p in stored["prompts"] if p["id"] == prompt["id"])
    assert again.get("notes") is None
    assert again["title"] == prompt["title"]
    assert page_errors == []
