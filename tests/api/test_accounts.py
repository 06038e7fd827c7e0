"""Staff accounts (the security issue): login throttling, the password rules, logging out
everywhere, API tokens with a name and a scope, and the audit log — over HTTP and the CLI."""

from __future__ import annotations

import json
import secrets
import subprocess
from typing import Any

import httpx
import pytest

from samenspraak.security import password_problem
from samenspraak.throttle import LoginThrottle

from ..conftest import CLI, PASSWORD, Server, Staff, assert_error


def address() -> str:
    """A client address of this test's own (TEST-NET-2). The server trusts X-Forwarded-For from
    127.0.0.1, as behind a reverse proxy, so each test's attempts have their own counter."""
    return f"198.51.{secrets.randbelow(256)}.{secrets.randbelow(254) + 1}"


def attempt(
    server: Server, email: str, password: str, client: str, **headers: str
) -> httpx.Response:
    return httpx.post(
        f"{server.url}/api/auth/login",
        json={"email": email, "password": password},
        headers={"X-Forwarded-For": client, **headers},
        timeout=10,
    )


def cli(
    server: Server, *args: str, password: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args],
        input=None if password is None else password + "\n",
        env=server.env(),
        capture_output=True,
        text=True,
    )


def new_token(server: Server, email: str, *args: str) -> str:
    done = cli(server, "token", "create", "--email", email, *args)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def bearer(server: Server, token: str) -> httpx.Client:
    return httpx.Client(
        base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=10
    )


# ---- login throttling ----


def test_five_failed_logins_throttle_the_account_with_retry_after(live_server: Server) -> None:
    account = live_server.create_staff()
    client = address()
    for _ in range(5):
        assert_error(
            attempt(live_server, account["email"], "wrong-password-123", client),
            401,
            "login_failed",
        )
    # the right password no longer helps: while throttled nothing is checked
    r = attempt(live_server, account["email"], PASSWORD, client)
    body = assert_error(r, 429, "login_throttled")
    wait = int(r.headers["Retry-After"])
    assert 1 <= wait <= 15 * 60
    assert body["extra"]["retry_after"] == wait
    assert "kwartier" in body["detail"] and "beheerder" in body["detail"]
    assert "samenspraak_session" not in r.cookies
    # the account, not the address: from elsewhere, in any spelling, it is throttled too
    other = attempt(
        live_server, account["email"].upper(), PASSWORD, address(), **{"Accept-Language": "en"}
    )
    english = assert_error(other, 429, "login_throttled")
    assert "fifteen minutes" in english["detail"]
    # other accounts from the same address are not affected
    second = live_server.create_staff()
    assert attempt(live_server, second["email"], PASSWORD, client).status_code == 200


def test_a_successful_login_resets_the_account_counter(live_server: Server) -> None:
    account = live_server.create_staff()
    client = address()
    for _ in range(4):
        assert (
            attempt(live_server, account["email"], "wrong-password-123", client).status_code == 401
        )
    assert attempt(live_server, account["email"], PASSWORD, client).status_code == 200
    for _ in range(5):  # a fresh count of five
        assert (
            attempt(live_server, account["email"], "wrong-password-123", client).status_code == 401
        )
    assert_error(attempt(live_server, account["email"], PASSWORD, client), 429, "login_throttled")


def test_unknown_accounts_are_throttled_like_known_ones(live_server: Server) -> None:
    """The throttle does not tell which e-mail addresses have an account."""
    email = f"{secrets.token_hex(4)}@nobody.example"
    client = address()
    for _ in range(5):
        assert_error(attempt(live_server, email, "whatever-123", client), 401, "login_failed")
    assert_error(attempt(live_server, email, "whatever-123", client), 429, "login_throttled")


def test_twenty_failed_logins_throttle_the_address(live_server: Server) -> None:
    client = address()
    for n in range(20):  # password spraying: a few tries on many accounts
        email = f"spray{n}-{secrets.token_hex(3)}@test.example"
        assert attempt(live_server, email, "Welkom2024!", client).status_code == 401
    account = live_server.create_staff()
    r = attempt(live_server, account["email"], PASSWORD, client)
    assert_error(r, 429, "login_throttled")
    assert 1 <= int(r.headers["Retry-After"]) <= 15 * 60
    assert attempt(live_server, account["email"], PASSWORD, address()).status_code == 200


def test_the_throttle_window_slides_and_memory_stays_bounded() -> None:
    now = [1000.0]
    throttle = LoginThrottle(
        per_account=5, per_address=20, window=900, max_keys=3, clock=lambda: now[0]
    )
    for n in range(5):
        now[0] = 1000.0 + n * 60  # one failure a minute
        throttle.begin("anna@example.org", "203.0.113.9")
    assert throttle.retry_after("ANNA@example.org ", "203.0.113.10") == 900 - 4 * 60
    now[0] = 1000.0 + 900  # the first failure has left the window
    assert throttle.retry_after("anna@example.org", "203.0.113.10") == 0
    stamp = throttle.begin("anna@example.org", "203.0.113.9")
    assert throttle.retry_after("anna@example.org", "203.0.113.10") > 0
    throttle.succeeded("anna@example.org", "203.0.113.9", stamp)
    assert throttle.retry_after("anna@example.org", "203.0.113.9") == 0
    for n in range(10):  # many accounts: only the most recent few are kept
        throttle.begin(f"user{n}@example.org", "127.0.0.1")
    assert len(throttle._accounts._times) <= 3
    # loopback (a proxy that does not forward the client's address) has no address counter
    for n in range(30):
        throttle.begin(f"x{n}@example.org", "127.0.0.1")
    assert throttle.retry_after("someone@example.org", "127.0.0.1") == 0
    assert throttle.retry_after("someone@example.org", "::1") == 0


# ---- the password rules ----


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("kort-wachtw", "too_short"),
        ("wachtwoord123", "common"),
        ("WachtWoord123", "common"),  # ignoring case
        ("Q1W2E3R4T5Y6", "common"),
        ("welkomwelkom", "common"),
        ("1qaz2wsx3edc4rfv", "common"),
        ("fiets-regen-brug-zeven", None),
        (PASSWORD, None),
    ],
)
def test_password_rules(password: str, problem: str | None) -> None:
    assert password_problem(password) == problem


def test_the_common_password_list_is_bundled_and_large() -> None:
    from samenspraak.security import common_passwords

    found = common_passwords()
    assert len(found) > 19_000
    assert {"wachtwoord", "welkom01", "123456", "password"} <= found


@pytest.mark.parametrize(
    ("password", "says"),
    [("te-kort-123", "at least 12 characters"), ("Wachtwoord123", "common passwords")],
)
def test_user_add_refuses_a_weak_password(live_server: Server, password: str, says: str) -> None:
    email = f"{secrets.token_hex(4)}@test.example"
    done = cli(
        live_server,
        *("user", "add", "--email", email, "--name", "Zwak", "--org", "Gemeente Zwak"),
        "--password-stdin",
        password=password,
    )
    assert done.returncode != 0
    assert says in done.stderr
    assert attempt(live_server, email, password, address()).status_code == 401


def test_changing_the_password_checks_it_and_ends_the_other_logins(live_server: Server) -> None:
    account = live_server.create_staff()
    here = live_server.login(account["email"])
    elsewhere = live_server.login(account["email"])
    wrong = here.http.post(
        "/api/auth/password",
        json={"current_password": "not-my-password", "new_password": "fiets-regen-brug-zeven"},
    )
    assert assert_error(wrong, 422, "invalid_value")["extra"]["field"] == "current_password"
    for weak, reason in (("kort", "too_short"), ("WACHTWOORD1234", "common")):
        r = here.http.post(
            "/api/auth/password", json={"current_password": PASSWORD, "new_password": weak}
        )
        body = assert_error(r, 422, "weak_password")
        assert body["extra"]["field"] == "new_password"
        assert body["extra"]["reason"] == reason
        assert body["extra"]["min_length"] == 12
    bad_body = here.http.post("/api/auth/password", json={"new_password": "x" * 20})
    assert_error(bad_body, 400, "invalid_body")
    r = here.http.post(
        "/api/auth/password",
        json={"current_password": PASSWORD, "new_password": "fiets-regen-brug-zeven"},
    )
    assert r.status_code == 200, r.text
    assert r.json() == {"ended": 1}
    assert here.http.get("/api/auth/me").status_code == 200
    assert_error(elsewhere.http.get("/api/auth/me"), 401, "not_authenticated")
    client = address()
    assert attempt(live_server, account["email"], PASSWORD, client).status_code == 401
    assert (
        attempt(live_server, account["email"], "fiets-regen-brug-zeven", client).status_code == 200
    )


# ---- log out everywhere ----


def test_logout_all_ends_every_login_of_the_user_but_not_tokens(live_server: Server) -> None:
    account = live_server.create_staff()
    phone = live_server.login(account["email"])
    laptop = live_server.login(account["email"])
    colleague = live_server.login()
    token = new_token(live_server, account["email"])

    no_csrf = httpx.post(
        f"{live_server.url}/api/auth/logout-all",
        cookies={"samenspraak_session": laptop.http.cookies["samenspraak_session"]},
    )
    assert_error(no_csrf, 403, "csrf_failed")
    assert_error(httpx.post(f"{live_server.url}/api/auth/logout-all"), 401, "not_authenticated")

    r = laptop.http.post("/api/auth/logout-all")
    assert r.status_code == 200, r.text
    assert r.json() == {"ended": 2}
    for device in (phone, laptop):
        assert_error(device.http.get("/api/auth/me"), 401, "not_authenticated")
    assert colleague.http.get("/api/auth/me").status_code == 200
    assert bearer(live_server, token).get("/api/auth/me").status_code == 200


# ---- API tokens: names, scopes, revocation ----


def test_a_token_lists_with_its_name_and_scope_and_never_the_secret(live_server: Server) -> None:
    account = live_server.create_staff()
    made = new_token(live_server, account["email"], "--name", "koppeling", "--scope", "read")
    default = new_token(live_server, account["email"])
    staff = live_server.login(account["email"])
    r = staff.http.get("/api/auth/tokens")
    assert r.status_code == 200, r.text
    tokens = r.json()
    assert sorted((t["name"], t["scope"], t["revoked"]) for t in tokens) == [
        ("api", "run", False),
        ("koppeling", "read", False),
    ]
    for one in tokens:
        assert set(one) == {"id", "name", "scope", "created_at", "revoked"}
    text = json.dumps(tokens)
    assert made not in text and default not in text
    # a token sees the same list; another user sees only their own (none)
    assert len(bearer(live_server, made).get("/api/auth/tokens").json()) == 2
    assert live_server.login().http.get("/api/auth/tokens").json() == []


def test_token_create_refuses_an_unknown_scope(live_server: Server) -> None:
    account = live_server.create_staff()
    done = cli(live_server, "token", "create", "--email", account["email"], "--scope", "admin")
    assert done.returncode != 0 and "scope" in done.stderr


def test_a_read_token_only_reads(live_server: Server) -> None:
    account = live_server.create_staff()
    token = bearer(live_server, new_token(live_server, account["email"], "--scope", "read"))
    assert token.get("/api/sessions").status_code == 200
    assert token.get("/api/rounds").status_code == 200
    r = token.post("/api/sessions", json={"title": "Mag niet"})
    assert assert_error(r, 403, "forbidden")["extra"]["reason"] == "this token's scope is read"
    assert_error(token.post("/api/auth/logout-all"), 403, "forbidden")
    assert_error(token.delete("/api/auth/tokens/api"), 403, "forbidden")


def test_a_canvass_token_only_reaches_the_canvassing_routes(live_server: Server) -> None:
    account = live_server.create_staff()
    token = bearer(live_server, new_token(live_server, account["email"], "--scope", "canvass"))
    assert token.get("/api/auth/me").status_code == 200
    made = token.post("/api/rounds", json={"title": "Ronde", "areas": ["Noord"]})
    assert made.status_code == 201, made.text
    assert token.get(f"/api/rounds/{made.json()['id']}").status_code == 200
    assert_error(token.get("/api/sessions"), 403, "forbidden")
    assert_error(token.post("/api/sessions", json={"title": "Nee"}), 403, "forbidden")
    assert_error(token.get("/api/overview"), 403, "forbidden")
    assert_error(token.get("/api/auth/tokens"), 403, "forbidden")


def test_a_run_token_runs_sessions(live_server: Server) -> None:
    account = live_server.create_staff()
    token = bearer(live_server, new_token(live_server, account["email"], "--scope", "run"))
    made = token.post("/api/sessions", json={"title": "Via de API"})
    assert made.status_code == 201, made.text
    assert token.post(f"/api/sessions/{made.json()['id']}/start").status_code == 200
    assert token.post("/api/rounds", json={"title": "R", "areas": ["Zuid"]}).status_code == 201


def test_revoking_a_token_by_name_or_id(live_server: Server) -> None:
    account = live_server.create_staff()
    first = new_token(live_server, account["email"], "--name", "eerste")
    second = new_token(live_server, account["email"], "--name", "tweede")
    staff = live_server.login(account["email"])
    by_name = staff.http.delete("/api/auth/tokens/eerste")
    assert by_name.status_code == 200, by_name.text
    assert by_name.json() == {"revoked": 1}
    assert_error(bearer(live_server, first).get("/api/auth/me"), 401, "not_authenticated")
    assert bearer(live_server, second).get("/api/auth/me").status_code == 200
    again = staff.http.delete("/api/auth/tokens/eerste")
    assert again.status_code == 200 and again.json() == {"revoked": 0}
    second_id = next(
        t["id"] for t in staff.http.get("/api/auth/tokens").json() if t["name"] == "tweede"
    )
    # a token may revoke itself (a run token: the default)
    assert bearer(live_server, second).delete(f"/api/auth/tokens/{second_id}").json() == {
        "revoked": 1
    }
    assert_error(bearer(live_server, second).get("/api/auth/me"), 401, "not_authenticated")
    assert {t["name"]: t["revoked"] for t in staff.http.get("/api/auth/tokens").json()} == {
        "eerste": True,
        "tweede": True,
    }
    assert_error(staff.http.delete("/api/auth/tokens/onbekend"), 404, "not_found")
    # someone else's token cannot be revoked (it is not found)
    other = live_server.create_staff()
    new_token(live_server, other["email"], "--name", "van-een-ander")
    assert_error(staff.http.delete("/api/auth/tokens/van-een-ander"), 404, "not_found")


# ---- the audit log ----


def org_team(server: Server) -> tuple[dict[str, str], Staff, Staff, Staff]:
    org = f"Gemeente {secrets.token_hex(3)}"
    admin_creds = server.create_staff(role="admin", org=org, name="Ada Beheer")
    admin = server.login(admin_creds["email"])
    facilitator = server.login(role="facilitator", org=org, name="Fien Leider")
    canvasser = server.login(role="canvasser", org=org, name="Kees Deur")
    return admin_creds, admin, facilitator, canvasser


def actions(entries: list[dict[str, Any]]) -> list[str]:
    return [e["action"] for e in entries]


def test_the_audit_log_records_staff_actions_for_admins_only(live_server: Server) -> None:
    admin_creds, admin, facilitator, canvasser = org_team(live_server)
    session = facilitator.new_live_session(None, prompts=[{"kind": "open", "title": "Zorgen"}])
    prompt = session["prompts"][0]
    facilitator.show(session, prompt)
    joined = httpx.post(f"{live_server.url}/api/join", json={"code": session["code"]}).json()
    secret_text = f"Mijn buurman {secrets.token_hex(4)}"
    card = httpx.post(
        f"{live_server.url}/api/me/cards",
        json={"id": "c1", "prompt_id": prompt["id"], "text": secret_text},
        headers={"Authorization": f"Bearer {joined['token']}"},
    )
    assert card.status_code == 201, card.text
    sid = session["id"]
    assert (
        facilitator.http.post(
            f"/api/sessions/{sid}/cards/{card.json()['id']}/moderate", json={"status": "approved"}
        ).status_code
        == 200
    )
    assert (
        facilitator.http.post(
            f"/api/sessions/{sid}/prompts/{prompt['id']}/reveal", json={"visible": True}
        ).status_code
        == 200
    )
    assert (
        facilitator.http.post(f"/api/sessions/{sid}/prompts/{prompt['id']}/close").status_code
        == 200
    )
    assert facilitator.http.post(f"/api/sessions/{sid}/close").status_code == 200
    assert facilitator.http.get(f"/api/sessions/{sid}/export.csv").status_code == 200
    made = facilitator.http.post("/api/rounds", json={"title": "Ronde Noord", "areas": ["Noord"]})
    rid = made.json()["id"]
    assert facilitator.http.get(f"/api/rounds/{rid}/export.csv").status_code == 200
    assert facilitator.http.post(f"/api/rounds/{rid}/close").status_code == 200
    new_token(live_server, admin_creds["email"], "--name", "rapportage", "--scope", "read")
    assert admin.http.delete("/api/auth/tokens/rapportage").json() == {"revoked": 1}

    r = admin.http.get("/api/audit", params={"limit": 500})
    assert r.status_code == 200, r.text
    entries = r.json()
    assert "Mijn buurman" not in r.text and secret_text not in r.text  # never resident text
    by_fien = [e for e in entries if e["user_name"] == "Fien Leider"]
    assert actions(by_fien)[::-1] == [
        "login",
        "create",
        "start",
        "show",
        "moderate",
        "reveal",
        "close_prompt",
        "close",
        "export",
        "create",
        "export",
        "close",
    ]
    assert {e["session_id"] for e in by_fien[3:-1]} == {sid}
    assert by_fien[3]["session_title"] == "Buurtavond"
    assert {e["round_id"] for e in by_fien[:3]} == {rid}
    assert by_fien[0]["round_title"] == "Ronde Noord"
    assert len({e["id"] for e in entries}) == len(entries)
    assert entries == sorted(entries, key=lambda e: int(e["id"]), reverse=True)
    added = [e for e in entries if e["action"] == "user_added"]
    assert sorted(e["target_name"] for e in added) == ["Ada Beheer", "Fien Leider", "Kees Deur"]
    assert all(e["user_id"] is None and e["user_name"] is None for e in added)  # the CLI
    tokens = [e for e in entries if e["action"].startswith("token_")]
    assert actions(tokens) == ["token_revoked", "token_created"]
    assert tokens[0]["user_name"] == "Ada Beheer" and tokens[0]["target_name"] == "rapportage"
    for entry in entries:
        assert set(entry) == {
            "id",
            "created_at",
            "user_id",
            "user_name",
            "action",
            "session_id",
            "session_title",
            "round_id",
            "round_title",
            "target_id",
            "target_name",
        }
        assert entry["created_at"].endswith("Z")

    assert_error(facilitator.http.get("/api/audit"), 403, "forbidden")
    assert_error(canvasser.http.get("/api/audit"), 403, "forbidden")
    assert_error(httpx.get(f"{live_server.url}/api/audit"), 401, "not_authenticated")
    # another organisation's admin sees none of it
    stranger = live_server.login(role="admin")
    theirs = stranger.http.get("/api/audit", params={"limit": 500}).json()
    assert not {e["id"] for e in theirs} & {e["id"] for e in entries if e["user_name"]}
    assert all(e["session_id"] != sid for e in theirs)


def test_the_audit_log_pages_and_refuses_a_bad_limit(live_server: Server) -> None:
    _, admin, facilitator, _ = org_team(live_server)
    for _ in range(3):
        facilitator.http.post("/api/sessions", json={"title": "Nog een"})
    first = admin.http.get("/api/audit", params={"limit": 2}).json()
    assert len(first) == 2
    more = admin.http.get("/api/audit", params={"limit": 2, "before": first[-1]["id"]}).json()
    assert len(more) == 2 and int(more[0]["id"]) < int(first[-1]["id"])
    for bad in ({"limit": 0}, {"limit": 501}, {"limit": "veel"}, {"before": "x"}):
        assert_error(admin.http.get("/api/audit", params=bad), 400, "invalid_body")


def test_logout_and_purge_are_in_the_audit_log(live_server: Server) -> None:
    admin_creds, admin, _, _ = org_team(live_server)
    other = live_server.login(admin_creds["email"])
    assert other.http.post("/api/auth/logout").status_code == 204
    done = cli(live_server, "purge")
    assert done.returncode == 0, done.stderr
    entries = admin.http.get("/api/audit").json()
    assert actions(entries)[:2] == ["purge", "logout"]
    assert entries[0]["user_id"] is None
    assert entries[1]["user_name"] == "Ada Beheer"
