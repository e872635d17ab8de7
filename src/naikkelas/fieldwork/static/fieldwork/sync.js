// Sending the outbox through the API (docs: /work/wt/CONTRACT-offline.md, the API's
// schema at /api/v1/schema/). Items go in the order they were made; an item of a business
// (or visit, complaint) made offline waits until the record it belongs to has its id from
// the server. Every request carries the item's UUID as its Idempotency-Key, so a retry
// after a lost answer gets the first answer back and writes nothing twice.
(function () {
  "use strict";

  // Each kind of item: how it is sent. `target` is the server id of the record it goes
  // to (the item's own, or the one its parent item created).
  var KINDS = {
    "business.create": { method: "POST", path: function () { return "businesses/"; } },
    "business.update": { method: "PATCH", path: function (id) { return "businesses/" + id + "/"; } },
    "business.submit": { method: "POST", path: function (id) { return "businesses/" + id + "/submit/"; } },
    "figures": { method: "POST", path: function (id) { return "businesses/" + id + "/figures/"; } },
    "legality": { method: "POST", path: function (id) { return "businesses/" + id + "/legality/"; } },
    "product": { method: "POST", path: function (id) { return "businesses/" + id + "/products/"; } },
    "photo": { method: "POST", multipart: true, path: function (id) { return "businesses/" + id + "/photos/"; } },
    "visit": { method: "POST", path: function () { return "visits/"; } },
    "visit_photo": { method: "POST", multipart: true, path: function (id) { return "visits/" + id + "/photos/"; } },
    "complaint": { method: "POST", path: function () { return "complaints/"; } },
    "complaint_photo": { method: "POST", multipart: true, path: function (id) { return "complaints/" + id + "/photos/"; } },
  };
  var FIRST_DELAY = 1000;
  var LAST_DELAY = 5 * 60 * 1000;
  // A value that stands for the id of a record made offline, until the server gives it.
  var LOCAL = "local:";

  function csrfToken() {
    // Read at each send: Django rotates the token at login.
    var found = document.cookie.split(";").map(function (c) { return c.trim(); })
      .filter(function (c) { return c.indexOf("csrftoken=") === 0; })[0];
    return found ? decodeURIComponent(found.slice("csrftoken=".length)) : "";
  }

  // Exponential backoff with jitter: 1 s, 2 s, 4 s ... up to 5 minutes, so that phones
  // coming back online together do not all call at once.
  function backoff(attempts) {
    var delay = Math.min(LAST_DELAY, FIRST_DELAY * Math.pow(2, Math.max(0, attempts - 1)));
    return Math.round(delay * (0.75 + Math.random() * 0.5));
  }

  function Sync(store, options) {
    this.store = store;
    this.api = options.api;
    this.language = options.language;
    this.onchange = options.onchange || function () {};
    this.running = null;
    this.timer = null;
    this.requests = 0;
    this.signedOut = false;
  }

  // The server's ids of the records the outbox made, by the UUID of the item that made them.
  function madeIds(items) {
    var ids = {};
    items.forEach(function (i) { if (i.state === "sent" && i.result && i.result.id != null) { ids[i.id] = i.result.id; } });
    return ids;
  }

  function dependencies(item) {
    var deps = item.parent ? [item.parent] : [];
    return deps.concat(item.refs || []);
  }

  function resolved(value, ids) {
    if (typeof value === "string" && value.indexOf(LOCAL) === 0) { return ids[value.slice(LOCAL.length)]; }
    if (Array.isArray(value)) { return value.map(function (v) { return resolved(v, ids); }); }
    return value;
  }

  Sync.prototype.request = function (item, ids) {
    var kind = KINDS[item.kind];
    var target = item.parent ? ids[item.parent] : item.target;
    var headers = {
      "Idempotency-Key": item.id,
      "X-CSRFToken": csrfToken(),
      "Accept": "application/json",
      "Accept-Language": this.language,
    };
    var body;
    if (kind.multipart) {
      body = new FormData();
      body.append("photo", item.photo, "photo.jpg");
    } else {
      var values = {};
      Object.keys(item.body || {}).forEach(function (key) { values[key] = resolved(item.body[key], ids); });
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(values);
    }
    this.requests += 1;
    return fetch(this.api + kind.path(target), {
      method: kind.method, headers: headers, body: body,
      credentials: "same-origin", cache: "no-store",
    });
  };

  // What an answer means for its item: sent, refused (fix it in place), a conflict, or
  // try again later ("retry"); "stop" when no item can go until the volunteer logs in.
  Sync.prototype.settle = function (item, response) {
    var self = this;
    return response.json().catch(function () { return {}; }).then(function (answer) {
      var status = response.status;
      if (status >= 200 && status < 300) {
        var kept = self.store.markSent(item, answer);
        if (item.kind.indexOf("business.") === 0 && answer.id) {
          kept = kept.then(function () { return self.store.keepBusiness(answer); });
        }
        return kept.then(function () { return "sent"; });
      }
      if (status === 401 || (status === 403 && /^CSRF/.test(answer.detail || ""))) {
        self.signedOut = true;
        item.state = "waiting";
        return self.store.update(item).then(function () { return "stop"; });
      }
      if (status === 409 && answer.code === "stale_edit") {
        item.state = "conflict";
        item.detail = answer.detail || "";
        // The server's values now, to show beside the volunteer's.
        var current = answer.current ? Promise.resolve(answer.current) : self.current(item);
        return current.then(function (found) {
          item.current = found;
          return self.store.update(item);
        }).then(function () { return "blocked"; });
      }
      if (status === 429 || status >= 500) { return self.later(item); }
      item.state = "refused";
      item.status = status;
      item.errors = answer.fields || null;
      item.detail = answer.detail || "";
      return self.store.update(item).then(function () { return "blocked"; });
    });
  };

  Sync.prototype.current = function (item) {
    return fetch(this.api + "businesses/" + item.target + "/", {
      credentials: "same-origin", cache: "no-store", headers: { "Accept": "application/json" },
    }).then(function (r) { return r.ok ? r.json() : null; }, function () { return null; });
  };

  Sync.prototype.later = function (item) {
    item.state = "waiting";
    item.attempts = (item.attempts || 0) + 1;
    item.nextAt = Date.now() + backoff(item.attempts);
    return this.store.update(item).then(function () { return "retry"; });
  };

  // One pass over the outbox. `now` sends every waiting item whatever its backoff (the
  // volunteer pressed "Send now"). One pass at a time per phone, across tabs too.
  Sync.prototype.run = function (now) {
    var self = this;
    if (self.running) { return self.running; }
    var pass = function () { return self.pass(now); };
    var locked = navigator.locks
      ? navigator.locks.request("nk-sync", function () { return pass(); })
      : pass();
    self.running = locked.finally(function () { self.running = null; self.schedule(); });
    return self.running;
  };

  Sync.prototype.pass = function (now) {
    var self = this;
    self.signedOut = false;
    return self.store.outbox().then(function (items) {
      var ids = madeIds(items);
      var held = {}; // groups (one business, visit or complaint) an earlier item holds up
      var todo = items.filter(function (i) { return i.state === "waiting" || i.state === "sending"; });
      var index = 0;
      function next() {
        if (index >= todo.length) { return Promise.resolve(); }
        var item = todo[index];
        index += 1;
        var waitsFor = dependencies(item).filter(function (d) { return !(d in ids); });
        if (held[item.group] || waitsFor.length) {
          held[item.group] = true;
          return next();
        }
        if (!now && item.nextAt && item.nextAt > Date.now()) {
          held[item.group] = true;
          return next();
        }
        item.state = "sending";
        return self.store.update(item).then(function () {
          self.onchange();
          return self.request(item, ids).then(function (response) {
            return self.settle(item, response);
          }, function () {
            // No answer: no connection, or the answer was lost on the way. The server may
            // have written it: the retry's Idempotency-Key makes that safe.
            return self.later(item).then(function () { return "offline"; });
          });
        }).then(function (outcome) {
          self.onchange();
          if (outcome === "sent") { ids[item.id] = item.result.id; return next(); }
          if (outcome === "stop" || outcome === "offline") { return; }
          held[item.group] = true;
          return next();
        });
      }
      return next();
    });
  };

  // The next pass, when the first item's backoff ends.
  Sync.prototype.schedule = function () {
    var self = this;
    clearTimeout(self.timer);
    self.store.outbox().then(function (items) {
      var times = items.filter(function (i) { return i.state === "waiting" && i.nextAt; })
        .map(function (i) { return i.nextAt; });
      if (!times.length || self.signedOut) { return; }
      var wait = Math.max(0, Math.min.apply(null, times) - Date.now());
      self.timer = setTimeout(function () { self.run(false); }, wait);
    });
  };

  window.NKSync = { Sync: Sync, KINDS: KINDS, LOCAL: LOCAL, backoff: backoff };
})();
