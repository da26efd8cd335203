// Answers engine calls in Node for tests/test_search_relaxed.py.
//
//   node engine_calls.js engine.js index.json calls.json
//
// calls.json: a list of [op, query, options]; op is "search" (ids and match of each result),
// "terms" (the units of each run the partial tier reads the query as) or "nearest".
"use strict";

const fs = require("fs");

const [enginePath, indexPath, callsPath] = process.argv.slice(2);
const Engine = require(enginePath);
const { head, shards } = JSON.parse(fs.readFileSync(indexPath, "utf8"));
const engine = new Engine(head);
for (const shard of shards) engine.addShard(shard);
engine.compact();

function brief(results) {
  return results.map((r) => ({ id: r.id, match: r.match, channels: r.channels, text: r.text }));
}

const ops = {
  search: (query, options) => brief(engine.search(query, options || { limit: 10 })),
  terms: (query) => engine.termRuns(query).map((run) => run.map((unit) => unit.key)),
  nearest: (query, options) => {
    const found = engine.nearest(query, options || {});
    return { results: brief(found.results), didYouMean: found.didYouMean };
  },
};

const calls = JSON.parse(fs.readFileSync(callsPath, "utf8"));
process.stdout.write(JSON.stringify(calls.map(([op, query, options]) => ops[op](query, options))));
