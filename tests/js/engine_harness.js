// Runs a batch of calls against the search engine in Node, for tests/test_search_engine.py.
//
//   node engine_harness.js batch.json
//
// batch.json: {"engine": path of engine.js, "loader": path of loader.js,
//              "indexes": {name: path of {"head": ..., "shards": [...]}},
//              "calls": [[index name, op, ...args], ...]}
// Prints one JSON array, an answer per call in order: {"value": ...} or
// {"error": {"name", "message", "code"}} when the call threw.
//
// An index is built as loader.js builds it: new Engine(head), addShard for every
// shard, then compact(). A head the engine refuses is kept as that error: every
// call on the index then answers it.
"use strict";

const fs = require("fs");
const vm = require("vm");

const batch = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const Engine = require(batch.engine);

function described(error) {
  return { name: error && error.name, message: String(error && error.message), code: (error && error.code) || null };
}

function build(path) {
  const { head, shards } = JSON.parse(fs.readFileSync(path, "utf8"));
  const engine = new Engine(head);
  for (const shard of shards) engine.addShard(shard);
  engine.compact();
  return engine;
}

const built = new Map();
function engineFor(name) {
  if (!built.has(name)) {
    try {
      built.set(name, { engine: build(batch.indexes[name]) });
    } catch (error) {
      built.set(name, { error });
    }
  }
  const entry = built.get(name);
  if (entry.error) throw entry.error;
  return entry.engine;
}

// The readings of a latin run, best first: each a list of [syllable, mode].
// A unit's key is mode + grade + text (Engine.prototype.pinyinUnit).
function readings(e, run) {
  return e.segmentations(run, 2).map((p) => p.units.map((u) => [u.key.slice(2), u.key[0]]));
}

// loader.js and engine.js in a page stand-in (a vm context with the little of
// window and document they touch), with the index head and shards pushed on
// window.huashuData; `order` names what runs when: "engine", "loader", "head", "shards".
async function page(indexName, order, queries) {
  const { head, shards } = JSON.parse(fs.readFileSync(batch.indexes[indexName], "utf8"));
  head.shards = shards.map((s, i) => `body-${i}.js`);
  const events = [];
  const context = {
    console: { error() {}, log() {}, warn() {} },
    URL,
    // The loader's wait for body shards; unref'd: a stand-in page keeps no process alive.
    setTimeout: (callback, ms) => {
      const timer = setTimeout(callback, ms);
      timer.unref();
      return timer;
    },
    clearTimeout,
    performance,
    location: { href: "http://site.invalid/greetings/" },
    addEventListener() {},
    Event: class { constructor(type) { this.type = type; } },
    document: {
      readyState: "complete",
      getElementsByTagName: () => [],
      createElement: () => ({}),
      head: { appendChild() {} },
      dispatchEvent(event) { events.push(event.type); },
    },
  };
  context.window = context;
  vm.createContext(context);
  const push = (item) => vm.runInContext("window.huashuData = window.huashuData || []", context).push(item);
  const run = (file) => vm.runInContext(fs.readFileSync(file, "utf8"), context, { filename: file });
  for (const step of order) {
    if (step === "engine") run(batch.engine);
    else if (step === "loader") run(batch.loader);
    else if (step === "head") push(["head", head]);
    else if (step === "shards") shards.forEach((shard, number) => push(["shard", { number, ...shard }]));
    else throw new Error(`unknown step ${step}`);
  }
  const api = context.huashu;
  await api.ready;
  const answers = {};
  for (const q of queries) answers[q] = { now: api.searchNow(q, { limit: 10 }), later: await api.search(q, { limit: 10 }) };
  return {
    events,
    error: api.error === undefined ? null : api.error,
    complete: api.isComplete(),
    answers,
    entry: api.entry(head.docs.id[0]),
  };
}

// How much work a search does, as calls of the engine's methods (a count, not a time:
// the same on every machine): a fresh engine whose every method counts its calls.
function work(name, query, options) {
  const e = build(batch.indexes[name]);
  let calls = 0;
  for (const method of Object.getOwnPropertyNames(Engine.prototype)) {
    const original = Engine.prototype[method];
    if (method === "constructor" || typeof original !== "function") continue;
    e[method] = function () {
      calls++;
      return original.apply(this, arguments);
    };
  }
  const ids = e.search(query, options).map((r) => r.id);
  return { calls, ids };
}

const OPS = {
  construct: (name) => (engineFor(name), true),
  formatVersion: () => Engine.FORMAT_VERSION,
  tokenize: (name, query) => engineFor(name).tokenize(query),
  segmentations: (name, run) => readings(engineFor(name), run),
  fuzzyVariants: (name, syllable) => engineFor(name).fuzzyVariants(syllable, false),
  // The characters a whole syllable finds.
  syllableChars: (name, syllable) => {
    const e = engineFor(name);
    return Array.from(e.pinyinUnit(syllable, "s", 2).chars).map((id) => e.head.chars[id - 1]);
  },
  fold: (name, chars) => chars.map((c) => engineFor(name).folder.fold(c)),
  // The character id each code unit is indexed under (0: none), folding included.
  charIds: (name, chars) => chars.map((c) => engineFor(name).charId(c)),
  search: (name, query, options) => engineFor(name).search(query, options),
  searchIds: (name, query, options) => engineFor(name).search(query, options).map((r) => r.id),
  // The query's ids from a fresh engine, then three times from the shared one, each
  // time after typing the query a letter at a time (the caches fill as in a search box).
  repeated: (name, query) => {
    const ids = (e, q) => e.search(q, { limit: 10 }).map((r) => r.id);
    const runs = [ids(build(batch.indexes[name]), query)];
    const e = engineFor(name);
    for (let run = 0; run < 3; run++) {
      for (let k = 1; k < query.length; k++) ids(e, query.slice(0, k));
      runs.push(ids(e, query));
    }
    return runs;
  },
  page,
  work,
};

(async () => {
  const answers = [];
  for (const [name, op, ...args] of batch.calls) {
    try {
      if (!OPS[op]) throw new Error(`unknown op ${op}`);
      answers.push({ value: await OPS[op](name, ...args) });
    } catch (error) {
      answers.push({ error: described(error) });
    }
  }
  process.stdout.write(JSON.stringify(answers));
})().catch((error) => {
  process.stderr.write(String((error && error.stack) || error));
  process.exit(1);
});
