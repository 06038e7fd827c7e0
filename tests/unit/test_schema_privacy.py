"""Anonymity by construction: the tables that hold what residents send (participants, responses,
cards, and any table that refers to a participant) and the canvassing tables (rounds, notes)
have no column for personal data. Built from `MIGRATIONS` in an in-memory SQLite, exactly as a
new database is made (PostgreSQL uses the same migrations, translated).

A column name that matches one of the patterns below fails the test, unless it is listed in
`ALLOWED` with the reason it is not personal data. The tests at the end prove the check
catches such columns when a future migration adds one."""

from __future__ import annotations

import re
import sqlite3

import pytest

from samenspraak.store.schema import MIGRATIONS

RESIDENT_TABLES = ("participants", "responses", "cards")
CANVASS_TABLES = ("rounds", "notes")

# Patterns on the lower-case column name (camelCase is split with "_" first). `(?:^|_)` and
# `(?:_|$)` anchor a short word to the name's parts, so "age" catches `age` and `age_group`
# but not `usage` or `message`. Dutch words are included: a column could be named in Dutch.
_START, _END = r"(?:^|_)", r"(?:_|$)"
PATTERNS: dict[str, str] = {
    "IP address": (
        rf"{_START}ip(?:v[46])?{_END}|ip_?addr|(?:remote|client|peer)_?(?:addr|host|ip)"
        r"|forwarded|x_real|(?:^|_)peer(?:_|$)"
    ),
    "address": r"addr|adres|street|straat|house|huis|postcode|postal|zip|city|woonplaats|domicile",
    "user agent": (
        rf"user_?agent|{_START}ua{_END}|browser|device|fingerprint|{_START}os{_END}|platform"
        r"|screen|referr?er"
    ),
    "name": r"name|naam|initials|voorletter",
    "e-mail": r"e_?mail|mail",
    "phone": rf"phone|{_START}tel{_END}|telefoon|mobile|mobiel|msisdn|{_START}sms|whatsapp",
    "contact": rf"contact|social|twitter|facebook|instagram|{_START}handle{_END}",
    "location": (
        rf"locat|{_START}geo|gps|coord|{_START}(?:lat|lon|lng|long|alt){_END}|latitude|longitude"
        r"|area|region|district|neighbou?rhood|wijk|buurt|place|plaats"
    ),
    "birth or age": rf"birth|geboorte|{_START}dob{_END}|{_START}ages?{_END}|leeftijd|year_of",
    "gender": rf"gender|{_START}sex|geslacht|{_START}(?:fe)?male{_END}",
    "religion": r"relig|faith|geloof|church|kerk|mosque|moskee|creed",
    "ethnicity": (
        rf"ethnic|etnic|{_START}race{_END}|racial|nationalit|herkomst|afkomst|{_START}origin"
        r"|migra|skin"
    ),
    "other special category": (
        rf"polit|{_START}party{_END}|partij|health|gezondheid|medic|vakbond|{_START}union{_END}"
        r"|sexual|orientation|criminal|biometric|photo|foto|image|picture|face"
    ),
    "identity": (
        rf"{_START}(?:user|person|persoon|resident|bewoner|respondent|citizen|author|account"
        rf"|member|bsn|ssn|passport|paspoort|iban|bank){_END}"
    ),
}
# A row that a resident's action writes may carry no time finer than the day, and the
# participant row no time at all (no join time: it would link a phone to a moment).
TIME_PATTERN = (
    rf"time|date|tijd|datum|stamp|_at$|{_START}(?:day|dag|at|when|hour|minute|second|moment"
    rf"|seen|joined|created|updated|modified|expires|epoch|part_of_day){_END}"
)
TIME_TABLES = (*RESIDENT_TABLES, "notes")
# A bearer secret is stored only as a keyed hash (security.TokenHasher).
SECRET_PATTERN = rf"token|secret|password|passwd|ticket|cookie|{_START}pin{_END}"

# Each allowance: (table, column, category) -> why this column is not personal data.
ALLOWED: dict[tuple[str, str, str], str] = {
    ("notes", "area", "location"): (
        "a neighbourhood or street segment from the round's own list, never a house: "
        "canvass.check_round_lists refuses an area that looks like an address or a postcode "
        "with house number, and canvass.check_note accepts only the round's areas"
    ),
    ("rounds", "areas", "location"): (
        "the round's list of neighbourhoods or street segments (same rule as notes.area)"
    ),
    ("notes", "day", "time"): (
        "the calendar day of a door-to-door conversation, no time of day (docs/canvassing.md)"
    ),
    ("notes", "part_of_day", "time"): (
        "morning / afternoon / evening instead of a time (canvass.PARTS_OF_DAY)"
    ),
    ("notes", "author_id", "identity"): (
        "the canvasser: a staff account (users.id), not a resident; exports name the "
        "canvasser only when an admin asks for it (routes/canvass.py export_csv)"
    ),
}
# The participant row holds exactly this (docs/privacy.md says so in these words).
PARTICIPANT_COLUMNS = {"id", "session_id", "token_hash"}


def build(migrations: list[str]) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    for step in migrations:
        db.executescript(step)
    return db


def columns(db: sqlite3.Connection, table: str) -> list[tuple[str, str]]:
    """(name, declared type) of every column of a table."""
    return [(row[1], row[2]) for row in db.execute(f"PRAGMA table_info({table})")]


def checked_tables(db: sqlite3.Connection) -> list[str]:
    """The resident and canvass tables, plus every table with a `participant_id` column or a
    foreign key to `participants`: a table added later for residents' data is checked too."""
    names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    found = [t for t in (*RESIDENT_TABLES, *CANVASS_TABLES) if t in names]
    for table in names:
        if table in found:
            continue
        refers = any(
            fk[2] == "participants" for fk in db.execute(f"PRAGMA foreign_key_list({table})")
        )
        if refers or any(name == "participant_id" for name, _ in columns(db, table)):
            found.append(table)
    return found


def normalised(column: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", column).lower()


def categories_of(table: str, column: str, declared: str) -> list[str]:
    """Every category a column falls into, allowed or not."""
    name = normalised(column)
    found = [what for what, pattern in PATTERNS.items() if re.search(pattern, name)]
    resident_row = table in TIME_TABLES or table not in CANVASS_TABLES
    if resident_row and (
        re.search(TIME_PATTERN, name) or re.search(r"date|time", declared, re.IGNORECASE)
    ):
        found.append("time")
    if re.search(SECRET_PATTERN, name) and not name.endswith("_hash"):
        found.append("secret in the clear")
    return found


def violations(migrations: list[str]) -> list[str]:
    db = build(migrations)
    out = []
    for table in checked_tables(db):
        for column, declared in columns(db, table):
            for what in categories_of(table, column, declared):
                if (table, column, what) not in ALLOWED:
                    out.append(f"{table}.{column}: {what}")
    participants = {name for name, _ in columns(db, "participants")}
    if participants != PARTICIPANT_COLUMNS:
        out.append(f"participants has {sorted(participants)}, not {sorted(PARTICIPANT_COLUMNS)}")
    return out


def test_every_resident_and_canvass_table_is_found_and_checked() -> None:
    db = build(MIGRATIONS)
    tables = checked_tables(db)
    for table in (*RESIDENT_TABLES, *CANVASS_TABLES):
        assert table in tables, f"{table} is gone: update this test with the table that replaced it"
        assert columns(db, table), table


def test_no_resident_or_canvass_column_can_hold_personal_data() -> None:
    assert violations(MIGRATIONS) == []


def test_the_participant_row_has_no_time_and_nothing_but_session_and_token_hash() -> None:
    db = build(MIGRATIONS)
    found = columns(db, "participants")
    assert {name for name, _ in found} == PARTICIPANT_COLUMNS
    assert not any(re.search(r"date|time|real", declared, re.I) for _, declared in found)
    assert not any(re.search(TIME_PATTERN, normalised(name)) for name, _ in found)


def test_every_allowance_is_still_needed_and_still_matches_a_pattern() -> None:
    """An allowance for a column that is gone, or that no pattern catches, is stale: it would
    keep a hole open for a future column of the same name, so it must be removed."""
    db = build(MIGRATIONS)
    for (table, column, what), reason in ALLOWED.items():
        declared = dict(columns(db, table)).get(column)
        assert declared is not None, f"{table}.{column} is allowed but no longer exists"
        assert what in categories_of(table, column, declared), (table, column, what)
        assert reason


BAD_MIGRATIONS = [
    ("ALTER TABLE participants ADD COLUMN ip_address TEXT", "participants.ip_address"),
    ("ALTER TABLE participants ADD COLUMN user_agent TEXT", "participants.user_agent"),
    ("ALTER TABLE participants ADD COLUMN joined_at TEXT", "participants.joined_at"),
    ("ALTER TABLE participants ADD COLUMN seen REAL", "participants.seen"),
    ("ALTER TABLE participants ADD COLUMN first TIMESTAMP", "participants.first"),
    ("ALTER TABLE participants ADD COLUMN token TEXT", "participants.token"),
    ("ALTER TABLE responses ADD COLUMN remote_addr TEXT", "responses.remote_addr"),
    ("ALTER TABLE responses ADD COLUMN created_at TEXT", "responses.created_at"),
    ("ALTER TABLE cards ADD COLUMN author_name TEXT", "cards.author_name"),
    ("ALTER TABLE cards ADD COLUMN email TEXT", "cards.email"),
    ("ALTER TABLE cards ADD COLUMN phoneNumber TEXT", "cards.phoneNumber"),
    ("ALTER TABLE cards ADD COLUMN submitted_time TEXT", "cards.submitted_time"),
    ("ALTER TABLE notes ADD COLUMN street TEXT", "notes.street"),
    ("ALTER TABLE notes ADD COLUMN house_number TEXT", "notes.house_number"),
    ("ALTER TABLE notes ADD COLUMN lat REAL", "notes.lat"),
    ("ALTER TABLE notes ADD COLUMN gps_track TEXT", "notes.gps_track"),
    ("ALTER TABLE notes ADD COLUMN resident_age INTEGER", "notes.resident_age"),
    ("ALTER TABLE notes ADD COLUMN birth_year INTEGER", "notes.birth_year"),
    ("ALTER TABLE notes ADD COLUMN gender TEXT", "notes.gender"),
    ("ALTER TABLE notes ADD COLUMN religion TEXT", "notes.religion"),
    ("ALTER TABLE notes ADD COLUMN ethnicity TEXT", "notes.ethnicity"),
    ("ALTER TABLE notes ADD COLUMN contact TEXT", "notes.contact"),
    ("ALTER TABLE notes ADD COLUMN telefoon TEXT", "notes.telefoon"),
    ("ALTER TABLE notes ADD COLUMN noted_at TEXT", "notes.noted_at"),
    ("ALTER TABLE notes ADD COLUMN photo BLOB", "notes.photo"),
    ("ALTER TABLE rounds ADD COLUMN location TEXT", "rounds.location"),
    (
        "CREATE TABLE resident_extras (participant_id INTEGER NOT NULL, client_ip TEXT)",
        "resident_extras.client_ip",
    ),
    (
        "CREATE TABLE devices (id INTEGER PRIMARY KEY, p INTEGER REFERENCES participants(id),"
        " fingerprint TEXT)",
        "devices.fingerprint",
    ),
    ("ALTER TABLE participants ADD COLUMN removed INTEGER", "participants has"),
]


@pytest.mark.parametrize(("migration", "expected"), BAD_MIGRATIONS)
def test_a_future_migration_with_personal_data_fails_the_check(
    migration: str, expected: str
) -> None:
    found = violations([*MIGRATIONS, migration])
    assert any(v.startswith(expected) for v in found), found


def test_an_allowance_covers_one_category_of_one_column_only() -> None:
    """notes.area is allowed as a neighbourhood; the same name in a resident table is not,
    and an address-like name on notes is not allowed because `area` is."""
    assert any(
        v.startswith("cards.area")
        for v in violations([*MIGRATIONS, "ALTER TABLE cards ADD COLUMN area TEXT"])
    )
    assert any(
        v.startswith("notes.area_address")
        for v in violations([*MIGRATIONS, "ALTER TABLE notes ADD COLUMN area_address TEXT"])
    )
