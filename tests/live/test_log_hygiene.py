"""The server's log holds no secret and no personal data: a whole scripted evening through the
public interface (staff, residents, projector, canvassing, exports, failures, SIGTERM) with
planted secrets, then the complete captured log is searched for every one of them.

`find_leaks` is the check; `test_the_log_check_finds_every_kind_of_leak` proves it can fail."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import re
import secrets
import signal
import threading
import uuid
from typing import Any

import httpx
import websockets

from ..conftest import Server, Staff
from .wsclient import Phone, of_type

# Sent on every request and WebSocket: a client address behind the proxy (uvicorn applies
# X-Forwarded-For from 127.0.0.1), a browser string and a referring page. None may be logged.
FORWARDED_FOR = "203.0.113.77"  # TEST-NET-3: only a header value, never contacted
STATEMENT_PROMPT: dict[str, Any] = {
    "kind": "statements",
    "title": "Eigen stellingen",
    "statements": [{"id": "s1", "text": "Het plein is van iedereen"}],
    "resident_statements": True,
}
RESIDENTS = 6
IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
IPV6 = re.compile(
    r"(?<![\w:])(?:(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}"
    r"|(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4})*)?::(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4})*)?)"
    r"(?![\w:])"
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
HEX64 = re.compile(r"(?<![0-9a-fA-F])[0-9a-fA-F]{64}(?![0-9a-fA-F])")


def startup_line(port: int) -> re.Pattern[str]:
    """The one line that may name an address: uvicorn's own start-up announcement."""
    return re.compile(
        rf"^.*Uvicorn running on http://127\.0\.0\.1:{port} \(Press CTRL\+C to quit\)$"
    )


def find_leaks(log: str, planted: dict[str, str], port: int) -> list[str]:
    """Everything in `log` that must not be there: the planted values (case-insensitive, as
    whole words), IP addresses, e-mail addresses and 64-hex digests (token hashes)."""
    lines = log.splitlines()
    allowed = [i for i, line in enumerate(lines) if startup_line(port).match(line)]
    leaks = []
    if len(allowed) != 1:
        leaks.append(f"the start-up line is there {len(allowed)} times, not once")
    rest = "\n".join(line for i, line in enumerate(lines) if i not in allowed[:1])
    for what, value in planted.items():
        assert value, what
        pattern = rf"(?<![0-9A-Za-z]){re.escape(value)}(?![0-9A-Za-z])"
        for found in re.finditer(pattern, rest, re.IGNORECASE):
            leaks.append(f"{what}: …{rest[max(0, found.start() - 60) : found.end() + 20]}…")
    for what, pattern in (
        ("IPv4 address", IPV4),
        ("IPv6 address", IPV6),
        ("e-mail address", EMAIL),
        ("64-hex digest", HEX64),
    ):
        for found in pattern.finditer(rest):
            if what == "IPv6 address" and len(found.group()) < 3:
                continue  # a bare "::" is no address
            leaks.append(f"{what}: {found.group()!r}")
    return leaks


def keyed_hash(server: Server, value: str) -> str:
    """What the server stores for a bearer secret (security.TokenHasher)."""
    return hmac.new(server.secret.encode(), value.encode(), hashlib.sha256).hexdigest()


class Scenario:
    """A whole evening; every secret and personal value it uses goes into `planted`."""

    def __init__(self, server: Server) -> None:
        self.server = server
        tag = secrets.token_hex(4)
        street = "".join(secrets.choice("bcdfghjklmnpqrstvwz") for _ in range(7)).title()
        self.planted: dict[str, str] = {
            "password": f"wachtwoord-{secrets.token_urlsafe(12)}",
            "wrong password": f"fout-{secrets.token_urlsafe(12)}",
            "user agent": f"GeheimeBrowser/{tag}",
            "referring page": f"https://verwijzer-{tag}.example/pagina",
            "word": f"zwijgwoord{tag}",
            "card text": f"Kaarttekst {tag} over de buren",
            "statement text": f"Stelling {tag} over het plein",
            "note text": f"Notitie {tag} bij de bakker",
            "address in an area": f"{street}straat 12",  # letters only: redact.py sees a street
            "forwarded client address": FORWARDED_FOR,
        }
        digits = f"{secrets.randbelow(10**8):08d}"
        self.planted["phone number"] = f"06-{digits}"
        self.planted["phone digits"] = f"06{digits}"
        self.headers = {
            "User-Agent": self.planted["user agent"],
            "Referer": self.planted["referring page"],
            "X-Forwarded-For": FORWARDED_FOR,
        }
        self.http = httpx.Client(base_url=server.url, timeout=15, headers=self.headers)
        self.open_sockets: list[Phone] = []

    def secret(self, what: str, value: str, hashed: bool = False) -> str:
        self.planted[what] = value
        if hashed:
            self.planted[f"{what} (keyed hash)"] = keyed_hash(self.server, value)
        return value

    def staff(self, role: str, org: str) -> Staff:
        email = f"{role}-{secrets.token_hex(4)}@gemeente-{secrets.token_hex(2)}.example"
        self.planted[f"{role}'s e-mail"] = email
        self.server.create_staff(
            email, self.planted["password"], role=role, org=org, name=f"{role.title()} Geheim"
        )
        member = self.server.login(email, self.planted["password"])
        member.http.headers.update(self.headers)
        self.secret(f"{role}'s login cookie", member.http.cookies["samenspraak_session"], True)
        self.secret(f"{role}'s CSRF token", member.http.cookies["csrftoken"])
        return member

    def resident(self, token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}

    async def socket(self, hello: dict[str, Any], origin: str | None = None) -> Phone:
        conn = await websockets.connect(
            self.server.ws_url,
            origin=origin or self.server.url,  # type: ignore[arg-type]
            additional_headers={"X-Forwarded-For": FORWARDED_FOR},
            user_agent_header=self.planted["user agent"],
        )
        phone = Phone(conn)
        with contextlib.suppress(websockets.ConnectionClosed):  # refused before the hello
            await phone.send({"type": "hello", **hello})
        return phone


def ok(r: httpx.Response, *status: int) -> httpx.Response:
    assert r.status_code in (status or (200, 201)), r.text
    return r


async def run_evening(s: Scenario) -> None:
    org = f"Gemeente {secrets.token_hex(3)}"
    admin = s.staff("admin", org)
    canvasser = s.staff("canvasser", org)
    api = s.secret("API token", s.server.api_token(s.planted["admin's e-mail"]), True)
    ok(s.http.get("/api/sessions", headers={"Authorization": f"Bearer {api}"}))

    # ---- a canvassing round with notes (phone number and free text in them) ----
    refused = admin.http.post(
        "/api/rounds", json={"title": "Ronde", "areas": [s.planted["address in an area"]]}
    )
    ok(refused, 422)
    rid = ok(
        admin.http.post("/api/rounds", json={"title": "Ronde Noord", "areas": ["Centrum", "Noord"]})
    ).json()["id"]
    today = dt.datetime.now(dt.UTC).date().isoformat()
    note = {
        "area": "Centrum",
        "day": today,
        "part_of_day": "evening",
        "outcome": "conversation",
        "topics": ["safety"],
        "concern": 4,
        "trust": 2,
        "text": f"{s.planted['note text']}, bel {s.planted['phone number']}",
    }
    for _ in range(5):
        saved = ok(canvasser.http.put(f"/api/rounds/{rid}/notes/{uuid.uuid4()}", json=note))
        assert s.planted["phone number"] not in saved.text  # redacted before it is stored
    batch = [
        {
            **note,
            "id": str(uuid.uuid4()),
            "text": f"{s.planted['note text']} {s.planted['phone digits']}",
        },
        {**note, "id": str(uuid.uuid4()), "area": s.planted["address in an area"]},  # 422 inside
        {"id": "kapot", "area": 7},  # 400 inside
    ]
    ok(canvasser.http.post(f"/api/rounds/{rid}/notes:batch", json={"notes": batch}))
    ok(
        canvasser.http.put(f"/api/rounds/{rid}/notes/{uuid.uuid4()}", json={**note, "day": "x"}),
        422,
    )
    ok(canvasser.http.get(f"/api/rounds/{rid}/notes"))
    ok(admin.http.get(f"/api/rounds/{rid}/summary"))
    ok(admin.http.get(f"/api/rounds/{rid}/export.csv", params={"canvasser": "true"}))

    # ---- a dialogue session from a template, linked to the round ----
    made = ok(
        admin.http.post(
            "/api/sessions",
            json={
                "title": "Buurtavond",
                "template": "opvang-vluchtelingen",
                "prompts": [STATEMENT_PROMPT],
                "round_id": rid,
                "round_area": "Noord",
            },
        )
    ).json()
    sid = made["id"]
    prompts = {p["kind"]: p["id"] for p in reversed(made["prompts"])}  # first of each kind
    statements = made["prompts"][-1]["id"]
    started = ok(admin.http.post(f"/api/sessions/{sid}/start")).json()
    code = s.secret("join code", started["code"])
    ok(admin.http.get(f"/api/sessions/{sid}/handout.html"))
    ok(admin.http.get(f"/api/sessions/{sid}/qr.svg"))

    # the projector: a key in the link's fragment, a ticket from the key, a presenter socket
    link = ok(admin.http.post(f"/api/sessions/{sid}/projector-link")).json()
    key = s.secret("projector key", link["key"], True)
    ok(s.http.get(f"/projector/{sid}"))
    projector_ticket = s.secret(
        "projector ticket",
        ok(
            s.http.post("/api/projector/ws-ticket", headers={"Authorization": f"Bearer {key}"})
        ).json()["ticket"],
        True,
    )
    projector = await s.socket({"ticket": projector_ticket, "role": "presenter"})
    await projector.until(of_type("welcome"))
    console_ticket = s.secret(
        "console ticket",
        ok(admin.http.post(f"/api/sessions/{sid}/ws-ticket")).json()["ticket"],
        True,
    )
    console = await s.socket({"ticket": console_ticket, "role": "facilitator"})
    await console.until(of_type("welcome"))
    used = await s.socket({"ticket": console_ticket, "role": "facilitator"})  # used: 4401
    assert await used.close_code() == 4401

    # ---- residents join (page, QR, join with the code as typed) ----
    ok(s.http.get(f"/j/{code}"))
    ok(s.http.get(f"/api/join/{code}/qr.svg"))
    tokens = []
    for i in range(RESIDENTS):
        typed = code.lower() if i % 2 else f" {code} "
        tokens.append(
            s.secret(
                f"resident token {i}",
                ok(s.http.post("/api/join", json={"code": typed})).json()["token"],
                True,
            )
        )
    phones = [await s.socket({"token": t}) for t in tokens]
    for phone in phones:
        await phone.until(of_type("welcome"))

    def show(pid: str) -> None:
        ok(admin.http.post(f"/api/sessions/{sid}/show", json={"prompt_id": pid}))

    show(prompts["dilemma"])
    for i, phone in enumerate(phones):
        assert (await phone.respond(f"d{i}", prompts["dilemma"], i * 17))["type"] == "ack"
    show(prompts["words"])
    for i, token in enumerate(tokens):
        ok(
            s.http.put(
                f"/api/me/responses/{prompts['words']}",
                json={"value": [s.planted["word"] if i % 2 else f"buurt{i}"]},
                headers=s.resident(token),
            )
        )
    show(prompts["open"])
    for i, token in enumerate(tokens):
        card = ok(
            s.http.post(
                "/api/me/cards",
                json={"id": f"k{i}", "prompt_id": prompts["open"], "text": s.planted["card text"]},
                headers=s.resident(token),
            )
        ).json()
        ok(
            admin.http.post(
                f"/api/sessions/{sid}/cards/{card['id']}/moderate", json={"status": "approved"}
            )
        )
    show(statements)
    for i, token in enumerate(tokens):
        proposal = ok(
            s.http.post(
                "/api/me/statements",
                json={
                    "id": f"st{i}",
                    "prompt_id": statements,
                    "text": f"{s.planted['statement text']} {i}",
                },
                headers=s.resident(token),
            )
        ).json()
        if i == 0:
            ok(
                admin.http.post(
                    f"/api/sessions/{sid}/cards/{proposal['id']}/moderate",
                    json={"status": "approved"},
                )
            )
        vote = {"statement_id": "s1", "vote": ("agree", "disagree", "pass")[i % 3]}
        assert (await phones[i].respond(f"v{i}", statements, vote))["type"] == "ack"
    for pid in (prompts["dilemma"], prompts["words"], statements):
        ok(admin.http.post(f"/api/sessions/{sid}/prompts/{pid}/reveal", json={"visible": True}))
    ok(admin.http.get(f"/api/sessions/{sid}/results"))
    ok(admin.http.get(f"/api/sessions/{sid}/prompts/{prompts['open']}/cards"))
    ok(s.http.get("/api/me/session", headers=s.resident(tokens[0])))
    ok(s.http.delete("/api/me/responses", headers=s.resident(tokens[-1])))  # "remove my answers"

    # ---- what goes wrong: bad tokens, bad origin, wrong logins, 404s with the code ----
    bad = s.secret("bad bearer token", f"vals-{secrets.token_urlsafe(24)}")
    ok(s.http.get("/api/me/session", headers=s.resident(bad)), 401)
    ok(s.http.get("/api/sessions", headers={"Authorization": f"Bearer {bad}"}), 401)
    ok(s.http.post("/api/projector/ws-ticket", headers={"Authorization": f"Bearer {bad}"}), 401)
    stranger = await s.socket({"token": bad})
    assert await stranger.close_code() == 4401
    foreign = await s.socket({"token": tokens[0]}, origin="https://kwaadwillend.example")
    assert await foreign.close_code() == 4403
    ok(s.http.post("/api/join", json={"code": "ZZZZZZ"}), 404)
    ok(s.http.get(f"/api/join/{code}/onbekend"), 404)
    ok(s.http.get(f"/bestaat-niet/{code}"), 404)
    ok(s.http.get(f"/api/sessions/{code}", headers={"Authorization": f"Bearer {api}"}), 404)
    ok(
        s.http.post(
            "/api/me/cards",
            content=b"{kapot",
            headers={**s.resident(tokens[0]), "content-type": "application/json"},
        ),
        400,
    )
    for email, password in (
        (s.planted["admin's e-mail"], s.planted["wrong password"]),
        (
            s.secret("unknown e-mail", f"niemand-{secrets.token_hex(4)}@elders.example"),
            s.planted["password"],
        ),
    ):
        ok(s.http.post("/api/auth/login", json={"email": email, "password": password}), 401, 429)

    # ---- exports (live and after closing), then one resident still connected at SIGTERM ----
    for name in ("export.json", "export.csv", "report.html"):
        ok(admin.http.get(f"/api/sessions/{sid}/{name}"))
    ok(admin.http.post(f"/api/sessions/{sid}/close"))
    for name in ("export.json", "export.csv", "report.html"):
        ok(admin.http.get(f"/api/sessions/{sid}/{name}"))
    ok(admin.http.post(f"/api/rounds/{rid}/close"))
    ok(admin.http.post("/api/auth/logout"), 204)
    s.open_sockets = [projector, phones[0]]
    for phone in [console, *phones[1:]]:
        await phone.close()


def wait_for_log_copy(server: Server) -> None:
    """The fixture copies the server's output into `log_path` in a thread of its own; after
    the process ended, wait for that thread to write the last lines (an event, not a delay)."""
    for thread in threading.enumerate():
        target = getattr(thread, "_target", None)
        if getattr(target, "__self__", None) is server:
            thread.join(15)
            assert not thread.is_alive(), "the log copy did not finish"


async def test_a_whole_evening_leaves_no_secret_and_no_address_in_the_log(
    fresh_server: Server,
) -> None:
    server = fresh_server.start()
    scenario = Scenario(server)
    await run_evening(scenario)
    assert server.stop(signal.SIGTERM) is not None
    for phone in scenario.open_sockets:
        assert await phone.close_code() == 1012  # the shutdown reached them
    wait_for_log_copy(server)
    assert server.log_path is not None
    log = server.log_path.read_text(errors="replace")
    assert "Finished server process" in log, log  # the whole log, shutdown included
    assert find_leaks(log, scenario.planted, server.port) == [], log


def test_the_log_check_finds_every_kind_of_leak() -> None:
    port = 41234
    planted = {"token": "abcDEF123-_x", "join code": "K7M2QX", "free text": "Geheim plein"}
    clean = "\n".join(
        [
            "2026-11-23 20:00:00,001 INFO uvicorn.error: Started server process [4242]",
            f"2026-11-23 20:00:00,002 INFO uvicorn.error: Uvicorn running on http://127.0.0.1:{port} (Press CTRL+C to quit)",
            "2026-11-23 20:00:09,003 INFO samenspraak: database migrated to version 4",
            "2026-11-23 21:00:00,004 INFO uvicorn.error: Finished server process [4242]",
        ]
    )
    assert find_leaks(clean, planted, port) == []
    bad_lines = {
        "token": "hello with token abcDEF123-_x",
        "join code": "GET /j/k7m2qx 404",
        "free text": "card: geheim plein!",
        "IPv4 address": "client 127.0.0.1:5555 connected",
        "IPv4 address ": "forwarded for 203.0.113.77",
        "IPv6 address": "client [::1]:5555 connected",
        "IPv6 address  ": "client 2001:db8::7 connected",
        "e-mail address": "login failed for anna@gemeente.example",
        "64-hex digest": "token_hash " + "ab" * 32,
        "start-up line": f"Uvicorn running on http://127.0.0.1:{port} (Press CTRL+C to quit)",
    }
    for what, line in bad_lines.items():
        leaks = find_leaks(clean + "\n" + line, planted, port)
        assert leaks, what
    # the start-up line is allowed only with this server's own port
    assert find_leaks(clean.replace(str(port), "8000"), planted, port)
    # timestamps and version numbers are no addresses
    assert find_leaks(clean + "\nuvicorn 0.54.0 at 23:05:12,345", planted, port) == []
