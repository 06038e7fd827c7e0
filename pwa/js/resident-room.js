// A resident's live session: join with the code, follow the room over the WebSocket,
// and keep answers in an outbox until the server acknowledges them.
import { signal, batch } from './html.js';
import { get, post, del, errorFromBody, errorMessage } from './api.js';
import { connectLive } from './live.js';
import { uuid } from './ids.js';
import { t } from './i18n.js';

const tokenKey = (code) => `samenspraak.token.${code}`;

export function storedToken(code) {
  try {
    return localStorage.getItem(tokenKey(code));
  } catch (_) {
    return null;
  }
}

function storeToken(code, token) {
  try {
    if (token) localStorage.setItem(tokenKey(code), token);
    else localStorage.removeItem(tokenKey(code));
  } catch (_) {
    // Without storage a reload joins again; acceptable.
  }
}

function tallyFrom(results, promptId) {
  if (!results) return null;
  if (Array.isArray(results)) return tallyFrom(results.find((r) => r.prompt_id === promptId), promptId);
  if (results.tally) return results.prompt_id && results.prompt_id !== promptId ? null : results.tally;
  return results.kind ? results : null;
}

// Which outbox slot an answer occupies: one per prompt, per card, or per statement.
export function answerKey(prompt, value) {
  if (prompt.kind === 'open') return `${prompt.id}:card:${value.id}`;
  if (prompt.kind === 'statements') return `${prompt.id}:${value.statement_id}`;
  return prompt.id;
}

// Failures after which a proposal may or may not have reached the server: it is sent again
// with the same client id, which the server treats as the same proposal (idempotent).
const PROPOSAL_RETRY = new Set(['network', 'rate_limited', 'unavailable', 'internal']);
const proposers = new WeakMap(); // room.respond -> the room's proposal API

// The resident's own statement proposals of the room whose `respond` a form was given
// (the answer forms receive `respond` only), or null.
export function proposerFor(respond) {
  return proposers.get(respond) || null;
}

export function createResidentRoom(code) {
  const room = {
    code,
    phase: signal(storedToken(code) ? 'connecting' : 'join'), // join | joining | connecting | live | ended | failed
    failure: signal(''),
    session: signal(null),
    prompt: signal(null),
    myResponse: signal(undefined),
    tally: signal(null),
    connection: signal('connecting'),
    answers: signal({}), // key -> {state: sending|queued|saved|error, message, value}
    proposals: signal([]), // own statements proposed in this view: {id, prompt_id, text, status}
    proposal: signal(null), // the last one sent: {state: sending|sent|error, id, prompt_id, text, code, message, retry}
  };
  let token = storedToken(code);
  let live = null;
  let rejoined = false;
  const outbox = new Map(); // key -> frame

  function setAnswer(key, entry) {
    room.answers.value = { ...room.answers.value, [key]: entry };
  }

  async function join() {
    room.phase.value = 'joining';
    room.failure.value = '';
    try {
      const joined = await post('/api/join', { code });
      token = joined.token;
      storeToken(code, token);
      room.session.value = joined.session;
      follow();
    } catch (error) {
      if (rejoined && (error.code === 'code_unknown' || error.status === 404)) {
        // Our token expired because the session closed while this phone was away.
        room.phase.value = 'ended';
        return;
      }
      room.phase.value = 'join';
      room.failure.value = error.code === 'code_unknown' || error.status === 404 ? t('resident.join.unknown') : error.message;
    }
  }

  async function removeMine() {
    // "Remove my answers": the server deletes them and the results lose them at once.
    const done = await del('/api/me/responses', { token });
    outbox.clear();
    batch(() => {
      room.myResponse.value = undefined;
      room.answers.value = {};
      room.proposals.value = [];
      room.proposal.value = null;
    });
    return done.removed;
  }

  async function refreshMyResponse(promptId) {
    try {
      const state = await get('/api/me/session', { token });
      if (room.prompt.value?.id === promptId) room.myResponse.value = state.my_response;
    } catch (_) {
      // The next welcome brings it too.
    }
  }

  function applyPrompt(prompt) {
    const previous = room.prompt.value;
    batch(() => {
      if (!prompt || prompt.id !== previous?.id) {
        room.myResponse.value = undefined;
        room.tally.value = null;
        room.answers.value = {};
      }
      if (prompt && !prompt.revealed) room.tally.value = null;
      room.prompt.value = prompt;
    });
    markProposals(prompt);
    if (prompt && prompt.id !== previous?.id) refreshMyResponse(prompt.id);
  }

  function onMessage(message) {
    switch (message.type) {
      case 'welcome':
        rejoined = false;
        batch(() => {
          room.session.value = message.session;
          room.prompt.value = message.prompt || null;
          room.myResponse.value = message.my_response;
          room.tally.value = message.prompt?.revealed ? tallyFrom(message.results, message.prompt.id) : null;
          room.phase.value = message.session?.state === 'closed' ? 'ended' : 'live';
        });
        markProposals(message.prompt);
        if (message.session?.state === 'closed') end();
        else {
          resend();
          resendProposal();
        }
        break;
      case 'prompt':
        applyPrompt(message.prompt || null);
        break;
      case 'results':
        if (room.prompt.value?.id === message.prompt_id && room.prompt.value.revealed !== false) room.tally.value = message.tally;
        break;
      case 'session':
        if (room.session.value) room.session.value = { ...room.session.value, state: message.state };
        if (message.state === 'closed') end();
        break;
      case 'ack':
        acknowledge(message);
        break;
      case 'error':
        reject(message);
        break;
      default:
        break;
    }
  }

  function onState(state) {
    room.connection.value = state;
    if (state === 'stopped:unauthenticated' && !rejoined) {
      // The stored token is no longer valid (e.g. the server forgot it): join again, once.
      rejoined = true;
      storeToken(code, null);
      token = null;
      live = null;
      join();
    } else if (state.startsWith('stopped:') && state !== 'stopped:closed') {
      room.phase.value = 'failed';
      room.failure.value = t('resident.failed');
    }
  }

  function follow() {
    if (live) live.close();
    room.phase.value = 'connecting';
    live = connectLive({ hello: (lastSeq) => ({ type: 'hello', token, last_seq: lastSeq }), onMessage, onState });
  }

  function end() {
    room.phase.value = 'ended';
    storeToken(code, null);
    if (live) {
      const closing = live;
      live = null;
      closing.close();
    }
  }

  function findKey(ref) {
    for (const [key, frame] of outbox) if (frame.ref === ref) return key;
    return null;
  }

  function acknowledge(message) {
    const key = findKey(message.ref);
    if (!key) return;
    const frame = outbox.get(key);
    outbox.delete(key);
    setAnswer(key, { state: 'saved', value: frame.value });
    const prompt = room.prompt.value;
    if (!prompt || prompt.id !== frame.prompt_id) return;
    if (prompt.kind === 'open') {
      const card = message.card || { ...frame.value, status: prompt.moderated === false ? 'approved' : 'pending' };
      const mine = Array.isArray(room.myResponse.value) ? room.myResponse.value : [];
      room.myResponse.value = [...mine.filter((c) => c.id !== card.id), card];
    } else if (prompt.kind === 'statements') {
      room.myResponse.value = { ...(room.myResponse.value || {}), [frame.value.statement_id]: frame.value.vote };
    } else {
      room.myResponse.value = frame.value;
    }
  }

  function reject(message) {
    const key = findKey(message.ref);
    const error = errorFromBody(message.status_code, message);
    if (!key) return;
    const frame = outbox.get(key);
    outbox.delete(key);
    setAnswer(key, { state: 'error', message: error.message || errorMessage('unknown'), value: frame.value });
  }

  function resend() {
    const prompt = room.prompt.value;
    for (const [key, frame] of outbox) {
      if (!prompt || prompt.id !== frame.prompt_id || prompt.state !== 'open') {
        outbox.delete(key);
        continue;
      }
      if (live?.send(frame)) setAnswer(key, { state: 'sending', value: frame.value });
    }
  }

  function respond(value) {
    const prompt = room.prompt.value;
    if (!prompt) return;
    const key = answerKey(prompt, value);
    const frame = { type: 'respond', ref: uuid(), prompt_id: prompt.id, value };
    outbox.set(key, frame);
    const sent = live?.send(frame);
    setAnswer(key, { state: sent ? 'sending' : 'queued', value });
  }

  // An approved proposal is one of the prompt's statements (same id); one that was approved
  // and is no longer there was hidden again.
  function markProposals(prompt) {
    if (prompt?.kind !== 'statements' || !room.proposals.value.length) return;
    const shown = new Set((prompt.statements || []).map((s) => s.id));
    let changed = false;
    const next = room.proposals.value.map((p) => {
      if (p.prompt_id !== prompt.id) return p;
      const status = shown.has(p.id) ? 'approved' : p.status === 'approved' ? 'hidden' : p.status;
      if (status === p.status) return p;
      changed = true;
      return { ...p, status };
    });
    if (changed) room.proposals.value = next;
  }

  async function sendProposal(draft) {
    room.proposal.value = { ...draft, state: 'sending' };
    try {
      const card = await post('/api/me/statements', { id: draft.id, prompt_id: draft.prompt_id, text: draft.text }, { token });
      const prompt = room.prompt.value;
      const shown = prompt?.id === card.prompt_id && (prompt.statements || []).some((s) => s.id === card.id);
      const mine = { id: card.id, prompt_id: card.prompt_id, text: card.text, status: shown ? 'approved' : card.status || 'pending' };
      batch(() => {
        room.proposals.value = [...room.proposals.value.filter((p) => p.id !== mine.id), mine];
        room.proposal.value = { ...draft, state: 'sent' };
      });
      return true;
    } catch (error) {
      const retry = PROPOSAL_RETRY.has(error.code) || error.status >= 500;
      room.proposal.value = { ...draft, state: 'error', code: error.code, message: error.message, retry };
      return false;
    }
  }

  // Proposes a statement for the prompt on screen. After a failure that may have reached the
  // server, the same text goes again under the same id.
  function propose(text) {
    const prompt = room.prompt.value;
    const last = room.proposal.value;
    if (!prompt || prompt.kind !== 'statements' || last?.state === 'sending') return Promise.resolve(false);
    const clean = text.trim();
    const again = last?.state === 'error' && last.retry && last.prompt_id === prompt.id && last.text === clean;
    return sendProposal({ id: again ? last.id : uuid(), prompt_id: prompt.id, text: clean });
  }

  // Back online: a proposal that failed on the way is sent again, same id.
  function resendProposal() {
    const last = room.proposal.value;
    const prompt = room.prompt.value;
    if (last?.state === 'error' && last.retry && prompt?.id === last.prompt_id && prompt.state === 'open') {
      sendProposal({ id: last.id, prompt_id: last.prompt_id, text: last.text });
    }
  }

  function leave() {
    if (live) live.close();
    live = null;
  }

  if (token) follow();

  proposers.set(respond, { propose, proposals: room.proposals, proposal: room.proposal });
  return { ...room, join, respond, leave, propose, removeMine };
}
