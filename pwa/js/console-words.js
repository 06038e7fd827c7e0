// The word cloud's filter in the console: held-back words of a words prompt (a facilitator
// shows one anyway), and the organisation's own list (admins).
import { html, useState, useEffect, useRef } from './html.js';
import { t, tn } from './i18n.js';
import { get, post, put } from './api.js';
import { Status, useTitle } from './components.js';
import { sessionPath } from './console-common.js';

export function HeldWords({ session, prompt, pending }) {
  const [words, setWords] = useState(null);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const heading = useRef(null);
  const path = sessionPath(session.id, `/prompts/${encodeURIComponent(prompt.id)}/held-words`);
  useEffect(() => {
    get(path).then(setWords).catch((failure) => setError(failure.message));
  }, [pending, prompt.id]);
  const approve = async (word) => {
    setError('');
    setDone('');
    try {
      setWords(await post(`${path}/approve`, { word }));
      setDone(t('console.words.approved', { word }));
      heading.current?.focus(); // the pressed button is gone with its word
    } catch (failure) {
      setError(failure.message);
    }
  };
  const id = `held-${prompt.id}`;
  return html`<section class="moderation" aria-labelledby=${id}>
    <h3 id=${id} tabindex="-1" ref=${heading}>${t('console.words.title')} <span class="muted">(${words ? words.length : '…'})</span></h3>
    <p class="hint">${t('console.words.hint')}</p>
    <p class="error-text" role="alert">${error}</p>
    <p class="status" role="status">${done}</p>
    ${words && !words.length ? html`<p class="muted">${t('console.words.empty')}</p>` : null}
    ${words && words.length ? html`<ul class="moderation__list">
      ${words.map((w) => html`<li class="card-note moderation__card" key=${w.word}>
        <p class="card-note__text">${w.word} <span class="muted">(${tn('console.words.count', w.count)})</span></p>
        <div class="button-row">
          <button type="button" class="button button--small" aria-label=${t('console.words.approve_label', { word: w.word })}
            onClick=${() => approve(w.word)}>${t('console.words.approve')}</button>
        </div>
      </li>`)}
    </ul>` : null}
  </section>`;
}

const lines = (text) => text.split('\n').map((line) => line.trim()).filter(Boolean);

export function WordFilterScreen({ user }) {
  useTitle(t('console.filter.title'));
  const admin = user?.role === 'admin';
  const [state, setState] = useState(null);
  const [added, setAdded] = useState('');
  const [allowed, setAllowed] = useState('');
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);
  const show = (found) => {
    setState(found);
    setAdded(found.added.join('\n'));
    setAllowed(found.allowed.join('\n'));
  };
  useEffect(() => {
    get('/api/word-filter').then(show).catch((failure) => setError(failure.message));
  }, []);
  const save = async (event) => {
    event.preventDefault();
    setBusy(true);
    setError('');
    setDone('');
    try {
      show(await put('/api/word-filter', { added: lines(added), allowed: lines(allowed) }));
      setDone(t('console.filter.saved'));
    } catch (failure) {
      setError(failure.message);
    } finally {
      setBusy(false);
    }
  };
  return html`<h1>${t('console.filter.title')}</h1>
    <p class="lead">${t('console.filter.intro')}</p>
    ${!admin ? html`<p class="hint">${t('console.filter.admins_only')}</p>` : null}
    <p class="error-text" role="alert">${error}</p>
    ${state ? html`<form class="stack-form" onSubmit=${save}>
      <label class="label" for="filter-added">${t('console.filter.added')}</label>
      <p class="hint" id="filter-added-hint">${t('console.filter.added_hint')}</p>
      <textarea id="filter-added" class="input" rows="6" aria-describedby="filter-added-hint" readonly=${!admin}
        value=${added} onInput=${(e) => setAdded(e.currentTarget.value)}></textarea>
      <label class="label" for="filter-allowed">${t('console.filter.allowed')}</label>
      <p class="hint" id="filter-allowed-hint">${t('console.filter.allowed_hint')}</p>
      <textarea id="filter-allowed" class="input" rows="4" aria-describedby="filter-allowed-hint" readonly=${!admin}
        value=${allowed} onInput=${(e) => setAllowed(e.currentTarget.value)}></textarea>
      ${admin ? html`<button type="submit" class="button button--primary" disabled=${busy}>${t('console.filter.save')}</button>` : null}
      <${Status} className="status" message=${done} />
    </form>
    <details class="filter-default">
      <summary>${tn('console.filter.default', state.default.length)}</summary>
      <p class="filter-default__words">${state.default.join(', ')}</p>
    </details>` : html`<p class="loading">${t('console.filter.loading')}</p>`}`;
}
