// One canvassing round for its organisers: figures per area, export, edit, close,
// the dialogue sessions linked to its areas and the latest notes.
import { html, useState, useEffect, useCallback, useRef } from './html.js';
import { t, tn } from './i18n.js';
import { get, post } from './api.js';
import { onLinkClick } from './router.js';
import { ErrorText, Spinner, Status } from './components.js';
import { StateBadge, useConsoleTitle, formatDate, sessionPath } from './console-common.js';
import { RoundStateBadge, roundPath } from './console-round-common.js';
import { RoundDates } from './console-rounds.js';
import { RoundForm } from './console-round-form.js';
import { RoundSummary } from './console-round-summary.js';
import { LatestNotes } from './console-round-notes.js';

function useRound(roundId) {
  const [data, setData] = useState(null);
  const [error, setError] = useState('');
  const load = useCallback(async () => {
    try {
      const [round, summary, notes] = await Promise.all([
        get(roundPath(roundId)), get(roundPath(roundId, '/summary')), get(roundPath(roundId, '/notes')),
      ]);
      setData({ round, summary, notes });
      setError('');
    } catch (failure) {
      setError(failure.message);
    }
  }, [roundId]);
  useEffect(() => {
    load();
  }, [load]);
  return [data, error, load];
}

function CloseDialog({ round, onConfirm, onCancel, busy }) {
  const ref = useRef(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    // Start on "cancel": closing cannot be undone, so Enter must not do it by accident.
    dialog?.querySelector('.round-dialog__cancel')?.focus();
    return () => dialog?.open && dialog.close();
  }, []);
  return html`<dialog ref=${ref} class="round-dialog" aria-labelledby="close-round-title" aria-describedby="close-round-text"
      onCancel=${(event) => { event.preventDefault(); onCancel(); }}>
    <h2 id="close-round-title">${t('rounds.close.title', { title: round.title })}</h2>
    <p id="close-round-text">${t('rounds.close.text')}</p>
    <div class="button-row">
      <button type="button" class="button button--danger" disabled=${busy} onClick=${onConfirm}>${t('rounds.close.yes')}</button>
      <button type="button" class="button round-dialog__cancel" onClick=${onCancel}>${t('common.cancel')}</button>
    </div>
  </dialog>`;
}

function ExportLink({ round, admin }) {
  const [names, setNames] = useState(false);
  const href = roundPath(round.id, names ? '/export.csv?canvasser=true' : '/export.csv');
  return html`<div class="round-export">
    <a class="button" href=${href} download>${t('rounds.export.csv')}</a>
    ${admin ? html`<div class="round-export__names">
      <div class="field field--check">
        <input type="checkbox" id="round-export-names" checked=${names} aria-describedby="round-export-names-hint"
          onChange=${(e) => setNames(e.currentTarget.checked)} />
        <label for="round-export-names">${t('rounds.export.names')}</label>
      </div>
      <p class="hint" id="round-export-names-hint">${t('rounds.export.names_hint')}</p>
    </div>` : null}
  </div>`;
}

function LinkedSessions({ sessions }) {
  return html`<section class="panel" aria-labelledby="round-sessions-title">
    <h2 id="round-sessions-title">${t('rounds.sessions.title')}</h2>
    ${sessions.length ? html`<ul class="session-list">
      ${sessions.map((s) => html`<li class="session-list__item" key=${s.id}>
        <a class="session-list__link" href=${`/console/sessions/${encodeURIComponent(s.id)}`} onClick=${onLinkClick}>${s.title}</a>
        <span class="session-list__meta">
          <${StateBadge} state=${s.state} />
          <span>${t('rounds.sessions.area', { area: s.area })}</span>
          ${s.state === 'live' && s.code ? html`<span>${t('console.sessions.code', { code: s.code })}</span>
            <a href=${sessionPath(s.id, '/handout.html')} target="_blank" rel="noopener">${t('rounds.sessions.handout', { title: s.title })}</a>` : null}
        </span>
      </li>`)}
    </ul>` : html`<p>${t('rounds.sessions.empty')}</p>`}
    <p><a href="/console" onClick=${onLinkClick}>${t('rounds.sessions.new')}</a></p>
  </section>`;
}

export function RoundPage({ roundId, user }) {
  const [data, loadError, reload] = useRound(roundId);
  const [editing, setEditing] = useState(false);
  const [closing, setClosing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [status, setStatus] = useState('');
  const heading = useRef(null);
  const closeButton = useRef(null);
  useConsoleTitle(data?.round.title);
  if (!data) return loadError ? html`<p class="error-text" role="alert">${loadError}</p>` : html`<${Spinner} />`;
  const { round, summary, notes } = data;
  const open = round.state === 'open';
  const close = async () => {
    setBusy(true);
    setError('');
    try {
      await post(roundPath(round.id, '/close'));
      await reload();
      setClosing(false);
      setEditing(false);
      setStatus(t('rounds.close.done'));
      heading.current?.focus();
    } catch (failure) {
      setClosing(false);
      setError(failure.message);
    }
    setBusy(false);
  };
  const cancelClose = () => {
    setClosing(false);
    closeButton.current?.focus();
  };
  const saved = async (_round, message) => {
    setEditing(false);
    setStatus(message);
    await reload();
  };
  const refresh = async () => {
    setStatus('');
    await reload();
    setStatus(t('rounds.refreshed'));
  };
  return html`<div class="console-head">
      <h1 tabindex="-1" ref=${heading}>${round.title}</h1>
      <${RoundStateBadge} state=${round.state} />
    </div>
    <p class="session-list__meta round-meta">
      <${RoundDates} round=${round} />
      <span>${tn('rounds.list.areas', round.areas.length)}</span>
      <span>${tn('rounds.list.notes', round.notes)}</span>
    </p>
    ${open ? null : html`<p class="banner banner--closed">${t('rounds.closed_banner', { date: formatDate(round.closed_at) })}</p>`}
    <div class="round-toolbar">
      <${ExportLink} round=${round} admin=${user?.role === 'admin'} />
      <div class="button-row">
        <button type="button" class="button" onClick=${refresh}>${t('rounds.refresh')}</button>
        ${open && !editing ? html`<button type="button" class="button" onClick=${() => { setStatus(''); setEditing(true); }}>${t('rounds.edit')}</button>` : null}
        ${open ? html`<button type="button" class="button button--danger" ref=${closeButton}
          onClick=${() => { setStatus(''); setClosing(true); }}>${t('rounds.close.button')}</button>` : null}
      </div>
    </div>
    <${Status} message=${status} className="status--saved" />
    <${ErrorText} message=${error || loadError} />
    ${closing ? html`<${CloseDialog} round=${round} busy=${busy} onConfirm=${close} onCancel=${cancelClose} />` : null}
    ${editing ? html`<${RoundForm} round=${round} onSaved=${saved} onCancel=${() => setEditing(false)} />` : null}
    <${RoundSummary} key=${summary.notes} round=${round} summary=${summary} />
    <${LinkedSessions} sessions=${round.sessions || []} />
    <${LatestNotes} notes=${notes} shownAreas=${summary.areas.map((area) => area.area)} />`;
}
