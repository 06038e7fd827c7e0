// Canvassing app (/canvass): pick a round and an area once, then one note per door; the
// outbox sends them when there is network. /canvass/choose changes the choice,
// /canvass/notes/{id} corrects a note the server refused.
import { html, useState, useEffect, useMemo } from './html.js';
import { t } from './i18n.js';
import { post } from './api.js';
import { navigate, onLinkClick } from './router.js';
import { AppHeader, Spinner, useTitle } from './components.js';
import { ChoiceGroup } from './canvass-choice.js';
import { createCanvass, roundOf } from './canvass-model.js';
import { NoteForm } from './canvass-form.js';
import { OutboxPanel, StaleWarning, ProblemList, LOGIN_AGAIN, refusalText } from './canvass-status.js';
import { SessionsHere } from './canvass-qr.js';

function standalone() {
  return window.matchMedia?.('(display-mode: standalone)').matches || navigator.standalone === true;
}

// Installed from here, the app opens on /canvass (also offline), not on the resident start.
const CANVASS_MANIFEST = '/app/canvass.webmanifest';

function useCanvassManifest() {
  useEffect(() => {
    const link = document.querySelector('link[rel=manifest]');
    if (!link) return undefined;
    const before = link.getAttribute('href');
    link.setAttribute('href', CANVASS_MANIFEST);
    return () => link.setAttribute('href', before);
  }, []);
}

function focusHeading() {
  requestAnimationFrame(() => document.querySelector('main h1')?.focus({ preventScroll: true }));
}

function StartScreen({ app }) {
  const profile = app.profile.value;
  const outbox = app.outbox.value;
  const rounds = profile.rounds.filter((r) => r.state === 'open');
  const [roundId, setRoundId] = useState(() => profile.choice?.roundId || (rounds.length === 1 ? rounds[0].id : null));
  const round = rounds.find((r) => r.id === roundId) || null;
  const [area, setArea] = useState(() => profile.choice?.area || '');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  useTitle(t('canvass.start.title'));
  const areaValue = round && (round.areas.includes(area) ? area : round.areas.length === 1 ? round.areas[0] : '');
  const submit = async (event) => {
    event.preventDefault();
    if (!round || !areaValue) {
      setError(t('canvass.start.missing'));
      document.getElementById(round ? 'canvass-pick-area' : `canvass-pick-round-${rounds[0]?.id}`)?.focus();
      return;
    }
    setBusy(true);
    await app.choose(round.id, areaValue);
    navigate('/canvass');
    focusHeading();
  };
  const closed = app.roundClosed.value;
  return html`<h1 tabindex="-1">${t('canvass.start.title')}</h1>
    <p class="lead">${t('canvass.start.intro')}</p>
    ${closed !== null ? html`<p class="banner banner--warning">${closed ? t('canvass.start.round_closed', { title: closed }) : t('canvass.start.round_gone')}</p>` : null}
    <${OutboxPanel} outbox=${outbox} />
    <${StaleWarning} outbox=${outbox} />
    <${ProblemList} outbox=${outbox} rounds=${profile.rounds} onFix=${(r) => navigate(`/canvass/notes/${encodeURIComponent(r.id)}`)} />
    ${rounds.length ? html`<form class="stack-form canvass-pick" onSubmit=${submit} novalidate>
      <${ChoiceGroup} id="canvass-pick-round" layout="list" legend=${t('canvass.start.round')}
        options=${rounds.map((r) => ({ value: r.id, label: r.title }))} value=${roundId}
        onPick=${(value) => { setRoundId(value); setError(''); }} />
      ${round ? html`<div class="field">
        <label class="label" for="canvass-pick-area">${t('canvass.start.area')}</label>
        <select id="canvass-pick-area" class="select" value=${areaValue}
          aria-describedby=${error ? 'canvass-pick-error' : undefined}
          onChange=${(e) => { setArea(e.currentTarget.value); setError(''); }}>
          <option value="">${t('canvass.start.area_placeholder')}</option>
          ${round.areas.map((a) => html`<option key=${a} value=${a}>${a}</option>`)}
        </select>
      </div>` : null}
      <p class="error-text" id="canvass-pick-error" role="alert">${error}</p>
      <button type="submit" class="button button--primary button--huge" disabled=${busy}>${t('canvass.start.button')}</button>
    </form>` : html`<p class="banner banner--warning">${outbox.online.value ? t('canvass.start.none') : t('canvass.start.none_offline')}</p>`}
    ${standalone() ? null : html`<p class="install-tip">${t('canvass.start.install_tip')}</p>`}`;
}

function FormScreen({ app }) {
  const profile = app.profile.value;
  const outbox = app.outbox.value;
  const choice = profile.choice;
  const round = roundOf(profile, choice.roundId);
  useTitle(choice.area);
  if (!round) {
    return html`<h1 tabindex="-1">${t('canvass.title')}</h1>
      <p><a href="/canvass/choose" onClick=${onLinkClick}>${t('canvass.where.change')}</a></p>`;
  }
  return html`<div class="canvass-where">
      <p class="canvass-where__round">${round.title}</p>
      <h1 class="canvass-where__area" tabindex="-1"><span class="sr-only">${t('canvass.where.area')}: </span>${choice.area}</h1>
      <a class="button button--quiet button--small canvass-where__change" href="/canvass/choose" onClick=${onLinkClick}>${t('canvass.where.change')}</a>
    </div>
    ${round.state === 'closed' ? html`<p class="banner banner--warning">${t('canvass.where.closed')}</p>` : null}
    <${OutboxPanel} outbox=${outbox} />
    <${StaleWarning} outbox=${outbox} />
    <${ProblemList} outbox=${outbox} rounds=${profile.rounds} onFix=${(r) => navigate(`/canvass/notes/${encodeURIComponent(r.id)}`)} />
    <${SessionsHere} round=${round} area=${choice.area} />
    <${NoteForm} key=${`${round.id}:${choice.area}`} round=${round} area=${choice.area}
      onSave=${(note) => outbox.add(round.id, note)} />`;
}

function FixScreen({ app, id }) {
  const profile = app.profile.value;
  const outbox = app.outbox.value;
  const record = outbox.find(id);
  useTitle(t('canvass.form.fix_title'));
  if (!outbox.loaded.value) return html`<${Spinner} />`;
  if (!record || record.state !== 'failed') {
    return html`<h1 tabindex="-1">${t('canvass.form.fix_title')}</h1>
      <p>${t('canvass.fix.gone')}</p>
      <p><a href="/canvass" onClick=${onLinkClick}>${t('canvass.fix.back')}</a></p>`;
  }
  const round = roundOf(profile, record.roundId) || { id: record.roundId, title: '', topics: record.note.topics, areas: [record.note.area] };
  const done = () => {
    navigate('/canvass');
    focusHeading();
  };
  const save = async (note) => {
    await outbox.resubmit(record, record.roundId, note);
    outbox.message.value = t('canvass.fix.saved');
    done();
  };
  return html`<h1 tabindex="-1">${t('canvass.form.fix_title')}</h1>
    <p class="lead">${t('canvass.fix.intro')}</p>
    <p class="problem__error"><span class="badge badge--error">${t('canvass.problems.badge')}</span> ${refusalText(record.error?.code)}</p>
    <${NoteForm} round=${round} areas=${round.areas} fix=${record} onSave=${save} onCancel=${done} />`;
}

export function CanvassApp({ path }) {
  const app = useMemo(() => createCanvass(), []);
  useEffect(() => () => app.close(), [app]);
  useCanvassManifest();
  const phase = app.phase.value;
  useEffect(() => {
    if (phase === 'login') navigate(LOGIN_AGAIN, { replace: true });
  }, [phase]);
  const logout = async () => {
    try {
      await post('/api/auth/logout');
    } catch (_) {
      // Offline or already logged out: forgetting the user on this phone is what matters.
    }
    await app.forget();
    navigate('/login');
  };
  let body;
  const fix = path.match(/^\/canvass\/notes\/([^/]+)\/?$/);
  if (phase === 'failed') {
    const offline = app.failure.value?.status === 0;
    body = html`<h1>${t('canvass.title')}</h1>
      <p class="error-text" role="alert">${offline ? t('canvass.offline_first') : app.failure.value?.message || t('error.unknown')}</p>`;
  } else if (phase !== 'ready') body = html`<${Spinner} />`;
  else if (fix) body = html`<${FixScreen} app=${app} id=${decodeURIComponent(fix[1])} />`;
  else if (path.startsWith('/canvass/choose') || !app.profile.value.choice) body = html`<${StartScreen} app=${app} />`;
  else body = html`<${FormScreen} app=${app} />`;
  return html`<div class="canvass-app">
    <${AppHeader}>
      ${app.user.value ? html`<button type="button" class="button button--quiet" onClick=${logout}>${t('canvass.logout')}</button>` : null}
    </${AppHeader}>
    <main id="main" class="page page--narrow canvass">${body}</main>
  </div>`;
}
