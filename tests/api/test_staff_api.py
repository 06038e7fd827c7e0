"""Staff routes over HTTP against a real server: shared/design/protocol.md (Staff) and the
extensions and error codes of docs/protocol.md. Every error is `{status_code, detail, extra.code}`."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import httpx
import pytest

from ..conftest import Server, Staff, assert_error

JOIN_CODE = re.compile(r"^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$")
SESSION_FIELDS = {
    "id",
    "title",
    "neighbourhood",
    "state",
    "code",
    "join_url",
    "current_prompt_id",
    "participants",
    "created_at",
}
PROMPT_FIELDS = {"id", "kind", "position", "state", "revealed", "title"}
RFC3339_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|\+00:00)$")

OPTIONS = [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}, {"id": "c", "label": "C"}]
ALL_KINDS: list[dict[str, Any]] = [
    {"kind": "dilemma", "title": "Rust of welkom?", "left": "Rust", "right": "Welkom", "bins": 5},
    {
        "kind": "scale",
        "title": "Hoe gaat het?",
        "min": 1,
        "max": 5,
        "notes": "Geheim voor bewoners",
    },
    {"kind": "choice", "title": "Wie beslist?", "options": OPTIONS},
    {"kind": "open", "title": "Zorgen", "categories": [{"id": "zorg", "label": "Zorg"}]},
    {"kind": "words", "title": "Eén woord", "max_words": 1},
    {"kind": "statements", "title": "Stellingen", "statements": [{"id": "s1", "text": "Een"}]},
]


# ---- helpers ----


def assert_rejected(r: httpx.Response) -> None:
    """400 (malformed) or 422 (semantically invalid), each with its own code; never a 5xx."""
    assert r.status_code in (400, 422), r.text
    assert_error(r, r.status_code, {400: "invalid_body", 422: "invalid_value"}[r.status_code])


def new_session(
    staff: Staff, prompts: list[dict[str, Any]] | None = None, **body: Any
) -> dict[str, Any]:
    r = staff.http.post(
        "/api/sessions", json={"title": "Buurtavond", "prompts": prompts or ALL_KINDS, **body}
    )
    assert r.status_code == 201, r.text
    return dict(r.json())


def live_session(staff: Staff, prompts: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return staff.new_live_session(template=None, prompts=prompts or ALL_KINDS)


def by_title(session: dict[str, Any], title: str) -> dict[str, Any]:
    return next(p for p in session["prompts"] if p["title"] == title)


def cookie_only_client(server: Server, staff: Staff) -> httpx.Client:
    """The staff member's cookies, but without the x-csrftoken header."""
    client = httpx.Client(base_url=server.url, timeout=10)
    for name in ("samenspraak_session", "csrftoken"):
        client.cookies.set(name, staff.http.cookies[name])
    return client


def join(server: Server, code: str) -> str:
    r = httpx.post(f"{server.url}/api/join", json={"code": code}, timeout=10)
    assert r.status_code == 201, r.text
    return str(r.json()["token"])


def answer(server: Server, token: str, prompt_id: str, value: Any) -> httpx.Response:
    return httpx.put(
        f"{server.url}/api/me/responses/{prompt_id}",
        json={"value": value},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )


def tally_of(staff: Staff, session: dict[str, Any], prompt_id: str) -> dict[str, Any]:
    r = staff.http.get(f"/api/sessions/{session['id']}/results")
    assert r.status_code == 200, r.text
    return dict(next(p["tally"] for p in r.json()["prompts"] if p["prompt_id"] == prompt_id))


# ---- login, logout, me ----
def test_login_returns_the_user_and_sets_session_and_csrf_cookies(live_server: Server) -> None:
    account = live_server.create_staff(name="Anna de Vries")
    r = httpx.post(
        f"{live_server.url}/api/auth/login",
        json={"email": account["email"], "password": account["password"]},
    )
    assert r.status_code == 200, r.text
    user = r.json()["user"]
    assert {"id", "email", "name", "role", "org"} <= set(user)
    assert (user["email"], user["name"], user["role"], user["org"]) == (
        account["email"],
        "Anna de Vries",
        "facilitator",
        account["org"],
    )
    cookies = {c.split("=", 1)[0]: c for c in r.headers.get_list("set-cookie")}
    assert "HttpOnly" in cookies["samenspraak_session"]
    assert "HttpOnly" not in cookies["csrftoken"]  # the app must read it to echo it
    assert "samesite=lax" in cookies["samenspraak_session"].lower()


def test_login_with_wrong_password_is_401_login_failed(live_server: Server) -> None:
    account = live_server.create_staff()
    r = httpx.post(
        f"{live_server.url}/api/auth/login",
        json={"email": account["email"], "password": "wrong-password-123"},
    )
    assert_error(r, 401, "login_failed")
    assert "samenspraak_session" not in r.cookies


def test_login_with_unknown_email_is_401_login_failed(live_server: Server) -> None:
    r = httpx.post(
        f"{live_server.url}/api/auth/login",
        json={"email": "nobody@test.example", "password": "whatever-123"},
    )
    assert_error(r, 401, "login_failed")


@pytest.mark.parametrize(
    "body",
    [
        {"email": "a@test.example"},
        {"password": "x"},
        {"email": 5, "password": "x"},
        {"email": "a@test.example", "password": ["x"]},
        {"email": "a@test.example", "password": "x", "remember": True},
        [],
        "login",
    ],
)
def test_login_with_a_malformed_body_is_400_invalid_body(live_server: Server, body: Any) -> None:
    assert_error(httpx.post(f"{live_server.url}/api/auth/login", json=body), 400, "invalid_body")


def test_login_with_a_body_that_is_not_json_is_400(live_server: Server) -> None:
    r = httpx.post(
        f"{live_server.url}/api/auth/login",
        content=b"email=a&password=b",
        headers={"content-type": "application/json"},
    )
    assert_error(r, 400, "invalid_body")


def test_login_issues_a_fresh_session_id_each_time(live_server: Server) -> None:
    account = live_server.create_staff()
    client = httpx.Client(base_url=live_server.url, timeout=10)
    seen = set()
    for _ in range(3):
        r = client.post(
            "/api/auth/login", json={"email": account["email"], "password": account["password"]}
        )
        assert r.status_code == 200, r.text
        seen.add(r.cookies["samenspraak_session"])
    assert len(seen) == 3


def test_login_does_not_adopt_a_session_id_chosen_by_the_client(live_server: Server) -> None:
    account = live_server.create_staff()
    client = httpx.Client(base_url=live_server.url, timeout=10)
    client.cookies.set("samenspraak_session", "chosen-by-an-attacker")
    r = client.post(
        "/api/auth/login", json={"email": account["email"], "password": account["password"]}
    )
    assert r.status_code == 200, r.text
    assert r.cookies["samenspraak_session"] != "chosen-by-an-attacker"
    stale = httpx.get(
        f"{live_server.url}/api/auth/me", cookies={"samenspraak_session": "chosen-by-an-attacker"}
    )
    assert_error(stale, 401, "not_authenticated")


def test_me_returns_the_logged_in_user(live_server: Server) -> None:
    staff = live_server.login()
    r = staff.http.get("/api/auth/me")
    assert r.status_code == 200, r.text
    assert r.json() == {"user": staff.user}


def test_me_without_credentials_is_401_not_authenticated(live_server: Server) -> None:
    assert_error(httpx.get(f"{live_server.url}/api/auth/me"), 401, "not_authenticated")


def test_me_with_an_unknown_session_cookie_is_401(live_server: Server) -> None:
    r = httpx.get(
        f"{live_server.url}/api/auth/me", cookies={"samenspraak_session": "not-a-session"}
    )
    assert_error(r, 401, "not_authenticated")


def test_logout_invalidates_the_session_on_the_server(live_server: Server) -> None:
    staff = live_server.login()
    old_cookie = staff.http.cookies["samenspraak_session"]
    r = staff.http.post("/api/auth/logout")
    assert r.status_code == 204, r.text
    # replaying the old cookie (as a stolen copy would) no longer works
    replay = httpx.get(
        f"{live_server.url}/api/auth/me", cookies={"samenspraak_session": old_cookie}
    )
    assert_error(replay, 401, "not_authenticated")


def test_logout_tells_the_browser_to_drop_the_cookies(live_server: Server) -> None:
    staff = live_server.login()
    r = staff.http.post("/api/auth/logout")
    assert r.status_code == 204
    dropped = {c.split("=", 1)[0] for c in r.headers.get_list("set-cookie")}
    assert {"samenspraak_session", "csrftoken"} <= dropped


def test_logout_without_csrf_header_is_403_and_keeps_the_session(live_server: Server) -> None:
    staff = live_server.login()
    assert_error(
        cookie_only_client(live_server, staff).post("/api/auth/logout"), 403, "csrf_failed"
    )
    assert staff.http.get("/api/auth/me").status_code == 200


def test_logout_without_credentials_is_401(live_server: Server) -> None:
    assert_error(httpx.post(f"{live_server.url}/api/auth/logout"), 401, "not_authenticated")


def test_error_detail_is_english_when_the_client_prefers_english(live_server: Server) -> None:
    nl = httpx.get(f"{live_server.url}/api/auth/me").json()
    en = httpx.get(
        f"{live_server.url}/api/auth/me", headers={"accept-language": "en-GB,en;q=0.9"}
    ).json()
    assert nl["extra"]["code"] == en["extra"]["code"] == "not_authenticated"
    assert nl["detail"] != en["detail"]


# ---- CSRF and bearer tokens ----
CSRF_WRITES = [
    ("POST", "/api/sessions", {"title": "Zonder CSRF"}),
    ("PATCH", "/api/sessions/{sid}", {"title": "Zonder CSRF"}),
    ("POST", "/api/sessions/{sid}/start", None),
    ("POST", "/api/sessions/{sid}/prompts", {"kind": "words", "title": "w"}),
    ("PATCH", "/api/sessions/{sid}/prompts/{pid}", {"title": "Zonder CSRF"}),
    ("DELETE", "/api/sessions/{sid}/prompts/{pid}", None),
    ("PUT", "/api/sessions/{sid}/prompts/order", {"prompt_ids": []}),
    ("POST", "/api/sessions/{sid}/ws-ticket", None),
    ("POST", "/api/sessions/{sid}/projector-link", None),
]


def test_cookie_write_without_csrf_header_is_403_csrf_failed(
    live_server: Server, subtests: pytest.Subtests
) -> None:
    staff = live_server.login()
    session = new_session(staff)
    client = cookie_only_client(live_server, staff)
    for method, path, body in CSRF_WRITES:
        url = path.format(sid=session["id"], pid=session["prompts"][0]["id"])
        with subtests.test(msg=f"{method} {path}"):
            assert_error(client.request(method, url, json=body), 403, "csrf_failed")
    after = staff.http.get(f"/api/sessions/{session['id']}").json()
    assert (after["title"], after["state"]) == ("Buurtavond", "draft")
    assert [p["title"] for p in after["prompts"]] == [p["title"] for p in ALL_KINDS]
    assert [s["id"] for s in staff.http.get("/api/sessions").json()] == [session["id"]]


def test_cookie_write_with_a_wrong_csrf_header_is_403(live_server: Server) -> None:
    staff = live_server.login()
    client = cookie_only_client(live_server, staff)
    r = client.post("/api/sessions", json={"title": "x"}, headers={"x-csrftoken": "not-the-token"})
    assert_error(r, 403, "csrf_failed")


def test_csrf_token_of_another_login_session_is_refused(live_server: Server) -> None:
    staff = live_server.login()
    other = live_server.login()
    client = cookie_only_client(live_server, staff)
    r = client.post(
        "/api/sessions",
        json={"title": "x"},
        headers={"x-csrftoken": other.http.cookies["csrftoken"]},
    )
    assert_error(r, 403, "csrf_failed")


def test_cookie_reads_need_no_csrf_header(live_server: Server) -> None:
    staff = live_server.login()
    r = cookie_only_client(live_server, staff).get("/api/sessions")
    assert r.status_code == 200, r.text


def test_bearer_api_token_works_without_csrf(live_server: Server) -> None:
    account = live_server.create_staff()
    token = live_server.api_token(account["email"])
    client = httpx.Client(
        base_url=live_server.url, headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    me = client.get("/api/auth/me")
    assert me.status_code == 200 and me.json()["user"]["email"] == account["email"]
    r = client.post("/api/sessions", json={"title": "Via de API", "prompts": ALL_KINDS})
    assert r.status_code == 201, r.text
    started = client.post(f"/api/sessions/{r.json()['id']}/start")
    assert started.status_code == 200 and started.json()["state"] == "live"
    assert not client.cookies


@pytest.mark.parametrize(
    "header", ["Bearer not-a-token", "Basic dXNlcjpwYXNz", "Bearer", "bearer  x"]
)
def test_unknown_or_malformed_authorization_is_401(live_server: Server, header: str) -> None:
    r = httpx.get(f"{live_server.url}/api/sessions", headers={"Authorization": header})
    assert_error(r, 401, "not_authenticated")


def test_participant_token_is_not_a_staff_credential(live_server: Server) -> None:
    staff = live_server.login()
    session = live_session(staff)
    token = join(live_server, session["code"])
    r = httpx.get(f"{live_server.url}/api/sessions", headers={"Authorization": f"Bearer {token}"})
    assert_error(r, 401, "not_authenticated")


# ---- roles and organisations ----
def test_canvasser_gets_403_on_session_routes(live_server: Server) -> None:
    facilitator = live_server.login()
    session = new_session(facilitator)
    canvasser = live_server.login(role="canvasser", org=facilitator.user["org"])
    sid, pid = session["id"], session["prompts"][0]["id"]
    calls = [
        ("GET", "/api/sessions", None),
        ("POST", "/api/sessions", {"title": "x"}),
        ("GET", f"/api/sessions/{sid}", None),
        ("PATCH", f"/api/sessions/{sid}", {"title": "x"}),
        ("POST", f"/api/sessions/{sid}/start", None),
        ("POST", f"/api/sessions/{sid}/prompts", {"kind": "words", "title": "w"}),
        ("DELETE", f"/api/sessions/{sid}/prompts/{pid}", None),
        ("GET", f"/api/sessions/{sid}/results", None),
        ("GET", f"/api/sessions/{sid}/export.csv", None),
        ("POST", f"/api/sessions/{sid}/ws-ticket", None),
    ]
    for method, path, body in calls:
        assert_error(canvasser.http.request(method, path, json=body), 403, "forbidden")
    assert facilitator.http.get(f"/api/sessions/{sid}").json()["state"] == "draft"


def test_sessions_list_shows_only_the_own_organisation(live_server: Server) -> None:
    a, b = live_server.login(), live_server.login()
    mine = new_session(a, title="Van A")
    theirs = new_session(b, title="Van B")
    listed = a.http.get("/api/sessions")
    assert listed.status_code == 200
    ids = {s["id"] for s in listed.json()}
    assert mine["id"] in ids and theirs["id"] not in ids


def test_colleague_in_the_same_organisation_sees_the_session(live_server: Server) -> None:
    a = live_server.login()
    colleague = live_server.login(org=a.user["org"])
    session = new_session(a)
    assert colleague.http.get(f"/api/sessions/{session['id']}").status_code == 200


OTHER_ORG_CALLS = [
    ("GET", "/api/sessions/{sid}", None),
    ("PATCH", "/api/sessions/{sid}", {"title": "Gekaapt"}),
    ("POST", "/api/sessions/{sid}/prompts", {"kind": "words", "title": "w"}),
    ("PUT", "/api/sessions/{sid}/prompts/order", {"prompt_ids": []}),
    ("PATCH", "/api/sessions/{sid}/prompts/{pid}", {"title": "Gekaapt"}),
    ("DELETE", "/api/sessions/{sid}/prompts/{pid}", None),
    ("POST", "/api/sessions/{sid}/start", None),
    ("POST", "/api/sessions/{sid}/show", {"prompt_id": "{pid}"}),
    ("POST", "/api/sessions/{sid}/prompts/{pid}/close", None),
    ("POST", "/api/sessions/{sid}/prompts/{pid}/reveal", {"visible": True}),
    ("POST", "/api/sessions/{sid}/close", None),
    ("GET", "/api/sessions/{sid}/results", None),
    ("GET", "/api/sessions/{sid}/qr.svg", None),
    ("GET", "/api/sessions/{sid}/export.csv", None),
    ("GET", "/api/sessions/{sid}/export.json", None),
    ("GET", "/api/sessions/{sid}/report.html", None),
    ("GET", "/api/sessions/{sid}/prompts/{pid}/cards", None),
    ("POST", "/api/sessions/{sid}/cards/{cid}/moderate", {"status": "approved"}),
    ("POST", "/api/sessions/{sid}/ws-ticket", None),
    ("POST", "/api/sessions/{sid}/projector-link", None),
]


def test_another_organisations_session_is_404_on_every_route(live_server: Server) -> None:
    owner, intruder = live_server.login(), live_server.login()
    session = live_session(owner)
    open_prompt = by_title(session, "Zorgen")
    owner.show(session, open_prompt)
    token = join(live_server, session["code"])
    card = httpx.post(
        f"{live_server.url}/api/me/cards",
        json={"id": "k1", "prompt_id": open_prompt["id"], "text": "Mijn kaart"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert card.status_code == 201, card.text
    ids = {"sid": session["id"], "pid": open_prompt["id"], "cid": card.json()["id"]}
    for method, path, body in OTHER_ORG_CALLS:
        if isinstance(body, dict):
            body = {k: v.format(**ids) if isinstance(v, str) else v for k, v in body.items()}
        r = intruder.http.request(method, path.format(**ids), json=body)
        assert_error(r, 404, "not_found")
    after = owner.http.get(f"/api/sessions/{session['id']}").json()
    assert (after["title"], after["state"], after["current_prompt_id"]) == (
        "Buurtavond",
        "live",
        open_prompt["id"],
    )
    assert (
        owner.http.get(f"/api/sessions/{session['id']}/prompts/{open_prompt['id']}/cards").json()[
            0
        ]["status"]
        == "pending"
    )


def test_unknown_session_id_is_404(live_server: Server) -> None:
    staff = live_server.login()
    for path in ("/api/sessions/0000000000000000", "/api/sessions/does-not-exist/results"):
        assert_error(staff.http.get(path), 404, "not_found")
    assert_error(staff.http.post("/api/sessions/0000000000000000/start"), 404, "not_found")


# ---- templates ----
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_templates_list_at_least_six_programmes_in_the_asked_language(
    live_server: Server, lang: str
) -> None:
    staff = live_server.login()
    r = staff.http.get("/api/templates", params={"lang": lang})
    assert r.status_code == 200, r.text
    templates = r.json()
    assert len(templates) >= 6
    kinds = {"dilemma", "scale", "choice", "open", "words", "statements"}
    for t in templates:
        assert {"slug", "title", "description", "language", "prompts"} <= set(t)
        assert t["language"] == lang
        assert t["title"] and t["prompts"]
        assert {p["kind"] for p in t["prompts"]} <= kinds
    assert len({t["slug"] for t in templates}) == len(templates)


def test_templates_default_to_dutch_and_translate_to_english(live_server: Server) -> None:
    staff = live_server.login()
    default = staff.http.get("/api/templates").json()
    nl = {t["slug"]: t for t in staff.http.get("/api/templates", params={"lang": "nl"}).json()}
    en = {t["slug"]: t for t in staff.http.get("/api/templates", params={"lang": "en"}).json()}
    assert {t["slug"]: t for t in default} == nl
    assert set(nl) == set(en)
    assert any(nl[s]["title"] != en[s]["title"] for s in nl)
    for slug in nl:
        assert [p["kind"] for p in nl[slug]["prompts"]] == [p["kind"] for p in en[slug]["prompts"]]


def test_templates_with_an_unknown_language_is_400(live_server: Server) -> None:
    staff = live_server.login()
    assert_error(staff.http.get("/api/templates", params={"lang": "de"}), 400, "invalid_body")


def test_templates_need_authentication(live_server: Server) -> None:
    assert_error(httpx.get(f"{live_server.url}/api/templates"), 401, "not_authenticated")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_creating_a_session_from_a_template_copies_its_prompts(
    live_server: Server, lang: str
) -> None:
    staff = live_server.login()
    template = next(
        t
        for t in staff.http.get("/api/templates", params={"lang": lang}).json()
        if t["slug"] == "opvang-vluchtelingen"
    )
    r = staff.http.post(
        "/api/sessions",
        json={"title": "Uit sjabloon", "template": template["slug"], "language": lang},
    )
    assert r.status_code == 201, r.text
    session = r.json()
    assert session["language"] == lang
    prompts = sorted(session["prompts"], key=lambda p: p["position"])
    assert [(p["kind"], p["title"]) for p in prompts] == [
        (p["kind"], p["title"]) for p in template["prompts"]
    ]
    for copied, original in zip(prompts, template["prompts"], strict=True):
        for key, value in original.items():
            assert copied[key] == value, (key, copied, original)
        assert copied["state"] == "pending" and copied["revealed"] is False


def test_template_prompts_and_own_prompts_are_combined(live_server: Server) -> None:
    staff = live_server.login()
    template = staff.http.get("/api/templates").json()[0]
    extra = {"kind": "words", "title": "Nog één woord"}
    r = staff.http.post(
        "/api/sessions", json={"title": "x", "template": template["slug"], "prompts": [extra]}
    )
    assert r.status_code == 201, r.text
    titles = [p["title"] for p in sorted(r.json()["prompts"], key=lambda p: p["position"])]
    assert titles == [p["title"] for p in template["prompts"]] + ["Nog één woord"]


def test_creating_a_session_from_an_unknown_template_is_422(live_server: Server) -> None:
    staff = live_server.login()
    assert_error(
        staff.http.post("/api/sessions", json={"title": "x", "template": "bestaat-niet"}),
        422,
        "invalid_value",
    )


# ---- sessions ----
def test_create_session_answers_201_with_a_draft_session(live_server: Server) -> None:
    staff = live_server.login()
    r = staff.http.post(
        "/api/sessions",
        json={"title": "Buurtavond Noord", "neighbourhood": "Noord", "prompts": ALL_KINDS},
    )
    assert r.status_code == 201, r.text
    session = r.json()
    assert SESSION_FIELDS | {"prompts", "language", "min_group"} <= set(session)
    assert session["state"] == "draft"
    assert (session["title"], session["neighbourhood"]) == ("Buurtavond Noord", "Noord")
    assert (
        session["code"] is None
        and session["join_url"] is None
        and session["current_prompt_id"] is None
    )
    assert session["participants"] == 0
    assert (session["language"], session["min_group"]) == ("nl", 5)
    assert RFC3339_UTC.match(session["created_at"]), session["created_at"]
    assert [p["kind"] for p in session["prompts"]] == [p["kind"] for p in ALL_KINDS]
    assert [p["position"] for p in session["prompts"]] == list(range(len(ALL_KINDS)))
    for p in session["prompts"]:
        assert set(p) >= PROMPT_FIELDS
        assert (p["state"], p["revealed"], p["answers"]) == ("pending", False, 0)
    assert staff.http.get(f"/api/sessions/{session['id']}").json() == session


def test_staff_see_facilitator_notes(live_server: Server) -> None:
    staff = live_server.login()
    session = new_session(staff)
    assert by_title(session, "Hoe gaat het?")["notes"] == "Geheim voor bewoners"


MALFORMED_SESSIONS: list[Any] = [
    {},
    {"title": 5},
    {"title": ""},
    {"title": "x" * 301},
    {"title": "x", "prompts": {"kind": "words"}},
    {"title": "x", "prompts": [{"kind": "poll", "title": "p"}]},
    {"title": "x", "language": "de"},
    {"title": "x", "colour": "red"},
    {"title": "x", "neighbourhood": 3},
    {"title": None},
    [],
]


def test_create_session_with_a_malformed_body_is_400(
    live_server: Server, subtests: pytest.Subtests
) -> None:
    staff = live_server.login()
    for body in MALFORMED_SESSIONS:
        with subtests.test(msg=repr(body)):
            assert_error(staff.http.post("/api/sessions", json=body), 400, "invalid_body")
    assert staff.http.get("/api/sessions").json() == []


def test_create_session_with_an_invalid_prompt_definition_is_rejected_whole(
    live_server: Server,
) -> None:
    staff = live_server.login()
    bad = {"kind": "scale", "title": "s", "min": 5, "max": 1}
    assert_error(
        staff.http.post("/api/sessions", json={"title": "Half", "prompts": [ALL_KINDS[0], bad]}),
        422,
        "invalid_value",
    )
    assert all(s["title"] != "Half" for s in staff.http.get("/api/sessions").json())


def test_patch_session_changes_title_neighbourhood_and_language(live_server: Server) -> None:
    staff = live_server.login()
    session = new_session(staff)
    r = staff.http.patch(
        f"/api/sessions/{session['id']}",
        json={"title": "Nieuw", "neighbourhood": "Zuid", "language": "en"},
    )
    assert r.status_code == 200, r.text
    assert (r.json()["title"], r.json()["neighbourhood"], r.json()["language"]) == (
        "Nieuw",
        "Zuid",
        "en",
    )
    again = staff.http.get(f"/api/sessions/{session['id']}").json()
    assert (again["title"], again["neighbourhood"], again["language"]) == ("Nieuw", "Zuid", "en")


def test_patch_session_with_a_malformed_body_is_400(
    live_server: Server, subtests: pytest.Subtests
) -> None:
    staff = live_server.login()
    session = new_session(staff)
    for body in [
        {"title": ""},
        {"language": "fr"},
        {"state": "live"},
        {"title": 1},
        {"code": "AAAAAA"},
    ]:
        with subtests.test(msg=repr(body)):
            assert_error(
                staff.http.patch(f"/api/sessions/{session['id']}", json=body), 400, "invalid_body"
            )
    after = staff.http.get(f"/api/sessions/{session['id']}").json()
    assert (after["title"], after["state"], after["language"]) == ("Buurtavond", "draft", "nl")


def test_start_makes_the_session_live_with_a_join_code_and_url(live_server: Server) -> None:
    staff = live_server.login()
    session = new_session(staff)
    r = staff.http.post(f"/api/sessions/{session['id']}/start")
    assert r.status_code == 200, r.text
    live = r.json()
    assert live["state"] == "live"
    assert JOIN_CODE.match(live["code"]), live["code"]
    assert live["join_url"] == f"{live_server.url}/j/{live['code']}"


def test_starting_a_live_session_again_is_409_wrong_state(live_server: Server) -> None:
    staff = live_server.login()
    session = live_session(staff)
    assert_error(staff.http.post(f"/api/sessions/{session['id']}/start"), 409, "wrong_state")
    assert staff.http.get(f"/api/sessions/{session['id']}").json()["code"] == session["code"]


def test_show_on_a_draft_session_is_409_wrong_state(live_server: Server) -> None:
    staff = live_server.login()
    session = new_session(staff)
    r = staff.http.post(
        f"/api/sessions/{session['id']}/show", json={"prompt_id": session["prompts"][0]["id"]}
    )
    assert_error(r, 409, "wrong_state")
    assert (
        staff.http.get(f"/api/sessions/{session['id']}").json()["prompts"][0]["state"] == "pending"
    )


def test_show_opens_the_prompt_and_makes_it_current(live_server: Server) -> None:
    staff = live_server.login()
    session = live_session(staff)
    prompt = session["prompts"][2]
    r = staff.http.post(f"/api/sessions/{session['id']}/show", json={"prompt_id": prompt["id"]})
    assert r.status_code == 200, r.text
    assert r.json()["current_prompt_id"] == prompt["id"]
    shown = next(p for p in r.json()["prompts"] if p["id"] == prompt["id"])
    assert shown["state"] == "open"


def test_show_null_clears_the_current_prompt(live_server: Server) -> None:
    staff = live_server.login()
    session = live_session(staff)
    staff.show(session, session["prompts"][0])
    r = staff.http.post(f"/api/sessions/{session['id']}/show", json={"prompt_id": None})
    assert r.status_code == 200, r.text
    assert staff.http.get(f"/api/sessions/{session['id']}").json()["current_prompt_id"] is None


def test_show_an_unknown_prompt_is_404(live_server: Server) -> None:
    staff = live_server.login()
    session = live_session(staff)
    assert_error(
        staff.http.post(f"/api/sessions/{session['id']}/show", json={"prompt_id": "nope"}),
        404,
        "not_found",
    )


def test_show_a_prompt_of_another_session_is_404(live_server: Server) -> None:
    staff = live_server.login()
    session, other = live_session(staff), live_session(staff)
    r = staff.http.post(
        f"/api/sessions/{session['id']}/show", json={"prompt_id": other["prompts"][0]["id"]}
    )
    assert_error(r, 404, "not_found")


def test_show_with_a_malformed_body_is_400(live_server: Server, subtests: pytest.Subtests) -> None:
    staff = live_server.login()
    session = live_session(staff)
    for body in [{}, {"prompt_id": 5}, {"prompt_id": ["a"]}, {"prompt": None}, None]:
        with subtests.test(msg=repr(body)):
            assert_error(
                staff.http.post(f"/api/sessions/{session['id']}/show", json=body),
                400,
                "invalid_body",
            )
    assert staff.http.get(f"/api/sessions/{session['id']}").json()["current_prompt_id"] is None


def test_close_prompt_closes_it(live_server: Server) -> None:
    staff = live_server.login()
    session = live_session(staff)
    prompt = session["prompts"][0]
    staff.show(session, prompt)
    r = staff.http.post(f"/api/sessions/{session['id']}/prompts/{prompt['id']}/close")
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "closed"


def test_close_prompt_of_a_draft_session_is_409(live_server: Server) -> None:
    staff = live_server.login()
    session = new_session(staff)
    r = staff.http.post(
        f"/api/sessions/{session['id']}/prompts/{session['prompts'][0]['id']}/close"
    )
    assert_error(r, 409, "wrong_state")


def test_close_an_unknown_prompt_is_404(live_server: Server) -> None:
    staff = live_server.login()
    session = live_session(staff)
    assert_error(
        staff.http.post(f"/api/sessions/{session['id']}/prompts/nope/close"), 404, "not_found"
    )


def test_reveal_toggles_whether_residents_see_results(live_server: Server) -> None:
    staff = live_server.login()
    session = live_session(staff)
    prompt = session["prompts"][0]
    staff.show(session, prompt)
    url = f"/api/sessions/{session['id']}/prompts/{prompt['id']}/reveal"
    r = staff.http.post(url, json={"visible": True})
    assert r.status_code == 200 and r.json()["revealed"] is True
    r = staff.http.post(url, json={"visible": False})
    assert r.status_code == 200 and r.json()["revealed"] is False


def test_reveal_with_a_non_boolean_is_400(live_server: Server, subtests: pytest.Subtests) -> None:
    staff = live_server.login()
    session = live_session(staff)
    url = f"/api/sessions/{session['id']}/prompts/{session['prompts'][0]['id']}/reveal"
    for body in [{}, {"visible": "yes"}, {"visible": None}, {"visible": [True]}]:
        with subtests.test(msg=repr(body)):
            assert_error(staff.http.post(url, json=body), 400, "invalid_body")
    assert (
        staff.http.get(f"/api/sessions/{session['id']}").json()["prompts"][0]["revealed"] is False
    )


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/prompts/{pid}/reveal", {"visible": 1}),
        ("/prompts/{pid}/reveal", {"visible": "true"}),
        ("/prompts", {"kind": "words", "title": "w", "max_words": "3"}),
        ("/prompts", {"kind": "dilemma", "title": "d", "left": "L", "right": "R", "bins": "7"}),
        ("/prompts", {"kind": "choice", "title": "c", "options": OPTIONS, "multi": "false"}),
    ],
)
def test_numbers_and_booleans_of_the_wrong_json_type_are_400(
    live_server: Server, path: str, body: Any
) -> None:
    staff = live_server.login()
    session = live_session(staff)
    url = f"/api/sessions/{session['id']}" + path.format(pid=session["prompts"][0]["id"])
    assert_error(staff.http.post(url, json=body), 400, "invalid_body")


def test_reveal_on_a_draft_session_is_409(live_server: Server) -> None:
    staff = live_server.login()
    session = new_session(staff)
    url = f"/api/sessions/{session['id']}/prompts/{session['prompts'][0]['id']}/reveal"
    assert_error(staff.http.post(url, json={"visible": True}), 409, "wrong_state")


def test_close_session_makes_it_closed_and_drops_the_code(live_server: Server) -> None:
    staff = live_server.login()
    session = live_session(staff)
    staff.show(session, session["prompts"][0])
    r = staff.http.post(f"/api/sessions/{session['id']}/close")
    assert r.status_code == 200, r.text
    closed = r.json()
    assert closed["state"] == "closed"
    assert closed["code"] is None and closed["join_url"] is None
    assert all(p["state"] != "open" for p in closed["prompts"])


def test_closed_session_refuses_every_state_change_with_409(live_server: Server) -> None:
    staff = live_server.login()
    session = live_session(staff)
    sid, pid = session["id"], session["prompts"][0]["id"]
    assert staff.http.post(f"/api/sessions/{sid}/close").status_code == 200
    calls = [
        ("POST", f"/api/sessions/{sid}/close", None),
        ("POST", f"/api/sessions/{sid}/start", None),
        ("POST", f"/api/sessions/{sid}/show", {"prompt_id": pid}),
        ("POST", f"/api/sessions/{sid}/prompts/{pid}/close", None),
        ("POST", f"/api/sessions/{sid}/prompts", {"kind": "words", "title": "te laat"}),
        ("PATCH", f"/api/sessions/{sid}", {"title": "te laat"}),
        ("PATCH", f"/api/sessions/{sid}/prompts/{pid}", {"title": "te laat"}),
        ("DELETE", f"/api/sessions/{sid}/prompts/{pid}", None),
        (
            "PUT",
            f"/api/sessions/{sid}/prompts/order",
            {"prompt_ids": [p["id"] for p in session["prompts"]]},
        ),
        ("POST", f"/api/sessions/{sid}/projector-link", None),
    ]
    for method, path, body in calls:
        assert_error(staff.http.request(method, path, json=body), 409, "wrong_state")
    after = staff.http.get(f"/api/sessions/{sid}").json()
    assert after["title"] == "Buurtavond" and len(after["prompts"]) == len(ALL_KINDS)


def test_closed_session_keeps_its_results_readable(live_server: Server) -> None:
    staff = live_server.login()
    session = live_session(staff)
    staff.http.post(f"/api/sessions/{session['id']}/close")
    for path in ("results", "export.json", "export.csv", "report.html"):
        assert staff.http.get(f"/api/sessions/{session['id']}/{path}").status_code == 200


# ---- prompts ----
VALID_AND_INVALID = [
    (
        {"kind": "dilemma", "title": "D", "left": "L", "right": "R", "bins": 9},
        {"kind": "dilemma", "title": "D", "left": "L", "right": "R", "bins": 1},
    ),
    (
        {"kind": "dilemma", "title": "D", "left": "L", "right": "R"},
        {"kind": "dilemma", "title": "D", "left": "L"},
    ),
    (
        {
            "kind": "scale",
            "title": "S",
            "min": 0,
            "max": 10,
            "min_label": "nooit",
            "max_label": "altijd",
        },
        {"kind": "scale", "title": "S", "min": 5, "max": 1},
    ),
    (
        {"kind": "scale", "title": "S"},
        {"kind": "scale", "title": "S", "min": 0, "max": 30},
    ),
    (
        {"kind": "choice", "title": "C", "options": OPTIONS, "multi": True, "max_choices": 2},
        {"kind": "choice", "title": "C", "options": OPTIONS, "multi": True, "max_choices": 4},
    ),
    (
        {"kind": "choice", "title": "C", "options": OPTIONS},
        {
            "kind": "choice",
            "title": "C",
            "options": [{"id": "a", "label": "A"}, {"id": "a", "label": "B"}],
        },
    ),
    (
        {
            "kind": "open",
            "title": "O",
            "categories": [{"id": "x", "label": "X"}],
            "max_cards": 5,
            "moderated": False,
        },
        {
            "kind": "open",
            "title": "O",
            "categories": [{"id": "x", "label": "X"}, {"id": "x", "label": "Y"}],
        },
    ),
    (
        {"kind": "open", "title": "O"},
        {"kind": "open", "title": "O", "max_cards": 0},
    ),
    (
        {"kind": "words", "title": "W", "max_words": 5},
        {"kind": "words", "title": "W", "max_words": 6},
    ),
    (
        {
            "kind": "statements",
            "title": "St",
            "statements": [{"id": "s1", "text": "Een"}],
            "resident_statements": True,
        },
        {
            "kind": "statements",
            "title": "St",
            "statements": [{"id": "s1", "text": "a"}, {"id": "s1", "text": "b"}],
        },
    ),
    (
        {"kind": "statements", "title": "St", "statements": [{"id": "s1", "text": "Een"}]},
        {"kind": "statements", "title": "St", "statements": []},
    ),
]


def test_add_prompt_of_each_kind_accepts_a_valid_and_rejects_an_invalid_definition(
    live_server: Server, subtests: pytest.Subtests
) -> None:
    staff = live_server.login()
    for valid, invalid in VALID_AND_INVALID:
        with subtests.test(msg=f"{valid} / {invalid}"):
            session = new_session(staff, prompts=[ALL_KINDS[0]])
            url = f"/api/sessions/{session['id']}/prompts"
            r = staff.http.post(url, json=valid)
            assert r.status_code == 201, r.text
            prompt = r.json()
            assert set(prompt) >= PROMPT_FIELDS
            assert (prompt["position"], prompt["state"], prompt["revealed"]) == (
                1,
                "pending",
                False,
            )
            for key, value in valid.items():
                assert prompt[key] == value, key
            assert_rejected(staff.http.post(url, json=invalid))
            assert len(staff.http.get(f"/api/sessions/{session['id']}").json()["prompts"]) == 2


MALFORMED_PROMPTS: list[Any] = [
    {"kind": "poll", "title": "p"},
    {"title": "zonder soort"},
    {"kind": "words"},
    {"kind": "words", "title": "w", "max_words": True},
    {"kind": "words", "title": "w", "left": "L"},
    {
        "kind": "choice",
        "title": "c",
        "options": [{"id": "a b", "label": "A"}, {"id": "c", "label": "C"}],
    },
    {"kind": "choice", "title": "c", "options": "a,b"},
    {"kind": "words", "title": "w", "max_words": 3.5},
    [],
]


def test_add_prompt_with_a_malformed_definition_is_400(
    live_server: Server, subtests: pytest.Subtests
) -> None:
    staff = live_server.login()
    session = new_session(staff)
    for body in MALFORMED_PROMPTS:
        with subtests.test(msg=repr(body)):
            assert_error(
                staff.http.post(f"/api/sessions/{session['id']}/prompts", json=body),
                400,
                "invalid_body",
            )
    assert len(staff.http.get(f"/api/sessions/{session['id']}").json()["prompts"]) == len(ALL_KINDS)


def test_add_prompt_to_a_live_session_appends_it(live_server: Server) -> None:
    staff = live_server.login()
    session = live_session(staff)
    r = staff.http.post(
        f"/api/sessions/{session['id']}/prompts", json={"kind": "words", "title": "Erbij"}
    )
    assert r.status_code == 201, r.text
    assert r.json()["position"] == len(ALL_KINDS)


def test_patch_prompt_replaces_the_given_fields_and_keeps_the_rest(live_server: Server) -> None:
    staff = live_server.login()
    session = new_session(staff)
    scale = by_title(session, "Hoe gaat het?")
    r = staff.http.patch(
        f"/api/sessions/{session['id']}/prompts/{scale['id']}",
        json={"title": "Hoe voelt u zich?", "max": 7},
    )
    assert r.status_code == 200, r.text
    patched = r.json()
    assert (patched["id"], patched["kind"], patched["title"], patched["min"], patched["max"]) == (
        scale["id"],
        "scale",
        "Hoe voelt u zich?",
        1,
        7,
    )
    assert patched["notes"] == "Geheim voor bewoners"


def test_patch_prompt_cannot_change_its_kind(live_server: Server) -> None:
    staff = live_server.login()
    session = new_session(staff)
    scale = by_title(session, "Hoe gaat het?")
    r = staff.http.patch(
        f"/api/sessions/{session['id']}/prompts/{scale['id']}", json={"kind": "words"}
    )
    assert_rejected(r)
    assert (
        by_title(staff.http.get(f"/api/sessions/{session['id']}").json(), "Hoe gaat het?")["kind"]
        == "scale"
    )


def test_patch_prompt_with_an_invalid_change_is_rejected_and_changes_nothing(
    live_server: Server, subtests: pytest.Subtests
) -> None:
    staff = live_server.login()
    session = new_session(staff)
    scale = by_title(session, "Hoe gaat het?")
    url = f"/api/sessions/{session['id']}/prompts/{scale['id']}"
    bodies: list[Any] = [
        {"min": 9},
        {"max": 1},
        {"max": 30},
        {"left": "Links"},
        {"bins": 1},
        {"title": ""},
        {"title": 5},
        {"colour": "red"},
        [],
    ]
    for body in bodies:
        with subtests.test(msg=repr(body)):
            assert_rejected(staff.http.patch(url, json=body))
    assert (
        by_title(staff.http.get(f"/api/sessions/{session['id']}").json(), "Hoe gaat het?") == scale
    )


def test_patch_an_unknown_prompt_is_404(live_server: Server) -> None:
    staff = live_server.login()
    session = new_session(staff)
    assert_error(
        staff.http.patch(f"/api/sessions/{session['id']}/prompts/nope", json={"title": "x"}),
        404,
        "not_found",
    )


def test_patch_prompt_with_responses_is_409_prompt_has_responses(live_server: Server) -> None:
    staff = live_server.login()
    session = live_session(staff)
    scale = by_title(session, "Hoe gaat het?")
    staff.show(session, scale)
    assert (
        answer(live_server, join(live_server, session["code"]), scale["id"], 4).status_code == 200
    )
    r = staff.http.patch(f"/api/sessions/{session['id']}/prompts/{scale['id']}", json={"max": 7})
    assert_error(r, 409, "prompt_has_responses")
    assert (
        by_title(staff.http.get(f"/api/sessions/{session['id']}").json(), "Hoe gaat het?")["max"]
        == 5
    )


def test_patch_prompt_with_cards_is_409_prompt_has_responses(live_server: Server) -> None:
    staff = live_server.login()
    session = live_session(staff)
    open_prompt = by_title(session, "Zorgen")
    staff.show(session, open_prompt)
    token = join(live_server, session["code"])
    assert answer(live_server, token, open_prompt["id"], {"text": "Een kaart"}).status_code == 200
    r = staff.http.patch(
        f"/api/sessions/{session['id']}/prompts/{open_prompt['id']}", json={"title": "Ander"}
    )
    assert_error(r, 409, "prompt_has_responses")


def test_delete_prompt_answers_204_and_removes_it(live_server: Server) -> None:
    staff = live_server.login()
    session = new_session(staff)
    victim = session["prompts"][1]
    r = staff.http.delete(f"/api/sessions/{session['id']}/prompts/{victim['id']}")
    assert r.status_code == 204, r.text
    ids = [p["id"] for p in staff.http.get(f"/api/sessions/{session['id']}").json()["prompts"]]
    assert victim["id"] not in ids and len(ids) == len(ALL_KINDS) - 1


def test_delete_the_current_prompt_clears_current(live_server: Server) -> None:
    staff = live_server.login()
    session = live_session(staff)
    prompt = session["prompts"][0]
    staff.show(session, prompt)
    assert (
        staff.http.delete(f"/api/sessions/{session['id']}/prompts/{prompt['id']}").status_code
        == 204
    )
    assert staff.http.get(f"/api/sessions/{session['id']}").json()["current_prompt_id"] is None


def test_delete_prompt_with_responses_is_409(live_server: Server) -> None:
    staff = live_server.login()
    session = live_session(staff)
    dilemma = session["prompts"][0]
    staff.show(session, dilemma)
    assert (
        answer(live_server, join(live_server, session["code"]), dilemma["id"], 30).status_code
        == 200
    )
    assert_error(
        staff.http.delete(f"/api/sessions/{session['id']}/prompts/{dilemma['id']}"),
        409,
        "prompt_has_responses",
    )
    assert len(staff.http.get(f"/api/sessions/{session['id']}").json()["prompts"]) == len(ALL_KINDS)


def test_delete_an_unknown_prompt_is_404(live_server: Server) -> None:
    staff = live_server.login()
    session = new_session(staff)
    assert_error(staff.http.delete(f"/api/sessions/{session['id']}/prompts/nope"), 404, "not_found")


def test_reorder_prompts_sets_their_positions(live_server: Server) -> None:
    staff = live_server.login()
    session = new_session(staff)
    wanted = [p["id"] for p in reversed(session["prompts"])]
    r = staff.http.put(f"/api/sessions/{session['id']}/prompts/order", json={"prompt_ids": wanted})
    assert r.status_code == 200, r.text
    for body in (r.json(), staff.http.get(f"/api/sessions/{session['id']}").json()):
        ordered = sorted(body["prompts"], key=lambda p: p["position"])
        assert [p["id"] for p in ordered] == wanted


def test_reorder_with_anything_but_every_prompt_once_is_rejected(
    live_server: Server, subtests: pytest.Subtests
) -> None:
    staff = live_server.login()
    session = new_session(staff)
    ids = [p["id"] for p in session["prompts"]]
    other = new_session(staff)["prompts"][0]["id"]
    wrong = {
        "missing": ids[1:],
        "duplicate": [*ids, ids[0]],
        "duplicate instead of one": [ids[0], *ids[:-1]],
        "unknown": [*ids[1:], "nope"],
        "of another session": [*ids[1:], other],
        "empty": [],
    }
    url = f"/api/sessions/{session['id']}/prompts/order"
    for what, prompt_ids in wrong.items():
        with subtests.test(msg=what):
            assert_rejected(staff.http.put(url, json={"prompt_ids": prompt_ids}))
    after = staff.http.get(f"/api/sessions/{session['id']}").json()["prompts"]
    assert [p["id"] for p in sorted(after, key=lambda p: p["position"])] == ids


def test_reorder_with_a_malformed_body_is_400(
    live_server: Server, subtests: pytest.Subtests
) -> None:
    staff = live_server.login()
    session = new_session(staff)
    for body in [{}, {"prompt_ids": "a,b"}, {"prompt_ids": [1, 2]}, {"prompt_ids": None}]:
        with subtests.test(msg=repr(body)):
            assert_error(
                staff.http.put(f"/api/sessions/{session['id']}/prompts/order", json=body),
                400,
                "invalid_body",
            )


# ---- body size ----
def test_body_over_64_kib_is_413_too_large(live_server: Server) -> None:
    staff = live_server.login()
    r = staff.http.post("/api/sessions", json={"title": "x" * (65 * 1024)})
    assert_error(r, 413, "too_large")


def test_streamed_body_over_64_kib_is_413_too_large(live_server: Server) -> None:
    staff = live_server.login()

    def chunks() -> Any:
        yield b'{"title": "'
        for _ in range(70):
            yield b"x" * 1024
        yield b'"}'

    r = staff.http.post(
        "/api/sessions", content=chunks(), headers={"content-type": "application/json"}
    )
    assert_error(r, 413, "too_large")


def test_body_just_under_the_limit_is_not_too_large(live_server: Server) -> None:
    staff = live_server.login()
    # well-formed and under 64 KiB: refused for its content (title too long), not for its size
    r = staff.http.post("/api/sessions", json={"title": "x" * (60 * 1024)})
    assert_error(r, 400, "invalid_body")


# ---- QR codes ----
def test_qr_svg_of_a_live_session_is_an_svg_image(live_server: Server) -> None:
    staff = live_server.login()
    session = live_session(staff)
    r = staff.http.get(f"/api/sessions/{session['id']}/qr.svg")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].split(";")[0] == "image/svg+xml"
    assert b"<svg" in r.content


def test_qr_with_format_png_is_a_png_image(live_server: Server) -> None:
    staff = live_server.login()
    session = live_session(staff)
    r = staff.http.get(f"/api/sessions/{session['id']}/qr.svg", params={"format": "png"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "image/png"
    assert r.content.startswith(b"\x89PNG\r\n\x1a\n")


def test_qr_with_an_unknown_format_is_400(live_server: Server) -> None:
    staff = live_server.login()
    session = live_session(staff)
    assert_error(
        staff.http.get(f"/api/sessions/{session['id']}/qr.svg", params={"format": "gif"}),
        400,
        "invalid_body",
    )


def test_qr_of_a_draft_session_is_409_because_it_has_no_join_url(live_server: Server) -> None:
    staff = live_server.login()
    session = new_session(staff)
    assert_error(staff.http.get(f"/api/sessions/{session['id']}/qr.svg"), 409, "wrong_state")


# ---- exports ----
def test_export_csv_parses_with_the_csv_module_and_has_a_row_per_item(live_server: Server) -> None:
    staff = live_server.login()
    session = live_session(staff)
    scale = by_title(session, "Hoe gaat het?")
    staff.show(session, scale)
    for value in (1, 2, 2, 5, 5):
        assert (
            answer(live_server, join(live_server, session["code"]), scale["id"], value).status_code
            == 200
        )
    r = staff.http.get(f"/api/sessions/{session['id']}/export.csv")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert {row["prompt_id"] for row in rows} == {p["id"] for p in session["prompts"]}
    header = next(csv.reader(io.StringIO(r.text)))
    assert {"prompt_id", "prompt_kind", "n", "hidden", "item", "count"} <= set(header)
    scale_rows = {row["item"]: row for row in rows if row["prompt_id"] == scale["id"]}
    assert {k: int(v["count"]) for k, v in scale_rows.items()} == {
        "1": 1,
        "2": 2,
        "3": 0,
        "4": 0,
        "5": 2,
    }
    assert all(row["n"] == "5" and row["hidden"] == "0" for row in scale_rows.values())
    hidden = [row for row in rows if row["prompt_id"] != scale["id"]]
    assert hidden and all(row["hidden"] == "1" and row["item"] == "" for row in hidden)


def test_export_csv_quotes_titles_with_commas_quotes_and_newlines(live_server: Server) -> None:
    staff = live_server.login()
    title = 'Rust, "welkom"\nof allebei?'
    session = live_session(staff, prompts=[{"kind": "words", "title": title}])
    rows = list(
        csv.DictReader(
            io.StringIO(staff.http.get(f"/api/sessions/{session['id']}/export.csv").text)
        )
    )
    assert [row["prompt_title"] for row in rows] == [title]


def test_export_json_has_the_session_and_a_tally_per_prompt(live_server: Server) -> None:
    staff = live_server.login()
    session = live_session(staff)
    r = staff.http.get(f"/api/sessions/{session['id']}/export.json")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert body["session"]["id"] == session["id"]
    assert [p["id"] for p in body["prompts"]] == [p["id"] for p in session["prompts"]]
    for p in body["prompts"]:
        assert p["tally"] == {"kind": p["kind"], "n": 0, "hidden": True}


def test_report_html_is_html_and_escapes_titles(live_server: Server) -> None:
    staff = live_server.login()
    session = live_session(
        staff, prompts=[{"kind": "words", "title": "<img src=x onerror=alert(1)>"}]
    )
    staff.http.patch(f"/api/sessions/{session['id']}", json={"title": "<script>alert(1)</script>"})
    r = staff.http.get(f"/api/sessions/{session['id']}/report.html")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/html")
    assert "<script>alert(1)</script>" not in r.text and "&lt;script&gt;" in r.text
    assert "<img src=x" not in r.text and "&lt;img src=x" in r.text


def test_exports_show_no_card_text_that_was_not_approved(live_server: Server) -> None:
    staff = live_server.login()
    session = live_session(staff)
    open_prompt = by_title(session, "Zorgen")
    staff.show(session, open_prompt)
    for i in range(5):
        token = join(live_server, session["code"])
        assert (
            answer(
                live_server, token, open_prompt["id"], {"text": f"Geheime kaart {i}"}
            ).status_code
            == 200
        )
    for path in ("export.csv", "export.json", "report.html", "results"):
        body = staff.http.get(f"/api/sessions/{session['id']}/{path}").text
        assert "Geheime kaart" not in body, path


# ---- moderation ----
def test_cards_list_filters_by_status_and_moderate_changes_it(live_server: Server) -> None:
    staff = live_server.login()
    session = live_session(staff)
    open_prompt = by_title(session, "Zorgen")
    staff.show(session, open_prompt)
    token = join(live_server, session["code"])
    for text in ("Een", "Twee"):
        assert (
            answer(
                live_server, token, open_prompt["id"], {"text": text, "category": "zorg"}
            ).status_code
            == 200
        )
    cards_url = f"/api/sessions/{session['id']}/prompts/{open_prompt['id']}/cards"
    pending = staff.http.get(cards_url, params={"status": "pending"}).json()
    assert sorted(c["text"] for c in pending) == ["Een", "Twee"]
    assert all(set(c) >= {"id", "prompt_id", "text", "category", "status"} for c in pending)
    r = staff.http.post(
        f"/api/sessions/{session['id']}/cards/{pending[0]['id']}/moderate",
        json={"status": "approved"},
    )
    assert r.status_code == 200, r.text
    assert (r.json()["id"], r.json()["status"]) == (pending[0]["id"], "approved")
    assert [c["id"] for c in staff.http.get(cards_url, params={"status": "approved"}).json()] == [
        pending[0]["id"]
    ]
    assert [c["id"] for c in staff.http.get(cards_url, params={"status": "pending"}).json()] == [
        pending[1]["id"]
    ]
    assert len(staff.http.get(cards_url).json()) == 2


def test_moderate_with_an_invalid_status_is_400(
    live_server: Server, subtests: pytest.Subtests
) -> None:
    staff = live_server.login()
    session = live_session(staff)
    open_prompt = by_title(session, "Zorgen")
    staff.show(session, open_prompt)
    assert (
        answer(
            live_server, join(live_server, session["code"]), open_prompt["id"], {"text": "Kaart"}
        ).status_code
        == 200
    )
    cards_url = f"/api/sessions/{session['id']}/prompts/{open_prompt['id']}/cards"
    card = staff.http.get(cards_url).json()[0]
    for body in [
        {},
        {"status": "pending"},
        {"status": "deleted"},
        {"status": True},
        {"status": "approved", "x": 1},
    ]:
        with subtests.test(msg=repr(body)):
            r = staff.http.post(
                f"/api/sessions/{session['id']}/cards/{card['id']}/moderate", json=body
            )
            assert_error(r, 400, "invalid_body")
    assert staff.http.get(cards_url).json()[0]["status"] == "pending"


def test_moderate_an_unknown_card_is_404(live_server: Server) -> None:
    staff = live_server.login()
    session = live_session(staff)
    r = staff.http.post(
        f"/api/sessions/{session['id']}/cards/nope/moderate", json={"status": "approved"}
    )
    assert_error(r, 404, "not_found")


def test_cards_of_an_unknown_prompt_is_404_and_unknown_status_is_400(live_server: Server) -> None:
    staff = live_server.login()
    session = live_session(staff)
    assert_error(
        staff.http.get(f"/api/sessions/{session['id']}/prompts/nope/cards"), 404, "not_found"
    )
    url = f"/api/sessions/{session['id']}/prompts/{by_title(session, 'Zorgen')['id']}/cards"
    assert_error(staff.http.get(url, params={"status": "secret"}), 400, "invalid_body")


# ---- tickets and projector links ----
def test_ws_ticket_is_201_with_a_ticket(live_server: Server) -> None:
    staff = live_server.login()
    session = live_session(staff)
    r = staff.http.post(f"/api/sessions/{session['id']}/ws-ticket")
    assert r.status_code == 201, r.text
    first = r.json()["ticket"]
    second = staff.http.post(f"/api/sessions/{session['id']}/ws-ticket").json()["ticket"]
    assert isinstance(first, str) and len(first) >= 16 and first != second


def test_projector_link_gives_a_key_that_makes_presenter_tickets(live_server: Server) -> None:
    staff = live_server.login()
    session = live_session(staff)
    r = staff.http.post(f"/api/sessions/{session['id']}/projector-link")
    assert r.status_code == 201, r.text
    link = r.json()
    assert link["url"] == f"{live_server.url}/projector/{session['id']}#key={link['key']}"
    t = httpx.post(
        f"{live_server.url}/api/projector/ws-ticket",
        headers={"Authorization": f"Bearer {link['key']}"},
    )
    assert t.status_code == 201, t.text
    assert t.json()["session_id"] == session["id"] and t.json()["ticket"]


def test_projector_key_stops_working_when_the_session_closes(live_server: Server) -> None:
    staff = live_server.login()
    session = live_session(staff)
    key = staff.http.post(f"/api/sessions/{session['id']}/projector-link").json()["key"]
    assert staff.http.post(f"/api/sessions/{session['id']}/close").status_code == 200
    r = httpx.post(
        f"{live_server.url}/api/projector/ws-ticket", headers={"Authorization": f"Bearer {key}"}
    )
    assert_error(r, 401, "not_authenticated")


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer not-a-key"}])
def test_projector_ticket_without_a_valid_key_is_401(
    live_server: Server, headers: dict[str, str]
) -> None:
    assert_error(
        httpx.post(f"{live_server.url}/api/projector/ws-ticket", headers=headers),
        401,
        "not_authenticated",
    )


def test_staff_api_token_is_not_a_projector_key(live_server: Server) -> None:
    account = live_server.create_staff()
    token = live_server.api_token(account["email"])
    r = httpx.post(
        f"{live_server.url}/api/projector/ws-ticket", headers={"Authorization": f"Bearer {token}"}
    )
    assert_error(r, 401, "not_authenticated")


# ---- the server stays up ----
def test_health_answers_ok(live_server: Server) -> None:
    r = httpx.get(f"{live_server.url}/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["bus"] == ("ok" if live_server.bus else "none")


def test_openapi_document_is_served(live_server: Server) -> None:
    r = httpx.get(f"{live_server.url}/schema/openapi.json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    for path in ("/api/auth/login", "/api/sessions", "/api/join", "/api/me/responses/{prompt_id}"):
        assert path in paths


def test_patch_session_with_null_clears_the_neighbourhood_but_not_the_title(staff: Staff) -> None:
    created = staff.http.post(
        "/api/sessions", json={"title": "Avond", "neighbourhood": "Oost"}
    ).json()
    url = f"/api/sessions/{created['id']}"
    r = staff.http.patch(url, json={"neighbourhood": None})
    assert r.status_code == 200, r.text
    assert r.json()["neighbourhood"] is None and r.json()["title"] == "Avond"
    assert_error(staff.http.patch(url, json={"title": None}), 400, "invalid_body")
    assert staff.http.get(url).json()["title"] == "Avond"


def test_login_expires_after_idle_time_but_reading_keeps_it_alive(live_server: Server) -> None:
    staff = live_server.login()

    def age_login(minutes: float) -> None:
        live_server.sql(
            "UPDATE staff_sessions SET seen_at = seen_at - ? WHERE user_id = ?",
            (minutes * 60.0, staff.user["id"]),
        )

    age_login(60)  # an hour of only reading: still logged in, and the clock moves again
    assert staff.http.get("/api/auth/me").status_code == 200
    age_login(7 * 60)
    assert staff.http.get("/api/sessions").status_code == 200
    age_login(8 * 60 + 1)  # past SAMENSPRAAK_SESSION_IDLE_MINUTES (480)
    assert_error(staff.http.get("/api/auth/me"), 401, "not_authenticated")


def test_expired_logins_are_deleted_when_someone_logs_in(live_server: Server) -> None:
    old = live_server.login()
    live_server.sql(
        "UPDATE staff_sessions SET seen_at = seen_at - 9 * 3600 WHERE user_id = ?",
        (old.user["id"],),
    )
    live_server.login()
    left = live_server.sql(
        "SELECT COUNT(*) FROM staff_sessions WHERE user_id = ?", (old.user["id"],)
    )[0][0]
    assert left == 0
