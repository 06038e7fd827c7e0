"""The app shell for every screen's path, the service worker, the manifest and /health."""

from __future__ import annotations

import functools
import hashlib
import json
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
    [
        "/",
        "/login",
        "/console",
        "/console/{rest:path}",
        "/canvass",
        "/canvass/{rest:path}",
        "/j/{code:str}",
        "/projector/{sid:str}",
    ],
    include_in_schema=False,
)
async def app_shell(request: Request[Any, Any, Any]) -> File:
    return _shell()


@functools.cache
def service_worker_source() -> bytes:
    """sw.js with its app-shell list and cache version filled in from the files installed.

    Every file under pwa/ (except the icon script and docs) is precached, so a new module can
    never be forgotten; the version is a hash of their contents, so a deploy replaces the
    cache and an unchanged deploy keeps it."""
    root = pwa_dir()
    files = sorted(
        f
        for f in root.rglob("*")
        if f.is_file()
        and f.suffix in {".js", ".css", ".json", ".png", ".svg", ".webmanifest"}
        and f.name not in {"sw.js", "update.sh"}
    )
    digest = hashlib.sha256()
    urls = ["/"]
    for f in files:
        rel = f.relative_to(root).as_posix()
        digest.update(rel.encode() + b"\0" + f.read_bytes())
        urls.append("/manifest.webmanifest" if rel == "manifest.webmanifest" else f"/app/{rel}")
    digest.update((root / "index.html").read_bytes() + (root / "sw.js").read_bytes())
    source = (root / "sw.js").read_text(encoding="utf-8")
    source = source.replace("self.__SHELL__", json.dumps(urls)).replace(
        "self.__VERSION__", json.dumps("samenspraak-" + digest.hexdigest()[:16])
    )
    return source.encode()


@get("/sw.js", include_in_schema=False)
async def service_worker() -> Response[bytes]:
    return Response(
        service_worker_source(),
        media_type="text/javascript",
        headers={**_NO_STORE, "Service-Worker-Allowed": "/"},
    )


@get("/manifest.webmanifest", include_in_schema=False)
async def manifest() -> File:
    return _inline("manifest.webmanifest", "application/manifest+json")


@get("/health", tags=["ops"])
async def health(request: Request[Any, Any, Any]) -> Response[dict[str, str]]:
    """200 when the database (and the live bus, when there is one) answers; else 503, so a
    load balancer takes this worker out until it recovers by itself."""
    parts = request.app.state.parts
    store = "ok" if await parts.db.healthy() else "down"
    bus = parts.hub.bus_state()
    body = {"status": "ok" if store == "ok" and bus in ("ok", "none") else "unhealthy"}
    body |= {"database": store, "bus": bus}
    if parts.hub.bus is not None:
        body["worker"] = parts.hub.bus.worker  # a random name per process, for operators
    return Response(body, status_code=200 if body["status"] == "ok" else 503)


PAGE_ROUTES = [app_shell, service_worker, manifest, health]
