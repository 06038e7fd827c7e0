"""Schemathesis against /schema/openapi.json of a real server: no request a client can send may
end in a 5xx ("Never a 500 for anything a client can send", shared/design/protocol.md).

Path parameters are pinned to real objects (a live session with answers, a card, a join code) so
the fuzzer reaches the handlers instead of stopping at 404. Staff operations run with a Bearer
API token, resident operations with a participant token.

`test_openapi_document_matches_what_the_server_answers` runs `--checks all`: the document
describes every status, content type and closed body the server uses (server/samenspraak/
routes/schema.py completes what Litestar cannot infer), and bodies are decoded strictly.
A 422 counts as an acceptable answer to schema-valid data: the rules a schema cannot state
(scale min below max, unique ids, every prompt listed once) are documented as 422.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

from ..conftest import Server

SCHEMATHESIS = str(Path(sys.executable).with_name("schemathesis"))
PASSING_CHECKS = [
    "not_a_server_error",
    "response_headers_conformance",
    "missing_required_header",
    "unsupported_method",
    "use_after_free",
    "ensure_resource_availability",
    "ignored_auth",
]
ALL_CHECKS = ["all"]
PROMPTS: list[dict[str, Any]] = [
    {"kind": "statements", "title": "Stellingen", "statements": [{"id": "s1", "text": "Een"}]},
    {
        "kind": "open",
        "title": "Kaarten",
        "categories": [{"id": "zorg", "label": "Zorg"}],
        "moderated": True,
    },
    {"kind": "dilemma", "title": "Dilemma", "left": "L", "right": "R"},
    {"kind": "scale", "title": "Schaal"},
    {
        "kind": "choice",
        "title": "Keuze",
        "options": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}],
    },
    {"kind": "words", "title": "Woorden"},
]


def toml_value(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid TOML basic string


def fixture_world(server: Server) -> dict[str, str]:
    """A staff token, a live session with a vote and a card, a second session for start/close."""
    account = server.create_staff()
    token = server.api_token(account["email"])
    staff = httpx.Client(
        base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    created = staff.post("/api/sessions", json={"title": "Fuzz", "prompts": PROMPTS})
    assert created.status_code == 201, created.text
    sid = created.json()["id"]
    session = staff.post(f"/api/sessions/{sid}/start").json()
    statements, cards = session["prompts"][0]["id"], session["prompts"][1]["id"]
    other = staff.post("/api/sessions", json={"title": "Fuzz 2", "prompts": PROMPTS[:1]}).json()[
        "id"
    ]

    rounds = [
        staff.post("/api/rounds", json={"title": f"Ronde {n}", "areas": ["Noord"]}).json()["id"]
        for n in (1, 2)
    ]
    assert staff.put(
        f"/api/rounds/{rounds[0]}/notes/fuzz-note",
        json={"area": "Noord", "day": "2026-01-01", "part_of_day": "morning", "outcome": "brief"},
    ).status_code in (201, 422)

    joined = httpx.post(f"{server.url}/api/join", json={"code": session["code"]}).json()["token"]
    resident = {"Authorization": f"Bearer {joined}"}
    assert staff.post(f"/api/sessions/{sid}/show", json={"prompt_id": cards}).status_code == 200
    card = httpx.post(
        f"{server.url}/api/me/cards",
        json={"id": "fuzz-card", "prompt_id": cards, "text": "Kaart"},
        headers=resident,
    )
    assert card.status_code == 201, card.text
    assert (
        staff.post(f"/api/sessions/{sid}/show", json={"prompt_id": statements}).status_code == 200
    )
    vote = httpx.put(
        f"{server.url}/api/me/responses/{statements}",
        json={"value": {"statement_id": "s1", "vote": "agree"}},
        headers=resident,
    )
    assert vote.status_code == 200, vote.text
    return {
        "staff_token": token,
        "resident_token": joined,
        "sid": sid,
        "other_sid": other,
        "pid": statements,
        "cards_pid": cards,
        "card_id": card.json()["id"],
        "code": session["code"],
        "rid": rounds[0],
        "other_rid": rounds[1],
    }


def config_file(tmp_path: Path, world: dict[str, str]) -> Path:
    """Pin path parameters to real objects; start/close get a session of their own and new
    cards go to the open `open` prompt."""
    path = tmp_path / "schemathesis.toml"
    lines = [
        "[parameters]",
        f'"path.sid" = {toml_value(world["sid"])}',
        f'"path.pid" = {toml_value(world["pid"])}',
        f'"path.card_id" = {toml_value(world["card_id"])}',
        f'"path.prompt_id" = {toml_value(world["pid"])}',
        f'"path.code" = {toml_value(world["code"])}',
        f'"path.rid" = {toml_value(world["rid"])}',
    ]
    lines += [
        "",
        "[[operations]]",
        'include-name = "POST /api/rounds/{rid}/close"',
        f'parameters = {{ "path.rid" = {toml_value(world["other_rid"])} }}',
    ]
    for name in ("POST /api/sessions/{sid}/close", "POST /api/sessions/{sid}/start"):
        lines += [
            "",
            "[[operations]]",
            f"include-name = {toml_value(name)}",
            f'parameters = {{ "path.sid" = {toml_value(world["other_sid"])} }}',
        ]
    lines += [
        "",
        "[[operations]]",
        'include-name = "POST /api/me/cards"',
        f'parameters = {{ "body.prompt_id" = {toml_value(world["cards_pid"])} }}',
    ]
    # Schema-valid bodies can still break rules a schema cannot state (scale min below max,
    # unique option ids, every prompt listed once): 422 invalid_value is documented for that.
    lines += [
        "",
        "[checks.positive_data_acceptance]",
        'expected-statuses = ["2xx", "401", "403", "404", "409", "422", "429"]',
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def run_schemathesis(
    server: Server, tmp_path: Path, config: Path, token: str, checks: list[str], *extra: str
) -> subprocess.CompletedProcess[str]:
    command = [
        SCHEMATHESIS,
        "--no-color",
        "--config-file",
        str(config),
        "run",
        f"{server.url}/schema/openapi.json",
        "--checks",
        ",".join(checks),
        "--header",
        f"Authorization: Bearer {token}",
        "--seed",
        "20240501",
        "--request-timeout",
        "10",
        "--output-truncate",
        "false",
        # one worker: several threads make CPython 3.11's ast.parse (used by Hypothesis to
        # describe strategies) fail with "AST constructor recursion depth mismatch"
        "--workers",
        "1",
        *extra,
    ]
    return subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=150)


def test_fuzzing_staff_operations_finds_no_server_error(
    live_server: Server, tmp_path: Path
) -> None:
    world = fixture_world(live_server)
    config = config_file(tmp_path, world)
    result = run_schemathesis(
        live_server,
        tmp_path,
        config,
        world["staff_token"],
        PASSING_CHECKS,
        "--max-examples",
        "25",
        "--exclude-tag",
        "residents",
    )
    assert result.returncode == 0, result.stdout[-20000:] + result.stderr[-5000:]


def test_fuzzing_resident_operations_finds_no_server_error(
    live_server: Server, tmp_path: Path
) -> None:
    world = fixture_world(live_server)
    config = config_file(tmp_path, world)
    result = run_schemathesis(
        live_server,
        tmp_path,
        config,
        world["resident_token"],
        PASSING_CHECKS,
        "--max-examples",
        "60",
        "--include-tag",
        "residents",
    )
    assert result.returncode == 0, result.stdout[-20000:] + result.stderr[-5000:]


def test_openapi_document_matches_what_the_server_answers(
    live_server: Server, tmp_path: Path
) -> None:
    world = fixture_world(live_server)
    config = config_file(tmp_path, world)
    result = run_schemathesis(
        live_server,
        tmp_path,
        config,
        world["staff_token"],
        ALL_CHECKS,
        "--max-examples",
        "10",
        "--phases",
        "coverage,fuzzing",
    )
    assert result.returncode == 0, result.stdout[-20000:]
