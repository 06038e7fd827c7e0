// Service worker: keeps the app shell available offline. Network first everywhere, so a
// deploy is picked up at once; the cache is only the fallback. API answers are never
// cached (they carry tokens and personal state), except the public template list and the
// public QR code of a live session (a canvasser shows it at the door, often offline).
// Filled in by the server (routes/pages.py) from the files installed: every module, style,
// translation, icon and vendored library, and a version that changes with their contents.
const VERSION = self.__VERSION__;
const SHELL = self.__SHELL__;
const CACHEABLE_API = [/^\/api\/templates(\?|$)/, /^\/api\/join\/[A-Za-z0-9]{1,16}\/qr\.svg$/];

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
