"""axe finds nothing to fix on any screen, in Dutch and in English."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from playwright.sync_api import BrowserContext, expect

from ..conftest import Server, Staff
from .conftest import DESKTOP, PROJECTOR, assert_accessible, log_in, open_page

pytestmark = pytest.mark.e2e

TEMPLATE = "opvang-vluchtelingen"


def answer_over_http(server: Server, code: str, prompt_id: str, value: Any) -> None:
    joined = httpx.post(f"{server.url}/api/join", json={"code": code}, timeout=10)
    assert joined.status_code == 201, joined.text
    answered = httpx.put(
        f"{server.url}/api/me/responses/{prompt_id}",
        json={"value": value},
        headers={"Authorization": f"Bearer {joined.json()['token']}"},
        timeout=10,
    )
    assert answered.status_code == 200, answered.text


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_screen_passes_axe(
    live_server: Server,
    new_context: Callable[..., BrowserContext],
    page_errors: list[str],
    lang: str,
) -> None:
    login_page = open_page(new_context(lang=lang), f"{live_server.url}/login")
    expect(login_page.locator("html")).to_have_attribute("lang", lang)
    expect(login_page.locator("#login-email")).to_be_visible()
    assert_accessible(login_page, "login")

    creds = live_server.create_staff()
    api: Staff = live_server.login(creds["email"], creds["password"])
    draft = api.http.post(
        "/api/sessions", json={"title": "Concept", "template": TEMPLATE, "language": lang}
    )
    assert draft.status_code == 201, draft.text
    session = api.new_live_session(TEMPLATE, language=lang)
    dilemma = api.prompt_of_kind(session, "dilemma")

    console = log_in(new_context(viewport=DESKTOP, lang=lang), live_server, creds)
    expect(console.locator(".session-list__item")).to_have_count(2)
    assert_accessible(console, "console: sessions")

    console.goto(f"{live_server.url}/console/sessions/{draft.json()['id']}")
    console.locator(".prompt-item").first.locator(".button-row button").nth(2).click()
    expect(console.locator(".prompt-form")).to_be_visible()
    assert_accessible(console, "console: editor")

    console.locator("#session-details-title").click()
    console.locator("#details-neighbourhood").fill("Oost")
    console.locator(".session-details button[type=submit]").click()
    expect(console.locator(".session-details .status--saved")).to_have_text(re.compile(r"\S"))
    assert_accessible(console, "console: session details saved")
    console.locator("#details-title").fill("")
    console.locator(".session-details button[type=submit]").click()
    expect(console.locator(".session-details .error-text")).to_have_text(re.compile(r"\S"))
    assert_accessible(console, "console: session details error")

    link = api.http.post(f"/api/sessions/{session['id']}/projector-link")
    assert link.status_code == 201, link.text
    projector = open_page(new_context(viewport=PROJECTOR, lang=lang), link.json()["url"])
    expect(projector.locator(".projector__code")).to_have_text(session["code"])
    assert_accessible(projector, "projector: join")

    phone = open_page(new_context(lang=lang), f"{live_server.url}/j/{session['code']}")
    expect(phone.locator(".button--huge")).to_be_visible()
    assert_accessible(phone, "resident: join")
    phone.locator(".button--huge").click()
    expect(phone.locator(".waiting")).to_be_visible()
    assert_accessible(phone, "resident: waiting")

    api.show(session, dilemma)
    expect(phone.get_by_role("slider")).to_be_visible()
    assert_accessible(phone, "resident: dilemma")

    phone.get_by_role("slider").fill("70")
    phone.locator("form button[type=submit]").click()
    expect(phone.locator(".answer-status--saved")).to_be_visible()
    for value in (10, 45, 50, 90):
        answer_over_http(live_server, session["code"], dilemma["id"], value)
    revealed = api.http.post(
        f"/api/sessions/{session['id']}/prompts/{dilemma['id']}/reveal", json={"visible": True}
    )
    assert revealed.status_code == 200, revealed.text
    expect(phone.locator("figure[data-kind=dilemma]")).to_have_attribute("data-n", "5")
    assert_accessible(phone, "resident: results")

    expect(projector.locator("figure[data-kind=dilemma]")).to_have_attribute("data-n", "5")
    assert_accessible(projector, "projector: results")

    console.goto(f"{live_server.url}/console/sessions/{session['id']}")
    expect(console.locator(".prompt-item--current figure[data-kind=dilemma]")).to_have_attribute(
        "data-n", "5"
    )
    assert_accessible(console, "console: live")
    assert page_errors == []
