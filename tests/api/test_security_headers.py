"""Browser hardening over HTTP against a real server (docs/security.md, "Browser hardening"):
every kind of response carries the security headers, HSTS and Secure cookies only when
PUBLIC_URL is https, and the cookies' flags on login and logout."""

from __future__ import annotations

import uuid
from http.cookies import SimpleCookie
from typing import Any

import httpx
import pytest

from ..conftest import Server, Staff, join
from .test_canvass_api import a_note

PAGES = [
    "/",
    "/login",
    "/console",
    "/console/sessions/nope",
    "/console/overview",
    "/console/overview/Noord",
    "/console/rounds",
    "/console/rounds/nope",
    "/canvass",
    "/canvass/anything",
    "/j/ABCDEF",
    "/projector/nope",
]
STATIC = {
    "/sw.js": "text/javascript",
    "/manifest.webmanifest": "application/manifest+json",
    "/app/js/main.js": "text/javascript",
    "/app/vendor/htm.module.js": "text/javascript",
    "/app/css/app.css": "text/css",
    "/app/css/report.css": "text/css",
    "/app/i18n/nl.json": "application/json",
    "/app/icons/icon-192.png": "image/png",
    "/app/canvass.webmanifest": "",  # any type: only a <link rel=manifest> loads it
}
DENIED = ["camera", "microphone", "geolocation", "payment", "usb", "serial", "hid"]


def directives(csp: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for part in csp.split(";"):
        name, *values = part.split()
        assert name not in found, f"{name} twice in {csp}"
        found[name] = values
    return found


def expected_csp(socket_origin: str) -> dict[str, list[str]]:
    return {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "connect-src": ["'self'", socket_origin],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "manifest-src": ["'self'"],
        "worker-src": ["'self'"],
    }


def assert_hardened(r: httpx.Response, socket_origin: str, *, https: bool = False) -> None:
    where = f"{r.request.method} {r.request.url.path} → {r.status_code}"
    for name in (
        "content-security-policy",
        "x-content-type-options",
        "referrer-policy",
        "permissions-policy",
        "cross-origin-opener-policy",
    ):
        assert len(r.headers.get_list(name)) == 1, f"{where}: {name} {r.headers.get_list(name)}"
    csp = r.headers["content-security-policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, where
    assert directives(csp) == expected_csp(socket_origin), where
    assert r.headers["x-content-type-options"] == "nosniff", where
    assert r.headers["referrer-policy"] == "no-referrer", where
    assert r.headers["cross-origin-opener-policy"] == "same-origin", where
    policy = {p.strip() for p in r.headers["permissions-policy"].split(",")}
    assert {f"{feature}=()" for feature in DENIED} <= policy, where
    assert not any(p.startswith("clipboard-write") for p in policy), where  # the console copies
    hsts = r.headers.get_list("strict-transport-security")
    assert hsts == (["max-age=31536000; includeSubDomains"] if https else []), where


def ws_origin(server: Server) -> str:
    return f"ws://127.0.0.1:{server.port}"


def every_kind_of_response(server: Server, staff: Staff) -> list[httpx.Response]:
    """One response of each kind the server sends: pages, static files, the JSON API (2xx and
    errors), exports, QR codes, the report and handout pages, /health, the OpenAPI document."""
    session = staff.new_live_session()
    sid, code = session["id"], session["code"]
    made = staff.http.post("/api/rounds", json={"title": "Ronde", "areas": ["Centrum"]})
    assert made.status_code == 201, made.text
    rid = made.json()["id"]
    put = staff.http.put(f"/api/rounds/{rid}/notes/{uuid.uuid4()}", json=a_note())
    assert put.status_code == 201, put.text
    token = join(server, code)["token"]
    anonymous = httpx.Client(base_url=server.url, timeout=10)
    resident = {"Authorization": f"Bearer {token}"}
    responses = [anonymous.get(path) for path in [*PAGES, f"/j/{code}", f"/projector/{sid}"]]
    responses += [anonymous.get(path) for path in STATIC]
    responses += [
        anonymous.get("/health"),
        anonymous.head("/"),
        anonymous.get("/schema/openapi.json"),
        anonymous.get(f"/api/join/{code}/qr.svg"),
        anonymous.get("/api/me/session", headers=resident),
        anonymous.post("/api/join", json={"code": code}),
        anonymous.post("/api/join", content=b"{", headers={"content-type": "application/json"}),
        anonymous.post("/api/join", content=b"x", headers={"content-type": "text/plain"}),
        anonymous.get("/api/sessions"),  # 401
        anonymous.get("/no/such/page"),  # 404
        anonymous.get("/app/js/no-such-module.js"),  # 404 of the static router
        anonymous.delete("/health"),  # 405
        staff.http.get("/api/auth/me"),
        staff.http.get("/api/templates"),
        staff.http.get(f"/api/sessions/{sid}"),
        staff.http.get(f"/api/sessions/{sid}/results"),
        staff.http.get(f"/api/sessions/{sid}/report.html"),
        staff.http.get(f"/api/sessions/{sid}/handout.html"),
        staff.http.get(f"/api/sessions/{sid}/export.json"),
        staff.http.get(f"/api/sessions/{sid}/export.csv"),
        staff.http.get(f"/api/sessions/{sid}/qr.svg"),
        staff.http.get("/api/overview"),
        staff.http.get(f"/api/rounds/{rid}/summary"),
        staff.http.get(f"/api/rounds/{rid}/export.csv"),
        staff.http.post(f"/api/sessions/{sid}/start"),  # 409 wrong_state
        staff.http.post("/api/sessions", json={"title": 1}),  # 400
    ]
    anonymous.close()
    return responses


def test_every_kind_of_response_carries_the_hardening_headers(
    live_server: Server, staff: Staff
) -> None:
    responses = every_kind_of_response(live_server, staff)
    statuses = {r.status_code for r in responses}
    assert {200, 201, 400, 401, 404, 405, 409, 415} <= statuses, statuses
    for r in responses:
        assert r.status_code < 500, f"{r.request.url.path}: {r.status_code} {r.text[:200]}"
        assert_hardened(r, ws_origin(live_server))


def test_pages_and_static_files_are_served_with_their_real_types(live_server: Server) -> None:
    """nosniff makes the browser trust Content-Type: a module served as text/plain would not
    run, so every script, style and data file must say what it is."""
    for path in PAGES:
        r = httpx.get(f"{live_server.url}{path}", timeout=10)
        assert r.status_code == 200, path
        assert r.headers["content-type"].startswith("text/html"), path
    for path, kind in STATIC.items():
        r = httpx.get(f"{live_server.url}{path}", timeout=10)
        assert r.status_code == 200, path
        assert r.headers["content-type"].startswith(kind), (path, r.headers["content-type"])


def cookies_of(r: httpx.Response) -> dict[str, dict[str, Any]]:
    """Set-Cookie headers by name: {"value", and each attribute in lower case → its value}."""
    found: dict[str, dict[str, Any]] = {}
    for header in r.headers.get_list("set-cookie"):
        name_value, *attributes = [part.strip() for part in header.split(";")]
        name, _, value = name_value.partition("=")
        flags: dict[str, Any] = {"value": value}
        for attribute in attributes:
            key, _, arg = attribute.partition("=")
            flags[key.lower()] = arg or True
        found[name] = flags
        assert SimpleCookie(header)  # and it parses as a cookie
    return found


def log_in_and_out(server: Server) -> tuple[httpx.Response, httpx.Response]:
    """Login and logout over plain HTTP, cookies sent by hand: a `Secure` cookie would not be
    sent back by httpx over http://, and the test wants to see every flag."""
    creds = server.create_staff()
    with httpx.Client(base_url=server.url, timeout=10) as http:
        login = http.post(
            "/api/auth/login", json={"email": creds["email"], "password": creds["password"]}
        )
        assert login.status_code == 200, login.text
        sent = cookies_of(login)
        session, csrf = sent["samenspraak_session"]["value"], sent["csrftoken"]["value"]
        http.cookies.clear()
        logout = http.post(
            "/api/auth/logout",
            headers={
                "cookie": f"samenspraak_session={session}; csrftoken={csrf}",
                "x-csrftoken": csrf,
            },
        )
        assert logout.status_code == 204, logout.text
    return login, logout


def test_the_login_cookies_are_httponly_and_samesite_lax_and_not_secure_over_http(
    live_server: Server,
) -> None:
    login, logout = log_in_and_out(live_server)
    cookies = cookies_of(login)
    session, csrf = cookies["samenspraak_session"], cookies["csrftoken"]
    assert session["httponly"] is True and session["samesite"].lower() == "lax"
    assert session["path"] == "/"
    # the console reads the CSRF cookie (pwa/js/api.js) to echo it in x-csrftoken
    assert "httponly" not in csrf and csrf["samesite"].lower() == "lax"
    assert "secure" not in session and "secure" not in csrf  # http: the browser would drop them
    cleared = cookies_of(logout)
    assert cleared["samenspraak_session"]["max-age"] == "0"
    assert cleared["samenspraak_session"]["httponly"] is True
    assert cleared["csrftoken"]["max-age"] == "0"
    assert_hardened(login, ws_origin(live_server))
    assert_hardened(logout, ws_origin(live_server))


@pytest.mark.parametrize("public_url", ["https://samenspraak.example.nl"])
def test_under_an_https_public_url_hsts_is_sent_and_every_cookie_is_secure(
    fresh_server: Server, public_url: str
) -> None:
    server = fresh_server.start(SAMENSPRAAK_PUBLIC_URL=public_url)
    wss = "wss://samenspraak.example.nl"
    for path in ["/", "/j/ABCDEF", "/sw.js", "/app/css/app.css", "/health", "/nope"]:
        assert_hardened(httpx.get(f"{server.url}{path}", timeout=10), wss, https=True)
    login, logout = log_in_and_out(server)
    for response in (login, logout):
        assert_hardened(response, wss, https=True)
        cookies = cookies_of(response)
        assert set(cookies) == {"samenspraak_session", "csrftoken"}
        for name, flags in cookies.items():
            assert flags.get("secure") is True, (name, flags)
            assert flags["samesite"].lower() == "lax", (name, flags)
        assert cookies["samenspraak_session"]["httponly"] is True
        assert "httponly" not in cookies["csrftoken"]


def test_http_public_url_sends_no_hsts(live_server: Server) -> None:
    r = httpx.get(f"{live_server.url}/", timeout=10)
    assert "strict-transport-security" not in r.headers
    assert live_server.env()["SAMENSPRAAK_PUBLIC_URL"].startswith("http://")


def test_api_answers_are_never_cached_but_the_app_shell_may_be(live_server: Server) -> None:
    staff = live_server.login()
    session = staff.new_live_session()
    for path in ("/api/auth/me", f"/api/sessions/{session['id']}/export.json", "/api/nope"):
        r = staff.http.get(path)
        assert r.headers["cache-control"] == "no-store", path
    assert "no-store" not in httpx.get(f"{live_server.url}/app/css/app.css").headers.get(
        "cache-control", ""
    )
