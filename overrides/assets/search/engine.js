// huashu search engine: pinyin-aware matching over the prebuilt index.
//
// Pure computation, no page: the index (head and body shards, written by
// huashu/search_index.py) comes in as data, queries come in as strings, and
// results go out as plain objects. loader.js feeds it in the browser and
// publishes the API (window.huashu); tests/js/engine_harness.js drives it in Node.
//
// In Node `require` returns the Engine constructor; in a page this file defines the
// global HuashuEngine and queues it on huashuData, where the loader takes it from
// whichever of the two scripts runs first.
//
// A query becomes one or more *plans*: a sequence of *units*, each unit a set of
// character ids with a grade (how well that character matches the unit). A plan
// matches where consecutive index characters each belong to their unit.
(function (root, factory) {
  var Engine = factory();
  if (typeof module === "object" && module && module.exports) {
    module.exports = Engine;
  } else {
    root.HuashuEngine = Engine;
    (root.huashuData = root.huashuData || []).push(["engine", Engine]);
  }
})(typeof globalThis !== "undefined" ? globalThis : this, function () {
  "use strict";

  // The index format this engine reads: huashu.search_index.FORMAT_VERSION, written
  // into the head as `version`. An index of another format is refused.
  var FORMAT_VERSION = 2;

  // Grades: lower is better. Exact characters, then full syllables, then
  // initials and unfinished syllables, then accent confusions, then typos.
  var GRADE_EXACT = 1, GRADE_SYLLABLE = 2, GRADE_PREFIX = 3, GRADE_FUZZY = 4, GRADE_TYPO = 5;
  // Fields, best first: what the result shows (title, words to say, guidance) before
  // what only search sees (tags, aliases, the category's name).
  var FIELD_TITLE = 0, FIELD_SAY = 1, FIELD_OTHER = 2, FIELD_KEYWORD = 3;
  // How much a term found in each field counts in the relaxed tier.
  var FIELD_WEIGHT = [3, 2, 1.5, 1];
  // Score layout (lower is better): tier, then forbidden wording, then the match itself.
  // Multiples of 4e12, so the classes packed below (scattered, fuzzy) stay readable.
  var TIER = 1e14, AVOID_PENALTY = 4e13;
  var TIER_LITERAL = 0, TIER_SYNONYM = 1, TIER_PARTIAL = 2;
  // Bounds that keep every query, however long, to a few milliseconds.
  var MAX_QUERY = 200, MAX_TERMS = 8, MAX_TYPO_RUN = 12, MAX_RELAXED_TERMS = 16, MAX_REWRITES = 6, MAX_RELAXED_QUERIES = 3;
  var MAX_WORDS = 4;
  // A partial match must cover at least this share of what the query says (weighted by rarity).
  var MIN_COVERAGE = 0.3;
  // A term in more than this share of entries is common: matching only such terms is no match.
  var COMMON_SHARE = 0.2;
  var UNSEEN_WEIGHT = 0.5;
  // A forbidden phrase ranks with recommended ones only when the query is most of its wording.
  var OWN_WORDING = 0.6;
  // Question and filler words dropped when the query is read as terms: how agents ask, not
  // what they ask about. Negations and modal words (不, 没, 能, 要) are never dropped.
  // Single characters are dropped only where typed as characters, never as pinyin.
  var FILLERS = ["怎么办", "怎么样", "怎么做", "怎么", "如何", "什么是", "是什么", "为什么", "什么", "请问",
    "一下", "应该"];
  // Who the query is about, as agents describe a call (客户要退款, 你们态度太差): the
  // situation is in the rest. Dropped from the partial tier's terms only.
  var CONTEXT_WORDS = ["客户", "顾客", "用户", "你们", "我们", "他们"];
  // Particles that end a question or a sentence (退款了吗): dropped only at its end,
  // where they cannot be part of a word (了解, 目的).
  var FINAL_PARTICLES = /[吗呢吧啊呀嘛哦了的]+$/;
  // Digits and Chinese numerals are the same number: 3声 finds 三声.
  var NUMERALS = { "0": "零", "1": "一", "2": "二", "3": "三", "4": "四", "5": "五", "6": "六", "7": "七", "8": "八",
    "9": "九" };
  var PUNCTUATION = /[\p{P}\p{S}]/gu;
  // Channels as bits in the index (huashu.search_index.CHANNEL_BITS); 0: every channel.
  var CHANNEL_BITS = { phone: 1, chat: 2, counter: 4 };
  var KIND_NAMES = { p: "phrase", r: "procedure", f: "faq", c: "category" };
  // Pairs a pinyin IME's 模糊音 setting treats as the same sound.
  var FUZZY_INITIALS = [["zh", "z"], ["ch", "c"], ["sh", "s"], ["n", "l"], ["h", "f"], ["r", "l"]];
  var FUZZY_FINALS = [["ang", "an"], ["eng", "en"], ["ing", "in"]];
  var BARE_INITIALS = { b: 1, p: 1, m: 1, f: 1, d: 1, t: 1, n: 1, l: 1, g: 1, k: 1, h: 1, j: 1, q: 1, x: 1,
    r: 1, z: 1, c: 1, s: 1, y: 1, w: 1, zh: 1, ch: 1, sh: 1 };
  var MAX_SYLLABLE = 6;
  var MAX_PLANS = 4;

  // A value from `cache`, computed once; the cache is emptied when it grows large.
  // Cached values are shared between queries: callers must never modify them.
  function remember(cache, key, compute) {
    var value = cache.get(key);
    if (value !== undefined) return value;
    if (cache.size > 5000) cache.clear();
    value = compute();
    cache.set(key, value);
    return value;
  }

  function isSpace(code) {
    return code === 32 || code === 9 || code === 10 || code === 13 || code === 0x3000 || code === 0xa0;
  }

  // --- character folding (twin of huashu.search_index.index_char) -------------

  function Folder(folding) {
    this.map = new Map();
    for (var key in folding) this.map.set(key, folding[key]);
  }
  Folder.prototype.fold = function (ch) {
    var code = ch.charCodeAt(0);
    if (code >= 0xff01 && code <= 0xff5e) { ch = String.fromCharCode(code - 0xfee0); code = ch.charCodeAt(0); }
    if (code >= 65 && code <= 90) return String.fromCharCode(code + 32);
    var folded = this.map.get(ch);
    return folded === undefined ? ch : folded;
  };

  // --- one searchable index: characters, positions, segments ------------------

  // segments: array of [docNumber, field, sayNumber, string]
  function TextIndex(engine, segments) {
    var idOfCode = engine.idOfCode;
    var total = 0, i, j;
    for (i = 0; i < segments.length; i++) total += segments[i][3].length + 1;
    var text = new Uint16Array(total), segOf = new Int32Array(total);
    var n = 0;
    for (i = 0; i < segments.length; i++) {
      var s = segments[i][3];
      for (j = 0; j < s.length; j++) {
        var code = s.charCodeAt(j);
        if (isSpace(code)) continue;
        text[n] = idOfCode[code]; segOf[n] = i; n++;
      }
      text[n] = 0; segOf[n] = i; n++; // separator: no unit ever matches id 0
    }
    this.text = text.subarray(0, n);
    this.segOf = segOf.subarray(0, n);
    this.segments = segments;
    // The segment table as typed arrays: the matching loop reads only these.
    this.segDoc = new Int32Array(segments.length);
    this.segField = new Uint8Array(segments.length);
    for (i = 0; i < segments.length; i++) { this.segDoc[i] = segments[i][0]; this.segField[i] = segments[i][1]; }
    this.segStart = new Int32Array(segments.length);
    for (i = n - 1; i >= 0; i--) this.segStart[this.segOf[i]] = i;
    // Counting sort of positions by character id: postings for every character.
    var count = engine.charCount, start = new Int32Array(count + 1);
    for (i = 0; i < n; i++) start[this.text[i] + 1]++;
    for (i = 0; i < count; i++) start[i + 1] += start[i];
    var fill = start.slice(0, count), post = new Int32Array(n);
    for (i = 0; i < n; i++) post[fill[this.text[i]]++] = i;
    this.postStart = start;
    this.post = post;
  }
  // How many positions match a unit: the cheapest unit anchors the scan.
  TextIndex.prototype.occurrences = function (unit) {
    var cached = unit.costs.get(this);
    if (cached !== undefined) return cached;
    var total = 0, chars = unit.chars;
    for (var i = 0; i < chars.length; i++) total += this.postStart[chars[i] + 1] - this.postStart[chars[i]];
    unit.costs.set(this, total);
    return total;
  };
  // --- the engine ---------------------------------------------------------------

  // The message is shown to the user as it is (simplified Chinese, plain text).
  function formatError(found) {
    var error = new Error("搜索索引（格式 " + (found === undefined ? "未知" : String(found)) + "）与搜索程序（格式 " +
      FORMAT_VERSION + "）版本不一致，请重新构建网站");
    error.name = "HuashuFormatError";
    error.code = "format-version";
    error.indexVersion = found;
    error.engineVersion = FORMAT_VERSION;
    return error;
  }

  // Throws formatError when the index is of another format than this engine's.
  function Engine(head) {
    var i, j;
    var found = head ? head.version : undefined;
    if (found !== FORMAT_VERSION) throw formatError(found);
    this.head = head;
    this.folder = new Folder(head.folding);
    var chars = head.chars;
    this.charCount = chars.length + 1; // id 0 is the separator
    // Character id of every UTF-16 code unit, folding included: building an
    // index is then one table lookup per character.
    this.idOfCode = new Uint16Array(65536);
    for (i = 0; i < chars.length; i++) this.idOfCode[chars.charCodeAt(i)] = i + 1;
    var self = this;
    function alias(code) { self.idOfCode[code] = self.idOfCode[self.folder.fold(String.fromCharCode(code)).charCodeAt(0)]; }
    for (var code = 65; code <= 90; code++) alias(code);
    for (code = 0xff01; code <= 0xff5e; code++) alias(code);
    this.folder.map.forEach(function (to, from) { alias(from.charCodeAt(0)); });
    this.syllables = head.syllables;
    this.syllableSet = new Set(head.syllables);
    var bySyllable = head.syllables.map(function () { return []; });
    for (i = 0; i < head.readings.length; i++) {
      for (j = 0; j < head.readings[i].length; j++) bySyllable[head.readings[i][j]].push(i + 1);
    }
    this.charsBySyllable = new Map();
    for (i = 0; i < head.syllables.length; i++) this.charsBySyllable.set(head.syllables[i], bySyllable[i]);
    this.prefixSet = new Set();
    for (i = 0; i < head.syllables.length; i++) {
      for (j = 1; j <= head.syllables[i].length; j++) this.prefixSet.add(head.syllables[i].slice(0, j));
    }
    var docs = head.docs;
    this.docCount = docs.id.length;
    this.avoid = new Uint8Array(this.docCount);
    for (i = 0; i < docs.avoid.length; i++) this.avoid[docs.avoid[i]] = 1;
    this.say = new Array(this.docCount); // per doc: the texts a result shows, once its shard is loaded
    this.copies = new Array(this.docCount); // per doc, beside each shown text: what copying takes
    var titles = [];
    this.titleLength = new Int32Array(this.docCount);
    for (i = 0; i < this.docCount; i++) {
      titles.push([i, FIELD_TITLE, -1, docs.title[i]]);
      this.titleLength[i] = docs.title[i].length;
    }
    this.indexes = [new TextIndex(this, titles)];
    this.loadedShards = 0;
    this.unitCache = new Map();
    this.fuzzyCache = new Map();
    this.segmentationCache = new Map();
    this.numeralTwin = {};
    for (var digit in NUMERALS) { this.numeralTwin[digit] = NUMERALS[digit]; this.numeralTwin[NUMERALS[digit]] = digit; }
    this.numeralTwin["两"] = "2";
    // Synonyms: folded word -> the words it also finds; longest words first for rewriting.
    this.synonyms = new Map();
    (head.synonyms || []).forEach(function (pair) { self.synonyms.set(pair[0], pair[1]); });
    this.synonymWords = Array.from(this.synonyms.keys()).sort(function (a, b) { return b.length - a.length; });
    this.channels = docs.channels || null;
    this.weight = docs.weight || null;
    this.fillerIds = FILLERS.concat(CONTEXT_WORDS).map(function (word) {
      return Array.prototype.map.call(word, function (c) { return self.charId(c); });
    });
    this.best = new Float64Array(this.docCount);
    this.bestPos = new Int32Array(this.docCount);
    this.bestIndex = new Int32Array(this.docCount);
    this.stamp = new Int32Array(this.docCount);
    this.generation = 0;
  }

  Engine.prototype.charId = function (ch) {
    return this.idOfCode[ch.charCodeAt(0)];
  };

  Engine.prototype.addShard = function (shard) {
    var segments = [];
    for (var i = 0, j; i < shard.docs.length; i++) {
      var doc = shard.start + i, record = shard.docs[i];
      this.say[doc] = record[1];
      this.copies[doc] = record[3] || [];
      for (j = 0; j < record[0].length; j++) segments.push([doc, FIELD_KEYWORD, -1, record[0][j]]);
      for (j = 0; j < record[1].length; j++) segments.push([doc, FIELD_SAY, j, record[1][j]]);
      for (j = 0; j < record[2].length; j++) segments.push([doc, FIELD_OTHER, -1, record[2][j]]);
    }
    this.indexes.push(new TextIndex(this, segments));
    this.loadedShards++;
  };

  // Once every shard is in, one body index instead of many: each query then
  // scans one posting list per character instead of one per shard.
  Engine.prototype.compact = function () {
    if (this.indexes.length <= 2) return;
    var segments = [];
    for (var i = 1; i < this.indexes.length; i++) segments.push.apply(segments, this.indexes[i].segments);
    this.indexes = [this.indexes[0], new TextIndex(this, segments)];
  };

  // --- query parsing ------------------------------------------------------------

  // Syllables an accent might turn `s` into (one initial and/or one final swapped).
  Engine.prototype.fuzzyVariants = function (s, allowPrefix) {
    var self = this;
    return remember(this.fuzzyCache, (allowPrefix ? "p" : "s") + s, function () {
      return self.computeFuzzyVariants(s, allowPrefix);
    });
  };

  Engine.prototype.computeFuzzyVariants = function (s, allowPrefix) {
    var out = [], seen = new Set([s]), self = this;
    function add(v) {
      if (seen.has(v)) return;
      seen.add(v);
      if (allowPrefix ? self.prefixSet.has(v) : self.syllableSet.has(v)) out.push(v);
    }
    var initials = [s], i, pair, k;
    for (i = 0; i < FUZZY_INITIALS.length; i++) {
      pair = FUZZY_INITIALS[i];
      for (k = 0; k < 2; k++) {
        var from = pair[k], to = pair[1 - k];
        if (s.indexOf(from) === 0 && !(from.length === 1 && s.length > 1 && s[1] === "h" && "zcs".indexOf(from) >= 0)) {
          initials.push(to + s.slice(from.length));
        }
      }
    }
    for (i = 0; i < initials.length; i++) {
      add(initials[i]);
      for (k = 0; k < FUZZY_FINALS.length; k++) {
        pair = FUZZY_FINALS[k];
        var v = initials[i];
        if (v.slice(-pair[0].length) === pair[0]) add(v.slice(0, -pair[0].length) + pair[1]);
        else if (v.slice(-pair[1].length) === pair[1]) add(v.slice(0, -pair[1].length) + pair[0]);
      }
    }
    return out;
  };

  // A unit: which characters match it, and how well. Cached by its description.
  Engine.prototype.unit = function (key, build) {
    var unit = this.unitCache.get(key);
    if (unit) return unit;
    var grades = new Map(), self = this;
    function addSyllable(s, grade) {
      var chars = self.charsBySyllable.get(s);
      if (!chars) return;
      for (var i = 0; i < chars.length; i++) {
        var old = grades.get(chars[i]);
        if (old === undefined || grade < old) grades.set(chars[i], grade);
      }
    }
    build.call(this, grades, addSyllable);
    var mask = new Uint8Array(this.charCount), list = [];
    grades.forEach(function (grade, id) { mask[id] = grade; list.push(id); });
    mask[0] = 0;
    // Best grade first: a scan that keeps the first occurrence it meets keeps the best one.
    list.sort(function (a, b) { return mask[a] - mask[b] || a - b; });
    unit = { key: key, mask: mask, chars: Int32Array.from(list), costs: new WeakMap(), strong: false };
    if (this.unitCache.size > 2000) this.unitCache.clear();
    this.unitCache.set(key, unit);
    return unit;
  };

  Engine.prototype.literalUnit = function (ch) {
    var unit = this.unit("=" + ch, function (grades) {
      var id = this.charId(ch);
      if (id) grades.set(id, GRADE_EXACT);
      var same = this.numeralTwin[ch];
      if (same && this.charId(same)) grades.set(this.charId(same), GRADE_SYLLABLE);
    });
    // A lone latin letter is no word: "kpi" may be looked for scattered, "k" not.
    unit.strong = !/[a-z]/.test(ch);
    return unit;
  };

  // A pinyin unit. mode "s": a whole syllable; "p": a syllable's beginning
  // (an initial such as "t", or the last syllable still being typed).
  Engine.prototype.pinyinUnit = function (text, mode, grade) {
    var unit = this.unit(mode + grade + text, function (grades, addSyllable) {
      var self = this, i, variants;
      if (mode === "s") {
        addSyllable(text, grade === GRADE_TYPO ? GRADE_TYPO : GRADE_SYLLABLE);
        variants = this.fuzzyVariants(text, false);
        for (i = 0; i < variants.length; i++) addSyllable(variants[i], Math.max(GRADE_FUZZY, grade));
        return;
      }
      var fuzzyPrefixes = this.fuzzyVariants(text, true);
      this.syllables.forEach(function (s) {
        if (s === text) addSyllable(s, grade === GRADE_TYPO ? GRADE_TYPO : GRADE_SYLLABLE);
        else if (s.indexOf(text) === 0) addSyllable(s, Math.max(GRADE_PREFIX, grade));
        else {
          for (i = 0; i < fuzzyPrefixes.length; i++) {
            if (s.indexOf(fuzzyPrefixes[i]) === 0) { addSyllable(s, Math.max(GRADE_FUZZY, grade)); break; }
          }
        }
      });
      void self;
    });
    // A whole syllable of two or more letters says enough to be looked for on
    // its own across a document; an initial does not ("gdzp" everywhere).
    unit.strong = text.length > 1 && this.syllableSet.has(text);
    return unit;
  };

  // Split a query into tokens: single characters, and runs of latin letters in
  // which "|" marks a forced syllable boundary (a space or a tone number).
  Engine.prototype.tokenize = function (query) {
    var tokens = [], run = "", i;
    function flush() {
      run = run.replace(/^\|+|\|+$/g, "").replace(/\|+/g, "|");
      if (run) tokens.push({ latin: run });
      run = "";
    }
    for (i = 0; i < query.length; i++) {
      var ch = this.folder.fold(query[i]);
      var code = ch.charCodeAt(0);
      if (code >= 97 && code <= 122) { run += ch; continue; }
      if (isSpace(code)) { if (run) run += "|"; continue; }
      // A digit 1-5 right after a syllable is a tone number: tou2su4.
      if (code >= 49 && code <= 53 && run && /[a-z]$/.test(run) && this.endsWithSyllable(run)) { run += "|"; continue; }
      flush();
      tokens.push({ char: ch });
    }
    flush();
    return tokens;
  };

  Engine.prototype.endsWithSyllable = function (run) {
    var tail = run.slice(run.lastIndexOf("|") + 1);
    for (var len = Math.min(MAX_SYLLABLE, tail.length); len > 0; len--) {
      if (this.syllableSet.has(tail.slice(-len))) return true;
    }
    return false;
  };

  // The best few ways to read a latin run as pinyin units, cheapest first.
  // Whole syllables cost 1; bare initials and the unfinished last syllable a
  // little more, so "tousu" reads tou+su before t+ou+su.
  Engine.prototype.segmentations = function (run, grade) {
    var self = this;
    return remember(this.segmentationCache, grade + run, function () { return self.computeSegmentations(run, grade); });
  };

  Engine.prototype.computeSegmentations = function (run, grade) {
    var letters = run.replace(/\|/g, ""), n = letters.length;
    if (!n) return [];
    var hard = new Uint8Array(n + 1), k = 0, i;
    for (i = 0; i < run.length; i++) { if (run[i] === "|") hard[k] = 1; else k++; }
    var paths = [[{ cost: 0, units: [] }]];
    for (i = 1; i <= n; i++) paths.push([]);
    for (i = 0; i < n; i++) {
      if (!paths[i].length) continue;
      for (var j = i + 1; j <= Math.min(n, i + MAX_SYLLABLE); j++) {
        var crosses = false;
        for (k = i + 1; k < j; k++) if (hard[k]) crosses = true;
        if (crosses) break;
        var piece = letters.slice(i, j), last = j === n, cost, mode;
        // A bare initial ("m", "zh") is always an initial, even where it is also a
        // rare syllable of its own (呣 m): "wmyy" means 文明用语.
        if (BARE_INITIALS[piece]) { cost = 1.2; mode = "p"; }
        else if (this.syllableSet.has(piece)) { cost = 1; mode = last ? "p" : "s"; }
        else if (last && this.prefixSet.has(piece)) { cost = 1.1; mode = "p"; }
        else if (this.fuzzyVariants(piece, last).length) { cost = 1.3; mode = last ? "p" : "s"; }
        else continue;
        for (var p = 0; p < paths[i].length; p++) {
          paths[j].push({ cost: paths[i][p].cost + cost, units: paths[i][p].units.concat([[piece, mode, cost]]) });
        }
        paths[j].sort(function (a, b) { return a.cost - b.cost; });
        if (paths[j].length > MAX_PLANS) paths[j].length = MAX_PLANS;
      }
    }
    var self = this;
    return paths[n].map(function (path) {
      var last = path.units.length - 1;
      return {
        cost: path.cost,
        // Whole syllables only, the last one possibly still being typed.
        whole: path.units.every(function (u, k) { return u[2] === 1 || (k === last && (u[2] === 1.1 || u[2] === 1.2)); }),
        syllables: path.units.filter(function (u) { return u[2] === 1; }).length,
        units: path.units.map(function (u) { return self.pinyinUnit(u[0], u[1], grade); }),
      };
    });
  };

  // Every plan for a query: pinyin readings of each latin run, and the run's
  // letters taken literally (KPI, app), combined with the characters around them.
  Engine.prototype.plans = function (query) {
    var tokens = this.tokenize(query);
    var plans = [{ cost: 0, units: [] }], i, j, k;
    for (i = 0; i < tokens.length; i++) {
      var options;
      if (tokens[i].char) options = [{ cost: 0, units: [this.literalUnit(tokens[i].char)] }];
      else {
        var run = tokens[i].latin;
        options = this.segmentations(run, GRADE_SYLLABLE).slice(); // cached: never modify it
        var literal = [];
        for (k = 0; k < run.length; k++) if (run[k] !== "|") literal.push(this.literalUnit(run[k]));
        options.push({ cost: 0.5 * literal.length, units: literal });
      }
      var next = [];
      for (j = 0; j < plans.length; j++) {
        for (k = 0; k < options.length; k++) {
          next.push({ cost: plans[j].cost + options[k].cost, units: plans[j].units.concat(options[k].units) });
        }
      }
      next.sort(function (a, b) { return a.cost - b.cost; });
      plans = next.slice(0, MAX_PLANS + 1);
    }
    return plans.filter(function (p) { return p.units.length; });
  };

  // One-letter typos of the latin runs, read as pinyin: only tried when the
  // query itself finds too little, and always ranked below real matches.
  Engine.prototype.typoPlans = function (query) {
    var tokens = this.tokenize(query), plans = [], seen = new Set(), self = this;
    var letters = "abcdefghijklmnopqrstuvwxyz";
    tokens.forEach(function (token, t) {
      var typed = token.latin ? token.latin.replace(/\|/g, "").length : 0;
      // A typo is looked for in a word being typed, not in a sentence of pinyin.
      if (typed < 3 || typed > MAX_TYPO_RUN || tokens.length > MAX_TERMS) return;
      // A run that reads as whole syllables is no typo, and one with no whole
      // syllable at all is initials ("tscl"): only a mix suggests a broken syllable.
      var reading = self.segmentations(token.latin, GRADE_SYLLABLE)[0];
      if (reading && (reading.whole || !reading.syllables)) return;
      var run = token.latin, edits = [], i, c;
      for (i = 0; i < run.length; i++) {
        if (run[i] === "|") continue;
        edits.push(run.slice(0, i) + run.slice(i + 1));
        if (i + 1 < run.length && run[i + 1] !== "|") edits.push(run.slice(0, i) + run[i + 1] + run[i] + run.slice(i + 2));
        for (c = 0; c < 26; c++) if (letters[c] !== run[i]) edits.push(run.slice(0, i) + letters[c] + run.slice(i + 1));
      }
      for (i = 0; i <= run.length; i++) for (c = 0; c < 26; c++) edits.push(run.slice(0, i) + letters[c] + run.slice(i));
      edits.forEach(function (edit) {
        if (seen.has(edit)) return;
        seen.add(edit);
        var segs = self.segmentations(edit, GRADE_TYPO);
        // Only edits that read as whole syllables: a typo fix, not a new guess.
        if (!segs.length || segs[0].cost > segs[0].units.length) return;
        var before = [], after = [];
        tokens.forEach(function (other, o) {
          if (o === t) return;
          var units;
          if (other.char) units = [self.literalUnit(other.char)];
          else {
            var readings = self.segmentations(other.latin, GRADE_SYLLABLE);
            units = readings.length ? readings[0].units : other.latin.replace(/\|/g, "").split("").map(function (c) {
              return self.literalUnit(c);
            });
          }
          (o < t ? before : after).push.apply(o < t ? before : after, units);
        });
        plans.push({ cost: segs[0].cost, units: before.concat(segs[0].units, after) });
      });
    });
    plans.sort(function (a, b) { return a.cost - b.cost; });
    return plans.slice(0, 40);
  };

  // --- matching -----------------------------------------------------------------

  Engine.prototype.beginQuery = function () {
    this.generation++;
    this.touched = [];
    this.tierOffset = 0;
  };

  Engine.prototype.offer = function (doc, score, indexNumber, pos) {
    if (this.stamp[doc] !== this.generation) {
      this.stamp[doc] = this.generation;
      this.touched.push(doc);
    } else if (this.best[doc] <= score) return;
    this.best[doc] = score;
    this.bestIndex[doc] = indexNumber;
    this.bestPos[doc] = pos;
  };

  function score(fuzzy, scattered, field, grade, titleLength, offset) {
    return (scattered * 2 + fuzzy) * 1e12 + field * 1e10 + grade * 1e9 + Math.min(titleLength, 9999) * 1e5 + Math.min(offset, 99999);
  }

  // Contiguous matches of a plan in one index.
  Engine.prototype.matchContiguous = function (plan, indexNumber) {
    var index = this.indexes[indexNumber], units = plan.units, n = units.length;
    var anchor = 0, anchorCost = Infinity, i;
    for (i = 0; i < n; i++) {
      var c = index.occurrences(units[i]);
      if (c < anchorCost) { anchorCost = c; anchor = i; }
    }
    if (!anchorCost) return;
    var text = index.text, segOf = index.segOf, segDoc = index.segDoc, segField = index.segField;
    var segStart = index.segStart, post = index.post, postStart = index.postStart, titleLength = this.titleLength;
    var chars = units[anchor].chars, end = text.length;
    for (var ci = 0; ci < chars.length; ci++) {
      for (var pi = postStart[chars[ci]], pe = postStart[chars[ci] + 1]; pi < pe; pi++) {
        var start = post[pi] - anchor;
        if (start < 0 || start + n > end) continue;
        var grade = 0, k;
        for (k = 0; k < n; k++) {
          var g = units[k].mask[text[start + k]];
          if (!g) break;
          if (g > grade) grade = g;
        }
        if (k < n) continue;
        var seg = segOf[start], doc = segDoc[seg], field = segField[seg];
        var penalty = this.avoid[doc] && !(field === FIELD_TITLE && n >= OWN_WORDING * titleLength[doc]) ? AVOID_PENALTY : 0;
        this.offer(doc, this.tierOffset + penalty + this.centrality(doc) +
          score(grade >= GRADE_FUZZY ? 1 : 0, 0, field, grade, titleLength[doc], start - segStart[seg]), indexNumber, start);
      }
    }
  };

  // Documents of an index holding every unit somewhere, not side by side:
  // "投诉 回访", or words split by punctuation. Ranked below contiguous matches.
  Engine.prototype.matchScattered = function (plan, indexNumber) {
    var index = this.indexes[indexNumber], units = plan.units, n = units.length;
    // A long sentence is not looked for scattered over one entry: the partial tier reads it as terms.
    if (n < 2 || n > MAX_TERMS || units.some(function (u) { return !u.strong; })) return;
    var order = units.map(function (u, i) { return i; }).sort(function (a, b) {
      return index.occurrences(units[a]) - index.occurrences(units[b]);
    });
    // Per document: how many of the units (rarest first) it holds so far, their worst
    // grade, and where the last one is. Typed arrays reused across queries.
    var buffers = this.scatterBuffers || (this.scatterBuffers = {
      stamp: new Int32Array(this.docCount), count: new Uint16Array(this.docCount), grade: new Uint8Array(this.docCount),
      pos: new Int32Array(this.docCount), generation: 0,
    });
    var generation = ++buffers.generation, stamp = buffers.stamp, count = buffers.count, grade = buffers.grade;
    var candidates = [];
    for (var r = 0; r < n; r++) {
      var unit = units[order[r]], reached = 0;
      for (var ci = 0; ci < unit.chars.length; ci++) {
        var id = unit.chars[ci], g = unit.mask[id];
        for (var pi = index.postStart[id]; pi < index.postStart[id + 1]; pi++) {
          var pos = index.post[pi], doc = index.segDoc[index.segOf[pos]];
          if (r === 0 && stamp[doc] !== generation) {
            stamp[doc] = generation;
            count[doc] = 0;
            grade[doc] = 0;
            candidates.push(doc);
          }
          if (stamp[doc] !== generation || count[doc] < r) continue; // missed an earlier unit
          if (count[doc] === r) { count[doc] = r + 1; reached++; buffers.pos[doc] = pos; grade[doc] = Math.max(grade[doc], g); }
          else if (g < unit.mask[index.text[buffers.pos[doc]]]) buffers.pos[doc] = pos; // a better occurrence
        }
      }
      if (!reached) return;
    }
    for (var c = 0; c < candidates.length; c++) {
      var d = candidates[c];
      if (count[d] !== n) continue;
      var field = index.segField[index.segOf[buffers.pos[d]]];
      this.offer(d, this.tierOffset + (this.avoid[d] ? AVOID_PENALTY : 0) + this.centrality(d) +
        score(grade[d] >= GRADE_FUZZY ? 1 : 0, 1, field, grade[d], this.titleLength[d], 0), indexNumber, buffers.pos[d]);
    }
  };

  // Titles are searched first. When they alone give `limit` exact contiguous
  // matches, nothing in a body can rank above those (title before body), so the
  // bodies are not scanned: one-letter queries stay fast in large libraries.
  Engine.prototype.collect = function (plans, scattered, limit, kinds) {
    for (var x = 0; x < this.indexes.length; x++) {
      for (var p = 0; p < plans.length; p++) {
        if (scattered) this.matchScattered(plans[p], x);
        else this.matchContiguous(plans[p], x);
      }
      if (x === 0 && !scattered && limit && this.countBelow(this.tierOffset + score(0, 0, FIELD_SAY, 0, 0, 0), kinds) >= limit) return;
    }
  };

  // `allowed`: null, or a test on a document number (see filterFor).
  Engine.prototype.countBelow = function (bound, allowed) {
    var n = 0;
    for (var i = 0; i < this.touched.length; i++) {
      var doc = this.touched[i];
      if (this.best[doc] < bound && (!allowed || allowed(doc))) n++;
    }
    return n;
  };

  Engine.prototype.top = function (limit, allowed) {
    var best = this.best, picked = [];
    for (var i = 0; i < this.touched.length; i++) {
      var doc = this.touched[i];
      if (allowed && !allowed(doc)) continue;
      var s = best[doc];
      if (picked.length === limit && s >= best[picked[limit - 1]]) continue;
      var at = picked.length;
      while (at > 0 && (best[picked[at - 1]] > s || (best[picked[at - 1]] === s && picked[at - 1] > doc))) at--;
      picked.splice(at, 0, doc);
      if (picked.length > limit) picked.pop();
    }
    return picked;
  };

  // The matches offered so far, as a Map doc -> [score, index, position].
  Engine.prototype.snapshot = function () {
    var out = new Map();
    for (var i = 0; i < this.touched.length; i++) {
      var doc = this.touched[i];
      out.set(doc, [this.best[doc], this.bestIndex[doc], this.bestPos[doc]]);
    }
    return out;
  };

  Engine.prototype.reoffer = function (matches) {
    var self = this;
    matches.forEach(function (m, doc) { self.offer(doc, m[0], m[1], m[2]); });
  };

  // Words separated by spaces, each found somewhere in the same entry
  // ("fwjy bugui", "投诉 回访"): ranked with the scattered matches.
  Engine.prototype.matchTerms = function (terms) {
    var found = null;
    for (var t = 0; t < terms.length; t++) {
      this.beginQuery();
      this.collect(this.plans(terms[t]), false, 0, null);
      var here = this.snapshot();
      if (found) {
        here.forEach(function (m, doc) {
          var before = found.get(doc);
          if (!before) here.delete(doc);
          else if (before[0] > m[0]) here.set(doc, before);
        });
      }
      found = here;
      if (!found.size) break;
    }
    found.forEach(function (m) { if (m[0] % 4e12 < 2e12) m[0] += 2e12; });
    return found;
  };

  // Entries other entries point at (related, steps, cards) are the ones agents need:
  // among equal matches they come first. A tie-break below every other part of the score.
  Engine.prototype.centrality = function (doc) {
    return this.weight ? (9 - this.weight[doc]) * 1e8 : 0;
  };

  // The query as searched: at most MAX_QUERY characters; punctuation and symbols
  // (including an IME's syllable separator, tou'su) are spaces.
  function normalizeQuery(query) {
    return String(query || "").slice(0, MAX_QUERY).replace(PUNCTUATION, " ").replace(/\s+/g, " ").trim();
  }

  // options: {limit, kinds: {phrase: true, ...}, channel: "phone" | "chat" | "counter"}
  // Results in rank order, each {id, kind, title, text, url, category, avoid, channels,
  // match: "all" | "partial", highlights}. Three tiers, each only when the one before
  // found fewer than `limit`: the query as typed (every character, in order or as
  // separate words); the query with editors' synonyms in place of the words they
  // name; and the query read as terms that entries cover in part ("partial").
  Engine.prototype.search = function (query, options) {
    options = options || {};
    var limit = options.limit || 10, kinds = this.filterFor(options);
    query = normalizeQuery(query);
    this.beginQuery();
    var plans = this.plans(query);
    if (!plans.length) return [];
    this.collect(plans, false, limit, kinds);
    var markWith = plans, terms = query.split(/[\s\u3000]+/).filter(Boolean);
    if (this.countBelow(Infinity, kinds) < limit) {
      // A few words, each somewhere in an entry; more words than that are a sentence,
      // read as terms by the partial tier.
      if (terms.length > 1 && terms.length <= MAX_WORDS) {
        var direct = this.snapshot(), together = this.matchTerms(terms);
        for (var t = 0; t < terms.length; t++) markWith = markWith.concat(this.plans(terms[t]));
        this.beginQuery();
        this.reoffer(together);
        this.reoffer(direct);
      } else if (/[a-z]/i.test(query)) {
        // Pinyin syllables each somewhere in an entry. Typed characters scattered over
        // an entry are left to the partial tier, which weighs which of them matter.
        this.collect(plans, true, 0, null);
      }
    }
    if (this.countBelow(Infinity, kinds) < limit) {
      var typos = this.typoPlans(query);
      this.collect(typos, false, 0, null);
      markWith = markWith.concat(typos);
    }
    var rewrites = this.countBelow(Infinity, kinds) < limit ? this.rewrites(query) : [];
    if (rewrites.length) {
      this.tierOffset = TIER * TIER_SYNONYM;
      for (var r = 0; r < rewrites.length; r++) {
        var rewritten = this.plans(rewrites[r]);
        this.collect(rewritten, false, 0, null);
        markWith = markWith.concat(rewritten);
      }
      this.tierOffset = 0;
    }
    if (this.countBelow(Infinity, kinds) < limit) {
      markWith = markWith.concat(this.relaxed([query].concat(rewrites)));
    }
    var self = this;
    return this.top(limit, kinds).map(function (doc) {
      return self.result(doc, [self.bestIndex[doc], self.bestPos[doc]], markWith);
    });
  };

  // The closest entries to a query that found nothing: the partial tier with no
  // threshold, and for typed pinyin the title of the closest entry as a suggestion.
  Engine.prototype.nearest = function (query, options) {
    options = options || {};
    var limit = options.limit || 5, allowed = this.filterFor(options);
    query = normalizeQuery(query);
    this.beginQuery();
    var marks = this.relaxed([query].concat(this.rewrites(query)), { minCoverage: 0, commonShare: 1 });
    var self = this, picked = this.top(limit, allowed);
    var results = picked.map(function (doc) { return self.result(doc, [self.bestIndex[doc], self.bestPos[doc]], marks); });
    var latin = /[a-z]/i.test(query) && !/[\u3400-\u9fff]/.test(query);
    return { results: results, didYouMean: latin && results.length ? results[0].title : "" };
  };

  // Which documents a search may return: by kind and by channel (an entry written for no
  // channel in particular serves them all), as a test on a document number.
  Engine.prototype.filterFor = function (options) {
    var kinds = options.kinds || null, channel = CHANNEL_BITS[options.channel] || 0;
    if (!kinds && !channel) return null;
    var codes = this.head.docs.kind, channels = this.channels;
    return function (doc) {
      if (kinds && !kinds[KIND_NAMES[codes[doc]]]) return false;
      return !channel || !channels || !channels[doc] || (channels[doc] & channel) !== 0;
    };
  };

  // The query with one synonym in place of a word it contains, for each synonym the
  // library's editors listed (synonyms.yaml): the longest words first, a few at most.
  Engine.prototype.rewrites = function (query) {
    var folded = "", out = [], i;
    for (i = 0; i < query.length; i++) folded += this.folder.fold(query[i]);
    // The question without its question words (什么是首问负责制 → 首问负责制): searched as typed.
    var core = this.withoutFillers(folded);
    if (core && core !== folded) { out.push(core); folded = core; }
    for (var w = 0; w < this.synonymWords.length && out.length < MAX_REWRITES; w++) {
      var word = this.synonymWords[w], at = folded.indexOf(word);
      if (at < 0) continue;
      var alternatives = this.synonyms.get(word);
      for (i = 0; i < alternatives.length && out.length < MAX_REWRITES; i++) {
        out.push(folded.slice(0, at) + " " + alternatives[i] + " " + folded.slice(at + word.length));
      }
    }
    return out.map(function (q) { return q.replace(/\s+/g, " ").trim(); });
  };

  // The query without the particles that end it (退款了吗 → 退款), except where a particle
  // ends a word the library writes (目的, 好的, 除了): 了 and 的 are checked against the index.
  Engine.prototype.withoutParticles = function (query) {
    var found = FINAL_PARTICLES.exec(query);
    if (!found) return query;
    var cut = found.index;
    while (cut < query.length && cut > 0 && (query[cut] === "了" || query[cut] === "的")) {
      var pair = { units: [this.literalUnit(this.folder.fold(query[cut - 1])), this.literalUnit(query[cut])] };
      if (!this.termDocs(pair, this.scratch()).length) break;
      cut++;
    }
    return query.slice(0, cut);
  };

  // The query without question and filler words (hanzi as typed; pinyin ones are dropped by termRuns).
  Engine.prototype.withoutFillers = function (query) {
    var out = query;
    for (var f = 0; f < FILLERS.length; f++) out = out.split(FILLERS[f]).join(" ");
    return this.withoutParticles(out).replace(/\s+/g, " ").trim();
  };

  // --- the relaxed tier: the query as terms, ranked by how much of it an entry covers ------

  // The query's units (its best reading) in runs between the fillers that were dropped.
  Engine.prototype.termRuns = function (query) {
    var plans = this.plans(this.withoutParticles(normalizeQuery(query)));
    if (!plans.length) return [];
    var units = plans[0].units, keep = new Uint8Array(units.length).fill(1), f, i, k;
    for (f = 0; f < this.fillerIds.length; f++) {
      var ids = this.fillerIds[f], n = ids.length;
      if (ids.indexOf(0) >= 0) continue;
      for (i = 0; i + n <= units.length; i++) {
        for (k = 0; k < n && keep[i + k] && units[i + k].mask[ids[k]]; k++);
        if (k === n) for (k = 0; k < n; k++) keep[i + k] = 0;
      }
    }
    var runs = [], run = [];
    for (i = 0; i < units.length; i++) {
      if (keep[i] && units[i].chars.length) run.push(units[i]);
      else { if (run.length) runs.push(run); run = []; }
    }
    if (run.length) runs.push(run);
    return runs;
  };

  // Terms: every two neighbouring units of a run; a run of one hanzi on its own.
  Engine.prototype.terms = function (runs) {
    var terms = [], seen = new Set();
    runs.forEach(function (run) {
      var pieces = run.length === 1 ? (run[0].strong && run[0].key[0] === "=" ? [[run[0]]] : []) : [];
      for (var i = 0; i + 1 < run.length; i++) pieces.push([run[i], run[i + 1]]);
      pieces.forEach(function (units) {
        var key = units.map(function (u) { return u.key; }).join("\u0001");
        if (!seen.has(key)) { seen.add(key); terms.push({ key: key, units: units }); }
      });
    });
    return terms;
  };

  // Scratch arrays for the partial tier, one slot per document, reused across queries.
  Engine.prototype.scratch = function () {
    if (!this.relaxedBuffers) {
      var n = this.docCount;
      this.relaxedBuffers = {
        termStamp: new Int32Array(n), termWeight: new Float64Array(n), termIndex: new Int32Array(n),
        termPos: new Int32Array(n), termGeneration: 0,
        covered: new Float64Array(n), quality: new Float64Array(n), best: new Float64Array(n),
        bestIndex: new Int32Array(n), bestPos: new Int32Array(n), telling: new Uint8Array(n),
        seen: new Int32Array(n), seenGeneration: 0,
      };
    }
    return this.relaxedBuffers;
  };

  // Every document holding `term` (its first unit followed by its second), each with
  // the best field it is found in and where; the documents are returned in a list.
  // Scans the postings of whichever unit is rarer.
  Engine.prototype.termDocs = function (term, buffers) {
    var docs = [], a = term.units[0], b = term.units[1], generation = ++buffers.termGeneration;
    var stamp = buffers.termStamp, weights = buffers.termWeight;
    for (var x = 0; x < this.indexes.length; x++) {
      var index = this.indexes[x], text = index.text, post = index.post, start = index.postStart;
      var segOf = index.segOf, segDoc = index.segDoc, segField = index.segField;
      var anchorFirst = !b || index.occurrences(a) <= index.occurrences(b);
      var anchor = anchorFirst ? a : b, other = anchorFirst ? b : a, step = anchorFirst ? 1 : -1;
      var chars = anchor.chars;
      for (var c = 0; c < chars.length; c++) {
        for (var p = start[chars[c]], end = start[chars[c] + 1]; p < end; p++) {
          var pos = post[p];
          if (other && !other.mask[text[pos + step]]) continue;
          var at = anchorFirst ? pos : pos - 1, seg = segOf[at], doc = segDoc[seg], weight = FIELD_WEIGHT[segField[seg]];
          if (stamp[doc] !== generation) {
            stamp[doc] = generation;
            weights[doc] = -1;
            docs.push(doc);
          }
          if (weight > weights[doc]) {
            weights[doc] = weight;
            buffers.termIndex[doc] = x;
            buffers.termPos[doc] = at;
          }
        }
      }
    }
    return docs;
  };

  // The partial tier: each query (the query and its rewrites) as terms; an entry
  // scores the share of the terms it holds, each weighted by how rare it is in the
  // library (BM25's idf) and by where it is found (title, words, guidance, hidden).
  // Reads the first MAX_RELAXED_QUERIES of `queries` (the query, its core, a synonym or two).
  // bounds: {minCoverage, commonShare}, MIN_COVERAGE and COMMON_SHARE unless given.
  // Returns the terms, to highlight matches with.
  Engine.prototype.relaxed = function (queries, bounds) {
    var marks = [], self = this, total = this.docCount, buffers = this.scratch(), cache = new Map();
    // A term's documents, found once per search: the query and its rewrites share most terms.
    // Beside each document: the field weight, index and place of its best occurrence.
    function known(term) {
      var hit = cache.get(term.key);
      if (!hit) {
        var docs = self.termDocs(term, buffers), weight = new Float64Array(docs.length);
        var index = new Int32Array(docs.length), pos = new Int32Array(docs.length);
        for (var i = 0; i < docs.length; i++) {
          weight[i] = buffers.termWeight[docs[i]];
          index[i] = buffers.termIndex[docs[i]];
          pos[i] = buffers.termPos[docs[i]];
        }
        cache.set(term.key, hit = { docs: docs, weight: weight, index: index, pos: pos });
      }
      return hit;
    }
    var minCoverage = bounds ? bounds.minCoverage : MIN_COVERAGE, commonShare = bounds ? bounds.commonShare : COMMON_SHARE;
    queries.slice(0, MAX_RELAXED_QUERIES).forEach(function (query, q) {
      var terms = self.terms(self.termRuns(query));
      if (!terms.length) return;
      // Long queries: the rarest terms say the most, and bound the work.
      if (terms.length > MAX_RELAXED_TERMS) {
        terms.forEach(function (term) {
          term.cost = self.indexes.reduce(function (sum, index) { return sum + index.occurrences(term.units[0]); }, 0);
        });
        terms.sort(function (x, y) { return x.cost - y.cost; });
        terms.length = MAX_RELAXED_TERMS;
      }
      var generation = ++buffers.seenGeneration, touched = [], weightSum = 0;
      terms.forEach(function (term) {
        var hit = known(term), df = hit.docs.length;
        var idf = Math.log(1 + (total - df + 0.5) / (df + 0.5)), telling = df <= commonShare * total ? 1 : 0;
        // A pair of characters the library never writes is often two words' edges
        // (态度太差: 度太), sometimes the word that matters (赔钱): it counts, but less.
        if (!df) { weightSum += UNSEEN_WEIGHT * idf; return; }
        weightSum += idf;
        marks.push(term);
        for (var i = 0; i < df; i++) {
          var doc = hit.docs[i], weighted = idf * hit.weight[i];
          if (buffers.seen[doc] !== generation) {
            buffers.seen[doc] = generation;
            buffers.covered[doc] = buffers.quality[doc] = buffers.best[doc] = 0;
            buffers.telling[doc] = 0;
            touched.push(doc);
          }
          buffers.covered[doc] += idf;
          buffers.quality[doc] += weighted;
          buffers.telling[doc] |= telling;
          if (weighted > buffers.best[doc]) {
            buffers.best[doc] = weighted;
            buffers.bestIndex[doc] = hit.index[i];
            buffers.bestPos[doc] = hit.pos[i];
          }
        }
      });
      if (!weightSum) return;
      for (var t = 0; t < touched.length; t++) {
        var doc = touched[t], coverage = buffers.covered[doc] / weightSum;
        // Holding only words most entries hold (客户, 您好) is no match.
        if (coverage < minCoverage || !buffers.telling[doc]) continue;
        var quality = buffers.quality[doc] / (weightSum * FIELD_WEIGHT[0]);
        self.offer(doc, TIER * TIER_PARTIAL + (self.avoid[doc] ? AVOID_PENALTY : 0) +
          Math.round((1 - coverage) * 999) * 1e9 + Math.round((1 - quality) * 999) * 1e6 + (q ? 5e5 : 0) +
          self.centrality(doc) / 1e5 + Math.min(self.titleLength[doc], 99), buffers.bestIndex[doc], buffers.bestPos[doc]);
      }
    });
    return marks;
  };

  // --- results --------------------------------------------------------------------

  // Every place in `str` where one of `plans` matches, as [start, end) string
  // offsets, merged: the hanzi are marked even when matched through pinyin.
  Engine.prototype.marks = function (str, plans) {
    var ids = [], offsets = [], i, k, p;
    for (i = 0; i < str.length; i++) {
      var code = str.charCodeAt(i);
      if (isSpace(code)) continue;
      ids.push(this.idOfCode[code]);
      offsets.push(i);
    }
    var marked = new Uint8Array(ids.length);
    for (p = 0; p < plans.length; p++) {
      var units = plans[p].units, n = units.length;
      for (i = 0; i + n <= ids.length; i++) {
        for (k = 0; k < n && units[k].mask[ids[i + k]]; k++);
        if (k === n) for (k = 0; k < n; k++) marked[i + k] = 1;
      }
    }
    var ranges = [];
    for (i = 0; i < ids.length; i++) {
      if (!marked[i]) continue;
      var end = offsets[i] + 1;
      if (ranges.length && ranges[ranges.length - 1][1] === offsets[i]) ranges[ranges.length - 1][1] = end;
      else ranges.push([offsets[i], end]);
    }
    return ranges;
  };

  // A result as the UI shows it; `match` is [indexNumber, position] of the best
  // match (it picks which of the entry's texts is shown), or absent.
  Engine.prototype.result = function (doc, match, plans) {
    var docs = this.head.docs, category = this.head.categories[docs.category[doc]];
    var say = this.say[doc] || [], copies = this.copies[doc] || [], shown = 0;
    if (match) {
      var index = this.indexes[match[0]], seg = index.segments[index.segOf[match[1]]];
      if (seg[1] === FIELD_SAY) shown = seg[2];
    }
    var text = say.length ? say[shown] : "", copy = copies[shown] === 0 ? text : copies[shown] || "";
    if (!copy) { // what the entry says elsewhere, when the text shown has nothing to copy
      for (var c = 0; c < say.length && !copy; c++) copy = copies[c] === 0 ? say[c] : copies[c] || "";
    }
    plans = plans || [];
    return {
      id: docs.id[doc],
      kind: KIND_NAMES[docs.kind[doc]],
      title: docs.title[doc],
      text: text,
      // What the copy key takes: only words said to the customer; "" when the entry has none.
      copy: docs.kind[doc] === "c" ? "" : copy,
      url: docs.kind[doc] === "c" ? category.url : category.url + "#" + docs.id[doc],
      category: category.title,
      avoid: !!this.avoid[doc],
      channels: this.channelNames(doc),
      match: match && this.stamp[doc] === this.generation && this.best[doc] >= TIER * TIER_PARTIAL ? "partial" : "all",
      highlights: { title: this.marks(docs.title[doc], plans), text: this.marks(text, plans) },
    };
  };

  Engine.prototype.channelNames = function (doc) {
    var bits = this.channels ? this.channels[doc] : 0, names = [];
    for (var name in CHANNEL_BITS) if (bits & CHANNEL_BITS[name]) names.push(name);
    return names;
  };

  Engine.prototype.byId = function (id) {
    var doc = this.head.docs.id.indexOf(id);
    return doc < 0 ? null : this.result(doc, null);
  };

  Engine.FORMAT_VERSION = FORMAT_VERSION;
  return Engine;
});
