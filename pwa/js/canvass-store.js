// The canvasser's phone storage (IndexedDB): who was logged in last, each user's rounds and
// choice, and each user's outbox of notes. Everything is keyed by user id, so a second person
// on the same phone never sees the first person's notes; those wait until their owner is back.
import { openDB } from '../vendor/idb.js';

const DB_NAME = 'samenspraak-canvass';
const CURRENT = 'current-user';

let opened = null;

function db() {
  if (!opened) {
    opened = openDB(DB_NAME, 1, {
      upgrade(database) {
        // profile: {uid, user, rounds, details: {roundId: Round with sessions}, choice, lastSync}
        database.createObjectStore('profile', { keyPath: 'uid' });
        // outbox: {id, uid, roundId, note, created_at (ms), state: pending|failed, error}
        const outbox = database.createObjectStore('outbox', { keyPath: 'id' });
        outbox.createIndex('uid', 'uid');
        database.createObjectStore('meta');
      },
      // A newer version of the app in another tab wants to upgrade: step aside, reopen later.
      blocking() {
        opened?.then((database) => database.close());
        opened = null;
      },
    });
  }
  return opened;
}

export async function currentUid() {
  return (await db()).get('meta', CURRENT);
}

export async function setCurrentUid(uid) {
  const database = await db();
  if (uid) await database.put('meta', uid, CURRENT);
  else await database.delete('meta', CURRENT);
}

export async function loadProfile(uid) {
  return (await (await db()).get('profile', uid)) || { uid, user: null, rounds: [], details: {}, choice: null, lastSync: null };
}

// Read-modify-write in one transaction, so two quick updates cannot undo each other.
export async function updateProfile(uid, change) {
  const tx = (await db()).transaction('profile', 'readwrite');
  const before = (await tx.store.get(uid)) || { uid, user: null, rounds: [], details: {}, choice: null, lastSync: null };
  const after = { ...before, ...change(before), uid };
  await tx.store.put(after);
  await tx.done;
  return after;
}

export async function outboxOf(uid) {
  const records = await (await db()).getAllFromIndex('outbox', 'uid', uid);
  return records.sort((a, b) => a.created_at - b.created_at);
}

export async function putNote(record) {
  await (await db()).put('outbox', record);
}

export async function getNote(id) {
  return (await db()).get('outbox', id);
}

export async function deleteNote(id) {
  await (await db()).delete('outbox', id);
}

// Replaces one record by another in one step (a fixed note may get a new id).
export async function replaceNote(oldId, record) {
  const tx = (await db()).transaction('outbox', 'readwrite');
  if (oldId !== record.id) await tx.store.delete(oldId);
  await tx.store.put(record);
  await tx.done;
}

// Applies a batch's answer: sent notes leave, refused notes stay with their error.
export async function settle(sentIds, failed) {
  const tx = (await db()).transaction('outbox', 'readwrite');
  for (const id of sentIds) await tx.store.delete(id);
  for (const { id, error } of failed) {
    const record = await tx.store.get(id);
    if (record) await tx.store.put({ ...record, state: 'failed', error });
  }
  await tx.done;
}
