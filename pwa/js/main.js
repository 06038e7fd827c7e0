// Entry point: picks the screen from location.pathname and registers the service worker.
import { html, render } from './html.js';
import { setLanguage, storedLanguage, t } from './i18n.js';
import { path } from './router.js';
import { ResidentStart, ResidentSession } from './resident.js';
import { LoginScreen } from './login.js';
import { ConsoleApp } from './console.js';
import { CanvassApp } from './canvass.js';
import { ProjectorScreen } from './projector.js';
import { AppHeader } from './components.js';

function NotFound() {
  return html`<${AppHeader} /><main id="main" class="page"><h1>${t('notfound.title')}</h1>
    <p><a href="/">${t('notfound.home')}</a></p></main>`;
}

function App() {
  const current = path.value;
  const join = current.match(/^\/j\/([^/]+)\/?$/);
  const projector = current.match(/^\/projector\/([^/]+)\/?$/);
  if (current === '/' || current === '/index.html') return html`<${ResidentStart} />`;
  if (join) return html`<${ResidentSession} code=${decodeURIComponent(join[1])} />`;
  if (current === '/login') return html`<${LoginScreen} />`;
  if (current === '/console' || current.startsWith('/console/')) return html`<${ConsoleApp} path=${current} />`;
  if (current === '/canvass' || current.startsWith('/canvass/')) return html`<${CanvassApp} path=${current} />`;
  if (projector) return html`<${ProjectorScreen} sessionId=${decodeURIComponent(projector[1])} />`;
  return html`<${NotFound} />`;
}

async function start() {
  await setLanguage(storedLanguage());
  render(html`<${App} />`, document.getElementById('app'));
  if ('serviceWorker' in navigator && window.isSecureContext) {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {
      // The app works without offline support.
    });
  }
}

start();
