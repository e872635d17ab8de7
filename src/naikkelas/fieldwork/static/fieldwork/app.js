// The offline app's pages: the home page (what waits, what was sent, what was refused and
// why, conflicts; the volunteer's businesses) and the forms (register, edit, visit,
// complaint). A form checks its values against the rules the server serves, then queues
// them in the outbox (store.js); sync.js sends the outbox when there is a connection.
(function () {
  "use strict";
  var root = document.getElementById("field-app");
  if (!root) { return; }
  var WORDS = JSON.parse(document.getElementById("field-strings").textContent);
  var LANGUAGE = document.documentElement.lang || "id";
  var PAGE = root.dataset.page;
  // A photo's longest side and JPEG quality on the phone: a 12 MP photo (4000 x 3000,
  // 4-6 MB) becomes about 1600 x 1200 and 200-400 KB, enough to see a shop and its goods.
  var PHOTO_SIDE = 1600;
  var PHOTO_QUALITY = 0.8;
  // Child items the registration form makes beside the business, by input-name prefix.
  var CHILDREN = { figures: "FinancialRecordWrite", legality: "Legality", product: "Product" };
  var store;
  var sync;

  function t(key, params) {
    var text = WORDS[key] || key;
    return text.replace(/%\((\w+)\)s/g, function (m, name) { return params && name in params ? params[name] : m; });
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") { node.textContent = attrs[key]; } else { node.setAttribute(key, attrs[key]); }
    });
    (children || []).forEach(function (child) { if (child) { node.appendChild(child); } });
    return node;
  }

  function empty(value) { return value === undefined || value === null || value === ""; }

  // --- Rules served by the server (GET /api/v1/rules/), checked before queueing --------

  function message(rule) {
    var text = (rule.message && (rule.message[LANGUAGE] || rule.message.id)) || rule.code;
    return text.replace(/%\((\w+)\)s|\{(\w+)\}/g, function (m, a, b) {
      var name = a || b;
      return name in rule ? rule[name] : m;
    });
  }

  function broken(rule, value, creating) {
    switch (rule.code) {
      case "required": return creating && empty(value);
      case "blank": return value === "";
      default: break;
    }
    if (empty(value) || Array.isArray(value)) { return false; }
    if ("max_length" in rule && String(value).length > rule.max_length) { return true; }
    if ("min_length" in rule && String(value).length < rule.min_length) { return true; }
    if (rule.pattern && !new RegExp(rule.pattern).test(String(value))) { return true; }
    if (rule.choices && rule.choices.indexOf(String(value)) === -1) { return true; }
    var low = "min" in rule ? rule.min : rule.min_value;
    var high = "max" in rule ? rule.max : rule.max_value;
    // Numbers against numbers, ISO dates against ISO dates (their text orders as they do).
    if (typeof low === typeof value && low !== undefined && value < low) { return true; }
    if (typeof high === typeof value && high !== undefined && value > high) { return true; }
    return false;
  }

  function check(rules, input, body, creating) {
    var fields = (rules && rules.inputs && rules.inputs[input]) || {};
    var errors = {};
    Object.keys(fields).forEach(function (field) {
      fields[field].forEach(function (rule) {
        if (!errors[field] && broken(rule, body[field], creating)) {
          errors[field] = [{ code: rule.code, message: message(rule) }];
        }
      });
    });
    return errors;
  }

  // --- Talking to the server when there is a connection ------------------------------

  function getJson(url) {
    return fetch(url, { credentials: "same-origin", cache: "no-store", headers: { "Accept": "application/json", "Accept-Language": LANGUAGE } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); });
  }

  // The rules and the volunteer's businesses (the API's list: NIK and phone masked).
  function refresh() {
    if (!navigator.onLine) { return Promise.resolve(); }
    var rules = getJson(root.dataset.rules).then(function (r) { return store.setFact("rules", r); });
    var listed = [];
    function page(url) {
      return getJson(url).then(function (answer) {
        listed = listed.concat(answer.results);
        return answer.next ? page(answer.next) : store.replaceBusinesses(listed);
      });
    }
    var businesses = page(root.dataset.api + "businesses/");
    return Promise.all([rules, businesses]).then(render, function () { /* offline again: keep what the phone has */ });
  }

  function showNet() {
    var net = document.getElementById("net");
    if (sync && sync.signedOut) {
      net.textContent = t("signed_out");
      net.className = "net notice";
    } else if (!navigator.onLine) {
      net.textContent = t("offline");
      net.className = "net notice";
    } else {
      net.textContent = "";
      net.className = "net";
    }
  }

  // --- The home page --------------------------------------------------------------

  function waiting(item) { return item.state === "waiting" || item.state === "sending"; }

  function render() {
    showNet();
    if (PAGE !== "field_home") { return Promise.resolve(); }
    return Promise.all([store.outbox(), store.all("businesses")]).then(function (found) {
      renderOutbox(found[0]);
      renderBusinesses(found[1], found[0]);
    });
  }

  function renderOutbox(items) {
    var count = document.getElementById("outbox-count");
    var list = document.getElementById("outbox-items");
    var states = {};
    items.forEach(function (i) { states[i.state] = (states[i.state] || 0) + 1; });
    count.textContent = "";
    var nWaiting = items.filter(waiting).length;
    count.appendChild(el("span", { "class": "badge", id: "waiting-count", "data-n": String(nWaiting), text: t("waiting", { n: nWaiting }) }));
    ["refused", "conflict", "sent"].forEach(function (state) {
      if (states[state]) { count.appendChild(el("span", { "class": "badge state-" + state, text: t("state." + state) + ": " + states[state] })); }
    });
    list.textContent = "";
    var sent = {};
    items.forEach(function (i) { if (i.state === "sent") { sent[i.id] = true; } });
    items.slice().reverse().forEach(function (item) {
      if (item.state === "dropped") { return; }
      var row = el("li", { "class": "row item state-" + item.state, "data-item": item.id, "data-kind": item.kind, "data-state": item.state });
      var state = t("state." + item.state);
      var blocked = waiting(item) && (item.parent || (item.refs || [])[0]) &&
        [item.parent].concat(item.refs || []).some(function (d) { return d && !sent[d]; });
      row.appendChild(el("div", { "class": "head" }, [
        el("strong", { text: t("kind." + item.kind) + (item.label ? ": " + item.label : "") }),
        el("span", { "class": "badge state-" + item.state, text: state }),
      ]));
      if (blocked) { row.appendChild(el("p", { "class": "small muted", text: t("blocked") })); }
      if (waiting(item) && item.nextAt && item.nextAt > Date.now()) {
        row.appendChild(el("p", { "class": "small muted", text: t("retry_at", { time: new Date(item.nextAt).toLocaleTimeString(LANGUAGE) }) }));
      }
      if (item.state === "refused") { row.appendChild(refusal(item)); }
      if (item.state === "conflict") { row.appendChild(conflict(item)); }
      list.appendChild(row);
    });
  }

  // A refused item, fixed in place: an input for each refused field, with the server's
  // reason next to it, then sent again.
  function refusal(item) {
    var box = el("form", { "class": "fix", novalidate: "" });
    if (item.detail) { box.appendChild(el("p", { "class": "error", text: item.detail })); }
    if (!item.detail && !item.errors) { box.appendChild(el("p", { "class": "error", text: t("error", { status: item.status }) })); }
    var fields = Object.keys(item.errors || {});
    fields.forEach(function (field) {
      var messages = item.errors[field].map(function (e) { return e.message; }).join(" ");
      var editable = item.body && field in item.body || (item.body && field !== "non_field_errors" && field !== "photo");
      var value = item.body && !empty(item.body[field]) ? item.body[field] : "";
      box.appendChild(el("div", { "class": "field has-error", "data-field": field }, [
        el("label", { text: field }),
        editable ? el("input", { name: field, value: String(value) }) : null,
        el("p", { "class": "error", text: messages }),
      ]));
    });
    var actions = el("div", { "class": "actions" });
    if (fields.some(function (f) { return f !== "non_field_errors" && f !== "photo"; })) {
      actions.appendChild(el("button", { type: "submit", "class": "primary", text: t("fix") }));
    }
    var drop = el("button", { type: "button", "class": "drop", text: t("drop") });
    drop.addEventListener("click", function () { dropItem(item); });
    actions.appendChild(drop);
    box.appendChild(actions);
    box.addEventListener("submit", function (e) {
      e.preventDefault();
      fields.forEach(function (field) {
        var input = box.querySelector("input[name='" + field + "']");
        if (!input) { return; }
        var old = item.body[field];
        item.body[field] = typeof old === "number" && input.value !== "" ? Number(input.value) : input.value;
      });
      requeue(item);
    });
    return box;
  }

  // An edit made on a version the server has since moved past: both versions side by
  // side; the volunteer ticks the fields where theirs should win, or drops the edit.
  function conflict(item) {
    var current = item.current || {};
    var base = item.base || {};
    var box = el("form", { "class": "conflict" });
    box.appendChild(el("p", { "class": "small", text: t("conflict_help") }));
    var table = el("table", { "class": "table side-by-side" });
    table.appendChild(el("tr", {}, [el("th", { text: t("field") }), el("th", { text: t("yours") }),
      el("th", { text: t("server") }), el("th", { text: t("keep_mine") })]));
    Object.keys(item.body).filter(function (f) { return f !== "version"; }).forEach(function (field) {
      var theirsChanged = String(empty(current[field]) ? "" : current[field]) !== String(empty(base[field]) ? "" : base[field]);
      var keep = el("input", { type: "checkbox", name: field, "class": "choice" });
      keep.checked = !theirsChanged;
      table.appendChild(el("tr", { "data-field": field }, [
        el("td", { text: field }),
        el("td", { "class": "mine", text: String(item.body[field]) }),
        el("td", { "class": "theirs", text: empty(current[field]) ? "—" : String(current[field]) }),
        el("td", {}, [keep]),
      ]));
    });
    box.appendChild(table);
    var send = el("button", { type: "submit", "class": "primary", text: t("send_choice") });
    var drop = el("button", { type: "button", "class": "drop", text: t("drop_mine") });
    drop.addEventListener("click", function () { dropItem(item); });
    box.appendChild(el("div", { "class": "actions" }, [send, drop]));
    box.addEventListener("submit", function (e) {
      e.preventDefault();
      var kept = {};
      Object.keys(item.body).forEach(function (field) {
        var tick = box.querySelector("input[name='" + field + "']");
        if (tick && tick.checked) { kept[field] = item.body[field]; }
      });
      if (!Object.keys(kept).length) { dropItem(item, true); return; }
      kept.version = current.version;
      item.body = kept;
      item.base = current;
      item.current = null;
      requeue(item);
    });
    return box;
  }

  function requeue(item) {
    item.state = "waiting";
    item.attempts = 0;
    item.nextAt = 0;
    item.errors = null;
    item.detail = "";
    return store.update(item).then(render).then(function () { return sync.run(true); });
  }

  function dropItem(item, confirmed) {
    if (!confirmed && !window.confirm(t("drop_confirm"))) { return; }
    // Gone from the phone, personal data and photo included.
    store.remove("outbox", item.id).then(render);
  }

  function renderBusinesses(businesses, items) {
    var list = document.getElementById("business-list");
    list.textContent = "";
    var submitting = {};
    items.forEach(function (i) { if (i.kind === "business.submit" && i.state !== "dropped") { submitting[i.target || i.parent] = true; } });
    items.filter(function (i) { return i.kind === "business.create" && i.state !== "sent" && i.state !== "dropped"; })
      .forEach(function (i) {
        list.appendChild(businessRow({ name: i.body.name, street: i.body.street, status: "" }, "local:" + i.id, !submitting[i.id]));
      });
    businesses.sort(function (a, b) { return a.name.localeCompare(b.name); }).forEach(function (b) {
      var open = (b.status === "draft" || b.status === "returned") && !submitting[b.id];
      list.appendChild(businessRow(b, String(b.id), open));
    });
    if (!list.children.length) { list.appendChild(el("li", { "class": "muted", text: t("no_businesses") })); }
  }

  function businessRow(b, key, canSubmit) {
    var row = el("li", { "class": "row business", "data-business": key });
    row.appendChild(el("div", { "class": "head" }, [
      el("strong", { text: b.name || "" }),
      el("span", { "class": "badge status-" + (b.status || "new"), text: b.status || t("new_business") }),
    ]));
    var facts = [b.street, b.rt ? "RT " + b.rt : "", b.rw ? "RW " + b.rw : "", b.nik, b.phone].filter(Boolean).join(" · ");
    if (facts) { row.appendChild(el("p", { "class": "small muted", text: facts })); }
    var actions = el("div", { "class": "actions" });
    if (key.indexOf("local:") !== 0) {
      actions.appendChild(el("a", { "class": "button edit", href: root.dataset.edit + "#b=" + key, text: t("edit") }));
    }
    if (canSubmit) {
      var submit = el("button", { type: "button", "class": "submit", text: t("submit") });
      submit.addEventListener("click", function () {
        var local = key.indexOf("local:") === 0 ? key.slice(6) : null;
        store.queue({
          kind: "business.submit", body: {}, label: b.name,
          parent: local, target: local ? null : Number(key), group: local ? "new:" + local : "b:" + key,
        }).then(render).then(function () { if (navigator.onLine) { sync.run(true); } });
      });
      actions.appendChild(submit);
    }
    row.appendChild(actions);
    return row;
  }

  // --- The forms ----------------------------------------------------------------

  function resize(file) {
    return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
      var scale = Math.min(1, PHOTO_SIDE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      bitmap.close();
      return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", PHOTO_QUALITY); });
    });
  }

  function typed(input) {
    if (input.multiple) {
      return Array.prototype.map.call(input.selectedOptions, function (o) { return localOrId(o.value); });
    }
    if (input.type === "number") { return input.value === "" ? "" : Number(input.value); }
    if (input.classList.contains("cached-businesses")) { return input.value === "" ? "" : localOrId(input.value); }
    return input.value.trim();
  }

  function localOrId(value) { return value.indexOf(NKSync.LOCAL) === 0 ? value : Number(value); }

  function showErrors(form, errors) {
    form.querySelectorAll("[data-error-for]").forEach(function (p) { p.hidden = true; p.textContent = ""; });
    form.querySelectorAll(".has-error").forEach(function (f) { f.classList.remove("has-error"); });
    var box = document.getElementById("form-errors");
    var fields = Object.keys(errors);
    box.hidden = !fields.length;
    box.textContent = fields.length ? t("check_errors") : "";
    fields.forEach(function (field) {
      var p = form.querySelector("[data-error-for='" + field + "']");
      if (!p) { box.appendChild(el("p", { text: errors[field][0].message })); return; }
      p.hidden = false;
      p.textContent = errors[field].map(function (e) { return e.message; }).join(" ");
      p.parentNode.classList.add("has-error");
    });
    if (fields.length) { box.scrollIntoView(); }
  }

  function fillBusinessChoices(form) {
    var selects = form.querySelectorAll("select.cached-businesses");
    if (!selects.length) { return Promise.resolve(); }
    return Promise.all([store.all("businesses"), store.outbox()]).then(function (found) {
      var choices = found[0].map(function (b) { return [String(b.id), b.name]; });
      found[1].forEach(function (i) {
        if (i.kind === "business.create" && i.state !== "sent" && i.state !== "dropped") {
          choices.push([NKSync.LOCAL + i.id, i.body.name + " (" + t("new_business") + ")"]);
        }
      });
      selects.forEach(function (select) {
        choices.forEach(function (c) { select.appendChild(el("option", { value: c[0], text: c[1] })); });
      });
    });
  }

  function form() {
    var node = document.getElementById("item-form");
    var kind = node.dataset.kind;
    var editing = null; // the cached business an edit starts from
    var position = null;
    var photo = null;
    var hash = new URLSearchParams(location.hash.slice(1));
    var ready = fillBusinessChoices(node);
    var held = node.querySelector("[name='held_on']");
    if (held && !held.value) { held.value = new Date().toISOString().slice(0, 10); }
    if (kind === "business.update") {
      ready = ready.then(function () { return store.get("businesses", Number(hash.get("b"))); }).then(function (b) {
        if (!b) { showErrors(node, { non_field_errors: [{ message: t("unknown_business") }] }); return; }
        editing = b;
        document.getElementById("form-title").textContent += ": " + b.name;
        node.querySelectorAll("[name]").forEach(function (input) {
          if (input.name in b && !empty(b[input.name]) && input.name !== "phone") { input.value = b[input.name]; }
        });
      });
    }
    var locate = document.getElementById("get-location");
    var note = document.getElementById("location-note");
    locate.addEventListener("click", function () {
      if (!navigator.geolocation) { note.textContent = t("location_error"); return; }
      navigator.geolocation.getCurrentPosition(function (pos) {
        // What the phone reports, with how sure it is; never a value made up here.
        position = {
          latitude: Number(pos.coords.latitude.toFixed(6)),
          longitude: Number(pos.coords.longitude.toFixed(6)),
          location_accuracy: Math.round(pos.coords.accuracy * 10) / 10,
        };
        note.textContent = t("location_got", { m: Math.round(pos.coords.accuracy) });
        locate.dataset.accuracy = String(position.location_accuracy);
      }, function () { note.textContent = t("location_error"); },
      { enableHighAccuracy: true, timeout: 30000, maximumAge: 0 });
    });
    var picker = node.querySelector("[data-photo]");
    picker.addEventListener("change", function () {
      var file = picker.files[0];
      photo = null;
      if (!file) { return; }
      photo = resize(file).then(function (blob) {
        document.getElementById("photo-note").textContent = t("photo_ready", { kb: Math.round(blob.size / 1024) });
        picker.dataset.bytes = String(blob.size);
        return blob;
      });
    });
    node.addEventListener("submit", function (e) {
      e.preventDefault();
      ready.then(function () { return Promise.all([store.fact("rules"), photo]); }).then(function (found) {
        return save(node, kind, found[0], editing, position, found[1]);
      }).then(function (saved) {
        if (saved) { location.href = root.dataset.home; }
      });
    });
    return ready;
  }

  function save(node, kind, rules, editing, position, photo) {
    var body = {};
    var children = {};
    node.querySelectorAll("[name]").forEach(function (input) {
      var value = typed(input);
      var dot = input.name.indexOf(".");
      if (dot !== -1) {
        var child = input.name.slice(0, dot);
        children[child] = children[child] || {};
        if (!empty(value)) { children[child][input.name.slice(dot + 1)] = value; }
      } else if (kind === "business.update") {
        var was = editing ? editing[input.name] : undefined;
        if (String(empty(value) ? "" : value) !== String(empty(was) ? "" : was) && !(input.name === "phone" && value === "")) {
          body[input.name] = value;
        }
      } else if (!empty(value) && !(Array.isArray(value) && !value.length)) {
        body[input.name] = value;
      }
    });
    if (position) { Object.assign(body, position); }
    var creating = kind !== "business.update";
    var errors = check(rules, node.dataset.input, body, creating);
    Object.keys(children).forEach(function (child) {
      if (!Object.keys(children[child]).length) { delete children[child]; return; }
      var found = check(rules, CHILDREN[child], children[child], true);
      Object.keys(found).forEach(function (field) { errors[child + "." + field] = found[field]; });
    });
    showErrors(node, errors);
    if (Object.keys(errors).length) { return Promise.resolve(false); }
    if (navigator.storage && navigator.storage.persist) { navigator.storage.persist(); }
    if (kind === "business.update") { return queueEdit(editing, body, photo); }
    var id = crypto.randomUUID();
    var group = (kind === "business.create" ? "new:" : kind + ":") + id;
    var refs = [].concat(body.businesses || [], body.business || [])
      .filter(function (v) { return typeof v === "string"; })
      .map(function (v) { return v.slice(NKSync.LOCAL.length); });
    var label = body.name || body.place || (body.text || "").slice(0, 40);
    var queued = store.queue({ id: id, kind: kind, group: group, body: body, refs: refs, label: label });
    Object.keys(children).forEach(function (child) {
      queued = queued.then(function () {
        return store.queue({ kind: child, parent: id, group: group, body: children[child], label: label });
      });
    });
    if (photo) {
      var photoKind = kind === "business.create" ? "photo" : kind + "_photo";
      queued = queued.then(function () {
        return store.queue({ kind: photoKind, parent: id, group: group, photo: photo, photoBytes: photo.size, label: label });
      });
    }
    return queued.then(function () { return true; });
  }

  // An edit of a registered business carries the version it was made on and the values
  // it started from (to show a conflict). A second edit while the first still waits
  // joins it: both rest on the same version.
  function queueEdit(business, changes, photo) {
    return store.outbox().then(function (items) {
      var open = items.filter(function (i) {
        return i.kind === "business.update" && i.target === business.id && i.state === "waiting" && !i.attempts;
      })[0];
      var done;
      if (open) {
        Object.assign(open.body, changes);
        done = store.update(open);
      } else if (Object.keys(changes).length) {
        changes.version = business.version;
        done = store.queue({ kind: "business.update", target: business.id, group: "b:" + business.id,
          body: changes, base: business, label: business.name });
      } else {
        done = Promise.resolve();
      }
      if (photo) {
        done = done.then(function () {
          return store.queue({ kind: "photo", target: business.id, group: "b:" + business.id,
            photo: photo, photoBytes: photo.size, label: business.name });
        });
      }
      return done.then(function () { return true; });
    });
  }

  // --- Start -------------------------------------------------------------------

  NKStore.open(root.dataset.user).then(function (opened) {
    store = opened;
    sync = new NKSync.Sync(store, { api: root.dataset.api, language: LANGUAGE, onchange: render });
    window.addEventListener("online", function () { sync.run(true).then(refresh); });
    window.addEventListener("offline", showNet);
    var sendNow = document.getElementById("send-now");
    if (sendNow) { sendNow.addEventListener("click", function () { sync.run(true).then(refresh); }); }
    if (PAGE === "field_home") {
      render().then(function () { return navigator.onLine ? sync.run(false).then(refresh) : null; })
        .then(function () { root.dataset.ready = "1"; });
    } else {
      // Ready once the form holds what the phone knows (the business edited, the choices).
      form().then(render).then(function () { root.dataset.ready = "1"; });
      if (navigator.onLine) { sync.run(false); }
    }
    // For the browser journeys and the benchmark (benchmarks/offline.py) to look inside.
    window.NKApp = { store: store, sync: sync, refresh: refresh, resize: resize };
  });
})();
