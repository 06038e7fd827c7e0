"""The app shell for every screen's path, the service worker, the manifest and /health."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get
from litestar.response import File

from ..resources import pwa_dir

_NO_STORE = {"Cache-Control": "no-cache"}


def _inline(name: str, media_type: str, **headers: str) -> File:
    return File(
        pwa_dir() / name, media_type=media_type, content_disposition_type="inline", headers=headers
    )


def _shell() -> File:
    return _inline("index.html", "text/html", **_NO_STORE)


@get(
    ["/", "/login", "/console", "/console/{rest:path}", "/j/{code:str}", "/projector/{sid:str}"],
    include_in_schema=False,
)
async def app_shell(request: Request[Any, Any, Any]) -> File:
    return _shell()


@get("/sw.js", include_in_schema=False)
async def service_worker() -> File:
    return _inline("sw.js", "text/javascript", **_NO_STORE, **{"Service-Worker-Allowed": "/"})


@get("/manifest.webmanifest", include_in_schema=False)
async def manifest() -> File:
    return _inline("manifest.webmanifest", "application/manifest+json")


@get("/health", tags=["ops"])
async def health() -> Response[dict[str, str]]:
    return Response({"status": "ok"})


PAGE_ROUTES = [app_shell, service_worker, manifest, health]
