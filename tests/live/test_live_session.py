"""A live session over real WebSockets against a real server process."""

from __future__ import annotations

import asyncio
import signal
import time
from typing import Any

import httpx
import pytest

from ..conftest import Server, Staff, join, sqlite_only
from .wsclient import Phone, of_type


def ticket(staff: Staff, session: dict[str, Any]) -> str:
    r = staff.http.post(f"/api/sessions/{session['id']}/ws-ticket")
    assert r.status_code == 201, r.text
    return str(r.json()["ticket"])


async def presenter(server: Server, staff: Staff, session: dict[str, Any]) -> Phone:
    phone = await Phone.connect(
        server.ws_url, {"ticket": ticket(staff, session), "role": "presenter"}
    )
    await phone.until(of_type("welcome"))
    return phone


async def test_fifty_residents_answer_and_presenter_sees_exact_bins(
    live_server: Server, staff: Staff
) -> None:
    session = staff.new_live_session()
    dilemma = staff.prompt_of_kind(session, "dilemma")
    staff.show(session, dilemma)
    screen = await presenter(live_server, staff, session)
    values = [(i * 37) % 101 for i in range(50)]
    tokens = [join(live_server, session["code"])["token"] for _ in values]
    phones = await asyncio.gather(
        *(Phone.connect(live_server.ws_url, {"token": t}) for t in tokens)
    )
    await asyncio.gather(*(p.until(of_type("welcome")) for p in phones))
    acks = await asyncio.gather(
        *(
            p.respond(f"r{i}", dilemma["id"], v)
            for i, (p, v) in enumerate(zip(phones, values, strict=True))
        )
    )
    assert all(a["type"] == "ack" for a in acks)
    tally = (
        await screen.until(lambda m: m.get("type") == "results" and m["tally"].get("n") == 50)
    )["tally"]
    expected = [0] * 7
    for v in values:
        expected[min(v * 7 // 100, 6)] += 1
    assert tally["bins"] == expected
    assert tally["mean"] == pytest.approx(sum(values) / 50, abs=1e-3)
    assert tally["middle_share"] == pytest.approx(sum(40 <= v <= 60 for v in values) / 50, abs=1e-3)
    await asyncio.gather(*(p.close() for p in [*phones, screen]))


async def test_reconnecting_resident_with_old_seq_gets_welcome_with_own_answer(
    live_server: Server, staff: Staff
) -> None:
    session = staff.new_live_session()
    scale = staff.prompt_of_kind(session, "scale")
    staff.show(session, scale)
    token = join(live_server, session["code"])["token"]
    phone = await Phone.connect(live_server.ws_url, {"token": token})
    first = await phone.until(of_type("welcome"))
    assert (await phone.respond("a", scale["id"], 4))["type"] == "ack"
    await phone.close()
    again = await Phone.connect(live_server.ws_url, {"token": token, "last_seq": first["seq"] - 1})
    welcome = await again.until(of_type("welcome"))
    assert welcome["prompt"]["id"] == scale["id"]
    assert welcome["my_response"] == 4
    await again.close()


async def test_residents_get_prompt_changes_and_results_only_after_reveal(
    live_server: Server, staff: Staff
) -> None:
    session = staff.new_live_session()
    words = staff.prompt_of_kind(session, "words")
    phones = [
        await Phone.connect(
            live_server.ws_url, {"token": join(live_server, session["code"])["token"]}
        )
        for _ in range(5)
    ]
    for p in phones:
        await p.until(of_type("welcome"))
    staff.show(session, words)
    for p in phones:
        assert (await p.until(of_type("prompt")))["prompt"]["id"] == words["id"]
    for i, p in enumerate(phones):
        assert (await p.respond(f"w{i}", words["id"], ["Samen "]))["type"] == "ack"
    assert not any(m["type"] == "results" for p in phones for m in p.seen)
    r = staff.http.post(
        f"/api/sessions/{session['id']}/prompts/{words['id']}/reveal", json={"visible": True}
    )
    assert r.status_code == 200
    result = await phones[0].until(of_type("results"))
    assert {"word": "samen", "count": 5} in result["tally"]["words"]
    for p in phones:
        await p.close()


async def test_answer_to_closed_prompt_gets_error_409_over_websocket(
    live_server: Server, staff: Staff
) -> None:
    session = staff.new_live_session()
    scale = staff.prompt_of_kind(session, "scale")
    staff.show(session, scale)
    staff.http.post(f"/api/sessions/{session['id']}/prompts/{scale['id']}/close")
    phone = await Phone.connect(
        live_server.ws_url, {"token": join(live_server, session["code"])["token"]}
    )
    await phone.until(of_type("welcome"))
    reply = await phone.respond("x", scale["id"], 3)
    assert reply["type"] == "error" and reply["status_code"] == 409
    reply = await phone.respond("y", scale["id"], "veel")
    assert reply["type"] == "error" and reply["status_code"] in (409, 422)
    await phone.close()


@pytest.mark.parametrize(
    ("hello", "code"),
    [
        ({"token": "not-a-real-token"}, 4401),
        ({"ticket": "nope", "role": "presenter"}, 4401),
        ({"role": "presenter"}, 4401),
    ],
)
async def test_bad_hello_closes_with_4401(
    live_server: Server, hello: dict[str, Any], code: int
) -> None:
    phone = await Phone.connect(live_server.ws_url, hello)
    assert await phone.close_code() == code


async def test_malformed_frame_closes_with_4400(live_server: Server) -> None:
    import websockets

    async with websockets.connect(live_server.ws_url) as conn:
        await conn.send("{not json")
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(conn.recv(), 10)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4400


async def test_foreign_origin_is_refused_with_4403(live_server: Server, staff: Staff) -> None:
    session = staff.new_live_session()
    phone = await Phone.connect(
        live_server.ws_url,
        {"token": join(live_server, session["code"])["token"]},
        origin="https://evil.example",
    )
    assert await phone.close_code() == 4403


async def test_own_origin_is_accepted(live_server: Server, staff: Staff) -> None:
    session = staff.new_live_session()
    phone = await Phone.connect(
        live_server.ws_url,
        {"token": join(live_server, session["code"])["token"]},
        origin=live_server.url,
    )
    assert (await phone.until(of_type("welcome")))["session"]["id"] == session["id"]
    await phone.close()


async def test_flood_of_messages_closes_with_4429(live_server: Server, staff: Staff) -> None:
    session = staff.new_live_session()
    phone = await Phone.connect(
        live_server.ws_url, {"token": join(live_server, session["code"])["token"]}
    )
    await phone.until(of_type("welcome"))
    for _ in range(200):
        try:
            await phone.send({"type": "ping"})
        except Exception:
            break
    assert await phone.close_code() == 4429


async def test_presenter_ticket_is_single_use(live_server: Server, staff: Staff) -> None:
    session = staff.new_live_session()
    t = ticket(staff, session)
    first = await Phone.connect(live_server.ws_url, {"ticket": t, "role": "facilitator"})
    await first.until(of_type("welcome"))
    second = await Phone.connect(live_server.ws_url, {"ticket": t, "role": "presenter"})
    assert await second.close_code() == 4401
    await first.close()


async def test_projector_key_gives_presenter_but_not_facilitator_tickets(
    live_server: Server, staff: Staff
) -> None:
    session = staff.new_live_session()
    link = staff.http.post(f"/api/sessions/{session['id']}/projector-link").json()
    headers = {"Authorization": f"Bearer {link['key']}"}
    t1 = httpx.post(f"{live_server.url}/api/projector/ws-ticket", headers=headers).json()["ticket"]
    screen = await Phone.connect(live_server.ws_url, {"ticket": t1, "role": "presenter"})
    assert (await screen.until(of_type("welcome")))["session"]["code"] == session["code"]
    t2 = httpx.post(f"{live_server.url}/api/projector/ws-ticket", headers=headers).json()["ticket"]
    sneaky = await Phone.connect(live_server.ws_url, {"ticket": t2, "role": "facilitator"})
    assert await sneaky.close_code() == 4403
    await screen.close()


async def test_acknowledged_answers_survive_kill_9(fresh_server: Server) -> None:
    fresh_server.start()
    staff = fresh_server.login()
    session = staff.new_live_session()
    dilemma = staff.prompt_of_kind(session, "dilemma")
    staff.show(session, dilemma)
    phones = [
        await Phone.connect(
            fresh_server.ws_url, {"token": join(fresh_server, session["code"])["token"]}
        )
        for _ in range(20)
    ]
    for p in phones:
        await p.until(of_type("welcome"))
    acks = await asyncio.gather(
        *(p.respond(f"k{i}", dilemma["id"], i * 5) for i, p in enumerate(phones))
    )
    acked = [i * 5 for i, a in enumerate(acks) if a["type"] == "ack"]
    assert len(acked) == 20
    fresh_server.stop(signal.SIGKILL)
    fresh_server.start()
    again = fresh_server.login(staff.user["email"])
    results = again.http.get(f"/api/sessions/{session['id']}/results").json()
    tally = next(p["tally"] for p in results["prompts"] if p["prompt_id"] == dilemma["id"])
    assert tally["n"] == 20
    assert tally["mean"] == pytest.approx(sum(acked) / 20, abs=1e-3)


async def test_sigterm_with_1000_open_sockets_closes_them_with_1012_and_exits_within_5_s(
    fresh_server: Server,
) -> None:
    sqlite_only(fresh_server, "closing sockets on SIGTERM does not involve the store")
    fresh_server.start()
    staff = fresh_server.login()
    session = staff.new_live_session()
    async with httpx.AsyncClient(base_url=fresh_server.url, timeout=30) as client:

        async def token() -> str:
            r = await client.post("/api/join", json={"code": session["code"]})
            assert r.status_code == 201, r.text
            return str(r.json()["token"])

        tokens = await asyncio.gather(*(token() for _ in range(1000)))
    phones: list[Phone] = []
    for start in range(0, len(tokens), 100):  # in waves, as a hall fills
        wave = await asyncio.gather(
            *(Phone.connect(fresh_server.ws_url, {"token": t}) for t in tokens[start : start + 100])
        )
        await asyncio.gather(*(p.until(of_type("welcome")) for p in wave))
        phones.extend(wave)
    assert fresh_server.proc is not None
    proc = fresh_server.proc
    began = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    codes = await asyncio.gather(*(p.close_code(timeout=5) for p in phones))
    await asyncio.get_running_loop().run_in_executor(None, proc.wait, 5)
    took = time.monotonic() - began
    assert set(codes) == {1012}
    assert proc.returncode is not None and took < 5, took


async def test_reshown_prompt_carries_the_residents_own_answer(
    live_server: Server, staff: Staff
) -> None:
    session = staff.new_live_session()
    scale = staff.prompt_of_kind(session, "scale")
    dilemma = staff.prompt_of_kind(session, "dilemma")
    staff.show(session, scale)
    answered = await Phone.connect(
        live_server.ws_url, {"token": join(live_server, session["code"])["token"]}
    )
    silent = await Phone.connect(
        live_server.ws_url, {"token": join(live_server, session["code"])["token"]}
    )
    for p in (answered, silent):
        await p.until(of_type("welcome"))
    assert (await answered.respond("s", scale["id"], 2))["type"] == "ack"
    staff.show(session, dilemma)
    staff.show(session, scale)
    for p in (answered, silent):
        await p.until(lambda m: m.get("type") == "prompt" and m["prompt"]["id"] == dilemma["id"])
    back = await answered.until(
        lambda m: m.get("type") == "prompt" and m["prompt"]["id"] == scale["id"]
    )
    assert back["my_response"] == 2
    other = await silent.until(
        lambda m: m.get("type") == "prompt" and m["prompt"]["id"] == scale["id"]
    )
    assert "my_response" not in other
    assert back["prompt"]["notes"] is None
    await answered.close()
    await silent.close()
