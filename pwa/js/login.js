// Staff login: e-mail and password; on success where the user came from (?next=), else the
// canvassing app for a canvasser and the console for everyone else.
import { html, useState } from './html.js';
import { t } from './i18n.js';
import { post } from './api.js';
import { navigate } from './router.js';
import { AppHeader, useTitle } from './components.js';

// Only a path on this site: never another origin (an open redirect) or a protocol-relative URL.
function nextPath() {
  const next = new URLSearchParams(location.search).get('next') || '';
  return /^\/(?![/\\])/.test(next) ? next : null;
}

export function LoginScreen() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  useTitle(t('login.title'));
  const submit = async (event) => {
    event.preventDefault();
    if (!email.trim() || !password) {
      setError(t('login.missing'));
      return;
    }
    setBusy(true);
    setError('');
    try {
      const me = await post('/api/auth/login', { email: email.trim(), password });
      navigate(nextPath() || (me?.user?.role === 'canvasser' ? '/canvass' : '/console'));
    } catch (failure) {
      setError(failure.message);
      setBusy(false);
    }
  };
  const described = error ? 'login-error' : undefined;
  return html`<${AppHeader} />
  <main id="main" class="page page--narrow">
    <h1>${t('login.title')}</h1>
    <p class="lead">${t('login.intro')}</p>
    <form class="stack-form" onSubmit=${submit} novalidate>
      <label class="label" for="login-email">${t('login.email')}</label>
      <input id="login-email" class="input" type="email" autocomplete="username" required value=${email}
        aria-describedby=${described} aria-invalid=${error ? 'true' : 'false'}
        onInput=${(e) => setEmail(e.currentTarget.value)} />
      <label class="label" for="login-password">${t('login.password')}</label>
      <input id="login-password" class="input" type="password" autocomplete="current-password" required value=${password}
        aria-describedby=${described} aria-invalid=${error ? 'true' : 'false'}
        onInput=${(e) => setPassword(e.currentTarget.value)} />
      <p class="error-text" id="login-error" role="alert">${error}</p>
      <button type="submit" class="button button--primary button--wide" disabled=${busy}>
        ${busy ? t('login.busy') : t('login.button')}</button>
    </form>
    <p class="footnote"><a href="/">${t('login.resident')}</a></p>
  </main>`;
}
