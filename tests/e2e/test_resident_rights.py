"""On the phone: "remove my answers" in two steps (the results lose them at once), and a phone
that was away when the session closed shows the end on its return, not a failed join."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, expect

from ..conftest import Server
from .conftest import axe_violations, open_page

pytestmark = pytest.mark.e2e

DILEMMA: dict[str, Any] = {
    "kind": "dilemma",
    "title": "Meer rust of meer reuring?",
    "left": "Rust",
    "right": "Reuring",
}


def test_a_resident_removes_their_answers_on_the_phone_and_sees_the_end_after_being_away(
    live_server: Server, new_context: Callable[..., BrowserContext], page_errors: list[str]
) -> None:
    api = live_server.login()
    session = api.new_live_session(None, title="Wisavond", prompts=[DILEMMA])
    prompt = session["prompts"][0]
    api.show(session, prompt)

    phone = open_page(new_context(), f"{live_server.url}/j/{session['code']}")
    phone.get_by_role("button", name="Doe mee").click()
    phone.get_by_role("slider").fill("30")
    phone.get_by_role("button", name="Verstuur").click()
    expect(
        phone.get_by_role("status").filter(has_text="Je antwoord is opgeslagen.")
    ).to_be_visible()

    def answered() -> int:
        body = api.http.get(f"/api/sessions/{session['id']}/results").json()
        return int(body["prompts"][0]["tally"]["n"])

    assert answered() == 1
    region = phone.get_by_role("region", name="Je antwoorden wissen")
    region.get_by_role("button", name="Mijn antwoorden wissen").click()
    confirm = region.get_by_role("button", name="Ja, wis mijn antwoorden")
    expect(confirm).to_be_visible()
    assert axe_violations(phone) == [], "phone: remove confirmation (nl)"
    region.get_by_role("button", name="Nee, laat staan").click()  # one stray tap wipes nothing
    assert answered() == 1
    region.get_by_role("button", name="Mijn antwoorden wissen").click()
    region.get_by_role("button", name="Ja, wis mijn antwoorden").click()
    expect(region.get_by_role("status")).to_have_text(
        "Je antwoorden zijn gewist. Je kunt gewoon verder meedoen."
    )
    assert answered() == 0
    phone.get_by_role("button", name="English").click()
    expect(phone.get_by_role("region", name="Remove your answers")).to_be_visible()
    assert axe_violations(phone) == [], "phone: after removal (en)"
    phone.get_by_role("button", name="Nederlands").click()

    # they may answer again
    phone.get_by_role("slider").fill("70")
    phone.get_by_role("button", name="Verstuur").click()
    expect(
        phone.get_by_role("status").filter(has_text="Je antwoord is opgeslagen.")
    ).to_be_visible()
    assert answered() == 1

    # the session closes while the phone is away: its token expired, so on its return it
    # cannot rejoin, and it says the meeting is over (not "unknown code")
    phone.goto("about:blank")  # the phone's browser dropped the page; its token stays stored
    assert api.http.post(f"/api/sessions/{session['id']}/close").is_success
    phone.goto(f"{live_server.url}/j/{session['code']}")
    expect(phone.get_by_role("heading", level=1)).to_have_text("De bijeenkomst is afgelopen")
    expect(phone.get_by_role("button", name="Doe mee")).to_have_count(0)
    assert page_errors == []
