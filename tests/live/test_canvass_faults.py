"""kill -9 while canvassing batches arrive: every acknowledged note survives, and a full
re-sync afterwards stores every note exactly once (what the phone's outbox does)."""

from __future__ import annotations

import datetime as dt
import signal
import threading
import uuid
from typing import Any

import httpx

from ..conftest import Server

TODAY = dt.datetime.now(dt.UTC).date().isoformat()
BATCHES, PER_BATCH = 24, 100


def note(i: int) -> dict[str, Any]:
    return {
        "id": str(uuid.UUID(int=i + 1)),
        "area": ("Noord", "Zuid")[i % 2],
        "day": TODAY,
        "part_of_day": "evening",
        "outcome": "conversation",
        "topics": ["safety"],
        "concern": i % 5 + 1,
        "text": f"Notitie {i}, bel 06-1234567{i % 10}",
    }


def test_kill_9_in_the_middle_of_batches_loses_no_acknowledged_note(
    fresh_server: Server,
) -> None:
    fresh_server.start()
    organiser = fresh_server.login(org="Gemeente Fault")
    rid = organiser.http.post(
        "/api/rounds", json={"title": "Ronde", "areas": ["Noord", "Zuid"]}
    ).json()["id"]
    canvasser = fresh_server.create_staff(org="Gemeente Fault", role="canvasser")
    token = fresh_server.api_token(canvasser["email"])
    headers = {"Authorization": f"Bearer {token}"}
    notes = [note(i) for i in range(BATCHES * PER_BATCH)]
    batches = [notes[i : i + PER_BATCH] for i in range(0, len(notes), PER_BATCH)]

    acked: set[str] = set()
    answered = threading.Event()
    lock = threading.Lock()

    def send(batch: list[dict[str, Any]]) -> None:
        try:
            r = httpx.post(
                f"{fresh_server.url}/api/rounds/{rid}/notes:batch",
                json={"notes": batch},
                headers=headers,
                timeout=30,
            )
        except httpx.HTTPError:
            return  # killed mid-request: the phone keeps these in its outbox
        assert r.status_code == 200, r.text
        with lock:
            acked.update(x["id"] for x in r.json()["results"] if x["status"] in (200, 201))
        answered.set()

    # four phones at once, so that a kill always finds batches in flight
    threads = [threading.Thread(target=send, args=(b,)) for b in batches]
    for t in threads[:4]:
        t.start()
    assert answered.wait(30), "no batch was answered"
    for t in threads[4:]:
        t.start()
    fresh_server.stop(signal.SIGKILL)
    for t in threads:
        t.join(30)
    assert 0 < len(acked) < len(notes), "the kill should come while batches are in flight"

    fresh_server.start()
    stored = {n["id"] for n in organiser_notes(fresh_server, organiser.user["email"], rid)}
    assert acked <= stored  # every acknowledged note survived

    # the outbox re-sends everything it holds; nothing is stored twice, nothing conflicts
    for batch in batches:
        r = httpx.post(
            f"{fresh_server.url}/api/rounds/{rid}/notes:batch",
            json={"notes": batch},
            headers=headers,
            timeout=30,
        )
        statuses = {x["status"] for x in r.json()["results"]}
        assert statuses <= {200, 201}, r.text
    final = organiser_notes(fresh_server, organiser.user["email"], rid)
    assert len(final) == len(notes) == len({n["id"] for n in final})
    assert all("1234567" not in (n["text"] or "") for n in final)


def organiser_notes(server: Server, email: str, rid: str) -> list[dict[str, Any]]:
    again = server.login(email)
    r = again.http.get(f"/api/rounds/{rid}/notes")
    assert r.status_code == 200, r.text
    return list(r.json())
