"""Aggregate-only exports of a session (docs/data.md): export.json, export.csv and report.html
against a real server, with a session that has opinion groups, a before/after pair, hidden
prompts and cards that were hidden or never moderated."""

from __future__ import annotations

import csv
import io
import json
import re
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.sync.client import connect

from ..conftest import Server, Staff

DOC = Path(__file__).resolve().parents[2] / "docs" / "data.md"
TEMPLATE = "opvang-vluchtelingen"  # 12 prompts; its opening and closing dilemma are a pair
CROWD = 12  # two camps of 6: enough for two opinion groups of at least MIN_GROUP (5)
XSS_CARDS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">klik</a> javascript:alert(1)',
    '<svg onload=alert(1)><script>alert("svg")</script></svg>',
    "\u202eRTL-override\u202c \u2067geïsoleerd\u2069 en 'quotes' \"dubbel\"",
    '=HYPERLINK("http://example.invalid","klik")',
    "y" * 280,
]
XSS_WORDS = ["<script>alert(1)</script>", "javascript:alert(1)", "<svg onload=alert(1)>", "=som"]


@dataclass
class World:
    """A live session from the template, answered by a crowd in two camps."""

    server: Server
    staff: Staff
    session: dict[str, Any]
    tokens: list[str]
    secrets: list[str] = field(default_factory=list)  # texts of hidden and pending cards
    notes: list[str] = field(default_factory=list)  # facilitator notes of the prompts

    @property
    def sid(self) -> str:
        return str(self.session["id"])

    def prompt(self, index: int) -> dict[str, Any]:
        return dict(self.session["prompts"][index])

    def get(self, path: str) -> httpx.Response:
        r = self.staff.http.get(f"/api/sessions/{self.sid}/{path}")
        assert r.status_code == 200, r.text
        return r

    def results(self) -> dict[str, dict[str, Any]]:
        body = self.get("results").json()
        return {p["prompt_id"]: p["tally"] for p in body["prompts"]}


# The template's prompts, by position.
SCALE, WORDS, WORRIES, TOPICS, WHO, BEFORE, POLARITY, STATEMENTS = range(8)
PERSPECTIVE, STEPS, HEARD, AFTER = range(8, 12)
CAMP_A = {"s1": "agree", "s2": "agree", "s3": "disagree", "s4": "agree", "s5": "agree",
          "s6": "disagree", "s7": "agree"}  # fmt: skip
CAMP_B = {"s1": "agree", "s2": "disagree", "s3": "agree", "s4": "agree", "s5": "disagree",
          "s6": "agree", "s7": "pass"}  # fmt: skip
BEFORE_VALUES = [10, 15, 20, 25, 30, 45, 55, 70, 80, 85, 90, 95]
AFTER_VALUES = [30, 35, 40, 45, 50, 55, 45, 50, 60, 65, 70, 80]


def build_world(
    server: Server, *, title: str = "Buurtavond", words: list[str] = XSS_WORDS
) -> World:
    """Every prompt shown; the crowd answers most of them; some prompts get fewer than
    MIN_GROUP answers (hidden); one card is hidden and one left pending; then wait until the
    statements prompt has opinion groups."""
    staff = server.login()
    session = staff.new_live_session(TEMPLATE, title=title)
    world = World(server, staff, session, [])
    for p in session["prompts"]:
        staff.show(session, p)
        if p.get("notes"):
            world.notes.append(p["notes"])
    with httpx.Client(base_url=server.url, timeout=10) as http:
        for _ in range(CROWD):
            r = http.post("/api/join", json={"code": session["code"]})
            assert r.status_code == 201, r.text
            world.tokens.append(r.json()["token"])

        def answer(i: int, index: int, value: Any) -> None:
            r = http.put(
                f"/api/me/responses/{world.prompt(index)['id']}",
                json={"value": value},
                headers={"Authorization": f"Bearer {world.tokens[i]}"},
            )
            assert r.status_code == 200, r.text

        def card(i: int, index: int, text: str, category: str | None) -> None:
            body = {"id": secrets.token_hex(8), "prompt_id": world.prompt(index)["id"]}
            r = http.post(
                "/api/me/cards",
                json={**body, "text": text, "category": category},
                headers={"Authorization": f"Bearer {world.tokens[i]}"},
            )
            assert r.status_code in (200, 201), r.text

        for i in range(CROWD):
            camp_a = i < CROWD // 2
            answer(i, SCALE, 1 + i % 5)
            answer(i, WORDS, [words[i] if i < len(words) else ("rust" if camp_a else "samen")])
            answer(i, TOPICS, ["veilig", "info"] if camp_a else ["contact"])
            answer(i, BEFORE, BEFORE_VALUES[i])
            answer(i, AFTER, AFTER_VALUES[i])
            for sid, vote in (CAMP_A if camp_a else CAMP_B).items():
                answer(i, STATEMENTS, {"statement_id": sid, "vote": vote})
        for i in range(3):  # fewer than MIN_GROUP: these stay hidden
            answer(i, WHO, "raad")
            answer(i, HEARD, 4)
        world.secrets = [
            f"GEHEIM-VERBORGEN-{secrets.token_hex(6)}",
            f"GEHEIM-WACHTEND-{secrets.token_hex(6)}",
        ]
        card(0, WORRIES, world.secrets[0], "zorgen")
        card(1, WORRIES, world.secrets[1], "vragen")
        for i, text in enumerate(XSS_CARDS):
            card(2 + i % 6, WORRIES, text, ["zorgen", "vragen", "ideeen", None][i % 4])
        for i, category in enumerate(["plus_a", "plus_b", "min_a", "min_b", "plus_a", None]):
            card(i, POLARITY, f"Kaartje {i} over {category or 'niets'}", category)
    for index in (WORRIES, POLARITY):
        url = f"/api/sessions/{world.sid}/prompts/{world.prompt(index)['id']}/cards"
        for c in staff.http.get(url, params={"status": "pending"}).json():
            if c["text"] == world.secrets[1]:
                continue  # never moderated
            status = "hidden" if c["text"] == world.secrets[0] else "approved"
            r = staff.http.post(
                f"/api/sessions/{world.sid}/cards/{c['id']}/moderate", json={"status": status}
            )
            assert r.status_code == 200, r.text
    wait_for_groups(world)
    return world


def wait_for_groups(world: World, timeout: float = 20) -> None:
    """Opinion groups are computed in the background (every ~2 s) and pushed to presenters:
    wait on a presenter socket for the `results` that carries them (an event, not a poll)."""
    statements = world.prompt(STATEMENTS)["id"]
    if world.results()[statements].get("groups"):
        return
    ticket = world.staff.http.post(f"/api/sessions/{world.sid}/ws-ticket").json()["ticket"]
    deadline = time.monotonic() + timeout
    with connect(world.server.ws_url) as socket:
        socket.send(json.dumps({"type": "hello", "ticket": ticket, "role": "presenter"}))
        socket.recv(timeout=timeout)  # the welcome: from here on every new result is pushed
        if world.results()[statements].get("groups"):
            return  # computed while the socket connected
        while True:
            left = deadline - time.monotonic()
            assert left > 0, f"no opinion groups after {timeout} s"
            message = json.loads(socket.recv(timeout=left))
            tally = (message.get("results") or message).get("tally") or {}
            if tally.get("kind") == "statements" and tally.get("groups"):
                return


def export_csv(world: World) -> list[dict[str, str]]:
    r = world.get("export.csv")
    assert r.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(r.text)))


@pytest.fixture(scope="module")
def world(live_server: Server) -> World:
    return build_world(live_server)


# ---- reading docs/data.md ----
def documented() -> tuple[set[str], set[str]]:
    """(JSON field names, CSV column names) from the tables of the dialogue-session section."""
    text = DOC.read_text(encoding="utf-8")
    start = text.index("## Dialogue sessions — export.json / export.csv")
    section = text[start:]
    csv_part = section[section.index("### export.csv") :]
    json_part = section[: section.index("### export.csv")]

    def first_cells(part: str) -> set[str]:
        names: set[str] = set()
        for line in part.splitlines():
            if line.startswith("| `"):
                cell = line.split("|")[1]
                for name in re.findall(r"`([^`]+)`", cell):
                    names.update(re.split(r"[.\[\]]+", name.strip(".")))
        return {n for n in names if n}

    return first_cells(json_part), first_cells(csv_part)


DATA_KEYED = {"counts", "categories"}  # objects whose keys are data (values, option/box ids)


def keys_of(value: Any, inside: str = "") -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if inside in DATA_KEYED and not isinstance(item, (dict, list)):
                continue
            yield key
            yield from keys_of(item, key)
    elif isinstance(value, list):
        for item in value:
            yield from keys_of(item, inside)


# ---- tests ----
def test_canvassing_section_of_the_data_dictionary_is_still_there() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert "## Canvassing notes — `GET /api/rounds/{rid}/export.csv`" in text
    assert "| `us_them_about` |" in text


def test_every_json_field_and_csv_column_is_documented(world: World) -> None:
    fields, columns = documented()
    body = world.get("export.json").json()
    assert sorted(set(keys_of(body)) - fields) == []
    header = next(csv.reader(io.StringIO(world.get("export.csv").text)))
    assert sorted(set(header) - columns) == []
    assert len(header) == len(set(header))


def test_export_json_has_the_session_the_prompts_and_the_pairs(world: World) -> None:
    body = world.get("export.json").json()
    assert body["schema"] == "samenspraak.session/1"
    assert body["session"] == {
        "id": world.sid,
        "title": "Buurtavond",
        "neighbourhood": None,
        "language": "nl",
        "state": "live",
        "created_at": world.session["created_at"],
        "closed_at": None,
        "participants": CROWD,
        "min_group": 5,
    }
    assert [p["id"] for p in body["prompts"]] == [p["id"] for p in world.session["prompts"]]
    results = world.results()
    for p, prompt in zip(body["prompts"], world.session["prompts"], strict=True):
        assert set(p) == {"id", "position", "kind", "phase", "title", "definition", "tally"}
        assert (p["kind"], p["phase"], p["title"]) == (
            prompt["kind"],
            prompt["phase"],
            prompt["title"],
        )
        assert "notes" not in p["definition"] and "title" not in p["definition"]
        staff_tally = {k: v for k, v in results[p["id"]].items() if k != "points"}
        assert p["tally"] == staff_tally | with_defaults(staff_tally)
    dilemma = body["prompts"][BEFORE]["definition"]
    assert dilemma["pair"] == "kern" and dilemma["bins"] == 7 and dilemma["left"]


def with_defaults(tally: dict[str, Any]) -> dict[str, Any]:
    """The JSON export states `group: 0` and `hidden: false`, which /results leaves out."""
    out: dict[str, Any] = {}
    if "by_group" in tally:
        out["by_group"] = [
            {"group": i, "hidden": False, **g} for i, g in enumerate(tally["by_group"])
        ]
    if "before" in tally:
        before = dict(tally["before"])
        for key in ("overall_before", "paired"):
            if before.get(key) is not None:
                before[key] = {"hidden": False, **before[key]}
        out["before"] = before
    return out


def test_no_token_participant_hidden_card_note_or_map_dot_in_any_export(world: World) -> None:
    bodies = {path: world.get(path).text for path in ("export.json", "export.csv", "report.html")}
    hashes = [
        row[0]
        for row in world.server.sql(
            "SELECT token_hash FROM participants WHERE session_id = ?", (world.sid,)
        )
    ]
    assert len(hashes) == CROWD
    forbidden = [*world.tokens, *hashes, *world.secrets, *(n[:60] for n in world.notes)]
    for path, body in bodies.items():
        for text in forbidden:
            assert text not in body, (path, text)
    assert world.notes, "the template has facilitator notes to leak"
    body = world.get("export.json").json()
    names = set(keys_of(body))
    assert not names & {"points", "participant", "participant_id", "who", "token", "notes"}
    header = next(csv.reader(io.StringIO(bodies["export.csv"])))
    assert not {c for c in header if "participant" in c or "token" in c}


def test_csv_carries_the_same_numbers_as_the_json(world: World) -> None:
    body = world.get("export.json").json()
    rows = export_csv(world)
    by_prompt: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        assert row["session_id"] == world.sid
        by_prompt.setdefault(row["prompt_id"], []).append(row)
    for p in body["prompts"]:
        mine = by_prompt[p["id"]]
        assert {(r["prompt_kind"], r["prompt_position"]) for r in mine} == {
            (p["kind"], str(p["position"]))
        }
        assert {unquote(r["prompt_title"]) for r in mine} == {p["title"]}
        check_result_rows(p, [r for r in mine if r["section"] == "result"])
        check_group_rows(p, mine)
        check_by_group_rows(p, [r for r in mine if r["section"] == "by_group"])
    pair_rows = [r for r in rows if r["section"] == "pair"]
    assert body["pairs"], "the template has a before/after pair"
    for pair in body["pairs"]:
        mine = {r["item"]: r for r in pair_rows if r["pair"] == pair["pair"]}
        assert {r["prompt_id"] for r in mine.values()} == {pair["after_prompt_id"]}
        assert {r["before_prompt_id"] for r in mine.values()} == {pair["before_prompt_id"]}
        assert {k: num(r["value"]) for k, r in mine.items()} == flat_measures(pair)


def unquote(cell: str) -> str:
    """Undo the formula guard: a leading ' before = + - @ tab or CR."""
    return cell[1:] if cell[:1] == "'" and cell[1:2] in ("=", "+", "-", "@", "\t", "\r") else cell


def num(cell: str) -> float | int | None:
    if cell == "":
        return None
    return float(cell) if "." in cell or "e" in cell else int(cell)


def check_result_rows(p: dict[str, Any], rows: list[dict[str, str]]) -> None:
    tally = p["tally"]
    assert {(r["n"], r["hidden"]) for r in rows} == {
        (str(tally["n"]), "1" if tally.get("hidden") else "0")
    }
    if tally.get("hidden"):
        assert len(rows) == 1 and rows[0]["item"] == "" and rows[0]["count"] == ""
        return
    kind = tally["kind"]
    items = {(r["item_type"], unquote(r["item"])): r for r in rows if r["item_type"]}
    if kind == "dilemma":
        assert {int(i): int(r["count"]) for (_, i), r in items.items()} == dict(
            enumerate(tally["bins"])
        )
        for key in ("mean", "middle_share", "polarisation"):
            assert {num(r[key]) for r in rows} == {tally[key]}
    elif kind in ("scale", "choice"):
        assert {i: int(r["count"]) for (_, i), r in items.items()} == tally["counts"]
        if kind == "scale":
            assert {num(r["mean"]) for r in rows} == {tally["mean"]}
    elif kind == "words":
        assert {i: int(r["count"]) for (_, i), r in items.items()} == {
            w["word"]: w["count"] for w in tally["words"]
        }
    elif kind == "open":
        assert {i: int(r["count"]) for (t, i), r in items.items() if t == "category"} == tally[
            "categories"
        ]
        cards = {
            i: (unquote(r["label"]), r["category"] or None)
            for (t, i), r in items.items()
            if t == "card"
        }
        assert cards == {c["id"]: (c["text"], c["category"]) for c in tally["cards"]}
    elif kind == "statements":
        assert {
            i: (int(r["agree"]), int(r["disagree"]), int(r["pass"]), unquote(r["label"]))
            for (_, i), r in items.items()
        } == {
            s["id"]: (s["agree"], s["disagree"], s["pass"], s["text"]) for s in tally["statements"]
        }
        assert {num(r["grouped"]) for r in rows} == {tally.get("grouped")}


def check_group_rows(p: dict[str, Any], rows: list[dict[str, str]]) -> None:
    tally = p["tally"]
    groups = [r for r in rows if r["section"] == "group"]
    expected = {
        (g["id"], g["size"], s["statement_id"], s["direction"], s["share_in_group"],
         s["share_elsewhere"], s["z"])
        for g in tally.get("groups") or [] for s in g["statements"]
    }  # fmt: skip
    assert {
        (int(r["group"]), int(r["n"]), r["item"], r["direction"], num(r["share_in_group"]),
         num(r["share_elsewhere"]), num(r["z"]))
        for r in groups if r["item"]
    } == expected  # fmt: skip
    bridging = [r for r in rows if r["section"] == "bridging"]
    assert [(r["item"], num(r["score"]), num(r["agree_share"])) for r in bridging] == [
        (b["statement_id"], b["score"], b["agree_share"]) for b in tally.get("bridging") or []
    ]


def check_by_group_rows(p: dict[str, Any], rows: list[dict[str, str]]) -> None:
    expected: dict[tuple[int, str], Any] = {}
    for g in p["tally"].get("by_group") or []:
        if g["hidden"]:
            expected[(g["group"], "")] = (g["n"], "1", None, None, None)
        for i, count in enumerate(g.get("bins") or []):
            expected[(g["group"], str(i))] = (g["n"], "0", count, g["mean"], g["middle_share"])
    assert {
        (int(r["group"]), r["item"]): (
            int(r["n"]), r["hidden"], num(r["count"]), num(r["mean"]), num(r["middle_share"])
        )
        for r in rows
    } == expected  # fmt: skip


def flat_measures(pair: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for side in ("overall_before", "overall_after", "paired"):
        for key, value in (pair[side] or {}).items():
            if key == "bins":
                out.update({f"{side}.bin{i}": c for i, c in enumerate(value)})
            elif key != "hidden" and value is not None:
                out[f"{side}.{key}"] = value
    for key in ("mean_shift", "middle_shift"):
        if pair[key] is not None:
            out[key] = pair[key]
    return out


def test_hidden_prompts_show_no_distribution_anywhere(world: World) -> None:
    body = world.get("export.json").json()
    rows = export_csv(world)
    report = world.get("report.html").text
    hidden = {WHO: 3, HEARD: 3, PERSPECTIVE: 0, STEPS: 0}
    for index, n in hidden.items():
        pid = world.prompt(index)["id"]
        tally = body["prompts"][index]["tally"]
        assert tally == {"kind": world.prompt(index)["kind"], "n": n, "hidden": True}
        mine = [r for r in rows if r["prompt_id"] == pid]
        assert len(mine) == 1 and mine[0]["hidden"] == "1" and mine[0]["n"] == str(n)
        assert all(mine[0][c] == "" for c in ("item", "label", "count", "mean", "agree"))
        section = re.search(
            rf'<section class="prompt"[^>]*data-prompt-id="{pid}".*?</section>', report, re.S
        )
        assert section is not None
        assert 'data-hidden="true"' in section.group(0)
        assert "<svg" not in section.group(0) and "<table" not in section.group(0)
    assert "Te weinig antwoorden om te tonen" in report


def test_a_session_with_groups_exports_groups_bridging_and_the_dilemma_by_group(
    world: World,
) -> None:
    body = world.get("export.json").json()
    tally = body["prompts"][STATEMENTS]["tally"]
    assert [g["size"] for g in tally["groups"]] == [6, 6]
    assert tally["grouped"] == CROWD and "points" not in tally
    distinct = {s["statement_id"] for g in tally["groups"] for s in g["statements"]}
    assert distinct and distinct <= {"s2", "s3", "s5", "s6", "s7"}
    assert {b["statement_id"] for b in tally["bridging"][:2]} == {"s1", "s4"}
    for index in (BEFORE, AFTER):
        split = body["prompts"][index]["tally"]["by_group"]
        assert [(g["group"], g["n"], g["hidden"]) for g in split] == [(0, 6, False), (1, 6, False)]
    rows = export_csv(world)
    assert {r["section"] for r in rows} == {"result", "group", "bridging", "by_group", "pair"}
    report = world.get("report.html").text
    assert report.count('class="dot dot--') >= CROWD  # the map's dots (report only)
    binds = re.search(r'<ol class="binds">(.*?)</ol>', report, re.S)
    assert binds is not None  # "what binds": only what every group supports, not s2 … s7
    assert re.findall(r'data-statement="(\w+)"', binds.group(1)) == ["s1", "s4"]


def test_a_before_after_pair_exports_the_shift(world: World) -> None:
    body = world.get("export.json").json()
    [pair] = body["pairs"]
    before, after = world.prompt(BEFORE)["id"], world.prompt(AFTER)["id"]
    assert (pair["pair"], pair["before_prompt_id"], pair["after_prompt_id"]) == (
        "kern",
        before,
        after,
    )
    mean_before = sum(BEFORE_VALUES) / CROWD
    mean_after = sum(AFTER_VALUES) / CROWD
    assert pair["overall_before"]["mean"] == pytest.approx(mean_before, abs=1e-4)
    assert pair["overall_after"]["mean"] == pytest.approx(mean_after, abs=1e-4)
    assert pair["mean_shift"] == pytest.approx(mean_after - mean_before, abs=1e-3)
    middle = [40 <= v <= 60 for v in AFTER_VALUES].count(True) / CROWD
    assert pair["overall_after"]["middle_share"] == pytest.approx(middle, abs=1e-4)
    assert pair["paired"]["n"] == CROWD and not pair["paired"]["hidden"]
    assert pair["paired"]["to_middle"] == sum(
        not 40 <= b <= 60 and 40 <= a <= 60
        for b, a in zip(BEFORE_VALUES, AFTER_VALUES, strict=True)
    )
    later = body["prompts"][AFTER]["tally"]["before"]
    assert later["mean_shift"] == pair["mean_shift"] and later["paired"] == pair["paired"]
    report = world.get("report.html").text
    assert 'data-pair="kern"' in report and 'class="shift-mean"' in report


def test_csv_cells_that_look_like_formulas_are_quoted(world: World) -> None:
    text = world.get("export.csv").text
    rows = export_csv(world)
    labels = {r["label"] for r in rows}
    assert "'=som" in {r["item"] for r in rows}
    assert any(label.startswith("'=HYPERLINK(") for label in labels)
    for row in rows:
        for value in row.values():
            if re.fullmatch(r"-?\d+(\.\d+)?(e-?\d+)?", value) is None:  # numbers are numbers
                assert value[:1] not in ("=", "+", "-", "@", "\t", "\r"), value
    assert text.splitlines()[0].startswith("section,session_id,")


def test_a_pair_with_a_hidden_side_has_no_shift(live_server: Server) -> None:
    staff = live_server.login()
    prompts = [
        {"kind": "dilemma", "title": "Eerst", "left": "L", "right": "R", "pair": "p"},
        {"kind": "dilemma", "title": "Daarna", "left": "L", "right": "R", "pair": "p"},
    ]
    session = staff.new_live_session(template=None, prompts=prompts)
    for p in session["prompts"]:
        staff.show(session, p)
    with httpx.Client(base_url=live_server.url, timeout=10) as http:
        for i in range(6):
            token = http.post("/api/join", json={"code": session["code"]}).json()["token"]
            auth = {"Authorization": f"Bearer {token}"}
            for p, value in zip(session["prompts"], (20 * (i % 5), 50), strict=True):
                if p["title"] == "Daarna" and i >= 2:
                    continue  # only two answer the second time: hidden
                r = http.put(f"/api/me/responses/{p['id']}", json={"value": value}, headers=auth)
                assert r.status_code == 200, r.text
    body = staff.http.get(f"/api/sessions/{session['id']}/export.json").json()
    [pair] = body["pairs"]
    assert pair["overall_before"]["n"] == 6 and not pair["overall_before"]["hidden"]
    assert pair["overall_after"] == {"n": 2, "hidden": True}
    assert pair["mean_shift"] is None and pair["middle_shift"] is None
    assert pair["paired"] == {"n": 2, "hidden": True}
    rows = list(
        csv.DictReader(
            io.StringIO(staff.http.get(f"/api/sessions/{session['id']}/export.csv").text)
        )
    )
    measures = {r["item"]: r["hidden"] for r in rows if r["section"] == "pair"}
    assert measures["overall_after.n"] == "1" and measures["paired.n"] == "1"
    assert not any(k.startswith("overall_after.bin") or k == "mean_shift" for k in measures)


def test_a_closed_session_states_when_it_closed_and_the_report_speaks_english(
    live_server: Server,
) -> None:
    staff = live_server.login()
    session = staff.new_live_session(template=None, prompts=[{"kind": "words", "title": "W"}])
    sid = session["id"]
    assert staff.http.patch(f"/api/sessions/{sid}", json={"language": "en"}).status_code == 200
    assert staff.http.post(f"/api/sessions/{sid}/close").status_code == 200
    body = staff.http.get(f"/api/sessions/{sid}/export.json").json()
    assert body["session"]["state"] == "closed" and body["session"]["closed_at"]
    assert body["session"]["closed_at"] >= body["session"]["created_at"]
    report = staff.http.get(f"/api/sessions/{sid}/report.html").text
    assert '<html lang="en">' in report and "How to read this report" in report
    assert "Too few answers to show" in report
    assert '<link rel="stylesheet" href="/app/css/report.css">' in report
    assert "<script" not in report and "style=" not in report and "<style" not in report
