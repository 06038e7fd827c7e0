"""The printable QR hand-out sheet: 8 cards on one A4 page, accessible, the code on every card."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, expect

from ..conftest import Server
from .conftest import DESKTOP, axe_violations, log_in

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_handout_sheet_prints_eight_cards_on_one_a4_page(
    live_server: Server, new_context: Callable[..., BrowserContext], lang: str
) -> None:
    creds = live_server.create_staff()
    api = live_server.login(creds["email"], creds["password"])
    session = api.new_live_session("check-in-check-out", language=lang, neighbourhood="Noord")
    console = log_in(new_context(viewport=DESKTOP, lang=lang), live_server, creds)
    page = console.context.new_page()
    page.goto(f"{live_server.url}/api/sessions/{session['id']}/handout.html")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    cards = page.locator(".card")
    expect(cards).to_have_count(8)
    for i in range(8):
        expect(cards.nth(i)).to_contain_text(session["code"])
        expect(cards.nth(i).locator("svg[role=img]")).to_have_attribute(
            "aria-label", re.compile(re.escape(session["join_url"]))
        )
    assert axe_violations(page) == []
    page.emulate_media(media="print")
    expect(page.locator(".screen-only")).to_be_hidden()
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1  # all 8 cards on one sheet
