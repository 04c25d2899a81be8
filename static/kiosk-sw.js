// Kinerja kiosk service worker, served at /kiosk/sw.js (scope /kiosk/) by kiosk/screens.py.
// It keeps the shell (page, CSS, JS, faces) so that a tablet reloading without network still
// shows the rating screen. The API is never cached: ratings wait in the page's own queue.
"use strict";

// Both are written in by the server: the version is a digest of the shell's files, so any
// change to them makes a new worker with a new cache, and the old cache is dropped.
const VERSION = "__SHELL_VERSION__";
const SHELL = ["__SHELL_URLS__"];
const PREFIX = "kinerja-kiosk-";
const CACHE = PREFIX + VERSION;

const scope = new URL(self.registration.scope);
const shellPage = new URL(SHELL[0], scope).pathname;
const shellPaths = new Set(SHELL.map((url) => new URL(url, scope).pathname));

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE)
      // "no-cache": revalidated with the server (a 304 for what the page has just loaded), so
      // the new cache never holds an old file and nothing is downloaded twice.
      .then((cache) => cache.addAll(SHELL.map((url) => new Request(url, { cache: "no-cache" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith(PREFIX) && key !== CACHE)
        .map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

function fromCache(request, key) {
  return caches.open(CACHE)
    .then((cache) => cache.match(key || request, { ignoreSearch: true }))
    .then((cached) => cached || fetch(request));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== scope.origin) return;
  // The API goes to the network, always: its answers are never stored here.
  if (url.pathname.startsWith(scope.pathname + "api/")) return;
  if (request.mode === "navigate" && url.pathname === shellPage) {
    event.respondWith(fromCache(request, shellPage));
  } else if (shellPaths.has(url.pathname)) {
    event.respondWith(fromCache(request));
  }
});
