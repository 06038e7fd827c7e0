"""Several `samenspraak serve` workers on one PostgreSQL and one Redis (real servers, Debian's
packages): a resident on worker A and the projector on worker B see each other's effects,
`seq` agrees, and a Redis or PostgreSQL restart under load is survived without a false ack."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from ..conftest import Server, Staff, join
from ..services import Postgres, Redis
from .wsclient import Phone, of_type

DILEMMA = {
    "kind": "dilemma",
    "title": "Rust of reuring?",
    "left": "Rust",
    "right": "Reuring",
    "bins": 5,
}
CHOICE = {
    "kind": "choice",
    "title": "Wat eerst?",
    "options": [{"id": "a", "label": "Bankjes"}, {"id": "b", "label": "Licht"}],
}
STATEMENTS = {
    "kind": "statements",
    "title": "Stellingen",
    "statements": [{"id": "s1", "text": "Een"}, {"id": "s2", "text": "Twee"}],
    "resident_statements": True,
}


@pytest.fixture
def workers(tmp_path: Path, postgres: Postgres, redis_server: Redis) -> Iterator[list[Server]]:
    """Two workers sharing one database, one bus and one secret (as behind one address)."""
    database = postgres.new_database()
    secret = secrets.token_urlsafe(48)
    servers = [
        Server(
            tmp_path / f"worker{i}.sqlite3", secret=secret, database=database, bus=redis_server.url
        )
        for i in range(2)
    ]
    try:
        for server in servers:
            server.start()
        yield servers
    finally:
        for server in servers:
            server.stop()


def ticket(staff: Staff, sid: str) -> str:
    r = staff.http.post(f"/api/sessions/{sid}/ws-ticket")
    assert r.status_code == 201, r.text
    return str(r.json()["ticket"])


def on(server: Server, staff: Staff) -> Staff:
    """The same staff login, through another worker (logins live in the shared database)."""
    client = httpx.Client(base_url=server.url, timeout=10, cookies=staff.http.cookies)
    client.headers["x-csrftoken"] = staff.http.headers["x-csrftoken"]
    return Staff(client, staff.user)


async def until_health(server: Server, status: int, seconds: float = 20) -> dict[str, Any]:
    deadline = asyncio.get_running_loop().time() + seconds
    async with httpx.AsyncClient(timeout=3) as http:
        while True:
            with contextlib.suppress(httpx.HTTPError):
                r = await http.get(f"{server.url}/health")
                if r.status_code == status:
                    return dict(r.json())
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"/health never answered {status}")
            await asyncio.sleep(0.1)


async def residents(servers: list[Server], code: str, n: int) -> list[Phone]:
    """`n` residents, joined and connected through `servers` in turn, each past its welcome."""
    phones = []
    for i in range(n):
        server = servers[i % len(servers)]
        phone = await Phone.connect(server.ws_url, {"token": join(server, code)["token"]})
        await phone.until(of_type("welcome"))
        phones.append(phone)
    return phones


def one_prompt_shown(staff: Staff, title: str, prompt: dict[str, Any]) -> tuple[str, str, str]:
    """A live session with its one prompt on screen: session id, prompt id, join code."""
    made = staff.http.post("/api/sessions", json={"title": title, "prompts": [prompt]}).json()
    sid, pid = made["id"], made["prompts"][0]["id"]
    code = staff.http.post(f"/api/sessions/{sid}/start").json()["code"]
    assert staff.http.post(f"/api/sessions/{sid}/show", json={"prompt_id": pid}).is_success
    return sid, pid, str(code)


class Voters:
    """Phones that keep voting on a dilemma (under the 10 messages/s budget) until stopped;
    remembers each phone's last acked bin and counts the refusals, which must all be 503."""

    def __init__(self, phones: list[Phone], pid: str) -> None:
        self.acked: dict[int, int] = {}
        self.acks = 0
        self.refused = 0
        self._stop = asyncio.Event()
        self._replied = asyncio.Event()
        self._tasks = [asyncio.create_task(self._vote(i, p, pid)) for i, p in enumerate(phones)]

    async def _vote(self, i: int, phone: Phone, pid: str) -> None:
        n = 0
        while not self._stop.is_set():
            n += 1
            reply = await phone.respond(f"{i}-{n}", pid, (n % 5) * 20 + 5)  # bin n % 5
            if reply["type"] == "ack":
                self.acked[i] = n % 5
                self.acks += 1
            else:
                assert reply["status_code"] == 503 and reply["code"] == "unavailable", reply
                self.refused += 1
            self._replied.set()
            await asyncio.sleep(0.15)  # the pace of a phone, under the 10 messages/s budget

    async def until(self, *, acks: int = 0, refused: int = 0, seconds: float = 20) -> None:
        """Until `acks` more votes than now were acked and `refused` more refused."""
        goal = (self.acks + acks, self.refused + refused)
        deadline = asyncio.get_running_loop().time() + seconds
        while self.acks < goal[0] or self.refused < goal[1]:
            self._replied.clear()
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0:
                raise AssertionError(f"{self.acks} acks, {self.refused} refused; wanted {goal}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._replied.wait(), left)

    async def stop(self) -> list[int]:
        """Stop; the bins the last acked votes make."""
        self._stop.set()
        await asyncio.gather(*self._tasks)
        bins = [0] * 5
        for value in self.acked.values():
            bins[value] += 1
        return bins


async def test_a_resident_on_worker_a_and_the_projector_on_worker_b_see_each_other(
    workers: list[Server],
) -> None:
    a, b = workers
    staff_a = a.login()
    staff_b = on(b, staff_a)
    made = staff_a.http.post(
        "/api/sessions", json={"title": "Twee werkers", "prompts": [DILEMMA, CHOICE, STATEMENTS]}
    ).json()
    sid = made["id"]
    dilemma, choice, statements = (p["id"] for p in made["prompts"])
    code = staff_a.http.post(f"/api/sessions/{sid}/start").json()["code"]

    projector = await Phone.connect(b.ws_url, {"ticket": ticket(staff_b, sid), "role": "presenter"})
    await projector.until(of_type("welcome"))
    console = await Phone.connect(a.ws_url, {"ticket": ticket(staff_a, sid), "role": "facilitator"})
    await console.until(of_type("welcome"))
    phones = await residents(workers, code, 6)  # joined and connected alternately via A and B

    # shown on A: every phone gets the prompt, with the same seq on both workers
    assert staff_a.http.post(f"/api/sessions/{sid}/show", json={"prompt_id": dilemma}).is_success
    shown = [await p.until(lambda m: m.get("type") == "prompt" and m["prompt"]) for p in phones]
    assert {m["prompt"]["id"] for m in shown} == {dilemma}
    assert len({m["seq"] for m in shown}) == 1, [m["seq"] for m in shown]
    seen = await projector.until(lambda m: m.get("type") == "prompt" and m["prompt"])
    assert seen["seq"] == shown[0]["seq"]

    # answers through both workers reach the projector on B, counted once each
    for i, phone in enumerate(phones):
        value = [0, 10, 25, 30, 50, 70][i]  # bins of 20: two, two, one, one, none
        assert (await phone.respond(f"d{i}", dilemma, value))["type"] == "ack"
    result = await projector.until(
        lambda m: m.get("type") == "results" and m["tally"].get("n") == 6, timeout=10
    )
    assert result["tally"]["bins"] == [2, 2, 1, 1, 0]
    # the facilitator console on A sees the same figures, and presence counts both workers
    await console.until(lambda m: m.get("type") == "results" and m["tally"].get("n") == 6)
    await projector.until(lambda m: m.get("type") == "presence" and m["connected"] == 6, timeout=15)
    for staff in (staff_a, staff_b):
        tally = staff.http.get(f"/api/sessions/{sid}/results").json()["prompts"][0]["tally"]
        assert tally["n"] == 6 and tally["bins"] == [2, 2, 1, 1, 0]

    # shown and revealed on B: phones on A get it and then the results
    assert staff_b.http.post(f"/api/sessions/{sid}/show", json={"prompt_id": choice}).is_success
    for i, phone in enumerate(phones):
        await phone.until(
            lambda m: m.get("type") == "prompt" and (m["prompt"] or {}).get("id") == choice
        )
        assert (await phone.respond(f"c{i}", choice, "a" if i < 4 else "b"))["type"] == "ack"
    await projector.until(lambda m: m.get("type") == "results" and m["tally"].get("n") == 6)
    r = staff_b.http.post(f"/api/sessions/{sid}/prompts/{choice}/reveal", json={"visible": True})
    assert r.is_success, r.text
    for phone in phones:
        got = await phone.until(
            lambda m: m.get("type") == "results" and m.get("prompt_id") == choice, timeout=10
        )
        assert got["tally"]["counts"] == {"a": 4, "b": 2}

    # a resident's statement proposed on A, approved on B, votable on phones of both
    assert staff_a.http.post(f"/api/sessions/{sid}/show", json={"prompt_id": statements}).is_success
    token = join(a, code)["token"]
    r = httpx.post(
        f"{a.url}/api/me/statements",
        json={"id": "eigen-1", "prompt_id": statements, "text": "Meer groen"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 201, r.text
    card = r.json()
    await console.until(lambda m: m.get("type") == "moderation" and m["pending"] == 1)
    r = staff_b.http.post(
        f"/api/sessions/{sid}/cards/{card['id']}/moderate", json={"status": "approved"}
    )
    assert r.is_success, r.text
    for phone in phones:
        got = await phone.until(
            lambda m: (
                m.get("type") == "prompt"
                and len((m.get("prompt") or {}).get("statements", [])) == 3
            )
        )
        assert got["prompt"]["statements"][2]["text"] == "Meer groen"
    assert (
        await phones[0].respond("v", statements, {"statement_id": card["id"], "vote": "agree"})
    )["type"] == "ack"

    # closed on A: everyone on B hears it
    assert staff_a.http.post(f"/api/sessions/{sid}/close").is_success
    await projector.until(lambda m: m.get("type") == "session" and m["state"] == "closed")
    for phone in phones[1::2]:
        await phone.until(lambda m: m.get("type") == "session" and m["state"] == "closed")
    for phone in [*phones, projector, console]:
        await phone.close()


async def test_redis_restarted_under_load_refuses_then_recovers_and_nothing_acked_is_lost(
    workers: list[Server], redis_server: Redis
) -> None:
    a, b = workers
    staff = a.login()
    sid, pid, code = one_prompt_shown(staff, "Storing", DILEMMA)
    phones = await residents(workers, code, 10)
    voters = Voters(phones, pid)
    await voters.until(acks=20)
    redis_server.stop()
    for server in workers:
        body = await until_health(server, 503)
        assert body["bus"] == "down" and body["database"] == "ok"
    await voters.until(refused=10)  # votes go on meanwhile: every one is refused, none acked
    redis_server.start()
    for server in workers:
        assert (await until_health(server, 200))["bus"] == "ok"
    await voters.until(acks=20)  # acked again after the recovery
    expected = await voters.stop()
    assert voters.refused > 0

    # both workers agree with each other and with the last acked vote of every phone
    for server in workers:
        viewer = on(server, staff)
        deadline = asyncio.get_running_loop().time() + 10
        while True:
            tally = viewer.http.get(f"/api/sessions/{sid}/results").json()["prompts"][0]["tally"]
            if tally["bins"] == expected or asyncio.get_running_loop().time() > deadline:
                break
            await asyncio.sleep(0.1)
        assert tally["n"] == 10 and tally["bins"] == expected, (server.port, tally, expected)
    for phone in phones:
        await phone.close()


async def test_postgres_restarted_under_load_gives_503_not_acks_and_recovers(
    tmp_path: Path, postgres: Postgres
) -> None:
    server = Server(tmp_path / "one.sqlite3", database=postgres.new_database()).start()
    try:
        staff = server.login()
        sid, pid, code = one_prompt_shown(staff, "PG", DILEMMA)
        phones = await residents([server], code, 6)
        voters = Voters(phones, pid)
        await voters.until(acks=12)
        postgres.stop()
        body = await until_health(server, 503)
        assert body["database"] == "down"
        async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
            r = await http.post("/api/join", json={"code": code})
            assert r.status_code == 503 and r.json()["extra"]["code"] == "unavailable", r.text
        await voters.until(refused=1)
        postgres.start()
        await until_health(server, 200)
        await voters.until(acks=12)  # acked again after the recovery
        expected = await voters.stop()
        assert voters.refused > 0
        for phone in phones:
            await phone.close()

        # after a restart of our server too, the database holds exactly the last acked votes
        server.stop()
        server.start()
        again = server.login(staff.user["email"])
        tally = again.http.get(f"/api/sessions/{sid}/results").json()["prompts"][0]["tally"]
        assert tally["n"] == 6 and tally["bins"] == expected
    finally:
        server.stop()


async def test_serve_with_two_workers_on_one_port_counts_every_answer_once(
    tmp_path: Path, postgres: Postgres, redis_server: Redis
) -> None:
    """`samenspraak serve --workers 2`: one address, two processes; whichever worker a phone
    or a request lands on, the figures are the same."""
    server = Server(
        tmp_path / "pool.sqlite3",
        database=postgres.new_database(),
        bus=redis_server.url,
        args=("--workers", "2"),
    ).start()
    try:
        await until_health(server, 200)
        staff = server.login()
        sid, pid, code = one_prompt_shown(staff, "Pool", CHOICE)
        phones = await residents([server], code, 12)
        for i, phone in enumerate(phones):
            assert (await phone.respond(f"p{i}", pid, "a" if i < 8 else "b"))["type"] == "ack"
        seen: set[str] = set()
        for _ in range(200):  # a new connection each time: the kernel hands it to either worker
            async with httpx.AsyncClient(
                base_url=server.url, timeout=10, cookies=staff.http.cookies
            ) as http:
                body = (await http.get(f"/api/sessions/{sid}/results")).json()
                assert body["prompts"][0]["tally"]["counts"] == {"a": 8, "b": 4}, body
                seen.add((await http.get("/health")).json()["worker"])
            if len(seen) == 2:
                break
        assert len(seen) == 2, "every request went to one worker"
        for phone in phones:
            await phone.close()
    finally:
        assert server.stop() == 0
