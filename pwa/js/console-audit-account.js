// The staff member's own account: log out everywhere (after a confirmation), change the
// password, and see or revoke their API tokens. Every role may open it (/console/account).
import { html, useState, useEffect } from './html.js';
import { t } from './i18n.js';
import { get, post, del } from './api.js';
import { navigate } from './router.js';
import { Status } from './components.js';
import { useConsoleTitle, formatDate } from './console-common.js';

// A button that asks first: the question and the real action appear in its place.
function Confirmed({ id, label, question, yes, onConfirm, danger = true }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const ask = () => {
    setAsking(true);
    requestAnimationFrame(() => document.getElementById(`${id}-question`)?.focus());
  };
  const cancel = () => {
    setAsking(false);
    requestAnimationFrame(() => document.getElementById(id)?.focus());
  };
  const confirm = async () => {
    setBusy(true);
    try {
      await onConfirm();
    } finally {
      setBusy(false);
      setAsking(false);
    }
  };
  if (!asking) {
    return html`<button type="button" id=${id} class=${danger ? 'button' : 'button button--quiet'} onClick=${ask}>${label}</button>`;
  }
  return html`<div class="confirm" role="group" aria-labelledby=${`${id}-question`}>
    <p id=${`${id}-question`} tabindex="-1">${question}</p>
    <div class="button-row">
      <button type="button" class="button button--danger" disabled=${busy} onClick=${confirm}>${yes}</button>
      <button type="button" class="button" onClick=${cancel}>${t('account.cancel')}</button>
    </div>
  </div>`;
}

function LogoutEverywhere() {
  const [error, setError] = useState('');
  const logoutAll = async () => {
    setError('');
    try {
      await post('/api/auth/logout-all');
      navigate('/login');
    } catch (failure) {
      setError(failure.message);
    }
  };
  return html`<section class="panel" aria-labelledby="account-everywhere">
    <h2 id="account-everywhere">${t('account.everywhere.title')}</h2>
    <p>${t('account.everywhere.text')}</p>
    <${Confirmed} id="logout-all" label=${t('account.everywhere.button')}
      question=${t('account.everywhere.question')} yes=${t('account.everywhere.yes')} onConfirm=${logoutAll} />
    <p class="error-text" role="alert">${error}</p>
  </section>`;
}

function PasswordForm() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState({ field: '', message: '' });
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (event) => {
    event.preventDefault();
    setDone('');
    if (next !== again) {
      setError({ field: 'password-again', message: t('account.password.mismatch') });
      return;
    }
    setBusy(true);
    setError({ field: '', message: '' });
    try {
      const answer = await post('/api/auth/password', { current_password: current, new_password: next });
      setCurrent('');
      setNext('');
      setAgain('');
      setDone(t('account.password.done', { n: answer.ended }));
    } catch (failure) {
      const field = failure.extra?.field === 'current_password' ? 'password-current' : 'password-new';
      const message = failure.extra?.field === 'current_password' ? t('account.password.wrong') : failure.message;
      setError({ field, message });
    } finally {
      setBusy(false);
    }
  };
  const invalid = (id) => (error.field === id ? 'true' : 'false');
  const described = (id, hint) => [hint, error.field === id ? 'password-error' : null].filter(Boolean).join(' ') || undefined;
  return html`<section class="panel" aria-labelledby="account-password">
    <h2 id="account-password">${t('account.password.title')}</h2>
    <form class="stack-form" onSubmit=${submit} novalidate>
      <label class="label" for="password-current">${t('account.password.current')}</label>
      <input id="password-current" class="input" type="password" autocomplete="current-password" required
        value=${current} aria-invalid=${invalid('password-current')} aria-describedby=${described('password-current')}
        onInput=${(e) => setCurrent(e.currentTarget.value)} />
      <label class="label" for="password-new">${t('account.password.new')}</label>
      <p class="hint" id="password-new-hint">${t('account.password.hint')}</p>
      <input id="password-new" class="input" type="password" autocomplete="new-password" required minlength="12"
        value=${next} aria-invalid=${invalid('password-new')} aria-describedby=${described('password-new', 'password-new-hint')}
        onInput=${(e) => setNext(e.currentTarget.value)} />
      <label class="label" for="password-again">${t('account.password.again')}</label>
      <input id="password-again" class="input" type="password" autocomplete="new-password" required
        value=${again} aria-invalid=${invalid('password-again')} aria-describedby=${described('password-again')}
        onInput=${(e) => setAgain(e.currentTarget.value)} />
      <p class="error-text" id="password-error" role="alert">${error.message}</p>
      <button type="submit" class="button button--primary" disabled=${busy}>${t('account.password.save')}</button>
      <${Status} message=${done} />
    </form>
  </section>`;
}

function Tokens() {
  const [tokens, setTokens] = useState(null);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const load = () => get('/api/auth/tokens').then(setTokens).catch((failure) => setError(failure.message));
  useEffect(() => {
    load();
  }, []);
  const revoke = async (token) => {
    setError('');
    setDone('');
    try {
      await del(`/api/auth/tokens/${encodeURIComponent(token.id)}`);
      setDone(t('account.tokens.revoked', { name: token.name }));
      await load();
      requestAnimationFrame(() => document.getElementById('account-tokens')?.focus());
    } catch (failure) {
      setError(failure.message);
    }
  };
  return html`<section class="panel" aria-labelledby="account-tokens">
    <h2 id="account-tokens" tabindex="-1">${t('account.tokens.title')}</h2>
    <p>${t('account.tokens.intro')}</p>
    <p class="error-text" role="alert">${error}</p>
    ${tokens && !tokens.length ? html`<p class="muted">${t('account.tokens.empty')}</p>` : null}
    ${tokens && tokens.length ? html`<ul class="session-list">
      ${tokens.map((token) => html`<li class="session-list__item" key=${token.id}>
        <span class="session-list__link">${token.name}</span>
        <span class="session-list__meta">
          <span>${t(`account.tokens.scope.${token.scope}`)}</span>
          <span>${t('account.tokens.created', { date: formatDate(token.created_at) })}</span>
          ${token.revoked ? html`<span class="badge">${t('account.tokens.is_revoked')}</span>` : null}
        </span>
        ${token.revoked ? null : html`<${Confirmed} id=${`revoke-${token.id}`} danger=${false}
          label=${t('account.tokens.revoke', { name: token.name })}
          question=${t('account.tokens.question', { name: token.name })}
          yes=${t('account.tokens.yes')} onConfirm=${() => revoke(token)} />`}
      </li>`)}
    </ul>` : null}
    <${Status} message=${done} />
  </section>`;
}

export function AccountScreen({ user }) {
  useConsoleTitle(t('account.title'));
  return html`<h1>${t('account.title')}</h1>
    <p class="lead">${t('account.intro', { name: user.name || user.email, email: user.email, org: user.org })}</p>
    <${LogoutEverywhere} />
    <${PasswordForm} />
    <${Tokens} />`;
}
