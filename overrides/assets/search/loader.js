// huashu search loader: the page side of search, and its public API (window.huashu).
//
// Scripts that arrive in any order, all async: the index head (search/data/head.js),
// its body shards, the engine (engine.js, pure matching) and this file. The index
// data and the engine each queue themselves on window.huashuData; this file takes
// them from there, builds the engine once it has both the engine and the head,
// loads the body shards, and answers through window.huashu. The search box
// (ui.js) and embedders use only that API.
//
// An index the engine cannot read (another format version) leaves search empty
// and explains why: window.huashu.error is then a message for the user, `ready`
// and `complete` still resolve, and search / searchNow answer [].
(function (global) {
  "use strict";

  var Engine = null, head = null, engine = null, resolveReady, resolveComplete, shardsExpected = Infinity, base = "";
  var requestBodies = function () {};
  // Body shards: which have arrived (by number), their scripts, and the wait for them
  // (window.huashu.bodyTimeoutMs, set before this file runs, changes it: for tests).
  var BODY_TIMEOUT_MS = 15000;
  var BODY_ERROR = "全文索引载入失败，目前只能按标题搜索";
  var shardFiles = [], shardFolder = "", arrived = {}, shardScripts = {}, bodyTimer = null, attempt = 0;
  var ready = new Promise(function (resolve) { resolveReady = resolve; });
  var complete = new Promise(function (resolve) { resolveComplete = resolve; });
  var pending = [], listeners = [];

  function dataFolder() {
    var scripts = document.getElementsByTagName("script");
    for (var i = 0; i < scripts.length; i++) {
      var src = scripts[i].src || "";
      if (/search\/data\/head\.js(\?|$)/.test(src)) return src.replace(/head\.js(\?.*)?$/, "");
    }
    return "";
  }

  function loadScript(url, onerror) {
    var script = document.createElement("script");
    script.src = url;
    script.async = true;
    if (onerror) script.onerror = onerror;
    document.head.appendChild(script);
    return script;
  }

  // --- body shards: loaded after the head; a shard that fails (its script's error
  // event, or nothing after BODY_TIMEOUT_MS) leaves search on titles, and says so
  // (api.bodyError) instead of waiting forever. api.retryBodies() loads the missing
  // ones again; one that arrives late is still taken.

  function bodiesComplete() {
    return !!engine && engine.loadedShards === shardsExpected;
  }

  function bodyFailed() {
    clearTimeout(bodyTimer);
    if (bodiesComplete() || api.bodyError) return;
    api.bodyError = BODY_ERROR;
    if (global.console) global.console.warn(BODY_ERROR);
    resolveComplete(engine); // nothing waits forever: check api.bodyError
    notify();
  }

  function loadShards() {
    clearTimeout(bodyTimer);
    bodyTimer = setTimeout(bodyFailed, api.bodyTimeoutMs || BODY_TIMEOUT_MS);
    attempt++;
    for (var i = 0; i < shardFiles.length; i++) {
      if (arrived[i]) continue;
      var old = shardScripts[i];
      if (old && old.parentNode) old.parentNode.removeChild(old);
      // A retry asks past any cache (over http; a file: URL takes no query).
      var url = shardFolder + shardFiles[i];
      if (attempt > 1 && global.location.protocol !== "file:") url += "?retry=" + attempt;
      shardScripts[i] = loadScript(url, bodyFailed);
    }
  }

  function notify() {
    for (var i = 0; i < listeners.length; i++) listeners[i]();
  }

  // The index cannot be searched: say why, and stop waiting for it.
  function fail(error) {
    engine = null;
    pending = [];
    api.error = error.message;
    if (global.console) global.console.error(error.message);
    resolveReady(null);
    resolveComplete(null);
    notify();
  }

  // Both the engine and the head are in: search can answer (titles first).
  function start(data) {
    try {
      engine = new Engine(data);
    } catch (error) {
      if (error && error.code === "format-version") { fail(error); return; }
      throw error;
    }
    api.timings.ready = performance.now();
    // What each kind of result is called, as the library's model names it.
    api.kindTitles = data.kinds || {};
    var folder = dataFolder();
    base = new URL("../../", folder || global.location.href).href;
    shardsExpected = data.shards.length;
    resolveReady(engine);
    notify();
    // Body shards after the page's load event: they must not hold it up. In a large
    // library (head.lazy) only when someone searches: a page view then costs the
    // head alone, not the whole index.
    shardFiles = data.shards;
    shardFolder = folder;
    requestBodies = function () {
      requestBodies = function () {};
      loadShards();
    };
    if (!data.lazy) {
      if (document.readyState === "complete") requestBodies();
      else global.addEventListener("load", function () { requestBodies(); });
    }
    var waiting = pending;
    pending = [];
    waiting.forEach(receive);
  }

  // One item of window.huashuData: ["engine", Engine], ["head", data] or ["shard", data].
  function receive(item) {
    var kind = item[0], data = item[1];
    if (kind === "engine") {
      if (Engine) return;
      Engine = data;
      if (head) start(head);
    } else if (kind === "head") {
      head = data;
      if (Engine) start(data);
    } else if (engine) {
      if (arrived[data.number]) return; // a retry and a late original: the first is enough
      arrived[data.number] = true;
      engine.addShard(data);
      if (engine.loadedShards === shardsExpected) {
        clearTimeout(bodyTimer);
        delete api.bodyError;
        engine.compact();
        api.timings.complete = performance.now();
        resolveComplete(engine);
      }
      notify();
    } else if (!api.error) pending.push(item); // after an error there is nothing to add shards to
  }

  var absoluteUrls = new Map();
  function absolute(result) {
    var url = absoluteUrls.get(result.url);
    if (url === undefined) {
      url = new URL(result.url, base).href;
      if (api.pageUrl) url = api.pageUrl(url);
      absoluteUrls.set(result.url, url);
    }
    result.url = url;
    return result;
  }

  var api = global.huashu = global.huashu || {};
  // Milliseconds since navigation when search could answer (titles) and when
  // every shard was in: for benchmarks and diagnostics.
  api.timings = {};
  // Both resolve even when the index cannot be read: check api.error.
  api.ready = ready.then(function () { return api; });
  api.complete = complete.then(function () { return api; });
  // Results in rank order: [{id, kind, title, text, copy, url, category, avoid, channels,
  // match, highlights}]. `text` is what a result shows (it may be guidance for the agent);
  // `copy` is all that copying may take: words said to the customer ("" when there are
  // none), with {占位符} still in it (see huashu.fillPlaceholders in huashu.js).
  api.search = function (query, options) {
    return ready.then(function () { requestBodies(); return api.searchNow(query, options); });
  };
  // Start loading the body shards now (a no-op once they are loading or loaded).
  api.loadBodies = function () { ready.then(function () { requestBodies(); }); };
  // Synchronous form for the UI, once ready has resolved.
  api.searchNow = function (query, options) {
    if (!engine) return [];
    return engine.search(String(query || ""), options).map(absolute);
  };
  // When a search finds nothing: the entries sharing the most with the query however
  // little ({results, didYouMean}), so the panel never ends in a bare "not found".
  api.nearest = function (query, options) {
    if (!engine) return { results: [], didYouMean: "" };
    var found = engine.nearest(String(query || ""), options);
    return { results: found.results.map(absolute), didYouMean: found.didYouMean };
  };
  api.entry = function (id) {
    var result = engine && engine.byId(id);
    return result ? absolute(result) : null;
  };
  api.onUpdate = function (listener) { listeners.push(listener); };
  // True once every body shard is in, or once loading has stopped on an error. Not while
  // a body shard is missing (api.bodyError): only titles are searched then.
  api.isComplete = function () { return !!api.error || bodiesComplete(); };
  // Whether the entry's body (its texts, what it copies) is in: not before its shard.
  var docOf = null;
  api.hasBody = function (id) {
    if (!engine) return false;
    if (!docOf) {
      docOf = new Map();
      engine.head.docs.id.forEach(function (docId, doc) { docOf.set(docId, doc); });
    }
    var doc = docOf.get(id);
    return doc !== undefined && engine.say[doc] !== undefined;
  };
  // Load the body shards that have not arrived again (after api.bodyError).
  api.retryBodies = function () {
    if (!engine || bodiesComplete()) return;
    delete api.bodyError;
    requestBodies = function () {};
    loadShards();
    notify();
  };
  // What each {占位符} becomes when the agent leaves it empty (placeholders.yaml): {name: value}.
  api.placeholderDefaults = function () {
    var defaults = (head && head.placeholders) || {}, copy = {};
    for (var name in defaults) copy[name] = defaults[name];
    return copy;
  };
  api._engine = function () { return engine; };

  var queue = global.huashuData = global.huashuData || [];
  var queued = queue.slice();
  queue.length = 0;
  queue.push = function () {
    for (var i = 0; i < arguments.length; i++) receive(arguments[i]);
    return 0;
  };
  queued.forEach(receive);
  // The API is in place (search itself waits for `ready`): ui.js may run before this file.
  document.dispatchEvent(new Event("huashu:engine"));
})(window);
