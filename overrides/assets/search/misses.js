// huashu missed searches: queries that found no result matching the whole query, kept
// in this browser only (localStorage "huashu.misses"), never sent anywhere. The search
// box (ui.js) records them through window.huashu.misses; the 搜索未命中 page (misses/)
// lists them, copies them and exports them as CSV. Loaded on every page, before ui.js.
(function () {
  "use strict";
  var KEY = "huashu.misses";
  var MAX_ITEMS = 200; // kept; the least recently missed are dropped first
  var MAX_QUERY = 100; // characters of a query kept
  var MAX_COUNT = 1000000;
  // What is read: a value this long was not written here (200 items take ~30 KB), and
  // parsing it on every search would cost the agent time, so it is treated as empty.
  var MAX_STORED_CHARS = 1000000;
  var MAX_READ_ITEMS = 5000;
  var DATE = /^\d{4}-\d{2}-\d{2}$/;

  function today() {
    var d = new Date();
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate());
  }

  function cleanQuery(q) {
    return typeof q === "string" ? q.replace(/\s+/g, " ").trim().slice(0, MAX_QUERY) : "";
  }

  // Whatever is stored, as a clean list: [{q, n, last}], most recently missed first,
  // one item per query (a duplicate adds its count), at most MAX_ITEMS.
  function normalize(value) {
    if (!Array.isArray(value)) return [];
    var out = [], at = Object.create(null);
    for (var i = 0; i < value.length && i < MAX_READ_ITEMS; i++) {
      var item = value[i];
      if (!item || typeof item !== "object") continue;
      var q = cleanQuery(item.q);
      if (!q) continue;
      var n = Math.floor(Number(item.n));
      n = isFinite(n) && n > 0 ? Math.min(n, MAX_COUNT) : 1;
      var last = typeof item.last === "string" && DATE.test(item.last) ? item.last : "";
      if (q in at) {
        var seen = out[at[q]];
        seen.n = Math.min(seen.n + n, MAX_COUNT);
        if (last > seen.last) seen.last = last;
      } else {
        at[q] = out.length;
        out.push({ q: q, n: n, last: last });
      }
    }
    return out.slice(0, MAX_ITEMS);
  }

  function read() {
    var raw;
    try { raw = window.localStorage.getItem(KEY); } catch (e) { return []; }
    if (!raw || raw.length > MAX_STORED_CHARS) return [];
    try { return normalize(JSON.parse(raw)); } catch (e) { return []; }
  }

  function write(list) {
    try { window.localStorage.setItem(KEY, JSON.stringify(list)); return true; } catch (e) { return false; }
  }

  function record(query) {
    var q = cleanQuery(query);
    if (!q) return;
    var list = read(), item = { q: q, n: 1, last: today() };
    for (var i = 0; i < list.length; i++) {
      if (list[i].q === q) { item.n = Math.min(list[i].n + 1, MAX_COUNT); list.splice(i, 1); break; }
    }
    list.unshift(item);
    write(list.slice(0, MAX_ITEMS));
  }

  function clear() {
    try { window.localStorage.removeItem(KEY); } catch (e) { /* storage disabled */ }
  }

  // Most frequent first; then the most recent; then as stored.
  function ranked(list) {
    return list.map(function (item, i) { return [item, i]; }).sort(function (a, b) {
      return b[0].n - a[0].n || (a[0].last < b[0].last ? 1 : a[0].last > b[0].last ? -1 : 0) || a[1] - b[1];
    }).map(function (pair) { return pair[0]; });
  }

  var api = window.huashu = window.huashu || {};
  api.misses = { key: KEY, read: read, record: record, clear: clear, ranked: ranked };

  // --- the 搜索未命中 page -------------------------------------------------------------

  // One line of text per query for a spreadsheet: tabs and line breaks in a query are spaces.
  function cell(text) { return String(text).replace(/[\t\r\n]+/g, " "); }

  function asText(list) {
    return ["搜索词\t次数\t最近一次"].concat(list.map(function (m) {
      return cell(m.q) + "\t" + m.n + "\t" + m.last;
    })).join("\r\n") + "\r\n";
  }

  // RFC 4180 fields; a query a spreadsheet would run as a formula (=, +, -, @) is kept as text.
  function csvField(text) {
    text = String(text);
    if (/^[=+\-@\t\r]/.test(text)) text = "'" + text;
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function asCsv(list) {
    var lines = ["搜索词,次数,最近一次"].concat(list.map(function (m) {
      return [csvField(m.q), m.n, m.last].join(",");
    }));
    return "\uFEFF" + lines.join("\r\n") + "\r\n"; // the BOM: Excel reads the file as UTF-8
  }

  function MissesPage(root) {
    this.root = root;
    this.body = root.querySelector("tbody");
    this.table = root.querySelector("table");
    this.empty = root.querySelector(".hs-misses__empty");
    this.status = root.querySelector(".hs-misses__status");
    this.buttons = Array.prototype.slice.call(root.querySelectorAll("button[data-action]"));
    var searchPage = root.getAttribute("data-search-page") || "../search/";
    this.searchPage = new URL(searchPage, window.location.href).href;
    if (api.pageUrl) this.searchPage = api.pageUrl(this.searchPage);
    var self = this;
    root.addEventListener("click", function (e) {
      var button = e.target.closest && e.target.closest("button[data-action]");
      var action = button && !button.disabled && button.getAttribute("data-action");
      if (action === "copy" || action === "csv" || action === "clear") self[action]();
    });
    // Another tab's searches (or clearing) show here without a reload.
    window.addEventListener("storage", function (e) { if (e.key === KEY || e.key === null) self.render(); });
    this.render();
  }

  MissesPage.prototype.render = function () {
    var list = ranked(read()), body = this.body, searchPage = this.searchPage;
    this.list = list;
    body.textContent = "";
    list.forEach(function (m) {
      var tr = document.createElement("tr");
      var query = tr.appendChild(document.createElement("td"));
      var link = query.appendChild(document.createElement("a"));
      link.href = searchPage + "?q=" + encodeURIComponent(m.q);
      link.title = "用现在的话术库再搜一次";
      link.textContent = m.q; // text only: a query is never markup
      tr.appendChild(document.createElement("td")).textContent = String(m.n);
      tr.appendChild(document.createElement("td")).textContent = m.last;
      body.appendChild(tr);
    });
    this.table.hidden = !list.length;
    this.empty.hidden = !!list.length;
    this.empty.textContent = "这个浏览器里还没有未命中的搜索。";
    this.buttons.forEach(function (b) { b.disabled = !list.length; });
  };

  MissesPage.prototype.say = function (text) {
    var status = this.status;
    status.textContent = text;
    clearTimeout(this.sayTimer);
    this.sayTimer = setTimeout(function () { status.textContent = ""; }, 4000);
  };

  MissesPage.prototype.copy = function () {
    var self = this, count = this.list.length;
    if (!api.copyText) { this.say("复制失败"); return; }
    api.copyText(asText(this.list)).then(
      function () { self.say("已复制 " + count + " 条，可以直接粘贴到表格里"); },
      function () { self.say("复制失败"); }
    );
  };

  MissesPage.prototype.csv = function () {
    var blob = new Blob([asCsv(this.list)], { type: "text/csv;charset=utf-8" });
    var url = URL.createObjectURL(blob), link = document.createElement("a");
    link.href = url;
    link.download = "搜索未命中-" + today() + ".csv";
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    document.body.removeChild(link);
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
    this.say("已导出 " + this.list.length + " 条");
  };

  MissesPage.prototype.clear = function () {
    if (!window.confirm("清空这个浏览器里的全部 " + this.list.length + " 条未命中搜索？此操作无法撤销。")) return;
    clear();
    this.render();
    this.say("已清空");
  };

  function startPage() {
    var root = document.querySelector("[data-hs-misses]");
    if (root) api.missesPage = new MissesPage(root);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", startPage);
  else startPage();
})();
