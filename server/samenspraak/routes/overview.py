"""The organisation overview: sessions and canvassing rounds per neighbourhood over time, and for
one neighbourhood its dialogue results beside the canvassing signals of the same area.

A neighbourhood is a name: a session's `neighbourhood`, the round area a session is linked to,
or an area of a canvassing round. Names are compared after trimming (inner runs of white space
count as one space) and case-insensitively; the name shown is the most common spelling."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import msgspec
from litestar import Controller, Request, get
from litestar.di import Provide

from .. import canvass
from .. import model as m
from .. import overview_model as o
from ..errors import ApiError, not_found
from ..store import canvass as store_canvass
from ..store import overview as store
from ..store.canvass import RoundRow
from ..store.overview import SessionBrief
from ..store.sessions import PromptRow
from ..store.users import StaffRow
from .context import current_staff, parts

Req = Request[Any, Any, Any]
ORGANISERS = ("admin", "facilitator")
MAX_NAME = 200  # longer than any neighbourhood (120) or area (80): never a match


def spelling(name: str) -> str:
    """A name as shown: NFC, trimmed, inner white space as one space."""
    return " ".join(unicodedata.normalize("NFC", name).split())


def name_key(name: str | None) -> str:
    """The key two spellings of one neighbourhood share ("" for no name)."""
    return spelling(name).casefold() if name else ""


@dataclass
class Hood:
    """Everything of one organisation under one neighbourhood key."""

    spellings: Counter[str] = field(default_factory=Counter)
    sessions: list[SessionBrief] = field(default_factory=list)
    rounds: list[tuple[RoundRow, str]] = field(default_factory=list)  # (round, its area)

    def name(self) -> str:
        """The most common spelling; a tie goes to the spelling that sorts first."""
        return min(self.spellings.items(), key=lambda item: (-item[1], item[0]))[0]


def group(
    sessions: Iterable[SessionBrief], rounds: Iterable[RoundRow]
) -> tuple[dict[str, Hood], list[SessionBrief]]:
    """Neighbourhoods by key, and the sessions that have neither a neighbourhood nor a round area.

    A session with a neighbourhood *and* a linked round area of another name is under both."""
    hoods: dict[str, Hood] = {}
    unassigned: list[SessionBrief] = []
    for session in sessions:
        names = [session.neighbourhood, session.round_area if session.round_id else None]
        keys: set[str] = set()
        for raw in names:
            key = name_key(raw)
            if not key or raw is None:
                continue
            hood = hoods.setdefault(key, Hood())
            hood.spellings[spelling(raw)] += 1
            if key not in keys:
                hood.sessions.append(session)
                keys.add(key)
        if not keys:
            unassigned.append(session)
    for row in rounds:
        for area in row.areas:
            key = name_key(area)
            if key:
                hood = hoods.setdefault(key, Hood())
                hood.spellings[spelling(area)] += 1
                hood.rounds.append((row, area))
    for hood in hoods.values():
        hood.sessions.sort(key=lambda s: s.created_at)  # stable: the store's order within a second
        hood.rounds.sort(key=lambda item: (round_span(item[0])[0], item[0].created_at, item[0].id))
    return hoods, unassigned


def _today() -> str:
    return dt.datetime.now(dt.UTC).date().isoformat()


def session_span(session: SessionBrief) -> tuple[str, str]:
    """From the day it was made until the day it closed (today while live)."""
    start = session.created_at[:10]
    if session.closed_at:
        end = session.closed_at[:10]
    elif session.state == "live":
        end = _today()
    else:
        end = start
    return start, max(start, end)


def round_span(row: RoundRow) -> tuple[str, str]:
    """From its first day (or the day it was made) until it closed (today while open, but no
    later than its last day)."""
    start = row.starts_on or row.created_at[:10]
    today = _today()
    end = row.closed_at[:10] if row.closed_at else min(row.ends_on or today, today)
    return start, max(start, end)


def _session_out(session: SessionBrief) -> o.OverviewSession:
    first, last = session_span(session)
    return o.OverviewSession(
        id=session.id,
        title=session.title,
        state=session.state,
        created_at=session.created_at,
        closed_at=session.closed_at,
        participants=session.participants,
        first=first,
        last=last,
    )


def _neighbourhood(hood: Hood, counts: dict[tuple[str, str], int], k: int) -> o.Neighbourhood:
    spans = [session_span(s) for s in hood.sessions] + [round_span(r) for r, _ in hood.rounds]
    rounds = []
    for row, area in hood.rounds:
        notes = counts.get((row.id, area), 0)
        first, last = round_span(row)
        rounds.append(
            o.OverviewRound(
                id=row.id,
                title=row.title,
                state=row.state,
                starts_on=row.starts_on,
                ends_on=row.ends_on,
                area=area,
                notes_in_area=notes if notes >= k else None,
                first=first,
                last=last,
            )
        )
    return o.Neighbourhood(
        name=hood.name(),
        sessions=[_session_out(s) for s in hood.sessions],
        rounds=rounds,
        first=min(start for start, _ in spans),
        last=max(end for _, end in spans),
    )


def _dilemma(row: PromptRow, tally: m.Tally) -> o.OverviewDilemma:
    spec = row.spec
    assert isinstance(spec, m.DilemmaIn)
    if isinstance(tally, m.DilemmaTally):
        return o.OverviewDilemma(
            prompt_id=row.id,
            title=spec.title,
            left=spec.left,
            right=spec.right,
            n=tally.n,
            hidden=False,
            mean=tally.mean,
            middle_share=tally.middle_share,
            bins=tally.bins,
            before=tally.before if tally.before is not None else msgspec.UNSET,
        )
    return o.OverviewDilemma(  # hidden below min_group: the count, nothing else
        prompt_id=row.id,
        title=spec.title,
        left=spec.left,
        right=spec.right,
        n=getattr(tally, "n", 0),
        hidden=True,
        mean=None,
        middle_share=None,
        bins=None,
    )


def _organiser(staff: StaffRow) -> None:
    if staff.user.role not in ORGANISERS:
        raise ApiError(403, "forbidden")


class OverviewController(Controller):
    path = "/api/overview"
    tags = ["overview"]
    dependencies = {"staff": Provide(current_staff)}

    async def _hoods(
        self, request: Req, staff: StaffRow
    ) -> tuple[dict[str, Hood], list[SessionBrief]]:
        db = parts(request).db
        sessions = await store.sessions(db, staff.org_id)
        rounds = await store_canvass.list_rounds(db, staff.org_id, staff.user.id)
        return group(sessions, rounds)

    @get("/")
    async def overview(self, request: Req, staff: StaffRow) -> o.Overview:
        """Every neighbourhood with its sessions and rounds, the latest activity first."""
        _organiser(staff)
        p = parts(request)
        hoods, unassigned = await self._hoods(request, staff)
        counts = await store.notes_per_area(p.db, staff.org_id)
        k = p.settings.k_anonymity
        out = [_neighbourhood(hood, counts, k) for hood in hoods.values()]
        out.sort(key=lambda n: n.name.casefold())
        out.sort(key=lambda n: n.last, reverse=True)
        return o.Overview(
            k=k,
            neighbourhoods=out,
            unassigned=o.Unassigned(sessions=[_session_out(s) for s in unassigned]),
        )

    @get("/{name:path}")
    async def neighbourhood(
        self, request: Req, staff: StaffRow, name: str
    ) -> o.NeighbourhoodDetail:
        """One neighbourhood: each session's dilemma results (hidden below min_group as in
        `/results`) beside each round's k-anonymous signals for this area."""
        _organiser(staff)
        name = name.removeprefix("/")
        if len(name) > MAX_NAME:
            raise not_found()
        hoods, _ = await self._hoods(request, staff)
        hood = hoods.get(name_key(name))
        if hood is None:
            raise not_found()
        p = parts(request)
        sessions = []
        for brief in hood.sessions:
            room = await p.hub.room(brief.id)
            if room is None or room.session.org_id != staff.org_id:
                continue  # deleted meanwhile
            dilemmas = [
                _dilemma(row, room.staff_tally(row.id))
                for row in room.ordered()
                if row.kind == "dilemma"
            ]
            sessions.append(
                o.NeighbourhoodSession(
                    id=brief.id,
                    title=room.session.title,
                    state=room.session.state,
                    created_at=brief.created_at,
                    closed_at=brief.closed_at,
                    participants=room.session.participants,
                    dilemmas=dilemmas,
                )
            )
        k = p.settings.k_anonymity
        canvassing = []
        for row, area in hood.rounds:
            found = await store_canvass.notes(p.db, row.id, staff.user.id, only_mine=False)
            in_area = (note for note, _ in found if note.area == area)
            summary = canvass.summarize(row.id, row.areas, row.topics, in_area, k)
            shown = next((a for a in summary.areas if a.area == area), None)
            canvassing.append(
                o.AreaCanvassing(
                    round_id=row.id,
                    round_title=row.title,
                    state=row.state,
                    starts_on=row.starts_on,
                    ends_on=row.ends_on,
                    area=area,
                    summary=shown,
                    hidden_reason="fewer_than_k" if shown is None else msgspec.UNSET,
                )
            )
        return o.NeighbourhoodDetail(
            name=hood.name(),
            k=k,
            min_group=p.settings.min_group,
            sessions=sessions,
            canvassing=canvassing,
        )
