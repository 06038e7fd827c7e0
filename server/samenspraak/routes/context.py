"""What every route needs: the app's parts, the staff member of a request, error responses."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException

from .. import i18n
from ..answers import has_nul
from ..config import Settings
from ..errors import ApiError, invalid
from ..live.hub import Hub
from ..security import TokenHasher, same
from ..store import users as store_users
from ..store.db import Database, StoreUnavailable
from ..store.users import StaffRow

log = logging.getLogger("samenspraak")
SESSION_COOKIE = "samenspraak_session"
CSRF_COOKIE = "csrftoken"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
TOUCH_EVERY = 300.0  # seconds: a login's idle clock moves at most this often (one write each time)


@dataclass
class Parts:
    settings: Settings
    db: Database
    hub: Hub
    hash_token: TokenHasher


def parts(request: Request[Any, Any, Any]) -> Parts:
    found: Parts = request.app.state.parts
    return found


def bearer(request: Request[Any, Any, Any]) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def scope_allows(scope: str, method: str, path: str) -> bool:
    """What an API token of this scope may ask (the role still decides the rest): `read` only
    reads, `canvass` only the canvassing routes, `run` everything its account may do (run
    sessions, canvass, read). Every scope may read `/api/auth/me`."""
    if method in SAFE_METHODS and path == "/api/auth/me":
        return True
    if scope == "read":
        return method in SAFE_METHODS
    if scope == "canvass":
        return path == "/api/rounds" or path.startswith("/api/rounds/")
    return scope == "run"


async def current_staff(request: Request[Any, Any, Any]) -> StaffRow:
    p = parts(request)
    token = bearer(request)
    if token is not None:
        staff = await store_users.by_api_token(p.db, p.hash_token(token))
        if staff is None:
            raise ApiError(401, "not_authenticated")
        scope = staff.token_scope or "run"
        if not scope_allows(scope, request.method, request.url.path.rstrip("/") or "/"):
            raise ApiError(403, "forbidden", {"reason": f"this token's scope is {scope}"})
        return staff
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        raise ApiError(401, "not_authenticated")
    id_hash = p.hash_token(cookie)
    found = await store_users.by_login_session(p.db, id_hash, p.settings.session_idle_minutes * 60)
    if found is None:
        raise ApiError(401, "not_authenticated")
    if request.method not in SAFE_METHODS:
        sent = request.headers.get("x-csrftoken", "")
        if not sent or not same(sent, found.csrf):
            raise ApiError(403, "csrf_failed")
    if time.time() - found.seen_at > TOUCH_EVERY:
        await store_users.touch_login_session(p.db, id_hash)  # reading counts as activity too
    return found.staff


_CODES = {
    400: "invalid_body",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "invalid_body",
    409: "wrong_state",
    413: "too_large",
    415: "wrong_content_type",
    422: "invalid_value",
    429: "rate_limited",
}


def error_response(
    request: Request[Any, Any, Any],
    status: int,
    code: str,
    extra: dict[str, Any],
    headers: dict[str, str] | None = None,
) -> Response[Any]:
    lang = i18n.prefer(request.headers.get("accept-language"))
    detail = i18n.t(lang, f"error.{code}", code.replace("_", " "))
    return Response(
        {"status_code": status, "detail": detail, "extra": {"code": code, **extra}},
        status_code=status,
        headers=headers or {},
    )


def on_api_error(request: Request[Any, Any, Any], exc: ApiError) -> Response[Any]:
    return error_response(request, exc.status, exc.code, exc.extra, exc.headers)


def on_http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    status = exc.status_code if 400 <= exc.status_code < 500 else 500
    extra: dict[str, Any] = {}
    if isinstance(exc, ValidationException) and exc.extra:
        extra["errors"] = exc.extra
    if status == 500:
        return error_response(request, 500, "internal", {})
    return error_response(
        request, status, _CODES.get(status, "invalid_body"), extra, dict(exc.headers or {})
    )


async def before_request(request: Request[Any, Any, Any]) -> Response[None] | None:
    if request.method == "OPTIONS":
        from .schema import options_answer

        return options_answer(request)
    await strict_body(request)
    return None


async def strict_body(request: Request[Any, Any, Any]) -> None:
    """Decode the body strictly against the handler's `data` type before Litestar does.

    Litestar converts bodies with msgspec's lax mode (`"7"` becomes 7, `1` becomes true); the
    contract says a wrong JSON type is a 400. Deep nesting is a 400 too, not a RecursionError."""
    field = request.route_handler.parsed_fn_signature.parameters.get("data")
    if field is None:
        return
    body = await request.body()
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if body and media != "application/json":
        # A cross-site HTML form can send text/plain without a preflight (login CSRF); JSON it cannot.
        raise ApiError(415, "wrong_content_type")
    try:
        raw = msgspec.json.decode(body)
        if has_nul(raw):  # well-formed and of the right type, but never a valid text: 422
            raise invalid("text must not contain NUL")
        msgspec.convert(_whole_floats_as_ints(raw), type=field.annotation, strict=True)
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        raise ApiError(400, "invalid_body", {"errors": [{"message": str(exc)}]}) from None
    except RecursionError:
        raise ApiError(
            400, "invalid_body", {"errors": [{"message": "nested too deeply"}]}
        ) from None


def _whole_floats_as_ints(value: Any) -> Any:
    """JSON has one number type: 7.0 is the integer 7 (JSON Schema agrees); 7.5 stays a float."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_whole_floats_as_ints(v) for v in value]
    if isinstance(value, dict):
        return {k: _whole_floats_as_ints(v) for k, v in value.items()}
    return value


def on_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """A bug: logged with its traceback and the handler's name, never the path (join codes) or body."""
    handler = getattr(request.scope.get("route_handler"), "handler_name", "?")
    log.error("unexpected %s in %s", type(exc).__name__, handler, exc_info=exc)
    return error_response(request, 500, "internal", {})


def on_store_down(request: Request[Any, Any, Any], exc: StoreUnavailable) -> Response[Any]:
    return error_response(request, 503, "unavailable", {}, {"Retry-After": "5"})


EXCEPTION_HANDLERS: dict[Any, Any] = {
    ApiError: on_api_error,
    HTTPException: on_http_error,
    StoreUnavailable: on_store_down,
    RecursionError: lambda request, exc: error_response(request, 400, "invalid_body", {}),
    UnicodeDecodeError: lambda request, exc: error_response(request, 400, "invalid_body", {}),
    Exception: on_unexpected,
}
