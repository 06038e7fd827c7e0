"""The canvassing app on a phone: notes offline, the outbox, refused notes, QR at the door."""

from __future__ import annotations

import json
import re
import secrets
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, Playwright, Request, Route, expect

from ..conftest import PASSWORD, Server, Staff
from .conftest import CHROMIUM_ARGS, assert_accessible, log_in, submit_login

pytestmark = pytest.mark.e2e

AREAS = ["Kanaalbuurt", "Parkwijk"]


@dataclass
class Team:
    """One municipality: an organiser (over HTTP) and two canvassers (who use the browser)."""

    organiser: Staff
    canvasser: dict[str, str]
    colleague: dict[str, str]


@pytest.fixture(scope="module")
def team(live_server: Server) -> Team:
    # Accounts are made once per module (the CLI takes ~0.7 s each); every test has its own
    # round, and every browser context its own IndexedDB.
    org = f"Gemeente {secrets.token_hex(3)}"
    organiser = live_server.login(live_server.create_staff(role="facilitator", org=org)["email"])
    return Team(
        organiser,
        live_server.create_staff(role="canvasser", org=org, name="Kees"),
        live_server.create_staff(role="canvasser", org=org, name="Fatma"),
    )


def new_round(team: Team, **body: Any) -> dict[str, Any]:
    title = f"Buurtronde {secrets.token_hex(3)}"
    made = team.organiser.http.post("/api/rounds", json={"title": title, "areas": AREAS, **body})
    assert made.status_code == 201, made.text
    return dict(made.json())


def canvasser_at_the_door(
    context: BrowserContext,
    server: Server,
    creds: dict[str, str],
    round_: dict[str, Any],
    area: str = AREAS[0],
) -> Page:
    """A canvasser logs in (landing on /canvass), picks the round and an area."""
    page = log_in(context, server, creds, landing="/canvass")
    page.get_by_role("radio", name=round_["title"]).check()
    page.get_by_label("Gebied").select_option(area)
    page.get_by_role("button", name="Begin met notities").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(area)
    return page


def unsent(page: Page) -> Any:
    return page.locator(".outbox__count")


def save_note(page: Page, outcome: str = "Niet thuis", text: str | None = None) -> None:
    page.get_by_role("radio", name=outcome, exact=True).check()
    if text is not None:
        page.get_by_label("Korte notitie").fill(text)
    page.get_by_role("button", name="Bewaar notitie").click()
    expect(page.get_by_role("status").filter(has_text="Notitie bewaard")).to_be_visible()


def server_notes(organiser: Staff, round_id: str) -> list[dict[str, Any]]:
    found = organiser.http.get(f"/api/rounds/{round_id}/notes")
    assert found.status_code == 200, found.text
    return list(found.json())


def wait_for_service_worker(page: Page) -> None:
    """The shell is precached once the worker controls the page (it claims clients on activate)."""
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null")


def test_notes_written_offline_survive_a_reload_and_go_out_when_back_online(
    live_server: Server,
    team: Team,
    new_context: Callable[..., BrowserContext],
    page_errors: list[str],
) -> None:
    round_ = new_round(team)
    organiser = team.organiser
    context = new_context()
    page = canvasser_at_the_door(context, live_server, team.canvasser, round_)
    wait_for_service_worker(page)

    context.set_offline(True)
    expect(page.locator(".outbox__net")).to_have_text("Offline")
    outcomes = ["Niet thuis", "Wilde niet praten", "Kort contact", "Gesprek", "Later terugkomen"]
    for i in range(10):
        save_note(page, outcomes[i % 5])
    expect(unsent(page)).to_have_attribute("data-unsent", "10")

    page.reload()  # still offline: the service worker serves the shell, IndexedDB the rest
    expect(page.get_by_role("heading", level=1)).to_contain_text(AREAS[0])
    expect(unsent(page)).to_have_attribute("data-unsent", "10")
    expect(page.locator(".outbox__last")).to_have_text("Nog niet verstuurd")
    assert server_notes(organiser, round_["id"]) == []

    context.set_offline(False)  # the `online` event starts sending; nobody presses a button
    expect(unsent(page)).to_have_attribute("data-unsent", "0")
    expect(page.locator(".outbox__last")).to_have_text(
        re.compile(r"^Laatst verstuurd om \d\d:\d\d$")
    )
    notes = server_notes(organiser, round_["id"])
    assert len(notes) == 10
    assert sorted(n["outcome"] for n in notes) == sorted(
        ["not_home", "declined", "brief", "conversation", "come_back"] * 2
    )
    assert {n["area"] for n in notes} == {AREAS[0]}
    assert page_errors == []


def test_a_busy_server_and_a_lost_answer_are_retried_and_each_note_is_stored_once(
    live_server: Server,
    team: Team,
    new_context: Callable[..., BrowserContext],
    page_errors: list[str],
) -> None:
    round_ = new_round(team)
    # No service worker here, so that page.route sees every request of the page.
    context = new_context(service_workers="block")
    page = canvasser_at_the_door(context, live_server, team.canvasser, round_)
    context.set_offline(True)
    for outcome in ("Gesprek", "Kort contact", "Niet thuis"):
        save_note(page, outcome)
    expect(unsent(page)).to_have_attribute("data-unsent", "3")

    calls: list[float] = []

    def busy_then_lost_then_fine(route: Route) -> None:
        calls.append(time.monotonic())
        if len(calls) == 1:
            route.fulfill(
                status=429,
                headers={"Retry-After": "2"},
                json={"status_code": 429, "detail": "busy", "extra": {"code": "rate_limited"}},
            )
        elif len(calls) == 2:
            route.fetch()  # the server stores the notes ...
            route.abort()  # ... but the phone never hears back
        else:
            route.continue_()

    page.route(re.compile(r"/notes:batch$"), busy_then_lost_then_fine)
    context.set_offline(False)
    expect(unsent(page)).to_have_attribute("data-unsent", "0")
    assert len(calls) == 3
    assert calls[1] - calls[0] >= 2  # Retry-After is honoured (the first backoff is ≤ 1 s)
    notes = server_notes(team.organiser, round_["id"])
    assert len(notes) == 3
    assert len({n["id"] for n in notes}) == 3
    assert page_errors == []


def test_a_full_outbox_goes_out_in_batches_the_server_accepts(
    live_server: Server,
    team: Team,
    new_context: Callable[..., BrowserContext],
    page_errors: list[str],
) -> None:
    round_ = new_round(team)
    organiser = team.organiser
    context = new_context(service_workers="block")
    page = canvasser_at_the_door(context, live_server, team.canvasser, round_)
    context.set_offline(True)
    save_note(page, "Gesprek", "Lang verhaal. " * 20)  # 280 characters
    # A long day at the doors: 250 such notes (written straight into the outbox, for speed).
    page.evaluate(
        """async () => {
            const store = await import('/app/js/canvass-store.js');
            const [note] = await store.outboxOf(await store.currentUid());
            for (let i = 1; i < 250; i += 1) {
                await store.putNote({ ...note, id: crypto.randomUUID(), created_at: note.created_at + i });
            }
        }"""
    )
    sizes: list[tuple[int, int]] = []

    def measure(request: Request) -> None:
        if request.url.endswith("/notes:batch"):
            body = request.post_data_buffer or b""
            sizes.append((len(body), len(json.loads(body)["notes"])))

    page.on("request", measure)
    context.set_offline(False)
    expect(unsent(page)).to_have_attribute("data-unsent", "0", timeout=20_000)
    assert len(server_notes(organiser, round_["id"])) == 250
    assert sum(n for _, n in sizes) == 250
    assert all(size <= 64 * 1024 and n <= 200 for size, n in sizes), sizes
    assert page_errors == []


def test_notes_for_a_round_closed_meanwhile_stay_with_the_reason_until_discarded(
    live_server: Server,
    team: Team,
    new_context: Callable[..., BrowserContext],
    page_errors: list[str],
) -> None:
    round_ = new_round(team)
    organiser = team.organiser
    context = new_context()
    page = canvasser_at_the_door(context, live_server, team.canvasser, round_)
    context.set_offline(True)
    save_note(page, "Gesprek", "Zorgen over de speeltuin")
    save_note(page, "Niet thuis")
    closed = organiser.http.post(f"/api/rounds/{round_['id']}/close")
    assert closed.status_code == 200, closed.text

    context.set_offline(False)
    problems = page.locator(".problem")
    expect(problems).to_have_count(2)
    expect(page.get_by_role("heading", name="2 notities met een probleem")).to_be_visible()
    expect(problems.first).to_contain_text("Deze ronde is afgesloten")
    expect(unsent(page)).to_have_attribute("data-unsent", "2")  # nothing disappeared

    # Fix opens the note in the form, filled in as it was.
    problems.filter(has_text="Zorgen over de speeltuin").get_by_role(
        "button", name="Aanpassen"
    ).click()
    expect(page.get_by_role("heading", name="Notitie aanpassen")).to_be_visible()
    expect(page.get_by_role("radio", name="Gesprek", exact=True)).to_be_checked()
    expect(page.get_by_label("Korte notitie")).to_have_value("Zorgen over de speeltuin")
    page.get_by_role("button", name="Annuleer").click()

    for _ in range(2):
        problems.first.get_by_role("button", name="Weggooien").click()
        expect(page.get_by_text("Weet je het zeker?")).to_be_visible()
        page.get_by_role("button", name="Ja, weggooien").click()
    expect(problems).to_have_count(0)
    expect(unsent(page)).to_have_attribute("data-unsent", "0")
    assert server_notes(organiser, round_["id"]) == []
    assert page_errors == []


def test_a_note_whose_id_is_taken_is_saved_again_under_a_new_id(
    live_server: Server,
    team: Team,
    new_context: Callable[..., BrowserContext],
    page_errors: list[str],
) -> None:
    round_ = new_round(team)
    page = canvasser_at_the_door(new_context(), live_server, team.canvasser, round_)
    page.context.set_offline(True)
    save_note(page, "Gesprek", "Over de speeltuin")
    note_id = page.evaluate(
        """async () => {
            const store = await import('/app/js/canvass-store.js');
            return (await store.outboxOf(await store.currentUid()))[0].id;
        }"""
    )
    # Someone else's note with this id reaches the server first: the phone's copy conflicts.
    taken = team.organiser.http.put(
        f"/api/rounds/{round_['id']}/notes/{note_id}",
        json={"area": AREAS[1], "day": "2024-05-01", "part_of_day": "morning", "outcome": "brief"},
    )
    assert taken.status_code == 201, taken.text
    page.context.set_offline(False)
    problem = page.locator(".problem")
    expect(problem).to_contain_text("Er staat al een notitie met dit nummer")

    problem.get_by_role("button", name="Aanpassen").click()
    page.get_by_role("button", name="Bewaar aangepaste notitie").click()
    expect(page.locator(".problem")).to_have_count(0)
    expect(unsent(page)).to_have_attribute("data-unsent", "0")
    notes = team.organiser.http.get(f"/api/rounds/{round_['id']}/notes").json()
    mine = [n for n in notes if n["text"] == "Over de speeltuin"]
    assert len(notes) == 2 and len(mine) == 1 and mine[0]["id"] != note_id
    assert page_errors == []


def test_a_phone_number_in_the_text_is_removed_before_the_note_is_stored(
    live_server: Server,
    team: Team,
    new_context: Callable[..., BrowserContext],
    page_errors: list[str],
) -> None:
    round_ = new_round(team)
    organiser = team.organiser
    page = canvasser_at_the_door(new_context(), live_server, team.canvasser, round_)
    text = page.get_by_label("Korte notitie")
    page.get_by_role("radio", name="Gesprek", exact=True).check()
    text.fill("Bel 06-12345678")
    expect(page.locator("#canvass-text-count")).to_have_text("15 van 280 tekens")
    page.get_by_role("button", name="Bewaar notitie").click()
    expect(page.locator(".outbox__message")).to_contain_text("persoonsgegevens")
    expect(unsent(page)).to_have_attribute("data-unsent", "0")
    expect(text).to_have_value("")  # the form is empty for the next door
    [note] = server_notes(organiser, round_["id"])
    assert "06-12345678" not in note["text"]
    assert note["text"] == "Bel [telefoon]"
    assert [r["kind"] for r in note["redactions"]] == ["phone"]
    assert page_errors == []


def test_a_note_unsent_for_more_than_a_day_raises_the_warning(
    live_server: Server,
    team: Team,
    new_context: Callable[..., BrowserContext],
    page_errors: list[str],
) -> None:
    round_ = new_round(team)
    context = new_context()
    context.clock.install()
    page = canvasser_at_the_door(context, live_server, team.canvasser, round_)
    context.set_offline(True)
    save_note(page)
    warning = page.get_by_role("region", name="Verstuur je notities vandaag")
    expect(warning).to_have_count(0)
    page.clock.fast_forward("25:00:00")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("7 dagen")
    assert page_errors == []


def test_a_canvasser_logged_out_meanwhile_logs_in_again_and_the_notes_go_out(
    live_server: Server,
    team: Team,
    new_context: Callable[..., BrowserContext],
    page_errors: list[str],
) -> None:
    round_ = new_round(team)
    organiser = team.organiser
    context = new_context(service_workers="block")
    page = canvasser_at_the_door(context, live_server, team.canvasser, round_)
    context.clear_cookies()
    save_note(page, "Kort contact")
    expect(page.locator(".outbox__login")).to_contain_text("Log opnieuw in")
    expect(unsent(page)).to_have_attribute("data-unsent", "1")

    page.get_by_role("link", name="Opnieuw inloggen").click()
    submit_login(page, team.canvasser["email"], PASSWORD, "/canvass")
    expect(unsent(page)).to_have_attribute("data-unsent", "0")
    assert len(server_notes(organiser, round_["id"])) == 1
    assert page_errors == []


def test_another_user_on_the_same_phone_does_not_see_the_first_users_notes(
    live_server: Server,
    team: Team,
    new_context: Callable[..., BrowserContext],
    page_errors: list[str],
) -> None:
    round_ = new_round(team)
    organiser = team.organiser
    context = new_context()
    first = canvasser_at_the_door(context, live_server, team.canvasser, round_)
    context.set_offline(True)
    save_note(first, "Gesprek")
    expect(unsent(first)).to_have_attribute("data-unsent", "1")
    first.get_by_role("button", name="Uitloggen").click()
    first.wait_for_url(re.compile(r"/login$"))
    first.close()
    context.set_offline(False)

    second = canvasser_at_the_door(context, live_server, team.colleague, round_)
    expect(unsent(second)).to_have_attribute("data-unsent", "0")
    assert server_notes(organiser, round_["id"]) == []
    second.get_by_role("button", name="Uitloggen").click()
    second.wait_for_url(re.compile(r"/login$"))

    submit_login(second, team.canvasser["email"], PASSWORD, "/canvass")
    expect(unsent(second)).to_have_attribute("data-unsent", "0")
    assert len(server_notes(organiser, round_["id"])) == 1
    assert page_errors == []


def test_the_qr_code_of_a_live_session_in_the_area_shows_full_screen(
    live_server: Server,
    team: Team,
    new_context: Callable[..., BrowserContext],
    page_errors: list[str],
) -> None:
    round_ = new_round(team)
    organiser = team.organiser
    session = organiser.new_live_session(round_id=round_["id"], round_area=AREAS[0])
    context = new_context()
    page = canvasser_at_the_door(context, live_server, team.canvasser, round_)
    show = page.get_by_role("button", name=f"Toon QR-code: {session['title']}")
    show.click()
    dialog = page.get_by_role("dialog", name=session["title"])
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("img")).to_have_attribute(
        "src", f"/api/join/{session['code']}/qr.svg"
    )
    expect(dialog.locator(".qr-dialog__code")).to_have_text(session["code"])
    expect(dialog.get_by_role("button", name="Sluiten")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(show).to_be_focused()

    # Seen once online, the QR code still shows offline (the service worker kept it).
    wait_for_service_worker(page)
    page.reload()
    expect(show).to_be_visible()
    context.set_offline(True)
    page.reload()
    page.get_by_role("button", name=f"Toon QR-code: {session['title']}").click()
    page.wait_for_function("document.querySelector('.qr-dialog__img')?.naturalWidth > 0")
    assert page_errors == []


def test_the_app_is_installable_and_opens_on_the_canvassing_screen(
    live_server: Server, team: Team, playwright_driver: Playwright, tmp_path: Path
) -> None:
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("chromium is not installed")
    context = playwright_driver.chromium.launch_persistent_context(
        tmp_path / "profile", executable_path=executable, args=CHROMIUM_ARGS
    )
    try:
        context.set_default_timeout(10_000)
        page = log_in(context, live_server, team.canvasser, landing="/canvass")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        wait_for_service_worker(page)
        cdp = context.new_cdp_session(page)
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["errors"] == []
        # Installed from /canvass, the app opens on /canvass, so it starts offline where needed.
        assert manifest["url"].endswith("/app/canvass.webmanifest")
        assert json.loads(manifest["data"])["start_url"] == "/canvass"
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_canvassing_screen_passes_axe(
    live_server: Server,
    team: Team,
    new_context: Callable[..., BrowserContext],
    page_errors: list[str],
    lang: str,
) -> None:
    # A round that ended long ago: every note is refused (422), which gives the error list.
    round_ = new_round(team, starts_on="2020-01-01", ends_on="2020-01-02")
    session = team.organiser.new_live_session(round_id=round_["id"], round_area=AREAS[0])
    context = new_context(lang=lang)
    context.clock.install()
    page = log_in(context, live_server, team.canvasser, landing="/canvass")
    page.get_by_role("radio", name=round_["title"]).check()
    assert_accessible(page, "start")

    page.locator("#canvass-pick-area").select_option(AREAS[0])
    page.locator(".canvass-pick button[type=submit]").click()
    expect(page.locator(".canvass-form")).to_be_visible()
    page.locator("#canvass-outcome-conversation").check()
    page.locator("#canvass-usthem-true").check()
    page.locator("#canvass-text").fill("x" * 270)
    assert_accessible(page, "form")

    page.locator(".door-sessions button").click()
    expect(page.locator(".qr-dialog__code")).to_have_text(session["code"])
    assert_accessible(page, "QR code")
    page.keyboard.press("Escape")

    page.locator(".canvass-save__button").click()
    expect(page.locator(".problem")).to_have_count(1)
    assert_accessible(page, "form with a refused note")

    page.locator(".problem .button-row .button").first.click()
    expect(page.locator(".canvass-form")).to_be_visible()
    assert_accessible(page, "fix a note")
    page.locator(".canvass-save__buttons .button--quiet").click()

    context.set_offline(True)
    expect(page.locator(".outbox__net--offline")).to_be_visible()
    page.clock.fast_forward("25:00:00")
    expect(page.locator(".stale-warning")).to_be_visible()
    assert_accessible(page, "offline, with the warning about old notes")
    assert page_errors == []
