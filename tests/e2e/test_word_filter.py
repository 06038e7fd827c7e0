"""The word cloud's filter in the console: held-back words wait in their own queue, a
facilitator shows one anyway, and an admin edits the organisation's list."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from playwright.sync_api import BrowserContext, expect

from ..conftest import Server, join
from .conftest import DESKTOP, assert_accessible_in_both_languages, log_in

pytestmark = pytest.mark.e2e

WORDS = {"kind": "words", "title": "Eén woord voor de buurt", "max_words": 2}


def test_a_facilitator_shows_a_held_word_and_an_admin_edits_the_list(
    live_server: Server, new_context: Callable[..., BrowserContext], page_errors: list[str]
) -> None:
    creds = live_server.create_staff(role="admin")
    api = live_server.login(creds["email"], creds["password"])
    session = api.new_live_session(None, title="Woordenavond", prompts=[WORDS])
    prompt = session["prompts"][0]
    api.show(session, prompt)
    for words in (["kanker", "groen"], ["aap", "groen"], ["samen"], ["veilig"], ["samen"]):
        token = join(live_server, session["code"])["token"]
        r = httpx.put(
            f"{live_server.url}/api/me/responses/{prompt['id']}",
            json={"value": words},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert r.status_code == 200, r.text

    console = log_in(new_context(viewport=DESKTOP), live_server, creds)
    console.goto(f"{live_server.url}/console/sessions/{session['id']}")
    queue = console.locator(".moderation").filter(has_text="Woorden die wachten")
    expect(queue.get_by_role("heading")).to_have_text("Woorden die wachten (2)")
    expect(queue.locator("li")).to_have_count(2)
    assert_accessible_in_both_languages(console, "console: held words")
    queue.get_by_role("button", name="Toch tonen: aap").click()
    expect(queue.get_by_role("status")).to_have_text("‘aap’ staat nu in de woordwolk.")
    expect(queue.get_by_role("heading")).to_have_text("Woorden die wachten (1)")
    tally = api.http.get(f"/api/sessions/{session['id']}/results").json()["prompts"][0]["tally"]
    assert {w["word"] for w in tally["words"]} == {"aap", "groen", "samen", "veilig"}

    console.get_by_role("link", name="Woordfilter").click()
    expect(console.get_by_role("heading", level=1)).to_have_text("Woordfilter voor de woordwolk")
    assert_accessible_in_both_languages(console, "console: word filter")
    console.get_by_label("Ook tegenhouden").fill("veilig\nrotbuurt")
    console.get_by_role("button", name="Woordfilter opslaan").click()
    expect(console.get_by_role("status").filter(has_text="opgeslagen")).to_be_visible()
    tally = api.http.get(f"/api/sessions/{session['id']}/results").json()["prompts"][0]["tally"]
    assert {w["word"] for w in tally["words"]} == {"aap", "groen", "samen"}  # veilig held now
    assert page_errors == []
