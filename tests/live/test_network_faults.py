"""Network faults over real sockets: a phone that stops reading is resynced and does not hold
up the others; a dropped connection reconnects with `last_seq` and misses nothing acked."""

from __future__ import annotations

import asyncio
import json
import socket
from typing import Any

import httpx
import websockets

from ..conftest import Server, Staff, join
from .wsclient import Phone, of_type


def big_statements(title: str) -> dict[str, Any]:
    """A prompt message of about 20 KB: 100 statements of 200 characters."""
    return {
        "kind": "statements",
        "title": title,
        "statements": [{"id": f"s{i}", "text": f"{i:03d} " + "x" * 196} for i in range(100)],
    }


async def stuck_phone(server: Server, token: str) -> Any:
    """A phone whose app stopped reading: a tiny receive buffer and a client that reads no
    more than one frame ahead, so the server's writes back up at once."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.setblocking(False)
    await asyncio.get_running_loop().sock_connect(sock, ("127.0.0.1", server.port))
    conn = await websockets.connect(server.ws_url, sock=sock, max_queue=1, open_timeout=15)
    await conn.send(json.dumps({"type": "hello", "token": token, "last_seq": 0}))
    return conn


async def test_a_phone_that_stops_reading_is_resynced_and_the_others_get_every_message(
    live_server: Server, staff: Staff
) -> None:
    made = staff.http.post(
        "/api/sessions",
        json={"title": "Trage telefoon", "prompts": [big_statements("A"), big_statements("B")]},
    ).json()
    sid, (first, second) = made["id"], [p["id"] for p in made["prompts"]]
    code = staff.http.post(f"/api/sessions/{sid}/start").json()["code"]
    phones = []
    for _ in range(3):
        phone = await Phone.connect(live_server.ws_url, {"token": join(live_server, code)["token"]})
        await phone.until(of_type("welcome"))
        phones.append(phone)
    stuck = await stuck_phone(live_server, join(live_server, code)["token"])

    # about 8 MB for the stuck phone: past the kernel's send buffer (up to 4 MB on loopback),
    # the transport's 64 KB and the client's queue of 64 messages
    shows = 400

    async def read_all(phone: Phone) -> list[dict[str, Any]]:
        got: list[dict[str, Any]] = []
        while len(got) < shows:
            got.append(await phone.until(of_type("prompt"), timeout=60))
        return got

    readers = [asyncio.create_task(read_all(p)) for p in phones]  # these phones keep reading
    shown: list[str] = []
    async with httpx.AsyncClient(
        base_url=live_server.url, cookies=staff.http.cookies, headers=staff.http.headers
    ) as http:
        for i in range(shows):
            pid = first if i % 2 == 0 else second
            r = await http.post(f"/api/sessions/{sid}/show", json={"prompt_id": pid})
            assert r.status_code == 200, r.text
            shown.append(pid)

    # every reading phone got every change, in order, with growing seq and no resync
    for phone, got in zip(phones, await asyncio.gather(*readers), strict=True):
        assert [m["prompt"]["id"] for m in got] == shown
        seqs = [m["seq"] for m in got]
        assert seqs == sorted(seqs) and len(set(seqs)) == shows
        assert [m for m in phone.seen if m["type"] == "welcome"] == phone.seen[:1]

    # the stuck phone reads again: it gets a fresh welcome (its queue was dropped), not a
    # backlog of 400 prompts, and ends on the prompt now shown
    messages: list[dict[str, Any]] = []
    while True:
        try:
            raw = await asyncio.wait_for(stuck.recv(), 3)
        except TimeoutError:
            break
        messages.append(json.loads(raw))
    kinds = [m["type"] for m in messages]
    assert kinds.count("welcome") >= 2, kinds  # the first one, and at least one resync
    assert len(messages) < shows, len(messages)
    last = [m for m in messages if m["type"] in ("welcome", "prompt")][-1]
    assert last["prompt"]["id"] == shown[-1]
    await stuck.close()
    for phone in phones:
        await phone.close()


async def test_a_dropped_connection_reconnects_with_last_seq_and_misses_nothing_acked(
    live_server: Server, staff: Staff
) -> None:
    choice = {
        "kind": "choice",
        "title": "Wat eerst?",
        "options": [{"id": "a", "label": "Bankjes"}, {"id": "b", "label": "Licht"}],
    }
    scale = {"kind": "scale", "title": "Hoe veilig?", "min": 1, "max": 5}
    made = staff.http.post(
        "/api/sessions", json={"title": "Wegvallen", "prompts": [choice, scale]}
    ).json()
    sid, (first, second) = made["id"], [p["id"] for p in made["prompts"]]
    code = staff.http.post(f"/api/sessions/{sid}/start").json()["code"]
    staff.http.post(f"/api/sessions/{sid}/show", json={"prompt_id": first})
    token = join(live_server, code)["token"]
    phone = await Phone.connect(live_server.ws_url, {"token": token})
    await phone.until(of_type("welcome"))
    assert (await phone.respond("r1", first, "b"))["type"] == "ack"
    last_seq = max(m["seq"] for m in phone.seen if "seq" in m)

    phone.conn.transport.abort()  # the network is gone: no close handshake
    # meanwhile the facilitator moves on and then back
    staff.http.post(f"/api/sessions/{sid}/show", json={"prompt_id": second})
    staff.http.post(f"/api/sessions/{sid}/show", json={"prompt_id": first})

    again = await Phone.connect(live_server.ws_url, {"token": token, "last_seq": last_seq})
    welcome = await again.until(of_type("welcome"))
    assert welcome["seq"] > last_seq
    assert welcome["prompt"]["id"] == first
    assert welcome["my_response"] == "b"  # the acked answer is there
    assert (await again.respond("r2", first, "a"))["type"] == "ack"
    results = staff.http.get(f"/api/sessions/{sid}/results").json()["prompts"][0]["tally"]
    assert results["n"] == 1  # one person, the answer replaced, not counted twice
    await again.close()
