"""Opinion groups, bridging, the dilemma per group and before/after through the public
interface: computed in the background, sent to presenters, never to residents."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx

from ..conftest import Server, Staff, join
from .test_live_session import presenter
from .wsclient import Phone, of_type

STATEMENTS = [{"id": f"s{i}", "text": f"Stelling {i}"} for i in range(8)]
PROMPTS: list[dict[str, Any]] = [
    {"kind": "dilemma", "title": "Eerst", "left": "L", "right": "R", "pair": "kern", "bins": 5},
    {"kind": "statements", "title": "Stellingen", "statements": STATEMENTS},
    {"kind": "dilemma", "title": "Daarna", "left": "L", "right": "R", "pair": "kern", "bins": 5},
]


def put(server: Server, token: str, pid: str, value: Any) -> None:
    r = httpx.put(
        f"{server.url}/api/me/responses/{pid}",
        json={"value": value},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert r.status_code == 200, r.text


def bloc_vote(bloc: int, statement: int) -> str:
    """Bloc 0 agrees with s1–s3, bloc 1 with s4–s6; everyone agrees with s0, splits on s7."""
    if statement == 0:
        return "agree"
    if statement == 7:
        return ("agree", "disagree")[bloc]
    mine = range(1, 4) if bloc == 0 else range(4, 7)
    return "agree" if statement in mine else "disagree"


def results_until(staff: Staff, sid: str, ready: Any, timeout: float = 15) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        found = {
            p["prompt_id"]: p["tally"]
            for p in staff.http.get(f"/api/sessions/{sid}/results").json()["prompts"]
        }
        if ready(found) or time.monotonic() > deadline:
            return found


async def test_groups_reach_presenters_and_split_the_dilemma_but_never_residents(
    live_server: Server, staff: Staff
) -> None:
    made = staff.http.post("/api/sessions", json={"title": "Inzicht", "prompts": PROMPTS})
    assert made.status_code == 201, made.text
    sid = made.json()["id"]
    first, statements, last = (p["id"] for p in made.json()["prompts"])
    session = staff.http.post(f"/api/sessions/{sid}/start").json()
    for pid in (first, statements, last):
        assert (
            staff.http.post(f"/api/sessions/{sid}/show", json={"prompt_id": pid}).status_code == 200
        )
    screen = await presenter(live_server, staff, session)
    tokens = []
    for person in range(14):
        bloc = person % 2
        token = join(live_server, session["code"])["token"]
        tokens.append(token)
        put(live_server, token, first, (10, 90)[bloc])  # two camps at the opening
        for i in range(8):
            put(
                live_server,
                token,
                statements,
                {"statement_id": f"s{i}", "vote": bloc_vote(bloc, i)},
            )
        put(live_server, token, last, (45, 55)[bloc])  # everyone moved to the middle

    def everyone_grouped(t: dict[str, Any]) -> bool:  # recomputed every 2 s while votes come in
        return sum(g["size"] for g in t[statements].get("groups") or []) == 14

    tallies = results_until(staff, sid, everyone_grouped)
    votes = tallies[statements]
    assert [g["size"] for g in votes["groups"]] == [7, 7]
    assert votes["bridging"][0]["statement_id"] == "s0"
    assert votes["bridging"][-1]["statement_id"] == "s7" or votes["bridging"][0]["score"] > 0.5
    assert len(votes["points"]) == 14 and votes["grouped"] == 14
    own = {s["statement_id"] for s in votes["groups"][0]["statements"]}
    assert own & {"s1", "s2", "s3"} or own & {"s4", "s5", "s6"}

    split = tallies[first]["by_group"]
    assert sorted(g["mean"] for g in split) == [10.0, 90.0] and all(g["n"] == 7 for g in split)
    shift = tallies[last]["before"]
    assert shift["before_prompt_id"] == first and shift["pair"] == "kern"
    assert shift["paired"]["n"] == 14 and shift["paired"]["to_middle"] == 14
    assert shift["paired"]["middle_before"] == 0.0 and shift["paired"]["middle_after"] == 1.0
    assert "before" not in tallies[first]

    # the projector got the groups over its socket
    pushed = await screen.until(
        lambda msg: (
            msg.get("type") == "results"
            and msg.get("prompt_id") == statements
            and bool(msg["tally"].get("groups"))
        )
    )
    assert len(pushed["tally"]["groups"]) == 2

    # a resident sees the revealed counts only
    assert (
        staff.http.post(f"/api/sessions/{sid}/show", json={"prompt_id": statements}).status_code
        == 200
    )
    r = staff.http.post(f"/api/sessions/{sid}/prompts/{statements}/reveal", json={"visible": True})
    assert r.status_code == 200
    phone = await Phone.connect(live_server.ws_url, {"token": tokens[0]})
    welcome = await phone.until(of_type("welcome"))
    resident_tally = welcome["results"]["tally"]
    assert resident_tally["kind"] == "statements"
    for private in ("groups", "bridging", "points", "grouped"):
        assert private not in resident_tally
    await asyncio.gather(phone.close(), screen.close())


def test_a_third_prompt_with_the_same_pair_is_refused(live_server: Server, staff: Staff) -> None:
    body = {"title": "Drie", "prompts": [PROMPTS[0], PROMPTS[0], PROMPTS[2]]}
    r = staff.http.post("/api/sessions", json=body)
    assert r.status_code == 422 and r.json()["extra"]["code"] == "invalid_value"
