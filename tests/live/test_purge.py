"""Retention: after the retention period the raw text is gone — from the API, the database file
and its WAL — while every aggregate is unchanged."""

from __future__ import annotations

import datetime as dt
import subprocess
import uuid
from pathlib import Path
from typing import Any

import httpx

from ..conftest import CLI, Server, Staff, join

SECRET_CARD = "Kaartje-7f3a-geheim"
SECRET_WORD = "woordxq"
SECRET_NOTE = "Notitie-91bd-geheim"
TODAY = dt.datetime.now(dt.UTC).date().isoformat()
PROMPTS: list[dict[str, Any]] = [
    {"kind": "dilemma", "title": "Dilemma", "left": "L", "right": "R"},
    {
        "kind": "open",
        "title": "Kaartjes",
        "moderated": True,
        "categories": [{"id": "zorg", "label": "Zorg"}, {"id": "kans", "label": "Kans"}],
    },
    {"kind": "words", "title": "Woorden"},
]


def answer(server: Server, token: str, pid: str, value: Any) -> None:
    r = httpx.put(
        f"{server.url}/api/me/responses/{pid}",
        json={"value": value},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert r.status_code == 200, r.text


def closed_session_with_text(server: Server, staff: Staff) -> tuple[str, dict[str, Any]]:
    made = staff.http.post("/api/sessions", json={"title": "Oud", "prompts": PROMPTS}).json()
    sid = made["id"]
    dilemma, cards, words = (p["id"] for p in made["prompts"])
    code = staff.http.post(f"/api/sessions/{sid}/start").json()["code"]
    for pid in (dilemma, cards, words):
        assert (
            staff.http.post(f"/api/sessions/{sid}/show", json={"prompt_id": pid}).status_code == 200
        )
    for i in range(6):
        token = join(server, code)["token"]
        answer(server, token, dilemma, i * 15)
        answer(server, token, words, [SECRET_WORD, f"buurt{i % 2}"])
        card = httpx.post(
            f"{server.url}/api/me/cards",
            json={
                "id": f"c{i}",
                "prompt_id": cards,
                "text": f"{SECRET_CARD} {i}",
                "category": ("zorg", "kans")[i % 2],
            },
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
        assert card.status_code == 201, card.text
        status = "approved" if i < 5 else "hidden"
        moderated = staff.http.post(
            f"/api/sessions/{sid}/cards/{card.json()['id']}/moderate", json={"status": status}
        )
        assert moderated.status_code == 200, moderated.text
    assert staff.http.post(f"/api/sessions/{sid}/close").status_code == 200
    return sid, staff.http.get(f"/api/sessions/{sid}/results").json()


def closed_round_with_text(staff: Staff, canvasser: Staff) -> tuple[str, dict[str, Any]]:
    rid = staff.http.post("/api/rounds", json={"title": "R", "areas": ["Noord"]}).json()["id"]
    for i in range(5):
        r = canvasser.http.put(
            f"/api/rounds/{rid}/notes/{uuid.uuid4()}",
            json={
                "area": "Noord",
                "day": TODAY,
                "part_of_day": "morning",
                "outcome": "conversation",
                "concern": i + 1,
                "text": f"{SECRET_NOTE} bel 06-1234567{i}",
            },
        )
        assert r.status_code == 201, r.text
    assert staff.http.post(f"/api/rounds/{rid}/close").status_code == 200
    return rid, staff.http.get(f"/api/rounds/{rid}/summary").json()


def purge(server: Server, now: str) -> str:
    out = subprocess.run(
        [*CLI, "purge", "--now", now], env=server.env(), check=True, capture_output=True
    )
    return out.stdout.decode() + out.stderr.decode()


def file_bytes(db: Path) -> bytes:
    return b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))


def test_purge_removes_the_text_and_keeps_every_aggregate(fresh_server: Server) -> None:
    fresh_server.start()
    staff = fresh_server.login(org="Gemeente Bewaar")
    canvasser = fresh_server.login(org="Gemeente Bewaar", role="canvasser")
    sid, before = closed_session_with_text(fresh_server, staff)
    rid, summary_before = closed_round_with_text(staff, canvasser)
    cards_before = next(p["tally"] for p in before["prompts"] if p["tally"]["kind"] == "open")
    assert cards_before["categories"] == {"kans": 2, "zorg": 3}
    assert SECRET_CARD in str(cards_before)
    fresh_server.stop()

    # within the retention period nothing happens
    soon = (dt.datetime.now(dt.UTC) + dt.timedelta(days=89)).isoformat()
    assert "purged 0 sessions" in purge(fresh_server, soon)
    late = (dt.datetime.now(dt.UTC) + dt.timedelta(days=91)).isoformat()
    said = purge(fresh_server, late)
    assert "purged 1 sessions (6 cards, 6 word answers) and 1 rounds (5 note texts)" in said
    # cards and note texts are gone from the file and its WAL; a word cloud is an aggregate
    # (word counts) and stays, while each person's word answers are deleted (counted above)
    for secret in (SECRET_CARD, SECRET_NOTE, "1234567"):
        assert secret not in said  # counts only
        if fresh_server.backend == "sqlite":
            assert secret.encode() not in file_bytes(fresh_server.db_path), secret
        else:
            assert not fresh_server.sql(
                "SELECT 1 FROM cards WHERE text LIKE ? UNION ALL "
                "SELECT 1 FROM notes WHERE text LIKE ?",
                (f"%{secret}%", f"%{secret}%"),
            )
    assert SECRET_WORD not in said
    assert "purged 0 sessions" in purge(fresh_server, late)  # once only

    fresh_server.start()
    again = fresh_server.login(staff.user["email"])
    after = again.http.get(f"/api/sessions/{sid}/results").json()
    for old, new in zip(before["prompts"], after["prompts"], strict=True):
        if old["tally"]["kind"] == "open":
            assert new["tally"]["cards"] == [] and new["tally"]["n"] == old["tally"]["n"]
            assert new["tally"]["categories"] == old["tally"]["categories"]
        else:
            assert new == old  # dilemma and words counts unchanged
    report = again.http.get(f"/api/sessions/{sid}/export.json").text
    assert SECRET_CARD not in report
    assert again.http.get(f"/api/rounds/{rid}/summary").json() == summary_before
    notes = again.http.get(f"/api/rounds/{rid}/notes").json()
    assert len(notes) == 5 and all(n["text"] is None and n["redactions"] == [] for n in notes)


def test_serve_purges_at_start_up_when_retention_is_zero_days(fresh_server: Server) -> None:
    fresh_server.start()
    staff = fresh_server.login(org="Gemeente Nul")
    sid, before = closed_session_with_text(fresh_server, staff)
    fresh_server.stop()
    fresh_server.start(SAMENSPRAAK_RETENTION_DAYS="0")
    again = fresh_server.login(staff.user["email"])
    deadline = dt.datetime.now() + dt.timedelta(seconds=10)
    while True:
        tally = next(
            p["tally"]
            for p in again.http.get(f"/api/sessions/{sid}/results").json()["prompts"]
            if p["tally"]["kind"] == "open"
        )
        if tally["cards"] == [] or dt.datetime.now() > deadline:
            break
    assert tally["cards"] == [] and tally["n"] == 6
    assert "purge: 1 sessions" in fresh_server.log_path.read_text()
