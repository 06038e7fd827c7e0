"""Every wire type of the protocol (shared/design/protocol.md + docs/protocol.md) as msgspec Structs."""

from __future__ import annotations

from typing import Annotated, Any, Literal, TypeAlias

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType

Id = Annotated[str, Meta(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_-]+$")]
Title = Annotated[str, Meta(min_length=1, max_length=300)]
Label = Annotated[str, Meta(min_length=1, max_length=200)]
Notes = Annotated[str, Meta(max_length=4000)]
Phase = Annotated[str, Meta(max_length=40)]
Language = Literal["nl", "en"]
PromptState = Literal["pending", "open", "closed"]
SessionState = Literal["draft", "live", "closed"]
Vote = Literal["agree", "disagree", "pass"]


class Option(Struct, forbid_unknown_fields=True):
    id: Id
    label: Label


class Category(Struct, forbid_unknown_fields=True):
    id: Id
    label: Annotated[str, Meta(min_length=1, max_length=80)]


class Statement(Struct, forbid_unknown_fields=True):
    id: Id
    text: Label


# ---- prompt definitions: one Struct per kind, tagged by "kind" ----
class _PromptBase(Struct, kw_only=True, tag_field="kind", forbid_unknown_fields=True):
    title: Title
    phase: Phase | None = None
    notes: Notes | None = None


class DilemmaIn(_PromptBase, tag="dilemma"):
    left: Label
    right: Label
    bins: Annotated[int, Meta(ge=2, le=21)] = 7
    # Two dilemma prompts of a session with the same `pair` are one dilemma asked at the
    # opening and at the close (before = the earlier one): the later one's results show the shift.
    pair: Annotated[str, Meta(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_-]+$")] | None = (
        None
    )


class ScaleIn(_PromptBase, tag="scale"):
    min: Annotated[int, Meta(ge=-10, le=100)] = 1
    max: Annotated[int, Meta(ge=-10, le=100)] = 5
    min_label: Label | None = None
    max_label: Label | None = None


class ChoiceIn(_PromptBase, tag="choice"):
    options: Annotated[list[Option], Meta(min_length=2, max_length=20)]
    multi: bool = False
    max_choices: Annotated[int, Meta(ge=1, le=20)] | None = None


class OpenIn(_PromptBase, tag="open"):
    categories: Annotated[list[Category], Meta(max_length=12)] = []
    max_cards: Annotated[int, Meta(ge=1, le=10)] = 3
    moderated: bool = True


class WordsIn(_PromptBase, tag="words"):
    max_words: Annotated[int, Meta(ge=1, le=5)] = 3


class StatementsIn(_PromptBase, tag="statements"):
    statements: Annotated[list[Statement], Meta(min_length=1, max_length=100)]
    resident_statements: bool = False


PromptIn: TypeAlias = DilemmaIn | ScaleIn | ChoiceIn | OpenIn | WordsIn | StatementsIn
KINDS: dict[str, type[Any]] = {
    "dilemma": DilemmaIn,
    "scale": ScaleIn,
    "choice": ChoiceIn,
    "open": OpenIn,
    "words": WordsIn,
    "statements": StatementsIn,
}


class PromptPatch(Struct, kw_only=True, forbid_unknown_fields=True):
    """A partial PromptIn: given fields replace the stored ones; `null` clears an optional one
    (absent means unchanged); the kind cannot change."""

    kind: str | None | UnsetType = UNSET
    title: Title | None | UnsetType = UNSET
    phase: Phase | None | UnsetType = UNSET
    notes: Notes | None | UnsetType = UNSET
    left: Label | None | UnsetType = UNSET
    right: Label | None | UnsetType = UNSET
    bins: Annotated[int, Meta(ge=2, le=21)] | None | UnsetType = UNSET
    pair: (
        Annotated[str, Meta(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_-]+$")]
        | None
        | UnsetType
    ) = UNSET
    min: Annotated[int, Meta(ge=-10, le=100)] | None | UnsetType = UNSET
    max: Annotated[int, Meta(ge=-10, le=100)] | None | UnsetType = UNSET
    min_label: Label | None | UnsetType = UNSET
    max_label: Label | None | UnsetType = UNSET
    options: Annotated[list[Option], Meta(min_length=2, max_length=20)] | None | UnsetType = UNSET
    multi: bool | None | UnsetType = UNSET
    max_choices: Annotated[int, Meta(ge=1, le=20)] | None | UnsetType = UNSET
    categories: Annotated[list[Category], Meta(max_length=12)] | None | UnsetType = UNSET
    max_cards: Annotated[int, Meta(ge=1, le=10)] | None | UnsetType = UNSET
    moderated: bool | None | UnsetType = UNSET
    max_words: Annotated[int, Meta(ge=1, le=5)] | None | UnsetType = UNSET
    statements: (
        Annotated[list[Statement], Meta(min_length=1, max_length=100)] | None | UnsetType
    ) = UNSET
    resident_statements: bool | None | UnsetType = UNSET


class Prompt(Struct, kw_only=True):
    """A prompt as clients see it: the definition's fields flattened next to its live state.

    Kind-specific fields are optional here so one schema documents all six kinds.
    """

    id: str
    kind: str
    position: int
    state: PromptState
    revealed: bool
    title: str
    phase: str | None = None
    notes: str | None = None
    answers: int | None = None
    left: str | None = None
    right: str | None = None
    bins: int | None = None
    pair: str | None = None
    min: int | None = None
    max: int | None = None
    min_label: str | None = None
    max_label: str | None = None
    options: list[Option] | None = None
    multi: bool | None = None
    max_choices: int | None = None
    categories: list[Category] | None = None
    max_cards: int | None = None
    moderated: bool | None = None
    max_words: int | None = None
    statements: list[Statement] | None = None
    resident_statements: bool | None = None


# ---- tallies ----
class DilemmaTally(Struct, tag_field="kind", tag="dilemma", omit_defaults=True):
    n: int
    bins: list[int]
    mean: float | None
    middle_share: float | None
    polarisation: float | None
    # staff views only (presenter, facilitator, /results, reports):
    by_group: list[GroupDilemma] | None = None  # split by the session's opinion groups
    before: PairShift | None = None  # on the later prompt of a before/after pair


class DilemmaSide(Struct, omit_defaults=True):
    """One distribution of a dilemma; `hidden` (and nothing else) below min_group."""

    n: int
    hidden: bool = False
    bins: list[int] | None = None
    mean: float | None = None
    middle_share: float | None = None


class GroupDilemma(DilemmaSide, kw_only=True, omit_defaults=True):
    group: int  # required, so that group 0 is never left out of the JSON


class PairShift(Struct, kw_only=True, omit_defaults=True):
    """How a before/after pair moved: overall (everyone who answered each) and paired (only
    people who answered both; hidden below min_group)."""

    pair: str
    before_prompt_id: str
    overall_before: DilemmaSide
    mean_shift: float | None = None  # overall after − before (0–100 scale)
    middle_shift: float | None = None  # overall middle share after − before
    paired: PairedShift | None = None


class PairedShift(Struct, kw_only=True, omit_defaults=True):
    n: int
    hidden: bool = False
    mean_before: float | None = None
    mean_after: float | None = None
    mean_shift: float | None = None
    middle_before: float | None = None
    middle_after: float | None = None
    to_middle: int | None = None  # people outside the middle before, inside after
    from_middle: int | None = None  # inside before, outside after
    toward_centre: int | None = None  # moved closer to 50 (by more than 5 points)
    away_from_centre: int | None = None


class ScaleTally(Struct, tag_field="kind", tag="scale"):
    n: int
    counts: dict[str, int]
    mean: float | None


class ChoiceTally(Struct, tag_field="kind", tag="choice"):
    n: int
    counts: dict[str, int]


class CardOut(Struct):
    id: str
    text: str
    category: str | None


class OpenTally(Struct, tag_field="kind", tag="open"):
    n: int
    cards: list[CardOut]
    # shown cards per category ("" = none); after the retention purge only these counts remain
    categories: dict[str, int] = msgspec.field(default_factory=dict)


class WordCount(Struct):
    word: str
    count: int


class WordsTally(Struct, tag_field="kind", tag="words"):
    n: int
    words: list[WordCount]


class StatementCount(Struct):
    id: str
    text: str
    agree: int
    disagree: int
    # `pass` is a Python keyword; msgspec renames it on the wire.
    pass_: int = msgspec.field(name="pass")


class StatementsTally(Struct, tag_field="kind", tag="statements", omit_defaults=True):
    n: int
    statements: list[StatementCount]
    # staff views only, recomputed in the background (groups.py):
    groups: list[GroupOut] | None = None
    bridging: list[BridgingOut] | None = None
    points: list[tuple[float, float, int]] | None = None  # anonymous dots: x, y, group (−1: none)
    grouped: int | None = None  # participants with ≥ 3 votes, taken into account
    groups_reason: str | None = None  # why there are no groups (e.g. too_few_participants)


class GroupStatementOut(Struct):
    statement_id: str
    direction: Literal["agree", "disagree"]
    share_in_group: float
    share_elsewhere: float
    z: float


class GroupOut(Struct):
    id: int
    size: int
    statements: list[GroupStatementOut]


class BridgingOut(Struct):
    statement_id: str
    score: float
    agree_share: float
    binds: bool = False  # "what binds the room": see insight.compare.binds


class HiddenTally(Struct):
    kind: str
    n: int
    hidden: Literal[True] = True


Tally: TypeAlias = (
    DilemmaTally | ScaleTally | ChoiceTally | OpenTally | WordsTally | StatementsTally | HiddenTally
)


# ---- staff ----
class LoginIn(Struct, forbid_unknown_fields=True):
    email: Annotated[str, Meta(min_length=3, max_length=254)]
    password: Annotated[str, Meta(min_length=1, max_length=1024)]


class User(Struct):
    id: str
    email: str
    name: str
    role: Literal["admin", "facilitator", "canvasser"]
    org: str


class Me(Struct):
    user: User


class Template(Struct):
    slug: str
    title: str
    description: str
    language: Language
    duration_minutes: int | None
    prompts: list[PromptIn]


class SessionIn(Struct, kw_only=True, forbid_unknown_fields=True):
    title: Title
    template: Annotated[str, Meta(max_length=80)] | None = None
    neighbourhood: Annotated[str, Meta(max_length=120)] | None = None
    language: Language = "nl"
    prompts: Annotated[list[PromptIn], Meta(max_length=100)] | None = None
    round_id: Id | None = None  # link to a canvassing round's area (both or neither)
    round_area: Annotated[str, Meta(min_length=1, max_length=80)] | None = None


class SessionPatch(Struct, kw_only=True, forbid_unknown_fields=True):
    """Absent: unchanged. `null` clears the neighbourhood; title and language cannot be cleared."""

    title: Title | UnsetType = UNSET
    neighbourhood: Annotated[str, Meta(max_length=120)] | None | UnsetType = UNSET
    language: Language | UnsetType = UNSET
    round_id: Id | None | UnsetType = UNSET  # null unlinks (then round_area must be null or absent)
    round_area: Annotated[str, Meta(min_length=1, max_length=80)] | None | UnsetType = UNSET


class _SessionCore(Struct, kw_only=True):
    """What staff and residents both see of a session."""

    id: str
    title: str
    neighbourhood: str | None
    state: SessionState
    code: str | None
    join_url: str | None
    current_prompt_id: str | None
    language: Language
    min_group: int


class Session(_SessionCore, kw_only=True):
    participants: int
    created_at: str
    round_id: str | None = None
    round_area: str | None = None
    prompts: list[Prompt] | None = None


class ShowIn(Struct, forbid_unknown_fields=True):
    prompt_id: str | None


class RevealIn(Struct, forbid_unknown_fields=True):
    visible: bool


class OrderIn(Struct, forbid_unknown_fields=True):
    prompt_ids: Annotated[list[str], Meta(max_length=100)]


class ModerateIn(Struct, forbid_unknown_fields=True):
    status: Literal["approved", "hidden"]


class Card(Struct):
    id: str
    prompt_id: str
    text: str
    category: str | None
    status: Literal["pending", "approved", "hidden"]


class TallyDoc(Struct, kw_only=True):
    """The schema of every tally kind in one object, for the OpenAPI document only.

    msgspec cannot put the untagged HiddenTally in a union with the tagged kinds, so routes
    return the real Tally Structs (see `Tally`) under this annotation."""

    kind: str
    n: int
    hidden: bool | None = None
    bins: list[int] | None = None
    mean: float | None = None
    middle_share: float | None = None
    polarisation: float | None = None
    counts: dict[str, int] | None = None
    cards: list[CardOut] | None = None
    categories: dict[str, int] | None = None
    words: list[WordCount] | None = None
    statements: list[StatementCount] | None = None
    groups: list[GroupOut] | None = None
    bridging: list[BridgingOut] | None = None
    points: list[tuple[float, float, int]] | None = None
    grouped: int | None = None
    groups_reason: str | None = None
    by_group: list[GroupDilemma] | None = None
    before: PairShift | None = None


class PromptResult(Struct):
    prompt_id: str
    tally: TallyDoc


class Results(Struct):
    session_id: str
    prompts: list[PromptResult]


class Ticket(Struct):
    ticket: str


class ProjectorTicket(Struct):
    ticket: str
    session_id: str


class ProjectorLink(Struct):
    url: str
    key: str


# ---- residents ----
class JoinIn(Struct, forbid_unknown_fields=True):
    code: Annotated[str, Meta(min_length=1, max_length=16)]


class PublicSession(_SessionCore, kw_only=True):
    participants: int | None = None
    connected: int | None = None
    prompt: Prompt | None = None
    my_response: Any = None


class Joined(Struct):
    token: str
    session: PublicSession


class ResponseIn(Struct, forbid_unknown_fields=True):
    value: Any


class ResponseOut(Struct):
    prompt_id: str
    value: Any


class StatementProposalIn(Struct, kw_only=True, forbid_unknown_fields=True):
    """A resident proposes a statement (prompt with `resident_statements`); it is shown and
    votable only after a facilitator approved it. `id` makes a resend idempotent."""

    id: Annotated[str, Meta(min_length=1, max_length=64)]
    prompt_id: str
    text: str


class CardIn(Struct, kw_only=True, forbid_unknown_fields=True):
    id: Annotated[str, Meta(min_length=1, max_length=64)]
    prompt_id: str
    text: str
    category: str | None = None


# ---- WebSocket frames from clients ----
class Hello(Struct, tag_field="type", tag="hello", forbid_unknown_fields=True, kw_only=True):
    token: Annotated[str, Meta(max_length=200)] | None = None
    ticket: Annotated[str, Meta(max_length=200)] | None = None
    role: Literal["resident", "presenter", "facilitator"] | None = None
    last_seq: Annotated[int, Meta(ge=0)] = 0


class Respond(Struct, tag_field="type", tag="respond", forbid_unknown_fields=True, kw_only=True):
    ref: Annotated[str, Meta(max_length=64)]
    prompt_id: Annotated[str, Meta(max_length=64)]
    value: Any


class Ping(Struct, tag_field="type", tag="ping", forbid_unknown_fields=True):
    pass


ClientFrame: TypeAlias = Hello | Respond | Ping
client_frame_decoder = msgspec.json.Decoder(ClientFrame)


# ---- canvassing: rounds and notes (docs/protocol.md "Canvassing") ----
# List items are plain strings: Litestar's OpenAPI document drops constraints on list items,
# so their lengths are rules (422, canvass.py) rather than schema (400).
AreaName = str
TopicName = str
Day = Annotated[str, Meta(max_length=10)]  # "YYYY-MM-DD"; checked as a date (422), not a pattern
NoteId = Annotated[str, Meta(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
RoundState = Literal["open", "closed"]


class RoundIn(Struct, kw_only=True, forbid_unknown_fields=True):
    title: Title
    areas: Annotated[list[AreaName], Meta(min_length=1, max_length=200)]
    topics: Annotated[list[TopicName], Meta(max_length=40)] | None = None
    starts_on: Day | None = None
    ends_on: Day | None = None


class RoundPatch(Struct, kw_only=True, forbid_unknown_fields=True):
    """Absent: unchanged. An area or topic that notes use cannot be removed (409)."""

    title: Title | UnsetType = UNSET
    areas: Annotated[list[AreaName], Meta(min_length=1, max_length=200)] | UnsetType = UNSET
    topics: Annotated[list[TopicName], Meta(max_length=40)] | UnsetType = UNSET
    starts_on: Day | None | UnsetType = UNSET
    ends_on: Day | None | UnsetType = UNSET


class LinkedSession(Struct, kw_only=True):
    """A dialogue session linked to one of the round's areas (code and URL only while live)."""

    id: str
    title: str
    area: str
    state: SessionState
    code: str | None
    join_url: str | None


class Round(Struct, kw_only=True):
    id: str
    title: str
    areas: list[str]
    topics: list[str]
    state: RoundState
    starts_on: str | None
    ends_on: str | None
    notes: int
    my_notes: int
    created_at: str
    closed_at: str | None
    sessions: list[LinkedSession] | None = None


class NoteIn(Struct, kw_only=True, forbid_unknown_fields=True):
    """A canvassing note as the phone sends it. Enumerations and ranges are checked by
    `canvass.check_note` so that a wrong value is a 422 with a reason, a wrong type a 400."""

    id: NoteId | None = None  # PUT: optional, must equal the path's id; batch: required
    area: AreaName
    day: Day
    part_of_day: Annotated[str, Meta(max_length=20)]
    outcome: Annotated[str, Meta(max_length=20)]
    topics: Annotated[list[TopicName], Meta(max_length=40)] = msgspec.field(default_factory=list)
    concern: int | None = None
    trust: int | None = None
    us_them: bool = False
    us_them_about: Annotated[list[str], Meta(max_length=20)] = msgspec.field(default_factory=list)
    incident: Annotated[str, Meta(max_length=40)] | None = None
    wants_dialogue: Annotated[str, Meta(max_length=10)] | None = None
    text: Annotated[str, Meta(max_length=2000)] | None = None  # ≤ 280 after cleaning: 422


class RedactionOut(Struct):
    kind: str
    start: int
    end: int


class NoteSaved(Struct, kw_only=True):
    id: str
    text: str | None
    redactions: list[RedactionOut]


class NotesBatchIn(Struct, forbid_unknown_fields=True):
    """Each item is a `NoteIn` with its `id`; items are checked one by one (see NoteResult)."""

    notes: Annotated[list[Any], Meta(max_length=200)]


class NoteResult(Struct, kw_only=True):
    """Stored (200/201): `text` (redacted, may be null) and `redactions`; refused: `code`, `detail`."""

    id: str | None
    status: int
    code: str | UnsetType = UNSET
    detail: str | UnsetType = UNSET
    field: str | UnsetType = UNSET  # with 422: the field that breaks a rule
    text: str | None | UnsetType = UNSET
    redactions: list[RedactionOut] | UnsetType = UNSET


class NotesBatchOut(Struct):
    results: list[NoteResult]


class NoteOut(Struct, kw_only=True):
    id: str
    area: str
    day: str
    part_of_day: str
    outcome: str
    topics: list[str]
    concern: int | None
    trust: int | None
    us_them: bool
    us_them_about: list[str]
    incident: str | None
    wants_dialogue: str | None
    text: str | None
    redactions: list[RedactionOut]
    mine: bool


class AreaSummary(Struct, kw_only=True):
    area: str | None  # None for the combined "other areas"
    notes: int
    outcomes: dict[str, int]
    topics: dict[str, int]
    concern_mean: float | None
    concern: dict[str, int]
    trust_mean: float | None
    trust: dict[str, int]
    us_them_share: float | None
    us_them_about: dict[str, int]
    incidents: dict[str, int]
    wants_dialogue: int
    wants_dialogue_maybe: int


class OtherAreas(AreaSummary, kw_only=True):
    areas: int  # how many areas with notes were combined (areas without notes are left out)
    hidden: bool  # fewer than k notes together: only the count is shown


class RoundSummary(Struct, kw_only=True):
    round_id: str
    k: int
    notes: int
    areas: list[AreaSummary]
    other: OtherAreas | None


class Removed(Struct):
    """`DELETE /api/me/responses`: how many answers and cards were deleted."""

    removed: int


class WordApproveIn(Struct, forbid_unknown_fields=True):
    """A held-back word a facilitator shows anyway, for one prompt."""

    word: Annotated[str, Meta(min_length=1, max_length=200)]


class WordFilterIn(Struct, forbid_unknown_fields=True):
    """An organisation's changes to the default list: words to hold back too, default words
    to let through. Blank lines are dropped; a word over 40 characters is a 422."""

    added: Annotated[list[str], Meta(max_length=500)] = []
    allowed: Annotated[list[str], Meta(max_length=500)] = []


class WordFilterOut(Struct):
    default: list[str]
    added: list[str]
    allowed: list[str]


# ---- accounts, API tokens and the audit log (the security issue) ----

TokenScope = Literal["read", "run", "canvass"]


class PasswordIn(Struct, forbid_unknown_fields=True):
    """`POST /api/auth/password`: the current password and the new one (at least 12 characters,
    not a common password)."""

    current_password: Annotated[str, Meta(min_length=1, max_length=1024)]
    new_password: Annotated[str, Meta(min_length=1, max_length=1024)]


class LoggedOut(Struct):
    """`POST /api/auth/logout-all`: how many login sessions of the user were ended."""

    ended: int


class ApiToken(Struct):
    """An API token as its owner sees it: never the token itself, nor its hash."""

    id: str
    name: str
    scope: TokenScope
    created_at: str
    revoked: bool


class TokensRevoked(Struct):
    """`DELETE /api/auth/tokens/{id or name}`: how many tokens were revoked now."""

    revoked: int


class AuditEntry(Struct):
    """One staff action. `user_id`/`user_name` are null for the server's command line;
    `target_id` is the user (user_added) or token (token_*) the action was about; the titles and
    `target_name` are looked up when the log is read."""

    id: str
    created_at: str
    user_id: str | None
    user_name: str | None
    action: str
    session_id: str | None
    session_title: str | None
    round_id: str | None
    round_title: str | None
    target_id: str | None
    target_name: str | None
