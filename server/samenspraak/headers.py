"""Browser hardening: security headers on every HTTP response, and Secure cookies under https.

One `before_send` hook of the app (see `app.py`), so it covers every response Litestar sends:
the app shell of every screen, `/sw.js`, the manifest, the static files under `/app/`, the
report and handout pages, the JSON API, `/health`, and also 404s and errors. A header that a
route set itself is left as it is. WebSocket handshakes carry no page and are not touched.

The Content-Security-Policy is strict (no `'unsafe-inline'`, no `'unsafe-eval'`): the PWA
loads only its own modules and style sheets, htm builds elements without `eval`, and the
report and handout pages have no script and no inline style. `connect-src` names the
WebSocket origin of `PUBLIC_URL` (and of every allowed origin) besides `'self'`, for browsers
that do not yet let `'self'` match `ws:`/`wss:`. See docs/security.md.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from litestar.types import BeforeMessageSendHookHandler, Message, Scope

from .config import Settings

# Powerful features no screen uses; the canvassing app only *shows* a QR code (no camera).
# Clipboard and fullscreen stay allowed: the console copies the projector link.
DENIED_FEATURES = (
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "hid",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "publickey-credentials-get",
    "serial",
    "usb",
    "xr-spatial-tracking",
)
HSTS = "max-age=31536000; includeSubDomains"


def websocket_origin(origin: str) -> str:
    """`https://host:port` → `wss://host:port` (and http → ws)."""
    parts = urlsplit(origin)
    return f"{'wss' if parts.scheme == 'https' else 'ws'}://{parts.netloc}"


def content_security_policy(settings: Settings) -> str:
    sockets = sorted({websocket_origin(o) for o in settings.origins})
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "connect-src": ["'self'", *sockets],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "manifest-src": ["'self'"],
        "worker-src": ["'self'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def security_headers(settings: Settings) -> dict[str, str]:
    """The headers every response gets (unless the route set the same header itself)."""
    headers = {
        "Content-Security-Policy": content_security_policy(settings),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Permissions-Policy": ", ".join(f"{feature}=()" for feature in DENIED_FEATURES),
        "Cross-Origin-Opener-Policy": "same-origin",
        "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
    }
    if settings.secure_cookies:
        headers["Strict-Transport-Security"] = HSTS
    return headers


def _secure(cookie: bytes) -> bytes:
    attributes = {part.strip().lower() for part in cookie.split(b";")[1:]}
    return cookie if b"secure" in attributes else cookie + b"; Secure"


def hardening_hook(settings: Settings) -> BeforeMessageSendHookHandler:
    """A `before_send` hook that adds `security_headers(settings)` to every HTTP response and,
    when PUBLIC_URL is https, marks every cookie `Secure` (also the ones logout clears)."""
    fixed = [(k.lower().encode(), v.encode()) for k, v in security_headers(settings).items()]
    secure = settings.secure_cookies

    async def add_headers(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        headers = list(message.get("headers") or [])
        present = {bytes(name).lower() for name, _ in headers}
        if secure:
            headers = [
                (name, _secure(bytes(value)) if bytes(name).lower() == b"set-cookie" else value)
                for name, value in headers
            ]
        headers.extend((name, value) for name, value in fixed if name not in present)
        if str(scope.get("path", "")).startswith("/api/") and b"cache-control" not in present:
            # answers, tokens, exports and reports: never kept by a browser or proxy cache
            headers.append((b"cache-control", b"no-store"))
        message["headers"] = headers

    return add_headers
