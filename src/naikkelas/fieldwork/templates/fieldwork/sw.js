{% autoescape off %}// The offline app's service worker (served by fieldwork.views.service_worker).
// It keeps the pages' shells and the static files they need, and nothing else: the
// volunteer's data (businesses, the outbox) is in IndexedDB, which a new worker version
// never touches, so an update cannot lose or rewrite queued work.
"use strict";
var VERSION = "{{ version }}";
var CACHE = "nk-app-" + VERSION;
var ASSETS = {{ assets }};
var PAGES = {{ pages }};
var STATIC = "{{ static_prefix }}";

// A page the server answered as itself (not a redirect to the login page).
function usable(response) {
  return response && response.ok && !response.redirected && response.type === "basic";
}

// The new version's copy of every page and file, or none: a worker that could not keep
// everything does not install, and the one before it goes on serving.
self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(ASSETS).then(function () {
      return Promise.all(PAGES.map(function (url) {
        return fetchPage(url, 3).then(function (response) {
          if (usable(response)) { return cache.put(url, response); }
          return keepOld(cache, url);
        }, function () { return keepOld(cache, url); });
      }));
    });
  }).then(function () { return self.skipWaiting(); }));
});

// A page, asked again after a moment when the server failed (5xx) or did not answer: on
// a weak signal or a busy server, one failed request must not leave the app without that
// page offline.
function fetchPage(url, tries) {
  return fetch(url, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
    if (response.status < 500 || tries <= 1) { return response; }
    return retry();
  }, function (error) {
    if (tries <= 1) { throw error; }
    return retry();
  });
  function retry() {
    return new Promise(function (resolve) { setTimeout(resolve, 1000); })
      .then(function () { return fetchPage(url, tries - 1); });
  }
}

// A page that could not be fetched now (no signal during the update) keeps the copy the
// previous version had, so that the app still opens offline after the update.
function keepOld(cache, url) {
  return caches.match(url).then(function (old) { return old ? cache.put(url, old) : null; });
}

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (key) {
      return key.indexOf("nk-app-") === 0 && key !== CACHE;
    }).map(function (key) { return caches.delete(key); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) { return; }
  if (PAGES.indexOf(url.pathname) !== -1) {
    event.respondWith(page(request, url.pathname));
  } else if (url.pathname.indexOf(STATIC) === 0) {
    event.respondWith(caches.match(request, { ignoreSearch: true }).then(function (kept) {
      return kept || fetch(request);
    }));
  }
  // Everything else (the API, other pages) goes to the network as if there were no worker.
});

// A shell: from the network when it answers within WAIT (so a page is never one kept
// for the user who was logged in before, and is fresh), else the kept copy: with no
// signal, or a signal too weak to wait for.
var WAIT = 3000;
function page(request, path) {
  return new Promise(function (resolve) {
    var settled = false;
    function answer(response) {
      if (!settled && response) { settled = true; resolve(response); }
    }
    function kept() { return caches.match(path, { ignoreSearch: true }); }
    var timer = setTimeout(function () { kept().then(answer); }, WAIT);
    fetch(request).then(function (response) {
      clearTimeout(timer);
      if (usable(response)) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(path, copy); });
      }
      answer(response);
    }, function () {
      clearTimeout(timer);
      kept().then(function (found) { answer(found || Response.error()); });
    });
  });
}
{% endautoescape %}
