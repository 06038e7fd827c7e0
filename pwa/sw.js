// Service worker: keeps the app shell available offline. Network first everywhere, so a
// deploy is picked up at once; the cache is only the fallback. API answers are never
// cached (they carry tokens and personal state), except the public template list.
const VERSION = 'samenspraak-v1';
const SHELL = [
  '/',
  '/manifest.webmanifest',
  '/app/css/tokens.css',
  '/app/css/app.css',
  '/app/i18n/nl.json',
  '/app/i18n/en.json',
  '/app/icons/icon-192.png',
  '/app/icons/icon-512.png',
  '/app/js/main.js',
  '/app/js/html.js',
  '/app/js/i18n.js',
  '/app/js/api.js',
  '/app/js/ids.js',
  '/app/js/live.js',
  '/app/js/router.js',
  '/app/js/components.js',
  '/app/js/charts.js',
  '/app/js/wordcloud.js',
  '/app/js/resident.js',
  '/app/js/resident-room.js',
  '/app/js/answer-forms.js',
  '/app/js/login.js',
  '/app/js/console.js',
  '/app/js/console-common.js',
  '/app/js/console-list.js',
  '/app/js/console-session.js',
  '/app/js/console-editor.js',
  '/app/js/console-prompt-form.js',
  '/app/js/console-live.js',
  '/app/js/console-projector-link.js',
  '/app/js/projector.js',
  '/app/vendor/preact.module.js',
  '/app/vendor/hooks.module.js',
  '/app/vendor/htm.module.js',
  '/app/vendor/signals.module.js',
  '/app/vendor/signals-core.module.js',
  '/app/vendor/idb.js',
];
const CACHEABLE_API = [/^\/api\/templates(\?|$)/];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(VERSION).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((name) => name !== VERSION).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

async function networkFirst(request, { store, fallback }) {
  try {
    const response = await fetch(request);
    if (store && response.ok && response.type === 'basic') {
      const copy = response.clone();
      caches.open(VERSION).then((cache) => cache.put(request, copy));
    }
    return response;
  } catch (error) {
    const cached = (await caches.match(request)) || (fallback && (await caches.match(fallback)));
    if (cached) return cached;
    throw error;
  }
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin || url.pathname === '/ws') return;
  if (url.pathname.startsWith('/api/')) {
    const cacheable = !request.headers.has('Authorization') && CACHEABLE_API.some((re) => re.test(url.pathname + url.search));
    if (cacheable) event.respondWith(networkFirst(request, { store: true }));
    return; // everything else under /api/ goes straight to the network, never into a cache
  }
  if (request.mode === 'navigate') {
    // Every page is the same shell; offline, the cached "/" stands in for /j/CODE, /console, …
    event.respondWith(networkFirst(request, { store: false, fallback: '/' }));
    return;
  }
  if (url.pathname.startsWith('/app/') || url.pathname === '/manifest.webmanifest') {
    event.respondWith(networkFirst(request, { store: true }));
  }
});
