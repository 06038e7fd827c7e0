// One session in the console: edit while draft, run while live, export when closed.
import { html, useState, useEffect, useCallback } from './html.js';
import { t } from './i18n.js';
import { get, post } from './api.js';
import { Spinner } from './components.js';
import { StateBadge, useConsoleTitle, sessionPath } from './console-common.js';
import { PromptEditor } from './console-editor.js';
import { LiveConsole } from './console-live.js';
import { SessionDetailsForm } from './console-session-form.js';
import { LinkedRound } from './console-round-link.js';

export function SessionPage({ sessionId }) {
  const [session, setSession] = useState(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  useConsoleTitle(session?.title);
  const reload = useCallback(async () => {
    try {
      setSession(await get(sessionPath(sessionId)));
    } catch (failure) {
      setError(failure.message);
    }
  }, [sessionId]);
  useEffect(() => {
    reload();
  }, [reload]);
  if (!session) return error ? html`<p class="error-text" role="alert">${error}</p>` : html`<${Spinner} />`;
  const start = async () => {
    setBusy(true);
    setError('');
    try {
      await post(sessionPath(sessionId, '/start'));
      await reload();
    } catch (failure) {
      setError(failure.message);
    }
    setBusy(false);
  };
  return html`<div class="console-head">
      <h1>${session.title}</h1>
      <${StateBadge} state=${session.state} />
    </div>
    ${session.neighbourhood ? html`<p class="lead">${session.neighbourhood}</p>` : null}
    <${LinkedRound} session=${session} />
    <p class="error-text" role="alert">${error}</p>
    ${session.state === 'draft' ? html`<${SessionDetails} session=${session} reload=${reload} />
      <div class="panel panel--start">
        <p>${t('console.session.start_hint')}</p>
        <button type="button" class="button button--primary" disabled=${busy || !session.prompts?.length}
          onClick=${start}>${t('console.session.start')}</button>
      </div>
      <${Handout} session=${session} />
      <${PromptEditor} session=${session} reload=${reload} />` : null}
    ${session.state === 'live' ? html`<${LiveConsole} session=${session} reload=${reload} />
      <${Handout} session=${session} />
      <${SessionDetails} session=${session} reload=${reload} />
      <details class="panel">
        <summary>${t('console.session.edit_prompts')}</summary>
        <${PromptEditor} session=${session} reload=${reload} />
      </details>` : null}
    ${session.state !== 'draft' ? html`<${Exports} session=${session} />` : null}`;
}

// Closed by default: the page's heading already shows the name and the neighbourhood.
function SessionDetails({ session, reload }) {
  return html`<details class="panel">
    <summary id="session-details-title">${t('console.details.title')}</summary>
    <${SessionDetailsForm} session=${session} reload=${reload} labelledBy="session-details-title" />
  </details>`;
}

// Printable cards with the session's QR code, for letterboxes on a canvassing round. The join
// code exists only while the session is live, so before that the panel says when it can be used.
function Handout({ session }) {
  const live = session.state === 'live';
  return html`<section class="panel handout-panel" aria-labelledby="handout-title">
    <h2 id="handout-title">${t('console.handout.title')}</h2>
    <p>${t('console.handout.what')}</p>
    ${live ? html`<p><a class="button" href=${sessionPath(session.id, '/handout.html')} target="_blank" rel="noopener">${t('console.handout.print')}</a></p>
      <p class="hint">${t('console.handout.live_hint')}</p>`
    : html`<p class="hint">${t('console.handout.draft_hint')}</p>`}
  </section>`;
}

function Exports({ session }) {
  return html`<section class="panel" aria-labelledby="exports-title">
    <h2 id="exports-title">${t('console.exports.title')}</h2>
    <p>${t('console.exports.hint')}</p>
    <ul class="link-list">
      <li><a href=${sessionPath(session.id, '/report.html')} target="_blank" rel="noopener">${t('console.exports.report')}</a></li>
      <li><a href=${sessionPath(session.id, '/export.csv')} download>${t('console.exports.csv')}</a></li>
      <li><a href=${sessionPath(session.id, '/export.json')} download>${t('console.exports.json')}</a></li>
    </ul>
  </section>`;
}
