"""A whole evening in the browser: facilitator, five phones and the projector."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from ..conftest import Server
from .conftest import DESKTOP, PROJECTOR, log_in, open_page

pytestmark = pytest.mark.e2e

TEMPLATE = "opvang-vluchtelingen"
SLIDER_VALUES = [5, 30, 50, 55, 95]


def start_session_from_template(console: Page) -> str:
    console.get_by_role("button", name="Nieuwe sessie").click()
    console.locator(f"input[name=template][value={TEMPLATE}]").check()
    console.get_by_role("button", name="Maak sessie").click()
    console.wait_for_url(re.compile(r"/console/sessions/"))
    console.get_by_role("button", name="Start sessie").click()
    code = console.locator(".join-code")
    expect(code).to_have_text(re.compile(r"^[2-9A-HJKMNP-Z]{6}$"))
    return code.inner_text()


def answer_dilemma(phone: Page, value: int) -> None:
    phone.get_by_role("button", name="Doe mee").click()
    slider = phone.get_by_role("slider")
    slider.fill(str(value))
    phone.get_by_role("button", name="Verstuur").click()
    expect(
        phone.get_by_role("status").filter(has_text="Je antwoord is opgeslagen.")
    ).to_be_visible()


def test_five_residents_answer_the_dilemma_and_the_projector_shows_their_histogram(
    live_server: Server, new_context: Callable[..., BrowserContext], page_errors: list[str]
) -> None:
    console_context = new_context(viewport=DESKTOP)
    console = log_in(console_context, live_server, live_server.create_staff())
    code = start_session_from_template(console)

    with console_context.expect_page() as opened:
        console.get_by_role("button", name="Open projectorscherm").click()
    projector = opened.value
    projector.set_viewport_size(PROJECTOR)
    expect(projector.locator(".projector__code")).to_have_text(code)
    # The key travels in the fragment and is removed from the address bar once read.
    assert "#key=" not in projector.url

    dilemma = (
        console.locator(".prompt-list--live .prompt-item").filter(has_text="Dilemma (schuif)").first
    )
    dilemma.get_by_role("button", name=re.compile(r"^Toon: ")).click()
    expect(dilemma.locator(".badge--current")).to_be_visible()

    phones = [open_page(new_context(), f"{live_server.url}/j/{code}") for _ in SLIDER_VALUES]
    for phone, value in zip(phones, SLIDER_VALUES, strict=True):
        answer_dilemma(phone, value)

    histogram = projector.locator("figure[data-kind=dilemma]")
    expect(histogram).to_have_attribute("data-n", "5")
    expect(histogram.locator(".stats")).to_contain_text("5")
    expect(histogram.get_by_role("img")).to_be_visible()
    # Two of the five answers (50 and 55) lie in the middle band 40..60.
    expect(histogram.locator(".stats")).to_contain_text("40%")
    expect(projector.locator(".projector__count")).to_contain_text("5 deelnemers")
    assert page_errors == []
