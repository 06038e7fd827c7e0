// The organisation's canvassing rounds, and the form that starts a new one.
import { html, useState, useEffect, useCallback } from './html.js';
import { t, tn } from './i18n.js';
import { get } from './api.js';
import { onLinkClick } from './router.js';
import { Spinner, Status } from './components.js';
import { useConsoleTitle, formatDay } from './console-common.js';
import { RoundStateBadge, roundPage } from './console-round-common.js';
import { RoundForm } from './console-round-form.js';

export function RoundDates({ round }) {
  if (round.starts_on && round.ends_on) {
    return html`<span>${t('rounds.dates.range', { from: formatDay(round.starts_on), to: formatDay(round.ends_on) })}</span>`;
  }
  if (round.starts_on) return html`<span>${t('rounds.dates.from', { from: formatDay(round.starts_on) })}</span>`;
  if (round.ends_on) return html`<span>${t('rounds.dates.until', { to: formatDay(round.ends_on) })}</span>`;
  return html`<span>${t('rounds.dates.none')}</span>`;
}

function EmptyRounds() {
  return html`<div class="panel round-empty">
    <h2>${t('rounds.empty.title')}</h2>
    <p>${t('rounds.empty.what')}</p>
    <p>${t('rounds.empty.privacy')}</p>
    <p>${t('rounds.empty.next')}</p>
  </div>`;
}

export function RoundList() {
  const [rounds, setRounds] = useState(null);
  const [error, setError] = useState('');
  const [creating, setCreating] = useState(false);
  const [status, setStatus] = useState('');
  useConsoleTitle(t('rounds.title'));
  const load = useCallback(() => get('/api/rounds').then(setRounds).catch((failure) => setError(failure.message)), []);
  useEffect(() => {
    load();
  }, [load]);
  const created = async (round, message) => {
    setCreating(false);
    setStatus(message);
    await load();
    document.getElementById(`round-link-${round.id}`)?.focus();
  };
  return html`<div class="console-head">
      <h1>${t('rounds.title')}</h1>
      ${creating ? null : html`<button type="button" class="button button--primary"
        onClick=${() => { setStatus(''); setCreating(true); }}>${t('rounds.new')}</button>`}
    </div>
    <p class="lead">${t('rounds.intro')}</p>
    ${creating ? html`<${RoundForm} onSaved=${created} onCancel=${() => setCreating(false)} />` : null}
    <${Status} message=${status} className="status--saved" />
    <p class="error-text" role="alert">${error}</p>
    ${rounds === null && !error ? html`<${Spinner} />` : null}
    ${rounds && !rounds.length && !creating ? html`<${EmptyRounds} />` : null}
    ${rounds && rounds.length ? html`<ul class="session-list round-list">
      ${rounds.map((round) => html`<li class="session-list__item round-list__item" key=${round.id}>
        <a class="session-list__link" id=${`round-link-${round.id}`} href=${roundPage(round.id)} onClick=${onLinkClick}>${round.title}</a>
        <span class="session-list__meta">
          <${RoundStateBadge} state=${round.state} />
          <${RoundDates} round=${round} />
          <span>${tn('rounds.list.areas', round.areas.length)}</span>
          <span>${tn('rounds.list.notes', round.notes)}</span>
        </span>
      </li>`)}
    </ul>` : null}`;
}
