// Resident screens: type a code (/), join and follow a session (/j/CODE).
import { html, useState, useEffect, useMemo } from './html.js';
import { t } from './i18n.js';
import { navigate } from './router.js';
import { normaliseJoinCode, isJoinCode } from './ids.js';
import { AppHeader, Status, useTitle } from './components.js';
import { createResidentRoom } from './resident-room.js';
import { AnswerForm } from './answer-forms.js';
import { ResultChart } from './charts.js';

export function ResidentStart() {
  const [code, setCode] = useState('');
  const [error, setError] = useState('');
  useTitle(t('resident.start.title'));
  const submit = (event) => {
    event.preventDefault();
    const normal = normaliseJoinCode(code);
    if (!isJoinCode(normal)) {
      setError(t('resident.start.invalid'));
      return;
    }
    navigate(`/j/${normal}`);
  };
  return html`<${AppHeader} />
  <main id="main" class="page page--narrow">
    <h1>${t('resident.start.title')}</h1>
    <p class="lead">${t('resident.start.intro')}</p>
    <form class="stack-form" onSubmit=${submit} novalidate>
      <label class="label" for="join-code">${t('resident.start.label')}</label>
      <p class="hint" id="join-code-hint">${t('resident.start.hint')}</p>
      <input id="join-code" class="input input--code" type="text" inputmode="text" autocomplete="off"
        autocapitalize="characters" spellcheck="false" maxlength="8" value=${code}
        aria-describedby=${error ? 'join-code-hint join-code-error' : 'join-code-hint'}
        aria-invalid=${error ? 'true' : 'false'}
        onInput=${(e) => { setCode(normaliseJoinCode(e.currentTarget.value)); setError(''); }} />
      <p class="error-text" id="join-code-error" role="alert">${error}</p>
      <button type="submit" class="button button--primary button--wide">${t('resident.start.button')}</button>
    </form>
    <p class="footnote"><a href="/login">${t('resident.start.staff')}</a></p>
  </main>`;
}

export function ResidentSession({ code }) {
  const normal = normaliseJoinCode(code);
  const room = useMemo(() => (isJoinCode(normal) ? createResidentRoom(normal) : null), [normal]);
  useEffect(() => () => room?.leave(), [room]);
  if (!room) {
    return html`<${AppHeader} /><main id="main" class="page page--narrow">
      <h1>${t('resident.start.title')}</h1>
      <p class="error-text" role="alert">${t('resident.join.unknown')}</p>
      <p><a href="/">${t('resident.join.other_code')}</a></p>
    </main>`;
  }
  return html`<${ResidentRoomView} room=${room} />`;
}

function ResidentRoomView({ room }) {
  const phase = room.phase.value;
  const session = room.session.value;
  useTitle(session?.title || t('resident.join.title'));
  let body;
  if (phase === 'join' || phase === 'joining') body = html`<${JoinPanel} room=${room} />`;
  else if (phase === 'ended') body = html`<${EndedPanel} />`;
  else if (phase === 'failed') body = html`<${FailedPanel} room=${room} />`;
  else if (phase === 'connecting' && !session?.state) body = html`<p class="loading">${t('resident.connecting')}</p>`;
  else body = html`<${FollowPanel} room=${room} />`;
  const connection = room.connection.value;
  const lost = phase !== 'ended' && phase !== 'join' && (connection === 'down' || (connection === 'connecting' && session?.state));
  return html`<${AppHeader} title=${session?.title} />
  <main id="main" class="page page--narrow resident">
    <${Status} className=${lost ? 'banner banner--warning' : 'sr-only'} message=${lost ? t('resident.connection.lost') : ''} />
    ${body}
  </main>`;
}

function JoinPanel({ room }) {
  const busy = room.phase.value === 'joining';
  return html`<h1>${t('resident.join.title')}</h1>
    <p class="lead">${t('resident.join.anonymous')}</p>
    <button type="button" class="button button--primary button--huge" disabled=${busy}
      onClick=${() => room.join()}>${busy ? t('resident.join.busy') : t('resident.join.button')}</button>
    <p class="error-text" role="alert">${room.failure.value}</p>
    ${room.failure.value ? html`<p><a href="/">${t('resident.join.other_code')}</a></p>` : null}`;
}

function EndedPanel() {
  return html`<h1>${t('resident.ended.title')}</h1><p class="lead">${t('resident.ended.text')}</p>`;
}

function FailedPanel({ room }) {
  return html`<h1>${t('resident.join.title')}</h1>
    <p class="error-text" role="alert">${room.failure.value}</p>
    <p><a href="/">${t('resident.join.other_code')}</a></p>`;
}

function FollowPanel({ room }) {
  const prompt = room.prompt.value;
  const tally = room.tally.value;
  const session = room.session.value;
  const revealed = prompt?.revealed && tally;
  let state = '';
  if (!prompt) state = t('resident.waiting');
  else if (prompt.state === 'closed') state = t('resident.closed');
  if (revealed) state = state ? `${state} ${t('resident.results.shown')}` : t('resident.results.shown');
  return html`<h1 class="sr-only">${session?.title || t('resident.join.title')}</h1>
    <${Status} className="state-line" message=${state} />
    ${!prompt ? html`<p class="lead waiting">${t('resident.waiting.text')}</p>` : null}
    ${prompt && prompt.state === 'open' ? html`<${AnswerForm} prompt=${prompt} mine=${room.myResponse.value}
      answers=${room.answers.value} respond=${room.respond} />` : null}
    ${prompt && prompt.state !== 'open' ? html`<h2 class="prompt-title">${prompt.title}</h2>` : null}
    ${prompt && prompt.state === 'closed' && !revealed ? html`<p class="lead">${t('resident.closed.text')}</p>` : null}
    <section class="results">
      ${revealed ? html`<h2 class="results__title">${t('resident.results.title')}</h2>
        <${ResultChart} prompt=${prompt} tally=${tally} minGroup=${session?.min_group} variant="phone" />` : null}
    </section>
    ${session?.state === 'live' ? html`<${RemoveMine} room=${room} />` : null}`;
}

// "Remove my answers": two steps, so one stray tap never wipes anything.
function RemoveMine({ room }) {
  const [step, setStep] = useState('idle'); // idle | confirm | busy | done | error
  const [message, setMessage] = useState('');
  const remove = async () => {
    setStep('busy');
    try {
      await room.removeMine();
      setStep('done');
      setMessage(t('resident.remove.done'));
    } catch (error) {
      setStep('error');
      setMessage(error.message || t('resident.remove.failed'));
    }
  };
  return html`<section class="remove-mine" aria-labelledby="remove-mine-title">
    <h2 id="remove-mine-title" class="remove-mine__title">${t('resident.remove.title')}</h2>
    ${step === 'confirm' || step === 'busy'
      ? html`<p id="remove-mine-warning">${t('resident.remove.warning')}</p>
        <div class="button-row">
          <button type="button" class="button button--danger" aria-describedby="remove-mine-warning"
            disabled=${step === 'busy'} onClick=${remove}>${t('resident.remove.confirm')}</button>
          <button type="button" class="button" onClick=${() => setStep('idle')}>${t('resident.remove.cancel')}</button>
        </div>`
      : html`<p class="hint">${t('resident.remove.hint')}</p>
        <button type="button" class="button" onClick=${() => { setStep('confirm'); setMessage(''); }}>${t('resident.remove.button')}</button>`}
    <${Status} className=${step === 'error' ? 'error-text' : 'remove-mine__status'} message=${message} />
  </section>`;
}
