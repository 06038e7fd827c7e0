"""The word cloud's filter: held-back words per prompt (facilitators approve them) and the
organisation's own list (admins edit it)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post, put
from litestar.di import Provide

from .. import model as m
from ..errors import ApiError, invalid
from ..store import words as store_words
from ..store.users import StaffRow
from ..wordfilter import MAX_WORD, bundled, clean_entries
from .context import current_staff, parts
from .staff import own_room

Req = Request[Any, Any, Any]


class WordsController(Controller):
    path = "/api"
    tags = ["staff"]
    dependencies = {"staff": Provide(current_staff)}

    @get("/sessions/{sid:str}/prompts/{pid:str}/held-words")
    async def held(self, request: Req, staff: StaffRow, sid: str, pid: str) -> list[m.WordCount]:
        """Words of a words prompt that the filter holds back from every view, with counts."""
        room = await own_room(request, staff, sid)
        row = room.prompts.get(pid)
        if row is None:
            raise ApiError(404, "not_found")
        if row.kind != "words":
            raise invalid("only a words prompt holds words back")
        return room.held_words(pid)

    @post("/sessions/{sid:str}/prompts/{pid:str}/held-words/approve", status_code=200)
    async def approve(
        self, request: Req, staff: StaffRow, sid: str, pid: str, data: m.WordApproveIn
    ) -> list[m.WordCount]:
        """Show a held-back word anyway (for this prompt); the words still held back."""
        room = await own_room(request, staff, sid)
        if pid not in room.prompts:
            raise ApiError(404, "not_found")
        if data.word not in {w.word for w in room.held_words(pid)}:
            raise invalid("that word is not held back for this prompt")
        await room.approve_word(pid, data.word)
        return room.held_words(pid)

    @get("/word-filter")
    async def get_filter(self, request: Req, staff: StaffRow) -> m.WordFilterOut:
        if staff.user.role == "canvasser":
            raise ApiError(403, "forbidden")
        added, allowed = await store_words.org_filter(parts(request).db, staff.org_id)
        return m.WordFilterOut(default=list(bundled()), added=added, allowed=allowed)

    @put("/word-filter")
    async def put_filter(
        self, request: Req, staff: StaffRow, data: m.WordFilterIn
    ) -> m.WordFilterOut:
        """Admins only: the organisation's own words to hold back, and default words to allow.
        Rooms of the organisation apply it at once."""
        if staff.user.role != "admin":
            raise ApiError(403, "forbidden")
        added, allowed = clean_entries(data.added), clean_entries(data.allowed)
        for word in (*added, *allowed):
            if len(word) > MAX_WORD:
                raise invalid(f"a word in the filter has at most {MAX_WORD} characters")
        p = parts(request)
        await store_words.set_org_filter(p.db, staff.org_id, added, allowed)
        for room in list(p.hub.rooms.values()):
            if room.session.org_id == staff.org_id:
                await room.load_word_filter()
                room.changed()  # other workers re-read it too
        return m.WordFilterOut(default=list(bundled()), added=added, allowed=allowed)
