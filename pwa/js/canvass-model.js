// The canvassing app's state: who is logged in (or was, when offline), their rounds and choice,
// and their outbox. Works from IndexedDB alone after one online visit.
import { signal } from './html.js';
import { get } from './api.js';
import * as store from './canvass-store.js';
import { createOutbox } from './canvass-outbox.js';
import { keepQrCodes, liveSessions } from './canvass-qr.js';

// Signed-in user: online from /api/auth/me; offline (or the server unreachable) the last user
// of this phone. A 401 with a known last user keeps the app working; sending waits for login.
async function whoIsThis() {
  const cached = await store.currentUid();
  try {
    const me = await get('/api/auth/me');
    await store.setCurrentUid(me.user.id);
    await store.updateProfile(me.user.id, () => ({ user: me.user }));
    return { user: me.user, reached: true };
  } catch (error) {
    const profile = cached ? await store.loadProfile(cached) : null;
    if (profile?.user) return { user: profile.user, reached: error.status !== 0, loginNeeded: error.status === 401 };
    return { user: null, error };
  }
}

export function createCanvass() {
  const model = {
    phase: signal('loading'), // loading | ready | login | failed
    failure: signal(null),
    user: signal(null),
    profile: signal(null),
    outbox: signal(null),
    roundClosed: signal(null), // a remembered round found closed at start: its title ('' when gone)
  };

  async function refreshRounds({ atStart = false } = {}) {
    const uid = model.user.value?.id;
    if (!uid) return;
    let rounds;
    try {
      rounds = await get('/api/rounds');
    } catch (_) {
      return; // offline or server trouble: the cached rounds stay in use
    }
    let profile = await store.updateProfile(uid, () => ({ rounds }));
    const choice = profile.choice;
    const chosen = choice && rounds.find((r) => r.id === choice.roundId);
    if (choice && atStart && (!chosen || chosen.state !== 'open' || !chosen.areas.includes(choice.area))) {
      model.roundClosed.value = chosen?.title || '';
      profile = await store.updateProfile(uid, () => ({ choice: null }));
    } else if (chosen) {
      profile = (await refreshRound(chosen.id)) || profile;
    }
    model.profile.value = profile;
  }

  // One round with its linked sessions (for the QR codes at the door).
  async function refreshRound(roundId) {
    const uid = model.user.value?.id;
    try {
      const round = await get(`/api/rounds/${encodeURIComponent(roundId)}`);
      const profile = await store.updateProfile(uid, (before) => ({ details: { ...before.details, [roundId]: round } }));
      const area = profile.choice?.area;
      if (area) keepQrCodes(liveSessions(round, area));
      return profile;
    } catch (_) {
      return null;
    }
  }

  async function choose(roundId, area) {
    const uid = model.user.value.id;
    model.roundClosed.value = null;
    model.profile.value = await store.updateProfile(uid, () => ({ choice: { roundId, area } }));
    const refreshed = await refreshRound(roundId);
    if (refreshed) model.profile.value = refreshed;
  }

  async function start() {
    const found = await whoIsThis();
    if (!found.user) {
      if (found.error?.status === 401) model.phase.value = 'login';
      else {
        model.failure.value = found.error;
        model.phase.value = 'failed';
      }
      return;
    }
    model.user.value = found.user;
    model.profile.value = await store.loadProfile(found.user.id);
    const outbox = createOutbox(found.user.id);
    if (found.loginNeeded) outbox.loginNeeded.value = 'expired';
    model.outbox.value = outbox;
    if (found.reached) await refreshRounds({ atStart: true });
    model.phase.value = 'ready';
  }

  const onBack = () => {
    if (document.visibilityState === 'visible') refreshRounds();
  };
  const onOnline = () => refreshRounds();
  window.addEventListener('online', onOnline);
  document.addEventListener('visibilitychange', onBack);

  // Logging out forgets who was here; their notes stay on the phone, keyed by their id.
  async function forget() {
    await store.setCurrentUid(null);
  }

  function close() {
    window.removeEventListener('online', onOnline);
    document.removeEventListener('visibilitychange', onBack);
    model.outbox.value?.close();
  }

  start().catch((error) => {
    model.failure.value = error;
    model.phase.value = 'failed';
  });
  return { ...model, choose, refreshRounds, forget, close };
}

// The round as last seen: the list entry (state, topics) with the linked sessions of its detail.
export function roundOf(profile, roundId) {
  if (!profile || !roundId) return null;
  const listed = profile.rounds.find((r) => r.id === roundId);
  const detail = profile.details?.[roundId];
  if (!listed && !detail) return null;
  return { ...detail, ...listed, sessions: detail?.sessions || [] };
}
