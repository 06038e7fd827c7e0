"""Roles on every route: the OpenAPI document's operations, each asked by four callers —
anonymous, a canvasser of the organisation, a facilitator of ANOTHER organisation, and the
organisation's admin — with a valid body, so that only authorisation can stop them.

No caller gets a 2xx it must not get, nobody gets a 5xx, and the expected refusals are the
documented ones: 401 without login, 403 for a role that may not, 404 for another
organisation's ids (it sees nothing, not even that they exist). A new route fails this test
until it is added to ROUTES below, with who may use it."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from ..conftest import Server, Staff

ANON, CANVASSER, STRANGER, ADMIN = "anonymous", "canvasser", "stranger", "admin"
ACTORS = (ANON, CANVASSER, STRANGER, ADMIN)
OK = "2xx"  # any success
NOT_DENIED = "reached"  # the handler ran: anything but 401, 403, 404 or a 5xx


@dataclass(frozen=True)
class Route:
    """What each caller must get. `body` may name world values as "{name}"; `params` choose
    other objects for this route's path parameters; `order` runs state-changing routes last."""

    expect: dict[str, int | str]
    body: Any = None
    params: dict[str, str] = field(default_factory=dict)
    order: int = 0
    relogin: bool = False
    cookieless: bool = False  # asked without the caller's cookies (login would replace them)


def public(status: int, **kw: Any) -> Route:
    return Route({a: status for a in ACTORS}, **kw)


def staff_only(status: int | str, **kw: Any) -> Route:
    return Route({ANON: 401, CANVASSER: status, STRANGER: status, ADMIN: status}, **kw)


def session_route(admin: int | str, **kw: Any) -> Route:
    """A route on one session of the organisation: organisers only."""
    return Route({ANON: 401, CANVASSER: 403, STRANGER: 404, ADMIN: admin}, **kw)


def round_route(admin: int | str, canvasser: int | str = 403, **kw: Any) -> Route:
    return Route({ANON: 401, CANVASSER: canvasser, STRANGER: 404, ADMIN: admin}, **kw)


def organisers(stranger: int | str, admin: int | str, **kw: Any) -> Route:
    """No id in the path: another organisation's facilitator gets its own (checked: nothing of
    ours), a canvasser nothing."""
    return Route({ANON: 401, CANVASSER: 403, STRANGER: stranger, ADMIN: admin}, **kw)


NOTE = {"area": "Noord", "day": "{today}", "part_of_day": "morning", "outcome": "not_home"}
ROUTES: dict[str, Route] = {
    # accounts
    "POST /api/auth/login": public(
        200, body={"email": "{admin_email}", "password": "{password}"}, cookieless=True
    ),
    "GET /api/auth/me": staff_only(200),
    "GET /api/auth/tokens": staff_only(200),
    "POST /api/auth/password": staff_only(
        422, body={"current_password": "not-the-password", "new_password": "fiets-brug-zeven-x"}
    ),
    "DELETE /api/auth/tokens/{key}": Route(
        {ANON: 401, CANVASSER: 404, STRANGER: 404, ADMIN: 200}, order=2
    ),
    "POST /api/auth/logout": staff_only(204, order=3, relogin=True),
    "POST /api/auth/logout-all": staff_only(200, order=3, relogin=True),
    "GET /api/audit": Route({ANON: 401, CANVASSER: 403, STRANGER: 403, ADMIN: 200}),
    "GET /api/templates": staff_only(200),
    # sessions
    "GET /api/sessions": organisers(200, 200),
    "POST /api/sessions": organisers(201, 201, body={"title": "Rolcheck"}),
    "GET /api/sessions/{sid}": session_route(200),
    "PATCH /api/sessions/{sid}": session_route(200, body={"neighbourhood": "{hood}"}),
    "POST /api/sessions/{sid}/prompts": session_route(201, body={"kind": "scale", "title": "E"}),
    "PUT /api/sessions/{sid}/prompts/order": session_route(
        200,
        body={"prompt_ids": []},
        params={"sid": "draft_sid"},  # the draft has no prompts
    ),
    "PATCH /api/sessions/{sid}/prompts/{pid}": session_route(
        200, body={"title": "Anders"}, params={"pid": "spare_pid"}
    ),
    "DELETE /api/sessions/{sid}/prompts/{pid}": session_route(
        204, params={"pid": "spare_pid"}, order=1
    ),
    "POST /api/sessions/{sid}/start": session_route(200, params={"sid": "draft_sid"}),
    "POST /api/sessions/{sid}/show": session_route(200, body={"prompt_id": "{pid}"}),
    "POST /api/sessions/{sid}/prompts/{pid}/reveal": session_route(200, body={"visible": True}),
    "POST /api/sessions/{sid}/prompts/{pid}/close": session_route(200, order=1),
    "POST /api/sessions/{sid}/close": session_route(200, order=2),
    "GET /api/sessions/{sid}/results": session_route(200),
    "GET /api/sessions/{sid}/qr.svg": session_route(200),
    "GET /api/sessions/{sid}/handout.html": session_route(200),
    "GET /api/sessions/{sid}/export.csv": session_route(200),
    "GET /api/sessions/{sid}/export.json": session_route(200),
    "GET /api/sessions/{sid}/report.html": session_route(200),
    "GET /api/sessions/{sid}/prompts/{pid}/cards": session_route(200),
    "POST /api/sessions/{sid}/cards/{card_id}/moderate": session_route(
        200, body={"status": "approved"}
    ),
    "POST /api/sessions/{sid}/ws-ticket": session_route(201),
    "POST /api/sessions/{sid}/projector-link": session_route(201),
    "GET /api/sessions/{sid}/prompts/{pid}/held-words": session_route(
        200, params={"pid": "words_pid"}
    ),
    "POST /api/sessions/{sid}/prompts/{pid}/held-words/approve": session_route(
        422, body={"word": "niet-vastgehouden"}, params={"pid": "words_pid"}
    ),
    "POST /api/projector/ws-ticket": public(401),  # needs a projector key, not a login
    # canvassing
    "GET /api/rounds": staff_only(200),
    "POST /api/rounds": organisers(201, 201, body={"title": "Ronde", "areas": ["Noord"]}),
    "GET /api/rounds/{rid}": round_route(200, canvasser=200),
    "PATCH /api/rounds/{rid}": round_route(200, body={"title": "Ronde Noord"}),
    "POST /api/rounds/{rid}/close": round_route(200, order=2),
    "GET /api/rounds/{rid}/notes": round_route(200, canvasser=200),
    "PUT /api/rounds/{rid}/notes/{note_id}": round_route(NOT_DENIED, canvasser=201, body=NOTE),
    "POST /api/rounds/{rid}/notes:batch": round_route(
        200, canvasser=200, body={"notes": [{**NOTE, "id": "rol-batch"}]}
    ),
    "GET /api/rounds/{rid}/summary": round_route(200),
    "GET /api/rounds/{rid}/export.csv": round_route(200),
    # the organisation's overview and word filter
    "GET /api/overview": organisers(200, 200),
    "GET /api/overview/{name}": session_route(200),
    "GET /api/word-filter": organisers(200, 200),
    "PUT /api/word-filter": organisers(403, 200, body={"added": [], "allowed": []}),
    # residents: a staff login is no participant token
    "POST /api/join": public(201, body={"code": "{code}"}),
    "GET /api/join/{code}/qr.svg": public(200),
    "GET /api/me/session": public(401),
    "PUT /api/me/responses/{prompt_id}": public(401, body={"value": 3}),
    "DELETE /api/me/responses": public(401),
    "POST /api/me/cards": public(401, body={"id": "c9", "prompt_id": "{pid}", "text": "Hoi"}),
    "POST /api/me/statements": public(
        401, body={"id": "s9", "prompt_id": "{pid}", "text": "Stelling"}
    ),
    "GET /health": public(200),
}


def operations(server: Server) -> list[str]:
    document = httpx.get(f"{server.url}/schema/openapi.json", timeout=10).json()
    return [
        f"{method.upper()} {path}"
        for path, item in document["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    ]


@dataclass
class World:
    server: Server
    values: dict[str, Any]
    staff: dict[str, Staff]
    secrets_of_org: list[str]  # ids and names that another organisation must never see


def build_world(server: Server) -> World:
    org = f"Gemeente Rol {secrets.token_hex(3)}"
    hood = f"Rolwijk {secrets.token_hex(3)}"
    admin_creds = server.create_staff(role="admin", org=org, name="Rol Admin")
    admin = server.login(admin_creds["email"])
    canvasser = server.login(role="canvasser", org=org, name="Rol Deur")
    stranger = server.login(role="facilitator", name="Rol Vreemde")  # its own organisation
    prompts = [
        {"kind": "open", "title": "Zorgen", "moderated": True},
        {"kind": "words", "title": "Woorden"},
        {"kind": "scale", "title": "Reserve"},
    ]
    session = admin.new_live_session(None, prompts=prompts, neighbourhood=hood)
    open_prompt, words, spare = session["prompts"]
    admin.show(session, open_prompt)
    joined = httpx.post(f"{server.url}/api/join", json={"code": session["code"]}).json()
    card = httpx.post(
        f"{server.url}/api/me/cards",
        json={"id": "k1", "prompt_id": open_prompt["id"], "text": "Een zorg"},
        headers={"Authorization": f"Bearer {joined['token']}"},
    )
    assert card.status_code == 201, card.text
    draft = admin.http.post("/api/sessions", json={"title": "Nog niet begonnen"}).json()
    made = admin.http.post("/api/rounds", json={"title": "Rolronde", "areas": ["Noord"]})
    assert made.status_code == 201, made.text
    token_name = f"rol-{secrets.token_hex(3)}"
    from .test_accounts import new_token

    new_token(server, admin_creds["email"], "--name", token_name)
    values = {
        "sid": session["id"],
        "draft_sid": draft["id"],
        "pid": open_prompt["id"],
        "prompt_id": open_prompt["id"],
        "words_pid": words["id"],
        "spare_pid": spare["id"],
        "card_id": card.json()["id"],
        "rid": made.json()["id"],
        "note_id": "rol-note",
        "code": session["code"],
        "name": hood,
        "hood": hood,
        "key": token_name,
        "today": dt.datetime.now(dt.UTC).date().isoformat(),
        "admin_email": admin_creds["email"],
        "password": admin_creds["password"],
    }
    return World(
        server,
        values,
        {CANVASSER: canvasser, STRANGER: stranger, ADMIN: admin},
        [session["id"], draft["id"], made.json()["id"], org, hood, card.json()["id"]],
    )


def fill(value: Any, values: dict[str, Any]) -> Any:
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return values[value[1:-1]]
    if isinstance(value, dict):
        return {k: fill(v, values) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, values) for v in value]
    return value


def path_of(template: str, route: Route, values: dict[str, Any]) -> str:
    out = template
    for name in [p.split("}")[0] for p in template.split("{")[1:]]:
        out = out.replace("{" + name + "}", str(values[route.params.get(name, name)]))
    return out


def client_for(world: World, actor: str, route: Route) -> httpx.Client:
    if actor == ANON or route.cookieless:
        return httpx.Client(base_url=world.server.url, timeout=15)
    if route.relogin:  # logging out ends the login: every caller gets a fresh one first
        user = world.staff[actor].user
        world.staff[actor] = world.server.login(user["email"])
    return world.staff[actor].http


def verdict(expected: int | str, status: int) -> bool:
    if expected == OK:
        return 200 <= status < 300
    if expected == NOT_DENIED:
        return status not in (401, 403, 404) and status < 500
    return status == expected


def test_every_route_answers_each_role_as_documented(live_server: Server) -> None:
    found = operations(live_server)
    missing = sorted(set(found) - set(ROUTES))
    assert missing == [], f"add these routes to ROUTES with who may use them: {missing}"
    gone = sorted(set(ROUTES) - set(found))
    assert gone == [], f"these routes are no longer in the OpenAPI document: {gone}"

    world = build_world(live_server)
    wrong: list[str] = []
    for name in sorted(found, key=lambda n: (ROUTES[n].order, n)):
        route = ROUTES[name]
        method, template = name.split(" ", 1)
        path = path_of(template, route, world.values)
        body = fill(route.body, world.values)
        for actor in ACTORS:
            client = client_for(world, actor, route)
            r = client.request(method, path, **({"json": body} if body is not None else {}))
            if r.status_code >= 500 or not verdict(route.expect[actor], r.status_code):
                wrong.append(f"{name} as {actor}: {r.status_code} {r.text[:160]}")
                continue
            if actor == STRANGER and r.is_success and route.expect[ANON] == 401:
                leaked = [s for s in world.secrets_of_org if str(s) in r.text]
                if leaked:
                    wrong.append(f"{name} as {actor} shows another organisation's {leaked}")
    assert wrong == [], "\n".join(wrong)


@pytest.mark.parametrize("role", ["canvasser", "facilitator"])
def test_only_admins_read_the_audit_log_even_with_a_token(live_server: Server, role: str) -> None:
    from .test_accounts import bearer, new_token

    account = live_server.create_staff(role=role)
    token = bearer(live_server, new_token(live_server, account["email"], "--scope", "read"))
    r = token.get("/api/audit")
    assert r.status_code == 403, r.text
