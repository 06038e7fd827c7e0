"""create_app(settings) -> Litestar: wiring only."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

from litestar import Litestar
from litestar._openapi.plugin import OpenAPIPlugin  # no public way to reach the built document
from litestar.logging.config import LoggingConfig
from litestar.openapi import OpenAPIConfig
from litestar.static_files import create_static_files_router

from . import purge
from .config import Settings
from .gcpolicy import GcPolicy
from .headers import hardening_hook
from .live.hub import Hub
from .resources import pwa_dir
from .routes.canvass import RoundController
from .routes.context import EXCEPTION_HANDLERS, Parts, before_request
from .routes.overview import OverviewController
from .routes.pages import PAGE_ROUTES
from .routes.resident import JoinBudget, ResidentController
from .routes.schema import complete
from .routes.staff import AuthController, ProjectorController, SessionController, TemplateController
from .routes.words import WordsController
from .routes.ws import SERVER_SEND, ws_endpoint
from .security import TokenHasher
from .store.meta import token_key
from .store.pg import open_database

log = logging.getLogger("samenspraak")
MAX_BODY = 64 * 1024


class App(Litestar):
    """Litestar, keeping the server's own ASGI `send` of each WebSocket in its scope.

    Litestar wraps `send` three times (before-send hooks, "response started" tracking, the
    socket's own wrapper); none of them has anything to do for a data frame of an accepted
    socket. The live path (routes/ws.py) sends its frames through the server's `send` directly:
    measured with 5,000 phones, a fan-out then costs 92–98 ms of server CPU instead of 108 ms
    (the bare `websockets` baseline in the same runs: 62–66 ms); see docs/performance.md."""

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "websocket":
            scope[SERVER_SEND] = send
        await super().__call__(scope, receive, send)


def create_app(settings: Settings) -> Litestar:
    db = open_database(settings.database)

    @contextlib.asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        await db.open()
        key = settings.secret_key or await token_key(db)
        hub = Hub(db, settings)
        app.state.parts = Parts(settings=settings, db=db, hub=hub, hash_token=TokenHasher(key))
        app.state.join_budget = JoinBudget(settings.join_budget_per_minute)
        hub.start()
        await hub.start_bus()
        complete(app.plugins.get(OpenAPIPlugin).provide_openapi_schema())
        loop = asyncio.get_running_loop()
        daily = loop.create_task(purge.every_day(db, settings, hub.forget))
        collector = loop.create_task(GcPolicy(hub.sockets, hub.closed_sockets).run())
        try:
            yield
        finally:
            daily.cancel()
            collector.cancel()
            await hub.shutdown(1012)
            await db.close()

    return App(
        route_handlers=[
            AuthController,
            TemplateController,
            SessionController,
            ProjectorController,
            RoundController,
            OverviewController,
            ResidentController,
            WordsController,
            ws_endpoint,
            *PAGE_ROUTES,
            create_static_files_router(
                path="/app", directories=[pwa_dir()], include_in_schema=False
            ),
        ],
        lifespan=[lifespan],
        exception_handlers=EXCEPTION_HANDLERS,
        openapi_config=OpenAPIConfig(title="Samenspraak", version="1", path="/schema"),
        request_max_body_size=MAX_BODY,
        debug=False,
        before_request=before_request,
        before_send=[hardening_hook(settings)],  # security headers on every response
        # Our handler for Exception logs real bugs without the request path; 4xx are not errors.
        logging_config=LoggingConfig(log_exceptions="never"),
    )
