// huashu search box: keyboard-first search in the header (and on /search/).
// Uses only the public search API (window.huashu, from loader.js), like any embedder would.
(function () {
  "use strict";
  var api;
  var STARRED = "huashu.starred", RECENT = "huashu.recent", SALUTATION = "huashu.salutation";
  var MAX_RECENT = 10;

  // --- storage (localStorage may be unavailable, e.g. disabled by policy) -------

  function readList(key) {
    try { var v = JSON.parse(window.localStorage.getItem(key) || "[]"); return Array.isArray(v) ? v : []; }
    catch (e) { return []; }
  }
  function writeList(key, list) {
    try { window.localStorage.setItem(key, JSON.stringify(list)); } catch (e) { /* private mode */ }
  }
  function readSession(key) {
    try { return window.sessionStorage.getItem(key) || ""; } catch (e) { return ""; }
  }
  function writeSession(key, value) {
    try { window.sessionStorage.setItem(key, value); } catch (e) { /* ignore */ }
  }

  // --- rendering helpers (text only: content never becomes markup) --------------

  // The part of a long text the result shows (three lines at most): the
  // beginning, or a window around the first highlight. Marks are shifted to it.
  var SNIPPET = 150;
  function snippet(text, marks) {
    if (text.length <= SNIPPET) return [text, marks];
    var from = marks.length && marks[0][1] > SNIPPET ? Math.max(0, marks[0][0] - 20) : 0;
    var to = Math.min(text.length, from + SNIPPET);
    var shifted = marks.filter(function (m) { return m[0] >= from && m[1] <= to; }).map(function (m) {
      return [m[0] - from + (from ? 1 : 0), m[1] - from + (from ? 1 : 0)];
    });
    return [(from ? "…" : "") + text.slice(from, to) + (to < text.length ? "…" : ""), shifted];
  }

  function fillPlaceholders(text, salutation) {
    return salutation ? text.replace(/\{称呼\}/g, salutation) : text;
  }

  function copyable(result) {
    return result.kind !== "category" && !!result.text;
  }

  // --- one search box -------------------------------------------------------------

  function SearchBox(root) {
    this.root = root;
    this.page = root.classList.contains("hs-search--page");
    this.input = root.querySelector(".hs-search__input");
    this.panel = root.querySelector(".hs-search__panel");
    this.list = root.querySelector(".hs-search__results");
    this.status = root.querySelector(".hs-search__status");
    this.more = root.querySelector(".hs-search__more");
    this.salutation = root.querySelector(".hs-search__salutation input");
    this.kindButtons = Array.prototype.slice.call(root.querySelectorAll("[data-kind]"));
    this.kind = "";
    this.results = [];
    this.selected = 0;
    this.limit = this.page ? 50 : 10;
    this.salutation.value = readSession(SALUTATION);
    this.bind();
  }

  SearchBox.prototype.bind = function () {
    var self = this;
    this.input.addEventListener("input", function () { self.selected = 0; self.update(); });
    this.input.addEventListener("focus", function () { api.loadBodies(); self.open(); });
    this.input.addEventListener("keydown", function (e) { self.onKey(e); });
    this.salutation.addEventListener("input", function () {
      writeSession(SALUTATION, self.salutation.value.trim());
    });
    this.salutation.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { self.salutation.value = ""; writeSession(SALUTATION, ""); }
      if (e.key === "Enter" || e.key === "Escape") { e.preventDefault(); self.input.focus(); }
    });
    this.kindButtons.forEach(function (button) {
      button.addEventListener("click", function () { self.setKind(button.getAttribute("data-kind")); self.input.focus(); });
    });
    // Clicks inside the panel must not blur the input and close the panel first.
    this.panel.addEventListener("mousedown", function (e) {
      if (e.target !== self.salutation) e.preventDefault();
    });
    this.list.addEventListener("click", function (e) { self.onClick(e); });
    if (!this.page) {
      document.addEventListener("mousedown", function (e) {
        if (!self.root.contains(e.target)) self.close();
      });
    }
  };

  SearchBox.prototype.open = function () {
    this.panel.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
    this.update();
  };

  SearchBox.prototype.close = function () {
    if (this.page) return;
    this.panel.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
  };

  SearchBox.prototype.setKind = function (kind) {
    this.kind = kind || "";
    this.kindButtons.forEach(function (b) { b.setAttribute("aria-pressed", String(b.getAttribute("data-kind") === kind)); });
    this.selected = 0;
    this.update();
  };

  SearchBox.prototype.query = function () {
    return this.input.value.trim();
  };

  SearchBox.prototype.update = function () {
    var query = this.query();
    var kinds = null;
    if (this.kind) { kinds = {}; kinds[this.kind] = true; }
    if (query) {
      this.results = api.searchNow(query, { limit: this.limit, kinds: kinds });
      this.render(this.results, null);
      if (this.page) this.rememberQuery(query);
    } else {
      this.renderShortcuts(kinds);
    }
  };

  SearchBox.prototype.rememberQuery = function (query) {
    var url = new URL(window.location.href);
    url.searchParams.set("q", query);
    window.history.replaceState(null, "", url.href);
  };

  SearchBox.prototype.renderShortcuts = function (kinds) {
    function entries(key) {
      return readList(key).map(function (id) { return api.entry(id); }).filter(function (r) {
        return r && (!kinds || kinds[r.kind]);
      });
    }
    var starred = entries(STARRED), recent = entries(RECENT);
    this.results = starred.concat(recent);
    this.render(this.results, { starred: starred.length, recent: recent.length });
  };

  // Result rows are kept across keystrokes and only their text is updated:
  // far cheaper than replacing the nodes, whose layout the browser then keeps.
  // Content only ever goes in as text nodes, never as markup.
  function node(tag, cls, parent) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (parent) parent.appendChild(n);
    return n;
  }

  function setText(n, text) {
    if (n.textContent !== text) n.textContent = text;
  }

  function setAttr(n, name, value) {
    if (n.getAttribute(name) !== value) n.setAttribute(name, value);
  }

  // `text` into `n` with the [start, end) ranges wrapped in <mark>.
  function setMarked(n, text, marks) {
    var key = text + "\u0000" + marks.join(";");
    if (n.hsKey === key) return;
    n.hsKey = key;
    n.textContent = "";
    var at = 0;
    marks.forEach(function (m) {
      if (m[0] < at) return;
      if (m[0] > at) n.appendChild(document.createTextNode(text.slice(at, m[0])));
      node("mark", "", n).textContent = text.slice(m[0], m[1]);
      at = m[1];
    });
    if (at < text.length) n.appendChild(document.createTextNode(text.slice(at)));
  }

  function Row(list) {
    this.li = node("li", "hs-result", list);
    this.li.setAttribute("role", "option");
    var head = node("div", "hs-result__head", this.li);
    this.kind = node("span", "hs-result__kind", head);
    this.title = node("a", "hs-result__title", head);
    this.title.tabIndex = -1;
    this.category = node("span", "hs-result__category", head);
    this.star = node("span", "hs-result__star", head);
    this.star.setAttribute("role", "button");
    this.star.title = "收藏（Ctrl+S）";
    this.copy = node("span", "hs-result__copy", head);
    this.copy.setAttribute("role", "button");
    this.copy.title = "复制（Ctrl+Enter）";
    this.text = node("div", "hs-result__text", this.li);
    this.label = node("span", "hs-result__label", this.text);
    this.body = node("span", "", this.text);
  }

  Row.prototype.show = function (r, index, selected, starred) {
    this.li.hidden = false;
    setAttr(this.li, "data-index", String(index));
    setAttr(this.li, "data-id", r.id);
    setAttr(this.li, "aria-selected", String(selected));
    setAttr(this.kind, "class", "hs-result__kind hs-result__kind--" + r.kind);
    setText(this.kind, api.kindTitles[r.kind] || r.kind);
    setMarked(this.title, r.title, r.highlights.title);
    setAttr(this.title, "href", r.url);
    setText(this.category, r.category);
    this.star.hidden = r.kind === "category";
    setText(this.star, starred ? "★" : "☆");
    this.copy.hidden = !copyable(r);
    setText(this.copy, "复制");
    this.copy.classList.remove("hs-copied");
    this.text.hidden = !r.text;
    setText(this.label, r.avoid ? "建议说：" : "");
    var shown = snippet(r.text, r.highlights.text);
    setMarked(this.body, shown[0], shown[1]);
  };

  SearchBox.prototype.render = function (results, shortcuts) {
    var list = this.list, rows = this.rows || (this.rows = []), starred = readList(STARRED), query = this.query();
    if (!this.groups) {
      this.groups = [node("li", "hs-search__group", list), node("li", "hs-search__group", list)];
      this.groups[0].textContent = "收藏";
      this.groups[1].textContent = "最近复制";
      this.empty = node("li", "hs-search__empty", list);
    }
    if (this.selected >= results.length) this.selected = Math.max(0, results.length - 1);
    while (rows.length < results.length) {
      rows.push(new Row(list));
      list.insertBefore(rows[rows.length - 1].li, this.empty);
    }
    for (var i = 0; i < rows.length; i++) {
      if (i < results.length) rows[i].show(results[i], i, i === this.selected, starred.indexOf(results[i].id) >= 0);
      else rows[i].li.hidden = true;
    }
    this.placeGroup(this.groups[0], shortcuts && shortcuts.starred ? rows[0] : null);
    this.placeGroup(this.groups[1], shortcuts && shortcuts.recent ? rows[shortcuts.starred] : null);
    this.empty.hidden = results.length > 0;
    // An index search cannot read: its message (text only) instead of results.
    this.empty.classList.toggle("hs-search__empty--error", !!api.error);
    if (api.error) setText(this.empty, api.error);
    else if (!results.length) {
      setText(this.empty, query ? "没有找到“" + query + "”" : "输入关键词：汉字、拼音或首字母都可以。收藏和复制过的话术会显示在这里。");
    }
    var status = api.isComplete() ? "" : "正在载入全文索引……";
    if (this.status && this.status.textContent !== status) this.status.textContent = status;
    if (this.more && !this.page) {
      this.more.hidden = !query;
      if (query) this.more.href = this.searchPageUrl(query);
    }
    // No scrollIntoView here: it forces a layout on every keystroke. A fresh
    // list starts at its top; only arrow keys move the view.
  };

  SearchBox.prototype.placeGroup = function (group, beforeRow) {
    group.hidden = !beforeRow;
    if (beforeRow && group.nextSibling !== beforeRow.li) this.list.insertBefore(group, beforeRow.li);
  };

  SearchBox.prototype.searchPageUrl = function (query) {
    if (!this.searchPage) {
      this.searchPage = new URL(this.root.getAttribute("data-search-page") || "search/", window.location.href).href;
    }
    return this.searchPage + "?q=" + encodeURIComponent(query);
  };

  SearchBox.prototype.scrollToSelected = function () {
    var row = this.rows && this.rows[this.selected];
    if (row && row.li.scrollIntoView) row.li.scrollIntoView({ block: "nearest" });
  };

  SearchBox.prototype.move = function (delta) {
    if (!this.results.length) return;
    this.selected = (this.selected + delta + this.results.length) % this.results.length;
    for (var i = 0; i < this.results.length; i++) setAttr(this.rows[i].li, "aria-selected", String(i === this.selected));
    this.scrollToSelected();
  };

  SearchBox.prototype.current = function () {
    return this.results[this.selected] || null;
  };

  SearchBox.prototype.openResult = function (result) {
    if (result) window.location.href = result.url;
  };

  SearchBox.prototype.copy = function (result) {
    if (!result || !copyable(result)) return;
    var text = fillPlaceholders(result.text, this.salutation.value.trim());
    var row = this.rows[this.results.indexOf(result)], button = row && row.copy;
    window.huashu.copyText(text).then(function () {
      var recent = readList(RECENT).filter(function (id) { return id !== result.id; });
      recent.unshift(result.id);
      writeList(RECENT, recent.slice(0, MAX_RECENT));
      if (button) { button.textContent = "已复制"; button.classList.add("hs-copied"); }
    }, function () {
      if (button) button.textContent = "复制失败";
    });
  };

  SearchBox.prototype.toggleStar = function (result) {
    if (!result || result.kind === "category") return;
    var starred = readList(STARRED), at = starred.indexOf(result.id);
    if (at >= 0) starred.splice(at, 1); else starred.unshift(result.id);
    writeList(STARRED, starred);
    var row = this.rows[this.results.indexOf(result)];
    if (row) row.star.textContent = at >= 0 ? "☆" : "★";
  };

  SearchBox.prototype.onKey = function (e) {
    var ctrl = e.ctrlKey || e.metaKey;
    if (e.key === "ArrowDown") { e.preventDefault(); this.move(1); }
    else if (e.key === "ArrowUp") { e.preventDefault(); this.move(-1); }
    else if (e.key === "Enter" && ctrl) { e.preventDefault(); this.copy(this.current()); }
    else if (e.key === "Enter") { e.preventDefault(); this.openResult(this.current()); }
    else if (ctrl && (e.key === "c" || e.key === "C") && this.input.selectionStart === this.input.selectionEnd) {
      e.preventDefault();
      this.copy(this.current());
    } else if (ctrl && (e.key === "s" || e.key === "S")) { e.preventDefault(); this.toggleStar(this.current()); }
    else if (e.altKey && e.key >= "1" && e.key <= String(this.kindButtons.length)) {
      e.preventDefault(); // Alt+1 all kinds, then the kind buttons in their order
      this.setKind(this.kindButtons[Number(e.key) - 1].getAttribute("data-kind"));
    } else if (e.key === "Escape") {
      e.preventDefault();
      if (this.input.value) { this.input.value = ""; this.update(); }
      else { this.close(); this.input.blur(); }
    }
  };

  SearchBox.prototype.onClick = function (e) {
    var item = e.target.closest(".hs-result");
    if (!item) return;
    var result = this.results[Number(item.getAttribute("data-index"))];
    if (e.target.closest(".hs-result__copy")) { e.preventDefault(); this.copy(result); return; }
    if (e.target.closest(".hs-result__star")) { e.preventDefault(); this.toggleStar(result); return; }
    if (!e.target.closest("a")) this.openResult(result);
  };

  // --- wiring -----------------------------------------------------------------------

  function typingElsewhere(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  function start() {
    api = window.huashu;
    api.ready.then(startBoxes);
  }

  function startBoxes() {
    var boxes = Array.prototype.slice.call(document.querySelectorAll("[data-hs-search]")).map(function (root) {
      return new SearchBox(root);
    });
    if (!boxes.length) return;
    // On the search page its own box takes the keyboard; elsewhere the header's.
    var main = boxes.filter(function (b) { return b.page; })[0] || boxes[0];
    document.addEventListener("keydown", function (e) {
      if (typingElsewhere(e.target) || e.altKey) return;
      var ctrl = e.ctrlKey || e.metaKey;
      if ((!ctrl && (e.key === "/" || e.key === "s" || e.key === "S")) || (ctrl && (e.key === "k" || e.key === "K"))) {
        e.preventDefault();
        main.input.focus();
        main.input.select();
      }
    });
    api.onUpdate(function () {
      boxes.forEach(function (b) { if (!b.panel.hidden) b.update(); });
    });
    if (main.page) {
      var q = new URL(window.location.href).searchParams.get("q");
      if (q) main.input.value = q;
      main.open();
      main.input.focus();
    }
    api._boxes = boxes;
    document.documentElement.setAttribute("data-hs-search-ready", "");
  }

  // loader.js loads asynchronously: it may run before or after this file.
  if (window.huashu && window.huashu.ready) start();
  else document.addEventListener("huashu:engine", start, { once: true });
})();
