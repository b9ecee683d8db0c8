/* The portal's service worker (served by portal.views_pwa with the right scope).
   Shell and catalog pages: network first, the cached copy when offline; static files: cache first.
   Only public GET pages are cached: never the signed-in resident's pages or any POST. */
const VERSION = "portal-v{{ version }}";
const SHELL = {{ shell|safe }};
const OFFLINE = {{ offline|safe }};
const SCOPE = {{ scope|safe }};
const PUBLIC = [SCOPE, SCOPE + "program/", SCOPE + "cocokkan/", OFFLINE];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(VERSION).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(
    keys.filter((k) => k.startsWith("portal-") && k !== VERSION).map((k) => caches.delete(k))
  )).then(() => self.clients.claim()));
});

function isPublicPage(url) {
  if (url.origin !== self.location.origin) return false;
  const path = url.pathname;
  if (path === SCOPE || path === OFFLINE || path.startsWith(SCOPE + "cocokkan/")) return true;
  // The catalog and program pages, but not the sign-in-only "daftar" (apply) pages.
  return path.startsWith(SCOPE + "program/") && !path.endsWith("/daftar/");
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request).then((response) => {
      if (response.ok) { const copy = response.clone(); caches.open(VERSION).then((c) => c.put(request, copy)); }
      return response;
    })));
    return;
  }
  if (request.mode !== "navigate") return;
  if (isPublicPage(url)) {
    event.respondWith(fetch(request).then((response) => {
      if (response.ok && !response.redirected) {
        const copy = response.clone();
        caches.open(VERSION).then((c) => c.put(request, copy));
      }
      return response;
    }).catch(() => caches.match(request, {ignoreSearch: url.pathname === SCOPE + "program/"})
      .then((hit) => hit || caches.match(OFFLINE))));
    return;
  }
  if (url.pathname.startsWith(SCOPE)) {
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE)));
  }
});
