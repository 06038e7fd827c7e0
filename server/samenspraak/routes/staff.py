"""Staff routes: login, templates, sessions and prompts, live control, moderation, tickets."""

from __future__ import annotations

import asyncio
import secrets
from typing import Annotated, Any, Literal, cast

import msgspec
from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.datastructures import Cookie
from litestar.di import Provide
from litestar.params import Parameter

from .. import answers, export, handout, templates
from .. import model as m
from ..errors import ApiError, invalid, not_found
from ..live.room import Room
from ..security import MIN_PASSWORD_LENGTH, WeakPassword, new_token, verify_password
from ..store import audit as store_audit
from ..store import canvass as store_canvass
from ..store import sessions as store_sessions
from ..store import users as store_users
from ..store.sessions import SessionRow
from ..store.users import StaffRow
from ..throttle import LoginThrottle
from .context import CSRF_COOKIE, SESSION_COOKIE, bearer, current_staff, parts
from .qr import qr_response

Req = Request[Any, Any, Any]
_VERIFYING = asyncio.Semaphore(2)
MAX_PROMPTS = 100  # also the most that PUT …/prompts/order takes
_CLEARED = [
    Cookie(key=SESSION_COOKIE, value="", max_age=0, path="/", httponly=True, samesite="lax"),
    Cookie(key=CSRF_COOKIE, value="", max_age=0, path="/", samesite="lax"),
]


def session_out(
    row: SessionRow, public_url: str, min_group: int, prompts: list[m.Prompt] | None = None
) -> m.Session:
    live = row.state == "live"
    return m.Session(
        id=row.id,
        title=row.title,
        neighbourhood=row.neighbourhood,
        state=row.state,
        code=row.code if live else None,
        join_url=f"{public_url}/j/{row.code}" if live and row.code else None,
        current_prompt_id=row.current_prompt_id,
        participants=row.participants,
        created_at=row.created_at,
        language=row.language,
        min_group=min_group,
        prompts=prompts,
        round_id=row.round_id,
        round_area=row.round_area,
    )


def room_out(request: Req, room: Room) -> m.Session:
    p = parts(request)
    views = [room.prompt_view(r, "facilitator") for r in room.ordered()]
    return session_out(room.session, p.settings.public_url, p.settings.min_group, views)


async def own_room(request: Req, staff: StaffRow, sid: str) -> Room:
    """The session's room, only for staff of its organisation who may run sessions."""
    if staff.user.role == "canvasser":
        raise ApiError(403, "forbidden")
    room = await parts(request).hub.room(sid)
    if room is None or room.session.org_id != staff.org_id:
        raise not_found()
    return room


async def _check_link(
    request: Req, staff: StaffRow, round_id: str | None, round_area: str | None
) -> None:
    """A session is linked to one area of a round of the same organisation, or to nothing."""
    if round_id is None and round_area is None:
        return
    if round_id is None or round_area is None:
        field = "round_area" if round_area is None else "round_id"
        raise ApiError(
            422, "invalid_value", {"reason": "round_id and round_area go together", "field": field}
        )
    found = await store_canvass.get_round(parts(request).db, round_id, staff.user.id)
    if found is None or found.org_id != staff.org_id:
        raise ApiError(422, "invalid_value", {"reason": "unknown round", "field": "round_id"})
    if round_area not in found.areas:
        raise ApiError(
            422,
            "invalid_value",
            {"reason": "round_area is not one of the round's areas", "field": "round_area"},
        )


def login_throttle(request: Req) -> LoginThrottle:
    """This process's login throttle (throttle.py: in memory, never in the database)."""
    state = request.app.state
    found = getattr(state, "login_throttle", None)
    if not isinstance(found, LoginThrottle):
        found = LoginThrottle()
        state.login_throttle = found
    return found


def client_address(request: Req) -> str:
    """The client's address as uvicorn saw it (it applies the proxy headers); kept in memory
    by the throttle only, never stored or logged."""
    return request.client.host if request.client else "unknown"


def throttled(seconds: int) -> ApiError:
    return ApiError(
        429,
        "login_throttled",
        {"retry_after": seconds},
        headers={"Retry-After": str(seconds)},
    )


async def _password_ok(stored: str | None, password: str) -> bool:
    # argon2 takes ~100 ms of CPU: off the event loop, and at most two at once, so a burst of
    # logins cannot stall the live sessions on the same process.
    async with _VERIFYING:
        return await asyncio.to_thread(verify_password, stored, password)


def weak_password(field: str, exc: WeakPassword) -> ApiError:
    return ApiError(
        422,
        "weak_password",
        {"field": field, "reason": exc.reason, "min_length": MIN_PASSWORD_LENGTH},
    )


class AuthController(Controller):
    """Login, logout, the account's password and API tokens (`/api/auth/…`), the audit log."""

    path = "/api"
    tags = ["staff"]

    @post("/auth/login", status_code=200)
    async def login(self, request: Req, data: m.LoginIn) -> Response[m.Me]:
        p = parts(request)
        throttle, address = login_throttle(request), client_address(request)
        wait = throttle.retry_after(data.email, address)
        if wait:
            raise throttled(wait)
        attempt = throttle.begin(data.email, address)  # counts as failed until it succeeds
        staff = await store_users.by_email(p.db, data.email.strip())
        ok = await _password_ok(staff.password_hash if staff else None, data.password)
        if not ok or staff is None:
            raise ApiError(401, "login_failed")
        throttle.succeeded(data.email, address, attempt)
        session_id, csrf = new_token(), secrets.token_urlsafe(24)
        # a fresh id on every login (no session fixation); only its keyed hash is stored
        await store_users.open_login_session(
            p.db,
            staff.user.id,
            p.hash_token(session_id),
            csrf,
            p.settings.session_idle_minutes * 60,
        )
        await store_audit.record(p.db, staff, "login")
        response = Response(m.Me(user=staff.user))
        secure = p.settings.secure_cookies
        response.set_cookie(
            SESSION_COOKIE, session_id, httponly=True, secure=secure, samesite="lax", path="/"
        )
        response.set_cookie(
            CSRF_COOKIE, csrf, httponly=False, secure=secure, samesite="lax", path="/"
        )
        return response

    @post(
        "/auth/logout",
        status_code=204,
        dependencies={"staff": Provide(current_staff)},
        response_cookies=_CLEARED,
    )
    async def logout(self, request: Req, staff: StaffRow) -> None:
        p = parts(request)
        cookie = request.cookies.get(SESSION_COOKIE)
        if cookie and bearer(request) is None:
            await store_users.end_login_session(p.db, p.hash_token(cookie))
            await store_audit.record(p.db, staff, "logout")

    @post(
        "/auth/logout-all",
        status_code=200,
        dependencies={"staff": Provide(current_staff)},
        response_cookies=_CLEARED,
    )
    async def logout_all(self, request: Req, staff: StaffRow) -> m.LoggedOut:
        """Every login of this user ends, on every device, this one too (API tokens stay:
        revoke those one by one)."""
        p = parts(request)
        ended = await store_users.end_all_login_sessions(p.db, staff.user.id)
        await store_audit.record(p.db, staff, "logout_all")
        return m.LoggedOut(ended=ended)

    @post("/auth/password", status_code=200, dependencies={"staff": Provide(current_staff)})
    async def change_password(
        self, request: Req, staff: StaffRow, data: m.PasswordIn
    ) -> m.LoggedOut:
        """A new password for the logged-in user; their other logins end (`ended`)."""
        p = parts(request)
        throttle, address = login_throttle(request), client_address(request)
        wait = throttle.retry_after(staff.user.email, address)
        if wait:
            raise throttled(wait)
        attempt = throttle.begin(staff.user.email, address)
        if not await _password_ok(staff.password_hash, data.current_password):
            raise ApiError(
                422,
                "invalid_value",
                {"reason": "the current password is wrong", "field": "current_password"},
            )
        throttle.succeeded(staff.user.email, address, attempt)
        cookie = request.cookies.get(SESSION_COOKIE) if bearer(request) is None else None
        try:
            ended = await store_users.set_password(
                p.db, staff.user.id, data.new_password, p.hash_token(cookie) if cookie else ""
            )
        except WeakPassword as exc:
            raise weak_password("new_password", exc) from None
        await store_audit.record(p.db, staff, "password_changed")
        return m.LoggedOut(ended=ended)

    @get("/auth/me", dependencies={"staff": Provide(current_staff)})
    async def me(self, staff: StaffRow) -> m.Me:
        return m.Me(user=staff.user)

    @get("/auth/tokens", dependencies={"staff": Provide(current_staff)})
    async def list_tokens(self, request: Req, staff: StaffRow) -> list[m.ApiToken]:
        """The user's own API tokens (made with `samenspraak token create`), never the token."""
        return await store_users.api_tokens(parts(request).db, staff.user.id)

    @delete(
        "/auth/tokens/{key:str}", status_code=200, dependencies={"staff": Provide(current_staff)}
    )
    async def revoke_token(self, request: Req, staff: StaffRow, key: str) -> m.TokensRevoked:
        """Revoke one of the user's tokens by its id, or every one with that name."""
        p = parts(request)
        revoked = await store_users.revoke_api_tokens(p.db, staff.user.id, key)
        if revoked is None:
            raise not_found()
        for token_id in revoked:
            await store_audit.record(p.db, staff, "token_revoked", target_id=token_id)
        return m.TokensRevoked(revoked=len(revoked))

    @get("/audit", dependencies={"staff": Provide(current_staff)})
    async def audit_log(
        self,
        request: Req,
        staff: StaffRow,
        limit: Annotated[int, Parameter(ge=1, le=store_audit.MAX_LIMIT)] = 100,
        before: Annotated[int | None, Parameter(ge=1)] = None,
    ) -> list[m.AuditEntry]:
        """Staff actions in the organisation, newest first (admins only); `before` pages on."""
        if staff.user.role != "admin":
            raise ApiError(403, "forbidden")
        return await store_audit.for_org(parts(request).db, staff.org_id, limit, before)


class TemplateController(Controller):
    path = "/api/templates"
    tags = ["staff"]
    dependencies = {"staff": Provide(current_staff)}

    @get("/")
    async def list_templates(self, staff: StaffRow, lang: m.Language = "nl") -> list[m.Template]:
        return list(templates.all_templates(lang))


def _checked(spec: m.PromptIn) -> m.PromptIn:
    try:
        answers.check_definition(spec)
    except answers.InvalidValue as exc:
        raise invalid(str(exc)) from None
    return spec


def _check_pairs(specs: list[m.PromptIn]) -> None:
    """A before/after pair is two dilemma prompts: a third with the same `pair` is 422."""
    seen: dict[str, int] = {}
    for spec in specs:
        if isinstance(spec, m.DilemmaIn) and spec.pair:
            seen[spec.pair] = seen.get(spec.pair, 0) + 1
            if seen[spec.pair] > 2:
                raise invalid(f"pair {spec.pair!r} is on more than two dilemma prompts")


def _patched(old: m.PromptIn, patch_in: m.PromptPatch) -> m.PromptIn:
    kind = str(old.__struct_config__.tag)
    changes = {k: v for k, v in msgspec.structs.asdict(patch_in).items() if v is not msgspec.UNSET}
    if changes.pop("kind", kind) != kind:
        raise invalid("the kind of a prompt cannot change")
    merged = {**msgspec.to_builtins(old), **msgspec.to_builtins(changes)}
    for key in [k for k, v in changes.items() if v is None]:
        del merged[key]  # null: back to the kind's default (a required field then fails: 422)
    try:
        return _checked(msgspec.convert(merged, m.KINDS[kind]))
    except msgspec.ValidationError as exc:
        raise invalid(str(exc)) from None


class SessionController(Controller):
    path = "/api/sessions"
    tags = ["staff"]
    dependencies = {"staff": Provide(current_staff)}

    @post("/")
    async def create_session(self, request: Req, staff: StaffRow, data: m.SessionIn) -> m.Session:
        if staff.user.role == "canvasser":
            raise ApiError(403, "forbidden")
        specs: list[m.PromptIn] = []
        if data.template is not None:
            template = templates.by_slug(data.template, data.language)
            if template is None:
                raise invalid("unknown template")
            specs.extend(template.prompts)
        specs.extend(_checked(s) for s in data.prompts or [])
        _check_pairs(specs)
        p = parts(request)
        await _check_link(request, staff, data.round_id, data.round_area)
        sid = await store_sessions.create(
            p.db,
            org_id=staff.org_id,
            title=data.title,
            neighbourhood=data.neighbourhood,
            language=data.language,
            prompts=specs,
            round_id=data.round_id,
            round_area=data.round_area,
        )
        await store_audit.record(p.db, staff, "create", session_id=sid)
        return room_out(request, await own_room(request, staff, sid))

    @get("/")
    async def list_sessions(self, request: Req, staff: StaffRow) -> list[m.Session]:
        if staff.user.role == "canvasser":
            raise ApiError(403, "forbidden")
        p = parts(request)
        rows = await store_sessions.list_for_org(p.db, staff.org_id)
        out = []
        for row in rows:
            live = p.hub.rooms.get(row.id)
            out.append(
                session_out(
                    live.session if live else row, p.settings.public_url, p.settings.min_group
                )
            )
        return out

    @get("/{sid:str}")
    async def get_session(self, request: Req, staff: StaffRow, sid: str) -> m.Session:
        return room_out(request, await own_room(request, staff, sid))

    @patch("/{sid:str}")
    async def patch_session(
        self, request: Req, staff: StaffRow, sid: str, data: m.SessionPatch
    ) -> m.Session:
        room = await own_room(request, staff, sid)
        if room.session.state == "closed":
            raise ApiError(409, "wrong_state")
        fields = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
        if fields.get("neighbourhood") == "":
            fields["neighbourhood"] = None
        if "round_id" in fields or "round_area" in fields:
            fields.setdefault("round_id", room.session.round_id)
            fields.setdefault("round_area", room.session.round_area)
            if fields["round_id"] is None:
                fields["round_area"] = None  # unlinking the round unlinks its area too
            await _check_link(request, staff, fields["round_id"], fields["round_area"])
        await store_sessions.update(parts(request).db, sid, fields)
        for key, value in fields.items():
            setattr(room.session, key, value)
        room.resync_all()
        return room_out(request, room)

    async def _editable(self, request: Req, staff: StaffRow, sid: str) -> Room:
        room = await own_room(request, staff, sid)
        if room.session.state == "closed":
            raise ApiError(409, "wrong_state")
        return room

    async def _refresh(self, request: Req, room: Room) -> None:
        room.refresh_prompts(await store_sessions.prompts(parts(request).db, room.session.id))
        room.changed()  # other workers re-read the prompts

    @post("/{sid:str}/prompts")
    async def add_prompt(
        self, request: Req, staff: StaffRow, sid: str, data: m.PromptIn
    ) -> m.Prompt:
        room = await self._editable(request, staff, sid)
        if len(room.prompts) >= MAX_PROMPTS:
            raise invalid(f"a session has at most {MAX_PROMPTS} prompts")
        _check_pairs([*(r.spec for r in room.ordered()), data])
        pid = await store_sessions.add_prompt(parts(request).db, sid, _checked(data))
        await self._refresh(request, room)
        return room.prompt_view(room.prompts[pid], "facilitator")

    @put("/{sid:str}/prompts/order")
    async def order_prompts(
        self, request: Req, staff: StaffRow, sid: str, data: m.OrderIn
    ) -> m.Session:
        room = await self._editable(request, staff, sid)
        if sorted(data.prompt_ids) != sorted(room.prompts):
            raise invalid("prompt_ids must list every prompt of the session exactly once")
        await store_sessions.reorder(parts(request).db, sid, data.prompt_ids)
        await self._refresh(request, room)
        return room_out(request, room)

    @patch("/{sid:str}/prompts/{pid:str}")
    async def patch_prompt(
        self, request: Req, staff: StaffRow, sid: str, pid: str, data: m.PromptPatch
    ) -> m.Prompt:
        room = await self._editable(request, staff, sid)
        row = room.prompts.get(pid)
        if row is None:
            raise not_found()
        spec = _patched(row.spec, data)
        _check_pairs([spec if r.id == pid else r.spec for r in room.ordered()])
        try:
            await store_sessions.replace_spec(parts(request).db, pid, spec)
        except store_sessions.PromptInUse:
            raise ApiError(409, "prompt_has_responses") from None
        await self._refresh(request, room)
        await room.prompt_edited(pid)
        return room.prompt_view(room.prompts[pid], "facilitator")

    @delete("/{sid:str}/prompts/{pid:str}")
    async def delete_prompt(self, request: Req, staff: StaffRow, sid: str, pid: str) -> None:
        room = await self._editable(request, staff, sid)
        if pid not in room.prompts:
            raise not_found()
        if await store_sessions.answered(parts(request).db, pid):
            raise ApiError(409, "prompt_has_responses")
        if room.session.current_prompt_id == pid and room.session.state == "live":
            await room.show(None)  # phones must not keep showing a deleted prompt
        try:
            await store_sessions.delete_prompt(parts(request).db, sid, pid)
        except store_sessions.PromptInUse:
            raise ApiError(409, "prompt_has_responses") from None
        await self._refresh(request, room)

    @post("/{sid:str}/start", status_code=200)
    async def start(self, request: Req, staff: StaffRow, sid: str) -> m.Session:
        room = await own_room(request, staff, sid)
        await room.start()
        await store_audit.record(parts(request).db, staff, "start", session_id=sid)
        return room_out(request, room)

    @post("/{sid:str}/show", status_code=200)
    async def show(self, request: Req, staff: StaffRow, sid: str, data: m.ShowIn) -> m.Session:
        room = await own_room(request, staff, sid)
        await room.show(data.prompt_id)
        await store_audit.record(parts(request).db, staff, "show", session_id=sid)
        return room_out(request, room)

    @post("/{sid:str}/prompts/{pid:str}/close", status_code=200)
    async def close_prompt(self, request: Req, staff: StaffRow, sid: str, pid: str) -> m.Prompt:
        room = await own_room(request, staff, sid)
        await room.close_prompt(pid)
        await store_audit.record(parts(request).db, staff, "close_prompt", session_id=sid)
        return room.prompt_view(room.prompts[pid], "facilitator")

    @post("/{sid:str}/prompts/{pid:str}/reveal", status_code=200)
    async def reveal(
        self, request: Req, staff: StaffRow, sid: str, pid: str, data: m.RevealIn
    ) -> m.Prompt:
        room = await own_room(request, staff, sid)
        await room.reveal(pid, data.visible)
        await store_audit.record(parts(request).db, staff, "reveal", session_id=sid)
        return room.prompt_view(room.prompts[pid], "facilitator")

    @post("/{sid:str}/close", status_code=200)
    async def close_session(self, request: Req, staff: StaffRow, sid: str) -> m.Session:
        room = await own_room(request, staff, sid)
        await room.close()
        await store_audit.record(parts(request).db, staff, "close", session_id=sid)
        return room_out(request, room)

    @get("/{sid:str}/results")
    async def results(self, request: Req, staff: StaffRow, sid: str) -> m.Results:
        room = await own_room(request, staff, sid)
        return m.Results(
            session_id=sid,
            prompts=[
                m.PromptResult(prompt_id=r.id, tally=cast(Any, room.staff_tally(r.id)))
                for r in room.ordered()
            ],
        )

    @get("/{sid:str}/qr.svg", media_type="image/svg+xml")
    async def qr(
        self, request: Req, staff: StaffRow, sid: str, format: Literal["svg", "png"] = "svg"
    ) -> Response[bytes]:
        room = await own_room(request, staff, sid)
        if room.join_url is None or room.session.state != "live":
            raise ApiError(409, "wrong_state")
        return qr_response(room.join_url, format)

    @get("/{sid:str}/handout.html", media_type="text/html")
    async def handout(
        self, request: Req, staff: StaffRow, sid: str, pages: int = 1
    ) -> Response[str]:
        """A4 sheets of 8 QR hand-out cards; the join code exists only while the session is live."""
        room = await own_room(request, staff, sid)
        if room.join_url is None or room.session.state != "live" or room.session.code is None:
            raise ApiError(409, "wrong_state")
        if not 1 <= pages <= 20:
            raise invalid("pages must be 1 to 20")
        return Response(
            handout.sheet(
                title=room.session.title,
                neighbourhood=room.session.neighbourhood,
                code=room.session.code,
                join_url=room.join_url,
                lang=room.session.language,
                pages=pages,
            ),
            media_type="text/html",
        )

    @get("/{sid:str}/export.json")
    async def export_json(self, request: Req, staff: StaffRow, sid: str) -> dict[str, Any]:
        """Aggregates only (docs/data.md): no participant, no hidden card, no map dots."""
        room = await own_room(request, staff, sid)
        document = export.as_json(export.build(room, await export.closed_at(room)))
        await store_audit.record(parts(request).db, staff, "export", session_id=sid)
        return document

    @get("/{sid:str}/export.csv", media_type="text/csv")
    async def export_csv(self, request: Req, staff: StaffRow, sid: str) -> Response[str]:
        room = await own_room(request, staff, sid)
        await store_audit.record(parts(request).db, staff, "export", session_id=sid)
        return Response(
            export.as_csv(export.build(room, await export.closed_at(room))),
            media_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="samenspraak-{sid}.csv"'},
        )

    @get("/{sid:str}/report.html", media_type="text/html")
    async def report(self, request: Req, staff: StaffRow, sid: str) -> Response[str]:
        """A printable A4 report with charts; the opinion map's dots appear only here."""
        room = await own_room(request, staff, sid)
        doc = export.build(room, await export.closed_at(room), points=True)
        await store_audit.record(parts(request).db, staff, "export", session_id=sid)
        return Response(export.as_html(doc), media_type="text/html")

    @get("/{sid:str}/prompts/{pid:str}/cards")
    async def cards(
        self,
        request: Req,
        staff: StaffRow,
        sid: str,
        pid: str,
        status: Literal["pending", "approved", "hidden"] | None = None,
    ) -> list[m.Card]:
        room = await own_room(request, staff, sid)
        if pid not in room.prompts:
            raise not_found()
        return room.cards_of(pid, status)

    @post("/{sid:str}/cards/{card_id:str}/moderate", status_code=200)
    async def moderate(
        self, request: Req, staff: StaffRow, sid: str, card_id: str, data: m.ModerateIn
    ) -> m.Card:
        room = await own_room(request, staff, sid)
        card = await room.moderate(card_id, data.status)
        await store_audit.record(parts(request).db, staff, "moderate", session_id=sid)
        return card

    @post("/{sid:str}/ws-ticket")
    async def ws_ticket(self, request: Req, staff: StaffRow, sid: str) -> m.Ticket:
        room = await own_room(request, staff, sid)
        ticket = new_token()
        p = parts(request)
        await store_sessions.add_ticket(
            p.db, room.session.id, p.hash_token(ticket), "presenter,facilitator"
        )
        return m.Ticket(ticket=ticket)

    @post("/{sid:str}/projector-link")
    async def projector_link(self, request: Req, staff: StaffRow, sid: str) -> m.ProjectorLink:
        room = await own_room(request, staff, sid)
        if room.session.state == "closed":
            raise ApiError(409, "wrong_state")
        key = new_token()
        p = parts(request)
        await store_sessions.add_projector_key(p.db, sid, p.hash_token(key))
        return m.ProjectorLink(url=f"{p.settings.public_url}/projector/{sid}#key={key}", key=key)


class ProjectorController(Controller):
    path = "/api/projector"
    tags = ["projector"]

    @post("/ws-ticket")
    async def projector_ticket(self, request: Req) -> m.ProjectorTicket:
        p = parts(request)
        key = bearer(request)
        sid = await store_sessions.projector_session(p.db, p.hash_token(key)) if key else None
        if sid is None:
            raise ApiError(401, "not_authenticated")
        ticket = new_token()
        await store_sessions.add_ticket(p.db, sid, p.hash_token(ticket), "presenter")
        return m.ProjectorTicket(ticket=ticket, session_id=sid)
