"""Remove personal data from a canvasser's free-text note before it is stored.

`redact(text)` replaces every phone number, e-mail address, postcode, street address, BSN, IBAN
and name-after-a-title by a marker such as ``[telefoon]`` and reports what it removed (kind and
position in the original text, never the removed text). Over-redaction is preferred to a leak,
but dates, amounts, years, times, counts and ages survive.

How it works, and why it is safe on hostile input:

* One rule per kind: a regular expression plus, where a regex cannot decide, a small check in
  Python (elfproef, mod-97, "is this capitalised word a street?"). Rules run on a copy of the
  text in which look-alike characters are mapped one-to-one onto ASCII (no-break spaces, en
  dashes, curly apostrophes, non-ASCII digits), so offsets stay valid for the original.
* Patterns use bounded or possessive repetition, and the ones that can read an unbounded run
  (e-mail local part, words) may only begin at the start of a token (a look-behind), so each
  search attempt does bounded work and the whole scan is linear in the length of the text (no
  catastrophic backtracking).
* Each rule is searched for at *every* token start, so candidates may overlap. Merge rule:
  overlapping spans are fused into one redaction that covers all of them (nothing of either
  leaks); it keeps the kind of the span that starts first, at equal starts of the longer one, and
  at equal spans of the kind listed first in `KINDS`. Spans that merely touch stay separate.
* A marker can unblock a rule that a neighbouring character blocked: in ``Lange Voorhout 9
  jan@example.nl`` the first pass reads "9 jan" as a date, the output ``Lange Voorhout 9
  [e-mail]`` has an address. `redact` therefore searches its own output again until nothing new
  turns up (normally once), which makes it idempotent; markers themselves never match a rule.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable

import msgspec

KINDS = ("phone", "email", "postcode", "address", "bsn", "iban", "name")
MARKERS = {
    "phone": "[telefoon]",
    "email": "[e-mail]",
    "postcode": "[postcode]",
    "address": "[adres]",
    "bsn": "[bsn]",
    "iban": "[iban]",
    "name": "[naam]",
}


class Redaction(msgspec.Struct, frozen=True):
    kind: str  # one of KINDS
    start: int  # code-point offset in the original text, inclusive
    end: int  # exclusive


# --- shared building blocks ---------------------------------------------------------------------


def _normalisation() -> dict[int, int]:
    """One-to-one character mapping applied before matching (keeps every offset valid)."""
    table = {ord(c): ord(" ") for c in "\t\u00a0\u2007\u202f"}
    table |= {ord(c): ord("-") for c in "\u2010\u2011\u2012\u2013\u2212"}
    table |= {ord(c): ord("'") for c in "\u2018\u2019"}
    for cp in range(0x80, 0x10000):  # e.g. full-width or Arabic-Indic digits
        digit = unicodedata.decimal(chr(cp), None)
        if digit is not None:
            table[cp] = ord("0") + digit
    return table


_NORMALISE = _normalisation()


def _char_class(predicate: Callable[[str], bool]) -> str:
    """A character class of the code points below U+2000 for which `predicate` holds (`re` has no
    \\p{Lu}); used for capital letters so names like Çelik, Özdemir and Şahin are recognised."""
    ranges: list[list[int]] = []
    for cp in range(0x2000):
        if predicate(chr(cp)):
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1][1] = cp
            else:
                ranges.append([cp, cp])
    return "[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges) + "]"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _alternation(words: frozenset[str]) -> str:
    """Case-insensitive alternation of whole words, longest first."""
    body = "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))
    return rf"(?i:{body})(?![\w'-])"


_UP = _char_class(str.isupper)
_LETTER = r"[^\W\d_]"
_WORD = rf"(?:'s-)?{_LETTER}+(?:['-]{_LETTER}+)*"  # Dorpsstraat, Oost-Indië, 's-Gravendijkwal
_CAPWORD = rf"{_UP}{_LETTER}*(?:['-]{_LETTER}+)*"  # Jansen, Jansen-de, D'Angelo, Ngô, J
_PARTICLE = (  # tussenvoegsels in names and street names (van der, in 't, ...)
    r"(?:van|de|der|den|het|in 't|'t|ter|ten|te|von|vom|zu|el|al|ben|bin|da|das|dos|du|di|del"
    r"|le|la)"
)

_MONTHS = _words(
    "januari februari maart april mei juni juli augustus september oktober november december "
    "jan feb febr mrt apr jun jul aug sep sept okt nov dec "
    "january february march may june july august october"
)
_WEEKDAYS = _words(
    "maandag dinsdag woensdag donderdag vrijdag zaterdag zondag ma di wo do vr za zo "
    "monday tuesday wednesday thursday friday saturday sunday"
)
_UNITS = _words(  # a number followed by one of these is a quantity, not a house number
    "jaar jaren jarig jarige jarigen jr maand maanden week weken dag dagen uur uren keer maal "
    "euro eur cent procent pct % minuten minuut min seconden sec kinderen kind mensen mens "
    "personen persoon man mannen vrouwen huizen woningen gezinnen bewoners jongeren ouderen buren "
    "leerlingen deelnemers vluchtelingen asielzoekers statushouders auto's fietsen km kilometer "
    "meter m2 m² cm mm kg gram liter graden ° stuks punten klachten meldingen incidenten "
    "plaatsen plekken"
)

# A house number: 1-4 digits that are not a time, decimal or date, with an optional addition
# (12a, 12-3, 12-II, 12 bis, 5 A, 112 bs). Group `qty` is set when a unit or month follows
# (12 mei, 78 jaar, 12%, 12-jarige, 9 u; single letters lowercase only: 5 M may be an addition);
# each rule decides what that means.
_QUANTITY = rf"[ -]?{_alternation(_UNITS | _MONTHS)}| ?[umx](?![\w'-])"
_HOUSE_NUMBER = (
    r"(?P<nr>[1-9][0-9]{0,3})(?![0-9])"
    r"(?![.,:/][0-9])"  # 14.30, 14:30, 12,50, 1.250, 12/5
    r"(?![-/.][0-9]{1,2}[-/.][0-9])"  # 12-05-2024
    rf"(?:(?=(?P<qty>{_QUANTITY}))|)"
    r"(?:[A-Za-z](?![\w])"
    r"|-(?:[0-9]{1,3}|[A-Za-z]{1,4})(?![\w])"
    r"| (?:bis|bs|hs|huis|[A-Z]|I{1,3}|IV|VI{0,3})(?![\w]))?"
)

Span = tuple[int, int]


def _whole(m: re.Match[str]) -> Span | None:
    return m.span()


# --- phone ----------------------------------------------------------------------------------------
# Dutch numbers: 0 + 9 digits (06-12345678, (020) 123 45 67), +31/0031 + 9 digits with an optional
# "(0)", and 0800/0900-style service numbers with 4 or 7 more digits; also any other "+" number
# of 8-15 digits (+32 470 12 34 56: over-redaction). Up to three separator characters
# (space . - / parentheses) may stand between any two digits.
_PSEP = r"[ .\-/()]{0,3}"
_PHONE = re.compile(
    r"(?:"
    rf"(?:\+|(?<![0-9])00) ?31(?: ?\(0\))?{_PSEP}[1-9](?:{_PSEP}[0-9]){{8}}"
    rf"|\(?(?<![0-9])0{_PSEP}[1-9](?:{_PSEP}[0-9]){{8}}"
    rf"|(?<![0-9])0[89]0[0-9](?:{_PSEP}[0-9]){{4}}(?:(?:{_PSEP}[0-9]){{3}})?"
    rf"|\+[1-9](?:{_PSEP}[0-9]){{7,14}}"
    r")(?![0-9])"
)
_DATE_START = re.compile(r"\(?0[1-9][-/.][0-9]{1,2}[-/.](?:19|20)[0-9]{2}(?![0-9])")


def _phone(m: re.Match[str]) -> Span | None:
    """Ten digits may also be a date followed by a number (03-05-2024 10 uur): not a phone."""
    return None if _DATE_START.match(m.group()) else m.span()


# --- email ----------------------------------------------------------------------------------------
# local@domain.tld. The local part is possessive and must start a token, so a long run without
# "@" is read once, not once per start position.
_EMAIL = re.compile(r"(?<![\w.%+-])[\w.%+-]++@[\w-]+(?:\.[\w-]+)+")

# --- postcode -------------------------------------------------------------------------------------
# 4 digits (no leading 0) + 2 letters (never SA/SD/SS) + optional house number, as one span.
# UPPERCASE letters always count (2511 AB). Lowercase ones only with a house number that is not a
# quantity, and never when they are a common word ("in 2023 en 2024").
_POSTCODE = re.compile(
    r"(?<![0-9])[1-9][0-9]{3} ?(?![Ss][AaDdSs])(?P<letters>[A-Za-z]{2})(?![^\W\d_])"
    rf"(?: ?,? ?{_HOUSE_NUMBER})?"
)
_NOT_POSTCODE_LETTERS = _words(
    "en of in op om na al nu er ik je we ze te is zo ca tm vs bv pp am pm km cm mm kg ml cl dl pk"
)


def _postcode(m: re.Match[str]) -> Span | None:
    letters = m.group("letters")
    if letters.isupper():
        return m.span()
    if m.group("nr") and m.group("qty") is None and letters.lower() not in _NOT_POSTCODE_LETTERS:
        return m.span()
    return None


# --- address --------------------------------------------------------------------------------------
# A street word directly followed by a house number, with up to three capitalised words (and
# particles) in front: Laan van Meerdervoort 1024, Burgemeester de Monchyplein 4 bis. The street
# word counts when it has a street ending (any case; not the bare word: "de straat 12 keer"),
# even before a unit or month (Dorpsstraat 12 mei: over-redaction), or - broader heuristic - when
# it is Capitalised, not a known non-street word (Groep 8, Lijn 12, Maandag 12) and the number is
# no quantity (Zeker 12 keer) and not 1900-2099 (a year: Koningsdag 2024).
_STREET_ENDINGS = tuple(
    _words(
        "straat laan weg plein gracht kade singel dijk steeg dreef plantsoen burgwal boulevard "
        "allee allée kwartier straatweg dwarsweg vaart brink poort passage promenade kanaal str "
        "hof pad park markt baan ring wal erf veld hoek haven oord dam"
    )
)
# Endings that also end everyday words (vergadering, antwoord, kerstmarkt): only trusted when
# the word is Capitalised, and then like the heuristic (not before a year).
_COMMON_ENDINGS = tuple(_words("hof pad park markt baan ring wal erf veld hoek haven oord dam"))
_NOT_STREETS = (
    _words(
        "groep klas lijn bus tram metro trein route artikel art hoofdstuk paragraaf pagina blz "
        "bladzijde punt agendapunt stap fase vraag bijlage versie nummer nr no ronde deel niveau "
        "level categorie zone sector kamer zaal lokaal tafel rij spoor perron uitgang ingang vak "
        "team top plaats score cijfer week dag jaar maand eind begin medio midden zomer winter "
        "lente herfst voorjaar najaar kerst pasen covid corona windows iphone android wo ww "
        "in op om na tot van vanaf sinds voor rond rondom tegen tussen met zonder per bij aan uit "
        "over onder naar door ook al nog pas nu dan toen maar en of want dus ik wij we jij je u "
        "zij ze hij het de een één die dat deze dit er daar hier waar wie wat hoe welke elke "
        "iedere alle sommige veel weinig meer minder ruim bijna zeker precies ongeveer circa ca "
        "max maximaal minimaal minstens hooguit totaal zo zowat soms vaak nooit altijd gisteren "
        "vandaag morgen vorige volgende afgelopen laatste eerste half kwart slechts alleen "
        "bijvoorbeeld bv zelfs ja nee oké ok"
    )
    | _MONTHS
    | _WEEKDAYS
)
_ADDRESS = re.compile(
    r"(?<![^\W\d_])(?<!['-])(?=[^\W\d_]|'s-)"  # starts a word (a digit right before is fine)
    rf"(?P<prefix>(?:{_CAPWORD} (?:{_PARTICLE} ){{0,3}}){{0,3}})"
    rf"(?P<street>{_WORD})(?P<dot>\.?)(?P<gap> ?){_HOUSE_NUMBER}"
)
_LEADING_PARTICLES = _words("Van De Den Der Het Ter Ten")  # Van Boetzelaerlaan


def _address(m: re.Match[str]) -> Span | None:
    postcode = _POSTCODE.match(m.string, m.start("nr"))
    if postcode and _postcode(postcode):  # "Postcode 2511 AB": the number starts a postcode
        return None
    word = m.group("street").removeprefix("'s-")
    low = word.lower()
    if m.group("dot") and not low.endswith("str"):  # only the abbreviation Kerkstr. 12
        return None
    strong = low.endswith(_STREET_ENDINGS) and not low.endswith(_COMMON_ENDINGS)
    if word[0].isupper() and any(c.islower() for c in word) and m.group("gap"):
        quantity = m.group("qty") is not None or 1900 <= int(m.group("nr")) <= 2099
        if low in _NOT_STREETS or (quantity and not strong):
            return None
    elif not strong or low in _STREET_ENDINGS:
        # lowercase, ALL CAPS or glued to its number: only a real street ending, not the bare word
        return None
    # Drop leading words of the prefix that are not part of a street name ("Op", "In de").
    start = m.start()
    for token in m.group("prefix").split(" "):
        if token in _LEADING_PARTICLES or token.lower() not in _NOT_STREETS:
            break
        start += len(token) + 1
    return start, m.end()


# --- bsn ------------------------------------------------------------------------------------------
# 9 digits (plain, 3-3-3 or 4-2-3 with one kind of separator) or 8 plain digits (a dropped
# leading 0) that pass the elfproef. Not part of a longer number such as 1.123.456.789.
_BSN = re.compile(
    r"(?<![0-9])(?<![0-9][.,])(?:[0-9]{8,9}"
    r"|[0-9]{3}(?P<a>[ .-])[0-9]{3}(?P=a)[0-9]{3}"
    r"|[0-9]{4}(?P<b>[ .-])[0-9]{2}(?P=b)[0-9]{3})(?![0-9])(?![.,][0-9])"
)


def _bsn(m: re.Match[str]) -> Span | None:
    digits = [int(c) for c in m.group() if c.isdigit()]
    digits = [0] * (9 - len(digits)) + digits
    total = sum(w * d for w, d in zip((9, 8, 7, 6, 5, 4, 3, 2, -1), digits, strict=True))
    return m.span() if total % 11 == 0 and any(digits) else None


# --- iban -----------------------------------------------------------------------------------------
# The Dutch shape (NL + 2 digits + 4 letters + 10 digits, any case, optional spaces) always
# counts, wherever it starts. Other countries (2 letters + 2 digits + 11-30 alphanumerics, spaces
# between groups of 4) only at the start of a word and when ISO 13616 mod-97 passes; a trailing
# word swallowed by the pattern is trimmed off (the longest valid prefix wins).
_IBAN = re.compile(
    r"(?P<nl>[Nn][Ll][0-9]{2} ?[A-Za-z]{4}(?: ?[0-9]){10})"
    r"|(?<![^\W\d_])[A-Za-z]{2}[0-9]{2}(?: ?[A-Za-z0-9]{4}){2,7}(?: ?[A-Za-z0-9]{1,3})?"
)


def _iban(m: re.Match[str]) -> Span | None:
    if m.group("nl"):
        return m.span()
    chars = [(i, c) for i, c in enumerate(m.group(), m.start()) if c != " "]
    code = "".join(c for _, c in chars).upper()
    # ISO 13616: (code[4:] + code[:4]) as digits (A=10 .. Z=35) mod 97 == 1. The remainder of the
    # body is extended one character at a time, so every prefix length is checked in one pass;
    # the moved head (two letters + two check digits) is always six digits.
    head = int(str(int(code[0], 36)) + str(int(code[1], 36)) + code[2:4])
    rest, best = 0, 0
    for length, c in enumerate(code[4:], start=5):
        value = int(c, 36)
        rest = (rest * (100 if value > 9 else 10) + value) % 97
        if length >= 15 and (rest * 10**6 + head) % 97 == 1:
            best = length
    return (m.start(), chars[best - 1][0] + 1) if best else None


# --- name -----------------------------------------------------------------------------------------
# A title (case-insensitive) followed by optional initials, optional particles and at least one
# Capitalised word (up to four, particles allowed in between). Only the name part is redacted,
# the title stays: "mevrouw [naam] zei". "meneer van de bakkerij" has no capital: it stays.
_TITLE = (
    r"(?i:meneer|mijnheer|mevrouw|juffrouw|familie|heer|juf"
    r"|mevr\.?|mvr\.?|mw\.?|dhr\.?|hr\.|mr\.?|dr\.?|fam\.?)"
)
_NAME = re.compile(
    rf"(?<![^\W\d_]){_TITLE}(?:(?<=\.) {{0,3}}| {{1,3}})"
    rf"(?P<name>(?:{_UP}\. ?){{0,4}}(?:{_PARTICLE}(?: {{1,3}}|-)){{0,3}}{_CAPWORD}"
    rf"(?: {{1,3}}(?:{_PARTICLE} {{1,3}}){{0,3}}{_CAPWORD}){{0,3}})"
)


def _name(m: re.Match[str]) -> Span | None:
    return m.span("name")


_RULES: tuple[tuple[str, re.Pattern[str], Callable[[re.Match[str]], Span | None]], ...] = (
    ("phone", _PHONE, _phone),
    ("email", _EMAIL, _whole),
    ("postcode", _POSTCODE, _postcode),
    ("address", _ADDRESS, _address),
    ("bsn", _BSN, _bsn),
    ("iban", _IBAN, _iban),
    ("name", _NAME, _name),
)
_RANK = {kind: i for i, kind in enumerate(KINDS)}


# --- driver ---------------------------------------------------------------------------------------


def _find(text: str) -> list[Redaction]:
    """Every accepted candidate of every rule, searched for at every start (overlapping)."""
    scan = text.translate(_NORMALISE)
    found: list[Redaction] = []
    for kind, pattern, accept in _RULES:
        pos = 0
        while (m := pattern.search(scan, pos)) is not None:
            span = accept(m)
            if span is not None and span[0] < span[1]:
                found.append(Redaction(kind, span[0], span[1]))
            pos = m.start() + 1
    return found


def _merge(found: list[Redaction]) -> list[Redaction]:
    """Fuse overlapping spans (see the module docstring for which kind the result keeps)."""
    merged: list[Redaction] = []
    for r in sorted(found, key=lambda r: (r.start, -r.end, _RANK[r.kind])):
        if merged and r.start < merged[-1].end:
            last = merged[-1]
            if r.end > last.end:
                merged[-1] = Redaction(last.kind, last.start, r.end)
        else:
            merged.append(r)
    return merged


def _render(text: str, spans: list[Redaction]) -> tuple[str, list[int]]:
    """The text with markers in place of `spans`, and where each marker starts in it."""
    parts: list[str] = []
    marker_starts: list[int] = []
    pos = length = 0
    for r in spans:
        parts.append(text[pos : r.start])
        length += r.start - pos
        marker_starts.append(length)
        parts.append(MARKERS[r.kind])
        length += len(MARKERS[r.kind])
        pos = r.end
    parts.append(text[pos:])
    return "".join(parts), marker_starts


def _original_offset(spans: list[Redaction], marker_starts: list[int], pos: int, end: bool) -> int:
    """Map an offset in the rendered text back to `text`; inside a marker, to the marker's edge."""
    i = bisect.bisect_right(marker_starts, pos) - 1
    if i < 0:
        return pos
    r = spans[i]
    if pos == marker_starts[i]:
        return r.start
    marker_end = marker_starts[i] + len(MARKERS[r.kind])
    if pos < marker_end:
        return r.end if end else r.start
    return r.end + (pos - marker_end)


def redact(text: str) -> tuple[str, list[Redaction]]:
    """Return the text with every found item replaced by its marker, and the list of what was
    removed (kind and position in the original text, never the removed text), ordered by start,
    non-overlapping."""
    spans = _merge(_find(text))
    while spans:
        out, marker_starts = _render(text, spans)
        extra = _find(out)
        if not extra:
            return out, spans
        widened = _merge(
            spans
            + [
                Redaction(
                    r.kind,
                    _original_offset(spans, marker_starts, r.start, False),
                    _original_offset(spans, marker_starts, r.end, True),
                )
                for r in extra
            ]
        )
        if widened == spans:  # cannot happen (new matches cover new text); never loop forever
            return out, spans
        spans = widened
    return text, spans


def has_personal_data(text: str) -> bool:
    return bool(redact(text)[1])
