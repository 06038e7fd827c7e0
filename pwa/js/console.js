// Facilitator console: who is logged in, then the sessions or the canvassing rounds.
import { html, useState, useEffect } from './html.js';
import { t } from './i18n.js';
import { get, post } from './api.js';
import { navigate, onLinkClick } from './router.js';
import { AppHeader, Spinner } from './components.js';
import { SessionList } from './console-list.js';
import { SessionPage } from './console-session.js';
import { RoundList } from './console-rounds.js';
import { RoundPage } from './console-round.js';
import { OverviewList, NeighbourhoodPage } from './console-overview.js';
import { WordFilterScreen } from './console-words.js';
import { AuditScreen } from './console-audit.js';
import { AccountScreen } from './console-audit-account.js';

// Canvassers may log in, but the console's screens are for organisers only.
const ORGANISERS = ['admin', 'facilitator'];

// A neighbourhood's name may hold any character; a broken escape is read as typed.
function decodeName(raw) {
  try {
    return decodeURIComponent(raw);
  } catch (_) {
    return raw;
  }
}

function route(path) {
  const session = path.match(/^\/console\/sessions\/([^/]+)\/?$/);
  if (session) return { section: 'sessions', sessionId: decodeURIComponent(session[1]) };
  const round = path.match(/^\/console\/rounds\/([^/]+)\/?$/);
  if (round) return { section: 'rounds', roundId: decodeURIComponent(round[1]) };
  if (/^\/console\/rounds\/?$/.test(path)) return { section: 'rounds' };
  const hood = path.match(/^\/console\/overview\/(.+?)\/?$/);
  if (hood) return { section: 'overview', hood: decodeName(hood[1]) };
  if (/^\/console\/overview\/?$/.test(path)) return { section: 'overview' };
  if (/^\/console\/word-filter\/?$/.test(path)) return { section: 'filter' };
  if (/^\/console\/audit\/?$/.test(path)) return { section: 'audit' };
  if (/^\/console\/account\/?$/.test(path)) return { section: 'account' };
  return { section: 'sessions' };
}

function ConsoleNav({ section, admin }) {
  const link = (href, key, name) => html`<li><a class="console-nav__link" href=${href} onClick=${onLinkClick}
    aria-current=${section === name ? 'page' : undefined}>${t(key)}</a></li>`;
  return html`<nav class="console-nav" aria-label=${t('console.nav.label')}>
    <ul class="console-nav__list">
      ${link('/console', 'console.nav.sessions', 'sessions')}
      ${link('/console/rounds', 'console.nav.rounds', 'rounds')}
      ${link('/console/overview', 'overview.nav', 'overview')}
      ${link('/console/word-filter', 'console.nav.filter', 'filter')}
      ${admin ? link('/console/audit', 'console.nav.audit', 'audit') : null}
      <li class="console-nav__aside"><a class="console-nav__link" href="/canvass">${t('console.nav.canvass')}</a></li>
    </ul>
  </nav>`;
}

function CanvasserWelcome() {
  return html`<h1>${t('console.canvasser.title')}</h1>
    <p class="lead">${t('console.canvasser.text')}</p>
    <p><a class="button button--primary" href="/canvass">${t('console.canvasser.link')}</a></p>`;
}

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
  const where = route(path);
  const organiser = user && ORGANISERS.includes(user.role);
  let body;
  let back = null;
  if (error) body = html`<p class="error-text" role="alert">${error}</p>`;
  else if (!user) body = html`<${Spinner} />`;
  else if (where.section === 'account') body = html`<${AccountScreen} user=${user} />`;
  else if (!organiser) body = html`<${CanvasserWelcome} />`;
  else if (where.sessionId) {
    body = html`<${SessionPage} key=${where.sessionId} sessionId=${where.sessionId} />`;
    back = html`<a href="/console" onClick=${onLinkClick}>${t('console.back')}</a>`;
  } else if (where.roundId) {
    body = html`<${RoundPage} key=${where.roundId} roundId=${where.roundId} user=${user} />`;
    back = html`<a href="/console/rounds" onClick=${onLinkClick}>${t('rounds.back')}</a>`;
  } else if (where.hood) {
    body = html`<${NeighbourhoodPage} key=${where.hood} name=${where.hood} />`;
    back = html`<a href="/console/overview" onClick=${onLinkClick}>${t('overview.back')}</a>`;
  } else if (where.section === 'overview') body = html`<${OverviewList} />`;
  else if (where.section === 'filter') body = html`<${WordFilterScreen} user=${user} />`;
  else if (where.section === 'audit') body = html`<${AuditScreen} user=${user} />`;
  else if (where.section === 'rounds') body = html`<${RoundList} />`;
  else body = html`<${SessionList} />`;
  return html`<${AppHeader}>
      ${user ? html`<a class="app-header__user" href="/console/account" onClick=${onLinkClick}
          aria-current=${where.section === 'account' ? 'page' : undefined}>${user.name || user.email}<span class="sr-only"> (${t('console.account_link')})</span></a>
        <button type="button" class="button button--quiet" onClick=${logout}>${t('console.logout')}</button>` : null}
    </${AppHeader}>
    ${organiser ? html`<${ConsoleNav} section=${where.section} admin=${user.role === 'admin'} />` : null}
    <main id="main" class="page page--wide console">
      ${back ? html`<p class="breadcrumb">${back}</p>` : null}
      ${body}
    </main>`;
}
