"""Resident routes: join by code, the current session, answers and cards (bearer token)."""

from __future__ import annotations

import time
from typing import Any

from litestar import Controller, Request, Response, delete, get, post, put

from .. import model as m
from ..errors import ApiError
from ..live.room import Room
from ..security import new_token, normalise_join_code
from ..store import responses as store_responses
from ..store import sessions as store_sessions
from .context import bearer, parts
from .qr import qr_response

Req = Request[Any, Any, Any]


class JoinBudget:
    """Joins per session per minute: a whole hall shares one address behind NAT, so no per-IP limit."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._windows: dict[str, tuple[int, int]] = {}

    def take(self, sid: str) -> bool:
        minute = int(time.monotonic() // 60)
        window, used = self._windows.get(sid, (minute, 0))
        if window != minute:
            window, used = minute, 0
        if used >= self.per_minute:
            return False
        self._windows[sid] = (window, used + 1)
        return True


async def resident(request: Req) -> tuple[int, Room]:
    token = bearer(request)
    found = (
        await parts(request).hub.participant(parts(request).hash_token(token)) if token else None
    )
    if found is None:
        raise ApiError(401, "not_authenticated")
    return found


def public_view(room: Room, who: int) -> m.PublicSession:
    view = room.public_session()
    row = room.current()
    if row is not None:
        view.prompt = room.prompt_view(row, "resident")
        view.my_response = room.my_response(who, row)
    return view


class ResidentController(Controller):
    tags = ["residents"]

    @post("/api/join")
    async def join(self, request: Req, data: m.JoinIn) -> m.Joined:
        p = parts(request)
        code = normalise_join_code(data.code)
        row = await store_sessions.by_live_code(p.db, code) if code else None
        room = await p.hub.room(row.id) if row else None
        if room is None or room.session.state != "live":
            raise ApiError(404, "code_unknown")
        if not request.app.state.join_budget.take(room.session.id):
            raise ApiError(429, "rate_limited", headers={"Retry-After": "10"})
        room.writable()
        token = new_token()
        token_hash = p.hash_token(token)
        who, count = await store_responses.join(
            p.db, room.session.id, token_hash, count=room.bus is not None
        )
        p.hub.remember_participant(token_hash, who, room.session.id)
        room.joined(count)
        return m.Joined(token=token, session=public_view(room, who))

    @get("/api/join/{code:str}/qr.svg", media_type="image/svg+xml")
    async def join_qr(self, request: Req, code: str) -> Response[bytes]:
        p = parts(request)
        normal = normalise_join_code(code)
        row = await store_sessions.by_live_code(p.db, normal) if normal else None
        if row is None:
            raise ApiError(404, "code_unknown")
        return qr_response(f"{p.settings.public_url}/j/{row.code}", "svg")

    @get("/api/me/session")
    async def my_session(self, request: Req) -> m.PublicSession:
        who, room = await resident(request)
        return public_view(room, who)

    @put("/api/me/responses/{prompt_id:str}")
    async def respond(self, request: Req, prompt_id: str, data: m.ResponseIn) -> m.ResponseOut:
        who, room = await resident(request)
        stored = await room.respond(who, prompt_id, data.value)
        return m.ResponseOut(prompt_id=prompt_id, value=stored["value"])

    @delete("/api/me/responses", status_code=200)
    async def remove_my_answers(self, request: Req) -> m.Removed:
        """ "Remove my answers": every answer and card of this resident, while the session is
        live; the results lose them at once (409 `wrong_state` once it has closed)."""
        who, room = await resident(request)
        return m.Removed(removed=await room.remove_answers(who))

    @post("/api/me/statements")
    async def propose_statement(
        self, request: Req, data: m.StatementProposalIn
    ) -> Response[m.Card]:
        """A resident's own statement for a prompt with `resident_statements`: pending until a
        facilitator approves it (`…/cards/{id}/moderate`); then everyone can vote on it."""
        who, room = await resident(request)
        card, created = await room.add_card(who, data.prompt_id, data.id, {"text": data.text})
        return Response(card, status_code=201 if created else 200)

    @post("/api/me/cards")
    async def add_card(self, request: Req, data: m.CardIn) -> Response[m.Card]:
        who, room = await resident(request)
        card, created = await room.add_card(
            who, data.prompt_id, data.id, {"text": data.text, "category": data.category}
        )
        return Response(card, status_code=201 if created else 200)
