"""The word cloud's filter through the public interface: insults are held back from phones,
projector, exports and the report until a facilitator approves them; an organisation's admin
edits its own list."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from ..conftest import Server, assert_error, join
from ..live.wsclient import Phone, of_type

WORDS = {"kind": "words", "title": "Eén woord voor de buurt", "max_words": 2}
CHOICE = {
    "kind": "choice",
    "title": "Keuze",
    "options": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}],
}
ANSWERS = [
    ["kanker", "groen"],
    ["K4NKER", "groen"],
    ["tyfus", "veilig"],
    ["groen", "veilig"],
    ["samen", "rotbuurt"],
    ["aap", "samen"],
]


def words_of(tally: dict[str, Any]) -> set[str]:
    return {w["word"] for w in tally.get("words", [])}


async def test_held_words_stay_out_of_every_view_until_approved(live_server: Server) -> None:
    staff = live_server.login(role="admin")
    made = staff.http.post(
        "/api/sessions", json={"title": "Woorden", "prompts": [WORDS, CHOICE]}
    ).json()
    sid, pid, other = made["id"], made["prompts"][0]["id"], made["prompts"][1]["id"]
    code = staff.http.post(f"/api/sessions/{sid}/start").json()["code"]
    assert staff.http.post(f"/api/sessions/{sid}/show", json={"prompt_id": pid}).is_success
    ticket = staff.http.post(f"/api/sessions/{sid}/ws-ticket").json()["ticket"]
    console = await Phone.connect(live_server.ws_url, {"ticket": ticket, "role": "facilitator"})
    await console.until(of_type("welcome"))
    for words in ANSWERS:
        token = join(live_server, code)["token"]
        r = httpx.put(
            f"{live_server.url}/api/me/responses/{pid}",
            json={"value": words},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert r.status_code == 200, r.text
    assert staff.http.post(f"/api/sessions/{sid}/prompts/{pid}/reveal", json={"visible": True})

    tally = staff.http.get(f"/api/sessions/{sid}/results").json()["prompts"][0]["tally"]
    assert tally["n"] == 6
    assert words_of(tally) == {"groen", "veilig", "samen", "rotbuurt"}  # kanker, tyfus, aap held
    held = staff.http.get(f"/api/sessions/{sid}/prompts/{pid}/held-words").json()
    assert held == [
        {"word": "aap", "count": 1},
        {"word": "k4nker", "count": 1},
        {"word": "kanker", "count": 1},
        {"word": "tyfus", "count": 1},
    ]
    # facilitators hear how many wait, like cards waiting for moderation
    await console.until(lambda m: m.get("type") == "moderation" and m["pending"] == 4)
    # a phone with the results revealed, the export and the report: none of them
    phone_token = join(live_server, code)["token"]
    phone = await Phone.connect(live_server.ws_url, {"token": phone_token})
    welcome = await phone.until(of_type("welcome"))
    assert words_of(welcome["results"]["tally"]) == {"groen", "veilig", "samen", "rotbuurt"}
    for path in ("export.json", "export.csv", "report.html"):
        body = staff.http.get(f"/api/sessions/{sid}/{path}").text.casefold()
        for word in ("kanker", "k4nker", "tyfus"):
            assert word not in body, (path, word)

    # the facilitator shows one anyway: everyone sees it, the rest stays held
    r = staff.http.post(
        f"/api/sessions/{sid}/prompts/{pid}/held-words/approve", json={"word": "aap"}
    )
    assert r.status_code == 200, r.text
    assert [w["word"] for w in r.json()] == ["k4nker", "kanker", "tyfus"]
    await console.until(lambda m: m.get("type") == "moderation" and m["pending"] == 3)
    got = await phone.until(
        lambda m: m.get("type") == "results" and "aap" in words_of(m["tally"]), timeout=5
    )
    assert "kanker" not in words_of(got["tally"])

    # bad input
    approve = f"/api/sessions/{sid}/prompts/{pid}/held-words/approve"
    assert_error(staff.http.post(approve, json={"word": "groen"}), 422, "invalid_value")
    assert_error(staff.http.post(approve, json={}), 400, "invalid_body")
    assert_error(
        staff.http.get(f"/api/sessions/{sid}/prompts/{other}/held-words"), 422, "invalid_value"
    )
    assert_error(staff.http.get(f"/api/sessions/{sid}/prompts/nope/held-words"), 404, "not_found")
    stranger = live_server.login()
    assert_error(
        stranger.http.get(f"/api/sessions/{sid}/prompts/{pid}/held-words"), 404, "not_found"
    )
    canvasser = live_server.login(org=staff.user["org"], role="canvasser")
    assert_error(
        canvasser.http.get(f"/api/sessions/{sid}/prompts/{pid}/held-words"), 403, "forbidden"
    )

    # the organisation's own list: admins add and allow words; live rooms apply it at once
    mine = staff.http.get("/api/word-filter").json()
    assert "kanker" in mine["default"] and mine["added"] == [] and mine["allowed"] == []
    facilitator = live_server.login(org=staff.user["org"])
    assert_error(facilitator.http.put("/api/word-filter", json={"added": ["x"]}), 403, "forbidden")
    r = staff.http.put(
        "/api/word-filter", json={"added": [" Rotbuurt "], "allowed": ["tyfus", "TYFUS"]}
    )
    assert r.status_code == 200, r.text
    assert r.json()["added"] == ["rotbuurt"] and r.json()["allowed"] == ["tyfus"]
    tally = staff.http.get(f"/api/sessions/{sid}/results").json()["prompts"][0]["tally"]
    assert words_of(tally) == {"groen", "veilig", "samen", "aap", "tyfus"}
    assert_error(
        staff.http.put("/api/word-filter", json={"added": ["x" * 41]}), 422, "invalid_value"
    )
    assert_error(
        staff.http.put("/api/word-filter", json={"added": ["a"] * 501}), 400, "invalid_body"
    )
    await asyncio.gather(phone.close(), console.close())
