"""The console's audit log (admins) and account screen (everyone): readable, usable with the
keyboard, no axe violations in Dutch and English; logging out everywhere asks first."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, expect

from ..conftest import Server
from .conftest import DESKTOP, PHONE, assert_accessible_in_both_languages, axe_violations, log_in

pytestmark = pytest.mark.e2e


def test_an_admin_reads_the_audit_log_with_the_keyboard(
    live_server: Server, new_context: Callable[..., BrowserContext], page_errors: list[str]
) -> None:
    org = "Gemeente Logboek"
    creds = live_server.create_staff(role="admin", org=org, name="Ada Beheer")
    facilitator = live_server.login(role="facilitator", org=org, name="Fien Leider")
    session = facilitator.new_live_session(
        None, title="Avond in Noord", prompts=[{"kind": "scale", "title": "Hoe gaat het?"}]
    )
    assert facilitator.http.get(f"/api/sessions/{session['id']}/export.csv").status_code == 200

    console = log_in(new_context(viewport=DESKTOP), live_server, creds)
    link = console.get_by_role("link", name="Logboek")
    link.focus()
    console.keyboard.press("Enter")
    expect(console).to_have_url(re.compile("/console/audit$"))
    expect(console.get_by_role("heading", level=1)).to_have_text("Logboek van handelingen")
    expect(link).to_have_attribute("aria-current", "page")
    table = console.get_by_role("table", name="Handelingen, nieuwste eerst")
    expect(table.get_by_role("row")).not_to_have_count(0)
    first = table.get_by_role("row").nth(1)  # the newest: this admin's login
    expect(first).to_contain_text("Ada Beheer")
    expect(first).to_contain_text("Ingelogd")
    exported = table.get_by_role("row").filter(has_text="Geëxporteerd")
    expect(exported).to_contain_text("Fien Leider")
    session_link = exported.get_by_role("link", name="Avond in Noord")
    expect(session_link).to_be_visible()
    added = table.get_by_role("row").filter(has_text="Account: Fien Leider")
    expect(added).to_contain_text("Serverbeheer (opdrachtregel)")
    region = console.get_by_role("region", name="Handelingen, nieuwste eerst")
    region.focus()
    expect(region).to_be_focused()  # the wide table scrolls with the arrow keys
    assert_accessible_in_both_languages(console, "console: audit log")

    session_link.focus()
    console.keyboard.press("Enter")
    expect(console).to_have_url(re.compile(f"/console/sessions/{session['id']}$"))
    assert page_errors == []


def test_the_audit_log_is_not_offered_to_facilitators(
    live_server: Server, new_context: Callable[..., BrowserContext]
) -> None:
    creds = live_server.create_staff(role="facilitator")
    console = log_in(new_context(viewport=DESKTOP), live_server, creds)
    expect(console.get_by_role("link", name="Sessies")).to_be_visible()
    expect(console.get_by_role("link", name="Logboek")).to_have_count(0)
    console.goto(f"{live_server.url}/console/audit")
    expect(console.get_by_text("Alleen beheerders van je organisatie")).to_be_visible()
    expect(console.get_by_role("table")).to_have_count(0)


def test_logging_out_everywhere_asks_first_and_ends_every_login(
    live_server: Server, new_context: Callable[..., BrowserContext], page_errors: list[str]
) -> None:
    creds = live_server.create_staff(role="facilitator", name="Fien Overal")
    laptop = log_in(new_context(viewport=DESKTOP), live_server, creds)
    phone = log_in(new_context(viewport=PHONE), live_server, creds)

    laptop.get_by_role("link", name="Fien Overal").click()
    expect(laptop).to_have_url(re.compile("/console/account$"))
    expect(laptop.get_by_role("heading", level=1)).to_have_text("Mijn account")
    assert_accessible_in_both_languages(laptop, "console: account")

    laptop.get_by_role("button", name="Op alle apparaten afmelden").click()
    question = laptop.get_by_text("Weet je het zeker?")
    expect(question).to_be_focused()
    assert axe_violations(laptop) == [], "console: account, confirming"
    laptop.get_by_role("button", name="Annuleren").click()  # changed my mind: nothing happens
    expect(laptop.get_by_role("button", name="Op alle apparaten afmelden")).to_be_focused()
    phone.reload()
    expect(phone.get_by_role("heading", level=1)).to_be_visible()
    expect(phone).to_have_url(re.compile("/console$"))

    laptop.get_by_role("button", name="Op alle apparaten afmelden").click()
    laptop.get_by_role("button", name="Ja, overal afmelden").click()
    expect(laptop).to_have_url(re.compile("/login$"))
    phone.reload()  # the other device's login is gone too
    expect(phone).to_have_url(re.compile("/login"))
    assert page_errors == []


def test_changing_the_password_in_the_console(
    live_server: Server, new_context: Callable[..., BrowserContext], page_errors: list[str]
) -> None:
    creds = live_server.create_staff(role="canvasser", name="Kees Deur")
    page = log_in(new_context(viewport=PHONE), live_server, creds, landing="/canvass")
    page.goto(f"{live_server.url}/console/account")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn account")
    page.get_by_label("Huidig wachtwoord").fill(creds["password"])
    page.get_by_label("Nieuw wachtwoord", exact=True).fill("wachtwoord1234")
    page.get_by_label("Nieuw wachtwoord nog een keer").fill("wachtwoord1234")
    page.get_by_role("button", name="Wachtwoord opslaan").click()
    expect(page.get_by_role("alert").filter(has_text="niet sterk genoeg")).to_be_visible()
    expect(page.get_by_label("Nieuw wachtwoord", exact=True)).to_have_attribute(
        "aria-invalid", "true"
    )
    assert axe_violations(page) == [], "console: account, weak password"

    page.get_by_label("Nieuw wachtwoord", exact=True).fill("fiets-regen-brug-zeven")
    page.get_by_label("Nieuw wachtwoord nog een keer").fill("fiets-regen-brug-zeven")
    page.get_by_role("button", name="Wachtwoord opslaan").click()
    expect(page.get_by_role("status").filter(has_text="Je wachtwoord is gewijzigd")).to_be_visible()
    assert live_server.login(creds["email"], "fiets-regen-brug-zeven").user["name"] == "Kees Deur"
    assert page_errors == []
