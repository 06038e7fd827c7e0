"""One session in memory: prompts, tallies rebuilt from the database, audiences and `seq`.

Writes go to the store first; memory changes only after the commit returned, in commit order."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from typing import Any, NamedTuple

import msgspec

from .. import answers
from .. import model as m
from ..errors import ApiError, invalid
from ..insight import compare as insight
from ..insight.groups import Opinions, opinion_groups
from ..store import purge as store_purge
from ..store import responses as store_responses
from ..store import sessions as store_sessions
from ..store import words as store_words
from ..store.db import Database, StoreUnavailable
from ..store.sessions import PromptRow, SessionRow
from ..tally import Frozen, PromptTally, WordsCount, new_tally, public
from ..wordfilter import WordFilter
from .bus import Bus
from .client import Client, Role

_encode = msgspec.json.encode
log = logging.getLogger("samenspraak.live")
RESIDENT_RESULTS_EVERY = 1.0
PRESENCE_EVERY = 1.0
PRESENCE_REPUBLISH = 10.0  # several workers: each says its count this often, changed or not
PRESENCE_EXPIRES = 35.0
OPINIONS_EVERY = 2.0  # opinion groups are recomputed at most this often per room, never per vote


class Grouped(NamedTuple):
    """A statements prompt's opinion groups, and their wire fields made once per computation
    (not on every 10 Hz tick that sends the tally)."""

    opinions: Opinions
    fields: dict[str, Any]  # StatementsTally's staff-only fields


def _opinions(answers_of: dict[tuple[int, str], Any], ids: list[str], min_group: int) -> Grouped:
    """Runs in a worker thread: the vote matrix from a copy of a statements prompt's answers."""
    votes: dict[str, dict[str, str]] = {}
    for (who, key), vote in answers_of.items():
        votes.setdefault(str(who), {})[key] = vote
    found = opinion_groups(votes, ids, min_group)
    groups = len(found.groups)
    fields = {
        "groups": msgspec.convert(msgspec.to_builtins(found.groups), list[m.GroupOut]),
        "bridging": [
            m.BridgingOut(
                b.statement_id,
                b.score,
                b.agree_share,
                insight.binds(b.score, b.agree_share, groups),
            )
            for b in found.bridging
        ],
        "points": [(p.x, p.y, p.group) for p in found.points],
        "grouped": found.participants,
        "groups_reason": found.reason,
    }
    return Grouped(found, fields)


def text(message: dict[str, Any]) -> str:
    return _encode(message).decode()


def _fits(spec: m.PromptIn, key: str, value: Any, also: frozenset[str] = frozenset()) -> bool:
    """A stored answer is still exactly what validation would store for this prompt."""
    raw = {"statement_id": key, "vote": value} if key else value
    try:
        return answers.single(spec, raw, also) == (key, value)
    except answers.InvalidValue:
        return False


class Room:
    def __init__(
        self,
        db: Database,
        session: SessionRow,
        prompts: list[PromptRow],
        *,
        min_group: int,
        public_url: str,
    ) -> None:
        self.db = db
        self.session = session
        self.prompts: dict[str, PromptRow] = {p.id: p for p in prompts}
        self.min_group = min_group
        self.public_url = public_url
        self.seq = session.seq + 1  # a restart is a state change clients may have missed
        self._publish_presence = False
        self._presence_sent = 0.0
        self.tallies: dict[str, PromptTally] = {p.id: new_tally(p.spec) for p in prompts}
        self.answers: dict[str, dict[tuple[int, str], Any]] = {p.id: {} for p in prompts}
        self.cards: dict[str, store_responses.CardRow] = {}
        self.card_ids: dict[tuple[int, str], str] = {}  # (participant, client id) -> card id
        self.buckets: dict[int, Any] = {}  # message budgets per participant (routes/ws.py)
        self.clients: set[Client] = set()
        self.staff: set[Client] = set()  # the presenters and facilitators among them
        self.local_connected = 0  # residents on this worker's sockets
        self.remote_connected: dict[str, tuple[int, float]] = {}  # worker -> (count, when)
        self.bus: Bus | None = None  # several workers: live events go to the others
        self.dirty: set[str] = set()
        self.presence_dirty = False
        self._last_resident_results = 0.0
        self._last_presence = 0.0
        self._resident_results_due = False
        self._lock = asyncio.Lock()
        self.opinions: dict[str, Grouped] = {}  # statements prompt -> its latest opinion groups
        self.opinions_dirty: set[str] = set()
        self._opinions_task: asyncio.Task[None] | None = None
        self._last_opinions = 0.0
        self.pairs = insight.pairs_of((p.id, p.position, p.spec) for p in prompts)
        self.word_filter = WordFilter.for_org()  # the organisation's, set by load()
        self.approved: dict[str, set[str]] = {}  # words prompt -> held words shown anyway
        self._held: dict[str, int] = {}  # words prompt -> held words last told to facilitators

    @classmethod
    async def load(cls, db: Database, sid: str, *, min_group: int, public_url: str) -> Room | None:
        session = await store_sessions.get(db, sid)
        if session is None:
            return None
        room = cls(
            db,
            session,
            await store_sessions.prompts(db, sid),
            min_group=min_group,
            public_url=public_url,
        )
        skipped = 0
        # cards first: votes on residents' statements need those statements to exist
        for row in await store_responses.cards_for_session(db, sid):
            if row.card.prompt_id in room.prompts:
                room._apply_card(row)
        proposals = {pid: frozenset(room.proposal_ids(pid)) for pid in room.prompts}
        for pid, who, key, value in await store_responses.answers_for_session(db, sid):
            prompt = room.prompts.get(pid)
            if prompt is not None and _fits(prompt.spec, key, value, proposals[pid]):
                room._apply(pid, who, key, value)
            else:
                skipped += 1  # an answer that no longer fits its prompt must not lock the session
        for pid, frozen in (await store_purge.frozen_tallies(db, sid)).items():
            if pid in room.prompts:  # purged: only the aggregate is left
                room.tallies[pid] = Frozen(frozen)
        if skipped:
            log.warning(
                "session loaded without %d stored answers that no longer fit their prompt", skipped
            )
        await room.load_word_filter()
        room.dirty.clear()
        room.opinions_dirty = {
            pid
            for pid, row in room.prompts.items()
            if row.kind == "statements" and room.answers[pid]
        }
        return room

    # ---- memory updates (after commit) ----
    def _apply(self, pid: str, who: int, key: str, value: Any) -> None:
        answers_of = self.answers[pid]
        old = answers_of.get((who, key))
        answers_of[(who, key)] = value
        self.tallies[pid].replace(str(who), key, old, value)
        self.dirty.add(pid)
        kind = self.prompts[pid].kind
        if kind == "statements":
            self.opinions_dirty.add(pid)
        elif kind == "dilemma":
            for before, after in self.pairs.values():
                if pid == before:
                    self.dirty.add(after)  # its `before` comparison changed

    def _apply_card(self, row: store_responses.CardRow) -> None:
        old = self.cards.get(row.card.id)
        self.cards[row.card.id] = row
        self.card_ids[(row.participant_id, row.client_id)] = row.card.id
        self.tallies[row.card.prompt_id].replace(
            str(row.participant_id), row.card.id, old.card if old else None, row.card
        )
        self.dirty.add(row.card.prompt_id)

    # ---- views ----
    @property
    def join_url(self) -> str | None:
        return f"{self.public_url}/j/{self.session.code}" if self.session.code else None

    def ordered(self) -> list[PromptRow]:
        return sorted(self.prompts.values(), key=lambda p: (p.position, p.id))

    def proposals(self, pid: str) -> list[m.Statement]:
        """Residents' statements approved for a statements prompt, in the order proposed."""
        return [
            m.Statement(id=c.card.id, text=c.card.text)
            for c in self.cards.values()
            if c.card.prompt_id == pid
            and c.card.status == "approved"
            and self.prompts[pid].kind == "statements"
        ]

    def proposal_ids(self, pid: str) -> list[str]:
        return [s.id for s in self.proposals(pid)]

    def prompt_view(self, row: PromptRow, role: Role) -> m.Prompt:
        """Facilitator notes only for facilitators: never on a phone or the projector."""
        fields = msgspec.structs.asdict(row.spec)
        if role != "facilitator":
            fields["notes"] = None
        if isinstance(row.spec, m.StatementsIn):
            fields["statements"] = [*row.spec.statements, *self.proposals(row.id)]
        return m.Prompt(
            id=row.id,
            kind=row.kind,
            position=row.position,
            state=row.state,
            revealed=row.revealed,
            answers=self.tallies[row.id].people() if role != "resident" else None,
            **fields,
        )

    def tally(self, pid: str) -> m.Tally:
        """What residents see (when revealed): counts only, hidden below min_group; words the
        filter holds back are in no view until a facilitator approves them."""
        kind = self.prompts[pid].kind
        tally = self.tallies[pid]
        if kind != "words" or tally.people() < self.min_group:
            return public(tally, kind, self.min_group)
        if isinstance(tally, WordsCount):
            return tally.snapshot(lambda word: self._holds(pid, word))
        shown = tally.snapshot()  # frozen after the purge: its stored top words
        if isinstance(shown, m.WordsTally):
            shown = m.WordsTally(
                n=shown.n, words=[w for w in shown.words if not self._holds(pid, w.word)]
            )
        return shown

    # ---- the word filter ----
    def _holds(self, pid: str, word: str) -> bool:
        return word not in self.approved.get(pid, ()) and self.word_filter.holds(word)

    def held_words(self, pid: str) -> list[m.WordCount]:
        """Held-back words of a words prompt with their counts, most given first (facilitators)."""
        tally = self.tallies[pid]
        if isinstance(tally, WordsCount):
            counts = list(tally.counts.items())
        else:
            shown = tally.snapshot()
            counts = [(w.word, w.count) for w in getattr(shown, "words", [])]
        held = [(w, c) for w, c in counts if self._holds(pid, w)]
        return [
            m.WordCount(word=w, count=c) for w, c in sorted(held, key=lambda wc: (-wc[1], wc[0]))
        ]

    async def load_word_filter(self) -> None:
        added, allowed = await store_words.org_filter(self.db, self.session.org_id)
        self.word_filter = WordFilter.for_org(added, allowed)
        self.approved = await store_words.approvals(self.db, self.session.id)
        self.dirty.update(p for p, row in self.prompts.items() if row.kind == "words")

    async def approve_word(self, pid: str, word: str) -> None:
        row = self._prompt(pid)
        if row.kind != "words":
            raise invalid("only a words prompt holds words back")
        self.writable()
        await store_words.approve(self.db, pid, word)
        self.approved.setdefault(pid, set()).add(word)
        self.dirty.add(pid)
        self._check_held(pid)
        self.changed()  # other workers re-read the approvals

    def _check_held(self, pid: str) -> None:
        """Tell facilitators when the number of held words of a prompt changed."""
        held = len(self.held_words(pid))
        if self._held.get(pid, 0) != held:
            self._held[pid] = held
            self._moderation_changed(pid)

    def staff_tally(self, pid: str) -> m.Tally:
        """Presenters, facilitators, /results and reports: plus opinion groups and bridging
        (statements), the split by group and the before/after shift (dilemma)."""
        tally = self.tally(pid)
        if isinstance(tally, m.StatementsTally):
            found = self.opinions.get(pid)
            if found is not None:
                for name, value in found.fields.items():
                    setattr(tally, name, value)
        elif isinstance(tally, m.DilemmaTally):
            spec = self.prompts[pid].spec
            assert isinstance(spec, m.DilemmaIn)
            grouping = self.grouping()
            after_of = [(k, b) for k, (b, a) in self.pairs.items() if a == pid]
            if grouping is None and not after_of:
                return tally  # the common case: nothing to add, no pass over the answers
            mine = {who: v for (who, _), v in self.answers[pid].items()}
            if grouping is not None:
                tally.by_group = insight.by_group(
                    mine, grouping.membership, len(grouping.groups), spec.bins, self.min_group
                )
            for key, before in after_of:
                if before in self.answers:
                    earlier = {who: v for (who, _), v in self.answers[before].items()}
                    tally.before = insight.shift(
                        key, before, earlier, mine, spec.bins, self.min_group
                    )
        return tally

    def grouping(self) -> Opinions | None:
        """The opinion groups that split other results: those of the statements prompt that
        grouped the most people (ties: the earlier prompt)."""
        best: tuple[int, int, Opinions] | None = None
        for pid, (found, _) in self.opinions.items():
            if found.groups and pid in self.prompts:
                rank = (found.participants, -self.prompts[pid].position)
                if best is None or rank > best[:2]:
                    best = (*rank, found)
        return best[2] if best else None

    def current(self) -> PromptRow | None:
        pid = self.session.current_prompt_id
        return self.prompts.get(pid) if pid else None

    def public_session(self) -> m.PublicSession:
        s = self.session
        return m.PublicSession(
            id=s.id,
            title=s.title,
            neighbourhood=s.neighbourhood,
            state=s.state,
            code=s.code if s.state == "live" else None,
            join_url=self.join_url if s.state == "live" else None,
            current_prompt_id=s.current_prompt_id,
            language=s.language,
            min_group=self.min_group,
            participants=s.participants,
            connected=self.connected,
        )

    def my_response(self, who: int, row: PromptRow) -> Any:
        spec = row.spec
        got = self.answers[row.id]
        if isinstance(spec, m.StatementsIn):
            ids = [s.id for s in spec.statements] + self.proposal_ids(row.id)
            return {sid: got[(who, sid)] for sid in ids if (who, sid) in got}
        if isinstance(spec, m.OpenIn):
            return [
                c.card
                for c in self.cards.values()
                if c.card.prompt_id == row.id and c.participant_id == who
            ]
        return got.get((who, ""))

    def welcome(self, client: Client) -> str:
        row = self.current()
        message: dict[str, Any] = {
            "type": "welcome",
            "seq": self.seq,
            "session": self.public_session(),
            "prompt": self.prompt_view(row, client.role) if row else None,
        }
        if row is not None:
            if client.who is not None:
                message["my_response"] = self.my_response(client.who, row)
            if client.staff:
                message["results"] = {"prompt_id": row.id, "tally": self.staff_tally(row.id)}
            elif row.revealed:
                message["results"] = {"prompt_id": row.id, "tally": self.tally(row.id)}
        return text(message)

    @property
    def connected(self) -> int:
        """Residents connected now, on every worker (other workers' counts expire when silent)."""
        return self.local_connected + sum(c for c, _ in self.remote_connected.values())

    # ---- audiences ----
    def attach(self, client: Client) -> None:
        self.clients.add(client)
        if client.staff:
            self.staff.add(client)
        if client.role == "resident":
            self.local_connected += 1
            self.presence_dirty = self._publish_presence = True
        client.send(self.welcome(client))

    def detach(self, client: Client) -> None:
        if client in self.clients:
            self.clients.discard(client)
            self.staff.discard(client)
            if client.role == "resident":
                self.local_connected -= 1
                self.presence_dirty = self._publish_presence = True

    def _to_all(self, payload: str) -> None:
        for client in self.clients:
            client.send(payload)

    def _to_staff(self, message: dict[str, Any], *, facilitators_only: bool = False) -> None:
        payload = text(message)
        for client in self.staff:  # not a walk over 5,000 phones ten times a second
            if client.role == "facilitator" or not facilitators_only:
                client.send(payload)

    def tick(self, now: float) -> None:
        """Coalesced fan-out: called ≤ 10×/s by the hub; sends at most one `results` per prompt per audience."""
        if self.dirty:
            dirty, self.dirty = self.dirty, set()
            current = self.current()
            for pid in dirty:
                if pid in self.prompts and self.prompts[pid].kind == "words":
                    self._check_held(pid)
                if pid in self.prompts:
                    self._to_staff(
                        {
                            "type": "results",
                            "seq": self.seq,
                            "prompt_id": pid,
                            "tally": self.staff_tally(pid),
                        }
                    )
            if current is not None and current.id in dirty and current.revealed:
                self._resident_results_due = True
        if (
            self._resident_results_due
            and now - self._last_resident_results >= RESIDENT_RESULTS_EVERY
        ):
            self._resident_results_due = False
            self._last_resident_results = now
            self._send_resident_results()
        if (
            self.opinions_dirty
            and self._opinions_task is None
            and now - self._last_opinions >= OPINIONS_EVERY
        ):
            self._start_opinions(now)
        if self.bus is not None and (
            self._publish_presence or now - self._presence_sent >= PRESENCE_REPUBLISH
        ):
            self._share_presence(now)
        if self.presence_dirty and now - self._last_presence >= PRESENCE_EVERY:
            self.presence_dirty = False
            self._last_presence = now
            message = text(
                {
                    "type": "presence",
                    "seq": self.seq,
                    "participants": self.session.participants,
                    "connected": self.connected,
                }
            )
            for client in self.clients:
                client.send(message)

    def _share_presence(self, now: float) -> None:
        """Several workers: say this worker's count (on change, at most once per tick, and every
        PRESENCE_REPUBLISH seconds), and forget the counts of workers gone silent."""
        self._publish_presence = False
        self._presence_sent = now
        self._publish({"t": "n", "c": self.local_connected})
        stale = [w for w, (_, at) in self.remote_connected.items() if now - at > PRESENCE_EXPIRES]
        for worker in stale:  # a worker that stopped (or crashed) no longer counts
            del self.remote_connected[worker]
            self.presence_dirty = True

    def _start_opinions(self, now: float) -> None:
        """Recompute one statements prompt's groups in a worker thread (the loop only copies
        the answers dict); the result lands in `opinions` and goes out with the next tick."""
        pid = min(self.opinions_dirty)
        self.opinions_dirty.discard(pid)
        row = self.prompts.get(pid)
        if row is None or not isinstance(row.spec, m.StatementsIn):
            return
        snapshot = dict(self.answers[pid])
        ids = [s.id for s in row.spec.statements] + self.proposal_ids(pid)
        self._last_opinions = now
        self._opinions_task = asyncio.get_running_loop().create_task(
            self._compute_opinions(pid, row.spec, snapshot, ids)
        )

    async def _compute_opinions(
        self, pid: str, spec: m.PromptIn, snapshot: dict[tuple[int, str], Any], ids: list[str]
    ) -> None:
        try:
            found = await asyncio.to_thread(_opinions, snapshot, ids, self.min_group)
        except Exception:
            log.exception("opinion groups failed")  # the counts still go out; groups come later
        else:
            row = self.prompts.get(pid)
            if row is not None and row.spec == spec:  # not edited meanwhile
                self.opinions[pid] = found
                self.dirty.add(pid)
                self.dirty.update(p for p, r in self.prompts.items() if r.kind == "dilemma")
        finally:
            self._opinions_task = None

    def _send_resident_results(self) -> None:
        row = self.current()
        if row is None or not row.revealed:
            return
        message = text(
            {"type": "results", "seq": self.seq, "prompt_id": row.id, "tally": self.tally(row.id)}
        )
        for client in self.clients:
            if not client.staff:
                client.send(message)

    # ---- residents ----
    def joined(self, participants: int) -> None:
        """Someone joined; `participants` is the count the database gave in that commit."""
        self.session.participants = max(self.session.participants + 1, participants)
        self.presence_dirty = True
        self._publish({"t": "j", "n": participants})

    def _open_prompt(self, pid: str) -> PromptRow:
        row = self.prompts.get(pid)
        if row is None:
            raise ApiError(404, "not_found")
        if self.session.state != "live" or row.state != "open":
            raise ApiError(409, "prompt_not_open")
        return row

    async def respond(self, who: int, pid: str, raw: Any) -> dict[str, Any]:
        """Store an answer durably, then count it. Returns what the ack/200 carries."""
        row = self.prompts.get(pid)
        if row is not None and isinstance(row.spec, m.OpenIn):
            # add_card checks the prompt itself, after its idempotency lookup (resends after close)
            if not isinstance(raw, dict):
                raise invalid("value must be {text, category?}")
            client_id = raw.get("id")
            if client_id is not None and (
                not isinstance(client_id, str) or not 1 <= len(client_id) <= 64
            ):
                raise invalid("id must be a client id of 1 to 64 characters")
            card, _ = await self.add_card(who, pid, client_id, raw)
            return {
                "prompt_id": pid,
                "value": {"id": card.id, "text": card.text, "category": card.category},
                "card": card,
            }
        row = self._open_prompt(pid)
        try:
            key, value = answers.single(row.spec, raw, frozenset(self.proposal_ids(pid)))
        except answers.InvalidValue as exc:
            raise invalid(str(exc)) from None
        spec = row.spec

        def write(conn: sqlite3.Connection) -> None:
            store_responses.still_open(conn, pid, spec)
            store_responses.put_answer(conn, pid, who, key, value)

        await self._write_answer(write)
        self._apply(pid, who, key, value)
        self._publish({"t": "a", "p": pid, "who": who, "k": key, "v": value})
        return {"prompt_id": pid, "value": raw if key else value}

    def writable(self) -> None:
        """With several workers, a write is taken only while the live bus is up: an ack must
        mean every worker's projector will count it."""
        if self.bus is not None and not self.bus.ok:
            raise StoreUnavailable("the live bus is down")

    def _publish(self, event: dict[str, Any]) -> None:
        if self.bus is not None:
            event["s"] = self.session.id
            self.bus.publish(event)

    async def _write_answer(self, write: Any) -> Any:
        self.writable()
        try:
            return await self.db.write(write)
        except store_responses.PromptGone as gone:
            if gone.reason == "deleted":
                raise ApiError(404, "not_found") from None
            raise ApiError(
                409, "prompt_changed" if gone.reason == "changed" else "prompt_not_open"
            ) from None
        except store_responses.CardClash:
            raise ApiError(409, "card_conflict") from None

    async def add_card(
        self, who: int, pid: str, client_id: str | None, raw: Any
    ) -> tuple[m.Card, bool]:
        row = self.prompts.get(pid)
        if row is None:
            raise ApiError(404, "not_found")
        proposing = isinstance(row.spec, m.StatementsIn)
        if proposing and isinstance(row.spec, m.StatementsIn) and not row.spec.resident_statements:
            raise invalid("this prompt does not take statements from residents")
        if not proposing and not isinstance(row.spec, m.OpenIn):
            raise invalid("this prompt does not take cards")
        try:
            if isinstance(row.spec, m.OpenIn):
                card_text, category = answers.card(row.spec, raw)
            else:
                card_text, category = answers.statement(raw), None
        except answers.InvalidValue as exc:
            raise invalid(str(exc)) from None
        stored = self.cards.get(self.card_ids.get((who, client_id or ""), ""))
        if stored is not None:  # a resend: idempotent even after the prompt closed
            if (stored.card.prompt_id, stored.card.text, stored.card.category) != (
                pid,
                card_text,
                category,
            ):
                raise ApiError(409, "card_conflict")
            return stored.card, False
        self._open_prompt(pid)
        spec = row.spec
        moderated = spec.moderated if isinstance(spec, m.OpenIn) else True  # statements: always
        most = spec.max_cards if isinstance(spec, m.OpenIn) else answers.MAX_PROPOSALS
        status = "pending" if moderated else "approved"
        cid = client_id or msgspec.json.encode([time.time_ns(), who]).decode()

        def write(conn: sqlite3.Connection) -> tuple[m.Card, bool]:
            existing = conn.execute(
                "SELECT 1 FROM cards WHERE participant_id = ? AND client_id = ?", (who, cid)
            ).fetchone()
            if existing is None:
                store_responses.still_open(conn, pid, spec)
                if store_responses.count_cards(conn, pid, who) >= most:
                    raise ApiError(409, "max_cards")
            return store_responses.put_card(conn, pid, who, cid, card_text, category, status)

        card, created = await self._write_answer(write)
        if created:
            stored_row = store_responses.CardRow(card=card, participant_id=who, client_id=cid)
            self._apply_card(stored_row)
            self._publish({"t": "c", "row": stored_row, "mod": card.status == "pending"})
            if card.status == "pending":
                self._moderation_changed(pid)
        return card, created

    async def remove_answers(self, who: int) -> int:
        """Everything this resident gave, while the session is live: stored answers and cards
        are deleted, the tallies lose them at once. Returns how many were removed."""
        self.writable()
        if self.session.state != "live":
            raise ApiError(409, "wrong_state")
        removed = await self.db.write(
            lambda conn: store_responses.remove_participant_answers(conn, who)
        )
        proposals = self._forget(who)
        self._publish({"t": "rm", "who": who})
        for pid in proposals:
            await self.prompt_edited(pid)  # their approved statement leaves every phone
        return removed

    def _forget(self, who: int) -> set[str]:
        """Memory after a removal; the statements prompts whose list of statements changed."""
        for pid, answers_of in self.answers.items():
            for key in [k for k in answers_of if k[0] == who]:
                self.tallies[pid].replace(str(who), key[1], answers_of.pop(key), None)
                self.dirty.add(pid)
                if self.prompts[pid].kind == "statements":
                    self.opinions_dirty.add(pid)
        changed: set[str] = set()
        for card_id, row in list(self.cards.items()):
            if row.participant_id != who:
                continue
            del self.cards[card_id]
            self.card_ids.pop((who, row.client_id), None)
            pid = row.card.prompt_id
            self.tallies[pid].replace(str(who), card_id, row.card, None)
            self.dirty.add(pid)
            if self.prompts[pid].kind == "statements":
                self.opinions_dirty.add(pid)
                if row.card.status == "approved":
                    changed.add(pid)
            if row.card.status == "pending":
                self._moderation_changed(pid)
        return changed

    def _moderation_changed(self, pid: str) -> None:
        self._to_staff(
            {"type": "moderation", "seq": self.seq, "prompt_id": pid, "pending": self.pending(pid)},
            facilitators_only=True,
        )

    def pending(self, pid: str) -> int:
        if self.prompts[pid].kind == "words":
            return len(self.held_words(pid))
        return sum(
            1 for c in self.cards.values() if c.card.prompt_id == pid and c.card.status == "pending"
        )

    def cards_of(self, pid: str, status: str | None) -> list[m.Card]:
        return [
            c.card
            for c in self.cards.values()
            if c.card.prompt_id == pid and (status is None or c.card.status == status)
        ]

    async def moderate(self, card_id: str, status: str) -> m.Card:
        row = self.cards.get(card_id)
        if row is None:
            raise ApiError(404, "not_found")
        self.writable()
        await store_responses.moderate(self.db, card_id, status)
        updated = store_responses.CardRow(
            card=msgspec.structs.replace(row.card, status=status),
            participant_id=row.participant_id,
            client_id=row.client_id,
        )
        self._apply_card(updated)
        self._publish({"t": "c", "row": updated, "mod": True})
        pid = row.card.prompt_id
        self._moderation_changed(pid)
        if self.prompts[pid].kind == "statements" and row.card.status != status:
            # the statement list changed: phones showing this prompt get it again (new seq)
            self.opinions_dirty.add(pid)
            await self.prompt_edited(pid)
        return updated.card

    # ---- facilitator actions: persisted, then broadcast with a new seq ----
    async def _commit_state(
        self, *, current: str | None, prompt_states: dict[str, tuple[str, bool]], state: str
    ) -> None:
        self.writable()
        self.seq = await store_sessions.save_live_state(
            self.db,
            self.session.id,
            seq=self.seq,
            current=current,
            prompt_states=prompt_states,
            state=state,
        )
        self.session.current_prompt_id = current
        self.session.state = state  # type: ignore[assignment]
        for pid, (st, rev) in prompt_states.items():
            row = self.prompts[pid]
            row.state = st  # type: ignore[assignment]
            row.revealed = rev

    def _need_live(self) -> None:
        if self.session.state != "live":
            raise ApiError(409, "wrong_state")

    def _prompt(self, pid: str) -> PromptRow:
        row = self.prompts.get(pid)
        if row is None:
            raise ApiError(404, "not_found")
        return row

    def _answers_by_person(self, row: PromptRow) -> dict[int, Any]:
        """Everyone's own answer to one prompt, for re-shown prompts (one pass over its answers)."""
        if isinstance(row.spec, m.OpenIn):
            cards: dict[int, list[m.Card]] = {}
            for c in self.cards.values():
                if c.card.prompt_id == row.id:
                    cards.setdefault(c.participant_id, []).append(c.card)
            return dict(cards)
        mine: dict[int, Any] = {}
        for (who, key), value in self.answers[row.id].items():
            if key:
                mine.setdefault(who, {})[key] = value
            else:
                mine[who] = value
        return mine

    def _announce_prompt(self) -> None:
        """The new current prompt to everyone, one text per role; residents who answered it
        before get their own answer too."""
        row = self.current()
        roles: tuple[Role, ...] = ("resident", "presenter", "facilitator")
        views = {r: self.prompt_view(row, r) if row else None for r in roles}
        shared = {r: text({"type": "prompt", "seq": self.seq, "prompt": views[r]}) for r in roles}
        mine = (
            self._answers_by_person(row)
            if row is not None and self.tallies[row.id].people()
            else {}
        )
        for client in self.clients:
            if client.who is not None and client.who in mine:
                message = {
                    "type": "prompt",
                    "seq": self.seq,
                    "prompt": views["resident"],
                    "my_response": mine[client.who],
                }
                client.send(text(message))
            else:
                client.send(shared[client.role])

    async def show(self, pid: str | None) -> None:
        async with self._lock:
            self._need_live()
            states = {}
            if pid is not None:
                row = self._prompt(pid)
                states[pid] = ("open", row.revealed)
            await self._commit_state(current=pid, prompt_states=states, state="live")
            self._announce_prompt()
            if pid is not None:
                self.dirty.add(pid)
            self.changed("announce")

    async def close_prompt(self, pid: str) -> None:
        async with self._lock:
            self._need_live()
            row = self._prompt(pid)
            await self._commit_state(
                current=self.session.current_prompt_id,
                prompt_states={pid: ("closed", row.revealed)},
                state="live",
            )
            if pid == self.session.current_prompt_id:
                self._announce_prompt()
                self.changed("announce")
            else:
                self.changed()

    async def reveal(self, pid: str, visible: bool) -> None:
        async with self._lock:
            if self.session.state == "draft":
                raise ApiError(409, "wrong_state")
            row = self._prompt(pid)
            await self._commit_state(
                current=self.session.current_prompt_id,
                prompt_states={pid: (row.state, visible)},
                state=self.session.state,
            )
            if pid == self.session.current_prompt_id:
                self._announce_prompt()
                if visible:
                    self._last_resident_results = time.monotonic()
                    self._send_resident_results()
                self.changed("reveal" if visible else "announce")
            else:
                self.changed()

    async def close(self) -> None:
        async with self._lock:
            if self.session.state == "closed":
                raise ApiError(409, "wrong_state")
            states = {
                pid: ("closed", row.revealed)
                for pid, row in self.prompts.items()
                if row.state == "open"
            }
            await self._commit_state(
                current=self.session.current_prompt_id, prompt_states=states, state="closed"
            )
            self._to_all(text({"type": "session", "seq": self.seq, "state": "closed"}))
            self.changed("session")

    async def start(self) -> None:
        async with self._lock:
            if self.session.state != "draft":
                raise ApiError(409, "wrong_state")
            self.writable()
            try:
                code, seq = await store_sessions.start(self.db, self.session.id, self.seq)
            except store_sessions.NotDraft:
                raise ApiError(409, "wrong_state") from None
            self.session.state = "live"
            self.session.code = code
            self.seq = seq
        self._to_all(text({"type": "session", "seq": self.seq, "state": "live"}))
        self.changed("session")

    async def prompt_edited(self, pid: str) -> None:
        """A facilitator changed the prompt on screen: phones must show the new text (new seq)."""
        async with self._lock:
            if self.session.state == "live" and pid == self.session.current_prompt_id:
                await self._commit_state(current=pid, prompt_states={}, state="live")
                self._announce_prompt()
                self.changed("announce")

    def resync_all(self) -> None:
        """Session fields changed (title, language): everyone gets a fresh welcome."""
        for client in self.clients:
            client.resync()
        self.changed("resync")

    # ---- several workers (live/bus.py) ----
    def changed(self, effect: str | None = None) -> None:
        """The session or its prompts changed in the database: the other workers re-read them
        and send their sockets what this worker sent (`effect`)."""
        self._publish({"t": "st", "seq": self.seq, "fx": effect})

    def remote(self, event: dict[str, Any]) -> None:
        """Another worker's answer, card, join or presence (already committed)."""
        kind = event["t"]
        if kind == "a":
            pid = event["p"]
            if pid in self.prompts and pid in self.answers:
                self._apply(pid, int(event["who"]), event["k"], event["v"])
        elif kind == "c":
            row = msgspec.convert(event["row"], store_responses.CardRow)
            pid = row.card.prompt_id
            if pid not in self.prompts:
                return
            old = self.cards.get(row.card.id)
            self._apply_card(row)
            if event.get("mod"):
                self._moderation_changed(pid)
            if self.prompts[pid].kind == "statements" and (
                old is None or old.card.status != row.card.status
            ):
                self.opinions_dirty.add(pid)
        elif kind == "rm":
            self._forget(int(event["who"]))  # the worker that removed them re-announces prompts
        elif kind == "j":
            self.session.participants = max(self.session.participants, int(event["n"]))
            self.presence_dirty = True
        elif kind == "n":
            self.remote_connected[event["w"]] = (int(event["c"]), time.monotonic())
            self.presence_dirty = True

    async def remote_change(self, seq: int, effect: str | None) -> None:
        """Another worker changed the session or its prompts: re-read both, then do what it did."""
        async with self._lock:
            session = await store_sessions.get(self.db, self.session.id)
            if session is None:
                return
            rows = await store_sessions.prompts(self.db, self.session.id)
            participants = max(self.session.participants, session.participants)
            self.session = session
            self.session.participants = participants
            self.refresh_prompts(rows)
            self.seq = max(self.seq, seq, session.seq)
            await self.load_word_filter()
        if effect == "announce":
            self._announce_prompt()
            if self.session.current_prompt_id:
                self.dirty.add(self.session.current_prompt_id)
        elif effect == "reveal":
            self._announce_prompt()
            self._last_resident_results = time.monotonic()
            self._send_resident_results()
        elif effect == "session":
            self._to_all(text({"type": "session", "seq": self.seq, "state": self.session.state}))
        elif effect == "resync":
            for client in self.clients:
                client.resync()
        self.dirty.update(self.prompts)  # staff views get every tally once more

    async def rebuild(self) -> None:
        """After a bus outage: everything from the database again, then a welcome for everyone."""
        async with self._lock:
            fresh = await Room.load(
                self.db, self.session.id, min_group=self.min_group, public_url=self.public_url
            )
            if fresh is None:
                return
            self.session = fresh.session
            self.prompts = fresh.prompts
            self.tallies = fresh.tallies
            self.answers = fresh.answers
            self.cards = fresh.cards
            self.card_ids = fresh.card_ids
            self.pairs = fresh.pairs
            self.word_filter, self.approved = fresh.word_filter, fresh.approved
            self.opinions = {}
            self.opinions_dirty = fresh.opinions_dirty
            self.seq = max(self.seq + 1, fresh.session.seq)
        for client in self.clients:
            client.resync()
        self.dirty.update(self.prompts)

    def refresh_prompts(self, rows: list[PromptRow]) -> None:
        """After the facilitator edited prompts: keep tallies of unchanged prompts, new ones start empty."""
        fresh = {r.id: r for r in rows}
        for pid, row in fresh.items():
            old = self.prompts.get(pid)
            if old is None or old.spec != row.spec:
                self.tallies[pid] = new_tally(row.spec)
                self.answers[pid] = {}
        for pid in set(self.prompts) - set(fresh):
            self.tallies.pop(pid, None)
            self.answers.pop(pid, None)
        for pid in list(self.opinions):
            if pid not in fresh or fresh[pid].spec != self.prompts[pid].spec:
                del self.opinions[pid]
        self.prompts = fresh
        self.pairs = insight.pairs_of((p.id, p.position, p.spec) for p in fresh.values())
        if self.session.current_prompt_id not in fresh:
            self.session.current_prompt_id = None
