"""Residents propose statements: pending until approved, then on every phone and votable;
hidden again, they disappear from the list; limits, idempotency and bad input."""

from __future__ import annotations

import signal
from typing import Any

import httpx

from ..conftest import Server, Staff, assert_error, join
from .wsclient import Phone, of_type

PROMPT: dict[str, Any] = {
    "kind": "statements",
    "title": "Stellingen",
    "statements": [{"id": "s1", "text": "Een"}],
    "resident_statements": True,
}


def propose(server: Server, token: str, pid: str, cid: str, text: str) -> httpx.Response:
    return httpx.post(
        f"{server.url}/api/me/statements",
        json={"id": cid, "prompt_id": pid, "text": text},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )


async def test_a_proposed_statement_is_votable_after_approval_only(
    live_server: Server, staff: Staff
) -> None:
    made = staff.http.post(
        "/api/sessions", json={"title": "Eigen stellingen", "prompts": [PROMPT]}
    ).json()
    sid, pid = made["id"], made["prompts"][0]["id"]
    code = staff.http.post(f"/api/sessions/{sid}/start").json()["code"]
    assert staff.http.post(f"/api/sessions/{sid}/show", json={"prompt_id": pid}).status_code == 200
    author, voter = join(live_server, code)["token"], join(live_server, code)["token"]
    phone = await Phone.connect(live_server.ws_url, {"token": voter})
    welcome = await phone.until(of_type("welcome"))
    assert [s["id"] for s in welcome["prompt"]["statements"]] == ["s1"]

    r = propose(live_server, author, pid, "mijn-1", "  Meer bankjes op het plein \u202e ")
    assert r.status_code == 201, r.text
    card = r.json()
    assert card["status"] == "pending" and card["text"] == "Meer bankjes op het plein"
    assert (
        propose(live_server, author, pid, "mijn-1", "Meer bankjes op het plein").status_code == 200
    )
    assert_error(propose(live_server, author, pid, "mijn-1", "Iets anders"), 409, "card_conflict")
    vote = {"value": {"statement_id": card["id"], "vote": "agree"}}
    headers = {"Authorization": f"Bearer {voter}"}
    early = httpx.put(f"{live_server.url}/api/me/responses/{pid}", json=vote, headers=headers)
    assert_error(early, 422, "invalid_value")  # not approved yet

    pending = staff.http.get(
        f"/api/sessions/{sid}/prompts/{pid}/cards", params={"status": "pending"}
    )
    assert [c["id"] for c in pending.json()] == [card["id"]]
    ok = staff.http.post(
        f"/api/sessions/{sid}/cards/{card['id']}/moderate", json={"status": "approved"}
    )
    assert ok.status_code == 200, ok.text
    shown = await phone.until(
        lambda msg: (
            msg.get("type") == "prompt"
            and len((msg.get("prompt") or {}).get("statements", [])) == 2
        )
    )
    assert shown["prompt"]["statements"][1] == {
        "id": card["id"],
        "text": "Meer bankjes op het plein",
    }
    voted = httpx.put(f"{live_server.url}/api/me/responses/{pid}", json=vote, headers=headers)
    assert voted.status_code == 200, voted.text
    results = staff.http.get(f"/api/sessions/{sid}/results").json()["prompts"][0]["tally"]
    assert results["n"] == 1  # hidden below MIN_GROUP, but counted

    staff.http.post(f"/api/sessions/{sid}/cards/{card['id']}/moderate", json={"status": "hidden"})
    gone = await phone.until(
        lambda msg: (
            msg.get("type") == "prompt"
            and len((msg.get("prompt") or {}).get("statements", [])) == 1
        )
    )
    assert gone["prompt"]["statements"][0]["id"] == "s1"
    await phone.close()


def test_proposals_have_limits_and_need_a_prompt_that_allows_them(
    live_server: Server, staff: Staff
) -> None:
    closed = {**PROMPT, "resident_statements": False}
    made = staff.http.post(
        "/api/sessions", json={"title": "Grenzen", "prompts": [PROMPT, closed]}
    ).json()
    sid = made["id"]
    allowing, refusing = (p["id"] for p in made["prompts"])
    code = staff.http.post(f"/api/sessions/{sid}/start").json()["code"]
    for pid in (allowing, refusing):
        staff.http.post(f"/api/sessions/{sid}/show", json={"prompt_id": pid})
    token = join(live_server, code)["token"]
    assert_error(propose(live_server, token, refusing, "x", "Mag niet"), 422, "invalid_value")
    assert_error(propose(live_server, token, allowing, "x", "   "), 422, "invalid_value")
    assert_error(propose(live_server, token, allowing, "x", "a" * 201), 422, "invalid_value")
    assert_error(propose(live_server, token, "nope", "x", "Waar?"), 404, "not_found")
    for i in range(3):
        assert propose(live_server, token, allowing, f"p{i}", f"Stelling {i}").status_code == 201
    assert_error(propose(live_server, token, allowing, "p4", "Nog een"), 409, "max_cards")
    r = httpx.post(
        f"{live_server.url}/api/me/statements",
        json={"id": "z", "prompt_id": allowing, "text": "x", "category": "c"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert_error(r, 400, "invalid_body")


def test_votes_on_an_approved_proposal_survive_a_restart(fresh_server: Server) -> None:
    fresh_server.start()
    staff = fresh_server.login()
    made = staff.http.post("/api/sessions", json={"title": "Herstart", "prompts": [PROMPT]}).json()
    sid, pid = made["id"], made["prompts"][0]["id"]
    code = staff.http.post(f"/api/sessions/{sid}/start").json()["code"]
    staff.http.post(f"/api/sessions/{sid}/show", json={"prompt_id": pid})
    tokens = [join(fresh_server, code)["token"] for _ in range(5)]
    card = propose(fresh_server, tokens[0], pid, "eigen", "Meer groen").json()
    staff.http.post(f"/api/sessions/{sid}/cards/{card['id']}/moderate", json={"status": "approved"})
    for token in tokens:
        r = httpx.put(
            f"{fresh_server.url}/api/me/responses/{pid}",
            json={"value": {"statement_id": card["id"], "vote": "agree"}},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert r.status_code == 200, r.text
    fresh_server.stop(signal.SIGKILL)
    fresh_server.start()
    again = fresh_server.login(staff.user["email"])
    tally = again.http.get(f"/api/sessions/{sid}/results").json()["prompts"][0]["tally"]
    counted = {s["id"]: s["agree"] for s in tally["statements"]}
    assert counted == {"s1": 0, card["id"]: 5}
    listed = again.http.get(f"/api/sessions/{sid}").json()["prompts"][0]["statements"]
    assert [s["id"] for s in listed] == ["s1", card["id"]]


async def test_a_nul_character_is_refused_over_http_and_websocket_and_nothing_breaks(
    live_server: Server, staff: Staff
) -> None:
    """PostgreSQL cannot store NUL in text and no one types it: 422 over HTTP, an `error`
    (422) over the socket, never a 500, and the socket stays open."""
    cards = {"kind": "open", "title": "Kaarten", "moderated": False, "max_cards": 3}
    made = staff.http.post(
        "/api/sessions", json={"title": "NUL", "prompts": [PROMPT, cards]}
    ).json()
    sid, pid, open_pid = made["id"], made["prompts"][0]["id"], made["prompts"][1]["id"]
    code = staff.http.post(f"/api/sessions/{sid}/start").json()["code"]
    assert staff.http.post(f"/api/sessions/{sid}/show", json={"prompt_id": pid}).status_code == 200
    token = join(live_server, code)["token"]
    assert_error(
        propose(live_server, token, pid, "nul\u0000id", "Meer bankjes"), 422, "invalid_value"
    )
    assert_error(
        propose(live_server, token, pid, "ok-1", "Meer\u0000bankjes"), 422, "invalid_value"
    )
    assert propose(live_server, token, pid, "ok-1", "Meer bankjes").status_code == 201

    staff.http.post(f"/api/sessions/{sid}/show", json={"prompt_id": open_pid})
    phone = await Phone.connect(live_server.ws_url, {"token": token})
    await phone.until(of_type("welcome"))
    bad = await phone.respond("r1", open_pid, {"id": "k\u00001", "text": "Een kaart"})
    assert bad["type"] == "error" and bad["status_code"] == 422 and bad["code"] == "invalid_value"
    good = await phone.respond("r2", open_pid, {"id": "k1", "text": "Een kaart"})
    assert good["type"] == "ack"
    await phone.close()
