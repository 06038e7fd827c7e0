"""The `samenspraak` command: serve, demo, user add, token create."""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from .config import ConfigError, Settings, load_settings

if TYPE_CHECKING:
    from .model import TokenScope

T = TypeVar("T")
DEMO_EMAIL = "demo@samenspraak.local"
DEMO_CANVASSER = "huisaanhuis@samenspraak.local"
DEMO_AREAS = ["Centrum", "Noord", "Zuid"]
DEMO_TEMPLATE = "opvang-vluchtelingen"


def _settings(demo: bool = False) -> Settings:
    try:
        return load_settings(demo=demo)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


def _with_db(settings: Settings, work: Callable[..., Awaitable[T]]) -> T:
    from .store.pg import open_database

    async def run() -> T:
        db = open_database(settings.database)
        await db.open()
        try:
            return await work(db)
        finally:
            await db.close()

    return asyncio.run(run())


class _NoAddresses(logging.Filter):
    """uvicorn logs each WebSocket with the client's address; we keep no addresses (privacy)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = str(record.msg)
        return '"WebSocket ' not in message and message not in (
            "connection open",
            "connection closed",
        )


def _logging() -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("uvicorn.error").addFilter(_NoAddresses())


def worker_app() -> Any:
    """`serve --workers N`: each worker process builds its app from the same environment."""
    from .app import create_app

    _logging()
    return create_app(load_settings(os.environ))


def _run_server(
    settings: Settings,
    host: str,
    port: int,
    on_ready: Callable[[], None] | None = None,
    workers: int = 1,
) -> None:
    import uvicorn

    from .app import create_app

    _logging()
    config = uvicorn.Config(
        "samenspraak.cli:worker_app" if workers > 1 else create_app(settings),
        factory=workers > 1,
        workers=workers,
        host=host,
        port=port,
        ws="websockets-sansio",
        proxy_headers=True,
        forwarded_allow_ips=os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        lifespan="on",
        timeout_graceful_shutdown=3,
        ws_max_size=64 * 1024,
        ws_per_message_deflate=settings.ws_deflate,
        access_log=False,  # request lines can carry join codes; we log no request paths
        server_header=False,
    )
    server = uvicorn.Server(config)
    if workers > 1:
        from uvicorn.supervisors import Multiprocess

        # one listening socket, shared by the worker processes (the kernel spreads connections)
        Multiprocess(config, sockets=[config.bind_socket()]).run()
        return
    if on_ready is not None:
        original = server.startup

        async def startup(sockets: list[socket.socket] | None = None) -> None:
            await original(sockets)
            on_ready()

        server.startup = startup  # type: ignore[method-assign]
    server.run()


@click.group()
def main() -> None:
    """Samenspraak: live dialogue in neighbourhoods."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="worker processes on one port; above 1 needs PostgreSQL and SAMENSPRAAK_BUS",
)
def serve(host: str, port: int, workers: int) -> None:
    """Run the server (settings from SAMENSPRAAK_* environment variables)."""
    settings = _settings()
    if workers > 1 and settings.bus is None:
        raise click.ClickException(
            "--workers above 1 needs SAMENSPRAAK_BUS=redis://… (live events between the "
            "workers) and a postgresql:// SAMENSPRAAK_DATABASE; see docs/deploy.md"
        )
    _run_server(settings, host, port, workers=workers)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
def demo(host: str, port: int) -> None:
    """Run a demo on a local SQLite file with a demo account and a live session."""
    os.environ.setdefault("SAMENSPRAAK_DATABASE", "./samenspraak-demo.sqlite3")
    os.environ.setdefault(
        "SAMENSPRAAK_ALLOWED_ORIGINS", f"http://localhost:{port},http://127.0.0.1:{port}"
    )
    os.environ.setdefault(
        "SAMENSPRAAK_PUBLIC_URL",
        f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}",
    )
    settings = _settings(demo=True)
    password = secrets.token_urlsafe(12)
    session = _with_db(settings, lambda db: _prepare_demo(db, settings, password))
    from .routes.qr import qr_terminal

    def announce() -> None:
        base = settings.public_url
        click.echo("")
        click.echo("Samenspraak demo is running.")
        click.echo(f"  Facilitator console: {base}/console   (log in as {DEMO_EMAIL} / {password})")
        click.echo(f"  Projector view:      {session['projector_url']}")
        click.echo(f"  Residents join at:   {session['join_url']}   (code {session['code']})")
        click.echo(
            f"  Canvassing app:      {base}/canvass   (log in as {DEMO_CANVASSER} / {password})"
        )
        click.echo("")
        click.echo(qr_terminal(session["join_url"]))
        click.echo("Stop with Ctrl+C. The data stays in " + str(Path(settings.database).resolve()))

    _run_server(settings, host, port, announce)


async def _prepare_demo(db: object, settings: Settings, password: str) -> dict[str, str]:
    from .canvass import TOPICS
    from .security import TokenHasher, new_token
    from .store import canvass as store_canvass
    from .store import sessions as store_sessions
    from .store import users as store_users
    from .store.db import Database
    from .store.meta import token_key
    from .templates import by_slug

    assert isinstance(db, Database)
    await store_users.add_user(
        db,
        email=DEMO_EMAIL,
        name="Demo Facilitator",
        org="Demo-gemeente",
        role="admin",
        password=password,
    )
    await store_users.add_user(
        db,
        email=DEMO_CANVASSER,
        name="Demo Canvasser",
        org="Demo-gemeente",
        role="canvasser",
        password=password,
    )
    staff = await store_users.by_email(db, DEMO_EMAIL)
    assert staff is not None
    rounds = await store_canvass.list_rounds(db, staff.org_id, staff.user.id)
    demo_round = next((r.id for r in rounds if r.state == "open"), None)
    if demo_round is None:
        demo_round = await store_canvass.create_round(
            db, staff.org_id, "Huis-aan-huis Demo-wijk", DEMO_AREAS, list(TOPICS), None, None
        )
    sessions = await store_sessions.list_for_org(db, staff.org_id)
    live = next((s for s in sessions if s.state == "live"), None)
    if live is None:
        template = by_slug(DEMO_TEMPLATE, "nl")
        assert template is not None, "the demo template is missing"
        sid = await store_sessions.create(
            db,
            org_id=staff.org_id,
            title=template.title,
            neighbourhood="Demo-wijk",
            language="nl",
            prompts=list(template.prompts),
            round_id=demo_round,
            round_area=DEMO_AREAS[0],
        )
        await store_sessions.start(db, sid, 1)
        live = await store_sessions.get(db, sid)
        assert live is not None
    key = new_token()
    await store_sessions.add_projector_key(
        db, live.id, TokenHasher(settings.secret_key or await token_key(db))(key)
    )
    return {
        "code": str(live.code),
        "join_url": f"{settings.public_url}/j/{live.code}",
        "projector_url": f"{settings.public_url}/projector/{live.id}#key={key}",
    }


@main.group()
def user() -> None:
    """Manage staff accounts."""


@user.command("add")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--org", required=True, help="Organisation (municipality) name; created when new.")
@click.option(
    "--role",
    type=click.Choice(["admin", "facilitator", "canvasser"]),
    default="facilitator",
    show_default=True,
)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def user_add(email: str, name: str, org: str, role: str, password_stdin: bool) -> None:
    """Create or update a staff account (the password: at least 12 characters, not a common
    one)."""
    from .security import MIN_PASSWORD_LENGTH, password_problem
    from .store import audit as store_audit
    from .store import users as store_users

    if not password_stdin:
        raise click.UsageError("give the password on standard input with --password-stdin")
    password = sys.stdin.readline().rstrip("\n")
    problem = password_problem(password)
    if problem == "too_short":
        raise click.ClickException(
            f"the password must be at least {MIN_PASSWORD_LENGTH} characters"
        )
    if problem == "common":
        raise click.ClickException(
            "this password is on the list of common passwords: choose another one "
            "(a few unrelated words together are long and easy to remember)"
        )
    settings = _settings(demo=True)

    async def work(db: object) -> Any:
        from .store.db import Database

        assert isinstance(db, Database)
        created = await store_users.add_user(
            db, email=email, name=name, org=org, role=role, password=password
        )
        staff = await store_users.by_email(db, created.email)
        assert staff is not None
        await store_audit.record(db, None, "user_added", org_id=staff.org_id, target_id=created.id)
        return created

    created = _with_db(settings, work)
    click.echo(f"user {created.email} ({created.role}) in {created.org}")


@main.group()
def token() -> None:
    """Manage API tokens."""


@token.command("create")
@click.option("--email", required=True)
@click.option("--name", default="api", show_default=True, help="To recognise and revoke it.")
@click.option(
    "--scope",
    type=click.Choice(["read", "run", "canvass"]),
    default="run",
    show_default=True,
    help="read: only reads; canvass: only canvassing rounds and notes; run: all the account may do.",
)
def token_create(email: str, name: str, scope: str) -> None:
    """Print a new API token for a staff account (shown once; only its hash is stored).
    Its owner lists and revokes it with GET/DELETE /api/auth/tokens."""
    from .security import TokenHasher, new_token
    from .store import audit as store_audit
    from .store import users as store_users
    from .store.meta import token_key

    name = name.strip()
    if not 1 <= len(name) <= 80:
        raise click.BadParameter("1 to 80 characters", param_hint="--name")
    settings = _settings(demo=True)

    async def work(db: object) -> str:
        from .store.db import Database

        assert isinstance(db, Database)
        staff = await store_users.by_email(db, email)
        if staff is None:
            raise click.ClickException(f"no staff account with e-mail {email}")
        value = new_token()
        hasher = TokenHasher(settings.secret_key or await token_key(db))
        token_id = await store_users.add_api_token(
            db,
            staff.user.id,
            hasher(value),
            name,
            cast("TokenScope", scope),  # click.Choice checked it
        )
        await store_audit.record(db, None, "token_created", org_id=staff.org_id, target_id=token_id)
        return value

    click.echo(_with_db(settings, work))


@main.command("purge")
@click.option(
    "--now",
    "now_text",
    default=None,
    metavar="YYYY-MM-DDTHH:MM:SSZ",
    help="Act as if it were this moment (to check what a later purge would remove).",
)
def purge_command(now_text: str | None) -> None:
    """Delete raw open text, cards and canvass free text older than SAMENSPRAAK_RETENTION_DAYS
    after their session or round closed; the aggregates stay. Prints counts only."""
    import datetime as dt

    from .purge import purge

    now = None
    if now_text is not None:
        try:
            now = dt.datetime.fromisoformat(now_text.replace("Z", "+00:00"))
        except ValueError:
            raise click.BadParameter(
                "write it as 2026-03-01T00:00:00Z", param_hint="--now"
            ) from None
        if now.tzinfo is None:
            now = now.replace(tzinfo=dt.UTC)
    settings = _settings(demo=True)

    async def work(db: object) -> str:
        from .store import audit as store_audit
        from .store.db import Database

        assert isinstance(db, Database)
        done = await purge(db, settings, now)
        await store_audit.record(db, None, "purge")  # the whole server: every admin sees it
        return (
            f"purged {done.sessions} sessions ({done.cards} cards, {done.word_answers} word "
            f"answers) and {done.rounds} rounds ({done.note_texts} note texts); "
            f"retention {settings.retention_days} days"
        )

    click.echo(_with_db(settings, work))
