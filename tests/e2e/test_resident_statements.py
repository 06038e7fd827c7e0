"""A resident proposes a statement on the phone, the facilitator approves it in the console,
and then the room votes on it: the resident's vote through the UI counts in /results."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from playwright.sync_api import BrowserContext, expect

from ..conftest import Server, join
from .conftest import (
    DESKTOP,
    assert_accessible_in_both_languages,
    log_in,
    open_page,
)

pytestmark = pytest.mark.e2e

PROPOSAL = "Meer bankjes op het plein"
PROMPT: dict[str, Any] = {
    "kind": "statements",
    "title": "Wat vind je van het plein?",
    "statements": [{"id": "s1", "text": "Het plein is te stenig"}],
    "resident_statements": True,
}


def test_a_proposed_statement_is_approved_in_the_console_and_voted_on_the_phone(
    live_server: Server, new_context: Callable[..., BrowserContext], page_errors: list[str]
) -> None:
    creds = live_server.create_staff()
    api = live_server.login(creds["email"], creds["password"])
    session = api.new_live_session(None, title="Pleinavond", prompts=[PROMPT])
    prompt = session["prompts"][0]
    api.show(session, prompt)

    console = log_in(new_context(viewport=DESKTOP), live_server, creds)
    console.goto(f"{live_server.url}/console/sessions/{session['id']}")
    queue = console.locator(".moderation").filter(has_text="Voorgestelde stellingen")
    expect(queue).to_contain_text("Geen voorgestelde stellingen die wachten.")

    phone = open_page(new_context(), f"{live_server.url}/j/{session['code']}")
    phone.get_by_role("button", name="Doe mee").click()
    expect(phone.locator(".statement").filter(has_text="Het plein is te stenig")).to_be_visible()
    form = phone.get_by_role("region", name="Zelf een stelling voorstellen")
    expect(form).to_be_visible()
    assert_accessible_in_both_languages(phone, "phone: proposal form")

    text = form.get_by_label("Jouw stelling")
    text.fill(PROPOSAL)
    expect(form).to_contain_text(f"{len(PROPOSAL)} van 200 tekens")
    form.get_by_role("button", name="Stel voor").click()
    expect(form.get_by_role("status")).to_have_text(
        "Je stelling is verstuurd. De gespreksleider bekijkt hem eerst."
    )
    expect(text).to_have_value("")
    mine = form.get_by_role("region", name="Jouw voorgestelde stellingen")
    expect(mine.locator("li").filter(has_text=PROPOSAL)).to_contain_text("Wacht op goedkeuring")
    # Not votable yet: only the facilitator's own statement has vote buttons.
    expect(phone.locator(".statement")).to_have_count(1)

    # The moderation message refreshes the console's queue.
    expect(queue.locator(".moderation__card")).to_have_text(re.compile(PROPOSAL))
    assert_accessible_in_both_languages(console, "console: pending proposal")
    queue.get_by_role("button", name="Goedkeuren: voorgestelde stelling 1").click()
    expect(queue.get_by_role("status")).to_have_text(
        "Stelling goedgekeurd. Iedereen kan er nu op stemmen."
    )
    expect(queue.locator(".moderation__card")).to_have_count(0)

    # The phone gets the prompt again, with the new statement to vote on.
    proposed = phone.locator(".statement").filter(has_text=PROPOSAL)
    expect(proposed).to_be_visible()
    expect(mine.locator("li").filter(has_text=PROPOSAL)).to_contain_text("Staat bij de stellingen")
    proposed.get_by_role("button", name="Eens", exact=True).click()
    # (once pressed, the button's name gains the check mark its style adds)
    expect(proposed.locator(".vote--agree")).to_have_attribute("aria-pressed", "true")
    expect(proposed.get_by_role("status")).to_have_text("Je antwoord is opgeslagen.")

    # Four more residents disagree over HTTP, so the tally is past the minimum group and the
    # one "agree" can only be the phone's.
    pending = api.http.get(
        f"/api/sessions/{session['id']}/prompts/{prompt['id']}/cards", params={"status": "approved"}
    )
    assert pending.status_code == 200, pending.text
    card_id = next(c["id"] for c in pending.json() if c["text"] == PROPOSAL)
    for _ in range(4):
        token = join(live_server, session["code"])["token"]
        voted = httpx.put(
            f"{live_server.url}/api/me/responses/{prompt['id']}",
            json={"value": {"statement_id": card_id, "vote": "disagree"}},
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
        assert voted.status_code == 200, voted.text
    results = api.http.get(f"/api/sessions/{session['id']}/results")
    assert results.status_code == 200, results.text
    tally = next(p["tally"] for p in results.json()["prompts"] if p["prompt_id"] == prompt["id"])
    assert tally["n"] == 5
    counted = next(s for s in tally["statements"] if s["id"] == card_id)
    assert (counted["text"], counted["agree"], counted["disagree"]) == (PROPOSAL, 1, 4)
    assert page_errors == []


def test_a_proposal_lost_on_the_way_goes_again_with_the_same_id(
    live_server: Server, new_context: Callable[..., BrowserContext], page_errors: list[str]
) -> None:
    api = live_server.login()
    session = api.new_live_session(None, title="Pleinavond", prompts=[PROMPT])
    prompt = session["prompts"][0]
    api.show(session, prompt)

    phone = open_page(new_context(), f"{live_server.url}/j/{session['code']}")
    sent: list[dict[str, Any]] = []

    def first_one_lost(route: Any) -> None:
        sent.append(route.request.post_data_json)
        if len(sent) == 1:
            route.abort("internetdisconnected")
        else:
            route.continue_()

    phone.route("**/api/me/statements", first_one_lost)
    phone.get_by_role("button", name="Doe mee").click()
    form = phone.get_by_role("region", name="Zelf een stelling voorstellen")
    form.get_by_role("button", name="Stel voor").click()
    expect(form.get_by_role("alert")).to_have_text("Schrijf eerst je stelling.")
    assert sent == []

    form.get_by_label("Jouw stelling").fill(PROPOSAL)
    form.get_by_role("button", name="Stel voor").click()
    expect(form.get_by_role("alert")).to_have_text(
        "Geen verbinding met de server. Controleer je internet en probeer het opnieuw."
    )
    expect(form.get_by_label("Jouw stelling")).to_have_value(PROPOSAL)
    form.get_by_role("button", name="Stel voor").click()
    expect(form.get_by_role("status")).to_have_text(
        "Je stelling is verstuurd. De gespreksleider bekijkt hem eerst."
    )
    expect(form.get_by_role("alert")).to_have_text("")
    assert len(sent) == 2 and sent[0] == sent[1]  # the same client id: one proposal
    cards = api.http.get(
        f"/api/sessions/{session['id']}/prompts/{prompt['id']}/cards", params={"status": "pending"}
    ).json()
    assert [c["text"] for c in cards] == [PROPOSAL]

    for text in ("Een fontein", "Meer schaduw"):
        form.get_by_label("Jouw stelling").fill(text)
        form.get_by_role("button", name="Stel voor").click()
        expect(form.locator(".my-proposals li").filter(has_text=text)).to_be_visible()
    expect(form).to_contain_text("Je hebt het maximum van 3 stellingen voorgesteld.")
    expect(form.get_by_label("Jouw stelling")).to_have_count(0)

    closed = api.http.post(f"/api/sessions/{session['id']}/prompts/{prompt['id']}/close")
    assert closed.status_code == 200, closed.text
    expect(phone.locator(".state-line")).not_to_have_text("")
    expect(phone.get_by_role("region", name="Zelf een stelling voorstellen")).to_have_count(0)
    assert page_errors == []
