// Facilitator console: who is logged in, then the sessions list or one session.
import { html, useState, useEffect } from './html.js';
import { t } from './i18n.js';
import { get, post } from './api.js';
import { navigate, onLinkClick } from './router.js';
import { AppHeader, Spinner } from './components.js';
import { SessionList } from './console-list.js';
import { SessionPage } from './console-session.js';

export function ConsoleApp({ path }) {
  const [user, setUser] = useState(null);
  const [error, setError] = useState('');
  useEffect(() => {
    get('/api/auth/me')
      .then((me) => setUser(me.user))
      .catch((failure) => {
        if (failure.status === 401) navigate('/login', { replace: true });
        else setError(failure.message);
      });
  }, []);
  const logout = async () => {
    try {
      await post('/api/auth/logout');
    } finally {
      navigate('/login');
    }
  };
  const session = path.match(/^\/console\/sessions\/([^/]+)\/?$/);
  let body;
  if (error) body = html`<p class="error-text" role="alert">${error}</p>`;
  else if (!user) body = html`<${Spinner} />`;
  else if (session) body = html`<${SessionPage} key=${session[1]} sessionId=${decodeURIComponent(session[1])} />`;
  else body = html`<${SessionList} />`;
  return html`<${AppHeader}>
      ${user ? html`<span class="app-header__user">${user.name || user.email}</span>
        <button type="button" class="button button--quiet" onClick=${logout}>${t('console.logout')}</button>` : null}
    </${AppHeader}>
    <main id="main" class="page page--wide console">
      ${session ? html`<p class="breadcrumb"><a href="/console" onClick=${onLinkClick}>${t('console.back')}</a></p>` : null}
      ${body}
    </main>`;
}
