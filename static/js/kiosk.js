// Kinerja kiosk: the rating flow and the offline queue of a counter tablet. Hand-written, no
// framework, no build step. A tap on a face is stored in the browser (IndexedDB, else
// localStorage) at once; the citizen's further answers update that record; when the flow ends
// the record becomes sendable, and a background sender delivers it in batches, keeping it until
// the server has answered for it. The CSP forbids inline script: everything lives here.
//
// The same flow runs on a citizen's own phone, opened from a counter's QR poster ("phone
// mode"): the page embeds its settings (#kiosk-phone, JSON in a data attribute: no inline
// script), so there is no pairing, no device token, no idle loop and no service
// worker; each rating is sent on its own as soon as the citizen is done, with retries, and the
// page then stays on its thank-you screen: one rating per browser per counter per hour.
(function () {
  "use strict";

  var PHONE = readPhone();
  var VERSION = "kiosk-1.0.0";
  // A phone keeps its queue apart from a tablet's (the same browser could be both).
  var STORE = PHONE ? "kinerja.ponsel." : "kinerja.";
  var KEYS = {
    token: "kinerja.token", kiosk: "kinerja.kiosk", config: "kinerja.config",
    revoked: "kinerja.revoked", rejected: STORE + "rejected", lastTap: STORE + "lastTap",
    queue: STORE + "queue",
  };
  var DATABASE = PHONE ? "kinerja-ponsel" : "kinerja-kiosk";
  var RESPONDENT_FIELDS = ["age_group", "sex", "education", "occupation"];
  var BATCH = 50;              // items per POST; halved on 413
  var REQUEST_TIMEOUT = 20000; // a hanging request on a bad network counts as a failure
  var SETTLE_MS = 300;         // a new screen ignores taps this long: no accidental double answers
  var CONFIG_MAX_AGE = 10 * 60 * 1000;

  var body = document.body;
  var API = PHONE ? "" : body.dataset.api; // a phone's records carry their counter's full path
  var TEXT = document.getElementById("kiosk-text").dataset;
  var IDLE_MS = (Number(body.dataset.idleSeconds) || 30) * 1000;
  var THANKS_MS = (Number(body.dataset.thanksSeconds) || 8) * 1000;

  function readPhone() {
    var block = document.getElementById("kiosk-phone");
    if (!block) return null;
    try { return JSON.parse(block.dataset.settings); } catch (error) { return null; }
  }

  function $(id) { return document.getElementById(id); }
  function all(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }

  function say(key, values) {
    // A phone's narrow top bar gets shorter words where the page gives them.
    var text = PHONE && PHONE.texts && PHONE.texts[key] ? PHONE.texts[key] : TEXT[key];
    return (text || "").replace(/\{(\w+)\}/g, function (match, name) {
      return values && name in values ? String(values[name]) : match;
    });
  }

  // ------------------------------------------------------------------ small persistent values
  var local = {
    get: function (key, fallback) {
      try {
        var raw = localStorage.getItem(key);
        return raw === null ? fallback : JSON.parse(raw);
      } catch (error) { return fallback; }
    },
    set: function (key, value) {
      try { localStorage.setItem(key, JSON.stringify(value)); } catch (error) { /* full or off */ }
    },
    remove: function (key) {
      try { localStorage.removeItem(key); } catch (error) { /* nothing to do */ }
    },
  };

  // ------------------------------------------------------------------ the queue
  // Records: {id: client_id, created: ms, ready: bool, rating: {...the API item...}}.
  function idbQueue(db) {
    function transaction(mode, work) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction("ratings", mode);
        var request = work(tx.objectStore("ratings"));
        tx.oncomplete = function () { resolve(request ? request.result : undefined); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
      });
    }
    return {
      all: function () { return transaction("readonly", function (store) { return store.getAll(); }); },
      put: function (record) { return transaction("readwrite", function (store) { store.put(record); }); },
      remove: function (ids) {
        return transaction("readwrite", function (store) { ids.forEach(function (id) { store.delete(id); }); });
      },
    };
  }

  function localQueue() {
    function read() { return local.get(KEYS.queue, {}); }
    return {
      all: function () {
        var records = read();
        return Promise.resolve(Object.keys(records).map(function (id) { return records[id]; }));
      },
      put: function (record) {
        var records = read();
        records[record.id] = record;
        local.set(KEYS.queue, records);
        return Promise.resolve();
      },
      remove: function (ids) {
        var records = read();
        ids.forEach(function (id) { delete records[id]; });
        local.set(KEYS.queue, records);
        return Promise.resolve();
      },
    };
  }

  function openQueue() {
    return new Promise(function (resolve) {
      var fallback = setTimeout(function () { resolve(null); }, 3000);
      function done(db) { clearTimeout(fallback); resolve(db); }
      try {
        var request = indexedDB.open(DATABASE, 1);
        request.onupgradeneeded = function () { request.result.createObjectStore("ratings", { keyPath: "id" }); };
        request.onsuccess = function () { done(request.result); };
        request.onerror = function () { done(null); };
        request.onblocked = function () { done(null); };
      } catch (error) { done(null); }
    }).then(function (db) {
      if (!db) return localQueue();
      var queue = idbQueue(db);
      // Ratings kept in localStorage while IndexedDB was unavailable move over.
      var stranded = localQueue();
      return stranded.all().then(function (records) {
        if (!records.length) return queue;
        return Promise.all(records.map(queue.put)).then(function () {
          local.remove(KEYS.queue);
          return queue;
        });
      });
    });
  }

  var queue = openQueue();

  function save(record) {
    var copy = JSON.parse(JSON.stringify(record));
    return queue.then(function (q) { return q.put(copy); }).then(countQueue);
  }

  function countQueue() {
    return queue.then(function (q) { return q.all(); }).then(function (records) {
      state.queued = records.length;
      renderStatus();
      return records;
    });
  }

  function logRejected(entries) {
    var log = local.get(KEYS.rejected, []);
    if (!Array.isArray(log)) log = [];
    local.set(KEYS.rejected, log.concat(entries).slice(-50));
  }

  // ------------------------------------------------------------------ state
  var state = {
    token: PHONE ? null : local.get(KEYS.token, null),
    kiosk: PHONE ? null : local.get(KEYS.kiosk, null),
    config: PHONE ? PHONE.config : local.get(KEYS.config, null),
    revoked: PHONE ? false : local.get(KEYS.revoked, false) === true,
    configAt: PHONE ? Date.now() : 0,
    sent: false, // phone: something of this visit has reached the server
    rated: false, // phone: this browser has rated the counter within the hour
    queued: 0,
    clockOff: false,
    screen: null,
    current: null, // the record of the rating being answered
    steps: [],
    step: 0,
    reloadWhenIdle: false,
  };

  // ------------------------------------------------------------------ time and identity
  function pad(number, width) {
    var text = String(Math.abs(number));
    while (text.length < (width || 2)) text = "0" + text;
    return text;
  }

  function isoWithOffset(date) {
    var offset = -date.getTimezoneOffset();
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate()) +
      "T" + pad(date.getHours()) + ":" + pad(date.getMinutes()) + ":" + pad(date.getSeconds()) +
      "." + pad(date.getMilliseconds(), 3) + (offset >= 0 ? "+" : "-") +
      pad(Math.floor(Math.abs(offset) / 60)) + ":" + pad(Math.abs(offset) % 60);
  }

  // A phone's clock may be off: its ratings are dated by the server's clock at page load (the
  // page is never cached), moved on by the phone's, so none is refused as "in the future".
  var clockOffset = PHONE && Number(PHONE.now) ? Number(PHONE.now) - Date.now() : 0;

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  // ------------------------------------------------------------------ talking to the server
  function request(path, options) {
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, REQUEST_TIMEOUT);
    // The caller may give up sooner (the network came back: a request begun before it is lost).
    var given = options && options.signal;
    if (given) given.addEventListener("abort", function () { controller.abort(); });
    // A phone sends its cookies: the server answers with the one that marks the counter rated.
    var settings = Object.assign({ credentials: PHONE ? "same-origin" : "omit", cache: "no-store",
                                   keepalive: !!PHONE }, options, { signal: controller.signal });
    settings.headers = Object.assign({ Accept: "application/json" }, settings.headers || {});
    if (state.token && path !== "pair") settings.headers.Authorization = "Bearer " + state.token;
    return fetch(API + path, settings).then(function (response) {
      clearTimeout(timer);
      checkClock(response);
      return response;
    }, function (error) {
      clearTimeout(timer);
      throw error;
    });
  }

  // A tablet whose clock is off by minutes has its ratings refused ("in the future"): say so.
  function checkClock(response) {
    if (PHONE) return;
    var server = Date.parse(response.headers.get("Date") || "");
    if (!server) return;
    var off = Math.abs(Date.now() - server) > 2 * 60 * 1000;
    if (off !== state.clockOff) {
      state.clockOff = off;
      renderStatus();
    }
  }

  var configLoading = null;

  function loadConfig() {
    if (!state.token || state.revoked) return Promise.resolve();
    if (!configLoading) {
      configLoading = fetchConfig().then(function () { configLoading = null; });
    }
    return configLoading;
  }

  function fetchConfig() {
    return request("config").then(function (response) {
      if (response.status === 401) return setRevoked();
      if (!response.ok) return null;
      return response.json().then(function (config) {
        state.config = config;
        state.configAt = Date.now();
        local.set(KEYS.config, config);
        applyConfig();
      });
    }).catch(function () { /* offline: the last good configuration stays */ });
  }

  // The backoff is for a server that answers with errors (5xx, 429, nonsense): it must not be
  // hammered. A failed network is different: when it comes back (`online`), or the tablet wakes
  // (visible, focused), there is nothing to wait for, so the queue goes at once, and a request
  // begun on the lost network (which may hang until its timeout) is abandoned for a fresh one.
  var sender = {
    busy: false,
    again: false,  // kicked while busy: look at the queue once more when done
    urgent: false, // ... and at once, whatever backoff the round in flight ends with
    failures: 0,
    serverTrouble: false, // the last failure was the server's answer, not the network
    timer: null,
    inflight: null, // the AbortController of the request being sent
    batch: BATCH,

    // fresh: a chance the network is back (online, awake, freshly paired): forget a network
    // backoff. abandon: also give up the request in flight (it began on the old network).
    kick: function (fresh, abandon) {
      if (fresh && !this.serverTrouble) this.reset();
      if (!this.busy) {
        if (!this.timer) this.run();
        return;
      }
      this.again = true;
      if (fresh) this.urgent = true;
      if (abandon && this.inflight) this.inflight.abort();
    },

    reset: function () {
      clearTimeout(this.timer);
      this.timer = null;
      this.failures = 0;
    },

    later: function (serverError) {
      var self = this;
      self.serverTrouble = !!serverError;
      self.failures += 1;
      var ceiling = Math.min(60000, 1000 * Math.pow(2, Math.min(self.failures, 6)));
      var delay = ceiling / 2 + Math.random() * ceiling / 2;
      clearTimeout(self.timer);
      self.timer = setTimeout(function () { self.timer = null; self.run(); }, delay);
    },

    run: function () {
      var self = this;
      if (self.busy || !canSend()) return Promise.resolve();
      self.busy = true;
      self.again = false;
      self.urgent = false;
      return self.round().catch(function () { self.later(false); }).then(function () {
        self.busy = false;
        self.inflight = null;
        if (self.urgent && !self.serverTrouble) self.reset();
        self.urgent = false;
        if (self.again && !self.timer) return self.run();
        return countQueue();
      });
    },

    // Send one batch; go on with the next while the server keeps answering.
    round: function () {
      var self = this;
      return countQueue().then(function (records) {
        var ready = records.filter(function (r) { return r.ready; })
          .sort(function (a, b) { return a.created - b.created; });
        if (!ready.length || state.revoked) return null;
        // A phone sends one rating per request, to the counter it was given for.
        var batch = ready.slice(0, PHONE ? 1 : self.batch);
        var payload = JSON.stringify(PHONE ? { ratings: [batch[0].rating] } : {
          ratings: batch.map(function (r) { return r.rating; }),
          queued: records.length,
          version: VERSION,
        });
        self.inflight = new AbortController();
        return request(PHONE ? batch[0].url || PHONE.submit_url : "ratings", {
          method: "POST", headers: { "Content-Type": "application/json" }, body: payload,
          signal: self.inflight.signal,
        }).then(function (response) {
          if (PHONE && [400, 404, 413].indexOf(response.status) >= 0) {
            // Never deliverable (a retired poster, a malformed item): logged, not retried.
            return self.settle(batch, [{ status: "rejected", reason: "HTTP " + response.status }])
              .then(function () { return self.round(); });
          }
          if (response.status === 401) return setRevoked();
          if (response.status === 413) {
            if (self.batch > 1) {
              self.batch = Math.max(1, Math.floor(self.batch / 2));
              return self.round();
            }
            return self.settle(batch, [{ status: "rejected", reason: "too large" }]).then(function () {
              return self.round();
            });
          }
          if (!response.ok) return self.later(true);
          return response.json().then(function (answer) {
            if (!answer || !Array.isArray(answer.results)) return self.later(true);
            return self.settle(batch, answer.results).then(function (settled) {
              if (!settled) return self.later(true);
              self.failures = 0;
              self.serverTrouble = false;
              return self.round();
            });
          });
        }, function () { self.later(false); });
      });
    },

    // Accepted and duplicate items are stored on the server: drop them. Rejected ones will never
    // be stored: drop them from the queue but keep them in the log, so none is silently lost.
    settle: function (batch, results) {
      var byId = {};
      results.forEach(function (result) {
        if (result && result.client_id) byId[result.client_id] = result;
      });
      var finished = [];
      var rejected = [];
      var alreadyRated = false;
      batch.forEach(function (record, n) {
        var result = byId[record.id] || (results[n] && !results[n].client_id ? results[n] : null);
        if (!result) return;
        if (result.status === "accepted" || result.status === "duplicate") {
          finished.push(record.id);
          state.sent = true;
        } else if (result.status === "rejected") {
          finished.push(record.id);
          rejected.push({ client_id: record.id, reason: result.reason || "", at: new Date().toISOString(),
                          rating: record.rating });
          // (a phone's queue may hold a rating for another counter's page, too)
          alreadyRated = alreadyRated || (result.reason === "already_rated" && PHONE &&
                                          record.url === PHONE.submit_url);
        }
      });
      if (rejected.length) logRejected(rejected);
      if (alreadyRated && !state.current) showRated();
      if (!finished.length) return Promise.resolve(false);
      return queue.then(function (q) { return q.remove(finished); }).then(function () { return true; });
    },
  };

  function canSend() {
    return PHONE ? true : !!state.token && !state.revoked;
  }

  function setRevoked() {
    state.revoked = true;
    local.set(KEYS.revoked, true);
    renderRevoked();
    renderStatus();
  }

  // ------------------------------------------------------------------ rendering
  function renderStatus() {
    var status = $("status");
    // A phone says nothing until there is something to say: waiting, offline, or delivered;
    // the rating still being answered is not waiting yet.
    var n = state.queued - (PHONE && state.current ? 1 : 0);
    if (PHONE ? !n && navigator.onLine && !state.sent : !state.token) {
      status.textContent = "";
      return;
    }
    var text, mode;
    if (!navigator.onLine) {
      text = n ? say("offline", { n: n }) : say("offlineEmpty");
      mode = "offline";
    } else if (n) {
      text = say("pending", { n: n });
      mode = "pending";
    } else {
      text = say("saved");
      mode = "ok";
    }
    if (state.clockOff) {
      text += " · " + say("clock");
      mode = "problem";
    }
    if (status.textContent !== text) status.textContent = text;
    status.dataset.state = mode;
  }

  function renderRevoked() {
    $("revoked").hidden = !state.revoked;
  }

  function renderPlace() {
    var source = state.config || state.kiosk || {};
    $("unit-name").textContent = source.unit ? source.unit.name : "";
    $("counter-name").textContent = source.counter ? source.counter.name : "Kinerja";
    var people = (state.config && state.config.recognition) || [];
    var aside = $("recognition");
    var list = aside.querySelector("ul");
    list.textContent = "";
    people.slice(0, 6).forEach(function (person) {
      var item = document.createElement("li");
      var name = document.createElement("strong");
      name.textContent = person.name || "";
      item.appendChild(name);
      if (person.position) item.appendChild(document.createTextNode(", " + person.position));
      if (person.award) {
        var award = document.createElement("span");
        award.className = "award";
        award.textContent = person.award;
        item.appendChild(award);
      }
      list.appendChild(item);
    });
    aside.hidden = people.length === 0;
  }

  // The shell lists every respondent code it has a label for; show the ones the server asks for.
  function syncRespondentChoices() {
    var respondent = state.config && state.config.respondent;
    if (!respondent) return;
    all("section[data-field]").forEach(function (section) {
      var codes = respondent[section.dataset.field] || [];
      var group = section.querySelector(".choices");
      var known = {};
      all("button[data-value]", group).forEach(function (button) {
        known[button.dataset.value] = true;
        button.hidden = codes.indexOf(button.dataset.value) < 0;
      });
      codes.forEach(function (code) {
        if (known[code]) return;
        var button = document.createElement("button");
        button.type = "button";
        button.className = "choice";
        button.dataset.value = code;
        button.textContent = code;
        group.appendChild(button);
      });
    });
  }

  function applyConfig() {
    syncRespondentChoices();
    if (!state.current) {
      renderPlace();
      refreshCooldown();
    }
  }

  // ------------------------------------------------------------------ screens
  function show(id) {
    var target = $(id);
    all(".screen").forEach(function (screen) { screen.hidden = screen !== target; });
    $("flow").hidden = !target.classList.contains("step");
    // The first screen after loading has no earlier one whose taps could land on it.
    if (state.screen) settle(target);
    state.screen = id;
    var heading = target.querySelector("h1");
    if (heading) heading.focus({ preventScroll: true });
    $("main").scrollTop = 0;
    armTimer();
  }

  // A tap that lands just after the screen changed was meant for the previous screen.
  function settle(screen) {
    var buttons = all(".faces button, .answers button, .choices button", screen)
      .filter(function (button) { return !button.disabled; });
    buttons.forEach(function (button) { button.disabled = true; });
    screen.classList.add("settling");
    setTimeout(function () {
      screen.classList.remove("settling");
      buttons.forEach(function (button) { button.disabled = false; });
      if (screen.id === "screen-idle") refreshCooldown();
    }, SETTLE_MS);
  }

  function showIdle() {
    if (state.reloadWhenIdle) {
      location.reload();
      return;
    }
    renderPlace();
    show("screen-idle");
    refreshCooldown();
    if (Date.now() - state.configAt > CONFIG_MAX_AGE) loadConfig();
  }

  // Phone: this browser has rated the counter within the hour; no faces, only thanks.
  function showRated() {
    state.rated = true;
    renderPlace();
    $("screen-thanks").querySelector(".lead").textContent = PHONE.texts.rated;
    show("screen-thanks");
  }

  function showPair(again) {
    $("pair-cancel").hidden = !(again && state.token);
    $("pair-code").value = "";
    $("pair-error").textContent = "";
    show("screen-pair");
  }

  // ------------------------------------------------------------------ cooldown
  var cooldownTimer = null;

  function cooldownMs() {
    var seconds = state.config ? Number(state.config.cooldown_seconds) : 3;
    return (isFinite(seconds) && seconds > 0 ? seconds : 0) * 1000;
  }

  function cooldownLeft() {
    var length = cooldownMs();
    // Capped: a clock set backwards must not lock the faces for long.
    return Math.min(length, Number(local.get(KEYS.lastTap, 0)) + length - Date.now());
  }

  function refreshCooldown() {
    clearTimeout(cooldownTimer);
    var left = cooldownLeft();
    var waiting = left > 0;
    var idle = $("screen-idle");
    if (!idle.classList.contains("settling")) {
      all(".face", idle).forEach(function (button) { button.disabled = waiting; });
    }
    $("cooldown").textContent = waiting ? say("wait", { n: Math.ceil(left / 1000) }) : "";
    if (waiting) cooldownTimer = setTimeout(refreshCooldown, Math.min(left, 500));
  }

  // ------------------------------------------------------------------ inactivity
  var idleTimer = null;

  function armTimer() {
    clearTimeout(idleTimer);
    if (PHONE) return; // a citizen's own phone: no attract loop, the citizen takes their time
    var wait = 0;
    if (state.screen === "screen-thanks") wait = THANKS_MS;
    else if (state.screen === "screen-comment") wait = IDLE_MS * 2; // writing takes longer
    else if (state.current) wait = IDLE_MS;
    if (wait) idleTimer = setTimeout(onInactive, wait);
  }

  function onInactive() {
    if (state.current) finish(true);
    else showIdle();
  }

  // ------------------------------------------------------------------ the rating flow
  // The services the citizen may have received here; a counter offering one names it without
  // asking (a configuration from before the question lists none: nothing is asked).
  function counterServices() {
    var services = state.config && state.config.services;
    return Array.isArray(services) ? services : [];
  }

  // The questionnaire's elements in the page's order (the questionnaire's own), those the
  // server's configuration asks for.
  function elementSections() {
    var config = state.config || {};
    var asked = null;
    if (Array.isArray(config.elements)) {
      asked = {};
      config.elements.forEach(function (element) { asked[element.code] = true; });
    }
    return all("section[data-element]").filter(function (section) {
      return !asked || asked[section.dataset.element];
    });
  }

  function buildSteps() {
    var config = state.config || {};
    var steps = [];
    if (counterServices().length > 1) steps.push({ screen: "screen-service" });
    var elements = elementSections();
    elements.forEach(function (section, n) {
      steps.push({ screen: section.id, element: section.dataset.element, n: n, of: elements.length });
    });
    // The survey's own order (the server's JSON has its keys sorted).
    var fields = RESPONDENT_FIELDS;
    if (config.respondent) {
      fields = RESPONDENT_FIELDS.concat(Object.keys(config.respondent)).filter(function (field, n, list) {
        return field in config.respondent && list.indexOf(field) === n;
      });
    }
    fields.forEach(function (field) {
      if ($("screen-" + field)) steps.push({ screen: "screen-" + field, field: field });
    });
    if (config.staff && config.staff.length) steps.push({ screen: "screen-staff" });
    steps.push({ screen: "screen-comment" });
    return steps;
  }

  function startRating(score) {
    if (state.current || cooldownLeft() > 0 || state.rated) return;
    var now = new Date(Date.now() + clockOffset);
    var id = uuid();
    var record = { id: id, created: now.getTime(), ready: false,
                   rating: { client_id: id, taken_at: isoWithOffset(now), score: score } };
    var services = counterServices();
    if (services.length === 1) record.rating.service = services[0].code;
    if (PHONE) record.url = PHONE.submit_url;
    state.current = record;
    local.set(KEYS.lastTap, now.getTime());
    save(record);
    resetForms();
    state.steps = buildSteps();
    state.step = 0;
    showStep();
  }

  function showStep() {
    var step = state.steps[state.step];
    if (step.element) {
      $(step.screen).querySelector(".element-count").textContent =
        say("element", { n: step.n + 1, total: step.of });
    } else if (step.screen === "screen-service") {
      renderServices();
    } else if (step.screen === "screen-staff") {
      renderStaff();
    }
    var progress = $("flow-progress");
    progress.max = state.steps.length;
    progress.value = state.step + 1;
    $("flow-step").textContent = say("step", { n: state.step + 1, total: state.steps.length });
    show(step.screen);
  }

  function renderServices() {
    var list = $("service-list");
    list.textContent = "";
    counterServices().forEach(function (service) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "choice";
      button.dataset.service = service.code;
      button.textContent = service.name;
      list.appendChild(button);
    });
  }

  function renderStaff() {
    var list = $("staff-list");
    list.textContent = "";
    ((state.config && state.config.staff) || []).forEach(function (person) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "choice";
      // The public phone page names staff by a reference; a paired tablet by NIP.
      if (person.ref) button.dataset.ref = person.ref; else button.dataset.nip = person.nip;
      button.textContent = person.name;
      list.appendChild(button);
    });
  }

  function answer(apply) {
    if (!state.current) return;
    apply(state.current.rating);
    save(state.current);
    next();
  }

  function next() {
    state.step += 1;
    if (state.step >= state.steps.length) finish(false);
    else showStep();
  }

  function takeComment(rating) {
    var text = $("comment-text").value.trim();
    if (!text) return;
    rating.comment = text.slice(0, 2000);
    var contact = $("comment-contact").value.trim();
    if ($("comment-consent").checked && contact) rating.contact = contact.slice(0, 200);
  }

  // The rating is complete as far as the citizen went: from now on it may be sent.
  function finish(toIdle) {
    var record = state.current;
    state.current = null;
    if (record) {
      record.ready = true;
      save(record).then(function () { sender.kick(); });
    }
    resetForms();
    if (toIdle) showIdle();
    else show("screen-thanks");
  }

  function resetForms() {
    $("comment-form").reset();
    $("contact-field").hidden = true;
  }

  // ------------------------------------------------------------------ pairing
  function setCode(value) {
    $("pair-code").value = value.replace(/\D/g, "").slice(0, 8);
    $("pair-error").textContent = "";
  }

  function pair(event) {
    event.preventDefault();
    var code = $("pair-code").value.replace(/\D/g, "");
    var error = $("pair-error");
    if (code.length !== 8) {
      error.textContent = say("pairShort");
      return;
    }
    var submit = $("pair-submit");
    var label = submit.textContent;
    submit.disabled = true;
    submit.textContent = say("pairBusy");
    request("pair", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ code: code }),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok || !data.token) {
          error.textContent = data.detail || say("pairFailed");
          $("pair-code").value = "";
          return;
        }
        state.token = data.token;
        state.kiosk = data.kiosk || null;
        state.revoked = false;
        state.config = null; // it described the counter this tablet was at before
        local.set(KEYS.token, state.token);
        local.set(KEYS.kiosk, state.kiosk);
        local.remove(KEYS.revoked);
        local.remove(KEYS.config);
        renderRevoked();
        showIdle();
        loadConfig().then(function () { sender.kick(true); });
      });
    }, function () {
      error.textContent = say("pairOffline");
    }).then(function () {
      submit.disabled = false;
      submit.textContent = label;
    });
  }

  // ------------------------------------------------------------------ service worker
  function registerWorker() {
    // A phone goes without offline reloads: the worker's scope is the tablets' shell.
    if (PHONE || !("serviceWorker" in navigator)) return;
    var hadController = !!navigator.serviceWorker.controller;
    navigator.serviceWorker.register(body.dataset.sw, { scope: body.dataset.scope }).then(function (registration) {
      // A kiosk never navigates, so the browser would not look for a new shell by itself.
      setInterval(function () { registration.update().catch(function () {}); }, 60 * 60 * 1000);
    }).catch(function () { /* no offline shell, the rest still works */ });
    navigator.serviceWorker.addEventListener("controllerchange", function () {
      if (!hadController) return; // the first install: this page already is the current shell
      state.reloadWhenIdle = true;
      if (state.screen === "screen-idle" && !state.current) location.reload();
    });
  }

  // ------------------------------------------------------------------ wiring
  function wire() {
    all("#screen-idle .face").forEach(function (button) {
      button.addEventListener("click", function () { startRating(Number(button.dataset.score)); });
    });
    all("section[data-element] [data-answer]").forEach(function (button) {
      var element = button.closest("section[data-element]").dataset.element;
      button.addEventListener("click", function () {
        answer(function (rating) {
          rating.elements = rating.elements || {};
          rating.elements[element] = Number(button.dataset.answer);
        });
      });
    });
    $("service-list").addEventListener("click", function (event) {
      var button = event.target.closest("button[data-service]");
      if (!button || button.disabled) return;
      answer(function (rating) { rating.service = button.dataset.service; });
    });
    all("section[data-field]").forEach(function (section) {
      section.addEventListener("click", function (event) {
        var button = event.target.closest("button[data-value]");
        if (!button || button.disabled) return;
        answer(function (rating) {
          rating.respondent = rating.respondent || {};
          rating.respondent[section.dataset.field] = button.dataset.value;
        });
      });
    });
    $("staff-list").addEventListener("click", function (event) {
      var button = event.target.closest("button[data-nip], button[data-ref]");
      if (!button || button.disabled) return;
      answer(function (rating) {
        if (button.dataset.ref) rating.staff_ref = button.dataset.ref;
        else rating.staff_nip = button.dataset.nip;
      });
    });
    $("staff-unknown").addEventListener("click", function () {
      answer(function (rating) { delete rating.staff_nip; delete rating.staff_ref; });
    });
    $("comment-consent").addEventListener("change", function (event) {
      $("contact-field").hidden = !event.target.checked;
      if (!event.target.checked) $("comment-contact").value = "";
    });
    $("comment-form").addEventListener("submit", function (event) {
      event.preventDefault();
      answer(takeComment);
    });
    $("flow-skip").addEventListener("click", function () {
      if (state.current) next();
    });
    $("flow-done").addEventListener("click", function () {
      if (!state.current) return;
      if (state.screen === "screen-comment") takeComment(state.current.rating);
      finish(false);
    });
    $("screen-thanks").addEventListener("click", function () {
      if (!PHONE) showIdle(); // a phone stays on its thanks: one rating per visit
    });

    all(".key").forEach(function (key) {
      key.addEventListener("click", function () {
        var value = $("pair-code").value;
        if (key.dataset.key === "back") setCode(value.slice(0, -1));
        else if (key.dataset.key === "clear") setCode("");
        else setCode(value + key.dataset.key);
      });
    });
    $("pair-code").addEventListener("input", function (event) { setCode(event.target.value); });
    $("pair-form").addEventListener("submit", pair);
    $("pair-cancel").addEventListener("click", showIdle);
    $("repair").addEventListener("click", function () {
      if (state.current) finish(true);
      showPair(true);
    });

    ["pointerdown", "keydown", "input"].forEach(function (type) {
      document.addEventListener(type, armTimer, true);
    });
    window.addEventListener("online", function () {
      renderStatus();
      sender.kick(true, true);
      if (Date.now() - state.configAt > CONFIG_MAX_AGE) loadConfig();
    });
    window.addEventListener("offline", renderStatus);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") sender.kick(true);
      // A phone's citizen who leaves the page (another app, a locked screen) may never come
      // back: the rating is finished as far as it went and sent now, like a tablet's timeout.
      else if (PHONE && state.current) finish(false);
    });
    window.addEventListener("focus", function () { sender.kick(true); });
    setInterval(function () { sender.kick(); }, 30000);
  }

  function start() {
    wire();
    registerWorker();
    renderRevoked();
    if (PHONE) {
      $("thanks-back").hidden = true;
      syncRespondentChoices();
      if (PHONE.rated) showRated();
      else showIdle();
    } else if (state.token) {
      syncRespondentChoices();
      showIdle();
    } else {
      showPair(false);
    }
    // Ratings left open by a reload or a crash are complete as far as they got: send them.
    queue.then(function (q) {
      return q.all().then(function (records) {
        var open = records.filter(function (r) { return !r.ready && !(state.current && state.current.id === r.id); });
        return Promise.all(open.map(function (r) {
          r.ready = true;
          return q.put(r);
        }));
      });
    }).then(function () {
      return countQueue();
    }).then(function () {
      if (canSend()) sender.kick(true);
    });
  }

  start();
})();
