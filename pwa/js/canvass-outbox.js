// The outbox of one canvasser: every note is stored on the phone first and leaves only when the
// server answered 200 or 201 for it. Syncing happens on open, on `online`, when the app becomes
// visible, after a save, and on request; failures retry with exponential backoff and jitter.
// iOS has no Background Sync, so there is no service-worker sync: the page does it all.
import { signal, computed } from './html.js';
import { get, post, ApiError } from './api.js';
import { t, tn } from './i18n.js';
import { uuid } from './ids.js';
import * as store from './canvass-store.js';

const MAX_NOTES = 200; // the protocol's limit per batch
const MAX_BYTES = 56 * 1024; // the server refuses bodies over 64 KiB
const BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 5 * 60 * 1000;
export const STALE_MS = 24 * 60 * 60 * 1000;
const KEPT_STATUSES = [400, 409, 422]; // the note itself is refused: the canvasser decides

function retryable(error) {
  return error.status === 0 || error.status === 408 || error.status === 429 || error.status >= 500;
}

function needsLogin(error) {
  return error.status === 401 || error.code === 'csrf_failed';
}

// Groups pending notes per round and cuts them into requests the server accepts.
export function batches(records) {
  const byRound = new Map();
  for (const record of records) {
    if (!byRound.has(record.roundId)) byRound.set(record.roundId, []);
    byRound.get(record.roundId).push(record);
  }
  const encoder = new TextEncoder();
  const out = [];
  for (const [roundId, list] of byRound) {
    let chunk = [];
    let bytes = 0;
    for (const record of list) {
      const size = encoder.encode(JSON.stringify({ id: record.id, ...record.note })).length + 1;
      if (chunk.length && (chunk.length >= MAX_NOTES || bytes + size > MAX_BYTES)) {
        out.push({ roundId, records: chunk });
        chunk = [];
        bytes = 0;
      }
      chunk.push(record);
      bytes += size;
    }
    if (chunk.length) out.push({ roundId, records: chunk });
  }
  return out;
}

export function createOutbox(uid) {
  const records = signal([]);
  const loaded = signal(false);
  const lastSync = signal(null);
  const syncing = signal(false);
  const loginNeeded = signal(null); // null, 'expired' or 'other_user'
  const online = signal(navigator.onLine !== false);
  const message = signal(''); // the latest sync event, for the polite status line
  const pending = computed(() => records.value.filter((r) => r.state === 'pending'));
  const failed = computed(() => records.value.filter((r) => r.state === 'failed'));
  const oldest = computed(() => records.value.reduce((min, r) => Math.min(min, r.created_at), Infinity));

  let attempt = 0;
  let timer = null;
  let running = null;
  let again = false;
  let closed = false;

  async function reload() {
    records.value = await store.outboxOf(uid);
  }

  async function load() {
    const profile = await store.loadProfile(uid);
    lastSync.value = profile.lastSync;
    await reload();
    loaded.value = true;
  }

  function retryLater(retryAfterSeconds) {
    clearTimeout(timer);
    if (closed) return;
    const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
    attempt += 1;
    // Full jitter: a team of canvassers coming back online must not retry in one wave.
    let delay = Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
    const asked = Number(retryAfterSeconds);
    if (Number.isFinite(asked) && asked > 0) delay = Math.max(delay, asked * 1000);
    timer = setTimeout(() => sync(), delay);
  }

  async function sendBatch({ roundId, records: chunk }) {
    const answer = await post(`/api/rounds/${encodeURIComponent(roundId)}/notes:batch`, {
      notes: chunk.map((r) => ({ id: r.id, ...r.note })),
    });
    const results = Array.isArray(answer?.results) ? answer.results : [];
    const sent = [];
    const refused = [];
    let unsure = 0;
    let redacted = 0;
    chunk.forEach((record, index) => {
      const result = results[index];
      if (!result || (result.id != null && result.id !== record.id)) {
        unsure += 1; // no answer for this note: it stays and goes again
      } else if (result.status === 200 || result.status === 201) {
        sent.push(record.id);
        if (result.redactions?.length) redacted += 1;
      } else if (KEPT_STATUSES.includes(result.status)) {
        refused.push({ id: record.id, error: { status: result.status, code: result.code || null, detail: result.detail || null } });
      } else {
        unsure += 1;
      }
    });
    await store.settle(sent, refused);
    return { sent: sent.length, refused: refused.length, unsure, redacted };
  }

  // The session cookie decides whose notes these become on the server: never send one
  // person's notes while someone else is logged in (another tab, a shared phone).
  async function checkUser() {
    const me = await get('/api/auth/me');
    if (me?.user?.id !== uid) throw new ApiError(401, 'other_user', '');
  }

  // Returns true when syncing must stop for now (it resumes by itself or after a login).
  async function handleFailure(error, chunk, total) {
    if (needsLogin(error)) {
      // nothing is lost: it all goes once the canvasser has logged in again
      loginNeeded.value = error.code === 'other_user' ? 'other_user' : 'expired';
      return true;
    }
    if (retryable(error) || !chunk) {
      message.value = error.status === 0 ? t('canvass.outbox.retry_network') : t('canvass.outbox.retry');
      retryLater(error.retryAfter);
      return true;
    }
    // The whole request was refused (e.g. the round no longer exists): every note in it
    // stays, marked, for the canvasser to decide.
    const refusal = { status: error.status, code: error.code, detail: null };
    await store.settle([], chunk.records.map((r) => ({ id: r.id, error: refusal })));
    total.refused += chunk.records.length;
    return false;
  }

  async function syncOnce() {
    await reload();
    const work = batches(pending.value);
    const total = { sent: 0, refused: 0, redacted: 0, stopped: false };
    if (!work.length) return total;
    try {
      await checkUser();
    } catch (error) {
      total.stopped = await handleFailure(error, null, total);
      return total;
    }
    loginNeeded.value = null;
    for (const chunk of work) {
      try {
        const done = await sendBatch(chunk);
        total.sent += done.sent;
        total.refused += done.refused;
        total.redacted += done.redacted;
        const now = Date.now();
        lastSync.value = now;
        await store.updateProfile(uid, () => ({ lastSync: now }));
        if (done.unsure) {
          total.stopped = true;
          retryLater();
        }
      } catch (error) {
        if (await handleFailure(error, chunk, total)) {
          total.stopped = true;
          break;
        }
      }
    }
    await reload();
    if (!total.stopped) attempt = 0;
    return total;
  }

  async function sync({ manual = false } = {}) {
    if (closed) return;
    if (!manual && navigator.onLine === false) return;
    if (running) {
      again = true;
      return running;
    }
    clearTimeout(timer);
    syncing.value = true;
    running = (async () => {
      try {
        let total;
        do {
          again = false;
          total = await syncOnce();
          announce(total, manual);
        } while (again && !total.stopped);
      } catch (_) {
        message.value = t('canvass.outbox.retry');
        retryLater();
      } finally {
        syncing.value = false;
        running = null;
      }
    })();
    return running;
  }

  function announce(total, manual) {
    const parts = [];
    if (total.sent) parts.push(tn('canvass.outbox.sent', total.sent));
    if (total.redacted) parts.push(tn('canvass.outbox.redacted', total.redacted));
    if (total.refused) parts.push(tn('canvass.outbox.refused', total.refused));
    if (parts.length) message.value = parts.join(' ');
    else if (manual && !total.stopped && !pending.value.length) message.value = t('canvass.outbox.nothing');
  }

  async function add(roundId, note) {
    const record = { id: uuid(), uid, roundId, note, created_at: Date.now(), state: 'pending', error: null };
    await store.putNote(record);
    await reload();
    askToKeepStorage();
    if (navigator.onLine !== false) sync();
    return record;
  }

  // A fixed note goes back into the outbox. After `note_conflict` its id is taken on the
  // server by other content, so it gets a new id; otherwise the id stays.
  async function resubmit(old, roundId, note) {
    const id = old.error?.code === 'note_conflict' ? uuid() : old.id;
    const record = { ...old, id, roundId, note, state: 'pending', error: null };
    await store.replaceNote(old.id, record);
    await reload();
    if (navigator.onLine !== false) sync();
    return record;
  }

  async function discard(id) {
    await store.deleteNote(id);
    await reload();
  }

  const onOnline = () => {
    online.value = true;
    attempt = 0;
    sync();
  };
  const onOffline = () => {
    online.value = false;
    clearTimeout(timer);
  };
  const onVisible = () => {
    if (document.visibilityState === 'visible') sync();
  };
  window.addEventListener('online', onOnline);
  window.addEventListener('offline', onOffline);
  document.addEventListener('visibilitychange', onVisible);

  function close() {
    closed = true;
    clearTimeout(timer);
    window.removeEventListener('online', onOnline);
    window.removeEventListener('offline', onOffline);
    document.removeEventListener('visibilitychange', onVisible);
  }

  // Without IndexedDB (a private window on an old browser) notes cannot be kept: say so.
  const ready = load().then(() => sync(), () => {
    loaded.value = true;
    message.value = t('canvass.outbox.no_storage');
  });

  return {
    uid, records, loaded, pending, failed, oldest, lastSync, syncing, loginNeeded, online, message,
    ready, sync, add, resubmit, discard, reload, close,
    find: (id) => records.value.find((r) => r.id === id),
  };
}

let persistAsked = false;

// Chrome and Firefox may then keep the outbox even when the phone runs low on storage.
function askToKeepStorage() {
  if (persistAsked || !navigator.storage?.persist) return;
  persistAsked = true;
  navigator.storage.persist().catch(() => {});
}
