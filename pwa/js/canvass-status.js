// What the canvasser must always see: online or not, how many notes wait, when the last sync
// was; the warning about notes older than a day; and the notes the server refused.
import { html, useState } from './html.js';
import { t, tn, has } from './i18n.js';
import { errorMessage } from './api.js';
import { STALE_MS } from './canvass-outbox.js';
import { label, formatDay, formatTime, formatDate, localDay, useClock } from './canvass-labels.js';

export const LOGIN_AGAIN = '/login?next=/canvass';

function lastSyncText(lastSync, now) {
  if (!lastSync) return t('canvass.outbox.never');
  if (localDay(new Date(lastSync)) === localDay(now)) return t('canvass.outbox.last_sync', { time: formatTime(lastSync) });
  return t('canvass.outbox.last_sync_day', { date: formatDate(lastSync), time: formatTime(lastSync) });
}

export function OutboxPanel({ outbox }) {
  const now = useClock();
  const unsent = outbox.records.value.length;
  const online = outbox.online.value;
  const busy = outbox.syncing.value;
  return html`<section class="outbox" aria-labelledby="outbox-title">
    <h2 class="sr-only" id="outbox-title">${t('canvass.outbox.title')}</h2>
    <div class="outbox__main">
      <div class="outbox__lines">
        <p class=${`outbox__net outbox__net--${online ? 'online' : 'offline'}`}>
          <span class="outbox__dot" aria-hidden="true"></span>${online ? t('canvass.outbox.online') : t('canvass.outbox.offline')}</p>
        <p class="outbox__count" data-unsent=${unsent}><strong>${tn('canvass.outbox.unsent', unsent)}</strong></p>
        <p class="outbox__last">${lastSyncText(outbox.lastSync.value, now)}</p>
      </div>
      <button type="button" class="button button--small outbox__send" disabled=${busy}
        onClick=${() => outbox.sync({ manual: true })}>${busy ? t('canvass.outbox.sending') : t('canvass.outbox.send_now')}</button>
    </div>
    ${online ? null : html`<p class="outbox__hint">${t('canvass.outbox.offline_text')}</p>`}
    <p class="status outbox__message" role="status">${outbox.message.value}</p>
    ${outbox.loginNeeded.value ? html`<p class="banner banner--warning outbox__login">
      ${outbox.loginNeeded.value === 'other_user' ? t('canvass.outbox.other_user') : t('canvass.outbox.login')} <a href=${LOGIN_AGAIN}>${t('canvass.outbox.login_link')}</a></p>` : null}
  </section>`;
}

// iOS keeps no Background Sync and may wipe a site's storage after 7 days unused.
export function StaleWarning({ outbox }) {
  const now = useClock();
  if (!outbox.records.value.length || now.getTime() - outbox.oldest.value < STALE_MS) return null;
  return html`<section class="stale-warning" aria-labelledby="stale-title">
    <h2 id="stale-title" class="stale-warning__title"><span aria-hidden="true">⚠ </span>${t('canvass.stale.title')}</h2>
    <p>${t('canvass.stale.text')}</p>
    <button type="button" class="button button--primary" disabled=${outbox.syncing.value}
      onClick=${() => outbox.sync({ manual: true })}>${t('canvass.outbox.send_now')}</button>
  </section>`;
}

// Why the server refused a note: a canvassing sentence where the general one does not fit.
export function refusalText(code) {
  return has(`canvass.error.${code}`) ? t(`canvass.error.${code}`) : errorMessage(code);
}

// The server's 422 reasons are stable English (server/samenspraak/canvass.py): the common
// ones get a sentence saying what to change; anything else is shown as the server wrote it.
const REASONS = [
  [/^area is not one of/, 'canvass.reason.area'],
  [/^day is (before the round starts|after the round ends)/, 'canvass.reason.dates'],
  [/^day lies in the future/, 'canvass.reason.future'],
  [/^topics: /, 'canvass.reason.topic'],
  [/^text is longer than/, 'canvass.reason.text'],
];

function reasonText(detail) {
  const known = REASONS.find(([pattern]) => pattern.test(detail));
  return known ? t(known[1]) : t('canvass.problems.detail', { detail });
}

function describe(record, rounds) {
  const note = record.note;
  const round = rounds.find((r) => r.id === record.roundId);
  return [round?.title, note.area, `${formatDay(note.day)} · ${label('part', note.part_of_day)}`, label('outcome', note.outcome)]
    .filter(Boolean).join(' — ');
}

function Problem({ record, rounds, onFix, onDiscard }) {
  const [confirming, setConfirming] = useState(false);
  const error = record.error || {};
  const titleId = `problem-${record.id}`;
  const discard = async () => {
    await onDiscard(record.id);
  };
  const ask = () => {
    setConfirming(true);
    requestAnimationFrame(() => document.getElementById(`${titleId}-confirm`)?.focus());
  };
  const keep = () => {
    setConfirming(false);
    requestAnimationFrame(() => document.getElementById(`${titleId}-discard`)?.focus());
  };
  return html`<li class="problem" aria-labelledby=${titleId}>
    <p class="problem__what" id=${titleId}>${describe(record, rounds)}</p>
    ${record.note.text ? html`<p class="problem__text">${record.note.text}</p>` : null}
    <p class="problem__error"><span class="badge badge--error">${t('canvass.problems.badge')}</span> ${refusalText(error.code)}</p>
    ${error.detail && error.detail !== error.code ? html`<p class="problem__detail">${reasonText(error.detail)}</p>` : null}
    ${confirming ? html`<div class="confirm" role="group" aria-labelledby=${`${titleId}-confirm`}>
      <p id=${`${titleId}-confirm`} tabindex="-1">${t('canvass.problems.confirm')}</p>
      <div class="button-row">
        <button type="button" class="button button--danger" onClick=${discard}>${t('canvass.problems.confirm_yes')}</button>
        <button type="button" class="button" onClick=${keep}>${t('canvass.problems.confirm_no')}</button>
      </div>
    </div>` : html`<div class="button-row">
      <button type="button" class="button" onClick=${() => onFix(record)}>${t('canvass.problems.fix')}</button>
      <button type="button" class="button button--quiet" id=${`${titleId}-discard`} onClick=${ask}>${t('canvass.problems.discard')}</button>
    </div>`}
  </li>`;
}

export function ProblemList({ outbox, rounds, onFix }) {
  const failed = outbox.failed.value;
  if (!failed.length) return null;
  const discard = async (id) => {
    await outbox.discard(id);
    outbox.message.value = t('canvass.problems.discarded');
    document.getElementById('problems-title')?.focus();
  };
  return html`<section class="problems" aria-labelledby="problems-title">
    <h2 id="problems-title" tabindex="-1">${tn('canvass.problems.title', failed.length)}</h2>
    <p>${t('canvass.problems.intro')}</p>
    <ul class="problems__list">
      ${failed.map((record) => html`<${Problem} key=${record.id} record=${record} rounds=${rounds} onFix=${onFix} onDiscard=${discard} />`)}
    </ul>
  </section>`;
}
