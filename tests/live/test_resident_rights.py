"""A resident's rights through the public interface: "remove my answers" while the session is
live, and tokens that expire when the session closes."""

from __future__ import annotations

from typing import Any

import httpx

from ..conftest import Server, Staff, assert_error, join
from .wsclient import Phone, of_type

DILEMMA = {"kind": "dilemma", "title": "Rust of reuring?", "left": "Rust", "right": "Reuring"}
CARDS = {"kind": "open", "title": "Zorgen", "moderated": False, "max_cards": 3}
STATEMENTS = {
    "kind": "statements",
    "title": "Stellingen",
    "statements": [{"id": "s1", "text": "Een"}],
    "resident_statements": True,
}


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def results(staff: Staff, sid: str) -> list[dict[str, Any]]:
    body = staff.http.get(f"/api/sessions/{sid}/results").json()
    return [p["tally"] for p in body["prompts"]]


async def test_remove_my_answers_deletes_everything_of_that_resident_and_updates_the_projector(
    live_server: Server, staff: Staff
) -> None:
    made = staff.http.post(
        "/api/sessions", json={"title": "Wissen", "prompts": [DILEMMA, CARDS, STATEMENTS]}
    ).json()
    sid, (dilemma, cards, statements) = made["id"], [p["id"] for p in made["prompts"]]
    code = staff.http.post(f"/api/sessions/{sid}/start").json()["code"]
    tokens = [join(live_server, code)["token"] for _ in range(6)]
    url = live_server.url
    for pid in (dilemma, cards, statements):
        assert staff.http.post(f"/api/sessions/{sid}/show", json={"prompt_id": pid}).is_success
        for i, token in enumerate(tokens):
            if pid == dilemma:
                body: dict[str, Any] = {"value": 10 + i * 15}
            elif pid == cards:
                body = {"value": {"id": f"k{i}", "text": f"Zorg nummer {i}"}}
            else:
                body = {"value": {"statement_id": "s1", "vote": "agree"}}
            r = httpx.put(f"{url}/api/me/responses/{pid}", json=body, headers=auth(token))
            assert r.status_code == 200, r.text
    leaver = tokens[0]
    r = httpx.post(
        f"{url}/api/me/statements",
        json={"id": "eigen", "prompt_id": statements, "text": "Meer groen"},
        headers=auth(leaver),
    )
    proposal = r.json()["id"]
    assert staff.http.post(
        f"/api/sessions/{sid}/cards/{proposal}/moderate", json={"status": "approved"}
    ).is_success
    before = results(staff, sid)
    assert [t["n"] for t in before] == [6, 6, 6]

    ticket = staff.http.post(f"/api/sessions/{sid}/ws-ticket").json()["ticket"]
    projector = await Phone.connect(live_server.ws_url, {"ticket": ticket, "role": "presenter"})
    await projector.until(of_type("welcome"))
    phone = await Phone.connect(live_server.ws_url, {"token": tokens[1]})
    await phone.until(of_type("welcome"))

    r = httpx.delete(f"{url}/api/me/responses", headers=auth(leaver))
    assert r.status_code == 200, r.text
    assert r.json() == {"removed": 4}  # a slider answer, a card, a vote and a statement
    after = results(staff, sid)
    assert [t["n"] for t in after] == [5, 5, 5]
    assert "Zorg nummer 0" not in [c["text"] for c in after[1]["cards"]]
    assert after[0]["bins"][0] == before[0]["bins"][0] - 1  # their 10 left the first bin
    # the projector's tally of the prompt on screen loses them live
    await projector.until(
        lambda m: (
            m.get("type") == "results" and m["prompt_id"] == statements and m["tally"]["n"] == 5
        )
    )
    # their approved statement leaves every phone showing the statements
    shown = await phone.until(lambda m: m.get("type") == "prompt" and m.get("prompt"))
    assert [s["id"] for s in shown["prompt"]["statements"]] == ["s1"]
    me = httpx.get(f"{url}/api/me/session", headers=auth(leaver)).json()
    assert me["my_response"] in ({}, None)
    # they are still in: they may answer again, and removing twice removes nothing
    r = httpx.put(
        f"{url}/api/me/responses/{statements}",
        json={"value": {"statement_id": "s1", "vote": "disagree"}},
        headers=auth(leaver),
    )
    assert r.status_code == 200
    assert httpx.delete(f"{url}/api/me/responses", headers=auth(leaver)).json() == {"removed": 1}
    assert httpx.delete(f"{url}/api/me/responses", headers=auth(leaver)).json() == {"removed": 0}
    assert_error(httpx.delete(f"{url}/api/me/responses"), 401, "not_authenticated")
    # what was removed stays removed after a restart-like reload (from the database)
    staff.http.patch(f"/api/sessions/{sid}", json={"title": "Wissen (2)"})
    assert [t["n"] for t in results(staff, sid)] == [5, 5, 5]
    await projector.close()
    await phone.close()


async def test_a_closed_sessions_tokens_expire_everywhere(
    live_server: Server, staff: Staff
) -> None:
    made = staff.http.post("/api/sessions", json={"title": "Dicht", "prompts": [DILEMMA]}).json()
    sid, pid = made["id"], made["prompts"][0]["id"]
    code = staff.http.post(f"/api/sessions/{sid}/start").json()["code"]
    token = join(live_server, code)["token"]
    staff.http.post(f"/api/sessions/{sid}/show", json={"prompt_id": pid})
    phone = await Phone.connect(live_server.ws_url, {"token": token})
    await phone.until(of_type("welcome"))
    assert (await phone.respond("r1", pid, 40))["type"] == "ack"

    assert staff.http.post(f"/api/sessions/{sid}/close").is_success
    await phone.until(lambda m: m.get("type") == "session" and m["state"] == "closed")
    url = live_server.url
    assert_error(httpx.get(f"{url}/api/me/session", headers=auth(token)), 401, "not_authenticated")
    r = httpx.put(f"{url}/api/me/responses/{pid}", json={"value": 50}, headers=auth(token))
    assert_error(r, 401, "not_authenticated")
    assert_error(
        httpx.delete(f"{url}/api/me/responses", headers=auth(token)), 401, "not_authenticated"
    )
    again = await Phone.connect(live_server.ws_url, {"token": token})
    assert await again.close_code() == 4401
    # the stored hashes are gone: a token kept on a phone no longer leads to its answers
    hashes = live_server.sql("SELECT token_hash FROM participants WHERE session_id = ?", (sid,))
    assert hashes and all(str(h[0]).startswith("closed:") for h in hashes)
    # the answer itself still counts in the results
    assert staff.http.get(f"/api/sessions/{sid}/results").json()["prompts"][0]["tally"]["n"] == 1
    await phone.close()
