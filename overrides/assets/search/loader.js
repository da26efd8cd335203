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

  function loadScript(url) {
    var script = document.createElement("script");
    script.src = url;
    script.async = true;
    document.head.appendChild(script);
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
    requestBodies = function () {
      requestBodies = function () {};
      for (var i = 0; i < data.shards.length; i++) loadScript(folder + data.shards[i]);
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
      engine.addShard(data);
      if (engine.loadedShards === shardsExpected) {
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
  // Results in rank order: [{id, kind, title, text, url, category, avoid, highlights}].
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
  // True once every body shard is in, or once loading has stopped on an error.
  api.isComplete = function () { return !!api.error || (!!engine && engine.loadedShards === shardsExpected); };
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
