// Answers a list of queries with the search engine in Node: for tests and the quality bench.
//
//   node search_queries.js engine.js index.json queries.json [limit]
//
// index.json: {"head": ..., "shards": [...]} as huashu.search_index.build_index returns them;
// queries.json: a list of query strings. Prints one JSON list: per query the results
// [{id, kind, match, title, text}] and the milliseconds the search call took.
"use strict";

const fs = require("fs");

const [enginePath, indexPath, queriesPath, limitArg] = process.argv.slice(2);
const Engine = require(enginePath);
const { head, shards } = JSON.parse(fs.readFileSync(indexPath, "utf8"));
const engine = new Engine(head);
for (const shard of shards) engine.addShard(shard);
engine.compact();
const limit = Number(limitArg || 10);
const queries = JSON.parse(fs.readFileSync(queriesPath, "utf8"));
const answers = queries.map((q) => {
  const start = process.hrtime.bigint();
  const results = engine.search(q, { limit });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return {
    ms,
    results: results.map((r) => ({ id: r.id, kind: r.kind, match: r.match || "all", title: r.title, text: r.text })),
  };
});
process.stdout.write(JSON.stringify(answers));
