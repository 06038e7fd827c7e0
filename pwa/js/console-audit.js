// The audit log (organisation admins): who did what, on which session or round, when.
// Ids and action words only; the titles and names are looked up by the server.
import { html, useState, useEffect, useRef } from './html.js';
import { t, lang } from './i18n.js';
import { get } from './api.js';
import { onLinkClick } from './router.js';
import { Spinner, Status } from './components.js';
import { useConsoleTitle } from './console-common.js';
import { roundPage } from './console-round-common.js';

const PAGE = 100;

function formatMoment(value) {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(lang.value, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

function actionLabel(entry) {
  const key = `audit.action.${entry.action}`;
  const text = t(key);
  return text === key ? entry.action : text;
}

function About({ entry }) {
  if (entry.session_id) {
    return html`<a href=${`/console/sessions/${encodeURIComponent(entry.session_id)}`} onClick=${onLinkClick}>
      ${entry.session_title || entry.session_id}</a>`;
  }
  if (entry.round_id) {
    return html`<a href=${roundPage(entry.round_id)} onClick=${onLinkClick}>${entry.round_title || entry.round_id}</a>`;
  }
  if (entry.target_id) {
    const what = entry.action === 'user_added' ? 'audit.about.user' : 'audit.about.token';
    return html`<span>${t(what, { name: entry.target_name || entry.target_id })}</span>`;
  }
  return html`<span class="muted">–</span>`;
}

export function AuditScreen({ user }) {
  useConsoleTitle(t('audit.title'));
  const admin = user?.role === 'admin';
  const [entries, setEntries] = useState(null);
  const [more, setMore] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [status, setStatus] = useState('');
  const table = useRef(null);
  const load = async (before) => {
    setBusy(true);
    setError('');
    try {
      const query = before ? `?limit=${PAGE}&before=${encodeURIComponent(before)}` : `?limit=${PAGE}`;
      const page = await get(`/api/audit${query}`);
      setEntries((shown) => (before && shown ? [...shown, ...page] : page));
      setMore(page.length === PAGE);
      if (before) setStatus(t('audit.more_loaded', { n: page.length }));
    } catch (failure) {
      setError(failure.message);
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    if (admin) load(null);
  }, [admin]);
  const loadMore = () => {
    if (entries && entries.length) load(entries[entries.length - 1].id);
  };
  return html`<h1>${t('audit.title')}</h1>
    <p class="lead">${t('audit.intro')}</p>
    ${!admin ? html`<p class="hint">${t('audit.admins_only')}</p>` : null}
    <p class="error-text" role="alert">${error}</p>
    ${admin && entries === null && !error ? html`<${Spinner} />` : null}
    ${entries && !entries.length ? html`<p>${t('audit.empty')}</p>` : null}
    ${entries && entries.length ? html`<div class="table-scroll" role="region" aria-labelledby="audit-caption" tabindex="0" ref=${table}>
      <table class="round-table audit-table">
        <caption id="audit-caption">${t('audit.caption')}</caption>
        <thead><tr>
          <th scope="col">${t('audit.when')}</th>
          <th scope="col">${t('audit.who')}</th>
          <th scope="col">${t('audit.what')}</th>
          <th scope="col">${t('audit.about')}</th>
        </tr></thead>
        <tbody>${entries.map((entry) => html`<tr key=${entry.id}>
          <td class="round-table__day"><time datetime=${entry.created_at}>${formatMoment(entry.created_at)}</time></td>
          <td>${entry.user_name || html`<span class="muted">${t('audit.cli')}</span>`}</td>
          <td>${actionLabel(entry)}</td>
          <td><${About} entry=${entry} /></td>
        </tr>`)}</tbody>
      </table>
    </div>` : null}
    ${more ? html`<p><button type="button" class="button" disabled=${busy} onClick=${loadMore}>${t('audit.more')}</button></p>` : null}
    <${Status} message=${status} />`;
}
