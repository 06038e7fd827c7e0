"""Resident routes over HTTP against a real server: join by code, the current session, answers
and cards (shared/design/protocol.md, Residents), and what staff then see in /results."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from ..conftest import Server, Staff, assert_error

OPTIONS = [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}, {"id": "c", "label": "C"}]
PROMPTS: list[dict[str, Any]] = [
    {
        "kind": "dilemma",
        "title": "Dilemma",
        "left": "Rust",
        "right": "Welkom",
        "bins": 5,
        "notes": "Alleen voor staf",
    },
    {"kind": "scale", "title": "Schaal", "min": 1, "max": 5},
    {"kind": "choice", "title": "Keuze", "options": OPTIONS},
    {"kind": "choice", "title": "Meerkeuze", "options": OPTIONS, "multi": True, "max_choices": 2},
    {
        "kind": "open",
        "title": "Kaarten",
        "categories": [{"id": "zorg", "label": "Zorg"}, {"id": "idee", "label": "Idee"}],
        "max_cards": 2,
        "moderated": True,
    },
    {"kind": "open", "title": "Vrije kaarten", "moderated": False, "max_cards": 3},
    {"kind": "words", "title": "Woorden", "max_words": 2},
    {
        "kind": "statements",
        "title": "Stellingen",
        "statements": [{"id": "s1", "text": "Een"}, {"id": "s2", "text": "Twee"}],
    },
]
PUBLIC_SESSION_FIELDS = {
    "id",
    "title",
    "neighbourhood",
    "state",
    "code",
    "join_url",
    "current_prompt_id",
    "language",
    "min_group",
}


# ---- helpers ----


@dataclass
class Resident:
    server: Server
    token: str
    joined: dict[str, Any]

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def answer(self, prompt_id: str, value: Any) -> httpx.Response:
        return httpx.put(
            f"{self.server.url}/api/me/responses/{prompt_id}",
            json={"value": value},
            headers=self.auth,
            timeout=10,
        )

    def card(
        self, prompt_id: str, cid: str, text: str, category: str | None = None
    ) -> httpx.Response:
        body: dict[str, Any] = {"id": cid, "prompt_id": prompt_id, "text": text}
        if category is not None:
            body["category"] = category
        return httpx.post(
            f"{self.server.url}/api/me/cards", json=body, headers=self.auth, timeout=10
        )

    def session(self) -> dict[str, Any]:
        r = httpx.get(f"{self.server.url}/api/me/session", headers=self.auth, timeout=10)
        assert r.status_code == 200, r.text
        return dict(r.json())


def join(server: Server, code: str) -> Resident:
    r = httpx.post(f"{server.url}/api/join", json={"code": code}, timeout=10)
    assert r.status_code == 201, r.text
    return Resident(server, r.json()["token"], r.json())


def crowd(server: Server, session: dict[str, Any], size: int) -> list[Resident]:
    return [join(server, session["code"]) for _ in range(size)]


def live(staff: Staff, prompts: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return staff.new_live_session(template=None, prompts=prompts or PROMPTS)


def prompt(session: dict[str, Any], title: str) -> dict[str, Any]:
    return next(p for p in session["prompts"] if p["title"] == title)


def shown(staff: Staff, session: dict[str, Any], title: str) -> str:
    p = prompt(session, title)
    staff.show(session, p)
    return str(p["id"])


def tally(staff: Staff, session: dict[str, Any], prompt_id: str) -> dict[str, Any]:
    r = staff.http.get(f"/api/sessions/{session['id']}/results")
    assert r.status_code == 200, r.text
    assert r.json()["session_id"] == session["id"]
    return dict(next(p["tally"] for p in r.json()["prompts"] if p["prompt_id"] == prompt_id))


def all_answer(residents: list[Resident], prompt_id: str, values: list[Any]) -> None:
    for resident, value in zip(residents, values, strict=True):
        r = resident.answer(prompt_id, value)
        assert r.status_code == 200, r.text


# ---- join ----
def test_join_answers_201_with_a_token_and_the_public_session(live_server: Server) -> None:
    staff = live_server.login()
    session = live(staff)
    r = httpx.post(f"{live_server.url}/api/join", json={"code": session["code"]})
    assert r.status_code == 201, r.text
    body = r.json()
    assert isinstance(body["token"], str) and len(body["token"]) >= 16
    public = body["session"]
    assert set(public) >= PUBLIC_SESSION_FIELDS
    assert (public["id"], public["title"], public["state"], public["code"]) == (
        session["id"],
        "Buurtavond",
        "live",
        session["code"],
    )
    assert public["join_url"] == f"{live_server.url}/j/{session['code']}"
    assert public["min_group"] == 5


def test_joining_counts_participants(live_server: Server) -> None:
    staff = live_server.login()
    session = live(staff)
    crowd(live_server, session, 3)
    assert staff.http.get(f"/api/sessions/{session['id']}").json()["participants"] == 3


def test_each_join_gets_its_own_token(live_server: Server) -> None:
    staff = live_server.login()
    session = live(staff)
    tokens = {r.token for r in crowd(live_server, session, 3)}
    assert len(tokens) == 3


@pytest.mark.parametrize(
    "transform", [str.lower, str.upper, lambda c: c[:3].lower() + c[3:], lambda c: f"  {c}  "]
)
def test_join_code_is_case_insensitive(live_server: Server, transform: Any) -> None:
    staff = live_server.login()
    session = live(staff)
    resident = join(live_server, transform(session["code"]))
    assert resident.joined["session"]["id"] == session["id"]


def test_join_with_an_unknown_code_is_404_code_unknown(live_server: Server) -> None:
    staff = live_server.login()
    session = live(staff)
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    # a well-formed code that differs from the live one in its first character
    unknown = (
        alphabet[(alphabet.index(session["code"][0]) + 1) % len(alphabet)] + session["code"][1:]
    )
    for code in (unknown, "000000", "OOOOOO", "ABC", "ABCDEFG", "ab-cde"):
        assert_error(
            httpx.post(f"{live_server.url}/api/join", json={"code": code}), 404, "code_unknown"
        )


@pytest.mark.parametrize(
    "body", [{}, {"code": ""}, {"code": 123456}, {"code": None}, {"code": "A" * 17}, [], "AAAAAA"]
)
def test_join_with_a_malformed_body_is_400(live_server: Server, body: Any) -> None:
    assert_error(httpx.post(f"{live_server.url}/api/join", json=body), 400, "invalid_body")


def test_a_closed_sessions_code_is_404_code_unknown(live_server: Server) -> None:
    staff = live_server.login()
    session = live(staff)
    join(live_server, session["code"])
    assert staff.http.post(f"/api/sessions/{session['id']}/close").status_code == 200
    r = httpx.post(f"{live_server.url}/api/join", json={"code": session["code"]})
    assert_error(r, 404, "code_unknown")
    assert_error(
        httpx.get(f"{live_server.url}/api/join/{session['code']}/qr.svg"), 404, "code_unknown"
    )


def test_public_join_qr_is_an_svg_for_a_live_code_in_any_case(live_server: Server) -> None:
    staff = live_server.login()
    session = live(staff)
    for code in (session["code"], session["code"].lower()):
        r = httpx.get(f"{live_server.url}/api/join/{code}/qr.svg")
        assert r.status_code == 200, r.text
        assert r.headers["content-type"].split(";")[0] == "image/svg+xml"
        assert b"<svg" in r.content
    assert_error(httpx.get(f"{live_server.url}/api/join/ZZZZZZ/qr.svg"), 404, "code_unknown")


def test_join_link_serves_the_app(live_server: Server) -> None:
    staff = live_server.login()
    session = live(staff)
    r = httpx.get(f"{live_server.url}/j/{session['code']}")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert "<html" in r.text.lower()


def test_join_link_names_its_charset_once(live_server: Server) -> None:
    r = httpx.get(f"{live_server.url}/j/ABCDEF")
    assert r.headers["content-type"].replace(" ", "").lower() == "text/html;charset=utf-8"


# ---- the current session ----
def test_me_session_without_a_token_is_401(live_server: Server) -> None:
    assert_error(httpx.get(f"{live_server.url}/api/me/session"), 401, "not_authenticated")
    r = httpx.get(f"{live_server.url}/api/me/session", headers={"Authorization": "Bearer nope"})
    assert_error(r, 401, "not_authenticated")


def test_me_session_shows_the_current_prompt_without_facilitator_notes(live_server: Server) -> None:
    staff = live_server.login()
    session = live(staff)
    resident = join(live_server, session["code"])
    assert resident.session()["prompt"] is None
    pid = shown(staff, session, "Dilemma")
    me = resident.session()
    assert me["current_prompt_id"] == pid
    assert (me["prompt"]["id"], me["prompt"]["kind"], me["prompt"]["state"]) == (
        pid,
        "dilemma",
        "open",
    )
    assert (me["prompt"]["left"], me["prompt"]["right"], me["prompt"]["bins"]) == (
        "Rust",
        "Welkom",
        5,
    )
    assert me["prompt"].get("notes") is None
    assert me["my_response"] is None


def test_join_while_a_prompt_is_shown_includes_it(live_server: Server) -> None:
    staff = live_server.login()
    session = live(staff)
    pid = shown(staff, session, "Schaal")
    resident = join(live_server, session["code"])
    assert resident.joined["session"]["prompt"]["id"] == pid
    assert resident.joined["session"]["prompt"].get("notes") is None


def test_my_response_follows_each_kind(live_server: Server) -> None:
    staff = live_server.login()
    session = live(staff)
    resident = join(live_server, session["code"])
    cases: list[tuple[str, Any, Any]] = [
        ("Dilemma", 70, 70),
        ("Schaal", 2, 2),
        ("Keuze", "c", "c"),
        ("Meerkeuze", ["c", "a"], ["a", "c"]),
        ("Woorden", ["Zon ", "MAAN"], ["zon", "maan"]),
    ]
    for title, value, stored in cases:
        pid = shown(staff, session, title)
        r = resident.answer(pid, value)
        assert r.status_code == 200, r.text
        assert r.json() == {"prompt_id": pid, "value": stored}
        assert resident.session()["my_response"] == stored, title
    pid = shown(staff, session, "Stellingen")
    assert resident.answer(pid, {"statement_id": "s2", "vote": "pass"}).status_code == 200
    assert resident.session()["my_response"] == {"s2": "pass"}
    pid = shown(staff, session, "Kaarten")
    card = resident.card(pid, "k1", "Mijn kaart", "idee").json()
    assert resident.session()["my_response"] == [
        {
            "id": card["id"],
            "prompt_id": pid,
            "text": "Mijn kaart",
            "category": "idee",
            "status": "pending",
        }
    ]


def test_a_residents_token_expires_when_the_session_closes(live_server: Server) -> None:
    staff = live_server.login()
    session = live(staff)
    resident = join(live_server, session["code"])
    assert resident.session()["state"] == "live"
    staff.http.post(f"/api/sessions/{session['id']}/close")
    r = httpx.get(f"{live_server.url}/api/me/session", headers=resident.auth, timeout=10)
    assert_error(r, 401, "not_authenticated")


# ---- answers: state ----
def test_resident_cannot_answer_a_prompt_that_was_never_shown(live_server: Server) -> None:
    staff = live_server.login()
    session = live(staff)
    resident = join(live_server, session["code"])
    assert_error(resident.answer(prompt(session, "Schaal")["id"], 3), 409, "prompt_not_open")


def test_resident_cannot_answer_a_closed_prompt(live_server: Server) -> None:
    staff = live_server.login()
    session = live(staff)
    pid = shown(staff, session, "Schaal")
    residents = crowd(live_server, session, 5)
    assert residents[0].answer(pid, 3).status_code == 200
    assert staff.http.post(f"/api/sessions/{session['id']}/prompts/{pid}/close").status_code == 200
    assert_error(residents[0].answer(pid, 4), 409, "prompt_not_open")
    assert_error(residents[1].answer(pid, 4), 409, "prompt_not_open")
    assert tally(staff, session, pid)["n"] == 1


def test_resident_cannot_post_a_card_to_a_closed_prompt(live_server: Server) -> None:
    staff = live_server.login()
    session = live(staff)
    pid = shown(staff, session, "Kaarten")
    resident = join(live_server, session["code"])
    staff.http.post(f"/api/sessions/{session['id']}/prompts/{pid}/close")
    assert_error(resident.card(pid, "k1", "Te laat"), 409, "prompt_not_open")


def test_resident_cannot_answer_after_the_session_closed(live_server: Server) -> None:
    staff = live_server.login()
    session = live(staff)
    pid = shown(staff, session, "Schaal")
    resident = join(live_server, session["code"])
    staff.http.post(f"/api/sessions/{session['id']}/close")
    # the token expired with the session: nothing can be sent with it any more
    assert_error(resident.answer(pid, 3), 401, "not_authenticated")


def test_a_prompt_shown_again_takes_answers_again(live_server: Server) -> None:
    staff = live_server.login()
    session = live(staff)
    pid = shown(staff, session, "Schaal")
    resident = join(live_server, session["code"])
    staff.http.post(f"/api/sessions/{session['id']}/prompts/{pid}/close")
    shown(staff, session, "Schaal")
    assert resident.answer(pid, 5).status_code == 200


def test_answering_an_unknown_prompt_is_404(live_server: Server) -> None:
    staff = live_server.login()
    session = live(staff)
    resident = join(live_server, session["code"])
    assert_error(resident.answer("0000000000000000", 3), 404, "not_found")


def test_answering_a_prompt_of_another_session_is_404(live_server: Server) -> None:
    staff = live_server.login()
    mine, other = live(staff), live(staff)
    other_pid = shown(staff, other, "Schaal")
    resident = join(live_server, mine["code"])
    assert_error(resident.answer(other_pid, 3), 404, "not_found")
    assert tally(staff, other, other_pid)["n"] == 0


def test_answering_without_a_participant_token_is_401(live_server: Server) -> None:
    staff = live_server.login()
    session = live(staff)
    pid = shown(staff, session, "Schaal")
    url = f"{live_server.url}/api/me/responses/{pid}"
    assert_error(httpx.put(url, json={"value": 3}), 401, "not_authenticated")
    # a staff login is not a participant
    assert_error(
        staff.http.put(f"/api/me/responses/{pid}", json={"value": 3}), 401, "not_authenticated"
    )


# ---- answers: validation per kind ----
INVALID_VALUES: dict[str, list[Any]] = {
    "Dilemma": [-1, 101, True, False, 50.5, "50", None, [50], {"value": 50}],
    "Schaal": [0, 6, True, 3.5, "3", None],
    "Keuze": ["z", "A", ["a"], 1, None, True],
    "Meerkeuze": [[], ["a", "b", "c"], ["z"], "a", [1], None],
    "Woorden": [[], ["een", "twee", "drie"], ["x" * 26], ["   "], "zon", [1], None],
    "Stellingen": [
        {"statement_id": "s9", "vote": "agree"},
        {"statement_id": "s1", "vote": "maybe"},
        {"statement_id": "s1"},
        {"statement_id": "s1", "vote": "agree", "x": 1},
        "agree",
        None,
    ],
}


@pytest.mark.parametrize("title", sorted(INVALID_VALUES))
def test_invalid_values_are_422_invalid_value_and_not_stored(
    live_server: Server, subtests: pytest.Subtests, title: str
) -> None:
    staff = live_server.login()
    session = live(staff)
    pid = shown(staff, session, title)
    resident = join(live_server, session["code"])
    for value in INVALID_VALUES[title]:
        with subtests.test(msg=repr(value)):
            assert_error(resident.answer(pid, value), 422, "invalid_value")
    assert resident.session()["my_response"] in (None, {})
    staff_view = next(
        p
        for p in staff.http.get(f"/api/sessions/{session['id']}").json()["prompts"]
        if p["id"] == pid
    )
    assert staff_view["answers"] == 0


@pytest.mark.parametrize(
    "body",
    [b"{}", b'{"value": 3, "extra": 1}', b"[3]", b"3", b"not json", b'{"value": 3'],
    ids=["missing", "unknown-field", "list", "bare", "not-json", "truncated"],
)
def test_answer_with_a_malformed_body_is_400(live_server: Server, body: bytes) -> None:
    staff = live_server.login()
    session = live(staff)
    pid = shown(staff, session, "Schaal")
    resident = join(live_server, session["code"])
    r = httpx.put(
        f"{live_server.url}/api/me/responses/{pid}",
        content=body,
        headers={**resident.auth, "content-type": "application/json"},
    )
    assert_error(r, 400, "invalid_body")


@pytest.mark.parametrize("statement_id", [["s1"], {"id": "s1"}])
def test_statement_vote_with_a_list_as_statement_id_is_422(
    live_server: Server, statement_id: Any
) -> None:
    staff = live_server.login()
    session = live(staff)
    pid = shown(staff, session, "Stellingen")
    resident = join(live_server, session["code"])
    assert_error(
        resident.answer(pid, {"statement_id": statement_id, "vote": "agree"}), 422, "invalid_value"
    )


@pytest.mark.parametrize("category", [["zorg"], {"id": "zorg"}])
def test_card_answer_with_a_list_as_category_is_422(live_server: Server, category: Any) -> None:
    staff = live_server.login()
    session = live(staff)
    pid = shown(staff, session, "Kaarten")
    resident = join(live_server, session["code"])
    assert_error(
        resident.answer(pid, {"text": "Hallo", "category": category}), 422, "invalid_value"
    )


def test_deeply_nested_value_is_a_client_error(live_server: Server) -> None:
    staff = live_server.login()
    session = live(staff)
    pid = shown(staff, session, "Schaal")
    resident = join(live_server, session["code"])
    depth = 2000
    r = httpx.put(
        f"{live_server.url}/api/me/responses/{pid}",
        content=b'{"value": ' + b"[" * depth + b"]" * depth + b"}",
        headers={**resident.auth, "content-type": "application/json"},
    )
    assert r.status_code in (400, 413, 422), r.text
    assert r.json()["extra"]["code"] in ("invalid_body", "too_large", "invalid_value")


def test_answer_body_over_64_kib_is_413(live_server: Server) -> None:
    staff = live_server.login()
    session = live(staff)
    pid = shown(staff, session, "Woorden")
    resident = join(live_server, session["code"])
    assert_error(resident.answer(pid, ["x" * (65 * 1024)]), 413, "too_large")


# ---- answers: last write wins, and what /results shows ----
def test_last_write_wins_and_results_show_only_the_latest_answer(live_server: Server) -> None:
    staff = live_server.login()
    session = live(staff)
    pid = shown(staff, session, "Schaal")
    residents = crowd(live_server, session, 5)
    all_answer(residents, pid, [3, 3, 3, 3, 3])
    assert residents[0].answer(pid, 5).status_code == 200
    assert residents[0].answer(pid, 1).status_code == 200
    assert tally(staff, session, pid) == {
        "kind": "scale",
        "n": 5,
        "counts": {"1": 1, "2": 0, "3": 4, "4": 0, "5": 0},
        "mean": pytest.approx(2.6),
    }
    assert residents[0].session()["my_response"] == 1


def test_results_are_hidden_below_min_group(live_server: Server) -> None:
    staff = live_server.login()
    session = live(staff)
    pid = shown(staff, session, "Dilemma")
    residents = crowd(live_server, session, 5)
    all_answer(residents[:4], pid, [0, 0, 100, 100])
    assert tally(staff, session, pid) == {"kind": "dilemma", "n": 4, "hidden": True}
    # replacing an answer does not add a person
    assert residents[0].answer(pid, 10).status_code == 200
    assert tally(staff, session, pid) == {"kind": "dilemma", "n": 4, "hidden": True}
    assert residents[4].answer(pid, 50).status_code == 200
    assert tally(staff, session, pid) == {
        "kind": "dilemma",
        "n": 5,
        "bins": [2, 0, 1, 0, 2],
        "mean": pytest.approx(52.0),
        "middle_share": pytest.approx(0.2),
        "polarisation": pytest.approx(
            (sum((v / 100) ** 2 for v in (10, 0, 100, 100, 50)) / 5 - 0.52**2) / 0.25, abs=1e-4
        ),
    }


def test_untouched_prompts_are_hidden_with_n_zero(live_server: Server) -> None:
    staff = live_server.login()
    session = live(staff)
    r = staff.http.get(f"/api/sessions/{session['id']}/results")
    assert r.status_code == 200
    kinds = {p["id"]: p["kind"] for p in session["prompts"]}
    assert [p["prompt_id"] for p in r.json()["prompts"]] == [p["id"] for p in session["prompts"]]
    for p in r.json()["prompts"]:
        assert p["tally"] == {"kind": kinds[p["prompt_id"]], "n": 0, "hidden": True}


def test_choice_counts_people_as_n(live_server: Server) -> None:
    staff = live_server.login()
    session = live(staff)
    pid = shown(staff, session, "Meerkeuze")
    all_answer(
        crowd(live_server, session, 5), pid, [["a", "b"], ["a"], ["b", "c"], ["a", "c"], ["c"]]
    )
    assert tally(staff, session, pid) == {
        "kind": "choice",
        "n": 5,
        "counts": {"a": 3, "b": 2, "c": 3},
    }


def test_single_choice_replacement_moves_the_count(live_server: Server) -> None:
    staff = live_server.login()
    session = live(staff)
    pid = shown(staff, session, "Keuze")
    residents = crowd(live_server, session, 5)
    all_answer(residents, pid, ["a", "a", "a", "b", "b"])
    assert residents[0].answer(pid, "c").status_code == 200
    assert tally(staff, session, pid) == {
        "kind": "choice",
        "n": 5,
        "counts": {"a": 2, "b": 2, "c": 1},
    }


def test_words_are_counted_case_folded(live_server: Server) -> None:
    staff = live_server.login()
    session = live(staff)
    pid = shown(staff, session, "Woorden")
    all_answer(
        crowd(live_server, session, 5),
        pid,
        [["Fiets"], ["fiets", "Auto"], ["FIETS "], ["auto"], ["Fi\u200bets", "tram"]],
    )
    assert tally(staff, session, pid) == {
        "kind": "words",
        "n": 5,
        "words": [
            {"word": "fiets", "count": 4},
            {"word": "auto", "count": 2},
            {"word": "tram", "count": 1},
        ],
    }


def test_statements_keep_one_vote_per_statement_and_count_distinct_voters(
    live_server: Server,
) -> None:
    staff = live_server.login()
    session = live(staff)
    pid = shown(staff, session, "Stellingen")
    residents = crowd(live_server, session, 5)
    for resident in residents:
        for sid in ("s1", "s2"):
            assert resident.answer(pid, {"statement_id": sid, "vote": "agree"}).status_code == 200
    r = residents[0].answer(pid, {"statement_id": "s1", "vote": "disagree"})
    assert r.status_code == 200 and r.json() == {
        "prompt_id": pid,
        "value": {"statement_id": "s1", "vote": "disagree"},
    }
    result = tally(staff, session, pid)
    assert result["kind"] == "statements" and result["n"] == 5
    counts = {
        s["id"]: (s["text"], s["agree"], s["disagree"], s["pass"]) for s in result["statements"]
    }
    assert counts == {"s1": ("Een", 4, 1, 0), "s2": ("Twee", 5, 0, 0)}
    assert residents[0].session()["my_response"] == {"s1": "disagree", "s2": "agree"}


# ---- open cards ----
def test_post_card_is_201_then_200_for_the_same_content(live_server: Server) -> None:
    staff = live_server.login()
    session = live(staff)
    pid = shown(staff, session, "Kaarten")
    resident = join(live_server, session["code"])
    first = resident.card(pid, "6f1c7a0e-0001", "Meer licht in het park", "idee")
    assert first.status_code == 201, first.text
    card = first.json()
    assert card["prompt_id"] == pid
    assert (card["text"], card["category"], card["status"]) == (
        "Meer licht in het park",
        "idee",
        "pending",
    )
    again = resident.card(pid, "6f1c7a0e-0001", "Meer licht in het park", "idee")
    assert again.status_code == 200, again.text
    assert again.json() == card
    cards = staff.http.get(f"/api/sessions/{session['id']}/prompts/{pid}/cards").json()
    assert [c["id"] for c in cards] == [card["id"]]


@pytest.mark.parametrize(
    "change",
    [{"text": "Iets anders"}, {"category": "zorg"}, {"category": None}],
    ids=["text", "category", "no-category"],
)
def test_post_card_with_a_used_id_and_other_content_is_409_card_conflict(
    live_server: Server, change: Any
) -> None:
    staff = live_server.login()
    session = live(staff)
    pid = shown(staff, session, "Kaarten")
    resident = join(live_server, session["code"])
    assert resident.card(pid, "k1", "Meer licht", "idee").status_code == 201
    body = {"text": "Meer licht", "category": "idee", **change}
    assert_error(resident.card(pid, "k1", body["text"], body["category"]), 409, "card_conflict")
    cards = staff.http.get(f"/api/sessions/{session['id']}/prompts/{pid}/cards").json()
    assert [(c["text"], c["category"]) for c in cards] == [("Meer licht", "idee")]


def test_card_ids_belong_to_one_resident(live_server: Server) -> None:
    staff = live_server.login()
    session = live(staff)
    pid = shown(staff, session, "Kaarten")
    a, b = crowd(live_server, session, 2)
    assert a.card(pid, "same-id", "Van A").status_code == 201
    r = b.card(pid, "same-id", "Van B")
    assert r.status_code == 201, r.text
    assert len(staff.http.get(f"/api/sessions/{session['id']}/prompts/{pid}/cards").json()) == 2


def test_card_resend_that_only_differs_in_whitespace_is_the_same_card(live_server: Server) -> None:
    staff = live_server.login()
    session = live(staff)
    pid = shown(staff, session, "Kaarten")
    resident = join(live_server, session["code"])
    first = resident.card(pid, "k1", "Meer licht")
    again = resident.card(pid, "k1", "  Meer   licht \u200b")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()


def test_max_cards_is_409_for_a_new_card_but_a_resend_still_succeeds(live_server: Server) -> None:
    staff = live_server.login()
    session = live(staff)
    pid = shown(staff, session, "Kaarten")  # max_cards = 2
    resident, other = crowd(live_server, session, 2)
    assert resident.card(pid, "k1", "Een").status_code == 201
    assert resident.card(pid, "k2", "Twee").status_code == 201
    assert_error(resident.card(pid, "k3", "Drie"), 409, "max_cards")
    assert_error(resident.answer(pid, {"text": "Vier"}), 409, "max_cards")
    assert resident.card(pid, "k1", "Een").status_code == 200
    assert other.card(pid, "k1", "Van een ander").status_code == 201
    assert len(resident.session()["my_response"]) == 2


def test_card_text_is_cleaned_before_it_is_stored(live_server: Server) -> None:
    staff = live_server.login()
    session = live(staff)
    pid = shown(staff, session, "Kaarten")
    resident = join(live_server, session["code"])
    r = resident.card(pid, "k1", "  Meer\u200b licht\u202e   graag \n")
    assert r.status_code == 201, r.text
    text = r.json()["text"]
    assert "\u200b" not in text and "\u202e" not in text
    assert text == text.strip() and "  " not in text
    assert text.replace(" ", "") == "Meerlichtgraag"


@pytest.mark.parametrize(
    ("text", "category"),
    [("", None), ("   ", None), ("\u200b", None), ("x" * 281, None), ("Hallo", "onbekend")],
    ids=["empty", "spaces", "zero-width", "too-long", "unknown-category"],
)
def test_invalid_card_is_422(live_server: Server, text: str, category: str | None) -> None:
    staff = live_server.login()
    session = live(staff)
    pid = shown(staff, session, "Kaarten")
    resident = join(live_server, session["code"])
    assert_error(resident.card(pid, "k1", text, category), 422, "invalid_value")
    assert resident.session()["my_response"] == []


def test_card_of_280_characters_is_accepted(live_server: Server) -> None:
    staff = live_server.login()
    session = live(staff)
    pid = shown(staff, session, "Kaarten")
    resident = join(live_server, session["code"])
    r = resident.card(pid, "k1", "x" * 280)
    assert r.status_code == 201 and r.json()["text"] == "x" * 280


@pytest.mark.parametrize(
    "body",
    [
        {"prompt_id": "p", "text": "t"},
        {"id": "k1", "text": "t"},
        {"id": "k1", "prompt_id": "p"},
        {"id": "k1", "prompt_id": "p", "text": 5},
        {"id": "k1", "prompt_id": "p", "text": "t", "category": ["zorg"]},
        {"id": "", "prompt_id": "p", "text": "t"},
        {"id": "k" * 65, "prompt_id": "p", "text": "t"},
        {"id": "k1", "prompt_id": "p", "text": "t", "status": "approved"},
    ],
)
def test_post_card_with_a_malformed_body_is_400(live_server: Server, body: dict[str, Any]) -> None:
    staff = live_server.login()
    session = live(staff)
    pid = shown(staff, session, "Kaarten")
    resident = join(live_server, session["code"])
    body = {k: (pid if k == "prompt_id" else v) for k, v in body.items()}
    r = httpx.post(f"{live_server.url}/api/me/cards", json=body, headers=resident.auth)
    assert_error(r, 400, "invalid_body")


def test_card_for_a_prompt_that_is_not_open_kind_is_422(live_server: Server) -> None:
    staff = live_server.login()
    session = live(staff)
    pid = shown(staff, session, "Schaal")
    resident = join(live_server, session["code"])
    assert_error(resident.card(pid, "k1", "Hallo"), 422, "invalid_value")


def test_open_prompt_does_not_take_a_plain_answer(live_server: Server) -> None:
    staff = live_server.login()
    session = live(staff)
    pid = shown(staff, session, "Kaarten")
    resident = join(live_server, session["code"])
    for value in ("Hallo", ["Hallo"], 3, None, {"tekst": "Hallo"}):
        assert_error(resident.answer(pid, value), 422, "invalid_value")


def test_card_through_put_with_a_client_id_is_idempotent(live_server: Server) -> None:
    staff = live_server.login()
    session = live(staff)
    pid = shown(staff, session, "Kaarten")
    resident = join(live_server, session["code"])
    first = resident.answer(pid, {"text": "Via PUT", "category": "zorg", "id": "c-1"})
    assert first.status_code == 200, first.text
    assert first.json()["prompt_id"] == pid
    value = first.json()["value"]
    assert (value["text"], value["category"]) == ("Via PUT", "zorg")
    again = resident.answer(pid, {"text": "Via PUT", "category": "zorg", "id": "c-1"})
    assert again.status_code == 200 and again.json() == first.json()
    assert_error(resident.answer(pid, {"text": "Anders", "id": "c-1"}), 409, "card_conflict")
    assert len(staff.http.get(f"/api/sessions/{session['id']}/prompts/{pid}/cards").json()) == 1


def test_moderated_card_is_not_in_the_tally_until_approved(live_server: Server) -> None:
    staff = live_server.login()
    session = live(staff)
    pid = shown(staff, session, "Kaarten")
    residents = crowd(live_server, session, 5)
    ids = []
    for i, resident in enumerate(residents):
        r = resident.card(pid, f"k{i}", f"Kaart {i}", "zorg" if i % 2 else None)
        assert r.status_code == 201 and r.json()["status"] == "pending"
        ids.append(r.json()["id"])
    assert tally(staff, session, pid) == {"kind": "open", "n": 5, "cards": [], "categories": {}}
    moderate = f"/api/sessions/{session['id']}/cards/{ids[1]}/moderate"
    assert staff.http.post(moderate, json={"status": "approved"}).status_code == 200
    assert tally(staff, session, pid) == {
        "kind": "open",
        "n": 5,
        "cards": [{"id": ids[1], "text": "Kaart 1", "category": "zorg"}],
        "categories": {"zorg": 1},
    }
    pending = staff.http.get(
        f"/api/sessions/{session['id']}/prompts/{pid}/cards", params={"status": "pending"}
    )
    assert sorted(c["id"] for c in pending.json()) == sorted(ids[:1] + ids[2:])
    assert staff.http.post(moderate, json={"status": "hidden"}).status_code == 200
    assert tally(staff, session, pid) == {"kind": "open", "n": 5, "cards": [], "categories": {}}
    assert residents[1].session()["my_response"][0]["status"] == "hidden"


def test_unmoderated_cards_are_in_the_tally_at_once(live_server: Server) -> None:
    staff = live_server.login()
    session = live(staff)
    pid = shown(staff, session, "Vrije kaarten")
    residents = crowd(live_server, session, 5)
    for i, resident in enumerate(residents):
        r = resident.card(pid, "k", f"Vrij {i}")
        assert r.status_code == 201 and r.json()["status"] == "approved"
    result = tally(staff, session, pid)
    assert result["n"] == 5
    assert sorted(c["text"] for c in result["cards"]) == [f"Vrij {i}" for i in range(5)]


def test_open_n_counts_people_not_cards_for_min_group(live_server: Server) -> None:
    staff = live_server.login()
    session = live(staff)
    pid = shown(staff, session, "Vrije kaarten")
    residents = crowd(live_server, session, 4)
    for resident in residents:
        for i in range(3):
            assert resident.card(pid, f"k{i}", f"Kaart {i}").status_code == 201
    assert tally(staff, session, pid) == {"kind": "open", "n": 4, "hidden": True}
