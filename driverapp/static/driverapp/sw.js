// The driver app's service worker (served at /app/sw.js, scope /app/). It keeps the app's shell
// (stylesheets, script, icons, the offline page) in a cache and, when a page cannot be loaded for
// want of a connection, shows the offline page. Pages themselves are never cached: they hold the
// driver's data and must be current.
"use strict";

var VERSION = "mpro-driver-__VERSION__";
var SHELL = "__SHELL__";
var OFFLINE = "__OFFLINE__";

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(VERSION)
      .then(function (cache) { return cache.addAll(SHELL.concat([OFFLINE])); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys()
      .then(function (keys) {
        return Promise.all(keys.filter(function (key) {
          return key.indexOf("mpro-driver-") === 0 && key !== VERSION;
        }).map(function (key) { return caches.delete(key); }));
      })
      .then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  if (request.mode === "navigate") {
    event.respondWith(
      fetch(request).catch(function () {
        return caches.match(OFFLINE);
      })
    );
    return;
  }
  var url = new URL(request.url);
  if (url.origin === self.location.origin && SHELL.indexOf(url.pathname) !== -1) {
    event.respondWith(
      caches.match(request).then(function (hit) { return hit || fetch(request); })
    );
  }
});
