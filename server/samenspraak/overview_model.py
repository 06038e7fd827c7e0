"""Wire types of the organisation overview (docs/protocol.md, "Organisation overview").

The overview puts every dialogue session and canvassing round of an organisation under the
neighbourhood it is about, and, for one neighbourhood, the dialogue results beside the
canvassing signals of the same area. Figures follow the same rules as everywhere else:
dilemma distributions are hidden below `min_group`, an area's canvassing figures below `k`."""

from __future__ import annotations

from typing import Literal

from msgspec import UNSET, Struct, UnsetType

from . import model as m


class OverviewSession(Struct, kw_only=True):
    id: str
    title: str
    state: m.SessionState
    created_at: str
    closed_at: str | None
    participants: int
    first: str  # YYYY-MM-DD: the day it was made
    last: str  # YYYY-MM-DD: the day it closed (today while live; the day it was made as a draft)


class OverviewRound(Struct, kw_only=True):
    """A canvassing round in one of its areas; `notes_in_area` is null below k notes."""

    id: str
    title: str
    state: m.RoundState
    starts_on: str | None
    ends_on: str | None
    area: str
    notes_in_area: int | None
    first: str  # YYYY-MM-DD: starts_on, or the day it was made
    last: str  # YYYY-MM-DD: the day it closed; while open today, but no later than ends_on


class Neighbourhood(Struct, kw_only=True):
    name: str
    sessions: list[OverviewSession]
    rounds: list[OverviewRound]
    first: str  # the first day of activity, YYYY-MM-DD
    last: str  # the last day of activity (a round's planned end counts), YYYY-MM-DD


class Unassigned(Struct, kw_only=True):
    sessions: list[OverviewSession]


class Overview(Struct, kw_only=True):
    k: int
    neighbourhoods: list[Neighbourhood]
    unassigned: Unassigned


class OverviewDilemma(Struct, kw_only=True):
    """One dilemma's result as `/results` gives it: below min_group only `n` (hidden: true)."""

    prompt_id: str
    title: str
    left: str
    right: str
    n: int
    hidden: bool
    mean: float | None
    middle_share: float | None
    bins: list[int] | None
    before: m.PairShift | UnsetType = UNSET  # on the later prompt of a before/after pair


class NeighbourhoodSession(Struct, kw_only=True):
    id: str
    title: str
    state: m.SessionState
    created_at: str
    closed_at: str | None
    participants: int
    dilemmas: list[OverviewDilemma]


class AreaCanvassing(Struct, kw_only=True):
    """One round's signals in this area, or `summary: null` with the reason."""

    round_id: str
    round_title: str
    state: m.RoundState
    starts_on: str | None
    ends_on: str | None
    area: str
    summary: m.AreaSummary | None
    hidden_reason: Literal["fewer_than_k"] | UnsetType = UNSET


class NeighbourhoodDetail(Struct, kw_only=True):
    name: str
    k: int
    min_group: int
    sessions: list[NeighbourhoodSession]
    canvassing: list[AreaCanvassing]
