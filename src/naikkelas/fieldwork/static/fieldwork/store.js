// The phone's store for the offline app: one IndexedDB database per volunteer
// ("nk-field-<username>") holding the outbox, the businesses of the volunteer's area as
// the API lists them (NIK and phone masked only) and small facts (the served rules).
// Never the HTTP cache: the service worker keeps only the pages' shells and static files.
(function () {
  "use strict";

  // The outbox's schema version. A new version appends a step to MIGRATIONS and never
  // edits an old one: a phone that waited offline through several releases runs every
  // step from its version up, in one upgrade, and keeps its queued items.
  var SCHEMA = 1;
  var MIGRATIONS = [
    function toVersion1(db) {
      db.createObjectStore("outbox", { keyPath: "id" }).createIndex("seq", "seq");
      db.createObjectStore("businesses", { keyPath: "id" });
      db.createObjectStore("meta", { keyPath: "key" });
    },
  ];
  var PREFIX = "nk-field-";

  // What of a listed business the phone keeps: no personal data but the masked NIK and
  // phone the API gives (a value that is not masked is dropped, never stored).
  var KEPT = ["id", "name", "nib", "kbli", "main_activity", "main_product", "legal_form",
    "start_year", "kelurahan", "rw", "rt", "street", "latitude", "longitude",
    "location_accuracy", "status", "owner_name", "version", "updated_at"];

  function masked(value) {
    return typeof value === "string" && value.indexOf("*") !== -1 ? value : "";
  }

  function keptBusiness(b) {
    var kept = {};
    KEPT.forEach(function (key) { if (key in b) { kept[key] = b[key]; } });
    kept.nik = masked(b.nik);
    kept.phone = masked(b.phone);
    return kept;
  }

  // How the phone shows personal data it typed, once sent: like the server's masks.
  function maskNik(nik) { return nik ? "************" + String(nik).slice(-4) : ""; }
  function maskPhone(phone) {
    var digits = String(phone || "").replace(/\D/g, "");
    return digits ? digits.slice(0, 2) + "******" + digits.slice(-4) : "";
  }

  function promised(request) {
    return new Promise(function (resolve, reject) {
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function done(tx) {
    return new Promise(function (resolve, reject) {
      tx.oncomplete = function () { resolve(); };
      tx.onerror = tx.onabort = function () { reject(tx.error); };
    });
  }

  function Store(db) { this.db = db; }

  Store.prototype.all = function (name) {
    return promised(this.db.transaction(name).objectStore(name).getAll());
  };
  Store.prototype.get = function (name, key) {
    return promised(this.db.transaction(name).objectStore(name).get(key));
  };
  Store.prototype.put = function (name, value) {
    var tx = this.db.transaction(name, "readwrite");
    tx.objectStore(name).put(value);
    return done(tx);
  };
  Store.prototype.remove = function (name, key) {
    var tx = this.db.transaction(name, "readwrite");
    tx.objectStore(name).delete(key);
    return done(tx);
  };
  Store.prototype.fact = function (key) {
    return this.get("meta", key).then(function (row) { return row ? row.value : undefined; });
  };
  Store.prototype.setFact = function (key, value) {
    return this.put("meta", { key: key, value: value });
  };

  // The volunteer's businesses as listed now: the whole set replaces the old one.
  Store.prototype.replaceBusinesses = function (listed) {
    var tx = this.db.transaction("businesses", "readwrite");
    var store = tx.objectStore("businesses");
    store.clear();
    listed.forEach(function (b) { store.put(keptBusiness(b)); });
    return done(tx);
  };
  Store.prototype.keepBusiness = function (b) { return this.put("businesses", keptBusiness(b)); };

  // The outbox in the order its items were made (`seq`, one counter per phone).
  Store.prototype.outbox = function () {
    return promised(this.db.transaction("outbox").objectStore("outbox").index("seq").getAll());
  };
  // A new item: its id is the client's UUID, sent as the Idempotency-Key.
  Store.prototype.queue = function (item) {
    var tx = this.db.transaction(["outbox", "meta"], "readwrite");
    var meta = tx.objectStore("meta");
    var outbox = tx.objectStore("outbox");
    item.id = item.id || crypto.randomUUID();
    item.state = "waiting";
    item.attempts = 0;
    item.createdAt = Date.now();
    meta.get("seq").onsuccess = function (e) {
      var seq = (e.target.result ? e.target.result.value : 0) + 1;
      meta.put({ key: "seq", value: seq });
      item.seq = seq;
      outbox.put(item);
    };
    return done(tx).then(function () { return item; });
  };
  Store.prototype.update = function (item) { return this.put("outbox", item); };

  // Once the server took an item, the phone keeps only what the list shows of it: typed
  // NIK and phone become masks, the photo's bytes go (the server has them).
  Store.prototype.markSent = function (item, result) {
    item.state = "sent";
    item.sentAt = Date.now();
    item.result = { id: result && result.id };
    item.errors = null;
    item.detail = "";
    if (item.body) {
      if (item.body.nik) { item.body.nik = maskNik(item.body.nik); }
      if (item.body.phone) { item.body.phone = maskPhone(item.body.phone); }
    }
    if (item.photo) { item.photoBytes = item.photo.size; item.photo = null; }
    return this.update(item);
  };

  function open(user) {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(PREFIX + user, SCHEMA);
      request.onupgradeneeded = function (e) {
        for (var v = e.oldVersion; v < SCHEMA; v += 1) {
          MIGRATIONS[v](request.result, request.transaction);
        }
      };
      request.onsuccess = function () {
        var db = request.result;
        // Another page upgrading the schema, or a logout deleting the database: let go.
        db.onversionchange = function () { db.close(); };
        resolve(new Store(db));
      };
      request.onerror = function () { reject(request.error); };
    });
  }

  // Everything of the app on this phone: every volunteer's database and every cache.
  function wipe() {
    var databases = indexedDB.databases ? indexedDB.databases() : Promise.resolve([]);
    return databases.then(function (found) {
      return Promise.all(found.filter(function (d) { return d.name.indexOf(PREFIX) === 0; })
        .map(function (d) { return promised(indexedDB.deleteDatabase(d.name)); }));
    }).then(function () {
      return window.caches ? caches.keys() : [];
    }).then(function (keys) {
      return Promise.all(keys.map(function (key) { return caches.delete(key); }));
    });
  }

  // Items still to send, without opening (and so creating) a database that is not there.
  function unsent(user) {
    var databases = indexedDB.databases ? indexedDB.databases() : Promise.resolve([]);
    return databases.then(function (found) {
      if (!found.some(function (d) { return d.name === PREFIX + user; })) { return 0; }
      return open(user).then(function (store) {
        return store.outbox().then(function (items) {
          store.db.close();
          return items.filter(function (i) { return i.state !== "sent" && i.state !== "dropped"; }).length;
        });
      });
    });
  }

  window.NKStore = { open: open, wipe: wipe, unsent: unsent, SCHEMA: SCHEMA, keptBusiness: keptBusiness };
})();
