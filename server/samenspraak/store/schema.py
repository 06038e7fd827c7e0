"""Schema migrations, applied in order; PRAGMA user_version says how many ran.

Resident tables have no column for IP address, user agent, name or fine-grained time:
anonymity by construction (a schema test guards this)."""

MIGRATIONS: list[str] = [
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE orgs (
        id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL
    );
    CREATE TABLE users (
        id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES orgs(id),
        email TEXT NOT NULL UNIQUE COLLATE NOCASE, name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('admin', 'facilitator', 'canvasser')),
        password_hash TEXT NOT NULL, created_at TEXT NOT NULL
    );
    CREATE TABLE staff_sessions (
        id_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id),
        csrf TEXT NOT NULL, created_at REAL NOT NULL, seen_at REAL NOT NULL
    );
    CREATE TABLE api_tokens (
        token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id),
        name TEXT NOT NULL, created_at TEXT NOT NULL, revoked INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE sessions (
        id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES orgs(id),
        title TEXT NOT NULL, neighbourhood TEXT, language TEXT NOT NULL DEFAULT 'nl',
        state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'live', 'closed')),
        code TEXT, current_prompt_id TEXT, seq INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL, closed_at TEXT
    );
    CREATE UNIQUE INDEX sessions_live_code ON sessions(code) WHERE state = 'live';
    CREATE INDEX sessions_org ON sessions(org_id, created_at);
    CREATE TABLE prompts (
        id TEXT PRIMARY KEY, session_id TEXT NOT NULL REFERENCES sessions(id),
        position INTEGER NOT NULL, kind TEXT NOT NULL, spec TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending', revealed INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX prompts_session ON prompts(session_id, position);
    CREATE TABLE participants (
        id INTEGER PRIMARY KEY, session_id TEXT NOT NULL REFERENCES sessions(id),
        token_hash TEXT NOT NULL UNIQUE
    );
    CREATE INDEX participants_session ON participants(session_id);
    CREATE TABLE responses (
        prompt_id TEXT NOT NULL, participant_id INTEGER NOT NULL, key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (prompt_id, participant_id, key)
    ) WITHOUT ROWID;
    CREATE TABLE cards (
        id TEXT PRIMARY KEY, prompt_id TEXT NOT NULL, participant_id INTEGER NOT NULL,
        client_id TEXT NOT NULL, text TEXT NOT NULL, category TEXT,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'hidden')),
        UNIQUE (participant_id, client_id)
    );
    CREATE INDEX cards_prompt ON cards(prompt_id, status);
    CREATE TABLE tickets (
        ticket_hash TEXT PRIMARY KEY, session_id TEXT NOT NULL, roles TEXT NOT NULL,
        expires_at REAL NOT NULL
    );
    CREATE TABLE projector_keys (
        key_hash TEXT PRIMARY KEY, session_id TEXT NOT NULL REFERENCES sessions(id)
    );
    """,
    # 2: canvassing rounds and notes; dialogue sessions may be linked to a round's area.
    # Notes carry no time of day, no address, no name: area, day and part of day only. The
    # author is kept (a canvasser sees their own notes); `digest` is a keyed hash of the note
    # as sent, for idempotent resends, and `text` is stored only after redaction.
    """
    CREATE TABLE rounds (
        id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES orgs(id),
        title TEXT NOT NULL, areas TEXT NOT NULL, topics TEXT NOT NULL,
        starts_on TEXT, ends_on TEXT,
        state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
        created_at TEXT NOT NULL, closed_at TEXT
    );
    CREATE INDEX rounds_org ON rounds(org_id, created_at);
    CREATE TABLE notes (
        round_id TEXT NOT NULL REFERENCES rounds(id), id TEXT NOT NULL,
        author_id TEXT NOT NULL REFERENCES users(id), digest TEXT NOT NULL,
        area TEXT NOT NULL, day TEXT NOT NULL, part_of_day TEXT NOT NULL,
        outcome TEXT NOT NULL, topics TEXT NOT NULL, concern INTEGER, trust INTEGER,
        us_them INTEGER NOT NULL, us_them_about TEXT NOT NULL, incident TEXT,
        wants_dialogue TEXT, text TEXT, redactions TEXT NOT NULL,
        PRIMARY KEY (round_id, id)
    ) WITHOUT ROWID;
    ALTER TABLE sessions ADD COLUMN round_id TEXT REFERENCES rounds(id);
    ALTER TABLE sessions ADD COLUMN round_area TEXT;
    CREATE INDEX sessions_round ON sessions(round_id)
    """,
    # 3: retention. Purged sessions keep their open-text and word results only as frozen
    # aggregates; purged rounds keep their notes without free text.
    """
    CREATE TABLE frozen_tallies (
        prompt_id TEXT PRIMARY KEY REFERENCES prompts(id), tally TEXT NOT NULL
    );
    ALTER TABLE sessions ADD COLUMN purged_at TEXT;
    ALTER TABLE rounds ADD COLUMN purged_at TEXT
    """,
    # 4: the word cloud's filter. An organisation's own additions to the default list of held
    # words and the default words it allows (JSON lists); per prompt, the held words a
    # facilitator approved. No resident data.
    """
    CREATE TABLE word_filters (
        org_id TEXT PRIMARY KEY REFERENCES orgs(id), added TEXT NOT NULL, allowed TEXT NOT NULL
    );
    CREATE TABLE word_approvals (
        prompt_id TEXT NOT NULL REFERENCES prompts(id), word TEXT NOT NULL,
        PRIMARY KEY (prompt_id, word)
    ) WITHOUT ROWID
    """,
    # The security issue: API tokens get an id (shown and used to revoke; older tokens take the
    # first 16 characters of their keyed hash) and a scope (read, run or canvass; older tokens
    # keep what they could do: run). The audit log of staff actions: who (user id and name; none
    # for the command line), what (an action from store/audit.py), which session, round or other
    # id, when. Never resident data, free text or an address. org_id is null for actions of the
    # whole server (purge). No foreign keys: the log outlives what it names.
    """
    ALTER TABLE api_tokens ADD COLUMN id TEXT;
    ALTER TABLE api_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'run';
    UPDATE api_tokens SET id = substr(token_hash, 1, 16) WHERE id IS NULL;
    CREATE UNIQUE INDEX api_tokens_id ON api_tokens(id);
    CREATE INDEX api_tokens_user ON api_tokens(user_id);
    CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY, org_id TEXT, user_id TEXT, user_name TEXT,
        action TEXT NOT NULL, session_id TEXT, round_id TEXT, target_id TEXT,
        created_at TEXT NOT NULL
    );
    CREATE INDEX audit_log_org ON audit_log(org_id, id)
    """,
]
