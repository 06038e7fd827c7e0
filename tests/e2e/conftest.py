"""Browser fixtures for the end-to-end tests: Debian's chromium driven by Playwright."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    expect,
    sync_playwright,
)

from ..conftest import Server

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
PROJECTOR = {"width": 1920, "height": 1080}
DESKTOP = {"width": 1280, "height": 900}


# Package scope, not session: sync Playwright keeps an event loop running in the main thread
# until it stops, and pytest-asyncio cannot run the async tests of later packages beside it.
@pytest.fixture(scope="session")
def backend() -> str:
    """The browser suite runs on the embedded SQLite store only (the API and live suites run
    on PostgreSQL too)."""
    return "sqlite"


@pytest.fixture(scope="package")
def playwright_driver() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="package")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    executable = shutil.which("chromium")
    if executable is None:
        message = "chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    launched = playwright_driver.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    yield launched
    launched.close()


@pytest.fixture
def page_errors() -> list[str]:
    """Uncaught script errors of every page the test opened (should stay empty)."""
    return []


@pytest.fixture
def new_context(
    browser: Browser, page_errors: list[str]
) -> Iterator[Callable[..., BrowserContext]]:
    """Makes isolated browser contexts (one per phone, console or projector); closes them after the test."""
    made: list[BrowserContext] = []

    def watch(page: Page) -> None:
        page.on("pageerror", lambda error: page_errors.append(f"{page.url}: {error}"))

    def make(
        *, viewport: dict[str, int] = PHONE, lang: str = "nl", **options: Any
    ) -> BrowserContext:
        # No transitions: axe must not catch a button half-way between two colours.
        options.setdefault("reduced_motion", "reduce")
        context = browser.new_context(viewport=viewport, **options)  # type: ignore[arg-type]
        context.set_default_timeout(10_000)
        # The app remembers the chosen language in localStorage; set it before any page script runs.
        context.add_init_script(
            f"try {{ localStorage.setItem('samenspraak.lang', '{lang}'); }} catch (e) {{}}"
        )
        context.on("page", watch)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


def open_page(context: BrowserContext, url: str) -> Page:
    page = context.new_page()
    page.goto(url)
    return page


def log_in(
    context: BrowserContext, server: Server, staff: dict[str, str], landing: str = "/console"
) -> Page:
    """Logs in through the form; a canvasser lands on /canvass, everyone else on /console."""
    page = open_page(context, f"{server.url}/login")
    submit_login(page, staff["email"], staff["password"], landing)
    return page


def submit_login(page: Page, email: str, password: str, landing: str = "/console") -> None:
    """Fills the login form already on the page and waits for the landing path (a regex)."""
    page.locator("#login-email").fill(email)
    page.locator("#login-password").fill(password)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(landing + "$"))


def axe_violations(page: Page) -> list[dict[str, Any]]:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page)
    return [
        {"id": v["id"], "impact": v["impact"], "targets": [n["target"] for n in v["nodes"]][:5]}
        for v in result.response["violations"]
    ]


def assert_accessible(page: Page, screen: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{screen}: {violations}"


def assert_accessible_in_both_languages(page: Page, screen: str) -> None:
    """axe on the screen as it is, in Dutch, then in English (the header's language switch),
    and back to Dutch."""
    for lang, switch_to in (("nl", "en"), ("en", "nl")):
        expect(page.locator("html")).to_have_attribute("lang", lang)
        assert_accessible(page, f"{screen} ({lang})")
        # An event, not a pointer click: a modal dialog keeps the header out of reach.
        page.locator(".lang-switch").dispatch_event("click")
        expect(page.locator("html")).to_have_attribute("lang", switch_to)
