"""The app shell for every screen's path, the service worker, the manifest and /health."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get
from litestar.response import File

from ..resources import pwa_dir

_NO_STORE = {"Cache-Control": "no-cache"}


def _shell() -> File:
    return File(
        pwa_dir() / "index.html",
        media_type="text/html",
        content_disposition_type="inline",
        headers=_NO_STORE,
    )


@get(
    ["/", "/login", "/console", "/console/{rest:path}", "/j/{code:str}", "/projector/{sid:str}"],
    include_in_schema=False,
)
async def app_shell(request: Request[Any, Any, Any]) -> File:
    return _shell()


@get("/sw.js", include_in_schema=False)
async def service_worker() -> File:
    return File(
        pwa_dir() / "sw.js",
        media_type="text/javascript",
        content_disposition_type="inline",
        headers={**_NO_STORE, "Service-Worker-Allowed": "/"},
    )


@get("/manifest.webmanifest", include_in_schema=False)
async def manifest() -> File:
    return File(
        pwa_dir() / "manifest.webmanifest",
        media_type="application/manifest+json",
        content_disposition_type="inline",
    )


@get("/health", tags=["ops"])
async def health() -> Response[dict[str, str]]:
    return Response({"status": "ok"})


PAGE_ROUTES = [app_shell, service_worker, manifest, health]
