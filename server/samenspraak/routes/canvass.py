"""Canvassing routes: rounds, idempotent notes (one and batch), the k-anonymous summary, export."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import re
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, patch, post, put
from litestar.di import Provide
from litestar.params import Parameter

from .. import canvass
from .. import model as m
from ..errors import ApiError, not_found
from ..export import csv_cell
from ..redact import redact
from ..store import audit as store_audit
from ..store import canvass as store
from ..store import sessions as store_sessions
from ..store.canvass import RoundRow, StoredNote
from ..store.users import StaffRow
from .context import _whole_floats_as_ints, current_staff, parts

Req = Request[Any, Any, Any]
NOTE_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
ORGANISERS = ("admin", "facilitator")
# 200 notes with 280-character texts and every field filled are about 100 KiB of JSON; the
# app's 64 KiB body limit would make a full batch a 413.
BATCH_MAX_BODY = 256 * 1024


def _organiser(staff: StaffRow) -> None:
    if staff.user.role not in ORGANISERS:
        raise ApiError(403, "forbidden")


def _invalid(exc: canvass.InvalidNote) -> ApiError:
    return ApiError(422, "invalid_value", {"reason": str(exc), **exc.where})


def round_out(row: RoundRow, sessions: list[m.LinkedSession] | None = None) -> m.Round:
    return m.Round(
        id=row.id,
        title=row.title,
        areas=row.areas,
        topics=row.topics,
        state=row.state,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        notes=row.notes,
        my_notes=row.my_notes,
        created_at=row.created_at,
        closed_at=row.closed_at,
        sessions=sessions,
    )


async def own_round(request: Req, staff: StaffRow, rid: str) -> RoundRow:
    """The round, for staff of its organisation only (another organisation's round: 404)."""
    row = await store.get_round(parts(request).db, rid, staff.user.id)
    if row is None or row.org_id != staff.org_id:
        raise not_found()
    return row


async def linked_sessions(request: Req, rid: str) -> list[m.LinkedSession]:
    p = parts(request)
    out = []
    for row in await store_sessions.linked_to_round(p.db, rid):
        live = p.hub.rooms.get(row.id)
        current = live.session if live else row
        is_live = current.state == "live" and current.code is not None
        out.append(
            m.LinkedSession(
                id=row.id,
                title=current.title,
                area=row.round_area or "",
                state=current.state,
                code=current.code if is_live else None,
                join_url=f"{p.settings.public_url}/j/{current.code}" if is_live else None,
            )
        )
    return out


class _Saved(msgspec.Struct):
    status: int
    saved: m.NoteSaved


class RoundController(Controller):
    path = "/api/rounds"
    tags = ["canvassing"]
    dependencies = {"staff": Provide(current_staff)}

    @post("/")
    async def create_round(self, request: Req, staff: StaffRow, data: m.RoundIn) -> m.Round:
        _organiser(staff)
        try:
            areas, topics = canvass.check_round_lists(data.areas, data.topics or canvass.TOPICS)
            canvass.check_dates(data.starts_on, data.ends_on)
        except canvass.InvalidNote as exc:
            raise _invalid(exc) from None
        title = canvass.clean_label(data.title)
        if not title:
            raise ApiError(422, "invalid_value", {"reason": "an empty title", "field": "title"})
        p = parts(request)
        rid = await store.create_round(
            p.db, staff.org_id, title, areas, topics, data.starts_on, data.ends_on
        )
        await store_audit.record(p.db, staff, "create", round_id=rid)
        return round_out(await own_round(request, staff, rid), [])

    @get("/")
    async def list_rounds(self, request: Req, staff: StaffRow) -> list[m.Round]:
        rows = await store.list_rounds(parts(request).db, staff.org_id, staff.user.id)
        return [round_out(r) for r in rows]

    @get("/{rid:str}")
    async def get_round(self, request: Req, staff: StaffRow, rid: str) -> m.Round:
        row = await own_round(request, staff, rid)
        return round_out(row, await linked_sessions(request, rid))

    @patch("/{rid:str}")
    async def patch_round(
        self, request: Req, staff: StaffRow, rid: str, data: m.RoundPatch
    ) -> m.Round:
        _organiser(staff)
        row = await own_round(request, staff, rid)
        if row.state == "closed":
            raise ApiError(409, "wrong_state")
        fields = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
        try:
            if "areas" in fields or "topics" in fields:
                areas, topics = canvass.check_round_lists(
                    fields.get("areas", row.areas), fields.get("topics", row.topics)
                )
                fields.update({"areas": areas} if "areas" in fields else {})
                fields.update({"topics": topics} if "topics" in fields else {})
            canvass.check_dates(
                fields.get("starts_on", row.starts_on), fields.get("ends_on", row.ends_on)
            )
        except canvass.InvalidNote as exc:
            raise _invalid(exc) from None
        if "title" in fields:
            fields["title"] = canvass.clean_label(fields["title"])
            if not fields["title"]:
                raise ApiError(422, "invalid_value", {"reason": "an empty title", "field": "title"})
        try:
            await store.update_round(parts(request).db, rid, fields)
        except store.InUse as exc:
            raise ApiError(409, "in_use", {"field": exc.what}) from None
        return round_out(await own_round(request, staff, rid), await linked_sessions(request, rid))

    @post("/{rid:str}/close", status_code=200)
    async def close_round(self, request: Req, staff: StaffRow, rid: str) -> m.Round:
        _organiser(staff)
        await own_round(request, staff, rid)
        await store.close_round(parts(request).db, rid)
        await store_audit.record(parts(request).db, staff, "close", round_id=rid)
        return round_out(await own_round(request, staff, rid), await linked_sessions(request, rid))

    # ---- notes ----

    async def _save(
        self, request: Req, staff: StaffRow, row: RoundRow, note_id: str, note: m.NoteIn
    ) -> _Saved:
        """Check, redact and store one note; raises ApiError for 409/422."""
        rules = canvass.RoundRules(tuple(row.areas), tuple(row.topics), row.starts_on, row.ends_on)
        try:
            text = canvass.check_note(note, rules, dt.datetime.now(dt.UTC).date())
        except canvass.InvalidNote as exc:
            raise _invalid(exc) from None
        clean, found = redact(text) if text else (None, [])
        redactions = [m.RedactionOut(kind=r.kind, start=r.start, end=r.end) for r in found]
        p = parts(request)
        stored = StoredNote(
            id=note_id,
            author_id=staff.user.id,
            digest=p.hash_token(canvass.canonical(note).decode()),
            note=note,
            text=clean,
            redactions=redactions,
        )
        try:
            outcome = await store.put_note(p.db, row.id, stored)
        except store.NoteConflict:
            raise ApiError(409, "note_conflict") from None
        except store.RoundClosed:
            raise ApiError(409, "round_closed") from None
        saved = m.NoteSaved(id=note_id, text=clean, redactions=redactions)
        return _Saved(201 if outcome == "created" else 200, saved)

    @put("/{rid:str}/notes/{note_id:str}")
    async def put_note(
        self,
        request: Req,
        staff: StaffRow,
        rid: str,
        note_id: Annotated[str, Parameter(pattern=NOTE_ID.pattern, max_length=64)],
        data: m.NoteIn,
    ) -> Response[m.NoteSaved]:
        row = await own_round(request, staff, rid)
        if not NOTE_ID.match(note_id):  # also checked by Litestar (the pattern is in the schema)
            raise ApiError(400, "invalid_body", {"reason": "a note id is 1–64 of A-Z a-z 0-9 _ -"})
        if data.id is not None and data.id != note_id:
            raise ApiError(422, "invalid_value", {"reason": "the body's id differs from the path"})
        result = await self._save(request, staff, row, note_id, data)
        return Response(result.saved, status_code=result.status)

    @post("/{rid:str}/notes:batch", status_code=200, request_max_body_size=BATCH_MAX_BODY)
    async def put_notes(
        self, request: Req, staff: StaffRow, rid: str, data: m.NotesBatchIn
    ) -> m.NotesBatchOut:
        """Every note on its own: one bad note never sinks the others. All writes are handed
        to the writer at once (one group commit); the answer comes after they are durable."""
        row = await own_round(request, staff, rid)

        async def one(item: Any) -> m.NoteResult:
            raw_id = item.get("id") if isinstance(item, dict) else None
            shown_id = raw_id if isinstance(raw_id, str) and len(raw_id) <= 64 else None
            try:
                note = msgspec.convert(_whole_floats_as_ints(item), m.NoteIn, strict=True)
            except msgspec.ValidationError as exc:
                return m.NoteResult(id=shown_id, status=400, code="invalid_body", detail=str(exc))
            if note.id is None:
                return m.NoteResult(
                    id=None, status=400, code="invalid_body", detail="each note needs its id"
                )
            try:
                result = await self._save(request, staff, row, note.id, note)
            except ApiError as exc:
                reason = exc.extra.get("reason")
                return m.NoteResult(
                    id=note.id,
                    status=exc.status,
                    code=exc.code,
                    detail=reason or exc.code,
                    field=exc.extra.get("field", msgspec.UNSET),
                )
            return m.NoteResult(
                id=note.id,
                status=result.status,
                text=result.saved.text,
                redactions=result.saved.redactions,
            )

        results = await asyncio.gather(*(one(item) for item in data.notes))
        return m.NotesBatchOut(results=list(results))

    @get("/{rid:str}/notes")
    async def list_notes(
        self, request: Req, staff: StaffRow, rid: str, mine: bool = False
    ) -> list[m.NoteOut]:
        """Organisers see every note of the round; a canvasser only their own."""
        await own_round(request, staff, rid)
        only_mine = mine or staff.user.role not in ORGANISERS
        found = await store.notes(parts(request).db, rid, staff.user.id, only_mine)
        return [note for note, _ in found]

    @get("/{rid:str}/summary")
    async def summary(self, request: Req, staff: StaffRow, rid: str) -> m.RoundSummary:
        _organiser(staff)
        row = await own_round(request, staff, rid)
        p = parts(request)
        found = await store.notes(p.db, rid, staff.user.id, only_mine=False)
        return canvass.summarize(
            rid, row.areas, row.topics, (n for n, _ in found), p.settings.k_anonymity
        )

    @get("/{rid:str}/export.csv", media_type="text/csv")
    async def export_csv(
        self, request: Req, staff: StaffRow, rid: str, canvasser: bool = False
    ) -> Response[str]:
        """The notes with redacted text; the canvasser column only when an admin asks for it."""
        _organiser(staff)
        if canvasser and staff.user.role != "admin":
            raise ApiError(403, "forbidden")
        row = await own_round(request, staff, rid)
        p = parts(request)
        found = await store.notes(p.db, rid, staff.user.id, only_mine=False)
        names = await _staff_names(request, staff.org_id) if canvasser else {}
        await store_audit.record(p.db, staff, "export", round_id=rid)
        return Response(
            notes_csv(row, found, names if canvasser else None),
            media_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="samenspraak-round-{rid}.csv"'},
        )


async def _staff_names(request: Req, org_id: str) -> dict[str, str]:
    rows = await parts(request).db.fetch("SELECT id, name FROM users WHERE org_id = ?", (org_id,))
    return {r["id"]: r["name"] for r in rows}


CSV_COLUMNS = (
    "round_id",
    "note_id",
    "area",
    "day",
    "part_of_day",
    "outcome",
    "topics",
    "concern",
    "trust",
    "us_them",
    "us_them_about",
    "incident",
    "wants_dialogue",
    "text",
    "redactions",
)


def notes_csv(
    row: RoundRow, found: list[tuple[m.NoteOut, str]], names: dict[str, str] | None
) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*CSV_COLUMNS, *(("canvasser",) if names is not None else ())])
    for note, author in found:
        cells = [
            row.id,
            note.id,
            note.area,
            note.day,
            note.part_of_day,
            note.outcome,
            ";".join(note.topics),
            note.concern,
            note.trust,
            "true" if note.us_them else "false",
            ";".join(note.us_them_about),
            note.incident,
            note.wants_dialogue,
            note.text,
            ";".join(r.kind for r in note.redactions),
        ]
        if names is not None:
            cells.append(names.get(author, ""))
        writer.writerow([csv_cell(c) for c in cells])
    return out.getvalue()
