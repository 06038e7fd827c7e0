"""What an independent review found, kept fixed: races between facilitators and phones, role
boundaries, and odd bodies. Races run as invariants over repeated trials."""

from __future__ import annotations

import asyncio
import signal
from typing import Any

import httpx

from ..conftest import Server, Staff, join
from .wsclient import Phone, of_type

CHOICE = {
    "kind": "choice",
    "title": "Welke?",
    "options": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}],
}


async def _phone(server: Server, code: str) -> Phone:
    phone = await Phone.connect(server.ws_url, {"token": join(server, code)["token"]})
    await phone.until(of_type("welcome"))
    return phone


def _session_with(staff: Staff, *prompts: dict[str, Any]) -> dict[str, Any]:
    created = staff.http.post(
        "/api/sessions", json={"title": "Race", "prompts": list(prompts)}
    ).json()
    return dict(staff.http.post(f"/api/sessions/{created['id']}/start").json())


async def test_an_answer_racing_an_edit_is_never_acked_against_the_old_prompt(
    fresh_server: Server,
) -> None:
    fresh_server.start()
    staff = fresh_server.login()
    loop = asyncio.get_running_loop()
    sessions = []
    for _ in range(8):
        session = _session_with(staff, CHOICE)
        pid = session["prompts"][0]["id"]
        staff.show(session, session["prompts"][0])
        phone = await _phone(fresh_server, session["code"])
        url = f"/api/sessions/{session['id']}/prompts/{pid}"
        edit = loop.run_in_executor(
            None,
            lambda u=url: staff.http.patch(
                u, json={"options": [{"id": "x", "label": "X"}, {"id": "y", "label": "Y"}]}
            ),
        )
        reply = await phone.respond("r", pid, "a")
        edited = (await edit).status_code
        assert not (edited == 200 and reply["type"] == "ack"), (
            "acked an answer to a prompt that changed"
        )
        await phone.close()
        sessions.append(session)
    fresh_server.stop(signal.SIGKILL)
    fresh_server.start()
    again = fresh_server.login(staff.user["email"])
    for session in sessions:
        assert again.http.get(f"/api/sessions/{session['id']}/results").status_code == 200
        assert (
            httpx.post(f"{fresh_server.url}/api/join", json={"code": session["code"]}).status_code
            == 201
        )


async def test_an_answer_racing_a_delete_is_never_acked(live_server: Server, staff: Staff) -> None:
    loop = asyncio.get_running_loop()
    for _ in range(8):
        session = _session_with(staff, CHOICE, {"kind": "scale", "title": "Hoe?"})
        first, second = session["prompts"]
        staff.show(session, first)
        staff.show(session, second)  # the first stays open, no longer on screen
        phone = await _phone(live_server, session["code"])
        url = f"/api/sessions/{session['id']}/prompts/{first['id']}"
        gone = loop.run_in_executor(None, lambda u=url: staff.http.delete(u))
        reply = await phone.respond("r", first["id"], "a")
        deleted = (await gone).status_code
        assert not (deleted == 204 and reply["type"] == "ack")
        assert deleted in (204, 409)
        await phone.close()


async def test_every_acked_answer_counts_even_when_the_session_closes_meanwhile(
    live_server: Server, staff: Staff
) -> None:
    session = _session_with(
        staff, {"kind": "dilemma", "title": "Waar?", "left": "Links", "right": "Rechts"}
    )
    dilemma = session["prompts"][0]
    staff.show(session, dilemma)
    phones = [await _phone(live_server, session["code"]) for _ in range(12)]
    loop = asyncio.get_running_loop()
    closing = loop.run_in_executor(
        None, lambda: staff.http.post(f"/api/sessions/{session['id']}/close")
    )
    replies = await asyncio.gather(
        *(p.respond(f"c{i}", dilemma["id"], 50) for i, p in enumerate(phones))
    )
    assert (await closing).status_code == 200
    acked = sum(r["type"] == "ack" for r in replies)
    assert all(r["type"] == "ack" or r.get("status_code") == 409 for r in replies)
    results = staff.http.get(f"/api/sessions/{session['id']}/results").json()["prompts"][0]["tally"]
    assert results["n"] == acked
    for p in phones:
        await p.close()


async def test_projector_never_receives_facilitator_notes(
    live_server: Server, staff: Staff
) -> None:
    session = _session_with(staff, {**CHOICE, "notes": "ALLEEN VOOR DE GESPREKSLEIDER"})
    key = staff.http.post(f"/api/sessions/{session['id']}/projector-link").json()["key"]
    ticket = httpx.post(
        f"{live_server.url}/api/projector/ws-ticket", headers={"Authorization": f"Bearer {key}"}
    ).json()["ticket"]
    screen = await Phone.connect(live_server.ws_url, {"ticket": ticket, "role": "presenter"})
    await screen.until(of_type("welcome"))
    staff.show(session, session["prompts"][0])
    shown = await screen.until(of_type("prompt"))
    assert shown["prompt"]["notes"] is None
    again = await Phone.connect(
        live_server.ws_url,
        {
            "ticket": httpx.post(
                f"{live_server.url}/api/projector/ws-ticket",
                headers={"Authorization": f"Bearer {key}"},
            ).json()["ticket"],
            "role": "presenter",
        },
    )
    assert (await again.until(of_type("welcome")))["prompt"]["notes"] is None
    await screen.close()
    await again.close()


async def test_editing_the_prompt_on_screen_reaches_the_phones(
    live_server: Server, staff: Staff
) -> None:
    session = _session_with(staff, CHOICE)
    pid = session["prompts"][0]["id"]
    staff.show(session, session["prompts"][0])
    phone = await _phone(live_server, session["code"])
    r = staff.http.patch(
        f"/api/sessions/{session['id']}/prompts/{pid}", json={"title": "Welke nu?"}
    )
    assert r.status_code == 200
    edited = await phone.until(of_type("prompt"))
    assert edited["prompt"]["title"] == "Welke nu?"
    await phone.close()


def test_two_starts_at_once_give_one_live_code_that_works(
    live_server: Server, staff: Staff
) -> None:
    import concurrent.futures

    created = staff.http.post("/api/sessions", json={"title": "Tweemaal"}).json()
    url = f"/api/sessions/{created['id']}/start"
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda _: staff.http.post(url), range(2)))
    assert sorted(a.status_code for a in answers) == [200, 409]
    shown = staff.http.get(f"/api/sessions/{created['id']}").json()["code"]
    assert httpx.post(f"{live_server.url}/api/join", json={"code": shown}).status_code == 201


def test_body_that_is_not_utf8_is_400(live_server: Server) -> None:
    r = httpx.post(
        f"{live_server.url}/api/join",
        content=b'{"code":"\xff"}',
        headers={"Content-Type": "application/json"},
    )
    assert r.status_code == 400 and r.json()["extra"]["code"] == "invalid_body"


def test_login_posted_as_a_plain_form_is_refused(live_server: Server) -> None:
    account = live_server.create_staff()
    body = f'{{"email":"{account["email"]}","password":"{account["password"]}"}}'
    r = httpx.post(
        f"{live_server.url}/api/auth/login",
        content=body,
        headers={"Content-Type": "text/plain", "Origin": "https://evil.example"},
    )
    assert r.status_code == 415 and "samenspraak_session" not in r.cookies


def test_resent_card_after_its_prompt_closed_is_still_the_stored_card(
    live_server: Server, staff: Staff
) -> None:
    session = _session_with(staff, {"kind": "open", "title": "Zorgen?"})
    pid = session["prompts"][0]["id"]
    staff.show(session, session["prompts"][0])
    token = join(live_server, session["code"])["token"]
    card = {"id": "kaart-1", "prompt_id": pid, "text": "Verkeer"}
    me = {"Authorization": f"Bearer {token}"}
    first = httpx.post(f"{live_server.url}/api/me/cards", json=card, headers=me)
    assert first.status_code == 201
    staff.http.post(f"/api/sessions/{session['id']}/prompts/{pid}/close")
    again = httpx.post(f"{live_server.url}/api/me/cards", json=card, headers=me)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    other = httpx.post(
        f"{live_server.url}/api/me/cards", json={**card, "id": "kaart-2"}, headers=me
    )
    assert other.status_code == 409 and other.json()["extra"]["code"] == "prompt_not_open"


async def test_card_resent_over_websocket_after_its_prompt_closed_is_acked_as_stored(
    live_server: Server, staff: Staff
) -> None:
    session = _session_with(staff, {"kind": "open", "title": "Zorgen?"})
    pid = session["prompts"][0]["id"]
    staff.show(session, session["prompts"][0])
    phone = await _phone(live_server, session["code"])
    card = {"id": "kaart-ws", "text": "Parkeren"}
    first = await phone.respond("a", pid, card)
    assert first["type"] == "ack"
    staff.http.post(f"/api/sessions/{session['id']}/prompts/{pid}/close")
    again = await phone.respond("b", pid, card)
    assert again["type"] == "ack" and again["card"]["id"] == first["card"]["id"]
    fresh = await phone.respond("c", pid, {"id": "kaart-nieuw", "text": "Groen"})
    assert fresh["type"] == "error" and fresh["code"] == "prompt_not_open"
    await phone.close()


async def test_a_stored_answer_that_no_longer_fits_is_skipped_and_the_session_works(
    fresh_server: Server,
) -> None:
    fresh_server.start()
    staff = fresh_server.login()
    session = _session_with(staff, CHOICE)
    pid = session["prompts"][0]["id"]
    staff.show(session, session["prompts"][0])
    phones = [await _phone(fresh_server, session["code"]) for _ in range(2)]
    for i, p in enumerate(phones):
        assert (await p.respond(f"r{i}", pid, "a"))["type"] == "ack"
    fresh_server.stop(signal.SIGKILL)
    # an answer written by an older, buggier version
    fresh_server.sql(
        "UPDATE responses SET value = '\"z\"' WHERE participant_id = (SELECT MIN(participant_id) FROM responses)"
    )
    fresh_server.start()
    again = fresh_server.login(staff.user["email"])
    assert again.http.get(f"/api/sessions/{session['id']}/results").status_code == 200
    assert again.http.get(f"/api/sessions/{session['id']}").json()["prompts"][0]["answers"] == 1
    token = join(fresh_server, session["code"])["token"]
    r = httpx.put(
        f"{fresh_server.url}/api/me/responses/{pid}",
        json={"value": "b"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 200
