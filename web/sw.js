// parlab's service worker (same origin only; registered by the page unless `sw=0`).
// 1. Offline: network first, falling back to the copy cached on an earlier visit, so a lab
//    opened once keeps working on a lecture hall's bad Wi-Fi.
// 2. Hosts that cannot send headers (GitHub Pages style): every response it serves carries
//    COOP/COEP/CORP, so after one reload the page is cross-origin isolated (threads mode).
//    This cannot help inside a cross-origin iframe: isolation there depends on the parent.
const CACHE = 'parlab-v1';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(respond(request));
});

async function respond(request) {
  const cache = await caches.open(CACHE);
  let response;
  try {
    response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
  } catch (offline) {
    response = await cache.match(request, { ignoreSearch: true });
    if (!response) throw offline;
  }
  return withIsolation(response);
}

function withIsolation(response) {
  if (response.status === 0) return response; // opaque: headers cannot be changed
  const headers = new Headers(response.headers);
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
  headers.set('Cross-Origin-Resource-Policy', 'cross-origin');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
