"""Canvassing: the fixed lists, the rules a note must follow, and the k-anonymous round summary.

A note records *signals in an area*, never a person: no address, no name, no exact time.
Everything here is pure (no I/O) so that the rules are tested on their own."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import msgspec

from . import model as m
from .answers import clean_text

# The product's fixed lists. Labels live in pwa/i18n (canvass.topic.<slug>, …); the server
# stores the slugs. A round's topics are slugs from TOPICS and/or the organiser's own words.
TOPICS = (
    "safety",
    "nuisance",
    "housing",
    "public_space",
    "traffic",
    "youth",
    "reception",
    "living_together",
    "cost_of_living",
    "care",
    "trust_government",
    "discrimination",
    "environment",
    "facilities",
)
PARTS_OF_DAY = ("morning", "afternoon", "evening")
OUTCOMES = ("not_home", "declined", "brief", "conversation", "come_back")
CONTACT = ("brief", "conversation")  # outcomes in which something was said
US_THEM_ABOUT = (
    "newcomers",
    "government",
    "youth",
    "elderly",
    "neighbours",
    "other_neighbourhood",
    "faith_group",
    "population_group",
    "politics",
    "media",
    "other",
)
INCIDENTS = (
    "nuisance",
    "vandalism",
    "intimidation",
    "discrimination",
    "violence",
    "crime",
    "traffic",
    "other",
)
WANTS_DIALOGUE = ("yes", "no", "maybe")
MAX_TEXT = 280
LEVELS = ("1", "2", "3", "4", "5")


class InvalidNote(ValueError):
    """A well-formed note or round that breaks a rule: a 422 with this reason, and where
    (`field`, `index` into a list, `kind` of personal data found) for a client to point at."""

    def __init__(
        self, reason: str, field: str | None = None, index: int | None = None, kind: str = ""
    ) -> None:
        super().__init__(reason)
        self.where: dict[str, str | int] = {"field": field} if field else {}
        if index is not None:
            self.where["index"] = index
        if kind:
            self.where["kind"] = kind


@dataclass(frozen=True)
class RoundRules:
    """What a note is checked against: the round's areas, topics and dates."""

    areas: tuple[str, ...]
    topics: tuple[str, ...]
    starts_on: str | None
    ends_on: str | None


def clean_label(value: str) -> str:
    return " ".join(clean_text(value).split())


def check_round_lists(areas: Iterable[str], topics: Iterable[str]) -> tuple[list[str], list[str]]:
    """Areas and topics cleaned (NFC, single spaces), non-empty and unique (ignoring case).

    An area that looks like an address or a postcode with a house number is refused: notes
    are about areas, never about a house."""
    from .redact import redact

    out: list[list[str]] = []
    for what, values, longest in (("area", areas, 80), ("topic", topics, 60)):
        seen: set[str] = set()
        cleaned = []
        field = what + "s"
        for index, raw in enumerate(values):
            value = clean_label(raw)
            if not value:
                raise InvalidNote(f"an empty {what}", field, index)
            if len(value) > longest:
                raise InvalidNote(f"a {what} has at most {longest} characters", field, index)
            if value.casefold() in seen:
                raise InvalidNote(f"{what} {value!r} appears twice", field, index)
            seen.add(value.casefold())
            cleaned.append(value)
        out.append(cleaned)
    for index, area in enumerate(out[0]):
        found = redact(_AREA_CODE.sub(" ", _HOUSE_RANGE.sub(_range_out, area)))[1]
        if found:
            raise InvalidNote(
                f"area {area!r} must not contain personal data ({found[0].kind}): use a "
                "neighbourhood or a street segment without house numbers",
                "areas",
                index,
                found[0].kind,
            )
    return out[0], out[1]


# "Wijk 7", "Buurt 12a", "Deelgebied 3": a numbered area, not a house number
_AREA_CODE = re.compile(
    r"\b(?:wijk|buurt|gebied|deelgebied|sector|zone|district|kern|blok|cluster|route|"
    r"stadsdeel|subwijk)\s+\d{1,4}[a-z]?\b",
    re.IGNORECASE,
)
_HOUSE_RANGE = re.compile(r"\b(\d{1,4})\s*[-–]\s*(\d{1,4})\b")


def _range_out(match: re.Match[str]) -> str:
    """A street segment "Dorpsstraat 1-40" names many houses: the range is not a house
    number. "12-3" (house 12, third floor) is, so only rising ranges are taken out."""
    low, high = int(match.group(1)), int(match.group(2))
    return " " if high > low + 1 else match.group(0)


def check_dates(starts_on: str | None, ends_on: str | None) -> None:
    first = parse_day(starts_on, "starts_on") if starts_on else None
    last = parse_day(ends_on, "ends_on") if ends_on else None
    if first and last and last < first:
        raise InvalidNote("ends_on is before starts_on", "ends_on")


def parse_day(value: str, field: str = "day") -> dt.date:
    try:
        if len(value) != 10:
            raise ValueError
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidNote(f"{field} must be a date written YYYY-MM-DD", field) from None


def _one_of(value: str | None, allowed: Iterable[str], field: str) -> None:
    if value is not None and value not in allowed:
        raise InvalidNote(f"{field} must be one of {', '.join(allowed)}", field)


def _unique_subset(values: list[str], allowed: Iterable[str], field: str) -> None:
    allowed_set = set(allowed)
    if len(set(values)) != len(values):
        raise InvalidNote(f"{field} lists a value twice", field)
    unknown = [v for v in values if v not in allowed_set]
    if unknown:
        raise InvalidNote(
            f"{field}: {unknown[0]!r} is not one of this round's choices",
            field,
            values.index(unknown[0]),
        )


def check_note(note: m.NoteIn, rules: RoundRules, today: dt.date) -> str | None:
    """Raise InvalidNote when the note breaks a rule; return its cleaned text (not yet redacted)."""
    if note.area not in rules.areas:
        raise InvalidNote("area is not one of this round's areas", "area")
    day = parse_day(note.day)
    if day > today + dt.timedelta(days=1):
        raise InvalidNote("day lies in the future", "day")
    if rules.starts_on and day < dt.date.fromisoformat(rules.starts_on):
        raise InvalidNote("day is before the round starts", "day")
    if rules.ends_on and day > dt.date.fromisoformat(rules.ends_on):
        raise InvalidNote("day is after the round ends", "day")
    _one_of(note.part_of_day, PARTS_OF_DAY, "part_of_day")
    _one_of(note.outcome, OUTCOMES, "outcome")
    _unique_subset(note.topics, rules.topics, "topics")
    for field, level in (("concern", note.concern), ("trust", note.trust)):
        if level is not None and not 1 <= level <= 5:
            raise InvalidNote(f"{field} must be 1 to 5, or null", field)
    _unique_subset(note.us_them_about, US_THEM_ABOUT, "us_them_about")
    if note.us_them_about and not note.us_them:
        raise InvalidNote("us_them_about needs us_them: true", "us_them_about")
    _one_of(note.incident, INCIDENTS, "incident")
    _one_of(note.wants_dialogue, WANTS_DIALOGUE, "wants_dialogue")
    if note.outcome == "not_home" and (
        note.topics
        or note.concern is not None
        or note.trust is not None
        or note.us_them
        or note.incident is not None
        or note.wants_dialogue is not None
    ):
        raise InvalidNote(
            "nobody was home: only area, day, part of day and text can be given", "outcome"
        )
    text = clean_text(note.text).strip() if note.text is not None else ""
    if len(text) > MAX_TEXT:
        raise InvalidNote(f"text is longer than {MAX_TEXT} characters", "text")
    return text or None


def canonical(note: m.NoteIn) -> bytes:
    """The note as sent, in one byte form: equal content gives equal bytes (lists as sets)."""
    body = msgspec.structs.asdict(note)
    body.pop("id", None)
    body["topics"] = sorted(note.topics)
    body["us_them_about"] = sorted(note.us_them_about)
    return msgspec.json.encode(dict(sorted(body.items())))


# ---- summary ----


def _mean(counter: Counter[int]) -> float | None:
    total = sum(counter.values())
    return round(sum(k * v for k, v in counter.items()) / total, 2) if total else None


class _Acc:
    """Running figures for one area (or for the combined other areas)."""

    def __init__(self) -> None:
        self.notes = 0
        self.contact = 0
        self.us_them = 0
        self.outcomes: Counter[str] = Counter()
        self.topics: Counter[str] = Counter()
        self.concern: Counter[int] = Counter()
        self.trust: Counter[int] = Counter()
        self.about: Counter[str] = Counter()
        self.incidents: Counter[str] = Counter()
        self.wants: Counter[str] = Counter()

    def add(self, note: m.NoteOut) -> None:
        self.notes += 1
        self.outcomes[note.outcome] += 1
        self.topics.update(note.topics)
        if note.concern is not None:
            self.concern[note.concern] += 1
        if note.trust is not None:
            self.trust[note.trust] += 1
        if note.outcome in CONTACT:
            self.contact += 1
            self.us_them += note.us_them
        self.about.update(note.us_them_about)
        if note.incident:
            self.incidents[note.incident] += 1
        if note.wants_dialogue:
            self.wants[note.wants_dialogue] += 1

    def merge(self, other: _Acc) -> None:
        self.notes += other.notes
        self.contact += other.contact
        self.us_them += other.us_them
        for mine, theirs in (
            (self.outcomes, other.outcomes),
            (self.topics, other.topics),
            (self.about, other.about),
            (self.incidents, other.incidents),
            (self.wants, other.wants),
        ):
            mine.update(theirs)
        self.concern.update(other.concern)
        self.trust.update(other.trust)

    def figures(self, topics: Iterable[str]) -> dict[str, object]:
        return {
            "notes": self.notes,
            "outcomes": {o: self.outcomes[o] for o in OUTCOMES},
            "topics": {t: self.topics[t] for t in topics},
            "concern_mean": _mean(self.concern),
            "concern": {lv: self.concern[int(lv)] for lv in LEVELS},
            "trust_mean": _mean(self.trust),
            "trust": {lv: self.trust[int(lv)] for lv in LEVELS},
            "us_them_share": round(self.us_them / self.contact, 3) if self.contact else None,
            "us_them_about": {a: self.about[a] for a in US_THEM_ABOUT},
            "incidents": {i: self.incidents[i] for i in INCIDENTS},
            "wants_dialogue": self.wants["yes"],
            "wants_dialogue_maybe": self.wants["maybe"],
        }


def summarize(
    round_id: str, areas: list[str], topics: list[str], notes: Iterable[m.NoteOut], k: int
) -> m.RoundSummary:
    """Figures per area; an area with fewer than k notes never appears by name.

    Such areas are folded into `other`; when `other` itself holds fewer than k notes only its
    count is given (no figures), so no small group can be read off — not by subtraction
    either, because there is no all-areas total with figures."""
    per_area = {area: _Acc() for area in areas}
    total = 0
    for note in notes:
        total += 1
        per_area.setdefault(note.area, _Acc()).add(note)
    shown: list[m.AreaSummary] = []
    other, folded = _Acc(), 0
    for area, acc in per_area.items():
        if acc.notes >= k:
            shown.append(m.AreaSummary(area=area, **acc.figures(topics)))  # type: ignore[arg-type]
        elif acc.notes:
            other.merge(acc)
            folded += 1
    other_out = None
    if folded:
        if other.notes >= k:
            other_out = m.OtherAreas(
                area=None,
                areas=folded,
                hidden=False,
                **other.figures(topics),  # type: ignore[arg-type]
            )
        else:
            other_out = m.OtherAreas(
                area=None,
                areas=folded,
                hidden=True,
                **_Acc().figures(topics),  # type: ignore[arg-type]
            )
            other_out.notes = other.notes
    return m.RoundSummary(round_id=round_id, k=k, notes=total, areas=shown, other=other_out)
